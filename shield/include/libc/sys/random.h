/* <sys/random.h> in a shield task (pkg-config --cflags shield): shield's <shield/sys/random.h>. */
#ifndef SHIELD_LIBC_SYS_RANDOM_H
#define SHIELD_LIBC_SYS_RANDOM_H
#include <shield/sys/random.h>
#endif
