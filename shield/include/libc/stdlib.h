/* <stdlib.h> in a shield task (pkg-config --cflags shield): shield's <shield/stdlib.h>. */
#ifndef SHIELD_LIBC_STDLIB_H
#define SHIELD_LIBC_STDLIB_H
#include <shield/stdlib.h>
#endif
