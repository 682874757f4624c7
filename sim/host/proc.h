/*
 * proc.h: one Linux process per Sentry task, and the daemon's side of its shared page.
 *
 * Lifecycle: taskproc_group_new() (what the processes of a run share) -> for each task
 * taskproc_new(group, slot, ...) -> taskproc_spawn() (fork, baseline seccomp filter, exec)
 * -> taskproc_wait() until the BOOT request -> repeatedly taskproc_reply() /
 * taskproc_wait() -> taskproc_kill() -> taskproc_free(); then taskproc_group_free(). A
 * respawn is taskproc_kill() then taskproc_spawn() again: a fresh process image on the same
 * page.
 *
 * Everything read from the page is the task's word: the daemon copies a request out once
 * (TaskRequest) and never keeps page contents as truth.
 */
#ifndef SIM_HOST_PROC_H
#define SIM_HOST_PROC_H

#include <glib.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "sim/errors.h" /* HOST_ERROR */

typedef struct taskproc TaskProc;
typedef struct taskproc_group TaskProcGroup;

typedef struct {
	uint32_t exchange_len;     /* kernel-side exchange area length */
	gboolean host_tsc;         /* rdtsc reads the host's counter, not virtual cycles */
	uint32_t spin_iterations;  /* 0: spins learned from each task's gaps (proc.c); else a
	                              task's fixed spin in pause iterations before its futex
	                              sleep (the daemon's is 16 times longer) */
	uint32_t watchdog_ms;      /* host CPU time a task may run without a syscall; 0: off */
	uint32_t boot_timeout_ms;  /* wall time a new process has to reach the runtime */
	const char *const *env;    /* extra "KEY=VALUE" entries of the process's environment, or
	                              NULL; borrowed: must outlive the TaskProc */
	gboolean whole_exchange;   /* every call moves the whole exchange area, not its span */
	gboolean symbolize;        /* a fault's diagnosis names its function and line
	                              (sim/host/debug.h: the process is held at its fault) */
	const char *core_dir;      /* NULL, or where a faulting process's core goes; borrowed */
	const char *coverage_dir;  /* --coverage DIR: bound writable for a task built with
	                              --coverage (docs/devtools.md); NULL: none; borrowed */
	gboolean fork_server;      /* start it as an instance of its binary's fork server
	                              (forksrv.h) unless it has developer tools or a core dir */
	gboolean restart_in_place; /* keep its process's memory as at its first BOOT, so that
	                              a restart can bring it back (taskproc_restart_in_place) */
} TaskProcOptions;

typedef struct {
	uint32_t kind; /* enum sentry_req_kind */
	uint32_t nr;
	uint32_t args[3];
} TaskRequest;

typedef enum {
	TASKPROC_REQUEST,  /* a request was copied into |req| */
	TASKPROC_DIED,     /* the process is gone; taskproc_diagnosis() says why */
	TASKPROC_WATCHDOG, /* it ran past the watchdog without a syscall and was killed */
	TASKPROC_TIMEOUT,  /* boot did not complete in time; the process was killed */
	TASKPROC_STOPPED,  /* the daemon was asked to stop (taskproc_stop_flag); nothing done */
} TaskProcWait;

/* The flag a signal handler of the daemon sets to stop (SIGINT, SIGTERM): a wait for a task
 * returns TASKPROC_STOPPED once it is set, whatever the task does. */
void taskproc_stop_flag(const volatile sig_atomic_t *flag);

/* A child of the daemon ended: its SIGCHLD handler calls this (it only counts, so it is
 * async-signal-safe). A wait for a request then stops spinning, does not go to sleep, and
 * looks at once whether its own process is the one that ended. */
void taskproc_child_ended(void);

/* The task processes of one run: the doorbell page they share (uapi/src/wire.h) and the
 * CPUs they run on. With |place| and two CPUs or more allowed, the calling daemon pins
 * itself to the last of them and every task process, once booted, runs on the first, so
 * that the daemon and the running task never wait for each other behind one CPU
 * (docs/architecture.md). */
TaskProcGroup *taskproc_group_new(gboolean place, GError **error);
/* Unpins the daemon. Free every process of the group first. */
void taskproc_group_free(TaskProcGroup *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TaskProcGroup, taskproc_group_free)

/* Does not take ownership of |g|. |slot|: the task's word on the doorbell page, distinct
 * for every process of |g| (below SENTRY_DOORBELL_SLOTS). |name| and |binary| are copied.
 * |entry_offset| 0 means the default entry. */
TaskProc *taskproc_new(TaskProcGroup *g, uint32_t slot, const char *name, const char *binary,
                       uint64_t entry_offset, const TaskProcOptions *opts);
void taskproc_free(TaskProc *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TaskProc, taskproc_free)

/* Start a fresh process on a reset page. Does not wait for it to boot. */
gboolean taskproc_spawn(TaskProc *p, GError **error);

/* Wait for the next request of a process that runs (or boots, with |booting|). */
TaskProcWait taskproc_wait(TaskProc *p, gboolean booting, TaskRequest *req);

/* Answer the pending request. The first |back| bytes of |exch| (the exchange area: the
 * span the call may write, uapi/src/span.h; none if NULL) go with it.
 * |prev|, if not NULL, is the task that ran before |p| and is blocked: it is parked, and if
 * |p| sleeps, |prev| is asked to wake it (a wake-up on the CPU they share) before it sleeps
 * itself. */
void taskproc_reply(TaskProc *p, uint32_t kind, uint32_t r0, uint32_t r1, const uint8_t *exch,
                    uint32_t back, TaskProc *prev);

/* Window operations (sim/host/memory.h WindowOp) to apply with the next reply; the
 * descriptors are sent over the task's window socket. Returns FALSE when there are more
 * than a reply carries. */
gboolean taskproc_stage_windows(TaskProc *p, const void *ops, guint n);

/* The model's time, for the next reply (the task's rdtsc reads it as cycles). */
void taskproc_set_time(TaskProc *p, uint64_t ns);

/* The process cannot run (it failed before booting): kill it if alive and keep |why| as
 * its diagnosis, for when its job is first elected. */
void taskproc_fail(TaskProc *p, const char *why);

/* While its job is blocked (the daemon paces to the wall clock), the process should
 * sleep in its gate: the first call notes its host CPU time, later ones kill it (with a
 * watchdog diagnosis, for when its job is next elected) once it has used more than
 * |limit_ns| since. Returns TRUE when it was killed. A reply ends the watch. */
gboolean taskproc_watch_parked(TaskProc *p, uint64_t limit_ns);

/* The task's job is blocked in the model: tell it to stop spinning and sleep (cleared by
 * the next reply). */
void taskproc_park(TaskProc *p);

/* The task's job blocked sleeping on a timer: the next task's calls will not answer it, so
 * the wake-up it hands that task (taskproc_reply) need not take the CPU from it at once
 * (cleared by its next reply). */
void taskproc_sleeps_long(TaskProc *p);

/* The first |span| bytes of the exchange area as the task handed them with its last request
 * (the span of its call, uapi/src/span.h, or the whole area). */
void taskproc_copy_exchange(TaskProc *p, uint8_t *out, uint32_t span);

/* Whether the task's calls move the whole exchange area (an observer reads all of it) or
 * only their spans; applies from the next spawn. */
void taskproc_whole_exchange(TaskProc *p, gboolean whole);

/* The faulting access of a SENTRY_REQ_MMIO request as the task posted it (copied once:
 * the task's word), and the task's new state to answer it with (uapi/src/wire.h). */
struct sentry_trap;
void taskproc_copy_trap(TaskProc *p, struct sentry_trap *out);
void taskproc_put_trap(TaskProc *p, const struct sentry_trap *in);

/* Library-side text attached to a BOOT_FAILED request. */
const char *taskproc_boot_message(TaskProc *p);

/* A process just spawned (not a fork server's instance) waits for the daemon to let its
 * exec of the task through (the confinement helper's last step): let it through now, without
 * waiting for its boot, so that the processes of a run boot in parallel. taskproc_wait does
 * it otherwise. */
void taskproc_release_exec(TaskProc *p);
/* The job of |p| was respawned by its exit call (its process waits in that call): TRUE if the
 * process may be restarted in place, in which case it is kept until taskproc_restart_in_place
 * (the caller does not kill it). */
gboolean taskproc_can_restart_in_place(TaskProc *p);

/* Task processes this daemon started (fork and exec, or a fork server's clone) and
 * restarted in place (whose restart got as far as its GO), for its life. */
void taskproc_counts(uint64_t *started, uint64_t *restarted);

/* Take |p|, a process kept from an earlier run (run.h, RunKeep), for the task |name| of
 * |binary| with |opts| in a new run, if it can serve it: restartable in place, the same
 * task and binary, and the same options its runtime read at its first boot. Its
 * environment area then holds |opts|' environment, which the process applies once
 * restarted in place (taskproc_restart_in_place, then its BOOT: wire.h). FALSE: unchanged. */
gboolean taskproc_adopt(TaskProc *p, const char *name, const char *binary, uint64_t entry_offset,
                        const TaskProcOptions *opts);
/* Restart |p|'s process in place (uapi/src/wire.h, SENTRY_RESTART_SIGNAL): its writable memory
 * back to its state at its first BOOT, then it boots again from there (await its BOOT as after
 * taskproc_spawn). FALSE if it cannot (its mappings changed, it does not answer, it died...):
 * spawn a new process then, which kills this one (it may be on its way to its BOOT request,
 * but is never answered). */
gboolean taskproc_restart_in_place(TaskProc *p);

/* Kill and reap the process if it is alive (idempotent). */
void taskproc_kill(TaskProc *p);

/* Send the process SIGKILL without waiting for it (taskproc_kill reaps it): a run that ends
 * kills every process first, so that they die in parallel. */
void taskproc_kill_begin(TaskProc *p);

gboolean taskproc_alive(const TaskProc *p);
pid_t taskproc_pid(const TaskProc *p);

/* Why the process ended (after TASKPROC_DIED/WATCHDOG/TIMEOUT); owned by |p|. */
const char *taskproc_diagnosis(const TaskProc *p);

/* The run ends: a live process of a task built with --coverage, waiting in its gate, writes
 * its coverage data now (it goes on waiting). Waits for it, a few seconds at most; TRUE when
 * it was written, FALSE when there was nothing to write or it did not answer. */
gboolean taskproc_flush_tools(TaskProc *p);

/* The report of the sanitizer that ended the process, line by line (the task's words, to
 * escape before showing), or NULL; owned by |p|, valid until its next spawn. */
char *const *taskproc_tool_report(const TaskProc *p);

/* The host CPU time the process has used, in ns (0 if it cannot be read). */
uint64_t taskproc_cpu_ns(TaskProc *p);

#endif
