/*
 * check_tap.h: the main of a check(3) unit test: run |s| in forked test cases and print
 * TAP on stdout for the test harness (the TAP driver of Makefile.am).
 */
#ifndef TESTS_UNIT_CHECK_TAP_H
#define TESTS_UNIT_CHECK_TAP_H

#include <check.h>
#include <stdlib.h>

/* Run every test of |s| (each case in its own process), TAP on stdout; the exit status
 * for main: EXIT_SUCCESS when none failed. */
static inline int check_run_tap(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_set_tap(sr, "/dev/stdout");
	srunner_run_all(sr, CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
