/*
 * results.c: per-expectation results of a run, written by `sentry-sim run --results` and read
 * by `sentry-sim test` (see results.h). GKeyFile does the syntax and the escapes.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "sim/scenario/results.h"

static const char *const verdict_names[] = {
    [SCRIPT_VERDICT_PASSED] = "passed",
    [SCRIPT_VERDICT_FAILED] = "failed",
    [SCRIPT_VERDICT_NOT_EVALUATED] = "not-evaluated",
};

gboolean results_write(const char *path, const ScriptRun *r, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *end = script_run_end_text(r);
	g_key_file_set_string(kf, "run", "end", end);
	if (script_run_error_text(r))
		g_key_file_set_string(kf, "run", "error", script_run_error_text(r));
	g_autoptr(GArray) res = script_run_results(r);
	for (guint i = 0; i < res->len; i++) {
		const ScriptResult *x = &g_array_index(res, ScriptResult, i);
		g_key_file_set_integer(kf, x->name, "line", x->line);
		g_key_file_set_string(kf, x->name, "verdict", verdict_names[x->verdict]);
		g_key_file_set_string(kf, x->name, "expected", x->expected);
		if (x->observed)
			g_key_file_set_string(kf, x->name, "observed", x->observed);
		g_key_file_set_uint64(kf, x->name, "at_ns", x->at_ns);
	}
	if (!g_key_file_save_to_file(kf, path, error)) {
		g_prefix_error(error, "--results: ");
		return FALSE;
	}
	return TRUE;
}

static void expect_result_clear(gpointer p)
{
	ExpectResult *x = p;
	g_free(x->name);
	g_free(x->expected);
	g_free(x->observed);
}

void run_results_free(RunResults *r)
{
	if (!r)
		return;
	g_array_unref(r->expects);
	g_free(r->end);
	g_free(r->error);
	g_free(r);
}

RunResults *results_load(const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
		return NULL;
	RunResults *out = g_new0(RunResults, 1);
	out->expects = g_array_new(FALSE, TRUE, sizeof(ExpectResult));
	g_array_set_clear_func(out->expects, expect_result_clear);
	out->end = g_key_file_get_string(kf, "run", "end", NULL);
	out->error = g_key_file_get_string(kf, "run", "error", NULL);
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i]; i++) {
		if (!g_str_has_prefix(groups[i], "expect."))
			continue;
		ExpectResult x = {
		    .name = g_strdup(groups[i]),
		    .line = g_key_file_get_integer(kf, groups[i], "line", NULL),
		    .verdict = SCRIPT_VERDICT_NOT_EVALUATED,
		    .expected = g_key_file_get_string(kf, groups[i], "expected", NULL),
		    .observed = g_key_file_get_string(kf, groups[i], "observed", NULL),
		    .at_ns = g_key_file_get_uint64(kf, groups[i], "at_ns", NULL)};
		g_autofree char *v = g_key_file_get_string(kf, groups[i], "verdict", NULL);
		for (guint k = 0; v && k < G_N_ELEMENTS(verdict_names); k++)
			if (!strcmp(v, verdict_names[k]))
				x.verdict = (ScriptVerdict)k;
		if (!x.expected)
			x.expected = g_strdup("?");
		g_array_append_val(out->expects, x);
	}
	return out;
}
