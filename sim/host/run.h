/*
 * run.h: the daemon's loop: task processes driven by the kernel model until every task has
 * ended, the system deadlocks or panics, an observer stops it, or the time limit is reached.
 * It knows nothing of scenarios or fuzz programs: what it runs is a RunConfig (kernel
 * configuration, task list, limits), and everything that watches or steers it is a
 * RunObserver (sim/observer.h). sim/scenario/launch.h builds both from a description,
 * sim/fuzz/fuzzrun.c from a fuzz program.
 *
 * Lifecycle: fill RunConfig -> run_new() -> run_observe()... -> [run_spawn()] -> run_boot() ->
 * while (run_step()) {} -> run_finish() -> run_free(); or run_system() for all of it.
 */
#ifndef SIM_HOST_RUN_H
#define SIM_HOST_RUN_H

#include <glib.h>
#include <stdint.h>

#include "sim/kernel/kernel.h"
#include "sim/observer.h"

typedef struct run_keep RunKeep; /* below */

/* One task process. Every string is borrowed: it must outlive the run. */
typedef struct {
	const char *name;       /* the task's name (its process's argv[0]) */
	const char *binary;     /* path of the executable */
	const char *entry;      /* entry symbol; NULL or "main": the default entry */
	const char *where;      /* prefixed to errors about this task ("FILE:LINE"), or NULL */
	const char *const *env; /* extra "KEY=VALUE" entries of its environment, or NULL */
} RunTask;

typedef struct {
	const char *origin;        /* prefixed to errors about the whole run (the file), or NULL */
	KernelConfig kernel;       /* for kernel_new(); .n_tasks and .tasks match |tasks| below;
	                              .board (may be NULL) is backed with host memory */
	const RunTask *tasks;      /* kernel.n_tasks entries, in task-id order */
	uint64_t limit_ns;         /* virtual time at which the run stops; 0: unlimited */
	double realtime;           /* 0: virtual time; else wall pacing ratio (1.0 = real time) */
	uint32_t watchdog_ms;      /* 0: default */
	gboolean host_tsc;         /* rdtsc in tasks reads the host's counter (not deterministic) */
	uint32_t spin;             /* a task's fixed spin iterations before futex sleep (the
	                              daemon's: 16 times that); 0: learned from each task's gaps */
	const char *gdb_task;      /* --gdb: this task is held before its entry until a debugger
	                              attaches (its watchdog off; needs virtual time); or NULL */
	const char *core_dir;      /* --core-dir: cores of faulting tasks go there; or NULL */
	const char *coverage_dir;  /* --coverage DIR (docs/devtools.md), or NULL; borrowed */
	gboolean fork_server;      /* start the tasks from a fork server per binary (forksrv.h),
	                              except --gdb's task and with --core-dir */
	gboolean restart_in_place; /* a job respawned by its exit (exit_mode restart) keeps its
	                              process, its memory brought back to its state at boot
	                              (proc.h); not --gdb's task nor with --core-dir */
	gboolean no_backtrace;     /* a fault's diagnosis without its function and line (no
	                              symbolizer run: `sentry-sim fuzz` compares calls only) */
	const RunObserver *observers; /* copied; n_observers entries */
	guint n_observers;
	RunKeep *keep; /* with restart_in_place: processes kept from one run for the next, or
	                  NULL (below) */
} RunConfig;

/* Task processes kept from one run for the next (`sentry-sim fuzz`, which runs a system
 * after another in one daemon), with their doorbell page and CPU placement: a run given one
 * in its RunConfig takes the kept process of each of its tasks that can serve it (the same
 * task id, name, binary and boot-time options: taskproc_adopt) and restarts it in place
 * instead of starting a new one; when it is freed, it leaves there every process that can
 * be restarted in place. Every job's process can then (not only those of exit_mode
 * restart), and the process of a job that finished waits in its exit call instead of
 * being killed. */
RunKeep *run_keep_new(void);
void run_keep_free(RunKeep *keep); /* kills what it holds */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RunKeep, run_keep_free)

/* Check the configuration and prepare the run: entry symbols, board memory, the kernel
 * model, one (not yet started) process per task. |cfg| is copied, but what it points to is
 * borrowed. NULL with |error| (HOST_ERROR) when it cannot be run. */
Run *run_new(const RunConfig *cfg, GError **error);
void run_free(Run *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Run, run_free)

/* Register one more observer (copied), after those of the configuration; before run_spawn
 * and run_boot. */
void run_observe(Run *r, const RunObserver *obs);

/* The model of this run (owned by |r|), for observers created after run_new(). */
Kernel *run_kernel(Run *r);

/* Start every process, without waiting for them: they boot meanwhile (on the tasks' CPUs),
 * while the caller does something else (`sentry-sim fuzz` runs the program in-process).
 * Every observer must be registered before. run_boot() does it if it was not done. */
void run_spawn(Run *r);

/* A new time limit (RunConfig.limit_ns), before the first run_step(). */
void run_set_limit(Run *r, uint64_t limit_ns);

/* Start every process (run_spawn), wait until each is confined and ready, boot the model.
 * FALSE (with |error|) when a task cannot start: the run cannot go on (call run_free). */
gboolean run_boot(Run *r, GError **error);

/* One turn of the loop: a task runs until its next request, or virtual time moves. FALSE
 * once the run has ended (then call run_finish). */
gboolean run_step(Run *r);

/* The end: observers' end() and summary(); returns the run's status. Call once. */
RunStatus run_finish(Run *r);

/* All of it: new, boot, steps, finish, free. Errors that prevent starting come back as
 * RUN_BAD_INPUT with |error| set. */
RunStatus run_system(const RunConfig *cfg, GError **error);

/* Services for observers (the script's stimuli). */
/* The board memory at physical [addr, addr + len), or NULL when not backed. */
uint8_t *run_memory(Run *r, uint64_t addr, uint64_t len);
/* Bytes for the next device-to-memory transfers of DMA stream |stream| (board index). */
void run_feed_dma(Run *r, uint32_t stream, const uint8_t *bytes, size_t len);
/* Kill the process of task |id| now (its job is already FAULT in the model). */
void run_kill_task(Run *r, uint32_t id);

#endif
