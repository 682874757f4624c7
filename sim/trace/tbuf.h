/*
 * tbuf.h: the output buffer of the trace writers (chrome.c, vcd.c): bytes appended by hand
 * (literals, decimal and hexadecimal integers, virtual time in µs, JSON strings) into one
 * large block that goes to the file only when it is full. A trace runs to tens of MiB and
 * one event is written per system call or more, while a task waits for its answer: each
 * event must cost tens of nanoseconds, not the microsecond that printf and a stdio call per
 * event cost. The struct is open so that the appends inline; only tbuf_* touch it.
 *
 * Lifecycle: tbuf_init(b, file) -> tb_*() appends, as many as wanted -> tbuf_flush() (the
 * caller checks ferror() on the file) -> tbuf_clear().
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

/* A buffer of TBUF_SIZE bytes in front of |f| (which stays the caller's). */
void tbuf_init(TraceBuf *b, FILE *f);
/* Write what is buffered to the file (errors show in ferror() on it). */
void tbuf_flush(TraceBuf *b);
/* Free the buffer, without writing it. */
void tbuf_clear(TraceBuf *b);
/* Flush, and grow if |n| bytes could not fit even then. Only the appends below call it. */
void tbuf_make_room(TraceBuf *b, size_t n);

static inline char *tb_room(TraceBuf *b, size_t n)
{
	if (G_UNLIKELY(b->len + n > b->cap))
		tbuf_make_room(b, n);
	return b->buf + b->len;
}

static inline void tb_mem(TraceBuf *b, const char *s, size_t n)
{
	memcpy(tb_room(b, n), s, n);
	b->len += n;
}

/* A string literal (its length known at compile time). */
#define tb_lit(b, s) tb_mem((b), "" s, sizeof(s) - 1)

static inline void tb_c(TraceBuf *b, char c)
{
	*tb_room(b, 1) = c;
	b->len++;
}

/* |v| in decimal. */
static inline void tb_u64(TraceBuf *b, uint64_t v)
{
	char tmp[20];
	unsigned n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	char *p = tb_room(b, n);
	for (unsigned i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	b->len += n;
}

/* |v| as 8 lowercase hexadecimal digits ("%08x"). */
static inline void tb_hex8(TraceBuf *b, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	char *p = tb_room(b, 8);
	for (int i = 7; i >= 0; i--, v >>= 4)
		p[i] = digits[v & 0xf];
	b->len += 8;
}

/* |ns| nanoseconds as microseconds with three decimals ("%llu.%03u"). */
static inline void tb_us(TraceBuf *b, uint64_t ns)
{
	tb_u64(b, ns / 1000);
	unsigned frac = (unsigned)(ns % 1000);
	char *p = tb_room(b, 4);
	p[0] = '.';
	p[1] = (char)('0' + frac / 100);
	p[2] = (char)('0' + frac / 10 % 10);
	p[3] = (char)('0' + frac % 10);
	b->len += 4;
}

/* |s| as a JSON string, quoted: '"' and '\\' escaped, and every byte outside printable
 * ASCII as \u00XX, so the file is valid JSON whatever a task wrote. */
void tb_json(TraceBuf *b, const char *s);

#endif
