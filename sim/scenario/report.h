/*
 * report.h: what `sentry-sim test` says about the scenarios it ran: TAP (13 or 14) as each
 * run ends, JUnit XML and a summary for people at the end, and the merge of JUnit files
 * written by the shards of a suite.
 *
 * Every scenario is reported as a subtest (TAP) or a <testsuite> (JUnit) with one point per
 * expectation (`expect.NAME`), plus a point named "run" when the run itself went wrong (a
 * timeout, a crash, a file that does not load, a step that cannot be applied) or failed for
 * a reason no expectation names. A scenario without a script has only the "run" point.
 *
 * Lifecycle: fill SuiteCase as a run ends -> report_tap_case() at once -> report_junit() and
 * report_summary() when every run has ended.
 */
#ifndef SIM_SCENARIO_REPORT_H
#define SIM_SCENARIO_REPORT_H

#include <glib.h>
#include <stdio.h>

#include "sim/scenario/results.h"

typedef enum {
	CASE_PASS,
	CASE_FAIL,  /* an expectation failed (or a run without a script failed) */
	CASE_SKIP,  /* the host lacks what the scenario needs */
	CASE_ERROR, /* the run could not be judged: timeout, crash, load or script error */
} CaseOutcome;

/* One scenario of the suite. */
typedef struct {
	char *path;      /* as shown and given to `run` */
	char *key;       /* path relative to the suite root it was found under */
	guint index;     /* position in the suite before --shard: merge restores it */
	guint timeout_s; /* the limit it was run with */
	/* outcome */
	int status;          /* exit status of the run; -1 if it did not exit */
	int signal;          /* the signal that ended it, 0 if none */
	gboolean timed_out;  /* killed for taking longer than |timeout_s| */
	double seconds;      /* wall-clock */
	char *output;        /* its stdout and stderr, as written */
	RunResults *results; /* per-expectation results; NULL when the run wrote none */
	char *record;        /* the kept record (--keep-failed), or NULL */
	char *trace;         /* its trace (--trace-dir, or kept by --keep-failed), or NULL */
} SuiteCase;

CaseOutcome report_outcome(const SuiteCase *c);

/* Print the subtest of |c| and its point |number| in the suite, then flush. */
void report_tap_case(FILE *out, guint number, const SuiteCase *c);

/* The JUnit XML of |n| cases (a <testsuites> of one <testsuite> per scenario). */
char *report_junit(const SuiteCase *cases, guint n, double seconds);

/* The failures and errors, in suite order, with the failing expectation and the kept
 * record of each, then one line of totals. */
void report_summary(FILE *out, const SuiteCase *cases, guint n, double seconds);

/* Recombine JUnit files written by shards (`sentry-sim test --junit` with --shard) into
 * |out|: their <testsuite>s in suite order, the totals added up. */
gboolean report_merge(const char *out, const char *const *inputs, GError **error);

#endif
