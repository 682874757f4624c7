/*
 * launch.h: run a scenario: a system description (sysdesc.h) and its script (script.h)
 * turned into a run of the daemon's loop (sim/host/run.h): the run configuration from the
 * description, and the observers a scenario needs (the output, the record, the script).
 *
 * Lifecycle: sysdesc_load() -> fill LaunchOptions -> launch_scenario() -> sysdesc_free().
 */
#ifndef SIM_SCENARIO_LAUNCH_H
#define SIM_SCENARIO_LAUNCH_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/observer.h"
#include "sim/scenario/sysdesc.h"
#include "sim/trace/chrome.h"
#include "sim/trace/vcd.h"
#include "sim/trace/record.h"

typedef struct {
	gboolean seed_given; /* override the description's seed with |seed| */
	uint64_t seed;
	uint64_t duration_ns;      /* 0: the description's (0 there too: unlimited) */
	double realtime;           /* 0: virtual time; else wall pacing ratio (1.0 = real time) */
	gboolean raw;              /* task bytes exactly as logged, no prefix/escaping */
	gboolean quiet;            /* no summary table */
	uint32_t watchdog_ms;      /* 0: default */
	gboolean host_tsc;         /* rdtsc in tasks reads the host's counter (--host-tsc) */
	uint32_t spin;             /* a task's spin iterations before futex sleep; 0: default */
	const char *gdb_task;      /* --gdb: hold this task before its entry for a debugger */
	const char *core_dir;      /* --core-dir: cores of faulting tasks; NULL: none */
	gboolean fork_server;      /* --fork-server: tasks start from a fork server (forksrv.h) */
	gboolean restart_in_place; /* --restart-in-place: a job respawned by its exit keeps its
	                              process (run.h) */
	const char *coverage_dir;  /* --coverage DIR (docs/devtools.md); NULL: none */
	Recorder *record;          /* not owned; NULL: no record (write or compare) */
	const char *results;       /* with a script: write each expectation's verdict here
	                              (sim/scenario/results.h); NULL: none */
	ChromeTrace *trace;        /* not owned; NULL: no timeline (--trace) */
	VcdWriter *vcd;            /* not owned; NULL: no waveforms (--vcd) */
	FILE *out;                 /* task output stream and summary */
	FILE *diag;                /* reports */
} LaunchOptions;

/* Run |desc|; returns the status (sim/observer.h RunStatus). With a non-empty [script], the
 * script's verdict decides: 0 every expectation held, 1 one failed (its diagnosis is
 * printed), 77 the host lacks what it needs, 99 a step could not be applied. Errors that
 * prevent starting (a task binary that cannot be started, a bad script) come back as
 * RUN_BAD_INPUT with |error| set. */
RunStatus launch_scenario(const SysDesc *desc, const LaunchOptions *opts, GError **error);

#endif
