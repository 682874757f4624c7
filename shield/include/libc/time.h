/* <time.h> in a shield task (pkg-config --cflags shield): shield's <shield/time.h>. */
#ifndef SHIELD_LIBC_TIME_H
#define SHIELD_LIBC_TIME_H
#include <shield/time.h>
#endif
