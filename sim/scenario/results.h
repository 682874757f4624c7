/*
 * results.h: the per-expectation results of one scenario run, as a file that `sentry-sim run
 * --results FILE` writes and `sentry-sim test` reads back (each scenario runs in its own
 * process, so the results cross a process boundary).
 *
 * The file is a GKeyFile: a [run] group (how the run ended, the script error if any), then
 * one group per expectation, named by its key, in file order:
 *
 *     [run]
 *     end=stopped at 1.000001s by this failure
 *     [expect.served]
 *     line=63
 *     verdict=failed            # passed, failed or not-evaluated
 *     expected=log(server, /served \d+ lines/) within 1s
 *     observed=no line of 'server' matched ...
 *     at_ns=1000001000
 *
 * Lifecycle: results_write() in the run; results_load() -> read -> run_results_free().
 */
#ifndef SIM_SCENARIO_RESULTS_H
#define SIM_SCENARIO_RESULTS_H

#include <glib.h>
#include <stdint.h>

#include "sim/scenario/script.h"

/* Write the results of a finished script run to |path|. */
gboolean results_write(const char *path, const ScriptRun *r, GError **error);

typedef struct {
	char *name; /* "expect.served" */
	int line;
	ScriptVerdict verdict;
	char *expected;
	char *observed; /* NULL unless failed */
	uint64_t at_ns;
} ExpectResult;

typedef struct {
	GArray *expects; /* of ExpectResult, in file order */
	char *end;       /* how the run ended; NULL if not said */
	char *error;     /* a step that could not be applied; NULL if none */
} RunResults;

/* Read a file results_write() wrote. */
RunResults *results_load(const char *path, GError **error);
void run_results_free(RunResults *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RunResults, run_results_free)

#endif
