/*
 * exec.h: run a fuzz program against the kernel model in-process, as its tasks would drive
 * it, checking the invariants (invariants.h) after every step.
 *
 * Lifecycle: exec_options_init(&o) -> adjust -> exec_run(prog, &o, &result), as often as
 * wanted; nothing is kept between runs, and the same program always gives the same result
 * (result.hash covers every observable outcome, so two runs can be compared).
 *
 * The driver plays the host layer and the tasks: the current task's next op runs (a system
 * call through the UAPI library's rules, a raw trap, some computation, a stimulus, a fault);
 * when only idle can run, idle's script of stimuli runs and then kernel_idle() moves time.
 * Pure C (no glib): fuzz targets link this, the kernel model and the checker only.
 */
#ifndef SIM_FUZZ_EXEC_H
#define SIM_FUZZ_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/fuzz/invariants.h"
#include "sim/fuzz/prog.h"
#include "sim/kernel/kernel.h"

typedef enum {
	EXEC_END_DONE = 0,  /* every task ended, or none can be started */
	EXEC_END_STUCK,     /* tasks remain blocked and nothing can wake them */
	EXEC_END_PANIC,     /* a kernel panic (a legitimate outcome of some programs) */
	EXEC_END_STEPS,     /* the step budget ran out */
	EXEC_END_TIME,      /* the virtual time budget ran out */
	EXEC_END_INVARIANT, /* an invariant failed: a bug in the kernel model (or the oracle) */
	EXEC_END_SETUP,     /* the kernel refused the program's configuration */
	EXEC_END_COUNT,
} ExecEnd;

typedef struct {
	uint32_t max_steps;   /* driver steps (resumes, calls, stimuli, idle moves) */
	uint64_t max_time_ns; /* virtual time */
	bool check;           /* run the invariant checker */
	/* Optional: one line per step (for reproducing a failure by hand). */
	void (*trace)(void *data, const char *line);
	void *trace_data;
	/* Optional: the system-call stream, as the daemon's record sees it (sim/trace/record.h):
	 * every trap with the exchange area handed to the kernel, every resume (|fresh| for a
	 * start) with the area handed back. Used to compare with real task processes. */
	void (*on_call)(void *data, uint64_t t_ns, uint32_t task, uint32_t nr,
	                const uint32_t args[3], const uint8_t *exch, uint32_t len);
	void (*on_resume)(void *data, uint64_t t_ns, uint32_t task, bool fresh, uint32_t r0,
	                  uint32_t r1, const uint8_t *exch, uint32_t len);
	void *stream_data;
} ExecOptions;

typedef struct {
	ExecEnd end;
	uint64_t hash; /* FNV-1a over every result, log byte, report and final state */
	uint32_t steps;
	uint32_t syscalls;
	uint64_t time_ns;
	PanicCause panic_cause;
	/* bit s of paths[nr]: system call nr returned Status s to its task at least once */
	uint16_t paths[SYS_COUNT];
	char error[1280]; /* EXEC_END_INVARIANT / EXEC_END_SETUP: what and at which step */
} ExecResult;

void exec_options_init(ExecOptions *o);

typedef struct FuzzBoard FuzzBoard;

/* The kernel configuration of |p|, with tasks named |names|: |tasks| and |fb| (the board)
 * receive what |kc| points to and must outlive the kernel_new() call. */
void exec_kernel_config(const Prog *p, const char *const names[PROG_MAX_TASKS], KernelConfig *kc,
                        KernelTaskConfig tasks[PROG_MAX_TASKS], FuzzBoard *fb);

/* Whether task |task| may access the region of OP_TOUCH's |param| (for a write, |write|):
 * it has it mapped, writable for a write (4.7, 4.8). Otherwise the access faults. */
bool exec_touch_allowed(const Kernel *k, uint32_t task, uint32_t param, bool write);

/* The current handle of the board resource a VAL_RES_OF value names (0 if none). */
uint32_t exec_resource_handle(const Kernel *k, ProgVal v);

/* Each task's current handle and the one it had before its last respawn (0 if none), as
 * VAL_STALE_OF needs them: noted at boot and after every exit trap. */
typedef struct {
	uint32_t handle[PROG_MAX_TASKS + 1], prev[PROG_MAX_TASKS + 1];
} ExecHandles;

void exec_handles_note(ExecHandles *hs, const Kernel *k, bool boot);

/* What a reference to the system resolves to now: VAL_HANDLE_OF, VAL_STALE_OF (from
 * |prev_handles|, each task's handle before its last respawn, 0 if none) and VAL_RES_OF;
 * a literal is itself. Variables are the task's own business. */
uint32_t exec_resolve_ref(const Kernel *k, ProgVal v, const uint32_t *prev_handles);

/* A host stimulus (StimKind), planned from its argument byte, then applied: shared by the
 * in-process driver and `sentry-sim fuzz`'s daemon side so that both do the same. */
typedef struct {
	uint32_t kind;  /* StimKind; STIM_COUNT: nothing */
	bool idle;      /* only idle runs: time passes through kernel_idle() */
	uint32_t count; /* failures to inject */
	uint64_t ns;    /* STIM_IDLE_TIME */
	uint32_t irq;   /* STIM_IRQ, and whether a listed device declares it */
	bool declared;
	uint8_t port, pin; /* STIM_GPIO */
	bool level, release;
	InvHost what; /* the step as the checker sees it */
	uint32_t inv_arg;
} ExecStim;

void exec_stim_plan(const FuzzBoard *fb, uint32_t kind, uint32_t arg, bool idle, ExecStim *st);
/* Apply |st| to |k|; a DMA failure count goes to |dma_failures| (the dma_transfer hook's).
 * False when the kernel took or refused an IRQ line against the board's declarations. */
bool exec_stim_apply(Kernel *k, const ExecStim *st, uint32_t *dma_failures);

/* Run |p|. Returns false when an invariant failed (|r->error| says which). */
bool exec_run(const Prog *p, const ExecOptions *o, ExecResult *r);

const char *exec_end_name(ExecEnd end);

#endif
