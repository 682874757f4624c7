/*
 * fuzzrun.c: `sentry-sim fuzz` (see fuzzrun.h): generated programs run in-process and through
 * real task processes, and the two system-call streams compared.
 *
 * Both sides write the daemon's record format (sim/trace/record.h) into a recorder kept in
 * memory (no files: the round trip through a temporary directory was a tenth of a program's
 * time): the daemon through its record observer (sim/trace/observe.h), the in-process driver
 * through ExecOptions' stream hooks into a Recorder of its own. The call, ret and start lines
 * (time, task, number, arguments, result, exchange-area bytes) must match; notes (report texts) may
 * differ and are skipped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uapi/types.h>

#include "sim/fuzz/fuzzboard.h"
#include "sim/fuzz/fuzzrun.h"
#include "sim/host/proc.h"
#include "sim/host/run.h"
#include "sim/trace/observe.h"
#include "sim/trace/record.h"
#include "sim/trace/tbuf.h"

#define FUZZ_MAX_CONTROLS 100000                          /* far beyond exec.c's step budget */
#define FUZZ_DURATION_NS  (30ull * 1000 * KERNEL_TICK_NS) /* exec.c's default budget */

static const char *const fuzz_names[PROG_MAX_TASKS] = {"fuzz-0", "fuzz-1", "fuzz-2", "fuzz-3",
                                                       "fuzz-4", "fuzz-5", "fuzz-6", "fuzz-7"};

void fuzzrun_options_init(FuzzRunOptions *o)
{
	*o = (FuzzRunOptions){.seed = 1,
	                      .iterations = 100,
	                      .task_binary = "tests/fuzz/fuzz-task",
	                      .fork_server = TRUE,
	                      .restart_in_place = TRUE,
	                      .jobs = 1};
}

void fuzzrun_prepare(Prog *p)
{
	/* a task that loops must move time, or the daemon's run, cut at the virtual time
	 * where the in-process run stopped, would never end */
	if (p->cfg.syscall_cost_ns == 0)
		p->cfg.syscall_cost_ns = 1000;
}

/* The daemon side of a program: what exec.c does outside the tasks, done for the real
 * processes as an observer of the run (control requests of the fuzz task, idle's script,
 * the DMA driver's failures), with the same shared pieces (exec_stim_*, exec_resolve_ref). */
typedef struct {
	const Prog *p;
	const FuzzBoard *fb;
	ExecHandles handles;
	uint32_t dma_failures;
	uint32_t controls; /* control requests since the last system call */
	uint16_t idle_ops[PROG_MAX_OPS];
	uint32_t n_idle, idle_pc;
} FuzzDaemon;

static void daemon_boot(void *data, Kernel *k)
{
	FuzzDaemon *f = data;
	exec_handles_note(&f->handles, k, true);
}

static void daemon_after_syscall(void *data, Kernel *k, uint32_t task, uint32_t nr)
{
	FuzzDaemon *f = data;
	f->controls = 0;
	if (nr == SYSCALL_EXIT)
		exec_handles_note(&f->handles, k, false); /* a respawn: new handle (7.6) */
}

static uint32_t control_answer(FuzzDaemon *f, Kernel *k, uint32_t op, uint32_t a, uint32_t b)
{
	/* a task that loops over computations or stimuli without a system call: the
	 * in-process run stopped at its step budget long before (its prefix is what is
	 * compared); stop this one too */
	if (++f->controls > FUZZ_MAX_CONTROLS) {
		kernel_hang(k, "fuzz: the task loops without system calls");
		return 0;
	}
	switch ((ProgControl)op) {
	case PROG_CTL_RESOLVE: {
		ProgVal v = {.kind = (uint8_t)a, .idx = (uint8_t)b, .bit = (uint8_t)(b >> 8)};
		return exec_resolve_ref(k, v, f->handles.prev);
	}
	case PROG_CTL_ADVANCE:
		kernel_advance(k, a);
		return 0;
	case PROG_CTL_STIM: {
		ExecStim st;
		exec_stim_plan(f->fb, a, b, FALSE, &st);
		(void)exec_stim_apply(k, &st, &f->dma_failures);
		return 0;
	}
	}
	return 0;
}

/* A control request of the fuzz task: a reference resolved, time moved, a stimulus. */
static gboolean daemon_control(void *data, Kernel *k, uint32_t task, uint32_t op, uint32_t a,
                               uint32_t b, uint32_t *answer)
{
	*answer = control_answer(data, k, op, a, b);
	return TRUE;
}

/* Idle's script: its next stimulus, each time only idle runs. */
static gboolean daemon_idle(void *data, Kernel *k)
{
	FuzzDaemon *f = data;
	if (f->idle_pc >= f->n_idle)
		return FALSE;
	const ProgOp *op = &f->p->ops[f->idle_ops[f->idle_pc++]];
	ExecStim st;
	exec_stim_plan(f->fb, op->param, op->param2, TRUE, &st);
	(void)exec_stim_apply(k, &st, &f->dma_failures);
	return TRUE;
}

/* The DMA driver's enable fails as often as the program's stimuli asked. */
static gboolean daemon_dma_allow(void *data)
{
	FuzzDaemon *f = data;
	if (!f->dma_failures)
		return TRUE;
	f->dma_failures--;
	return FALSE;
}

/* The in-process side writes the record format too. */
static void on_call(void *data, uint64_t t_ns, uint32_t task, uint32_t nr, const uint32_t args[3],
                    const uint8_t *exch, uint32_t len)
{
	recorder_call(data, t_ns, task < PROG_MAX_TASKS ? fuzz_names[task] : "idle", nr, args, exch,
	              len);
}

static void on_resume(void *data, uint64_t t_ns, uint32_t task, bool fresh, uint32_t r0,
                      uint32_t r1, const uint8_t *exch, uint32_t len)
{
	const char *name = task < PROG_MAX_TASKS ? fuzz_names[task] : "idle";
	if (fresh)
		recorder_start(data, t_ns, name, r0, r1);
	else
		recorder_ret(data, t_ns, name, r0, exch, len);
}

/* The call/ret/start lines of a stream kept in memory (owned by |rec|, which must not
 * record more while they are used). */
static GPtrArray *stream_lines(const Recorder *rec)
{
	guint n = recorder_n_lines(rec);
	GPtrArray *out = g_ptr_array_sized_new(n);
	for (guint i = 0; i < n; i++) {
		RecordLineKind kind;
		const char *l = recorder_line(rec, i, &kind);
		if (kind == RECORD_LINE_CALL || kind == RECORD_LINE_RET ||
		    kind == RECORD_LINE_START)
			g_ptr_array_add(out, (gpointer)l);
	}
	return out;
}

/* (nr, Status) pairs of a stream: a ret line closes its task's last call. */
static void note_paths(const Recorder *rec, gboolean autotest, uint16_t *paths)
{
	uint32_t last[PROG_MAX_TASKS];
	memset(last, 0xff, sizeof(last));
	guint n = recorder_n_lines(rec);
	for (guint i = 0; i < n; i++) {
		RecordLineKind kind;
		const char *l = recorder_line(rec, i, &kind);
		if (kind != RECORD_LINE_CALL && kind != RECORD_LINE_RET)
			continue;
		const char *f = strstr(l, "fuzz-");
		if (!f)
			continue;
		uint32_t t = (uint32_t)(f[5] - '0') % PROG_MAX_TASKS;
		if (kind == RECORD_LINE_CALL) {
			const char *open = strchr(f, '(');
			last[t] = open ? (uint32_t)strtoul(open + 1, NULL, 10) : UINT32_MAX;
		} else if (last[t] < 256) {
			/* an unsupported number records no Status: r0 is its first argument */
			const char *r = strstr(f, "r0=");
			uint32_t st = r ? (uint32_t)strtoul(r + 3, NULL, 16) : UINT32_MAX;
			if (st <= STATUS_NON_SENSE && systable_supported(last[t], autotest))
				paths[last[t]] |= (uint16_t)(1u << st);
			last[t] = UINT32_MAX;
		}
	}
}

/* The in-process side: the program against the model alone, its stream into |rec|. */
static void run_model(const Prog *p, Recorder *rec, ExecResult *er)
{
	ExecOptions eo;
	exec_options_init(&eo);
	eo.on_call = on_call;
	eo.on_resume = on_resume;
	eo.stream_data = rec;
	recorder_header(rec, "fuzz", p->cfg.seed);
	exec_run(p, &eo, er);
	recorder_finish(rec, NULL);
}

static FuzzDaemon *fuzz_daemon_new(const Prog *p, const FuzzBoard *fb)
{
	FuzzDaemon *fd = g_new0(FuzzDaemon, 1);
	fd->p = p;
	fd->fb = fb;
	for (uint32_t i = 0; i < p->n_ops; i++)
		if (p->ops[i].script == PROG_SCRIPT_IDLE && p->ops[i].kind == OP_STIM)
			fd->idle_ops[fd->n_idle++] = (uint16_t)i;
	return fd;
}

/* "SENTRY_FUZZ_PROG=HEX": the program for the fuzz task (tests/fuzz/fuzz-task.c), in the
 * environment the run gives each task process. */
static char *prog_env(const Prog *p)
{
	static uint8_t bytes[PROG_MAX_INPUT];
	size_t n = prog_encode(p, bytes, sizeof(bytes));
	static const char name[] = "SENTRY_FUZZ_PROG=";
	char *env = g_malloc(sizeof(name) + 2 * n);
	*w_hex_bytes(w_mem(env, name, sizeof(name) - 1), bytes, n) = '\0';
	return env;
}

/* The real processes: a run of the daemon's loop, configured from the program, with its
 * record observer writing into |rec| and the fuzz daemon side as an observer. What the run
 * borrows lives here. */
typedef struct {
	KernelTaskConfig ktasks[PROG_MAX_TASKS];
	RunTask tasks[PROG_MAX_TASKS];
	FuzzBoard fb;
	char *prog;
	const char *env[2];
	RecordObserver ro;
	FuzzDaemon *fd;
	Run *run;
} Procs;

static void procs_free(Procs *ps)
{
	run_free(ps->run);
	g_free(ps->fd);
	g_free(ps->prog);
	g_free(ps);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Procs, procs_free)

/* A campaign's task processes, kept from one program for the next (run.h): a program's
 * first start of each task is then a restart in place of the last program's process of
 * that task (its three first starts and their boots were half a program's time). NULL
 * outside campaign(). */
static RunKeep *kept;

/* Why the daemon could not run a program, in |why| (if any). */
static void daemon_failed(GString *why, RunStatus rs, const GError *error)
{
	if (why)
		g_string_printf(why, "daemon: status %d: %s", rs, error ? error->message : "?");
}

/* The run of |p|, its processes started: they boot while the program runs in-process. NULL
 * (with |why|) if the daemon cannot run it. */
static Procs *procs_start(const FuzzRunOptions *o, const Prog *p, Recorder *rec, GString *why)
{
	g_autoptr(Procs) ps = g_new0(Procs, 1);
	/* no backtraces: a task's fault is a report, which the comparison leaves out, and the
	 * symbolizer's time (it reads the debug information anew for each fault) would be
	 * most of a program's. The spins are learned, as in any run: a fixed short one made
	 * every call of a program a futex wake-up across CPUs. The time limit is set once the
	 * in-process run has ended (procs_run). */
	RunConfig cfg = {.origin = "fuzz",
	                 .tasks = ps->tasks,
	                 .fork_server = o->fork_server,
	                 .restart_in_place = o->restart_in_place,
	                 .no_backtrace = TRUE,
	                 .limit_ns = FUZZ_DURATION_NS,
	                 .keep = kept};
	exec_kernel_config(p, fuzz_names, &cfg.kernel, ps->ktasks, &ps->fb);
	ps->prog = prog_env(p);
	ps->env[0] = ps->prog;
	for (uint32_t i = 0; i < p->cfg.n_tasks; i++)
		ps->tasks[i] =
		    (RunTask){.name = fuzz_names[i], .binary = o->task_binary, .env = ps->env};
	ps->ro = (RecordObserver){.record = rec, .scenario = "fuzz", .seed = cfg.kernel.seed};
	ps->fd = fuzz_daemon_new(p, &ps->fb);
	RunObserver observers[] = {
	    record_observer(&ps->ro),
	    {.name = "fuzz",
	     .data = ps->fd,
	     .boot = daemon_boot,
	     .control = daemon_control,
	     .after_syscall = daemon_after_syscall,
	     .idle = daemon_idle,
	     .dma_allow = daemon_dma_allow},
	};
	cfg.observers = observers; /* copied by run_new */
	cfg.n_observers = G_N_ELEMENTS(observers);
	g_autoptr(GError) error = NULL;
	ps->run = run_new(&cfg, &error);
	if (!ps->run) {
		daemon_failed(why, RUN_BAD_INPUT, error);
		return NULL;
	}
	run_spawn(ps->run);
	return g_steal_pointer(&ps);
}

/* The rest of the run, once the in-process one ended with |er|: a run the step budget
 * stopped is compared up to where it stopped. */
static FuzzRunVerdict procs_run(Procs *ps, const ExecResult *er, Recorder *rec, GString *why)
{
	uint64_t limit =
	    er->end == EXEC_END_STEPS ? er->time_ns + KERNEL_TICK_NS : FUZZ_DURATION_NS;
	run_set_limit(ps->run, limit ? limit : 1);
	g_autoptr(GError) error = NULL;
	RunStatus rs = RUN_BAD_INPUT;
	if (run_boot(ps->run, &error)) {
		while (run_step(ps->run))
			;
		rs = run_finish(ps->run);
	}
	recorder_finish(rec, NULL);
	if (rs == RUN_INTERRUPTED)
		return FUZZRUN_INTERRUPTED;
	if (rs == RUN_BAD_INPUT || rs == RUN_HARD_ERROR) {
		daemon_failed(why, rs, error);
		return FUZZRUN_DAEMON;
	}
	return FUZZRUN_OK;
}

FuzzRunVerdict fuzzrun_compare(const Prog *p, const ExecResult *er, const Recorder *model,
                               const Recorder *procs, GString *why, uint16_t *paths)
{
	g_autoptr(GPtrArray) a = stream_lines(model);
	g_autoptr(GPtrArray) b = stream_lines(procs);
	if (paths)
		note_paths(model, p->cfg.autotest, paths);
	gboolean prefix = er->end == EXEC_END_STEPS || er->end == EXEC_END_TIME;
	guint n = MIN(a->len, b->len);
	for (guint i = 0; i < n; i++)
		if (strcmp(a->pdata[i], b->pdata[i]) != 0) {
			if (why)
				g_string_printf(why,
				                "stream line %u differs:\n  model: %s\n"
				                "  procs: %s",
				                i + 1, (char *)a->pdata[i], (char *)b->pdata[i]);
			return FUZZRUN_DIVERGED;
		}
	if (!prefix && a->len != b->len) {
		if (why)
			g_string_printf(why,
			                "streams differ in length: model %u lines (%s), "
			                "procs %u; first extra: %s",
			                a->len, exec_end_name(er->end), b->len,
			                (char *)(a->len > b->len ? a : b)->pdata[n]);
		return FUZZRUN_DIVERGED;
	}
	return FUZZRUN_OK;
}

FuzzRunVerdict fuzzrun_one(const FuzzRunOptions *o, const Prog *p, GString *why, uint16_t *paths)
{
	g_autoptr(Recorder) model = recorder_new_memory();
	g_autoptr(Recorder) procs = recorder_new_memory();
	/* the task processes start first, and boot on their CPUs while the program runs
	 * in-process on the daemon's (about a millisecond each, a seventh of a program) */
	g_autoptr(Procs) ps = procs_start(o, p, procs, why);
	ExecResult er;
	run_model(p, model, &er);
	if (er.end == EXEC_END_INVARIANT || er.end == EXEC_END_SETUP) {
		if (why)
			g_string_printf(why, "in-process: %s: %s", exec_end_name(er.end), er.error);
		return er.end == EXEC_END_INVARIANT ? FUZZRUN_INVARIANT : FUZZRUN_OK;
	}
	if (!ps)
		return FUZZRUN_DAEMON;
	FuzzRunVerdict v = procs_run(ps, &er, procs, why);
	if (v != FUZZRUN_OK)
		return v;
	return fuzzrun_compare(p, &er, model, procs, why, paths);
}

static const char *verdict_name(FuzzRunVerdict v)
{
	static const char *const names[] = {
	    [FUZZRUN_OK] = "ok",
	    [FUZZRUN_INVARIANT] = "invariant failure",
	    [FUZZRUN_DAEMON] = "daemon error",
	    [FUZZRUN_DIVERGED] = "divergence",
	    [FUZZRUN_INTERRUPTED] = "interrupted",
	};
	return names[v];
}

/* Drop ops while the program still fails the same way (a simple delta loop). */
static void minimize(const FuzzRunOptions *o, Prog *p, FuzzRunVerdict v)
{
	static Prog trial;
	for (uint32_t chunk = p->n_ops / 2; chunk >= 1; chunk /= 2) {
		for (uint32_t at = 0; at + chunk <= p->n_ops;) {
			trial = *p;
			memmove(&trial.ops[at], &trial.ops[at + chunk],
			        (trial.n_ops - at - chunk) * sizeof(ProgOp));
			trial.n_ops -= chunk;
			FuzzRunVerdict tv = fuzzrun_one(o, &trial, NULL, NULL);
			if (tv == FUZZRUN_INTERRUPTED)
				return;
			if (tv == v)
				*p = trial;
			else
				at += chunk;
		}
		if (chunk == 1)
			break;
	}
}

static void save_failure(const FuzzRunOptions *o, uint64_t seed, const Prog *p, const char *why)
{
	if (!o->save_dir)
		return;
	g_mkdir_with_parents(o->save_dir, 0755);
	static uint8_t bytes[PROG_MAX_INPUT];
	size_t n = prog_encode(p, bytes, sizeof(bytes));
	g_autofree char *bin = g_strdup_printf("%s/procs-%016" PRIx64 ".bin", o->save_dir, seed);
	g_autofree char *txt = g_strdup_printf("%s/procs-%016" PRIx64 ".txt", o->save_dir, seed);
	static char text[65536];
	prog_format(p, text, sizeof(text));
	g_autofree char *all = g_strdup_printf("# %s\n%s", why, text);
	if (!g_file_set_contents(bin, (const char *)bytes, (gssize)n, NULL) ||
	    !g_file_set_contents(txt, all, -1, NULL))
		fprintf(stderr, "fuzz: cannot save %s\n", bin);
	else
		fprintf(stderr, "fuzz: saved %s\n", bin);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t count_paths(const uint16_t *paths)
{
	uint32_t n = 0;
	for (int i = 0; i < 256; i++)
		n += (uint32_t)__builtin_popcount(paths[i]);
	return n;
}

/* A campaign's counts so far: a worker of a parallel campaign sends them to the parent once
 * a second and at its end, each time in one write (smaller than PIPE_BUF, so whole). */
typedef struct {
	uint64_t iterations, failures;
	uint64_t started, restarted; /* task processes (taskproc_counts) */
	uint8_t final, interrupted;
	uint16_t paths[256];
} Progress;

static void progress_line(const Progress *c, double elapsed)
{
	fprintf(stderr, "fuzz: %" PRIu64 " iterations, %.1f/s, %u paths, %" PRIu64 " failures\n",
	        c->iterations, elapsed > 0 ? (double)c->iterations / elapsed : 0.0,
	        count_paths(c->paths), c->failures);
}

static int summary(const Progress *c, double elapsed)
{
	fprintf(stderr,
	        "fuzz: %s: %" PRIu64 " iterations in %.1f s (%.1f/s), %u distinct (nr, Status) "
	        "paths, %" PRIu64 " failures; task processes: %" PRIu64 " started, %" PRIu64
	        " restarted in place\n",
	        c->interrupted ? "interrupted" : "done", c->iterations, elapsed,
	        elapsed > 0 ? (double)c->iterations / elapsed : 0.0, count_paths(c->paths),
	        c->failures, c->started, c->restarted);
	return c->interrupted ? 130 : c->failures ? 1 : 0;
}

/* Run the programs seed + |first|, + |stride|, ... (of the campaign's first |o->iterations|,
 * or until the time budget is spent), counting into |c|. Once a second, the counts go to
 * |report| (a worker's pipe to the parent) or, with none (-1), to stderr as a line. */
static void campaign(const FuzzRunOptions *o, uint64_t first, uint64_t stride, int report,
                     Progress *c)
{
	static Prog p;
	double t0 = now_s(), last = t0;
	g_autoptr(GString) why = g_string_new(NULL);
	g_autoptr(RunKeep) keep = kept = run_keep_new();
	for (uint64_t i = first;; i += stride) {
		double t = now_s();
		if (o->iterations && i >= o->iterations)
			break;
		if (o->time_s > 0 && t - t0 >= o->time_s)
			break;
		if (t - last >= 1.0) {
			if (report >= 0)
				(void)!write(report, c, sizeof(*c));
			else
				progress_line(c, t - t0);
			last = t;
		}
		uint64_t seed = o->seed + i;
		prog_generate(&p, seed);
		fuzzrun_prepare(&p);
		g_string_truncate(why, 0);
		FuzzRunVerdict v = fuzzrun_one(o, &p, why, c->paths);
		taskproc_counts(&c->started, &c->restarted);
		if (v == FUZZRUN_INTERRUPTED) {
			c->interrupted = TRUE;
			break;
		}
		c->iterations++;
		if (v == FUZZRUN_OK)
			continue;
		c->failures++;
		fprintf(stderr, "fuzz: seed %" PRIu64 ": %s: %s\n", seed, verdict_name(v),
		        why->str);
		if (o->save_dir) {
			minimize(o, &p, v);
			g_string_truncate(why, 0);
			fuzzrun_one(o, &p, why, NULL);
			save_failure(o, seed, &p, why->str);
		}
	}
	kept = NULL; /* |keep| is freed now */
}

gboolean fuzzrun_worker_cpus(const cpu_set_t *all, guint w, guint n, cpu_set_t *share)
{
	guint m = (guint)CPU_COUNT(all), k = 0;
	if (n == 0 || w >= n || m < 2 * n)
		return FALSE;
	CPU_ZERO(share);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, all)) {
			if (k >= w * m / n && k < (w + 1) * m / n)
				CPU_SET(cpu, share);
			k++;
		}
	return TRUE;
}

/* Worker |w| of |n| on its share of the CPUs, if there is one (fuzzrun_worker_cpus). */
static void worker_cpus(guint w, guint n)
{
	cpu_set_t all, mine;
	if (sched_getaffinity(0, sizeof(all), &all) == 0 && fuzzrun_worker_cpus(&all, w, n, &mine))
		(void)sched_setaffinity(0, sizeof(mine), &mine);
}

/* The workers' counts as one campaign's: the paths seen by any. */
static void add_up(const Progress *seen, guint n, Progress *total)
{
	*total = (Progress){0};
	for (guint w = 0; w < n; w++) {
		total->iterations += seen[w].iterations;
		total->failures += seen[w].failures;
		total->started += seen[w].started;
		total->restarted += seen[w].restarted;
		total->interrupted |= seen[w].interrupted;
		for (int i = 0; i < 256; i++)
			total->paths[i] |= seen[w].paths[i];
	}
}

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* A worker that did not end with its summary: how it ended. */
static char *worker_end(int status)
{
	if (WIFSIGNALED(status))
		return g_strdup_printf("killed by signal %d (%s)", WTERMSIG(status),
		                       g_strsignal(WTERMSIG(status)));
	return g_strdup_printf("exit status %d", WEXITSTATUS(status));
}

/* |o->jobs| workers, each a process running its share of the programs (campaign) as a
 * daemon of its own; this process adds up their counts, prints the progress and the
 * summary, and passes SIGINT and SIGTERM on. Failures are printed (and saved) by the worker
 * that found them. A worker that ends without its summary is a failure of the campaign. */
static int parallel(const FuzzRunOptions *o)
{
	guint n = o->jobs;
	g_autofree pid_t *pids = g_new0(pid_t, n);
	g_autofree int *fds = g_new0(int, n);
	g_autofree Progress *seen = g_new0(Progress, n);
	double t0 = now_s(), last = t0;
	fflush(NULL);
	pid_t parent = getpid();
	gboolean lost = FALSE; /* a worker did not start, or ended without its summary */
	for (guint w = 0; w < n; w++) {
		int pipe_fds[2] = {-1, -1};
		if (pipe2(pipe_fds, O_CLOEXEC) != 0 || (pids[w] = fork()) < 0) {
			fprintf(stderr, "fuzz: cannot start worker %u: %s\n", w, g_strerror(errno));
			close(pipe_fds[0]);
			close(pipe_fds[1]);
			for (guint v = 0; v < w; v++)
				kill(pids[v], SIGTERM);
			n = w;
			lost = TRUE;
			break;
		}
		if (pids[w] == 0) {
			/* a campaign that is gone (killed) stops its workers as SIGTERM does */
			if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
				exit(130);
			for (guint v = 0; v < w; v++)
				close(fds[v]);
			close(pipe_fds[0]);
			worker_cpus(w, o->jobs);
			Progress c = {0};
			campaign(o, w, o->jobs, pipe_fds[1], &c);
			c.final = TRUE;
			(void)!write(pipe_fds[1], &c, sizeof(c));
			exit(c.interrupted ? 130 : c.failures ? 1 : 0);
		}
		close(pipe_fds[1]);
		fds[w] = pipe_fds[0];
	}
	struct sigaction sa = {.sa_handler = on_stop}, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	gboolean forwarded = FALSE;
	for (guint open = n; open > 0;) {
		if (stop_signal && !forwarded) {
			for (guint w = 0; w < n; w++)
				kill(pids[w], SIGTERM);
			forwarded = TRUE;
		}
		g_autofree struct pollfd *pf = g_new0(struct pollfd, n);
		for (guint w = 0; w < n; w++)
			pf[w] = (struct pollfd){.fd = fds[w], .events = POLLIN};
		if (poll(pf, n, 1000) < 0 && errno != EINTR)
			break;
		for (guint w = 0; w < n; w++) {
			if (fds[w] < 0 || !(pf[w].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			Progress c;
			if (read(fds[w], &c, sizeof(c)) == (ssize_t)sizeof(c)) {
				seen[w] = c;
				continue;
			}
			close(fds[w]);
			fds[w] = -1;
			open--;
		}
		double t = now_s();
		if (open > 0 && t - last >= 1.0) {
			Progress total;
			add_up(seen, n, &total);
			progress_line(&total, t - t0);
			last = t;
		}
	}
	for (guint w = 0; w < n; w++) {
		int status = 0;
		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
		gboolean stopped = stop_signal && WIFSIGNALED(status) &&
		                   (WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGINT);
		if (!seen[w].final && !stopped) {
			g_autofree char *how = worker_end(status);
			fprintf(stderr,
			        "fuzz: worker %u (seeds %" PRIu64 ", %" PRIu64 ", ...) ended "
			        "without its summary: %s\n",
			        w, o->seed + w, o->seed + w + o->jobs, how);
			lost = TRUE;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	Progress total;
	add_up(seen, n, &total);
	total.interrupted |= stop_signal != 0;
	int rc = summary(&total, now_s() - t0);
	return lost ? 1 : rc;
}

int fuzzrun_main(const FuzzRunOptions *o)
{
	if (o->jobs > 1)
		return parallel(o);
	Progress c = {0};
	double t0 = now_s();
	campaign(o, 0, 1, -1, &c);
	return summary(&c, now_s() - t0);
}

int fuzzrun_replay(const FuzzRunOptions *o, const char *path)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	GError *error = NULL;
	if (!g_file_get_contents(path, &data, &len, &error)) {
		fprintf(stderr, "fuzz: %s\n", error->message);
		g_error_free(error);
		return 2;
	}
	static Prog p;
	prog_decode(&p, (const uint8_t *)data, len);
	fuzzrun_prepare(&p);
	g_autoptr(GString) why = g_string_new(NULL);
	FuzzRunVerdict v = fuzzrun_one(o, &p, why, NULL);
	static char text[65536];
	prog_format(&p, text, sizeof(text));
	if (o->verbose || v != FUZZRUN_OK)
		fprintf(stderr, "%s", text);
	fprintf(stderr, "fuzz: %s: %s%s%s\n", path, verdict_name(v), why->len ? ": " : "",
	        why->str);
	return v == FUZZRUN_OK ? 0 : v == FUZZRUN_INTERRUPTED ? 130 : 1;
}
