/*
 * check_shield_signal.c: signal sets (against the host C library's meaning), sigpending,
 * sigwait and kill against the fake UAPI (shield.md 4.7, 9.5, 5, 7.24-7.26).
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <shield/errno.h>
#include <shield/signal.h>
#include <shield/time.h>

#include "check_shield_fake.h"
#include "tests/unit/check_tap.h"

#define PEER_A 0x00100abc
#define PEER_B 0x00200def

static void setup(void)
{
	fake_reset();
	shield_errno = 0;
}

START_TEST(test_set_operations)
{
	shield_sigset_t s;

	ck_assert_int_eq(shield_sigemptyset(&s), 0);
	for (int i = 1; i <= SHIELD_SIGNUM; i++)
		ck_assert_int_eq(shield_sigismember(&s, i), 0);
	ck_assert_int_eq(shield_sigfillset(&s), 0);
	for (int i = 1; i <= SHIELD_SIGNUM; i++)
		ck_assert_int_eq(shield_sigismember(&s, i), 1);
	ck_assert_int_eq(shield_sigdelset(&s, SHIELD_SIGALRM), 0);
	ck_assert_int_eq(shield_sigismember(&s, SHIELD_SIGALRM), 0);
	ck_assert_int_eq(shield_sigismember(&s, SHIELD_SIGABRT), 1);
	ck_assert_int_eq(shield_sigaddset(&s, SHIELD_SIGALRM), 0);
	ck_assert_int_eq(shield_sigismember(&s, SHIELD_SIGALRM), 1);
	/* Every success leaves errno alone. */
	ck_assert_int_eq(shield_errno, 0);
}
END_TEST

/* Random operation sequences mean the same as on a host sigset_t (signals 1..12). */
START_TEST(test_sets_vs_libc)
{
	shield_sigset_t s;
	sigset_t g;
	unsigned int seed = 1234;

	shield_sigemptyset(&s);
	sigemptyset(&g);
	for (int i = 0; i < 5000; i++) {
		int op = rand_r(&seed) % 5, sig = 1 + rand_r(&seed) % SHIELD_SIGNUM;

		switch (op) {
		case 0:
			ck_assert_int_eq(shield_sigaddset(&s, sig), sigaddset(&g, sig));
			break;
		case 1:
			ck_assert_int_eq(shield_sigdelset(&s, sig), sigdelset(&g, sig));
			break;
		case 2:
			if (rand_r(&seed) % 20 == 0) {
				shield_sigfillset(&s);
				sigemptyset(&g);
				for (int k = 1; k <= SHIELD_SIGNUM; k++)
					sigaddset(&g, k);
			}
			break;
		case 3:
			if (rand_r(&seed) % 20 == 0) {
				shield_sigemptyset(&s);
				sigemptyset(&g);
			}
			break;
		default:
			break;
		}
		for (int k = 1; k <= SHIELD_SIGNUM; k++)
			ck_assert_int_eq(shield_sigismember(&s, k), sigismember(&g, k));
	}
}
END_TEST

/* signum outside 1..12: EINVAL and the set is untouched; 0 writes nothing (7.24). */
START_TEST(test_set_errors)
{
	static const int bad[] = {0, -1, 13, 64, INT32_MIN, INT32_MAX};
	shield_sigset_t s, before;

	shield_sigemptyset(&s);
	shield_sigaddset(&s, 3);
	before = s;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		shield_errno = 0;
		ck_assert_int_eq(shield_sigaddset(&s, bad[i]), -1);
		ck_assert_int_eq(shield_errno, EINVAL);
		shield_errno = 0;
		ck_assert_int_eq(shield_sigdelset(&s, bad[i]), -1);
		ck_assert_int_eq(shield_errno, EINVAL);
		shield_errno = 0;
		ck_assert_int_eq(shield_sigismember(&s, bad[i]), -1);
		ck_assert_int_eq(shield_errno, EINVAL);
		ck_assert_mem_eq(&s, &before, sizeof(s));
	}
	shield_errno = 0;
	ck_assert_int_eq(shield_sigemptyset(NULL), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_int_eq(shield_sigfillset(NULL), -1);
	ck_assert_int_eq(shield_sigaddset(NULL, 1), -1);
	ck_assert_int_eq(shield_sigdelset(NULL, 1), -1);
	ck_assert_int_eq(shield_sigismember(NULL, 1), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
}
END_TEST

START_TEST(test_sigpending)
{
	shield_sigset_t set;

	fake_push_signal(PEER_A, SHIELD_SIGUSR1);
	fake_push_signal(PEER_B, SHIELD_SIGTERM);
	fake_push_signal(PEER_B, 13); /* not a signal shield knows: ignored */
	shield_sigfillset(&set);
	ck_assert_int_eq(shield_sigpending(&set), 0);
	/* The set is stored, not ORed into (7.25). */
	for (int s = 1; s <= SHIELD_SIGNUM; s++)
		ck_assert_int_eq(shield_sigismember(&set, s),
		                 s == SHIELD_SIGUSR1 || s == SHIELD_SIGTERM);
	/* Drained with WFE_WAIT_NO until STATUS_AGAIN: three events, then AGAIN. */
	ck_assert_uint_eq(fake_count(FAKE_WFE), 4);
	for (size_t i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].call == FAKE_WFE) {
			ck_assert_uint_eq(fake.calls[i].a0, EVENT_TYPE_SIGNAL);
			ck_assert_int_eq((int32_t)fake.calls[i].a1, WFE_WAIT_NO);
		}
	}
	/* The pending set is not cleared by sigpending; drained signals are kept (7.25). */
	fake_reset();
	shield_sigemptyset(&set);
	ck_assert_int_eq(shield_sigpending(&set), 0);
	ck_assert_int_eq(shield_sigismember(&set, SHIELD_SIGUSR1), 1);
	ck_assert_int_eq(shield_sigismember(&set, SHIELD_SIGTERM), 1);
	ck_assert_uint_eq(fake_count(FAKE_WFE), 1);

	shield_errno = 0;
	fake_reset();
	ck_assert_int_eq(shield_sigpending(NULL), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

START_TEST(test_sigwait_pending)
{
	shield_sigset_t want, set;
	int sig = 0;

	fake_push_signal(PEER_A, SHIELD_SIGUSR1);
	fake_push_signal(PEER_B, SHIELD_SIGUSR2);
	shield_sigemptyset(&want);
	shield_sigaddset(&want, SHIELD_SIGUSR2);
	ck_assert_int_eq(shield_sigwait(&want, &sig), 0);
	ck_assert_int_eq(sig, SHIELD_SIGUSR2);
	/* Only the signal taken left the pending set. */
	ck_assert_int_eq(shield_sigpending(&set), 0);
	ck_assert_int_eq(shield_sigismember(&set, SHIELD_SIGUSR2), 0);
	ck_assert_int_eq(shield_sigismember(&set, SHIELD_SIGUSR1), 1);

	/* The lowest-numbered pending member comes first. */
	fake_push_signal(PEER_A, SHIELD_SIGTERM);
	fake_push_signal(PEER_B, SHIELD_SIGBUS);
	shield_sigfillset(&want);
	ck_assert_int_eq(shield_sigwait(&want, &sig), 0);
	ck_assert_int_eq(sig, SHIELD_SIGBUS);
	ck_assert_int_eq(shield_sigwait(&want, &sig), 0);
	ck_assert_int_eq(sig, SHIELD_SIGTERM);
	ck_assert_int_eq(shield_sigwait(&want, &sig), 0);
	ck_assert_int_eq(sig, SHIELD_SIGUSR1);
	/* No blocking wait was needed. */
	for (size_t i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].call == FAKE_WFE)
			ck_assert_int_eq((int32_t)fake.calls[i].a1, WFE_WAIT_NO);
	}
}
END_TEST

static void deliver_usr1(void)
{
	fake_push_signal(PEER_A, SHIELD_SIGUSR1);
}

START_TEST(test_sigwait_blocks)
{
	shield_sigset_t want;
	int sig = 0;
	long wait_forever;

	fake.on_block = deliver_usr1;
	shield_sigemptyset(&want);
	shield_sigaddset(&want, SHIELD_SIGUSR1);
	ck_assert_int_eq(shield_sigwait(&want, &sig), 0);
	ck_assert_int_eq(sig, SHIELD_SIGUSR1);
	wait_forever = fake_find(FAKE_WFE, 1);
	ck_assert_int_ge(wait_forever, 0);
	ck_assert_uint_eq(fake.calls[wait_forever].a0, EVENT_TYPE_SIGNAL);
	ck_assert_int_eq((int32_t)fake.calls[wait_forever].a1, WFE_WAIT_FOREVER);
	ck_assert_uint_eq(fake_count(FAKE_SLEEP), 0);
}
END_TEST

static void deliver_on_third_sleep(uint32_t ms, uint32_t mode)
{
	ck_assert_uint_eq(ms, 1);
	ck_assert_uint_eq(mode, SLEEP_MODE_SHALLOW);
	if (fake_count(FAKE_SLEEP) == 3)
		fake_push_signal(PEER_A, SHIELD_SIGUSR1);
}

/* While a shield alarm is armed, sigwait polls instead of blocking (shield.md 5). */
START_TEST(test_sigwait_polls_under_alarm)
{
	shield_timer_t t;
	struct shield_itimerspec its = {.it_value = {.tv_sec = 1}};
	shield_sigset_t want;
	int sig = 0;

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &t), 0);
	ck_assert_int_eq(shield_timer_settime(t, 0, &its, NULL), 0);
	fake.on_sleep = deliver_on_third_sleep;
	shield_sigemptyset(&want);
	shield_sigaddset(&want, SHIELD_SIGUSR1);
	ck_assert_int_eq(shield_sigwait(&want, &sig), 0);
	ck_assert_int_eq(sig, SHIELD_SIGUSR1);
	ck_assert_uint_eq(fake_count(FAKE_SLEEP), 3);
	for (size_t i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].call == FAKE_WFE)
			ck_assert_int_eq((int32_t)fake.calls[i].a1, WFE_WAIT_NO);
	}
}
END_TEST

/* Once the alarm has fired (its deadline passed), waits block again. */
START_TEST(test_sigwait_blocks_after_alarm_fired)
{
	shield_timer_t t;
	struct shield_itimerspec its = {.it_value = {.tv_nsec = 5000000}};
	shield_sigset_t want;
	int sig = 0;

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &t), 0);
	ck_assert_int_eq(shield_timer_settime(t, 0, &its, NULL), 0);
	fake.now_us += 5000;
	fake.on_block = deliver_usr1;
	shield_sigemptyset(&want);
	shield_sigaddset(&want, SHIELD_SIGUSR1);
	ck_assert_int_eq(shield_sigwait(&want, &sig), 0);
	ck_assert_uint_eq(fake_count(FAKE_SLEEP), 0);
}
END_TEST

START_TEST(test_sigwait_errors)
{
	shield_sigset_t empty, one;
	int sig;

	shield_sigemptyset(&empty);
	shield_sigemptyset(&one);
	shield_sigaddset(&one, 1);
	ck_assert_int_eq(shield_sigwait(NULL, &sig), EINVAL);
	ck_assert_int_eq(shield_errno, EINVAL);
	shield_errno = 0;
	ck_assert_int_eq(shield_sigwait(&empty, &sig), EINVAL);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_int_eq(shield_sigwait(&one, NULL), EFAULT);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

START_TEST(test_kill)
{
	static const struct {
		Status st;
		int ret, err;
	} answers[] = {
	    {STATUS_OK, 0, 0},           {STATUS_INVALID, -1, ESRCH},    {STATUS_BUSY, -1, EAGAIN},
	    {STATUS_DENIED, -1, EINVAL}, {STATUS_NO_ENTITY, -1, EINVAL},
	};

	/* sig 0 and out-of-range signals make no system call. */
	ck_assert_int_eq(shield_kill(PEER_A, 0), 0);
	ck_assert_int_eq(shield_kill(PEER_A, 13), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	shield_errno = 0;
	ck_assert_int_eq(shield_kill(PEER_A, -1), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_uint_eq(fake.ncalls, 0);

	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		fake_reset();
		shield_errno = 0;
		fake.send_signal_status = answers[i].st;
		ck_assert_int_eq(shield_kill(PEER_B, SHIELD_SIGUSR2), answers[i].ret);
		ck_assert_int_eq(shield_errno, answers[i].err);
		ck_assert_uint_eq(fake.ncalls, 1);
		ck_assert_int_eq(fake.calls[0].call, FAKE_SEND_SIGNAL);
		ck_assert_uint_eq(fake.calls[0].a0, PEER_B);
		ck_assert_uint_eq(fake.calls[0].a1, SHIELD_SIGUSR2);
	}
}
END_TEST

START_TEST(test_constants)
{
	ck_assert_int_eq(SHIELD_SIGABORT, SIGNAL_ABORT);
	ck_assert_int_eq(SHIELD_SIGALARM, SIGNAL_ALARM);
	ck_assert_int_eq(SHIELD_SIGIO, SIGNAL_IO);
	ck_assert_int_eq(SHIELD_SIGUSR2, SIGNAL_USR2);
	ck_assert_int_eq(SHIELD_SIGNUM, SIGNAL_USR2);
	ck_assert_int_eq(SHIELD_NSIG, 13);
	ck_assert_int_eq(SHIELD_SIGEV_SIGNAL, 0);
	ck_assert_int_eq(SHIELD_SIGEV_NONE, 1);
	ck_assert_int_eq(SHIELD_SIGEV_THREAD, 2);
	ck_assert_uint_eq(sizeof(shield_sigset_t), SHIELD_SIGNUM);
}
END_TEST

static Suite *signal_suite(void)
{
	Suite *s = suite_create("shield_signal");
	TCase *sets = tcase_create("sets");
	TCase *kernel = tcase_create("kernel");

	tcase_add_checked_fixture(sets, setup, NULL);
	tcase_add_test(sets, test_set_operations);
	tcase_add_test(sets, test_sets_vs_libc);
	tcase_add_test(sets, test_set_errors);
	tcase_add_test(sets, test_constants);
	suite_add_tcase(s, sets);

	tcase_add_checked_fixture(kernel, setup, NULL);
	tcase_add_test(kernel, test_sigpending);
	tcase_add_test(kernel, test_sigwait_pending);
	tcase_add_test(kernel, test_sigwait_blocks);
	tcase_add_test(kernel, test_sigwait_polls_under_alarm);
	tcase_add_test(kernel, test_sigwait_blocks_after_alarm_fired);
	tcase_add_test(kernel, test_sigwait_errors);
	tcase_add_test(kernel, test_kill);
	suite_add_tcase(s, kernel);
	return s;
}

int main(void)
{
	return check_run_tap(signal_suite());
}
