/*
 * record.c: write or compare the text syscall stream (see record.h).
 *
 * Format (version 1):
 *   # sentry-sim record 1
 *   scenario PATH
 *   seed N
 *   T start TASK r0=HEX r1=HEX
 *   T call TASK NAME(NR) HEX HEX HEX exch=HEX...
 *   T ret TASK r0=HEX exch=HEX...
 *   T note WHAT: TEXT
 * T is the virtual time in nanoseconds. Task names are the description's (safe: letters,
 * digits, '_', '-', '.').
 *
 * A line is formatted by hand (tbuf.h's appends: decimal, %08x, the exchange bytes from a
 * table) into one buffer, then written with one call, compared, or kept: a record has a call
 * and a return line per system call, each with up to 2048 hexadecimal digits.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/errors.h"
#include "sim/kernel/kernel.h"
#include "sim/trace/record.h"
#include "sim/trace/tbuf.h"

#define RECORD_MAGIC "# sentry-sim record 1"

/* A memory recorder's line: where it starts in the stream, and what it is. */
typedef struct {
	gsize at;
	RecordLineKind kind;
} LineRef;

struct recorder {
	FILE *out;    /* writing */
	FILE *expect; /* comparing */
	GArray *kept; /* keeping in memory: LineRef, one per line */
	char *path;
	guint64 line; /* lines produced so far */
	char *divergence;
	/* the line being formatted, from |start| (kept in memory: the whole stream, each line
	 * ended by a NUL) */
	GString *buf;
	gsize start;
};

static Recorder *recorder_alloc(const char *path)
{
	Recorder *r = g_new0(Recorder, 1);
	r->path = g_strdup(path);
	r->buf = g_string_new(NULL);
	return r;
}

Recorder *recorder_new_file(const char *path, GError **error)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "--record: cannot write '%s': %s",
		            path, g_strerror(errno));
		return NULL;
	}
	Recorder *r = recorder_alloc(path);
	r->out = f;
	return r;
}

Recorder *recorder_new_compare(const char *path, GError **error)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "cannot read '%s': %s", path,
		            g_strerror(errno));
		return NULL;
	}
	Recorder *r = recorder_alloc(path);
	r->expect = f;
	return r;
}

Recorder *recorder_new_memory(void)
{
	Recorder *r = recorder_alloc(NULL);
	r->kept = g_array_new(FALSE, FALSE, sizeof(LineRef));
	return r;
}

guint recorder_n_lines(const Recorder *r)
{
	return r->kept ? r->kept->len : 0;
}

const char *recorder_line(const Recorder *r, guint i, RecordLineKind *kind)
{
	if (!r->kept || i >= r->kept->len)
		return NULL;
	const LineRef *l = &g_array_index(r->kept, LineRef, i);
	if (kind)
		*kind = l->kind;
	return r->buf->str + l->at;
}

void recorder_free(Recorder *r)
{
	if (!r)
		return;
	if (r->out)
		fclose(r->out);
	if (r->expect)
		fclose(r->expect);
	if (r->kept)
		g_array_free(r->kept, TRUE);
	g_free(r->path);
	g_free(r->divergence);
	g_string_free(r->buf, TRUE);
	g_free(r);
}

/* At most this many runs of differing exchange-area bytes are listed, each cut at 16. */
#define DIFF_MAX_RUNS  4
#define DIFF_MAX_BYTES 16

/* The two versions of a differing line. The exchange area (exch=, up to 2048 hex digits)
 * is shown as its length, then only its differing bytes, by offset. */
static char *describe_difference(guint64 line, const char *want, const char *got)
{
	const char *we = strstr(want, " exch="), *ge = strstr(got, " exch=");
	if (!we || !ge)
		return g_strdup_printf("record line %" G_GUINT64_FORMAT ":\n     record: %s\n"
		                       "   this run: %s",
		                       line, want, got);
	const char *wh = we + 6, *gh = ge + 6;
	size_t wn = strlen(wh) / 2, gn = strlen(gh) / 2;
	GString *s = g_string_new(NULL);
	g_string_append_printf(s,
	                       "record line %" G_GUINT64_FORMAT
	                       ":\n     record: %.*s exch=(%zu bytes)\n"
	                       "   this run: %.*s exch=(%zu bytes)",
	                       line, (int)(we - want), want, wn, (int)(ge - got), got, gn);
	if (wn != gn) {
		g_string_append(s, "\n  the exchange areas differ in length");
		return g_string_free(s, FALSE);
	}
	guint runs = 0;
	for (size_t i = 0; i < wn; i++) {
		if (!strncmp(wh + 2 * i, gh + 2 * i, 2))
			continue;
		size_t end = i;
		while (end < wn && strncmp(wh + 2 * end, gh + 2 * end, 2))
			end++;
		if (++runs > DIFF_MAX_RUNS) {
			g_string_append(s, "\n  (more differing bytes follow)");
			break;
		}
		size_t shown = MIN(end - i, (size_t)DIFF_MAX_BYTES);
		g_string_append_printf(s, "\n  exch bytes %zu..%zu: record %.*s, this run %.*s%s",
		                       i, end - 1, (int)(2 * shown), wh + 2 * i, (int)(2 * shown),
		                       gh + 2 * i, shown < end - i ? "..." : "");
		i = end;
	}
	if (runs == 0)
		g_string_append(s, "\n  (the exchange areas are the same)");
	return g_string_free(s, FALSE);
}

/* Room for |n| more bytes at the end of the line being formatted: write through the
 * pointer with tbuf.h's w_*(), then done() with the pointer past what was written. */
static char *room(Recorder *r, size_t n)
{
	gsize at = r->buf->len;
	g_string_set_size(r->buf, at + n);
	return r->buf->str + at;
}

static void done(Recorder *r, char *p)
{
	g_string_truncate(r->buf, (gsize)(p - r->buf->str));
}

/* Start a line: in memory, after the lines kept; otherwise in the emptied buffer. */
static void begin(Recorder *r)
{
	if (!r->kept)
		g_string_truncate(r->buf, 0);
	r->start = r->buf->len;
}

/* The line formatted since begin(): keep it, write it, or compare it with the record's
 * next line. */
static void emit(Recorder *r, RecordLineKind kind)
{
	r->line++;
	if (r->kept) {
		LineRef l = {.at = r->start, .kind = kind};
		g_array_append_val(r->kept, l);
		g_string_append_c(r->buf, '\0');
		return;
	}
	if (r->out) {
		/* one write per line, its newline included */
		g_string_append_c(r->buf, '\n');
		fwrite(r->buf->str, 1, r->buf->len, r->out);
		return;
	}
	if (!r->expect || r->divergence)
		return;
	g_autofree char *want = NULL;
	size_t cap = 0;
	ssize_t n = getline(&want, &cap, r->expect);
	if (n > 0 && want[n - 1] == '\n')
		want[n - 1] = '\0';
	if (n < 0)
		r->divergence = g_strdup_printf("record line %" G_GUINT64_FORMAT
		                                ": the record ended here\n   this run: %s",
		                                r->line, r->buf->str);
	else if (strcmp(want, r->buf->str) != 0)
		r->divergence = describe_difference(r->line, want, r->buf->str);
}

/* The most bytes a line's fixed parts take: the time, " call ", the number in parentheses,
 * the three arguments and " exch=" (names and bytes are counted apart). */
#define LINE_FIXED_MAX (TB_U64_MAX + 64)

/* " exch=" and the exchange area in hexadecimal, two digits a byte from a table. */
static char *w_exch(char *p, const uint8_t *b, uint32_t len)
{
	p = w_lit(p, " exch=");
	return w_hex_bytes(p, b, len);
}

static char *w_str(char *p, const char *s)
{
	return w_mem(p, s, strlen(s));
}

void recorder_header(Recorder *r, const char *scenario, uint64_t seed)
{
	begin(r);
	g_string_append(r->buf, RECORD_MAGIC);
	emit(r, RECORD_LINE_HEADER);
	begin(r);
	g_string_append(r->buf, "scenario ");
	g_string_append(r->buf, scenario);
	emit(r, RECORD_LINE_HEADER);
	begin(r);
	char *p = room(r, 5 + TB_U64_MAX);
	p = w_lit(p, "seed ");
	done(r, w_u64(p, seed));
	emit(r, RECORD_LINE_HEADER);
}

void recorder_start(Recorder *r, uint64_t t_ns, const char *task, uint32_t r0, uint32_t r1)
{
	begin(r);
	char *p = room(r, LINE_FIXED_MAX + strlen(task));
	p = w_u64(p, t_ns);
	p = w_lit(p, " start ");
	p = w_str(p, task);
	p = w_lit(p, " r0=");
	p = w_hex8(p, r0);
	p = w_lit(p, " r1=");
	done(r, w_hex8(p, r1));
	emit(r, RECORD_LINE_START);
}

void recorder_call(Recorder *r, uint64_t t_ns, const char *task, uint32_t nr,
                   const uint32_t args[3], const uint8_t *exch, uint32_t len)
{
	const char *name = kernel_syscall_name(nr);
	begin(r);
	char *p = room(r, LINE_FIXED_MAX + strlen(task) + strlen(name) + 2 * (size_t)len);
	p = w_u64(p, t_ns);
	p = w_lit(p, " call ");
	p = w_str(p, task);
	*p++ = ' ';
	p = w_str(p, name);
	*p++ = '(';
	p = w_u64(p, nr);
	*p++ = ')';
	for (int i = 0; i < 3; i++) {
		*p++ = ' ';
		p = w_hex8(p, args[i]);
	}
	done(r, w_exch(p, exch, len));
	emit(r, RECORD_LINE_CALL);
}

void recorder_ret(Recorder *r, uint64_t t_ns, const char *task, uint32_t r0, const uint8_t *exch,
                  uint32_t len)
{
	begin(r);
	char *p = room(r, LINE_FIXED_MAX + strlen(task) + 2 * (size_t)len);
	p = w_u64(p, t_ns);
	p = w_lit(p, " ret ");
	p = w_str(p, task);
	p = w_lit(p, " r0=");
	p = w_hex8(p, r0);
	done(r, w_exch(p, exch, len));
	emit(r, RECORD_LINE_RET);
}

void recorder_note(Recorder *r, uint64_t t_ns, const char *what, const char *text)
{
	begin(r);
	char *p = room(r, TB_U64_MAX + 6);
	p = w_u64(p, t_ns);
	done(r, w_lit(p, " note "));
	g_string_append(r->buf, what);
	g_string_append(r->buf, ": ");
	/* one line: newlines of multi-line reports become " | " */
	for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1) {
		g_string_append_len(r->buf, text, nl - text);
		g_string_append(r->buf, " | ");
	}
	g_string_append(r->buf, text);
	emit(r, RECORD_LINE_NOTE);
}

gboolean recorder_finish(Recorder *r, GError **error)
{
	if (r->out) {
		if (fflush(r->out) != 0 || ferror(r->out)) {
			g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
			            "--record: cannot write '%s': %s", r->path, g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	if (!r->divergence && r->expect) {
		g_autofree char *extra = NULL;
		size_t cap = 0;
		ssize_t n = getline(&extra, &cap, r->expect);
		if (n > 0) {
			if (extra[n - 1] == '\n')
				extra[n - 1] = '\0';
			r->divergence = g_strdup_printf("record line %" G_GUINT64_FORMAT
			                                ": this run ended here\n     record: %s",
			                                r->line + 1, extra);
		}
	}
	return r->divergence == NULL;
}

gboolean recorder_diverged(const Recorder *r)
{
	return r->divergence != NULL;
}

const char *recorder_divergence(const Recorder *r)
{
	return r->divergence;
}

gboolean record_read_header(const char *path, char **scenario, uint64_t *seed, GError **error)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	g_auto(GStrv) lines = g_strsplit(text, "\n", 4);
	if (g_strv_length(lines) < 3 || strcmp(lines[0], RECORD_MAGIC) != 0 ||
	    !g_str_has_prefix(lines[1], "scenario ") || !g_str_has_prefix(lines[2], "seed ")) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_CONFIG,
		            "%s:1: not a sentry-sim record (expected '%s')", path, RECORD_MAGIC);
		return FALSE;
	}
	char *end = NULL;
	guint64 v = g_ascii_strtoull(lines[2] + 5, &end, 10);
	if (!end || *end) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_CONFIG, "%s:3: bad seed line", path);
		return FALSE;
	}
	*scenario = g_strdup(lines[1] + 9);
	*seed = v;
	return TRUE;
}
