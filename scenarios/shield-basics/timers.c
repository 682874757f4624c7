/*
 * timers: POSIX timers over the kernel alarm (shield.md 4.6). A periodic SIGEV_THREAD timer
 * (every 10 ms) counts ticks in its callback and a one-shot SIGEV_SIGNAL timer fires once
 * at 25 ms; both share shield's single kernel alarm. The alarm only sends SIGALRM: the task
 * waits for it with sigwait() (which polls while an alarm is armed, since an alarm expiring
 * during a blocking wait panics the kernel) and calls timer_handler() each time, as every
 * task using shield timers must. A deep nanosleep that lets three periods pass shows the
 * overrun count. Times are printed in virtual milliseconds since the timers were armed.
 */
#include <shield/errno.h>
#include <shield/signal.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <shield/time.h>

static int ticks;
static unsigned long t_start;

static unsigned long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ul + (unsigned long)ts.tv_nsec / 1000000ul;
}

static void on_tick(union sigval v)
{
	ticks++;
	printf("tick %d (%s) at %lu ms\n", ticks, (const char *)v.sival_ptr, now_ms() - t_start);
}

static unsigned long ms_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000ul + (unsigned long)ts->tv_nsec / 1000000ul;
}

static int fail(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	return 1;
}

int main(void)
{
	struct sigevent periodic_ev = {.sigev_notify = SIGEV_THREAD,
	                               .sigev_notify_function = on_tick,
	                               .sigev_value.sival_ptr = "every 10 ms"};
	struct sigevent once_ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
	struct itimerspec period = {.it_value = {.tv_nsec = 10000000},
	                            .it_interval = {.tv_nsec = 10000000}};
	struct itimerspec once = {.it_value = {.tv_nsec = 25000000}};
	struct itimerspec left;
	struct timespec nap = {.tv_nsec = 35000000};
	timer_t periodic, oneshot;
	sigset_t alarm;
	int n;

	/* Start on a tick so that "ms since the start" is exact. */
	nanosleep(&(struct timespec){.tv_nsec = 1}, NULL);
	t_start = now_ms();
	if (timer_create(CLOCK_MONOTONIC, &periodic_ev, &periodic) != 0 ||
	    timer_create(CLOCK_MONOTONIC, &once_ev, &oneshot) != 0)
		return fail("timer_create");
	if (timer_settime(periodic, 0, &period, NULL) != 0 ||
	    timer_settime(oneshot, 0, &once, NULL) != 0)
		return fail("timer_settime");

	sigemptyset(&alarm);
	sigaddset(&alarm, SIGALRM);
	while (ticks < 5) {
		int sig, before = ticks;

		if (sigwait(&alarm, &sig) != 0)
			return fail("sigwait");
		n = timer_handler();
		if (n < 0)
			return fail("timer_handler");
		if (n > ticks - before)
			printf("one-shot SIGEV_SIGNAL timer expired at %lu ms\n",
			       now_ms() - t_start);
		if (ticks == 2 && before == 1) {
			timer_gettime(periodic, &left);
			printf("after tick 2: next in %lu ms, interval %lu ms\n",
			       ms_of(&left.it_value), ms_of(&left.it_interval));
		}
	}
	timer_gettime(oneshot, &left);
	printf("one-shot after expiry: %lu ms left, disarmed\n", ms_of(&left.it_value));

	/* Nobody calls timer_handler for 35 ms: three periods pass, one expiry is reported. */
	nanosleep(&nap, NULL);
	n = timer_handler();
	printf("after a 35 ms nanosleep at %lu ms: %d expiry, overrun %d\n", now_ms() - t_start, n,
	       timer_getoverrun(periodic));

	if (timer_delete(periodic) != 0 || timer_delete(oneshot) != 0)
		return fail("timer_delete");
	n = timer_delete(periodic);
	printf("timer_delete twice: %d, %s\n", n, errno == EINVAL ? "EINVAL" : strerror(errno));
	printf("%d ticks, done at %lu ms\n", ticks, now_ms() - t_start);
	return 0;
}
