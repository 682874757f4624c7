/*
 * invariants.c: the spec oracle and state invariants of the fuzz targets (see invariants.h):
 * its lifecycle and its steps.
 *
 * Every step is checked the same way: a snapshot of everything the views expose before the
 * step (inv_snapshot.c), a model of what the spec says the state must be after it (the
 * snapshot, changed by the step's predicted effect), a snapshot after it, and one comparison.
 * A system call's prediction comes from its row in the typed table: the checks in the
 * kernel's order give the failing Status (inv_checks.c); a call that passes them gets its
 * effect's prediction (inv_effects.c, with the board model of inv_board.c). Time steps (and
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

#include "sim/fuzz/inv_priv.h"

INV_NO_COVERAGE_BEGIN

/* Record the first failure (later ones are dropped) and return false. */
bool inv_fail(Inv *inv, const char *fmt, ...)
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

/* The state right after kernel_boot (7.2): handles, job sets, the board's static facts. */
bool inv_boot(Inv *inv, const Kernel *k)
{
	inv_snap(inv, k, inv->post);
	const Snap *s = inv->post;
	if (s->panicked)
		return inv_fail(inv, "the kernel panicked at boot");
	if (s->jiffies != 0)
		return inv_fail(inv, "boot took %" PRIu64 " ticks", s->jiffies);
	for (uint32_t i = 0; i < inv->tl; i++) {
		const SnapTask *t = &s->t[i];
		if (t->v.state != JOB_READY || t->generation != 1 || t->v.assigned)
			return inv_fail(inv,
			                "task %s does not boot READY, generation 1, without result",
			                tname(inv, i));
		if (i < inv->n && inv->cfg.tasks[i].auto_start != (t->in_active == 1) &&
		    s->current != i)
			return inv_fail(inv, "task %s: start mode %s but %s the active set",
			                tname(inv, i),
			                inv->cfg.tasks[i].auto_start ? "AUTO" : "NOAUTO",
			                t->in_active ? "in" : "not in");
		for (uint32_t b = 0; b < inv->xlen; b++)
			if (s->exch[i][b])
				return inv_fail(inv, "task %s: exchange area not zeroed at boot",
				                tname(inv, i));
	}
	if (!inv_boot_board(inv, s))
		return false;
	Snap *tmp = inv->pre;
	inv->pre = inv->post;
	inv->post = tmp;
	inv->pre_valid = true;
	return inv_check_state(inv, inv->pre);
}

/* ---------------------------------------------------------------------------------------- */
/* Steps                                                                                     */

static void begin(Inv *inv, const Kernel *k, StepKind step)
{
	if (!inv->pre_valid)
		inv_snap(inv, k, inv->pre);
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
		inv_fail(inv, "driver error: %s traps but %s runs", tname(inv, task),
		         tname(inv, inv->pre->current));
	inv_predict(inv);
}

void inv_begin_resume(Inv *inv, const Kernel *k)
{
	begin(inv, k, STEP_RESUME);
}

/* Before a host step (time, a stimulus, a fault): the snapshot and the model it may change. */
void inv_begin_host(Inv *inv, const Kernel *k, InvHost what, uint32_t arg)
{
	begin(inv, k, STEP_HOST);
	inv->host = what;
	inv->host_arg = arg;
	inv_model_from(inv, inv->pre);
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
		int li = inv_irq_line(inv, arg);
		if (li >= 0 && inv_irq_dev(inv, arg) >= 0) {
			b->irq_pend[li] = true;
			inv->host_panic = !inv_model_irq_deliver(inv, (uint32_t)li);
		}
		break;
	}
	case INV_HOST_GPIO_DRIVE:
	case INV_HOST_GPIO_RELEASE: {
		int p = inv_pin_index(inv, arg & 0xFFFFu);
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
		return inv_fail(inv, "task %s: handle changed from 0x%08" PRIx32 " to 0x%08" PRIx32,
		                n, a->v.handle, b->v.handle);
	if (a->generation != b->generation || a->respawned != b->respawned)
		return inv_fail(inv, "task %s: job generation changed", n);
	if (a->exit_code != b->exit_code)
		return inv_fail(inv, "task %s: exit code changed", n);
	if (a->v.state == JOB_IPC_SEND_BLOCKED && b->v.state == JOB_IPC_SEND_BLOCKED &&
	    (a->v.ipc_target != b->v.ipc_target || a->v.ipc_len != b->v.ipc_len))
		return inv_fail(inv, "task %s: IPC send state changed", n);
	if (a->v.r0 != b->v.r0)
		return inv_fail(inv, "task %s: result register changed", n);
	if (a->v.aborted_by != b->v.aborted_by)
		return inv_fail(inv, "task %s: abort cause changed", n);
	if (exch && memcmp(inv->pre->exch[id], inv->post->exch[id], inv->xlen) != 0)
		return inv_fail(inv, "task %s: exchange area changed", n);
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
		return inv_fail(inv, "virtual time went back from %" PRIu64 " to %" PRIu64 " ns",
		                pre->now, post->now);
	if (!timed && dj)
		return inv_fail(inv, "ticks happened in a step that takes no time");
	for (uint32_t i = 0; i < inv->tl; i++) {
		ModelTask x = m->t[i];
		const SnapTask *g = &post->t[i];
		const char *n = tname(inv, i);
		uint32_t h = g->v.handle;
		bool alarm_fired = m->sig[i][i] == 0 && first_alarm_tick(inv, h) <= now;
		switch (time_outcome(inv, i, now)) {
		case TO_PANIC:
			return inv_fail(inv,
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
			return inv_fail(inv,
			                "task %s is %s (result %s, %u delay entries), the spec "
			                "gives %s (result %s, %u delay entries)",
			                n, kernel_job_state_name(g->v.state),
			                g->v.assigned ? sname(g->v.pending) : "none", g->n_delay,
			                kernel_job_state_name(x.state),
			                x.assigned ? sname(x.pending) : "none", x.n_delay);
		if (g->n_delay && g->delay_rem != x.delay_rem)
			return inv_fail(
			    inv, "task %s: delay entry holds %" PRIu32 " ms, expected %" PRIu32, n,
			    g->delay_rem, x.delay_rem);
		/* a quantum expiring in the same step may move it on to the backed set */
		if (x.scheduled && !g->in_active && !(timed && g->in_backed) &&
		    !inv->dup_possible && g->v.state == JOB_READY)
			return inv_fail(
			    inv, "task %s was made runnable but is not in the active set", n);
		for (uint32_t s = 0; s < inv->tl; s++) {
			uint8_t want = m->sig[i][s];
			if (s == i && alarm_fired)
				want = SIGNAL_ALARM; /* an alarm pushes into the task's own slot */
			if (g->ipc[s] != m->ipc[i][s])
				return inv_fail(inv,
				                "task %s: IPC slot from %s holds %u, expected %u",
				                n, tname(inv, s), g->ipc[s], m->ipc[i][s]);
			if (g->sig[s] != want)
				return inv_fail(
				    inv, "task %s: signal slot from %s holds %u, expected %u", n,
				    tname(inv, s), g->sig[s], want);
		}
	}
	if (memcmp(m->pm, post->pm, sizeof(m->pm)) != 0)
		return inv_fail(inv,
		                "power manager: %" PRIu32 " requests, last command %" PRIu32
		                ", clock 0x%" PRIx32 "/0x%" PRIx32 "/0x%" PRIx32
		                "; the spec gives %" PRIu32 ", %" PRIu32 ", 0x%" PRIx32
		                "/0x%" PRIx32 "/0x%" PRIx32,
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
			return inv_fail(
			    inv,
			    "alarm entry %" PRIu32 ": %s, the spec gives %s (%" PRIu32 " ms left)",
			    q, g->used ? "in use" : "free", used ? "in use" : "free", rem);
	}
	return inv_board_state_equal(
	    inv, &m->b, &post->b, inv->d && inv->step == STEP_SYSCALL ? inv->d->name : "host step");
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
				return inv_fail(inv,
				                "respawned job's exchange area not zeroed (7.6)");
		return true;
	}
	if (delivered_ok && e->out_check) {
		from = e->out_len < inv->xlen ? e->out_len : inv->xlen;
		if (e->out_known && memcmp(after, e->out, from) != 0) {
			uint32_t b = 0;
			while (b < from && after[b] == e->out[b])
				b++;
			return inv_fail(inv, "%s wrote byte %" PRIu32 " = 0x%02x, expected 0x%02x",
			                inv->d->name, b, after[b], e->out[b]);
		}
	}
	for (uint32_t b = from; b < inv->xlen; b++)
		if (after[b] != before[b])
			return inv_fail(inv,
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
			int id = cell->used ? inv_task_of_handle(inv, s, cell->handle) : -1;
			if (id < 0 || (uint32_t)id == late || (int)q == ci)
				continue;
			if (cur == inv->idle)
				return inv_fail(inv, "idle was elected while %s is in the %s set",
				                tname(inv, id), set ? "backed" : "active");
			if (set)
				continue;
			uint8_t pi = priority_of(inv, id), pc = priority_of(inv, cur);
			if (pi > pc || (pi == pc && (int)q < ci))
				return inv_fail(
				    inv,
				    "%s (priority %u, cell %" PRIu32 ") was elected over "
				    "%s (priority %u, cell %" PRIu32 ")",
				    tname(inv, cur), pc, (uint32_t)ci, tname(inv, id), pi, q);
		}
	}
	return true;
}

/* A panic during the call: it must be the one the spec predicts, and reported (uapi.md 11).
 * Returns true when the step is judged (|*done|), with the verdict. */
static bool check_syscall_panic(Inv *inv, bool timed, bool *done)
{
	const Snap *post = inv->post;
	const Expect *e = &inv->e;
	uint32_t c = inv->task;
	const char *call = inv->d->name;
	*done = true;
	if (post->panicked && !inv->panic_reported)
		return inv_fail(
		    inv, "the kernel panicked during %s without reporting it (uapi.md 11)", call);
	if (post->panicked) {
		if ((e->kind == EXP_PANIC || e->panic_allowed) && post->cause == e->cause)
			return true;
		if (timed && time_panic_allowed(inv))
			return true;
		return inv_fail(inv,
		                "%s (nr %" PRIu32 ") by %s: kernel panic %s, which the spec does "
		                "not predict here (expected: %s)",
		                call, inv->nr, tname(inv, c), kernel_panic_cause_name(post->cause),
		                e->why);
	}
	if (e->kind == EXP_PANIC)
		return inv_fail(inv, "%s by %s: expected a kernel panic %s (%s), none happened",
		                call, tname(inv, c), kernel_panic_cause_name(e->cause), e->why);
	if (inv->panic_reported)
		return inv_fail(inv, "a panic was reported but the kernel is not halted");

	*done = false;
	return true;
}

/* The result the call recorded against the expectation's kind; |*delivered_ok| says whether
 * the caller got OK at once. */
static bool check_syscall_result(Inv *inv, bool timed, bool *delivered_ok)
{
	const Snap *post = inv->post;
	const Expect *e = &inv->e;
	uint32_t c = inv->task;
	const char *call = inv->d->name;
	const SnapTask *gt = &post->t[c];
	ModelTask *mt = &inv->m.t[c];
	*delivered_ok = false;
	switch ((ExpKind)e->kind) {
	case EXP_STATUS:
		if (!(inv->d->statuses & ST(e->status)) && inv->effect != EFF_UNSUPPORTED)
			return inv_fail(inv,
			                "oracle error: %s predicts %s, not in the table's statuses",
			                call, sname(e->status));
		*delivered_ok = e->status == STATUS_OK;
		break;
	case EXP_ANY:
		if (!gt->v.assigned || !(e->any & ST(gt->v.pending)))
			return inv_fail(
			    inv, "%s by %s recorded %s, not a Status the spec allows (%s)", call,
			    tname(inv, c), gt->v.assigned ? sname(gt->v.pending) : "no result",
			    e->why);
		mt->assigned = true;
		mt->pending = gt->v.pending;
		*delivered_ok = gt->v.pending == STATUS_OK;
		break;
	case EXP_BLOCK:
		if (!gt->v.assigned ||
		    (gt->v.pending != STATUS_NON_SENSE &&
		     !(timed && gt->v.pending <= STATUS_DEADLK && (e->later & ST(gt->v.pending)))))
			return inv_fail(inv,
			                "%s(0x%" PRIx32 ", 0x%" PRIx32 ", 0x%" PRIx32 ") by %s "
			                "recorded %s; the spec blocks the caller (%s)",
			                call, inv->a[0], inv->a[1], inv->a[2], tname(inv, c),
			                gt->v.assigned ? sname(gt->v.pending) : "no result",
			                e->why);
		break;
	case EXP_EXIT:
	case EXP_PANIC:
		break;
	case EXP_NORESULT:
		if (!inv->abort_reports)
			return inv_fail(inv,
			                "unsupported call %" PRIu32 " aborted %s without a report "
			                "(uapi.md 4.0)",
			                inv->nr, tname(inv, c));
		if (gt->v.assigned)
			return inv_fail(inv,
			                "%s (nr %" PRIu32 ") recorded %s; an unsupported call "
			                "records no result (uapi.md 4.0)",
			                call, inv->nr, sname(gt->v.pending));
		if (gt->v.aborted_by != inv->nr)
			return inv_fail(inv, "unsupported call %" PRIu32 " did not mark the abort",
			                inv->nr);
		if (!timed && post->current != c)
			return inv_fail(inv, "unsupported call %" PRIu32 " rescheduled the caller",
			                inv->nr);
		break;
	}
	if (e->kind == EXP_STATUS && (!gt->v.assigned || gt->v.pending != e->status))
		return inv_fail(
		    inv,
		    "%s(0x%" PRIx32 ", 0x%" PRIx32 ", 0x%" PRIx32 ") by %s recorded %s, "
		    "the spec gives %s (%s)",
		    call, inv->a[0], inv->a[1], inv->a[2], tname(inv, c),
		    gt->v.assigned ? sname(gt->v.pending) : "no result", sname(e->status), e->why);

	return true;
}

/* The caller's own fields after the call: respawned (exit(0) with RESTART), or unchanged but
 * for what the call itself sets (register, abort mark, exit code, IPC target). */
static bool check_caller_fields(Inv *inv, bool timed)
{
	const Snap *pre = inv->pre, *post = inv->post;
	const Expect *e = &inv->e;
	uint32_t c = inv->task;
	const SnapTask *pt = &pre->t[c], *gt = &post->t[c];
	const ModelTask *mt = &inv->m.t[c];
	if (inv->m.respawn) {
		if (gt->generation != pt->generation + 1 || !gt->respawned || gt->exit_code != 0 ||
		    ((gt->v.handle >> 20) & 0xFFu) != c)
			return inv_fail(inv, "exit(0) of %s with RESTART did not respawn it (7.6)",
			                tname(inv, c));
		if (post->current == c && !timed)
			return inv_fail(inv, "the respawned job was elected at once (4.1)");
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
	return true;
}

/* The end of a system call step: panic, result, the caller, every other task, the model's
 * comparison, the election, the log; then what the caller must receive when it resumes. */
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
	bool done;
	bool verdict = check_syscall_panic(inv, timed, &done);
	if (done)
		return verdict;
	const SnapTask *pt = &pre->t[c], *gt = &post->t[c];
	const ModelTask *mt = &inv->m.t[c];
	bool delivered_ok;
	if (!check_syscall_result(inv, timed, &delivered_ok) || !check_caller_fields(inv, timed))
		return false;
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
		return inv_fail(inv, "%s by %s rescheduled although it never elects", call,
		                tname(inv, c));
	if (e->log_expected ? inv->logs != 1 || inv->log_mismatch : inv->logs != 0)
		return inv_fail(inv, "log hook called %" PRIu32 " time(s)%s during %s", inv->logs,
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
			return inv_fail(inv,
			                "%s was preempted with %" PRIu32 " ticks of quantum left "
			                "after %" PRIu64,
			                tname(inv, c), qn, dj);
		if (qn && (!post->active[ci].used || post->active[ci].quantum != qn - dj))
			return inv_fail(inv,
			                "%s: quantum %" PRIu32 " after %" PRIu64
			                " ticks, expected %" PRIu64,
			                tname(inv, c), post->active[ci].quantum, dj, qn - dj);
	} else if (dj == qn && others && post->current == c) {
		return inv_fail(inv, "%s used up its quantum of %" PRIu32 " but was not preempted",
		                tname(inv, c), qn);
	}
	return true;
}

/* The end of a host step: panics only where the step may cause them, then the comparison. */
static bool end_host(Inv *inv)
{
	const Snap *pre = inv->pre, *post = inv->post;
	bool timed = inv->host == INV_HOST_ADVANCE || inv->host == INV_HOST_IDLE;
	uint32_t c = pre->current;
	if (post->panicked && !inv->panic_reported)
		return inv_fail(inv, "the kernel panicked during a host step without reporting it");
	if (post->panicked) {
		if (timed && time_panic_allowed(inv))
			return true;
		if (inv->host_panic && post->cause == PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG)
			return true;
		return inv_fail(inv,
		                "kernel panic %s during a host step, which the spec does not "
		                "predict",
		                kernel_panic_cause_name(post->cause));
	}
	if (inv->host_panic)
		return inv_fail(inv,
		                "an IRQ pushed into a full ring: the kernel must panic (4.20)");
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
				return inv_fail(inv, "faulted task %s still runs", tname(inv, c));
		}
		break;
	case INV_HOST_HANG:
		if (c < inv->n && !post->t[c].hung)
			return inv_fail(inv, "hung task %s not marked", tname(inv, c));
		if (post->current != c)
			return inv_fail(inv, "kernel_hang rescheduled");
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
			return inv_fail(inv, "a stimulus without effect rescheduled");
		break;
	case INV_HOST_ADVANCE:
	case INV_HOST_IDLE:
		break;
	}
	return true;
}

/* A resume: the task gets the result its call was owed (or a later one the spec allows). */
bool inv_end_resume(Inv *inv, const Kernel *k, bool resumed, const KernelResume *res)
{
	if (inv->failed)
		return false;
	inv_snap(inv, k, inv->post);
	const Snap *pre = inv->pre, *post = inv->post;
	uint32_t c = pre->current;
	const SnapTask *pt = &pre->t[c];
	const char *n = tname(inv, c);
	bool ok = true;
	bool nonsense = pt->v.assigned && pt->v.pending == STATUS_NON_SENSE;
	if (!resumed && post->panicked && !inv->panic_reported)
		ok = inv_fail(inv, "the kernel panicked when resuming %s without reporting it", n);
	else if (!resumed) {
		if (c == inv->idle || c == KERNEL_NO_TASK) {
			ok = true;
		} else if (!post->panicked) {
			ok = inv_fail(inv, "kernel_resume refused running task %s without a panic",
			              n);
		} else if (post->cause != PANIC_RESUMED_NON_SENSE || !nonsense) {
			ok = inv_fail(inv, "kernel panic %s when resuming %s",
			              kernel_panic_cause_name(post->cause), n);
		} else if (!inv->alarm_woken[c]) {
			ok = inv_fail(
			    inv, "task %s resumed with NON_SENSE without the alarm path (4.16)", n);
		}
		goto out;
	}
	if (post->panicked || nonsense) {
		ok = inv_fail(inv, "task %s resumed although its result is NON_SENSE (uapi.md 1.1)",
		              n);
		goto out;
	}
	if (res->generation != pt->generation)
		ok = inv_fail(inv,
		              "resume of %s reports generation %" PRIu32 ", the job is %" PRIu32, n,
		              res->generation, pt->generation);
	else if (res->fresh) {
		uint32_t want = inv->cfg.autotest && c == 0 && pt->generation == 1
		                    ? pt->v.handle & 0xFFFFFu
		                    : 0;
		if (inv->resumed_gen[c] == pt->generation)
			ok = inv_fail(inv, "job of %s started twice at its entry point", n);
		else if (res->r0 != want)
			ok = inv_fail(inv,
			              "task %s starts with r0 = 0x%" PRIx32 ", expected 0x%" PRIx32
			              " (7.2)",
			              n, res->r0, want);
		inv->resumed_gen[c] = pt->generation;
		inv->out[c].active = false;
	} else if (inv->resumed_gen[c] != pt->generation) {
		ok = inv_fail(inv, "job of %s resumed without having been started", n);
	} else {
		uint32_t expect_r0 = pt->v.assigned ? pt->v.pending : pt->v.r0;
		Outstanding *o = &inv->out[c];
		if (res->r0 != expect_r0)
			ok = inv_fail(inv,
			              "task %s resumed with r0 = %" PRIu32 ", its register/result "
			              "holds %" PRIu32,
			              n, res->r0, expect_r0);
		else if (o->active) {
			const char *call = systable_get(o->nr)->name;
			switch ((ExpKind)o->kind) {
			case EXP_STATUS:
			case EXP_ANY:
				if (res->r0 != o->status)
					ok = inv_fail(inv, "%s by %s delivered %s, it recorded %s",
					              call, n, sname(res->r0), sname(o->status));
				break;
			case EXP_NORESULT:
				if (res->r0 != o->a0)
					ok =
					    inv_fail(inv,
					             "unsupported call %" PRIu32 " by %s delivered "
					             "%" PRIu32 ", not its first argument (4.0)",
					             o->nr, n, res->r0);
				break;
			case EXP_BLOCK:
				if (res->r0 > 31 || !(o->later & ST(res->r0)))
					ok = inv_fail(inv,
					              "%s by %s was woken with %s, the spec allows "
					              "only 0x%x there",
					              call, n, sname(res->r0), o->later);
				else if (res->r0 == STATUS_TIMEOUT &&
				         (!o->timed || pre->jiffies < o->deadline))
					ok = inv_fail(inv,
					              "%s by %s timed out at tick %" PRIu64
					              " (deadline %" PRIu64 "%s)",
					              call, n, pre->jiffies, o->deadline,
					              o->timed ? "" : ", but no delay was queued");
				break;
			case EXP_PANIC:
			case EXP_EXIT:
				ok = inv_fail(inv, "%s by %s returned to the task", call, n);
				break;
			}
			o->active = false;
		}
	}
	if (ok && post->t[c].v.assigned)
		ok = inv_fail(inv, "result of %s still recorded after its resume", n);
	if (ok && !res->fresh && post->t[c].v.r0 != res->r0)
		ok = inv_fail(inv, "result register of %s disagrees with the delivered value", n);
	if (ok && post->current != c)
		ok = inv_fail(inv, "kernel_resume rescheduled");
	if (ok)
		ok = inv_board_state_equal(inv, &pre->b, &post->b, "resume");
	inv->alarm_woken[c] = false; /* it runs: no longer READY with NON_SENSE */
out:
	if (ok)
		ok = inv_check_state(inv, post);
	Snap *tmp = inv->pre;
	inv->pre = inv->post;
	inv->post = tmp;
	inv->pre_valid = true;
	inv->step = STEP_NONE;
	return ok && !inv->failed;
}

/* What kernel_idle said (done, stuck, limit) must match the state (8, 11). */
bool inv_idle_result(Inv *inv, const Kernel *k, KernelIdleResult r)
{
	if (inv->failed)
		return false;
	const Snap *s = inv->pre; /* the state inv_end() just checked */
	if (r == KERNEL_IDLE_PANIC)
		return s->panicked
		           ? true
		           : inv_fail(inv, "kernel_idle reports a panic that did not happen");
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
			int id = cell->used ? inv_task_of_handle(inv, s, cell->handle) : -1;
			if (cell->used && !hog && (id < 0 || !s->t[id].hung)) /* spins on */
				return inv_fail(
				    inv, "kernel_idle ends the run while %s is in the %s set",
				    id < 0 ? "a stale handle" : tname(inv, (uint32_t)id),
				    set ? "backed" : "active");
		}
		/* an alarm matters only to a waiter, which it panics (4.16); others fire
		 * into slots nobody reads */
		int owner = s->alarm[q].used ? inv_task_of_handle(inv, s, s->alarm[q].handle) : -1;
		if (owner >= 0 && s->t[owner].v.state == JOB_WAITFOREVENT)
			return inv_fail(inv,
			                "kernel_idle ends the run while an alarm of waiting task "
			                "%s is armed",
			                tname(inv, owner));
	}
	for (uint32_t i = 0; i < inv->n; i++) {
		const SnapTask *t = &s->t[i];
		if (t->n_delay)
			return inv_fail(inv,
			                "kernel_idle ends the run while %s has a delay pending",
			                tname(inv, i));
		if (is_blocked(t->v.state) || t->hung ||
		    (t->v.state == JOB_ABORTING && t->v.aborted_by != UINT32_MAX))
			stuck = true;
	}
	if (stuck != (r == KERNEL_IDLE_STUCK))
		return inv_fail(inv, "kernel_idle says %s, but %s",
		                r == KERNEL_IDLE_STUCK ? "stuck" : "done",
		                stuck ? "a task is blocked for ever" : "no task is blocked");
	return true;
}

bool inv_end(Inv *inv, const Kernel *k)
{
	if (inv->failed)
		return false;
	inv_snap(inv, k, inv->post);
	bool ok = inv->step == STEP_SYSCALL ? end_syscall(inv) : end_host(inv);
	if (ok)
		ok = inv_check_state(inv, inv->post);
	Snap *tmp = inv->pre;
	inv->pre = inv->post;
	inv->post = tmp;
	inv->pre_valid = true;
	inv->step = STEP_NONE;
	return ok && !inv->failed;
}

INV_NO_COVERAGE_END
