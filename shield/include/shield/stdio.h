/*
 * shield/stdio.h: formatted output to the kernel log (shield.md 4.1, 9.3).
 *
 * Supported format subset (printf, snprintf, vprintf, vsnprintf): flags - 0 + space #,
 * a width (digits or *), a precision (.digits or .*), length modifiers hh h l ll z j t on
 * d i u o x X, conversions d i u o x X c s p and %%. %s of NULL prints "(null)"; %p prints
 * 0x and the value in lower-case hex (NULL is 0x0). Anything else (f F e E g G a A n, L,
 * lc, ls, positional n$ arguments, flags or a width on %%) makes the call fail with
 * EINVAL, return -1 and output nothing.
 *
 * Kernel output: printf, vprintf, puts and putchar format into a private buffer of
 * SENTRY_SVCEXCHANGE_LEN bytes and make exactly one copy_to_kernel() and one __sys_log()
 * per successful call, even for empty output. Output beyond SENTRY_SVCEXCHANGE_LEN bytes
 * is dropped silently; the return value is the number of bytes actually logged. They
 * overwrite the first bytes of the exchange area. A failing call makes no system call.
 * Note that a compiler may drop printf("") entirely; build tasks with
 * -fno-builtin-printf if an empty log call matters.
 *
 * snprintf and vsnprintf make no system call; they follow C11 exactly: at most len - 1
 * bytes and a NUL when len > 0, and they return the length of the complete output.
 */
#ifndef SHIELD_STDIO_H
#define SHIELD_STDIO_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdbool.h>
#include <shield/string.h>

#define SHIELD_EOF (-1)

__SHIELD_BEGIN_DECLS

/*
 * Format to the kernel log. Returns the number of bytes logged (at most
 * SENTRY_SVCEXCHANGE_LEN). Errors: EINVAL (NULL or unsupported format), EOVERFLOW (output
 * longer than INT_MAX), EIO (the kernel refused the log call).
 */
int shield_printf(const char *fmt, ...) __SHIELD_PRINTF(1, 2);
int shield_vprintf(const char *fmt, va_list ap) __SHIELD_PRINTF(1, 0);
/*
 * Format into |dest| (at most |len| bytes including the NUL; |dest| may be NULL when |len|
 * is 0). Returns the untruncated length. On failure, returns -1 and stores an empty string
 * when |len| > 0.
 */
int shield_snprintf(char *dest, size_t len, const char *fmt, ...) __SHIELD_PRINTF(3, 4);
int shield_vsnprintf(char *dest, size_t len, const char *fmt, va_list ap) __SHIELD_PRINTF(3, 0);
/* Log |s| and a newline in one call; returns the bytes logged, EOF on error (EFAULT, EIO). */
int shield_puts(const char *s);
/* Log the byte (unsigned char)|c|; returns it, or EOF on error (EIO). */
int shield_putchar(int c);

#ifndef TEST_MODE
int printf(const char *fmt, ...) __SHIELD_PRINTF(1, 2);
int vprintf(const char *fmt, va_list ap) __SHIELD_PRINTF(1, 0);
int snprintf(char *dest, size_t len, const char *fmt, ...) __SHIELD_PRINTF(3, 4);
int vsnprintf(char *dest, size_t len, const char *fmt, va_list ap) __SHIELD_PRINTF(3, 0);
int puts(const char *s);
int putchar(int c);
#endif

__SHIELD_END_DECLS

#ifndef TEST_MODE
#ifndef EOF
#define EOF SHIELD_EOF
#endif
#endif

#endif /* SHIELD_STDIO_H */
