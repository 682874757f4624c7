/*
 * suite.c: `sentry-sim test` (see suite.h).
 *
 * Each scenario runs as `sentry-sim run -q FILE` in a child whose stdout and stderr go to a
 * memfd; the parent keeps up to |jobs| children running, reaps whichever ends, and prints
 * the TAP lines in the order the scenarios were given, so the report does not depend on
 * which run finished first. Exit statuses of `run` map as automake's drivers expect: 0 pass,
 * 77 skip, 1 and 3 (panic) fail, anything else is an error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/scenario/suite.h"

typedef struct {
	char *path;
	pid_t pid;
	int out_fd;
	gint64 started_us;
	gboolean done, timed_out;
	int status; /* exit status of run, or -1 */
	double seconds;
	char *output;
} Case;

static gint cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* |path| itself, or every *.ini below it, in name order. */
static void collect(const char *path, GPtrArray *out)
{
	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_ptr_array_add(out, g_strdup(path));
		return;
	}
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	if (!dir)
		return;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while ((name = g_dir_read_name(dir)))
		g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_sort(names, cmp_names);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *child = g_build_filename(path, names->pdata[i], NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			collect(child, out);
		else if (g_str_has_suffix(child, ".ini"))
			g_ptr_array_add(out, g_steal_pointer(&child));
	}
}

static gboolean start_case(Case *c, const SuiteOptions *o)
{
	c->out_fd = memfd_create("sentry-sim-test", MFD_CLOEXEC);
	if (c->out_fd < 0)
		return FALSE;
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(o->self));
	g_ptr_array_add(argv, g_strdup("run"));
	g_ptr_array_add(argv, g_strdup("-q"));
	for (guint i = 0; o->run_args && o->run_args[i]; i++)
		g_ptr_array_add(argv, g_strdup(o->run_args[i]));
	for (guint i = 0; o->search && o->search[i]; i++) {
		g_ptr_array_add(argv, g_strdup("-I"));
		g_ptr_array_add(argv, g_strdup(o->search[i]));
	}
	g_ptr_array_add(argv, g_strdup(c->path));
	g_ptr_array_add(argv, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (dup2(c->out_fd, 1) < 0 || dup2(c->out_fd, 2) < 0)
			_exit(99);
		execv(o->self, (char **)argv->pdata);
		_exit(99);
	}
	g_ptr_array_free(argv, TRUE);
	if (pid < 0)
		return FALSE;
	c->pid = pid;
	c->started_us = g_get_monotonic_time();
	return TRUE;
}

static void finish_case(Case *c, int wstatus)
{
	c->done = TRUE;
	c->seconds = (double)(g_get_monotonic_time() - c->started_us) / 1e6;
	c->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	off_t len = lseek(c->out_fd, 0, SEEK_END);
	c->output = g_malloc0((gsize)(len > 0 ? len : 0) + 1);
	if (len > 0)
		(void)!pread(c->out_fd, c->output, (size_t)len, 0);
	close(c->out_fd);
}

static const char *verdict(const Case *c)
{
	if (c->timed_out)
		return "error";
	switch (c->status) {
	case 0:
		return "pass";
	case 77:
		return "skip";
	case 1:
	case 3:
		return "fail";
	default:
		return "error";
	}
}

/* The last |n| lines of |text|. */
static const char *tail_lines(const char *text, int n)
{
	const char *p = text + strlen(text);
	if (p > text && p[-1] == '\n')
		p--;
	while (p > text && n > 0) {
		p--;
		if (*p == '\n')
			n--;
	}
	return p == text ? p : p + 1;
}

static void tap_case(guint i, const Case *c)
{
	const char *v = verdict(c);
	if (!strcmp(v, "pass")) {
		printf("ok %u - %s\n", i + 1, c->path);
	} else if (!strcmp(v, "skip")) {
		printf("ok %u - %s # SKIP the scenario needs something this host lacks\n", i + 1,
		       c->path);
	} else {
		printf("not ok %u - %s\n", i + 1, c->path);
		printf("  ---\n");
		printf("  message: %s\n", c->timed_out ? "the run took too long and was killed"
					  : c->status == 3 ? "kernel panic"
					  : !strcmp(v, "fail") ? "the scenario failed"
							       : "the scenario could not run");
		printf("  exit: %d\n", c->status);
		printf("  output: |\n");
		g_auto(GStrv) lines = g_strsplit(tail_lines(c->output, 30), "\n", -1);
		for (guint l = 0; lines[l]; l++)
			if (lines[l][0] || lines[l + 1])
				printf("    %s\n", lines[l]);
		printf("  ...\n");
	}
	fflush(stdout);
}

static void xml_text(GString *s, const char *text)
{
	g_autofree char *esc = g_markup_escape_text(text, -1);
	g_string_append(s, esc);
}

static gboolean write_junit(const char *path, Case *cases, guint n, double total)
{
	guint failures = 0, errors = 0, skipped = 0;
	for (guint i = 0; i < n; i++) {
		const char *v = verdict(&cases[i]);
		failures += !strcmp(v, "fail");
		errors += !strcmp(v, "error");
		skipped += !strcmp(v, "skip");
	}
	GString *x = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	g_string_append_printf(x,
			       "<testsuites>\n  <testsuite name=\"sentry-sim\" tests=\"%u\" "
			       "failures=\"%u\" errors=\"%u\" skipped=\"%u\" time=\"%.3f\">\n",
			       n, failures, errors, skipped, total);
	for (guint i = 0; i < n; i++) {
		const Case *c = &cases[i];
		g_autofree char *dir = g_path_get_dirname(c->path);
		g_autofree char *base = g_path_get_basename(c->path);
		g_string_append(x, "    <testcase classname=\"");
		xml_text(x, dir);
		g_string_append(x, "\" name=\"");
		xml_text(x, base);
		g_string_append_printf(x, "\" time=\"%.3f\">\n", c->seconds);
		const char *v = verdict(c);
		if (!strcmp(v, "skip")) {
			g_string_append(x, "      <skipped/>\n");
		} else if (strcmp(v, "pass")) {
			g_string_append_printf(x, "      <%s message=\"exit status %d\">",
					       !strcmp(v, "fail") ? "failure" : "error", c->status);
			xml_text(x, c->output);
			g_string_append_printf(x, "</%s>\n", !strcmp(v, "fail") ? "failure" : "error");
		}
		if (!strcmp(v, "pass") || !strcmp(v, "skip")) {
			g_string_append(x, "      <system-out>");
			xml_text(x, c->output);
			g_string_append(x, "</system-out>\n");
		}
		g_string_append(x, "    </testcase>\n");
	}
	g_string_append(x, "  </testsuite>\n</testsuites>\n");
	g_autoptr(GError) err = NULL;
	gboolean ok = g_file_set_contents(path, x->str, (gssize)x->len, &err);
	if (!ok)
		fprintf(stderr, "sentry-sim: test: --junit: %s\n", err->message);
	g_string_free(x, TRUE);
	return ok;
}

int suite_run(const SuiteOptions *o)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; o->paths[i]; i++) {
		if (!g_file_test(o->paths[i], G_FILE_TEST_EXISTS)) {
			fprintf(stderr, "sentry-sim: test: '%s' does not exist\n", o->paths[i]);
			return 2;
		}
		collect(o->paths[i], paths);
	}
	printf("TAP version 14\n");
	if (paths->len == 0) {
		printf("1..0 # SKIP no scenario found\n");
		return 0;
	}
	printf("1..%u\n", paths->len);
	fflush(stdout);
	guint n = paths->len;
	Case *cases = g_new0(Case, n);
	for (guint i = 0; i < n; i++)
		cases[i].path = g_strdup(paths->pdata[i]);
	gint64 t0 = g_get_monotonic_time();
	guint next = 0, running = 0, reported = 0;
	int rc = 0;
	while (reported < n) {
		while (running < MAX(o->jobs, 1u) && next < n) {
			if (!start_case(&cases[next], o)) {
				cases[next].done = TRUE;
				cases[next].status = -1;
				cases[next].output = g_strdup_printf("cannot start a run: %s\n",
								     g_strerror(errno));
			} else {
				running++;
			}
			next++;
		}
		int wstatus;
		pid_t pid = waitpid(-1, &wstatus, WNOHANG);
		if (pid > 0) {
			for (guint i = 0; i < n; i++) {
				if (cases[i].pid == pid && !cases[i].done) {
					finish_case(&cases[i], wstatus);
					running--;
				}
			}
		} else {
			struct timespec ts = {0, 2 * 1000 * 1000};
			nanosleep(&ts, NULL);
			for (guint i = 0; o->timeout_s && i < n; i++) {
				Case *c = &cases[i];
				if (c->pid > 0 && !c->done && !c->timed_out &&
				    g_get_monotonic_time() - c->started_us >
					    (gint64)o->timeout_s * G_USEC_PER_SEC) {
					c->timed_out = TRUE;
					kill(c->pid, SIGKILL);
				}
			}
		}
		while (reported < n && cases[reported].done) {
			tap_case(reported, &cases[reported]);
			const char *v = verdict(&cases[reported]);
			if (!strcmp(v, "fail") && rc == 0)
				rc = 1;
			if (!strcmp(v, "error"))
				rc = 99;
			reported++;
		}
	}
	double total = (double)(g_get_monotonic_time() - t0) / 1e6;
	if (o->junit && !write_junit(o->junit, cases, n, total))
		rc = 99;
	for (guint i = 0; i < n; i++) {
		g_free(cases[i].path);
		g_free(cases[i].output);
	}
	g_free(cases);
	return rc;
}
