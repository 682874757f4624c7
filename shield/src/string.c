/*
 * string.c: strings and memory (shield.md 4.2, 9.1). Pure functions: no system call, no
 * errno change.
 *
 * These functions are also the process's memcpy, memset... (the POSIX aliases interpose
 * the host C library's, shield.md 10.2), so the compiler must not turn their loops back
 * into calls to themselves: the library is built with -fno-builtin (which is enough for
 * clang), and GCC's loop-to-library-call pattern pass is turned off here.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

#include <shield/errno.h>
#include <shield/string.h>

#include "shield_priv.h"

SHIELD_API size_t shield_strlen(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	while (s[n] != '\0')
		n++;
	return n;
}
SHIELD_ALIAS(strlen, shield_strlen);

SHIELD_API size_t shield_strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	while (n < maxlen && s[n] != '\0')
		n++;
	return n;
}
SHIELD_ALIAS(strnlen, shield_strnlen);

SHIELD_API void *shield_memmove(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dest;
	if ((uintptr_t)d - (uintptr_t)s >= n) {
		/* dest is below src, or the buffers do not overlap: copy forwards. */
		while (n-- > 0)
			*d++ = *s++;
	} else {
		while (n-- > 0)
			d[n] = s[n];
	}
	return dest;
}
SHIELD_ALIAS(memmove, shield_memmove);

/* Overlap-safe, as memmove (shield.md 8). */
SHIELD_API void *shield_memcpy(void *dest, const void *src, size_t n)
{
	return shield_memmove(dest, src, n);
}
SHIELD_ALIAS(memcpy, shield_memcpy);

SHIELD_API void *shield_memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n-- > 0)
		*p++ = (unsigned char)c;
	return s;
}
SHIELD_ALIAS(memset, shield_memset);

SHIELD_API int shield_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
	}
	return 0;
}
SHIELD_ALIAS(memcmp, shield_memcmp);

SHIELD_API void *shield_memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}
SHIELD_ALIAS(memchr, shield_memchr);

/* Overlap-safe, as memmove (shield.md 8). */
SHIELD_API char *shield_strcpy(char *dest, const char *src)
{
	return shield_memmove(dest, src, shield_strlen(src) + 1);
}
SHIELD_ALIAS(strcpy, shield_strcpy);

SHIELD_API char *shield_strncpy(char *dest, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i] != '\0'; i++)
		dest[i] = src[i];
	for (; i < n; i++)
		dest[i] = '\0';
	return dest;
}
SHIELD_ALIAS(strncpy, shield_strncpy);

SHIELD_API char *shield_strcat(char *dest, const char *src)
{
	shield_strcpy(dest + shield_strlen(dest), src);
	return dest;
}
SHIELD_ALIAS(strcat, shield_strcat);

SHIELD_API char *shield_strncat(char *dest, const char *src, size_t n)
{
	char *d = dest + shield_strlen(dest);

	while (n-- > 0 && *src != '\0')
		*d++ = *src++;
	*d = '\0';
	return dest;
}
SHIELD_ALIAS(strncat, shield_strncat);

SHIELD_API int shield_strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	/* Upstream's NULL tolerance: NULL sorts before any string, two NULLs are equal. */
	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	while (*x != '\0' && *x == *y) {
		x++;
		y++;
	}
	return (*x > *y) - (*x < *y);
}
SHIELD_ALIAS(strcmp, shield_strcmp);

SHIELD_API int shield_strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y)
			return *x < *y ? -1 : 1;
		if (*x == '\0')
			break;
	}
	return 0;
}
SHIELD_ALIAS(strncmp, shield_strncmp);

SHIELD_API char *shield_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}
SHIELD_ALIAS(strchr, shield_strchr);

SHIELD_API char *shield_strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}
SHIELD_ALIAS(strrchr, shield_strrchr);

SHIELD_API char *shield_strstr(const char *hay, const char *needle)
{
	size_t n = shield_strlen(needle);

	for (; *hay != '\0' || n == 0; hay++) {
		if (shield_strncmp(hay, needle, n) == 0)
			return (char *)hay;
	}
	return NULL;
}
SHIELD_ALIAS(strstr, shield_strstr);

SHIELD_API size_t shield_strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] != '\0' && shield_strchr(accept, s[n]) != NULL)
		n++;
	return n;
}
SHIELD_ALIAS(strspn, shield_strspn);

SHIELD_API size_t shield_strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] != '\0' && shield_strchr(reject, s[n]) == NULL)
		n++;
	return n;
}
SHIELD_ALIAS(strcspn, shield_strcspn);

/* Descriptions of shield's errno values, worded as the GNU C library words them. */
static const char *const shield_errstr[] = {
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [ESRCH] = "No such process",
    [EINTR] = "Interrupted system call",
    [EIO] = "Input/output error",
    [ENXIO] = "No such device or address",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Exec format error",
    [EBADF] = "Bad file descriptor",
    [ECHILD] = "No child processes",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Cannot allocate memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [ENOTBLK] = "Block device required",
    [EBUSY] = "Device or resource busy",
    [EEXIST] = "File exists",
    [EXDEV] = "Invalid cross-device link",
    [ENODEV] = "No such device",
    [ENOTDIR] = "Not a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [ENFILE] = "Too many open files in system",
    [EMFILE] = "Too many open files",
    [ENOTTY] = "Inappropriate ioctl for device",
    [ETXTBSY] = "Text file busy",
    [EFBIG] = "File too large",
    [ENOSPC] = "No space left on device",
    [ESPIPE] = "Illegal seek",
    [EROFS] = "Read-only file system",
    [EMLINK] = "Too many links",
    [EPIPE] = "Broken pipe",
    [EDOM] = "Numerical argument out of domain",
    [ERANGE] = "Numerical result out of range",
    [ENOTSUP] = "Operation not supported",
    [ENOMSG] = "No message of desired type",
    [EDEADLK] = "Resource deadlock avoided",
    [ENOSYS] = "Function not implemented",
    [ETIMEDOUT] = "Connection timed out",
#ifdef EOVERFLOW
    [EOVERFLOW] = "Value too large for defined data type",
#endif
};

SHIELD_API char *shield_strerror(int errnum)
{
	if (errnum < 0 || (size_t)errnum >= sizeof(shield_errstr) / sizeof(shield_errstr[0]) ||
	    shield_errstr[errnum] == NULL)
		return (char *)"Unknown error";
	return (char *)shield_errstr[errnum];
}
SHIELD_ALIAS(strerror, shield_strerror);
