/*
 * random.c: getrandom and getentropy over the kernel's entropy source (shield.md 4.5, 9.9).
 *
 * One __sys_get_random() and one 4-byte copy_from_kernel() per 32-bit word; the words fill
 * the buffer byte by byte, so any alignment works and the last word may be used partly.
 * Shield never substitutes a non-cryptographic generator when the kernel refuses.
 */
#include <shield/errno.h>
#include <shield/string.h>
#include <shield/sys/random.h>
#include <limits.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

#define SHIELD_GETENTROPY_MAX 256

/* Fill |buf|; returns the bytes written and sets *err when the kernel refused a word. */
static size_t fill_random(uint8_t *buf, size_t len, int *err)
{
	size_t done = 0;

	*err = 0;
	while (done < len) {
		Status st = __sys_get_random();
		uint32_t word;
		size_t n = len - done < sizeof(word) ? len - done : sizeof(word);

		if (st != STATUS_OK) {
			*err = st == STATUS_DENIED ? EPERM : EIO;
			break;
		}
		if (copy_from_kernel((uint8_t *)&word, sizeof(word)) != STATUS_OK) {
			*err = EIO;
			break;
		}
		shield_memcpy(buf + done, &word, n);
		done += n;
	}
	return done;
}

SHIELD_API shield_ssize_t shield_getrandom(void *buf, size_t buflen, unsigned int flags)
{
	size_t done;
	int err;

	if (flags & ~(unsigned int)(SHIELD_GRND_NONBLOCK | SHIELD_GRND_RANDOM))
		return shield__fail(EINVAL);
	if (buflen == 0)
		return 0;
	if (buf == NULL)
		return shield__fail(EFAULT);
	if (buflen > LONG_MAX)
		buflen = LONG_MAX;
	done = fill_random(buf, buflen, &err);
	/* A refusal after the first word is a short read, as Linux reports it. */
	if (done == 0)
		return shield__fail(err);
	return (shield_ssize_t)done;
}
SHIELD_ALIAS(getrandom, shield_getrandom);

SHIELD_API int shield_getentropy(void *buf, size_t len)
{
	int err;

	if (len > SHIELD_GETENTROPY_MAX)
		return shield__fail(EINVAL);
	if (len == 0)
		return 0;
	if (buf == NULL)
		return shield__fail(EFAULT);
	if (fill_random(buf, len, &err) != len)
		return shield__fail(err);
	return 0;
}
SHIELD_ALIAS(getentropy, shield_getentropy);
