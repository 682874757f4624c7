/*
 * debug.h: the developer's tools on one task process (docs/devtools.md): what the daemon
 * does while a faulting task is held in its fault handler (a symbolized report, a core
 * dump), and `--gdb`: a task held before its entry until a debugger attaches.
 *
 * Every function runs in the daemon's loop, synchronously, with its own deadline: virtual
 * time does not move meanwhile, so none of them changes a run's result.
 */
#ifndef SIM_HOST_DEBUG_H
#define SIM_HOST_DEBUG_H

#include <glib.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

typedef enum {
	DEBUG_JOB_SYMBOLIZE = 1, /* symbolize_job_run() on a SymbolizeJob */
	DEBUG_JOB_GCORE = 2,     /* gcore -o |path| |pid| */
} DebugJobKind;

/* Once per daemon, before it creates the tasks' PID namespace (confine_daemon_init): start
 * the helper process that runs the symbolizer and gcore. It stays in the daemon's original
 * PID namespace (where the daemon's pids of tasks are valid, for ptrace as for /proc) and
 * dies with the daemon. Without it (it could not start), faults are reported without
 * symbols and no core is dumped. */
void debug_helper_start(void);

/* Run job |kind| (|job|: a SymbolizeJob of symbolize.h; for DEBUG_JOB_GCORE its pid and
 * path, the core's prefix) in a worker of the helper, killed after |timeout_ms|; its output
 * (at most |max| bytes kept) in |out|. FALSE with |error| when the helper is missing, the
 * worker timed out or did not exit with status 0 (|out| holds what it said). */
gboolean debug_helper_run(DebugJobKind kind, const void *job, guint timeout_ms, gsize max,
                          GString *out, GError **error);

/* Process |pid| (task |name|) is held in its fatal-signal handler (uapi/src/wire.h,
 * SENTRY_BOOT_HOLD_FAULT), which recorded |fault_ip|. Returns the text to append to its
 * diagnosis: with |symbolize|, where it faulted (" in FUNC at FILE:LINE (backtrace: ...)");
 * with |core_dir|, where its core went ("; core dumped to DIR/NAME.PID", written by
 * gdb's gcore) or why there is none. Never fails: what cannot be done is said in the
 * text, or left out. The caller then releases the process. */
char *debug_at_fault(pid_t pid, const char *name, uint64_t fault_ip, gboolean symbolize,
                     const char *core_dir);

/* --gdb: write to |out| how to attach a debugger to process |pid| (task |name|), then wait
 * until one has (the process has a tracer), the process is gone, or |*stop| is set. */
void debug_wait_for_debugger(pid_t pid, const char *name, FILE *out, volatile sig_atomic_t *stop);

/* Read |fd| (the child's output, closed by the caller) into |out| (at most |max| bytes
 * kept) until EOF, then reap |child|, within |timeout_ms| in all; a child still running
 * then is killed. FALSE with |error| when it timed out or did not exit with status 0. */
gboolean debug_collect_child(pid_t child, int fd, guint timeout_ms, gsize max, GString *out,
                             GError **error);

/* --core-dir: check that |dir| is (or can be made) a writable directory; FALSE with
 * |error| (HOST_ERROR) otherwise. */
gboolean debug_prepare_core_dir(const char *dir, GError **error);

#endif
