/*
 * format.c: the printf-family formatter and snprintf / vsnprintf (shield.md 4.1).
 *
 * C11 semantics for the supported subset: flags - + space # 0, width and precision (digits
 * or *), length modifiers hh h l ll z j t on integer conversions, conversions d i u o x X
 * c s p and %%. Every other conversion specification is rejected (EINVAL) before a single
 * byte is produced, so a failing call outputs nothing. The formatter itself makes no
 * system call and keeps no state: printf (stdio.c) points it at its own buffer.
 */
#include <shield/errno.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <limits.h>

#include "shield_priv.h"

#ifndef EOVERFLOW
#define EOVERFLOW EINVAL
#endif

enum fmt_flag {
	FMT_MINUS = 1 << 0,
	FMT_PLUS = 1 << 1,
	FMT_SPACE = 1 << 2,
	FMT_HASH = 1 << 3,
	FMT_ZERO = 1 << 4,
};

enum fmt_len {
	FMT_LEN_NONE,
	FMT_LEN_HH,
	FMT_LEN_H,
	FMT_LEN_L,
	FMT_LEN_LL,
	FMT_LEN_Z,
	FMT_LEN_J,
	FMT_LEN_T,
};

/* One parsed conversion specification. */
struct fmt_spec {
	unsigned int flags;
	int width; /* 0 when absent */
	int prec;  /* -1 when absent */
	enum fmt_len len;
	char conv;
};

/* Output sink: stores what fits in |cap|, counts everything. */
struct fmt_out {
	char *buf;
	size_t cap;
	size_t len;
};

static void out_fill(struct fmt_out *o, char c, size_t n)
{
	while (n > 0 && o->len < o->cap) {
		o->buf[o->len++] = c;
		n--;
	}
	o->len += n;
}

static void out_mem(struct fmt_out *o, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && o->len < o->cap)
		o->buf[o->len++] = s[i++];
	o->len += n - i;
}

/* Parse a decimal field (width or precision); EOVERFLOW above INT_MAX. */
static int parse_num(const char **pp, int *out)
{
	const char *p = *pp;
	long v = 0;

	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return EOVERFLOW;
		p++;
	}
	*pp = p;
	*out = (int)v;
	return 0;
}

/*
 * Parse the specification after a '%' at *pp and leave *pp after it. |ap| is NULL in the
 * validation pass, where '*' arguments are not fetched. Returns 0, EINVAL or EOVERFLOW.
 */
static int parse_spec(const char **pp, struct fmt_spec *s, va_list *ap)
{
	const char *p = *pp;
	int err;

	*s = (struct fmt_spec){.prec = -1};
	for (;; p++) {
		if (*p == '-')
			s->flags |= FMT_MINUS;
		else if (*p == '+')
			s->flags |= FMT_PLUS;
		else if (*p == ' ')
			s->flags |= FMT_SPACE;
		else if (*p == '#')
			s->flags |= FMT_HASH;
		else if (*p == '0')
			s->flags |= FMT_ZERO;
		else
			break;
	}

	if (*p == '*') {
		p++;
		if (*p >= '0' && *p <= '9')
			return EINVAL; /* positional *m$ */
		if (ap != NULL) {
			int w = va_arg(*ap, int);

			if (w < 0) {
				if (w == INT_MIN)
					return EOVERFLOW;
				s->flags |= FMT_MINUS;
				w = -w;
			}
			s->width = w;
		}
	} else if (*p >= '0' && *p <= '9') {
		err = parse_num(&p, &s->width);
		if (err != 0)
			return err;
		if (*p == '$')
			return EINVAL; /* positional n$ */
	}

	if (*p == '.') {
		p++;
		if (*p == '*') {
			p++;
			if (*p >= '0' && *p <= '9')
				return EINVAL;
			s->prec = 0;
			if (ap != NULL) {
				int pr = va_arg(*ap, int);

				s->prec = pr < 0 ? -1 : pr;
			}
		} else {
			err = parse_num(&p, &s->prec);
			if (err != 0)
				return err;
		}
	}

	switch (*p) {
	case 'h':
		p++;
		s->len = FMT_LEN_H;
		if (*p == 'h') {
			p++;
			s->len = FMT_LEN_HH;
		}
		break;
	case 'l':
		p++;
		s->len = FMT_LEN_L;
		if (*p == 'l') {
			p++;
			s->len = FMT_LEN_LL;
		}
		break;
	case 'z':
		p++;
		s->len = FMT_LEN_Z;
		break;
	case 'j':
		p++;
		s->len = FMT_LEN_J;
		break;
	case 't':
		p++;
		s->len = FMT_LEN_T;
		break;
	default:
		break;
	}

	s->conv = *p;
	switch (s->conv) {
	case 'd':
	case 'i':
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		break;
	case 'c':
	case 's':
	case 'p':
		/* lc and ls are wide conversions; other modifiers have no meaning here. */
		if (s->len != FMT_LEN_NONE)
			return EINVAL;
		break;
	case '%':
		/* The complete specification must be "%%". */
		if (p != *pp)
			return EINVAL;
		break;
	default:
		/* f F e E g G a A n L and anything unknown, including a final '%'. */
		return EINVAL;
	}
	*pp = p + 1;
	return 0;
}

static uintmax_t fetch_unsigned(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case FMT_LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case FMT_LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case FMT_LEN_L:
		return va_arg(*ap, unsigned long);
	case FMT_LEN_LL:
		return va_arg(*ap, unsigned long long);
	case FMT_LEN_Z:
		return va_arg(*ap, size_t);
	case FMT_LEN_J:
		return va_arg(*ap, uintmax_t);
	case FMT_LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	case FMT_LEN_NONE:
	default:
		return va_arg(*ap, unsigned int);
	}
}

static intmax_t fetch_signed(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case FMT_LEN_HH:
		return (signed char)va_arg(*ap, int);
	case FMT_LEN_H:
		return (short)va_arg(*ap, int);
	case FMT_LEN_L:
		return va_arg(*ap, long);
	case FMT_LEN_LL:
		return va_arg(*ap, long long);
	case FMT_LEN_Z:
		/* The signed type of size_t's width (ssize_t). */
#if SIZE_MAX == ULONG_MAX
		return va_arg(*ap, long);
#elif SIZE_MAX == UINT_MAX
		return va_arg(*ap, int);
#else
		return va_arg(*ap, long long);
#endif
	case FMT_LEN_J:
		return va_arg(*ap, intmax_t);
	case FMT_LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case FMT_LEN_NONE:
	default:
		return va_arg(*ap, int);
	}
}

/* Emit |body| (|n| bytes) padded to the field width with spaces. */
static void emit_padded(struct fmt_out *o, const struct fmt_spec *s, const char *body, size_t n)
{
	size_t pad = (size_t)s->width > n ? (size_t)s->width - n : 0;

	if (!(s->flags & FMT_MINUS))
		out_fill(o, ' ', pad);
	out_mem(o, body, n);
	if (s->flags & FMT_MINUS)
		out_fill(o, ' ', pad);
}

/* d i u o x X p: |mag| is the magnitude, |neg| its sign. */
static void emit_integer(struct fmt_out *o, const struct fmt_spec *s, uintmax_t mag, bool neg)
{
	const char *digits = s->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned int base = 10;
	char rev[sizeof(uintmax_t) * 3]; /* least significant digit first */
	char prefix[4];
	size_t nd = 0, np = 0, zeros, body, pad;
	bool is_signed = s->conv == 'd' || s->conv == 'i' || s->conv == 'p';
	bool nonzero = mag != 0;

	if (s->conv == 'o')
		base = 8;
	else if (s->conv == 'x' || s->conv == 'X' || s->conv == 'p')
		base = 16;

	while (mag != 0) {
		rev[nd++] = digits[mag % base];
		mag /= base;
	}

	if (is_signed) {
		if (neg)
			prefix[np++] = '-';
		else if (s->flags & FMT_PLUS)
			prefix[np++] = '+';
		else if (s->flags & FMT_SPACE)
			prefix[np++] = ' ';
	}
	if (s->conv == 'p' ||
	    ((s->flags & FMT_HASH) && nonzero && (s->conv == 'x' || s->conv == 'X'))) {
		prefix[np++] = '0';
		prefix[np++] = s->conv == 'X' ? 'X' : 'x';
	}

	/* Precision: minimum number of digits (default 1; 0 prints nothing for 0). */
	zeros = s->prec < 0 ? (nd == 0 ? 1 : 0) : ((size_t)s->prec > nd ? (size_t)s->prec - nd : 0);
	/* '#' with o: the first digit is a 0. */
	if (s->conv == 'o' && (s->flags & FMT_HASH) && zeros == 0)
		zeros = 1;

	body = np + zeros + nd;
	pad = (size_t)s->width > body ? (size_t)s->width - body : 0;
	if (!(s->flags & FMT_MINUS) && (s->flags & FMT_ZERO) && s->prec < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(s->flags & FMT_MINUS))
		out_fill(o, ' ', pad);
	out_mem(o, prefix, np);
	out_fill(o, '0', zeros);
	while (nd > 0)
		out_mem(o, &rev[--nd], 1);
	if (s->flags & FMT_MINUS)
		out_fill(o, ' ', pad);
}

/* Format one validated specification. Returns 0 or EOVERFLOW (from a '*' argument). */
static int format_spec(struct fmt_out *o, const char **pp, va_list *ap)
{
	struct fmt_spec s;
	int err = parse_spec(pp, &s, ap);

	if (err != 0)
		return err;

	switch (s.conv) {
	case '%':
		out_mem(o, "%", 1);
		break;
	case 'c': {
		char c = (char)(unsigned char)va_arg(*ap, int);

		emit_padded(o, &s, &c, 1);
		break;
	}
	case 's': {
		const char *str = va_arg(*ap, const char *);

		if (str == NULL)
			str = "(null)";
		emit_padded(o, &s, str,
		            s.prec < 0 ? shield_strlen(str) : shield_strnlen(str, (size_t)s.prec));
		break;
	}
	case 'p':
		emit_integer(o, &s, (uintptr_t)va_arg(*ap, void *), false);
		break;
	case 'd':
	case 'i': {
		intmax_t v = fetch_signed(s.len, ap);

		emit_integer(o, &s, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
		break;
	}
	default:
		emit_integer(o, &s, fetch_unsigned(s.len, ap), false);
		break;
	}
	return 0;
}

/* Check the whole format without fetching arguments. */
static int validate(const char *fmt)
{
	struct fmt_spec s;
	int err;

	while (*fmt != '\0') {
		if (*fmt++ != '%')
			continue;
		err = parse_spec(&fmt, &s, NULL);
		if (err != 0)
			return err;
	}
	return 0;
}

int shield__vformat(char *buf, size_t cap, const char *fmt, va_list ap, size_t *total)
{
	struct fmt_out o = {.buf = buf, .cap = cap};
	va_list args;
	int err;

	if (fmt == NULL)
		return EINVAL;
	err = validate(fmt);
	if (err != 0)
		return err;

	va_copy(args, ap);
	while (*fmt != '\0' && err == 0) {
		const char *lit = fmt;

		while (*fmt != '\0' && *fmt != '%')
			fmt++;
		out_mem(&o, lit, (size_t)(fmt - lit));
		if (*fmt == '%') {
			fmt++;
			err = format_spec(&o, &fmt, &args);
		}
		if (o.len > INT_MAX)
			err = EOVERFLOW;
	}
	va_end(args);
	*total = o.len;
	return err;
}

SHIELD_API int shield_vsnprintf(char *dest, size_t len, const char *fmt, va_list ap)
{
	size_t total;
	int err;

	if (len > 0 && dest == NULL)
		return shield__fail(EFAULT);
	err = shield__vformat(dest, len > 0 ? len - 1 : 0, fmt, ap, &total);
	if (err != 0) {
		if (len > 0)
			dest[0] = '\0';
		return shield__fail(err);
	}
	if (len > 0)
		dest[total < len - 1 ? total : len - 1] = '\0';
	return (int)total;
}
SHIELD_ALIAS(vsnprintf, shield_vsnprintf);

SHIELD_API int shield_snprintf(char *dest, size_t len, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = shield_vsnprintf(dest, len, fmt, ap);
	va_end(ap);
	return ret;
}
SHIELD_ALIAS(snprintf, shield_snprintf);
