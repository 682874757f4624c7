/*
 * invariants.c: the spec oracle and state invariants of the fuzz targets (see invariants.h).
 *
 * Every step is checked the same way: a snapshot of everything the views expose before the
 * step, a model of what the spec says the state must be after it (the snapshot, changed by
 * the step's predicted effect), a snapshot after it, and one comparison. A system call's
 * prediction comes from its row in the typed table: the checks in the kernel's order give
 * the failing Status; a call that passes them gets its effect's prediction. Time steps (and
 * the syscall cost when it crosses a tick) let the comparison accept the transitions a tick
 * may cause: delay expiry (TIMEOUT), alarm pushes, elections.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/dma.h>
#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/fuzz/fuzzboard.h"
#include "sim/fuzz/invariants.h"
#include "sim/fuzz/systable.h"

INV_NO_COVERAGE_BEGIN

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
	bool dup_possible; /* a start of a backed job: job sets may hold duplicates (4.6) */

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

static bool fail(Inv *inv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(Inv *inv, const char *fmt, ...)
{
	if (inv->failed)
		return false;
	inv->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(inv->err, sizeof(inv->err), fmt, ap);
	va_end(ap);
	return false;
}

bool inv_failed(const Inv *inv)
{
	return inv->failed;
}

const char *inv_error(const Inv *inv)
{
	return inv->failed ? inv->err : "";
}

static const char *tname(const Inv *inv, uint32_t id)
{
	static const char *const names[] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"};
	if (id == inv->idle)
		return "idle";
	return id < PROG_MAX_TASKS ? names[id] : "?";
}

static const char *sname(uint32_t status)
{
	return systable_status_name(status);
}

static bool is_blocked(JobState s)
{
	return s == JOB_SLEEPING || s == JOB_SLEEPING_DEEP || s == JOB_WAITFOREVENT ||
	       s == JOB_IPC_SEND_BLOCKED;
}

static bool is_timed_state(JobState s)
{
	return s == JOB_SLEEPING || s == JOB_SLEEPING_DEEP || s == JOB_WAITFOREVENT;
}

static uint64_t deadline_of(uint64_t jiffies, uint32_t remaining)
{
	return jiffies + (remaining ? remaining : 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Snapshots                                                                                 */

static int task_of_handle(const Inv *inv, const Snap *s, uint32_t h)
{
	uint32_t id = (h >> 20) & 0xFFu;
	if (id < inv->tl && s->t[id].v.handle == h)
		return (int)id;
	return -1;
}

static void snap_board(const Inv *inv, const Kernel *k, BoardState *b)
{
	if (!inv->cfg.board) {
		/* nothing can map a region or push an IRQ or DMA event without a board; the
		 * views still say so (the rings' counts are in the task views) */
		for (uint32_t t = 0; t < inv->tl; t++) {
			memset(b->win[t], 0, sizeof(b->win[t]));
			b->irq[t].n = b->dma[t].n = 0;
		}
		return;
	}
	for (uint32_t i = 0; i < inv->n_dev; i++) {
		b->dev_listed[i] = kernel_view_device(k, i, &b->dev_h[i], &b->dev_owner_h[i],
		                                      &b->dev_mapped[i]);
		if (!b->dev_listed[i]) {
			b->dev_h[i] = b->dev_owner_h[i] = 0;
			b->dev_mapped[i] = false;
		}
	}
	for (uint32_t i = 0; i < inv->n_shm; i++)
		kernel_view_shm(k, i, &b->shm_h[i], &b->shm_owner[i], &b->shm_user[i],
		                &b->shm_shared[i]);
	for (uint32_t i = 0; i < inv->n_dma; i++)
		kernel_view_dma(k, i, &b->dma_h[i], &b->dma_owner_h[i], &b->dma_state[i]);
	for (uint32_t i = 0; i < inv->n_irq; i++)
		kernel_view_irq_line(k, inv->fb.irqs[i], &b->irq_en[i], &b->irq_pend[i]);
	for (uint32_t i = 0; i < inv->n_pin; i++)
		kernel_view_pin(k, (uint8_t)(inv->fb.pins[i] >> 8), (uint8_t)inv->fb.pins[i],
		                &b->pin_level[i], &b->pin_driven[i], &b->pin_input[i]);
	for (uint32_t t = 0; t < inv->tl; t++) {
		for (uint32_t w = 0; w < INV_WINDOWS; w++) {
			BWin *x = &b->win[t][w];
			x->used = kernel_view_window(k, t, w, &x->shm, &x->index, &x->writable);
			if (!x->used)
				*x = (BWin){0};
		}
		uint32_t cells[KERNEL_EVENT_RING][2];
		for (int dma = 0; dma < 2; dma++) {
			BRing *r = dma ? &b->dma[t] : &b->irq[t];
			uint32_t n = kernel_view_ring(k, t, dma, cells);
			r->n = n < RING_USABLE ? n : RING_USABLE; /* check_state flags n > 15 */
			memcpy(r->cell, cells, r->n * sizeof(cells[0]));
		}
	}
}

static void snap(Inv *inv, const Kernel *k, Snap *s)
{
	s->panicked = kernel_panicked(k);
	s->cause = s->panicked ? kernel_view_panic_cause(k) : (PanicCause)0;
	s->current = kernel_current(k);
	s->now = kernel_now_ns(k);
	s->jiffies = kernel_jiffies(k);
	kernel_pm_requests(k, &s->pm[0], &s->pm[1], &s->pm[2], &s->pm[3], &s->pm[4]);
	for (uint32_t i = 0; i < inv->tl; i++) {
		SnapTask *t = &s->t[i];
		kernel_view_task(k, i, &t->v);
		t->generation = t->v.generation;
		t->respawned = t->v.respawned;
		t->hung = t->v.hung;
		t->exit_code = t->v.exit_code;
		t->in_active = t->in_backed = 0;
		t->n_delay = 0;
		t->delay_rem = 0;
		kernel_view_slots(k, i, t->ipc, t->sig);
		/* the views never write; kernel_exchange() only lacks a const variant */
		memcpy(s->exch[i], kernel_exchange((Kernel *)k, i), inv->xlen);
	}
	s->delays_used = 0;
	s->bad_delay = false;
	for (uint32_t q = 0; q < inv->q; q++) {
		SnapCell *a = &s->active[q], *b = &s->backed[q];
		a->used = kernel_view_job_cell(k, true, q, &a->handle, &a->quantum);
		b->used = kernel_view_job_cell(k, false, q, &b->handle, &b->quantum);
		int ia = a->used ? task_of_handle(inv, s, a->handle) : -1;
		int ib = b->used ? task_of_handle(inv, s, b->handle) : -1;
		if (ia >= 0)
			s->t[ia].in_active++;
		if (ib >= 0)
			s->t[ib].in_backed++;
		uint32_t task, rem;
		if (kernel_view_delay(k, q, &task, &rem)) {
			s->delays_used++;
			if (task < inv->tl) {
				s->t[task].n_delay++;
				s->t[task].delay_rem = rem;
			} else {
				s->bad_delay = true;
			}
		}
		SnapAlarm *al = &s->alarm[q];
		al->used =
		    kernel_view_alarm(k, q, &al->handle, &al->delay, &al->remaining, &al->periodic);
		if (!al->used)
			*al = (SnapAlarm){0};
	}
	snap_board(inv, k, &s->b);
}

/* ---------------------------------------------------------------------------------------- */
/* Lifecycle                                                                                 */

Inv *inv_new(const ProgConfig *cfg)
{
	Inv *inv = calloc(1, sizeof(*inv));
	if (!inv)
		return NULL;
	inv->cfg = *cfg;
	inv->n = cfg->n_tasks;
	inv->tl = cfg->n_tasks + 1u;
	inv->q = cfg->max_tasks < INV_Q ? cfg->max_tasks : INV_Q;
	inv->idle = cfg->n_tasks;
	inv->xlen = cfg->exchange_len;
	inv->pre = &inv->snaps[0];
	inv->post = &inv->snaps[1];
	inv->global_caps = cfg->autotest ? 0x00270017u : 0;
	fuzzboard_build(cfg, &inv->fb);
	inv->n_dev = inv->fb.board.n_devices;
	inv->n_shm = inv->fb.board.n_shms;
	inv->n_dma = inv->fb.board.n_dmas;
	inv->n_irq = cfg->board ? inv->fb.n_irqs : 0;
	inv->n_pin = cfg->board ? inv->fb.n_pins : 0;
	return inv;
}

void inv_free(Inv *inv)
{
	free(inv);
}

static uint32_t meta_caps(const Inv *inv, uint32_t id)
{
	return id < inv->n ? inv->cfg.tasks[id].caps : 0;
}

static bool has_event_for(const Inv *inv, const Snap *s, uint32_t id)
{
	const SnapTask *t = &s->t[id];
	if (t->v.irq_count || t->v.dma_count)
		return true;
	for (uint32_t j = 0; j < inv->tl; j++) {
		if (t->sig[j] || t->ipc[j])
			return true;
		/* a zero-length IPC wakes the target but leaves no slot (4.10) */
		if (s->t[j].v.state == JOB_IPC_SEND_BLOCKED && s->t[j].v.ipc_target == id)
			return true;
	}
	return false;
}

static int task_by_label(const Inv *inv, uint32_t label)
{
	for (uint32_t i = 0; i < inv->n; i++)
		if (inv->cfg.tasks[i].label == label)
			return (int)i;
	return label == 0xcafeu ? (int)inv->idle : -1;
}

static bool check_board_static(Inv *inv, const BoardState *b);
static bool boot_board(Inv *inv, const Snap *s);

/* Invariants that hold after every step, whatever the step was. */
static bool check_state(Inv *inv, const Snap *s)
{
	if (s->panicked) {
		if (s->current != KERNEL_NO_TASK)
			return fail(inv, "after a panic the kernel still names a running task");
		return true;
	}
	if (s->current >= inv->tl)
		return fail(inv, "running task id %" PRIu32 " outside the task table", s->current);
	if (s->jiffies != s->now / KERNEL_TICK_NS)
		return fail(inv, "jiffies %" PRIu64 " disagree with virtual time %" PRIu64 " ns",
		            s->jiffies, s->now);
	if (s->bad_delay)
		return fail(inv, "a delay-queue entry names a task outside the table");
	for (uint32_t i = 0; i < inv->tl; i++) {
		const SnapTask *t = &s->t[i];
		JobState st = t->v.state;
		const char *n = tname(inv, i);
		if (st > JOB_YIELDED || st == JOB_NOTSTARTED || st == JOB_SECURITY ||
		    st == JOB_YIELDED)
			return fail(inv, "task %s is in impossible state %s between steps", n,
			            kernel_job_state_name(st));
		if (((t->v.handle >> 20) & 0xFFu) != i || (t->v.handle >> 28) != 0)
			return fail(inv,
			            "task %s has handle 0x%08" PRIx32 " (id field must be %" PRIu32
			            ", family bits 0, uapi.md 3.1)",
			            n, t->v.handle, i);
		if (t->generation < 1 || t->respawned != (t->generation > 1))
			return fail(inv, "task %s: generation %" PRIu32 " but has_respawned %d", n,
			            t->generation, t->respawned);
		if (t->v.irq_count > RING_USABLE || t->v.dma_count > RING_USABLE)
			return fail(inv, "task %s: event ring beyond its 15 usable cells", n);
		if (t->v.assigned && t->v.pending > STATUS_NON_SENSE)
			return fail(inv, "task %s: recorded result %" PRIu32 " is not a Status", n,
			            t->v.pending);
		if (is_blocked(st)) {
			if (!t->v.assigned || t->v.pending != STATUS_NON_SENSE)
				return fail(inv, "task %s is %s without a NON_SENSE result", n,
				            kernel_job_state_name(st));
			if (i == s->current)
				return fail(inv, "task %s runs while %s", n,
				            kernel_job_state_name(st));
			if ((t->in_active || t->in_backed) && !inv->dup_possible)
				return fail(inv, "task %s is %s but holds a job-set cell", n,
				            kernel_job_state_name(st));
		}
		if (t->n_delay > 1)
			return fail(inv, "task %s holds %u delay-queue entries", n, t->n_delay);
		if ((st == JOB_SLEEPING || st == JOB_SLEEPING_DEEP) && t->n_delay != 1)
			return fail(inv, "task %s sleeps without a delay-queue entry", n);
		bool leftover =
		    st == JOB_READY && t->v.assigned && t->v.pending == STATUS_NON_SENSE;
		if (leftover && !inv->alarm_woken[i])
			return fail(inv,
			            "task %s is READY with a NON_SENSE result, and no alarm "
			            "woke it (uapi.md 4.16)",
			            n);
		if (t->n_delay && !is_timed_state(st) && !leftover)
			return fail(inv, "task %s holds a delay-queue entry in state %s", n,
			            kernel_job_state_name(st));
		if (st == JOB_READY && t->v.assigned && t->v.pending == STATUS_INTR &&
		    !has_event_for(inv, s, i))
			return fail(inv,
			            "task %s was woken with INTR but no event is queued for it", n);
		for (uint32_t j = 0; j < inv->tl; j++) {
			if (t->sig[j] > 12)
				return fail(inv,
				            "task %s holds signal %u from %s (only 1..12 exist)", n,
				            t->sig[j], tname(inv, j));
			if (t->ipc[j] > inv->xlen - 8)
				return fail(inv,
				            "task %s holds a %u-byte IPC from %s (max %" PRIu32 ")",
				            n, t->ipc[j], tname(inv, j), inv->xlen - 8);
			if (t->ipc[j] && j != i) {
				const SnapTask *snd = &s->t[j];
				if (snd->v.state != JOB_IPC_SEND_BLOCKED ||
				    snd->v.ipc_target != i || snd->v.ipc_len != t->ipc[j])
					return fail(inv,
					            "task %s holds an IPC of %u bytes from %s, "
					            "which is not blocked sending it (%s)",
					            n, t->ipc[j], tname(inv, j),
					            kernel_job_state_name(snd->v.state));
			}
		}
		if (st == JOB_IPC_SEND_BLOCKED) {
			uint32_t to = t->v.ipc_target;
			if (to >= inv->tl)
				return fail(inv, "task %s is blocked sending to no task", n);
			if (t->v.ipc_len > inv->xlen - 8)
				return fail(inv, "task %s is blocked sending %" PRIu32 " bytes", n,
				            t->v.ipc_len);
			if (t->v.ipc_len && s->t[to].ipc[i] != t->v.ipc_len)
				return fail(inv,
				            "task %s is blocked sending %" PRIu32
				            " bytes to %s, which holds no such IPC",
				            n, t->v.ipc_len, tname(inv, to));
		}
		uint32_t caps = meta_caps(inv, i) | (inv->cfg.autotest ? inv->global_caps : 0);
		if (t->v.caps != caps)
			return fail(inv,
			            "task %s holds capabilities 0x%08" PRIx32
			            ", expected 0x%08" PRIx32,
			            n, t->v.caps, caps);
		if (inv->dead_gen[i] && inv->dead_gen[i] == t->generation) {
			if (st != inv->dead_state[i])
				return fail(inv, "ended task %s changed state to %s", n,
				            kernel_job_state_name(st));
			if (i == s->current)
				return fail(inv, "ended task %s runs again", n);
		} else if (st == JOB_FINISHED || st == JOB_FAULT ||
		           (st == JOB_ABORTING && t->v.aborted_by == UINT32_MAX)) {
			return fail(inv, "task %s is %s but never exited or faulted", n,
			            kernel_job_state_name(st));
		}
	}
	if (!check_board_static(inv, &s->b))
		return false;
	const SnapTask *idle = &s->t[inv->idle];
	if (idle->v.state != JOB_READY || idle->in_active || idle->in_backed)
		return fail(inv, "idle is %s%s (it must stay READY outside the job sets)",
		            kernel_job_state_name(idle->v.state),
		            idle->in_active || idle->in_backed ? " in a job set" : "");
	if (s->current != inv->idle) {
		const SnapTask *c = &s->t[s->current];
		if (c->v.state != JOB_READY &&
		    !(c->v.state == JOB_ABORTING && c->v.aborted_by != UINT32_MAX))
			return fail(inv, "running task %s is %s", tname(inv, s->current),
			            kernel_job_state_name(c->v.state));
		if (!c->in_active)
			return fail(inv, "running task %s holds no cell in the active set",
			            tname(inv, s->current));
	}
	for (uint32_t q = 0; q < inv->q; q++) {
		const SnapAlarm *a = &s->alarm[q];
		if (a->used && a->remaining > a->delay)
			return fail(inv, "alarm entry %" PRIu32 ": %" PRIu32 " ms left of %" PRIu32,
			            q, a->remaining, a->delay);
		if (inv->dup_possible)
			continue;
		for (int set = 0; set < 2; set++) {
			const SnapCell *cell = set ? &s->backed[q] : &s->active[q];
			if (!cell->used)
				continue;
			int id = task_of_handle(inv, s, cell->handle);
			if (id < 0)
				return fail(inv,
				            "%s job set holds handle 0x%08" PRIx32
				            ", which is no task's",
				            set ? "backed" : "active", cell->handle);
			const SnapTask *t = &s->t[id];
			if (t->in_active + t->in_backed > 1)
				return fail(inv, "task %s holds %u job-set cells", tname(inv, id),
				            t->in_active + t->in_backed);
			if (t->v.state != JOB_READY && (uint32_t)id != s->current)
				return fail(inv, "%s job set holds task %s, which is %s",
				            set ? "backed" : "active", tname(inv, id),
				            kernel_job_state_name(t->v.state));
		}
	}
	return true;
}

bool inv_boot(Inv *inv, const Kernel *k)
{
	snap(inv, k, inv->post);
	const Snap *s = inv->post;
	if (s->panicked)
		return fail(inv, "the kernel panicked at boot");
	if (s->jiffies != 0)
		return fail(inv, "boot took %" PRIu64 " ticks", s->jiffies);
	for (uint32_t i = 0; i < inv->tl; i++) {
		const SnapTask *t = &s->t[i];
		if (t->v.state != JOB_READY || t->generation != 1 || t->v.assigned)
			return fail(inv,
			            "task %s does not boot READY, generation 1, without result",
			            tname(inv, i));
		if (i < inv->n && inv->cfg.tasks[i].auto_start != (t->in_active == 1) &&
		    s->current != i)
			return fail(inv, "task %s: start mode %s but %s the active set",
			            tname(inv, i), inv->cfg.tasks[i].auto_start ? "AUTO" : "NOAUTO",
			            t->in_active ? "in" : "not in");
		for (uint32_t b = 0; b < inv->xlen; b++)
			if (s->exch[i][b])
				return fail(inv, "task %s: exchange area not zeroed at boot",
				            tname(inv, i));
	}
	if (!boot_board(inv, s))
		return false;
	Snap *tmp = inv->pre;
	inv->pre = inv->post;
	inv->post = tmp;
	inv->pre_valid = true;
	return check_state(inv, inv->pre);
}

/* ---------------------------------------------------------------------------------------- */
/* The model                                                                                 */

static void model_from(Inv *inv, const Snap *s)
{
	Model *m = &inv->m;
	memset(m, 0, sizeof(*m));
	for (uint32_t i = 0; i < inv->tl; i++) {
		const SnapTask *t = &s->t[i];
		m->t[i] = (ModelTask){.state = t->v.state,
		                      .assigned = t->v.assigned,
		                      .pending = t->v.pending,
		                      .n_delay = t->n_delay,
		                      .delay_rem = t->delay_rem,
		                      .deadline = deadline_of(s->jiffies, t->delay_rem)};
		memcpy(m->ipc[i], t->ipc, sizeof(t->ipc));
		memcpy(m->sig[i], t->sig, sizeof(t->sig));
	}
	memcpy(m->alarm, s->alarm, sizeof(m->alarm));
	memcpy(m->pm, s->pm, sizeof(m->pm));
	m->b = s->b;
}

/* An event pushed to |id| (signal, IPC): a shallow sleeper or a waiter wakes with INTR. */
static void model_wake_intr(Inv *inv, uint32_t id)
{
	ModelTask *t = &inv->m.t[id];
	if (t->state != JOB_SLEEPING && t->state != JOB_WAITFOREVENT)
		return;
	t->state = JOB_READY;
	t->assigned = true;
	t->pending = STATUS_INTR;
	t->n_delay = 0;
	t->scheduled = true;
}

static void model_block(Inv *inv, uint32_t id, JobState st, bool timed, uint32_t ms)
{
	ModelTask *t = &inv->m.t[id];
	t->state = st;
	t->assigned = true;
	t->pending = STATUS_NON_SENSE;
	t->n_delay = timed ? 1 : 0;
	t->delay_rem = ms;
	t->deadline = deadline_of(inv->pre->jiffies, ms);
}

static bool delay_queue_has_room(const Inv *inv)
{
	return inv->pre->delays_used < inv->q;
}


/* ---------------------------------------------------------------------------------------- */
/* The board model (uapi.md 4.7-4.9, 4.19-4.24, 9)                                           */

/* The device handle of 3.1: class, low 16 label bits, family 1. */
static uint32_t spec_device_handle(const BoardDevice *d)
{
	return (d->cap & 0xFFFu) | ((d->label & 0xFFFFu) << 13) | (1u << 29);
}

/* Lookups over the kernel device list: devices with an owner, in table order (9.1). */
static int dev_by_label(const Inv *inv, uint32_t label)
{
	for (uint32_t i = 0; i < inv->n_dev; i++)
		if (inv->fb.devices[i].has_owner && inv->fb.devices[i].label == label)
			return (int)i;
	return -1;
}

static int dev_by_handle(const Inv *inv, uint32_t h)
{
	for (uint32_t i = 0; i < inv->n_dev; i++)
		if (inv->fb.devices[i].has_owner && inv->dev_h[i] == h)
			return (int)i;
	return -1;
}

/* The first listed device that declares |irq| (4.20). */
static int irq_dev(const Inv *inv, uint32_t irq)
{
	for (uint32_t i = 0; i < inv->n_dev; i++) {
		const BoardDevice *d = &inv->fb.devices[i];
		for (uint32_t j = 0; d->has_owner && j < d->n_irqs; j++)
			if (d->irqs[j] == irq)
				return (int)i;
	}
	return -1;
}

static int irq_line(const Inv *inv, uint32_t irq)
{
	for (uint32_t i = 0; i < inv->n_irq; i++)
		if (inv->fb.irqs[i] == irq)
			return (int)i;
	return -1;
}

static int pin_index(const Inv *inv, uint32_t key)
{
	for (uint32_t i = 0; i < inv->n_pin; i++)
		if (inv->fb.pins[i] == key)
			return (int)i;
	return -1;
}

static int shm_by_handle(const Inv *inv, uint32_t h)
{
	uint32_t id = h & 0xFFu;
	return id < inv->n_shm && inv->shm_h[id] == h ? (int)id : -1;
}

static int shm_by_label(const Inv *inv, uint32_t label)
{
	for (uint32_t i = 0; i < inv->n_shm; i++)
		if (inv->fb.shms[i].label == label)
			return (int)i;
	return -1;
}

static int dma_by_handle(const Inv *inv, uint32_t h)
{
	uint32_t id = (h >> 21) & 0xFFu;
	return id < inv->n_dma && inv->dma_h[id] == h ? (int)id : -1;
}

static int dma_by_label(const Inv *inv, uint32_t label)
{
	for (uint32_t i = 0; i < inv->n_dma; i++)
		if (inv->fb.dmas[i].label == label)
			return (int)i;
	return -1;
}

/* The accessor slot naming task handle |h| (the owner slot first, 4.8): 0, 1, or -1. */
static int shm_accessor(const BoardState *b, uint32_t shm, uint32_t h)
{
	if (b->shm_owner[shm].task == h)
		return 0;
	if (b->shm_user[shm].task == h)
		return 1;
	return -1;
}

static KernelShmSlotView *shm_slot(BoardState *b, uint32_t shm, int acc)
{
	return acc == 0 ? &b->shm_owner[shm] : &b->shm_user[shm];
}

static void win_region(const Inv *inv, const BWin *w, uint64_t *base, uint64_t *size)
{
	if (w->shm) {
		*base = inv->fb.shms[w->index].base;
		*size = inv->fb.shms[w->index].size;
	} else {
		*base = inv->fb.devices[w->index].base;
		*size = inv->fb.devices[w->index].size;
	}
}

/* 4.7 step 6, 4.8 step 6: a free slot, and no overlap with a mapped region. */
static bool win_fits(const Inv *inv, uint32_t task, uint64_t base, uint64_t size)
{
	bool free_slot = false;
	for (uint32_t i = 0; i < INV_WINDOWS; i++) {
		const BWin *w = &inv->pre->b.win[task][i];
		if (!w->used) {
			free_slot = true;
			continue;
		}
		uint64_t wb, ws;
		win_region(inv, w, &wb, &ws);
		if (size && ws && base < wb + ws && wb < base + size)
			return false;
	}
	return free_slot;
}

/* Slots are a set: which slot a region takes is not part of the contract. */
static void win_add(BoardState *b, uint32_t task, bool shm, uint32_t index, bool writable)
{
	for (uint32_t i = 0; i < INV_WINDOWS; i++) {
		if (!b->win[task][i].used) {
			b->win[task][i] =
			    (BWin){.used = true, .shm = shm, .index = index, .writable = writable};
			return;
		}
	}
}

static void win_remove(BoardState *b, uint32_t task, bool shm, uint32_t index)
{
	for (uint32_t i = 0; i < INV_WINDOWS; i++) {
		BWin *w = &b->win[task][i];
		if (w->used && w->shm == shm && w->index == index) {
			*w = (BWin){0};
			return;
		}
	}
}

static bool windows_equal(const BWin *a, const BWin *b)
{
	bool taken[INV_WINDOWS] = {false};
	uint32_t na = 0, nb = 0;
	for (uint32_t i = 0; i < INV_WINDOWS; i++) {
		na += a[i].used;
		nb += b[i].used;
		if (!a[i].used)
			continue;
		bool found = false;
		for (uint32_t j = 0; j < INV_WINDOWS && !found; j++) {
			if (b[j].used && !taken[j] && b[j].shm == a[i].shm &&
			    b[j].index == a[i].index && b[j].writable == a[i].writable) {
				taken[j] = true;
				found = true;
			}
		}
		if (!found)
			return false;
	}
	return na == nb;
}

/* Push an event into a model ring: false when it already holds 15 (a panic). */
static bool ring_push_model(BRing *r, uint32_t a, uint32_t b)
{
	if (r->n >= RING_USABLE)
		return false;
	r->cell[r->n][0] = a;
	r->cell[r->n][1] = b;
	r->n++;
	return true;
}

static void ring_pop_model(BRing *r, uint32_t *a, uint32_t *b)
{
	*a = r->cell[0][0];
	*b = r->cell[0][1];
	memmove(r->cell, r->cell + 1, (r->n - 1) * sizeof(r->cell[0]));
	r->n--;
}

/* 4.20's line model: a pending and enabled line is delivered to the owner of the first
 * listed device declaring it (masking the line), which wakes with INTR if it waits. A stale
 * owner handle (the owner respawned) reaches no task. False when the owner's ring is full:
 * the kernel panics. */
static bool model_irq_deliver(Inv *inv, uint32_t li)
{
	BoardState *b = &inv->m.b;
	if (!b->irq_pend[li] || !b->irq_en[li])
		return true;
	int d = irq_dev(inv, inv->fb.irqs[li]);
	b->irq_pend[li] = false;
	b->irq_en[li] = false;
	int owner = d >= 0 ? task_of_handle(inv, inv->pre, inv->dev_owner_h[d]) : -1;
	if (owner < 0)
		return true;
	if (!ring_push_model(&b->irq[owner], inv->fb.irqs[li], inv->dev_h[d]))
		return false;
	model_wake_intr(inv, (uint32_t)owner);
	return true;
}

static bool board_state_equal(Inv *inv, const BoardState *x, const BoardState *g,
                              const char *what)
{
	for (uint32_t i = 0; i < inv->n_dev; i++)
		if (x->dev_mapped[i] != g->dev_mapped[i])
			return fail(inv, "%s: device %s is %smapped, the spec gives %smapped", what,
			            inv->fb.devices[i].name, g->dev_mapped[i] ? "" : "not ",
			            x->dev_mapped[i] ? "" : "not ");
	for (uint32_t i = 0; i < inv->n_shm; i++) {
		for (int acc = 0; acc < 2; acc++) {
			const KernelShmSlotView *a = acc ? &x->shm_user[i] : &x->shm_owner[i];
			const KernelShmSlotView *c = acc ? &g->shm_user[i] : &g->shm_owner[i];
			if (a->task != c->task || a->mappable != c->mappable || a->rw != c->rw ||
			    a->transferable != c->transferable || a->mapped != c->mapped)
				return fail(inv,
				            "%s: SHM %s %s slot holds task 0x%08" PRIx32
				            " map%d rw%d transfer%d mapped%d, the spec gives "
				            "0x%08" PRIx32 " map%d rw%d transfer%d mapped%d",
				            what, inv->fb.shms[i].name, acc ? "user" : "owner",
				            c->task, c->mappable, c->rw, c->transferable, c->mapped,
				            a->task, a->mappable, a->rw, a->transferable, a->mapped);
		}
		if (x->shm_shared[i] != g->shm_shared[i])
			return fail(inv, "%s: SHM %s shared flag %d, expected %d", what,
			            inv->fb.shms[i].name, g->shm_shared[i], x->shm_shared[i]);
	}
	for (uint32_t i = 0; i < inv->n_dma; i++)
		if (x->dma_state[i] != g->dma_state[i])
			return fail(inv, "%s: DMA stream %s in state %" PRIu32 ", the spec gives %" PRIu32,
			            what, inv->fb.dmas[i].name, g->dma_state[i], x->dma_state[i]);
	for (uint32_t i = 0; i < inv->n_irq; i++)
		if (x->irq_en[i] != g->irq_en[i] || x->irq_pend[i] != g->irq_pend[i])
			return fail(inv,
			            "%s: IRQ line %u enabled %d pending %d, the spec gives %d %d",
			            what, inv->fb.irqs[i], g->irq_en[i], g->irq_pend[i],
			            x->irq_en[i], x->irq_pend[i]);
	for (uint32_t i = 0; i < inv->n_pin; i++)
		if (x->pin_level[i] != g->pin_level[i] || x->pin_driven[i] != g->pin_driven[i] ||
		    (x->pin_driven[i] && x->pin_input[i] != g->pin_input[i]))
			return fail(inv,
			            "%s: GPIO pin %u.%u output %d, driven %d (at %d); the spec "
			            "gives %d, %d (at %d)",
			            what, inv->fb.pins[i] >> 8, inv->fb.pins[i] & 0xFF,
			            g->pin_level[i], g->pin_driven[i], g->pin_input[i],
			            x->pin_level[i], x->pin_driven[i], x->pin_input[i]);
	for (uint32_t t = 0; t < inv->tl; t++) {
		if (!windows_equal(x->win[t], g->win[t]))
			return fail(inv, "%s: task %s maps other regions (or permissions) than the spec gives", what,
			            tname(inv, t));
		for (int dma = 0; dma < 2; dma++) {
			const BRing *a = dma ? &x->dma[t] : &x->irq[t];
			const BRing *c = dma ? &g->dma[t] : &g->irq[t];
			if (a->n != c->n || memcmp(a->cell, c->cell, a->n * sizeof(a->cell[0])) != 0)
				return fail(inv,
				            "%s: task %s: %s ring holds %" PRIu32
				            " events, the spec gives %" PRIu32 "%s",
				            what, tname(inv, t), dma ? "DMA" : "IRQ", c->n, a->n,
				            a->n == c->n ? " (other events)" : "");
		}
	}
	return true;
}

/* Board facts fixed at boot: the device list, handles and cached owners never change. */
static bool check_board_static(Inv *inv, const BoardState *b)
{
	if (!inv->board_booted)
		return true;
	for (uint32_t i = 0; i < inv->n_dev; i++)
		if (b->dev_listed[i] != inv->fb.devices[i].has_owner ||
		    (b->dev_listed[i] &&
		     (b->dev_h[i] != inv->dev_h[i] || b->dev_owner_h[i] != inv->dev_owner_h[i])))
			return fail(inv, "device %s: listing, handle or owner changed",
			            inv->fb.devices[i].name);
	for (uint32_t i = 0; i < inv->n_shm; i++)
		if (b->shm_h[i] != inv->shm_h[i])
			return fail(inv, "SHM %s: handle changed", inv->fb.shms[i].name);
	for (uint32_t i = 0; i < inv->n_dma; i++)
		if (b->dma_h[i] != inv->dma_h[i] || b->dma_owner_h[i] != inv->dma_owner_h[i])
			return fail(inv, "DMA stream %s: handle or owner changed", inv->fb.dmas[i].name);
	for (uint32_t t = 0; t < inv->tl; t++) {
		for (uint32_t w = 0; w < INV_WINDOWS; w++) {
			const BWin *x = &b->win[t][w];
			if (x->used && x->index >= (x->shm ? inv->n_shm : inv->n_dev))
				return fail(inv, "task %s maps a region of no resource", tname(inv, t));
		}
	}
	return true;
}

/* After boot (9, 3.1, 4.8, 4.20, 4.23): handles as the spec encodes them, owners cached as
 * boot handles, every resource in its initial state. */
static bool boot_board(Inv *inv, const Snap *s)
{
	const BoardState *b = &s->b;
	for (uint32_t i = 0; i < inv->n_dev; i++) {
		const BoardDevice *d = &inv->fb.devices[i];
		int owner = d->has_owner ? task_by_label(inv, d->owner) : -1;
		uint32_t oh = owner >= 0 ? s->t[owner].v.handle : 0;
		if (b->dev_listed[i] != d->has_owner)
			return fail(inv, "device %s is %sin the kernel device list (9.1)", d->name,
			            b->dev_listed[i] ? "" : "not ");
		if (d->has_owner && b->dev_h[i] != spec_device_handle(d))
			return fail(inv, "device %s has handle 0x%08" PRIx32 ", 3.1 gives 0x%08" PRIx32,
			            d->name, b->dev_h[i], spec_device_handle(d));
		if (d->has_owner && b->dev_owner_h[i] != oh)
			return fail(inv, "device %s: owner handle 0x%08" PRIx32 ", expected 0x%08" PRIx32,
			            d->name, b->dev_owner_h[i], oh);
		if (b->dev_mapped[i])
			return fail(inv, "device %s mapped at boot", d->name);
		inv->dev_h[i] = b->dev_h[i];
		inv->dev_owner_h[i] = b->dev_owner_h[i];
	}
	for (uint32_t i = 0; i < inv->n_shm; i++) {
		const BoardShm *c = &inv->fb.shms[i];
		int owner = task_by_label(inv, c->owner);
		KernelShmSlotView want = {.task = owner >= 0 ? s->t[owner].v.handle : 0};
		if ((b->shm_h[i] & 0xFFu) != i)
			return fail(inv, "SHM %s: handle 0x%08" PRIx32 " lacks its id field %" PRIu32,
			            c->name, b->shm_h[i], i);
		if (memcmp(&b->shm_owner[i], &want, sizeof(want)) != 0 ||
		    memcmp(&b->shm_user[i], &want, sizeof(want)) != 0 || b->shm_shared[i])
			return fail(inv,
			            "SHM %s: at boot both credential slots must name the owner "
			            "without permission (4.8)",
			            c->name);
		inv->shm_h[i] = b->shm_h[i];
	}
	for (uint32_t i = 0; i < inv->n_dma; i++) {
		const BoardDma *c = &inv->fb.dmas[i];
		int owner = task_by_label(inv, c->owner);
		uint32_t oh = owner >= 0 ? s->t[owner].v.handle : 0;
		if (((b->dma_h[i] >> 21) & 0xFFu) != i || (b->dma_h[i] >> 29) != 2)
			return fail(inv, "DMA stream %s: handle 0x%08" PRIx32 " (3.1)", c->name,
			            b->dma_h[i]);
		if (b->dma_owner_h[i] != oh || b->dma_state[i] != DMA_ST_UNSET)
			return fail(inv, "DMA stream %s: owner or initial state (4.23)", c->name);
		inv->dma_h[i] = b->dma_h[i];
		inv->dma_owner_h[i] = b->dma_owner_h[i];
	}
	for (uint32_t i = 0; i < inv->n_irq; i++)
		if (b->irq_en[i] || b->irq_pend[i])
			return fail(inv, "IRQ line %u not masked and idle at boot (4.20)",
			            inv->fb.irqs[i]);
	for (uint32_t i = 0; i < inv->n_pin; i++)
		if (b->pin_level[i] || b->pin_driven[i])
			return fail(inv, "GPIO pin %u.%u not low at boot", inv->fb.pins[i] >> 8,
			            inv->fb.pins[i] & 0xFF);
	for (uint32_t t = 0; t < inv->tl; t++)
		for (uint32_t w = 0; w < INV_WINDOWS; w++)
			if (b->win[t][w].used)
				return fail(inv, "task %s maps a region at boot", tname(inv, t));
	inv->board_booted = true;
	return true;
}

/* ---------------------------------------------------------------------------------------- */
/* Checks (uapi.md 4, in the order of the table)                                             */

typedef enum {
	CK_PASS = 0,
	CK_FAIL,
	CK_UNKNOWN,
	CK_PANICS,
} CkResult;

/* 4.10: depth-first over "has an IPC pending to" edges, no visited set, at most max_tasks
 * frames. 1: the target is reached; -1: the walk overflows its stack (a panic). */
static int deadlock_walk(const Inv *inv, uint32_t node, uint32_t target, uint32_t depth)
{
	const Snap *s = inv->pre;
	for (uint32_t q = 0; q < inv->tl; q++) {
		if (!s->t[node].ipc[q])
			continue;
		if (s->t[q].v.handle == target)
			return 1;
		if (depth + 1 >= inv->cfg.max_tasks)
			return -1;
		int r = deadlock_walk(inv, q, target, depth + 1);
		if (r != 0)
			return r;
	}
	return 0;
}


static uint8_t domain_of(const Inv *inv, uint32_t id)
{
	return id < inv->n ? inv->cfg.tasks[id].domain : 0;
}

static CkResult eval_check(Inv *inv, const SysCheck *ck)
{
	const SnapTask *caller = &inv->pre->t[inv->task];
	uint32_t a = inv->a[ck->arg];
	const SysArg *arg = &inv->d->args[ck->arg];
	switch ((CheckKind)ck->kind) {
	case CK_END:
		return CK_PASS;
	case CK_CAP:
		return caller->v.caps & ck->cap ? CK_PASS : CK_FAIL;
	case CK_GPDMA:
		return inv->cfg.gpdma ? CK_PASS : CK_FAIL;
	case CK_RANGE:
		return a >= arg->lo && a <= arg->hi ? CK_PASS : CK_FAIL;
	case CK_IPC_LEN:
		return a <= inv->xlen - 8 ? CK_PASS : CK_FAIL;
	case CK_LOG_LEN:
		return a <= inv->xlen ? CK_PASS : CK_FAIL;
	case CK_RELEASE:
		return inv->cfg.release ? CK_FAIL : CK_PASS;
	case CK_NOT_SELF:
		return !inv->cfg.autotest && a == caller->v.handle ? CK_FAIL : CK_PASS;
	case CK_TASK_LABEL: {
		int id = task_by_label(inv, a);
		if (id < 0)
			return CK_FAIL;
		inv->target = (uint32_t)id;
		return CK_PASS;
	}
	case CK_SAME_DOMAIN:
		return domain_of(inv, inv->target) == domain_of(inv, inv->task) ? CK_PASS : CK_FAIL;
	case CK_TASK_HANDLE: {
		int id = task_of_handle(inv, inv->pre, a);
		if (id < 0)
			return CK_FAIL;
		inv->target = (uint32_t)id;
		return CK_PASS;
	}
	case CK_DEADLOCK: {
		int r = deadlock_walk(inv, inv->task, a, 0);
		inv->panic_ck = "the IPC deadlock walk overflows (4.10)";
		return r < 0 ? CK_PANICS : r > 0 ? CK_FAIL : CK_PASS;
	}
	case CK_SIG_FREE:
		return inv->pre->t[inv->target].sig[inv->task] ? CK_FAIL : CK_PASS;
	case CK_DELAY_FREE:
		return delay_queue_has_room(inv) ? CK_PASS : CK_FAIL;
	case CK_ALIGN4:
		return a % 4 == 0 ? CK_PASS : CK_FAIL;
	case CK_POW2:
		return a != 0 && (a & (a - 1)) == 0 ? CK_PASS : CK_FAIL;
	case CK_IDLE_ONLY:
		return a <= CPU_SLEEP_WAIT_FOR_EVENT && inv->task != inv->idle ? CK_FAIL : CK_PASS;
	case CK_CYCLE_CAP:
		return a == PRECISION_CYCLE && !(caller->v.caps & CAP_TIM_HP_CHRONO) ? CK_FAIL
		                                                                     : CK_PASS;
	case CK_ENTROPY:
		if (!inv->entropy_left)
			return CK_PASS;
		inv->e.entropy_used = true;
		return CK_FAIL;
	/* The board: lookups find the resource the later checks of the call read (|res|);
	 * without a board every lookup fails. */
	case CK_DEV_LABEL: {
		int i = dev_by_label(inv, a);
		if (i < 0 || inv->dev_owner_h[i] != caller->v.handle)
			return CK_FAIL;
		inv->res = i;
		return CK_PASS;
	}
	case CK_DEV_HANDLE:
		inv->res = dev_by_handle(inv, a);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_DEV_OWNER:
	case CK_IRQ_OWNER:
		return inv->dev_owner_h[inv->res] == caller->v.handle ? CK_PASS : CK_FAIL;
	case CK_DEV_CAP: {
		uint32_t cap = inv->fb.devices[inv->res].cap;
		if (!cap) {
			inv->panic_ck = "map/unmap of a device without capability class (4.7)";
			return CK_PANICS;
		}
		return caller->v.caps & cap ? CK_PASS : CK_FAIL;
	}
	case CK_DEV_UNMAPPED:
		return inv->pre->b.dev_mapped[inv->res] ? CK_FAIL : CK_PASS;
	case CK_DEV_MAPPED:
		return inv->pre->b.dev_mapped[inv->res] ? CK_PASS : CK_FAIL;
	case CK_MAP_SLOT: {
		uint64_t base, size;
		BWin w = {.used = true, .shm = inv->nr == SYSCALL_MAP_SHM, .index = (uint32_t)inv->res};
		win_region(inv, &w, &base, &size);
		return win_fits(inv, inv->task, base, size) ? CK_PASS : CK_FAIL;
	}
	case CK_GPIO_IO:
		return (a & 0xFFu) < inv->fb.devices[inv->res].n_ios ? CK_PASS : CK_FAIL;
	case CK_GPIO_DRIVER:
		if (!inv->gpio_failures)
			return CK_PASS;
		inv->e.gpio_failure_used = true;
		return CK_FAIL;
	case CK_IRQ_DECLARED:
		inv->res = irq_dev(inv, a & 0xFFFFu);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_SHM_LABEL:
		inv->res = shm_by_label(inv, a);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_SHM_HANDLE:
		inv->res = shm_by_handle(inv, a);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_SHM_ACCESSOR:
		inv->acc = shm_accessor(&inv->pre->b, (uint32_t)inv->res, caller->v.handle);
		return inv->acc < 0 ? CK_FAIL : CK_PASS;
	case CK_SHM_MAPPABLE:
		return inv->fb.shms[inv->res].no_map ||
		               !shm_slot(&inv->pre->b, (uint32_t)inv->res, inv->acc)->mappable
		           ? CK_FAIL
		           : CK_PASS;
	case CK_SHM_UNMAPPED:
		return shm_slot(&inv->pre->b, (uint32_t)inv->res, inv->acc)->mapped ? CK_FAIL
		                                                                    : CK_PASS;
	case CK_SHM_MAPPED:
		return shm_slot(&inv->pre->b, (uint32_t)inv->res, inv->acc)->mapped ? CK_PASS
		                                                                    : CK_FAIL;
	case CK_SHM_IS_OWNER:
		return inv->acc == 0 ? CK_PASS : CK_FAIL;
	case CK_SHM_OWNER_UNMAPPED:
		return inv->pre->b.shm_owner[inv->res].mapped ? CK_FAIL : CK_PASS;
	case CK_DMA_LABEL:
		inv->res = dma_by_label(inv, a);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_DMA_HANDLE:
		inv->res = dma_by_handle(inv, a);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_DMA_LABEL_OWNER:
	case CK_DMA_OWNER:
		return inv->dma_owner_h[inv->res] == caller->v.handle ? CK_PASS : CK_FAIL;
	case CK_DMA_STATE: {
		/* 4.23's table: the states each operation is allowed from */
		uint32_t from = 0;
		switch (inv->nr) {
		case SYSCALL_DMA_START_STREAM:
			from = 1u << DMA_ST_ASSIGNED | 1u << DMA_ST_SUSPENDED;
			break;
		case SYSCALL_DMA_SUSPEND_STREAM:
			from = 1u << DMA_ST_STARTED;
			break;
		case SYSCALL_DMA_RESUME_STREAM:
			from = 1u << DMA_ST_SUSPENDED;
			break;
		case SYSCALL_DMA_ASSIGN_STREAM:
			from = 1u << DMA_ST_UNSET;
			break;
		case SYSCALL_DMA_UNASSIGN_STREAM:
			from = 1u << DMA_ST_ASSIGNED | 1u << DMA_ST_SUSPENDED;
			break;
		default:
			return CK_UNKNOWN;
		}
		return from & (1u << inv->pre->b.dma_state[inv->res]) ? CK_PASS : CK_FAIL;
	}
	case CK_KIND_COUNT:
		return CK_UNKNOWN;
	}
	return CK_UNKNOWN;
}

/* ---------------------------------------------------------------------------------------- */
/* Effects: predictions for a call that passed its checks                                    */

static void expect_status(Inv *inv, uint32_t status, const char *why)
{
	inv->e.kind = EXP_STATUS;
	inv->e.status = status;
	inv->e.why = why;
	inv->m.t[inv->task].assigned = true;
	inv->m.t[inv->task].pending = status;
}

static void expect_ok_out(Inv *inv, uint32_t len)
{
	expect_status(inv, STATUS_OK, "success");
	inv->e.out_check = true;
	inv->e.out_len = len;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void eff_ok(Inv *inv)
{
	expect_ok_out(inv, systable_out_len(inv->d->out));
}

/* 4.13, 4.14: the request reaches the power manager. */
static void eff_pm(Inv *inv)
{
	expect_status(inv, STATUS_OK, "power request");
	inv->m.pm[0]++;
	if (inv->nr == SYSCALL_PM_MANAGE) {
		inv->m.pm[1] = inv->a[0];
	} else {
		inv->m.pm[2] = inv->a[0];
		inv->m.pm[3] = inv->a[1];
		inv->m.pm[4] = inv->a[2];
	}
}

static void eff_process_handle(Inv *inv)
{
	expect_ok_out(inv, 4);
	put32(inv->e.out, inv->pre->t[inv->target].v.handle);
	inv->e.out_known = true;
}

static void eff_yield(Inv *inv)
{
	expect_status(inv, STATUS_OK, "yield");
	inv->m.t[inv->task].state = JOB_READY;
	inv->e.elects = true;
}

static void eff_sleep(Inv *inv)
{
	uint32_t ms = inv->a[0], mode = inv->a[1];
	inv->e.kind = EXP_BLOCK;
	inv->e.why = "sleep";
	inv->e.later = ST(STATUS_TIMEOUT) | (mode == SLEEP_MODE_SHALLOW ? ST(STATUS_INTR) : 0);
	inv->e.elects = true;
	model_block(inv, inv->task, mode ? JOB_SLEEPING_DEEP : JOB_SLEEPING, true, ms);
}

static void eff_start(Inv *inv)
{
	const SnapTask *t = &inv->pre->t[inv->target];
	if (inv->target == inv->idle) {
		/* not characterized: idle is never in a job set (the model answers OK) */
		inv->e.panic_allowed = true;
		inv->e.cause = PANIC_KERNEL_INVALID_MANAGER_RESPONSE;
		expect_status(inv, STATUS_OK, "start of idle");
		return;
	}
	uint32_t used = 0;
	for (uint32_t q = 0; q < inv->q; q++)
		used += inv->pre->active[q].used;
	if ((t->v.state != JOB_READY && t->v.state != JOB_YIELDED) || t->in_active ||
	    used >= inv->q) {
		inv->e.kind = EXP_PANIC;
		inv->e.cause = PANIC_KERNEL_INVALID_MANAGER_RESPONSE;
		inv->e.why = "start of a task the scheduler refuses";
		return;
	}
	if (t->in_backed)
		inv->dup_possible = true; /* 4.6: now in both sets, not characterized */
	expect_status(inv, STATUS_OK, "start");
	inv->m.t[inv->target].scheduled = true;
}

static void eff_send_ipc(Inv *inv)
{
	uint32_t len = inv->a[1], to = inv->target;
	inv->m.ipc[to][inv->task] = (uint8_t)len;
	if (to == inv->task) {
		if (inv->cfg.autotest)
			expect_status(inv, STATUS_OK, "autotest self-IPC");
		else
			expect_status(inv, STATUS_INVALID, "self-IPC, slot left pending");
		return;
	}
	inv->e.kind = EXP_BLOCK;
	inv->e.why = "send_ipc";
	inv->e.elects = true;
	inv->e.later = ST(STATUS_OK);
	model_block(inv, inv->task, JOB_IPC_SEND_BLOCKED, false, 0);
	model_wake_intr(inv, to);
}

static void eff_send_signal(Inv *inv)
{
	inv->m.sig[inv->target][inv->task] = (uint8_t)inv->a[1];
	model_wake_intr(inv, inv->target);
	expect_status(inv, STATUS_OK, "send_signal");
}

static void eff_wait(Inv *inv)
{
	uint32_t c = inv->task, mask = inv->a[0] & 0xFFu;
	int32_t timeout = (int32_t)inv->a[1];
	const SnapTask *t = &inv->pre->t[c];
	Expect *e = &inv->e;
	int from = -1;
	if (mask & EVENT_TYPE_SIGNAL)
		for (uint32_t s = 0; s < inv->tl && from < 0; s++)
			if (t->sig[s])
				from = (int)s;
	if (from >= 0) {
		expect_ok_out(inv, 12);
		e->ev_check = true;
		e->ev_type = EVENT_TYPE_SIGNAL;
		uint8_t *o = e->out;
		o[0] = EVENT_TYPE_SIGNAL;
		o[1] = 4;
		o[2] = o[3] = 0x42;
		put32(o + 4, inv->pre->t[from].v.handle);
		put32(o + 8, t->sig[from]);
		e->out_known = true;
		inv->m.sig[c][from] = 0;
		return;
	}
	BoardState *b = &inv->m.b;
	bool irq = (mask & EVENT_TYPE_IRQ) && b->irq[c].n;
	if (irq || ((mask & EVENT_TYPE_DMA) && inv->cfg.gpdma && b->dma[c].n)) {
		/* the oldest event of the ring (4.12 steps 2, 3) */
		uint32_t x, y;
		ring_pop_model(irq ? &b->irq[c] : &b->dma[c], &x, &y);
		expect_ok_out(inv, irq ? 12 : 9);
		e->ev_check = true;
		e->ev_type = irq ? EVENT_TYPE_IRQ : EVENT_TYPE_DMA;
		uint8_t *o = e->out;
		o[0] = e->ev_type;
		o[1] = irq ? 4 : 1;
		o[2] = o[3] = 0x42;
		put32(o + 4, irq ? y : x); /* the device's handle, or the stream's */
		if (irq)
			put32(o + 8, x); /* the IRQ number */
		else
			o[8] = (uint8_t)y; /* the channel state */
		e->out_known = true;
		return;
	}
	if (mask & EVENT_TYPE_IPC)
		for (uint32_t s = 0; s < inv->tl && from < 0; s++)
			if (t->ipc[s])
				from = (int)s;
	if (from >= 0) {
		uint32_t len = t->ipc[from];
		expect_ok_out(inv, 8 + len);
		e->ev_check = true;
		e->ev_type = EVENT_TYPE_IPC;
		uint8_t *o = e->out;
		o[0] = EVENT_TYPE_IPC;
		o[1] = (uint8_t)len;
		o[2] = o[3] = 0x42;
		put32(o + 4, inv->pre->t[from].v.handle);
		/* copied at receive time from the sender's area (the caller's own, for a
		 * self-IPC, as it was at this trap) */
		memcpy(o + 8, inv->pre->exch[from], len);
		e->out_known = true;
		inv->m.ipc[c][from] = 0;
		if (!inv->cfg.autotest) {
			ModelTask *snd = &inv->m.t[from];
			snd->state = JOB_READY;
			snd->assigned = true;
			snd->pending = STATUS_OK;
			if ((uint32_t)from != c)
				snd->scheduled = true;
			else
				e->cancel_abort = true; /* READY replaces an abort (4.0) */
		}
		return;
	}
	if (timeout == WFE_WAIT_NO) {
		expect_status(inv, STATUS_AGAIN, "nothing pending, no wait");
		return;
	}
	bool timed = timeout > 0 && delay_queue_has_room(inv);
	e->kind = EXP_BLOCK;
	e->why = "wait_for_event";
	e->elects = true;
	e->later = ST(STATUS_INTR) | (timed ? ST(STATUS_TIMEOUT) : 0);
	model_block(inv, c, JOB_WAITFOREVENT, timed, timed ? (uint32_t)timeout : 0);
}

static void eff_log(Inv *inv)
{
	expect_status(inv, STATUS_OK, "log");
	inv->e.log_expected = inv->a[0] > 0;
}

static void eff_alarm(Inv *inv)
{
	uint32_t delay = inv->a[0], flag = inv->a[1];
	uint32_t h = inv->pre->t[inv->task].v.handle;
	SnapAlarm *al = inv->m.alarm;
	if (flag == O_ALRM_START || flag == O_ALRM_START_PERIODIC) {
		for (uint32_t q = 0; q < inv->q; q++) {
			if (al[q].used)
				continue;
			al[q] = (SnapAlarm){.used = true,
			                    .periodic = flag == O_ALRM_START_PERIODIC,
			                    .handle = h,
			                    .delay = delay,
			                    .remaining = delay};
			expect_status(inv, STATUS_OK, "alarm armed");
			return;
		}
		expect_status(inv, STATUS_BUSY, "alarm queue full");
		return;
	}
	if (flag == O_ALRM_STOP) {
		for (uint32_t q = 0; q < inv->q; q++) {
			if (al[q].used && al[q].handle == h && al[q].delay == delay) {
				al[q] = (SnapAlarm){0};
				expect_status(inv, STATUS_OK, "alarm stopped");
				return;
			}
		}
		expect_status(inv, STATUS_NO_ENTITY, "no such alarm");
		return;
	}
	expect_status(inv, STATUS_INVALID, "alarm flag");
}

static void eff_cycle(Inv *inv)
{
	uint64_t now = inv->pre->now, freq = inv->cfg.core_freq_hz;
	uint64_t cycles = (uint64_t)((unsigned __int128)now * freq / 1000000000u);
	uint64_t v = 0;
	switch (inv->a[0]) {
	case PRECISION_CYCLE:
		v = cycles;
		break;
	case PRECISION_NANOSECONDS:
		v = freq < 1000000000u && inv->cfg.nanos_quirk
		        ? 0
		        : (uint64_t)((unsigned __int128)cycles * 1000000000u / freq);
		break;
	case PRECISION_MICROSECONDS:
		v = (uint64_t)((unsigned __int128)cycles * 1000000u / freq);
		break;
	default:
		v = inv->pre->jiffies;
		break;
	}
	expect_ok_out(inv, 8);
	memcpy(inv->e.out, &v, 8);
	inv->e.out_known = true;
}

static void eff_capa(Inv *inv, bool set)
{
	expect_status(inv, STATUS_OK, set ? "capability set" : "capability cleared");
	inv->e.caps_change = true;
	inv->e.caps_after = set ? inv->global_caps | inv->a[0] : inv->global_caps & ~inv->a[0];
}

static void eff_capa_set(Inv *inv)
{
	eff_capa(inv, true);
}

static void eff_capa_clear(Inv *inv)
{
	eff_capa(inv, false);
}

static void eff_has_respawned(Inv *inv)
{
	bool r = inv->pre->t[inv->task].respawned;
	expect_status(inv, r ? STATUS_OK : STATUS_AGAIN, "has_respawned");
}

/* A handle written at exch[0..3] (get_*_handle). */
static void eff_out_handle(Inv *inv, uint32_t h)
{
	expect_ok_out(inv, 4);
	put32(inv->e.out, h);
	inv->e.out_known = true;
}

/* 4.24: {handle, label, base, len, perms}, padding zero. */
static void eff_shm_infos(Inv *inv, uint32_t i)
{
	const BoardShm *c = &inv->fb.shms[i];
	const KernelShmSlotView *acc = shm_slot(&inv->pre->b, i, inv->acc);
	shm_infos_t info;
	memset(&info, 0, sizeof(info));
	info.handle = inv->shm_h[i];
	info.label = c->label;
	info.base = (size_t)c->base;
	info.len = (size_t)c->size;
	info.perms = (!c->no_map && acc->mappable ? SHM_PERMISSION_MAP : 0u) |
	             (acc->rw ? SHM_PERMISSION_WRITE : 0u);
	expect_ok_out(inv, sizeof(info));
	memcpy(inv->e.out, &info, sizeof(info));
	inv->e.out_known = true;
}

/* 9.3: the stream's static configuration, padding zero. */
static void eff_dma_info(Inv *inv, uint32_t i)
{
	const BoardDma *c = &inv->fb.dmas[i];
	bool sd = c->source.kind == BOARD_END_DEVICE, dd = c->dest.kind == BOARD_END_DEVICE;
	gpdma_stream_cfg_t cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.channel = c->channel;
	cfg.stream = c->stream;
	cfg.controller = c->controller;
	cfg.transfer_type = sd && dd ? GPDMA_TRANSFER_DEVICE_TO_DEVICE
	                    : sd     ? GPDMA_TRANSFER_DEVICE_TO_MEMORY
	                    : dd     ? GPDMA_TRANSFER_MEMORY_TO_DEVICE
	                             : GPDMA_TRANSFER_MEMORY_TO_MEMORY;
	cfg.source = sd ? 0 : (size_t)inv->fb.shms[c->source.index].base;
	cfg.dest = dd ? 0 : (size_t)inv->fb.shms[c->dest.index].base;
	cfg.transfer_len = c->length;
	cfg.circular_source = c->circular_source;
	cfg.circular_dest = c->circular_dest;
	cfg.interrupts = GPDMA_INT_TC | GPDMA_INT_ERROR;
	cfg.priority = c->priority;
	expect_ok_out(inv, sizeof(cfg));
	memcpy(inv->e.out, &cfg, sizeof(cfg));
	inv->e.out_known = true;
}

/* 4.19: the level a pin reads: the host's drive, else the output last driven. */
static bool pin_read(const BoardState *b, int p)
{
	return b->pin_driven[p] ? b->pin_input[p] : b->pin_level[p];
}

static void eff_gpio(Inv *inv, uint32_t dev)
{
	const BoardIo *io = &inv->fb.devices[dev].ios[inv->a[1] & 0xFFu];
	int p = pin_index(inv, (uint32_t)io->port << 8 | io->pin);
	BoardState *b = &inv->m.b;
	if (p < 0) {
		fail(inv, "oracle error: io %u of %s names no pin", inv->a[1] & 0xFFu,
		     inv->fb.devices[dev].name);
		return;
	}
	switch (inv->nr) {
	case SYSCALL_GPIO_GET:
		expect_ok_out(inv, 1);
		inv->e.out[0] = pin_read(b, p) ? 1 : 0;
		inv->e.out_known = true;
		return;
	case SYSCALL_GPIO_SET:
		b->pin_level[p] = inv->a[2] != 0;
		break;
	case SYSCALL_GPIO_RESET:
		b->pin_level[p] = false;
		break;
	case SYSCALL_GPIO_TOGGLE:
		b->pin_level[p] = !pin_read(b, p);
		break;
	default: /* configure: the declared configuration applies; nothing to see */
		break;
	}
	expect_status(inv, STATUS_OK, "gpio");
}

static void eff_irq(Inv *inv)
{
	int li = irq_line(inv, inv->a[0] & 0xFFFFu);
	BoardState *b = &inv->m.b;
	if (li < 0) {
		fail(inv, "oracle error: IRQ %u is not a line of the board", inv->a[0] & 0xFFFFu);
		return;
	}
	expect_status(inv, STATUS_OK, "irq");
	switch (inv->nr) {
	case SYSCALL_IRQ_ACKNOWLEDGE:
		b->irq_pend[li] = false;
		break;
	case SYSCALL_IRQ_ENABLE:
		/* a source that asserted while masked is delivered now (4.20) */
		b->irq_en[li] = true;
		if (!model_irq_deliver(inv, (uint32_t)li)) {
			inv->e.kind = EXP_PANIC;
			inv->e.cause = PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG;
			inv->e.why = "IRQ ring overflow (4.20)";
		}
		break;
	default:
		b->irq_en[li] = false;
		break;
	}
}

/* 4.23: transitions; start also runs the transfer and its completion interrupt. */
static void eff_dma(Inv *inv, uint32_t i)
{
	BoardState *b = &inv->m.b;
	switch (inv->nr) {
	case SYSCALL_DMA_START_STREAM:
		b->dma_state[i] = DMA_ST_STARTED; /* even when the driver's enable fails */
		if (inv->dma_failures) {
			inv->e.dma_failure_used = true;
			expect_status(inv, STATUS_INVALID, "the DMA driver's enable fails");
			return;
		}
		expect_status(inv, STATUS_OK, "dma start");
		if (inv->cfg.dma_intended)
			b->dma_state[i] = DMA_ST_ASSIGNED;
		/* the completion: the event carries IDLE (reference and intended paths) */
		if (!ring_push_model(&b->dma[inv->task], inv->dma_h[i], GPDMA_STATE_IDLE)) {
			inv->e.kind = EXP_PANIC;
			inv->e.cause = PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG;
			inv->e.why = "DMA ring overflow (4.23)";
		}
		return; /* the owner is the caller, which runs: no wake-up */
	case SYSCALL_DMA_SUSPEND_STREAM:
		b->dma_state[i] = DMA_ST_SUSPENDED;
		break;
	case SYSCALL_DMA_RESUME_STREAM:
		b->dma_state[i] = DMA_ST_STARTED;
		break;
	case SYSCALL_DMA_ASSIGN_STREAM:
		b->dma_state[i] = DMA_ST_ASSIGNED;
		break;
	case SYSCALL_DMA_UNASSIGN_STREAM:
		b->dma_state[i] = DMA_ST_UNSET;
		break;
	default:
		break;
	}
	expect_status(inv, STATUS_OK, "dma transition");
}

/* 4.9 step 7. */
static void eff_shm_credential(Inv *inv, uint32_t i)
{
	BoardState *b = &inv->m.b;
	uint32_t target = inv->a[1], perms = inv->a[2];
	uint32_t caller = inv->pre->t[inv->task].v.handle;
	KernelShmSlotView cred = {.task = target,
	                          .mappable = (perms & SHM_PERMISSION_MAP) != 0,
	                          .rw = (perms & SHM_PERMISSION_WRITE) != 0,
	                          .transferable = (perms & SHM_PERMISSION_TRANSFER) != 0};
	if (target == caller) {
		cred.mapped = b->shm_owner[i].mapped; /* false: step 6 refused a mapped owner */
		b->shm_owner[i] = cred;
	} else {
		/* the mapped flag belongs to the accessor, not to the credential: the same
		 * user keeps it, a new user starts unmapped (sim's reading, docs) */
		if (b->shm_user[i].task == target)
			cred.mapped = b->shm_user[i].mapped;
		b->shm_user[i] = cred;
		b->shm_shared[i] = true;
	}
	expect_status(inv, STATUS_OK, "credential set");
}

static void eff_board(Inv *inv)
{
	uint32_t r = (uint32_t)inv->res, c = inv->task;
	BoardState *b = &inv->m.b;
	switch (inv->nr) {
	case SYSCALL_GET_DEVICE_HANDLE:
		eff_out_handle(inv, inv->dev_h[r]);
		return;
	case SYSCALL_MAP_DEV:
		win_add(b, c, false, r, true); /* read-write device memory (4.7) */
		b->dev_mapped[r] = true;
		expect_status(inv, STATUS_OK, "device mapped");
		return;
	case SYSCALL_UNMAP_DEV:
		win_remove(b, c, false, r);
		b->dev_mapped[r] = false;
		expect_status(inv, STATUS_OK, "device unmapped");
		return;
	case SYSCALL_MAP_SHM:
		/* read-write if the accessor's rw flag is set, read-only otherwise (4.8) */
		win_add(b, c, true, r, shm_slot(&inv->pre->b, r, inv->acc)->rw);
		shm_slot(b, r, inv->acc)->mapped = true;
		expect_status(inv, STATUS_OK, "SHM mapped");
		return;
	case SYSCALL_UNMAP_SHM:
		win_remove(b, c, true, r);
		shm_slot(b, r, inv->acc)->mapped = false;
		expect_status(inv, STATUS_OK, "SHM unmapped");
		return;
	case SYSCALL_SHM_SET_CREDENTIAL:
		eff_shm_credential(inv, r);
		return;
	case SYSCALL_GET_SHM_HANDLE:
		eff_out_handle(inv, inv->shm_h[r]);
		return;
	case SYSCALL_SHM_GET_INFOS:
		eff_shm_infos(inv, r);
		return;
	case SYSCALL_GPIO_GET:
	case SYSCALL_GPIO_SET:
	case SYSCALL_GPIO_RESET:
	case SYSCALL_GPIO_TOGGLE:
	case SYSCALL_GPIO_CONFIGURE:
		eff_gpio(inv, r);
		return;
	case SYSCALL_IRQ_ACKNOWLEDGE:
	case SYSCALL_IRQ_ENABLE:
	case SYSCALL_IRQ_DISABLE:
		eff_irq(inv);
		return;
	case SYSCALL_GET_DMA_STREAM_HANDLE:
		eff_out_handle(inv, inv->dma_h[r]);
		return;
	case SYSCALL_DMA_GET_STREAM_INFO:
		eff_dma_info(inv, r);
		return;
	default:
		eff_dma(inv, r);
		return;
	}
}

static void eff_unsupported(Inv *inv)
{
	if (inv->cfg.autotest) {
		expect_status(inv, STATUS_NO_ENTITY, "unsupported (autotest)");
		return;
	}
	inv->e.kind = EXP_NORESULT;
	inv->e.why = "unsupported: the caller aborts";
	inv->m.t[inv->task].state = JOB_ABORTING;
}

static void eff_exit(Inv *inv)
{
	uint32_t c = inv->task;
	ModelTask *t = &inv->m.t[c];
	inv->e.kind = EXP_EXIT;
	inv->e.elects = true;
	if (inv->a[0] != 0) {
		inv->e.why = "exit(!=0): aborting";
		t->state = JOB_ABORTING;
		return;
	}
	uint8_t mode = c < inv->n ? inv->cfg.tasks[c].exit_mode : EXIT_MODE_PANIC;
	if (mode == EXIT_MODE_PANIC) {
		inv->e.kind = EXP_PANIC;
		inv->e.cause = PANIC_HARDWARE_UNEXPECTED_MODIFICATION;
		inv->e.why = "exit(0) with exit mode PANIC";
		return;
	}
	if (mode == EXIT_MODE_RESTART) {
		inv->e.why = "exit(0): respawn";
		inv->m.respawn = true;
		memset(inv->m.b.win[c], 0, sizeof(inv->m.b.win[c])); /* 7.6 */
		*t = (ModelTask){.state = JOB_READY, .scheduled = true};
		return;
	}
	inv->e.why = "exit(0): finished";
	t->state = JOB_FINISHED;
	t->assigned = true;
	t->pending = STATUS_NON_SENSE;
}

typedef void (*EffectFn)(Inv *inv);

static const EffectFn effects[] = {
    [EFF_OK] = eff_ok,
    [EFF_EXIT] = eff_exit,
    [EFF_PROCESS_HANDLE] = eff_process_handle,
    [EFF_YIELD] = eff_yield,
    [EFF_SLEEP] = eff_sleep,
    [EFF_START] = eff_start,
    [EFF_SEND_IPC] = eff_send_ipc,
    [EFF_SEND_SIGNAL] = eff_send_signal,
    [EFF_WAIT] = eff_wait,
    [EFF_PM] = eff_pm,
    [EFF_LOG] = eff_log,
    [EFF_ALARM] = eff_alarm,
    [EFF_CYCLE] = eff_cycle,
    [EFF_CAPA_SET] = eff_capa_set,
    [EFF_CAPA_CLEAR] = eff_capa_clear,
    [EFF_HAS_RESPAWNED] = eff_has_respawned,
    [EFF_BOARD] = eff_board,
    [EFF_UNSUPPORTED] = eff_unsupported,
};

static void predict(Inv *inv)
{
	memset(&inv->e, 0, sizeof(inv->e));
	model_from(inv, inv->pre);
	inv->target = KERNEL_NO_TASK;
	inv->res = -1;
	inv->acc = -1;
	if (inv->effect == EFF_UNSUPPORTED) {
		eff_unsupported(inv);
		return;
	}
	for (const SysCheck *ck = inv->d->checks; ck->kind != CK_END; ck++) {
		switch (eval_check(inv, ck)) {
		case CK_PASS:
			continue;
		case CK_FAIL:
			expect_status(inv, ck->status, systable_check_name((CheckKind)ck->kind));
			return;
		case CK_UNKNOWN:
			inv->e.kind = EXP_ANY;
			inv->e.any = inv->d->statuses;
			inv->e.why = systable_check_name((CheckKind)ck->kind);
			return;
		case CK_PANICS:
			inv->e.kind = EXP_PANIC;
			inv->e.cause = PANIC_KERNEL_INVALID_MANAGER_RESPONSE;
			inv->e.why = inv->panic_ck;
			return;
		}
	}
	if (inv->effect >= sizeof(effects) / sizeof(effects[0]) || !effects[inv->effect]) {
		fail(inv, "oracle error: no prediction for the effect of %s", inv->d->name);
		return;
	}
	effects[inv->effect](inv);
}

/* ---------------------------------------------------------------------------------------- */
/* Steps                                                                                     */

static void begin(Inv *inv, const Kernel *k, StepKind step)
{
	if (!inv->pre_valid)
		snap(inv, k, inv->pre);
	inv->step = step;
	inv->logs = 0;
	inv->log_mismatch = false;
	inv->panic_reported = false;
	inv->abort_reports = 0;
}

void inv_begin_syscall(Inv *inv, const Kernel *k, uint32_t task, uint32_t nr,
                       const uint32_t args[3])
{
	begin(inv, k, STEP_SYSCALL);
	/* the driver filled the exchange area since the last step */
	memcpy(inv->pre->exch[task], kernel_exchange((Kernel *)k, task), inv->xlen);
	inv->task = task;
	inv->nr = nr;
	memcpy(inv->a, args, sizeof(inv->a));
	inv->d = systable_get(nr);
	inv->effect = systable_supported(nr, inv->cfg.autotest) ? inv->d->effect : EFF_UNSUPPORTED;
	if (!inv->failed && inv->pre->current != task)
		fail(inv, "driver error: %s traps but %s runs", tname(inv, task),
		     tname(inv, inv->pre->current));
	predict(inv);
}

void inv_begin_resume(Inv *inv, const Kernel *k)
{
	begin(inv, k, STEP_RESUME);
}

void inv_begin_host(Inv *inv, const Kernel *k, InvHost what, uint32_t arg)
{
	begin(inv, k, STEP_HOST);
	inv->host = what;
	inv->host_arg = arg;
	model_from(inv, inv->pre);
	inv->host_panic = false;
	BoardState *b = &inv->m.b;
	switch (what) {
	case INV_HOST_FAULT:
		if (inv->pre->current < inv->tl)
			inv->m.t[inv->pre->current].state = JOB_FAULT;
		break;
	case INV_HOST_IRQ: {
		/* 4.20: the line goes pending and is delivered if enabled; a line no listed
		 * device declares is refused */
		int li = irq_line(inv, arg);
		if (li >= 0 && irq_dev(inv, arg) >= 0) {
			b->irq_pend[li] = true;
			inv->host_panic = !model_irq_deliver(inv, (uint32_t)li);
		}
		break;
	}
	case INV_HOST_GPIO_DRIVE:
	case INV_HOST_GPIO_RELEASE: {
		int p = pin_index(inv, arg & 0xFFFFu);
		if (p >= 0) {
			b->pin_driven[p] = what == INV_HOST_GPIO_DRIVE;
			if (what == INV_HOST_GPIO_DRIVE)
				b->pin_input[p] = (arg >> 16) & 1;
		}
		break;
	}
	default:
		break;
	}
}

void inv_log(Inv *inv, uint32_t task, const uint8_t *bytes, size_t len)
{
	if (!inv->pre_valid)
		return; /* idle's boot lines */
	inv->logs++;
	if (inv->step != STEP_SYSCALL || task != inv->task || len != inv->a[0] ||
	    memcmp(bytes, inv->pre->exch[task], len) != 0)
		inv->log_mismatch = true;
}

void inv_report(Inv *inv, const KernelReport *r)
{
	if (r->kind == KREPORT_PANIC)
		inv->panic_reported = true;
	if (r->kind == KREPORT_ABORT)
		inv->abort_reports++;
}

static bool same_task_fixed(Inv *inv, uint32_t id, const SnapTask *a, const SnapTask *b, bool exch)
{
	const char *n = tname(inv, id);
	if (a->v.handle != b->v.handle)
		return fail(inv, "task %s: handle changed from 0x%08" PRIx32 " to 0x%08" PRIx32, n,
		            a->v.handle, b->v.handle);
	if (a->generation != b->generation || a->respawned != b->respawned)
		return fail(inv, "task %s: job generation changed", n);
	if (a->exit_code != b->exit_code)
		return fail(inv, "task %s: exit code changed", n);
	if (a->v.state == JOB_IPC_SEND_BLOCKED && b->v.state == JOB_IPC_SEND_BLOCKED &&
	    (a->v.ipc_target != b->v.ipc_target || a->v.ipc_len != b->v.ipc_len))
		return fail(inv, "task %s: IPC send state changed", n);
	if (a->v.r0 != b->v.r0)
		return fail(inv, "task %s: result register changed", n);
	if (a->v.aborted_by != b->v.aborted_by)
		return fail(inv, "task %s: abort cause changed", n);
	if (exch && memcmp(inv->pre->exch[id], inv->post->exch[id], inv->xlen) != 0)
		return fail(inv, "task %s: exchange area changed", n);
	return true;
}

/* Compare the model with the state after the step. With |timed|, ticks happened: accept the
 * transitions a tick may cause on top of the model. */
typedef enum {
	TO_NONE = 0, /* nothing fires for this task */
	TO_TIMEOUT,  /* its delay entry fires: READY with TIMEOUT */
	TO_ALARM,    /* its alarm makes it READY with NON_SENSE (4.16) */
	TO_PANIC,    /* its delay fires after an alarm made it READY: a panic (4.16, 8) */
} TimeOutcome;

/* The first tick at which an alarm of |handle| fires, from the model's alarm queue. */
static uint64_t first_alarm_tick(const Inv *inv, uint32_t handle)
{
	uint64_t t = UINT64_MAX;
	for (uint32_t q = 0; q < inv->q; q++) {
		const SnapAlarm *a = &inv->m.alarm[q];
		if (a->used && a->handle == handle) {
			uint64_t d = deadline_of(inv->pre->jiffies, a->remaining);
			t = d < t ? d : t;
		}
	}
	return t;
}

/* What the ticks up to |until| do to task |i| (uapi.md 8: delays before alarms). */
static TimeOutcome time_outcome(const Inv *inv, uint32_t i, uint64_t until)
{
	const ModelTask *x = &inv->m.t[i];
	uint64_t d_tick = x->n_delay ? x->deadline : UINT64_MAX;
	uint64_t a_tick = first_alarm_tick(inv, inv->post->t[i].v.handle);
	bool leftover = x->state == JOB_READY && x->assigned && x->pending == STATUS_NON_SENSE;
	if (leftover)
		return d_tick <= until ? TO_PANIC : TO_NONE;
	if (x->state == JOB_WAITFOREVENT && inv->m.sig[i][i] == 0 && a_tick <= until &&
	    a_tick < d_tick)
		return d_tick <= until ? TO_PANIC : TO_ALARM;
	if (is_timed_state(x->state) && d_tick <= until)
		return TO_TIMEOUT;
	return TO_NONE;
}

/* A time-driven panic the spec predicts: a wait timeout firing after an alarm made its
 * waiter READY (4.16, 8). */
static bool time_panic_allowed(const Inv *inv)
{
	if (inv->post->cause != PANIC_KERNEL_INVALID_MANAGER_STATE)
		return false;
	for (uint32_t i = 0; i < inv->tl; i++)
		if (time_outcome(inv, i, inv->post->jiffies) == TO_PANIC)
			return true;
	return false;
}

/* Compare the model with the state after the step. With |timed|, ticks may have happened:
 * the model is moved forward by them first, exactly (uapi.md 8). */
static bool compare(Inv *inv, bool timed)
{
	const Snap *pre = inv->pre, *post = inv->post;
	const Model *m = &inv->m;
	uint64_t now = post->jiffies, dj = post->jiffies - pre->jiffies;
	if (post->now < pre->now)
		return fail(inv, "virtual time went back from %" PRIu64 " to %" PRIu64 " ns",
		            pre->now, post->now);
	if (!timed && dj)
		return fail(inv, "ticks happened in a step that takes no time");
	for (uint32_t i = 0; i < inv->tl; i++) {
		ModelTask x = m->t[i];
		const SnapTask *g = &post->t[i];
		const char *n = tname(inv, i);
		uint32_t h = g->v.handle;
		bool alarm_fired = m->sig[i][i] == 0 && first_alarm_tick(inv, h) <= now;
		switch (time_outcome(inv, i, now)) {
		case TO_PANIC:
			return fail(inv,
			            "task %s: its wait timeout fired after an alarm made it "
			            "READY; the kernel must panic (uapi.md 4.16)",
			            n);
		case TO_TIMEOUT:
			x = (ModelTask){.state = JOB_READY,
			                .assigned = true,
			                .pending = STATUS_TIMEOUT,
			                .scheduled = true};
			break;
		case TO_ALARM:
			x.state = JOB_READY;
			x.scheduled = true;
			inv->alarm_woken[i] = true;
			/* fall through */
		case TO_NONE:
			x.delay_rem -= x.n_delay ? (uint32_t)dj : 0;
			break;
		}
		if (g->v.state != x.state || g->v.assigned != x.assigned ||
		    (g->v.assigned && g->v.pending != x.pending) || g->n_delay != x.n_delay)
			return fail(inv,
			            "task %s is %s (result %s, %u delay entries), the spec "
			            "gives %s (result %s, %u delay entries)",
			            n, kernel_job_state_name(g->v.state),
			            g->v.assigned ? sname(g->v.pending) : "none", g->n_delay,
			            kernel_job_state_name(x.state),
			            x.assigned ? sname(x.pending) : "none", x.n_delay);
		if (g->n_delay && g->delay_rem != x.delay_rem)
			return fail(inv,
			            "task %s: delay entry holds %" PRIu32 " ms, expected %" PRIu32,
			            n, g->delay_rem, x.delay_rem);
		/* a quantum expiring in the same step may move it on to the backed set */
		if (x.scheduled && !g->in_active && !(timed && g->in_backed) &&
		    !inv->dup_possible && g->v.state == JOB_READY)
			return fail(inv, "task %s was made runnable but is not in the active set",
			            n);
		for (uint32_t s = 0; s < inv->tl; s++) {
			uint8_t want = m->sig[i][s];
			if (s == i && alarm_fired)
				want = SIGNAL_ALARM; /* an alarm pushes into the task's own slot */
			if (g->ipc[s] != m->ipc[i][s])
				return fail(inv, "task %s: IPC slot from %s holds %u, expected %u",
				            n, tname(inv, s), g->ipc[s], m->ipc[i][s]);
			if (g->sig[s] != want)
				return fail(inv,
				            "task %s: signal slot from %s holds %u, expected %u", n,
				            tname(inv, s), g->sig[s], want);
		}
	}
	if (memcmp(m->pm, post->pm, sizeof(m->pm)) != 0)
		return fail(inv,
		            "power manager: %" PRIu32 " requests, last command %" PRIu32
		            ", clock 0x%" PRIx32 "/0x%" PRIx32 "/0x%" PRIx32
		            "; the spec gives %" PRIu32 ", %" PRIu32 ", 0x%" PRIx32 "/0x%" PRIx32
		            "/0x%" PRIx32,
		            post->pm[0], post->pm[1], post->pm[2], post->pm[3], post->pm[4],
		            m->pm[0], m->pm[1], m->pm[2], m->pm[3], m->pm[4]);
	for (uint32_t q = 0; q < inv->q; q++) {
		const SnapAlarm *x = &m->alarm[q], *g = &post->alarm[q];
		bool used = x->used;
		uint32_t rem = x->remaining;
		uint64_t first = x->remaining ? x->remaining : 1;
		if (used && dj >= first) {
			/* fired at tick |first|; a periodic entry reloads its delay */
			uint64_t k = dj - first;
			used = x->periodic;
			rem = x->delay ? x->delay - (uint32_t)(k % x->delay) : 0;
		} else if (used) {
			rem -= (uint32_t)dj;
		}
		if (used != g->used ||
		    (used && (x->handle != g->handle || x->delay != g->delay ||
		              x->periodic != g->periodic || g->remaining != rem)))
			return fail(inv,
			            "alarm entry %" PRIu32 ": %s, the spec gives %s (%" PRIu32
			            " ms left)",
			            q, g->used ? "in use" : "free", used ? "in use" : "free", rem);
	}
	return board_state_equal(inv, &m->b, &post->b, inv->d && inv->step == STEP_SYSCALL
	                                                    ? inv->d->name
	                                                    : "host step");
}

/* The caller's exchange area after a system call. */
static bool check_caller_exch(Inv *inv, uint32_t delivered_ok)
{
	const uint8_t *before = inv->pre->exch[inv->task];
	const uint8_t *after = inv->post->exch[inv->task];
	const Expect *e = &inv->e;
	uint32_t from = 0;
	if (inv->m.respawn) {
		for (uint32_t b = 0; b < inv->xlen; b++)
			if (after[b])
				return fail(inv, "respawned job's exchange area not zeroed (7.6)");
		return true;
	}
	if (delivered_ok && e->out_check) {
		from = e->out_len < inv->xlen ? e->out_len : inv->xlen;
		if (e->out_known && memcmp(after, e->out, from) != 0) {
			uint32_t b = 0;
			while (b < from && after[b] == e->out[b])
				b++;
			return fail(inv, "%s wrote byte %" PRIu32 " = 0x%02x, expected 0x%02x",
			            inv->d->name, b, after[b], e->out[b]);
		}
	}
	for (uint32_t b = from; b < inv->xlen; b++)
		if (after[b] != before[b])
			return fail(inv,
			            "%s (%s) changed exchange byte %" PRIu32
			            " it must not write (uapi.md 1.6)",
			            inv->d->name, delivered_ok ? "OK" : "failed", b);
	return true;
}

static uint8_t priority_of(const Inv *inv, uint32_t id)
{
	return id < inv->n ? inv->cfg.tasks[id].priority : 0;
}

/* Right after an election (7.3): the elected job has the highest priority in the active
 * set, ties going to the lowest cell; idle runs only when both sets are empty. |late| is a
 * task scheduled after the election in the same step (a respawn), or KERNEL_NO_TASK. */
static bool check_election(Inv *inv, const Snap *s, uint32_t late)
{
	if (inv->dup_possible || s->panicked)
		return true;
	uint32_t cur = s->current;
	int ci = -1;
	for (uint32_t q = 0; q < inv->q; q++)
		if (s->active[q].used && cur != inv->idle &&
		    s->active[q].handle == s->t[cur].v.handle)
			ci = (int)q;
	for (uint32_t q = 0; q < inv->q; q++) {
		for (int set = 0; set < 2; set++) {
			const SnapCell *cell = set ? &s->backed[q] : &s->active[q];
			int id = cell->used ? task_of_handle(inv, s, cell->handle) : -1;
			if (id < 0 || (uint32_t)id == late || (int)q == ci)
				continue;
			if (cur == inv->idle)
				return fail(inv, "idle was elected while %s is in the %s set",
				            tname(inv, id), set ? "backed" : "active");
			if (set)
				continue;
			uint8_t pi = priority_of(inv, id), pc = priority_of(inv, cur);
			if (pi > pc || (pi == pc && (int)q < ci))
				return fail(inv,
				            "%s (priority %u, cell %" PRIu32 ") was elected over "
				            "%s (priority %u, cell %" PRIu32 ")",
				            tname(inv, cur), pc, (uint32_t)ci, tname(inv, id), pi,
				            q);
		}
	}
	return true;
}

static bool end_syscall(Inv *inv)
{
	Snap *pre = inv->pre, *post = inv->post;
	Expect *e = &inv->e;
	uint32_t c = inv->task;
	const char *call = inv->d->name;
	bool timed = post->jiffies != pre->jiffies;

	if (e->entropy_used)
		inv->entropy_left--;
	if (e->gpio_failure_used)
		inv->gpio_failures--;
	if (e->dma_failure_used)
		inv->dma_failures--;
	if (post->panicked && !inv->panic_reported)
		return fail(inv, "the kernel panicked during %s without reporting it (uapi.md 11)",
		            call);
	if (post->panicked) {
		if ((e->kind == EXP_PANIC || e->panic_allowed) && post->cause == e->cause)
			return true;
		if (timed && time_panic_allowed(inv))
			return true;
		return fail(inv,
		            "%s (nr %" PRIu32 ") by %s: kernel panic %s, which the spec does "
		            "not predict here (expected: %s)",
		            call, inv->nr, tname(inv, c), kernel_panic_cause_name(post->cause),
		            e->why);
	}
	if (e->kind == EXP_PANIC)
		return fail(inv, "%s by %s: expected a kernel panic %s (%s), none happened", call,
		            tname(inv, c), kernel_panic_cause_name(e->cause), e->why);
	if (inv->panic_reported)
		return fail(inv, "a panic was reported but the kernel is not halted");

	const SnapTask *pt = &pre->t[c], *gt = &post->t[c];
	ModelTask *mt = &inv->m.t[c];
	bool delivered_ok = false;
	switch ((ExpKind)e->kind) {
	case EXP_STATUS:
		if (!(inv->d->statuses & ST(e->status)) && inv->effect != EFF_UNSUPPORTED)
			return fail(inv,
			            "oracle error: %s predicts %s, not in the table's statuses",
			            call, sname(e->status));
		delivered_ok = e->status == STATUS_OK;
		break;
	case EXP_ANY:
		if (!gt->v.assigned || !(e->any & ST(gt->v.pending)))
			return fail(inv, "%s by %s recorded %s, not a Status the spec allows (%s)",
			            call, tname(inv, c),
			            gt->v.assigned ? sname(gt->v.pending) : "no result", e->why);
		mt->assigned = true;
		mt->pending = gt->v.pending;
		delivered_ok = gt->v.pending == STATUS_OK;
		break;
	case EXP_BLOCK:
		if (!gt->v.assigned ||
		    (gt->v.pending != STATUS_NON_SENSE &&
		     !(timed && gt->v.pending <= STATUS_DEADLK && (e->later & ST(gt->v.pending)))))
			return fail(inv,
			            "%s(0x%" PRIx32 ", 0x%" PRIx32 ", 0x%" PRIx32 ") by %s "
			            "recorded %s; the spec blocks the caller (%s)",
			            call, inv->a[0], inv->a[1], inv->a[2], tname(inv, c),
			            gt->v.assigned ? sname(gt->v.pending) : "no result", e->why);
		break;
	case EXP_EXIT:
	case EXP_PANIC:
		break;
	case EXP_NORESULT:
		if (!inv->abort_reports)
			return fail(inv,
			            "unsupported call %" PRIu32 " aborted %s without a report "
			            "(uapi.md 4.0)",
			            inv->nr, tname(inv, c));
		if (gt->v.assigned)
			return fail(inv,
			            "%s (nr %" PRIu32 ") recorded %s; an unsupported call "
			            "records no result (uapi.md 4.0)",
			            call, inv->nr, sname(gt->v.pending));
		if (gt->v.aborted_by != inv->nr)
			return fail(inv, "unsupported call %" PRIu32 " did not mark the abort",
			            inv->nr);
		if (!timed && post->current != c)
			return fail(inv, "unsupported call %" PRIu32 " rescheduled the caller",
			            inv->nr);
		break;
	}
	if (e->kind == EXP_STATUS && (!gt->v.assigned || gt->v.pending != e->status))
		return fail(inv,
		            "%s(0x%" PRIx32 ", 0x%" PRIx32 ", 0x%" PRIx32 ") by %s recorded %s, "
		            "the spec gives %s (%s)",
		            call, inv->a[0], inv->a[1], inv->a[2], tname(inv, c),
		            gt->v.assigned ? sname(gt->v.pending) : "no result", sname(e->status),
		            e->why);

	/* the caller's own fields */
	if (inv->m.respawn) {
		if (gt->generation != pt->generation + 1 || !gt->respawned || gt->exit_code != 0 ||
		    ((gt->v.handle >> 20) & 0xFFu) != c)
			return fail(inv, "exit(0) of %s with RESTART did not respawn it (7.6)",
			            tname(inv, c));
		if (post->current == c && !timed)
			return fail(inv, "the respawned job was elected at once (4.1)");
		inv->out[c].active = false;
	} else {
		SnapTask want = *pt;
		want.v.r0 = inv->a[0]; /* the trap leaves the first argument in the register */
		if (e->kind == EXP_NORESULT)
			want.v.aborted_by = inv->nr;
		else if (e->kind == EXP_BLOCK || e->kind == EXP_EXIT || inv->effect == EFF_YIELD ||
		         e->cancel_abort)
			want.v.aborted_by = UINT32_MAX; /* the call set the task's own state */
		if (e->kind == EXP_EXIT)
			want.exit_code = (int32_t)inv->a[0];
		if (mt->state == JOB_IPC_SEND_BLOCKED) {
			want.v.state = JOB_IPC_SEND_BLOCKED;
			want.v.ipc_target = inv->target;
			want.v.ipc_len = inv->a[1];
		}
		if (!same_task_fixed(inv, c, &want, gt, false))
			return false;
	}
	if (!check_caller_exch(inv, delivered_ok && gt->v.assigned && gt->v.pending == STATUS_OK))
		return false;

	for (uint32_t j = 0; j < inv->tl; j++)
		if (j != c && !same_task_fixed(inv, j, &pre->t[j], &post->t[j], true))
			return false;
	if (!compare(inv, timed))
		return false;
	if (e->elects && !timed && !check_election(inv, post, inv->m.respawn ? c : KERNEL_NO_TASK))
		return false;
	if (!(inv->d->flags & SYS_ELECTS) && e->kind != EXP_NORESULT && !timed &&
	    post->current != pre->current)
		return fail(inv, "%s by %s rescheduled although it never elects", call,
		            tname(inv, c));
	if (e->log_expected ? inv->logs != 1 || inv->log_mismatch : inv->logs != 0)
		return fail(inv, "log hook called %" PRIu32 " time(s)%s during %s", inv->logs,
		            inv->log_mismatch ? " with other bytes than the caller's area" : "",
		            call);
	if (e->caps_change && gt->v.assigned && gt->v.pending == STATUS_OK)
		inv->global_caps = e->caps_after;
	if (e->kind == EXP_EXIT && !inv->m.respawn) {
		inv->dead_gen[c] = pt->generation;
		inv->dead_state[c] = (uint8_t)mt->state;
	}
	if (e->kind == EXP_EXIT && inv->m.respawn)
		inv->alarm_woken[c] = false;

	/* what the task must receive when it next resumes */
	Outstanding *o = &inv->out[c];
	*o = (Outstanding){.active = e->kind != EXP_EXIT,
	                   .nr = inv->nr,
	                   .a0 = inv->a[0],
	                   .kind = e->kind,
	                   .status = e->kind == EXP_ANY ? gt->v.pending : e->status,
	                   .later = e->later,
	                   .any = e->any,
	                   .timed = mt->n_delay == 1,
	                   .deadline = mt->deadline};
	return true;
}

/* The running task's quantum over an ADVANCE step (7.3): it counts down one per tick and
 * the task is preempted when it reaches 0 if another job waits in the active set (with
 * only backed jobs, the sets swap and it competes again); 0 wraps (never). */
static bool check_quantum(Inv *inv)
{
	const Snap *pre = inv->pre, *post = inv->post;
	uint32_t c = pre->current;
	uint64_t dj = post->jiffies - pre->jiffies;
	if (c == inv->idle || c >= inv->tl || inv->dup_possible)
		return true;
	int ci = -1;
	bool others = false;
	for (uint32_t q = 0; q < inv->q; q++) {
		if (pre->active[q].used && pre->active[q].handle == pre->t[c].v.handle)
			ci = (int)q;
		else if (pre->active[q].used)
			others = true; /* it stays in the active set, so it wins the election */
	}
	if (ci < 0)
		return true;
	uint32_t qn = pre->active[ci].quantum;
	if (qn == 0 || dj < qn) {
		if (post->current != c)
			return fail(inv,
			            "%s was preempted with %" PRIu32 " ticks of quantum left "
			            "after %" PRIu64,
			            tname(inv, c), qn, dj);
		if (qn && (!post->active[ci].used || post->active[ci].quantum != qn - dj))
			return fail(inv,
			            "%s: quantum %" PRIu32 " after %" PRIu64
			            " ticks, expected %" PRIu64,
			            tname(inv, c), post->active[ci].quantum, dj, qn - dj);
	} else if (dj == qn && others && post->current == c) {
		return fail(inv, "%s used up its quantum of %" PRIu32 " but was not preempted",
		            tname(inv, c), qn);
	}
	return true;
}

static bool end_host(Inv *inv)
{
	const Snap *pre = inv->pre, *post = inv->post;
	bool timed = inv->host == INV_HOST_ADVANCE || inv->host == INV_HOST_IDLE;
	uint32_t c = pre->current;
	if (post->panicked && !inv->panic_reported)
		return fail(inv, "the kernel panicked during a host step without reporting it");
	if (post->panicked) {
		if (timed && time_panic_allowed(inv))
			return true;
		if (inv->host_panic && post->cause == PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG)
			return true;
		return fail(inv,
		            "kernel panic %s during a host step, which the spec does not "
		            "predict",
		            kernel_panic_cause_name(post->cause));
	}
	if (inv->host_panic)
		return fail(inv, "an IRQ pushed into a full ring: the kernel must panic (4.20)");
	for (uint32_t j = 0; j < inv->tl; j++)
		if (!same_task_fixed(inv, j, &pre->t[j], &post->t[j], true))
			return false;
	if (!compare(inv, timed))
		return false;
	if (inv->host == INV_HOST_ADVANCE && !check_quantum(inv))
		return false;
	bool elected = inv->host == INV_HOST_FAULT ||
	               (inv->host == INV_HOST_IDLE && c == inv->idle && post->current != c);
	if (elected && post->jiffies == pre->jiffies && !check_election(inv, post, KERNEL_NO_TASK))
		return false;
	switch (inv->host) {
	case INV_HOST_FAULT:
		if (c < inv->n) {
			inv->dead_gen[c] = pre->t[c].generation;
			inv->dead_state[c] = JOB_FAULT;
			if (post->current == c)
				return fail(inv, "faulted task %s still runs", tname(inv, c));
		}
		break;
	case INV_HOST_HANG:
		if (c < inv->n && !post->t[c].hung)
			return fail(inv, "hung task %s not marked", tname(inv, c));
		if (post->current != c)
			return fail(inv, "kernel_hang rescheduled");
		break;
	case INV_HOST_ENTROPY:
	case INV_HOST_GPIO_FAIL:
	case INV_HOST_DMA_FAIL:
		/* the counts of injected failures the next calls will meet */
		*(inv->host == INV_HOST_ENTROPY     ? &inv->entropy_left
		  : inv->host == INV_HOST_GPIO_FAIL ? &inv->gpio_failures
		                                    : &inv->dma_failures) = inv->host_arg;
		/* fall through */
	case INV_HOST_IRQ:
	case INV_HOST_GPIO_DRIVE:
	case INV_HOST_GPIO_RELEASE:
	case INV_HOST_NOP:
		/* events never preempt the running job (4.20) */
		if (post->current != c)
			return fail(inv, "a stimulus without effect rescheduled");
		break;
	case INV_HOST_ADVANCE:
	case INV_HOST_IDLE:
		break;
	}
	return true;
}

bool inv_end_resume(Inv *inv, const Kernel *k, bool resumed, const KernelResume *res)
{
	if (inv->failed)
		return false;
	snap(inv, k, inv->post);
	const Snap *pre = inv->pre, *post = inv->post;
	uint32_t c = pre->current;
	const SnapTask *pt = &pre->t[c];
	const char *n = tname(inv, c);
	bool ok = true;
	bool nonsense = pt->v.assigned && pt->v.pending == STATUS_NON_SENSE;
	if (!resumed && post->panicked && !inv->panic_reported)
		ok = fail(inv, "the kernel panicked when resuming %s without reporting it", n);
	else if (!resumed) {
		if (c == inv->idle || c == KERNEL_NO_TASK) {
			ok = true;
		} else if (!post->panicked) {
			ok = fail(inv, "kernel_resume refused running task %s without a panic", n);
		} else if (post->cause != PANIC_RESUMED_NON_SENSE || !nonsense) {
			ok = fail(inv, "kernel panic %s when resuming %s",
			          kernel_panic_cause_name(post->cause), n);
		} else if (!inv->alarm_woken[c]) {
			ok = fail(
			    inv, "task %s resumed with NON_SENSE without the alarm path (4.16)", n);
		}
		goto out;
	}
	if (post->panicked || nonsense) {
		ok = fail(inv, "task %s resumed although its result is NON_SENSE (uapi.md 1.1)", n);
		goto out;
	}
	if (res->generation != pt->generation)
		ok = fail(inv, "resume of %s reports generation %" PRIu32 ", the job is %" PRIu32,
		          n, res->generation, pt->generation);
	else if (res->fresh) {
		uint32_t want = inv->cfg.autotest && c == 0 && pt->generation == 1
		                    ? pt->v.handle & 0xFFFFFu
		                    : 0;
		if (inv->resumed_gen[c] == pt->generation)
			ok = fail(inv, "job of %s started twice at its entry point", n);
		else if (res->r0 != want)
			ok = fail(inv,
			          "task %s starts with r0 = 0x%" PRIx32 ", expected 0x%" PRIx32
			          " (7.2)",
			          n, res->r0, want);
		inv->resumed_gen[c] = pt->generation;
		inv->out[c].active = false;
	} else if (inv->resumed_gen[c] != pt->generation) {
		ok = fail(inv, "job of %s resumed without having been started", n);
	} else {
		uint32_t expect_r0 = pt->v.assigned ? pt->v.pending : pt->v.r0;
		Outstanding *o = &inv->out[c];
		if (res->r0 != expect_r0)
			ok = fail(inv,
			          "task %s resumed with r0 = %" PRIu32 ", its register/result "
			          "holds %" PRIu32,
			          n, res->r0, expect_r0);
		else if (o->active) {
			const char *call = systable_get(o->nr)->name;
			switch ((ExpKind)o->kind) {
			case EXP_STATUS:
			case EXP_ANY:
				if (res->r0 != o->status)
					ok = fail(inv, "%s by %s delivered %s, it recorded %s",
					          call, n, sname(res->r0), sname(o->status));
				break;
			case EXP_NORESULT:
				if (res->r0 != o->a0)
					ok = fail(inv,
					          "unsupported call %" PRIu32 " by %s delivered "
					          "%" PRIu32 ", not its first argument (4.0)",
					          o->nr, n, res->r0);
				break;
			case EXP_BLOCK:
				if (res->r0 > 31 || !(o->later & ST(res->r0)))
					ok = fail(inv,
					          "%s by %s was woken with %s, the spec allows "
					          "only 0x%x there",
					          call, n, sname(res->r0), o->later);
				else if (res->r0 == STATUS_TIMEOUT &&
				         (!o->timed || pre->jiffies < o->deadline))
					ok = fail(inv,
					          "%s by %s timed out at tick %" PRIu64
					          " (deadline %" PRIu64 "%s)",
					          call, n, pre->jiffies, o->deadline,
					          o->timed ? "" : ", but no delay was queued");
				break;
			case EXP_PANIC:
			case EXP_EXIT:
				ok = fail(inv, "%s by %s returned to the task", call, n);
				break;
			}
			o->active = false;
		}
	}
	if (ok && post->t[c].v.assigned)
		ok = fail(inv, "result of %s still recorded after its resume", n);
	if (ok && !res->fresh && post->t[c].v.r0 != res->r0)
		ok = fail(inv, "result register of %s disagrees with the delivered value", n);
	if (ok && post->current != c)
		ok = fail(inv, "kernel_resume rescheduled");
	if (ok)
		ok = board_state_equal(inv, &pre->b, &post->b, "resume");
	inv->alarm_woken[c] = false; /* it runs: no longer READY with NON_SENSE */
out:
	if (ok)
		ok = check_state(inv, post);
	Snap *tmp = inv->pre;
	inv->pre = inv->post;
	inv->post = tmp;
	inv->pre_valid = true;
	inv->step = STEP_NONE;
	return ok && !inv->failed;
}

bool inv_idle_result(Inv *inv, const Kernel *k, KernelIdleResult r)
{
	if (inv->failed)
		return false;
	const Snap *s = inv->pre; /* the state inv_end() just checked */
	if (r == KERNEL_IDLE_PANIC)
		return s->panicked ? true
		                   : fail(inv, "kernel_idle reports a panic that did not happen");
	if (r != KERNEL_IDLE_DONE && r != KERNEL_IDLE_STUCK)
		return true;
	/* 11: the run ends only when nothing can make progress */
	bool stuck = s->current != inv->idle;
	/* a hung job with quantum 0 is never preempted (7.3): nobody else will run */
	bool hog = false;
	for (uint32_t q = 0; q < inv->q && stuck; q++)
		if (s->active[q].used && s->active[q].handle == s->t[s->current].v.handle &&
		    s->active[q].quantum == 0)
			hog = true;
	for (uint32_t q = 0; q < inv->q; q++) {
		for (int set = 0; set < 2; set++) {
			const SnapCell *cell = set ? &s->backed[q] : &s->active[q];
			int id = cell->used ? task_of_handle(inv, s, cell->handle) : -1;
			if (cell->used && !hog && (id < 0 || !s->t[id].hung)) /* spins on */
				return fail(inv,
				            "kernel_idle ends the run while %s is in the %s set",
				            id < 0 ? "a stale handle" : tname(inv, (uint32_t)id),
				            set ? "backed" : "active");
		}
		/* an alarm matters only to a waiter, which it panics (4.16); others fire
		 * into slots nobody reads */
		int owner = s->alarm[q].used ? task_of_handle(inv, s, s->alarm[q].handle) : -1;
		if (owner >= 0 && s->t[owner].v.state == JOB_WAITFOREVENT)
			return fail(inv,
			            "kernel_idle ends the run while an alarm of waiting task "
			            "%s is armed",
			            tname(inv, owner));
	}
	for (uint32_t i = 0; i < inv->n; i++) {
		const SnapTask *t = &s->t[i];
		if (t->n_delay)
			return fail(inv, "kernel_idle ends the run while %s has a delay pending",
			            tname(inv, i));
		if (is_blocked(t->v.state) || t->hung ||
		    (t->v.state == JOB_ABORTING && t->v.aborted_by != UINT32_MAX))
			stuck = true;
	}
	if (stuck != (r == KERNEL_IDLE_STUCK))
		return fail(inv, "kernel_idle says %s, but %s",
		            r == KERNEL_IDLE_STUCK ? "stuck" : "done",
		            stuck ? "a task is blocked for ever" : "no task is blocked");
	return true;
}

bool inv_end(Inv *inv, const Kernel *k)
{
	if (inv->failed)
		return false;
	snap(inv, k, inv->post);
	bool ok = inv->step == STEP_SYSCALL ? end_syscall(inv) : end_host(inv);
	if (ok)
		ok = check_state(inv, inv->post);
	Snap *tmp = inv->pre;
	inv->pre = inv->post;
	inv->post = tmp;
	inv->pre_valid = true;
	inv->step = STEP_NONE;
	return ok && !inv->failed;
}

INV_NO_COVERAGE_END
