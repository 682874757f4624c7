/*
 * suite.h: run many scenarios (`sentry-sim test`), each in its own `sentry-sim run` process,
 * several at a time, and report them as TAP 14 on stdout and optionally as JUnit XML.
 *
 * Lifecycle: fill SuiteOptions -> suite_run() -> exit status.
 */
#ifndef SIM_SCENARIO_SUITE_H
#define SIM_SCENARIO_SUITE_H

#include <glib.h>

typedef struct {
	const char *const *paths;  /* scenario files, or directories searched for *.ini */
	const char *const *search; /* -I directories passed to each run; may be NULL */
	const char *const *run_args; /* more options for each run (devicetree); may be NULL */
	guint jobs;                /* runs at a time (>= 1) */
	const char *junit;         /* write JUnit XML here; NULL: none */
	guint timeout_s;           /* wall-clock limit of one run; 0: none */
	const char *self;          /* the sentry-sim executable to run */
} SuiteOptions;

/* Returns 0 when every scenario passed (or was skipped), 1 when one failed, 99 on a hard
 * error (nothing to run, a scenario that cannot be started, the XML not written). */
int suite_run(const SuiteOptions *opts);

#endif
