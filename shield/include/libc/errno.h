/*
 * <errno.h> in a shield task (pkg-config --cflags shield): the E* constants are the C
 * library's (shield/errno.h), errno is shield's. The C library's header comes first, found
 * past this directory; shield/errno.h's own #include <errno.h> then lands here, already
 * guarded.
 */
#ifndef SHIELD_LIBC_ERRNO_H
#define SHIELD_LIBC_ERRNO_H
#include_next <errno.h>
#include <shield/errno.h>
#endif
