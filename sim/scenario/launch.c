/*
 * launch.c: a scenario as a run (see launch.h): the description becomes a RunConfig, and
 * the output, the hints (sim/host/hints.h), the script engine, the record, the timeline and
 * the waveforms become the run's observers, in that order.
 * The script is the one observer here that steers: it applies stimuli when its check() is
 * called, bounds the jumps of virtual time, injects errors at the gate and gives the verdict.
 */
#include "config.h"

#include <inttypes.h>

#include "sim/host/hints.h"
#include "sim/host/run.h"
#include "sim/periph/observe.h"
#include "sim/scenario/launch.h"
#include "sim/scenario/results.h"
#include "sim/scenario/script.h"
#include "sim/trace/observe.h"
#include "sim/trace/output.h"

/* The script engine's side of a run. */
typedef struct {
	ScriptRun *run;
	Output *out;         /* for the diagnosis of a failed scenario */
	const char *results; /* LaunchOptions.results */
	FILE *diag;
	ChromeTrace *trace; /* LaunchOptions.trace: gets the expectations as markers */
} ScriptObserver;

/* Each expectation's verdict as a marker of the trace, at the time it was decided. Returns
 * the time of the first failure, or UINT64_MAX. */
static uint64_t mark_results(ChromeTrace *trace, const ScriptRun *run)
{
	uint64_t first = UINT64_MAX;
	g_autoptr(GArray) res = script_run_results(run);
	for (guint i = 0; i < res->len; i++) {
		const ScriptResult *r = &g_array_index(res, ScriptResult, i);
		const char *verdict = r->verdict == SCRIPT_VERDICT_PASSED   ? "PASS"
		                      : r->verdict == SCRIPT_VERDICT_FAILED ? "FAIL"
		                                                            : "UNDECIDED";
		g_autofree char *text = r->observed ? g_strdup_printf("expected: %s; observed: %s",
		                                                      r->expected, r->observed)
		                                    : g_strdup_printf("expected: %s", r->expected);
		chrome_trace_mark(trace, r->at_ns, r->name, verdict, text);
		if (r->verdict == SCRIPT_VERDICT_FAILED && r->at_ns < first)
			first = r->at_ns;
	}
	return first;
}

static RunEnd script_check(void *data, Kernel *k, const char **why)
{
	ScriptObserver *self = data;
	script_run_due(self->run, kernel_now_ns(k));
	if (!script_run_failed(self->run))
		return RUN_END_NONE;
	*why = "an expectation failed";
	return RUN_END_STOPPED;
}

static void script_log(void *data, Kernel *k, uint32_t task, const uint8_t *bytes, size_t len)
{
	ScriptObserver *self = data;
	script_run_log(self->run, task, bytes, len, kernel_now_ns(k));
}

static void script_report(void *data, Kernel *k, const KernelReport *rep)
{
	ScriptObserver *self = data;
	script_run_report(self->run, rep);
}

static void script_syscall(void *data, Kernel *k, uint32_t task, uint32_t nr,
                           const uint32_t args[3])
{
	ScriptObserver *self = data;
	script_run_syscall(self->run, task, nr, args, kernel_now_ns(k));
}

static gboolean script_intercept(void *data, Kernel *k, uint32_t task, uint32_t nr,
                                 uint32_t *status)
{
	ScriptObserver *self = data;
	return script_run_intercept(self->run, task, nr, status);
}

static uint64_t script_deadline(void *data, Kernel *k)
{
	ScriptObserver *self = data;
	return script_run_next_ns(self->run);
}

static uint64_t script_stimulus(void *data, Kernel *k)
{
	ScriptObserver *self = data;
	return script_run_next_stimulus_ns(self->run);
}

static ScriptEnd script_end_of(RunEnd end)
{
	switch (end) {
	case RUN_END_DEADLOCK:
		return SCRIPT_END_DEADLOCK;
	case RUN_END_PANIC:
		return SCRIPT_END_PANIC;
	case RUN_END_TIME_LIMIT:
		return SCRIPT_END_TIME_LIMIT;
	case RUN_END_STOPPED:
		return SCRIPT_END_STOPPED;
	case RUN_END_INTERRUPTED:
		return SCRIPT_END_INTERRUPTED;
	case RUN_END_NONE:
	case RUN_END_DONE:
		break;
	}
	return SCRIPT_END_DONE;
}

/* The script's verdict is the run's status. */
static int script_end(void *data, Kernel *k, RunEnd end, const char *end_text)
{
	ScriptObserver *self = data;
	g_autoptr(GString) why = g_string_new(NULL);
	gboolean passed = script_run_finish(self->run, script_end_of(end), why);
	if (!passed && why->len)
		script_run_last_events(self->run, why);
	if (!passed && why->len)
		output_note(self->out, kernel_now_ns(k), "scenario failed: %s", why->str);
	uint64_t at = self->trace ? mark_results(self->trace, self->run) : UINT64_MAX;
	if (!passed && self->trace) {
		if (at == UINT64_MAX)
			at = kernel_now_ns(k);
		output_note(self->out, kernel_now_ns(k),
		            "trace: %s: look at ts %" PRIu64 ".%03u us (virtual time; the FAIL "
		            "marker, or the end of the run)",
		            chrome_trace_path(self->trace), at / 1000, (unsigned)(at % 1000));
	}
	g_autoptr(GError) err = NULL;
	if (self->results && !results_write(self->results, self->run, &err))
		fprintf(self->diag, "sentry-sim: %s\n", err->message);
	return script_run_error(self->run) ? RUN_HARD_ERROR : passed ? RUN_OK : RUN_TASK_FAILED;
}

static RunObserver script_observer(ScriptObserver *self)
{
	return (RunObserver){.name = "script",
	                     .data = self,
	                     .check = script_check,
	                     .log = script_log,
	                     .report = script_report,
	                     .before_syscall = script_syscall,
	                     .intercept = script_intercept,
	                     .next_deadline = script_deadline,
	                     .next_stimulus = script_stimulus,
	                     .end = script_end};
}

/* What the script may do to the running system (ScriptEnv), through the run and the device
 * models; what it applies goes to the timeline. */
typedef struct {
	Run *run;
	PeriphRun *periph;
	ChromeTrace *trace; /* may be NULL */
} LaunchEnv;

static gboolean env_reg(void *data, uint64_t addr, gboolean write, uint32_t *value)
{
	return periph_run_register(((LaunchEnv *)data)->periph, addr, write, value);
}

static const char *env_uart_rx(void *data, uint32_t device, const uint8_t *bytes, size_t len)
{
	return periph_run_rx(((LaunchEnv *)data)->periph, device, bytes, len);
}

/* Where the bytes a device model sends go: the output, as "[usart1] ..." lines, and the
 * script's uart(DEVICE, /regex/) events; and the board memory its DMA streams reach. */
typedef struct {
	Output *out;
	ScriptRun *script; /* set once the script runs */
	Run *run;
} DeviceLines;

static void device_tx(void *data, uint32_t device, const uint8_t *bytes, size_t len,
                      uint64_t now_ns)
{
	DeviceLines *dl = data;
	output_device(dl->out, device, bytes, len);
	if (dl->script)
		script_run_uart(dl->script, device, bytes, len, now_ns);
}

static uint8_t *device_memory(void *data, uint64_t addr, uint64_t len)
{
	return run_memory(((DeviceLines *)data)->run, addr, len);
}

static uint8_t *env_memory(void *data, uint64_t addr, uint64_t len)
{
	return run_memory(((LaunchEnv *)data)->run, addr, len);
}

static void env_dma_feed(void *data, uint32_t stream, const uint8_t *bytes, size_t len)
{
	run_feed_dma(((LaunchEnv *)data)->run, stream, bytes, len);
}

static void env_kill_task(void *data, uint32_t id, const char *why)
{
	run_kill_task(((LaunchEnv *)data)->run, id);
}

static void env_applied(void *data, uint64_t now_ns, const char *what)
{
	LaunchEnv *le = data;
	if (le->trace)
		chrome_trace_stimulus(le->trace, now_ns, what);
}

/* The run configuration of |d|; |tasks| (d->n_tasks entries) and the "FILE:LINE" strings
 * they point to (in |keep|) are filled for it. */
static RunConfig config_of(const SysDesc *d, const LaunchOptions *o, RunTask *tasks,
                           GPtrArray *keep)
{
	RunConfig cfg = {.origin = d->path,
	                 .kernel = d->kernel,
	                 .tasks = tasks,
	                 .limit_ns = o->duration_ns ? o->duration_ns : d->duration_ns,
	                 .realtime = o->realtime,
	                 .watchdog_ms = o->watchdog_ms,
	                 .spin = o->spin,
	                 .host_tsc = o->host_tsc,
	                 .gdb_task = o->gdb_task,
	                 .core_dir = o->core_dir,
	                 .fork_server = o->fork_server,
	                 .restart_in_place = o->restart_in_place,
	                 .coverage_dir = o->coverage_dir};
	if (o->seed_given)
		cfg.kernel.seed = o->seed;
	for (guint i = 0; i < d->n_tasks; i++) {
		char *where = g_strdup_printf("%s:%d", d->path, d->tasks[i].line);
		g_ptr_array_add(keep, where);
		tasks[i] = (RunTask){.name = d->tasks[i].name,
		                     .binary = d->tasks[i].binary,
		                     .entry = d->tasks[i].entry,
		                     .where = where};
	}
	return cfg;
}

/* The output of a run: task names in task-id order, then idle; then the devices. */
static Output *output_of(const SysDesc *d, const LaunchOptions *o)
{
	g_autofree const char **names = g_new0(const char *, d->n_tasks + 2);
	for (guint i = 0; i < d->n_tasks; i++)
		names[i] = d->tasks[i].name;
	names[d->n_tasks] = "idle";
	Output *out = output_new(o->out, o->diag, names, d->n_tasks + 1, o->raw);
	g_autofree const char **devs = g_new0(const char *, d->board.n_devices + 1);
	for (guint i = 0; i < d->board.n_devices; i++)
		devs[i] = d->board.devices[i].name;
	output_add_devices(out, devs, d->board.n_devices);
	return out;
}

RunStatus launch_scenario(const SysDesc *d, const LaunchOptions *o, GError **error)
{
	g_autoptr(Output) out = output_of(d, o);
	g_autoptr(Script) script = script_load(d, error);
	if (!script)
		return RUN_BAD_INPUT;
	g_autofree RunTask *tasks = g_new0(RunTask, d->n_tasks + 1);
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	RunConfig cfg = config_of(d, o, tasks, keep);
	OutputObserver oo = {.output = out, .summary = o->quiet ? NULL : o->out};
	RunObserver first = output_observer(&oo);
	cfg.observers = &first;
	cfg.n_observers = 1;
	g_autoptr(Run) run = run_new(&cfg, error);
	if (!run)
		return RUN_BAD_INPUT;
	g_autoptr(Hints) hints = hints_new(out, d->n_tasks, cfg.kernel.num_irqs,
	                                   cfg.kernel.build == KERNEL_BUILD_AUTOTEST);
	RunObserver ho = hints_observer(hints);
	run_observe(run, &ho);
	DeviceLines dl = {.out = out, .run = run};
	PeriphRunConfig pc = {.board = &d->board,
	                      .clock_hz = cfg.kernel.core_freq_hz,
	                      .data = &dl,
	                      .tx = device_tx,
	                      .memory = device_memory};
	g_autoptr(PeriphRun) periph = periph_run_new(&pc);
	for (uint32_t i = 0; i < d->board.n_dmas; i++)
		if (script_feeds_dma(script, i))
			periph_run_unpace(periph, i); /* the script stands in for the device */
	if (!periph_run_empty(periph)) {
		RunObserver po = periph_observer(periph);
		run_observe(run, &po);
	}

	g_autoptr(ScriptRun) sr = NULL;
	ScriptObserver so = {.out = out, .results = o->results, .diag = o->diag, .trace = o->trace};
	LaunchEnv le = {.run = run, .periph = periph, .trace = o->trace};
	if (!script_is_empty(script)) {
		ScriptEnv env = {.k = run_kernel(run),
		                 .data = &le,
		                 .memory = env_memory,
		                 .dma_feed = env_dma_feed,
		                 .kill_task = env_kill_task,
		                 .reg = env_reg,
		                 .uart_rx = env_uart_rx,
		                 .applied = env_applied};
		g_autoptr(GError) why = NULL;
		if (!script_supported(script, &env, &why)) {
			fprintf(o->diag, "sentry-sim: %s: skipped: %s\n", d->path, why->message);
			return RUN_SKIP;
		}
		sr = script_run_new(script, &env);
		so.run = sr;
		dl.script = sr;
		RunObserver obs = script_observer(&so);
		run_observe(run, &obs);
	}
	g_autofree char *abs = g_canonicalize_filename(d->path, NULL);
	RecordObserver ro = {.record = o->record, .scenario = abs, .seed = cfg.kernel.seed};
	if (o->record) {
		RunObserver obs = record_observer(&ro);
		run_observe(run, &obs);
	}
	if (o->trace) {
		RunObserver obs = chrome_trace_observer(o->trace);
		run_observe(run, &obs);
	}
	if (o->vcd) {
		RunObserver obs = vcd_observer(o->vcd);
		run_observe(run, &obs);
	}
	if (!run_boot(run, error))
		return RUN_BAD_INPUT;
	while (run_step(run))
		;
	return run_finish(run);
}
