/*
 * main.c: the sentry-sim command line, a thin layer over sim/ (one table of commands).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sim/host/run.h"
#include "sim/scenario/ini.h"
#include "sim/scenario/sysdesc.h"

typedef int (*CommandFn)(int argc, char **argv);

typedef struct {
	const char *name;
	CommandFn fn;
	const char *args;
	const char *summary;
} Command;

static gboolean parse_duration(const char *name, const char *value, gpointer data,
			       GError **error)
{
	return ini_parse_duration_ns(value, name, 1, G_MAXUINT64, data, error);
}

/* --realtime takes an optional value */
static char *opt_realtime;

static gboolean parse_realtime(const char *name, const char *value, gpointer data,
			       GError **error)
{
	g_free(opt_realtime);
	opt_realtime = g_strdup(value ? value : "1");
	return TRUE;
}

static int cmd_run(int argc, char **argv)
{
	g_autofree char *seed_text = NULL;
	guint64 duration = 0;
	const char *realtime = NULL;
	gboolean raw = FALSE, quiet = FALSE;
	gint watchdog = 0, spin = 0;
	g_auto(GStrv) search = NULL;
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
		 "Host CPU milliseconds a task may run without a system call (default 10000)",
		 "MS"},
		{"spin", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &spin,
		 "Spin iterations before futex sleep", "N"},
		{NULL},
	};
	entries[1].arg_data = (gpointer)parse_duration;
	entries[2].arg_data = (gpointer)parse_realtime;

	g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - run a described system");
	GOptionGroup *main_group = g_option_group_new(NULL, NULL, NULL, &duration, NULL);
	g_option_group_add_entries(main_group, entries);
	g_option_context_set_main_group(ctx, main_group);
	g_option_context_set_summary(
		ctx, "Runs every task of FILE (a system description, see "
		     "docs/system-description.md)\nas a confined process under the simulated "
		     "Sentry kernel.\n\nExit status: 0 ok, 1 a task failed, 2 bad input, 3 kernel "
		     "panic.");
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "sentry-sim: run: %s\n", error->message);
		return RUN_BAD_INPUT;
	}
	if (argc != 2) {
		fprintf(stderr, "sentry-sim: run: expected one system description file "
				"(try 'sentry-sim run --help')\n");
		return RUN_BAD_INPUT;
	}
	RunOptions opts = {.out = stdout, .diag = stderr, .raw = raw, .quiet = quiet,
			   .duration_ns = duration};
	if (seed_text) {
		if (!ini_parse_u64(seed_text, "--seed", 0, G_MAXUINT64, &opts.seed, &error)) {
			fprintf(stderr, "sentry-sim: %s\n", error->message);
			return RUN_BAD_INPUT;
		}
		opts.seed_given = TRUE;
	}
	realtime = opt_realtime;
	if (realtime) {
		char *end = NULL;
		opts.realtime = g_ascii_strtod(realtime, &end);
		if (!end || *end || !(opts.realtime > 0)) {
			fprintf(stderr, "sentry-sim: --realtime: '%s' is not a positive ratio\n",
				realtime);
			return RUN_BAD_INPUT;
		}
	}
	if (watchdog < 0 || spin < 0) {
		fprintf(stderr, "sentry-sim: --watchdog and --spin take positive values\n");
		return RUN_BAD_INPUT;
	}
	opts.watchdog_ms = (uint32_t)watchdog;
	opts.spin = (uint32_t)spin;

	g_autoptr(SysDesc) desc = sysdesc_load(argv[1], (const char *const *)search, &error);
	if (!desc) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return RUN_BAD_INPUT;
	}
	for (guint i = 0; i < desc->warnings->len; i++)
		fprintf(stderr, "sentry-sim: %s\n", (const char *)desc->warnings->pdata[i]);
	opts.desc = desc;
	RunStatus st = run_system(&opts, &error);
	if (error)
		fprintf(stderr, "sentry-sim: %s\n", error->message);
	return st;
}

static int cmd_help(int argc, char **argv);

static int cmd_version(int argc, char **argv)
{
	printf("%s\n", PACKAGE_STRING);
	return 0;
}

static const Command commands[] = {
	{.name = "run", .fn = cmd_run, .args = "FILE", .summary = "run a described system"},
	{.name = "version", .fn = cmd_version, .args = "", .summary = "print the version"},
	{.name = "help", .fn = cmd_help, .args = "", .summary = "this list"},
};

static int cmd_help(int argc, char **argv)
{
	printf("usage: sentry-sim COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		printf("  %-8s %-6s %s\n", commands[i].name, commands[i].args, commands[i].summary);
	printf("\n'sentry-sim COMMAND --help' describes a command's options.\n");
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
			return commands[i].fn(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "sentry-sim: unknown command '%s' (try 'sentry-sim help')\n", argv[1]);
	return 2;
}
