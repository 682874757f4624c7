/*
 * stdlib.c: absolute values, strtol / strtoul / atoi / atol and the pseudo-random
 * generator (shield.md 4.3, 4.4, 9.2). No system call.
 *
 * The generator is documented in shield/stdlib.h: an LCG step on a 32-bit state followed by
 * a bijective 32-bit mix, so that every value of [0, RAND_MAX] occurs.
 */
#include <shield/ctype.h>
#include <shield/errno.h>
#include <shield/stdlib.h>
#include <limits.h>

#include "shield_priv.h"

SHIELD_API int shield_abs(int j)
{
	return j < 0 ? -j : j;
}
SHIELD_ALIAS(abs, shield_abs);

SHIELD_API long shield_labs(long j)
{
	return j < 0 ? -j : j;
}
SHIELD_ALIAS(labs, shield_labs);

SHIELD_API long long shield_llabs(long long j)
{
	return j < 0 ? -j : j;
}
SHIELD_ALIAS(llabs, shield_llabs);

SHIELD_API intmax_t shield_imaxabs(intmax_t j)
{
	return j < 0 ? -j : j;
}
SHIELD_ALIAS(imaxabs, shield_imaxabs);

/* Value of digit |c| in bases up to 36, or 36 when it is not a digit. */
static unsigned int digit_value(int c)
{
	if (shield_isdigit(c))
		return (unsigned int)(c - '0');
	if (shield_islower(c))
		return (unsigned int)(c - 'a' + 10);
	if (shield_isupper(c))
		return (unsigned int)(c - 'A' + 10);
	return 36;
}

/* Result of scanning a number for strtol / strtoul. */
struct scan {
	unsigned long mag; /* magnitude, valid when !overflow */
	bool neg;
	bool overflow;   /* the magnitude exceeds |limit| */
	const char *end; /* after the last digit, or nptr when there is none */
};

/*
 * The POSIX parsing rules shared by strtol and strtoul (shield.md 4.3). |limit_pos| and
 * |limit_neg| bound the magnitude of a positive and a negative number. Returns 0 or
 * EINVAL (bad base).
 */
static int scan_number(const char *nptr, int base, unsigned long limit_pos, unsigned long limit_neg,
                       struct scan *r)
{
	const char *s = nptr;
	bool any = false;

	*r = (struct scan){.end = nptr};
	if (base != 0 && (base < 2 || base > 36))
		return EINVAL;

	while (shield_isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		r->neg = *s++ == '-';

	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		/* A lone "0x" converts the 0 and leaves the end on the x. */
		if (digit_value((unsigned char)s[2]) < 16)
			s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}

	for (unsigned long limit = r->neg ? limit_neg : limit_pos;; s++) {
		unsigned int d = digit_value((unsigned char)*s);

		if (d >= (unsigned int)base)
			break;
		any = true;
		if (r->overflow)
			continue;
		if (r->mag > (limit - d) / (unsigned long)base)
			r->overflow = true;
		else
			r->mag = r->mag * (unsigned long)base + d;
	}
	if (any)
		r->end = s;
	return 0;
}

SHIELD_API long shield_strtol(const char *restrict nptr, char **restrict endptr, int base)
{
	struct scan r;
	int err;

	if (nptr == NULL) {
		if (endptr != NULL)
			*endptr = NULL;
		return shield__fail(EFAULT), 0;
	}
	err = scan_number(nptr, base, LONG_MAX, (unsigned long)LONG_MAX + 1, &r);
	if (endptr != NULL)
		*endptr = (char *)r.end;
	if (err != 0)
		return shield__fail(err), 0;
	if (r.overflow) {
		shield__set_errno(ERANGE);
		return r.neg ? LONG_MIN : LONG_MAX;
	}
	if (!r.neg)
		return (long)r.mag;
	return r.mag == (unsigned long)LONG_MAX + 1 ? LONG_MIN : -(long)r.mag;
}
SHIELD_ALIAS(strtol, shield_strtol);

SHIELD_API unsigned long shield_strtoul(const char *restrict nptr, char **restrict endptr, int base)
{
	struct scan r;
	int err;

	if (nptr == NULL) {
		if (endptr != NULL)
			*endptr = NULL;
		return shield__fail(EFAULT), 0;
	}
	err = scan_number(nptr, base, ULONG_MAX, ULONG_MAX, &r);
	if (endptr != NULL)
		*endptr = (char *)r.end;
	if (err != 0)
		return shield__fail(err), 0;
	if (r.overflow) {
		shield__set_errno(ERANGE);
		return ULONG_MAX;
	}
	/* A leading '-' negates in unsigned arithmetic. */
	return r.neg ? 0 - r.mag : r.mag;
}
SHIELD_ALIAS(strtoul, shield_strtoul);

SHIELD_API int shield_atoi(const char *s)
{
	return (int)shield_strtol(s, NULL, 10);
}
SHIELD_ALIAS(atoi, shield_atoi);

SHIELD_API long shield_atol(const char *s)
{
	return shield_strtol(s, NULL, 10);
}
SHIELD_ALIAS(atol, shield_atol);

SHIELD_NEEDS_ENTRY;

/* The task's generator state: srand(1) at load and again at task entry (shield.md 8, R5). */
static uint32_t shield_rand_state = 1;

/* One step of the documented generator on |state|. */
static int rand_step(uint32_t *state)
{
	uint32_t x;

	*state = *state * 1103515245u + 12345u;
	x = *state;
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return (int)(x >> 1);
}

void shield__rand_reset(void)
{
	shield_rand_state = 1;
}

SHIELD_API int shield_rand(void)
{
	return rand_step(&shield_rand_state);
}
SHIELD_ALIAS(rand, shield_rand);

SHIELD_API void shield_srand(unsigned int seed)
{
	shield_rand_state = seed;
}
SHIELD_ALIAS(srand, shield_srand);

SHIELD_API int shield_rand_r(unsigned int *seedp)
{
	uint32_t state;
	int r;

	if (seedp == NULL)
		return shield__fail(EFAULT);
	state = *seedp;
	r = rand_step(&state);
	*seedp = state;
	return r;
}
SHIELD_ALIAS(rand_r, shield_rand_r);
