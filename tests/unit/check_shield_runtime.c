/*
 * check_shield_runtime.c: task entry, exit, atexit, the stack protector, assertions and
 * abort against the fake UAPI (shield.md 3, 9.2, 9.8, R5, 7.33, 7.34).
 *
 * The fake __sys_exit ends the forked test process with the status, so exit paths are
 * exit tests. Traps (assert, abort) are caught with a host signal handler that checks
 * what was logged before the trap and turns the verdict into an exit status.
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shield/assert.h>
#include <shield/errno.h>
#include <shield/signal.h>
#include <shield/stdio.h>
#include <shield/stdlib.h>
#include <shield/sys/msg.h>
#include <shield/time.h>
#include <shield/unistd.h>

#include "check_shield_fake.h"
#include "tests/unit/check_tap.h"

extern uintptr_t shield_stack_chk_guard;
void __shield_start(uint32_t thread_id, uint32_t seed);
void shield_stack_chk_fail(void);
int shield_main(void);

static void setup(void)
{
	fake_reset();
	shield_errno = 0;
}

/* What shield_main does for the current test. */
static int (*task_main)(void);

int shield_main(void)
{
	return task_main != NULL ? task_main() : 0;
}

static int main_returns_42(void)
{
	return 42;
}

/* main's return becomes the exit status, through exit() and __sys_exit(). */
START_TEST(test_main_return_is_exit)
{
	task_main = main_returns_42;
	__shield_start(0, 0x1234);
	ck_abort_msg("__shield_start returned");
}
END_TEST

static int main_checks_guard(void)
{
	return shield_stack_chk_guard == 0xCAFEF00Du ? 0 : 1;
}

START_TEST(test_guard_from_seed)
{
	task_main = main_checks_guard;
	__shield_start(7, 0xCAFEF00Du); /* thread_id is ignored */
}
END_TEST

static char order[8];
static size_t norder;

static void h1(void)
{
	order[norder++] = '1';
	/* Registered first, so it runs last: check the whole order here. */
	if (strcmp(order, "321") != 0)
		_exit(99);
}

static void h2(void)
{
	order[norder++] = '2';
}

static void h3(void)
{
	order[norder++] = '3';
}

static int main_with_handlers(void)
{
	shield_atexit(h1);
	shield_atexit(h2);
	shield_atexit(h3);
	return 7;
}

/* Returning from main runs the atexit handlers in reverse order, then exits. */
START_TEST(test_atexit_order)
{
	task_main = main_with_handlers;
	__shield_start(0, 1);
}
END_TEST

START_TEST(test_exit_runs_handlers)
{
	shield_atexit(h1);
	shield_atexit(h2);
	shield_atexit(h3);
	shield_exit(3);
}
END_TEST

static void must_not_run(void)
{
	_exit(99);
}

START_TEST(test__Exit_skips_handlers)
{
	shield_atexit(must_not_run);
	shield__Exit(5);
}
END_TEST

START_TEST(test__exit_skips_handlers)
{
	shield_atexit(must_not_run);
	shield__exit(6);
}
END_TEST

static void nop(void)
{
}

START_TEST(test_atexit_limit)
{
	for (int i = 0; i < SHIELD_ATEXIT_MAX; i++)
		ck_assert_int_eq(shield_atexit(nop), 0);
	ck_assert_int_eq(shield_atexit(nop), -1);
	ck_assert_int_eq(shield_atexit(NULL), -1);
}
END_TEST

START_TEST(test_stack_chk_fail)
{
	shield_stack_chk_fail();
}
END_TEST

/* R5: every piece of state is reset by the entry, even in a reused process (7.34). */
static shield_timer_t old_timer;
static uint32_t peer = 0x00100001;

static int main_checks_fresh_state(void)
{
	shield_sigset_t set;
	struct shield_itimerspec its;
	uint32_t ref = 1 * 1103515245u + 12345u, x = ref;

	if (shield_errno != 0)
		return 10;
	/* rand restarts at srand(1). */
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	if (shield_rand() != (int)(x >> 1))
		return 11;
	/* The timer table is empty. */
	if (shield_timer_gettime(old_timer, &its) != -1 || shield_errno != EINVAL)
		return 12;
	shield_errno = 0;
	/* The message-queue table is empty. */
	if (shield_msgget(peer, 0) != -1 || shield_errno != ENOENT)
		return 13;
	shield_errno = 0;
	/* The pending-signal set is empty. */
	if (shield_sigpending(&set) != 0)
		return 14;
	for (int s = 1; s <= SHIELD_SIGNUM; s++) {
		if (shield_sigismember(&set, s))
			return 15;
	}
	/* The old atexit handler is gone: exiting with 42 must not reach it. */
	return 42;
}

START_TEST(test_fresh_state)
{
	shield_sigset_t set;

	/* Dirty every module. */
	shield_errno = EIO;
	shield_srand(99);
	(void)shield_rand();
	shield_atexit(must_not_run);
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &old_timer), 0);
	ck_assert_int_eq(shield_msgget(peer, SHIELD_IPC_CREAT), 0);
	fake_push_signal(0x00200002, SHIELD_SIGUSR1);
	ck_assert_int_eq(shield_sigpending(&set), 0);
	ck_assert_int_eq(shield_sigismember(&set, SHIELD_SIGUSR1), 1);

	task_main = main_checks_fresh_state;
	__shield_start(0, 5);
}
END_TEST

/* Trap verdicts: the handler checks the log and exits 0 (good) or 1. */
static const char *expected_log;
static volatile int traps;

static void on_trap(int sig)
{
	(void)sig;
	traps++;
	if (expected_log == NULL) {
		/* abort(): nothing printed, no system call. */
		_exit(fake.ncalls == 0 ? 0 : 1);
	}
	if (traps == 1) {
		/* A failure while asserting: traps at once, prints nothing more. */
		shield_assert_func("again.c", 1, "f", "again");
	}
	_exit(fake_count(FAKE_LOG) == 1 && fake.outlen == strlen(expected_log) &&
	              memcmp(fake.out, expected_log, fake.outlen) == 0
	          ? 0
	          : 1);
}

static void catch_traps(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_trap;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
}

START_TEST(test_assert_func)
{
	expected_log = "assertion \"x == 1\" failed: file \"task.c\", line 12, function: main\n";
	catch_traps();
	shield_assert_func("task.c", 12, "main", "x == 1");
}
END_TEST

START_TEST(test_assert_fail)
{
	expected_log = "assertion \"p != NULL\" failed: file \"a.c\", line 3, function: g\n";
	catch_traps();
	shield_assert_fail("p != NULL", "a.c", 3, "g");
}
END_TEST

START_TEST(test_assert_macro)
{
	int x = 2;
	static char expect[256];

	snprintf(expect, sizeof(expect),
	         "assertion \"x == 1\" failed: file \"%s\", line %d, function: %s\n", __FILE__,
	         __LINE__ + 4, __func__);
	expected_log = expect;
	catch_traps();
	shield_assert(x == 2);
	shield_assert(x == 1);
}
END_TEST

START_TEST(test_abort)
{
	expected_log = NULL;
	catch_traps();
	shield_abort();
}
END_TEST

static Suite *runtime_suite(void)
{
	Suite *s = suite_create("shield_runtime");
	TCase *entry = tcase_create("entry");
	TCase *traps_tc = tcase_create("traps");

	tcase_add_checked_fixture(entry, setup, NULL);
	tcase_add_exit_test(entry, test_main_return_is_exit, 42);
	tcase_add_exit_test(entry, test_guard_from_seed, 0);
	tcase_add_exit_test(entry, test_atexit_order, 7);
	tcase_add_exit_test(entry, test_exit_runs_handlers, 3);
	tcase_add_exit_test(entry, test__Exit_skips_handlers, 5);
	tcase_add_exit_test(entry, test__exit_skips_handlers, 6);
	tcase_add_test(entry, test_atexit_limit);
	tcase_add_exit_test(entry, test_stack_chk_fail, 123);
	tcase_add_exit_test(entry, test_fresh_state, 42);
	suite_add_tcase(s, entry);

	tcase_add_checked_fixture(traps_tc, setup, NULL);
	tcase_add_exit_test(traps_tc, test_assert_func, 0);
	tcase_add_exit_test(traps_tc, test_assert_fail, 0);
	tcase_add_exit_test(traps_tc, test_assert_macro, 0);
	tcase_add_exit_test(traps_tc, test_abort, 0);
	suite_add_tcase(s, traps_tc);
	return s;
}

int main(void)
{
	return check_run_tap(runtime_suite());
}
