/*
 * ini.h: scenario files at the syntax level: GKeyFile syntax, with line numbers.
 *
 * Lifecycle: ini_load() -> walk groups and keys (ini_group_*, ini_key_*) -> read values with
 * the typed getters (ini_get_*) -> ini_free().
 *
 * GKeyFile parses the syntax but forgets where things were and silently merges duplicate
 * groups and keys. This module indexes the raw file first (the line of each group header and
 * of each key), refuses duplicates and malformed lines itself, then lets GKeyFile decode the
 * values (escapes). Every message it builds reads "FILE:LINE: message" (FILE as the caller
 * gave it), in the INI_ERROR domain; warnings read "FILE:LINE: warning: message".
 *
 * The value parsers (ini_parse_*, in value.h) take bare text and know nothing of files. The
 * getters (ini_get_*) fetch a key, run a parser and prefix the key's location. A getter leaves
 * |*out| untouched and returns TRUE when the key is absent, so callers initialise |*out| with the
 * default.
 *
 * The accepted syntax is documented in docs/system-description.md ("File syntax").
 */
#ifndef SIM_SCENARIO_INI_H
#define SIM_SCENARIO_INI_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "sim/scenario/value.h"

typedef struct ini_file IniFile;

/* Read and index |path|. Returns NULL with INI_ERROR_IO ("FILE: cannot read: ..."),
 * INI_ERROR_SYNTAX or INI_ERROR_DUPLICATE. */
IniFile *ini_load(const char *path, GError **error);
/* The same on bytes already in memory (|len| bytes, NUL bytes refused); |path| names them in
 * messages and gives the directory relative names are resolved against. Copies |data|. */
IniFile *ini_load_data(const char *path, const char *data, gsize len, GError **error);
void ini_free(IniFile *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IniFile, ini_free)

const char *ini_path(const IniFile *f); /* as given to ini_load */
const char *ini_dir(const IniFile *f);  /* absolute directory of the file */

/* Groups, in file order; names are trimmed ("[ task a ]" is "task a"). */
guint ini_group_count(const IniFile *f);
const char *ini_group_name(const IniFile *f, guint g);
int ini_group_line(const IniFile *f, guint g);
int ini_find_group(const IniFile *f, const char *name); /* index, or -1 */

/* Keys of group |g|, in file order. */
guint ini_key_count(const IniFile *f, guint g);
const char *ini_key_name(const IniFile *f, guint g, guint k);
int ini_key_index_line(const IniFile *f, guint g, guint k);
int ini_key_line(const IniFile *f, guint g, const char *key); /* 0 when absent */
static inline gboolean ini_has_key(const IniFile *f, guint g, const char *key)
{
	return ini_key_line(f, g, key) != 0;
}

/* |rel| as seen from the directory of |file| (as the user named it, so messages name it as
 * the user would), with "dir/.." pairs removed; an absolute |rel| is returned as it is.
 * Free with g_free. */
char *ini_path_beside(const char *file, const char *rel);

/* Entries from outside the file (a devicetree's board, docs/devicetree.md). A line number
 * returned by ini_external_line() stands for |path|:|line| in every message, so the loader
 * reports the devicetree source of a value without knowing where it came from. */
int ini_external_line(IniFile *f, const char *path, int line);
/* Add |key| = |value| (plain text, escaped here) to |group|, created (at the end, its header
 * at |group_line|) when absent. A key the file itself gives wins: then nothing is added and
 * FALSE is returned. */
gboolean ini_add_external(IniFile *f, const char *group, int group_line, const char *key,
                          const char *value, int line);
/* "line 12", or "board.dts:40" for an external line: for messages that name a second place.
 * The string is interned (never freed). */
const char *ini_where(const IniFile *f, int line);

/* Set |error| (if not NULL and not set) to "FILE:LINE: <fmt>". */
void ini_set_error(GError **error, const IniFile *f, int line, IniError code, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
/* Prefix an error from an ini_parse_* call with "FILE:LINE: ". Returns FALSE. */
gboolean ini_locate_error(GError **error, const IniFile *f, int line);
/* Append "FILE:LINE: warning: <fmt>" to |warnings| (an array of g_free'd strings). */
void ini_warn(GPtrArray *warnings, const IniFile *f, int line, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Getters: the key's decoded value, parsed, with the location added to errors. Absent key:
 * TRUE and |*out| untouched. ini_get_string replaces |*out| (NULL or owned: it is g_free'd)
 * with a new string. */
/* The value of |key| in group |g| exactly as written (GKeyFile escapes not decoded, so a
 * regular expression keeps its backslashes); NULL when absent. Free with g_free. */
char *ini_get_raw(const IniFile *f, guint g, const char *key);
gboolean ini_get_string(const IniFile *f, guint g, const char *key, char **out, GError **error);
gboolean ini_get_u64(const IniFile *f, guint g, const char *key, guint64 min, guint64 max,
                     guint64 *out, GError **error);
gboolean ini_get_bool(const IniFile *f, guint g, const char *key, bool *out, GError **error);
gboolean ini_get_enum(const IniFile *f, guint g, const char *key, const IniEnum *table, int *out,
                      GError **error);
gboolean ini_get_duration_ns(const IniFile *f, guint g, const char *key, guint64 min, guint64 max,
                             guint64 *out, GError **error);
gboolean ini_get_frequency_hz(const IniFile *f, guint g, const char *key, guint64 min, guint64 max,
                              guint64 *out, GError **error);
gboolean ini_get_caps(const IniFile *f, guint g, const char *key, guint32 *out, GError **error);

#endif
