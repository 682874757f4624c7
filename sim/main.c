/*
 * main.c: the sentry-sim command line, a thin layer over sim/ (one table of commands).
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/fuzz/fuzzrun.h"
#include "sim/host/confine.h"
#include "sim/host/debug.h"
#include "sim/scenario/boardview.h"
#include "sim/scenario/ini.h"
#include "sim/scenario/launch.h"
#include "sim/scenario/report.h"
#include "sim/scenario/suite.h"
#include "sim/scenario/sysdesc.h"

typedef int (*CommandFn)(int argc, char **argv);

/* The one table of exit statuses: every command's --help, 'sentry-sim help' and README. */
static const char exit_statuses[] =
    "Exit status (every command):\n"
    "  0    success: every task ended normally and every expectation held (run);\n"
    "       identical (replay); every scenario passed or was skipped (test); no\n"
    "       failure found (fuzz); the board was printed (board)\n"
    "  1    failure: a task faulted, exited non-zero or is stuck, or an expectation\n"
    "       failed (run); diverged (replay); a scenario failed (test); a failure\n"
    "       found (fuzz)\n"
    "  2    bad input, before anything runs: the command line, a file that does not\n"
    "       load (the message says FILE:LINE), a task that cannot start, a missing\n"
    "       fuzz task\n"
    "  3    kernel panic (run)\n"
    "  77   skipped: the scenario needs something this host lacks (run)\n"
    "  99   hard error: a script step could not be applied while running (run); a\n"
    "       scenario ended in 2, 99, a signal or its time-out (test)\n"
    "  130  interrupted by SIGINT or SIGTERM (run, fuzz)\n";

typedef struct {
	const char *name;
	CommandFn fn;
	const char *args;
	const char *summary;
} Command;

/* The words handed to GOption after normalize_args (freed at exit). */
static GPtrArray *arg_words;

/* GOption reads "-s7" as an unknown option, and lets an option with an optional value
 * swallow the next word ("--realtime system.ini"). Rewrite such words for |entries| as
 * "-s" "7" and "--realtime=" (an empty value: the option's default) before parsing. */
static gboolean parse_args(GOptionContext *ctx, const GOptionEntry *entries, int *argc,
                           char ***argv, GError **error)
{
	if (!arg_words)
		arg_words = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *words = g_ptr_array_new();
	gboolean operands = FALSE;
	for (int i = 0; i < *argc; i++) {
		const char *a = (*argv)[i];
		gboolean option = i > 0 && !operands && a[0] == '-' && a[1];
		const GOptionEntry *split = NULL, *optional = NULL;
		for (const GOptionEntry *e = entries; option && e->long_name; e++) {
			gboolean takes =
			    e->arg != G_OPTION_ARG_NONE && !(e->flags & G_OPTION_FLAG_NO_ARG);
			if (a[1] != '-' && a[2] && e->short_name == a[1] && takes &&
			    !(e->flags & G_OPTION_FLAG_OPTIONAL_ARG))
				split = e;
			if (a[1] == '-' && !strcmp(a + 2, e->long_name) &&
			    (e->flags & G_OPTION_FLAG_OPTIONAL_ARG))
				optional = e;
		}
		if (option && !strcmp(a, "--"))
			operands = TRUE;
		char *w = split      ? g_strndup(a, 2)
		          : optional ? g_strconcat(a, "=", NULL)
		                     : g_strdup(a);
		g_ptr_array_add(arg_words, w);
		g_ptr_array_add(words, w);
		if (split) {
			w = g_strdup(a + 2);
			g_ptr_array_add(arg_words, w);
			g_ptr_array_add(words, w);
		}
	}
	*argc = (int)words->len;
	g_ptr_array_add(words, NULL);
	*argv = (char **)g_ptr_array_free(words, FALSE);
	g_ptr_array_add(arg_words, *argv); /* the array itself, once GOption has reordered it */
	return g_option_context_parse(ctx, argc, argv, error);
}

static gboolean parse_duration(const char *name, const char *value, gpointer data, GError **error)
{
	return ini_parse_duration_ns(value, name, 1, G_MAXUINT64, data, error);
}

/* --realtime takes an optional value */
static char *opt_realtime;

static gboolean parse_realtime(const char *name, const char *value, gpointer data, GError **error)
{
	g_free(opt_realtime);
	opt_realtime = g_strdup(value && *value ? value : "1");
	return TRUE;
}

/* Run |desc| writing the record, the timeline and the waveforms asked for (NULL: none); the
 * exit status. */
#define COVERAGE_HELP                                                                              \
	"Tasks built with --coverage write their gcov data (.gcda) under DIR, which is "           \
	"created; runs add up (docs/devtools.md)"

/* Append |arg| (taken) to the NULL-terminated |*argv|. */
static void append_arg(GStrv *argv, char *arg)
{
	guint n = g_strv_length(*argv);
	*argv = g_renew(char *, *argv, n + 2);
	(*argv)[n] = arg;
	(*argv)[n + 1] = NULL;
}

/* The absolute path of a --coverage DIR, created if needed; NULL (said why) if it cannot
 * be. */
static char *coverage_directory(const char *dir)
{
	if (g_mkdir_with_parents(dir, 0755) != 0 || !g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		fprintf(stderr, "sentry-sim: --coverage: cannot create the directory '%s': %s\n",
		        dir, g_strerror(errno));
		return NULL;
	}
	return g_canonicalize_filename(dir, NULL);
}

static int launch_with_files(const SysDesc *desc, LaunchOptions *opts, const char *record,
                             const char *trace, const char *vcd)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Recorder) rec = record ? recorder_new_file(record, &error) : NULL;
	if (record && !rec) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return RUN_BAD_INPUT;
	}
	g_autoptr(ChromeTrace) timeline = trace ? chrome_trace_new(trace, &error) : NULL;
	if (trace && !timeline) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return RUN_BAD_INPUT;
	}
	g_autoptr(VcdWriter) waves = vcd ? vcd_new(vcd, desc->kernel.board, &error) : NULL;
	if (vcd && !waves) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return RUN_BAD_INPUT;
	}
	opts->record = rec;
	opts->trace = timeline;
	opts->vcd = waves;
	RunStatus st = launch_scenario(desc, opts, &error);
	if (error)
		fprintf(stderr, "sentry-sim: %s\n", error->message);
	g_autoptr(GError) trace_error = NULL;
	if (timeline && !chrome_trace_finish(timeline, &trace_error)) {
		fprintf(stderr, "sentry-sim: %s\n", trace_error->message);
		return RUN_BAD_INPUT;
	}
	g_autoptr(GError) vcd_error = NULL;
	if (waves && !vcd_finish(waves, &vcd_error)) {
		fprintf(stderr, "sentry-sim: %s\n", vcd_error->message);
		return RUN_BAD_INPUT;
	}
	g_autoptr(GError) record_error = NULL;
	if (rec && !recorder_finish(rec, &record_error)) {
		fprintf(stderr, "sentry-sim: %s\n", record_error->message);
		return RUN_BAD_INPUT;
	}
	return st;
}

/* run: one described system (the options of `sentry-sim run`). */
static int cmd_run(int argc, char **argv)
{
	g_autofree char *seed_text = NULL;
	guint64 duration = 0;
	const char *realtime = NULL;
	gboolean raw = FALSE, quiet = FALSE;
	gint watchdog = 0, spin = 0;
	gboolean host_tsc = FALSE;
	g_auto(GStrv) search = NULL;
	g_autofree char *record = NULL;
	g_autofree char *results = NULL;
	g_autofree char *trace = NULL;
	g_autofree char *vcd = NULL;
	g_autofree char *gdb_task = NULL;
	g_autofree char *core_dir = NULL;
	g_autofree char *coverage = NULL;
	gboolean fork_server = FALSE, restart_in_place = FALSE;
	GOptionEntry entries[] = {
	    {"seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
	     "Seed of every random value (overrides the file's)", "N"},
	    {"duration", 'd', 0, G_OPTION_ARG_CALLBACK, parse_duration,
	     "Stop after this much virtual time (e.g. 10s, 500ms)", "TIME"},
	    {"realtime", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, NULL,
	     "Pace virtual time to the wall clock (RATIO: 2 = twice as fast)", "RATIO"},
	    {"raw", 0, 0, G_OPTION_ARG_NONE, &raw,
	     "Write task log bytes exactly as logged (no name prefix, no escaping)", NULL},
	    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No summary table", NULL},
	    {"task-path", 'I', 0, G_OPTION_ARG_FILENAME_ARRAY, &search,
	     "Also look for task binaries in DIR", "DIR"},
	    {"watchdog", 0, 0, G_OPTION_ARG_INT, &watchdog,
	     "Host CPU milliseconds a task may run without a system call (default 10000)", "MS"},
	    {"spin", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &spin,
	     "A task's fixed spin iterations before futex sleep (the daemon spins 16 times "
	     "longer); default: spins learned from each task's gaps between calls",
	     "N"},
	    {"host-tsc", 0, 0, G_OPTION_ARG_NONE, &host_tsc,
	     "Let rdtsc in tasks read the host's counter (to time task code; runs are then not "
	     "reproducible)",
	     NULL},
	    {"record", 0, 0, G_OPTION_ARG_FILENAME, &record,
	     "Write the syscall stream to FILE (replay it with 'sentry-sim replay')", "FILE"},
	    {"results", 0, 0, G_OPTION_ARG_FILENAME, &results,
	     "Write the verdict of each expectation to FILE (a key file, see "
	     "docs/scenarios.md)",
	     "FILE"},
	    {"trace", 0, 0, G_OPTION_ARG_FILENAME, &trace,
	     "Write a timeline of the run to FILE (Chrome JSON: ui.perfetto.dev, chrome://tracing)",
	     "FILE"},
	    {"vcd", 0, 0, G_OPTION_ARG_FILENAME, &vcd,
	     "Write GPIO lines, IRQ lines and task states to FILE as waveforms (VCD: GTKWave)",
	     "FILE"},
	    {"gdb", 0, 0, G_OPTION_ARG_STRING, &gdb_task,
	     "Hold TASK before its entry and print the gdb command that attaches to it "
	     "(virtual time waits for it; docs/devtools.md)",
	     "TASK"},
	    {"core-dir", 0, 0, G_OPTION_ARG_FILENAME, &core_dir,
	     "Write the core of each faulting task to DIR (with gdb's gcore), as NAME.PID", "DIR"},
	    {"coverage", 0, 0, G_OPTION_ARG_FILENAME, &coverage, COVERAGE_HELP, "DIR"},
	    {"fork-server", 0, 0, G_OPTION_ARG_NONE, &fork_server,
	     "Start each task binary once, as a fork server, and every task process as a "
	     "clone of it (as sentry-sim fuzz does; not with --core-dir or --gdb's task)",
	     NULL},
	    {"restart-in-place", 0, 0, G_OPTION_ARG_NONE, &restart_in_place,
	     "A task respawned by its exit (exit_mode = restart) keeps its process, its memory "
	     "brought back to its state at boot (as sentry-sim fuzz does; not with --core-dir "
	     "or --gdb's task)",
	     NULL},
	    {NULL},
	};
	entries[1].arg_data = (gpointer)parse_duration;
	entries[2].arg_data = (gpointer)parse_realtime;

	g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - run a described system");
	GOptionGroup *main_group = g_option_group_new(NULL, NULL, NULL, &duration, NULL);
	g_option_group_add_entries(main_group, entries);
	g_option_context_set_main_group(ctx, main_group);
	g_auto(BoardArgs) board = {0};
	g_option_context_add_group(ctx, boardview_option_group(&board));
	g_option_context_set_summary(
	    ctx, "Runs every task of FILE (a system description, see "
	         "docs/system-description.md)\nas a confined process under the simulated "
	         "Sentry kernel.");
	g_option_context_set_description(ctx, exit_statuses);
	g_autoptr(GError) error = NULL;
	if (!parse_args(ctx, entries, &argc, &argv, &error)) {
		fprintf(stderr, "sentry-sim: run: %s\n", error->message);
		return RUN_BAD_INPUT;
	}
	double ratio = 0;
	realtime = opt_realtime;
	if (realtime) {
		char *end = NULL;
		ratio = g_ascii_strtod(realtime, &end);
		if (!end || *end || !(ratio > 0)) {
			fprintf(stderr,
			        "sentry-sim: --realtime: '%s' is not a positive ratio (write "
			        "--realtime or --realtime=RATIO, e.g. --realtime=2)\n",
			        realtime);
			return RUN_BAD_INPUT;
		}
	}
	if (argc != 2) {
		fprintf(stderr,
		        "sentry-sim: run: expected one system description file%s "
		        "(try 'sentry-sim run --help')\n",
		        opt_realtime && argc > 2 ? " (a ratio is written --realtime=RATIO)" : "");
		return RUN_BAD_INPUT;
	}
	LaunchOptions opts = {.out = stdout,
	                      .diag = stderr,
	                      .raw = raw,
	                      .quiet = quiet,
	                      .duration_ns = duration,
	                      .realtime = ratio,
	                      .results = results};
	if (seed_text) {
		if (!ini_parse_u64(seed_text, "--seed", 0, G_MAXUINT64, &opts.seed, &error)) {
			fprintf(stderr, "sentry-sim: %s\n", error->message);
			return RUN_BAD_INPUT;
		}
		opts.seed_given = TRUE;
	}
	if (watchdog < 0 || spin < 0) {
		fprintf(stderr, "sentry-sim: --watchdog and --spin take positive values\n");
		return RUN_BAD_INPUT;
	}
	opts.watchdog_ms = (uint32_t)watchdog;
	opts.spin = (uint32_t)spin;
	opts.host_tsc = host_tsc;
	opts.gdb_task = gdb_task;
	if (core_dir && !debug_prepare_core_dir(core_dir, &error)) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return RUN_BAD_INPUT;
	}
	opts.core_dir = core_dir;
	opts.fork_server = fork_server;
	opts.restart_in_place = restart_in_place;
	g_autofree char *coverage_dir = NULL;
	if (coverage && !(coverage_dir = coverage_directory(coverage)))
		return RUN_BAD_INPUT;
	opts.coverage_dir = coverage_dir;

	SysBoardOptions board_opts = boardview_options(&board);
	g_autoptr(SysDesc) desc =
	    sysdesc_load_board(argv[1], (const char *const *)search, &board_opts, &error);
	if (!desc) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return RUN_BAD_INPUT;
	}
	for (guint i = 0; i < desc->warnings->len; i++)
		fprintf(stderr, "sentry-sim: %s\n", (const char *)desc->warnings->pdata[i]);
	return launch_with_files(desc, &opts, record, trace, vcd);
}

/* replay: run a record's scenario again with its seed; the first divergence is the answer. */
static int cmd_replay(int argc, char **argv)
{
	g_auto(GStrv) search = NULL;
	gboolean show = FALSE;
	GOptionEntry entries[] = {
	    {"task-path", 'I', 0, G_OPTION_ARG_FILENAME_ARRAY, &search,
	     "Also look for task binaries in DIR", "DIR"},
	    {"show", 0, 0, G_OPTION_ARG_NONE, &show, "Show the run's output and summary too", NULL},
	    {NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("RECORD - run a record again");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_summary(
	    ctx,
	    "Runs the scenario of RECORD (written by 'sentry-sim run --record') with its seed\n"
	    "and compares the syscall stream with it, line by line.");
	g_option_context_set_description(ctx, exit_statuses);
	g_autoptr(GError) error = NULL;
	if (!parse_args(ctx, entries, &argc, &argv, &error)) {
		fprintf(stderr, "sentry-sim: replay: %s\n", error->message);
		return 2;
	}
	if (argc != 2) {
		fprintf(stderr, "sentry-sim: replay: expected one record file\n");
		return 2;
	}
	g_autofree char *scenario = NULL;
	uint64_t seed = 0;
	if (!record_read_header(argv[1], &scenario, &seed, &error)) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return 2;
	}
	g_autoptr(SysDesc) desc = sysdesc_load(scenario, (const char *const *)search, &error);
	if (!desc) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return 2;
	}
	g_autoptr(Recorder) rec = recorder_new_compare(argv[1], &error);
	if (!rec) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return 2;
	}
	FILE *sink = show ? stdout : fopen("/dev/null", "w");
	LaunchOptions opts = {.seed_given = TRUE,
	                      .seed = seed,
	                      .record = rec,
	                      .out = sink,
	                      .diag = show ? stderr : sink,
	                      .quiet = !show};
	(void)launch_scenario(desc, &opts, &error);
	if (!show)
		fclose(sink);
	if (error) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return 2;
	}
	if (!recorder_finish(rec, NULL)) {
		printf("replay: diverged from %s at %s\n", argv[1], recorder_divergence(rec));
		return 1;
	}
	printf("replay: identical to %s (scenario %s, seed %" G_GUINT64_FORMAT ")\n", argv[1],
	       scenario, seed);
	return 0;
}

/* The fuzz task binary: the build tree's (next to an uninstalled sentry-sim), or the
 * installed one (in pkglibexecdir, or at the same place relative to a moved prefix). */
static char *find_fuzz_task(void)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = self ? g_path_get_dirname(self) : g_strdup(".");
	char *candidates[] = {
	    g_build_filename(dir, "tests", "fuzz", "fuzz-task", NULL),
	    g_build_filename(PKGLIBEXECDIR, "fuzz-task", NULL),
	    g_build_filename(dir, "..", "libexec", PACKAGE, "fuzz-task", NULL),
	};
	char *found = NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(candidates); i++) {
		if (!found && g_file_test(candidates[i], G_FILE_TEST_IS_EXECUTABLE))
			found = g_steal_pointer(&candidates[i]);
		g_free(candidates[i]);
	}
	return found;
}

/* fuzz: generated programs, in-process and through real task processes (docs/fuzzing.md). */
static int cmd_fuzz(int argc, char **argv)
{
	FuzzRunOptions o;
	fuzzrun_options_init(&o);
	gint64 seed = 1, iterations = -1;
	gint jobs = 1;
	double time_s = 0;
	char *save = NULL, *replay = NULL, *task = NULL;
	GOptionEntry entries[] = {
	    {"seed", 's', 0, G_OPTION_ARG_INT64, &seed, "First seed (default 1)", "N"},
	    {"iterations", 'n', 0, G_OPTION_ARG_INT64, &iterations,
	     "Programs to run (default 100; 0 with --time: until the time is up)", "N"},
	    {"time", 't', 0, G_OPTION_ARG_DOUBLE, &time_s, "Wall-time budget", "S"},
	    {"save", 0, 0, G_OPTION_ARG_FILENAME, &save, "Save minimized failures to DIR", "DIR"},
	    {"replay", 0, 0, G_OPTION_ARG_FILENAME, &replay, "Run one encoded program", "FILE"},
	    {"task", 0, 0, G_OPTION_ARG_FILENAME, &task,
	     "The fuzz task binary (default: the installed one)", "PATH"},
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
	     "Run N worker processes, each its share of the programs (default 1)", "N"},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &o.verbose, "Print the replayed program", NULL},
	    {"no-restart-in-place", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE,
	     &o.restart_in_place,
	     "Start a new process for every respawn of a task, not restart it in place", NULL},
	    {"no-fork-server", 0, G_OPTION_FLAG_REVERSE, G_OPTION_ARG_NONE, &o.fork_server,
	     "Start every task process with fork and exec, not as a clone of a fork server", NULL},
	    {NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("- fuzz the daemon with real tasks");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, exit_statuses);
	g_autoptr(GError) error = NULL;
	if (!parse_args(ctx, entries, &argc, &argv, &error)) {
		fprintf(stderr, "sentry-sim: fuzz: %s\n", error->message);
		return 2;
	}
	if (jobs < 1 || jobs > FUZZ_MAX_JOBS) {
		fprintf(stderr, "sentry-sim: fuzz: --jobs %d: give 1 to %d\n", jobs, FUZZ_MAX_JOBS);
		g_free(save);
		g_free(replay);
		g_free(task);
		return 2;
	}
	o.jobs = replay ? 1 : (guint)jobs;
	o.seed = (uint64_t)seed;
	o.time_s = time_s;
	o.iterations = iterations >= 0 ? (uint64_t)iterations : time_s > 0 ? 0 : o.iterations;
	o.save_dir = save;
	if (!task)
		task = find_fuzz_task();
	if (!task || !g_file_test(task, G_FILE_TEST_IS_EXECUTABLE)) {
		if (task)
			fprintf(stderr, "sentry-sim: fuzz: --task '%s': not an executable file\n",
			        task);
		else
			fprintf(stderr,
			        "sentry-sim: fuzz: the fuzz task binary is not installed "
			        "(expected in %s; give one with --task PATH)\n",
			        PKGLIBEXECDIR);
		g_free(save);
		g_free(replay);
		g_free(task);
		return 2;
	}
	o.task_binary = task;
	g_clear_error(&error);
	/* every program would fail the same way; workers make their own daemons */
	if (o.jobs > 1 ? !confine_helper_check(&error) : !confine_daemon_init(&error)) {
		fprintf(stderr, "sentry-sim: fuzz: %s\n", error->message);
		g_free(save);
		g_free(replay);
		g_free(task);
		return 2;
	}
	int rc = replay ? fuzzrun_replay(&o, replay) : fuzzrun_main(&o);
	g_free(save);
	g_free(replay);
	g_free(task);
	return rc;
}

static int cmd_help(int argc, char **argv);

/* "I/N" with 1 <= I <= N. */
static gboolean parse_shard(const char *text, guint *i, guint *n)
{
	g_auto(GStrv) parts = g_strsplit(text, "/", -1);
	guint64 a, b;
	return g_strv_length(parts) == 2 &&
	       g_ascii_string_to_unsigned(parts[0], 10, 1, G_MAXUINT, &a, NULL) &&
	       g_ascii_string_to_unsigned(parts[1], 10, 1, G_MAXUINT, &b, NULL) && a <= b &&
	       ((*i = (guint)a), (*n = (guint)b), TRUE);
}

/* test: many scenarios; TAP on stdout as they end, JUnit XML on request (sim/scenario/suite.h). */
static int cmd_test(int argc, char **argv)
{
	gint jobs = 1, timeout = 300, tap_version = 13;
	gboolean list = FALSE, merge = FALSE;
	g_autofree char *junit = NULL, *shard = NULL, *keep = NULL, *trace_dir = NULL,
	                *core_dir = NULL, *coverage = NULL;
	g_auto(GStrv) search = NULL, filters = NULL, tags = NULL;
	GOptionEntry entries[] = {
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Run N scenarios at a time", "N"},
	    {"junit", 0, 0, G_OPTION_ARG_FILENAME, &junit,
	     "Also write JUnit XML to FILE (a test case per expectation)", "FILE"},
	    {"timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
	     "Wall-clock seconds one scenario may take (0: no limit; default 300)", "S"},
	    {"task-path", 'I', 0, G_OPTION_ARG_FILENAME_ARRAY, &search,
	     "Also look for task binaries in DIR", "DIR"},
	    {"tap-version", 0, 0, G_OPTION_ARG_INT, &tap_version,
	     "TAP version to write: 13 (default) or 14", "13|14"},
	    {"filter", 0, 0, G_OPTION_ARG_STRING_ARRAY, &filters,
	     "Only scenarios whose path matches GLOB (* and ?; repeat for more)", "GLOB"},
	    {"tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags,
	     "Only scenarios tagged TAG ('tags' of [system]; repeat for more)", "TAG"},
	    {"list", 0, 0, G_OPTION_ARG_NONE, &list,
	     "Print the paths of the selected scenarios, run nothing", NULL},
	    {"shard", 0, 0, G_OPTION_ARG_STRING, &shard,
	     "Run share I of N (1 <= I <= N): N machines run disjoint shares", "I/N"},
	    {"merge", 0, 0, G_OPTION_ARG_NONE, &merge,
	     "Merge JUnit files: PATH... is OUT.xml IN.xml..., nothing runs", NULL},
	    {"keep-failed", 0, 0, G_OPTION_ARG_FILENAME, &keep,
	     "Keep the record (--record) and trace (--trace) of each failed run in DIR", "DIR"},
	    {"trace-dir", 0, 0, G_OPTION_ARG_FILENAME, &trace_dir,
	     "Write the trace (--trace) of every run to DIR, one file per scenario", "DIR"},
	    {"core-dir", 0, 0, G_OPTION_ARG_FILENAME, &core_dir,
	     "Write the core of each faulting task to DIR (run --core-dir)", "DIR"},
	    {"coverage", 0, 0, G_OPTION_ARG_FILENAME, &coverage, COVERAGE_HELP, "DIR"},
	    {NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("PATH... - run many scenarios");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_auto(BoardArgs) board = {0};
	g_option_context_add_group(ctx, boardview_option_group(&board));
	g_option_context_set_summary(
	    ctx, "Runs every scenario given (a .ini file, or a directory searched for them) as\n"
	         "'sentry-sim run' would, and reports each expectation in TAP (a subtest per\n"
	         "scenario, printed as each run ends), then a summary of the failures on stderr.\n"
	         "See docs/scenarios.md, \"Running scenarios in CI\".");
	g_option_context_set_description(ctx, exit_statuses);
	g_autoptr(GError) error = NULL;
	if (!parse_args(ctx, entries, &argc, &argv, &error)) {
		fprintf(stderr, "sentry-sim: test: %s\n", error->message);
		return 2;
	}
	if (merge) {
		if (argc < 3) {
			fprintf(stderr, "sentry-sim: test: --merge needs OUT.xml and the JUnit "
			                "files to merge\n");
			return 2;
		}
		if (!report_merge(argv[1], (const char *const *)argv + 2, &error)) {
			fprintf(stderr, "sentry-sim: test: --merge: %s\n", error->message);
			return 2;
		}
		return 0;
	}
	guint shard_i = 0, shard_n = 0;
	if (shard && !parse_shard(shard, &shard_i, &shard_n)) {
		fprintf(stderr,
		        "sentry-sim: test: --shard '%s': expected I/N with 1 <= I <= N, "
		        "such as 2/3\n",
		        shard);
		return 2;
	}
	if (tap_version != 13 && tap_version != 14) {
		fprintf(stderr, "sentry-sim: test: --tap-version %d: 13 or 14\n", tap_version);
		return 2;
	}
	if (argc < 2 || jobs < 1 || timeout < 0) {
		fprintf(stderr, "sentry-sim: test: expected scenario files or directories, and "
		                "positive --jobs (try 'sentry-sim test --help')\n");
		return 2;
	}
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	g_auto(GStrv) run_args = boardview_argv(&board);
	if (core_dir) {
		if (!debug_prepare_core_dir(core_dir, &error)) {
			fprintf(stderr, "sentry-sim: test: %s\n", error->message);
			return 2;
		}
		g_autofree char *abs = g_canonicalize_filename(core_dir, NULL);
		append_arg(&run_args, g_strdup_printf("--core-dir=%s", abs));
	}
	if (coverage) { /* every run merges into the same files (gcov locks them) */
		g_autofree char *dir = coverage_directory(coverage);
		if (!dir)
			return 2;
		append_arg(&run_args, g_strconcat("--coverage=", dir, NULL));
	}
	SuiteOptions o = {.paths = (const char *const *)argv + 1,
	                  .search = (const char *const *)search,
	                  .run_args = (const char *const *)run_args,
	                  .filters = (const char *const *)filters,
	                  .tags = (const char *const *)tags,
	                  .shard_i = shard_i,
	                  .shard_n = shard_n,
	                  .list = list,
	                  .jobs = (guint)jobs,
	                  .tap_version = (guint)tap_version,
	                  .junit = junit,
	                  .keep_failed = keep,
	                  .trace_dir = trace_dir,
	                  .timeout_s = (guint)timeout,
	                  .self = self ? self : argv[0]};
	return suite_run(&o);
}

/* board: print the board of a description (sim/scenario/boardview.c). */
static int cmd_board(int argc, char **argv)
{
	return boardview_command(argc, argv, exit_statuses);
}

static int cmd_version(int argc, char **argv)
{
	printf("%s\n", PACKAGE_STRING);
	return 0;
}

static const Command commands[] = {
    {.name = "run", .fn = cmd_run, .args = "FILE", .summary = "run a described system"},
    {.name = "test",
     .fn = cmd_test,
     .args = "PATH...",
     .summary = "run many scenarios: TAP, JUnit XML, shards"},
    {.name = "board",
     .fn = cmd_board,
     .args = "FILE",
     .summary = "print the board of a described system"},
    {.name = "replay",
     .fn = cmd_replay,
     .args = "RECORD",
     .summary = "run a record again and report the first divergence"},
    {.name = "fuzz",
     .fn = cmd_fuzz,
     .args = "",
     .summary = "fuzz the daemon with generated programs and real tasks"},
    {.name = "version", .fn = cmd_version, .args = "", .summary = "print the version"},
    {.name = "help", .fn = cmd_help, .args = "", .summary = "this list"},
};

static int cmd_help(int argc, char **argv)
{
	printf("usage: sentry-sim COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		printf("  %-8s %-6s %s\n", commands[i].name, commands[i].args, commands[i].summary);
	printf("\n'sentry-sim COMMAND --help' describes a command's options.\n\n%s", exit_statuses);
	return 0;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2) {
		cmd_help(argc, argv);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(argc, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc, argv);
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			g_autofree char *prg = g_strdup_printf("sentry-sim %s", argv[1]);
			argv[1] = prg;
			int rc = commands[i].fn(argc - 1, argv + 1);
			if (arg_words)
				g_ptr_array_unref(arg_words);
			return rc;
		}
	}
	fprintf(stderr, "sentry-sim: unknown command '%s' (try 'sentry-sim help')\n", argv[1]);
	return 2;
}
