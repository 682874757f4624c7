/* <sched.h> in a shield task (pkg-config --cflags shield): shield's <shield/sched.h>. */
#ifndef SHIELD_LIBC_SCHED_H
#define SHIELD_LIBC_SCHED_H
#include <shield/sched.h>
#endif
