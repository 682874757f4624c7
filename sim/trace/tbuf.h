/*
 * tbuf.h: the output buffer of the trace writers (chrome.c, vcd.c): bytes appended by hand
 * (literals, decimal and hexadecimal integers, virtual time in µs, JSON strings) into one
 * large block that goes to the file only when it is full. A trace runs to tens of MiB and
 * one event is written per system call or more, while a task waits for its answer: each
 * event must cost tens of nanoseconds, not the microsecond that printf and a stdio call per
 * event cost. The struct is open so that the appends inline; only tbuf_* touch it.
 *
 * Lifecycle: tbuf_init(b, file) -> appends, as many as wanted (tb_*(), or tb_room(), w_*()
 * and tb_done()) -> tbuf_flush() (the caller checks ferror() on the file) -> tbuf_clear().
 */
#ifndef SIM_TRACE_TBUF_H
#define SIM_TRACE_TBUF_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	FILE *f;   /* not owned */
	char *buf; /* owned */
	size_t len, cap;
} TraceBuf;

/* A buffer of 1 MiB in front of |f| (which stays the caller's; what was written to it before
 * comes first). */
void tbuf_init(TraceBuf *b, FILE *f);
/* Write what is buffered to the file (errors show in ferror() on it). */
void tbuf_flush(TraceBuf *b);
/* Free the buffer, without writing it. */
void tbuf_clear(TraceBuf *b);
/* Flush, and grow if |n| bytes could not fit even then. Only the appends below call it. */
void tbuf_make_room(TraceBuf *b, size_t n);

/* The write pointer, with room for |n| more bytes; tb_done() with the pointer past what
 * was written. Between the two, the w_*() appends write through a local pointer (the
 * compiler keeps it in a register, which it cannot do with b->len under char stores). */
static inline char *tb_room(TraceBuf *b, size_t n)
{
	if (G_UNLIKELY(b->len + n > b->cap))
		tbuf_make_room(b, n);
	return b->buf + b->len;
}

static inline void tb_done(TraceBuf *b, char *p)
{
	b->len = (size_t)(p - b->buf);
}

/* The most bytes w_u64() and w_us() write. */
#define TB_U64_MAX 20
#define TB_US_MAX  (TB_U64_MAX + 4)

static inline char *w_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* A string literal (its length known at compile time). */
#define w_lit(p, s) w_mem((p), "" s, sizeof(s) - 1)

extern const char tb_digit_pairs[200]; /* "00" "01" ... "99" */
extern const char tb_hex_pairs[512];   /* "00" "01" ... "ff" */
extern const uint64_t tb_pow10[20];    /* 1, 10, ... 10^19 */

/* How many decimal digits |v| has: from its bit length (log10(2) ~ 1233 / 4096), then one
 * comparison. */
static inline unsigned tb_digits(uint64_t v)
{
	unsigned bits = 64u - (unsigned)__builtin_clzll(v | 1);
	unsigned n = (bits * 1233u) >> 12;
	n += v >= tb_pow10[n];
	return n ? n : 1;
}

/* |v| in decimal, written from the last digit, two at a time. */
static inline char *w_u64(char *p, uint64_t v)
{
	unsigned n = tb_digits(v);
	char *e = p + n;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		e -= 2;
		memcpy(e, &tb_digit_pairs[2 * r], 2);
	}
	if (v >= 10)
		memcpy(e - 2, &tb_digit_pairs[2 * v], 2);
	else
		e[-1] = (char)('0' + v);
	return p + n;
}

/* |v| as 8 lowercase hexadecimal digits ("%08x"). */
static inline char *w_hex8(char *p, uint32_t v)
{
	for (int i = 6; i >= 0; i -= 2, v >>= 8)
		memcpy(p + i, &tb_hex_pairs[2 * (v & 0xff)], 2);
	return p + 8;
}

/* |n| bytes as two lowercase hexadecimal digits each ("%02x" a byte). */
static inline char *w_hex_bytes(char *p, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++, p += 2)
		memcpy(p, &tb_hex_pairs[2 * b[i]], 2);
	return p;
}

/* |ns| nanoseconds as microseconds with three decimals ("%llu.%03u"). */
static inline char *w_us(char *p, uint64_t ns)
{
	p = w_u64(p, ns / 1000);
	unsigned frac = (unsigned)(ns % 1000);
	p[0] = '.';
	p[1] = (char)('0' + frac / 100);
	memcpy(p + 2, &tb_digit_pairs[2 * (frac % 100)], 2);
	return p + 4;
}

/* |s| (|len| bytes, no NUL among them) as a JSON string, quoted: '"' and '\\' escaped, and
 * every byte outside printable ASCII as \u00XX, so the file is valid JSON whatever a task
 * wrote. Room needed: TB_JSON_MAX(len). */
char *w_json(char *p, const char *s, size_t len);
#define TB_JSON_MAX(len) (6 * (len) + 2)

/* The same appends on the buffer itself, for what is not written often. */
static inline void tb_mem(TraceBuf *b, const char *s, size_t n)
{
	tb_done(b, w_mem(tb_room(b, n), s, n));
}

#define tb_lit(b, s) tb_mem((b), "" s, sizeof(s) - 1)

static inline void tb_c(TraceBuf *b, char c)
{
	char *p = tb_room(b, 1);
	*p = c;
	tb_done(b, p + 1);
}

static inline void tb_u64(TraceBuf *b, uint64_t v)
{
	tb_done(b, w_u64(tb_room(b, TB_U64_MAX), v));
}

static inline void tb_json(TraceBuf *b, const char *s)
{
	size_t len = strlen(s);
	tb_done(b, w_json(tb_room(b, TB_JSON_MAX(len)), s, len));
}

#endif
