/* <stdio.h> in a shield task (pkg-config --cflags shield): shield's <shield/stdio.h>. */
#ifndef SHIELD_LIBC_STDIO_H
#define SHIELD_LIBC_STDIO_H
#include <shield/stdio.h>
#endif
