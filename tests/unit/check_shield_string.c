/*
 * check_shield_string.c: shield's string, memory, ctype and byte-order functions against
 * the host C library, plus the behaviours shield defines itself: overlap-safe memcpy and
 * strcpy, NULL tolerance, errno untouched, strerror texts (shield.md 4.2, 4.10, 9.1, 9.6,
 * 7.9, 7.10).
 */
#include <arpa/inet.h>
#include <check.h>

#include "tests/unit/check_tap.h"
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shield/arpa/inet.h>
#include <shield/ctype.h>
#include <shield/errno.h>
#include <shield/string.h>

/* Interesting strings: empty, short, with high bytes, prefixes of each other. */
static const char *const strs[] = {
    "",
    "a",
    "b",
    "ab",
    "abc",
    "abd",
    "abcd",
    "hello world",
    "hello",
    "\x80",
    "\xff",
    "a\xff",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "xyzzy",
    " \t\n",
    "mississippi",
    "issi",
    "ss",
    "ppi",
    "i",
};
#define NSTRS (sizeof(strs) / sizeof(strs[0]))

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

START_TEST(test_strlen_strnlen)
{
	for (size_t i = 0; i < NSTRS; i++) {
		ck_assert_uint_eq(shield_strlen(strs[i]), strlen(strs[i]));
		for (size_t n = 0; n < 50; n++)
			ck_assert_uint_eq(shield_strnlen(strs[i], n), strnlen(strs[i], n));
	}
	/* Upstream's NULL tolerance. */
	ck_assert_uint_eq(shield_strlen(NULL), 0);
	ck_assert_uint_eq(shield_strnlen(NULL, 10), 0);
	/* strnlen never reads past maxlen: no NUL in the buffer at all. */
	char raw[4] = {'a', 'b', 'c', 'd'};

	ck_assert_uint_eq(shield_strnlen(raw, sizeof(raw)), 4);
	ck_assert_uint_eq(shield_strnlen(raw, 2), 2);
}
END_TEST

START_TEST(test_compare)
{
	for (size_t i = 0; i < NSTRS; i++)
		for (size_t j = 0; j < NSTRS; j++) {
			const char *a = strs[i], *b = strs[j];

			ck_assert_int_eq(sign(shield_strcmp(a, b)), sign(strcmp(a, b)));
			for (size_t n = 0; n < 8; n++) {
				size_t m = n < strlen(a) + 1 && n < strlen(b) + 1 ? n : 0;

				ck_assert_int_eq(sign(shield_strncmp(a, b, n)),
				                 sign(strncmp(a, b, n)));
				ck_assert_int_eq(sign(shield_memcmp(a, b, m)),
				                 sign(memcmp(a, b, m)));
			}
		}
	/* Compared as unsigned char. */
	ck_assert_int_gt(shield_strcmp("\xff", "a"), 0);
	ck_assert_int_gt(shield_memcmp("\x80", "\x7f", 1), 0);
	/* NULL: two are equal, NULL sorts before any string. */
	ck_assert_int_eq(shield_strcmp(NULL, NULL), 0);
	ck_assert_int_lt(shield_strcmp(NULL, ""), 0);
	ck_assert_int_gt(shield_strcmp("", NULL), 0);
}
END_TEST

START_TEST(test_search)
{
	for (size_t i = 0; i < NSTRS; i++) {
		const char *s = strs[i];

		for (int c = 0; c < 256; c += (c < 130 ? 1 : 61)) {
			ck_assert_ptr_eq(shield_strchr(s, c), strchr(s, c));
			ck_assert_ptr_eq(shield_strrchr(s, c), strrchr(s, c));
			ck_assert_ptr_eq(shield_memchr(s, c, strlen(s)), memchr(s, c, strlen(s)));
		}
		/* c is converted to char: 256 + 'a' finds 'a'. */
		ck_assert_ptr_eq(shield_strchr(s, 256 + 'a'), strchr(s, 'a'));
		for (size_t j = 0; j < NSTRS; j++) {
			ck_assert_ptr_eq(shield_strstr(s, strs[j]), strstr(s, strs[j]));
			ck_assert_uint_eq(shield_strspn(s, strs[j]), strspn(s, strs[j]));
			ck_assert_uint_eq(shield_strcspn(s, strs[j]), strcspn(s, strs[j]));
		}
	}
	/* strchr of 0 finds the terminator. */
	const char *h = "hello";

	ck_assert_ptr_eq(shield_strchr(h, 0), h + 5);
	ck_assert_ptr_eq(shield_strrchr(h, 0), h + 5);
	ck_assert_ptr_eq(shield_strstr(h, ""), h);
	ck_assert_ptr_null(shield_memchr(h, 'o', 4));
}
END_TEST

START_TEST(test_copy_and_fill)
{
	char a[64], b[64];

	for (size_t i = 0; i < NSTRS; i++) {
		memset(a, 'Z', sizeof(a));
		memset(b, 'Z', sizeof(b));
		ck_assert_ptr_eq(shield_strcpy(a, strs[i]), a);
		strcpy(b, strs[i]);
		ck_assert_mem_eq(a, b, sizeof(a));
		for (size_t n = 0; n < 20; n++) {
			memset(a, 'Z', sizeof(a));
			memset(b, 'Z', sizeof(b));
			ck_assert_ptr_eq(shield_strncpy(a, strs[i], n), a);
			strncpy(b, strs[i], n);
			ck_assert_mem_eq(a, b, sizeof(a));

			strcpy(a, "pre");
			strcpy(b, "pre");
			ck_assert_ptr_eq(shield_strncat(a, strs[i], n), a);
			strncat(b, strs[i], n);
			ck_assert_mem_eq(a, b, sizeof(a));
		}
		strcpy(a, "pre");
		strcpy(b, "pre");
		ck_assert_ptr_eq(shield_strcat(a, strs[i]), a);
		strcat(b, strs[i]);
		ck_assert_mem_eq(a, b, sizeof(a));
	}

	/* strncpy: pads with NULs, and no terminator when src has n bytes or more. */
	memset(a, 'Z', sizeof(a));
	shield_strncpy(a, "ab", 5);
	ck_assert_mem_eq(a, "ab\0\0\0Z", 6);
	memset(a, 'Z', sizeof(a));
	shield_strncpy(a, "abcdef", 3);
	ck_assert_mem_eq(a, "abcZ", 4);

	/* memset is implemented (7.9), with (unsigned char)c. */
	memset(a, 0, sizeof(a));
	ck_assert_ptr_eq(shield_memset(a + 1, 0x1AB, 10), a + 1);
	ck_assert_int_eq(a[0], 0);
	for (int i = 1; i <= 10; i++)
		ck_assert_int_eq((unsigned char)a[i], 0xAB);
	ck_assert_int_eq(a[11], 0);
	ck_assert_ptr_eq(shield_memset(a, 'q', 0), a);
	ck_assert_int_eq(a[0], 0);
}
END_TEST

/* Overlapping copies are correct in both directions, as memmove (shield.md 8, 7.10). */
START_TEST(test_overlap)
{
	char ref[64], buf[64];

	for (size_t len = 0; len < 20; len++)
		for (size_t src = 0; src < 20; src++)
			for (size_t dst = 0; dst < 20; dst++) {
				for (size_t k = 0; k < sizeof(buf); k++)
					ref[k] = buf[k] = (char)('A' + k % 26);
				memmove(ref + dst, ref + src, len);
				errno = 0;
				shield_errno = 0;
				ck_assert_ptr_eq(shield_memcpy(buf + dst, buf + src, len),
				                 buf + dst);
				ck_assert_mem_eq(buf, ref, sizeof(buf));
				ck_assert_int_eq(shield_errno, 0); /* never sets errno */

				for (size_t k = 0; k < sizeof(buf); k++)
					ref[k] = buf[k] = (char)('A' + k % 26);
				memmove(ref + dst, ref + src, len);
				shield_memmove(buf + dst, buf + src, len);
				ck_assert_mem_eq(buf, ref, sizeof(buf));
			}

	/* strcpy with overlap: the string moves intact, in both directions. */
	strcpy(buf, "0123456789");
	ck_assert_ptr_eq(shield_strcpy(buf + 3, buf), buf + 3);
	ck_assert_str_eq(buf, "0120123456789");
	strcpy(buf, "0123456789");
	shield_strcpy(buf, buf + 4);
	ck_assert_str_eq(buf, "456789");
	ck_assert_int_eq(shield_errno, 0);
	/* memcpy with NULL and n == 0 is a no-op that leaves errno alone (7.10). */
	ck_assert_ptr_null(shield_memcpy(NULL, NULL, 0));
	ck_assert_int_eq(shield_errno, 0);
}
END_TEST

START_TEST(test_ctype)
{
	for (int c = -1; c < 256; c++) {
		ck_assert_int_eq(!!shield_isspace(c), !!isspace(c));
		ck_assert_int_eq(!!shield_isdigit(c), !!isdigit(c));
		ck_assert_int_eq(!!shield_isxdigit(c), !!isxdigit(c));
		ck_assert_int_eq(!!shield_isalpha(c), !!isalpha(c));
		ck_assert_int_eq(!!shield_isalnum(c), !!isalnum(c));
		ck_assert_int_eq(!!shield_isupper(c), !!isupper(c));
		ck_assert_int_eq(!!shield_islower(c), !!islower(c));
		ck_assert_int_eq(!!shield_isprint(c), !!isprint(c));
		ck_assert_int_eq(shield_toupper(c), toupper(c));
		ck_assert_int_eq(shield_tolower(c), tolower(c));
	}
}
END_TEST

START_TEST(test_byte_order)
{
	static const uint32_t v32[] = {0, 1, 0x12345678, 0xff000000, UINT32_MAX};
	static const uint16_t v16[] = {0, 1, 0x1234, 0xff00, UINT16_MAX};

	for (size_t i = 0; i < 5; i++) {
		ck_assert_uint_eq(shield_htonl(v32[i]), htonl(v32[i]));
		ck_assert_uint_eq(shield_ntohl(v32[i]), ntohl(v32[i]));
		ck_assert_uint_eq(shield_htons(v16[i]), htons(v16[i]));
		ck_assert_uint_eq(shield_ntohs(v16[i]), ntohs(v16[i]));
	}
	/* Big-endian bytes in memory, whatever the host order. */
	uint32_t be = shield_htonl(0x01020304);

	ck_assert_mem_eq(&be, "\x01\x02\x03\x04", 4);
}
END_TEST

START_TEST(test_strerror)
{
	static const int shield_errnos[] = {
	    EPERM,  ENOENT, ESRCH,  EINTR,  EIO,     ENXIO,   E2BIG,   ENOEXEC, EBADF,     ECHILD,
	    EAGAIN, ENOMEM, EACCES, EFAULT, ENOTBLK, EBUSY,   EEXIST,  EXDEV,   ENODEV,    ENOTDIR,
	    EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY,  ETXTBSY, EFBIG,   ENOSPC,  ESPIPE,    EROFS,
	    EMLINK, EPIPE,  EDOM,   ERANGE, ENOTSUP, ENOMSG,  EDEADLK, ENOSYS,  ETIMEDOUT,
	};

	for (size_t i = 0; i < sizeof(shield_errnos) / sizeof(shield_errnos[0]); i++) {
		int e = shield_errnos[i];

		/* Positive and distinct (shield.md 1.1), worded as the host C library. */
		ck_assert_int_gt(e, 0);
		for (size_t j = 0; j < i; j++)
			ck_assert_int_ne(e, shield_errnos[j]);
		ck_assert_str_eq(shield_strerror(e), strerror(e));
	}
	ck_assert_str_eq(shield_strerror(0), "Unknown error");
	ck_assert_str_eq(shield_strerror(-1), "Unknown error");
	ck_assert_str_eq(shield_strerror(100000), "Unknown error");
	ck_assert_str_eq(shield_strerror(INT32_MIN), "Unknown error");
}
END_TEST

/* errno is a modifiable int lvalue, separate from the host C library's (7.30, 7.31). */
START_TEST(test_errno_lvalue)
{
	int *slot = __shield_errno_location();

	ck_assert_ptr_nonnull(slot);
	ck_assert_ptr_eq(slot, __shield_errno_location());
	shield_errno = 0;
	errno = 5;
	shield_errno = 17;
	ck_assert_int_eq(*slot, 17);
	ck_assert_int_eq(errno, 5);
	shield_errno += 1;
	ck_assert_int_eq(shield_errno, 18);
	_Static_assert(_Generic(shield_errno, int : 1, default : 0), "errno is an int");
	_Static_assert(_Generic(EINVAL, int : 1, default : 0), "E* are int constants");
}
END_TEST

static Suite *string_suite(void)
{
	Suite *s = suite_create("shield_string");
	TCase *tc = tcase_create("string");

	tcase_add_test(tc, test_strlen_strnlen);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_copy_and_fill);
	tcase_add_test(tc, test_overlap);
	tcase_add_test(tc, test_ctype);
	tcase_add_test(tc, test_byte_order);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_errno_lvalue);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(string_suite());
}
