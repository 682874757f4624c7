/*
 * check_record.c: the syscall record (sim/trace/record.c) and the comparison of two streams
 * by `sentry-sim fuzz` (sim/fuzz/fuzzrun.c, fuzzrun_compare()). Lines are formatted by hand:
 * each kind against the printf formats of the record (record.c's header comment) on edge and
 * pseudo-random values; a recorder kept in memory holds exactly the lines a file recorder
 * writes; a comparing recorder accepts its own record and names a changed byte; and two
 * streams in memory that differ in a line or in length are a divergence, with the messages
 * that `sentry-sim fuzz` prints. Also the CPUs a worker of `sentry-sim fuzz --jobs` is given
 * (fuzzrun_worker_cpus()), on sets this machine does not have.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <uapi/types.h>

#include "sim/fuzz/fuzzrun.h"
#include "sim/kernel/kernel.h"
#include "sim/trace/record.h"
#include "tests/unit/check_tap.h"

/* A pseudo-random value (xorshift, fixed seed). */
static uint64_t next_value(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

#define EXCH_MAX 1024

/* One call of the recorder and the line it must produce, from the printf formats. */
typedef struct {
	RecordLineKind kind;
	uint64_t t_ns;
	const char *task;
	uint32_t nr, r0, r1, args[3];
	uint8_t exch[EXCH_MAX];
	uint32_t len;
	const char *what, *text; /* notes */
} Event;

static void hex_printf(GString *s, const uint8_t *b, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		g_string_append_printf(s, "%02x", b[i]);
}

/* The line |e| must give, with the printf formats record.c had before its hand-made ones. */
static char *expected_line(const Event *e)
{
	GString *s = g_string_new(NULL);
	switch (e->kind) {
	case RECORD_LINE_START:
		g_string_printf(s, "%" PRIu64 " start %s r0=%08" PRIx32 " r1=%08" PRIx32, e->t_ns,
		                e->task, e->r0, e->r1);
		break;
	case RECORD_LINE_CALL:
		g_string_printf(s,
		                "%" PRIu64 " call %s %s(%" PRIu32 ") %08" PRIx32 " %08" PRIx32
		                " %08" PRIx32 " exch=",
		                e->t_ns, e->task, kernel_syscall_name(e->nr), e->nr, e->args[0],
		                e->args[1], e->args[2]);
		hex_printf(s, e->exch, e->len);
		break;
	case RECORD_LINE_RET:
		g_string_printf(s, "%" PRIu64 " ret %s r0=%08" PRIx32 " exch=", e->t_ns, e->task,
		                e->r0);
		hex_printf(s, e->exch, e->len);
		break;
	case RECORD_LINE_NOTE: {
		g_string_printf(s, "%" PRIu64 " note %s: ", e->t_ns, e->what);
		g_auto(GStrv) parts = g_strsplit(e->text, "\n", -1);
		g_autofree char *one = g_strjoinv(" | ", parts);
		g_string_append(s, one);
		break;
	}
	case RECORD_LINE_HEADER:
		break;
	}
	return g_string_free(s, FALSE);
}

static void record_event(Recorder *r, const Event *e)
{
	switch (e->kind) {
	case RECORD_LINE_START:
		recorder_start(r, e->t_ns, e->task, e->r0, e->r1);
		break;
	case RECORD_LINE_CALL:
		recorder_call(r, e->t_ns, e->task, e->nr, e->args, e->exch, e->len);
		break;
	case RECORD_LINE_RET:
		recorder_ret(r, e->t_ns, e->task, e->r0, e->exch, e->len);
		break;
	case RECORD_LINE_NOTE:
		recorder_note(r, e->t_ns, e->what, e->text);
		break;
	case RECORD_LINE_HEADER:
		break;
	}
}

/* Edge and pseudo-random events: every kind, times and values at their extremes, exchange
 * areas of 0, 1, 64, 128 and 1024 bytes, a call number the kernel does not know, and notes
 * of one line, several lines and none. */
#define N_EVENTS 400
static Event events[N_EVENTS];

static void make_events(void)
{
	static const char *const tasks[] = {"fuzz-0", "fuzz-7", "idle", "a_b-c.d"};
	static const uint32_t lens[] = {0, 1, 64, 128, EXCH_MAX};
	static const uint64_t times[] = {0, 9, 10, 99, 100, 999999999, 1000000000, UINT64_MAX};
	static const char *const texts[] = {"", "every task ended", "fault: killed\n  at 0x10\n",
	                                    "\n\nx\n"};
	uint64_t st = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < N_EVENTS; i++) {
		Event *e = &events[i];
		e->kind = (RecordLineKind)(RECORD_LINE_START + i % 4);
		e->t_ns = i < (int)G_N_ELEMENTS(times) ? times[i] : next_value(&st) >> (i % 64);
		e->task = tasks[i % G_N_ELEMENTS(tasks)];
		e->nr = i % 5 == 0 ? 255 : (uint32_t)(next_value(&st) % 64) /* and unknown ones */;
		e->r0 = i < 8 ? (i % 2 ? UINT32_MAX : 0) : (uint32_t)next_value(&st);
		e->r1 = (uint32_t)next_value(&st);
		for (int a = 0; a < 3; a++)
			e->args[a] = (uint32_t)next_value(&st);
		e->len = lens[(i / 4) % G_N_ELEMENTS(lens)];
		for (uint32_t b = 0; b < e->len; b++)
			e->exch[b] = (uint8_t)(b < 256 ? b : next_value(&st));
		e->what = i % 8 == 3 ? "end" : "fault fuzz-1";
		e->text = texts[(i / 4) % G_N_ELEMENTS(texts)];
	}
}

static void record_all(Recorder *r)
{
	recorder_header(r, "scenarios/x y/z.ini", UINT64_MAX);
	for (int i = 0; i < N_EVENTS; i++)
		record_event(r, &events[i]);
}

static const char *const header_lines[] = {"# sentry-sim record 1", "scenario scenarios/x y/z.ini",
                                           "seed 18446744073709551615"};

START_TEST(test_lines_and_file)
{
	make_events();
	g_autofree char *dir = g_dir_make_tmp("check-record-XXXXXX", NULL);
	ck_assert(dir);
	g_autofree char *path = g_build_filename(dir, "a.rec", NULL);
	GError *err = NULL;
	Recorder *file = recorder_new_file(path, &err);
	ck_assert_msg(file, "%s", err ? err->message : "");
	record_all(file);
	ck_assert(recorder_finish(file, NULL));
	ck_assert_uint_eq(recorder_n_lines(file), 0);
	recorder_free(file);

	Recorder *mem = recorder_new_memory();
	record_all(mem);
	ck_assert(recorder_finish(mem, NULL));
	ck_assert_uint_eq(recorder_n_lines(mem), 3 + N_EVENTS);
	ck_assert_ptr_null(recorder_line(mem, 3 + N_EVENTS, NULL));

	/* each line as the printf formats give it, and of its kind */
	GString *joined = g_string_new(NULL);
	for (guint i = 0; i < recorder_n_lines(mem); i++) {
		RecordLineKind kind = (RecordLineKind)-1;
		const char *line = recorder_line(mem, i, &kind);
		ck_assert_ptr_nonnull(line);
		g_autofree char *want =
		    i < 3 ? g_strdup(header_lines[i]) : expected_line(&events[i - 3]);
		ck_assert_str_eq(line, want);
		ck_assert_int_eq(kind, i < 3 ? RECORD_LINE_HEADER : events[i - 3].kind);
		g_string_append(joined, line);
		g_string_append_c(joined, '\n');
	}
	/* the file holds the same lines, byte for byte */
	g_autofree char *text = NULL;
	gsize len = 0;
	ck_assert(g_file_get_contents(path, &text, &len, NULL));
	ck_assert_uint_eq(len, joined->len);
	ck_assert(memcmp(text, joined->str, len) == 0);
	g_string_free(joined, TRUE);
	recorder_free(mem);

	/* a comparing recorder accepts its own record */
	char *scenario = NULL;
	uint64_t seed = 0;
	ck_assert(record_read_header(path, &scenario, &seed, NULL));
	ck_assert_str_eq(scenario, "scenarios/x y/z.ini");
	ck_assert_uint_eq(seed, UINT64_MAX);
	g_free(scenario);
	Recorder *cmp = recorder_new_compare(path, NULL);
	ck_assert(cmp);
	record_all(cmp);
	ck_assert(recorder_finish(cmp, NULL));
	ck_assert_ptr_null(recorder_divergence(cmp));
	recorder_free(cmp);

	/* ... and names one changed exchange byte of a return by its offset */
	cmp = recorder_new_compare(path, NULL);
	int changed = -1;
	recorder_header(cmp, "scenarios/x y/z.ini", UINT64_MAX);
	for (int i = 0; i < N_EVENTS; i++) {
		Event e = events[i];
		if (changed < 0 && e.kind == RECORD_LINE_RET && e.len >= 64) {
			e.exch[5] ^= 0xff;
			changed = i;
		}
		record_event(cmp, &e);
	}
	ck_assert_int_ge(changed, 0);
	ck_assert(recorder_diverged(cmp));
	ck_assert(!recorder_finish(cmp, NULL));
	g_autofree char *at = g_strdup_printf("record line %d:", changed + 4);
	ck_assert_msg(g_str_has_prefix(recorder_divergence(cmp), at), "%s",
	              recorder_divergence(cmp));
	ck_assert_ptr_nonnull(
	    strstr(recorder_divergence(cmp), "exch bytes 5..5: record 05, this run fa"));
	recorder_free(cmp);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

/* The fuzz comparison's inputs: a stream of two tasks, in memory. */
static uint8_t exch[128];

static void stream(Recorder *r, uint32_t send_result, gboolean extra, const char *note)
{
	const uint32_t args[3] = {0x1111, 44, 0};
	recorder_header(r, "fuzz", 1);
	recorder_note(r, 0, "info -", note);
	recorder_start(r, 0, "fuzz-0", 0, 0x1234);
	recorder_start(r, 0, "fuzz-1", 0, 0x1234);
	recorder_call(r, 1000, "fuzz-0", SYSCALL_SEND_IPC, args, exch, sizeof(exch));
	recorder_ret(r, 2000, "fuzz-0", send_result, exch, sizeof(exch));
	if (extra)
		recorder_call(r, 3000, "fuzz-0", SYSCALL_YIELD, args, exch, sizeof(exch));
	recorder_note(r, 4000, "end", "every task ended");
}

START_TEST(test_fuzz_compare)
{
	static Prog p; /* only its configuration's autotest flag is read */
	ExecResult er = {.end = EXEC_END_DONE};
	uint16_t paths[256] = {0};
	g_autoptr(GString) why = g_string_new(NULL);
	for (guint i = 0; i < sizeof(exch); i++)
		exch[i] = (uint8_t)(i * 7);

	/* the same stream, whatever the notes say: no divergence; the model's pairs noted */
	g_autoptr(Recorder) model = recorder_new_memory();
	stream(model, STATUS_OK, FALSE, "booting");
	g_autoptr(Recorder) same = recorder_new_memory();
	stream(same, STATUS_OK, FALSE, "another text");
	ck_assert_int_eq(fuzzrun_compare(&p, &er, model, same, why, paths), FUZZRUN_OK);
	ck_assert_uint_eq(why->len, 0);
	ck_assert_uint_eq(paths[SYSCALL_SEND_IPC], 1u << STATUS_OK);

	/* a different result: the first differing stream line (notes not counted), both */
	g_autoptr(Recorder) other = recorder_new_memory();
	stream(other, STATUS_DENIED, FALSE, "booting");
	ck_assert_int_eq(fuzzrun_compare(&p, &er, model, other, why, NULL), FUZZRUN_DIVERGED);
	g_autofree char *want =
	    g_strdup_printf("stream line 4 differs:\n  model: %s\n  procs: %s",
	                    recorder_line(model, 7, NULL), recorder_line(other, 7, NULL));
	ck_assert_str_eq(why->str, want);
	ck_assert_ptr_nonnull(
	    strstr(why->str, "  procs: 2000 ret fuzz-0 r0=00000002 exch=00070e15"));

	/* a longer stream: a divergence when the model's run ended by itself ... */
	g_autoptr(Recorder) longer = recorder_new_memory();
	stream(longer, STATUS_OK, TRUE, "booting");
	g_string_truncate(why, 0);
	ck_assert_int_eq(fuzzrun_compare(&p, &er, model, longer, why, NULL), FUZZRUN_DIVERGED);
	const char *extra = recorder_line(longer, 8, NULL);
	ck_assert(g_str_has_prefix(extra, "3000 call fuzz-0 yield(3) 00001111 0000002c 00000000 "
	                                  "exch=00070e151c"));
	g_free(want);
	want = g_strdup_printf("streams differ in length: model 4 lines (done), procs 5; first "
	                       "extra: %s",
	                       extra);
	ck_assert_str_eq(why->str, want);
	/* ... none when it stopped at its step budget: the shorter is a prefix */
	er.end = EXEC_END_STEPS;
	ck_assert_int_eq(fuzzrun_compare(&p, &er, model, longer, NULL, NULL), FUZZRUN_OK);
	/* a prefix that differs still diverges */
	ck_assert_int_eq(fuzzrun_compare(&p, &er, other, longer, NULL, NULL), FUZZRUN_DIVERGED);
}
END_TEST

/* cpus(list): a CPU set of the numbers in |list|, ended by -1. */
static cpu_set_t cpus(const int *list)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	for (; *list >= 0; list++)
		CPU_SET(*list, &set);
	return set;
}

START_TEST(test_worker_cpus)
{
	/* 8 CPUs, 3 workers: shares of 2, 3 and 3, in CPU order */
	cpu_set_t all = cpus((const int[]){0, 1, 2, 3, 4, 5, 6, 7, -1}), share, want;
	ck_assert(fuzzrun_worker_cpus(&all, 0, 3, &share));
	want = cpus((const int[]){0, 1, -1});
	ck_assert(CPU_EQUAL(&share, &want));
	ck_assert(fuzzrun_worker_cpus(&all, 1, 3, &share));
	want = cpus((const int[]){2, 3, 4, -1});
	ck_assert(CPU_EQUAL(&share, &want));
	ck_assert(fuzzrun_worker_cpus(&all, 2, 3, &share));
	want = cpus((const int[]){5, 6, 7, -1});
	ck_assert(CPU_EQUAL(&share, &want));
	/* the daemon's own CPUs, not numbered from 0 or in one block */
	all = cpus((const int[]){3, 5, 8, 13, -1});
	ck_assert(fuzzrun_worker_cpus(&all, 1, 2, &share));
	want = cpus((const int[]){8, 13, -1});
	ck_assert(CPU_EQUAL(&share, &want));
	/* fewer than two per worker: every worker keeps them all */
	all = cpus((const int[]){0, 1, 2, -1});
	ck_assert(!fuzzrun_worker_cpus(&all, 0, 2, &share));
	all = cpus((const int[]){0, 1, -1});
	ck_assert(!fuzzrun_worker_cpus(&all, 1, 2, &share));
	ck_assert(fuzzrun_worker_cpus(&all, 0, 1, &share));
	ck_assert(CPU_EQUAL(&share, &all));
}
END_TEST

static Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lines_and_file);
	tcase_add_test(tc, test_fuzz_compare);
	tcase_add_test(tc, test_worker_cpus);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(record_suite());
}
