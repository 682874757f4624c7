/*
 * run.c: the daemon's control flow, in one loop (see run.h; docs/architecture.md).
 *
 *   new:  entry symbols, board memory, the kernel model, one process slot per task
 *   boot: spawn every task process, wait until each is confined and ready, boot the model
 *   step: observers' check(); who = kernel_current()
 *         idle (or a hung task)  -> kernel_idle(): virtual time jumps to the next timer (or
 *                                   an observer's deadline)
 *         a task                 -> (re)spawn if its job is new, resume it with its
 *                                   result, wait for its next request, hand it to the model
 *   end:  every task ended, deadlock, panic, time limit, an observer's stop, or ^C; then
 *         observers' end() and summary()
 *
 * The model decides everything Sentry-visible; this file only moves bytes between task
 * processes and the model, turns process deaths into faults, backs the board's memory and
 * DMA transfers, and tells the observers (sim/observer.h) what happens.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "sim/errors.h"
#include "sim/host/debug.h"
#include "sim/host/elf.h"
#include "sim/host/memory.h"
#include "sim/host/mmio.h"
#include "sim/host/proc.h"
#include "sim/host/run.h"
#include "sim/kernel/kernel.h"
#include "uapi/src/span.h"
#include "uapi/src/wire.h"

#define DEFAULT_WATCHDOG_MS 10000
#define BOOT_TIMEOUT_MS     10000

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1; /* the loop notices; nothing else happens here */
}

static void on_sigchld(int sig)
{
	taskproc_child_ended(); /* and the signal interrupts a futex sleep already begun */
}

/* Pointers into struct run's |obs| (which does not grow after boot). */
typedef struct {
	RunObserver **at;
	guint n;
} Hooked;

struct run {
	RunConfig cfg; /* observers: see |obs| */
	GArray *obs;   /* of RunObserver, in registration order */
	Kernel *k;
	guint n;
	TaskProcGroup *group;
	TaskProc **procs;
	uint32_t *proc_gen;   /* job generation each process runs */
	uint32_t *bad_result; /* per task: [nr, raw] of the last BAD_RESULT report */
	BoardMemory *mem;     /* NULL without a board */
	TaskWindows **windows;
	GArray **pending_ops; /* per task: WindowOp to send with its next reply */
	GByteArray **dma_fed; /* per DMA stream: bytes fed for device-to-memory transfers */
	guint n_dmas;
	TaskProc *to_park;       /* blocked after its last call: parked by the next reply */
	gboolean whole_exchange; /* an observer reads the whole exchange area */
	uint32_t *xback;         /* per task: exchange bytes its next reply carries back (span.h) */
	MmioDecoder *mmio;       /* made at the first trapped register access */
	uint64_t wall0;          /* monotonic time at boot, for --realtime */
	RunEnd end;
	const char *end_text;
	gboolean any_fault;
	gboolean any_stuck;
	gboolean spawned;  /* run_spawn() was called */
	gboolean *adopted; /* per task: its process was kept from an earlier run (RunKeep) */
	int gdb_id;        /* --gdb: the task held before its entry; -1: none */
	gboolean gdb_held; /* it was (only its first start is held) */
	/* The observers with each per-call callback, in registration order, gathered at boot
	 * (gather_hooks): the hot path walks only those. */
	Hooked on_check, on_resume, on_before, on_intercept, on_after;
};

/* Where the run leaves its processes for the next run (run.h, RunKeep), or NULL: only with
 * restart in place. */
static RunKeep *run_keeps(const Run *r)
{
	return r->cfg.restart_in_place ? r->cfg.keep : NULL;
}

/* Observers, in registration order: each helper walks them for one callback. */
#define FOR_EACH_OBSERVER(r, o)                                                                    \
	for (RunObserver *o = (RunObserver *)(r)->obs->data;                                       \
	     o < (RunObserver *)(r)->obs->data + (r)->obs->len; o++)

/* The same for a per-call callback: only the observers that have it (|list|: a Hooked). */
#define FOR_EACH_HOOKED(list, o)                                                                   \
	for (RunObserver *const *o##_at = (list).at, *o;                                           \
	     o##_at < (list).at + (list).n && (o = *o##_at); o##_at++)

/* The observers whose callback at |offset| in RunObserver is set. */
static Hooked gather_hooked(Run *r, size_t offset)
{
	Hooked h = {.at = g_new0(RunObserver *, r->obs->len + 1)};
	FOR_EACH_OBSERVER(r, o)
	if (*(void **)((char *)o + offset))
		h.at[h.n++] = o;
	return h;
}

/* Once every observer is registered (run_boot): the lists of the per-call callbacks. */
static void gather_hooks(Run *r)
{
	r->on_check = gather_hooked(r, offsetof(RunObserver, check));
	r->on_resume = gather_hooked(r, offsetof(RunObserver, resume));
	r->on_before = gather_hooked(r, offsetof(RunObserver, before_syscall));
	r->on_intercept = gather_hooked(r, offsetof(RunObserver, intercept));
	r->on_after = gather_hooked(r, offsetof(RunObserver, after_syscall));
}

static void hook_log(void *data, uint32_t task, const uint8_t *bytes, size_t len)
{
	Run *r = data;
	FOR_EACH_OBSERVER(r, o)
	if (o->log)
		o->log(o->data, r->k, task, bytes, len);
}

static void tell_report(Run *r, const KernelReport *rep)
{
	FOR_EACH_OBSERVER(r, o)
	if (o->report)
		o->report(o->data, r->k, rep);
}

static void hook_report(void *data, const KernelReport *rep)
{
	Run *r = data;
	if (rep->kind == KREPORT_FAULT)
		r->any_fault = TRUE;
	if (rep->kind == KREPORT_STUCK)
		r->any_stuck = TRUE;
	tell_report(r, rep);
}

static void note(Run *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void note(Run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	FOR_EACH_OBSERVER(r, o)
	if (o->note)
		o->note(o->data, r->k, text);
}

static void hook_window(void *data, uint32_t task, uint64_t base, uint64_t size, bool writable,
                        bool mapped)
{
	Run *r = data;
	if (!r->mem || task >= r->n)
		return;
	board_memory_change(r->mem, r->windows[task], base, size, writable, mapped,
	                    r->pending_ops[task]);
}

/* Whether an observer's device model paces DMA stream |d| (it moves the bytes itself). */
static bool hook_dma_paced(void *data, const BoardDma *d, const Board *b)
{
	Run *r = data;
	FOR_EACH_OBSERVER(r, o)
	if (o->dma_paced && o->dma_paced(o->data, (uint32_t)(d - b->dmas)))
		return true;
	return false;
}

/* DMA start (the completion is queued before the syscall returns): memory to memory copies
 * between the SHM windows; device to memory takes the bytes a scenario fed to the stream
 * (`dma` stimulus); memory to device shows the bytes sent on the diagnostic stream. A stream
 * a device model paces moves nothing here: the model's requests move its bytes. */
static bool hook_dma(void *data, const BoardDma *d, const Board *b)
{
	Run *r = data;
	FOR_EACH_OBSERVER(r, o)
	if (o->dma_allow && !o->dma_allow(o->data))
		return false;
	if (!r->mem || hook_dma_paced(data, d, b))
		return true;
	uint32_t len = d->length;
	uint32_t index = (uint32_t)(d - b->dmas);
	const BoardShm *src = d->source.kind == BOARD_END_SHM ? &b->shms[d->source.index] : NULL;
	const BoardShm *dst = d->dest.kind == BOARD_END_SHM ? &b->shms[d->dest.index] : NULL;
	uint8_t *from = src ? board_memory_at(r->mem, src->base, len) : NULL;
	uint8_t *to = dst ? board_memory_at(r->mem, dst->base, len) : NULL;
	if ((src && !from) || (dst && !to))
		return false; /* the driver refuses a transfer longer than its buffers */
	if (from && to) {
		memmove(to, from, len);
	} else if (to) {
		GByteArray *fed = r->dma_fed[index];
		guint n = MIN(fed->len, len);
		memcpy(to, fed->data, n);
		g_byte_array_remove_range(fed, 0, n);
		if (n < len)
			note(r,
			     "dma '%s': %u of %" PRIu32 " bytes fed by the scenario were "
			     "available; the rest of '%s' is unchanged",
			     d->name, n, len, dst->name);
	} else if (from) {
		g_autofree char *hex = g_malloc0((gsize)len * 2 + 1);
		for (uint32_t i = 0; i < len; i++)
			snprintf(hex + 2 * i, 3, "%02x", from[i]);
		note(r, "dma '%s': %" PRIu32 " bytes to the device: %s", d->name, len, hex);
	}
	return true;
}

uint8_t *run_memory(Run *r, uint64_t addr, uint64_t len)
{
	return r->mem ? board_memory_at(r->mem, addr, len) : NULL;
}

void run_feed_dma(Run *r, uint32_t stream, const uint8_t *bytes, size_t len)
{
	if (r->dma_fed && stream < r->n_dmas)
		g_byte_array_append(r->dma_fed[stream], bytes, (guint)len);
}

void run_kill_task(Run *r, uint32_t id)
{
	if (id < r->n)
		taskproc_kill(r->procs[id]);
}

Kernel *run_kernel(Run *r)
{
	return r->k;
}

void run_observe(Run *r, const RunObserver *obs)
{
	g_return_if_fail(
	    !r->on_check.at); /* before run_boot: the hot path's lists are made there */
	g_array_append_val(r->obs, *obs);
}

/* Once per process: a SIGINT or SIGTERM between two runs of one process (`sentry-sim
 * fuzz` runs one per program) then stops the next one, instead of being forgotten. */
static void install_signals(void)
{
	static gboolean installed;
	if (installed)
		return;
	installed = TRUE;
	interrupted = 0;
	taskproc_stop_flag(&interrupted);
	struct sigaction sa = {.sa_handler = on_sigint};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct sigaction sc = {.sa_handler = on_sigchld, .sa_flags = SA_NOCLDSTOP};
	sigemptyset(&sc.sa_mask);
	sigaction(SIGCHLD, &sc, NULL);
}

/* Wait until the freshly spawned process of task |id| is confined and ready (its BOOT
 * request); otherwise kill it and say why. */
static gboolean await_boot(Run *r, guint id, GError **error)
{
	TaskProc *p = r->procs[id];
	TaskRequest req;
	TaskProcWait w = taskproc_wait(p, TRUE, &req);
	if (w == TASKPROC_REQUEST && req.kind == SENTRY_REQ_BOOT)
		return TRUE;
	if (w == TASKPROC_STOPPED) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK, "interrupted while it booted");
		taskproc_kill(p);
		return FALSE;
	}
	const char *why = w == TASKPROC_REQUEST && req.kind == SENTRY_REQ_BOOT_FAILED
	                      ? taskproc_boot_message(p)
	                  : w == TASKPROC_REQUEST ? "it made a request before booting"
	                                          : taskproc_diagnosis(p);
	/* the loader's own message is in |why| (the task's stderr): name it as the cause */
	const char *hint =
	    w != TASKPROC_DIED ? ""
	    : strstr(why, "error while loading shared libraries")
	        ? " (the dynamic loader could not load the program; "
	          "$(pkg-config --cflags --libs sentry-uapi) links the task runtime "
	          "statically, so the binary needs no library path)"
	    : strstr(why, "without calling __sys_exit")
	        ? " (it ended before the task runtime booted: is libsentry-uapi linked "
	          "in? build it with $(pkg-config --cflags --libs sentry-uapi))"
	        : "";
	g_set_error(error, HOST_ERROR, HOST_ERROR_TASK, "the process did not start: %s%s", why,
	            hint);
	taskproc_kill(p);
	return FALSE;
}

/* Start (or restart) the process of task |id| and wait until it is ready. */
static gboolean boot_proc(Run *r, guint id, GError **error)
{
	if (taskproc_restart_in_place(r->procs[id]))
		return await_boot(r, id, error);
	return taskproc_spawn(r->procs[id], error) && await_boot(r, id, error);
}

/* The text of a library report (wire.h enum sentry_report) for the kernel's report. */
static void format_library_report(Run *r, uint32_t task, const TaskRequest *req, char *buf,
                                  size_t len)
{
	uint32_t a = req->args[0], b = req->args[1];
	switch (req->nr) {
	case SENTRY_REPORT_ALARM_NOFLAG:
		snprintf(buf, len,
		         "__sys_alarm called with one argument (the published header's "
		         "form): on the target the flag is undefined; treated as "
		         "O_ALRM_START (uapi.md 1.8)");
		break;
	case SENTRY_REPORT_SLEEP_BAD_TAG:
		snprintf(buf, len,
		         "__sys_sleep with duration tag %" PRIu32 " (not 0..6): undefined "
		         "upstream; returned INVALID without a trap (uapi.md 2.3)",
		         a);
		break;
	case SENTRY_REPORT_COPY_NULL:
		snprintf(buf, len,
		         "%s with a NULL pointer and length %" PRIu32 ": returned INVALID "
		         "(uapi.md 2.7)",
		         a ? "copy_from_kernel" : "copy_to_kernel", b);
		break;
	case SENTRY_REPORT_COPY_TRUNCATED:
		snprintf(buf, len,
		         "%s of %" PRIu32 " bytes truncated to the exchange area "
		         "(uapi.md 2.7)",
		         a ? "copy_from_kernel" : "copy_to_kernel", b);
		break;
	case SENTRY_REPORT_BAD_RESULT:
		r->bad_result[task * 2] = a;
		r->bad_result[task * 2 + 1] = b;
		snprintf(buf, len,
		         "system call %" PRIu32 " (%s) returned raw value %" PRIu32 " (0x%" PRIx32
		         "), above the last Status: the library panics and the "
		         "call never returns (uapi.md 2.1)",
		         a, kernel_syscall_name(a), b, b);
		break;
	default:
		snprintf(buf, len, "unknown library report %" PRIu32, req->nr);
		break;
	}
}

/* The report of the sanitizer that ended |p|, if one did, line by line, attributed to its
 * task. */
static void tell_tool_report(Run *r, TaskProc *p, uint64_t now)
{
	char *const *lines = taskproc_tool_report(p);
	for (guint id = 0; lines && id < r->n; id++) {
		if (r->procs[id] != p)
			continue;
		for (guint i = 0; lines[i]; i++) {
			g_autofree char *text = g_strdup_printf("  %s", lines[i]);
			KernelReport rep = {
			    .kind = KREPORT_INFO, .task = id, .time_ns = now, .text = text};
			tell_report(r, &rep);
		}
	}
}

/* The model faults the current task for |why|, and its process goes. The report of the
 * sanitizer that ended it, if one did, follows line by line, attributed to the task (and
 * escaped by the observers, as every report: they are the task's words). */
static void fault_task(Run *r, TaskProc *p, const char *why)
{
	uint64_t now = kernel_now_ns(r->k);
	kernel_fault(r->k, why);
	taskproc_kill(p);
	tell_tool_report(r, p, now);
}

/* Task |id| is elected: give it a fresh process if its job was respawned (uapi.md 7.6).
 * FALSE when the task cannot run (the model has been told why). */
static gboolean ensure_process(Run *r, uint32_t id)
{
	TaskProc *p = r->procs[id];
	uint32_t gen = kernel_task_generation(r->k, id);
	if (r->proc_gen[id] != gen) {
		g_autoptr(GError) err = NULL;
		r->proc_gen[id] = gen;
		if (r->mem) {
			board_memory_task_reset(r->windows[id]);
			g_array_set_size(r->pending_ops[id], 0);
		}
		if (!boot_proc(r, id, &err)) {
			if (!interrupted) /* stopped while it booted: no fault of the task's */
				kernel_fault(r->k, err->message);
			return FALSE;
		}
	}
	if (!taskproc_alive(p)) {
		uint64_t now = kernel_now_ns(r->k);
		kernel_fault(r->k, taskproc_diagnosis(p));
		tell_tool_report(r, p, now); /* a sanitizer that stopped it before its boot */
		return FALSE;
	}
	return TRUE;
}

/* Resume task |id| in the model and answer its process (with the window operations its
 * calls caused). FALSE when it does not run on (a panic, or too many operations). */
static gboolean resume_task(Run *r, uint32_t id)
{
	Kernel *k = r->k;
	TaskProc *p = r->procs[id];
	KernelResume res;
	if (!kernel_resume(k, &res))
		return FALSE; /* a panic: the model reported it */
	if (r->mem && r->pending_ops[id]->len) {
		GArray *ops = r->pending_ops[id];
		gboolean staged = taskproc_stage_windows(p, ops->data, ops->len);
		g_array_set_size(ops, 0);
		if (!staged) {
			fault_task(r, p, "more window operations than one reply carries");
			return FALSE;
		}
	}
	FOR_EACH_HOOKED(r->on_resume, o)
	o->resume(o->data, k, id, &res);
	/* the task that blocked before this one will not be answered soon: the reply parks
	 * it, and hands it the wake-up of this one if this one sleeps */
	taskproc_set_time(p, kernel_now_ns(k));
	if (res.fresh && (int)id == r->gdb_id && !r->gdb_held) {
		r->gdb_held = TRUE; /* its START waits: the model waits with it */
		debug_wait_for_debugger(taskproc_pid(p), kernel_task_name(k, id), stderr,
		                        &interrupted);
	}
	taskproc_reply(p, res.fresh ? SENTRY_RESP_START : SENTRY_RESP_RESULT, res.r0, res.r1,
	               kernel_exchange(k, id), res.fresh ? 0 : r->xback[id], r->to_park);
	r->to_park = NULL;
	if (!r->whole_exchange)
		r->xback[id] = 0;
	return TRUE;
}

/* A system call of task |id| (whose job generation was |gen|) reaches the model, unless an
 * observer answers it first. */
static void serve_syscall(Run *r, uint32_t id, uint32_t gen, const TaskRequest *req)
{
	Kernel *k = r->k;
	TaskProc *p = r->procs[id];
	/* only the bytes the call reads or may write move (span.h), unless an observer
	 * reads them all */
	uint32_t xlen = kernel_exchange_len(k);
	gboolean whole = r->whole_exchange;
	taskproc_copy_exchange(
	    p, kernel_exchange(k, id),
	    whole ? xlen : sentry_exchange_span(req->nr, req->args[0], req->args[1], xlen));
	r->xback[id] = whole ? xlen : sentry_exchange_out(req->nr, xlen);
	FOR_EACH_HOOKED(r->on_before, o)
	o->before_syscall(o->data, k, id, req->nr, req->args);
	gboolean answered = FALSE;
	uint32_t injected;
	FOR_EACH_HOOKED(r->on_intercept, o)
	if (!answered && o->intercept(o->data, k, id, req->nr, &injected))
		answered = TRUE;
	if (answered)
		kernel_answer_syscall(k, injected); /* error injection at the gate */
	else
		kernel_syscall(k, req->nr, req->args[0], req->args[1], req->args[2]);
	FOR_EACH_HOOKED(r->on_after, o)
	o->after_syscall(o->data, k, id, req->nr);
	/* a job that will never run again does not need its process; one respawned needs a
	 * new one, unless this one can be restarted in place when elected (ensure_process) */
	JobState s = kernel_task_state(k, id);
	if (s == JOB_FINISHED && run_keeps(r) && taskproc_can_restart_in_place(p)) {
		r->to_park = p; /* it waits in its exit call, for a later run (RunKeep) */
		taskproc_sleeps_long(p);
	} else if (s == JOB_FINISHED || s == JOB_FAULT || (s == JOB_ABORTING && req->nr == 0) ||
	           (kernel_task_generation(k, id) != gen && !taskproc_can_restart_in_place(p)))
		taskproc_kill(p);
	else if (kernel_current(k) != id) {
		r->to_park = p;
		if (s == JOB_SLEEPING || s == JOB_SLEEPING_DEEP)
			taskproc_sleeps_long(p);
	}
}

/* A library report: the model hears it; a task that loops in the library without trapping
 * spins as surely as one looping in its own code, so the watchdog counts those too, from
 * the CPU time at the first report since the resume (|*between_cpu|). FALSE when the task
 * does not go on. */
static gboolean serve_report(Run *r, uint32_t id, const TaskRequest *req, uint64_t *between_cpu)
{
	TaskProc *p = r->procs[id];
	uint64_t watchdog_ns =
	    (uint64_t)(r->cfg.watchdog_ms ? r->cfg.watchdog_ms : DEFAULT_WATCHDOG_MS) * 1000000u;
	char text[320];
	format_library_report(r, id, req, text, sizeof(text));
	kernel_report_library(r->k, text);
	uint64_t cpu = taskproc_cpu_ns(p);
	if ((int)id == r->gdb_id) {
		/* under a debugger: no watchdog */
	} else if (!*between_cpu) {
		*between_cpu = cpu ? cpu : 1;
	} else if (cpu && cpu - *between_cpu > watchdog_ns) {
		char why[200];
		snprintf(why, sizeof(why),
		         "watchdog: ran %" PRIu64 " ms of host CPU time without a "
		         "system call, looping on library calls that do not trap",
		         watchdog_ns / 1000000u);
		fault_task(r, p, why);
		return FALSE;
	}
	if (interrupted)
		return FALSE;
	taskproc_reply(p, SENTRY_RESP_RESULT, 0, 0, NULL, 0, NULL);
	return TRUE;
}

/* A fuzz control request: the first observer that knows it answers. FALSE when the task
 * does not go on. */
static gboolean serve_control(Run *r, uint32_t id, const TaskRequest *req)
{
	Kernel *k = r->k;
	TaskProc *p = r->procs[id];
	gboolean known = FALSE;
	uint32_t answer = 0;
	FOR_EACH_OBSERVER(r, o)
	if (!known && o->control)
		known = o->control(o->data, k, id, req->nr, req->args[0], req->args[1], &answer);
	if (!known) {
		fault_task(r, p,
		           "protocol violation: a fuzz control request outside sentry-sim "
		           "fuzz");
		return FALSE;
	}
	if (interrupted || kernel_current(k) != id || kernel_task_hung(k, id) ||
	    (r->cfg.limit_ns && kernel_now_ns(k) >= r->cfg.limit_ns)) {
		/* another job was elected (time passed), the job was declared hung, or the run
		 * is over: the task waits for its next resume, as a preempted task does */
		r->to_park = p;
		return FALSE;
	}
	taskproc_reply(p, SENTRY_RESP_RESULT, answer, 0, NULL, 0, NULL);
	return TRUE;
}

/* The library's panic loop (uapi.md 2.1): the task never runs again. */
static void serve_hang(Run *r, uint32_t id)
{
	char why[200];
	uint32_t nr = r->bad_result[id * 2], raw = r->bad_result[id * 2 + 1];
	snprintf(why, sizeof(why),
	         "spinning for ever in the UAPI library after system call %" PRIu32
	         " (%s) returned %" PRIu32 " (uapi.md 2.1)",
	         nr, kernel_syscall_name(nr), raw);
	kernel_hang(r->k, why);
}

/* A trapped register access (sim/host/mmio.c). FALSE when the task does not go on: it
 * faulted, or the access's virtual time let another job run (it is answered at its next
 * resume, like a preempted call). */
static gboolean serve_mmio(Run *r, uint32_t id)
{
	TaskProc *p = r->procs[id];
	g_autofree char *why = NULL;
	g_autoptr(GError) err = NULL;
	if (!r->mmio && !(r->mmio = mmio_decoder_new(&err))) {
		fault_task(r, p, err->message);
		return FALSE;
	}
	MmioContext c = {.k = r->k,
	                 .task = id,
	                 .board = r->cfg.kernel.board,
	                 .mem = r->mem,
	                 .windows = r->mem ? r->windows[id] : NULL,
	                 .obs = (const RunObserver *)r->obs->data,
	                 .n_obs = r->obs->len,
	                 .decoder = r->mmio};
	if (!mmio_serve(&c, p, &why)) {
		fault_task(r, p, why);
		return FALSE;
	}
	if (interrupted || kernel_current(r->k) != id) {
		r->to_park = p;
		return FALSE;
	}
	taskproc_reply(p, SENTRY_RESP_RESULT, 0, 0, NULL, 0, NULL);
	return TRUE;
}

/* Run task |id| from its resume until it traps into the model (or dies). */
static void run_task(Run *r, uint32_t id)
{
	TaskProc *p = r->procs[id];
	if (!ensure_process(r, id))
		return;
	uint32_t gen = kernel_task_generation(r->k, id);
	if (!resume_task(r, id))
		return;
	uint64_t between_cpu = 0;
	for (;;) {
		TaskRequest req;
		if (taskproc_wait(p, FALSE, &req) != TASKPROC_REQUEST) {
			if (!interrupted)
				fault_task(r, p, taskproc_diagnosis(p));
			return;
		}
		switch (req.kind) {
		case SENTRY_REQ_SYSCALL:
			serve_syscall(r, id, gen, &req);
			return;
		case SENTRY_REQ_REPORT:
			if (!serve_report(r, id, &req, &between_cpu))
				return;
			continue;
		case SENTRY_REQ_WINDOW_FAILED:
			fault_task(r, p, taskproc_boot_message(p));
			return;
		case SENTRY_REQ_FUZZ:
			if (!serve_control(r, id, &req))
				return;
			continue;
		case SENTRY_REQ_HANG:
			serve_hang(r, id);
			return;
		case SENTRY_REQ_MMIO:
			if (!serve_mmio(r, id))
				return;
			continue;
		default:
			fault_task(r, p,
			           "protocol violation: unexpected request on the shared page");
			return;
		}
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define PACE_SLICE_NS (50 * 1000 * 1000)

/* --realtime: wait until the wall clock catches up with virtual time |vt|. */
static void pace(Run *r, uint64_t vt)
{
	if (r->cfg.realtime <= 0 || vt == UINT64_MAX)
		return;
	uint64_t due = r->wall0 + (uint64_t)((double)vt / r->cfg.realtime);
	uint64_t now = mono_ns();
	if (due <= now)
		return;
	/* in slices, so that a parked process that spins instead of sleeping meets the
	 * watchdog (it would starve the others on the MCU) */
	uint64_t watchdog_ns =
	    (uint64_t)(r->cfg.watchdog_ms ? r->cfg.watchdog_ms : DEFAULT_WATCHDOG_MS) * 1000000u;
	while (now < due && !interrupted) {
		uint64_t d = MIN(due - now, (uint64_t)PACE_SLICE_NS);
		struct timespec ts = {(time_t)(d / 1000000000u), (long)(d % 1000000000u)};
		nanosleep(&ts, NULL);
		for (guint i = 0; i < r->n; i++)
			if (r->procs[i] && i != kernel_current(r->k))
				taskproc_watch_parked(r->procs[i], watchdog_ns);
		now = mono_ns();
	}
}

/* The loop's own report when nothing can move: who waits for what. */
static void report_deadlock(Run *r)
{
	Kernel *k = r->k;
	g_autoptr(GString) s = g_string_new("deadlock: no task can run and nothing can wake one");
	for (guint i = 0; i < r->n; i++) {
		char why[256];
		kernel_task_blocker(k, i, why, sizeof(why));
		if (why[0])
			g_string_append_printf(s, "\n  '%s' (%s): %s", kernel_task_name(k, i),
			                       kernel_job_state_name(kernel_task_state(k, i)), why);
	}
	KernelReport rep = {.kind = KREPORT_DEADLOCK,
	                    .task = KERNEL_NO_TASK,
	                    .time_ns = kernel_now_ns(k),
	                    .text = s->str};
	tell_report(r, &rep);
}

/* The earliest of the observers' next_deadline() or next_stimulus(); UINT64_MAX: none. */
static uint64_t observers_next(Run *r, gboolean stimulus)
{
	uint64_t next = UINT64_MAX;
	FOR_EACH_OBSERVER(r, o)
	{
		uint64_t (*fn)(void *, Kernel *) = stimulus ? o->next_stimulus : o->next_deadline;
		if (fn)
			next = MIN(next, fn(o->data, r->k));
	}
	return next;
}

static gboolean stop(Run *r, RunEnd end, const char *text)
{
	r->end = end;
	r->end_text = text;
	return FALSE;
}

/* Only idle (or a hung task) runs: virtual time jumps, but never past an observer's next
 * deadline or the time limit. The jump is quick, so the task that blocked is parked by the
 * next reply, which hands it the wake-up of the next task (on the CPU it still holds);
 * paced to the wall clock, it is parked now. */
static gboolean idle_turn(Run *r)
{
	Kernel *k = r->k;
	if (r->to_park && r->cfg.realtime > 0) {
		taskproc_park(r->to_park);
		r->to_park = NULL;
	}
	FOR_EACH_OBSERVER(r, o)
	if (o->idle && o->idle(o->data, k))
		return TRUE;
	uint64_t now = kernel_now_ns(k), limit = r->cfg.limit_ns, bound = limit;
	uint64_t step = observers_next(r, FALSE);
	if (step != UINT64_MAX) {
		step = MAX(step, now + 1);
		bound = bound ? MIN(bound, step) : step;
	}
	pace(r, MIN(MIN(kernel_next_event_ns(k), step), limit ? limit : UINT64_MAX));
	KernelIdleResult ir = kernel_idle(k, bound);
	if (ir == KERNEL_IDLE_PANIC)
		return stop(r, RUN_END_PANIC, "kernel panic");
	if (ir != KERNEL_IDLE_DONE && ir != KERNEL_IDLE_STUCK)
		return TRUE;
	/* nothing in the system can move, but an observer's stimulus may */
	uint64_t next = observers_next(r, TRUE);
	if (next != UINT64_MAX && (!limit || next < limit)) {
		uint64_t to = MAX(observers_next(r, FALSE), now + 1);
		pace(r, to);
		kernel_advance(k, to - now);
		return TRUE;
	}
	if (ir == KERNEL_IDLE_DONE)
		return stop(r, RUN_END_DONE, "every task ended");
	report_deadlock(r);
	r->any_stuck = TRUE;
	return stop(r, RUN_END_DEADLOCK, "deadlock");
}

gboolean run_step(Run *r)
{
	if (r->end != RUN_END_NONE)
		return FALSE;
	if (interrupted)
		return stop(r, RUN_END_INTERRUPTED, "interrupted");
	FOR_EACH_HOOKED(r->on_check, o)
	{
		const char *why = "stopped";
		RunEnd e = o->check(o->data, r->k, &why);
		if (e != RUN_END_NONE)
			return stop(r, e, why);
	}
	uint32_t cur = kernel_current(r->k);
	if (cur == KERNEL_NO_TASK)
		return stop(r, RUN_END_PANIC, "kernel panic");
	if (r->cfg.limit_ns && kernel_now_ns(r->k) >= r->cfg.limit_ns)
		return stop(r, RUN_END_TIME_LIMIT, "time limit reached");
	if (cur != kernel_idle_id(r->k) && !kernel_task_hung(r->k, cur)) {
		run_task(r, cur);
		return TRUE;
	}
	return idle_turn(r);
}

/* Set up board memory: one window set per task, and a feed per DMA stream. */
static gboolean new_board_memory(Run *r, GError **error)
{
	const Board *board = r->cfg.kernel.board;
	if (!board)
		return TRUE;
	r->mem = board_memory_new(board, error);
	if (!r->mem)
		return FALSE;
	r->windows = g_new0(TaskWindows *, r->n);
	r->pending_ops = g_new0(GArray *, r->n);
	for (guint i = 0; i < r->n; i++) {
		r->windows[i] = board_memory_task_new(r->mem);
		r->pending_ops[i] = g_array_new(FALSE, FALSE, sizeof(WindowOp));
	}
	r->n_dmas = board->n_dmas;
	r->dma_fed = g_new0(GByteArray *, r->n_dmas + 1);
	for (guint i = 0; i < r->n_dmas; i++)
		r->dma_fed[i] = g_byte_array_new();
	return TRUE;
}

struct run_keep {
	TaskProcGroup *group; /* the first run's, for all of them */
	GPtrArray *procs;     /* of TaskProc, by task id (NULL: none kept) */
};

RunKeep *run_keep_new(void)
{
	RunKeep *keep = g_new0(RunKeep, 1);
	keep->procs = g_ptr_array_new();
	return keep;
}

void run_keep_free(RunKeep *keep)
{
	if (!keep)
		return;
	for (guint i = 0; i < keep->procs->len; i++) /* they die in parallel */
		taskproc_kill_begin(keep->procs->pdata[i]);
	for (guint i = 0; i < keep->procs->len; i++)
		taskproc_free(keep->procs->pdata[i]);
	g_ptr_array_free(keep->procs, TRUE);
	taskproc_group_free(keep->group);
	g_free(keep);
}

/* The process kept for task |id|, taken out of |keep|; NULL if none. */
static TaskProc *keep_take(RunKeep *keep, guint id)
{
	if (!keep || id >= keep->procs->len)
		return NULL;
	return g_steal_pointer(&keep->procs->pdata[id]);
}

/* Leave |p|, the process of task |id|, in |keep| if it can serve a later run. */
static gboolean keep_put(RunKeep *keep, guint id, TaskProc *p)
{
	if (!keep || !p || !taskproc_can_restart_in_place(p))
		return FALSE;
	if (id >= keep->procs->len)
		g_ptr_array_set_size(keep->procs, (gint)id + 1);
	if (keep->procs->pdata[id])
		return FALSE;
	taskproc_park(p); /* it sleeps in its gate until restarted */
	keep->procs->pdata[id] = p;
	return TRUE;
}

/* One process slot per task, its entry symbol resolved (not started yet). */
static gboolean new_procs(Run *r, GError **error)
{
	TaskProcOptions popts = {
	    .exchange_len = r->cfg.kernel.exchange_len,
	    .spin_iterations = r->cfg.spin, /* 0: learned (proc.c) */
	    .host_tsc = r->cfg.host_tsc,
	    .watchdog_ms = r->cfg.watchdog_ms ? r->cfg.watchdog_ms : DEFAULT_WATCHDOG_MS,
	    .boot_timeout_ms = BOOT_TIMEOUT_MS,
	    .symbolize = !r->cfg.no_backtrace,
	    .core_dir = r->cfg.core_dir,
	    .coverage_dir = r->cfg.coverage_dir,
	};
	RunKeep *keep = run_keeps(r);
	r->group = keep && keep->group ? keep->group : taskproc_group_new(TRUE, error);
	if (!r->group)
		return FALSE;
	if (keep)
		keep->group = r->group;
	r->adopted = g_new0(gboolean, r->n);
	r->procs = g_new0(TaskProc *, r->n);
	r->proc_gen = g_new0(uint32_t, r->n);
	r->bad_result = g_new0(uint32_t, r->n * 2);
	r->xback = g_new0(uint32_t, r->n);
	for (guint i = 0; i < r->n; i++) {
		const RunTask *t = &r->cfg.tasks[i];
		uint64_t entry = 0;
		if (t->entry && strcmp(t->entry, "main") != 0 &&
		    !elf_find_symbol(t->binary, t->entry, &entry, error)) {
			g_prefix_error(error, "%s%stask '%s': entry: ", t->where ? t->where : "",
			               t->where ? ": " : "", t->name);
			return FALSE;
		}
		popts.env = t->env;
		TaskProcOptions o = popts;
		if ((int)i == r->gdb_id)
			o.watchdog_ms = 0;
		o.fork_server = r->cfg.fork_server && !r->cfg.core_dir && (int)i != r->gdb_id;
		o.restart_in_place =
		    r->cfg.restart_in_place && !r->cfg.core_dir && (int)i != r->gdb_id &&
		    (keep || r->cfg.kernel.tasks[i].exit_mode == EXIT_MODE_RESTART);
		TaskProc *kept = keep_take(keep, i);
		if (kept && taskproc_adopt(kept, t->name, t->binary, entry, &o)) {
			r->procs[i] = kept;
			r->adopted[i] = TRUE;
			continue;
		}
		taskproc_free(kept); /* of no use to this run */
		r->procs[i] = taskproc_new(r->group, i, t->name, t->binary, entry, &o);
	}
	return TRUE;
}

Run *run_new(const RunConfig *cfg, GError **error)
{
	g_autoptr(Run) r = g_new0(Run, 1);
	r->cfg = *cfg;
	r->n = cfg->kernel.n_tasks;
	r->obs = g_array_new(FALSE, FALSE, sizeof(RunObserver));
	g_array_append_vals(r->obs, cfg->observers, cfg->n_observers);
	r->cfg.observers = NULL;
	r->cfg.n_observers = 0;
	r->gdb_id = -1;
	if (cfg->gdb_task) {
		for (guint i = 0; i < r->n && r->gdb_id < 0; i++)
			if (!strcmp(cfg->tasks[i].name, cfg->gdb_task))
				r->gdb_id = (int)i;
		if (r->gdb_id < 0 || cfg->realtime > 0) {
			g_set_error(error, HOST_ERROR, HOST_ERROR_CONFIG,
			            r->gdb_id < 0 ? "%s%s--gdb: no task named '%s'"
			                          : "%s%s--gdb '%s': a task held under a debugger "
			                            "needs virtual time (drop --realtime)",
			            cfg->origin ? cfg->origin : "", cfg->origin ? ": " : "",
			            cfg->gdb_task);
			return NULL;
		}
	}
	if (!new_procs(r, error) || !new_board_memory(r, error))
		return NULL;
	const char *kerr = NULL;
	KernelHooks hooks = {.log = hook_log,
	                     .report = hook_report,
	                     .window = hook_window,
	                     .dma_transfer = hook_dma,
	                     .dma_paced = hook_dma_paced};
	r->k = kernel_new(&r->cfg.kernel, &hooks, r, &kerr);
	if (!r->k) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_CONFIG, "%s%s%s",
		            cfg->origin ? cfg->origin : "", cfg->origin ? ": " : "", kerr);
		return NULL;
	}
	return g_steal_pointer(&r);
}

/* Spawn every process first so that they boot in parallel (run_boot collects them). A
 * process that fails before booting is its task's fault (when first elected); the run goes
 * on for the others. */
void run_spawn(Run *r)
{
	if (r->spawned)
		return;
	r->spawned = TRUE;
	install_signals();
	FOR_EACH_OBSERVER(r, o)
	r->whole_exchange |= o->whole_exchange;
	gather_hooks(r);
	for (guint i = 0; i < r->n; i++) {
		g_autoptr(GError) why = NULL;
		taskproc_whole_exchange(r->procs[i], r->whole_exchange);
		if (r->adopted[i] && taskproc_restart_in_place(r->procs[i]))
			continue;
		if (!taskproc_spawn(r->procs[i], &why))
			taskproc_fail(r->procs[i], why->message);
	}
	for (guint i = 0; i < r->n; i++) /* their exec, ld.so and C library start too */
		if (taskproc_alive(r->procs[i]))
			taskproc_release_exec(r->procs[i]);
}

void run_set_limit(Run *r, uint64_t limit_ns)
{
	r->cfg.limit_ns = limit_ns;
}

gboolean run_boot(Run *r, GError **error)
{
	(void)error;
	run_spawn(r);
	for (guint i = 0; i < r->n; i++) {
		g_autoptr(GError) why = NULL;
		if (!await_boot(r, i, &why))
			taskproc_fail(r->procs[i], why->message);
		r->proc_gen[i] = 1;
	}
	FOR_EACH_OBSERVER(r, o)
	if (o->setup)
		o->setup(o->data, r, r->k);
	kernel_boot(r->k);
	FOR_EACH_OBSERVER(r, o)
	if (o->boot)
		o->boot(o->data, r->k);
	r->wall0 = mono_ns();
	return TRUE;
}

RunStatus run_finish(Run *r)
{
	Kernel *k = r->k;
	if (r->end == RUN_END_NONE)
		stop(r, RUN_END_INTERRUPTED, "interrupted");
	for (guint i = 0; i < r->n; i++) /* coverage of the tasks still waiting (devtools.md) */
		taskproc_flush_tools(r->procs[i]);
	int verdict = -1;
	FOR_EACH_OBSERVER(r, o)
	{
		int v = o->end ? o->end(o->data, k, r->end, r->end_text) : -1;
		if (verdict < 0)
			verdict = v;
	}
	gboolean failed = r->any_fault || r->any_stuck;
	for (guint i = 0; i < r->n; i++) {
		JobState s = kernel_task_state(k, i);
		if (kernel_task_exit_code(k, i) != 0 || s == JOB_FAULT || kernel_task_hung(k, i))
			failed = TRUE;
	}
	RunResult res = {.end = r->end, .end_text = r->end_text, .verdict = verdict >= 0};
	res.status = interrupted          ? RUN_INTERRUPTED
	             : verdict >= 0       ? (RunStatus)verdict
	             : kernel_panicked(k) ? RUN_PANIC
	             : failed             ? RUN_TASK_FAILED
	                                  : RUN_OK;
	FOR_EACH_OBSERVER(r, o)
	if (o->summary)
		o->summary(o->data, k, &res);
	return res.status;
}

void run_free(Run *r)
{
	if (!r)
		return;
	RunKeep *keep = run_keeps(r);
	for (guint i = 0; r->procs && i < r->n; i++)
		if (keep_put(keep, i, r->procs[i]))
			r->procs[i] = NULL;
	for (guint i = 0; r->procs && i < r->n; i++) /* they die in parallel */
		taskproc_kill_begin(r->procs[i]);
	for (guint i = 0; r->procs && i < r->n; i++)
		taskproc_free(r->procs[i]);
	g_free(r->procs);
	g_free(r->proc_gen);
	g_free(r->bad_result);
	g_free(r->xback);
	for (guint i = 0; r->mem && i < r->n; i++) {
		board_memory_task_free(r->windows[i]);
		g_array_free(r->pending_ops[i], TRUE);
	}
	g_free(r->windows);
	g_free(r->pending_ops);
	for (guint i = 0; r->dma_fed && i < r->n_dmas; i++)
		g_byte_array_free(r->dma_fed[i], TRUE);
	g_free(r->dma_fed);
	board_memory_free(r->mem);
	mmio_decoder_free(r->mmio);
	kernel_free(r->k);
	if (!keep)
		taskproc_group_free(r->group);
	g_free(r->adopted);
	g_array_free(r->obs, TRUE);
	g_free(r->on_check.at);
	g_free(r->on_resume.at);
	g_free(r->on_before.at);
	g_free(r->on_intercept.at);
	g_free(r->on_after.at);
	g_free(r);
}

RunStatus run_system(const RunConfig *cfg, GError **error)
{
	g_autoptr(Run) r = run_new(cfg, error);
	if (!r || !run_boot(r, error))
		return RUN_BAD_INPUT;
	while (run_step(r))
		;
	return run_finish(r);
}
