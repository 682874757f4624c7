/*
 * tbuf.c: the trace writers' output buffer (see tbuf.h): flushing, growing, JSON strings.
 */
#include "config.h"

#include "sim/trace/tbuf.h"

#define TBUF_SIZE (1u << 20)

void tbuf_init(TraceBuf *b, FILE *f)
{
	b->f = f;
	b->cap = TBUF_SIZE;
	b->buf = g_malloc(b->cap);
	b->len = 0;
	/* the buffer is ours: stdio's would only copy every block once more */
	setvbuf(f, NULL, _IONBF, 0);
}

void tbuf_flush(TraceBuf *b)
{
	if (b->len && b->f)
		fwrite(b->buf, 1, b->len, b->f);
	b->len = 0;
}

void tbuf_clear(TraceBuf *b)
{
	g_free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

void tbuf_make_room(TraceBuf *b, size_t n)
{
	tbuf_flush(b);
	if (n > b->cap) {
		b->cap = n;
		b->buf = g_realloc(b->buf, b->cap);
	}
}

/* Printable ASCII but '"' and '\\': copied as it is. */
static inline gboolean plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void tb_json(TraceBuf *b, const char *s)
{
	static const char digits[] = "0123456789abcdef";
	tb_c(b, '"');
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		const unsigned char *run = p;
		while (plain(*p))
			p++;
		if (p > run)
			tb_mem(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		char *o = tb_room(b, 6);
		if (*p == '"' || *p == '\\') {
			o[0] = '\\';
			o[1] = (char)*p;
			b->len += 2;
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = digits[*p >> 4];
			o[5] = digits[*p & 0xf];
			b->len += 6;
		}
		p++;
	}
	tb_c(b, '"');
}
