/*
 * check_tbuf.c: the trace writers' output buffer (sim/trace/tbuf.c): its hand-made integer,
 * time and hexadecimal formats against printf's on every edge (each power of ten and its
 * neighbours, the largest values) and many pseudo-random values; JSON strings byte by byte;
 * blocks larger than the buffer, and a file that gets every byte in order.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/trace/tbuf.h"
#include "tests/unit/check_tap.h"

/* A pseudo-random value of 1 to 64 significant bits (xorshift, fixed seed). */
static uint64_t next_value(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x >> (x % 64);
}

static void check_u64(uint64_t v)
{
	char want[32], got[TB_U64_MAX + 1];
	snprintf(want, sizeof(want), "%" PRIu64, v);
	char *end = w_u64(got, v);
	*end = '\0';
	ck_assert_str_eq(got, want);
	ck_assert_uint_eq(tb_digits(v), strlen(want));
}

static void check_us(uint64_t ns)
{
	char want[40], got[TB_US_MAX + 1];
	snprintf(want, sizeof(want), "%" PRIu64 ".%03u", ns / 1000, (unsigned)(ns % 1000));
	*w_us(got, ns) = '\0';
	ck_assert_str_eq(got, want);
}

START_TEST(test_integers)
{
	for (uint64_t v = 0; v < 100000; v++)
		check_u64(v);
	uint64_t p = 1;
	for (int i = 0; i < 20; i++, p *= 10) {
		check_u64(p - 1);
		check_u64(p);
		check_u64(p + 1);
	}
	check_u64(UINT64_MAX);
	check_u64(UINT64_MAX - 1);
	check_u64((uint64_t)1 << 63);
	uint64_t state = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < 200000; i++)
		check_u64(next_value(&state));
}
END_TEST

START_TEST(test_times)
{
	for (uint64_t ns = 0; ns < 3000; ns++)
		check_us(ns);
	check_us(UINT64_MAX);
	check_us(86400ull * 1000000000ull); /* a day of virtual time */
	uint64_t state = 12345;
	for (int i = 0; i < 100000; i++)
		check_us(next_value(&state));
}
END_TEST

START_TEST(test_hex)
{
	char want[16], got[9];
	uint32_t edges[] = {0,     1,          0xf,        0x10,       0xff,
	                    0x100, 0xdeadbeef, 0x7fffffff, 0x80000000, UINT32_MAX};
	for (size_t i = 0; i < G_N_ELEMENTS(edges); i++) {
		snprintf(want, sizeof(want), "%08" PRIx32, edges[i]);
		*w_hex8(got, edges[i]) = '\0';
		ck_assert_str_eq(got, want);
	}
	uint64_t state = 777;
	for (int i = 0; i < 100000; i++) {
		uint32_t v = (uint32_t)next_value(&state);
		snprintf(want, sizeof(want), "%08" PRIx32, v);
		*w_hex8(got, v) = '\0';
		ck_assert_str_eq(got, want);
	}
}
END_TEST

/* |s| through tb_json() into a buffer in front of a memory stream: the bytes written. */
static char *json_of(const char *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	TraceBuf b;
	tbuf_init(&b, f);
	tb_json(&b, s);
	tbuf_flush(&b);
	tbuf_clear(&b);
	fclose(f);
	return text;
}

START_TEST(test_json)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"", "\"\""},
	    {"send_ipc", "\"send_ipc\""},
	    {"say \"hi\"", "\"say \\\"hi\\\"\""},
	    {"a\\b", "\"a\\\\b\""},
	    {"line\n", "\"line\\u000a\""},
	    {"\t\x01\x1f", "\"\\u0009\\u0001\\u001f\""},
	    {" ~\x7f", "\" ~\\u007f\""},
	    {"caf\xc3\xa9", "\"caf\\u00c3\\u00a9\""}, /* every byte, not UTF-8 sequences */
	    {"\xff", "\"\\u00ff\""},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = json_of(cases[i].in);
		ck_assert_str_eq(got, cases[i].out);
	}
	/* every byte value once */
	char all[256];
	for (int c = 1; c < 256; c++)
		all[c - 1] = (char)c;
	all[255] = '\0';
	g_autofree char *got = json_of(all);
	GString *want = g_string_new("\"");
	for (int c = 1; c < 256; c++) {
		if (c == '"' || c == '\\')
			g_string_append_printf(want, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			g_string_append_printf(want, "\\u%04x", c);
		else
			g_string_append_c(want, (char)c);
	}
	g_string_append_c(want, '"');
	ck_assert_str_eq(got, want->str);
	g_string_free(want, TRUE);
}
END_TEST

/* More than the buffer holds, in small appends and in one string larger than the buffer:
 * the file gets every byte, in order. */
START_TEST(test_blocks)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fputs("head:", f); /* written before: comes first */
	TraceBuf b;
	tbuf_init(&b, f);
	GString *want = g_string_new("head:");
	for (uint64_t i = 0; i < 300000; i++) {
		tb_u64(&b, i);
		tb_c(&b, ',');
		g_string_append_printf(want, "%" PRIu64 ",", i);
	}
	size_t big = 3u << 20;
	char *huge = g_malloc(big + 1);
	memset(huge, 'x', big);
	huge[big] = '\0';
	tb_json(&b, huge);
	g_string_append_c(want, '"');
	g_string_append(want, huge);
	g_string_append_c(want, '"');
	tb_lit(&b, "end");
	g_string_append(want, "end");
	tbuf_flush(&b);
	tbuf_clear(&b);
	fclose(f);
	ck_assert_uint_eq(len, want->len);
	ck_assert(memcmp(text, want->str, len) == 0);
	g_free(huge);
	g_string_free(want, TRUE);
	free(text);
}
END_TEST

static Suite *tbuf_suite(void)
{
	Suite *s = suite_create("tbuf");
	TCase *tc = tcase_create("formats");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_integers);
	tcase_add_test(tc, test_times);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_blocks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(tbuf_suite());
}
