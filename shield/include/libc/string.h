/* <string.h> in a shield task (pkg-config --cflags shield): shield's <shield/string.h>. */
#ifndef SHIELD_LIBC_STRING_H
#define SHIELD_LIBC_STRING_H
#include <shield/string.h>
#endif
