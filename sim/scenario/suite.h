/*
 * suite.h: run many scenarios (`sentry-sim test`), each in its own `sentry-sim run` process,
 * several at a time; report each expectation as TAP on stdout as runs end, and at the end
 * JUnit XML and a summary (sim/scenario/report.h). Selection (--filter, --tag), --list and
 * --shard pick what runs; docs/scenarios.md ("Running scenarios in CI") describes them.
 *
 * Lifecycle: fill SuiteOptions -> suite_run() -> exit status.
 */
#ifndef SIM_SCENARIO_SUITE_H
#define SIM_SCENARIO_SUITE_H

#include <glib.h>

typedef struct {
	const char *const *paths;    /* scenario files, or directories searched for *.ini */
	const char *const *search;   /* -I directories passed to each run; may be NULL */
	const char *const *run_args; /* more options for each run (devicetree); may be NULL */
	const char *const *filters;  /* keep paths matching one of these globs; NULL: all */
	const char *const *tags;     /* keep scenarios with one of these tags; NULL: all */
	guint shard_i, shard_n;      /* run share |shard_i| (1-based) of |shard_n|; 0 0: all */
	gboolean list;               /* print the selected paths instead of running them */
	guint jobs;                  /* runs at a time (>= 1) */
	guint tap_version;           /* 13 or 14 */
	const char *junit;           /* write JUnit XML here; NULL: none */
	const char *keep_failed;     /* keep the record and trace of each failed run here */
	const char *trace_dir;       /* write a trace (--trace) of every run here; NULL: none */
	guint timeout_s;             /* wall-clock limit of one run; 0: none */
	const char *self;            /* the sentry-sim executable to run */
} SuiteOptions;

/* Returns 0 when every scenario passed (or was skipped), 1 when one failed, 2 on bad input
 * before anything runs (a path that does not exist, a --keep-failed or --trace-dir directory
 * that cannot be made), 99 on an error (a run that could not be judged, the XML not written). */
int suite_run(const SuiteOptions *opts);

/* The share (1 to n) of --shard I/N a scenario belongs to, from its path relative to the
 * suite root it was found under: the same on every machine, whatever else the suite holds. */
guint suite_shard_of(const char *key, guint n);

/* The tags a scenario declares ('tags' of its [system] group); empty when none or when the
 * file does not load. Free with g_strfreev. */
GStrv suite_tags(const char *path);

#endif
