/*
 * check_devtools.c: the daemon's side of sanitizers and coverage in task code
 * (sim/host/devtools.c) without processes: what it reads in a sanitizer's report, the
 * options it gives, what it finds in a binary. tests/devtools/sanitize.sh and coverage.sh
 * check the same with real tasks.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/host/devtools.h"
#include "tests/unit/check_tap.h"

/* GCC's AddressSanitizer, after a warning of its start (not part of the report). */
static const char asan_text[] =
    "==3==WARNING: reading executable name failed with errno 2\n"
    "=================================================================\n"
    "==3==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc "
    "0x555555556b10\n"
    "READ of size 4 at 0x602000000010 thread T0\n"
    "    #0 0x555555556b0f in uaf /src/task.c:53\n"
    "\n"
    "SUMMARY: AddressSanitizer: heap-use-after-free /src/task.c:53 in uaf\n"
    "==3==ABORTING\n";

static const char ubsan_text[] =
    "task.c:62:6: runtime error: signed integer overflow: 2147483647 + 1 cannot be "
    "represented in type 'int'\n"
    "    #0 0x555555556bc1 in overflow /src/task.c:62\n"
    "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior task.c:62:6 in \n";

START_TEST(test_summary)
{
	g_autofree char *a = devtools_summary(asan_text);
	ck_assert_str_eq(a, "AddressSanitizer: heap-use-after-free /src/task.c:53 in uaf");
	g_autofree char *u = devtools_summary(ubsan_text);
	ck_assert_str_eq(u, "UndefinedBehaviorSanitizer: signed integer overflow: 2147483647 + "
	                    "1 cannot be represented in type 'int' at task.c:62:6");
	/* a cut report: the ERROR line is all there is */
	g_autofree char *cut = devtools_summary("==3==ERROR: AddressSanitizer: stack-overflow on "
	                                        "address 0x1\nREAD of\n");
	ck_assert_str_eq(cut, "AddressSanitizer: stack-overflow on address 0x1");
	ck_assert_ptr_null(devtools_summary("the loader said something\n"));
	ck_assert_ptr_null(devtools_summary("SUMMARY: nothing of a sanitizer\n"));
	ck_assert_ptr_null(devtools_summary(NULL));
}
END_TEST

/* LeakSanitizer's report: its count and where the first leak was allocated (the first frame
 * that is not the allocator's), named by GCC's sanitizer or left for the daemon to name. */
static const char leak_text[] =
    "==1==ERROR: LeakSanitizer: detected memory leaks\n\n"
    "Direct leak of 33 byte(s) in 1 object(s) allocated from:\n"
    "    #0 0x7ffff78b89cf in __interceptor_malloc "
    "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69\n"
    "    #1 0x55555555666f in leak tests/devtools/sanitize-task.c:79\n"
    "    #2 0x55555555666f in main tests/devtools/sanitize-task.c:106\n\n"
    "SUMMARY: AddressSanitizer: 33 byte(s) leaked in 1 allocation(s).\n";
static const char leak_unnamed[] =
    "==1==ERROR: LeakSanitizer: detected memory leaks\n\n"
    "Direct leak of 8 byte(s) in 1 object(s) allocated from:\n"
    "    #0 0x7ffff78b89cf  (/usr/lib/x86_64-linux-gnu/libasan.so.8+0xb89cf)\n"
    "    #1 0x55555555666f  (/home/me/task+0x266f)\n\n"
    "SUMMARY: AddressSanitizer: 8 byte(s) leaked in 1 allocation(s).\n";

START_TEST(test_leak_summary)
{
	g_autofree char *named = devtools_summary(leak_text);
	ck_assert_str_eq(named, "LeakSanitizer: detected memory leaks: 33 byte(s) leaked in 1 "
	                        "allocation(s), the first allocated at "
	                        "tests/devtools/sanitize-task.c:79 in leak");
	g_autofree char *unnamed = devtools_summary(leak_unnamed);
	ck_assert_str_eq(unnamed, "LeakSanitizer: detected memory leaks: 8 byte(s) leaked in 1 "
	                          "allocation(s), the first allocated at (/home/me/task+0x266f)");
	g_autofree char *bare = devtools_summary("==1==ERROR: LeakSanitizer: detected memory "
	                                         "leaks\n");
	ck_assert_str_eq(bare, "LeakSanitizer: detected memory leaks");
}
END_TEST

START_TEST(test_report_lines)
{
	g_auto(GStrv) lines = devtools_report_lines(asan_text);
	ck_assert_ptr_nonnull(lines);
	/* from the ERROR line on, without the empty ones */
	ck_assert(g_str_has_prefix(lines[0], "==3==ERROR: AddressSanitizer"));
	ck_assert_str_eq(lines[2], "    #0 0x555555556b0f in uaf /src/task.c:53");
	ck_assert(g_str_has_prefix(lines[3], "SUMMARY: "));
	ck_assert_str_eq(lines[4], "==3==ABORTING");
	ck_assert_ptr_null(lines[5]);
	g_auto(GStrv) ub = devtools_report_lines(ubsan_text);
	ck_assert(strstr(ub[0], ": runtime error: ") != NULL);
	ck_assert_ptr_null(devtools_report_lines("no report here\n"));
}
END_TEST

/* The value of |key| in |env| (a GPtrArray of "KEY=VALUE"), or NULL. */
static const char *value_of(GPtrArray *env, const char *key)
{
	size_t n = strlen(key);
	for (guint i = 0; i < env->len; i++) {
		const char *e = env->pdata[i];
		if (strncmp(e, key, n) == 0 && e[n] == '=')
			return e + n + 1;
	}
	return NULL;
}

START_TEST(test_env)
{
	g_unsetenv("ASAN_OPTIONS");
	g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func(g_free);
	devtools_env(0, none);
	ck_assert_uint_eq(none->len, 0);

	g_setenv("ASAN_OPTIONS", "detect_leaks=0", TRUE);
	g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func(g_free);
	devtools_env(DEVTOOLS_ASAN | DEVTOOLS_UBSAN | DEVTOOLS_GCOV, env);
	const char *asan = value_of(env, "ASAN_OPTIONS");
	ck_assert_ptr_nonnull(asan);
	/* LeakSanitizer on; the core limit left to the helper (1, held by the boundary) */
	ck_assert(strstr(asan, "halt_on_error=1") && strstr(asan, "detect_leaks=1") &&
	          strstr(asan, "disable_coredump=0"));
	/* the user's own options come last, so that they win */
	ck_assert(g_str_has_suffix(asan, ":detect_leaks=0"));
	ck_assert(strstr(value_of(env, "UBSAN_OPTIONS"), "halt_on_error=1"));
	ck_assert(strstr(value_of(env, "UBSAN_OPTIONS"), "disable_coredump=0"));
	/* LeakSanitizer alone: its own variable, the leak check on, the core limit left */
	g_autoptr(GPtrArray) lsan = g_ptr_array_new_with_free_func(g_free);
	devtools_env(DEVTOOLS_LSAN, lsan);
	ck_assert(strstr(value_of(lsan, "LSAN_OPTIONS"), "detect_leaks=1") &&
	          strstr(value_of(lsan, "LSAN_OPTIONS"), "disable_coredump=0") &&
	          strstr(value_of(lsan, "LSAN_OPTIONS"), "exitcode=1"));
	ck_assert_ptr_null(value_of(lsan, "ASAN_OPTIONS"));
	/* UBSan alone: no LeakSanitizer, the core limit set to 0 by the sanitizer */
	g_autoptr(GPtrArray) ub = g_ptr_array_new_with_free_func(g_free);
	devtools_env(DEVTOOLS_UBSAN, ub);
	ck_assert_ptr_null(value_of(ub, "ASAN_OPTIONS"));
	ck_assert(strstr(value_of(ub, "UBSAN_OPTIONS"), "disable_coredump=1"));
	ck_assert_str_eq(value_of(env, "GCOV_PREFIX"), DEVTOOLS_COVERAGE_MOUNT);
	g_unsetenv("ASAN_OPTIONS");
}
END_TEST

START_TEST(test_detect)
{
	const char *top = g_getenv("top_builddir");
	if (!top)
		top = ".";
	g_autofree char *bugs = g_build_filename(top, "tests/devtools/sanitize-bugs", NULL);
	g_autofree char *cov = g_build_filename(top, "tests/devtools/coverage-task", NULL);
	g_autofree char *lsan = g_build_filename(top, "tests/devtools/lsan-bugs", NULL);
	g_autofree char *plain =
	    g_build_filename(top, "tests/integration/tasks/probe-static", NULL);
	ck_assert_uint_eq(devtools_detect(bugs), DEVTOOLS_ASAN | DEVTOOLS_UBSAN);
	ck_assert_uint_eq(devtools_detect(cov), DEVTOOLS_GCOV);
	ck_assert_uint_eq(devtools_detect(lsan), DEVTOOLS_LSAN);
	/* the runtime's weak reference to gcov does not make a plain task a coverage task */
	ck_assert_uint_eq(devtools_detect(plain), 0);
	/* not an ELF file, or none at all: nothing (the start of the process says why) */
	g_autofree char *text = g_build_filename(top, "config.h", NULL);
	ck_assert_uint_eq(devtools_detect(text), 0);
	ck_assert_uint_eq(devtools_detect("/nonexistent/task"), 0);
}
END_TEST

START_TEST(test_symbolize_outside_root)
{
	/* a path the report names outside the task's root is never read */
	char *lines[] = {g_strdup("    #0 0x5555 (/etc/passwd+0x10)"), NULL};
	char *summary = g_strdup("AddressSanitizer: x (/etc/passwd+0x10)");
	char *const files[] = {"/work/task", NULL};
	devtools_symbolize(lines, &summary, files);
	ck_assert_str_eq(lines[0], "    #0 0x5555 (/etc/passwd+0x10)");
	ck_assert_str_eq(summary, "AddressSanitizer: x (/etc/passwd+0x10)");
	g_free(lines[0]);
	g_free(summary);
}
END_TEST

static Suite *devtools_suite(void)
{
	Suite *s = suite_create("devtools");
	TCase *tc = tcase_create("daemon side");
	tcase_add_test(tc, test_summary);
	tcase_add_test(tc, test_leak_summary);
	tcase_add_test(tc, test_report_lines);
	tcase_add_test(tc, test_env);
	tcase_add_test(tc, test_detect);
	tcase_add_test(tc, test_symbolize_outside_root);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(devtools_suite());
}
