/*
 * output.c: task output lines and reports (see output.h).
 */
#include "config.h"

#define LIBBSD_OPENBSD_VIS 1
#include <bsd/vis.h>
#include <inttypes.h>
#include <stdarg.h>

#include "sim/trace/output.h"

struct output {
	FILE *out;
	FILE *diag;
	gboolean raw;
	guint n; /* streams: the tasks, then the devices */
	guint n_tasks;
	char **names;      /* per stream: the task's or the device's name */
	GString **partial; /* per stream: bytes of the line not yet ended */
};

Output *output_new(FILE *out, FILE *diag, const char *const *names, guint n, gboolean raw)
{
	Output *o = g_new0(Output, 1);
	o->out = out;
	o->diag = diag;
	o->raw = raw;
	o->n = o->n_tasks = n;
	o->names = g_new0(char *, n + 1);
	o->partial = g_new0(GString *, n);
	for (guint i = 0; i < n; i++) {
		o->names[i] = g_strdup(names[i]);
		o->partial[i] = g_string_new(NULL);
	}
	return o;
}

void output_add_devices(Output *o, const char *const *names, guint n)
{
	o->names = g_renew(char *, o->names, o->n + n + 1);
	o->partial = g_renew(GString *, o->partial, o->n + n);
	for (guint i = 0; i < n; i++) {
		o->names[o->n + i] = g_strdup(names[i]);
		o->partial[o->n + i] = g_string_new(NULL);
	}
	o->n += n;
	o->names[o->n] = NULL;
}

void output_free(Output *o)
{
	if (!o)
		return;
	for (guint i = 0; i < o->n; i++)
		g_string_free(o->partial[i], TRUE);
	g_free(o->partial);
	g_strfreev(o->names);
	g_free(o);
}

static void emit_line(Output *o, guint task, const char *bytes, gsize len)
{
	/* vis(3) needs up to 4 bytes per input byte, plus the NUL */
	g_autofree char *esc = g_malloc(len * 4 + 1);
	strnvisx(esc, len * 4 + 1, bytes, len, VIS_CSTYLE | VIS_OCTAL);
	if (task < o->n_tasks)
		fprintf(o->out, "%s: %s\n", o->names[task], esc);
	else
		fprintf(o->out, "[%s] %s\n", o->names[task], esc);
}

/* A task's line longer than this is cut and printed in pieces: the daemon's memory never
 * grows with what a task writes without a newline. */
#define LINE_MAX_BYTES 4096

/* The bytes of stream |task| (a task, or a device after them), cut into lines. */
static void output_stream(Output *o, guint task, const uint8_t *bytes, size_t len)
{
	if (o->raw) {
		fwrite(bytes, 1, len, o->out);
		return;
	}
	GString *p = o->partial[task];
	const char *s = (const char *)bytes;
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\n' && p->len + (i - start) < LINE_MAX_BYTES)
			continue;
		if (s[i] != '\n') { /* cut: this byte starts the next piece */
			g_string_append_len(p, s + start, (gssize)(i - start));
			emit_line(o, task, p->str, p->len);
			g_string_truncate(p, 0);
			start = i;
			continue;
		}
		g_string_append_len(p, s + start, (gssize)(i - start));
		emit_line(o, task, p->str, p->len);
		g_string_truncate(p, 0);
		start = i + 1;
	}
	g_string_append_len(p, s + start, (gssize)(len - start));
}

void output_device(Output *o, uint32_t device, const uint8_t *bytes, size_t len)
{
	if (device < o->n - o->n_tasks)
		output_stream(o, o->n_tasks + device, bytes, len);
}

void output_log(Output *o, uint32_t task, const uint8_t *bytes, size_t len)
{
	if (task < o->n_tasks)
		output_stream(o, task, bytes, len);
	else if (o->raw)
		fwrite(bytes, 1, len, o->out);
}

void output_flush(Output *o)
{
	for (guint i = 0; i < o->n; i++) {
		if (o->partial[i]->len) {
			emit_line(o, i, o->partial[i]->str, o->partial[i]->len);
			g_string_truncate(o->partial[i], 0);
		}
	}
	fflush(o->out);
	fflush(o->diag);
}

void output_format_time(uint64_t ns, char *buf, size_t len)
{
	uint64_t us = ns / 1000u;
	snprintf(buf, len, "[%5" PRIu64 ".%06" PRIu64 "]", us / 1000000u, us % 1000000u);
}

void output_report(Output *o, const KernelReport *r)
{
	char when[32];
	output_format_time(r->time_ns, when, sizeof(when));
	/* report text can quote task-chosen names: escape it all the same */
	gsize len = strlen(r->text);
	g_autofree char *esc = g_malloc(len * 4 + 1);
	strnvisx(esc, len * 4 + 1, r->text, len, VIS_CSTYLE | VIS_OCTAL | VIS_NL | VIS_TAB);
	fflush(o->out);
	if (r->task != KERNEL_NO_TASK && r->task < o->n_tasks)
		fprintf(o->diag, "sentry-sim: %s task '%s': %s\n", when, o->names[r->task], esc);
	else
		fprintf(o->diag, "sentry-sim: %s %s\n", when, esc);
	fflush(o->diag);
}

void output_note(Output *o, uint64_t time_ns, const char *fmt, ...)
{
	char when[32];
	output_format_time(time_ns, when, sizeof(when));
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fflush(o->out);
	fprintf(o->diag, "sentry-sim: %s %s\n", when, text);
	fflush(o->diag);
}
