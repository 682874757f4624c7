/*
 * inv_checks.c: what the oracle judges with: the invariants that hold after every step,
 * whatever it was, and the spec's checks of a system call (uapi.md 4), evaluated against
 * the snapshot before the call in the order of the typed table (see inv_priv.h). Each check
 * is written from the spec's rule, never from the model's code.
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

int inv_task_by_label(const Inv *inv, uint32_t label)
{
	for (uint32_t i = 0; i < inv->n; i++)
		if (inv->cfg.tasks[i].label == label)
			return (int)i;
	return label == 0xcafeu ? (int)inv->idle : -1;
}

/* Task |i|'s IPC and signal slots, and the IPC it is blocked sending: they mirror each
 * other (4.10, 4.11). */
static bool check_task_slots(Inv *inv, const Snap *s, uint32_t i)
{
	const SnapTask *t = &s->t[i];
	const char *n = tname(inv, i);
	for (uint32_t j = 0; j < inv->tl; j++) {
		if (t->sig[j] > 12)
			return inv_fail(inv, "task %s holds signal %u from %s (only 1..12 exist)",
			                n, t->sig[j], tname(inv, j));
		if (t->ipc[j] > inv->xlen - 8)
			return inv_fail(inv,
			                "task %s holds a %u-byte IPC from %s (max %" PRIu32 ")", n,
			                t->ipc[j], tname(inv, j), inv->xlen - 8);
		if (t->ipc[j] && j != i) {
			const SnapTask *snd = &s->t[j];
			if (snd->v.state != JOB_IPC_SEND_BLOCKED || snd->v.ipc_target != i ||
			    snd->v.ipc_len != t->ipc[j])
				return inv_fail(inv,
				                "task %s holds an IPC of %u bytes from %s, "
				                "which is not blocked sending it (%s)",
				                n, t->ipc[j], tname(inv, j),
				                kernel_job_state_name(snd->v.state));
		}
	}
	if (t->v.state == JOB_IPC_SEND_BLOCKED) {
		uint32_t to = t->v.ipc_target;
		if (to >= inv->tl)
			return inv_fail(inv, "task %s is blocked sending to no task", n);
		if (t->v.ipc_len > inv->xlen - 8)
			return inv_fail(inv, "task %s is blocked sending %" PRIu32 " bytes", n,
			                t->v.ipc_len);
		if (t->v.ipc_len && s->t[to].ipc[i] != t->v.ipc_len)
			return inv_fail(inv,
			                "task %s is blocked sending %" PRIu32
			                " bytes to %s, which holds no such IPC",
			                n, t->v.ipc_len, tname(inv, to));
	}
	return true;
}

/* Task |i| between two steps: its state, handle, generation, rings, result, delay entry,
 * slots, capabilities, and a dead job that stays dead. */
static bool check_task_state(Inv *inv, const Snap *s, uint32_t i)
{
	const SnapTask *t = &s->t[i];
	JobState st = t->v.state;
	const char *n = tname(inv, i);
	if (st > JOB_YIELDED || st == JOB_NOTSTARTED || st == JOB_SECURITY || st == JOB_YIELDED)
		return inv_fail(inv, "task %s is in impossible state %s between steps", n,
		                kernel_job_state_name(st));
	if (((t->v.handle >> 20) & 0xFFu) != i || (t->v.handle >> 28) != 0)
		return inv_fail(inv,
		                "task %s has handle 0x%08" PRIx32 " (id field must be %" PRIu32
		                ", family bits 0, uapi.md 3.1)",
		                n, t->v.handle, i);
	if (t->generation < 1 || t->respawned != (t->generation > 1))
		return inv_fail(inv, "task %s: generation %" PRIu32 " but has_respawned %d", n,
		                t->generation, t->respawned);
	if (t->v.irq_count > RING_USABLE || t->v.dma_count > RING_USABLE)
		return inv_fail(inv, "task %s: event ring beyond its 15 usable cells", n);
	if (t->v.assigned && t->v.pending > STATUS_NON_SENSE)
		return inv_fail(inv, "task %s: recorded result %" PRIu32 " is not a Status", n,
		                t->v.pending);
	if (is_blocked(st)) {
		if (!t->v.assigned || t->v.pending != STATUS_NON_SENSE)
			return inv_fail(inv, "task %s is %s without a NON_SENSE result", n,
			                kernel_job_state_name(st));
		if (i == s->current)
			return inv_fail(inv, "task %s runs while %s", n, kernel_job_state_name(st));
		if ((t->in_active || t->in_backed) && !inv->dup_possible)
			return inv_fail(inv, "task %s is %s but holds a job-set cell", n,
			                kernel_job_state_name(st));
	}
	if (t->n_delay > 1)
		return inv_fail(inv, "task %s holds %u delay-queue entries", n, t->n_delay);
	if ((st == JOB_SLEEPING || st == JOB_SLEEPING_DEEP) && t->n_delay != 1)
		return inv_fail(inv, "task %s sleeps without a delay-queue entry", n);
	bool leftover = st == JOB_READY && t->v.assigned && t->v.pending == STATUS_NON_SENSE;
	if (leftover && !inv->alarm_woken[i])
		return inv_fail(inv,
		                "task %s is READY with a NON_SENSE result, and no alarm "
		                "woke it (uapi.md 4.16)",
		                n);
	if (t->n_delay && !is_timed_state(st) && !leftover)
		return inv_fail(inv, "task %s holds a delay-queue entry in state %s", n,
		                kernel_job_state_name(st));
	if (st == JOB_READY && t->v.assigned && t->v.pending == STATUS_INTR &&
	    !has_event_for(inv, s, i))
		return inv_fail(inv, "task %s was woken with INTR but no event is queued for it",
		                n);
	if (!check_task_slots(inv, s, i))
		return false;
	uint32_t caps = meta_caps(inv, i) | (inv->cfg.autotest ? inv->global_caps : 0);
	if (t->v.caps != caps)
		return inv_fail(inv,
		                "task %s holds capabilities 0x%08" PRIx32 ", expected 0x%08" PRIx32,
		                n, t->v.caps, caps);
	if (inv->dead_gen[i] && inv->dead_gen[i] == t->generation) {
		if (st != inv->dead_state[i])
			return inv_fail(inv, "ended task %s changed state to %s", n,
			                kernel_job_state_name(st));
		if (i == s->current)
			return inv_fail(inv, "ended task %s runs again", n);
	} else if (st == JOB_FINISHED || st == JOB_FAULT ||
	           (st == JOB_ABORTING && t->v.aborted_by == UINT32_MAX)) {
		return inv_fail(inv, "task %s is %s but never exited or faulted", n,
		                kernel_job_state_name(st));
	}
	return true;
}

/* Invariants that hold after every step, whatever the step was. */
bool inv_check_state(Inv *inv, const Snap *s)
{
	if (s->panicked) {
		if (s->current != KERNEL_NO_TASK)
			return inv_fail(inv, "after a panic the kernel still names a running task");
		return true;
	}
	if (s->current >= inv->tl)
		return inv_fail(inv, "running task id %" PRIu32 " outside the task table",
		                s->current);
	if (s->jiffies != s->now / KERNEL_TICK_NS)
		return inv_fail(inv,
		                "jiffies %" PRIu64 " disagree with virtual time %" PRIu64 " ns",
		                s->jiffies, s->now);
	if (s->bad_delay)
		return inv_fail(inv, "a delay-queue entry names a task outside the table");
	for (uint32_t i = 0; i < inv->tl; i++)
		if (!check_task_state(inv, s, i))
			return false;
	if (!inv_check_board_static(inv, &s->b))
		return false;
	const SnapTask *idle = &s->t[inv->idle];
	if (idle->v.state != JOB_READY || idle->in_active || idle->in_backed)
		return inv_fail(inv, "idle is %s%s (it must stay READY outside the job sets)",
		                kernel_job_state_name(idle->v.state),
		                idle->in_active || idle->in_backed ? " in a job set" : "");
	if (s->current != inv->idle) {
		const SnapTask *c = &s->t[s->current];
		if (c->v.state != JOB_READY &&
		    !(c->v.state == JOB_ABORTING && c->v.aborted_by != UINT32_MAX))
			return inv_fail(inv, "running task %s is %s", tname(inv, s->current),
			                kernel_job_state_name(c->v.state));
		if (!c->in_active)
			return inv_fail(inv, "running task %s holds no cell in the active set",
			                tname(inv, s->current));
	}
	for (uint32_t q = 0; q < inv->q; q++) {
		const SnapAlarm *a = &s->alarm[q];
		if (a->used && a->remaining > a->delay)
			return inv_fail(inv,
			                "alarm entry %" PRIu32 ": %" PRIu32 " ms left of %" PRIu32,
			                q, a->remaining, a->delay);
		if (inv->dup_possible)
			continue;
		for (int set = 0; set < 2; set++) {
			const SnapCell *cell = set ? &s->backed[q] : &s->active[q];
			if (!cell->used)
				continue;
			int id = inv_task_of_handle(inv, s, cell->handle);
			if (id < 0)
				return inv_fail(inv,
				                "%s job set holds handle 0x%08" PRIx32
				                ", which is no task's",
				                set ? "backed" : "active", cell->handle);
			const SnapTask *t = &s->t[id];
			if (t->in_active + t->in_backed > 1)
				return inv_fail(inv, "task %s holds %u job-set cells",
				                tname(inv, id), t->in_active + t->in_backed);
			if (t->v.state != JOB_READY && (uint32_t)id != s->current)
				return inv_fail(inv, "%s job set holds task %s, which is %s",
				                set ? "backed" : "active", tname(inv, id),
				                kernel_job_state_name(t->v.state));
		}
	}
	return true;
}

/* ---------------------------------------------------------------------------------------- */
/* Checks (uapi.md 4, in the order of the table)                                             */

/*
 * 4.10's deadlock rule, transcribed from the spec rather than from the model: task P has an
 * edge to every task Q that has an IPC pending to P. From the caller, the kernel walks the
 * edges depth-first (senders in table order), keeping a stack of at most max_tasks frames
 * and no record of visited tasks. Reaching a task whose handle is |target| gives DEADLK;
 * a walk that needs one frame more panics. Written as the explicit stack the spec pictures.
 */
typedef enum {
	WALK_CLEAR = 0, /* the target is not reachable: the check passes */
	WALK_DEADLK,    /* the target is reachable before the stack runs out */
	WALK_OVERFLOW,  /* the stack runs out first (a pending self-IPC loops) */
} DeadlockWalk;

static DeadlockWalk deadlock_rule(const Inv *inv, uint32_t caller, uint32_t target)
{
	const Snap *s = inv->pre;
	struct {
		uint32_t task; /* the task this frame explores */
		uint32_t next; /* the next sender index to look at */
	} stack[INV_Q];
	uint32_t frames = 1;
	stack[0].task = caller;
	stack[0].next = 0;
	while (frames > 0) {
		uint32_t p = stack[frames - 1].task;
		uint32_t q = stack[frames - 1].next;
		while (q < inv->tl && s->t[p].ipc[q] == 0)
			q++;
		if (q == inv->tl) { /* every sender of p explored */
			frames--;
			continue;
		}
		stack[frames - 1].next = q + 1;
		if (s->t[q].v.handle == target)
			return WALK_DEADLK;
		if (frames == inv->cfg.max_tasks || frames == INV_Q)
			return WALK_OVERFLOW;
		stack[frames].task = q;
		stack[frames].next = 0;
		frames++;
	}
	return WALK_CLEAR;
}

static uint8_t domain_of(const Inv *inv, uint32_t id)
{
	return id < inv->n ? inv->cfg.tasks[id].domain : 0;
}

/* A check that reads a board resource; lookups set |res| (and |acc|) for the later checks of
 * the same call. */
static CkResult eval_board_check(Inv *inv, const SysCheck *ck)
{
	const SnapTask *caller = &inv->pre->t[inv->task];
	uint32_t a = inv->a[ck->arg];
	switch ((CheckKind)ck->kind) {
	/* The board: lookups find the resource the later checks of the call read (|res|);
	 * without a board every lookup fails. */
	case CK_DEV_LABEL: {
		int i = inv_dev_by_label(inv, a);
		if (i < 0 || inv->dev_owner_h[i] != caller->v.handle)
			return CK_FAIL;
		inv->res = i;
		return CK_PASS;
	}
	case CK_DEV_HANDLE:
		inv->res = inv_dev_by_handle(inv, a);
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
		BWin w = {
		    .used = true, .shm = inv->nr == SYSCALL_MAP_SHM, .index = (uint32_t)inv->res};
		inv_win_region(inv, &w, &base, &size);
		return inv_win_fits(inv, inv->task, base, size) ? CK_PASS : CK_FAIL;
	}
	case CK_GPIO_IO:
		return (a & 0xFFu) < inv->fb.devices[inv->res].n_ios ? CK_PASS : CK_FAIL;
	case CK_GPIO_DRIVER:
		if (!inv->gpio_failures)
			return CK_PASS;
		inv->e.gpio_failure_used = true;
		return CK_FAIL;
	case CK_IRQ_DECLARED:
		inv->res = inv_irq_dev(inv, a & 0xFFFFu);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_SHM_LABEL:
		inv->res = inv_shm_by_label(inv, a);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_SHM_HANDLE:
		inv->res = inv_shm_by_handle(inv, a);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_SHM_ACCESSOR:
		inv->acc = inv_shm_accessor(&inv->pre->b, (uint32_t)inv->res, caller->v.handle);
		return inv->acc < 0 ? CK_FAIL : CK_PASS;
	case CK_SHM_MAPPABLE:
		return inv->fb.shms[inv->res].no_map ||
		               !inv_shm_slot(&inv->pre->b, (uint32_t)inv->res, inv->acc)->mappable
		           ? CK_FAIL
		           : CK_PASS;
	case CK_SHM_UNMAPPED:
		return inv_shm_slot(&inv->pre->b, (uint32_t)inv->res, inv->acc)->mapped ? CK_FAIL
		                                                                        : CK_PASS;
	case CK_SHM_MAPPED:
		return inv_shm_slot(&inv->pre->b, (uint32_t)inv->res, inv->acc)->mapped ? CK_PASS
		                                                                        : CK_FAIL;
	case CK_SHM_IS_OWNER:
		return inv->acc == 0 ? CK_PASS : CK_FAIL;
	case CK_SHM_OWNER_UNMAPPED:
		return inv->pre->b.shm_owner[inv->res].mapped ? CK_FAIL : CK_PASS;
	case CK_DMA_LABEL:
		inv->res = inv_dma_by_label(inv, a);
		return inv->res < 0 ? CK_FAIL : CK_PASS;
	case CK_DMA_HANDLE:
		inv->res = inv_dma_by_handle(inv, a);
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
	default:
		return CK_UNKNOWN;
	}
}

/* One of the spec's checks against the snapshot before the call (uapi.md 4): whether the
 * call passes it, fails it with the row's Status, or panics the kernel (|panic_ck| says why). */
CkResult inv_eval_check(Inv *inv, const SysCheck *ck)
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
		int id = inv_task_by_label(inv, a);
		if (id < 0)
			return CK_FAIL;
		inv->target = (uint32_t)id;
		return CK_PASS;
	}
	case CK_SAME_DOMAIN:
		return domain_of(inv, inv->target) == domain_of(inv, inv->task) ? CK_PASS : CK_FAIL;
	case CK_TASK_HANDLE: {
		int id = inv_task_of_handle(inv, inv->pre, a);
		if (id < 0)
			return CK_FAIL;
		inv->target = (uint32_t)id;
		return CK_PASS;
	}
	case CK_DEADLOCK: {
		DeadlockWalk r = deadlock_rule(inv, inv->task, a);
		inv->panic_ck = "the IPC deadlock walk overflows (4.10)";
		return r == WALK_OVERFLOW ? CK_PANICS : r == WALK_DEADLK ? CK_FAIL : CK_PASS;
	}
	case CK_SIG_FREE:
		return inv->pre->t[inv->target].sig[inv->task] ? CK_FAIL : CK_PASS;
	case CK_DELAY_FREE:
		return inv_delay_queue_has_room(inv) ? CK_PASS : CK_FAIL;
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
	default:
		return eval_board_check(inv, ck);
	}
}

INV_NO_COVERAGE_END
