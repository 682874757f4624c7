/*
 * suite.c: `sentry-sim test` (see suite.h).
 *
 * The scenarios given (files, or directories searched for *.ini in name order) are selected
 * (--filter, --tag), shared out (--shard) and run: each as `sentry-sim run -q --results FILE`
 * in a child whose stdout and stderr go to a memfd. The parent keeps up to |jobs| children
 * running and reaps whichever ends; each case is reported in TAP as soon as it ends (points
 * numbered in the order they end, so a slow case holds nothing back), and the JUnit file and
 * the summary list the cases in suite order. Exit statuses of `run` map to outcomes in
 * report.c: 0 pass, 77 skip, 1 and 3 fail, anything else (or a signal, or the timeout) an
 * error. On a terminal, stderr shows one line of progress, erased before anything else is
 * written.
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

#include "sim/scenario/ini.h"
#include "sim/scenario/report.h"
#include "sim/scenario/suite.h"

typedef struct {
	SuiteCase c;
	pid_t pid;
	int out_fd;
	gint64 started_us;
	gboolean started, done;
	char *results_path;
} Run;

typedef struct {
	const SuiteOptions *o;
	Run *runs;
	guint n, finished, failed;
	gint64 t0;
	gboolean progress; /* stderr is a terminal */
	gboolean shown;    /* a progress line is on the screen */
	char *tmpdir;
} Suite;

static gint cmp_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* |path| itself, or every *.ini below it, in name order; |keys| gets each one's path
 * relative to |root| (a file given alone: its name). */
static void collect(const char *root, const char *path, GPtrArray *out, GPtrArray *keys)
{
	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_ptr_array_add(out, g_strdup(path));
		if (!strcmp(root, path))
			g_ptr_array_add(keys, g_path_get_basename(path));
		else
			g_ptr_array_add(keys,
			                g_strdup(path + strlen(root) +
			                         (G_IS_DIR_SEPARATOR(path[strlen(root)]) ? 1 : 0)));
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
		if (g_file_test(child, G_FILE_TEST_IS_DIR) || g_str_has_suffix(child, ".ini"))
			collect(root, child, out, keys);
	}
}

guint suite_shard_of(const char *key, guint n)
{
	guint32 h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return n ? h % n + 1 : 1;
}

GStrv suite_tags(const char *path)
{
	g_autoptr(IniFile) f = ini_load(path, NULL);
	g_autofree char *text = NULL;
	int g = f ? ini_find_group(f, "system") : -1;
	if (g < 0 || !ini_get_string(f, (guint)g, "tags", &text, NULL) || !text)
		return g_new0(char *, 1);
	g_auto(GStrv) words = g_regex_split_simple("[;,\\s]+", text, 0, 0);
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	for (guint i = 0; words[i]; i++)
		if (words[i][0])
			g_strv_builder_add(b, words[i]);
	return g_strv_builder_end(b);
}

/* Does the scenario pass --filter and --tag? */
static gboolean selected(const SuiteOptions *o, const char *path, const char *key)
{
	if (o->filters && o->filters[0]) {
		gboolean any = FALSE;
		for (guint i = 0; o->filters[i] && !any; i++)
			any = g_pattern_match_simple(o->filters[i], path) ||
			      g_pattern_match_simple(o->filters[i], key);
		if (!any)
			return FALSE;
	}
	if (o->tags && o->tags[0]) {
		g_auto(GStrv) tags = suite_tags(path);
		for (guint i = 0; o->tags[i]; i++)
			if (g_strv_contains((const char *const *)tags, o->tags[i]))
				return TRUE;
		return FALSE;
	}
	return TRUE;
}

/* ---- progress ---------------------------------------------------------------------------- */

static void progress_clear(Suite *s)
{
	if (s->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		s->shown = FALSE;
	}
}

static void progress_show(Suite *s)
{
	if (!s->progress)
		return;
	double secs = (double)(g_get_monotonic_time() - s->t0) / 1e6;
	fprintf(stderr, "\r\033[K[%u/%u] %u failed, %.1f s", s->finished, s->n, s->failed, secs);
	fflush(stderr);
	s->shown = TRUE;
}

/* ---- runs -------------------------------------------------------------------------------- */

/* A file name for the record (|ext| "rec") or trace ("json") of |c| in |dir|: its key with
 * '/' made '__', ".ini" made ".EXT", made unique. */
static char *case_path(const char *dir, const SuiteCase *c, const char *ext)
{
	g_autofree char *base = g_strdup(c->key);
	if (g_str_has_suffix(base, ".ini"))
		base[strlen(base) - 4] = '\0';
	g_autoptr(GString) name = g_string_new(NULL);
	for (const char *p = base; *p; p++)
		if (G_IS_DIR_SEPARATOR(*p))
			g_string_append(name, "__");
		else
			g_string_append_c(name, *p);
	g_autofree char *plain = g_strdup_printf("%s.%s", name->str, ext);
	char *path = g_build_filename(dir, plain, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return path;
	g_free(path);
	g_autofree char *numbered = g_strdup_printf("%s-%u.%s", name->str, c->index + 1, ext);
	return g_build_filename(dir, numbered, NULL);
}

static gboolean start_run(Suite *s, Run *r)
{
	const SuiteOptions *o = s->o;
	r->out_fd = memfd_create("sentry-sim-test", MFD_CLOEXEC);
	if (r->out_fd < 0)
		return FALSE;
	r->results_path = g_strdup_printf("%s/%u.results", s->tmpdir, r->c.index);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(argv, g_strdup(o->self));
	g_ptr_array_add(argv, g_strdup("run"));
	g_ptr_array_add(argv, g_strdup("-q"));
	for (guint i = 0; o->run_args && o->run_args[i]; i++)
		g_ptr_array_add(argv, g_strdup(o->run_args[i]));
	g_ptr_array_add(argv, g_strdup_printf("--results=%s", r->results_path));
	if (o->keep_failed) {
		r->c.record = case_path(o->keep_failed, &r->c, "rec");
		g_ptr_array_add(argv, g_strdup_printf("--record=%s", r->c.record));
	}
	if (o->trace_dir || o->keep_failed) {
		r->c.trace = case_path(o->trace_dir ? o->trace_dir : o->keep_failed, &r->c, "json");
		g_ptr_array_add(argv, g_strdup_printf("--trace=%s", r->c.trace));
	}
	for (guint i = 0; o->search && o->search[i]; i++)
		g_ptr_array_add(argv, g_strdup_printf("--task-path=%s", o->search[i]));
	g_ptr_array_add(argv, g_strdup("--"));
	g_ptr_array_add(argv, g_strdup(r->c.path));
	g_ptr_array_add(argv, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (dup2(r->out_fd, 1) < 0 || dup2(r->out_fd, 2) < 0)
			_exit(99);
		execv(o->self, (char **)argv->pdata);
		_exit(99);
	}
	if (pid < 0)
		return FALSE;
	r->pid = pid;
	r->started_us = g_get_monotonic_time();
	return TRUE;
}

static void finish_run(Suite *s, Run *r, int wstatus)
{
	SuiteCase *c = &r->c;
	r->done = TRUE;
	c->seconds = (double)(g_get_monotonic_time() - r->started_us) / 1e6;
	c->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	c->signal = WIFSIGNALED(wstatus) && !c->timed_out ? WTERMSIG(wstatus) : 0;
	off_t len = lseek(r->out_fd, 0, SEEK_END);
	c->output = g_malloc0((gsize)(len > 0 ? len : 0) + 1);
	if (len > 0 && pread(r->out_fd, c->output, (size_t)len, 0) < 0)
		c->output[0] = '\0';
	close(r->out_fd);
	if (g_file_test(r->results_path, G_FILE_TEST_EXISTS))
		c->results = results_load(r->results_path, NULL);
	unlink(r->results_path);
	CaseOutcome o = report_outcome(c);
	if (c->record &&
	    (o == CASE_PASS || o == CASE_SKIP || !g_file_test(c->record, G_FILE_TEST_EXISTS))) {
		unlink(c->record);
		g_clear_pointer(&c->record, g_free);
	}
	/* --trace-dir keeps every trace; --keep-failed alone only those of failed runs */
	if (c->trace && ((!s->o->trace_dir && (o == CASE_PASS || o == CASE_SKIP)) ||
	                 !g_file_test(c->trace, G_FILE_TEST_EXISTS))) {
		if (!s->o->trace_dir)
			unlink(c->trace);
		g_clear_pointer(&c->trace, g_free);
	}
	s->finished++;
	s->failed += o == CASE_FAIL || o == CASE_ERROR;
	progress_clear(s);
	report_tap_case(stdout, s->finished, c);
	progress_show(s);
}

static void kill_overdue(Suite *s)
{
	gint64 now = g_get_monotonic_time();
	for (guint i = 0; s->o->timeout_s && i < s->n; i++) {
		Run *r = &s->runs[i];
		if (r->started && !r->done && !r->c.timed_out &&
		    now - r->started_us > (gint64)s->o->timeout_s * G_USEC_PER_SEC) {
			r->c.timed_out = TRUE;
			kill(r->pid, SIGKILL);
		}
	}
}

/* Run every case, |jobs| at a time, reporting each as it ends. */
static void run_all(Suite *s)
{
	guint next = 0, running = 0;
	gint64 last_progress = 0;
	while (s->finished < s->n) {
		while (running < MAX(s->o->jobs, 1u) && next < s->n) {
			Run *r = &s->runs[next++];
			r->started = TRUE;
			if (start_run(s, r)) {
				running++;
				continue;
			}
			r->c.output = g_strdup_printf("sentry-sim: cannot start a run: %s\n",
			                              g_strerror(errno));
			r->c.status = 99;
			r->done = TRUE;
			s->finished++;
			s->failed++;
			progress_clear(s);
			report_tap_case(stdout, s->finished, &r->c);
		}
		int wstatus;
		pid_t pid = waitpid(-1, &wstatus, WNOHANG);
		if (pid > 0) {
			for (guint i = 0; i < s->n; i++) {
				Run *r = &s->runs[i];
				if (r->started && !r->done && r->pid == pid) {
					finish_run(s, r, wstatus);
					running--;
				}
			}
			continue;
		}
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
		kill_overdue(s);
		gint64 now = g_get_monotonic_time();
		if (s->progress && now - last_progress > 200 * 1000) {
			progress_show(s);
			last_progress = now;
		}
	}
	progress_clear(s);
}

static gboolean write_junit(const char *path, const SuiteCase *cases, guint n, double seconds)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *xml = report_junit(cases, n, seconds);
	if (!g_file_set_contents(path, xml, -1, &err)) {
		fprintf(stderr, "sentry-sim: test: --junit: %s\n", err->message);
		return FALSE;
	}
	return TRUE;
}

int suite_run(const SuiteOptions *o)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; o->paths[i]; i++) {
		if (!g_file_test(o->paths[i], G_FILE_TEST_EXISTS)) {
			fprintf(stderr, "sentry-sim: test: '%s' does not exist\n", o->paths[i]);
			return 2;
		}
		collect(o->paths[i], o->paths[i], paths, keys);
	}
	Suite s = {.o = o, .runs = g_new0(Run, paths->len)};
	g_autoptr(GArray) cases = g_array_new(FALSE, FALSE, sizeof(SuiteCase));
	g_autoptr(GError) err = NULL;
	for (guint i = 0; i < paths->len; i++) {
		const char *path = paths->pdata[i], *key = keys->pdata[i];
		if (!selected(o, path, key))
			continue;
		if (o->shard_n && suite_shard_of(key, o->shard_n) != o->shard_i)
			continue;
		SuiteCase *c = &s.runs[s.n++].c;
		c->path = g_strdup(path);
		c->key = g_strdup(key);
		c->index = i;
		c->timeout_s = o->timeout_s;
	}
	int rc = 0;
	if (o->list) {
		for (guint i = 0; i < s.n; i++)
			printf("%s\n", s.runs[i].c.path);
		goto out;
	}
	printf("TAP version %u\n", o->tap_version ? o->tap_version : 13);
	if (s.n == 0) {
		printf("1..0 # SKIP no scenario selected\n");
		if (o->junit && !write_junit(o->junit, NULL, 0, 0))
			rc = 99;
		goto out;
	}
	printf("1..%u\n", s.n);
	fflush(stdout);
	s.tmpdir = g_dir_make_tmp("sentry-sim-test-XXXXXX", &err);
	if (!s.tmpdir) {
		fprintf(stderr, "sentry-sim: test: %s\n", err->message);
		rc = 99;
		goto out;
	}
	if (o->keep_failed && g_mkdir_with_parents(o->keep_failed, 0755) < 0) {
		fprintf(stderr, "sentry-sim: test: --keep-failed: %s: %s\n", o->keep_failed,
		        g_strerror(errno));
		rc = 2;
		goto out;
	}
	if (o->trace_dir && g_mkdir_with_parents(o->trace_dir, 0755) < 0) {
		fprintf(stderr, "sentry-sim: test: --trace-dir: %s: %s\n", o->trace_dir,
		        g_strerror(errno));
		rc = 2;
		goto out;
	}
	s.progress = isatty(2);
	s.t0 = g_get_monotonic_time();
	run_all(&s);
	double total = (double)(g_get_monotonic_time() - s.t0) / 1e6;
	for (guint i = 0; i < s.n; i++) {
		g_array_append_val(cases, s.runs[i].c);
		CaseOutcome oc = report_outcome(&s.runs[i].c);
		if (oc == CASE_FAIL && rc == 0)
			rc = 1;
		if (oc == CASE_ERROR)
			rc = 99;
	}
	if (o->junit && !write_junit(o->junit, (SuiteCase *)cases->data, cases->len, total))
		rc = 99;
	report_summary(stderr, (SuiteCase *)cases->data, cases->len, total);
out:
	for (guint i = 0; i < s.n; i++) {
		SuiteCase *c = &s.runs[i].c;
		g_free(c->path);
		g_free(c->key);
		g_free(c->output);
		g_free(c->record);
		g_free(c->trace);
		run_results_free(c->results);
		g_free(s.runs[i].results_path);
	}
	g_free(s.runs);
	if (s.tmpdir)
		rmdir(s.tmpdir);
	g_free(s.tmpdir);
	return rc;
}
