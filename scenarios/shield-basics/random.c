/*
 * random: kernel entropy through getrandom() and getentropy() (shield.md 4.5, 9.9).
 * random.ini runs this program twice: 'krng' holds CAP_CRY_KRNG and gets bytes (any
 * alignment, a partial last word); 'nokrng' does not, and every call fails with EPERM
 * without touching the buffer: shield never falls back to a non-cryptographic generator.
 * The kernel's generator is seeded from the run's seed, so the bytes are reproducible.
 */
#include <shield/errno.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <shield/sys/random.h>

#define GUARD 0xee

static const char *errname(int e)
{
	switch (e) {
	case EPERM:
		return "EPERM";
	case EINVAL:
		return "EINVAL";
	default:
		return strerror(e);
	}
}

/* Whether |len| bytes at |p| all hold |c|. */
static bool all_are(const unsigned char *p, size_t len, unsigned char c)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != c)
			return false;
	}
	return true;
}

int main(void)
{
	unsigned char buf[12], key[32];
	char hex[2 * sizeof(buf) + 1];
	ssize_t n;
	int rc;

	/* 9 bytes at an odd address: two whole words and one byte of a third. */
	memset(buf, GUARD, sizeof(buf));
	errno = 0;
	n = getrandom(buf + 1, 9, 0);
	if (n < 0) {
		printf("getrandom(9 bytes at an odd address): %zd, %s, buffer untouched: %s\n", n,
		       errname(errno), all_are(buf, sizeof(buf), GUARD) ? "yes" : "no");
	} else {
		for (size_t i = 0; i < 9; i++)
			snprintf(hex + 2 * i, 3, "%02x", buf[1 + i]);
		printf("getrandom(9 bytes at an odd address): %zd, bytes %s, guards intact: %s\n",
		       n, hex,
		       buf[0] == GUARD && all_are(buf + 10, sizeof(buf) - 10, GUARD) ? "yes"
		                                                                     : "no");
	}

	memset(key, 0, sizeof(key));
	errno = 0;
	rc = getentropy(key, sizeof(key));
	printf("getentropy(32): %d%s%s, key %s\n", rc, rc != 0 ? ", " : "",
	       rc != 0 ? errname(errno) : "", all_are(key, sizeof(key), 0) ? "all zero" : "filled");

	/* Refused before any system call, with or without the capability. */
	errno = 0;
	n = getrandom(buf, 4, 0x4);
	printf("getrandom with flag 0x4: %zd, %s\n", n, errname(errno));
	errno = 0;
	rc = getentropy(key, 257);
	printf("getentropy(257): %d, %s\n", rc, errname(errno));
	printf("getrandom of 0 bytes: %zd\n", getrandom(buf, 0, 0));
	return 0;
}
