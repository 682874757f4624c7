/*
 * value.h: the value parsers of scenario files and of the command line: numbers, booleans,
 * enumerations, durations, frequencies and capability sets, their formatting back to text,
 * and the "did you mean" hints of every message about a name.
 *
 * The parsers take bare text and know nothing of files, so a script step or a command-line
 * option can run them on one token and add its own location (the ini getters prefix
 * "FILE:LINE: "); their messages name the value with |what| (a key name, usually) and quote
 * the text given, cut to an excerpt when it is long. Errors are in the INI_ERROR domain,
 * code INI_ERROR_VALUE. The names keep the ini_ prefix they had when this lived in ini.c.
 */
#ifndef SIM_SCENARIO_VALUE_H
#define SIM_SCENARIO_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "sim/errors.h" /* INI_ERROR */

/* |s| quoted in a message: at most 40 characters, "..." marking a cut. Free with g_free. */
char *ini_excerpt(const char *s);

/* The candidate closest to |word| (case, one typo or a dropped prefix forgiven), or NULL.
 * |candidates| is NULL-terminated. */
const char *ini_suggest(const char *word, const char *const *candidates);
/* A hint for an unknown |word|: " (did you mean 'x'?)" when one candidate is close, else
 * " (known: a, b, c)". Free with g_free. */
char *ini_hint(const char *word, const char *const *candidates);

/* Enumerations: a table ending with a NULL name. Aliases are accepted but not listed. */
typedef struct {
	const char *name;
	int value;
	bool alias;
} IniEnum;

/* Value parsers. |text| is the decoded value, surrounding blanks already removed. */

/* Decimal, or hexadecimal with 0x; leading zeros do not mean octal. */
gboolean ini_parse_u64(const char *text, const char *what, guint64 min, guint64 max, guint64 *out,
                       GError **error);
/* true/false, yes/no, on/off, 1/0, in any case. */
gboolean ini_parse_bool(const char *text, const char *what, bool *out, GError **error);
gboolean ini_parse_enum(const char *text, const char *what, const IniEnum *table, int *out,
                        GError **error);
/* A number (decimal fractions allowed: 1.5ms) and a unit among ns, us (or µs), ms, s, min, h;
 * blanks between them allowed; "0" needs no unit. The result must be whole nanoseconds. */
gboolean ini_parse_duration_ns(const char *text, const char *what, guint64 min, guint64 max,
                               guint64 *out, GError **error);
/* A number and an optional unit: Hz (the default), kHz, MHz, GHz or just k, M, G; any case. */
gboolean ini_parse_frequency_hz(const char *text, const char *what, guint64 min, guint64 max,
                                guint64 *out, GError **error);
/* Capability names (CAP_DEV_IO ...) and numeric masks, separated by ';' (the GKeyFile list
 * separator), ',', '|' or blanks, OR-ed together. Empty text is 0. Bits that are no
 * capability are refused. */
gboolean ini_parse_caps(const char *text, const char *what, guint32 *out, GError **error);

/* Formatting, for messages and reports. Free with g_free. */
char *ini_format_duration(guint64 ns);  /* the largest exact unit: "1500us", "2s", "0ns" */
char *ini_format_frequency(guint64 hz); /* "64MHz", "32768Hz" */
char *ini_format_caps(guint32 caps);    /* "CAP_DEV_IO; CAP_CRY_KRNG", "0" when empty */

#endif
