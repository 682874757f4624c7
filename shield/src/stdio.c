/*
 * stdio.c: printf, vprintf, puts and putchar to the kernel log (shield.md 4.1, 9.3, 2).
 *
 * Each successful call formats into one private buffer of SENTRY_SVCEXCHANGE_LEN bytes,
 * copies the n bytes that fit to the exchange area and makes exactly one __sys_log(n), even
 * when n is 0. Bytes beyond the buffer are dropped silently and n is what the call returns.
 * A failing call makes no system call at all.
 */
#include <shield/errno.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <uapi/platform.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

SHIELD_NEEDS_ENTRY;

/* The formatter buffer; cleared at task entry (shield.md R5). */
static char shield_stdio_buf[SENTRY_SVCEXCHANGE_LEN];

void shield__stdio_reset(void)
{
	shield_memset(shield_stdio_buf, 0, sizeof(shield_stdio_buf));
}

/* Hand the first |n| bytes of the buffer to the kernel log: one copy, one log call. */
static int log_buffer(size_t n)
{
	if (copy_to_kernel((const uint8_t *)shield_stdio_buf, n) != STATUS_OK)
		return shield__fail(EIO);
	if (__sys_log(n) != STATUS_OK)
		return shield__fail(EIO);
	return (int)n;
}

SHIELD_API int shield_vprintf(const char *fmt, va_list ap)
{
	size_t total;
	int err = shield__vformat(shield_stdio_buf, sizeof(shield_stdio_buf), fmt, ap, &total);

	if (err != 0)
		return shield__fail(err);
	return log_buffer(total < sizeof(shield_stdio_buf) ? total : sizeof(shield_stdio_buf));
}
SHIELD_ALIAS(vprintf, shield_vprintf);

SHIELD_API int shield_printf(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = shield_vprintf(fmt, ap);
	va_end(ap);
	return ret;
}
SHIELD_ALIAS(printf, shield_printf);

SHIELD_API int shield_puts(const char *s)
{
	size_t n;

	if (s == NULL) {
		shield__set_errno(EFAULT);
		return SHIELD_EOF;
	}
	n = shield_strnlen(s, sizeof(shield_stdio_buf));
	shield_memcpy(shield_stdio_buf, s, n);
	if (n < sizeof(shield_stdio_buf))
		shield_stdio_buf[n++] = '\n';
	return log_buffer(n) < 0 ? SHIELD_EOF : (int)n;
}
SHIELD_ALIAS(puts, shield_puts);

SHIELD_API int shield_putchar(int c)
{
	shield_stdio_buf[0] = (char)(unsigned char)c;
	return log_buffer(1) < 0 ? SHIELD_EOF : (unsigned char)c;
}
SHIELD_ALIAS(putchar, shield_putchar);
