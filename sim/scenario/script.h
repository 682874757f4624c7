/*
 * script.h: the [script] part of a scenario: timed or conditional stimuli, and
 * expectations checked while the system runs and when it ends (issue: scenario scripting).
 * The language is documented in docs/scenarios.md.
 *
 * Lifecycle: script_load(desc) -> script_supported(script, env) -> script_run_new(script,
 * env) before kernel_boot() -> script_run_due(r, 0) right after kernel_boot() -> during the
 * run the host calls the observers (log, report, syscall) and script_run_due() whenever
 * virtual time moves -> script_run_finish() -> script_run_verdict() per expectation
 * (optional) -> script_run_free() -> script_free().
 *
 * The host (sim/host/run.c) owns the loop: it asks script_run_next_ns() how far virtual time
 * may jump, applies stimuli through script_run_due(), and lets script_run_intercept() answer
 * a system call instead of the kernel (error injection at the boundary). Observers only
 * record what happened; they never touch the kernel (they are called from inside kernel
 * hooks), so every stimulus, including the ones a condition triggers, is applied by
 * script_run_due(), which the host calls outside any kernel call.
 *
 * Everything is deterministic: the script sees only virtual time and the order of the
 * observed events, never the wall clock.
 */
#ifndef SIM_SCENARIO_SCRIPT_H
#define SIM_SCENARIO_SCRIPT_H

#include <glib.h>
#include <stdint.h>

#include "sim/kernel/kernel.h"
#include "sim/scenario/sysdesc.h"

typedef struct script Script;
typedef struct script_run ScriptRun;

/* Parse and check the [script] group of |desc| (desc->ini) against the tasks and the board of
 * |desc|. A description without one gives an empty script. Errors are "FILE:LINE: KEY:
 * message" (INI_ERROR domain), for the first bad step in file order. The script copies what
 * it needs: |desc| may be freed before it. */
Script *script_load(const SysDesc *desc, GError **error);
void script_free(Script *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Script, script_free)
gboolean script_is_empty(const Script *s);

/* What a script can do to the running system; all but |k| may be NULL in tests. */
typedef struct {
	Kernel *k;
	void *data;
	/* memory of the board (device registers, SHM bytes); NULL when not backed */
	uint8_t *(*memory)(void *data, uint64_t addr, uint64_t len);
	/* feed bytes to a device-side DMA stream (its next transfer takes them); |stream| is
	 * the index in the board's DMA table */
	void (*dma_feed)(void *data, uint32_t stream, const uint8_t *bytes, size_t len);
	/* kill the process of task |id| now (host side only: the script has already made its
	 * job FAULT in the model with kernel_kill_task(), and the model never runs it again) */
	void (*kill_task)(void *data, uint32_t id, const char *why);
	/* a register of a device with a model (sim/periph/): read it or set it through the
	 * model, and return TRUE; FALSE when no model holds |addr| (|memory| answers) */
	gboolean (*reg)(void *data, uint64_t addr, gboolean write, uint32_t *value);
	/* bytes for the receive line of device |device|'s UART model (board index); NULL, or
	 * why it cannot take them */
	const char *(*uart_rx)(void *data, uint32_t device, const uint8_t *bytes, size_t len);
	/* told each stimulus action once applied, as written ("irq(37)"), for a trace */
	void (*applied)(void *data, uint64_t now_ns, const char *what);
} ScriptEnv;

/* FALSE, with "FILE:LINE: KEY: ... needs ..." in |error| (INI_ERROR_INVALID), when the
 * script uses something |env| does not provide (board memory for 'write' and 'reg', a
 * device model for 'dma', the device models for 'uart'): the scenario should be skipped
 * (exit 77), not failed. */
gboolean script_supported(const Script *s, const ScriptEnv *env, GError **error);
/* Whether a 'dma' step of the script feeds DMA stream |stream| (board index): the script then
 * stands in for the stream's device, which does not pace it (docs/periph.md). */
gboolean script_feeds_dma(const Script *s, uint32_t stream);

/* |env| is copied; the kernel must outlive the run. Injections of 'inject.NAME' steps are
 * armed at once. */
ScriptRun *script_run_new(const Script *s, const ScriptEnv *env);
void script_run_free(ScriptRun *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScriptRun, script_run_free)

/* The virtual time of the next thing the script must see: a timed stimulus, a triggered
 * conditional one, a deadline or a timed check; UINT64_MAX if none. It may be <= now (a
 * condition just triggered): call script_run_due() before letting time move. */
uint64_t script_run_next_ns(const ScriptRun *r);
/* The virtual time of the next stimulus still to apply, or UINT64_MAX. While it is finite,
 * a system where nothing can happen any more (KERNEL_IDLE_DONE or KERNEL_IDLE_STUCK) has
 * not ended: advance virtual time to script_run_next_ns() (kernel_advance; it may be a check
 * that comes before the stimulus) and call script_run_due(). */
uint64_t script_run_next_stimulus_ns(const ScriptRun *r);
/* Apply every stimulus due at |now_ns| (timed ones, and conditional ones whose condition
 * was observed, after their delay), in time order then file order; check what is timed at
 * or before |now_ns|; fail timed expectations whose deadline passed. |now_ns| never goes
 * back. */
void script_run_due(ScriptRun *r, uint64_t now_ns);

/* Observers, called by the host as things happen (from the kernel hooks). */
void script_run_log(ScriptRun *r, uint32_t task, const uint8_t *bytes, size_t len, uint64_t now_ns);
/* Bytes device |device| (board index) sent out through its model (a UART's transmit line):
 * lines for uart(DEVICE, /regex/) events. */
void script_run_uart(ScriptRun *r, uint32_t device, const uint8_t *bytes, size_t len,
                     uint64_t now_ns);
/* Every report, including the host's own deadlock report (KREPORT_DEADLOCK). */
void script_run_report(ScriptRun *r, const KernelReport *rep);
/* A system call the kernel dispatched (KernelHooks.syscall). */
void script_run_syscall(ScriptRun *r, uint32_t task, uint32_t nr, const uint32_t args[3],
                        uint64_t now_ns);
/* Error injection, asked before each system call reaches the kernel: TRUE when the script
 * answers it itself with *|status|; the host then calls kernel_answer_syscall() instead of
 * kernel_syscall(), and does not call script_run_syscall() for it (the script has recorded
 * the call already). */
gboolean script_run_intercept(ScriptRun *r, uint32_t task, uint32_t nr, uint32_t *status);

/* TRUE once an expectation failed or the script hit an error: stop the run (and call
 * script_run_finish() with SCRIPT_END_STOPPED). */
gboolean script_run_failed(const ScriptRun *r);
/* TRUE when the failure is an error of the script itself found while running (a step that
 * cannot be applied, such as starting a task that is already running): a hard error (exit
 * 99) rather than a failed expectation (exit 1). */
gboolean script_run_error(const ScriptRun *r);

/* Why the run ended. */
typedef enum {
	SCRIPT_END_DONE,        /* every task ended, and no stimulus is left */
	SCRIPT_END_DEADLOCK,    /* tasks remain blocked and nothing can wake them */
	SCRIPT_END_PANIC,       /* kernel panic */
	SCRIPT_END_TIME_LIMIT,  /* the run reached its 'duration' */
	SCRIPT_END_STOPPED,     /* script_run_failed() stopped it */
	SCRIPT_END_INTERRUPTED, /* ^C */
} ScriptEnd;

/* At the end of the run: evaluate every expectation still undecided (file order). Returns
 * TRUE when all hold and no task faulted that the script does not expect to (fault(TASK),
 * state TASK FAULT); otherwise |diagnosis| (if not NULL) gets the first failure: the step,
 * what was expected, what happened instead, how the run ended and the last lines of each
 * task. After a stopped or interrupted run, undecided expectations are not evaluated. Call
 * once. */
gboolean script_run_finish(ScriptRun *r, ScriptEnd end, GString *diagnosis);

/* Expectations, in file order, for per-expectation reports (TAP, JUnit). */
guint script_expect_count(const Script *s);
const char *script_expect_name(const Script *s, guint i); /* the key: "expect.served" */
int script_expect_line(const Script *s, guint i);

typedef enum {
	SCRIPT_VERDICT_PASSED,
	SCRIPT_VERDICT_FAILED,
	SCRIPT_VERDICT_NOT_EVALUATED, /* the run stopped before it could be decided */
} ScriptVerdict;

/* After script_run_finish(): the verdict of expectation |i|. For a failed one, |detail| (if
 * not NULL) gets "expected: ...\nobserved: ..." (no final newline). */
ScriptVerdict script_run_verdict(const ScriptRun *r, guint i, GString *detail);

/* The outcome of one expectation, for per-expectation reports (`sentry-sim test`). */
typedef struct {
	const char *name; /* the key: "expect.served" */
	int line;         /* of the key in the scenario file */
	ScriptVerdict verdict;
	const char *expected; /* the step as written: "log(server, /x/) within 1s" */
	const char *observed; /* FAILED: what happened instead; NULL otherwise */
	uint64_t at_ns;       /* virtual time it was decided; NOT_EVALUATED: the end of the run */
} ScriptResult;

/* After script_run_finish(): one ScriptResult per expectation, in file order. The strings
 * belong to |r| and its script: the array must not outlive them. Free with g_array_unref. */
GArray *script_run_results(const ScriptRun *r);
/* What each task last did (system calls, states, faults, respawns, with their times), as
 * "last events of each task:" lines, for the report of a failed run. */
void script_run_last_events(const ScriptRun *r, GString *out);
/* After script_run_finish(): the step that could not be applied, as "FILE:LINE: KEY: step:
 * reason" (script_run_error() is TRUE), else NULL. Belongs to |r|. */
const char *script_run_error_text(const ScriptRun *r);
/* After script_run_finish(): how the run ended, as the diagnosis says it ("every task ended,
 * at 300ms", "stopped at 1.000001s by this failure"). Free with g_free. */
char *script_run_end_text(const ScriptRun *r);

#endif
