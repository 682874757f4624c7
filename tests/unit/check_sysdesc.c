/*
 * check_sysdesc.c: the system description loader (sim/scenario/sysdesc.c) and its syntax
 * layer (sim/scenario/ini.c).
 *
 * Every test runs in a fresh temporary directory (a checked fixture, so per forked test):
 * small descriptions are written there as "t.ini" and loaded under that relative name, so
 * messages read "t.ini:LINE: ..." and each error case asserts the exact text, line included.
 * Fake task binaries live in "path1/", the search path given to the loader. The complete
 * example, tests/unit/data/sysdesc/full.ini, is found through $top_srcdir (set by the test
 * harness; the current directory otherwise).
 */
#include <check.h>
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/scenario/ini.h"
#include "sim/scenario/sysdesc.h"

static char *srcdir; /* absolute top source directory */
static char *base;   /* holds one directory per test; removed by main() */
static char *tmp;    /* the current test's directory (as getcwd reports it) */

static const char *const search[] = {"path1", NULL};

static void write_file(const char *path, const char *text, gssize len, int mode)
{
	GError *err = NULL;

	ck_assert_msg(g_file_set_contents(path, text, len, &err), "%s", err ? err->message : "");
	ck_assert_int_eq(g_chmod(path, mode), 0);
}

static void setup(void)
{
	char *dir = g_build_filename(base, "test-XXXXXX", NULL);

	ck_assert_ptr_nonnull(g_mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	g_free(dir);
	tmp = g_get_current_dir();
	ck_assert_int_eq(g_mkdir_with_parents("path1/bin", 0755), 0);
	write_file("path1/hello-task", "#!/bin/sh\n", -1, 0755);
	write_file("path1/bin/worker-task", "#!/bin/sh\n", -1, 0755);
	write_file("noexec", "#!/bin/sh\n", -1, 0644);
}

static void rm_rf(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		GDir *d = g_dir_open(path, 0, NULL);
		const char *name;
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			char *child = g_build_filename(path, name, NULL);
			rm_rf(child);
			g_free(child);
		}
		if (d != NULL)
			g_dir_close(d);
	}
	g_remove(path);
}

static void teardown(void)
{
	ck_assert_int_eq(chdir("/"), 0);
	rm_rf(tmp);
	g_free(tmp);
}

/* Write |text| to t.ini and load it with the test search path. */
static SysDesc *load_text(const char *text, GError **err)
{
	write_file("t.ini", text, -1, 0644);
	return sysdesc_load("t.ini", search, err);
}

static SysDesc *load_ok(const char *text)
{
	GError *err = NULL;
	SysDesc *d = load_text(text, &err);

	ck_assert_msg(d != NULL, "unexpected error: %s", err ? err->message : "(none)");
	return d;
}

static void assert_error(const char *text, const char *expected)
{
	GError *err = NULL;
	SysDesc *d = load_text(text, &err);

	ck_assert_msg(d == NULL, "loaded, expected error: %s", expected);
	ck_assert_ptr_nonnull(err);
	ck_assert(err->domain == INI_ERROR);
	ck_assert_str_eq(err->message, expected);
	g_error_free(err);
}

static char *joined_warnings(const SysDesc *d)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < d->warnings->len; i++)
		g_string_append_printf(s, "%s%s", i ? "\n" : "",
		                       (const char *)g_ptr_array_index(d->warnings, i));
	return g_string_free(s, FALSE);
}

#define TASK(name, label) "[task " name "]\nbinary = hello-task\nlabel = " label "\n"

/* ---- the complete example ---------------------------------------------------------------- */

static char *full_ini_path(void)
{
	return g_build_filename(srcdir, "tests", "unit", "data", "sysdesc", "full.ini", NULL);
}

START_TEST(test_full_example)
{
	char *path = full_ini_path();
	char *sp = g_build_filename(tmp, "path1", NULL);
	const char *const spath[] = {sp, NULL};
	GError *err = NULL;
	SysDesc *d = sysdesc_load(path, spath, &err);

	ck_assert_msg(d != NULL, "%s", err ? err->message : "");
	ck_assert_str_eq(d->path, path);
	ck_assert_uint_eq(d->warnings->len, 0);

	const KernelConfig *k = &d->kernel;
	ck_assert(d->seed_given);
	ck_assert_uint_eq(k->seed, 42);
	ck_assert_int_eq(k->build, KERNEL_BUILD_NORMAL);
	ck_assert_uint_eq(k->autotest_caps, 0x00200002); /* CAP_DEV_IO | CAP_CRY_KRNG */
	ck_assert_uint_eq(k->core_freq_hz, 80000000);
	ck_assert_uint_eq(k->exchange_len, 128);
	ck_assert_uint_eq(k->max_tasks, 4);
	ck_assert_uint_eq(k->num_irqs, 96);
	ck_assert(!k->release);
	ck_assert(!k->gpdma);
	ck_assert(k->nanos_target_quirk);
	ck_assert(k->dma_intended_path);
	ck_assert_uint_eq(k->syscall_cost_ns, 2000);
	ck_assert_uint_eq(d->duration_ns, 1500000000ull);

	ck_assert_uint_eq(d->n_tasks, 2);
	ck_assert_uint_eq(k->n_tasks, 2);
	ck_assert_ptr_eq(k->tasks, d->ktasks);

	char *hello_bin = g_build_filename(tmp, "path1", "hello-task", NULL);
	ck_assert_str_eq(d->tasks[0].name, "hello");
	ck_assert_str_eq(d->tasks[0].binary, hello_bin);
	ck_assert_str_eq(d->tasks[0].entry, "hello_entry");
	ck_assert_int_eq(d->tasks[0].line, 19);
	ck_assert_ptr_eq(d->ktasks[0].name, d->tasks[0].name);
	ck_assert_uint_eq(d->ktasks[0].label, 0x1000);
	ck_assert_uint_eq(d->ktasks[0].priority, 10);
	ck_assert_uint_eq(d->ktasks[0].quantum, 5);
	ck_assert_uint_eq(d->ktasks[0].domain, 1);
	ck_assert_uint_eq(d->ktasks[0].capabilities, 0x00204000); /* KRNG | PROCSTART */
	ck_assert(d->ktasks[0].auto_start);
	ck_assert_uint_eq(d->ktasks[0].exit_mode, EXIT_MODE_RESTART);

	char *worker_bin = g_build_filename(tmp, "path1", "bin", "worker-task", NULL);
	ck_assert_str_eq(d->tasks[1].name, "worker");
	ck_assert_str_eq(d->tasks[1].binary, worker_bin);
	ck_assert_ptr_null(d->tasks[1].entry);
	ck_assert_int_eq(d->tasks[1].line, 30);
	ck_assert_ptr_eq(d->ktasks[1].name, d->tasks[1].name);
	ck_assert_uint_eq(d->ktasks[1].label, 0x1001);
	ck_assert_uint_eq(d->ktasks[1].priority, 1);
	ck_assert_uint_eq(d->ktasks[1].quantum, 10);
	ck_assert_uint_eq(d->ktasks[1].domain, 0);
	ck_assert_uint_eq(d->ktasks[1].capabilities, 0);
	ck_assert(!d->ktasks[1].auto_start);
	ck_assert_uint_eq(d->ktasks[1].exit_mode, EXIT_MODE_NORESTART);

	ck_assert_int_eq(sysdesc_find_task(d, "worker"), 1);
	ck_assert_int_eq(sysdesc_find_task(d, "nobody"), -1);
	sysdesc_free(d);
	g_free(hello_bin);
	g_free(worker_bin);
	g_free(sp);
	g_free(path);
}
END_TEST

/* The documentation shows the tested example verbatim. */
START_TEST(test_doc_shows_full_example)
{
	char *path = full_ini_path();
	char *doc = g_build_filename(srcdir, "docs", "system-description.md", NULL);
	char *example = NULL, *text = NULL;

	ck_assert(g_file_get_contents(path, &example, NULL, NULL));
	ck_assert(g_file_get_contents(doc, &text, NULL, NULL));
	char *block = g_strconcat("```ini\n", example, "```\n", NULL);
	ck_assert_msg(strstr(text, block) != NULL,
	              "docs/system-description.md does not show full.ini verbatim");
	g_free(block);
	g_free(text);
	g_free(example);
	g_free(doc);
	g_free(path);
}
END_TEST

/* ---- defaults ---------------------------------------------------------------------------- */

START_TEST(test_defaults)
{
	SysDesc *d = load_ok("[task a]\nbinary = hello-task\nlabel = 7\n");
	KernelConfig def;

	kernel_config_init(&def);
	const KernelConfig *k = &d->kernel;
	ck_assert_int_eq(k->build, def.build);
	ck_assert_uint_eq(k->autotest_caps, def.autotest_caps);
	ck_assert_uint_eq(k->core_freq_hz, def.core_freq_hz);
	ck_assert_uint_eq(k->exchange_len, def.exchange_len);
	ck_assert_uint_eq(k->max_tasks, def.max_tasks);
	ck_assert_uint_eq(k->num_irqs, def.num_irqs);
	ck_assert_int_eq(k->release, def.release);
	ck_assert_int_eq(k->gpdma, def.gpdma);
	ck_assert_int_eq(k->nanos_target_quirk, def.nanos_target_quirk);
	ck_assert_int_eq(k->dma_intended_path, def.dma_intended_path);
	ck_assert_uint_eq(k->syscall_cost_ns, def.syscall_cost_ns);
	ck_assert_uint_eq(k->seed, def.seed);
	ck_assert(!d->seed_given);
	ck_assert_uint_eq(d->duration_ns, 0);
	ck_assert_uint_eq(d->warnings->len, 0);

	/* The spec's values, as docs/system-description.md lists them. */
	ck_assert_uint_eq(def.autotest_caps, 0x00270017);
	ck_assert_uint_eq(def.core_freq_hz, 64000000);
	ck_assert_uint_eq(def.exchange_len, 128);
	ck_assert_uint_eq(def.max_tasks, 8);

	ck_assert_uint_eq(d->n_tasks, 1);
	ck_assert_str_eq(d->tasks[0].name, "a");
	ck_assert_ptr_null(d->tasks[0].entry);
	ck_assert_int_eq(d->tasks[0].line, 1);
	ck_assert_uint_eq(d->ktasks[0].label, 7);
	ck_assert_uint_eq(d->ktasks[0].priority, 1);
	ck_assert_uint_eq(d->ktasks[0].quantum, 10);
	ck_assert_uint_eq(d->ktasks[0].domain, 0);
	ck_assert_uint_eq(d->ktasks[0].capabilities, 0);
	ck_assert(d->ktasks[0].auto_start);
	ck_assert_uint_eq(d->ktasks[0].exit_mode, EXIT_MODE_NORESTART);
	sysdesc_free(d);
}
END_TEST

/* Values other than the full example's, and the accepted spellings. */
START_TEST(test_value_forms)
{
	SysDesc *d = load_ok("; comment\n"
	                     "  [ system ]  ; comment\n"
	                     "release = yes\n"
	                     "gpdma = ON\n"
	                     "core_frequency = 1.2 GHz\n"
	                     "syscall_cost = 0\n"
	                     "duration = 2min\n"
	                     "seed = 0xFFFFFFFFFFFFFFFF\n"
	                     "max_tasks = 255\n"
	                     "[task a-1.b_c]\n"
	                     "binary = hello-task\n"
	                     "label = 010   # decimal ten\n"
	                     "capabilities = CAP_DEV_IO | 0x4, CAP_DEV_BUSES;\n"
	                     "start = noauto\n"
	                     "exit_mode = panic\n"
	                     "entry = main\n"
	                     "priority = 255\n"
	                     "[task b]\r\n"
	                     "binary = bin/worker-task\r\n"
	                     "label = 4294967295\r\n"
	                     "capabilities =\r\n"
	                     "entry = _e1\r\n");

	ck_assert(d->kernel.release);
	ck_assert(d->kernel.gpdma);
	ck_assert_uint_eq(d->kernel.core_freq_hz, 1200000000ull);
	ck_assert_uint_eq(d->kernel.syscall_cost_ns, 0);
	ck_assert_uint_eq(d->duration_ns, 120000000000ull);
	ck_assert_uint_eq(d->kernel.seed, G_MAXUINT64);
	ck_assert_uint_eq(d->kernel.max_tasks, 255);
	ck_assert_str_eq(d->tasks[0].name, "a-1.b_c");
	ck_assert_uint_eq(d->ktasks[0].label, 10);
	ck_assert_uint_eq(d->ktasks[0].capabilities, 0x7);
	ck_assert(!d->ktasks[0].auto_start);
	ck_assert_uint_eq(d->ktasks[0].exit_mode, EXIT_MODE_PANIC);
	ck_assert_ptr_null(d->tasks[0].entry);
	ck_assert_uint_eq(d->ktasks[0].priority, 255);
	ck_assert_uint_eq(d->ktasks[1].label, 0xffffffffu);
	ck_assert_uint_eq(d->ktasks[1].capabilities, 0);
	ck_assert_str_eq(d->tasks[1].entry, "_e1");
	ck_assert_int_eq(d->tasks[1].line, 18);
	ck_assert_uint_eq(d->warnings->len, 0);
	sysdesc_free(d);
}
END_TEST

/* ---- errors ------------------------------------------------------------------------------ */

static const struct {
	const char *text;
	const char *message;
} error_cases[] = {
    /* syntax */
    {"[system]\nlabel 0x1000\n",
     "t.ini:2: expected '[group]', 'key = value' or a comment, not 'label 0x1000'"},
    {"\n[task hello\n", "t.ini:2: missing ']' at the end of '[task hello'"},
    {"[system] x\n", "t.ini:1: unexpected 'x' after the group header"},
    {"[]\n", "t.ini:1: empty group name '[]'"},
    {"[a[b]\n", "t.ini:1: invalid group name '[a[b]' (printable ASCII only, no '[')"},
    {"# c\nseed = 1\n",
     "t.ini:2: key 'seed' is outside any group (put it under a '[group]' header)"},
    {"[system]\nseed[fr] = 1\n",
     "t.ini:2: invalid key name 'seed[fr]' (letters, digits, '_', '-' and '.' only)"},
    {"[system]\n = 1\n", "t.ini:2: missing key name before '='"},
    {"[system]\nseed = 1\n\n[system]\n", "t.ini:4: duplicate group '[system]' (first at line 1)"},
    {TASK("a", "1") "priority = 2\npriority = 3\n",
     "t.ini:5: duplicate key 'priority' in '[task a]' (first at line 4)"},
    {TASK("a", "1") "entry = a\\qb\n",
     "t.ini:4: 'entry' has an invalid escape sequence (GKeyFile escapes are \\s, \\n, \\t, "
     "\\r and \\\\)"},
    {"[system]\n\n# \xe9t\xe9\n", "t.ini:3: invalid UTF-8 (save the file as UTF-8)"},
    /* groups */
    {"[sytem]\n", "t.ini:1: unknown group '[sytem]' (did you mean '[system]'?)"},
    {"[System]\n", "t.ini:1: unknown group '[System]' (did you mean '[system]'?)"},
    {TASK("a", "1") "[tsk b]\n", "t.ini:4: unknown group '[tsk b]' (did you mean '[task b]'?)"},
    {"[devices]\n", "t.ini:1: unknown group '[devices]' (known: [system], [task NAME])"},
    {"[task]\n", "t.ini:1: '[task]' needs a name: '[task NAME]'"},
    {"[system 2]\n", "t.ini:1: '[system]' takes no name (got '[system 2]')"},
    {"[task a b]\n", "t.ini:1: invalid task name 'a b' (letters, digits, '_', '-' and '.' only)"},
    {TASK("a", "1") "[ task a ]\n", "t.ini:4: duplicate group '[task a]' (first at line 1)"},
    {TASK("a", "1") TASK("  a", "2"), "t.ini:4: duplicate task 'a' (first at line 1)"},
    {"", "t.ini:1: no task: add a '[task NAME]' group with at least 'binary' and 'label'"},
    {"[system]\nseed = 1\n",
     "t.ini:1: no task: add a '[task NAME]' group with at least 'binary' and 'label'"},
    /* keys */
    {TASK("a", "1") "prio = 3\n",
     "t.ini:4: unknown key 'prio' in '[task a]' (did you mean 'priority'?)"},
    {TASK("a", "1") "Label = 3\n",
     "t.ini:4: unknown key 'Label' in '[task a]' (did you mean 'label'?)"},
    {TASK("a", "1") "stack_size = 3\n",
     "t.ini:4: unknown key 'stack_size' in '[task a]' (known: binary, label, priority, quantum, "
     "domain, capabilities, start, exit_mode, entry)"},
    /* GKeyFile's special key means nothing here */
    {"[system]\nEncoding = latin1\n",
     "t.ini:2: unknown key 'Encoding' in '[system]' (known: seed, build, autotest_caps, "
     "core_frequency, exchange_len, max_tasks, num_irqs, release, gpdma, nanoseconds, "
     "dma_completion, syscall_cost, duration)"},
    {"[system]\nmax_task = 3\n",
     "t.ini:2: unknown key 'max_task' in '[system]' (did you mean 'max_tasks'?)"},
    {"[task a]\nlabel = 1\n", "t.ini:1: task 'a' has no 'binary' (the path of its executable)"},
    {"[task a]\nbinary = hello-task\n",
     "t.ini:1: task 'a' has no 'label' (a unique 32-bit number, e.g. 0x1000)"},
    {"[task a]\nbinary =\nlabel = 1\n",
     "t.ini:2: 'binary' is empty (expected the path of the task's executable)"},
    /* labels */
    {"[task a]\nbinary = hello-task\nlabel = 0x10g\n",
     "t.ini:3: 'label' must be a number, decimal or hexadecimal with 0x (got '0x10g')"},
    {"[task a]\nbinary = hello-task\nlabel =\n", "t.ini:3: 'label' is empty (expected a number)"},
    {"[task a]\nbinary = hello-task\nlabel = 0x100000000\n",
     "t.ini:3: 'label' must be between 0x0 and 0xffffffff (got 0x100000000)"},
    {"[task a]\nbinary = hello-task\nlabel = 0xcafe\n",
     "t.ini:3: label 0xcafe is reserved for the idle task"},
    {"[task a]\nbinary = hello-task\nlabel = 51966\n",
     "t.ini:3: label 0xcafe is reserved for the idle task"},
    {TASK("a", "0x1000") "\n" TASK("b", "2") TASK("c", "4096"),
     "t.ini:10: duplicate label 0x1000: task 'a' has it too (line 3)"},
    /* task numbers */
    {TASK("a", "1") "priority = 256\n", "t.ini:4: 'priority' must be between 0 and 255 (got 256)"},
    {TASK("a", "1") "priority = -1\n", "t.ini:4: 'priority' must be between 0 and 255 (got -1)"},
    {TASK("a", "1") "quantum = 0x100\n",
     "t.ini:4: 'quantum' must be between 0x0 and 0xff (got 0x100)"},
    {TASK("a", "1") "domain = 1000\n", "t.ini:4: 'domain' must be between 0 and 255 (got 1000)"},
    /* capabilities */
    {TASK("a", "1") "capabilities = CAP_DEV_IO; CAP_FOO\n",
     "t.ini:4: unknown capability 'CAP_FOO' (known: CAP_DEV_BUSES, CAP_DEV_IO, CAP_DEV_DMA, "
     "CAP_DEV_ANALOG, CAP_DEV_TIMER, CAP_DEV_STORAGE, CAP_DEV_CRYPTO, CAP_DEV_CLOCK, "
     "CAP_DEV_POWER, CAP_DEV_NEURAL, CAP_SYS_UPGRADE, CAP_SYS_POWER, CAP_SYS_PROCSTART, "
     "CAP_MEM_SHM_OWN, CAP_MEM_SHM_USE, CAP_MEM_SHM_TRANSFER, CAP_TIM_HP_CHRONO, "
     "CAP_CRY_KRNG)"},
    {TASK("a", "1") "capabilities = CAP_DEV_OI\n",
     "t.ini:4: unknown capability 'CAP_DEV_OI' (did you mean 'CAP_DEV_IO'?)"},
    {TASK("a", "1") "capabilities = cry_krng\n",
     "t.ini:4: unknown capability 'cry_krng' (did you mean 'CAP_CRY_KRNG'?)"},
    {TASK("a", "1") "capabilities = 0x80000001\n",
     "t.ini:4: 'capabilities': mask 0x80000001 sets bits that are no capability: 0x80000000 "
     "(capabilities are 0x003773ff)"},
    {"[system]\nautotest_caps = 0x400\n" TASK("a", "1"),
     "t.ini:2: 'autotest_caps': mask 0x400 sets bits that are no capability: 0x00000400 "
     "(capabilities are 0x003773ff)"},
    /* keywords */
    {TASK("a", "1") "start = atuo\n",
     "t.ini:4: 'start' must be one of auto, manual (got 'atuo': did you mean 'auto'?)"},
    {TASK("a", "1") "start = later\n",
     "t.ini:4: 'start' must be one of auto, manual (got 'later')"},
    {TASK("a", "1") "exit_mode = restrat\n",
     "t.ini:4: 'exit_mode' must be one of norestart, restart, panic, periodicrestart, reset "
     "(got 'restrat': did you mean 'restart'?)"},
    {TASK("a", "1") "entry = 2nd\n", "t.ini:4: 'entry' must be a C function name (got '2nd')"},
    {TASK("a", "1") "entry = my entry\n",
     "t.ini:4: 'entry' must be a C function name (got 'my entry')"},
    /* [system] */
    {"[system]\nbuild = test\n", "t.ini:2: 'build' must be one of normal, autotest (got 'test')"},
    {"[system]\nseed = 18446744073709551616\n",
     "t.ini:2: 'seed' must be between 0 and 18446744073709551615 (got 18446744073709551616)"},
    {"[system]\ncore_frequency = 0\n",
     "t.ini:2: 'core_frequency' must be between 1Hz and 10GHz (got 0)"},
    {"[system]\ncore_frequency = 20GHz\n",
     "t.ini:2: 'core_frequency' must be between 1Hz and 10GHz (got 20GHz)"},
    {"[system]\ncore_frequency = 64 MHZ\nseed = 1\ncore_frequency = 1\n",
     "t.ini:4: duplicate key 'core_frequency' in '[system]' (first at line 2)"},
    {"[system]\ncore_frequency = 1.5Hz\n",
     "t.ini:2: 'core_frequency' must be a whole number of Hz (got 1.5Hz)"},
    {"[system]\ncore_frequency = 64 megahertz\n",
     "t.ini:2: 'core_frequency' has an unknown unit 'megahertz' (use Hz, kHz, MHz or GHz)"},
    {"[system]\ncore_frequency = fast\n",
     "t.ini:2: 'core_frequency' must be a frequency such as 64MHz (got 'fast')"},
    {"[system]\nexchange_len = 63\n",
     "t.ini:2: 'exchange_len' must be between 64 and 1024 (got 63)"},
    {"[system]\nexchange_len = 1025\n",
     "t.ini:2: 'exchange_len' must be between 64 and 1024 (got 1025)"},
    {"[system]\nmax_tasks = 0\n", "t.ini:2: 'max_tasks' must be between 1 and 255 (got 0)"},
    {"[system]\nmax_tasks = 256\n", "t.ini:2: 'max_tasks' must be between 1 and 255 (got 256)"},
    {"[system]\nnum_irqs = 65537\n", "t.ini:2: 'num_irqs' must be between 0 and 65536 (got 65537)"},
    {"[system]\nrelease = maybe\n", "t.ini:2: 'release' must be true or false (got 'maybe')"},
    {"[system]\ngpdma = 2\n", "t.ini:2: 'gpdma' must be true or false (got '2')"},
    {"[system]\nnanoseconds = zero\n",
     "t.ini:2: 'nanoseconds' must be one of intended, target (got 'zero')"},
    {"[system]\ndma_completion = referance\n",
     "t.ini:2: 'dma_completion' must be one of reference, intended (got 'referance': did you "
     "mean 'reference'?)"},
    {"[system]\nsyscall_cost = 10\n",
     "t.ini:2: 'syscall_cost' needs a unit: ns, us, ms, s, min or h (got '10')"},
    {"[system]\nsyscall_cost = 5s\n",
     "t.ini:2: 'syscall_cost' must be between 0ns and 4294967295ns (got 5s)"},
    {"[system]\nsyscall_cost = 1.5ns\n",
     "t.ini:2: 'syscall_cost' must be a whole number of nanoseconds (got 1.5ns)"},
    {"[system]\nsyscall_cost = 1 sec\n",
     "t.ini:2: 'syscall_cost' has an unknown unit 'sec' (use ns, us, ms, s, min or h)"},
    {"[system]\nsyscall_cost = -1us\n",
     "t.ini:2: 'syscall_cost' must be a duration such as 10ms or 1.5s (got '-1us')"},
    {"[system]\nduration = 0\n", "t.ini:2: 'duration' must be at least 1ns (got 0)"},
    {"[system]\nduration = 99999999999h\n", "t.ini:2: 'duration' is too large (got 99999999999h)"},
    /* task counts */
    {"[system]\nmax_tasks = 2\n" TASK("a", "1") TASK("b", "2") TASK("c", "3"),
     "t.ini:9: too many tasks: 'c' is task 3 but max_tasks is 2 (set 'max_tasks = 3' or more "
     "in '[system]', at most 255)"},
    {TASK("a", "1") TASK("b", "2") "[system]\nmax_tasks = 1\n",
     "t.ini:4: too many tasks: 'b' is task 2 but max_tasks is 1 (set 'max_tasks = 2' or more "
     "in '[system]', at most 255)"},
    {"[system]\nbuild = autotest\n" TASK("a", "1") TASK("b", "2"),
     "t.ini:6: the autotest build runs exactly one task, the test task 'a' (line 3): remove "
     "'[task b]' or set 'build = normal'"},
    /* the first error in the file wins, [system] first */
    {TASK("a", "1") "prio = 1\n[system]\nbuild = x\n",
     "t.ini:6: 'build' must be one of normal, autotest (got 'x')"},
    {"[task a]\nprio = 1\nbinary = nope\n",
     "t.ini:2: unknown key 'prio' in '[task a]' (did you mean 'priority'?)"},
};

START_TEST(test_errors)
{
	assert_error(error_cases[_i].text, error_cases[_i].message);
}
END_TEST

/* 255 tasks is the most the kernel takes (8-bit handle ids, idle included). */
START_TEST(test_task_limit)
{
	GString *text = g_string_new("[system]\nmax_tasks = 255\n");
	SysDesc *d;
	GError *err = NULL;

	for (int i = 1; i <= 255; i++)
		g_string_append_printf(text, "[task t%d]\nbinary = hello-task\nlabel = %d\n", i, i);
	d = load_ok(text->str);
	ck_assert_uint_eq(d->n_tasks, 255);
	ck_assert_str_eq(d->tasks[254].name, "t255");
	ck_assert_uint_eq(d->ktasks[254].label, 255);
	sysdesc_free(d);
	g_string_append(text, "[task t256]\nbinary = hello-task\nlabel = 256\n");
	ck_assert_ptr_null(load_text(text->str, &err));
	ck_assert_str_eq(
	    err->message,
	    "t.ini:768: too many tasks: 't256' is task 256, the kernel takes at most 255");
	g_error_free(err);
	g_string_free(text, TRUE);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char text[] = "[task a]\nbinary = hello-task\nla\0bel = 1\n";
	GError *err = NULL;

	write_file("t.ini", text, sizeof(text) - 1, 0644);
	ck_assert_ptr_null(sysdesc_load("t.ini", search, &err));
	ck_assert_str_eq(err->message, "t.ini:3: NUL byte in the file (is it a text file?)");
	g_error_free(err);
}
END_TEST

START_TEST(test_unreadable)
{
	GError *err = NULL;

	ck_assert_ptr_null(sysdesc_load("missing.ini", search, &err));
	ck_assert_int_eq(err->code, INI_ERROR_IO);
	ck_assert_str_eq(err->message, "missing.ini: cannot read: No such file or directory");
	g_clear_error(&err);
	ck_assert_ptr_null(sysdesc_load("path1", search, &err));
	ck_assert_str_eq(err->message, "path1: cannot read: Is a directory");
	g_error_free(err);
}
END_TEST

/* ---- warnings ---------------------------------------------------------------------------- */

static const struct {
	const char *text;
	const char *warnings; /* joined with '\n' */
} warning_cases[] = {
    {TASK("a", "1") "quantum = 0\n",
     "t.ini:4: warning: quantum 0: task 'a' is never preempted, its tick counter wraps "
     "(uncharacterized, uapi.md 7.3)"},
    {"[system]\nexchange_len = 256\n" TASK("a", "1"),
     "t.ini:2: warning: exchange_len 256 is outside the reference behaviour: the upstream "
     "library hard-codes 128 (uapi.md 1.6)"},
    {TASK("a", "1") "exit_mode = reset\n" TASK("b", "2") "exit_mode = periodicrestart\n",
     "t.ini:4: warning: exit mode 'reset' behaves as 'norestart' (uapi.md 7.5)\n"
     "t.ini:8: warning: exit mode 'periodicrestart' behaves as 'norestart' (uapi.md 7.5)"},
    {TASK("a", "1") "start = manual\n" TASK("b", "2") "start = manual\n",
     "t.ini:1: warning: no task has 'start = auto': only idle will run"},
    /* autotest: fixed metadata, in line order whatever the order of checks */
    {"[system]\nbuild = autotest\n"
     "[task t]\nexit_mode = panic\nbinary = hello-task\nlabel = 0xcafe\npriority = 1\n"
     "quantum = 0\ndomain = 3\ncapabilities = CAP_DEV_IO\nstart = manual\n",
     "t.ini:4: warning: 'exit_mode' is ignored in the autotest build: the test task's "
     "exit_mode is restart (uapi.md 7.9)\n"
     "t.ini:6: warning: 'label' is ignored in the autotest build: the test task's label is "
     "0xbabe (uapi.md 7.9)\n"
     "t.ini:8: warning: 'quantum' is ignored in the autotest build: the test task's quantum "
     "is 10 (uapi.md 7.9)\n"
     "t.ini:9: warning: 'domain' is ignored in the autotest build: the test task's domain is "
     "0 (uapi.md 7.9)\n"
     "t.ini:10: warning: 'capabilities' is ignored in the autotest build: the test task "
     "holds the global set, see 'autotest_caps' (uapi.md 6.3)\n"
     "t.ini:11: warning: 'start' is ignored in the autotest build: the test task's start is "
     "auto (uapi.md 7.9)"},
    /* values equal to the fixed ones say nothing */
    {"[system]\nbuild = autotest\n"
     "[task t]\nbinary = hello-task\nlabel = 0xbabe\npriority = 1\nquantum = 10\n"
     "exit_mode = restart\nstart = auto\ncapabilities =\n",
     ""},
    {TASK("a", "1") "quantum = 1\nexit_mode = restart\n", ""},
};

START_TEST(test_warnings)
{
	SysDesc *d = load_ok(warning_cases[_i].text);
	char *w = joined_warnings(d);

	ck_assert_str_eq(w, warning_cases[_i].warnings);
	g_free(w);
	sysdesc_free(d);
}
END_TEST

START_TEST(test_autotest)
{
	SysDesc *d = load_ok("[system]\nbuild = autotest\nautotest_caps = 0x00100000\n"
	                     "[task t]\nbinary = hello-task\nentry = at_main\npriority = 7\n");

	ck_assert_int_eq(d->kernel.build, KERNEL_BUILD_AUTOTEST);
	ck_assert_uint_eq(d->kernel.autotest_caps, 0x00100000);
	ck_assert_uint_eq(d->n_tasks, 1);
	ck_assert_uint_eq(d->kernel.n_tasks, 1);
	ck_assert_str_eq(d->tasks[0].entry, "at_main");
	ck_assert_uint_eq(d->ktasks[0].label, 0xbabe);
	ck_assert_uint_eq(d->ktasks[0].priority, 1);
	ck_assert_uint_eq(d->ktasks[0].quantum, 10);
	ck_assert_uint_eq(d->ktasks[0].domain, 0);
	ck_assert_uint_eq(d->ktasks[0].capabilities, 0);
	ck_assert(d->ktasks[0].auto_start);
	ck_assert_uint_eq(d->ktasks[0].exit_mode, EXIT_MODE_RESTART);
	ck_assert_uint_eq(d->warnings->len, 1);
	ck_assert_str_eq(g_ptr_array_index(d->warnings, 0),
	                 "t.ini:7: warning: 'priority' is ignored in the autotest build: the test "
	                 "task's priority is 1 (uapi.md 7.9)");
	sysdesc_free(d);
}
END_TEST

/* ---- task binaries ----------------------------------------------------------------------- */

static void assert_binary(const SysDesc *d, const char *rel)
{
	char *want = g_build_filename(tmp, rel, NULL);

	ck_assert_str_eq(d->tasks[0].binary, want);
	g_free(want);
}

START_TEST(test_binary_resolution)
{
	GError *err = NULL;
	SysDesc *d;

	/* The file's directory first, then the search path; the file may be elsewhere. */
	ck_assert_int_eq(g_mkdir("sys", 0755), 0);
	write_file("sys/t.ini", TASK("a", "1"), -1, 0644);
	d = sysdesc_load("sys/t.ini", search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/hello-task");
	sysdesc_free(d);

	write_file("sys/hello-task", "", -1, 0755);
	d = sysdesc_load("sys/t.ini", search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "sys/hello-task");
	sysdesc_free(d);

	/* Not executable, or a directory: skipped for the next candidate. */
	ck_assert_int_eq(g_chmod("sys/hello-task", 0644), 0);
	d = sysdesc_load("sys/t.ini", search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/hello-task");
	sysdesc_free(d);

	/* Subdirectories, "..", and search path entries given absolute. */
	char *abs = g_build_filename(tmp, "path1", NULL);
	const char *const abs_search[] = {"/nonexistent", abs, NULL};
	write_file("sys/t.ini", "[task a]\nbinary = ../path1/./bin/worker-task\nlabel = 1\n", -1,
	           0644);
	d = sysdesc_load("sys/t.ini", abs_search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/bin/worker-task");
	sysdesc_free(d);
	write_file("t.ini", "[task a]\nbinary = bin/worker-task\nlabel = 1\n", -1, 0644);
	d = sysdesc_load("t.ini", abs_search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/bin/worker-task");
	sysdesc_free(d);
	g_free(abs);

	/* Absolute paths are used as they are; no search path at all is fine. */
	char *text = g_strdup_printf("[task a]\nbinary = %s/path1/hello-task\nlabel = 1\n", tmp);
	write_file("t.ini", text, -1, 0644);
	d = sysdesc_load("t.ini", NULL, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/hello-task");
	sysdesc_free(d);
	g_free(text);
	ck_assert_ptr_null(err);
}
END_TEST

START_TEST(test_binary_errors)
{
	GError *err = NULL;
	char *want;

	ck_assert_ptr_null(load_text(TASK("a", "1") "[task b]\nlabel = 2\nbinary = nope\n", &err));
	want = g_strdup_printf("t.ini:6: binary 'nope' not found (tried: %s/nope, %s/path1/nope)",
	                       tmp, tmp);
	ck_assert_str_eq(err->message, want);
	ck_assert_int_eq(err->code, INI_ERROR_NOT_FOUND);
	g_clear_error(&err);
	g_free(want);

	ck_assert_ptr_null(load_text("[task a]\nbinary = noexec\nlabel = 1\n", &err));
	want = g_strdup_printf("t.ini:2: binary 'noexec' has no executable file (%s/noexec: not "
	                       "executable; %s/path1/noexec: not found)",
	                       tmp, tmp);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);

	ck_assert_ptr_null(load_text("[task a]\nbinary = path1\nlabel = 1\n", &err));
	want = g_strdup_printf("t.ini:2: binary 'path1' has no executable file (%s/path1: a "
	                       "directory; %s/path1/path1: not found)",
	                       tmp, tmp);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);

	ck_assert_ptr_null(load_text("[task a]\nbinary = /nonexistent/task\nlabel = 1\n", &err));
	ck_assert_str_eq(err->message, "t.ini:2: binary '/nonexistent/task' not found");
	g_clear_error(&err);

	char *text = g_strdup_printf("[task a]\nbinary = %s/noexec\nlabel = 1\n", tmp);
	ck_assert_ptr_null(load_text(text, &err));
	want = g_strdup_printf("t.ini:2: binary '%s/noexec' is not executable", tmp);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);
	g_free(text);

	/* Without a search path, only the file's directory is tried. */
	write_file("t.ini", TASK("a", "1"), -1, 0644);
	ck_assert_ptr_null(sysdesc_load("t.ini", NULL, &err));
	want = g_strdup_printf("t.ini:2: binary '%s/hello-task' not found", tmp);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);
}
END_TEST

/* ---- the syntax layer and the value parsers ---------------------------------------------- */

START_TEST(test_ini_index)
{
	static const char text[] = "\xef\xbb\xbf# head\n"
	                           "[one]   # c\n"
	                           "a = x#y # comment\n"
	                           "\n"
	                           "  b=  \\sspaced\\t  \n"
	                           "[ two words ]\n"
	                           "c.d-e_f = # only a comment\n";
	GError *err = NULL;
	IniFile *f = ini_load_data("dir/x.ini", text, sizeof(text) - 1, &err);

	ck_assert_msg(f != NULL, "%s", err ? err->message : "");
	ck_assert_str_eq(ini_path(f), "dir/x.ini");
	char *dir = g_build_filename(tmp, "dir", NULL);
	ck_assert_str_eq(ini_dir(f), dir);
	g_free(dir);
	ck_assert_uint_eq(ini_group_count(f), 2);
	ck_assert_str_eq(ini_group_name(f, 0), "one");
	ck_assert_int_eq(ini_group_line(f, 0), 2);
	ck_assert_str_eq(ini_group_name(f, 1), "two words");
	ck_assert_int_eq(ini_group_line(f, 1), 6);
	ck_assert_int_eq(ini_find_group(f, "two words"), 1);
	ck_assert_int_eq(ini_find_group(f, "three"), -1);
	ck_assert_uint_eq(ini_key_count(f, 0), 2);
	ck_assert_str_eq(ini_key_name(f, 0, 1), "b");
	ck_assert_int_eq(ini_key_index_line(f, 0, 1), 5);
	ck_assert_int_eq(ini_key_line(f, 0, "a"), 3);
	ck_assert_int_eq(ini_key_line(f, 0, "c"), 0);
	ck_assert(ini_has_key(f, 1, "c.d-e_f"));

	char *s = g_strdup("default");
	ck_assert(ini_get_string(f, 0, "a", &s, &err));
	ck_assert_str_eq(s, "x#y");
	ck_assert(ini_get_string(f, 0, "b", &s, &err));
	ck_assert_str_eq(s, " spaced\t");
	ck_assert(ini_get_string(f, 1, "c.d-e_f", &s, &err));
	ck_assert_str_eq(s, "");
	ck_assert(ini_get_string(f, 1, "absent", &s, &err));
	ck_assert_str_eq(s, "");
	g_free(s);

	guint64 v = 77;
	ck_assert(ini_get_u64(f, 0, "absent", 0, 10, &v, &err));
	ck_assert_uint_eq(v, 77);
	ck_assert(!ini_get_u64(f, 0, "a", 0, 10, &v, &err));
	ck_assert_str_eq(err->message,
	                 "dir/x.ini:3: 'a' must be a number, decimal or hexadecimal with 0x (got "
	                 "'x#y')");
	ck_assert_uint_eq(v, 77);
	g_clear_error(&err);
	ini_free(f);
}
END_TEST

START_TEST(test_parse_numbers)
{
	GError *err = NULL;
	guint64 v = 0;

	ck_assert(ini_parse_u64("0x1F", "n", 0, G_MAXUINT64, &v, &err) && v == 31);
	ck_assert(ini_parse_u64("0X1f", "n", 0, G_MAXUINT64, &v, &err) && v == 31);
	ck_assert(ini_parse_u64("0010", "n", 0, G_MAXUINT64, &v, &err) && v == 10);
	ck_assert(ini_parse_u64("18446744073709551615", "n", 0, G_MAXUINT64, &v, &err));
	ck_assert_uint_eq(v, G_MAXUINT64);
	ck_assert(!ini_parse_u64("0x", "n", 0, 9, &v, &err));
	ck_assert_str_eq(err->message,
	                 "'n' must be a number, decimal or hexadecimal with 0x (got '0x')");
	g_clear_error(&err);
	ck_assert(!ini_parse_u64("+1", "n", 0, 9, &v, &err));
	g_clear_error(&err);
	ck_assert(!ini_parse_u64("1 2", "n", 0, 99, &v, &err));
	g_clear_error(&err);
	ck_assert(!ini_parse_u64("5", "n", 6, 9, &v, &err));
	ck_assert_str_eq(err->message, "'n' must be between 6 and 9 (got 5)");
	g_clear_error(&err);

	bool b = false;
	ck_assert(ini_parse_bool("TRUE", "b", &b, &err) && b);
	ck_assert(ini_parse_bool("off", "b", &b, &err) && !b);
	ck_assert(ini_parse_bool("1", "b", &b, &err) && b);
	ck_assert(ini_parse_bool("No", "b", &b, &err) && !b);
	ck_assert(!ini_parse_bool("", "b", &b, &err));
	g_clear_error(&err);

	static const struct {
		const char *text;
		guint64 ns;
	} durations[] = {
	    {"0", 0},
	    {"0.0s", 0},
	    {"7ns", 7},
	    {"1us", 1000},
	    {"1\xc2\xb5s", 1000},
	    {"1.5 ms", 1500000},
	    {"1.250000000000000000000s", 1250000000},
	    {".5s", 500000000},
	    {"2MIN", 120000000000ull},
	    {"1h", 3600000000000ull},
	    {"18446744073709551615ns", G_MAXUINT64},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(durations); i++) {
		ck_assert_msg(
		    ini_parse_duration_ns(durations[i].text, "d", 0, G_MAXUINT64, &v, &err),
		    "%s: %s", durations[i].text, err ? err->message : "");
		ck_assert_uint_eq(v, durations[i].ns);
	}
	ck_assert(!ini_parse_duration_ns("18446744073709551616ns", "d", 0, G_MAXUINT64, &v, &err));
	ck_assert_str_eq(err->message, "'d' is too large (got 18446744073709551616ns)");
	g_clear_error(&err);
	ck_assert(!ini_parse_duration_ns("1.", "d", 0, G_MAXUINT64, &v, &err));
	ck_assert_str_eq(err->message, "'d' needs a unit: ns, us, ms, s, min or h (got '1.')");
	g_clear_error(&err);
	ck_assert(!ini_parse_duration_ns("1e3ms", "d", 0, G_MAXUINT64, &v, &err));
	ck_assert_str_eq(err->message,
	                 "'d' has an unknown unit 'e3ms' (use ns, us, ms, s, min or h)");
	g_clear_error(&err);
	ck_assert(!ini_parse_duration_ns("1ms", "d", 2000000, 3000000, &v, &err));
	ck_assert_str_eq(err->message, "'d' must be between 2ms and 3ms (got 1ms)");
	g_clear_error(&err);

	ck_assert(ini_parse_frequency_hz("32768", "f", 1, G_MAXUINT64, &v, &err) && v == 32768);
	ck_assert(ini_parse_frequency_hz("1.2GHz", "f", 1, G_MAXUINT64, &v, &err));
	ck_assert_uint_eq(v, 1200000000);
	ck_assert(ini_parse_frequency_hz("64m", "f", 1, G_MAXUINT64, &v, &err) && v == 64000000);
	ck_assert(ini_parse_frequency_hz("8 kHz", "f", 1, G_MAXUINT64, &v, &err) && v == 8000);
	ck_assert(ini_parse_frequency_hz("100hz", "f", 1, G_MAXUINT64, &v, &err) && v == 100);
}
END_TEST

START_TEST(test_parse_caps_and_names)
{
	GError *err = NULL;
	guint32 c = 99;

	ck_assert(ini_parse_caps("", "c", &c, &err) && c == 0);
	ck_assert(ini_parse_caps(" ; ", "c", &c, &err) && c == 0);
	ck_assert(ini_parse_caps("0x00270017", "c", &c, &err) && c == 0x00270017);
	ck_assert(ini_parse_caps("CAP_DEV_BUSES|CAP_TIM_HP_CHRONO,16", "c", &c, &err));
	ck_assert_uint_eq(c, 0x00100011);
	ck_assert(!ini_parse_caps("CAP_DEV_IO;cap_dev_io", "c", &c, &err));
	ck_assert_str_eq(err->message,
	                 "unknown capability 'cap_dev_io' (did you mean 'CAP_DEV_IO'?)");
	g_clear_error(&err);

	char *s = ini_format_caps(0x00204001);
	ck_assert_str_eq(s, "CAP_DEV_BUSES; CAP_SYS_PROCSTART; CAP_CRY_KRNG");
	g_free(s);
	s = ini_format_caps(0);
	ck_assert_str_eq(s, "0");
	g_free(s);
	s = ini_format_caps(0x80000002);
	ck_assert_str_eq(s, "CAP_DEV_IO; 0x80000000");
	g_free(s);
	s = ini_format_duration(1500000);
	ck_assert_str_eq(s, "1500us");
	g_free(s);
	s = ini_format_duration(7200000000000ull);
	ck_assert_str_eq(s, "2h");
	g_free(s);
	s = ini_format_frequency(64000000);
	ck_assert_str_eq(s, "64MHz");
	g_free(s);
	s = ini_format_frequency(32768);
	ck_assert_str_eq(s, "32768Hz");
	g_free(s);

	static const char *const words[] = {"priority", "quantum", "label", NULL};
	ck_assert_str_eq(ini_suggest("prio", words), "priority");
	ck_assert_str_eq(ini_suggest("qauntum", words), "quantum");
	ck_assert_str_eq(ini_suggest("LABEL", words), "label");
	ck_assert_ptr_null(ini_suggest("stack", words));
	ck_assert_ptr_null(ini_suggest("la", words));
	s = ini_hint("zzz", words);
	ck_assert_str_eq(s, " (known: priority, quantum, label)");
	g_free(s);
}
END_TEST

static Suite *sysdesc_suite(void)
{
	Suite *s = suite_create("sysdesc");
	TCase *tc = tcase_create("load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_full_example);
	tcase_add_test(tc, test_doc_shows_full_example);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_value_forms);
	tcase_add_loop_test(tc, test_errors, 0, G_N_ELEMENTS(error_cases));
	tcase_add_test(tc, test_task_limit);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_unreadable);
	tcase_add_loop_test(tc, test_warnings, 0, G_N_ELEMENTS(warning_cases));
	tcase_add_test(tc, test_autotest);
	tcase_add_test(tc, test_binary_resolution);
	tcase_add_test(tc, test_binary_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("ini");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ini_index);
	tcase_add_test(tc, test_parse_numbers);
	tcase_add_test(tc, test_parse_caps_and_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *top = getenv("top_srcdir");

	srcdir = g_canonicalize_filename(top != NULL ? top : ".", NULL);
	base = g_dir_make_tmp("check_sysdesc-XXXXXX", NULL);
	if (base == NULL) {
		printf("Bail out! cannot create a temporary directory\n");
		return 99;
	}
	SRunner *sr = srunner_create(sysdesc_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_set_tap(sr, "/dev/stdout");
	srunner_run_all(sr, CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rm_rf(base); /* a failed test skips its teardown */
	g_free(base);
	g_free(srcdir);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
