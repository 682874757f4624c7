/*
 * check_shield_time.c: clocks, nanosleep / sleep / usleep and the POSIX timers against the
 * fake UAPI and its virtual clock (shield.md 4.6, 9.3, 9.4, 5, R2, 7.18-7.23).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <shield/errno.h>
#include <shield/time.h>
#include <shield/unistd.h>

#include "check_shield_fake.h"
#include "tests/unit/check_tap.h"

static void setup(void)
{
	fake_reset();
	shield_errno = 0;
}

/* Shield reads only the microsecond and millisecond clocks (R2). */
static void assert_clock_sources(void)
{
	for (size_t i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].call == FAKE_GET_CYCLE)
			ck_assert(fake.calls[i].a0 == PRECISION_MICROSECONDS ||
			          fake.calls[i].a0 == PRECISION_MILLISECONDS);
	}
}

START_TEST(test_clock_gettime)
{
	static const shield_clockid_t ok[] = {SHIELD_CLOCK_MONOTONIC, SHIELD_CLOCK_REALTIME,
	                                      SHIELD_CLOCK_BOOTTIME};
	struct shield_timespec ts;

	fake.now_us = UINT64_C(12345678901);
	for (size_t i = 0; i < 3; i++) {
		fake_reset();
		fake.now_us = UINT64_C(12345678901);
		ck_assert_int_eq(shield_clock_gettime(ok[i], &ts), 0);
		ck_assert_uint_eq(ts.tv_sec, 12345);
		ck_assert_int_eq(ts.tv_nsec, 678901000);
		ck_assert_uint_eq(fake.ncalls, 2);
		ck_assert_uint_eq(fake.calls[0].a0, PRECISION_MICROSECONDS);
		ck_assert_int_eq(fake.calls[1].call, FAKE_COPY_FROM);
		ck_assert_uint_eq(fake.calls[1].a0, 8);
	}
}
END_TEST

START_TEST(test_clock_errors)
{
	struct shield_timespec ts;

	ck_assert_int_eq(shield_clock_gettime(SHIELD_CLOCK_REALTIME_ALARM, &ts), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	shield_errno = 0;
	ck_assert_int_eq(shield_clock_gettime(SHIELD_CLOCK_BOOTTIME_ALARM, &ts), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	shield_errno = 0;
	ck_assert_int_eq(shield_clock_gettime((shield_clockid_t)9, &ts), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_int_eq(shield_clock_gettime(SHIELD_CLOCK_MONOTONIC, NULL), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_uint_eq(fake.ncalls, 0);
	fake.cycle_status = STATUS_INVALID;
	ck_assert_int_eq(shield_clock_gettime(SHIELD_CLOCK_MONOTONIC, &ts), -1);
	ck_assert_int_eq(shield_errno, EIO);
}
END_TEST

START_TEST(test_clock_getres)
{
	struct shield_timespec ts = {.tv_sec = 9};

	ck_assert_int_eq(shield_clock_getres(SHIELD_CLOCK_REALTIME, &ts), 0);
	ck_assert_uint_eq(ts.tv_sec, 0);
	ck_assert_int_eq(ts.tv_nsec, 1000);
	ck_assert_int_eq(shield_clock_getres(SHIELD_CLOCK_BOOTTIME, NULL), 0);
	ck_assert_int_eq(shield_clock_getres(SHIELD_CLOCK_BOOTTIME_ALARM, &ts), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

/* Sum of the ms of every sleep call, and checks that each was a deep sleep. */
static uint64_t slept_ms(void)
{
	uint64_t ms = 0;

	for (size_t i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].call == FAKE_SLEEP) {
			ck_assert_uint_eq(fake.calls[i].a1, SLEEP_MODE_DEEP);
			ms += fake.calls[i].a0;
		}
	}
	return ms;
}

static int sleep_for(shield_time_t sec, long nsec)
{
	struct shield_timespec req = {.tv_sec = sec, .tv_nsec = nsec};
	struct shield_timespec rem = {.tv_sec = 77, .tv_nsec = 77};
	int r = shield_nanosleep(&req, &rem);

	/* rem is never written. */
	ck_assert_uint_eq(rem.tv_sec, 77);
	ck_assert_int_eq(rem.tv_nsec, 77);
	return r;
}

START_TEST(test_nanosleep_durations)
{
	/* One second is 1000 ms, and STATUS_TIMEOUT is success (7.19). */
	fake.now_us = 5000;
	ck_assert_int_eq(sleep_for(1, 0), 0);
	ck_assert_uint_eq(slept_ms(), 1000);
	ck_assert_uint_eq(fake_count(FAKE_SLEEP), 1);
	ck_assert_uint_ge(fake.now_us, 5000 + 1000000);
	ck_assert_int_eq(shield_errno, 0);
	assert_clock_sources();

	/* Sub-millisecond requests sleep (no busy wait), rounded up to a tick. */
	fake_reset();
	ck_assert_int_eq(sleep_for(0, 1), 0);
	ck_assert_uint_eq(slept_ms(), 1);
	fake_reset();
	ck_assert_int_eq(sleep_for(0, 1500000), 0);
	ck_assert_uint_eq(slept_ms(), 2);
	fake_reset();
	ck_assert_int_eq(sleep_for(2, 999999999), 0);
	ck_assert_uint_eq(slept_ms(), 3000);

	/* A zero request reads the clock once and returns. */
	fake_reset();
	ck_assert_int_eq(sleep_for(0, 0), 0);
	ck_assert_uint_eq(fake_count(FAKE_SLEEP), 0);
	ck_assert_uint_eq(fake_count(FAKE_GET_CYCLE), 1);
}
END_TEST

static void short_first_sleep(uint32_t ms, uint32_t mode)
{
	/* Started between two ticks: the first sleep ends 400 us early. */
	if (fake_count(FAKE_SLEEP) == 1)
		fake.now_us -= 400;
}

/* The loop makes the suspension last at least the requested time. */
START_TEST(test_nanosleep_at_least)
{
	fake.now_us = 100;
	fake.on_sleep = short_first_sleep;
	ck_assert_int_eq(sleep_for(0, 10000000), 0);
	ck_assert_uint_ge(fake.now_us, 100 + 10000);
	ck_assert_uint_eq(fake_count(FAKE_SLEEP), 2);
	ck_assert_uint_eq(fake.calls[fake_find(FAKE_SLEEP, 0)].a0, 10);
	ck_assert_uint_eq(fake.calls[fake_find(FAKE_SLEEP, 1)].a0, 1);
}
END_TEST

START_TEST(test_nanosleep_long)
{
	/* 5e9 ms does not fit in one call: capped at UINT32_MAX per call. */
	ck_assert_int_eq(sleep_for(5000000, 0), 0);
	ck_assert_uint_eq(fake_count(FAKE_SLEEP), 2);
	ck_assert_uint_eq(fake.calls[fake_find(FAKE_SLEEP, 0)].a0, UINT32_MAX);
	ck_assert_uint_eq(slept_ms(), UINT64_C(5000000000));
}
END_TEST

START_TEST(test_nanosleep_errors)
{
	struct shield_timespec bad = {.tv_sec = 1, .tv_nsec = 1000000000};

	ck_assert_int_eq(shield_nanosleep(NULL, NULL), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_int_eq(shield_nanosleep(&bad, NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	bad.tv_nsec = -1;
	shield_errno = 0;
	ck_assert_int_eq(shield_nanosleep(&bad, NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_uint_eq(fake.ncalls, 0);

	/* A refused sleep is EIO, never EINTR. */
	fake.sleep_status = STATUS_INVALID;
	ck_assert_int_eq(sleep_for(1, 0), -1);
	ck_assert_int_eq(shield_errno, EIO);
}
END_TEST

/* Delay queue full: poll with yields and clock reads until the deadline. */
START_TEST(test_nanosleep_busy_fallback)
{
	fake.sleep_status = STATUS_BUSY;
	fake.yield_us = 300;
	ck_assert_int_eq(sleep_for(0, 1000000), 0);
	ck_assert_uint_eq(fake_count(FAKE_YIELD), 4);
	ck_assert_uint_ge(fake.now_us, 1000);
}
END_TEST

START_TEST(test_sleep_usleep)
{
	ck_assert_uint_eq(shield_sleep(2), 0);
	ck_assert_uint_eq(slept_ms(), 2000);
	fake_reset();
	ck_assert_int_eq(shield_usleep(1500), 0);
	ck_assert_uint_eq(slept_ms(), 2);
	fake_reset();
	ck_assert_int_eq(shield_usleep(2500000), 0);
	ck_assert_uint_eq(slept_ms(), 2500);
	fake_reset();
	fake.sleep_status = STATUS_DENIED;
	ck_assert_uint_eq(shield_sleep(3), 3);
	ck_assert_int_eq(shield_usleep(10), -1);
	ck_assert_int_eq(shield_errno, EIO);
}
END_TEST

/* --- timers ------------------------------------------------------------------------ */

/* The |n|-th __sys_alarm call: its delay and flag. */
static void assert_alarm(size_t n, uint32_t delay, AlarmFlag flag)
{
	long i = fake_find(FAKE_ALARM, n);

	ck_assert_msg(i >= 0, "no alarm call %zu", n);
	ck_assert_uint_eq(fake.calls[i].a0, delay);
	ck_assert_uint_eq(fake.calls[i].a1, flag);
}

static struct shield_itimerspec its_ms(uint64_t value_ms, uint64_t interval_ms)
{
	return (struct shield_itimerspec){
	    .it_value = {.tv_sec = value_ms / 1000, .tv_nsec = (long)(value_ms % 1000) * 1000000},
	    .it_interval = {.tv_sec = interval_ms / 1000,
	                    .tv_nsec = (long)(interval_ms % 1000) * 1000000},
	};
}

static uint64_t left_ms(shield_timer_t t)
{
	struct shield_itimerspec cur;

	ck_assert_int_eq(shield_timer_gettime(t, &cur), 0);
	return (uint64_t)cur.it_value.tv_sec * 1000 + (uint64_t)cur.it_value.tv_nsec / 1000000;
}

START_TEST(test_timer_create)
{
	shield_timer_t ids[SHIELD_TIMER_MAX], extra;
	struct shield_sigevent ev = {.sigev_notify = SHIELD_SIGEV_NONE};

	for (int i = 0; i < SHIELD_TIMER_MAX; i++) {
		ck_assert_int_eq(
		    shield_timer_create(i % 2 ? SHIELD_CLOCK_REALTIME : SHIELD_CLOCK_BOOTTIME,
		                        i % 3 ? &ev : NULL, &ids[i]),
		    0);
		ck_assert_uint_ne(ids[i], 0);
		for (int j = 0; j < i; j++)
			ck_assert_uint_ne(ids[i], ids[j]);
		/* Created disarmed. */
		ck_assert_uint_eq(left_ms(ids[i]), 0);
	}
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &extra), -1);
	ck_assert_int_eq(shield_errno, EAGAIN);
	/* No system call to create (ids are not taken from a clock, 7.20). */
	ck_assert_uint_eq(fake_count(FAKE_ALARM), 0);
	ck_assert_uint_eq(fake_count(FAKE_GET_CYCLE), SHIELD_TIMER_MAX);

	/* A deleted slot is reused; ids stay unique among live timers. */
	ck_assert_int_eq(shield_timer_delete(ids[2]), 0);
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &extra), 0);
	for (int i = 0; i < SHIELD_TIMER_MAX; i++)
		ck_assert(i == 2 || extra != ids[i]);
}
END_TEST

static void cb(shield_sigval_t v)
{
	(void)v;
}

START_TEST(test_timer_create_errors)
{
	shield_timer_t t;
	struct shield_sigevent ev = {.sigev_notify = SHIELD_SIGEV_SIGNAL,
	                             .sigev_signo = SHIELD_SIGUSR1};

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_REALTIME_ALARM, NULL, &t), -1);
	ck_assert_int_eq(shield_errno, ENOTSUP);
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_BOOTTIME_ALARM, NULL, &t), -1);
	ck_assert_int_eq(shield_errno, ENOTSUP);
	ck_assert_int_eq(shield_timer_create((shield_clockid_t)42, NULL, &t), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	shield_errno = 0;
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, NULL), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	/* SIGEV_SIGNAL only with SIGALRM, SIGEV_THREAD needs a callback. */
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, &ev, &t), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ev.sigev_signo = SHIELD_SIGALRM;
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, &ev, &t), 0);
	ev.sigev_notify = SHIELD_SIGEV_THREAD;
	ev.sigev_notify_function = NULL;
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, &ev, &t), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ev.sigev_notify_function = cb;
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, &ev, &t), 0);
	ev.sigev_notify = 3;
	shield_errno = 0;
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, &ev, &t), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
}
END_TEST

START_TEST(test_timer_settime_arm)
{
	shield_timer_t t;
	struct shield_itimerspec v = its_ms(10, 0), old;

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &t), 0);
	fake.now_us = 1000000; /* 1000 ms */
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, &old), 0);
	/* old_value of a disarmed timer is zero. */
	ck_assert_uint_eq(old.it_value.tv_sec, 0);
	ck_assert_int_eq(old.it_value.tv_nsec, 0);
	/* One alarm, started with two arguments (7.21). */
	ck_assert_uint_eq(fake_count(FAKE_ALARM), 1);
	assert_alarm(0, 10, O_ALRM_START);
	assert_clock_sources();
	ck_assert_uint_eq(left_ms(t), 10);
	fake.now_us += 4000;
	ck_assert_uint_eq(left_ms(t), 6);

	/* old_value reports the setting before the call; re-arming re-plans the alarm. */
	v = its_ms(50, 20);
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, &old), 0);
	ck_assert_int_eq(old.it_value.tv_nsec, 6000000);
	ck_assert_int_eq(old.it_interval.tv_nsec, 0);
	assert_alarm(1, 10, O_ALRM_STOP);
	assert_alarm(2, 50, O_ALRM_START);
	ck_assert_int_eq(shield_timer_gettime(t, &old), 0);
	ck_assert_int_eq(old.it_interval.tv_nsec, 20000000);

	/* A zero it_value disarms (and stops the alarm, nothing else armed). */
	v = its_ms(0, 30);
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), 0);
	assert_alarm(3, 50, O_ALRM_STOP);
	ck_assert_uint_eq(fake_count(FAKE_ALARM), 4);
	ck_assert_uint_eq(left_ms(t), 0);
	ck_assert_uint_eq(fake_alarms_armed(), 0);
	ck_assert_uint_eq(fake.alarm_stop_missed, 0);
}
END_TEST

/* Durations round up to whole ms, at least 1; sub-ms values are accepted (7.21). */
START_TEST(test_timer_rounding)
{
	shield_timer_t t;
	struct shield_itimerspec v = {.it_value = {.tv_nsec = 1}};

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &t), 0);
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), 0);
	assert_alarm(0, 1, O_ALRM_START);
	v.it_value.tv_nsec = 1200000;
	v.it_interval.tv_nsec = 1;
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), 0);
	assert_alarm(2, 2, O_ALRM_START);
	ck_assert_int_eq(shield_timer_gettime(t, &v), 0);
	ck_assert_int_eq(v.it_interval.tv_nsec, 1000000);
}
END_TEST

START_TEST(test_timer_settime_errors)
{
	shield_timer_t t;
	struct shield_itimerspec v = its_ms(10, 0);

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &t), 0);
	ck_assert_int_eq(shield_timer_settime(t + 1, 0, &v, NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_int_eq(shield_timer_settime(t, 0, NULL, NULL), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_int_eq(shield_timer_settime(t, 2, &v, NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	v.it_value.tv_nsec = 1000000000;
	shield_errno = 0;
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	v = its_ms(10, 0);
	v.it_interval.tv_nsec = -5;
	shield_errno = 0;
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_uint_eq(fake.ncalls, 0);
	/* Disarming ignores it_interval, even an invalid one. */
	v.it_value = (struct shield_timespec){0};
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), 0);
	ck_assert_int_eq(shield_timer_gettime(t + 1, &v), -1);
	ck_assert_int_eq(shield_timer_gettime(t, NULL), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_int_eq(shield_timer_getoverrun(t + 1), -1);
	ck_assert_int_eq(shield_timer_delete(t + 1), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
}
END_TEST

START_TEST(test_timer_abstime)
{
	shield_timer_t t;
	struct shield_itimerspec v = its_ms(150, 0);

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_REALTIME, NULL, &t), 0);
	fake.now_us = 100000;
	ck_assert_int_eq(shield_timer_settime(t, SHIELD_TIMER_ABSTIME, &v, NULL), 0);
	assert_alarm(0, 50, O_ALRM_START);
	ck_assert_uint_eq(left_ms(t), 50);
	/* An absolute time in the past expires at the next tick. */
	v = its_ms(20, 0);
	ck_assert_int_eq(shield_timer_settime(t, SHIELD_TIMER_ABSTIME, &v, NULL), 0);
	assert_alarm(2, 1, O_ALRM_START);
	fake.now_us += 1000;
	ck_assert_int_eq(shield_timer_handler(), 1);
	ck_assert_uint_eq(left_ms(t), 0);
}
END_TEST

START_TEST(test_timer_earliest_alarm)
{
	shield_timer_t a, b;
	struct shield_itimerspec va = its_ms(100, 0), vb = its_ms(30, 0);

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &a), 0);
	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &b), 0);
	ck_assert_int_eq(shield_timer_settime(a, 0, &va, NULL), 0);
	ck_assert_int_eq(shield_timer_settime(b, 0, &vb, NULL), 0);
	assert_alarm(0, 100, O_ALRM_START);
	assert_alarm(1, 100, O_ALRM_STOP);
	assert_alarm(2, 30, O_ALRM_START);
	ck_assert_uint_eq(fake_alarms_armed(), 1);

	/* At 30 ms b expires; the fired alarm is not stopped, a new one covers a. */
	fake.now_us = 30000;
	ck_assert_int_eq(shield_timer_handler(), 1);
	ck_assert_uint_eq(fake_count(FAKE_ALARM), 4);
	assert_alarm(3, 70, O_ALRM_START);
	ck_assert_uint_eq(left_ms(b), 0);
	ck_assert_uint_eq(left_ms(a), 70);

	/* Deleting the last armed timer stops the alarm. */
	ck_assert_int_eq(shield_timer_delete(a), 0);
	assert_alarm(4, 70, O_ALRM_STOP);
	ck_assert_uint_eq(fake_count(FAKE_ALARM), 5);
	ck_assert_uint_eq(fake_alarms_armed(), 0);
	ck_assert_uint_eq(fake.alarm_stop_missed, 0);
	/* Nothing left: the handler finds nothing and arms nothing. */
	ck_assert_int_eq(shield_timer_handler(), 0);
	ck_assert_uint_eq(fake_count(FAKE_ALARM), 5);
}
END_TEST

START_TEST(test_timer_periodic_overrun)
{
	shield_timer_t t;
	struct shield_itimerspec v = its_ms(10, 10);

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &t), 0);
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), 0);
	/* Not yet due: nothing expires. */
	fake.now_us = 9000;
	ck_assert_int_eq(shield_timer_handler(), 0);
	/* Expiries at 10, 20 and 30 ms were due: one processed, two overruns. */
	fake.now_us = 35000;
	ck_assert_uint_eq(left_ms(t), 5); /* next expiry found by whole intervals */
	ck_assert_int_eq(shield_timer_handler(), 1);
	ck_assert_int_eq(shield_timer_getoverrun(t), 2);
	ck_assert_uint_eq(left_ms(t), 5);
	assert_alarm(fake_count(FAKE_ALARM) - 1, 5, O_ALRM_START);
	/* On time: no overrun. */
	fake.now_us = 40000;
	ck_assert_int_eq(shield_timer_handler(), 1);
	ck_assert_int_eq(shield_timer_getoverrun(t), 0);
	ck_assert_uint_eq(left_ms(t), 10);
	ck_assert_uint_eq(fake.alarm_stop_missed, 0);
}
END_TEST

static int calls;
static shield_timer_t rearm_id;

static void thread_cb(shield_sigval_t v)
{
	struct shield_itimerspec again = its_ms(5, 0);

	ck_assert_int_eq(v.sival_int, 1234);
	if (++calls == 1)
		ck_assert_int_eq(shield_timer_settime(rearm_id, 0, &again, NULL), 0);
}

/* SIGEV_THREAD runs in timer_handler; a one-shot callback may re-arm its timer. */
START_TEST(test_timer_thread_callback)
{
	struct shield_sigevent ev = {.sigev_notify = SHIELD_SIGEV_THREAD,
	                             .sigev_notify_function = thread_cb,
	                             .sigev_value.sival_int = 1234};
	struct shield_itimerspec v = its_ms(3, 0);

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, &ev, &rearm_id), 0);
	ck_assert_int_eq(shield_timer_settime(rearm_id, 0, &v, NULL), 0);
	ck_assert_int_eq(shield_timer_handler(), 0);
	ck_assert_int_eq(calls, 0);
	fake.now_us = 3000;
	ck_assert_int_eq(shield_timer_handler(), 1);
	ck_assert_int_eq(calls, 1);
	ck_assert_uint_eq(left_ms(rearm_id), 5);
	ck_assert_uint_eq(fake_alarms_armed(), 1);
	fake.now_us = 8000;
	ck_assert_int_eq(shield_timer_handler(), 1);
	ck_assert_int_eq(calls, 2);
	ck_assert_uint_eq(left_ms(rearm_id), 0);
	ck_assert_uint_eq(fake_alarms_armed(), 0);
}
END_TEST

/* The kernel's alarm queue is full: EAGAIN and the timer is left disarmed. */
START_TEST(test_timer_alarm_busy)
{
	shield_timer_t t;
	struct shield_itimerspec v = its_ms(10, 0);

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &t), 0);
	fake.alarm_start_status = STATUS_BUSY;
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), -1);
	ck_assert_int_eq(shield_errno, EAGAIN);
	ck_assert_uint_eq(left_ms(t), 0);
	/* And the handler reports a failed re-plan of a periodic timer. */
	fake.alarm_start_status = STATUS_OK;
	v = its_ms(10, 10);
	ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), 0);
	fake.alarm_start_status = STATUS_BUSY;
	fake.now_us = 10000;
	shield_errno = 0;
	ck_assert_int_eq(shield_timer_handler(), -1);
	ck_assert_int_eq(shield_errno, EAGAIN);
}
END_TEST

/* Random operations: never more than one kernel alarm, never a stop of a fired one. */
START_TEST(test_timer_one_alarm_invariant)
{
	shield_timer_t ids[SHIELD_TIMER_MAX];
	unsigned int seed = 42;

	for (int i = 0; i < SHIELD_TIMER_MAX; i++)
		ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &ids[i]), 0);
	for (int step = 0; step < 300; step++) {
		shield_timer_t t = ids[rand_r(&seed) % SHIELD_TIMER_MAX];
		struct shield_itimerspec v =
		    its_ms((uint64_t)(rand_r(&seed) % 4 ? rand_r(&seed) % 50 : 0),
		           (uint64_t)(rand_r(&seed) % 3 ? 0 : 1 + rand_r(&seed) % 20));

		switch (rand_r(&seed) % 4) {
		case 0:
		case 1:
			ck_assert_int_eq(shield_timer_settime(t, 0, &v, NULL), 0);
			break;
		case 2:
			fake.now_us += (uint64_t)(rand_r(&seed) % 30) * 1000;
			ck_assert_int_ge(shield_timer_handler(), 0);
			break;
		default:
			fake.now_us += 1000;
			break;
		}
		/* What the task does on SIGALRM (an alarm may have fired meanwhile). */
		ck_assert_int_ge(shield_timer_handler(), 0);
		fake.ncalls = 0; /* keep the record small */
		ck_assert_uint_le(fake_alarms_armed(), 1);
		ck_assert_uint_eq(fake.alarm_stop_missed, 0);
		/* Every armed timer has an alarm at or before its next expiry. */
		for (int i = 0; i < SHIELD_TIMER_MAX; i++) {
			uint64_t left = left_ms(ids[i]);

			if (left > 0 && fake.nalarms == 0)
				ck_abort_msg("timer armed (%llu ms left) without an alarm",
				             (unsigned long long)left);
			if (left > 0)
				ck_assert_uint_le(fake.alarms[0].fire_ms,
				                  fake.now_us / 1000 + left);
		}
		fake.ncalls = 0;
	}
}
END_TEST

static Suite *time_suite(void)
{
	Suite *s = suite_create("shield_time");
	TCase *clocks = tcase_create("clocks");
	TCase *timers = tcase_create("timers");

	tcase_add_checked_fixture(clocks, setup, NULL);
	tcase_add_test(clocks, test_clock_gettime);
	tcase_add_test(clocks, test_clock_errors);
	tcase_add_test(clocks, test_clock_getres);
	tcase_add_test(clocks, test_nanosleep_durations);
	tcase_add_test(clocks, test_nanosleep_at_least);
	tcase_add_test(clocks, test_nanosleep_long);
	tcase_add_test(clocks, test_nanosleep_errors);
	tcase_add_test(clocks, test_nanosleep_busy_fallback);
	tcase_add_test(clocks, test_sleep_usleep);
	suite_add_tcase(s, clocks);

	tcase_add_checked_fixture(timers, setup, NULL);
	tcase_add_test(timers, test_timer_create);
	tcase_add_test(timers, test_timer_create_errors);
	tcase_add_test(timers, test_timer_settime_arm);
	tcase_add_test(timers, test_timer_rounding);
	tcase_add_test(timers, test_timer_settime_errors);
	tcase_add_test(timers, test_timer_abstime);
	tcase_add_test(timers, test_timer_earliest_alarm);
	tcase_add_test(timers, test_timer_periodic_overrun);
	tcase_add_test(timers, test_timer_thread_callback);
	tcase_add_test(timers, test_timer_alarm_busy);
	tcase_add_test(timers, test_timer_one_alarm_invariant);
	suite_add_tcase(s, timers);
	return s;
}

int main(void)
{
	return check_run_tap(time_suite());
}
