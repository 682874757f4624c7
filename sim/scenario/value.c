/*
 * value.c: the value parsers, formatters and name hints (see value.h). Pure functions of
 * their text: no file, no location; the callers add those.
 */
#include "sim/scenario/value.h"

#include <string.h>

char *ini_excerpt(const char *s)
{
	if (g_utf8_strlen(s, -1) <= 40)
		return g_strdup(s);
	g_autofree char *head = g_utf8_substring(s, 0, 37);
	return g_strconcat(head, "...", NULL);
}

static gboolean is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void value_error(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void value_error(GError **error, const char *fmt, ...)
{
	va_list ap;

	if (error == NULL || *error != NULL)
		return;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, INI_ERROR, INI_ERROR_VALUE, msg);
}

#define VALUE_MAX_TEXT 1024 /* no valid value is longer; messages quote at most this much */

/* Refuse a value too long to be valid, quoting only an excerpt of it. */
static gboolean short_enough(const char *text, const char *what, GError **error)
{
	size_t n = strlen(text);

	if (n <= VALUE_MAX_TEXT)
		return TRUE;
	g_autofree char *ex = ini_excerpt(text);
	value_error(error, "'%s' is too long to be a value (%zu bytes: '%s')", what, n, ex);
	return FALSE;
}

/* ---- did you mean ------------------------------------------------------------------------ */

/* Optimal string alignment distance (Levenshtein plus adjacent transpositions), ASCII case
 * folded. Long words are not worth comparing: G_MAXINT. */
static int osa_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int d[33][33];

	if (la > 32 || lb > 32)
		return G_MAXINT;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			char ca = g_ascii_tolower(a[i - 1]), cb = g_ascii_tolower(b[j - 1]);
			int cost = ca != cb;
			int v = MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
			v = MIN(v, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && ca == g_ascii_tolower(b[j - 2]) &&
			    g_ascii_tolower(a[i - 2]) == cb)
				v = MIN(v, d[i - 2][j - 2] + 1);
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

static int suggest_score(const char *word, const char *cand)
{
	size_t len = strlen(word);
	int limit = len >= 5 ? 2 : 1;
	int d = osa_distance(word, cand);

	/* "DEV_IO" for "CAP_DEV_IO": a dropped prefix is one mistake. */
	const char *us = strchr(cand, '_');
	if (us != NULL && g_ascii_strncasecmp(word, cand, (size_t)(us - cand + 1)) != 0)
		d = MIN(d, osa_distance(word, us + 1) + 1);
	if (d <= limit)
		return d;
	/* "prio" for "priority". */
	if (len >= 3 && g_ascii_strncasecmp(word, cand, len) == 0)
		return limit;
	return G_MAXINT;
}

const char *ini_suggest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	int best_score = G_MAXINT;

	for (const char *const *c = candidates; *c != NULL; c++) {
		int s = suggest_score(word, *c);
		if (s < best_score) {
			best_score = s;
			best = *c;
		}
	}
	return best;
}

char *ini_hint(const char *word, const char *const *candidates)
{
	const char *s = ini_suggest(word, candidates);

	if (s != NULL)
		return g_strdup_printf(" (did you mean '%s'?)", s);
	g_autofree char *all = g_strjoinv(", ", (char **)candidates);
	return g_strdup_printf(" (known: %s)", all);
}

/* ---- value parsers ----------------------------------------------------------------------- */

/* Digits of |s| in base 10 or (with 0x) 16, up to the first other character. FALSE when there
 * is no digit; |*overflow| when the value does not fit. */
static gboolean scan_uint(const char *s, const char **end, guint64 *v, gboolean *overflow)
{
	guint base = 10;
	const char *p = s;
	guint64 acc = 0;

	*overflow = FALSE;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && g_ascii_isxdigit(p[2])) {
		base = 16;
		p += 2;
	}
	if (!(base == 16 ? g_ascii_isxdigit(*p) : g_ascii_isdigit(*p)))
		return FALSE;
	for (; base == 16 ? g_ascii_isxdigit(*p) : g_ascii_isdigit(*p); p++) {
		guint digit = base == 16 ? (guint)g_ascii_xdigit_value(*p) : (guint)(*p - '0');
		if (__builtin_mul_overflow(acc, base, &acc) ||
		    __builtin_add_overflow(acc, digit, &acc))
			*overflow = TRUE;
	}
	*end = p;
	*v = acc;
	return TRUE;
}

static gboolean is_hex_text(const char *text)
{
	return text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

gboolean ini_parse_u64(const char *text, const char *what, guint64 min, guint64 max, guint64 *out,
                       GError **error)
{
	const char *end = NULL;
	guint64 v = 0;
	gboolean overflow = FALSE;
	gboolean negative = text[0] == '-' && g_ascii_isdigit(text[1]);

	if (!short_enough(text, what, error))
		return FALSE;

	if (*text == '\0') {
		value_error(error, "'%s' is empty (expected a number)", what);
		return FALSE;
	}
	if (!scan_uint(text + negative, &end, &v, &overflow) || *end != '\0') {
		value_error(error,
		            "'%s' must be a number, decimal or hexadecimal with 0x (got '%s')",
		            what, text);
		return FALSE;
	}
	if (negative || overflow || v < min || v > max) {
		if (is_hex_text(text))
			value_error(error,
			            "'%s' must be between 0x%" G_GINT64_MODIFIER
			            "x and 0x%" G_GINT64_MODIFIER "x (got %s)",
			            what, min, max, text);
		else
			value_error(error,
			            "'%s' must be between %" G_GUINT64_FORMAT
			            " and %" G_GUINT64_FORMAT " (got %s)",
			            what, min, max, text);
		return FALSE;
	}
	*out = v;
	return TRUE;
}

gboolean ini_parse_bool(const char *text, const char *what, bool *out, GError **error)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};

	if (!short_enough(text, what, error))
		return FALSE;

	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_ascii_strcasecmp(text, yes[i]) == 0) {
			*out = true;
			return TRUE;
		}
		if (g_ascii_strcasecmp(text, no[i]) == 0) {
			*out = false;
			return TRUE;
		}
	}
	value_error(error, "'%s' must be true or false (got '%s')", what, text);
	return FALSE;
}

gboolean ini_parse_enum(const char *text, const char *what, const IniEnum *table, int *out,
                        GError **error)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();

	if (!short_enough(text, what, error))
		return FALSE;

	for (const IniEnum *e = table; e->name != NULL; e++) {
		if (strcmp(text, e->name) == 0) {
			*out = e->value;
			return TRUE;
		}
		if (!e->alias)
			g_ptr_array_add(names, (gpointer)e->name);
	}
	g_ptr_array_add(names, NULL);
	const char *const *cands = (const char *const *)names->pdata;
	g_autofree char *list = g_strjoinv(", ", (char **)names->pdata);
	const char *s = ini_suggest(text, cands);
	if (s != NULL)
		value_error(error, "'%s' must be one of %s (got '%s': did you mean '%s'?)", what,
		            list, text, s);
	else
		value_error(error, "'%s' must be one of %s (got '%s')", what, list, text);
	return FALSE;
}

typedef struct {
	const char *name;
	guint64 scale;
} IniUnit;

static const IniUnit duration_units[] = {
    {"ns", 1ull},       {"us", 1000ull},      {"\xc2\xb5s", 1000ull}, /* µs */
    {"ms", 1000000ull}, {"s", 1000000000ull}, {"min", 60000000000ull}, {"h", 3600000000000ull},
    {NULL, 0},
};

static const IniUnit frequency_units[] = {
    {"", 1ull},           {"hz", 1ull},           {"k", 1000ull},
    {"khz", 1000ull},     {"m", 1000000ull},      {"mhz", 1000000ull},
    {"g", 1000000000ull}, {"ghz", 1000000000ull}, {NULL, 0},
};

typedef enum {
	SCALED_OK,
	SCALED_SYNTAX,
	SCALED_NO_UNIT,
	SCALED_BAD_UNIT,
	SCALED_FRACTION,
	SCALED_OVERFLOW,
} ScaledResult;

/* "<digits>[.<digits>] [unit]" -> an exact integer in the unit table's base unit. */
static ScaledResult parse_scaled(const char *text, const IniUnit *units, guint64 *out,
                                 const char **unit)
{
	const char *p = text;
	guint64 mant = 0;
	guint64 div = 1;
	int ndigits = 0;
	gboolean overflow = FALSE;

	for (; g_ascii_isdigit(*p); p++, ndigits++)
		if (__builtin_mul_overflow(mant, 10, &mant) ||
		    __builtin_add_overflow(mant, (guint64)(*p - '0'), &mant))
			overflow = TRUE;
	if (*p == '.') {
		p++;
		/* Trailing zeros of the fraction change nothing: skip them. */
		const char *last = p;
		for (const char *q = p; g_ascii_isdigit(*q); q++)
			if (*q != '0')
				last = q + 1;
		for (; g_ascii_isdigit(*p); p++, ndigits++) {
			if (p >= last)
				continue;
			if (__builtin_mul_overflow(mant, 10, &mant) ||
			    __builtin_add_overflow(mant, (guint64)(*p - '0'), &mant) ||
			    __builtin_mul_overflow(div, 10, &div))
				overflow = TRUE;
		}
	}
	if (ndigits == 0)
		return SCALED_SYNTAX;
	while (is_blank(*p))
		p++;
	*unit = p;
	const IniUnit *u = units;
	for (; u->name != NULL; u++)
		if (g_ascii_strcasecmp(p, u->name) == 0)
			break;
	if (u->name == NULL) {
		if (*p == '\0' && mant != 0)
			return SCALED_NO_UNIT;
		if (*p == '\0') {
			*out = 0; /* "0" needs no unit */
			return SCALED_OK;
		}
		if (g_ascii_isalpha(*p) || (guchar)*p >= 0x80)
			return SCALED_BAD_UNIT;
		return SCALED_SYNTAX;
	}
	guint64 v;
	if (overflow || __builtin_mul_overflow(mant, u->scale, &v))
		return SCALED_OVERFLOW;
	if (v % div != 0)
		return SCALED_FRACTION;
	*out = v / div;
	return SCALED_OK;
}

typedef char *(*FormatFn)(guint64 v);

static gboolean scaled_range(const char *text, const char *what, guint64 min, guint64 max,
                             ScaledResult r, guint64 v, FormatFn fmt, GError **error)
{
	if (r == SCALED_OK && v >= min && v <= max)
		return TRUE;
	g_autofree char *smin = fmt(min);
	g_autofree char *smax = fmt(max);
	if (max == G_MAXUINT64 && (r == SCALED_OVERFLOW || v > max))
		value_error(error, "'%s' is too large (got %s)", what, text);
	else if (max == G_MAXUINT64)
		value_error(error, "'%s' must be at least %s (got %s)", what, smin, text);
	else
		value_error(error, "'%s' must be between %s and %s (got %s)", what, smin, smax,
		            text);
	return FALSE;
}

gboolean ini_parse_duration_ns(const char *text, const char *what, guint64 min, guint64 max,
                               guint64 *out, GError **error)
{
	const char *unit = "";
	guint64 v = 0;
	ScaledResult r = parse_scaled(text, duration_units, &v, &unit);

	if (!short_enough(text, what, error))
		return FALSE;

	switch (r) {
	case SCALED_SYNTAX:
		value_error(error, "'%s' must be a duration such as 10ms or 1.5s (got '%s')", what,
		            text);
		return FALSE;
	case SCALED_NO_UNIT:
		value_error(error, "'%s' needs a unit: ns, us, ms, s, min or h (got '%s')", what,
		            text);
		return FALSE;
	case SCALED_BAD_UNIT:
		value_error(error, "'%s' has an unknown unit '%s' (use ns, us, ms, s, min or h)",
		            what, unit);
		return FALSE;
	case SCALED_FRACTION:
		value_error(error, "'%s' must be a whole number of nanoseconds (got %s)", what,
		            text);
		return FALSE;
	case SCALED_OK:
	case SCALED_OVERFLOW:
		break;
	}
	if (!scaled_range(text, what, min, max, r, v, ini_format_duration, error))
		return FALSE;
	*out = v;
	return TRUE;
}

gboolean ini_parse_frequency_hz(const char *text, const char *what, guint64 min, guint64 max,
                                guint64 *out, GError **error)
{
	const char *unit = "";
	guint64 v = 0;
	ScaledResult r = parse_scaled(text, frequency_units, &v, &unit);

	if (!short_enough(text, what, error))
		return FALSE;

	switch (r) {
	case SCALED_SYNTAX:
	case SCALED_NO_UNIT: /* not reached: Hz is the default unit */
		value_error(error, "'%s' must be a frequency such as 64MHz (got '%s')", what, text);
		return FALSE;
	case SCALED_BAD_UNIT:
		value_error(error, "'%s' has an unknown unit '%s' (use Hz, kHz, MHz or GHz)", what,
		            unit);
		return FALSE;
	case SCALED_FRACTION:
		value_error(error, "'%s' must be a whole number of Hz (got %s)", what, text);
		return FALSE;
	case SCALED_OK:
	case SCALED_OVERFLOW:
		break;
	}
	if (!scaled_range(text, what, min, max, r, v, ini_format_frequency, error))
		return FALSE;
	*out = v;
	return TRUE;
}

char *ini_format_duration(guint64 ns)
{
	for (const IniUnit *u = &duration_units[G_N_ELEMENTS(duration_units) - 2];
	     u > duration_units; u--) {
		if (u->scale == 1000 && u->name[0] != 'u')
			continue; /* prefer "us" over "µs" */
		if (ns != 0 && ns % u->scale == 0)
			return g_strdup_printf("%" G_GUINT64_FORMAT "%s", ns / u->scale, u->name);
	}
	return g_strdup_printf("%" G_GUINT64_FORMAT "ns", ns);
}

char *ini_format_frequency(guint64 hz)
{
	static const IniUnit units[] = {
	    {"GHz", 1000000000ull},
	    {"MHz", 1000000ull},
	    {"kHz", 1000ull},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(units); i++)
		if (hz != 0 && hz % units[i].scale == 0)
			return g_strdup_printf("%" G_GUINT64_FORMAT "%s", hz / units[i].scale,
			                       units[i].name);
	return g_strdup_printf("%" G_GUINT64_FORMAT "Hz", hz);
}

/* uapi.md 1.3, capability_t. */
static const struct {
	const char *name;
	guint32 bit;
} ini_caps[] = {
    {"CAP_DEV_BUSES", 0x00000001},     {"CAP_DEV_IO", 0x00000002},
    {"CAP_DEV_DMA", 0x00000004},       {"CAP_DEV_ANALOG", 0x00000008},
    {"CAP_DEV_TIMER", 0x00000010},     {"CAP_DEV_STORAGE", 0x00000020},
    {"CAP_DEV_CRYPTO", 0x00000040},    {"CAP_DEV_CLOCK", 0x00000080},
    {"CAP_DEV_POWER", 0x00000100},     {"CAP_DEV_NEURAL", 0x00000200},
    {"CAP_SYS_UPGRADE", 0x00001000},   {"CAP_SYS_POWER", 0x00002000},
    {"CAP_SYS_PROCSTART", 0x00004000}, {"CAP_MEM_SHM_OWN", 0x00010000},
    {"CAP_MEM_SHM_USE", 0x00020000},   {"CAP_MEM_SHM_TRANSFER", 0x00040000},
    {"CAP_TIM_HP_CHRONO", 0x00100000}, {"CAP_CRY_KRNG", 0x00200000},
};

static guint32 all_caps(void)
{
	guint32 m = 0;

	for (size_t i = 0; i < G_N_ELEMENTS(ini_caps); i++)
		m |= ini_caps[i].bit;
	return m;
}

gboolean ini_parse_caps(const char *text, const char *what, guint32 *out, GError **error)
{
	g_auto(GStrv) items = g_strsplit_set(text, ";,| \t", -1);
	guint32 mask = 0;

	if (!short_enough(text, what, error))
		return FALSE;

	for (char **it = items; *it != NULL; it++) {
		const char *s = *it;
		if (*s == '\0')
			continue;
		if (g_ascii_isdigit(*s)) {
			guint64 v = 0;
			if (!ini_parse_u64(s, what, 0, G_MAXUINT32, &v, error))
				return FALSE;
			if ((v & ~(guint64)all_caps()) != 0) {
				value_error(error,
				            "'%s': mask %s sets bits that are no capability: "
				            "0x%08x (capabilities are 0x%08x)",
				            what, s, (guint32)v & ~all_caps(), all_caps());
				return FALSE;
			}
			mask |= (guint32)v;
			continue;
		}
		size_t i = 0;
		while (i < G_N_ELEMENTS(ini_caps) && strcmp(s, ini_caps[i].name) != 0)
			i++;
		if (i < G_N_ELEMENTS(ini_caps)) {
			mask |= ini_caps[i].bit;
			continue;
		}
		const char *names[G_N_ELEMENTS(ini_caps) + 1];
		for (i = 0; i < G_N_ELEMENTS(ini_caps); i++)
			names[i] = ini_caps[i].name;
		names[i] = NULL;
		g_autofree char *hint = ini_hint(s, names);
		value_error(error, "unknown capability '%s'%s", s, hint);
		return FALSE;
	}
	*out = mask;
	return TRUE;
}

char *ini_format_caps(guint32 caps)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (size_t i = 0; i < G_N_ELEMENTS(ini_caps); i++)
		if (caps & ini_caps[i].bit)
			g_string_append_printf(s, "%s%s", s->len ? "; " : "", ini_caps[i].name);
	if (caps & ~all_caps())
		g_string_append_printf(s, "%s0x%08x", s->len ? "; " : "", caps & ~all_caps());
	if (s->len == 0)
		g_string_append_c(s, '0');
	return g_string_free(g_steal_pointer(&s), FALSE);
}
