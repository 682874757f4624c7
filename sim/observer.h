/*
 * observer.h: what watches (or steers) a run of the daemon's loop (sim/host/run.h) without
 * being part of it: the output a person reads (sim/trace/observe.c), the syscall record
 * (sim/trace/observe.c), a scenario's script (sim/scenario/launch.c) and the daemon side of
 * a fuzz program (sim/fuzz/fuzzrun.c). A trace writer or a peripheral model plugs in the same
 * way: one RunObserver with the callbacks it needs, the others left NULL.
 *
 * Lifecycle of one observer in one run (the loop calls; every callback is optional):
 *   run_new() or run_observe() registers it (the run does not own |data|)
 *   -> run_boot(): setup() once every task process is ready, before kernel_boot();
 *                  boot() right after kernel_boot()
 *   -> run_step(), repeatedly:
 *        check() at the top of every turn, before the loop looks at the model: apply what is
 *          due at the current virtual time; a value other than RUN_END_NONE stops the run
 *        resume() each time a task is resumed (a start or a system call's return)
 *        before_syscall() for every system call a task makes, then intercept(): the first
 *          observer that answers it replaces the kernel's dispatch (error injection); then
 *          after_syscall() once the call has reached the model (or was answered)
 *        control() for a task's fuzz control request (the first that answers it)
 *        dma_allow() before a DMA transfer starts: FALSE from any makes the driver fail it;
 *          dma_paced(): TRUE from one means its device moves the stream's bytes later
 *        mmio() for a task's access to the registers of a device with a model (the first
 *          that answers it)
 *        log(), report(), note() as tasks log, the model reports, the loop notes
 *        idle() when only idle runs: TRUE if it did something (the loop looks again
 *          before letting virtual time jump)
 *        next_deadline() bounds each jump of virtual time; next_stimulus() says whether a
 *          system where nothing can move still has something coming (the run goes on)
 *   -> run_finish(): end() in registration order (it may give the run's verdict); then
 *      summary() with the final status
 *   -> run_free().
 *
 * Observers are called in registration order. Callbacks that come from inside the model
 * (log, report, dma_allow, dma_paced) must not call into the kernel; the others may.
 */
#ifndef SIM_OBSERVER_H
#define SIM_OBSERVER_H

#include <glib.h>
#include <stdint.h>

#include "sim/kernel/kernel.h"

typedef struct run Run; /* sim/host/run.h */

/* Why a run ended. */
typedef enum {
	RUN_END_NONE = 0,    /* not ended (check(): go on) */
	RUN_END_DONE,        /* every task ended and nothing is left to come */
	RUN_END_DEADLOCK,    /* tasks remain blocked and nothing can wake them */
	RUN_END_PANIC,       /* kernel panic */
	RUN_END_TIME_LIMIT,  /* the configured limit of virtual time was reached */
	RUN_END_STOPPED,     /* an observer stopped it (check()) */
	RUN_END_INTERRUPTED, /* ^C or SIGTERM */
} RunEnd;

/* The exit statuses of `sentry-sim run` (docs: sentry-sim(1)). */
typedef enum {
	RUN_OK = 0,          /* every started task ended normally (or the time limit came) */
	RUN_TASK_FAILED = 1, /* a fault, a non-zero exit, a stuck task or a deadlock */
	RUN_BAD_INPUT = 2,   /* the system could not be started */
	RUN_PANIC = 3,       /* kernel panic */
	RUN_SKIP = 77,       /* the scenario's script needs something this host lacks */
	RUN_HARD_ERROR = 99, /* a script step could not be applied */
	RUN_INTERRUPTED = 130,
} RunStatus;

/* What summary() is told. */
typedef struct {
	RunEnd end;
	const char *end_text; /* "every task ended", "deadlock", "an expectation failed", ... */
	RunStatus status;
	gboolean verdict; /* an observer's end() gave the status (a script) */
} RunResult;

typedef struct {
	const char *name; /* for messages: "output", "record", "script", "fuzz" */
	void *data;       /* passed to every callback; not owned by the run */
	/* reads the whole exchange area in before_syscall() and resume(): every call then
	 * moves it all between the task process and the model, not only the call's span
	 * (the record) */
	gboolean whole_exchange;

	void (*setup)(void *data, Run *run, Kernel *k);
	void (*boot)(void *data, Kernel *k);

	/* |why| (static or owned by the observer) names the reason, "an expectation failed" */
	RunEnd (*check)(void *data, Kernel *k, const char **why);
	void (*resume)(void *data, Kernel *k, uint32_t task, const KernelResume *res);
	/* the bytes of the task's exchange area that the call uses (uapi/src/span.h) are
	 * already in kernel_exchange(k, task); all of them with |whole_exchange| */
	void (*before_syscall)(void *data, Kernel *k, uint32_t task, uint32_t nr,
	                       const uint32_t args[3]);
	gboolean (*intercept)(void *data, Kernel *k, uint32_t task, uint32_t nr, uint32_t *status);
	void (*after_syscall)(void *data, Kernel *k, uint32_t task, uint32_t nr);
	gboolean (*control)(void *data, Kernel *k, uint32_t task, uint32_t op, uint32_t a,
	                    uint32_t b, uint32_t *answer);
	gboolean (*dma_allow)(void *data);
	/* whether this observer's device model paces DMA stream |stream| (board index): it
	 * moves the stream's bytes as the device requests them and calls kernel_dma_complete()
	 * (from check or idle) after the last; the start then moves nothing. From inside the
	 * model: it must not call into the kernel */
	gboolean (*dma_paced)(void *data, uint32_t stream);
	/* A load (|write| FALSE: store the value read in |*value|) or store (|*value| holds
	 * what is written) of |width| bytes (1, 2, 4 or 8) at byte |offset| of the register
	 * window of device |device| (board index), by task |task|, whose device has a model
	 * (BoardDevice.model): the first observer that answers TRUE performs it. */
	gboolean (*mmio)(void *data, Kernel *k, uint32_t task, uint32_t device, uint32_t offset,
	                 unsigned width, gboolean write, uint64_t *value);

	void (*log)(void *data, Kernel *k, uint32_t task, const uint8_t *bytes, size_t len);
	/* kernel reports, and the loop's own deadlock report (KREPORT_DEADLOCK) */
	void (*report)(void *data, Kernel *k, const KernelReport *rep);
	/* a simulator message (not the model's): what a DMA transfer moved */
	void (*note)(void *data, Kernel *k, const char *text);

	gboolean (*idle)(void *data, Kernel *k);
	/* UINT64_MAX: none */
	uint64_t (*next_deadline)(void *data, Kernel *k);
	uint64_t (*next_stimulus)(void *data, Kernel *k);

	/* Returns the run's status as this observer judges it (RUN_OK, RUN_TASK_FAILED,
	 * RUN_HARD_ERROR), or -1 to leave it to the loop. */
	int (*end)(void *data, Kernel *k, RunEnd end, const char *end_text);
	void (*summary)(void *data, Kernel *k, const RunResult *result);
} RunObserver;

#endif
