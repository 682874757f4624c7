/* <unistd.h> in a shield task (pkg-config --cflags shield): shield's <shield/unistd.h>. */
#ifndef SHIELD_LIBC_UNISTD_H
#define SHIELD_LIBC_UNISTD_H
#include <shield/unistd.h>
#endif
