/*
 * time.c: clocks and sleeps (shield.md 4.6, 9.3, 9.4).
 *
 * Clock source: __sys_get_cycle(PRECISION_MICROSECONDS) (and MILLISECONDS for the timers,
 * aligned with kernel ticks), then an 8-byte copy_from_kernel(). Never PRECISION_CYCLE
 * (needs a capability) nor PRECISION_NANOSECONDS (wrong on the target) (R2).
 *
 * nanosleep sleeps in deep mode, which no event interrupts, and loops until the clock has
 * reached the deadline, so the suspension lasts at least the requested time on every
 * clock; it never fails with EINTR.
 */
#include <shield/errno.h>
#include <shield/time.h>
#include <shield/unistd.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

#define US_PER_S  UINT64_C(1000000)
#define NS_PER_US 1000

static int read_clock(Precision precision, uint64_t *out)
{
	uint64_t v;

	if (__sys_get_cycle(precision) != STATUS_OK)
		return EIO;
	if (copy_from_kernel((uint8_t *)&v, sizeof(v)) != STATUS_OK)
		return EIO;
	*out = v;
	return 0;
}

int shield__now_us(uint64_t *us)
{
	return read_clock(PRECISION_MICROSECONDS, us);
}

int shield__now_ms(uint64_t *ms)
{
	return read_clock(PRECISION_MILLISECONDS, ms);
}

/* The three clocks shield supports; they share one time base. */
static bool clock_supported(shield_clockid_t clockid)
{
	return clockid == SHIELD_CLOCK_MONOTONIC || clockid == SHIELD_CLOCK_REALTIME ||
	       clockid == SHIELD_CLOCK_BOOTTIME;
}

SHIELD_API int shield_clock_gettime(shield_clockid_t clockid, struct shield_timespec *tp)
{
	uint64_t us;
	int err;

	if (!clock_supported(clockid))
		return shield__fail(EINVAL);
	if (tp == NULL)
		return shield__fail(EFAULT);
	err = shield__now_us(&us);
	if (err != 0)
		return shield__fail(err);
	tp->tv_sec = (shield_time_t)(us / US_PER_S);
	tp->tv_nsec = (long)(us % US_PER_S) * NS_PER_US;
	return 0;
}
SHIELD_ALIAS(clock_gettime, shield_clock_gettime);

SHIELD_API int shield_clock_getres(shield_clockid_t clockid, struct shield_timespec *res)
{
	if (!clock_supported(clockid))
		return shield__fail(EINVAL);
	if (res != NULL)
		*res = (struct shield_timespec){.tv_sec = 0, .tv_nsec = NS_PER_US};
	return 0;
}
SHIELD_ALIAS(clock_getres, shield_clock_getres);

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Kernel delay queue full: yield and read the clock until the deadline. */
static int poll_until(uint64_t deadline)
{
	uint64_t now;
	int err;

	do {
		__sys_sched_yield();
		err = shield__now_us(&now);
		if (err != 0)
			return err;
	} while (now < deadline);
	return 0;
}

SHIELD_API int shield_nanosleep(const struct shield_timespec *req, struct shield_timespec *rem)
{
	uint64_t now, deadline, req_us;
	int err;

	(void)rem; /* never interrupted, so never written */
	if (req == NULL)
		return shield__fail(EFAULT);
	if (req->tv_nsec < 0 || req->tv_nsec > 999999999)
		return shield__fail(EINVAL);

	err = shield__now_us(&now);
	if (err != 0)
		return shield__fail(err);
	req_us = (uint64_t)req->tv_sec > UINT64_MAX / US_PER_S ? UINT64_MAX
	                                                       : (uint64_t)req->tv_sec * US_PER_S;
	req_us = sat_add(req_us, ((uint64_t)req->tv_nsec + NS_PER_US - 1) / NS_PER_US);
	deadline = sat_add(now, req_us);

	while (now < deadline) {
		uint64_t ms = (deadline - now + 999) / 1000;
		SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS,
		                   .arbitrary_ms = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms};
		Status st = __sys_sleep(d, SLEEP_MODE_DEEP);

		if (st == STATUS_BUSY) {
			err = poll_until(deadline);
			return err != 0 ? shield__fail(err) : 0;
		}
		/* STATUS_TIMEOUT is the normal completion of a sleep. */
		if (st != STATUS_TIMEOUT && st != STATUS_OK)
			return shield__fail(EIO);
		err = shield__now_us(&now);
		if (err != 0)
			return shield__fail(err);
	}
	return 0;
}
SHIELD_ALIAS(nanosleep, shield_nanosleep);

SHIELD_API unsigned int shield_sleep(unsigned int seconds)
{
	struct shield_timespec ts = {.tv_sec = seconds, .tv_nsec = 0};

	return shield_nanosleep(&ts, NULL) == 0 ? 0 : seconds;
}
SHIELD_ALIAS(sleep, shield_sleep);

SHIELD_API int shield_usleep(shield_useconds_t usec)
{
	struct shield_timespec ts = {.tv_sec = usec / US_PER_S,
	                             .tv_nsec = (long)(usec % US_PER_S) * NS_PER_US};

	return shield_nanosleep(&ts, NULL);
}
SHIELD_ALIAS(usleep, shield_usleep);
