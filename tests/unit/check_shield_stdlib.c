/*
 * check_shield_stdlib.c: strtol / strtoul / atoi / atol / abs against the host C library,
 * the documented pseudo-random generator, and getrandom / getentropy against the fake
 * UAPI (shield.md 4.3, 4.4, 4.5, 9.2, 9.9, 7.11-7.17).
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shield/errno.h>
#include <shield/stdlib.h>
#include <shield/sys/random.h>

#include "check_shield_fake.h"
#include "tests/unit/check_tap.h"

static void setup(void)
{
	fake_reset();
	shield_errno = 0;
}

static const char *const numbers[] = {
    "0",
    "1",
    "-1",
    "+1",
    "42",
    "  42",
    "\t\n\v\f\r 42",
    "42abc",
    "-0",
    "+-1",
    "-+1",
    "- 1",
    "",
    "   ",
    "abc",
    "0x",
    "0X",
    "0x1f",
    "0X1F",
    "0xg",
    "-0x10",
    "+0x10",
    "0x-1",
    "010",
    "08",
    "0",
    "00",
    "0b101",
    "z",
    "Z",
    "zz",
    "ZZ",
    "1z",
    "7fffffff",
    "80000000",
    "ffffffff",
    "100000000",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "-18446744073709551615",
    "-18446744073709551616",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "7fffffffffffffff",
    "8000000000000000",
    "ffffffffffffffff",
    "10000000000000000",
    "-8000000000000000",
    "-8000000000000001",
    "1111111111111111111111111111111111111111111111111111111111111111",
    "11111111111111111111111111111111111111111111111111111111111111111",
    "777777777777777777777",
    "1777777777777777777777",
    "2000000000000000000000",
    "3w5e11264sgsf",
    "3w5e11264sgsg",
    "1y2p0ij32e8e7",
    "1y2p0ij32e8e8",
    " -  5",
    "5 ",
    "12 34",
    "0x0x",
    "0xx",
    "0 x",
};
static const int bases[] = {0, 2, 3, 8, 10, 16, 17, 35, 36};

START_TEST(test_strtol_vs_libc)
{
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
			const char *s = numbers[i];
			char *se, *ge;
			long sv, gv;
			unsigned long su, gu;
			int sn, gn;

			shield_errno = 0;
			errno = 0;
			sv = shield_strtol(s, &se, bases[b]);
			sn = shield_errno;
			gv = strtol(s, &ge, bases[b]);
			gn = errno;
			ck_assert_msg(sv == gv && se == ge && sn == gn,
			              "strtol(\"%s\", %d): shield %ld end+%td errno %d, libc %ld "
			              "end+%td errno %d",
			              s, bases[b], sv, se - s, sn, gv, ge - s, gn);

			shield_errno = 0;
			errno = 0;
			su = shield_strtoul(s, &se, bases[b]);
			sn = shield_errno;
			gu = strtoul(s, &ge, bases[b]);
			gn = errno;
			ck_assert_msg(su == gu && se == ge && sn == gn,
			              "strtoul(\"%s\", %d): shield %lu end+%td errno %d, libc %lu "
			              "end+%td errno %d",
			              s, bases[b], su, se - s, sn, gu, ge - s, gn);

			/* Without endptr: the same value. */
			ck_assert(shield_strtol(s, NULL, bases[b]) == gv);
			ck_assert(shield_strtoul(s, NULL, bases[b]) == gu);
		}
}
END_TEST

/* The points of shield.md 4.3 that upstream got wrong (7.11, 7.12). */
START_TEST(test_strtol_rules)
{
	char *end;
	const char *s;

	/* strtoul accepts a sign; '-' negates in unsigned arithmetic. */
	ck_assert_uint_eq(shield_strtoul("-1", NULL, 10), ULONG_MAX);
	ck_assert_uint_eq(shield_strtoul("+7", NULL, 10), 7);
	/* "0x" with base 10 converts the 0 and stops at the x. */
	s = "0x1f";
	ck_assert_int_eq(shield_strtol(s, &end, 10), 0);
	ck_assert_ptr_eq(end, s + 1);
	ck_assert_int_eq(shield_errno, 0);
	/* A lone "0x" in base 16 converts the 0, *endptr on the x. */
	s = "0x";
	ck_assert_int_eq(shield_strtol(s, &end, 16), 0);
	ck_assert_ptr_eq(end, s + 1);
	/* Overflow: *endptr after the last digit, LONG_MIN for negative overflow. */
	s = "-99999999999999999999999zz";
	ck_assert_int_eq(shield_strtol(s, &end, 10), LONG_MIN);
	ck_assert_int_eq(shield_errno, ERANGE);
	ck_assert_ptr_eq(end, s + 24);
	shield_errno = 0;
	ck_assert_int_eq(shield_strtol("99999999999999999999999", NULL, 10), LONG_MAX);
	ck_assert_int_eq(shield_errno, ERANGE);
	shield_errno = 0;
	ck_assert_uint_eq(shield_strtoul("99999999999999999999999", NULL, 10), ULONG_MAX);
	ck_assert_int_eq(shield_errno, ERANGE);
	/* LONG_MIN itself converts without error. */
	shield_errno = 0;
	ck_assert_int_eq(shield_strtol("-9223372036854775808", NULL, 10), LONG_MIN);
	ck_assert_int_eq(shield_errno, LONG_MIN == INT64_MIN ? 0 : ERANGE);
	/* Bases above 16. */
	shield_errno = 0;
	ck_assert_int_eq(shield_strtol("zz", NULL, 36), 35 * 36 + 35);
	ck_assert_int_eq(shield_strtol("Zz", NULL, 36), 35 * 36 + 35);
	ck_assert_int_eq(shield_strtol("g", NULL, 17), 16);
	/* No digits: 0 and *endptr = nptr, errno untouched. */
	s = "  +xyz";
	ck_assert_int_eq(shield_strtol(s, &end, 0), 0);
	ck_assert_ptr_eq(end, s);
	ck_assert_int_eq(shield_errno, 0);
	/* Invalid base: EINVAL and 0. */
	for (int base = -1; base < 40; base++) {
		if (base == 0 || (base >= 2 && base <= 36))
			continue;
		shield_errno = 0;
		ck_assert_int_eq(shield_strtol("11", NULL, base), 0);
		ck_assert_int_eq(shield_errno, EINVAL);
		shield_errno = 0;
		ck_assert_uint_eq(shield_strtoul("11", NULL, base), 0);
		ck_assert_int_eq(shield_errno, EINVAL);
	}
	/* Success leaves errno alone. */
	shield_errno = 99;
	ck_assert_int_eq(shield_strtol("12", NULL, 10), 12);
	ck_assert_int_eq(shield_errno, 99);
	/* NULL: EFAULT (R4). */
	shield_errno = 0;
	end = (char *)"x";
	ck_assert_int_eq(shield_strtol(NULL, &end, 10), 0);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_ptr_null(end);
}
END_TEST

START_TEST(test_atoi_abs)
{
	static const char *const s[] = {"0",          "12",          "-12",  "  +7x", "abc",
	                                "2147483647", "-2147483648", "0x10", "010"};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		ck_assert_int_eq(shield_atoi(s[i]), atoi(s[i]));
		ck_assert_int_eq(shield_atol(s[i]), atol(s[i]));
	}
	static const long long v[] = {0,       1,        -1,        12345,     -12345,
	                              INT_MAX, -INT_MAX, LLONG_MAX, -LLONG_MAX};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_int_eq(shield_abs((int)v[i]), abs((int)v[i]));
		ck_assert_int_eq(shield_labs((long)v[i]), labs((long)v[i]));
		ck_assert_int_eq(shield_llabs(v[i]), llabs(v[i]));
		ck_assert_int_eq(shield_imaxabs(v[i]), imaxabs(v[i]));
	}
}
END_TEST

/* The generator documented in shield/stdlib.h, written out independently. */
static int ref_rand(uint32_t *s)
{
	uint32_t x;

	*s = *s * 1103515245u + 12345u;
	x = *s;
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return (int)(x >> 1);
}

START_TEST(test_rand_sequence)
{
	uint32_t ref = 1;

	/* Before any srand the sequence is that of srand(1) (shield.md 8). */
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(shield_rand(), ref_rand(&ref));
	shield_srand(12345);
	ref = 12345;
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(shield_rand(), ref_rand(&ref));
	/* srand restarts the sequence. */
	shield_srand(1);
	ref = 1;
	ck_assert_int_eq(shield_rand(), ref_rand(&ref));
	ck_assert_int_eq(SHIELD_RAND_MAX, 0x7fffffff);
}
END_TEST

/* Values cover the whole [0, RAND_MAX] range, not just 16 bits (7.14). */
START_TEST(test_rand_range)
{
	int lo = INT_MAX, hi = 0;
	unsigned int ones[31] = {0};

	shield_srand(7);
	for (int i = 0; i < 200000; i++) {
		int r = shield_rand();

		ck_assert_int_ge(r, 0);
		ck_assert_int_le(r, SHIELD_RAND_MAX);
		lo = r < lo ? r : lo;
		hi = r > hi ? r : hi;
		for (int b = 0; b < 31; b++)
			ones[b] += (r >> b) & 1;
	}
	ck_assert_int_lt(lo, 1 << 20);
	ck_assert_int_gt(hi, SHIELD_RAND_MAX - (1 << 20));
	for (int b = 0; b < 31; b++) {
		ck_assert_uint_gt(ones[b], 95000);
		ck_assert_uint_lt(ones[b], 105000);
	}
}
END_TEST

START_TEST(test_rand_r)
{
	unsigned int seed = 99;
	uint32_t ref = 99;

	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(shield_rand_r(&seed), ref_rand(&ref));
		ck_assert_uint_eq(seed, ref);
	}
	/* rand_r does not disturb rand's own state. */
	uint32_t r1 = 1;

	ck_assert_int_eq(shield_rand(), ref_rand(&r1));
	shield_errno = 0;
	ck_assert_int_eq(shield_rand_r(NULL), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
}
END_TEST

/* Fake words are bytes 0, 1, 2, ...: the buffer must read 0, 1, 2... from its start. */
static void assert_counting(const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(buf[i], (uint8_t)i);
}

START_TEST(test_getrandom_fill)
{
	uint8_t raw[64];

	/* Any alignment and length: one get_random + one 4-byte copy per word (7.15). */
	for (size_t off = 0; off < 4; off++)
		for (size_t len = 1; len <= 17; len++) {
			fake_reset();
			memset(raw, 0xEE, sizeof(raw));
			ck_assert_int_eq(shield_getrandom(raw + off, len, 0), (long)len);
			assert_counting(raw + off, len);
			ck_assert_uint_eq(raw[off + len], 0xEE);
			if (off > 0)
				ck_assert_uint_eq(raw[off - 1], 0xEE);
			ck_assert_uint_eq(fake_count(FAKE_GET_RANDOM), (len + 3) / 4);
			ck_assert_uint_eq(fake_count(FAKE_COPY_FROM), (len + 3) / 4);
			for (size_t c = 0; c < fake.ncalls; c++) {
				if (fake.calls[c].call == FAKE_COPY_FROM)
					ck_assert_uint_eq(fake.calls[c].a0, 4);
			}
		}
	fake_reset();
	ck_assert_int_eq(shield_getrandom(raw, 8, SHIELD_GRND_NONBLOCK | SHIELD_GRND_RANDOM), 8);
}
END_TEST

START_TEST(test_getrandom_errors)
{
	uint8_t buf[16];

	/* buflen 0: no system call. */
	ck_assert_int_eq(shield_getrandom(buf, 0, 0), 0);
	ck_assert_int_eq(shield_getrandom(NULL, 0, 0), 0);
	ck_assert_uint_eq(fake.ncalls, 0);
	/* NULL buffer: EFAULT (7.17); unknown flag: EINVAL. */
	ck_assert_int_eq(shield_getrandom(NULL, 4, 0), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_int_eq(shield_getrandom(buf, 4, 0x04), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_uint_eq(fake.ncalls, 0);

	/* Kernel refusal on the first word: EPERM / EIO, no fallback (7.16). */
	fake.random_script[0] = STATUS_DENIED;
	memset(buf, 0xEE, sizeof(buf));
	ck_assert_int_eq(shield_getrandom(buf, 8, 0), -1);
	ck_assert_int_eq(shield_errno, EPERM);
	ck_assert_uint_eq(buf[0], 0xEE);
	fake_reset();
	fake.random_script[0] = STATUS_CRITICAL;
	ck_assert_int_eq(shield_getrandom(buf, 8, 0), -1);
	ck_assert_int_eq(shield_errno, EIO);

	/* Refusal later: the bytes already written. */
	fake_reset();
	shield_errno = 0;
	fake.random_script[2] = STATUS_CRITICAL;
	memset(buf, 0xEE, sizeof(buf));
	ck_assert_int_eq(shield_getrandom(buf, 16, 0), 8);
	assert_counting(buf, 8);
	ck_assert_uint_eq(buf[8], 0xEE);
	ck_assert_int_eq(shield_errno, 0);
	ck_assert_uint_eq(fake_count(FAKE_GET_RANDOM), 3);
}
END_TEST

START_TEST(test_getentropy)
{
	uint8_t buf[300];

	ck_assert_int_eq(shield_getentropy(buf, 256), 0);
	assert_counting(buf, 256);
	ck_assert_int_eq(shield_getentropy(buf, 257), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_int_eq(shield_getentropy(NULL, 4), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	/* All or nothing: a later refusal fails the call. */
	fake_reset();
	fake.random_script[1] = STATUS_CRITICAL;
	ck_assert_int_eq(shield_getentropy(buf, 16), -1);
	ck_assert_int_eq(shield_errno, EIO);
}
END_TEST

static Suite *stdlib_suite(void)
{
	Suite *s = suite_create("shield_stdlib");
	TCase *num = tcase_create("numbers");
	TCase *rnd = tcase_create("random");

	tcase_add_checked_fixture(num, setup, NULL);
	tcase_add_test(num, test_strtol_vs_libc);
	tcase_add_test(num, test_strtol_rules);
	tcase_add_test(num, test_atoi_abs);
	suite_add_tcase(s, num);

	tcase_add_checked_fixture(rnd, setup, NULL);
	tcase_add_test(rnd, test_rand_sequence);
	tcase_add_test(rnd, test_rand_range);
	tcase_add_test(rnd, test_rand_r);
	tcase_add_test(rnd, test_getrandom_fill);
	tcase_add_test(rnd, test_getrandom_errors);
	tcase_add_test(rnd, test_getentropy);
	suite_add_tcase(s, rnd);
	return s;
}

int main(void)
{
	return check_run_tap(stdlib_suite());
}
