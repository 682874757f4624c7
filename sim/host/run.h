/*
 * run.h: run a described system: task processes driven by the kernel model until every
 * task has ended, the system deadlocks or panics, or the time limit is reached.
 *
 * Lifecycle: fill RunOptions -> run_system() -> read RunResult.
 */
#ifndef SIM_HOST_RUN_H
#define SIM_HOST_RUN_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/scenario/sysdesc.h"
#include "sim/trace/record.h"

/* `sentry-sim fuzz` (sim/host/fuzzrun.c): what its daemon does beyond running tasks. */
typedef struct {
	void *data;
	/* Right after kernel_boot(). */
	void (*boot)(void *data, Kernel *k);
	/* A fuzz task's control request (SENTRY_REQ_FUZZ): returns the answer. It may change
	 * the kernel (time, stimuli); if the task no longer runs afterwards, the answer is
	 * dropped and the task gets its next resume instead. */
	uint32_t (*control)(void *data, Kernel *k, uint32_t task, uint32_t op, uint32_t a,
			    uint32_t b);
	/* After every system call reached the kernel. */
	void (*after_syscall)(void *data, Kernel *k, uint32_t task, uint32_t nr);
	/* Only idle runs: do what the program does then; TRUE if it did something (the loop
	 * looks again before moving time). */
	gboolean (*idle)(void *data, Kernel *k);
	/* The DMA driver's enable (4.23 start): FALSE makes it fail. */
	gboolean (*dma_enable)(void *data);
} RunFuzzHooks;

typedef struct {
	const SysDesc *desc;    /* not owned */
	gboolean seed_given;    /* override the description's seed with |seed| */
	uint64_t seed;
	uint64_t duration_ns;   /* 0: the description's (0 there too: unlimited) */
	double realtime;        /* 0: virtual time; else wall pacing ratio (1.0 = real time) */
	gboolean raw;           /* task bytes exactly as logged, no prefix/escaping */
	gboolean quiet;         /* no summary table */
	uint32_t watchdog_ms;   /* 0: default */
	uint32_t spin;          /* a task's spin iterations before futex sleep (the daemon's:
				   16 times that); 0: default */
	Recorder *record;       /* not owned; NULL: no record (write or compare) */
	const char *results;    /* with a script: write each expectation's verdict here
				   (sim/scenario/results.h); NULL: none */
	FILE *out;              /* task output stream and summary */
	FILE *diag;             /* reports */
	const RunFuzzHooks *fuzz; /* NULL: a task's fuzz control request is a protocol fault */
} RunOptions;

typedef enum {
	RUN_OK = 0,          /* every started task ended normally (or the time limit came) */
	RUN_TASK_FAILED = 1, /* a fault, a non-zero exit, a stuck task or a deadlock */
	RUN_BAD_INPUT = 2,   /* the system could not be started */
	RUN_PANIC = 3,       /* kernel panic */
	RUN_SKIP = 77,       /* the scenario's script needs something this host lacks */
	RUN_HARD_ERROR = 99, /* a script step could not be applied */
	RUN_INTERRUPTED = 130,
} RunStatus;

/* Run the system; returns the status above. With a non-empty [script], the script's verdict
 * decides: 0 every expectation held, 1 one failed (its diagnosis is printed), 77 the host
 * lacks what it needs, 99 a step could not be applied. Errors that prevent starting (a
 * task binary that cannot be started, a bad script) come back as RUN_BAD_INPUT with |error|
 * set. */
RunStatus run_system(const RunOptions *opts, GError **error);

#endif
