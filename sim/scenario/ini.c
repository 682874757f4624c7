/*
 * ini.c: scenario files at the syntax level (see ini.h).
 *
 * Loading is two passes over the same text. The first pass is ours: it classifies every line
 * (blank, comment, group header, key), records where each group and key is, refuses what
 * GKeyFile would refuse or silently merge (duplicates), and writes a cleaned copy of the file
 * with exactly the same number of lines: comments blanked, inline comments cut, names
 * trimmed. The second pass hands that copy to GKeyFile, which then decodes values exactly as
 * any GKeyFile user expects. Our first pass refuses everything GKeyFile refuses that we know
 * of; should GKeyFile still refuse the copy, we find the offending line by loading ever
 * longer prefixes of it (GKeyFile stops at the first bad line, so the search is monotonic).
 */
#include "sim/scenario/ini.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INI_MAX_FILE  (16 << 20) /* bytes; a description is a few KiB */
#define INI_MAX_VALUE (64 << 10) /* bytes; messages quote values */
#define INI_MAX_NAME  256        /* bytes in a group or key name; messages quote names */
/* Keys are given to GKeyFile with this prefix, so that none of its special keys ("Encoding"
 * in the first group) can mean anything there. */
#define INI_KEY_PREFIX "k-"

typedef struct {
	char *name;
	int line;
} IniKey;

/* A place outside the file that a group or key came from (a devicetree source line). */
typedef struct {
	char *path;
	int line;
} IniOrigin;

/* Lines from here on name an entry of ini_file.origins rather than a line of the file. */
#define INI_EXTERNAL_LINE (1 << 28)

typedef struct {
	char *name;
	int line;
	guint index;           /* in ini_file.groups */
	GPtrArray *keys;       /* of IniKey, in file order */
	GHashTable *key_index; /* name -> IniKey (borrowed from |keys|) */
} IniGroup;

/* Lookups go through hash tables, so that loading (which checks every name for duplicates)
 * stays linear in the size of the file. */
struct ini_file {
	char *path;
	char *dir;
	GArray *origins; /* of IniOrigin: the places outside the file, see ini_external_line */
	GKeyFile *kf;
	GPtrArray *groups;       /* of IniGroup, in file order */
	GHashTable *group_index; /* name -> IniGroup (borrowed from |groups|) */
};

static void ini_key_free(gpointer p)
{
	IniKey *k = p;

	g_free(k->name);
	g_free(k);
}

static void origin_clear(gpointer p)
{
	g_free(((IniOrigin *)p)->path);
}

static void ini_group_free(gpointer p)
{
	IniGroup *g = p;

	g_free(g->name);
	g_hash_table_unref(g->key_index);
	g_ptr_array_unref(g->keys);
	g_free(g);
}

void ini_free(IniFile *f)
{
	if (f == NULL)
		return;
	g_free(f->path);
	g_free(f->dir);
	if (f->origins != NULL)
		g_array_unref(f->origins);
	if (f->kf != NULL)
		g_key_file_unref(f->kf);
	if (f->group_index != NULL)
		g_hash_table_unref(f->group_index);
	g_ptr_array_unref(f->groups);
	g_free(f);
}

/* ---- messages ---------------------------------------------------------------------------- */

static const IniOrigin *origin_of(const IniFile *f, int line)
{
	guint i = (guint)(line - INI_EXTERNAL_LINE);

	if (line < INI_EXTERNAL_LINE || f->origins == NULL || i >= f->origins->len)
		return NULL;
	return &g_array_index(f->origins, IniOrigin, i);
}

/* "FILE:LINE", the prefix of a message about |line|. */
static char *location(const IniFile *f, int line)
{
	const IniOrigin *o = origin_of(f, line);

	return o != NULL ? g_strdup_printf("%s:%d", o->path, o->line)
	                 : g_strdup_printf("%s:%d", f->path, line);
}

const char *ini_where(const IniFile *f, int line)
{
	const IniOrigin *o = origin_of(f, line);
	g_autofree char *s = o != NULL ? g_strdup_printf("%s:%d", o->path, o->line)
	                               : g_strdup_printf("line %d", line);

	return g_intern_string(s);
}

int ini_external_line(IniFile *f, const char *path, int line)
{
	IniOrigin o = {.path = g_strdup(path), .line = line};

	if (f->origins == NULL) {
		f->origins = g_array_new(FALSE, FALSE, sizeof(IniOrigin));
		g_array_set_clear_func(f->origins, origin_clear);
	}
	g_array_append_val(f->origins, o);
	return INI_EXTERNAL_LINE + (int)f->origins->len - 1;
}

void ini_set_error(GError **error, const IniFile *f, int line, IniError code, const char *fmt, ...)
{
	va_list ap;

	if (error == NULL || *error != NULL)
		return;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_autofree char *where = location(f, line);
	g_set_error(error, INI_ERROR, code, "%s: %s", where, msg);
}

gboolean ini_locate_error(GError **error, const IniFile *f, int line)
{
	g_autofree char *where = location(f, line);

	g_prefix_error(error, "%s: ", where);
	return FALSE;
}

void ini_warn(GPtrArray *warnings, const IniFile *f, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_autofree char *where = location(f, line);
	g_ptr_array_add(warnings, g_strdup_printf("%s: warning: %s", where, msg));
}

/* ---- loading ----------------------------------------------------------------------------- */

static gboolean is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static gboolean is_key_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.';
}

static IniGroup *find_group(const IniFile *f, const char *name)
{
	return g_hash_table_lookup(f->group_index, name);
}

static IniKey *find_key(const IniGroup *g, const char *name)
{
	return g_hash_table_lookup(g->key_index, name);
}

/* Index a new group (its keys come later). */
static IniGroup *add_group(IniFile *f, const char *name, int line)
{
	IniGroup *g = g_new0(IniGroup, 1);

	g->name = g_strdup(name);
	g->line = line;
	g->index = f->groups->len;
	g->keys = g_ptr_array_new_with_free_func(ini_key_free);
	g->key_index = g_hash_table_new(g_str_hash, g_str_equal);
	g_ptr_array_add(f->groups, g);
	g_hash_table_insert(f->group_index, g->name, g);
	return g;
}

/* Index a new key of group |g|. */
static void add_key(IniGroup *g, const char *name, int line)
{
	IniKey *k = g_new0(IniKey, 1);

	k->name = g_strdup(name);
	k->line = line;
	g_ptr_array_add(g->keys, k);
	g_hash_table_insert(g->key_index, k->name, k);
}

/* Names are quoted in messages: refuse the long ones before anything quotes them. */
static gboolean name_fits(const IniFile *f, int line, const char *noun, const char *name,
                          GError **error)
{
	size_t n = strlen(name);

	if (n <= INI_MAX_NAME)
		return TRUE;
	g_autofree char *ex = ini_excerpt(name);
	ini_set_error(error, f, line, INI_ERROR_SYNTAX,
	              "%s name '%s' is %zu bytes long, at most %d", noun, ex, n, INI_MAX_NAME);
	return FALSE;
}

/* "[name]   # comment": index the group, write "[name]" to |out|. */
static gboolean scan_group(IniFile *f, int line, char *s, GString *out, GError **error)
{
	char *close = strchr(s, ']');

	if (close == NULL) {
		g_autofree char *ex = ini_excerpt(s);
		ini_set_error(error, f, line, INI_ERROR_SYNTAX, "missing ']' at the end of '%s'",
		              ex);
		return FALSE;
	}
	*close = '\0';
	char *rest = trim(close + 1);
	if (*rest != '\0' && *rest != '#' && *rest != ';') {
		g_autofree char *ex = ini_excerpt(rest);
		ini_set_error(error, f, line, INI_ERROR_SYNTAX,
		              "unexpected '%s' after the group header", ex);
		return FALSE;
	}
	char *name = trim(s + 1);
	if (!name_fits(f, line, "group", name, error))
		return FALSE;
	if (*name == '\0') {
		ini_set_error(error, f, line, INI_ERROR_SYNTAX, "empty group name '[]'");
		return FALSE;
	}
	for (const char *p = name; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e || *p == '[') {
			ini_set_error(error, f, line, INI_ERROR_SYNTAX,
			              "invalid group name '[%s]' (printable ASCII only, no '[')",
			              name);
			return FALSE;
		}
	}
	IniGroup *prev = find_group(f, name);
	if (prev != NULL) {
		ini_set_error(error, f, line, INI_ERROR_DUPLICATE,
		              "duplicate group '[%s]' (first at line %d)", name, prev->line);
		return FALSE;
	}
	add_group(f, name, line);
	g_string_append_printf(out, "[%s]", name);
	return TRUE;
}

/* "key = value  # comment": index the key, write "key=value" to |out|. */
static gboolean scan_key(IniFile *f, int line, char *s, GString *out, GError **error)
{
	char *eq = strchr(s, '=');

	if (eq == NULL) {
		g_autofree char *ex = ini_excerpt(s);
		ini_set_error(error, f, line, INI_ERROR_SYNTAX,
		              "expected '[group]', 'key = value' or a comment, not '%s'", ex);
		return FALSE;
	}
	*eq = '\0';
	char *key = trim(s);
	if (!name_fits(f, line, "key", key, error))
		return FALSE;
	if (*key == '\0') {
		ini_set_error(error, f, line, INI_ERROR_SYNTAX, "missing key name before '='");
		return FALSE;
	}
	for (const char *p = key; *p != '\0'; p++) {
		if (!is_key_char(*p)) {
			ini_set_error(error, f, line, INI_ERROR_SYNTAX,
			              "invalid key name '%s' (letters, digits, '_', '-' and '.' "
			              "only)",
			              key);
			return FALSE;
		}
	}
	if (f->groups->len == 0) {
		ini_set_error(error, f, line, INI_ERROR_SYNTAX,
		              "key '%s' is outside any group (put it under a '[group]' header)",
		              key);
		return FALSE;
	}
	IniGroup *g = g_ptr_array_index(f->groups, f->groups->len - 1);
	IniKey *prev = find_key(g, key);
	if (prev != NULL) {
		ini_set_error(error, f, line, INI_ERROR_DUPLICATE,
		              "duplicate key '%s' in '[%s]' (first at line %d)", key, g->name,
		              prev->line);
		return FALSE;
	}
	/* An inline comment starts with '#' at the start of the value or after a blank. */
	char *value = eq + 1;
	for (char *p = value; *p != '\0'; p++) {
		if (*p == '#' && (p == value || is_blank(p[-1]))) {
			*p = '\0';
			break;
		}
	}
	value = trim(value);
	if (strlen(value) > INI_MAX_VALUE) {
		ini_set_error(error, f, line, INI_ERROR_VALUE,
		              "the value of '%s' is %zu bytes long, at most %d", key, strlen(value),
		              INI_MAX_VALUE);
		return FALSE;
	}
	add_key(g, key, line);
	g_string_append_printf(out, INI_KEY_PREFIX "%s=%s", key, value);
	return TRUE;
}

/* GKeyFile refused the cleaned text: find the first line whose inclusion makes it fail. */
static int gkeyfile_bad_line(const char *clean, int n_lines)
{
	int lo = 1, hi = n_lines;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		const char *end = clean;
		for (int i = 0; i < mid && end != NULL; i++) {
			end = strchr(end, '\n');
			if (end != NULL)
				end++;
		}
		gsize len = end != NULL ? (gsize)(end - clean) : strlen(clean);
		g_autoptr(GKeyFile) kf = g_key_file_new();
		if (g_key_file_load_from_data(kf, clean, len, G_KEY_FILE_NONE, NULL))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

IniFile *ini_load_data(const char *path, const char *data, gsize len, GError **error)
{
	g_autoptr(IniFile) f = g_new0(IniFile, 1);
	f->path = g_strdup(path);
	g_autofree char *dir = g_path_get_dirname(path);
	f->dir = g_canonicalize_filename(dir, NULL);
	f->groups = g_ptr_array_new_with_free_func(ini_group_free);
	f->group_index = g_hash_table_new(g_str_hash, g_str_equal);

	const char *nul = memchr(data, '\0', len);
	if (nul != NULL) {
		int line = 1;
		for (const char *p = data; p < nul; p++)
			line += *p == '\n';
		ini_set_error(error, f, line, INI_ERROR_SYNTAX,
		              "NUL byte in the file (is it a text file?)");
		return NULL;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	g_autofree char *text = g_strndup(data, len);
	g_autoptr(GString) clean = g_string_sized_new(len + 1);
	int line = 0;
	char *next = text;
	while (next != NULL && (*next != '\0' || line == 0)) {
		char *s = next;
		next = strchr(s, '\n');
		if (next != NULL)
			*next++ = '\0';
		line++;
		size_t n = strlen(s);
		if (n > 0 && s[n - 1] == '\r')
			s[n - 1] = '\0';
		if (!g_utf8_validate(s, -1, NULL)) {
			ini_set_error(error, f, line, INI_ERROR_SYNTAX,
			              "invalid UTF-8 (save the file as UTF-8)");
			return NULL;
		}
		s = trim(s);
		if (line > 1)
			g_string_append_c(clean, '\n');
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (!(*s == '[' ? scan_group(f, line, s, clean, error)
		                : scan_key(f, line, s, clean, error)))
			return NULL;
	}
	g_string_append_c(clean, '\n');

	g_autoptr(GError) kerr = NULL;
	f->kf = g_key_file_new();
	if (!g_key_file_load_from_data(f->kf, clean->str, clean->len, G_KEY_FILE_NONE, &kerr)) {
		g_autofree char *msg = g_strdup(kerr->message);
		size_t n = strlen(msg);
		if (n > 0 && msg[n - 1] == '.')
			msg[n - 1] = '\0';
		msg[0] = g_ascii_tolower(msg[0]);
		ini_set_error(error, f, gkeyfile_bad_line(clean->str, line), INI_ERROR_SYNTAX, "%s",
		              msg);
		return NULL;
	}
	return g_steal_pointer(&f);
}

/* What kind of file |mode| describes, for the message refusing a non-regular file. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a regular file";
}

/* Open |path| for reading without blocking (a FIFO would block open() until a writer comes)
 * and refuse anything but a regular file. */
static FILE *open_regular(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	if (fd < 0) {
		g_set_error(error, INI_ERROR, INI_ERROR_IO, "%s: cannot read: %s", path,
		            g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		int err = errno;
		g_set_error(error, INI_ERROR, INI_ERROR_IO,
		            "%s: cannot read: %s (a description is a regular file)", path,
		            S_ISREG(st.st_mode) ? g_strerror(err) : file_kind(st.st_mode));
		close(fd);
		return NULL;
	}
	FILE *fp = fdopen(fd, "rb");
	if (fp == NULL) {
		g_set_error(error, INI_ERROR, INI_ERROR_IO, "%s: cannot read: %s", path,
		            g_strerror(errno));
		close(fd);
	}
	return fp;
}

IniFile *ini_load(const char *path, GError **error)
{
	FILE *fp = open_regular(path, error);

	if (fp == NULL)
		return NULL;
	g_autoptr(GString) data = g_string_new(NULL);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && data->len <= INI_MAX_FILE)
		g_string_append_len(data, chunk, (gssize)n);
	int err = ferror(fp) ? errno : 0;
	fclose(fp);
	if (err != 0) {
		g_set_error(error, INI_ERROR, INI_ERROR_IO, "%s: cannot read: %s", path,
		            g_strerror(err));
		return NULL;
	}
	if (data->len > INI_MAX_FILE) {
		g_set_error(error, INI_ERROR, INI_ERROR_IO,
		            "%s: cannot read: larger than %d MiB, not a system description", path,
		            INI_MAX_FILE >> 20);
		return NULL;
	}
	return ini_load_data(path, data->str, data->len, error);
}

/* ---- index access ------------------------------------------------------------------------ */

const char *ini_path(const IniFile *f)
{
	return f->path;
}

const char *ini_dir(const IniFile *f)
{
	return f->dir;
}

guint ini_group_count(const IniFile *f)
{
	return f->groups->len;
}

static const IniGroup *group_at(const IniFile *f, guint g)
{
	g_return_val_if_fail(g < f->groups->len, NULL);
	return g_ptr_array_index(f->groups, g);
}

const char *ini_group_name(const IniFile *f, guint g)
{
	return group_at(f, g)->name;
}

int ini_group_line(const IniFile *f, guint g)
{
	return group_at(f, g)->line;
}

int ini_find_group(const IniFile *f, const char *name)
{
	const IniGroup *g = find_group(f, name);

	return g != NULL ? (int)g->index : -1;
}

guint ini_key_count(const IniFile *f, guint g)
{
	return group_at(f, g)->keys->len;
}

const char *ini_key_name(const IniFile *f, guint g, guint k)
{
	const IniKey *key = g_ptr_array_index(group_at(f, g)->keys, k);
	return key->name;
}

int ini_key_index_line(const IniFile *f, guint g, guint k)
{
	const IniKey *key = g_ptr_array_index(group_at(f, g)->keys, k);
	return key->line;
}

int ini_key_line(const IniFile *f, guint g, const char *key)
{
	const IniKey *k = find_key(group_at(f, g), key);
	return k != NULL ? k->line : 0;
}

/* ---- paths ---------------------------------------------------------------------------- */

char *ini_path_beside(const char *file, const char *rel)
{
	if (g_path_is_absolute(rel))
		return g_strdup(rel);
	g_autofree char *dir = g_path_get_dirname(file);
	g_autofree char *joined =
	    strcmp(dir, ".") == 0 ? g_strdup(rel) : g_build_filename(dir, rel, NULL);
	/* "a/b/../c" is "a/c": drop the ".." a named directory before it cancels */
	g_auto(GStrv) parts = g_strsplit(joined, "/", -1);
	g_autoptr(GPtrArray) kept = g_ptr_array_new();
	for (char **p = parts; *p != NULL; p++) {
		const char *last = kept->len ? g_ptr_array_index(kept, kept->len - 1) : NULL;
		if (strcmp(*p, ".") == 0 && kept->len > 0)
			continue;
		if (strcmp(*p, "..") == 0 && last != NULL && *last != '\0' &&
		    strcmp(last, "..") != 0 && strcmp(last, ".") != 0)
			g_ptr_array_remove_index(kept, kept->len - 1);
		else
			g_ptr_array_add(kept, *p);
	}
	g_ptr_array_add(kept, NULL);
	return g_strjoinv("/", (char **)kept->pdata);
}

/* ---- entries from elsewhere ------------------------------------------------------------ */

gboolean ini_add_external(IniFile *f, const char *group, int group_line, const char *key,
                          const char *value, int line)
{
	IniGroup *g = find_group(f, group);

	if (g == NULL)
		g = add_group(f, group, group_line);
	if (find_key(g, key) != NULL)
		return FALSE;
	add_key(g, key, line);
	g_autofree char *gkey = g_strconcat(INI_KEY_PREFIX, key, NULL);
	g_key_file_set_string(f->kf, group, gkey, value);
	return TRUE;
}

/* ---- getters ----------------------------------------------------------------------------- */

/* The decoded value of |key| in |*out| (NULL when absent); FALSE on a bad escape. */
static gboolean raw_value(const IniFile *f, guint g, const char *key, char **out, int *line,
                          GError **error)
{
	const IniGroup *grp = group_at(f, g);
	const IniKey *k = find_key(grp, key);

	*out = NULL;
	if (k == NULL)
		return TRUE;
	*line = k->line;
	g_autoptr(GError) kerr = NULL;
	g_autofree char *gkey = g_strconcat(INI_KEY_PREFIX, key, NULL);
	char *v = g_key_file_get_string(f->kf, grp->name, gkey, &kerr);
	if (kerr != NULL) {
		g_free(v);
		ini_set_error(error, f, k->line, INI_ERROR_VALUE,
		              "'%s' has an invalid escape sequence (GKeyFile escapes are \\s, "
		              "\\n, \\t, \\r and \\\\)",
		              key);
		return FALSE;
	}
	*out = v;
	return TRUE;
}

gboolean ini_get_string(const IniFile *f, guint g, const char *key, char **out, GError **error)
{
	char *v = NULL;
	int line = 0;

	if (!raw_value(f, g, key, &v, &line, error))
		return FALSE;
	if (v != NULL) {
		g_free(*out);
		*out = v;
	}
	return TRUE;
}

/* Shared body of the typed getters: fetch, then run |parse| on the text. */
#define INI_GET(parse_call)                                                                        \
	do {                                                                                       \
		g_autofree char *text = NULL;                                                      \
		int line = 0;                                                                      \
		if (!raw_value(f, g, key, &text, &line, error))                                    \
			return FALSE;                                                              \
		if (text == NULL)                                                                  \
			return TRUE;                                                               \
		if (!(parse_call))                                                                 \
			return ini_locate_error(error, f, line);                                   \
		return TRUE;                                                                       \
	} while (0)

gboolean ini_get_u64(const IniFile *f, guint g, const char *key, guint64 min, guint64 max,
                     guint64 *out, GError **error)
{
	INI_GET(ini_parse_u64(text, key, min, max, out, error));
}

gboolean ini_get_bool(const IniFile *f, guint g, const char *key, bool *out, GError **error)
{
	INI_GET(ini_parse_bool(text, key, out, error));
}

gboolean ini_get_enum(const IniFile *f, guint g, const char *key, const IniEnum *table, int *out,
                      GError **error)
{
	INI_GET(ini_parse_enum(text, key, table, out, error));
}

gboolean ini_get_duration_ns(const IniFile *f, guint g, const char *key, guint64 min, guint64 max,
                             guint64 *out, GError **error)
{
	INI_GET(ini_parse_duration_ns(text, key, min, max, out, error));
}

gboolean ini_get_frequency_hz(const IniFile *f, guint g, const char *key, guint64 min, guint64 max,
                              guint64 *out, GError **error)
{
	INI_GET(ini_parse_frequency_hz(text, key, min, max, out, error));
}

gboolean ini_get_caps(const IniFile *f, guint g, const char *key, guint32 *out, GError **error)
{
	INI_GET(ini_parse_caps(text, key, out, error));
}

char *ini_get_raw(const IniFile *f, guint g, const char *key)
{
	const IniGroup *grp = group_at(f, g);
	if (find_key(grp, key) == NULL)
		return NULL;
	g_autofree char *gkey = g_strconcat(INI_KEY_PREFIX, key, NULL);
	return g_key_file_get_value(f->kf, grp->name, gkey, NULL);
}
