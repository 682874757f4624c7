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
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sim/errors.h"
#include "sim/kernel/kernel.h"
#include "sim/trace/record.h"

#define RECORD_MAGIC "# sentry-sim record 1"

struct recorder {
	FILE *out;             /* writing */
	FILE *expect;          /* comparing */
	char *path;
	guint64 line;          /* lines produced so far */
	char *divergence;
	GString *buf;
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

void recorder_free(Recorder *r)
{
	if (!r)
		return;
	if (r->out)
		fclose(r->out);
	if (r->expect)
		fclose(r->expect);
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
	g_string_append_printf(s, "record line %" G_GUINT64_FORMAT ":\n     record: %.*s exch=(%zu bytes)\n"
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
		g_string_append_printf(s, "\n  exch bytes %zu..%zu: record %.*s, this run %.*s%s", i,
				       end - 1, (int)(2 * shown), wh + 2 * i, (int)(2 * shown),
				       gh + 2 * i, shown < end - i ? "..." : "");
		i = end;
	}
	if (runs == 0)
		g_string_append(s, "\n  (the exchange areas are the same)");
	return g_string_free(s, FALSE);
}

/* Emit the line in r->buf: write it, or compare it with the record's next line. */
static void emit(Recorder *r)
{
	r->line++;
	if (r->out) {
		fputs(r->buf->str, r->out);
		fputc('\n', r->out);
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

static void hex(GString *s, const uint8_t *b, uint32_t len)
{
	static const char digits[] = "0123456789abcdef";
	for (uint32_t i = 0; i < len; i++) {
		g_string_append_c(s, digits[b[i] >> 4]);
		g_string_append_c(s, digits[b[i] & 15]);
	}
}

void recorder_header(Recorder *r, const char *scenario, uint64_t seed)
{
	g_string_printf(r->buf, "%s", RECORD_MAGIC);
	emit(r);
	g_string_printf(r->buf, "scenario %s", scenario);
	emit(r);
	g_string_printf(r->buf, "seed %" PRIu64, seed);
	emit(r);
}

void recorder_start(Recorder *r, uint64_t t_ns, const char *task, uint32_t r0, uint32_t r1)
{
	g_string_printf(r->buf, "%" PRIu64 " start %s r0=%08" PRIx32 " r1=%08" PRIx32, t_ns, task,
			r0, r1);
	emit(r);
}

void recorder_call(Recorder *r, uint64_t t_ns, const char *task, uint32_t nr,
		   const uint32_t args[3], const uint8_t *exch, uint32_t len)
{
	g_string_printf(r->buf, "%" PRIu64 " call %s %s(%" PRIu32 ") %08" PRIx32 " %08" PRIx32
				" %08" PRIx32 " exch=",
			t_ns, task, kernel_syscall_name(nr), nr, args[0], args[1], args[2]);
	hex(r->buf, exch, len);
	emit(r);
}

void recorder_ret(Recorder *r, uint64_t t_ns, const char *task, uint32_t r0,
		  const uint8_t *exch, uint32_t len)
{
	g_string_printf(r->buf, "%" PRIu64 " ret %s r0=%08" PRIx32 " exch=", t_ns, task, r0);
	hex(r->buf, exch, len);
	emit(r);
}

void recorder_note(Recorder *r, uint64_t t_ns, const char *what, const char *text)
{
	g_string_printf(r->buf, "%" PRIu64 " note %s: ", t_ns, what);
	/* one line: newlines of multi-line reports become " | " */
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			g_string_append(r->buf, " | ");
		else
			g_string_append_c(r->buf, *p);
	}
	emit(r);
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
			r->divergence = g_strdup_printf(
				"record line %" G_GUINT64_FORMAT ": this run ended here\n     record: %s",
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
