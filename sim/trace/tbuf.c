/*
 * tbuf.c: the trace writers' output buffer (see tbuf.h): flushing, growing, JSON strings.
 */
#include "config.h"

#include "sim/trace/tbuf.h"

#define TBUF_SIZE (1u << 20)

const char tb_digit_pairs[200] = "00010203040506070809"
                                 "10111213141516171819"
                                 "20212223242526272829"
                                 "30313233343536373839"
                                 "40414243444546474849"
                                 "50515253545556575859"
                                 "60616263646566676869"
                                 "70717273747576777879"
                                 "80818283848586878889"
                                 "90919293949596979899";

const char tb_hex_pairs[512] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                               "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
                               "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
                               "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                               "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
                               "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                               "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
                               "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

const uint64_t tb_pow10[20] = {1u,
                               10u,
                               100u,
                               1000u,
                               10000u,
                               100000u,
                               1000000u,
                               10000000u,
                               100000000u,
                               1000000000u,
                               10000000000u,
                               100000000000u,
                               1000000000000u,
                               10000000000000u,
                               100000000000000u,
                               1000000000000000u,
                               10000000000000000u,
                               100000000000000000u,
                               1000000000000000000u,
                               10000000000000000000u};

void tbuf_init(TraceBuf *b, FILE *f)
{
	b->f = f;
	b->cap = TBUF_SIZE;
	b->buf = g_malloc(b->cap);
	b->len = 0;
}

/* One fwrite() per block: stdio passes a block larger than its own buffer straight to
 * write(), after what it holds. */
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

char *w_json(char *p, const char *s, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	*p++ = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (plain(c)) {
			*p++ = (char)c;
		} else if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else {
			p = w_lit(p, "\\u00");
			*p++ = digits[c >> 4];
			*p++ = digits[c & 0xf];
		}
	}
	*p++ = '"';
	return p;
}
