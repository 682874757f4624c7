/* <ctype.h> in a shield task (pkg-config --cflags shield): shield's <shield/ctype.h>. */
#ifndef SHIELD_LIBC_CTYPE_H
#define SHIELD_LIBC_CTYPE_H
#include <shield/ctype.h>
#endif
