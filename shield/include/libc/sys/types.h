/* <sys/types.h> in a shield task (pkg-config --cflags shield): shield's <shield/sys/types.h>. */
#ifndef SHIELD_LIBC_SYS_TYPES_H
#define SHIELD_LIBC_SYS_TYPES_H
#include <shield/sys/types.h>
#endif
