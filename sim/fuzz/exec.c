/*
 * exec.c: the in-process driver of fuzz programs (see exec.h).
 *
 * It does what sim/host/run.c does with real task processes, with each task's behaviour
 * taken from its script: resume the current task, let it run its next op, hand its traps to
 * the model, and let time move when only idle can run. The UAPI library's visible rules are
 * applied to OP_SYSCALL (uapi.md 2): arguments are converted to the prototypes' types
 * (the registry's widths), a log longer than 128 bytes never traps, a wait woken with INTR is
 * issued once more, a raw result above 10 makes the library spin for ever. OP_RAW traps bypass the
 * library. The pieces `sentry-sim fuzz` must do the same way on the daemon side are
 * exported (exec.h): the kernel configuration with the board, reference resolution, the
 * stimuli, the rule for a task touching board memory.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <uapi/types.h>

#include "sim/fuzz/exec.h"
#include "sim/fuzz/fuzzboard.h"
#include "sim/fuzz/invariants.h"
#include "sim/kernel/registry.h"
#include "sim/kernel/views.h"

INV_NO_COVERAGE_BEGIN

#define DEFAULT_MAX_STEPS   1000
#define DEFAULT_MAX_TIME_NS (30ull * 1000 * KERNEL_TICK_NS) /* 30 s */
#define LIBRARY_LOG_MAX     128u /* the upstream library hard-codes 128 (2.2) */

typedef struct {
	uint16_t op[PROG_MAX_OPS];
	uint32_t n;
} Script;

typedef struct {
	uint32_t pc;
	uint32_t last_nr; /* the last trap's number, for path statistics */
	uint32_t vars[PROG_VARS];
	/* the last trap, for the library's handling of its result */
	bool lib;          /* through the library (not a raw trap) */
	bool lib_wait;     /* a library wait_for_event: retried once after INTR (2.4) */
	bool wait_retried; /* that retry was already made */
	uint32_t wait_args[3];
	bool retry;       /* re-issue the wait now */
	bool bind;        /* bind the output to |dst| if the result is OK */
	uint8_t bind_out; /* SysOut */
	uint8_t bind_dst;
} ExecTask;

typedef struct {
	const Prog *p;
	const ExecOptions *o;
	ExecResult *r;
	Kernel *k;
	Inv *inv;
	uint32_t tl, idle;
	Script scripts[PROG_MAX_TASKS];
	Script idle_script;
	uint32_t idle_pc;
	ExecTask t[PROG_MAX_TASKS + 1];
	ExecHandles handles; /* for VAL_STALE_OF */
	FuzzBoard fb;
	uint32_t dma_failures; /* the DMA driver's next enables that fail */
	uint32_t running;      /* task resumed and not trapped since, or KERNEL_NO_TASK */
	uint64_t hash;
	uint32_t step;
	bool bad;
} Exec;

static const char *const task_names[PROG_MAX_TASKS] = {"t0", "t1", "t2", "t3",
                                                       "t4", "t5", "t6", "t7"};

void exec_options_init(ExecOptions *o)
{
	*o = (ExecOptions){
	    .max_steps = DEFAULT_MAX_STEPS,
	    .max_time_ns = DEFAULT_MAX_TIME_NS,
	    .check = true,
	};
}

const char *exec_end_name(ExecEnd end)
{
	static const char *const names[EXEC_END_COUNT] = {
	    [EXEC_END_DONE] = "done",           [EXEC_END_STUCK] = "stuck",
	    [EXEC_END_PANIC] = "panic",         [EXEC_END_STEPS] = "step budget",
	    [EXEC_END_TIME] = "time budget",    [EXEC_END_INVARIANT] = "invariant failure",
	    [EXEC_END_SETUP] = "setup refused",
	};
	return end < EXEC_END_COUNT ? names[end] : "?";
}

static void hash_bytes(Exec *e, const void *data, size_t len)
{
	const uint8_t *p = data;
	for (size_t i = 0; i < len; i++) {
		e->hash ^= p[i];
		e->hash *= 0x100000001b3ull;
	}
}

static void hash_u32(Exec *e, uint32_t v)
{
	hash_bytes(e, &v, sizeof(v));
}

static void trace(Exec *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void trace(Exec *e, const char *fmt, ...)
{
	if (!e->o->trace)
		return;
	char line[512];
	int n = snprintf(line, sizeof(line), "%5" PRIu32 " %10.3f ms  ", e->step,
	                 (double)kernel_now_ns(e->k) / 1e6);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	e->o->trace(e->o->trace_data, line);
}

static void hook_log(void *data, uint32_t task, const uint8_t *bytes, size_t len)
{
	Exec *e = data;
	hash_u32(e, 0x106);
	hash_u32(e, task);
	hash_bytes(e, bytes, len);
	if (e->inv)
		inv_log(e->inv, task, bytes, len);
}

static void hook_report(void *data, const KernelReport *rep)
{
	Exec *e = data;
	hash_u32(e, 0x4e9 + rep->kind);
	hash_u32(e, rep->task);
	hash_bytes(e, rep->text, strlen(rep->text));
	if (e->inv)
		inv_report(e->inv, rep);
	if (e->o->trace && e->k)
		trace(e, "report %d: %s", rep->kind, rep->text);
}

/* Record an invariant failure (once). */
static bool checked(Exec *e, bool ok)
{
	if (ok || e->bad)
		return ok;
	e->bad = true;
	snprintf(e->r->error, sizeof(e->r->error), "step %" PRIu32 ": %s", e->step,
	         inv_error(e->inv));
	return false;
}

/* A failure the driver itself sees (a host-side hook that misbehaved). */
static void exec_fail(Exec *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void exec_fail(Exec *e, const char *fmt, ...)
{
	if (e->bad)
		return;
	e->bad = true;
	int n = snprintf(e->r->error, sizeof(e->r->error), "step %" PRIu32 ": ", e->step);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->r->error + n, sizeof(e->r->error) - (size_t)n, fmt, ap);
	va_end(ap);
}

static void begin_host(Exec *e, InvHost what, uint32_t arg)
{
	if (e->inv)
		inv_begin_host(e->inv, e->k, what, arg);
}

static bool end_step(Exec *e)
{
	return e->inv ? checked(e, inv_end(e->inv, e->k)) : true;
}

uint32_t exec_resolve_ref(const Kernel *k, ProgVal v, const uint32_t *prev_handles)
{
	uint32_t tl = kernel_task_count(k) + 1;
	switch (v.kind) {
	case VAL_HANDLE_OF:
		return v.idx < tl ? kernel_task_handle(k, v.idx) : 0;
	case VAL_STALE_OF:
		return v.idx < tl ? prev_handles[v.idx] : 0;
	case VAL_RES_OF:
		return exec_resource_handle(k, v);
	default:
		return v.lit;
	}
}

static uint32_t resolve(Exec *e, uint32_t task, ProgVal v)
{
	const ExecTask *t = &e->t[task];
	switch (v.kind) {
	case VAL_VAR:
		return t->vars[v.idx % PROG_VARS];
	case VAL_VAR_FLIP:
		return t->vars[v.idx % PROG_VARS] ^ (1u << (v.bit & 31));
	default:
		return exec_resolve_ref(e->k, v, e->handles.prev);
	}
}

uint32_t exec_resource_handle(const Kernel *k, ProgVal v)
{
	uint32_t h = 0, owner;
	bool mapped;
	switch ((ProgResTable)v.bit) {
	case PROG_RES_DEV:
		if (!kernel_view_device(k, v.idx, &h, &owner, &mapped))
			h = 0;
		break;
	case PROG_RES_SHM:
		h = kernel_shm_handle(k, v.idx);
		break;
	case PROG_RES_DMA:
		h = kernel_dma_handle(k, v.idx);
		break;
	}
	return h;
}

void exec_handles_note(ExecHandles *hs, const Kernel *k, bool boot)
{
	uint32_t tl = kernel_task_count(k) + 1;
	for (uint32_t i = 0; i < tl && i <= PROG_MAX_TASKS; i++) {
		uint32_t h = kernel_task_handle(k, i);
		if (boot) {
			hs->handle[i] = h;
			hs->prev[i] = 0;
		} else if (h != hs->handle[i]) {
			hs->prev[i] = hs->handle[i];
			hs->handle[i] = h;
		}
	}
}

/* Write the bytes a call reads to the exchange area before the trap. */
static void fill_exchange(Exec *e, uint32_t task, const ProgFill *f, uint32_t want)
{
	uint8_t *x = kernel_exchange(e->k, task);
	uint32_t xl = kernel_exchange_len(e->k);
	uint32_t len = want < xl ? want : xl;
	switch (f->kind) {
	case FILL_PATTERN:
		for (uint32_t i = 0; i < len; i++)
			x[i] = (uint8_t)(f->seed + 37u * i);
		break;
	case FILL_VAR: {
		uint32_t v = e->t[task].vars[f->var % PROG_VARS];
		memcpy(x, &v, sizeof(v));
		for (uint32_t i = 4; i < len; i++)
			x[i] = (uint8_t)(f->seed + 37u * i);
		break;
	}
	case FILL_BYTES:
		memcpy(x, f->bytes, f->n < xl ? f->n : xl);
		break;
	default:
		break;
	}
}

static void trap(Exec *e, uint32_t task, uint32_t nr, const uint32_t a[3])
{
	if (e->o->trace)
		trace(e, "%s: trap %" PRIu32 " %s(0x%" PRIx32 ", 0x%" PRIx32 ", 0x%" PRIx32 ")",
		      task_names[task], nr, systable_get(nr)->name, a[0], a[1], a[2]);
	hash_u32(e, 0x5c);
	hash_u32(e, task);
	hash_u32(e, nr);
	hash_bytes(e, a, 3 * sizeof(a[0]));
	if (e->o->on_call)
		e->o->on_call(e->o->stream_data, kernel_now_ns(e->k), task, nr, a,
		              kernel_exchange(e->k, task), kernel_exchange_len(e->k));
	if (e->inv)
		inv_begin_syscall(e->inv, e->k, task, nr, a);
	e->t[task].last_nr = nr;
	kernel_syscall(e->k, nr, a[0], a[1], a[2]);
	e->r->syscalls++;
	if (nr == SYSCALL_EXIT)
		exec_handles_note(&e->handles, e->k, false); /* a respawn: new handle (7.6) */
	e->running = KERNEL_NO_TASK; /* it trapped: it must be resumed to go on */
	end_step(e);
}

/* A call through the UAPI library. */
static void lib_call(Exec *e, uint32_t task, uint32_t nr, const uint32_t a[3])
{
	ExecTask *t = &e->t[task];
	t->lib = true;
	t->lib_wait = nr == SYSCALL_WAIT_FOR_EVENT;
	if (t->lib_wait)
		memcpy(t->wait_args, a, sizeof(t->wait_args));
	trap(e, task, nr, a);
}

static void host_hang(Exec *e, const char *why)
{
	if (e->o->trace)
		trace(e, "%s: hangs (%s)", task_names[kernel_current(e->k)], why);
	begin_host(e, INV_HOST_HANG, 0);
	kernel_hang(e->k, why);
	end_step(e);
}

/* Resolve a program's stimulus against the board: which IRQ line, pin or count it means. */
void exec_stim_plan(const FuzzBoard *fb, uint32_t kind, uint32_t arg, bool idle, ExecStim *st)
{
	*st = (ExecStim){
	    .kind = kind < STIM_COUNT ? kind : STIM_COUNT, .idle = idle, .what = INV_HOST_NOP};
	switch ((StimKind)st->kind) {
	case STIM_ENTROPY_FAIL:
		st->count = 1 + arg % 3;
		st->what = INV_HOST_ENTROPY;
		st->inv_arg = st->count;
		break;
	case STIM_IDLE_TIME:
		st->ns = (uint64_t)(1 + arg % 64) * KERNEL_TICK_NS;
		st->what = idle ? INV_HOST_IDLE : INV_HOST_ADVANCE;
		break;
	case STIM_IRQ:
		/* mostly a line the board declares; otherwise the kernel must refuse it */
		st->irq = arg < 0xC0 ? fuzzboard_irq(arg) : arg % 64u;
		for (uint32_t i = 0; i < fb->board.n_devices; i++)
			for (uint32_t j = 0; j < fb->devices[i].n_irqs; j++)
				st->declared = st->declared || (fb->devices[i].has_owner &&
				                                fb->devices[i].irqs[j] == st->irq);
		st->what = INV_HOST_IRQ;
		st->inv_arg = st->irq;
		break;
	case STIM_GPIO: {
		/* bits 0-2: which pin of the board (or, without a board, a pin none declares),
		 * bit 3: level, bit 4: release the pin instead */
		uint16_t key = fb->board.n_devices ? fb->pins[(arg & 7) % FUZZBOARD_PINS]
		                                   : (uint16_t)(arg & 7);
		st->port = (uint8_t)(key >> 8);
		st->pin = (uint8_t)key;
		st->level = arg & 8;
		st->release = arg & 16;
		st->what = st->release ? INV_HOST_GPIO_RELEASE : INV_HOST_GPIO_DRIVE;
		st->inv_arg = (uint32_t)key | (st->level ? 1u << 16 : 0);
		break;
	}
	case STIM_DMA_FAIL:
		st->count = 1 + arg % 2;
		st->what = INV_HOST_DMA_FAIL;
		st->inv_arg = st->count;
		break;
	case STIM_GPIO_FAIL:
		st->count = 1 + arg % 2;
		st->what = INV_HOST_GPIO_FAIL;
		st->inv_arg = st->count;
		break;
	case STIM_COUNT:
		break;
	}
}

/* Apply a planned stimulus to the kernel, as a device or the host would. */
bool exec_stim_apply(Kernel *k, const ExecStim *st, uint32_t *dma_failures)
{
	switch ((StimKind)st->kind) {
	case STIM_ENTROPY_FAIL:
		kernel_set_entropy_failure(k, st->count);
		break;
	case STIM_IDLE_TIME:
		if (st->idle)
			(void)kernel_idle(k, kernel_now_ns(k) + st->ns);
		else
			kernel_advance(k, st->ns);
		break;
	case STIM_IRQ:
		return kernel_inject_irq(k, st->irq) == st->declared;
	case STIM_GPIO:
		if (st->release)
			kernel_gpio_release(k, st->port, st->pin);
		else
			kernel_gpio_drive(k, st->port, st->pin, st->level);
		break;
	case STIM_DMA_FAIL:
		*dma_failures = st->count;
		break;
	case STIM_GPIO_FAIL:
		kernel_set_gpio_failure(k, st->count);
		break;
	case STIM_COUNT:
		break;
	}
	return true;
}

static void run_stim(Exec *e, const ProgOp *op, bool idle)
{
	uint32_t arg = op->param2;
	hash_u32(e, 0x57);
	hash_u32(e, op->param);
	hash_u32(e, arg);
	if (e->o->trace)
		trace(e, "stimulus %s(%" PRIu32 ")%s", systable_stim(op->param)->name, arg,
		      idle ? " while idle" : "");
	ExecStim st;
	exec_stim_plan(&e->fb, op->param, arg, idle, &st);
	begin_host(e, st.what, st.inv_arg);
	if (!exec_stim_apply(e->k, &st, &e->dma_failures))
		exec_fail(e, "kernel_inject_irq(%" PRIu32 ") %s a line %s", st.irq,
		          st.declared ? "refused" : "accepted",
		          st.declared ? "a listed device declares" : "no listed device declares");
	end_step(e);
}

/* The current task was resumed with |res|: the library's side of the result. Returns false
 * when the task hangs instead of going on. */
static bool on_resume(Exec *e, uint32_t task, const KernelResume *res)
{
	ExecTask *t = &e->t[task];
	if (e->o->on_resume)
		e->o->on_resume(e->o->stream_data, kernel_now_ns(e->k), task, res->fresh, res->r0,
		                res->r1, kernel_exchange(e->k, task), kernel_exchange_len(e->k));
	hash_u32(e, 0x7e);
	hash_u32(e, task);
	hash_u32(e, res->fresh);
	hash_u32(e, res->r0);
	if (e->o->trace)
		trace(e, "%s: %s r0=%" PRIu32 " (%s)", task_names[task],
		      res->fresh ? "starts" : "resumes", res->r0,
		      res->fresh ? "entry" : systable_status_name(res->r0));
	if (res->fresh) {
		*t = (ExecTask){0}; /* a fresh memory image */
		return true;
	}
	if (t->last_nr < SYS_COUNT && res->r0 < 16 &&
	    systable_supported(t->last_nr, e->p->cfg.autotest))
		e->r->paths[t->last_nr] |= (uint16_t)(1u << res->r0);
	bool bound = t->bind;
	if (t->bind && res->r0 == STATUS_OK) {
		const uint8_t *x = kernel_exchange(e->k, task);
		uint32_t v = 0;
		if (t->bind_out == OUT_EVENT)
			memcpy(&v, x + 4, 4); /* the event's source handle */
		else if (t->bind_out == OUT_GPIO_LEVEL)
			v = x[0];
		else
			memcpy(&v, x, 4);
		t->vars[t->bind_dst % PROG_VARS] = v;
	}
	t->bind = false;
	if (!t->lib)
		return true;
	t->lib = false;
	if (res->r0 > STATUS_DEADLK) {
		/* 2.1: the upstream library panics in an infinite loop */
		host_hang(e, "spinning in the UAPI library after a result above 10");
		return false;
	}
	if (t->lib_wait && res->r0 == STATUS_INTR && !t->wait_retried) {
		t->retry = true;
		t->wait_retried = true;
		t->bind = bound; /* the retried wait binds its event (2.4) */
	} else {
		t->wait_retried = false;
	}
	t->lib_wait = false;
	return true;
}

/* The current task runs its next op. */
static void run_op(Exec *e, uint32_t task)
{
	ExecTask *t = &e->t[task];
	const Script *s = &e->scripts[task];
	if (t->retry) {
		t->retry = false;
		lib_call(e, task, SYSCALL_WAIT_FOR_EVENT, t->wait_args);
		return;
	}
	if (t->pc >= s->n) {
		const uint32_t forever[3] = {EVENT_TYPE_ALL, WFE_WAIT_FOREVER, 0};
		const uint32_t zero[3] = {0, 0, 0};
		switch (e->p->cfg.tasks[task].end) {
		case PROG_END_EXIT:
			lib_call(e, task, SYSCALL_EXIT, zero); /* the entry returned */
			return;
		case PROG_END_WAIT:
			lib_call(e, task, SYSCALL_WAIT_FOR_EVENT, forever);
			return;
		case PROG_END_LOOP:
			if (s->n) {
				t->pc = 0;
				break;
			}
			host_hang(e, "the task loops without system calls");
			return;
		default:
			host_hang(e, "the task spins without system calls");
			return;
		}
	}
	const ProgOp *op = &e->p->ops[s->op[t->pc++]];
	switch ((ProgOpKind)op->kind) {
	case OP_SYSCALL: {
		const SysRow *d = systable_get(op->nr);
		uint32_t a[3];
		for (uint32_t i = 0; i < 3; i++)
			a[i] = resolve(e, task, op->args[i]);
		if (op->nr == SYSCALL_LOG && a[0] > LIBRARY_LOG_MAX) {
			/* 2.2: INVALID without a trap; the task goes on */
			hash_u32(e, 0x109);
			if (e->o->trace)
				trace(e, "%s: log(%" PRIu32 ") refused by the library",
				      task_names[task], a[0]);
			return;
		}
		if (d->in == IN_LOG)
			fill_exchange(e, task, &op->fill, a[0]);
		else if (d->in == IN_IPC)
			fill_exchange(e, task, &op->fill, a[1]);
		t->bind = d->out != OUT_NONE;
		t->bind_out = d->out;
		t->bind_dst = op->dst;
		kernel_syscall_lib_args(op->nr, a); /* as the library converts them (2.5) */
		lib_call(e, task, op->nr, a);
		return;
	}
	case OP_RAW: {
		uint32_t a[3] = {op->args[0].lit, op->args[1].lit, op->args[2].lit};
		t->lib = false;
		trap(e, task, op->nr, a);
		return;
	}
	case OP_COMPUTE:
		if (e->o->trace)
			trace(e, "%s: computes %" PRIu32 " ns", task_names[task], op->param);
		hash_u32(e, 0xC0);
		hash_u32(e, op->param);
		begin_host(e, INV_HOST_ADVANCE, 0);
		kernel_advance(e->k, op->param);
		end_step(e);
		return;
	case OP_STIM:
		run_stim(e, op, false);
		return;
	case OP_FAULT:
		if (e->o->trace)
			trace(e, "%s: faults", task_names[task]);
		hash_u32(e, 0xFA);
		begin_host(e, INV_HOST_FAULT, 0);
		kernel_fault(e->k, "fuzz: the task crashed");
		end_step(e);
		return;
	case OP_HANG:
		host_hang(e, "fuzz: the task spins without system calls");
		return;
	case OP_TOUCH: {
		bool write = op->param2 & 1;
		bool ok = exec_touch_allowed(e->k, task, op->param, write);
		if (e->o->trace)
			trace(e, "%s: %s at 0x%" PRIx64 ": %s", task_names[task],
			      write ? "writes" : "reads", prog_touch_address(op->param, op->param2),
			      ok ? "mapped" : "not mapped so: faults");
		hash_u32(e, 0x70C);
		hash_u32(e, ok);
		if (ok) {
			begin_host(e, INV_HOST_NOP, 0);
		} else {
			begin_host(e, INV_HOST_FAULT, 0);
			kernel_fault(e->k, "fuzz: the task touched memory it has not mapped");
		}
		end_step(e);
		return;
	}
	}
}

bool exec_touch_allowed(const Kernel *k, uint32_t task, uint32_t param, bool write)
{
	bool shm = param >> 8;
	uint32_t idx = param & 0xFF;
	for (uint32_t slot = 0; slot < 4; slot++) {
		bool w_shm, writable;
		uint32_t w_idx;
		if (!kernel_view_window(k, task, slot, &w_shm, &w_idx, &writable) || w_shm != shm ||
		    w_idx != idx)
			continue;
		/* a windowless device is mapped but shows nothing (4.7) */
		return prog_touch_address(param, 0) != 0 && (!write || writable);
	}
	return false;
}

static void hash_final(Exec *e)
{
	for (uint32_t i = 0; i < e->tl; i++) {
		hash_u32(e, kernel_task_state(e->k, i));
		hash_u32(e, kernel_task_handle(e->k, i));
		hash_u32(e, kernel_task_generation(e->k, i));
		hash_bytes(e, kernel_exchange(e->k, i), kernel_exchange_len(e->k));
	}
	uint64_t now = kernel_now_ns(e->k);
	hash_bytes(e, &now, sizeof(now));
}

/* The kernel configuration of a program: platform, tasks and the fuzz board. */
void exec_kernel_config(const Prog *p, const char *const names[PROG_MAX_TASKS], KernelConfig *kc,
                        KernelTaskConfig tasks[PROG_MAX_TASKS], FuzzBoard *fb)
{
	const ProgConfig *c = &p->cfg;
	for (uint32_t i = 0; i < c->n_tasks; i++) {
		const ProgTask *t = &c->tasks[i];
		tasks[i] = (KernelTaskConfig){.name = names[i],
		                              .label = t->label,
		                              .priority = t->priority,
		                              .quantum = t->quantum,
		                              .domain = t->domain,
		                              .capabilities = t->caps,
		                              .auto_start = t->auto_start,
		                              .exit_mode = t->exit_mode};
	}
	fuzzboard_build(c, fb);
	kernel_config_init(kc);
	kc->build = c->autotest ? KERNEL_BUILD_AUTOTEST : KERNEL_BUILD_NORMAL;
	kc->core_freq_hz = c->core_freq_hz;
	kc->exchange_len = c->exchange_len;
	kc->max_tasks = c->max_tasks;
	kc->release = c->release;
	kc->gpdma = c->gpdma;
	kc->nanos_target_quirk = c->nanos_quirk;
	kc->dma_intended_path = c->dma_intended;
	kc->syscall_cost_ns = c->syscall_cost_ns;
	kc->seed = c->seed;
	kc->n_tasks = c->n_tasks;
	kc->tasks = tasks;
	kc->board = &fb->board;
}

/* The DMA driver's enable (4.23 start): fails while injected failures remain. */
static bool hook_dma_transfer(void *data, const BoardDma *stream, const Board *board)
{
	Exec *e = data;
	if (!e->dma_failures)
		return true;
	e->dma_failures--;
	return false;
}

static bool setup(Exec *e)
{
	const ProgConfig *c = &e->p->cfg;
	KernelTaskConfig tasks[PROG_MAX_TASKS];
	KernelConfig kc;
	exec_kernel_config(e->p, task_names, &kc, tasks, &e->fb);
	KernelHooks hooks = {
	    .log = hook_log, .report = hook_report, .dma_transfer = hook_dma_transfer};
	const char *err = NULL;
	e->k = kernel_new(&kc, &hooks, e, &err);
	if (!e->k) {
		snprintf(e->r->error, sizeof(e->r->error), "kernel_new refused the program: %s",
		         err ? err : "?");
		return false;
	}
	e->tl = kernel_task_count(e->k) + 1;
	e->idle = kernel_idle_id(e->k);
	for (uint32_t i = 0; i < e->p->n_ops; i++) {
		const ProgOp *op = &e->p->ops[i];
		Script *s = op->script == PROG_SCRIPT_IDLE ? &e->idle_script
		            : op->script < c->n_tasks      ? &e->scripts[op->script]
		                                           : NULL;
		if (s)
			s->op[s->n++] = (uint16_t)i;
	}
	return true;
}

/* Run a program to its end (done, stuck, panic, budget or an invariant failure). */
bool exec_run(const Prog *p, const ExecOptions *o, ExecResult *r)
{
	static Exec exec; /* large; one run at a time (the fuzz targets are single-threaded) */
	Exec *e = &exec;
	memset(e, 0, sizeof(*e));
	memset(r, 0, sizeof(*r));
	e->p = p;
	e->o = o;
	e->r = r;
	e->hash = 0xcbf29ce484222325ull;
	e->running = KERNEL_NO_TASK;
	if (!setup(e)) {
		r->end = EXEC_END_SETUP;
		return false;
	}
	if (o->check) {
		e->inv = inv_new(&p->cfg);
		if (!e->inv) {
			snprintf(r->error, sizeof(r->error), "out of memory");
			kernel_free(e->k);
			r->end = EXEC_END_SETUP;
			return false;
		}
	}
	kernel_boot(e->k);
	exec_handles_note(&e->handles, e->k, true);
	if (e->inv)
		checked(e, inv_boot(e->inv, e->k));

	ExecEnd end = EXEC_END_STEPS;
	for (e->step = 0; e->step < o->max_steps && !e->bad; e->step++) {
		if (kernel_panicked(e->k)) {
			end = EXEC_END_PANIC;
			break;
		}
		if (kernel_now_ns(e->k) >= o->max_time_ns) {
			end = EXEC_END_TIME;
			break;
		}
		uint32_t cur = kernel_current(e->k);
		if (cur == e->idle || kernel_task_hung(e->k, cur)) {
			e->running = KERNEL_NO_TASK;
			if (e->idle_pc < e->idle_script.n) {
				run_stim(e, &e->p->ops[e->idle_script.op[e->idle_pc++]], true);
				continue;
			}
			begin_host(e, INV_HOST_IDLE, 0);
			KernelIdleResult ir = kernel_idle(e->k, o->max_time_ns);
			if (end_step(e) && e->inv)
				checked(e, inv_idle_result(e->inv, e->k, ir));
			hash_u32(e, 0x1D);
			hash_u32(e, ir);
			if (ir == KERNEL_IDLE_DONE || ir == KERNEL_IDLE_STUCK ||
			    ir == KERNEL_IDLE_PANIC) {
				end = ir == KERNEL_IDLE_DONE    ? EXEC_END_DONE
				      : ir == KERNEL_IDLE_STUCK ? EXEC_END_STUCK
				                                : EXEC_END_PANIC;
				if (o->trace)
					trace(e, "idle: %s", exec_end_name(end));
				break;
			}
			continue;
		}
		if (e->running != cur) {
			KernelResume res;
			if (e->inv)
				inv_begin_resume(e->inv, e->k);
			bool resumed = kernel_resume(e->k, &res);
			if (e->inv)
				checked(e, inv_end_resume(e->inv, e->k, resumed, &res));
			if (!resumed) {
				end = EXEC_END_PANIC;
				if (o->trace)
					trace(e, "%s: resume refused", task_names[cur]);
				break;
			}
			e->running = cur;
			if (!on_resume(e, cur, &res))
				continue;
			if (e->bad)
				break;
		}
		run_op(e, cur);
		if (kernel_current(e->k) != cur)
			e->running = KERNEL_NO_TASK;
	}
	if (e->bad)
		end = EXEC_END_INVARIANT;
	else if (kernel_panicked(e->k))
		end = EXEC_END_PANIC;
	r->end = end;
	r->steps = e->step;
	r->time_ns = kernel_now_ns(e->k);
	r->panic_cause = kernel_panicked(e->k) ? kernel_view_panic_cause(e->k) : (PanicCause)0;
	hash_final(e);
	r->hash = e->hash;
	inv_free(e->inv);
	kernel_free(e->k);
	return !e->bad;
}

INV_NO_COVERAGE_END
