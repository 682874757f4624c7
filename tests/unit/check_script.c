/*
 * check_script.c: scenario scripts (sim/scenario/script.c) and the kernel stimuli they use
 * (sim/kernel/stimuli.c).
 *
 * Parsing: each test writes a scenario "t.ini" in a fresh temporary directory, [script] first
 * so that step lines are small numbers, and asserts the exact message of every load error,
 * line included. The complete example (tests/unit/data/script/example.ini) must load and be
 * shown verbatim in docs/scenarios.md, and every ```ini example of that page must load.
 *
 * The engine is tested without processes: the kernel model is built from the description,
 * its hooks feed the script's observers, and the tests play the tasks' system calls the way
 * the host does (resume the current task, trap, let the script intercept), with a small idle
 * loop that follows the host contract of script.h. Outcomes and diagnosis texts are asserted
 * exactly.
 */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/kernel/kernel.h"
#include "sim/kernel/views.h"
#include "sim/scenario/ini.h"
#include "sim/scenario/script.h"
#include "sim/scenario/sysdesc.h"

static char *srcdir; /* absolute top source directory */
static char *base;   /* holds one directory per test; removed by main() */
static char *tmp;    /* the current test's directory */

static const char *const search[] = {"path1", NULL};

static void write_file(const char *path, const char *text, int mode)
{
	GError *err = NULL;

	ck_assert_msg(g_file_set_contents(path, text, -1, &err), "%s", err ? err->message : "");
	ck_assert_int_eq(g_chmod(path, mode), 0);
}

/* A task binary the loader accepts: the ELF header of this test program (the loader reads
 * no further). */
static void write_elf(const char *path)
{
	char *self = NULL;
	gsize len = 0;

	ck_assert(g_file_get_contents("/proc/self/exe", &self, &len, NULL) && len >= 64);
	ck_assert(g_file_set_contents(path, self, 64, NULL));
	ck_assert_int_eq(g_chmod(path, 0755), 0);
	g_free(self);
}

static void setup(void)
{
	char *dir = g_build_filename(base, "test-XXXXXX", NULL);

	ck_assert_ptr_nonnull(g_mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	g_free(dir);
	tmp = g_get_current_dir();
	ck_assert_int_eq(g_mkdir_with_parents("path1", 0755), 0);
	static const char *const bins[] = {"hello-task", "echo-server", "echo-client", "watchdog"};
	for (size_t i = 0; i < G_N_ELEMENTS(bins); i++) {
		char *p = g_build_filename("path1", bins[i], NULL);
		write_elf(p);
		g_free(p);
	}
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

/* Load |text| as t.ini (the system description loader accepts [script]; the script
 * loader reads it). */
static SysDesc *load_desc_at(const char *path, const char *text)
{
	GError *err = NULL;
	write_file(path, text, 0644);
	SysDesc *d = sysdesc_load(path, search, &err);
	ck_assert_msg(d != NULL, "system: %s", err ? err->message : "");
	return d;
}

/* ---- the test system --------------------------------------------------------------------- */

/* Three tasks of decreasing priority (c is started by hand), a device with an owner, one
 * without, two DMA streams. */
#define SYSTEM                                                                                     \
	"[system]\n"                                                                               \
	"seed = 1\n"                                                                               \
	"syscall_cost = 0\n"                                                                       \
	"[task a]\n"                                                                               \
	"binary = hello-task\n"                                                                    \
	"label = 0xa\n"                                                                            \
	"priority = 3\n"                                                                           \
	"capabilities = CAP_CRY_KRNG; CAP_DEV_BUSES; CAP_DEV_IO; CAP_DEV_DMA\n"                    \
	"[task b]\n"                                                                               \
	"binary = hello-task\n"                                                                    \
	"label = 0xb\n"                                                                            \
	"priority = 2\n"                                                                           \
	"[task c]\n"                                                                               \
	"binary = hello-task\n"                                                                    \
	"label = 0xc\n"                                                                            \
	"priority = 1\n"                                                                           \
	"start = manual\n"                                                                         \
	"[device dev]\n"                                                                           \
	"label = 0x10\n"                                                                           \
	"owner = a\n"                                                                              \
	"compatible = st,stm32-usart\n"                                                            \
	"base = 0x40011000\n"                                                                      \
	"size = 0x400\n"                                                                           \
	"interrupts = 37\n"                                                                        \
	"ios = 0:5; 1:3\n"                                                                         \
	"[device loose]\n"                                                                         \
	"label = 0x11\n"                                                                           \
	"compatible = st,stm32-usart\n"                                                            \
	"base = 0x40012000\n"                                                                      \
	"size = 0x100\n"                                                                           \
	"interrupts = 40\n"                                                                        \
	"ios = 2:2\n"                                                                              \
	"[shm buf]\n"                                                                              \
	"label = 0x100\n"                                                                          \
	"owner = a\n"                                                                              \
	"base = 0x2000a000\n"                                                                      \
	"size = 0x100\n"                                                                           \
	"dma_pool = true\n"                                                                        \
	"[shm out]\n"                                                                              \
	"label = 0x101\n"                                                                          \
	"owner = a\n"                                                                              \
	"base = 0x2000b000\n"                                                                      \
	"size = 0x100\n"                                                                           \
	"dma_pool = true\n"                                                                        \
	"[dma rx]\n"                                                                               \
	"label = 0x200\n"                                                                          \
	"owner = a\n"                                                                              \
	"channel = 1\n"                                                                            \
	"stream = 4\n"                                                                             \
	"source = device dev\n"                                                                    \
	"dest = shm buf\n"                                                                         \
	"length = 16\n"                                                                            \
	"[dma copy]\n"                                                                             \
	"label = 0x201\n"                                                                          \
	"owner = a\n"                                                                              \
	"channel = 2\n"                                                                            \
	"stream = 5\n"                                                                             \
	"source = shm buf\n"                                                                       \
	"dest = shm out\n"                                                                         \
	"length = 16\n"

enum { A = 0, B = 1, C = 2, IDLE = 3 };

/* [script] first: its keys are on lines 2, 3... */
static SysDesc *load_with_script(const char *script, const char *system)
{
	char *text = g_strconcat("[script]\n", script, system, NULL);
	SysDesc *d = load_desc_at("t.ini", text);
	g_free(text);
	return d;
}

static Script *load_script_ok(const SysDesc *d)
{
	GError *err = NULL;
	Script *s = script_load(d, &err);
	ck_assert_msg(s != NULL, "script: %s", err ? err->message : "");
	return s;
}

static void assert_script_error_in(const char *script, const char *system, const char *expected)
{
	SysDesc *d = load_with_script(script, system);
	GError *err = NULL;
	Script *s = script_load(d, &err);
	ck_assert_msg(s == NULL, "loaded, expected error: %s", expected);
	ck_assert_ptr_nonnull(err);
	ck_assert(err->domain == INI_ERROR);
	size_t n = strlen(expected);
	if (n > 0 && expected[n - 1] == '*') /* a message ending in a library's own words */
		ck_assert_msg(strncmp(err->message, expected, n - 1) == 0, "%s", err->message);
	else
		ck_assert_str_eq(err->message, expected);
	g_error_free(err);
	sysdesc_free(d);
}

static void assert_script_error(const char *script, const char *expected)
{
	assert_script_error_in(script, SYSTEM, expected);
}

/* ---- parsing ----------------------------------------------------------------------------- */

START_TEST(test_no_script)
{
	SysDesc *d = load_desc_at("t.ini", SYSTEM);
	Script *s = load_script_ok(d);
	ck_assert(script_is_empty(s));
	ck_assert_uint_eq(script_expect_count(s), 0);
	script_free(s);
	sysdesc_free(d);
}
END_TEST

START_TEST(test_expect_names)
{
	SysDesc *d = load_with_script("at.1ms = irq 37\n"
	                              "expect.one = no-fault\n"
	                              "\n"
	                              "expect.two = log(a, /x/)\n",
	                              SYSTEM);
	Script *s = load_script_ok(d);
	sysdesc_free(d); /* the script does not depend on it */
	ck_assert(!script_is_empty(s));
	ck_assert_uint_eq(script_expect_count(s), 2);
	ck_assert_str_eq(script_expect_name(s, 0), "expect.one");
	ck_assert_int_eq(script_expect_line(s, 0), 3);
	ck_assert_str_eq(script_expect_name(s, 1), "expect.two");
	ck_assert_int_eq(script_expect_line(s, 1), 5);
	script_free(s);
}
END_TEST

/* Every form of every step loads. */
START_TEST(test_all_forms_load)
{
	SysDesc *d = load_with_script(
	    "at.0 = start c\n"
	    "at.1.5ms = irq 37; irq dev\n"
	    "at.1.5ms.b = gpio 0:5 high; gpio 1:3 low; gpio 0:5 release\n"
	    "at.2ms = write dev+0x1c 0x1; write 0x40011000 42\n"
	    "at.3ms = dma rx \"hi\\r\\n\\x00\\\"\"\n"
	    "at.4ms = signal b USR1; signal a SIGNAL_TERM; signal c usr2\n"
	    "at.5ms = kill b; restart b\n"
	    "at.6ms = inject a get_random CRITICAL; inject a SYSCALL_LOG STATUS_BUSY x3\n"
	    "at.7ms = inject b yield ok always\n"
	    "when.w1 = log(a, /re(ady)?\\s+\\d/i) -> kill c\n"
	    "when.w2 = syscall(*, send_ipc) + 2ms -> irq 37\n"
	    "when.w3 = exit(a) -> start c\n"
	    "when.w4 = exit(a, -1) -> start c\n"
	    "when.w5 = fault(*) -> start c\n"
	    "when.w6 = state(b, JOB_STATE_WAITFOREVENT) -> start c\n"
	    "when.w7 = respawn(b) -> start c\n"
	    "when.w8 = panic() -> start c\n"
	    "inject.i1 = a get_random CRITICAL x2\n"
	    "expect.e1 = log(a, /x/)\n"
	    "expect.e2 = log(*, /x/) within 1s\n"
	    "expect.e3 = log(b, /y/) after log(a, /x/) within 50ms before exit(c)\n"
	    "expect.e4 = never syscall(c, send_ipc) before fault(a)\n"
	    "expect.e5 = order log(a, /x/) < exit(b, 0) < state(c, FINISHED)\n"
	    "expect.e6 = state a FINISHED exit 0\n"
	    "expect.e7 = state b NOTSTARTED\n"
	    "expect.e8 = gpio 0:5 high at 3ms\n"
	    "expect.e9 = gpio 1:3 low\n"
	    "expect.e10 = reg dev+0x1c == 0x1\n"
	    "expect.e11 = reg 0x40011000 & 0xff != 0x2a at 1s\n"
	    "expect.e12 = no-fault\n"
	    "expect.e13 = no-deadlock\n"
	    "expect.e14 = no-panic\n"
	    "expect.e15 = finish within 2s\n"
	    "expect.e16 = exit(a, 0x10) # a comment\n"
	    "expect.e17 = log(a, /a#b/)\n",
	    SYSTEM);
	Script *s = load_script_ok(d);
	ck_assert_uint_eq(script_expect_count(s), 17);
	script_free(s);
	sysdesc_free(d);
}
END_TEST

typedef struct {
	const char *script;
	const char *message;
} ErrorCase;

static const ErrorCase error_cases[] = {
    /* keys */
    {"expct.x = no-fault\n",
     "t.ini:2: unknown key 'expct.x' in '[script]' (did you mean 'expect.x'?)"},
    {"foo = no-fault\n",
     "t.ini:2: unknown key 'foo' in '[script]' (known: at.TIME, when.NAME, inject.NAME, "
     "expect.NAME)"},
    {"expect = no-fault\n", "t.ini:2: 'expect' needs a name after the dot: expect.NAME"},
    {"at. = irq 37\n", "t.ini:2: 'at.' needs a time after the dot: at.TIME"},
    {"at.soon = irq 37\n",
     "t.ini:2: at.soon: 'at.' is followed by the time of the step, such as at.10ms or at.1.5s "
     "(got 'soon')"},
    {"at.10 = irq 37\n", "t.ini:2: at.10: 'at' needs a unit: ns, us, ms, s, min or h (got '10')"},
    {"at.10ms2 = irq 37\n",
     "t.ini:2: at.10ms2: expected '.' and a tag after the time in the key, such as at.10ms.2 "
     "(got '10ms2')"},
    {"at.10xs = irq 37\n",
     "t.ini:2: at.10xs: 'at' has an unknown unit 'xs' (use ns, us, ms, s, min or h)"},
    {"at.10ms. = irq 37\n",
     "t.ini:2: at.10ms.: expected '.' and a tag after the time in the key, such as at.10ms.2 "
     "(got '10ms.')"},
    {"at.1ms =\n", "t.ini:2: at.1ms: the step is empty"},
    /* lexical */
    {"expect.x = log(a, /x)\n",
     "t.ini:2: expect.x: unterminated regular expression '/x)': a closing '/' is missing"},
    {"at.1ms = dma rx \"abc\n", "t.ini:2: at.1ms: unterminated string: a '\"' is missing"},
    {"at.1ms = dma rx \"a\\qb\"\n",
     "t.ini:2: at.1ms: unknown escape '\\q' in a string (use \\n, \\r, \\t, \\0, \\\\, \\\" or "
     "\\xHH)"},
    {"at.1ms = dma rx \"\\x4\"\n",
     "t.ini:2: at.1ms: '\\x' needs two hexadecimal digits in a string"},
    /* actions */
    {"at.1ms = sgnal b USR1\n", "t.ini:2: at.1ms: unknown action 'sgnal' (did you mean 'signal'?)"},
    {"at.1ms = frobnicate\n",
     "t.ini:2: at.1ms: unknown action 'frobnicate' (known: irq, gpio, write, dma, uart, signal, "
     "start, kill, restart, inject)"},
    {"at.1ms = (\n",
     "t.ini:2: at.1ms: expected an action (irq, gpio, write, dma, uart, signal, start, kill, "
     "restart or inject), got '('"},
    {"at.1ms = signal bb USR1\n", "t.ini:2: at.1ms: unknown task 'bb' (did you mean 'b'?)"},
    {"at.1ms = signal server USR1\n", "t.ini:2: at.1ms: unknown task 'server' (known: a, b, c)"},
    {"at.1ms = signal b USR3\n", "t.ini:2: at.1ms: unknown signal 'USR3' (did you mean 'USR1'?)"},
    {"at.1ms = signal b SIGNAL_PANIC_USER_HARD_FAULT\n",
     "t.ini:2: at.1ms: unknown signal 'SIGNAL_PANIC_USER_HARD_FAULT' (known: ABORT, ALARM, BUS, "
     "CONT, ILL, IO, PIPE, POLL, TERM, TRAP, USR1, USR2)"},
    {"at.1ms = signal b\n", "t.ini:2: at.1ms: expected signal, got nothing"},
    {"at.1ms = signal b USR1 now\n",
     "t.ini:2: at.1ms: unexpected 'now' after 'signal b USR1' (separate actions with ';')"},
    {"at.1ms = irq 38\n", "t.ini:2: at.1ms: no device declares IRQ 38 in its 'interrupts'"},
    {"at.1ms = irq 40\n",
     "t.ini:2: at.1ms: IRQ 40 belongs to device 'loose', which has no owner: the kernel does not "
     "list it (give it an 'owner')"},
    {"at.1ms = irq loose\n",
     "t.ini:2: at.1ms: device 'loose' has no owner: the kernel does not list it, so its IRQs go "
     "nowhere (give it an 'owner')"},
    {"at.1ms = irq deb\n", "t.ini:2: at.1ms: unknown device 'deb' (did you mean 'dev'?)"},
    {"at.1ms = irq 70000\n", "t.ini:2: at.1ms: 'IRQ' must be between 0 and 65535 (got 70000)"},
    {"at.1ms = gpio 0:6 high\n",
     "t.ini:2: at.1ms: no device declares GPIO pin 0:6 (declared: 0:5, 1:3)"},
    {"at.1ms = gpio 2:2 high\n",
     "t.ini:2: at.1ms: GPIO pin 2:2 belongs to device 'loose', which has no owner: the kernel "
     "does not model it (give the device an 'owner')"},
    {"at.1ms = gpio 05 high\n", "t.ini:2: at.1ms: a GPIO pin is PORT:PIN, such as 0:5 (got '05')"},
    {"at.1ms = gpio 0:x high\n",
     "t.ini:2: at.1ms: 'GPIO pin' must be a number, decimal or hexadecimal with 0x (got 'x')"},
    {"at.1ms = gpio 0:5 up\n", "t.ini:2: at.1ms: a pin is driven high, low or release (got 'up')"},
    {"at.1ms = write dev+0x1e 1\n",
     "t.ini:2: at.1ms: register dev+0x1e (0x4001101e) is not 4-byte aligned"},
    {"at.1ms = write dev+0x400 1\n",
     "t.ini:2: at.1ms: register dev+0x400 (0x40011400) is in no device's register window (dev "
     "0x40011000-0x400113ff, loose 0x40012000-0x400120ff)"},
    {"at.1ms = write 0x40011000 0x100000000\n",
     "t.ini:2: at.1ms: 'register value' must be between 0x0 and 0xffffffff (got 0x100000000)"},
    {"at.1ms = write dev+0x4\n", "t.ini:2: at.1ms: expected register value, got nothing"},
    {"at.1ms = dma rxx \"a\"\n", "t.ini:2: at.1ms: unknown DMA stream 'rxx' (did you mean 'rx'?)"},
    {"at.1ms = dma copy \"a\"\n",
     "t.ini:2: at.1ms: DMA stream 'copy' reads from SHM 'buf', not from a device: only a stream "
     "whose source is a device takes bytes from the script"},
    {"at.1ms = dma rx abc\n",
     "t.ini:2: at.1ms: expected the bytes as a \"string\" after 'rx', got 'abc'"},
    {"at.1ms = dma rx \"\"\n", "t.ini:2: at.1ms: no bytes to feed to DMA stream 'rx'"},
    {"at.1ms = inject a exit OK\n",
     "t.ini:2: at.1ms: exit cannot fail: it never returns (uapi.md 4.1)"},
    {"at.1ms = inject a get_random NON_SENSE\n",
     "t.ini:2: at.1ms: NON_SENSE is never delivered: a task resumed with it is a kernel panic "
     "(uapi.md 1.1)"},
    {"at.1ms = inject a get_randon CRITICAL\n",
     "t.ini:2: at.1ms: unknown system call 'get_randon' (did you mean 'get_random'?)"},
    {"at.1ms = inject a frob CRITICAL\n",
     "t.ini:2: at.1ms: unknown system call 'frob' (the names of uapi.md 1.3 in lower case, such "
     "as send_ipc or get_random)"},
    {"at.1ms = inject a get_random CRITCAL\n",
     "t.ini:2: at.1ms: unknown status 'CRITCAL' (did you mean 'CRITICAL'?)"},
    {"at.1ms = inject a get_random CRITICAL x0\n",
     "t.ini:2: at.1ms: 'count after 'x'' must be between 1 and 4294967295 (got 0)"},
    {"inject.i = a get_random CRITICAL twice\n",
     "t.ini:2: inject.i: unexpected 'twice' after 'a get_random CRITICAL'"},
    {"at.1ms = start c;\n",
     "t.ini:2: at.1ms: expected an action (irq, gpio, write, dma, uart, signal, start, kill, "
     "restart or inject), got nothing"},
    /* conditions */
    {"when.w = signal b USR1\n",
     "t.ini:2: when.w: expected a condition: an event such as log(TASK, /regex/), got 'signal'"},
    {"when.w = log(a, /x/) signal b USR1\n",
     "t.ini:2: when.w: expected '->' between the condition and the actions, got 'signal'"},
    {"when.w = log(a, /x/) + soon -> irq 37\n",
     "t.ini:2: when.w: 'delay' must be a duration such as 10ms or 1.5s (got 'soon')"},
    {"when.w = lgo(a, /x/) -> irq 37\n",
     "t.ini:2: when.w: unknown event 'lgo(' (did you mean 'log'?)"},
    {"when.w = log(a, x) -> irq 37\n",
     "t.ini:2: when.w: expected a regular expression /.../ in 'log(', got 'x'"},
    {"when.w = log(a /x/) -> irq 37\n",
     "t.ini:2: when.w: expected ',' after the task of 'log(', got '/x/'"},
    {"when.w = log(a, /x/ -> irq 37\n", "t.ini:2: when.w: expected ')' to close 'log(', got '->'"},
    {"when.w = log(a, /x(/) -> irq 37\n",
     "t.ini:2: when.w: invalid regular expression /x(/: Error while compiling regular "
     "expression ‘x(’ at char 2: *"}, /* the rest is PCRE's wording */
    {"when.w = log(a, /x/g) -> irq 37\n",
     "t.ini:2: when.w: unknown flag 'g' after /x/ (only 'i', ignore case, is known)"},
    {"when.w = state(*, FAULT) -> irq 37\n",
     "t.ini:2: when.w: '*' (any task) is not allowed here: name a task"},
    {"when.w = state(a, DONE) -> irq 37\n",
     "t.ini:2: when.w: unknown job state 'DONE' (known: NOTSTARTED, READY, SLEEPING, "
     "SLEEPING_DEEP, FAULT, ABORTING, FINISHED, IPC_SEND_BLOCKED, WAITFOREVENT, HUNG)"},
    {"when.w = exit(a, x) -> irq 37\n",
     "t.ini:2: when.w: 'exit code' must be a number, decimal or hexadecimal with 0x (got 'x')"},
    {"when.w = exit(a, -2147483649) -> irq 37\n",
     "t.ini:2: when.w: 'exit code' must be between 0 and 2147483648 (got 2147483649)"},
    /* expectations */
    {"expect.x = sate a FINISHED\n",
     "t.ini:2: expect.x: unknown expectation 'sate' (did you mean 'state'?)"},
    {"expect.x = log a /x/\n",
     "t.ini:2: expect.x: unknown expectation 'log' (did you mean the event 'log(...)'?)"},
    {"expect.x = happens\n",
     "t.ini:2: expect.x: unknown expectation 'happens' (known: an event such as log(TASK, "
     "/regex/), never, order, state, gpio, reg, no-fault, no-deadlock, no-panic, finish)"},
    {"expect.x = log(a, /x/) within 1s within 2s\n", "t.ini:2: expect.x: 'within' is given twice"},
    {"expect.x = log(a, /x/) by 1s\n",
     "t.ini:2: expect.x: unexpected 'by' after the event (expected 'within DURATION', "
     "'after EVENT' or 'before EVENT')"},
    {"expect.x = log(a, /x/) within 10\n",
     "t.ini:2: expect.x: 'within' needs a unit: ns, us, ms, s, min or h (got '10')"},
    {"expect.x = log(a, /x/) after exit\n",
     "t.ini:2: expect.x: expected an event after 'after': an event such as log(TASK, /regex/), "
     "got 'exit'"},
    {"expect.x = never\n",
     "t.ini:2: expect.x: expected an event after 'never': an event such as log(TASK, /regex/), "
     "got nothing"},
    {"expect.x = order log(a, /x/)\n",
     "t.ini:2: expect.x: 'order' needs at least two events: order EVENT < EVENT [< EVENT]..."},
    {"expect.x = order log(a, /x/) > exit(a)\n",
     "t.ini:2: expect.x: 'order' needs at least two events: order EVENT < EVENT [< EVENT]..."},
    {"expect.x = order log(a, /x/) < exit(a) exit(b)\n",
     "t.ini:2: expect.x: unexpected 'exit' after the last event"},
    {"expect.x = state a DONE\n",
     "t.ini:2: expect.x: unknown job state 'DONE' (known: NOTSTARTED, READY, SLEEPING, "
     "SLEEPING_DEEP, FAULT, ABORTING, FINISHED, IPC_SEND_BLOCKED, WAITFOREVENT, HUNG)"},
    {"expect.x = state a FINISHED code 0\n",
     "t.ini:2: expect.x: unexpected 'code' after the state"},
    {"expect.x = gpio 0:5 on\n", "t.ini:2: expect.x: a pin level is high or low (got 'on')"},
    {"expect.x = gpio 0:5 high when 3s\n", "t.ini:2: expect.x: unexpected 'when' after the level"},
    {"expect.x = reg dev+0x4 = 1\n",
     "t.ini:2: expect.x: expected '==' or '!=' after the register, got '='"},
    {"expect.x = reg dev+0x4 & 0xf == 0x10\n",
     "t.ini:2: expect.x: value 0x00000010 has bits outside mask 0x0000000f: it can never match"},
    {"expect.x = reg nodev+0x4 == 1\n",
     "t.ini:2: expect.x: unknown device 'nodev' (did you mean 'dev'?)"},
    {"expect.x = no-fault please\n", "t.ini:2: expect.x: unexpected 'please' after 'no-fault'"},
    {"expect.x = finish 2s\n",
     "t.ini:2: expect.x: expected 'within DURATION' after 'finish', got '2s'"},
    /* a later step */
    {"at.1ms = irq 37\n\n# comment\nexpect.x = state a FINISHED\nexpect.y = stat a FAULT\n",
     "t.ini:6: expect.y: unknown expectation 'stat' (did you mean 'state'?)"},
};

START_TEST(test_errors)
{
	assert_script_error(error_cases[_i].script, error_cases[_i].message);
}
END_TEST

START_TEST(test_errors_bare_board)
{
	static const char bare[] = "[system]\nduration = 1s\n"
	                           "[task a]\nbinary = hello-task\nlabel = 1\n";
	static const ErrorCase cases[] = {
	    {"expect.x = gpio 0:5 high at 2s\n",
	     "t.ini:2: expect.x: no device declares GPIO pin 0:5 (no device with an owner lists "
	     "'ios')"},
	    {"at.1ms = write 0x40011000 1\n",
	     "t.ini:2: at.1ms: register 0x40011000: no device of the board has a register window"},
	    {"at.1ms = irq dev\n",
	     "t.ini:2: at.1ms: unknown device 'dev' (the board has no device)"},
	    {"at.1ms = dma rx \"x\"\n",
	     "t.ini:2: at.1ms: unknown DMA stream 'rx' (the board has no DMA stream)"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++)
		assert_script_error_in(cases[i].script, bare, cases[i].message);
}
END_TEST

START_TEST(test_error_at_after_duration)
{
	static const char sys[] = "[system]\nduration = 1s\n"
	                          "[task a]\nbinary = hello-task\nlabel = 1\n"
	                          "[device d]\nlabel = 1\nowner = a\ncompatible = gpio\n"
	                          "ios = 0:1\n";
	assert_script_error_in("at.2s = start a\n", sys,
	                       "t.ini:2: at.2s: 2s is after the end of the run (duration = 1s)");
	assert_script_error_in("expect.x = gpio 0:1 high at 1.5s\n", sys,
	                       "t.ini:2: expect.x: 'at 1.5s' is after the end of the run (duration "
	                       "= 1s)");
}
END_TEST

/* ---- the example and the documentation --------------------------------------------------- */

static char *example_text(void)
{
	char *path =
	    g_build_filename(srcdir, "tests", "unit", "data", "script", "example.ini", NULL);
	char *text = NULL;
	ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s", path);
	g_free(path);
	return text;
}

START_TEST(test_example_loads)
{
	char *text = example_text();
	SysDesc *d = load_desc_at("example.ini", text);
	Script *s = load_script_ok(d);
	ck_assert_uint_eq(script_expect_count(s), 12);
	ck_assert_str_eq(script_expect_name(s, 0), "expect.served");
	script_free(s);
	sysdesc_free(d);
	g_free(text);
}
END_TEST

START_TEST(test_doc_shows_example)
{
	char *text = example_text();
	char *doc = g_build_filename(srcdir, "docs", "scenarios.md", NULL);
	char *page = NULL;
	ck_assert(g_file_get_contents(doc, &page, NULL, NULL));
	char *block = g_strconcat("```ini\n", text, "```\n", NULL);
	ck_assert_msg(
	    strstr(page, block) != NULL,
	    "docs/scenarios.md does not show tests/unit/data/script/example.ini verbatim");
	g_free(block);
	g_free(page);
	g_free(doc);
	g_free(text);
}
END_TEST

/* Every ```ini block of docs/scenarios.md loads: a complete file as it is, a fragment of
 * steps as the [script] of the example's system. */
START_TEST(test_doc_examples_load)
{
	char *text = example_text();
	char *system = g_strdup(text);
	*strstr(system, "[script]") = '\0';
	char *doc = g_build_filename(srcdir, "docs", "scenarios.md", NULL);
	char *page = NULL;
	ck_assert(g_file_get_contents(doc, &page, NULL, NULL));
	int blocks = 0;
	for (const char *p = page; (p = strstr(p, "```ini\n")) != NULL;) {
		p += strlen("```ini\n");
		const char *end = strstr(p, "```\n");
		ck_assert_ptr_nonnull(end);
		char *body = g_strndup(p, (gsize)(end - p));
		char *file = body[0] == '[' || body[0] == '#'
		                 ? g_strdup(body)
		                 : g_strconcat("[script]\n", body, system, NULL);
		SysDesc *d = load_desc_at("doc.ini", file);
		GError *err = NULL;
		Script *s = script_load(d, &err);
		ck_assert_msg(s != NULL, "docs/scenarios.md example does not load:\n%s\n%s", body,
		              err ? err->message : "");
		script_free(s);
		sysdesc_free(d);
		g_free(file);
		g_free(body);
		blocks++;
		p = end;
	}
	ck_assert_int_ge(blocks, 20);
	g_free(page);
	g_free(doc);
	g_free(system);
	g_free(text);
}
END_TEST

/* ---- the engine: a host without processes ------------------------------------------------ */

#define MEM_BASE 0x40011000u
#define MEM_SIZE 0x1100u /* dev and loose */

static struct {
	SysDesc *d;
	Script *s;
	Kernel *k;
	ScriptRun *r;
	uint8_t mem[MEM_SIZE];
	GString *fed;    /* DMA bytes: "STREAM:bytes;" */
	GString *killed; /* kill_task calls: "ID why;" */
	GString *reports;
	gboolean no_memory, no_dma;
} sim;

static void on_log(void *data, uint32_t task, const uint8_t *bytes, size_t len)
{
	script_run_log(sim.r, task, bytes, len, kernel_now_ns(sim.k));
}

static void on_report(void *data, const KernelReport *rep)
{
	g_string_append_printf(sim.reports, "%d %s\n", rep->kind, rep->text);
	script_run_report(sim.r, rep);
}

static void on_syscall(void *data, uint32_t task, uint32_t nr, const uint32_t args[3])
{
	script_run_syscall(sim.r, task, nr, args, kernel_now_ns(sim.k));
}

static uint8_t *env_memory(void *data, uint64_t addr, uint64_t len)
{
	if (addr < MEM_BASE || addr + len > MEM_BASE + MEM_SIZE)
		return NULL;
	return sim.mem + (addr - MEM_BASE);
}

static void env_dma(void *data, uint32_t stream, const uint8_t *bytes, size_t len)
{
	g_string_append_printf(sim.fed, "%u:", stream);
	g_string_append_len(sim.fed, (const char *)bytes, (gssize)len);
	g_string_append_c(sim.fed, ';');
}

static void env_kill(void *data, uint32_t id, const char *why)
{
	g_string_append_printf(sim.killed, "%u %s;", id, why);
}

static ScriptEnv sim_env(void)
{
	return (ScriptEnv){.k = sim.k,
	                   .memory = sim.no_memory ? NULL : env_memory,
	                   .dma_feed = sim.no_dma ? NULL : env_dma,
	                   .kill_task = env_kill};
}

/* Load the script, build the kernel, create the run, boot, apply what is due at 0. */
static void sim_start_in(const char *script, const char *system)
{
	sim.d = load_with_script(script, system);
	sim.s = load_script_ok(sim.d);
	sim.fed = g_string_new(NULL);
	sim.killed = g_string_new(NULL);
	sim.reports = g_string_new(NULL);
	KernelHooks hooks = {.log = on_log, .report = on_report, .syscall = on_syscall};
	const char *err = NULL;
	sim.k = kernel_new(&sim.d->kernel, &hooks, NULL, &err);
	ck_assert_msg(sim.k != NULL, "%s", err ? err : "");
	ScriptEnv env = sim_env();
	sim.r = script_run_new(sim.s, &env);
	kernel_boot(sim.k);
	script_run_due(sim.r, kernel_now_ns(sim.k));
}

static void sim_start(const char *script)
{
	sim_start_in(script, SYSTEM);
}

static void sim_stop(void)
{
	script_run_free(sim.r);
	kernel_free(sim.k);
	script_free(sim.s);
	sysdesc_free(sim.d);
	g_string_free(sim.fed, TRUE);
	g_string_free(sim.killed, TRUE);
	g_string_free(sim.reports, TRUE);
	memset(&sim, 0, sizeof(sim));
}

/* Task |id| must be current: resume it, and return what it is resumed with. */
static uint32_t go(uint32_t id)
{
	ck_assert_uint_eq(kernel_current(sim.k), id);
	KernelResume res;
	ck_assert(kernel_resume(sim.k, &res));
	return res.r0;
}

/* The current task |id| traps, as the host hands a request over: the script may answer it. */
static void trap(uint32_t id, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	ck_assert_uint_eq(kernel_current(sim.k), id);
	uint32_t status;
	if (script_run_intercept(sim.r, id, nr, &status))
		kernel_answer_syscall(sim.k, status);
	else
		kernel_syscall(sim.k, nr, a0, a1, a2);
	script_run_due(sim.r, kernel_now_ns(sim.k));
}

/* Task |id| runs and makes one call; returns the result it gets when resumed next, if it
 * is still current (else UINT32_MAX). */
static uint32_t call(uint32_t id, uint32_t nr, uint32_t a0, uint32_t a1)
{
	go(id);
	trap(id, nr, a0, a1, 0);
	if (kernel_current(sim.k) != id)
		return UINT32_MAX;
	KernelResume res;
	ck_assert(kernel_resume(sim.k, &res));
	/* put it back in the "trapped" position the next go() expects: a resume is idempotent
	 * for a task whose result was delivered */
	return res.r0;
}

static void say(uint32_t id, const char *text)
{
	go(id);
	size_t len = strlen(text);
	memcpy(kernel_exchange(sim.k, id), text, len);
	trap(id, SYSCALL_LOG, (uint32_t)len, 0, 0);
}

static void wait_events(uint32_t id)
{
	go(id);
	trap(id, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, 0, 0);
}

static void quit(uint32_t id, int32_t code)
{
	go(id);
	trap(id, SYSCALL_EXIT, (uint32_t)code, 0, 0);
}

/* Idle, as the host does it (script.h): returns how the kernel's idle step ended. */
static KernelIdleResult idle_step(void)
{
	Kernel *k = sim.k;
	uint64_t now = kernel_now_ns(k);
	uint64_t next = script_run_next_ns(sim.r);
	if (next <= now) {
		script_run_due(sim.r, now);
		return KERNEL_IDLE_ADVANCED;
	}
	KernelIdleResult ir = kernel_idle(k, next == UINT64_MAX ? 0 : next);
	if ((ir == KERNEL_IDLE_DONE || ir == KERNEL_IDLE_STUCK) &&
	    script_run_next_stimulus_ns(sim.r) != UINT64_MAX) {
		kernel_advance(k, next - now); /* next <= the stimulus, so finite */
		script_run_due(sim.r, kernel_now_ns(k));
		return KERNEL_IDLE_ADVANCED;
	}
	script_run_due(sim.r, kernel_now_ns(k));
	return ir;
}

/* Idle until a task is current, the system ends (returned) or the script stops the run. */
static KernelIdleResult idle_until_task(void)
{
	for (int guard = 0; guard < 10000; guard++) {
		if (script_run_failed(sim.r))
			return KERNEL_IDLE_ADVANCED;
		uint32_t cur = kernel_current(sim.k);
		if (cur == KERNEL_NO_TASK)
			return KERNEL_IDLE_PANIC;
		if (cur != kernel_idle_id(sim.k))
			return KERNEL_IDLE_ADVANCED;
		KernelIdleResult ir = idle_step();
		if (ir != KERNEL_IDLE_ADVANCED)
			return ir;
	}
	ck_abort_msg("idle loop did not end");
	return KERNEL_IDLE_ADVANCED;
}

static void advance_to(uint64_t ns)
{
	uint64_t now = kernel_now_ns(sim.k);
	ck_assert_uint_ge(ns, now);
	kernel_advance(sim.k, ns - now);
	script_run_due(sim.r, ns);
}

static char *finish(ScriptEnd end, gboolean expect_ok)
{
	GString *diag = g_string_new(NULL);
	gboolean ok = script_run_finish(sim.r, end, diag);
	ck_assert_msg(ok == expect_ok, "finish: %s", diag->str);
	return g_string_free(diag, FALSE);
}

static void assert_finish(ScriptEnd end, const char *expected)
{
	char *diag = finish(end, expected == NULL);
	if (expected != NULL)
		ck_assert_str_eq(diag, expected);
	g_free(diag);
}

static void assert_verdict(guint i, ScriptVerdict v, const char *detail)
{
	GString *s = g_string_new(NULL);
	ck_assert_int_eq(script_run_verdict(sim.r, i, s), v);
	if (detail != NULL)
		ck_assert_str_eq(s->str, detail);
	g_string_free(s, TRUE);
}

/* ---- stimuli ----------------------------------------------------------------------------- */

START_TEST(test_at_irq_wakes_waiter)
{
	sim_start("at.10ms = irq 37\n");
	ck_assert_uint_eq(script_run_next_ns(sim.r), 10000000);
	ck_assert_uint_eq(script_run_next_stimulus_ns(sim.r), 10000000);
	ck_assert_uint_eq(call(A, SYSCALL_IRQ_ENABLE, 37, 0), STATUS_OK);
	trap(A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, 0, 0);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_now_ns(sim.k), 10000000);
	ck_assert_uint_eq(kernel_current(sim.k), A);
	ck_assert_uint_eq(go(A), STATUS_INTR);
	ck_assert_uint_eq(script_run_next_stimulus_ns(sim.r), UINT64_MAX);
	assert_finish(SCRIPT_END_DONE, NULL);
	sim_stop();
}
END_TEST

/* Steps due at the same time apply in file order; the value of a later key wins. */
START_TEST(test_at_same_time_file_order)
{
	sim_start("at.5ms.z = gpio 0:5 high\n"
	          "at.5ms.a = gpio 0:5 low\n"
	          "at.4ms = gpio 1:3 high; gpio 1:3 low; gpio 1:3 high\n");
	wait_events(A);
	wait_events(B);
	advance_to(5000000);
	bool level = true;
	ck_assert(kernel_gpio_level(sim.k, 0, 5, &level));
	ck_assert(!level);
	ck_assert(kernel_gpio_level(sim.k, 1, 3, &level));
	ck_assert(level);
	sim_stop();
}
END_TEST

START_TEST(test_when_signal_source_zero)
{
	sim_start("when.ready = log(a, /^ready$/) + 2ms -> signal b USR1\n");
	say(A, "not ");
	say(A, "yet\nready\n");
	ck_assert_uint_eq(script_run_next_stimulus_ns(sim.r), 2000000);
	wait_events(A);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_now_ns(sim.k), 2000000);
	ck_assert_uint_eq(go(B), STATUS_INTR);
	/* the library re-issues the wait: the signal comes from the kernel, source 0 */
	trap(B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, 0, 0);
	ck_assert_uint_eq(go(B), STATUS_OK);
	const uint8_t *x = kernel_exchange(sim.k, B);
	uint32_t source, sig;
	memcpy(&source, x + 4, 4);
	memcpy(&sig, x + 8, 4);
	ck_assert_uint_eq(x[0], EVENT_TYPE_SIGNAL);
	ck_assert_uint_eq(x[1], 4);
	ck_assert_uint_eq(source, 0);
	ck_assert_uint_eq(sig, SIGNAL_USR1);
	sim_stop();
}
END_TEST

/* A second kernel signal while the first is unread is an error of the script. */
START_TEST(test_signal_busy_is_script_error)
{
	sim_start("at.1ms = signal b USR1\n"
	          "at.2ms = signal b USR2\n");
	say(A, "a line\n");
	quit(A, 0);
	go(B);
	trap(B, SYSCALL_SLEEP, 10, SLEEP_MODE_DEEP, 0); /* deep: signals do not wake it */
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert(script_run_failed(sim.r));
	ck_assert(script_run_error(sim.r));
	ck_assert_uint_eq(kernel_now_ns(sim.k), 2000000);
	assert_finish(
	    SCRIPT_END_STOPPED,
	    "t.ini:3: at.2ms: signal b USR2: the kernel's previous signal to 'b' is still "
	    "unread (one pending signal per sender, uapi.md 4.11)\n"
	    "  run: stopped at 2ms by this error\n"
	    "last lines of each task:\n"
	    "  a (FINISHED, exit 0):\n"
	    "    a line\n"
	    "  b (SLEEPING_DEEP): no output\n"
	    "  c (NOTSTARTED): no output\n");
	ck_assert_str_eq(script_run_error_text(sim.r),
	                 "t.ini:3: at.2ms: signal b USR2: the kernel's previous signal to 'b' is "
	                 "still unread (one pending signal per sender, uapi.md 4.11)");
	sim_stop();
}
END_TEST

START_TEST(test_inject)
{
	sim_start("inject.rng = a get_random CRITICAL x2\n"
	          "at.1ms = inject a get_cycle BUSY always\n"
	          "expect.calls = order syscall(a, get_random) < syscall(a, get_random) < "
	          "syscall(a, get_random)\n");
	ck_assert_uint_eq(call(A, SYSCALL_GET_RANDOM, 0, 0), STATUS_CRITICAL);
	trap(A, SYSCALL_GET_RANDOM, 0, 0, 0);
	ck_assert_uint_eq(go(A), STATUS_CRITICAL);
	trap(A, SYSCALL_GET_RANDOM, 0, 0, 0);
	ck_assert_uint_eq(go(A), STATUS_OK); /* the kernel's answer again */
	trap(A, SYSCALL_GET_CYCLE, PRECISION_MILLISECONDS, 0, 0);
	ck_assert_uint_eq(go(A), STATUS_OK);
	advance_to(1000000);
	memset(kernel_exchange(sim.k, A), 0xee, 8);
	for (int i = 0; i < 3; i++) {
		trap(A, SYSCALL_GET_CYCLE, PRECISION_MILLISECONDS, 0, 0);
		ck_assert_uint_eq(go(A), STATUS_BUSY);
	}
	ck_assert_uint_eq(kernel_exchange(sim.k, A)[0], 0xee); /* the gate never ran */
	assert_finish(SCRIPT_END_DONE, NULL);
	assert_verdict(0, SCRIPT_VERDICT_PASSED, NULL);
	sim_stop();
}
END_TEST

/* The latest injection for a call replaces the earlier one. */
START_TEST(test_inject_replaces)
{
	sim_start("inject.one = a get_random CRITICAL always\n"
	          "at.1ms = inject a get_random DENIED\n");
	ck_assert_uint_eq(call(A, SYSCALL_GET_RANDOM, 0, 0), STATUS_CRITICAL);
	advance_to(1000000);
	trap(A, SYSCALL_GET_RANDOM, 0, 0, 0);
	ck_assert_uint_eq(go(A), STATUS_DENIED);
	trap(A, SYSCALL_GET_RANDOM, 0, 0, 0);
	ck_assert_uint_eq(go(A), STATUS_OK);
	sim_stop();
}
END_TEST

START_TEST(test_start)
{
	sim_start("at.5ms = start c\n"
	          "at.6ms = start c\n");
	wait_events(A);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_now_ns(sim.k), 5000000);
	ck_assert_uint_eq(kernel_current(sim.k), C);
	ck_assert(kernel_task_started(sim.k, C));
	say(C, "started\n");
	go(C);
	trap(C, SYSCALL_SLEEP, 10, SLEEP_MODE_SHALLOW, 0);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert(script_run_error(sim.r));
	assert_finish(
	    SCRIPT_END_STOPPED,
	    "t.ini:3: at.6ms: start c: 'c' cannot be started: its job is not READY (it is "
	    "SLEEPING)\n"
	    "  run: stopped at 6ms by this error\n"
	    "last lines of each task:\n"
	    "  a (WAITFOREVENT): no output\n"
	    "  b (WAITFOREVENT): no output\n"
	    "  c (SLEEPING):\n"
	    "    started\n");
	sim_stop();
}
END_TEST

START_TEST(test_start_scheduled_is_error)
{
	sim_start("at.0 = start a\n");
	ck_assert(script_run_error(sim.r));
	assert_finish(SCRIPT_END_STOPPED,
	              "t.ini:2: at.0: start a: 'a' cannot be started: it is already scheduled (it "
	              "is READY)\n"
	              "  run: stopped at 0s by this error\n"
	              "last lines of each task:\n"
	              "  a (READY): no output\n"
	              "  b (READY): no output\n"
	              "  c (NOTSTARTED): no output\n");
	sim_stop();
}
END_TEST

/* A killed sleeper: FAULT, its delay gone (no panic when it would have fired), the host
 * told, and no-fault does not count the script's own kill. */
START_TEST(test_kill_sleeper)
{
	sim_start("at.2ms = kill b\n"
	          "expect.clean = no-fault\n"
	          "expect.killed = fault(b) within 3ms\n"
	          "expect.state = state b FAULT\n");
	quit(A, 0);
	go(B);
	trap(B, SYSCALL_SLEEP, 5, SLEEP_MODE_SHALLOW, 0);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_DONE);
	ck_assert_uint_eq(kernel_task_state(sim.k, B), JOB_FAULT);
	ck_assert(!kernel_panicked(sim.k));
	ck_assert_str_eq(sim.killed->str, "1 killed by the script (t.ini:2: at.2ms);");
	ck_assert_ptr_nonnull(strstr(sim.reports->str, "fault: killed by the script (t.ini:2: "
	                                               "at.2ms)"));
	assert_finish(SCRIPT_END_DONE, NULL);
	sim_stop();
}
END_TEST

/* A killed IPC sender: its message is withdrawn, so the receiver never makes it READY. */
START_TEST(test_kill_ipc_sender)
{
	sim_start("at.1ms = kill a\n"
	          "expect.no-kill-twice = state a FAULT\n");
	/* a sends to b, which is not waiting yet */
	go(A);
	trap(A, SYSCALL_SEND_IPC, kernel_task_handle(sim.k, B), 4, 0);
	ck_assert_uint_eq(kernel_task_state(sim.k, A), JOB_IPC_SEND_BLOCKED);
	go(B);
	trap(B, SYSCALL_SLEEP, 2, SLEEP_MODE_DEEP, 0);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_current(sim.k), B);
	ck_assert_uint_eq(kernel_task_state(sim.k, A), JOB_FAULT);
	ck_assert_uint_eq(kernel_view_ipc_pending(sim.k, B, A), 0);
	ck_assert_uint_eq(go(B), STATUS_TIMEOUT);
	trap(B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)-1, 0);
	ck_assert_uint_eq(go(B), STATUS_AGAIN);
	ck_assert_uint_eq(kernel_task_state(sim.k, A), JOB_FAULT);
	sim_stop();
}
END_TEST

/* Killing the running task elects another; killing it again is an error. */
START_TEST(test_kill_running_then_again)
{
	sim_start("when.k = log(a, /x/) -> kill a\n"
	          "at.1ms = kill a\n");
	say(A, "x\n");
	ck_assert_uint_eq(kernel_task_state(sim.k, A), JOB_FAULT);
	ck_assert_uint_eq(kernel_current(sim.k), B);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert(script_run_error(sim.r));
	assert_finish(SCRIPT_END_STOPPED,
	              "t.ini:3: at.1ms: kill a: 'a' cannot be killed: it has already faulted\n"
	              "  run: stopped at 1ms by this error\n"
	              "last lines of each task:\n"
	              "  a (FAULT):\n"
	              "    x\n"
	              "  b (WAITFOREVENT): no output\n"
	              "  c (NOTSTARTED): no output\n");
	sim_stop();
}
END_TEST

START_TEST(test_restart)
{
	sim_start("at.1ms = restart b\n"
	          "when.again = respawn(b) -> signal a USR2\n"
	          "expect.respawned = respawn(b) within 1ms\n");
	uint32_t old = kernel_task_handle(sim.k, B);
	wait_events(A);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_now_ns(sim.k), 1000000);
	ck_assert_uint_eq(kernel_task_generation(sim.k, B), 2);
	ck_assert(kernel_task_has_respawned(sim.k, B));
	ck_assert_uint_ne(kernel_task_handle(sim.k, B), old);
	ck_assert_uint_eq(kernel_current(sim.k), A); /* woken by the kernel signal */
	ck_assert_uint_eq(go(A), STATUS_INTR);
	trap(A, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_uint_eq(kernel_current(sim.k), B);
	KernelResume res;
	ck_assert(kernel_resume(sim.k, &res));
	ck_assert(res.fresh);
	ck_assert_uint_eq(res.generation, 2);
	ck_assert_ptr_nonnull(strstr(sim.reports->str, "restarted by the script (t.ini:2: at.1ms): "
	                                               "a new job, as after exit(0) with "
	                                               "RESTART (uapi.md 7.6)"));
	assert_finish(SCRIPT_END_DONE, NULL);
	sim_stop();
}
END_TEST

START_TEST(test_write_and_reg)
{
	sim_start("at.1ms = write dev+0x1c 0x12345678\n"
	          "expect.at = reg dev+0x1c == 0x12345678 at 1ms\n"
	          "expect.before = reg 0x4001101c != 0x12345678 at 500us\n"
	          "expect.masked = reg dev+0x1c & 0xff00 == 0x5600\n"
	          "expect.wrong = reg dev+0x1c & 0xff == 0x79\n");
	quit(A, 0);
	quit(B, 0);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_DONE);
	ck_assert_uint_eq(sim.mem[0x1c], 0x78);
	ck_assert_uint_eq(sim.mem[0x1f], 0x12);
	assert_finish(SCRIPT_END_DONE,
	              "t.ini:6: expect.wrong failed at 1ms\n"
	              "  expected: reg dev+0x1c & 0xff == 0x79\n"
	              "  observed: dev+0x1c (0x4001101c) holds 0x12345678, 0x00000078 under mask "
	              "0x000000ff, at the end of the run, 1ms\n"
	              "  run: every task ended, at 1ms\n"
	              "last lines of each task:\n"
	              "  a (FINISHED, exit 0): no output\n"
	              "  b (FINISHED, exit 0): no output\n"
	              "  c (NOTSTARTED): no output\n");
	assert_verdict(0, SCRIPT_VERDICT_PASSED, NULL);
	assert_verdict(1, SCRIPT_VERDICT_PASSED, NULL);
	assert_verdict(2, SCRIPT_VERDICT_PASSED, NULL);
	assert_verdict(3, SCRIPT_VERDICT_FAILED,
	               "expected: reg dev+0x1c & 0xff == 0x79\n"
	               "observed: dev+0x1c (0x4001101c) holds 0x12345678, 0x00000078 under mask "
	               "0x000000ff, at the end of the run, 1ms");
	sim_stop();
}
END_TEST

START_TEST(test_dma_feed)
{
	sim_start("at.1ms = dma rx \"ok\\r\\n\"; dma rx \"\\x41\"\n");
	advance_to(1000000);
	ck_assert_str_eq(sim.fed->str, "0:ok\r\n;0:A;");
	sim_stop();
}
END_TEST

START_TEST(test_supported)
{
	static const char script[] = "at.1ms = irq 37\n"
	                             "expect.r = reg dev+0x0 == 0\n"
	                             "at.2ms = dma rx \"x\"\n";
	SysDesc *d = load_with_script(script, SYSTEM);
	Script *s = load_script_ok(d);
	ScriptEnv env = {.memory = env_memory, .dma_feed = env_dma};
	GError *err = NULL;
	ck_assert(script_supported(s, &env, &err));
	env.dma_feed = NULL;
	ck_assert(!script_supported(s, &env, &err));
	ck_assert_str_eq(err->message,
	                 "t.ini:4: at.2ms: this step needs a device model to feed DMA "
	                 "streams, which this run does not provide");
	g_clear_error(&err);
	env.memory = NULL;
	ck_assert(!script_supported(s, &env, &err));
	ck_assert_str_eq(err->message,
	                 "t.ini:3: expect.r: this step needs the board memory (device "
	                 "registers), which this run does not provide");
	g_clear_error(&err);
	script_free(s);
	sysdesc_free(d);
}
END_TEST

/* ---- expectations ------------------------------------------------------------------------ */

/* A deadline that passes fails at once, with the whole diagnosis. */
START_TEST(test_within_deadline_fails_early)
{
	sim_start("expect.served = log(a, /served \\d+ requests/) within 10ms\n"
	          "expect.other = no-fault\n");
	say(A, "served 3 request\n");
	say(A, "waiting\n");
	go(A);
	trap(A, SYSCALL_SLEEP, 100, SLEEP_MODE_SHALLOW, 0);
	say(B, "b here\n");
	wait_events(B);
	ck_assert_uint_eq(script_run_next_ns(sim.r), 10000001);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert(script_run_failed(sim.r));
	ck_assert(!script_run_error(sim.r));
	ck_assert_uint_eq(kernel_now_ns(sim.k), 10000001);
	assert_finish(SCRIPT_END_STOPPED,
	              "t.ini:2: expect.served failed at 10.000001ms\n"
	              "  expected: log(a, /served \\d+ requests/) within 10ms\n"
	              "  observed: no line of 'a' matched /served \\d+ requests/ by 10ms (it is "
	              "SLEEPING)\n"
	              "  run: stopped at 10.000001ms by this failure\n"
	              "last lines of each task:\n"
	              "  a (SLEEPING):\n"
	              "    served 3 request\n"
	              "    waiting\n"
	              "  b (WAITFOREVENT):\n"
	              "    b here\n"
	              "  c (NOTSTARTED): no output\n");
	assert_verdict(0, SCRIPT_VERDICT_FAILED, NULL);
	assert_verdict(1, SCRIPT_VERDICT_NOT_EVALUATED, NULL);
	/* the same, as the per-expectation results `sentry-sim test` reports */
	GArray *res = script_run_results(sim.r);
	ck_assert_uint_eq(res->len, 2);
	const ScriptResult *x = &g_array_index(res, ScriptResult, 0);
	ck_assert_str_eq(x->name, "expect.served");
	ck_assert_int_eq(x->line, 2);
	ck_assert_int_eq(x->verdict, SCRIPT_VERDICT_FAILED);
	ck_assert_str_eq(x->expected, "log(a, /served \\d+ requests/) within 10ms");
	ck_assert_str_eq(x->observed,
	                 "no line of 'a' matched /served \\d+ requests/ by 10ms (it is SLEEPING)");
	ck_assert_uint_eq(x->at_ns, 10000001);
	x = &g_array_index(res, ScriptResult, 1);
	ck_assert_str_eq(x->name, "expect.other");
	ck_assert_int_eq(x->verdict, SCRIPT_VERDICT_NOT_EVALUATED);
	ck_assert_ptr_null(x->observed);
	ck_assert_uint_eq(x->at_ns, 10000001);
	g_array_unref(res);
	ck_assert_ptr_null(script_run_error_text(sim.r));
	char *end = script_run_end_text(sim.r);
	ck_assert_str_eq(end, "stopped at 10.000001ms by this failure");
	g_free(end);
	sim_stop();
}
END_TEST

START_TEST(test_within_passes_at_deadline)
{
	sim_start("expect.x = log(b, /late/) within 1ms\n");
	wait_events(A);
	go(B);
	trap(B, SYSCALL_SLEEP, 1, SLEEP_MODE_SHALLOW, 0);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_now_ns(sim.k), 1000000);
	say(B, "late\n"); /* exactly at the deadline: in time */
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_STUCK);
	assert_finish(SCRIPT_END_DEADLOCK, NULL);
	sim_stop();
}
END_TEST

START_TEST(test_before_fails_early)
{
	sim_start("expect.greet = log(b, /hello/i) before exit(a)\n");
	say(A, "bye\n");
	quit(A, 0);
	ck_assert(script_run_failed(sim.r));
	assert_finish(
	    SCRIPT_END_STOPPED,
	    "t.ini:2: expect.greet failed at 0s\n"
	    "  expected: log(b, /hello/i) before exit(a)\n"
	    "  observed: exit(a) happened first: 'a' called exit(0) at 0s; no line of 'b' "
	    "matched /hello/i before it (it is READY)\n"
	    "  run: stopped at 0s by this failure\n"
	    "last lines of each task:\n"
	    "  a (FINISHED, exit 0):\n"
	    "    bye\n"
	    "  b (READY): no output\n"
	    "  c (NOTSTARTED): no output\n");
	sim_stop();
}
END_TEST

START_TEST(test_before_passes)
{
	sim_start("expect.greet = log(*, /HELLO/i) before exit(a)\n");
	say(A, "Hello\n");
	quit(A, 0);
	ck_assert(!script_run_failed(sim.r));
	assert_finish(SCRIPT_END_DONE, NULL);
	sim_stop();
}
END_TEST

START_TEST(test_after_within)
{
	sim_start("expect.fast = log(b, /echo/) within 2ms after log(a, /^ready/)\n"
	          "expect.slow = log(b, /echo/) within 2ms after log(a, /^again/)\n");
	say(A, "echo too early? no: a's own line\n");
	go(A);
	trap(A, SYSCALL_SLEEP, 1, SLEEP_MODE_SHALLOW, 0);
	say(B, "echo before ready does not count\n");
	go(B);
	trap(B, SYSCALL_SLEEP, 5, SLEEP_MODE_SHALLOW, 0);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_now_ns(sim.k), 1000000);
	say(A, "ready\n");
	say(A, "again\n");
	wait_events(A);
	ck_assert_uint_eq(script_run_next_ns(sim.r), 3000001);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert(script_run_failed(sim.r));
	assert_finish(SCRIPT_END_STOPPED,
	              "t.ini:2: expect.fast failed at 3.000001ms\n"
	              "  expected: log(b, /echo/) within 2ms after log(a, /^ready/)\n"
	              "  observed: no line of 'b' matched /echo/ within 2ms after log(a, /^ready/) "
	              "(at 1ms), by 3ms (it is SLEEPING)\n"
	              "  run: stopped at 3.000001ms by this failure\n"
	              "last lines of each task:\n"
	              "  a (WAITFOREVENT):\n"
	              "    echo too early? no: a's own line\n"
	              "    ready\n"
	              "    again\n"
	              "  b (SLEEPING):\n"
	              "    echo before ready does not count\n"
	              "  c (NOTSTARTED): no output\n");
	sim_stop();
}
END_TEST

START_TEST(test_after_never_happened)
{
	sim_start("expect.x = log(b, /echo/) after log(a, /^ready/)\n");
	quit(A, 0);
	say(B, "echo\n");
	quit(B, 0);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_DONE);
	char *diag = finish(SCRIPT_END_DONE, FALSE);
	ck_assert_ptr_nonnull(strstr(diag, "  observed: log(a, /^ready/) never happened, so the "
	                                   "time after it never came\n"
	                                   "  run: every task ended, at 0s\n"));
	g_free(diag);
	sim_stop();
}
END_TEST

START_TEST(test_never)
{
	sim_start("expect.quiet = never syscall(b, send_ipc)\n"
	          "expect.quiet-later = never log(a, /x/) after exit(b)\n");
	say(A, "x\n");
	go(A);
	trap(A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, 0, 0);
	go(B);
	trap(B, SYSCALL_SEND_IPC, kernel_task_handle(sim.k, A), 2, 0);
	ck_assert(script_run_failed(sim.r));
	assert_verdict(0, SCRIPT_VERDICT_FAILED,
	               "expected: never syscall(b, send_ipc)\n"
	               "observed: 'b' called send_ipc at 0s");
	assert_verdict(1, SCRIPT_VERDICT_NOT_EVALUATED, NULL);
	char *diag = finish(SCRIPT_END_STOPPED, FALSE);
	ck_assert(g_str_has_prefix(diag, "t.ini:2: expect.quiet failed at 0s\n"));
	g_free(diag);
	sim_stop();
}
END_TEST

START_TEST(test_never_within_window)
{
	sim_start("expect.quiet = never log(a, /x/) within 1ms\n");
	go(A);
	trap(A, SYSCALL_SLEEP, 2, SLEEP_MODE_SHALLOW, 0);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_now_ns(sim.k), 2000000);
	say(A, "x\n"); /* after the window */
	assert_finish(SCRIPT_END_DONE, NULL);
	sim_stop();
}
END_TEST

START_TEST(test_order)
{
	sim_start("expect.good = order log(a, /1/) < log(b, /2/) < exit(b)\n"
	          "expect.bad = order log(b, /2/) < log(c, /3/)\n");
	say(A, "1\n");
	wait_events(A);
	ck_assert(script_run_failed(sim.r) == FALSE);
	say(B, "2\n");
	ck_assert(script_run_failed(sim.r) == FALSE);
	quit(B, 0);
	ck_assert(!script_run_failed(sim.r));
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_STUCK);
	assert_finish(
	    SCRIPT_END_DEADLOCK,
	    "t.ini:3: expect.bad failed at 0s\n"
	    "  expected: order log(b, /2/) < log(c, /3/)\n"
	    "  observed: log(b, /2/) happened at 0s, then no line of 'c' matched /3/ (it is "
	    "NOTSTARTED)\n"
	    "  run: deadlock at 0s: no task can run and nothing can wake one\n"
	    "last lines of each task:\n"
	    "  a (WAITFOREVENT):\n"
	    "    1\n"
	    "  b (FINISHED, exit 0):\n"
	    "    2\n"
	    "  c (NOTSTARTED): no output\n");
	assert_verdict(0, SCRIPT_VERDICT_PASSED, NULL);
	sim_stop();
}
END_TEST

START_TEST(test_order_fails_early)
{
	sim_start("expect.seq = order log(a, /first/) < log(a, /second/) < log(a, /third/)\n");
	say(A, "first\n");
	say(A, "third\n");
	ck_assert(script_run_failed(sim.r));
	assert_verdict(0, SCRIPT_VERDICT_FAILED,
	               "expected: order log(a, /first/) < log(a, /second/) < log(a, /third/)\n"
	               "observed: log(a, /third/) happened before log(a, /second/): 'a' logged "
	               "\"third\" at 0s");
	sim_stop();
}
END_TEST

START_TEST(test_order_incomplete)
{
	sim_start("expect.seq = order log(a, /first/) < exit(a, 0)\n");
	advance_to(3000000);
	say(A, "first\n");
	quit(A, 2);
	char *diag = finish(SCRIPT_END_DONE, FALSE);
	ck_assert_ptr_nonnull(strstr(diag, "  observed: log(a, /first/) happened at 3ms, then 'a' "
	                                   "exited with 2, not 0 (it is ABORTING, exit 2)\n"));
	g_free(diag);
	sim_stop();
}
END_TEST

START_TEST(test_state)
{
	sim_start("expect.a = state a ABORTING exit 3\n"
	          "expect.b = state b FINISHED exit 0\n"
	          "expect.c = state c NOTSTARTED\n"
	          "expect.b-code = state b FINISHED exit 1\n"
	          "expect.a-state = state a FINISHED\n");
	quit(A, 3);
	quit(B, 0);
	assert_finish(SCRIPT_END_DONE, "t.ini:5: expect.b-code failed at 0s\n"
	                               "  expected: state b FINISHED exit 1\n"
	                               "  observed: 'b' is FINISHED, exit 0\n"
	                               "  run: every task ended, at 0s\n"
	                               "last lines of each task:\n"
	                               "  a (ABORTING, exit 3): no output\n"
	                               "  b (FINISHED, exit 0): no output\n"
	                               "  c (NOTSTARTED): no output\n");
	assert_verdict(0, SCRIPT_VERDICT_PASSED, NULL);
	assert_verdict(1, SCRIPT_VERDICT_PASSED, NULL);
	assert_verdict(2, SCRIPT_VERDICT_PASSED, NULL);
	assert_verdict(4, SCRIPT_VERDICT_FAILED,
	               "expected: state a FINISHED\n"
	               "observed: 'a' is ABORTING, exit 3");
	sim_stop();
}
END_TEST

START_TEST(test_state_event_and_exit_event)
{
	sim_start("when.done = state(a, FINISHED) -> start c\n"
	          "expect.exit = exit(a, 0) within 1ms\n"
	          "expect.c-ran = log(c, /c/)\n");
	quit(A, 0);
	wait_events(B);
	say(C, "c\n");
	quit(C, 0);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_STUCK);
	assert_finish(SCRIPT_END_DEADLOCK, NULL);
	sim_stop();
}
END_TEST

START_TEST(test_gpio_expectations)
{
	sim_start("at.1ms = gpio 0:5 high\n"
	          "at.3ms = gpio 0:5 release\n"
	          "expect.high = gpio 0:5 high at 2ms\n"
	          "expect.low = gpio 0:5 low at 3ms\n"
	          "expect.still = gpio 0:5 high at 4ms\n");
	wait_events(A);
	wait_events(B);
	/* the last stimulus is at 3ms: the system is then over, and checks after it see its
	 * final state */
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_STUCK);
	ck_assert(!script_run_failed(sim.r));
	ck_assert_uint_eq(kernel_now_ns(sim.k), 3000000);
	assert_verdict(0, SCRIPT_VERDICT_PASSED, NULL);
	assert_verdict(1, SCRIPT_VERDICT_PASSED, NULL);
	char *diag = finish(SCRIPT_END_DEADLOCK, FALSE);
	g_free(diag);
	assert_verdict(2, SCRIPT_VERDICT_FAILED,
	               "expected: gpio 0:5 high at 4ms\n"
	               "observed: pin 0:5 is low at the end of the run, 3ms");
	sim_stop();

	/* a check at its time stops the run at once */
	sim_start("at.1ms = gpio 1:3 high\n"
	          "expect.early = gpio 1:3 low at 1ms\n"
	          "expect.never-checked = gpio 0:5 low\n");
	wait_events(A);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert(script_run_failed(sim.r));
	ck_assert_uint_eq(kernel_now_ns(sim.k), 1000000);
	assert_verdict(0, SCRIPT_VERDICT_FAILED,
	               "expected: gpio 1:3 low at 1ms\n"
	               "observed: pin 1:3 is high at 1ms");
	diag = finish(SCRIPT_END_STOPPED, FALSE);
	g_free(diag);
	assert_verdict(1, SCRIPT_VERDICT_NOT_EVALUATED, NULL);
	sim_stop();
}
END_TEST

/* The task's own output: gpio_set by the owner is what 'gpio' expects. */
START_TEST(test_gpio_task_output)
{
	sim_start("expect.led = gpio 1:3 high\n");
	ck_assert_uint_eq(call(A, SYSCALL_GET_DEVICE_HANDLE, 0x10, 0), STATUS_OK);
	uint32_t devh;
	memcpy(&devh, kernel_exchange(sim.k, A), 4);
	trap(A, SYSCALL_GPIO_SET, devh, 1, 1);
	ck_assert_uint_eq(go(A), STATUS_OK);
	trap(A, SYSCALL_EXIT, 0, 0, 0);
	quit(B, 0);
	assert_finish(SCRIPT_END_DONE, NULL);
	sim_stop();
}
END_TEST

START_TEST(test_no_fault)
{
	sim_start("expect.clean = no-fault\n");
	say(A, "about to crash\n");
	go(A);
	kernel_fault(sim.k, "SIGSEGV at 0x0");
	ck_assert(script_run_failed(sim.r));
	assert_finish(SCRIPT_END_STOPPED, "t.ini:2: expect.clean failed at 0s\n"
	                                  "  expected: no-fault\n"
	                                  "  observed: 'a' faulted at 0s: SIGSEGV at 0x0\n"
	                                  "  run: stopped at 0s by this failure\n"
	                                  "last lines of each task:\n"
	                                  "  a (FAULT):\n"
	                                  "    about to crash\n"
	                                  "  b (READY): no output\n"
	                                  "  c (NOTSTARTED): no output\n");
	sim_stop();
}
END_TEST

START_TEST(test_no_deadlock)
{
	sim_start("expect.live = no-deadlock\n");
	wait_events(A);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_STUCK);
	KernelReport rep = {.kind = KREPORT_DEADLOCK,
	                    .task = KERNEL_NO_TASK,
	                    .time_ns = kernel_now_ns(sim.k),
	                    .text = "deadlock: no task can run and nothing can wake one"};
	script_run_report(sim.r, &rep);
	ck_assert(script_run_failed(sim.r));
	assert_verdict(0, SCRIPT_VERDICT_FAILED,
	               "expected: no-deadlock\n"
	               "observed: at 0s, deadlock: no task can run and nothing can wake one");
	sim_stop();
}
END_TEST

START_TEST(test_no_deadlock_at_end)
{
	sim_start("expect.live = no-deadlock\n");
	wait_events(A);
	wait_events(B);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_STUCK);
	assert_finish(SCRIPT_END_DEADLOCK,
	              "t.ini:2: expect.live failed at 0s\n"
	              "  expected: no-deadlock\n"
	              "  observed: the run ended in a deadlock at 0s\n"
	              "  run: deadlock at 0s: no task can run and nothing can wake one\n"
	              "last lines of each task:\n"
	              "  a (WAITFOREVENT): no output\n"
	              "  b (WAITFOREVENT): no output\n"
	              "  c (NOTSTARTED): no output\n");
	sim_stop();
}
END_TEST

START_TEST(test_no_panic_and_panic_event)
{
	sim_start("expect.sane = no-panic\n");
	go(A);
	trap(A, SYSCALL_START, 0xa, 0, 0); /* a has no CAP_SYS_PROCSTART: DENIED, no panic */
	ck_assert_uint_eq(go(A), STATUS_DENIED);
	trap(A, SYSCALL_EXIT, 0, 0, 0);
	assert_finish(SCRIPT_END_DONE, NULL);
	sim_stop();

	static const char sys[] = "[task p]\nbinary = hello-task\nlabel = 1\nexit_mode = panic\n";
	sim_start_in("expect.panicked = panic() within 1s\n"
	             "expect.sane = no-panic\n",
	             sys);
	quit(0, 0);
	ck_assert(kernel_panicked(sim.k));
	ck_assert(script_run_failed(sim.r));
	assert_verdict(0, SCRIPT_VERDICT_PASSED, NULL);
	assert_verdict(1, SCRIPT_VERDICT_FAILED, NULL);
	char *diag = finish(SCRIPT_END_STOPPED, FALSE);
	ck_assert(g_str_has_prefix(diag, "t.ini:3: expect.sane failed at 0s\n"
	                                 "  expected: no-panic\n"
	                                 "  observed: at 0s, kernel panic: HARDWARE_UNEXPECTED_"
	                                 "MODIFICATION; running task 'p'"));
	g_free(diag);
	sim_stop();
}
END_TEST

START_TEST(test_finish_within)
{
	sim_start("expect.quick = finish within 2ms\n");
	wait_events(A);
	go(B);
	trap(B, SYSCALL_SLEEP, 5, SLEEP_MODE_SHALLOW, 0);
	ck_assert_uint_eq(script_run_next_ns(sim.r), 2000001);
	ck_assert_uint_eq(idle_until_task(), KERNEL_IDLE_ADVANCED);
	ck_assert(script_run_failed(sim.r));
	assert_verdict(0, SCRIPT_VERDICT_FAILED,
	               "expected: finish within 2ms\n"
	               "observed: the run was still going at 2ms");
	sim_stop();

	sim_start("expect.quick = finish within 2ms\n");
	quit(A, 0);
	quit(B, 0);
	assert_finish(SCRIPT_END_DONE, NULL);
	sim_stop();

	sim_start("expect.quick = finish within 2ms\n");
	wait_events(A);
	wait_events(B);
	char *diag = finish(SCRIPT_END_DEADLOCK, FALSE);
	ck_assert_ptr_nonnull(strstr(diag, "  observed: the run ended with deadlock at 0s: no task "
	                                   "can run and nothing can wake one\n"));
	g_free(diag);
	sim_stop();
}
END_TEST

/* A line without its newline is matched at the end; only the last lines are shown. */
START_TEST(test_partial_line_and_ring)
{
	sim_start("expect.last = log(a, /^the end$/)\n"
	          "expect.never = log(b, /nothing/)\n");
	for (int i = 1; i <= 7; i++) {
		char line[32];
		snprintf(line, sizeof(line), "line %d\r\n", i);
		say(A, line);
	}
	say(A, "the ");
	say(A, "end");
	quit(A, 0);
	quit(B, 0);
	assert_finish(SCRIPT_END_DONE,
	              "t.ini:3: expect.never failed at 0s\n"
	              "  expected: log(b, /nothing/)\n"
	              "  observed: no line of 'b' matched /nothing/ (it is FINISHED, exit 0)\n"
	              "  run: every task ended, at 0s\n"
	              "last lines of each task:\n"
	              "  a (FINISHED, exit 0), last 5 of 8 lines:\n"
	              "    line 4\n"
	              "    line 5\n"
	              "    line 6\n"
	              "    line 7\n"
	              "    the end\n"
	              "  b (FINISHED, exit 0): no output\n"
	              "  c (NOTSTARTED): no output\n");
	assert_verdict(0, SCRIPT_VERDICT_PASSED, NULL);
	sim_stop();
}
END_TEST

/* Task bytes are escaped in messages. */
START_TEST(test_escaped_output)
{
	sim_start("expect.x = never log(a, /bell/)\n");
	say(A, "bell\a\x1b[31m\n");
	assert_verdict(0, SCRIPT_VERDICT_FAILED,
	               "expected: never log(a, /bell/)\n"
	               "observed: 'a' logged \"bell\\a\\033[31m\" at 0s");
	sim_stop();
}
END_TEST

START_TEST(test_interrupted)
{
	sim_start("expect.x = log(a, /never/)\n");
	assert_finish(SCRIPT_END_INTERRUPTED, "t.ini:2: expect.x was not evaluated\n"
	                                      "  expected: log(a, /never/)\n"
	                                      "  run: interrupted at 0s\n"
	                                      "last lines of each task:\n"
	                                      "  a (READY): no output\n"
	                                      "  b (READY): no output\n"
	                                      "  c (NOTSTARTED): no output\n");
	sim_stop();
}
END_TEST

/* The run reached its time limit: expectations are judged on what happened. */
START_TEST(test_time_limit)
{
	sim_start("expect.x = log(a, /late/)\n"
	          "expect.y = never fault(*)\n");
	go(A);
	trap(A, SYSCALL_SLEEP, 50, SLEEP_MODE_SHALLOW, 0);
	wait_events(B);
	advance_to(10000000);
	char *diag = finish(SCRIPT_END_TIME_LIMIT, FALSE);
	ck_assert_ptr_nonnull(strstr(diag, "  observed: no line of 'a' matched /late/ (it is "
	                                   "SLEEPING)\n"
	                                   "  run: time limit reached at 10ms\n"));
	g_free(diag);
	assert_verdict(1, SCRIPT_VERDICT_PASSED, NULL);
	sim_stop();
}
END_TEST

/* ---- kernel stimuli without a script ----------------------------------------------------- */

START_TEST(test_kernel_stimuli_direct)
{
	sim_start("");
	Kernel *k = sim.k;
	ck_assert_uint_eq(kernel_signal_from_kernel(k, B, 0), STATUS_INVALID);
	ck_assert_uint_eq(kernel_signal_from_kernel(k, B, 13), STATUS_INVALID);
	ck_assert_uint_eq(kernel_signal_from_kernel(k, IDLE, SIGNAL_USR1), STATUS_INVALID);
	ck_assert_uint_eq(kernel_signal_from_kernel(k, B, SIGNAL_TERM), STATUS_OK);
	ck_assert_uint_eq(kernel_view_sig_pending(k, B, IDLE), SIGNAL_TERM);
	ck_assert_uint_eq(kernel_signal_from_kernel(k, B, SIGNAL_USR1), STATUS_BUSY);
	ck_assert_str_eq(kernel_start_task(k, A), "it is already scheduled");
	ck_assert_str_eq(kernel_start_task(k, IDLE), "no such task");
	ck_assert_ptr_null(kernel_start_task(k, C));
	ck_assert_str_eq(kernel_start_task(k, C), "it is already scheduled");
	/* kill the running task: another is elected */
	go(A);
	ck_assert_ptr_null(kernel_kill_task(k, A, "test"));
	ck_assert_uint_eq(kernel_current(k), B);
	ck_assert_str_eq(kernel_kill_task(k, A, "test"), "it has already faulted");
	/* restart the running task: it is elected again, fresh */
	go(B);
	ck_assert_ptr_null(kernel_restart_task(k, B, "test"));
	ck_assert_uint_eq(kernel_current(k), B);
	KernelResume res;
	ck_assert(kernel_resume(k, &res));
	ck_assert(res.fresh);
	/* a task that exited cannot be killed, but can be restarted */
	trap(B, SYSCALL_EXIT, 5, 0, 0);
	ck_assert_str_eq(kernel_kill_task(k, B, "test"), "it has already exited");
	ck_assert_ptr_null(kernel_restart_task(k, B, "test"));
	ck_assert_uint_eq(kernel_task_state(k, B), JOB_READY);
	ck_assert_uint_eq(kernel_task_exit_code(k, B), 0);
	/* the signal is kept across the respawn (uapi.md 7.6) */
	ck_assert_uint_eq(kernel_view_sig_pending(k, B, IDLE), SIGNAL_TERM);
	sim_stop();
}
END_TEST

/* ---- the suite --------------------------------------------------------------------------- */

static Suite *script_suite(void)
{
	Suite *s = suite_create("script");

	TCase *tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_no_script);
	tcase_add_test(tc, test_expect_names);
	tcase_add_test(tc, test_all_forms_load);
	tcase_add_loop_test(tc, test_errors, 0, G_N_ELEMENTS(error_cases));
	tcase_add_test(tc, test_errors_bare_board);
	tcase_add_test(tc, test_error_at_after_duration);
	tcase_add_test(tc, test_example_loads);
	tcase_add_test(tc, test_doc_shows_example);
	tcase_add_test(tc, test_doc_examples_load);
	suite_add_tcase(s, tc);

	tc = tcase_create("stimuli");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_at_irq_wakes_waiter);
	tcase_add_test(tc, test_at_same_time_file_order);
	tcase_add_test(tc, test_when_signal_source_zero);
	tcase_add_test(tc, test_signal_busy_is_script_error);
	tcase_add_test(tc, test_inject);
	tcase_add_test(tc, test_inject_replaces);
	tcase_add_test(tc, test_start);
	tcase_add_test(tc, test_start_scheduled_is_error);
	tcase_add_test(tc, test_kill_sleeper);
	tcase_add_test(tc, test_kill_ipc_sender);
	tcase_add_test(tc, test_kill_running_then_again);
	tcase_add_test(tc, test_restart);
	tcase_add_test(tc, test_write_and_reg);
	tcase_add_test(tc, test_dma_feed);
	tcase_add_test(tc, test_supported);
	tcase_add_test(tc, test_kernel_stimuli_direct);
	suite_add_tcase(s, tc);

	tc = tcase_create("expectations");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_within_deadline_fails_early);
	tcase_add_test(tc, test_within_passes_at_deadline);
	tcase_add_test(tc, test_before_fails_early);
	tcase_add_test(tc, test_before_passes);
	tcase_add_test(tc, test_after_within);
	tcase_add_test(tc, test_after_never_happened);
	tcase_add_test(tc, test_never);
	tcase_add_test(tc, test_never_within_window);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_order_fails_early);
	tcase_add_test(tc, test_order_incomplete);
	tcase_add_test(tc, test_state);
	tcase_add_test(tc, test_state_event_and_exit_event);
	tcase_add_test(tc, test_gpio_expectations);
	tcase_add_test(tc, test_gpio_task_output);
	tcase_add_test(tc, test_no_fault);
	tcase_add_test(tc, test_no_deadlock);
	tcase_add_test(tc, test_no_deadlock_at_end);
	tcase_add_test(tc, test_no_panic_and_panic_event);
	tcase_add_test(tc, test_finish_within);
	tcase_add_test(tc, test_partial_line_and_ring);
	tcase_add_test(tc, test_escaped_output);
	tcase_add_test(tc, test_interrupted);
	tcase_add_test(tc, test_time_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *top = getenv("top_srcdir");

	srcdir = g_canonicalize_filename(top != NULL ? top : ".", NULL);
	base = g_dir_make_tmp("check_script-XXXXXX", NULL);
	if (base == NULL) {
		printf("Bail out! cannot create a temporary directory\n");
		return 99;
	}
	SRunner *sr = srunner_create(script_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_set_tap(sr, "/dev/stdout");
	srunner_run_all(sr, CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rm_rf(base);
	g_free(base);
	g_free(srcdir);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
