/*
 * clock: clock_gettime and the sleeps in virtual time. The clock has 1 us resolution; a
 * sleep is a deep kernel sleep of whole 1 ms ticks and never ends early: nanosleep sleeps
 * ceil(left / 1 ms) ticks and loops until the clock has reached the deadline, so a request
 * that starts just after a tick may take one extra tick (shield.md 4.6). Every line gives
 * exact virtual times; see clock.ini for the arithmetic.
 */
#include <shield/errno.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <shield/time.h>
#include <shield/unistd.h>

static unsigned long us_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000ul + (unsigned long)ts->tv_nsec / 1000ul;
}

static unsigned long now_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return us_of(&ts);
}

/* nanosleep(|sec| s + |nsec| ns) and report when it started and ended. */
static int timed_sleep(const char *what, time_t sec, long nsec)
{
	struct timespec req = {.tv_sec = sec, .tv_nsec = nsec};
	unsigned long t0 = now_us(), t1;

	if (nanosleep(&req, NULL) != 0) {
		printf("%s: %s\n", what, strerror(errno));
		return 1;
	}
	t1 = now_us();
	printf("%s: from %lu us to %lu us, slept %lu us\n", what, t0, t1, t1 - t0);
	return 0;
}

int main(void)
{
	struct timespec res, mono, real, boot, bad = {.tv_sec = 0, .tv_nsec = 1000000000};
	unsigned long t0, t1;
	int rc;

	clock_getres(CLOCK_MONOTONIC, &res);
	printf("resolution: %ld ns\n", res.tv_nsec);
	if (timed_sleep("nanosleep 2500 us", 0, 2500000) != 0 ||
	    timed_sleep("nanosleep 3 ms", 0, 3000000) != 0 ||
	    timed_sleep("nanosleep 1 ns", 0, 1) != 0 || timed_sleep("nanosleep 0", 0, 0) != 0)
		return 1;

	t0 = now_us();
	sleep(1);
	t1 = now_us();
	printf("sleep(1): from %lu us to %lu us, slept %lu us\n", t0, t1, t1 - t0);
	t0 = now_us();
	usleep(20000);
	t1 = now_us();
	printf("usleep(20000): from %lu us to %lu us, slept %lu us\n", t0, t1, t1 - t0);

	/* One time base for the three clocks (boot is the epoch of CLOCK_REALTIME). */
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	printf("clocks: monotonic %lu.%06ld s, realtime %lu.%06ld s, boottime %lu.%06ld s\n",
	       mono.tv_sec, mono.tv_nsec / 1000, real.tv_sec, real.tv_nsec / 1000, boot.tv_sec,
	       boot.tv_nsec / 1000);

	/* The *_ALARM clocks and a bad tv_nsec are refused without a system call. */
	rc = clock_gettime(CLOCK_REALTIME_ALARM, &real);
	printf("CLOCK_REALTIME_ALARM: %d, %s\n", rc, errno == EINVAL ? "EINVAL" : strerror(errno));
	rc = nanosleep(&bad, NULL);
	printf("nanosleep with tv_nsec = 10^9: %d, %s\n", rc,
	       errno == EINVAL ? "EINVAL" : strerror(errno));
	return 0;
}
