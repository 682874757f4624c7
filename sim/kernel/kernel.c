/*
 * kernel.c: the Sentry kernel model's core: task table, RRMQ scheduler (uapi.md 7.3),
 * deferred results (1.1), virtual time and its two delay queues (8), respawn (7.6), panics
 * and stuck-task reporting (11). The gates themselves live in syscalls.c.
 *
 * Time is tickless: when nothing can happen for n ticks, the model applies those n ticks
 * in one step and processes the tick where something fires exactly as the target would,
 * so hours of virtual time cost a handful of iterations.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel/kernel_priv.h"

void kernel_config_init(KernelConfig *cfg)
{
	*cfg = (KernelConfig){
	    .build = KERNEL_BUILD_NORMAL,
	    .autotest_caps = 0x00270017u,
	    .core_freq_hz = 64000000u,
	    .exchange_len = 128,
	    .max_tasks = 8,
	    .num_irqs = 240,
	    .gpdma = true,
	    .syscall_cost_ns = 1000,
	    .seed = 0,
	};
}

/* ---------------------------------------------------------------------------------------- */
/* Reports                                                                                   */

void kernel_reportf(Kernel *k, KernelReportKind kind, uint32_t task, const char *fmt, ...)
{
	if (!k->hooks.report)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(k->msg, sizeof(k->msg), fmt, ap);
	va_end(ap);
	KernelReport r = {.kind = kind, .task = task, .time_ns = kernel_now_ns(k), .text = k->msg};
	k->hooks.report(k->hook_data, &r);
}

bool kernel_once(Kernel *k, uint32_t bit)
{
	if (k->once & bit)
		return false;
	k->once |= bit;
	return true;
}

void kernel_panic(Kernel *k, PanicCause cause, const char *fmt, ...)
{
	if (k->panicked)
		return;
	char why[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	k->panicked = true;
	k->panic_cause = cause;
	uint32_t cur = k->current;
	kernel_reportf(
	    k, KREPORT_PANIC, cur,
	    "kernel panic: %s; running task '%s' (label 0x%" PRIx32 "); %s; the system is halted",
	    kernel_panic_cause_name(cause), kernel_task_name(k, cur), k->tasks[cur].cfg.label, why);
}

/* ---------------------------------------------------------------------------------------- */
/* Lifecycle                                                                                 */

static uint32_t draw_rerun(Kernel *k)
{
	return kernel_rand32(k) & 0xFFFFFu;
}

uint32_t kernel_rand32(Kernel *k)
{
	return rng_u32(&k->rng);
}

/* Allocate the task table (configured tasks, then idle), the queues and the board. */
Kernel *kernel_new(const KernelConfig *cfg, const KernelHooks *hooks, void *data, const char **err)
{
	static const char *const bad_len = "exchange_len must be between 64 and 1024";
	static const char *const bad_max = "max_tasks must be between 1 and 255";
	static const char *const too_many = "more tasks than max_tasks";
	static const char *const none = "no task configured";
	static const char *const oom = "out of memory";

	if (cfg->exchange_len < 64 || cfg->exchange_len > KERNEL_EXCHANGE_MAX) {
		*err = bad_len;
		return NULL;
	}
	if (cfg->max_tasks < 1 || cfg->max_tasks > KERNEL_MAX_TASKS_LIMIT) {
		*err = bad_max;
		return NULL;
	}
	uint32_t n = cfg->build == KERNEL_BUILD_AUTOTEST ? 1 : cfg->n_tasks;
	if (cfg->n_tasks == 0) {
		*err = none;
		return NULL;
	}
	if (n > cfg->max_tasks) {
		*err = too_many;
		return NULL;
	}

	Kernel *k = calloc(1, sizeof(*k));
	if (!k) {
		*err = oom;
		return NULL;
	}
	k->cfg = *cfg;
	if (hooks)
		k->hooks = *hooks;
	k->hook_data = data;
	k->n_tasks = n;
	k->table_len = n + 1;
	k->task_cfgs = calloc(n, sizeof(*k->task_cfgs));
	k->tasks = calloc(k->table_len, sizeof(*k->tasks));
	/* one block for every task's exchange area, each 8-byte aligned (1.6) */
	size_t stride = (cfg->exchange_len + 7u) & ~7u;
	k->exch_mem = aligned_alloc(64, ((stride * k->table_len) + 63u) & ~(size_t)63u);
	k->sets[0] = calloc(cfg->max_tasks, sizeof(JobCell));
	k->sets[1] = calloc(cfg->max_tasks, sizeof(JobCell));
	k->delays = calloc(cfg->max_tasks, sizeof(DelayEntry));
	k->alarms = calloc(cfg->max_tasks, sizeof(AlarmEntry));
	/* per task: pending IPC lengths (u16: an area may be up to 1024 bytes) and pending
	 * signals, both indexed by sender id; one block for all */
	size_t per_task =
	    ((size_t)k->table_len * (sizeof(uint16_t) + sizeof(uint8_t)) + 1) & ~(size_t)1;
	uint8_t *slots = calloc((size_t)k->table_len, per_task);
	if (!k->task_cfgs || !k->tasks || !k->exch_mem || !k->sets[0] || !k->sets[1] ||
	    !k->delays || !k->alarms || !slots) {
		free(slots);
		kernel_free(k);
		*err = oom;
		return NULL;
	}
	memset(k->exch_mem, 0, stride * k->table_len);
	memcpy(k->task_cfgs, cfg->tasks, n * sizeof(*k->task_cfgs));
	k->cfg.tasks = k->task_cfgs;
	k->cfg.n_tasks = n;

	if (cfg->build == KERNEL_BUILD_AUTOTEST) {
		/* 7.9: the test task's metadata is fixed; only its name and binary come from
		 * the configuration. */
		KernelTaskConfig *t = &k->task_cfgs[0];
		t->label = AUTOTEST_LABEL;
		t->priority = 1;
		t->quantum = 10;
		t->domain = 0;
		t->capabilities = 0;
		t->auto_start = true;
		t->exit_mode = EXIT_MODE_RESTART;
	}

	for (uint32_t i = 0; i < k->table_len; i++) {
		Task *t = &k->tasks[i];
		t->id = i;
		if (i < n) {
			t->cfg = k->task_cfgs[i];
		} else {
			t->cfg = (KernelTaskConfig){
			    .name = "idle", .label = IDLE_LABEL, .exit_mode = EXIT_MODE_PANIC};
		}
		t->exch = k->exch_mem + stride * i;
		t->ipc_pending = (uint16_t *)(slots + (size_t)i * per_task);
		t->sig_pending = (uint8_t *)(t->ipc_pending + k->table_len);
		t->aborted_by = UINT32_MAX;
		t->ipc_target = KERNEL_NO_TASK;
	}
	if (!board_init(k, cfg->board, err)) {
		kernel_free(k);
		return NULL;
	}
	k->cfg.board = &k->board.cfg;
	k->global_caps = cfg->autotest_caps;
	k->current = n; /* idle */
	k->current_cell = -1;
	rng_seed(&k->rng, cfg->seed);
	return k;
}

void kernel_free(Kernel *k)
{
	if (!k)
		return;
	if (k->tasks)
		free((uint8_t *)k->tasks[0].ipc_pending);
	free(k->tasks);
	free(k->task_cfgs);
	free(k->exch_mem);
	free(k->sets[0]);
	free(k->sets[1]);
	free(k->delays);
	free(k->alarms);
	board_free(k);
	free(k);
}

static void spawn_job(Kernel *k, Task *t, uint32_t entry_r0)
{
	t->state = JOB_READY;
	t->fresh = true;
	t->entry_r0 = entry_r0;
	t->entry_seed = kernel_rand32(k);
	t->assigned = false;
	t->pending = 0;
	t->exit_code = 0;
	t->exited = false;
	t->hung = false;
	t->aborted_by = UINT32_MAX;
	t->alarm_woke = false;
	t->ipc_target = KERNEL_NO_TASK;
	t->generation++;
	memset(t->exch, 0, k->cfg.exchange_len);
}

/* Boot (7.2): handles, the automatic tasks in the active set, the first election. */
void kernel_boot(Kernel *k)
{
	kernel_reportf(k, KREPORT_INFO, KERNEL_NO_TASK,
	               "booting %s build, seed %" PRIu64 ", %" PRIu32
	               " task%s, exchange area %" PRIu32 " bytes",
	               is_autotest(k) ? "autotest" : "normal", k->cfg.seed, k->n_tasks,
	               k->n_tasks == 1 ? "" : "s", k->cfg.exchange_len);
	if (is_autotest(k))
		kernel_reportf(k, KREPORT_INFO, KERNEL_NO_TASK,
		               "autotest: global capability set 0x%08" PRIx32, k->global_caps);
	for (uint32_t i = 0; i < k->table_len; i++) {
		Task *t = &k->tasks[i];
		t->handle = draw_rerun(k) | (i << 20);
		spawn_job(k, t, 0);
		t->generation = 1;
	}
	if (is_autotest(k)) /* 7.2: the test task's first start gets its rerun bits */
		k->tasks[0].entry_r0 = k->tasks[0].handle & 0xFFFFFu;
	board_boot(k); /* SHM and DMA random parts, owner caching */
	for (uint32_t i = 0; i < k->n_tasks; i++) {
		Task *t = &k->tasks[i];
		if (t->cfg.quantum == 0)
			kernel_reportf(
			    k, KREPORT_UNCHARACTERIZED, i,
			    "quantum 0: the tick counter wraps, so this task is in practice "
			    "never preempted (uapi.md 7.3)");
		if (t->cfg.auto_start)
			kernel_schedule(k, t);
	}
	/* 7.2: idle runs first, logs two lines and yields. */
	Task *idle = &k->tasks[k->n_tasks];
	static const char hello[] = "hello this is idle!\n";
	static const char yielding[] = "yielding for scheduler...\n";
	if (k->hooks.log && !k->cfg.release) {
		k->hooks.log(k->hook_data, idle->id, (const uint8_t *)hello, sizeof(hello) - 1);
		k->hooks.log(k->hook_data, idle->id, (const uint8_t *)yielding,
		             sizeof(yielding) - 1);
	}
	kernel_elect(k);
}

/* ---------------------------------------------------------------------------------------- */
/* Lookups                                                                                   */

bool kernel_holds(const Kernel *k, const Task *t, uint32_t cap)
{
	uint32_t caps = t->cfg.capabilities;
	if (is_autotest(k))
		caps |= k->global_caps;
	return (caps & cap) != 0;
}

Task *kernel_task_by_handle(Kernel *k, uint32_t handle)
{
	uint32_t id = (handle >> 20) & 0xFFu;
	if (id >= k->table_len || k->tasks[id].handle != handle)
		return NULL;
	return &k->tasks[id];
}

Task *kernel_task_by_label(Kernel *k, uint32_t label)
{
	for (uint32_t i = 0; i < k->table_len; i++)
		if (k->tasks[i].cfg.label == label)
			return &k->tasks[i];
	return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Scheduler (7.3)                                                                           */

static JobCell *active_set(Kernel *k)
{
	return k->sets[k->active];
}

static JobCell *backed_set(Kernel *k)
{
	return k->sets[!k->active];
}

static bool set_has(const JobCell *set, uint32_t n, uint32_t handle)
{
	for (uint32_t i = 0; i < n; i++)
		if (set[i].used && set[i].handle == handle)
			return true;
	return false;
}

bool kernel_in_active(const Kernel *k, const Task *t)
{
	return set_has(k->sets[k->active], k->cfg.max_tasks, t->handle);
}

bool kernel_in_backed(const Kernel *k, const Task *t)
{
	return set_has(k->sets[!k->active], k->cfg.max_tasks, t->handle);
}

static bool set_add(Kernel *k, JobCell *set, const Task *t)
{
	for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
		if (!set[i].used) {
			set[i] = (JobCell){.used = true,
			                   .handle = t->handle,
			                   .priority = t->cfg.priority,
			                   .quantum = t->cfg.quantum};
			return true;
		}
	}
	return false;
}

static bool set_empty(const Kernel *k, const JobCell *set)
{
	for (uint32_t i = 0; i < k->cfg.max_tasks; i++)
		if (set[i].used)
			return false;
	return true;
}

/* schedule(t): only READY or YIELDED jobs not already in the active set. */
bool kernel_schedule(Kernel *k, Task *t)
{
	if (t->state != JOB_READY && t->state != JOB_YIELDED)
		return false;
	if (t->id == k->n_tasks) /* idle is never in a job set */
		return false;
	if (kernel_in_active(k, t))
		return false;
	if (!set_add(k, active_set(k), t)) {
		if (kernel_once(k, ONCE_SET_FULL))
			kernel_reportf(k, KREPORT_UNCHARACTERIZED, t->id,
			               "active job set full: the job is not scheduled");
		return false;
	}
	t->ever_scheduled = true;
	return true;
}

/* The round-robin multi-queue election (7.3): highest priority first, sets swapped when the
 * active set holds no ready job. */
void kernel_elect(Kernel *k)
{
	if (k->panicked)
		return;
	if (k->current_cell >= 0) {
		Task *t = cur_task(k);
		active_set(k)[k->current_cell].used = false;
		if (t->state == JOB_READY || t->state == JOB_YIELDED) {
			t->state = JOB_READY;
			if (!set_add(k, backed_set(k), t) && kernel_once(k, ONCE_SET_FULL))
				kernel_reportf(k, KREPORT_UNCHARACTERIZED, t->id,
				               "backed job set full: the job drops out of the "
				               "scheduler");
		}
	}
	k->current_cell = -1;
	k->current = k->n_tasks;
	for (;;) {
		if (set_empty(k, active_set(k)))
			k->active = !k->active;
		JobCell *set = active_set(k);
		int best = -1;
		for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
			if (!set[i].used)
				continue;
			if (best < 0 || set[i].priority > set[best].priority)
				best = (int)i;
		}
		if (best < 0)
			return; /* idle runs */
		Task *t = kernel_task_by_handle(k, set[best].handle);
		if (!t || t->state != JOB_READY) {
			/* a duplicate cell left by a start of a backed job, or a stale handle:
			 * not characterized upstream; drop the cell rather than run a job
			 * that is not ready. */
			if (kernel_once(k, ONCE_STALE_CELL))
				kernel_reportf(
				    k, KREPORT_UNCHARACTERIZED, t ? t->id : KERNEL_NO_TASK,
				    "job set holds a job that is not READY (%s): dropped",
				    t ? kernel_job_state_name(t->state) : "stale handle");
			set[best].used = false;
			continue;
		}
		k->current = t->id;
		k->current_cell = best;
		return;
	}
}

void kernel_set_result(Task *t, uint32_t status)
{
	t->pending = status;
	t->assigned = true;
}

/* ---------------------------------------------------------------------------------------- */
/* Delay queue and wake-ups (4.5, 4.12, 8)                                                   */

bool kernel_delay_add(Kernel *k, Task *t, uint32_t ms)
{
	for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
		if (!k->delays[i].used) {
			k->delays[i] = (DelayEntry){.used = true, .task = t->id, .remaining = ms};
			return true;
		}
	}
	return false;
}

void kernel_delay_remove(Kernel *k, Task *t)
{
	for (uint32_t i = 0; i < k->cfg.max_tasks; i++)
		if (k->delays[i].used && k->delays[i].task == t->id)
			k->delays[i].used = false;
}

/* An event (signal, IPC, IRQ, DMA) pushed to |t| (4.11, 5). */
void kernel_wake_intr(Kernel *k, Task *t)
{
	if (t->state != JOB_SLEEPING && t->state != JOB_WAITFOREVENT)
		return;
	kernel_delay_remove(k, t);
	kernel_set_result(t, STATUS_INTR);
	t->state = JOB_READY;
	kernel_schedule(k, t);
}

bool ring_push(EventRing *r, uint32_t a, uint32_t b)
{
	uint8_t next = (uint8_t)((r->tail + 1) % KERNEL_EVENT_RING);
	if (next == r->head)
		return false;
	r->cell[r->tail][0] = a;
	r->cell[r->tail][1] = b;
	r->tail = next;
	return true;
}

bool ring_pop(EventRing *r, uint32_t *a, uint32_t *b)
{
	if (r->head == r->tail)
		return false;
	*a = r->cell[r->head][0];
	*b = r->cell[r->head][1];
	r->head = (uint8_t)((r->head + 1) % KERNEL_EVENT_RING);
	return true;
}

uint32_t ring_count(const EventRing *r)
{
	return (uint32_t)((r->tail + KERNEL_EVENT_RING - r->head) % KERNEL_EVENT_RING);
}

/* ---------------------------------------------------------------------------------------- */
/* Alarms (4.16)                                                                             */

static void alarm_fire(Kernel *k, AlarmEntry *a)
{
	uint32_t id = (a->handle >> 20) & 0xFFu;
	Task *t = kernel_task_by_handle(k, a->handle);
	if (!t) {
		/* the owner respawned since: the push fails silently (4.16) */
		return;
	}
	if (t->sig_pending[t->id]) {
		/* name the alarm as the task set it (shield's timers and sleeps set theirs for
		 * the next expiry), and the unread signal that blocks it */
		uint8_t unread = t->sig_pending[t->id];
		kernel_reportf(k, KREPORT_DIVERGENCE, id,
		               "alarm lost: the %s alarm the task set with __sys_alarm(%" PRIu32
		               ", %s) fired while %s is still unread, and a task holds one "
		               "signal from itself at a time; read signals with "
		               "wait_for_event(EVENT_TYPE_SIGNAL) (shield: sigwait, timer_handler) "
		               "before the next one (uapi.md 4.16)",
		               a->periodic ? "periodic" : "one-shot", a->delay,
		               a->periodic ? "O_ALRM_START_PERIODIC" : "O_ALRM_START",
		               unread == SIGNAL_ALARM ? "the signal of its previous alarm"
		                                      : "a signal the task sent itself");
		return;
	}
	t->sig_pending[t->id] = SIGNAL_ALARM;
	if (t->state == JOB_WAITFOREVENT) {
		/* The push only makes the waiter READY: its result stays NON_SENSE and its
		 * wait timeout stays queued, so the kernel panics when it resumes it. */
		t->state = JOB_READY;
		t->alarm_woke = true;
		t->alarm_delay = a->delay;
		t->alarm_periodic = a->periodic;
		kernel_schedule(k, t);
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Time (8)                                                                                  */

static void delay_fire(Kernel *k, DelayEntry *d)
{
	Task *t = task_of(k, d->task);
	d->used = false;
	if (t->state != JOB_SLEEPING && t->state != JOB_SLEEPING_DEEP &&
	    t->state != JOB_WAITFOREVENT) {
		if (t->alarm_woke)
			kernel_panic(
			    k, PANIC_KERNEL_INVALID_MANAGER_STATE,
			    "the wait timeout of task '%s' fired after %s alarm of %" PRIu32
			    " ms made it READY while it waited for events (uapi.md 4.16)",
			    t->cfg.name, t->alarm_periodic ? "a periodic" : "an", t->alarm_delay);
		else
			kernel_panic(k, PANIC_KERNEL_INVALID_MANAGER_STATE,
			             "a delay fired for task '%s' in state %s", t->cfg.name,
			             kernel_job_state_name(t->state));
		return;
	}
	kernel_set_result(t, STATUS_TIMEOUT);
	t->state = JOB_READY;
	kernel_schedule(k, t);
}

/* One tick, as the target processes it. */
static void tick(Kernel *k)
{
	k->jiffies++;
	if (k->current_cell >= 0) {
		JobCell *c = &active_set(k)[k->current_cell];
		c->quantum--;
		if (c->quantum == 0)
			kernel_elect(k);
	}
	for (uint32_t i = 0; i < k->cfg.max_tasks && !k->panicked; i++) {
		DelayEntry *d = &k->delays[i];
		if (!d->used)
			continue;
		if (d->remaining <= 1)
			delay_fire(k, d);
		else
			d->remaining--;
	}
	for (uint32_t i = 0; i < k->cfg.max_tasks && !k->panicked; i++) {
		AlarmEntry *a = &k->alarms[i];
		if (!a->used)
			continue;
		if (a->remaining <= 1) {
			alarm_fire(k, a);
			if (a->periodic)
				a->remaining = a->delay;
			else
				a->used = false;
		} else {
			a->remaining--;
		}
	}
}

/* Ticks before the next one at which something happens (0: the next tick). */
static uint64_t quiet_ticks(const Kernel *k)
{
	uint64_t q = UINT64_MAX;
	for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
		if (k->delays[i].used) {
			uint32_t r = k->delays[i].remaining;
			q = MIN(q, r <= 1 ? 0 : r - 1);
		}
		if (k->alarms[i].used) {
			uint32_t r = k->alarms[i].remaining;
			q = MIN(q, r <= 1 ? 0 : r - 1);
		}
	}
	if (k->current_cell >= 0) {
		uint32_t qn = k->sets[k->active][k->current_cell].quantum;
		if (qn != 0) /* 0 wraps: effectively never */
			q = MIN(q, (uint64_t)qn - 1);
	}
	return q;
}

/* Apply |n| ticks in which nothing fires. */
static void skip_ticks(Kernel *k, uint64_t n)
{
	if (n == 0)
		return;
	k->jiffies += n;
	for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
		if (k->delays[i].used)
			k->delays[i].remaining -= (uint32_t)n;
		if (k->alarms[i].used)
			k->alarms[i].remaining -= (uint32_t)n;
	}
	if (k->current_cell >= 0)
		k->sets[k->active][k->current_cell].quantum -= (uint32_t)n;
}

static void advance_ticks(Kernel *k, uint64_t n)
{
	while (n > 0 && !k->panicked) {
		uint64_t q = MIN(quiet_ticks(k), n - 1);
		skip_ticks(k, q);
		n -= q;
		tick(k);
		n--;
	}
}

void kernel_advance(Kernel *k, uint64_t ns)
{
	k->sub_ns += ns;
	uint64_t n = k->sub_ns / KERNEL_TICK_NS;
	k->sub_ns %= KERNEL_TICK_NS;
	advance_ticks(k, n);
}

uint64_t kernel_now_ns(const Kernel *k)
{
	return k->jiffies * KERNEL_TICK_NS + k->sub_ns;
}

uint64_t kernel_jiffies(const Kernel *k)
{
	return k->jiffies;
}

uint64_t kernel_next_event_ns(const Kernel *k)
{
	bool any = false;
	uint64_t q = UINT64_MAX;
	for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
		if (k->delays[i].used || k->alarms[i].used)
			any = true;
		if (k->delays[i].used) {
			uint32_t r = k->delays[i].remaining;
			q = MIN(q, r <= 1 ? 1 : r);
		}
		if (k->alarms[i].used) {
			uint32_t r = k->alarms[i].remaining;
			q = MIN(q, r <= 1 ? 1 : r);
		}
	}
	if (!any)
		return UINT64_MAX;
	return (k->jiffies + q) * KERNEL_TICK_NS;
}

/* ---------------------------------------------------------------------------------------- */
/* Running tasks                                                                             */

uint32_t kernel_current(const Kernel *k)
{
	return k->panicked ? KERNEL_NO_TASK : k->current;
}

uint32_t kernel_idle_id(const Kernel *k)
{
	return k->n_tasks;
}

uint32_t kernel_task_count(const Kernel *k)
{
	return k->n_tasks;
}

/* Hand the current task its recorded result (1.1) and say how it resumes. */
bool kernel_resume(Kernel *k, KernelResume *out)
{
	if (k->panicked || k->current == k->n_tasks)
		return false;
	Task *t = cur_task(k);
	out->generation = t->generation;
	if (t->fresh) {
		t->fresh = false;
		out->fresh = true;
		out->r0 = t->entry_r0;
		out->r1 = t->entry_seed;
		return true;
	}
	out->fresh = false;
	out->r1 = 0;
	if (t->assigned) {
		if (t->pending == STATUS_NON_SENSE) {
			if (t->alarm_woke)
				kernel_panic(
				    k, PANIC_RESUMED_NON_SENSE,
				    "%s alarm of %" PRIu32 " ms expired while the task waited "
				    "for events (mask 0x%" PRIx32 ", timeout %" PRId32
				    "): the alarm made it READY without a result (uapi.md 4.16)",
				    t->alarm_periodic ? "a periodic" : "an", t->alarm_delay,
				    t->wait_mask, t->wait_timeout);
			else
				kernel_panic(k, PANIC_RESUMED_NON_SENSE,
				             "task resumed while its result is still NON_SENSE");
			return false;
		}
		t->r0 = t->pending;
		t->assigned = false;
	}
	out->r0 = t->r0;
	return true;
}

uint8_t *kernel_exchange(Kernel *k, uint32_t id)
{
	return k->tasks[id].exch;
}

uint32_t kernel_exchange_len(const Kernel *k)
{
	return k->cfg.exchange_len;
}

void kernel_syscall(Kernel *k, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	if (k->panicked || k->current == k->n_tasks)
		return;
	uint32_t caller = k->current;
	k->tasks[caller].r0 = a0;
	kernel_dispatch(k, nr, a0, a1, a2);
	if (k->hooks.syscall) {
		const uint32_t args[3] = {a0, a1, a2};
		k->hooks.syscall(k->hook_data, caller, nr, args);
	}
	kernel_advance(k, k->cfg.syscall_cost_ns);
}

void kernel_fault(Kernel *k, const char *why)
{
	if (k->panicked || k->current == k->n_tasks)
		return;
	Task *t = cur_task(k);
	t->state = JOB_FAULT;
	kernel_reportf(k, KREPORT_FAULT, t->id, "fault: %s", why);
	kernel_note_dead(k, t);
	kernel_elect(k);
}

void kernel_hang(Kernel *k, const char *why)
{
	if (k->panicked || k->current == k->n_tasks)
		return;
	Task *t = cur_task(k);
	t->hung = true;
	snprintf(t->hung_why, sizeof(t->hung_why), "%s", why);
	kernel_reportf(k, KREPORT_STUCK, t->id, "%s", why);
}

void kernel_report_library(Kernel *k, const char *text)
{
	kernel_reportf(k, KREPORT_LIBRARY, k->current, "%s", text);
}

void kernel_respawn(Kernel *k, Task *t)
{
	/* 7.6: same cell, new rerun, fresh image; pending events are kept. */
	t->handle = draw_rerun(k) | (t->id << 20);
	spawn_job(k, t, 0);
	board_respawn(k, t);
	t->respawned = true;
	kernel_schedule(k, t);
}

/* Senders blocked on |dead| can never complete (4.10, 11): say so now. */
void kernel_note_dead(Kernel *k, Task *dead)
{
	for (uint32_t s = 0; s < k->table_len; s++) {
		Task *sender = &k->tasks[s];
		if (sender->state == JOB_IPC_SEND_BLOCKED && sender->ipc_target == dead->id)
			kernel_note_blocked_sender(k, sender);
	}
}

void kernel_note_blocked_sender(Kernel *k, Task *sender)
{
	if (sender->stuck_reported || sender->ipc_target == KERNEL_NO_TASK)
		return;
	Task *target = task_of(k, sender->ipc_target);
	const char *why = NULL;
	if (sender->ipc_len == 0)
		why = "the length is 0, so the receiver can never see it";
	else if (target->state == JOB_FAULT)
		why = "the target faulted";
	else if (target->state == JOB_ABORTING)
		why = "the target is aborting";
	else if (target->state == JOB_FINISHED && target->cfg.exit_mode != EXIT_MODE_RESTART)
		why = "the target has finished";
	else if (target->id == k->n_tasks)
		why = "the target is idle, which never receives";
	if (!why)
		return;
	sender->stuck_reported = true;
	kernel_reportf(k, KREPORT_STUCK, sender->id,
	               "blocked for ever in send_ipc to '%s' (%" PRIu32 " bytes): %s",
	               target->cfg.name, sender->ipc_len, why);
}

/* ---------------------------------------------------------------------------------------- */
/* Idle and the end of a run                                                                 */

static bool any_runnable(Kernel *k)
{
	return !set_empty(k, active_set(k)) || !set_empty(k, backed_set(k));
}

static uint64_t next_useful_event_ns(Kernel *k)
{
	uint64_t q = UINT64_MAX;
	for (uint32_t i = 0; i < k->cfg.max_tasks; i++) {
		if (k->delays[i].used) {
			uint32_t r = k->delays[i].remaining;
			q = MIN(q, (uint64_t)(r <= 1 ? 1 : r));
		}
		if (k->alarms[i].used) {
			Task *owner = kernel_task_by_handle(k, k->alarms[i].handle);
			uint32_t r = k->alarms[i].remaining;
			if (owner && owner->state == JOB_WAITFOREVENT)
				q = MIN(q, (uint64_t)(r <= 1 ? 1 : r));
		}
	}
	return q == UINT64_MAX ? q : (k->jiffies + q) * KERNEL_TICK_NS;
}

static bool task_blocked(const Task *t)
{
	return t->state == JOB_IPC_SEND_BLOCKED || t->state == JOB_WAITFOREVENT ||
	       t->state == JOB_SLEEPING || t->state == JOB_SLEEPING_DEEP;
}

/* Only idle can run: jump virtual time to the next event (8), within |limit_ns|. */
KernelIdleResult kernel_idle(Kernel *k, uint64_t limit_ns)
{
	if (k->panicked)
		return KERNEL_IDLE_PANIC;
	bool idle = k->current == k->n_tasks;
	if (!idle && !cur_task(k)->hung)
		return KERNEL_IDLE_ADVANCED;
	if (idle && any_runnable(k)) {
		kernel_elect(k); /* idle's yield */
		return KERNEL_IDLE_ADVANCED;
	}

	/* Alarms fire on their own, but only an alarm whose owner waits for events can change
	 * anything (it panics the kernel, 4.16); alarms of sleepers fire before their delay,
	 * and those of dead or respawned tasks never matter. Only useful events keep a run
	 * alive; the ticks up to the next one still process every alarm exactly. */
	uint64_t next = next_useful_event_ns(k);
	bool others = false;
	if (!idle) {
		/* a hung job runs until its quantum expires when anyone else can run */
		JobCell *set = active_set(k);
		for (uint32_t i = 0; i < k->cfg.max_tasks; i++)
			if (set[i].used && (int)i != k->current_cell)
				others = true;
		others = others || !set_empty(k, backed_set(k));
		uint32_t q = set[k->current_cell].quantum;
		if (others && q != 0)
			next = MIN(next, (k->jiffies + q) * KERNEL_TICK_NS);
	}
	if (next == UINT64_MAX) {
		bool stuck = !idle;
		for (uint32_t i = 0; i < k->n_tasks; i++) {
			Task *t = &k->tasks[i];
			if (task_blocked(t) || t->hung ||
			    (t->state == JOB_ABORTING && t->aborted_by != UINT32_MAX))
				stuck = true;
		}
		return stuck ? KERNEL_IDLE_STUCK : KERNEL_IDLE_DONE;
	}
	uint64_t now = kernel_now_ns(k);
	if (limit_ns && next > limit_ns) {
		if (limit_ns > now)
			kernel_advance(k, limit_ns - now);
		return KERNEL_IDLE_ADVANCED;
	}
	/* jump to the tick where the next thing fires */
	uint64_t target_ticks = next / KERNEL_TICK_NS;
	k->sub_ns = 0;
	if (target_ticks > k->jiffies)
		advance_ticks(k, target_ticks - k->jiffies);
	if (k->panicked)
		return KERNEL_IDLE_PANIC;
	if (k->current == k->n_tasks && any_runnable(k))
		kernel_elect(k);
	return KERNEL_IDLE_ADVANCED;
}

/* ---------------------------------------------------------------------------------------- */
/* Views                                                                                     */

bool kernel_panicked(const Kernel *k)
{
	return k->panicked;
}

JobState kernel_task_state(const Kernel *k, uint32_t id)
{
	return k->tasks[id].state;
}

uint32_t kernel_task_handle(const Kernel *k, uint32_t id)
{
	return k->tasks[id].handle;
}

uint32_t kernel_task_label(const Kernel *k, uint32_t id)
{
	return k->tasks[id].cfg.label;
}

const char *kernel_task_name(const Kernel *k, uint32_t id)
{
	if (id >= k->table_len)
		return "kernel";
	const char *n = k->tasks[id].cfg.name;
	return n ? n : "?";
}

int32_t kernel_task_exit_code(const Kernel *k, uint32_t id)
{
	return k->tasks[id].exit_code;
}

bool kernel_task_started(const Kernel *k, uint32_t id)
{
	return k->tasks[id].ever_scheduled;
}

bool kernel_task_hung(const Kernel *k, uint32_t id)
{
	return id < k->table_len && k->tasks[id].hung;
}

uint32_t kernel_task_generation(const Kernel *k, uint32_t id)
{
	return k->tasks[id].generation;
}

bool kernel_task_has_respawned(const Kernel *k, uint32_t id)
{
	return k->tasks[id].respawned;
}

/* One line on what task |id| waits for, for the diagnosis of a stuck run. */
void kernel_task_blocker(const Kernel *k, uint32_t id, char *buf, size_t len)
{
	const Task *t = &k->tasks[id];
	buf[0] = '\0';
	if (t->hung) {
		snprintf(buf, len, "%s", t->hung_why);
		return;
	}
	switch (t->state) {
	case JOB_IPC_SEND_BLOCKED: {
		const Task *to = &k->tasks[t->ipc_target];
		snprintf(buf, len, "blocked in send_ipc to '%s' (%s, %" PRIu32 " bytes)%s",
		         to->cfg.name ? to->cfg.name : "?", kernel_job_state_name(to->state),
		         t->ipc_len,
		         to->state == JOB_WAITFOREVENT && !(to->wait_mask & EVENT_TYPE_IPC)
		             ? ", which waits without IPC in its mask"
		             : "");
		break;
	}
	case JOB_WAITFOREVENT:
		snprintf(buf, len, "waiting for events (mask 0x%" PRIx32 ") with no timeout",
		         t->wait_mask);
		break;
	case JOB_SLEEPING:
	case JOB_SLEEPING_DEEP:
		snprintf(buf, len, "sleeping");
		break;
	case JOB_ABORTING:
		if (t->aborted_by != UINT32_MAX)
			snprintf(buf, len, "aborted by unsupported system call %" PRIu32,
			         t->aborted_by);
		break;
	default:
		break;
	}
}

const char *kernel_job_state_name(JobState s)
{
	static const char *const names[] = {
	    [JOB_NOTSTARTED] = "NOTSTARTED",
	    [JOB_READY] = "READY",
	    [JOB_SLEEPING] = "SLEEPING",
	    [JOB_SLEEPING_DEEP] = "SLEEPING_DEEP",
	    [JOB_FAULT] = "FAULT",
	    [JOB_SECURITY] = "SECURITY",
	    [JOB_ABORTING] = "ABORTING",
	    [JOB_FINISHED] = "FINISHED",
	    [JOB_IPC_SEND_BLOCKED] = "IPC_SEND_BLOCKED",
	    [JOB_WAITFOREVENT] = "WAITFOREVENT",
	    [JOB_YIELDED] = "YIELDED",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) && names[s] ? names[s] : "?";
}

const char *kernel_panic_cause_name(PanicCause c)
{
	static const char *const names[] = {
	    [PANIC_USER_HARDFAULT] = "USER_HARDFAULT",
	    [PANIC_KERNEL_HARDFAULT] = "KERNEL_HARDFAULT",
	    [PANIC_USER_BUSFAULT] = "USER_BUSFAULT",
	    [PANIC_KERNEL_BUSFAULT] = "KERNEL_BUSFAULT",
	    [PANIC_USER_USAGEFAULT] = "USER_USAGEFAULT",
	    [PANIC_KERNEL_USAGEFAULT] = "KERNEL_USAGEFAULT",
	    [PANIC_USER_MEMACCESS] = "USER_MEMACCESS",
	    [PANIC_KERNEL_MEMACCESS] = "KERNEL_MEMACCESS",
	    [PANIC_KERNEL_INVALID_USERSPACE_INPUT] = "KERNEL_INVALID_USERSPACE_INPUT",
	    [PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG] = "KERNEL_SHORTER_KBUFFERS_CONFIG",
	    [PANIC_KERNEL_INVALID_MANAGER_STATE] = "KERNEL_INVALID_MANAGER_STATE",
	    [PANIC_KERNEL_INVALID_MANAGER_RESPONSE] = "KERNEL_INVALID_MANAGER_RESPONSE",
	    [PANIC_KERNEL_TIMEOUT] = "KERNEL_TIMEOUT",
	    [PANIC_KERNEL_BAD_CFI_CALCULATION] = "KERNEL_BAD_CFI_CALCULATION",
	    [PANIC_HARDWARE_INVALID_STATE] = "HARDWARE_INVALID_STATE",
	    [PANIC_HARDWARE_UNEXPECTED_MODIFICATION] = "HARDWARE_UNEXPECTED_MODIFICATION",
	    [PANIC_CONFIGURATION_MISMATCH] = "CONFIGURATION_MISMATCH",
	    [PANIC_UNEXPECTED_BRANCH_EXEC] = "UNEXPECTED_BRANCH_EXEC",
	};
	if (c == PANIC_RESUMED_NON_SENSE)
		return "resumed with NON_SENSE result";
	return (unsigned)c < sizeof(names) / sizeof(names[0]) && names[c] ? names[c] : "?";
}

void kernel_set_entropy_failure(Kernel *k, uint32_t count)
{
	k->entropy_failures = count;
}
