/*
 * check_shield_printf.c: shield's formatter (snprintf, vsnprintf) against the host C
 * library, and printf / vprintf / puts / putchar against the fake UAPI: exactly one
 * __sys_log per successful call, the SENTRY_SVCEXCHANGE_LEN cap, return values, errors
 * (shield.md 4.1, 9.3, 2, 7.1-7.8).
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shield/errno.h>
#include <shield/stdio.h>

#include "check_shield_fake.h"
#include "tests/unit/check_tap.h"

/* The comparisons use formats whose flags C leaves without effect, on purpose. */
#pragma GCC diagnostic ignored "-Wformat"
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-overflow"
#endif

#define BUFLEN 1024

/* Format with both libraries into fresh buffers; same return value, same bytes. */
#define CMP(...)                                                                                   \
	do {                                                                                       \
		char s_[BUFLEN], g_[BUFLEN];                                                       \
		int rs_ = shield_snprintf(s_, sizeof(s_), __VA_ARGS__);                            \
		int rg_ = snprintf(g_, sizeof(g_), __VA_ARGS__);                                   \
		ck_assert_msg(rs_ == rg_ && strcmp(s_, g_) == 0,                                   \
		              "%s: shield %d \"%s\", libc %d \"%s\"", #__VA_ARGS__, rs_, s_, rg_,  \
		              g_);                                                                 \
	} while (0)

static void setup(void)
{
	fake_reset();
	shield_errno = 0;
}

START_TEST(test_fixed_cases)
{
	CMP("plain text");
	CMP("%%");
	CMP("a%%b%%%%c");
	CMP("%d%%", 42);                  /* upstream miscounted this (7.4) */
	CMP("%5d|%-5d|%05d", 42, 42, 42); /* width without 0, '-' (7.2) */
	CMP("%X %x %#X %#x", 0xabcdefu, 0xabcdefu, 0xabcdefu, 0xabcdefu);
	CMP("%.3d %.0d %.10u", 7, 0, 12345u);
	CMP("%llx %hhx %lx", 0x1122334455667788ull, 0x1ff, 0xdeadbeeful); /* 7.3 */
	CMP("%c%c%c", 'a', 'b', 'c');                                     /* counted (7.4) */
	CMP("%p", (void *)0x1234);
	CMP("%ld %lld", -1L, -5LL); /* 7.5 */
	CMP("%ld", LONG_MIN);
	CMP("%hd %hhd", -2, -3);
	CMP("%d %d", INT_MIN, INT_MAX);
	CMP("%lld %llu", LLONG_MIN, ULLONG_MAX);
	CMP("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	CMP("%zu %zd %zx", SIZE_MAX, (ptrdiff_t)-1, (size_t)0xabc);
	CMP("%td %tu %tx", PTRDIFF_MIN, (ptrdiff_t)77, (ptrdiff_t)-1);
	CMP("%hhu %hu %hhd %hd", 300, 70000, 200, 40000);
	CMP("%s|%10s|%-10s|%.2s|%10.3s|%-10.1s|", "hello", "hi", "hi", "hello", "hello", "xy");
	CMP("%*d|%-*d|%*d", 6, 1, 6, 2, -6, 3);          /* negative * width means '-' */
	CMP("%.*d|%.*d|%*.*x", 4, 5, -1, 6, 8, 3, 0x1f); /* negative * precision: absent */
	CMP("%+d % d %+ d % +d", 5, 5, 5, 5);
	CMP("%+d % d %+i", -5, -5, 0);
	CMP("%#o %#o %#.0o %#5.3o %#08o", 8u, 0u, 0u, 8u, 8u);
	CMP("%#.0x|%.0x|%#08x|%#-8x|%08.3x", 0u, 0u, 0x1fu, 0x1fu, 0x1fu);
	CMP("%05c|%-3c|%3c", 'a', 'b', 'c');
	CMP("%05s|%-05s", "ab", "ab");
	CMP("[%+5p][%-+8p][% -8p][%08.3p][%-08p][%020p][%.8p]", (void *)0x1f, (void *)0x1f,
	    (void *)0x1f, (void *)0x1f, (void *)0x1f, (void *)0x1234, (void *)0x1234);
	CMP("%0-5d|%-05d|%00005d", 1, 2, 3);
	CMP("%s", "");
	CMP("%c", 0); /* a NUL byte is output (and counted) */
	CMP("%s%s%s%s", "a", "bb", "ccc", "dddd");
	CMP("%-1d|%1d|%0d", 12345, 12345, 12345);
}
END_TEST

START_TEST(test_null_and_pointer)
{
	char buf[64];

	ck_assert_int_eq(shield_snprintf(buf, sizeof(buf), "%s", (char *)NULL), 6);
	ck_assert_str_eq(buf, "(null)");
	ck_assert_int_eq(shield_snprintf(buf, sizeof(buf), "[%8s]", (char *)NULL), 10);
	ck_assert_str_eq(buf, "[  (null)]");
	ck_assert_int_eq(shield_snprintf(buf, sizeof(buf), "%p", NULL), 3);
	ck_assert_str_eq(buf, "0x0");
	ck_assert_int_eq(shield_snprintf(buf, sizeof(buf), "[%5p]", NULL), 7);
	ck_assert_str_eq(buf, "[  0x0]");
	ck_assert_int_eq(shield_snprintf(buf, sizeof(buf), "%p", (void *)UINTPTR_MAX),
	                 (int)(2 + 2 * sizeof(void *)));
	ck_assert_int_eq(shield_snprintf(buf, sizeof(buf), "%p", (void *)0xABCDEF), 8);
	ck_assert_str_eq(buf, "0xabcdef");
}
END_TEST

/* Integer conversions: every flag set, several widths and precisions, all lengths. */
static const char *const int_flags[] = {"",   "-",  "+",  " ",  "#",  "0",    "-+",
                                        "- ", "+0", " 0", "#0", "-#", "+ #0", "-+ #0"};
static const char *const int_widths[] = {"", "1", "3", "8", "25"};
static const char *const int_precs[] = {"", ".", ".0", ".1", ".3", ".12", ".30"};
static const char int_convs[] = "diuoxX";

static const long long sval[] = {0,      1,         -1,        7,         -42,      127,
                                 -128,   255,       256,       32767,     -32768,   65535,
                                 65536,  INT_MAX,   INT_MIN,   LONG_MAX,  LONG_MIN, 0x1234567,
                                 -99999, 123456789, LLONG_MAX, LLONG_MIN, UINT_MAX};

/* Call both libraries with the argument converted as the length modifier says. */
static void cmp_int(const char *fmt, const char *len, char conv, long long v)
{
	char s[BUFLEN], g[BUFLEN];
	int rs, rg;
	bool sig = conv == 'd' || conv == 'i';

#define BOTH(T)                                                                                    \
	do {                                                                                       \
		rs = shield_snprintf(s, sizeof(s), fmt, (T)v);                                     \
		rg = snprintf(g, sizeof(g), fmt, (T)v);                                            \
	} while (0)
	if (strcmp(len, "hh") == 0) {
		if (sig)
			BOTH(int);
		else
			BOTH(unsigned int);
	} else if (strcmp(len, "h") == 0 || len[0] == '\0') {
		if (sig)
			BOTH(int);
		else
			BOTH(unsigned int);
	} else if (strcmp(len, "l") == 0) {
		if (sig)
			BOTH(long);
		else
			BOTH(unsigned long);
	} else if (strcmp(len, "ll") == 0) {
		if (sig)
			BOTH(long long);
		else
			BOTH(unsigned long long);
	} else if (strcmp(len, "z") == 0) {
		if (sig)
			BOTH(ptrdiff_t); /* the signed type of size_t's width on this host */
		else
			BOTH(size_t);
	} else if (strcmp(len, "j") == 0) {
		if (sig)
			BOTH(intmax_t);
		else
			BOTH(uintmax_t);
	} else {
		BOTH(ptrdiff_t);
	}
#undef BOTH
	ck_assert_msg(rs == rg && strcmp(s, g) == 0,
	              "\"%s\" of %lld: shield %d \"%s\", libc %d \"%s\"", fmt, v, rs, s, rg, g);
}

START_TEST(test_integer_matrix)
{
	static const char *const lens[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};
	const char *len = lens[_i];
	char fmt[64];

	for (size_t f = 0; f < sizeof(int_flags) / sizeof(int_flags[0]); f++)
		for (size_t w = 0; w < sizeof(int_widths) / sizeof(int_widths[0]); w++)
			for (size_t p = 0; p < sizeof(int_precs) / sizeof(int_precs[0]); p++)
				for (const char *c = int_convs; *c != '\0'; c++) {
					snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>", int_flags[f],
					         int_widths[w], int_precs[p], len, *c);
					for (size_t v = 0; v < sizeof(sval) / sizeof(sval[0]); v++)
						cmp_int(fmt, len, *c, sval[v]);
				}
}
END_TEST

START_TEST(test_string_char_pointer_matrix)
{
	static const char *const flags[] = {"", "-", "0", "-0", "#", "+", " "};
	static const char *const strs[] = {"", "a", "hello", "a longer string, 30 characters"};
	static void *const ptrs[] = {(void *)1, (void *)0x7f, (void *)0xdeadbeef,
	                             (void *)(uintptr_t)-1};
	char fmt[64];

	for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
		for (size_t w = 0; w < sizeof(int_widths) / sizeof(int_widths[0]); w++) {
			for (size_t p = 0; p < sizeof(int_precs) / sizeof(int_precs[0]); p++) {
				snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", flags[f], int_widths[w],
				         int_precs[p]);
				for (size_t s = 0; s < sizeof(strs) / sizeof(strs[0]); s++)
					CMP(fmt, strs[s]);
				snprintf(fmt, sizeof(fmt), "<%%%s%s%sp>", flags[f], int_widths[w],
				         int_precs[p]);
				for (size_t s = 0; s < sizeof(ptrs) / sizeof(ptrs[0]); s++)
					CMP(fmt, ptrs[s]);
			}
			snprintf(fmt, sizeof(fmt), "<%%%s%sc>", flags[f], int_widths[w]);
			CMP(fmt, 'x');
			CMP(fmt, 0xff);
		}
}
END_TEST

/* C11: at most len - 1 bytes and a NUL; the return value is the untruncated length. */
START_TEST(test_snprintf_truncation)
{
	char buf[16], big[600], ref[600];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(shield_snprintf(buf, 5, "%s", "abcdefgh"), 8);
	ck_assert_str_eq(buf, "abcd");
	ck_assert_int_eq(buf[5], 'Z'); /* nothing written past len */

	ck_assert_int_eq(shield_snprintf(buf, 1, "%d", 12345), 5);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(shield_snprintf(NULL, 0, "%d-%s", 12345, "xyz"), 9);
	buf[0] = 'Q';
	ck_assert_int_eq(shield_snprintf(buf, 0, "abc"), 3);
	ck_assert_int_eq(buf[0], 'Q');

	/* Not limited by the 128-byte printf cap (7.6, 7.7). */
	memset(ref, 'x', 500);
	ref[500] = '\0';
	ck_assert_int_eq(shield_snprintf(big, sizeof(big), "<%s>", ref), 502);
	ck_assert_int_eq(strlen(big), 502);
	ck_assert_int_eq(big[0], '<');
	ck_assert_int_eq(big[501], '>');
	ck_assert_int_eq(shield_snprintf(big, sizeof(big), "%300d|%-200s|", 7, "a"), 502);
	snprintf(ref, sizeof(ref), "%300d|%-200s|", 7, "a");
	ck_assert_str_eq(big, ref);
	ck_assert_int_eq(shield_snprintf(big, 200, "%300d|", 7), 301);
	ck_assert_int_eq(strlen(big), 199);

	/* Every truncation length against the C library. */
	for (size_t len = 0; len < 40; len++) {
		char s[40], g[40];
		int rs, rg;

		memset(s, '#', sizeof(s));
		memset(g, '#', sizeof(g));
		rs = shield_snprintf(s, len, "%-8s|%+05d|%#x|%c", "ab", 42, 255u, 'z');
		rg = snprintf(g, len, "%-8s|%+05d|%#x|%c", "ab", 42, 255u, 'z');
		ck_assert_int_eq(rs, rg);
		ck_assert_mem_eq(s, g, sizeof(s));
	}
}
END_TEST

static const char *const unsupported[] = {
    "%f",
    "%F",
    "%e",
    "%E",
    "%g",
    "%G",
    "%a",
    "%A",
    "%n",
    "%Lf",
    "%lc",
    "%ls",
    "%1$d",
    "%*1$d",
    "%.*1$d",
    "%5%",
    "%-%",
    "%",
    "abc%",
    "%hs",
    "%lp",
    "%llc",
    "%y",
    "%C",
    "%S",
    "%m",
    "%qd",
    "%Ld",
    "%I32d",
    "%'d",
    "%hhp",
    "%zc",
    "%.5%",
    "%l",
    "%hh",
    "%2147483648d",
    "%.2147483648d",
};

START_TEST(test_unsupported)
{
	const char *fmt = unsupported[_i];
	char buf[32];
	int dummy = 0;

	memset(buf, 'Z', sizeof(buf));
	shield_errno = 0;
	ck_assert_int_eq(shield_snprintf(buf, sizeof(buf), fmt, 1, 2, &dummy), -1);
	ck_assert_int_eq(shield_errno, strstr(fmt, "2147483648") ? EOVERFLOW : EINVAL);
	ck_assert_int_eq(buf[0], '\0'); /* the failure leaves an empty string */
	ck_assert_int_eq(buf[1], 'Z');  /* and nothing else */
	ck_assert_int_eq(dummy, 0);     /* %n never stores */

	/* printf: nothing output, no system call at all. */
	shield_errno = 0;
	ck_assert_int_eq(shield_printf(fmt, 1, 2, &dummy), -1);
	ck_assert_int_eq(shield_errno, strstr(fmt, "2147483648") ? EOVERFLOW : EINVAL);
	ck_assert_uint_eq(fake.ncalls, 0);

	/* An unsupported conversion after valid ones still outputs nothing. */
	char mixed[64];

	snprintf(mixed, sizeof(mixed), "ok %%d then %s", fmt);
	ck_assert_int_eq(shield_printf(mixed, 5, 1, 2, &dummy), -1);
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

START_TEST(test_null_format)
{
	char buf[8] = "xyz";

	shield_errno = 0;
	ck_assert_int_eq(shield_snprintf(buf, sizeof(buf), NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL); /* upstream left errno alone (7.8) */
	ck_assert_int_eq(buf[0], '\0');
	shield_errno = 0;
	ck_assert_int_eq(shield_printf(NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_uint_eq(fake.ncalls, 0);
	shield_errno = 0;
	ck_assert_int_eq(shield_snprintf(NULL, 4, "abc"), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
}
END_TEST

static int call_vsnprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = shield_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return r;
}

static int call_vprintf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = shield_vprintf(fmt, ap);
	va_end(ap);
	return r;
}

START_TEST(test_vsnprintf)
{
	char buf[32];

	ck_assert_int_eq(call_vsnprintf(buf, sizeof(buf), "%s=%05d", "v", -12), 7);
	ck_assert_str_eq(buf, "v=-0012");
	ck_assert_int_eq(call_vsnprintf(buf, 4, "%s=%05d", "v", -12), 7);
	ck_assert_str_eq(buf, "v=-");
}
END_TEST

/* The one log call of a successful printf: index of copy_to_kernel then __sys_log. */
static void assert_one_log(size_t n)
{
	ck_assert_uint_eq(fake.ncalls, 2);
	ck_assert_int_eq(fake.calls[0].call, FAKE_COPY_TO);
	ck_assert_uint_eq(fake.calls[0].a0, n);
	ck_assert_int_eq(fake.calls[1].call, FAKE_LOG);
	ck_assert_uint_eq(fake.calls[1].a0, n);
}

START_TEST(test_printf_one_log)
{
	shield_errno = 77;
	ck_assert_int_eq(shield_printf("hello %s %d\n", "world", 42), 15);
	assert_one_log(15);
	ck_assert_uint_eq(fake.outlen, 15);
	ck_assert_mem_eq(fake.out, "hello world 42\n", 15);
	ck_assert_mem_eq(fake.exch, "hello world 42\n", 15); /* R3: the area is overwritten */
	ck_assert_int_eq(shield_errno, 77);                  /* success leaves errno alone */
}
END_TEST

START_TEST(test_printf_empty_output)
{
	ck_assert_int_eq(shield_printf("%s", ""), 0);
	assert_one_log(0);
	fake_reset();
	ck_assert_int_eq(call_vprintf(""), 0);
	assert_one_log(0);
}
END_TEST

START_TEST(test_printf_nul_byte)
{
	ck_assert_int_eq(shield_printf("a%cb", 0), 3);
	assert_one_log(3);
	ck_assert_mem_eq(fake.out, "a\0b", 3);
}
END_TEST

/* Output beyond SENTRY_SVCEXCHANGE_LEN is cut; the return value is what was logged (7.1). */
START_TEST(test_printf_cap)
{
	char ref[SENTRY_SVCEXCHANGE_LEN + 100];
	int r;

	r = shield_printf("%0*d", SENTRY_SVCEXCHANGE_LEN + 50, 5);
	ck_assert_int_eq(r, SENTRY_SVCEXCHANGE_LEN);
	assert_one_log(SENTRY_SVCEXCHANGE_LEN);
	snprintf(ref, sizeof(ref), "%0*d", SENTRY_SVCEXCHANGE_LEN + 50, 5);
	ck_assert_mem_eq(fake.out, ref, SENTRY_SVCEXCHANGE_LEN);

	fake_reset();
	r = shield_printf("%*s", SENTRY_SVCEXCHANGE_LEN, "x");
	ck_assert_int_eq(r, SENTRY_SVCEXCHANGE_LEN);
	assert_one_log(SENTRY_SVCEXCHANGE_LEN);
	ck_assert_int_eq(fake.out[SENTRY_SVCEXCHANGE_LEN - 1], 'x');

	fake_reset();
	r = shield_printf("%*s", SENTRY_SVCEXCHANGE_LEN - 1, "y");
	ck_assert_int_eq(r, SENTRY_SVCEXCHANGE_LEN - 1);
	assert_one_log(SENTRY_SVCEXCHANGE_LEN - 1);

	/* A huge field is still one call, cut at the cap. */
	fake_reset();
	r = shield_printf("%100000d", 1);
	ck_assert_int_eq(r, SENTRY_SVCEXCHANGE_LEN);
	assert_one_log(SENTRY_SVCEXCHANGE_LEN);
}
END_TEST

START_TEST(test_printf_log_refused)
{
	fake.log_status = STATUS_DENIED;
	shield_errno = 0;
	ck_assert_int_eq(shield_printf("abc"), -1);
	ck_assert_int_eq(shield_errno, EIO);
	ck_assert_uint_eq(fake_count(FAKE_LOG), 1);
}
END_TEST

START_TEST(test_puts_putchar)
{
	char line[SENTRY_SVCEXCHANGE_LEN + 10];

	ck_assert_int_eq(shield_puts("text"), 5);
	assert_one_log(5);
	ck_assert_mem_eq(fake.out, "text\n", 5);

	fake_reset();
	ck_assert_int_eq(shield_puts(""), 1);
	assert_one_log(1);
	ck_assert_int_eq(fake.out[0], '\n');

	/* Exactly at the cap with the newline, then beyond: cut, one call each. */
	fake_reset();
	memset(line, 'l', sizeof(line));
	line[SENTRY_SVCEXCHANGE_LEN - 1] = '\0';
	ck_assert_int_eq(shield_puts(line), SENTRY_SVCEXCHANGE_LEN);
	assert_one_log(SENTRY_SVCEXCHANGE_LEN);
	ck_assert_int_eq(fake.out[SENTRY_SVCEXCHANGE_LEN - 1], '\n');
	fake_reset();
	line[SENTRY_SVCEXCHANGE_LEN - 1] = 'l';
	line[SENTRY_SVCEXCHANGE_LEN + 5] = '\0';
	ck_assert_int_eq(shield_puts(line), SENTRY_SVCEXCHANGE_LEN);
	assert_one_log(SENTRY_SVCEXCHANGE_LEN);
	ck_assert_int_eq(fake.out[SENTRY_SVCEXCHANGE_LEN - 1], 'l');

	fake_reset();
	ck_assert_int_eq(shield_putchar('A'), 'A');
	assert_one_log(1);
	ck_assert_int_eq(fake.out[0], 'A');
	fake_reset();
	ck_assert_int_eq(shield_putchar(0x1ff), 0xff);
	ck_assert_int_eq((unsigned char)fake.out[0], 0xff);
	fake_reset();
	ck_assert_int_eq(shield_putchar(0), 0);
	assert_one_log(1);

	fake_reset();
	shield_errno = 0;
	ck_assert_int_eq(shield_puts(NULL), SHIELD_EOF);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_uint_eq(fake.ncalls, 0);

	fake.log_status = STATUS_INVALID;
	ck_assert_int_eq(shield_putchar('x'), SHIELD_EOF);
	ck_assert_int_eq(shield_puts("x"), SHIELD_EOF);
	ck_assert_int_eq(shield_errno, EIO);
}
END_TEST

static Suite *printf_suite(void)
{
	Suite *s = suite_create("shield_printf");
	TCase *fmt = tcase_create("format");
	TCase *out = tcase_create("printf");

	tcase_add_checked_fixture(fmt, setup, NULL);
	tcase_add_test(fmt, test_fixed_cases);
	tcase_add_test(fmt, test_null_and_pointer);
	tcase_add_loop_test(fmt, test_integer_matrix, 0, 8);
	tcase_add_test(fmt, test_string_char_pointer_matrix);
	tcase_add_test(fmt, test_snprintf_truncation);
	tcase_add_loop_test(fmt, test_unsupported, 0,
	                    (int)(sizeof(unsupported) / sizeof(unsupported[0])));
	tcase_add_test(fmt, test_null_format);
	tcase_add_test(fmt, test_vsnprintf);
	suite_add_tcase(s, fmt);

	tcase_add_checked_fixture(out, setup, NULL);
	tcase_add_test(out, test_printf_one_log);
	tcase_add_test(out, test_printf_empty_output);
	tcase_add_test(out, test_printf_nul_byte);
	tcase_add_test(out, test_printf_cap);
	tcase_add_test(out, test_printf_log_refused);
	tcase_add_test(out, test_puts_putchar);
	suite_add_tcase(s, out);
	return s;
}

int main(void)
{
	return check_run_tap(printf_suite());
}
