/*
 * run.c: the daemon's control flow, in one loop.
 *
 *   boot: spawn every task process, wait until each is confined and ready, boot the model
 *   loop: who = kernel_current()
 *         idle (or a hung task)  -> kernel_idle(): virtual time jumps to the next timer
 *         a task                 -> (re)spawn if its job is new, resume it with its
 *                                   result, wait for its next request, hand it to the model
 *   end:  every task ended, deadlock, panic, time limit, or ^C; then the summary
 *
 * The model decides everything Sentry-visible; this file only moves bytes between task
 * processes and the model, and turns process deaths into faults.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "sim/host/elf.h"
#include "sim/host/memory.h"
#include "sim/host/proc.h"
#include "sim/host/run.h"
#include "sim/kernel/kernel.h"
#include "sim/scenario/script.h"
#include "sim/trace/output.h"
#include "uapi/src/gate.h"
#include "uapi/src/page.h"

/* A task's spin for its answer, which the daemon, on its own CPU, gives in well under a
 * microsecond (the daemon spins longer, see proc.c); on one CPU both yield instead
 * (tests/bench/RESULTS.md). */
#define DEFAULT_SPIN 256
#define DEFAULT_WATCHDOG_MS 10000
#define BOOT_TIMEOUT_MS 10000

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	interrupted = 1; /* the loop notices; nothing else happens here */
}

static void on_sigchld(int sig)
{
	/* only interrupts the futex wait so that a dead task is noticed at once */
}

typedef struct {
	const RunOptions *opts;
	Kernel *k;
	Output *out;
	guint n;
	TaskProc **procs;
	uint32_t *proc_gen;   /* job generation each process runs */
	gboolean *boot_ok;
	uint32_t *bad_result; /* per task: [nr, raw] of the last BAD_RESULT report */
	BoardMemory *mem;     /* NULL without windows */
	TaskWindows **windows;
	GArray **pending_ops; /* per task: WindowOp to send with its next reply */
	GByteArray **dma_fed; /* per DMA stream: bytes fed for device-to-memory transfers */
	ScriptRun *script;    /* NULL without a script */
	TaskProc *to_park;    /* blocked after its last call: parked by the next reply */
	uint64_t limit;       /* virtual time at which the run stops, 0: none */
	gboolean any_fault;
	gboolean any_stuck;
} Run;

static void hook_log(void *data, uint32_t task, const uint8_t *bytes, size_t len)
{
	Run *r = data;
	output_log(r->out, task, bytes, len);
	if (r->script)
		script_run_log(r->script, task, bytes, len, kernel_now_ns(r->k));
}

static const char *report_kind_name(KernelReportKind kind)
{
	static const char *const names[] = {
		[KREPORT_INFO] = "info",
		[KREPORT_DIVERGENCE] = "divergence",
		[KREPORT_UNCHARACTERIZED] = "uncharacterized",
		[KREPORT_ABORT] = "abort",
		[KREPORT_STUCK] = "stuck",
		[KREPORT_FAULT] = "fault",
		[KREPORT_LIBRARY] = "library",
		[KREPORT_PANIC] = "panic",
		[KREPORT_DEADLOCK] = "deadlock",
	};
	return (unsigned)kind < G_N_ELEMENTS(names) && names[kind] ? names[kind] : "report";
}

static void hook_report(void *data, const KernelReport *rep)
{
	Run *r = data;
	if (r->script)
		script_run_report(r->script, rep);
	if (r->opts->record) {
		g_autofree char *what = g_strdup_printf(
			"%s %s", report_kind_name(rep->kind),
			rep->task == KERNEL_NO_TASK ? "-" : kernel_task_name(r->k, rep->task));
		recorder_note(r->opts->record, rep->time_ns, what, rep->text);
	}
	if (rep->kind == KREPORT_FAULT)
		r->any_fault = TRUE;
	if (rep->kind == KREPORT_STUCK)
		r->any_stuck = TRUE;
	output_report(r->out, rep);
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

/* DMA start (the completion is queued before the syscall returns): memory to memory copies
 * between the SHM windows; device to memory takes the bytes a scenario fed to the stream
 * (`dma` stimulus); memory to device shows the bytes sent on the diagnostic stream. */
static bool hook_dma(void *data, const BoardDma *d, const Board *b)
{
	Run *r = data;
	const RunFuzzHooks *fz = r->opts->fuzz;
	if (fz && fz->dma_enable && !fz->dma_enable(fz->data))
		return false;
	if (!r->mem)
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
			output_note(r->out, kernel_now_ns(r->k),
				    "dma '%s': %u of %" PRIu32 " bytes fed by the scenario were "
				    "available; the rest of '%s' is unchanged",
				    d->name, n, len, dst->name);
	} else if (from) {
		g_autofree char *hex = g_malloc0((gsize)len * 2 + 1);
		for (uint32_t i = 0; i < len; i++)
			snprintf(hex + 2 * i, 3, "%02x", from[i]);
		output_note(r->out, kernel_now_ns(r->k), "dma '%s': %" PRIu32 " bytes to the device: %s",
			    d->name, len, hex);
	}
	return true;
}

static uint8_t *env_memory(void *data, uint64_t addr, uint64_t len)
{
	Run *r = data;
	return r->mem ? board_memory_at(r->mem, addr, len) : NULL;
}

static void env_dma_feed(void *data, uint32_t stream, const uint8_t *bytes, size_t len)
{
	Run *r = data;
	if (r->dma_fed && stream < r->opts->desc->board.n_dmas)
		g_byte_array_append(r->dma_fed[stream], bytes, (guint)len);
}

static void env_kill_task(void *data, uint32_t id, const char *why)
{
	Run *r = data;
	if (id < r->n)
		taskproc_kill(r->procs[id]);
}

static void install_signals(void)
{
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
	return taskproc_spawn(r->procs[id], error) && await_boot(r, id, error);
}

static void format_library_report(Run *r, uint32_t task, const TaskRequest *req, char *buf,
				  size_t len)
{
	uint32_t a = req->args[0], b = req->args[1];
	switch (req->nr) {
	case SENTRY_REPORT_ALARM_NOFLAG:
		snprintf(buf, len, "__sys_alarm called with one argument (the published header's "
				   "form): on the target the flag is undefined; treated as "
				   "O_ALRM_START (uapi.md 1.8)");
		break;
	case SENTRY_REPORT_SLEEP_BAD_TAG:
		snprintf(buf, len, "__sys_sleep with duration tag %" PRIu32 " (not 0..6): undefined "
				   "upstream; returned INVALID without a trap (uapi.md 2.3)", a);
		break;
	case SENTRY_REPORT_COPY_NULL:
		snprintf(buf, len, "%s with a NULL pointer and length %" PRIu32 ": returned INVALID "
				   "(uapi.md 2.7)", a ? "copy_from_kernel" : "copy_to_kernel", b);
		break;
	case SENTRY_REPORT_COPY_TRUNCATED:
		snprintf(buf, len, "%s of %" PRIu32 " bytes truncated to the exchange area "
				   "(uapi.md 2.7)", a ? "copy_from_kernel" : "copy_to_kernel", b);
		break;
	case SENTRY_REPORT_BAD_RESULT:
		r->bad_result[task * 2] = a;
		r->bad_result[task * 2 + 1] = b;
		snprintf(buf, len, "system call %" PRIu32 " (%s) returned raw value %" PRIu32
				   " (0x%" PRIx32 "), above the last Status: the library panics and the "
				   "call never returns (uapi.md 2.1)",
			 a, kernel_syscall_name(a), b, b);
		break;
	default:
		snprintf(buf, len, "unknown library report %" PRIu32, req->nr);
		break;
	}
}

/* Run task |id| from its resume until it traps into the model (or dies). */
static void run_task(Run *r, uint32_t id)
{
	Kernel *k = r->k;
	TaskProc *p = r->procs[id];
	uint32_t gen = kernel_task_generation(k, id);
	if (r->proc_gen[id] != gen) {
		/* a respawned job: a fresh process image (uapi.md 7.6) */
		g_autoptr(GError) err = NULL;
		r->proc_gen[id] = gen;
		if (r->mem) {
			board_memory_task_reset(r->windows[id]);
			g_array_set_size(r->pending_ops[id], 0);
		}
		if (!boot_proc(r, id, &err)) {
			kernel_fault(k, err->message);
			return;
		}
	}
	if (!taskproc_alive(p)) {
		kernel_fault(k, taskproc_diagnosis(p));
		return;
	}
	KernelResume res;
	if (!kernel_resume(k, &res))
		return; /* a panic: the model reported it */
	if (r->mem && r->pending_ops[id]->len) {
		GArray *ops = r->pending_ops[id];
		gboolean staged = taskproc_stage_windows(p, ops->data, ops->len);
		g_array_set_size(ops, 0);
		if (!staged) {
			kernel_fault(k, "more window operations than one reply carries");
			taskproc_kill(p);
			return;
		}
	}
	if (r->opts->record) {
		if (res.fresh)
			recorder_start(r->opts->record, kernel_now_ns(k), kernel_task_name(k, id),
				       res.r0, res.r1);
		else
			recorder_ret(r->opts->record, kernel_now_ns(k), kernel_task_name(k, id),
				     res.r0, kernel_exchange(k, id), kernel_exchange_len(k));
	}
	/* the task that blocked before this one will not be answered soon: the reply parks
	 * it, and hands it the wake-up of this one if this one sleeps */
	taskproc_set_time(p, kernel_now_ns(k));
	taskproc_reply(p, res.fresh ? SENTRY_RESP_START : SENTRY_RESP_RESULT, res.r0, res.r1,
		       kernel_exchange(k, id), r->to_park);
	r->to_park = NULL;
	uint64_t between_cpu = 0; /* CPU time at the first request since the reply that does
				     not trap: the watchdog counts those too */
	uint64_t watchdog_ns = (uint64_t)(r->opts->watchdog_ms ? r->opts->watchdog_ms
							       : DEFAULT_WATCHDOG_MS) * 1000000u;
	for (;;) {
		TaskRequest req;
		TaskProcWait w = taskproc_wait(p, FALSE, &req);
		if (w != TASKPROC_REQUEST) {
			if (interrupted)
				return;
			kernel_fault(k, taskproc_diagnosis(p));
			taskproc_kill(p);
			return;
		}
		switch (req.kind) {
		case SENTRY_REQ_SYSCALL:
			taskproc_copy_exchange(p, kernel_exchange(k, id));
			if (r->opts->record)
				recorder_call(r->opts->record, kernel_now_ns(k),
					      kernel_task_name(k, id), req.nr, req.args,
					      kernel_exchange(k, id), kernel_exchange_len(k));
			uint32_t injected;
			if (r->script)
				script_run_syscall(r->script, id, req.nr, req.args, kernel_now_ns(k));
			if (r->script && script_run_intercept(r->script, id, req.nr, &injected))
				kernel_answer_syscall(k, injected); /* error injection at the gate */
			else
				kernel_syscall(k, req.nr, req.args[0], req.args[1], req.args[2]);
			if (r->opts->fuzz && r->opts->fuzz->after_syscall)
				r->opts->fuzz->after_syscall(r->opts->fuzz->data, k, id, req.nr);
			/* a job that will never run again does not need its process */
			JobState s = kernel_task_state(k, id);
			if (s == JOB_FINISHED || s == JOB_FAULT ||
			    (s == JOB_ABORTING && req.nr == 0) ||
			    kernel_task_generation(k, id) != gen)
				taskproc_kill(p);
			else if (kernel_current(k) != id)
				r->to_park = p;
			return;
		case SENTRY_REQ_REPORT: {
			char text[320];
			format_library_report(r, id, &req, text, sizeof(text));
			kernel_report_library(k, text);
			/* a task looping in the library without trapping spins as surely as one
			 * looping in its own code: same watchdog, and the run stays interruptible */
			uint64_t cpu = taskproc_cpu_ns(p);
			if (!between_cpu) {
				between_cpu = cpu ? cpu : 1;
			} else if (cpu && cpu - between_cpu > watchdog_ns) {
				char why[200];
				snprintf(why, sizeof(why),
					 "watchdog: ran %" PRIu64 " ms of host CPU time without a "
					 "system call, looping on library calls that do not trap",
					 watchdog_ns / 1000000u);
				kernel_fault(k, why);
				taskproc_kill(p);
				return;
			}
			if (interrupted)
				return;
			taskproc_reply(p, SENTRY_RESP_RESULT, 0, 0, NULL, NULL);
			continue;
		}
		case SENTRY_REQ_WINDOW_FAILED:
			kernel_fault(k, taskproc_boot_message(p));
			taskproc_kill(p);
			return;
		case SENTRY_REQ_FUZZ: {
			const RunFuzzHooks *fz = r->opts->fuzz;
			if (!fz || !fz->control) {
				kernel_fault(k, "protocol violation: a fuzz control request outside "
						"sentry-sim fuzz");
				taskproc_kill(p);
				return;
			}
			uint32_t answer = fz->control(fz->data, k, id, req.nr, req.args[0],
						      req.args[1]);
			if (interrupted || kernel_current(k) != id || kernel_task_hung(k, id) ||
			    (r->limit && kernel_now_ns(k) >= r->limit)) {
				/* another job was elected (time passed), the job was declared
				 * hung, or the run is over: the task waits for its next resume,
				 * as a preempted task does */
				r->to_park = p;
				return;
			}
			taskproc_reply(p, SENTRY_RESP_RESULT, answer, 0, NULL, NULL);
			continue;
		}
		case SENTRY_REQ_HANG: {
			char why[200];
			uint32_t nr = r->bad_result[id * 2], raw = r->bad_result[id * 2 + 1];
			snprintf(why, sizeof(why),
				 "spinning for ever in the UAPI library after system call %" PRIu32
				 " (%s) returned %" PRIu32 " (uapi.md 2.1)",
				 nr, kernel_syscall_name(nr), raw);
			kernel_hang(k, why);
			return;
		}
		default:
			kernel_fault(k, "protocol violation: unexpected request on the shared page");
			taskproc_kill(p);
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
static void pace(Run *r, uint64_t wall0, uint64_t vt)
{
	if (r->opts->realtime <= 0 || vt == UINT64_MAX)
		return;
	uint64_t due = wall0 + (uint64_t)((double)vt / r->opts->realtime);
	uint64_t now = mono_ns();
	if (due <= now)
		return;
	/* in slices, so that a parked process that spins instead of sleeping meets the
	 * watchdog (it would starve the others on the MCU) */
	uint64_t watchdog_ns =
		(uint64_t)(r->opts->watchdog_ms ? r->opts->watchdog_ms : DEFAULT_WATCHDOG_MS) *
		1000000u;
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

static void report_deadlock(Run *r)
{
	Kernel *k = r->k;
	GString *s = g_string_new("deadlock: no task can run and nothing can wake one");
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
	output_report(r->out, &rep);
	if (r->script)
		script_run_report(r->script, &rep);
	g_string_free(s, TRUE);
}

/* The summary table and the run's status; with a script (|verdict| >= 0) the script's
 * verdict is the status. */
static RunStatus summarize(Run *r, const char *end, int verdict)
{
	Kernel *k = r->k;
	FILE *out = r->opts->out;
	gboolean failed = r->any_fault || r->any_stuck;
	for (guint i = 0; i < r->n; i++) {
		JobState s = kernel_task_state(k, i);
		if (kernel_task_exit_code(k, i) != 0 || s == JOB_FAULT || kernel_task_hung(k, i))
			failed = TRUE;
	}
	RunStatus status = interrupted      ? RUN_INTERRUPTED
			   : verdict >= 0     ? (RunStatus)verdict
			   : kernel_panicked(k) ? RUN_PANIC
			   : failed           ? RUN_TASK_FAILED
					      : RUN_OK;
	if (r->opts->quiet)
		return status;
	char when[32];
	output_format_time(kernel_now_ns(k), when, sizeof(when));
	fprintf(out, "--- summary at %s (virtual s), %s ---\n", when, end);
	fprintf(out, "%-16s %-10s %-10s %-18s %s\n", "task", "label", "handle", "state", "exit");
	for (guint i = 0; i < r->n; i++) {
		JobState s = kernel_task_state(k, i);
		const char *state = kernel_job_state_name(s);
		if (!kernel_task_started(k, i) && s == JOB_READY)
			state = "NOT STARTED";
		else if (kernel_task_hung(k, i))
			state = "HUNG";
		fprintf(out, "%-16s 0x%08" PRIx32 " 0x%08" PRIx32 " %-18s %" PRId32 "%s\n",
			kernel_task_name(k, i), kernel_task_label(k, i), kernel_task_handle(k, i),
			state, kernel_task_exit_code(k, i),
			kernel_task_has_respawned(k, i) ? " (respawned)" : "");
	}
	if (verdict >= 0)
		fprintf(out, "result: %s\n",
			status == RUN_OK           ? "pass (every expectation of the script held)"
			: status == RUN_HARD_ERROR ? "error (a script step could not be applied)"
			: status == RUN_INTERRUPTED ? "interrupted"
						   : "fail (an expectation of the script did not hold)");
	else
		fprintf(out, "result: %s\n",
			status == RUN_OK ? "ok"
			: status == RUN_PANIC ? "kernel panic"
			: status == RUN_INTERRUPTED ? "interrupted"
						    : "failed (a task faulted, exited non-zero or is stuck)");
	fflush(out);
	return status;
}

RunStatus run_system(const RunOptions *opts, GError **error)
{
	const SysDesc *d = opts->desc;
	Run r = {.opts = opts, .n = d->n_tasks};
	g_autoptr(Script) script = NULL;

	KernelConfig cfg = d->kernel;
	if (opts->seed_given)
		cfg.seed = opts->seed;
	uint64_t limit = opts->duration_ns ? opts->duration_ns : d->duration_ns;
	r.limit = limit;

	g_autofree const char **names = g_new0(const char *, r.n + 2);
	for (guint i = 0; i < r.n; i++)
		names[i] = d->tasks[i].name;
	names[r.n] = "idle";
	g_autoptr(Output) out = output_new(opts->out, opts->diag, names, r.n + 1, opts->raw);
	r.out = out;

	TaskProcOptions popts = {
		.exchange_len = cfg.exchange_len,
		.spin_iterations = opts->spin ? opts->spin : DEFAULT_SPIN,
		.watchdog_ms = opts->watchdog_ms ? opts->watchdog_ms : DEFAULT_WATCHDOG_MS,
		.boot_timeout_ms = BOOT_TIMEOUT_MS,
	};
	g_autoptr(TaskProcGroup) group = taskproc_group_new(TRUE, error);
	if (!group)
		return RUN_BAD_INPUT;
	r.procs = g_new0(TaskProc *, r.n);
	r.proc_gen = g_new0(uint32_t, r.n);
	r.bad_result = g_new0(uint32_t, r.n * 2);
	RunStatus status = RUN_BAD_INPUT;
	for (guint i = 0; i < r.n; i++) {
		uint64_t entry = 0;
		const char *e = d->tasks[i].entry;
		if (e && strcmp(e, "main") != 0 &&
		    !elf_find_symbol(d->tasks[i].binary, e, &entry, error)) {
			g_prefix_error(error, "%s:%d: task '%s': entry: ", d->path, d->tasks[i].line,
				       d->tasks[i].name);
			goto out;
		}
		r.procs[i] = taskproc_new(group, i, d->tasks[i].name, d->tasks[i].binary, entry,
					  &popts);
	}

	if (d->kernel.board) {
		r.mem = board_memory_new(d->kernel.board, error);
		if (!r.mem)
			goto out;
		r.windows = g_new0(TaskWindows *, r.n);
		r.pending_ops = g_new0(GArray *, r.n);
		for (guint i = 0; i < r.n; i++) {
			r.windows[i] = board_memory_task_new(r.mem);
			r.pending_ops[i] = g_array_new(FALSE, FALSE, sizeof(WindowOp));
		}
	}
	if (d->kernel.board) {
		r.dma_fed = g_new0(GByteArray *, d->board.n_dmas + 1);
		for (guint i = 0; i < d->board.n_dmas; i++)
			r.dma_fed[i] = g_byte_array_new();
	}
	script = script_load(d, error);
	if (!script)
		goto out;
	ScriptEnv env = {.data = &r,
			 .memory = env_memory,
			 .dma_feed = env_dma_feed,
			 .kill_task = env_kill_task};
	const char *kerr = NULL;
	KernelHooks hooks = {.log = hook_log,
			     .report = hook_report,
			     .window = hook_window,
			     .dma_transfer = hook_dma};
	r.k = kernel_new(&cfg, &hooks, &r, &kerr);
	if (!r.k) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_CONFIG, "%s: %s", d->path, kerr);
		goto out;
	}
	if (!script_is_empty(script)) {
		env.k = r.k;
		g_autoptr(GError) why = NULL;
		if (!script_supported(script, &env, &why)) {
			fprintf(opts->diag, "sentry-sim: %s: skipped: %s\n", d->path, why->message);
			status = RUN_SKIP;
			goto out;
		}
		r.script = script_run_new(script, &env);
	}
	install_signals();
	interrupted = 0;

	/* Spawn every process first so that they boot in parallel, then collect them. A
	 * process that fails before booting is its task's fault (when first elected); the
	 * run goes on for the others. */
	for (guint i = 0; i < kernel_task_count(r.k); i++) {
		g_autoptr(GError) why = NULL;
		if (!taskproc_spawn(r.procs[i], &why))
			taskproc_fail(r.procs[i], why->message);
	}
	for (guint i = 0; i < kernel_task_count(r.k); i++) {
		g_autoptr(GError) why = NULL;
		if (!await_boot(&r, i, &why))
			taskproc_fail(r.procs[i], why->message);
		r.proc_gen[i] = 1;
	}

	if (opts->record) {
		g_autofree char *abs = g_canonicalize_filename(d->path, NULL);
		recorder_header(opts->record, abs, cfg.seed);
	}
	kernel_boot(r.k);
	if (opts->fuzz && opts->fuzz->boot)
		opts->fuzz->boot(opts->fuzz->data, r.k);
	uint64_t wall0 = mono_ns();
	const char *end = "every task ended";
	ScriptEnd send = SCRIPT_END_DONE;
	for (;;) {
		if (interrupted) {
			end = "interrupted";
			send = SCRIPT_END_INTERRUPTED;
			break;
		}
		if (r.script) {
			script_run_due(r.script, kernel_now_ns(r.k));
			if (script_run_failed(r.script)) {
				end = "an expectation failed";
				send = SCRIPT_END_STOPPED;
				break;
			}
		}
		uint32_t cur = kernel_current(r.k);
		if (cur == KERNEL_NO_TASK) {
			end = "kernel panic";
			send = SCRIPT_END_PANIC;
			break;
		}
		if (limit && kernel_now_ns(r.k) >= limit) {
			end = "time limit reached";
			send = SCRIPT_END_TIME_LIMIT;
			break;
		}
		if (opts->record && recorder_diverged(opts->record)) {
			end = "diverged from the record";
			send = SCRIPT_END_STOPPED;
			break;
		}
		if (cur != kernel_idle_id(r.k) && !kernel_task_hung(r.k, cur)) {
			run_task(&r, cur);
			continue;
		}
		/* Only idle (or a hung task) runs: virtual time jumps, but never past the
		 * script's next step or the time limit. The jump is quick, so the task that
		 * blocked is parked by the next reply, which hands it the wake-up of the next
		 * task (on the CPU it still holds); paced to the wall clock, it is parked now. */
		if (r.to_park && opts->realtime > 0) {
			taskproc_park(r.to_park);
			r.to_park = NULL;
		}
		if (opts->fuzz && opts->fuzz->idle && opts->fuzz->idle(opts->fuzz->data, r.k))
			continue;
		uint64_t now = kernel_now_ns(r.k), bound = limit;
		uint64_t step = r.script ? script_run_next_ns(r.script) : UINT64_MAX;
		if (step != UINT64_MAX) {
			step = MAX(step, now + 1);
			bound = bound ? MIN(bound, step) : step;
		}
		pace(&r, wall0, MIN(MIN(kernel_next_event_ns(r.k), step), limit ? limit : UINT64_MAX));
		KernelIdleResult ir = kernel_idle(r.k, bound);
		if (ir == KERNEL_IDLE_PANIC) {
			end = "kernel panic";
			send = SCRIPT_END_PANIC;
			break;
		}
		if (ir == KERNEL_IDLE_DONE || ir == KERNEL_IDLE_STUCK) {
			/* nothing in the system can move, but a scripted stimulus may */
			uint64_t next = r.script ? script_run_next_stimulus_ns(r.script) : UINT64_MAX;
			if (next != UINT64_MAX && (!limit || next < limit)) {
				uint64_t to = MAX(script_run_next_ns(r.script), now + 1);
				pace(&r, wall0, to);
				kernel_advance(r.k, to - now);
				continue;
			}
			if (ir == KERNEL_IDLE_STUCK) {
				report_deadlock(&r);
				r.any_stuck = TRUE;
				end = "deadlock";
				send = SCRIPT_END_DEADLOCK;
			}
			break;
		}
	}
	output_flush(out);
	if (opts->record)
		recorder_note(opts->record, kernel_now_ns(r.k), "end", end);
	int verdict = -1; /* no script */
	if (r.script) {
		g_autoptr(GString) why = g_string_new(NULL);
		gboolean passed = script_run_finish(r.script, send, why);
		verdict = script_run_error(r.script) ? RUN_HARD_ERROR
			  : passed                   ? RUN_OK
						     : RUN_TASK_FAILED;
		if (!passed && why->len)
			output_note(out, kernel_now_ns(r.k), "scenario failed: %s", why->str);
	}
	status = summarize(&r, end, verdict);
out:
	for (guint i = 0; i < r.n; i++)
		taskproc_free(r.procs[i]);
	g_free(r.procs);
	g_free(r.proc_gen);
	g_free(r.bad_result);
	for (guint i = 0; r.mem && i < r.n; i++) {
		board_memory_task_free(r.windows[i]);
		g_array_free(r.pending_ops[i], TRUE);
	}
	g_free(r.windows);
	g_free(r.pending_ops);
	for (guint i = 0; r.dma_fed && i < d->board.n_dmas; i++)
		g_byte_array_free(r.dma_fed[i], TRUE);
	g_free(r.dma_fed);
	script_run_free(r.script);
	board_memory_free(r.mem);
	kernel_free(r.k);
	return status;
}
