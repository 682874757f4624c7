/*
 * check_report.c: what `sentry-sim test` says (sim/scenario/report.c, results.c, suite.c's
 * shares), on cases built by hand: the outcomes that processes cannot easily produce (a crash
 * of the run), the escapes of TAP and YAML, the JUnit of errors, the results file, shards and
 * the merge. tests/integration/runner.sh checks the same with real runs and real consumers.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/report.h"
#include "sim/scenario/results.h"
#include "sim/scenario/suite.h"

static char *base; /* a temporary directory */

/* The TAP report_tap_case() prints for |c| as point |n|. */
static char *tap_of(const SuiteCase *c, guint n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	report_tap_case(f, n, c);
	fclose(f);
	return text;
}

static RunResults *results_from(const char *keyfile)
{
	g_autofree char *path = g_build_filename(base, "r.results", NULL);
	ck_assert(g_file_set_contents(path, keyfile, -1, NULL));
	GError *err = NULL;
	RunResults *r = results_load(path, &err);
	ck_assert_msg(r != NULL, "%s", err ? err->message : "");
	return r;
}

static const char failed_results[] = "[run]\n"
                                     "end=stopped at 6us by this failure\n"
                                     "[expect.first]\n"
                                     "line=17\n"
                                     "verdict=passed\n"
                                     "expected=log(a, /^0/) within 1ms\n"
                                     "at_ns=1000\n"
                                     "[expect.never]\n"
                                     "line=18\n"
                                     "verdict=failed\n"
                                     "expected=never log(b, /x/)\n"
                                     "observed='b' logged \"x\\nBail out!\" at 6us\n"
                                     "at_ns=6000\n"
                                     "[expect.ends]\n"
                                     "line=19\n"
                                     "verdict=not-evaluated\n"
                                     "expected=state b FINISHED\n"
                                     "at_ns=6000\n";

START_TEST(test_outcomes)
{
	SuiteCase c = {.path = "a.ini"};
	static const struct {
		int status;
		CaseOutcome o;
	} map[] = {{0, CASE_PASS},  {1, CASE_FAIL},   {3, CASE_FAIL},   {77, CASE_SKIP},
	           {2, CASE_ERROR}, {99, CASE_ERROR}, {130, CASE_ERROR}};
	for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
		c.status = map[i].status;
		ck_assert_int_eq(report_outcome(&c), map[i].o);
	}
	c.status = 0;
	c.timed_out = TRUE;
	ck_assert_int_eq(report_outcome(&c), CASE_ERROR);
	c.timed_out = FALSE;
	c.status = -1;
	c.signal = SIGSEGV;
	ck_assert_int_eq(report_outcome(&c), CASE_ERROR);
}
END_TEST

START_TEST(test_results_file)
{
	g_autoptr(RunResults) r = results_from(failed_results);
	ck_assert_str_eq(r->end, "stopped at 6us by this failure");
	ck_assert_ptr_null(r->error);
	ck_assert_uint_eq(r->expects->len, 3);
	const ExpectResult *x = &g_array_index(r->expects, ExpectResult, 1);
	ck_assert_str_eq(x->name, "expect.never");
	ck_assert_int_eq(x->line, 18);
	ck_assert_int_eq(x->verdict, SCRIPT_VERDICT_FAILED);
	ck_assert_str_eq(x->observed, "'b' logged \"x\nBail out!\" at 6us");
	ck_assert_uint_eq(x->at_ns, 6000);
	ck_assert_int_eq(g_array_index(r->expects, ExpectResult, 2).verdict,
	                 SCRIPT_VERDICT_NOT_EVALUATED);
}
END_TEST

/* A crash of the run is an error with its own message, in TAP and in JUnit. */
START_TEST(test_crash)
{
	SuiteCase c = {.path = "dir/a#b.ini",
	               .status = -1,
	               .signal = SIGSEGV,
	               .output = "sentry-sim: [    0.000000] booting\n"};
	g_autofree char *tap = tap_of(&c, 5);
	ck_assert_msg(strstr(tap, "    # Subtest: dir/a\\#b.ini\n    1..1\n    not ok 1 - run\n"),
	              "%s", tap);
	ck_assert_msg(strstr(tap, "message: \"crash: the run was killed by signal 11 ("), "%s",
	              tap);
	ck_assert_msg(strstr(tap, "      severity: \"crash\"\n"), "%s", tap);
	ck_assert_msg(strstr(tap, "\nnot ok 5 - dir/a\\#b.ini\n  ---\n"), "%s", tap);
	ck_assert_msg(strstr(tap, "  severity: \"error\"\n"), "%s", tap);
	g_autofree char *xml = report_junit(&c, 1, 1.5);
	ck_assert_msg(strstr(xml, "<error type=\"crash\" message=\"crash: the run was killed by "
	                          "signal 11 ("),
	              "%s", xml);
	ck_assert_msg(strstr(xml, "tests=\"1\" failures=\"0\" errors=\"1\""), "%s", xml);
}
END_TEST

START_TEST(test_timeout)
{
	SuiteCase c = {
	    .path = "a.ini", .status = -1, .timed_out = TRUE, .timeout_s = 7, .output = ""};
	g_autofree char *tap = tap_of(&c, 1);
	ck_assert_msg(strstr(tap, "message: \"timeout: the run took longer than 7 s (wall clock) "
	                          "and was killed\""),
	              "%s", tap);
	ck_assert_msg(!strstr(tap, "exit"), "%s", tap);
	g_autofree char *xml = report_junit(&c, 1, 7);
	ck_assert_msg(strstr(xml, "<error type=\"timeout\""), "%s", xml);
}
END_TEST

/* A point per expectation; task text cannot break out of its YAML string. */
START_TEST(test_expectations)
{
	SuiteCase c = {
	    .path = "x # TODO\\y.ini", .status = 1, .output = "a: b\n  Bail out!\n\001\"q\"\n"};
	c.results = results_from(failed_results);
	g_autofree char *tap = tap_of(&c, 2);
	ck_assert_msg(strstr(tap, "    # Subtest: x \\# TODO\\\\y.ini\n    1..3\n"
	                          "    ok 1 - expect.first\n    not ok 2 - expect.never\n"),
	              "%s", tap);
	ck_assert_msg(strstr(tap, "      message: \"expect.never failed at 6us\"\n"), "%s", tap);
	ck_assert_msg(strstr(tap, "      observed: \"'b' logged \\\"x\\nBail out!\\\" at 6us\"\n"),
	              "%s", tap);
	ck_assert_msg(strstr(tap, "      line: 18\n"), "%s", tap);
	ck_assert_msg(strstr(tap, "    ok 3 - expect.ends # SKIP not evaluated: the run stopped at "
	                          "6us by this failure\n"),
	              "%s", tap);
	ck_assert_msg(strstr(tap, "not ok 2 - x \\# TODO\\\\y.ini\n"), "%s", tap);
	ck_assert_msg(strstr(tap, "  output: \"a: b\\n  Bail out!\\n\\x01\\\"q\\\"\"\n"), "%s",
	              tap);
	g_auto(GStrv) lines = g_strsplit(tap, "\n", -1);
	for (guint i = 0; lines[i]; i++)
		ck_assert_msg(!g_str_has_prefix(g_strchug(lines[i]), "Bail out!"), "%s", tap);
	g_autofree char *xml = report_junit(&c, 1, 0.25);
	ck_assert_msg(strstr(xml, "name=\"expect.never\">\n      <failure type=\"expectation\" "
	                          "message=\"expect.never failed at 6us: expected never log(b, "
	                          "/x/); observed"),
	              "%s", xml);
	ck_assert_msg(strstr(xml, "tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""), "%s",
	              xml);
	ck_assert_msg(strstr(xml, "<system-out>a: b\n  Bail out!\n?&quot;q&quot;\n</system-out>"),
	              "%s", xml);
	run_results_free(c.results);
}
END_TEST

/* A scenario the host cannot run is one skipped test, with the reason. */
START_TEST(test_skip)
{
	SuiteCase c = {.path = "a.ini",
	               .status = 77,
	               .output = "sentry-sim: a.ini: skipped: a.ini:9: at.0: write needs the board "
	                         "memory\n"};
	g_autofree char *tap = tap_of(&c, 3);
	ck_assert_str_eq(tap, "ok 3 - a.ini # SKIP a.ini: skipped: a.ini:9: at.0: write needs the "
	                      "board memory\n");
	g_autofree char *xml = report_junit(&c, 1, 0);
	ck_assert_msg(strstr(xml, "<testcase classname=\"a\" name=\"run\">\n      <skipped "
	                          "message=\"a.ini: skipped: a.ini:9: at.0: write needs the board "
	                          "memory\"/>"),
	              "%s", xml);
	ck_assert_msg(strstr(xml, "tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\""), "%s",
	              xml);
}
END_TEST

START_TEST(test_shares)
{
	guint count[4] = {0};
	for (guint i = 0; i < 300; i++) {
		g_autofree char *key = g_strdup_printf("dir/s%u.ini", i);
		guint s = suite_shard_of(key, 3);
		ck_assert(s >= 1 && s <= 3);
		ck_assert_uint_eq(suite_shard_of(key, 3), s);
		count[s]++;
	}
	for (guint s = 1; s <= 3; s++)
		ck_assert_uint_gt(count[s], 50);
	ck_assert_uint_eq(suite_shard_of("a.ini", 1), 1);
}
END_TEST

START_TEST(test_merge)
{
	g_autofree char *a = g_build_filename(base, "a.xml", NULL);
	g_autofree char *b = g_build_filename(base, "b.xml", NULL);
	g_autofree char *out = g_build_filename(base, "out.xml", NULL);
	ck_assert(g_file_set_contents(
	    a,
	    "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"z\" tests=\"2\" failures=\"1\" "
	    "errors=\"0\" time=\"1.5\" id=\"2\"><testcase name=\"expect.a\"><failure "
	    "message=\"m &amp; n\">t &lt; u</failure></testcase><testcase "
	    "name=\"expect.b\"/></testsuite></testsuites>\n",
	    -1, NULL));
	ck_assert(g_file_set_contents(b,
	                              "<testsuite name=\"y\" tests=\"1\" failures=\"0\" "
	                              "errors=\"1\" time=\"0.5\" id=\"0\"><testcase "
	                              "name=\"run\"><error type=\"crash\"/></testcase></testsuite>",
	                              -1, NULL));
	const char *in[] = {a, b, NULL};
	GError *err = NULL;
	ck_assert_msg(report_merge(out, in, &err), "%s", err ? err->message : "");
	g_autofree char *xml = NULL;
	ck_assert(g_file_get_contents(out, &xml, NULL, NULL));
	ck_assert_msg(strstr(xml, "<testsuites name=\"sentry-sim\" tests=\"3\" failures=\"1\" "
	                          "errors=\"1\" time=\"2.000\">"),
	              "%s", xml);
	char *y = strstr(xml, "<testsuite name=\"y\""), *z = strstr(xml, "<testsuite name=\"z\"");
	ck_assert_msg(y && z && y < z, "%s", xml);
	ck_assert_msg(strstr(xml, "<failure message=\"m &amp; n\">t &lt; u</failure>"), "%s", xml);
	const char *bad[] = {a, out, base, NULL};
	ck_assert(!report_merge(out, bad, &err));
	ck_assert_ptr_nonnull(err);
	g_clear_error(&err);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");
	tcase_add_test(tc, test_outcomes);
	tcase_add_test(tc, test_results_file);
	tcase_add_test(tc, test_crash);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_expectations);
	tcase_add_test(tc, test_skip);
	tcase_add_test(tc, test_shares);
	tcase_add_test(tc, test_merge);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	base = g_dir_make_tmp("check_report-XXXXXX", NULL);
	if (base == NULL) {
		printf("Bail out! cannot create a temporary directory\n");
		return 99;
	}
	SRunner *sr = srunner_create(report_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_set_tap(sr, "/dev/stdout");
	srunner_run_all(sr, CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	const char *names[] = {"r.results", "a.xml", "b.xml", "out.xml"};
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *p = g_build_filename(base, names[i], NULL);
		g_unlink(p);
	}
	g_rmdir(base);
	g_free(base);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
