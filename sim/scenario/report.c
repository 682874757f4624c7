/*
 * report.c: TAP, JUnit and the closing summary of `sentry-sim test`, and the merge of shard
 * JUnit files (see report.h).
 *
 * TAP follows the TAP 14 specification, which TAP 13 consumers also read: a subtest per
 * scenario (indented four spaces, "# Subtest" first) then the scenario's own point; '\' and
 * '#' in descriptions escaped ("\\", "\#") so that no path reads as a TODO or SKIP directive;
 * diagnostics as YAML blocks whose strings are all double-quoted, so that no text of a task
 * can end a block or read as "Bail out!". JUnit follows the structure of the Jenkins/Surefire
 * schema (tests/integration/data/junit.xsd). The merge reads XML with GMarkup.
 */
#include "config.h"

#include <inttypes.h>
#include <signal.h>
#include <string.h>

#include "sim/scenario/ini.h"
#include "sim/scenario/report.h"

#define OUTPUT_LINES 20 /* lines of a run's output shown with a failure */

CaseOutcome report_outcome(const SuiteCase *c)
{
	if (c->timed_out || c->signal)
		return CASE_ERROR;
	switch (c->status) {
	case 0:
		return CASE_PASS;
	case 77:
		return CASE_SKIP;
	case 1:
	case 3:
		return CASE_FAIL;
	default:
		return CASE_ERROR;
	}
}

/* The first message of the daemon in |text| (a line that starts with "sentry-sim: ", the
 * boot banner and warnings about the host aside: neither says why a run failed), without
 * that prefix; else the first line. */
static char *first_message(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (g_str_has_prefix(lines[i], "sentry-sim: ") && !strstr(lines[i], "] booting ") &&
		    !g_str_has_prefix(lines[i], "sentry-sim: warning: "))
			return g_strdup(lines[i] + strlen("sentry-sim: "));
	return g_strdup(lines[0] && lines[0][0] ? lines[0] : "no message");
}

/* Why a run could not be judged: its kind ("timeout", "crash", ...) and a message. */
static const char *error_of(const SuiteCase *c, char **message)
{
	if (c->timed_out) {
		*message = g_strdup_printf("timeout: the run took longer than %u s (wall clock) "
		                           "and was killed",
		                           c->timeout_s);
		return "timeout";
	}
	if (c->signal) {
		*message = g_strdup_printf("crash: the run was killed by signal %d (%s)", c->signal,
		                           g_strsignal(c->signal));
		return "crash";
	}
	if (c->results && c->results->error) {
		*message = g_strdup_printf("script error: %s", c->results->error);
		return "script-error";
	}
	g_autofree char *first = first_message(c->output);
	switch (c->status) {
	case 2:
		*message = g_strdup_printf("load error: %s", first);
		return "load-error";
	case 130:
		*message = g_strdup("interrupted");
		return "interrupted";
	case 1:
	case 3:
		*message = g_strdup_printf("%s: %s", c->status == 3 ? "kernel panic" : "run failed",
		                           first);
		return "run-failed";
	default:
		*message = g_strdup_printf("error (exit status %d): %s", c->status, first);
		return "error";
	}
}

static guint count_verdict(const SuiteCase *c, ScriptVerdict v)
{
	guint n = 0;
	for (guint i = 0; c->results && i < c->results->expects->len; i++)
		n += g_array_index(c->results->expects, ExpectResult, i).verdict == v;
	return n;
}

/* Does the case need a "run" point: an error, or a failure no expectation explains. */
static gboolean needs_run_point(const SuiteCase *c)
{
	CaseOutcome o = report_outcome(c);
	if (!c->results)
		return o != CASE_SKIP;
	return o == CASE_ERROR || (o == CASE_FAIL && count_verdict(c, SCRIPT_VERDICT_FAILED) == 0);
}

static const ExpectResult *first_failed(const SuiteCase *c)
{
	for (guint i = 0; c->results && i < c->results->expects->len; i++) {
		const ExpectResult *x = &g_array_index(c->results->expects, ExpectResult, i);
		if (x->verdict == SCRIPT_VERDICT_FAILED)
			return x;
	}
	return NULL;
}

/* "expect.served failed at 1.000001s" */
static char *expect_headline(const ExpectResult *x)
{
	g_autofree char *t = ini_format_duration(x->at_ns);
	return g_strdup_printf("%s failed at %s", x->name, t);
}

/* The last |n| lines of |text|, each without its newline. */
static GStrv last_lines(const char *text, guint n)
{
	g_auto(GStrv) all = g_strsplit(text ? text : "", "\n", -1);
	guint len = g_strv_length(all);
	if (len > 0 && all[len - 1][0] == '\0')
		len--;
	guint from = len > n ? len - n : 0;
	GStrv out = g_new0(char *, len - from + 1);
	for (guint i = from; i < len; i++)
		out[i - from] = g_strdup(all[i]);
	return out;
}

/* ---- TAP --------------------------------------------------------------------------------- */

/* A TAP description: '\' and '#' escaped, control characters made '?'. */
static char *tap_escape(const char *s)
{
	GString *out = g_string_new(NULL);
	for (const char *p = s; *p; p++) {
		if (*p == '\\' || *p == '#')
			g_string_append_c(out, '\\');
		g_string_append_c(out, (unsigned char)*p < 0x20 ? '?' : *p);
	}
	return g_string_free(out, FALSE);
}

/* A YAML double-quoted scalar. */
static void yaml_string(GString *out, const char *s)
{
	g_autofree char *valid = g_utf8_make_valid(s ? s : "", -1);
	g_string_append_c(out, '"');
	for (const char *p = valid; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '"' || ch == '\\')
			g_string_append_printf(out, "\\%c", ch);
		else if (ch == '\n')
			g_string_append(out, "\\n");
		else if (ch == '\t')
			g_string_append(out, "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			g_string_append_printf(out, "\\x%02x", ch);
		else
			g_string_append_c(out, (char)ch);
	}
	g_string_append_c(out, '"');
}

static void yaml_key(GString *y, const char *indent, const char *key, const char *value)
{
	g_string_append_printf(y, "%s%s: ", indent, key);
	yaml_string(y, value);
	g_string_append_c(y, '\n');
}

/* The YAML block of a failed expectation, at |indent|. */
static void yaml_expect(GString *y, const char *indent, const SuiteCase *c, const ExpectResult *x)
{
	g_autofree char *head = expect_headline(x);
	g_autofree char *at = ini_format_duration(x->at_ns);
	g_string_append_printf(y, "%s---\n", indent);
	yaml_key(y, indent, "message", head);
	yaml_key(y, indent, "severity", "fail");
	yaml_key(y, indent, "file", c->path);
	g_string_append_printf(y, "%sline: %d\n", indent, x->line);
	yaml_key(y, indent, "expected", x->expected);
	yaml_key(y, indent, "observed", x->observed ? x->observed : "");
	yaml_key(y, indent, "at", at);
	g_string_append_printf(y, "%sat_ns: %" PRIu64 "\n", indent, x->at_ns);
	g_string_append_printf(y, "%s...\n", indent);
}

/* Why the run point failed, at |indent|: the message, and the run's last lines. */
static void yaml_run(GString *y, const char *indent, const SuiteCase *c, const char *severity,
                     const char *message, gboolean output)
{
	g_string_append_printf(y, "%s---\n", indent);
	yaml_key(y, indent, "message", message);
	yaml_key(y, indent, "severity", severity);
	yaml_key(y, indent, "file", c->path);
	if (c->status >= 0 && !c->timed_out && !c->signal)
		g_string_append_printf(y, "%sexit: %d\n", indent, c->status);
	g_string_append_printf(y, "%sduration_ms: %.0f\n", indent, c->seconds * 1e3);
	if (c->results && c->results->end)
		yaml_key(y, indent, "run", c->results->end);
	if (c->record)
		yaml_key(y, indent, "record", c->record);
	if (c->trace)
		yaml_key(y, indent, "trace", c->trace);
	/* one quoted scalar: TAP::Parser's YAMLish reads "- a: b" items as maps */
	g_auto(GStrv) lines = last_lines(c->output, OUTPUT_LINES);
	if (output && lines[0]) {
		g_autofree char *text = g_strjoinv("\n", lines);
		yaml_key(y, indent, "output", text);
	}
	g_string_append_printf(y, "%s...\n", indent);
}

void report_tap_case(FILE *out, guint number, const SuiteCase *c)
{
	g_autofree char *desc = tap_escape(c->path);
	CaseOutcome o = report_outcome(c);
	GString *t = g_string_new(NULL);
	if (o == CASE_SKIP) {
		g_autofree char *why = first_message(c->output);
		g_autofree char *ewhy = tap_escape(why);
		g_string_append_printf(t, "ok %u - %s # SKIP %s\n", number, desc, ewhy);
		fputs(t->str, out);
		fflush(out);
		g_string_free(t, TRUE);
		return;
	}
	g_string_append_printf(t, "    # Subtest: %s\n", desc);
	guint n = c->results ? c->results->expects->len : 0;
	gboolean run_point = needs_run_point(c);
	g_string_append_printf(t, "    1..%u\n", n + run_point);
	for (guint i = 0; i < n; i++) {
		const ExpectResult *x = &g_array_index(c->results->expects, ExpectResult, i);
		if (x->verdict == SCRIPT_VERDICT_PASSED) {
			g_string_append_printf(t, "    ok %u - %s\n", i + 1, x->name);
		} else if (x->verdict == SCRIPT_VERDICT_NOT_EVALUATED) {
			g_autofree char *why = tap_escape(c->results->end ? c->results->end : "");
			g_string_append_printf(t,
			                       "    ok %u - %s # SKIP not evaluated: the run %s\n",
			                       i + 1, x->name, why);
		} else {
			g_string_append_printf(t, "    not ok %u - %s\n", i + 1, x->name);
			yaml_expect(t, "      ", c, x);
		}
	}
	char *message = NULL;
	if (run_point) {
		const char *kind = error_of(c, &message);
		gboolean fail = o == CASE_FAIL || (o == CASE_PASS);
		if (o == CASE_PASS) {
			g_string_append_printf(t, "    ok %u - run\n", n + 1);
		} else {
			g_string_append_printf(t, "    not ok %u - run\n", n + 1);
			yaml_run(t, "      ", c, fail ? "fail" : kind, message, TRUE);
		}
	}
	const ExpectResult *ff = first_failed(c);
	if (o == CASE_PASS) {
		g_string_append_printf(t, "ok %u - %s\n", number, desc);
	} else {
		g_string_append_printf(t, "not ok %u - %s\n", number, desc);
		g_autofree char *msg = NULL;
		if (o == CASE_ERROR || !ff)
			msg = g_strdup(message ? message : "error");
		else
			msg = g_strdup_printf("%u of %u expectations failed, first %s",
			                      count_verdict(c, SCRIPT_VERDICT_FAILED), n, ff->name);
		yaml_run(t, "  ", c, o == CASE_ERROR ? "error" : "fail", msg, !run_point);
	}
	g_free(message);
	fputs(t->str, out);
	fflush(out);
	g_string_free(t, TRUE);
}

/* ---- JUnit ------------------------------------------------------------------------------- */

static void xml_attr(GString *x, const char *name, const char *value)
{
	g_autofree char *valid = g_utf8_make_valid(value ? value : "", -1);
	g_autofree char *esc = g_markup_escape_text(valid, -1);
	g_string_append_printf(x, " %s=\"%s\"", name, esc);
}

/* Text content: valid UTF-8, characters XML 1.0 cannot carry made '?'. */
static void xml_text(GString *x, const char *text)
{
	g_autofree char *valid = g_utf8_make_valid(text ? text : "", -1);
	for (char *p = valid; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
			*p = '?';
	g_autofree char *esc = g_markup_escape_text(valid, -1);
	g_string_append(x, esc);
}

/* The classname of a scenario: its path without ".ini" (JUnit readers split at the last
 * dot). */
static char *classname(const SuiteCase *c)
{
	if (g_str_has_suffix(c->path, ".ini"))
		return g_strndup(c->path, strlen(c->path) - 4);
	return g_strdup(c->path);
}

/* Append the <testsuite> of |c| to |x|; add its tests, failures and errors to |total|. */
static void junit_case(GString *x, const SuiteCase *c, guint total[3])
{
	g_autofree char *cls = classname(c);
	CaseOutcome o = report_outcome(c);
	guint tests = 0, failures = 0, errors = 0, skipped = 0;
	GString *body = g_string_new(NULL);
	if (o == CASE_SKIP) {
		g_autofree char *why = first_message(c->output);
		tests = skipped = 1;
		g_string_append(body, "    <testcase");
		xml_attr(body, "classname", cls);
		xml_attr(body, "name", "run");
		g_string_append(body, ">\n      <skipped");
		xml_attr(body, "message", why);
		g_string_append(body, "/>\n    </testcase>\n");
	}
	for (guint i = 0; o != CASE_SKIP && c->results && i < c->results->expects->len; i++) {
		const ExpectResult *r = &g_array_index(c->results->expects, ExpectResult, i);
		tests++;
		g_string_append(body, "    <testcase");
		xml_attr(body, "classname", cls);
		xml_attr(body, "name", r->name);
		if (r->verdict == SCRIPT_VERDICT_PASSED) {
			g_string_append(body, "/>\n");
			continue;
		}
		g_string_append(body, ">\n");
		if (r->verdict == SCRIPT_VERDICT_NOT_EVALUATED) {
			skipped++;
			g_autofree char *why =
			    g_strdup_printf("not evaluated: the run %s",
			                    c->results->end ? c->results->end : "stopped");
			g_string_append(body, "      <skipped");
			xml_attr(body, "message", why);
			g_string_append(body, "/>\n");
		} else {
			failures++;
			g_autofree char *head = expect_headline(r);
			g_autofree char *msg = g_strdup_printf("%s: expected %s; observed %s", head,
			                                       r->expected, r->observed);
			g_autofree char *at = ini_format_duration(r->at_ns);
			g_autofree char *text = g_strdup_printf(
			    "%s:%d: %s\n  expected: %s\n  observed: %s\n  at: %s (virtual "
			    "time)\n%s%s%s",
			    c->path, r->line, head, r->expected, r->observed ? r->observed : "", at,
			    c->results->end ? "  run: " : "",
			    c->results->end ? c->results->end : "", c->results->end ? "\n" : "");
			g_string_append(body, "      <failure type=\"expectation\"");
			xml_attr(body, "message", msg);
			g_string_append(body, ">");
			xml_text(body, text);
			g_string_append(body, "</failure>\n");
		}
		g_string_append(body, "    </testcase>\n");
	}
	if (o != CASE_SKIP && needs_run_point(c)) {
		tests++;
		g_string_append(body, "    <testcase");
		xml_attr(body, "classname", cls);
		xml_attr(body, "name", "run");
		if (o == CASE_PASS) {
			g_string_append(body, "/>\n");
		} else {
			g_autofree char *message = NULL;
			const char *kind = error_of(c, &message);
			const char *el = o == CASE_FAIL ? "failure" : "error";
			failures += o == CASE_FAIL;
			errors += o == CASE_ERROR;
			g_string_append_printf(body, ">\n      <%s", el);
			xml_attr(body, "type", kind);
			xml_attr(body, "message", message);
			g_string_append(body, ">");
			xml_text(body, message);
			g_string_append(body, "</");
			g_string_append_printf(body, "%s>\n    </testcase>\n", el);
		}
	}
	g_string_append(x, "  <testsuite");
	xml_attr(x, "name", c->path);
	char secs[G_ASCII_DTOSTR_BUF_SIZE];
	g_string_append_printf(x,
	                       " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" "
	                       "time=\"%s\" id=\"%u\"",
	                       tests, failures, errors, skipped,
	                       g_ascii_formatd(secs, sizeof(secs), "%.3f", c->seconds), c->index);
	xml_attr(x, "file", c->path);
	g_string_append(x, ">\n");
	if (c->record || c->trace) {
		g_string_append(x, "    <properties>\n");
		if (c->record) {
			g_string_append(x, "      <property name=\"record\"");
			xml_attr(x, "value", c->record);
			g_string_append(x, "/>\n");
		}
		if (c->trace) {
			g_string_append(x, "      <property name=\"trace\"");
			xml_attr(x, "value", c->trace);
			g_string_append(x, "/>\n");
		}
		g_string_append(x, "    </properties>\n");
	}
	g_string_append(x, body->str);
	g_string_free(body, TRUE);
	total[0] += tests;
	total[1] += failures;
	total[2] += errors;
	g_string_append(x, "    <system-out>");
	xml_text(x, c->output);
	g_string_append(x, "</system-out>\n  </testsuite>\n");
}

/* The <testsuites> element around |suites|, with their totals (the schema has no 'skipped'
 * there: each <testsuite> has its own). */
static char *junit_wrap(const char *suites, guint tests, guint failures, guint errors,
                        double seconds)
{
	char secs[G_ASCII_DTOSTR_BUF_SIZE]; /* "1.234" whatever the locale */
	return g_strdup_printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                       "<testsuites name=\"sentry-sim\" tests=\"%u\" failures=\"%u\" "
	                       "errors=\"%u\" time=\"%s\">\n%s</testsuites>\n",
	                       tests, failures, errors,
	                       g_ascii_formatd(secs, sizeof(secs), "%.3f", seconds), suites);
}

char *report_junit(const SuiteCase *cases, guint n, double seconds)
{
	g_autoptr(GString) x = g_string_new(NULL);
	guint total[3] = {0};
	for (guint i = 0; i < n; i++)
		junit_case(x, &cases[i], total);
	return junit_wrap(x->str, total[0], total[1], total[2], seconds);
}

/* ---- summary ----------------------------------------------------------------------------- */

void report_summary(FILE *out, const SuiteCase *cases, guint n, double seconds)
{
	guint count[4] = {0};
	for (guint i = 0; i < n; i++)
		count[report_outcome(&cases[i])]++;
	if (count[CASE_FAIL] + count[CASE_ERROR] > 0)
		fprintf(out, "\nfailed scenarios:\n");
	for (guint i = 0; i < n; i++) {
		const SuiteCase *c = &cases[i];
		CaseOutcome o = report_outcome(c);
		if (o != CASE_FAIL && o != CASE_ERROR)
			continue;
		fprintf(out, "  %s\n", c->path);
		for (guint k = 0; o == CASE_FAIL && c->results && k < c->results->expects->len;
		     k++) {
			const ExpectResult *x =
			    &g_array_index(c->results->expects, ExpectResult, k);
			if (x->verdict != SCRIPT_VERDICT_FAILED)
				continue;
			g_autofree char *head = expect_headline(x);
			fprintf(out, "    %s:%d: %s\n      expected: %s\n      observed: %s\n",
			        c->path, x->line, head, x->expected, x->observed);
			if (c->trace)
				fprintf(out, "      trace: %s, at ts %" PRIu64 ".%03u us\n",
				        c->trace, x->at_ns / 1000, (unsigned)(x->at_ns % 1000));
		}
		if (needs_run_point(c)) {
			g_autofree char *message = NULL;
			(void)error_of(c, &message);
			fprintf(out, "    %s\n", message);
		}
		if (c->trace)
			fprintf(out, "    trace: %s (ui.perfetto.dev)\n", c->trace);
		if (c->record)
			fprintf(out, "    record: %s (sentry-sim replay %s)\n", c->record,
			        c->record);
		else {
			g_autofree char *q = g_shell_quote(c->path);
			fprintf(out, "    again: sentry-sim run --record FILE %s\n", q);
		}
	}
	fprintf(out,
	        "sentry-sim test: %u scenarios: %u passed, %u failed, %u errors, %u skipped "
	        "(%.1f s)\n",
	        n, count[CASE_PASS], count[CASE_FAIL], count[CASE_ERROR], count[CASE_SKIP],
	        seconds);
	fflush(out);
}

/* ---- merge ------------------------------------------------------------------------------- */

/* An XML element as GMarkup gives it: enough to write it out again. */
typedef struct node {
	char *name;
	GStrv attr_names, attr_values;
	GString *text;
	GPtrArray *children; /* of Node */
} Node;

static void node_free(gpointer p)
{
	Node *n = p;
	g_free(n->name);
	g_strfreev(n->attr_names);
	g_strfreev(n->attr_values);
	g_string_free(n->text, TRUE);
	g_ptr_array_unref(n->children);
	g_free(n);
}

typedef struct {
	GPtrArray *stack; /* open elements, not owned */
	Node *root;
} Builder;

static void on_start(GMarkupParseContext *ctx, const char *name, const char **names,
                     const char **values, gpointer data, GError **error)
{
	Builder *b = data;
	Node *n = g_new0(Node, 1);
	n->name = g_strdup(name);
	n->attr_names = g_strdupv((char **)names);
	n->attr_values = g_strdupv((char **)values);
	n->text = g_string_new(NULL);
	n->children = g_ptr_array_new_with_free_func(node_free);
	if (b->stack->len == 0) {
		b->root = n;
	} else {
		Node *parent = g_ptr_array_index(b->stack, b->stack->len - 1);
		g_ptr_array_add(parent->children, n);
	}
	g_ptr_array_add(b->stack, n);
}

static void on_end(GMarkupParseContext *ctx, const char *name, gpointer data, GError **error)
{
	Builder *b = data;
	g_ptr_array_set_size(b->stack, b->stack->len - 1);
}

static void on_text(GMarkupParseContext *ctx, const char *text, gsize len, gpointer data,
                    GError **error)
{
	Builder *b = data;
	if (b->stack->len > 0) {
		Node *n = g_ptr_array_index(b->stack, b->stack->len - 1);
		g_string_append_len(n->text, text, (gssize)len);
	}
}

static const char *node_attr(const Node *n, const char *name)
{
	for (guint i = 0; n->attr_names[i]; i++)
		if (!strcmp(n->attr_names[i], name))
			return n->attr_values[i];
	return NULL;
}

static void node_write(GString *x, const Node *n, int depth)
{
	g_string_append_printf(x, "%*s<%s", depth * 2, "", n->name);
	for (guint i = 0; n->attr_names[i]; i++)
		xml_attr(x, n->attr_names[i], n->attr_values[i]);
	if (n->children->len == 0 && n->text->len == 0) {
		g_string_append(x, "/>\n");
		return;
	}
	g_string_append(x, ">");
	if (n->children->len == 0) {
		xml_text(x, n->text->str);
	} else {
		g_string_append(x, "\n");
		for (guint i = 0; i < n->children->len; i++)
			node_write(x, g_ptr_array_index(n->children, i), depth + 1);
		g_string_append_printf(x, "%*s", depth * 2, "");
	}
	g_string_append_printf(x, "</%s>\n", n->name);
}

static Node *parse_xml(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &text, &len, error))
		return NULL;
	GMarkupParser parser = {.start_element = on_start, .end_element = on_end, .text = on_text};
	Builder b = {.stack = g_ptr_array_new()};
	GMarkupParseContext *ctx = g_markup_parse_context_new(&parser, 0, &b, NULL);
	gboolean ok = g_markup_parse_context_parse(ctx, text, (gssize)len, error) &&
	              g_markup_parse_context_end_parse(ctx, error);
	g_markup_parse_context_free(ctx);
	g_ptr_array_unref(b.stack);
	if (!ok) {
		if (b.root)
			node_free(b.root);
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	if (!b.root) {
		g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY, "%s: no element", path);
		return NULL;
	}
	return b.root;
}

static guint attr_uint(const Node *n, const char *name)
{
	const char *v = node_attr(n, name);
	return v ? (guint)g_ascii_strtoull(v, NULL, 10) : 0;
}

/* Suite order: by the id (position in the suite) each shard gave, then by name. */
static gint cmp_suites(gconstpointer a, gconstpointer b)
{
	const Node *x = *(Node *const *)a, *y = *(Node *const *)b;
	guint ix = attr_uint(x, "id"), iy = attr_uint(y, "id");
	if (ix != iy)
		return ix < iy ? -1 : 1;
	const char *nx = node_attr(x, "name"), *ny = node_attr(y, "name");
	return g_strcmp0(nx, ny);
}

gboolean report_merge(const char *out, const char *const *inputs, GError **error)
{
	g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func(node_free);
	g_autoptr(GPtrArray) suites = g_ptr_array_new(); /* not owned */
	for (guint i = 0; inputs[i]; i++) {
		Node *root = parse_xml(inputs[i], error);
		if (!root)
			return FALSE;
		g_ptr_array_add(roots, root);
		if (!strcmp(root->name, "testsuite")) {
			g_ptr_array_add(suites, root);
		} else if (!strcmp(root->name, "testsuites")) {
			for (guint k = 0; k < root->children->len; k++) {
				Node *s = g_ptr_array_index(root->children, k);
				if (!strcmp(s->name, "testsuite"))
					g_ptr_array_add(suites, s);
			}
		} else {
			g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
			            "%s: <%s> is no JUnit document (<testsuites> or <testsuite>)",
			            inputs[i], root->name);
			return FALSE;
		}
	}
	g_ptr_array_sort(suites, cmp_suites);
	g_autoptr(GString) x = g_string_new(NULL);
	guint tests = 0, failures = 0, errors = 0;
	double seconds = 0;
	for (guint i = 0; i < suites->len; i++) {
		const Node *s = g_ptr_array_index(suites, i);
		tests += attr_uint(s, "tests");
		failures += attr_uint(s, "failures");
		errors += attr_uint(s, "errors");
		const char *t = node_attr(s, "time");
		seconds += t ? g_ascii_strtod(t, NULL) : 0;
		node_write(x, s, 1);
	}
	g_autofree char *doc = junit_wrap(x->str, tests, failures, errors, seconds);
	if (!g_file_set_contents(out, doc, -1, error)) {
		g_prefix_error(error, "--merge: ");
		return FALSE;
	}
	return TRUE;
}
