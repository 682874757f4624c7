/*
 * inv_priv.h: the oracle's state, shared by its own files only (invariants.c, inv_snapshot.c,
 * inv_checks.c, inv_board.c, inv_effects.c); the interface is invariants.h.
 *
 * Lifecycle: one Inv per run (inv_new .. inv_free). Each step fills |pre| (a snapshot),
 * copies it into the model |m|, lets the checks and the effects change the model and the
 * expectation |e|, fills |post| and compares.
 */
#ifndef SIM_FUZZ_INV_PRIV_H
#define SIM_FUZZ_INV_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/fuzz/fuzzboard.h"
#include "sim/fuzz/invariants.h"
#include "sim/fuzz/systable.h"
#include "sim/kernel/views.h"

#define INV_T       (PROG_MAX_TASKS + 1) /* task table: configured tasks and idle */
#define INV_Q       (PROG_MAX_TASKS + 3) /* max_tasks: job set cells, delay and alarm entries */
#define RING_USABLE (KERNEL_EVENT_RING - 1)
#define INV_WINDOWS 4 /* mapping slots per task (4.7) */

/* Board state (uapi.md 4.7-4.9, 4.19-4.24), as the views show it and as the model predicts it. */
typedef struct {
	bool used, shm, writable;
	uint32_t index; /* in the device or SHM table */
} BWin;

typedef struct {
	uint32_t n;
	uint32_t cell[RING_USABLE][2]; /* oldest first */
} BRing;

typedef struct {
	bool dev_listed[FUZZBOARD_DEVICES], dev_mapped[FUZZBOARD_DEVICES];
	uint32_t dev_h[FUZZBOARD_DEVICES], dev_owner_h[FUZZBOARD_DEVICES];
	uint32_t shm_h[FUZZBOARD_SHMS];
	KernelShmSlotView shm_owner[FUZZBOARD_SHMS], shm_user[FUZZBOARD_SHMS];
	bool shm_shared[FUZZBOARD_SHMS];
	uint32_t dma_h[FUZZBOARD_DMAS], dma_owner_h[FUZZBOARD_DMAS], dma_state[FUZZBOARD_DMAS];
	bool irq_en[FUZZBOARD_IRQS], irq_pend[FUZZBOARD_IRQS];
	bool pin_level[FUZZBOARD_PINS], pin_driven[FUZZBOARD_PINS], pin_input[FUZZBOARD_PINS];
	BWin win[PROG_MAX_TASKS + 1][INV_WINDOWS];
	BRing irq[PROG_MAX_TASKS + 1], dma[PROG_MAX_TASKS + 1];
} BoardState;

enum { DMA_ST_UNSET = 0, DMA_ST_ASSIGNED, DMA_ST_STARTED, DMA_ST_SUSPENDED };

typedef struct {
	KernelTaskView v;
	uint32_t generation;
	bool respawned;
	bool hung;
	int32_t exit_code;
	uint8_t in_active, in_backed; /* cells holding its current handle */
	uint8_t n_delay;
	uint32_t delay_rem;
	uint16_t ipc[INV_T]; /* pending IPC length by sender */
	uint8_t sig[INV_T];  /* pending signal by sender */
} SnapTask;

typedef struct {
	bool used;
	bool periodic;
	uint32_t handle, delay, remaining;
} SnapAlarm;

typedef struct {
	bool used;
	uint32_t handle, quantum;
} SnapCell;

typedef struct {
	SnapTask t[INV_T];
	uint8_t exch[INV_T][KERNEL_EXCHANGE_MAX]; /* exchange areas (kept apart: large) */
	SnapAlarm alarm[INV_Q];
	SnapCell active[INV_Q], backed[INV_Q];
	uint32_t delays_used;
	bool bad_delay; /* an entry names a task outside the table */
	uint64_t now, jiffies;
	uint32_t current;
	bool panicked;
	PanicCause cause;
	uint32_t pm[5]; /* power requests: count, last command, clock reg, mask, value */
	BoardState b;
} Snap;

/* What the spec says one task must look like after a step. */
typedef struct {
	JobState state;
	bool assigned;
	uint32_t pending;
	uint8_t n_delay;
	uint32_t delay_rem;
	uint64_t deadline; /* jiffies at which its delay entry fires */
	bool scheduled;    /* must hold a cell in the active set afterwards */
} ModelTask;

typedef struct {
	ModelTask t[INV_T];
	uint16_t ipc[INV_T][INV_T]; /* [receiver][sender] */
	uint8_t sig[INV_T][INV_T];
	SnapAlarm alarm[INV_Q];
	uint32_t pm[5];
	BoardState b;
	bool respawn; /* the caller respawns (exit(0) with RESTART) */
} Model;

typedef enum {
	EXP_STATUS = 0, /* records |status| */
	EXP_BLOCK,      /* records NON_SENSE and blocks; |later| when woken */
	EXP_NORESULT,   /* records nothing: the register keeps the first argument (4.0) */
	EXP_PANIC,      /* the kernel panics with |cause| */
	EXP_ANY,        /* not predicted (a board path): any Status of |any| */
	EXP_EXIT,       /* the job ends (exit): no result is ever delivered */
} ExpKind;

typedef struct {
	uint8_t kind;
	uint32_t status;
	uint16_t any;
	uint16_t later;
	PanicCause cause;
	bool panic_allowed; /* EXP_STATUS/EXP_ANY: |cause| may happen instead (uncharacterized) */
	const char *why;
	/* effect-specific predictions */
	bool log_expected;
	bool entropy_used;
	bool gpio_failure_used;
	bool dma_failure_used;
	bool out_check; /* the caller's exchange area: OK writes |out_len| bytes */
	uint32_t out_len;
	uint8_t out[KERNEL_EXCHANGE_MAX]; /* the expected bytes, when |out_known| */
	bool out_known;
	bool ev_check; /* wait_for_event OK: header + payload */
	uint8_t ev_type;
	uint32_t caps_after; /* autotest 38/39 */
	bool caps_change;
	bool cancel_abort; /* the call sets the caller's own state (4.0) */
	bool elects;       /* the call ends with an election (7.3) */
} Expect;

typedef struct {
	bool active;
	uint32_t nr;
	uint32_t a0;
	uint8_t kind; /* ExpKind at the trap */
	uint32_t status;
	uint16_t later;
	uint16_t any;
	bool timed;        /* a delay entry was queued: TIMEOUT possible */
	uint64_t deadline; /* jiffies of its expiry */
} Outstanding;

typedef enum {
	STEP_NONE = 0,
	STEP_SYSCALL,
	STEP_RESUME,
	STEP_HOST,
} StepKind;

struct inv {
	ProgConfig cfg;
	uint32_t n, tl, q, idle, xlen;
	Snap snaps[2];
	Snap *pre, *post;
	bool pre_valid;
	Model m;

	uint32_t global_caps;
	uint32_t entropy_left;
	uint32_t gpio_failures, dma_failures; /* injected driver failures still to come */

	/* the board: static facts (handles and owners are checked at boot, then fixed) */
	FuzzBoard fb;
	uint32_t n_dev, n_shm, n_dma, n_irq, n_pin; /* 0 without a board */
	uint32_t dev_h[FUZZBOARD_DEVICES], dev_owner_h[FUZZBOARD_DEVICES];
	uint32_t shm_h[FUZZBOARD_SHMS], dma_h[FUZZBOARD_DMAS], dma_owner_h[FUZZBOARD_DMAS];
	bool board_booted;
	int res;              /* the resource the current call's lookups found */
	int acc;              /* its SHM accessor slot: 0 owner, 1 user */
	const char *panic_ck; /* why a check panics the kernel */
	bool host_panic;      /* the host step must panic the kernel (an event ring overflows) */
	bool dup_possible;    /* a start of a backed job: job sets may hold duplicates (4.6) */

	uint32_t resumed_gen[INV_T]; /* generation last resumed, 0 = none */
	uint32_t dead_gen[INV_T];    /* generation that ended, 0 = none */
	uint8_t dead_state[INV_T];
	bool alarm_woken[INV_T]; /* READY with NON_SENSE after an alarm (4.16) */
	Outstanding out[INV_T];

	StepKind step;
	InvHost host;
	uint32_t host_arg;
	uint32_t task, nr, a[3];
	const SysRow *d;
	uint32_t effect;
	uint32_t target;
	Expect e;

	uint32_t logs;
	bool log_mismatch;
	bool panic_reported;
	uint32_t abort_reports;

	bool failed;
	char err[1024];
};

static inline const char *tname(const Inv *inv, uint32_t id)
{
	static const char *const names[] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"};
	if (id == inv->idle)
		return "idle";
	return id < PROG_MAX_TASKS ? names[id] : "?";
}

static inline const char *sname(uint32_t status)
{
	return systable_status_name(status);
}

static inline bool is_blocked(JobState s)
{
	return s == JOB_SLEEPING || s == JOB_SLEEPING_DEEP || s == JOB_WAITFOREVENT ||
	       s == JOB_IPC_SEND_BLOCKED;
}

static inline bool is_timed_state(JobState s)
{
	return s == JOB_SLEEPING || s == JOB_SLEEPING_DEEP || s == JOB_WAITFOREVENT;
}

static inline uint64_t deadline_of(uint64_t jiffies, uint32_t remaining)
{
	return jiffies + (remaining ? remaining : 1);
}

/* The outcome of one of the spec's checks (inv_eval_check). */
typedef enum {
	CK_PASS = 0,
	CK_FAIL,
	CK_UNKNOWN,
	CK_PANICS,
} CkResult;

/* invariants.c */
bool inv_fail(Inv *inv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* inv_snapshot.c: snapshots */
void inv_snap(Inv *inv, const Kernel *k, Snap *s);
int inv_task_of_handle(const Inv *inv, const Snap *s, uint32_t h);

/* inv_checks.c: state invariants and the spec's checks */
bool inv_check_state(Inv *inv, const Snap *s);
CkResult inv_eval_check(Inv *inv, const SysCheck *ck);
int inv_task_by_label(const Inv *inv, uint32_t label);

/* inv_board.c: the board model */
bool inv_board_state_equal(Inv *inv, const BoardState *x, const BoardState *g, const char *what);
bool inv_boot_board(Inv *inv, const Snap *s);
bool inv_check_board_static(Inv *inv, const BoardState *b);
int inv_dev_by_handle(const Inv *inv, uint32_t h);
int inv_dev_by_label(const Inv *inv, uint32_t label);
int inv_dma_by_handle(const Inv *inv, uint32_t h);
int inv_dma_by_label(const Inv *inv, uint32_t label);
int inv_irq_dev(const Inv *inv, uint32_t irq);
int inv_irq_line(const Inv *inv, uint32_t irq);
bool inv_model_irq_deliver(Inv *inv, uint32_t li);
int inv_pin_index(const Inv *inv, uint32_t key);
void inv_ring_pop_model(BRing *r, uint32_t *a, uint32_t *b);
bool inv_ring_push_model(BRing *r, uint32_t a, uint32_t b);
int inv_shm_accessor(const BoardState *b, uint32_t shm, uint32_t h);
int inv_shm_by_handle(const Inv *inv, uint32_t h);
int inv_shm_by_label(const Inv *inv, uint32_t label);
KernelShmSlotView *inv_shm_slot(BoardState *b, uint32_t shm, int acc);
void inv_win_add(BoardState *b, uint32_t task, bool shm, uint32_t index, bool writable);
bool inv_win_fits(const Inv *inv, uint32_t task, uint64_t base, uint64_t size);
void inv_win_region(const Inv *inv, const BWin *w, uint64_t *base, uint64_t *size);
void inv_win_remove(BoardState *b, uint32_t task, bool shm, uint32_t index);

/* inv_effects.c: the model and the effects */
bool inv_delay_queue_has_room(const Inv *inv);
void inv_model_from(Inv *inv, const Snap *s);
void inv_model_wake_intr(Inv *inv, uint32_t id);
void inv_predict(Inv *inv);

#endif
