/*
 * gates.c: the system-call gates of the kernel model (uapi.md section 4).
 *
 * Each gate performs its checks in the order the kernel does, records its result in the
 * caller (or leaves none, 1.1) and changes job states; the scheduler and time live in
 * kernel.c. Board resources (devices, SHMs, DMA streams, GPIO, IRQ, power) have their
 * gates in board.c. The registry (registry.c) names every gate and kernel_dispatch() routes
 * through it.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "sim/kernel/kernel_priv.h"
#include "sim/kernel/registry.h"

static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v)); /* native (little-endian) order, as the task reads it */
}

static void put_u64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put_event(uint8_t *exch, uint8_t type, uint8_t len, uint32_t source)
{
	exch[0] = type;
	exch[1] = len;
	exch[2] = EVENT_MAGIC & 0xFF;
	exch[3] = EVENT_MAGIC >> 8;
	put_u32(exch + 4, source);
}

/* A syscall that sets the caller's own state replaces an unsupported-call abort (4.0). */
static void own_state(Kernel *k, Task *t, JobState s)
{
	if (t->state == JOB_ABORTING && t->aborted_by != UINT32_MAX)
		kernel_reportf(k, KREPORT_ABORT, t->id,
		               "abort by unsupported system call %" PRIu32
		               " cancelled: the task set its own state again (%s)",
		               t->aborted_by, kernel_job_state_name(s));
	t->aborted_by = UINT32_MAX;
	t->state = s;
}

/* 4.0 */
static void gate_unsupported_nr(Kernel *k, Task *t, uint32_t nr)
{
	GATE_CHECK(t, is_autotest(k), STATUS_NO_ENTITY);
	t->state = JOB_ABORTING;
	t->aborted_by = nr;
	kernel_reportf(k, KREPORT_ABORT, t->id,
	               "task aborted by unsupported system call %" PRIu32
	               " (no result recorded: the task sees its first argument)",
	               nr);
}

/* 4.1 */
void gate_exit(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2)
{
	int32_t status = (int32_t)a0;
	t->exit_code = status;
	if (status != 0) {
		own_state(k, t, JOB_ABORTING);
		t->exited = true;
		kernel_note_dead(k, t);
		kernel_elect(k);
		return;
	}
	own_state(k, t, JOB_FINISHED);
	t->exited = true;
	switch (t->cfg.exit_mode) {
	case EXIT_MODE_PANIC:
		kernel_panic(k, PANIC_HARDWARE_UNEXPECTED_MODIFICATION,
		             "exit(0) of a task whose exit mode is PANIC (uapi.md 4.1)");
		return;
	case EXIT_MODE_RESTART:
		kernel_elect(k);
		kernel_respawn(k, t);
		return;
	default:
		kernel_set_result(t, STATUS_NON_SENSE);
		kernel_note_dead(k, t);
		kernel_elect(k);
		return;
	}
}

/* 4.2 */
void gate_get_process_handle(Kernel *k, Task *t, uint32_t label, uint32_t a1, uint32_t a2)
{
	Task *target = kernel_task_by_label(k, label);
	GATE_CHECK(t, !target, STATUS_INVALID);
	GATE_CHECK(t, target->cfg.domain != t->cfg.domain, STATUS_DENIED);
	put_u32(t->exch, target->handle);
	kernel_set_result(t, STATUS_OK);
}

/* 4.4 */
void gate_yield(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2)
{
	own_state(k, t, JOB_YIELDED);
	kernel_set_result(t, STATUS_OK);
	kernel_elect(k);
}

/* 4.5 */
void gate_sleep(Kernel *k, Task *t, uint32_t ms, uint32_t mode, uint32_t a2)
{
	GATE_CHECK(t, mode > SLEEP_MODE_DEEP, STATUS_INVALID);
	GATE_CHECK(t, !kernel_delay_add(k, t, ms), STATUS_BUSY);
	own_state(k, t, mode == SLEEP_MODE_DEEP ? JOB_SLEEPING_DEEP : JOB_SLEEPING);
	kernel_set_result(t, STATUS_NON_SENSE);
	t->blocked_since_ns = kernel_now_ns(k);
	kernel_elect(k);
}

/* 4.6 */
void gate_start(Kernel *k, Task *t, uint32_t label, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, !kernel_holds(k, t, CAP_SYS_PROCSTART), STATUS_DENIED);
	Task *target = kernel_task_by_label(k, label);
	GATE_CHECK(t, !target, STATUS_INVALID);
	if (target->id == kernel_idle_id(k)) {
		if (kernel_once(k, ONCE_IDLE_START))
			kernel_reportf(
			    k, KREPORT_UNCHARACTERIZED, t->id,
			    "start of idle (0xcafe): not characterized; idle is never in "
			    "a job set, so nothing happens");
		kernel_set_result(t, STATUS_OK);
		return;
	}
	bool in_backed = kernel_in_backed(k, target);
	if (!kernel_schedule(k, target)) {
		kernel_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE,
		             "start of task '%s' (label 0x%" PRIx32 ") refused by the scheduler: "
		             "%s (uapi.md 4.6)",
		             target->cfg.name, label,
		             target == t ? "a task cannot start itself"
		             : (target->state != JOB_READY && target->state != JOB_YIELDED)
		                 ? kernel_job_state_name(target->state)
		                 : "it is already in the active set");
		return;
	}
	if (in_backed && kernel_once(k, ONCE_BACKED_START))
		kernel_reportf(k, KREPORT_UNCHARACTERIZED, t->id,
		               "start of task '%s', which is READY in the backed job set: it is "
		               "now in both sets (not characterized, uapi.md 4.6)",
		               target->cfg.name);
	kernel_set_result(t, STATUS_OK);
}

/* 4.10 deadlock walk: depth-first over "has an IPC pending to" edges, no visited set, a
 * stack of at most max_tasks frames. Returns 1 when |target| is reached, -1 on overflow. */
static int deadlock_walk(Kernel *k, uint32_t node, uint32_t target, uint32_t depth)
{
	Task *n = task_of(k, node);
	for (uint32_t q = 0; q < k->table_len; q++) {
		if (!n->ipc_pending[q])
			continue;
		if (k->tasks[q].handle == target)
			return 1;
		if (depth + 1 >= k->cfg.max_tasks)
			return -1;
		int r = deadlock_walk(k, q, target, depth + 1);
		if (r != 0)
			return r;
	}
	return 0;
}

/* 4.10: length, the deadlock rule, the target; the slot is written, then the caller blocks
 * (or, sending to itself, does not). */
void gate_send_ipc(Kernel *k, Task *t, uint32_t target_h, uint32_t len, uint32_t a2)
{
	GATE_CHECK(t, len > k->cfg.exchange_len - 8, STATUS_INVALID);
	int walk = deadlock_walk(k, t->id, target_h, 0);
	if (walk < 0) {
		kernel_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE,
		             "send_ipc deadlock walk overflowed its %" PRIu32
		             " frames (a pending self-IPC forms a loop, uapi.md 4.10)",
		             k->cfg.max_tasks);
		return;
	}
	GATE_CHECK(t, walk > 0, STATUS_DEADLK);
	Task *target = kernel_task_by_handle(k, target_h);
	GATE_CHECK(t, !target, STATUS_INVALID);
	target->ipc_pending[t->id] = (uint16_t)len;
	if (target == t) {
		if (is_autotest(k)) {
			kernel_set_result(t, STATUS_OK);
			return;
		}
		if (kernel_once(k, ONCE_SELF_IPC))
			kernel_reportf(
			    k, KREPORT_UNCHARACTERIZED, t->id,
			    "send_ipc to itself in a normal build: INVALID, but the slot "
			    "stays pending and a later IPC wait delivers it (uapi.md 4.10)");
		kernel_set_result(t, STATUS_INVALID);
		return;
	}
	own_state(k, t, JOB_IPC_SEND_BLOCKED);
	kernel_set_result(t, STATUS_NON_SENSE);
	t->ipc_target = target->id;
	t->ipc_len = len;
	t->stuck_reported = false;
	t->blocked_since_ns = kernel_now_ns(k);
	kernel_wake_intr(k, target);
	kernel_note_blocked_sender(k, t);
	kernel_elect(k);
}

/* 4.11 */
void gate_send_signal(Kernel *k, Task *t, uint32_t target_h, uint32_t sig, uint32_t a2)
{
	GATE_CHECK(t, !is_autotest(k) && target_h == t->handle, STATUS_INVALID);
	GATE_CHECK(t, sig < 1 || sig > 12, STATUS_INVALID);
	Task *target = kernel_task_by_handle(k, target_h);
	GATE_CHECK(t, !target, STATUS_INVALID);
	GATE_CHECK(t, target->sig_pending[t->id], STATUS_BUSY);
	target->sig_pending[t->id] = (uint8_t)sig;
	kernel_wake_intr(k, target);
	kernel_set_result(t, STATUS_OK);
}

/* 4.12 */
static bool take_signal(Kernel *k, Task *t)
{
	for (uint32_t s = 0; s < k->table_len; s++) {
		if (!t->sig_pending[s])
			continue;
		uint32_t sig = t->sig_pending[s];
		t->sig_pending[s] = 0;
		/* idle never sends: its slot holds the kernel's signals, source 0 (uapi.md 1.5) */
		uint32_t source = s == kernel_idle_id(k) ? 0 : k->tasks[s].handle;
		put_event(t->exch, EVENT_TYPE_SIGNAL, 4, source);
		put_u32(t->exch + 8, sig);
		return true;
	}
	return false;
}

static bool take_irq(Kernel *k, Task *t)
{
	uint32_t irq, devh;
	if (!ring_pop(&t->irq, &irq, &devh))
		return false;
	put_event(t->exch, EVENT_TYPE_IRQ, 4, devh);
	put_u32(t->exch + 8, irq);
	return true;
}

static bool take_dma(Kernel *k, Task *t)
{
	uint32_t dmah, state;
	if (!k->cfg.gpdma || !ring_pop(&t->dma, &dmah, &state))
		return false;
	put_event(t->exch, EVENT_TYPE_DMA, 1, dmah);
	t->exch[8] = (uint8_t)state;
	return true;
}

/* 4.12: deliver the pending IPC of the lowest sender index, and wake its sender. */
static bool take_ipc(Kernel *k, Task *t)
{
	for (uint32_t s = 0; s < k->table_len; s++) {
		uint32_t len = t->ipc_pending[s];
		if (!len)
			continue;
		Task *sender = task_of(k, s);
		/* the sender may be the receiver (self-IPC): go through a bounce buffer */
		uint8_t bounce[KERNEL_EXCHANGE_MAX];
		memcpy(bounce, sender->exch, len);
		put_event(t->exch, EVENT_TYPE_IPC, (uint8_t)len, sender->handle);
		memcpy(t->exch + 8, bounce, len);
		t->ipc_pending[s] = 0;
		if (is_autotest(k))
			return true;
		if (sender == t && kernel_once(k, ONCE_SELF_IPC_WAKE))
			kernel_reportf(k, KREPORT_UNCHARACTERIZED, t->id,
			               "IPC wait delivered the task's own rejected self-IPC; the "
			               "sender wake-up applies to the running task itself "
			               "(uapi.md 4.10)");
		/* wake the sender: OK, READY, scheduled */
		kernel_set_result(sender, STATUS_OK);
		if (sender == t) {
			/* READY replaces an unsupported-call abort of the running task (4.0) */
			own_state(k, t, JOB_READY);
		} else {
			sender->state = JOB_READY;
			sender->ipc_target = KERNEL_NO_TASK;
			kernel_schedule(k, sender);
		}
		return true;
	}
	return false;
}

void gate_wait_for_event(Kernel *k, Task *t, uint32_t mask, uint32_t timeout_u, uint32_t a2)
{
	int32_t timeout = (int32_t)timeout_u;
	mask &= 0xFFu;
	if (((mask & EVENT_TYPE_SIGNAL) && take_signal(k, t)) ||
	    ((mask & EVENT_TYPE_IRQ) && take_irq(k, t)) ||
	    ((mask & EVENT_TYPE_DMA) && take_dma(k, t)) ||
	    ((mask & EVENT_TYPE_IPC) && take_ipc(k, t))) {
		/* a self-IPC wake-up may have recorded OK already; the result is OK anyway */
		kernel_set_result(t, STATUS_OK);
		return;
	}
	GATE_CHECK(t, timeout == WFE_WAIT_NO, STATUS_AGAIN);
	own_state(k, t, JOB_WAITFOREVENT);
	kernel_set_result(t, STATUS_NON_SENSE);
	t->wait_mask = mask;
	t->wait_timeout = timeout;
	t->alarm_woke = false;
	t->blocked_since_ns = kernel_now_ns(k);
	if (timeout > 0)
		(void)kernel_delay_add(k, t, (uint32_t)timeout); /* result ignored (4.12) */
	kernel_elect(k);
}

/* 4.15 */
void gate_log(Kernel *k, Task *t, uint32_t len, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, k->cfg.release, STATUS_OK);
	GATE_CHECK(t, len > k->cfg.exchange_len, STATUS_INVALID);
	if (k->hooks.log && len)
		k->hooks.log(k->hook_data, t->id, t->exch, len);
	kernel_set_result(t, STATUS_OK);
}

/* 4.16 */
void gate_alarm(Kernel *k, Task *t, uint32_t delay, uint32_t flag, uint32_t a2)
{
	if (flag == O_ALRM_START || flag == O_ALRM_START_PERIODIC) {
		for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
			AlarmEntry *a = &k->alarms[i];
			if (a->used)
				continue;
			*a = (AlarmEntry){.used = true,
			                  .handle = t->handle,
			                  .delay = delay,
			                  .remaining = delay,
			                  .periodic = flag == O_ALRM_START_PERIODIC};
			kernel_set_result(t, STATUS_OK);
			return;
		}
		kernel_set_result(t, STATUS_BUSY);
		return;
	}
	if (flag == O_ALRM_STOP) {
		for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
			AlarmEntry *a = &k->alarms[i];
			if (a->used && a->handle == t->handle && a->delay == delay) {
				a->used = false;
				kernel_set_result(t, STATUS_OK);
				return;
			}
		}
		kernel_set_result(t, STATUS_NO_ENTITY);
		return;
	}
	kernel_set_result(t, STATUS_INVALID);
}

/* 4.17 */
void gate_get_random(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, !kernel_holds(k, t, CAP_CRY_KRNG), STATUS_DENIED);
	if (k->entropy_failures) {
		k->entropy_failures--;
		kernel_set_result(t, STATUS_CRITICAL);
		return;
	}
	put_u32(t->exch, kernel_rand32(k));
	kernel_set_result(t, STATUS_OK);
}

/* 4.18 */
void gate_get_cycle(Kernel *k, Task *t, uint32_t p, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, p > PRECISION_MILLISECONDS, STATUS_INVALID);
	GATE_CHECK(t, p == PRECISION_CYCLE && !kernel_holds(k, t, CAP_TIM_HP_CHRONO),
	           STATUS_DENIED);
	uint64_t now = kernel_now_ns(k);
	uint64_t freq = k->cfg.core_freq_hz;
	uint64_t cycles = (uint64_t)((unsigned __int128)now * freq / 1000000000u);
	uint64_t v = 0;
	switch (p) {
	case PRECISION_CYCLE:
		v = cycles;
		break;
	case PRECISION_NANOSECONDS:
		if (freq < 1000000000u && k->cfg.nanos_target_quirk) {
			v = 0;
		} else {
			v = (uint64_t)((unsigned __int128)cycles * 1000000000u / freq);
			if (freq < 1000000000u && kernel_once(k, ONCE_NANOS))
				kernel_reportf(k, KREPORT_DIVERGENCE, t->id,
				               "get_cycle(NANOSECONDS): the target divides by zero "
				               "below 1 GHz and usually returns 0; the simulator "
				               "writes the intended value (uapi.md 4.18)");
		}
		break;
	case PRECISION_MICROSECONDS:
		v = (uint64_t)((unsigned __int128)cycles * 1000000u / freq);
		break;
	case PRECISION_MILLISECONDS:
		v = k->jiffies;
		break;
	}
	put_u64(t->exch, v);
	kernel_set_result(t, STATUS_OK);
}

/* 4.25 (autotest build only: the registry marks both rows autotest_only, and normal builds
 * route them to the unsupported handler) */
static void gate_autotest_capa(Kernel *k, Task *t, uint32_t capa, bool set)
{
	GATE_CHECK(t, capa == 0 || (capa & (capa - 1)) != 0, STATUS_INVALID);
	if (set)
		k->global_caps |= capa;
	else
		k->global_caps &= ~capa;
	kernel_set_result(t, STATUS_OK);
}

void gate_autotest_set_capa(Kernel *k, Task *t, uint32_t capa, uint32_t a1, uint32_t a2)
{
	gate_autotest_capa(k, t, capa, true);
}

void gate_autotest_clear_capa(Kernel *k, Task *t, uint32_t capa, uint32_t a1, uint32_t a2)
{
	gate_autotest_capa(k, t, capa, false);
}

/* 4.26 */
void gate_has_respawned(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2)
{
	kernel_set_result(t, t->respawned ? STATUS_OK : STATUS_AGAIN);
}

void kernel_dispatch(Kernel *k, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	Task *t = cur_task(k);
	const SyscallDef *def = kernel_syscall_def(nr);
	if (!def || !def->gate || (def->autotest_only && !is_autotest(k))) {
		gate_unsupported_nr(k, t, nr);
		return;
	}
	def->gate(k, t, a0, a1, a2);
}
