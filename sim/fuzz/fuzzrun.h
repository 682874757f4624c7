/*
 * fuzzrun.h: `sentry-sim fuzz`: fuzz programs (sim/fuzz/prog.h) run both in-process against
 * the kernel model (sim/fuzz/exec.h, with the invariant checker) and through real, confined
 * task processes (a run of the daemon's loop, sim/host/run.h, with the fuzz task binary,
 * tests/fuzz/fuzz-task.c); the two system-call streams (sim/trace/record.h lines: calls,
 * returns, starts) must be identical.
 *
 * Lifecycle: fuzzrun_options_init(&o) -> adjust -> fuzzrun_main(&o) (generation loop) or
 * fuzzrun_one(prog) (one program, e.g. a replay) as often as wanted.
 */
#ifndef SIM_FUZZ_FUZZRUN_H
#define SIM_FUZZ_FUZZRUN_H

#include <glib.h>
#include <sched.h>
#include <stdint.h>

#include "sim/fuzz/exec.h"
#include "sim/fuzz/prog.h"
#include "sim/trace/record.h"

#define FUZZ_MAX_JOBS 64 /* worker processes of one campaign, at most */

typedef struct {
	uint64_t seed;
	uint64_t iterations;     /* 0: until |time_s| */
	double time_s;           /* 0: no time budget */
	const char *save_dir;    /* NULL: failures are not saved */
	const char *task_binary; /* the fuzz task */
	gboolean verbose;
	gboolean fork_server;      /* task processes are clones of a fork server (default) */
	gboolean restart_in_place; /* a respawned job keeps its process (run.h; default) */
	guint jobs;                /* worker processes, each a daemon of its own (1: none) */
} FuzzRunOptions;

typedef enum {
	FUZZRUN_OK = 0,
	FUZZRUN_INVARIANT,   /* the in-process run broke an invariant */
	FUZZRUN_DAEMON,      /* the daemon failed to run the program */
	FUZZRUN_DIVERGED,    /* the two streams differ */
	FUZZRUN_INTERRUPTED, /* SIGINT or SIGTERM: stop, this is no finding */
} FuzzRunVerdict;

void fuzzrun_options_init(FuzzRunOptions *o);

/* Make |p| runnable by real processes, the same way on both sides: a zero syscall cost
 * becomes 1 us (loops must move time). Everything else runs as it is: the fuzz task asks
 * the daemon, through control requests, for what the in-process driver does outside the
 * tasks (references to the system resolved when the call is made, computation time,
 * stimuli), and the daemon runs idle's script. */
void fuzzrun_prepare(Prog *p);

/* Run a prepared program both ways; |why| (may be NULL) receives a description of the
 * failure. |paths| (may be NULL): a 256 x 16 bit map of (nr, Status) pairs seen. */
FuzzRunVerdict fuzzrun_one(const FuzzRunOptions *o, const Prog *p, GString *why, uint16_t *paths);

/* Compare the streams of a program's two runs, kept in memory (recorder_new_memory(), the
 * in-process run's |model|, ended as |er| says, and the real processes' |procs|): their
 * call, ret and start lines must be the same, or, when the in-process run stopped at its
 * step or time budget, the shorter a prefix of the other. FUZZRUN_OK or FUZZRUN_DIVERGED
 * ("stream line N differs: ..." or "streams differ in length: ..." in |why|, which may be
 * NULL); |paths| (may be NULL) gets the model's (nr, Status) pairs. */
FuzzRunVerdict fuzzrun_compare(const Prog *p, const ExecResult *er, const Recorder *model,
                               const Recorder *procs, GString *why, uint16_t *paths);

/* The command: returns the process exit status. With |jobs| > 1, the programs are shared
 * out to that many worker processes, forked before anything else (each a daemon of its
 * own: confine_daemon_init() must not have run), worker W running seeds seed + W,
 * seed + W + jobs, ...: the same programs as one process runs, in another order. */
int fuzzrun_main(const FuzzRunOptions *o);

/* The CPUs worker |w| of |n| runs on: the w-th of n equal shares of |all|, in CPU order, in
 * |*share|, where its daemon places itself and its tasks as one daemon does in all of them;
 * FALSE (the worker keeps them all) when |all| has fewer than two per worker. */
gboolean fuzzrun_worker_cpus(const cpu_set_t *all, guint w, guint n, cpu_set_t *share);
/* `--replay FILE`: one encoded program, prepared, run both ways (the text of a failure on
 * stderr). */
int fuzzrun_replay(const FuzzRunOptions *o, const char *path);

#endif
