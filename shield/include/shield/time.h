/*
 * shield/time.h: clocks, sleeps and POSIX timers (shield.md 4.6, 9.4).
 *
 * Time base. CLOCK_MONOTONIC, CLOCK_REALTIME and CLOCK_BOOTTIME are one clock: the time
 * since the kernel's system timer started, read with __sys_get_cycle(PRECISION_MICROSECONDS)
 * (1 us resolution). There is no real-time clock, so the epoch of CLOCK_REALTIME is boot.
 * Sleeps and timers have the kernel tick's 1 ms granularity. Every clock read overwrites
 * the first 8 bytes of the exchange area.
 *
 * nanosleep() suspends in deep sleep (no event shortens it) for at least the requested
 * time, rounded up to whole ticks; it never fails with EINTR and never writes *rem.
 *
 * Timers. A task has SHIELD_TIMER_MAX timers; shield keeps at most one kernel alarm armed
 * for all of them, set for the earliest deadline. The kernel alarm only delivers
 * SIGNAL_ALARM to the task: nothing runs by itself. A task that uses timers MUST call
 * timer_handler() whenever it sees SIGALRM (from __sys_wait_for_event, sigpending() or
 * sigwait()), or periodically; timer_handler() runs the SIGEV_THREAD callbacks, advances
 * periodic timers and re-arms the kernel alarm. While the alarm is armed, the task must not
 * block in a raw __sys_wait_for_event with a timeout other than WFE_WAIT_NO (the kernel
 * panics when an alarm expires during such a wait); shield's own waits poll instead. The
 * kernel stops an alarm by (task, delay): a task that also arms raw alarms with the same
 * delay may see shield stop one of them.
 */
#ifndef SHIELD_TIME_H
#define SHIELD_TIME_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <shield/signal.h>

#ifndef TEST_MODE
#if defined(__itimerspec_defined)
#error "include shield/time.h before the C library's time.h"
#endif
#define shield_itimerspec itimerspec
#endif

/* Number of POSIX timers per task. */
#define SHIELD_TIMER_MAX 5
/* timer_settime flag: it_value is an absolute time on the timer's clock. */
#define SHIELD_TIMER_ABSTIME 1

struct shield_itimerspec {
	struct shield_timespec it_interval;
	struct shield_timespec it_value;
};

#ifndef TEST_MODE
#define __itimerspec_defined 1
#define CLOCK_MONOTONIC      SHIELD_CLOCK_MONOTONIC
#define CLOCK_REALTIME       SHIELD_CLOCK_REALTIME
#define CLOCK_REALTIME_ALARM SHIELD_CLOCK_REALTIME_ALARM
#define CLOCK_BOOTTIME       SHIELD_CLOCK_BOOTTIME
#define CLOCK_BOOTTIME_ALARM SHIELD_CLOCK_BOOTTIME_ALARM
#define TIMER_ABSTIME        SHIELD_TIMER_ABSTIME
#endif

__SHIELD_BEGIN_DECLS

/*
 * Time since boot on |clockid|. Errors: EINVAL (the *_ALARM clocks, unknown ids), EFAULT
 * (NULL tp), EIO (kernel refusal).
 */
int shield_clock_gettime(shield_clockid_t clockid, struct shield_timespec *tp);
/* 1 us for the three supported clocks; |res| may be NULL. No system call. */
int shield_clock_getres(shield_clockid_t clockid, struct shield_timespec *res);
/*
 * Sleep at least *req. Errors: EFAULT (NULL req), EINVAL (tv_nsec outside
 * [0, 999999999]), EIO (kernel refusal). |rem| is never written.
 */
int shield_nanosleep(const struct shield_timespec *req, struct shield_timespec *rem);
/*
 * Create a disarmed timer; no system call. |sevp| NULL means SIGEV_SIGNAL with SIGALRM and
 * the timer id as sival_int. Accepted: SIGEV_NONE, SIGEV_SIGNAL with SIGALRM only,
 * SIGEV_THREAD with a callback (run by timer_handler()). Errors: EINVAL, ENOTSUP (the
 * *_ALARM clocks), EFAULT (NULL timerid), EAGAIN (all SHIELD_TIMER_MAX in use).
 */
int shield_timer_create(shield_clockid_t clockid, struct shield_sigevent *sevp,
                        shield_timer_t *timerid);
/*
 * Arm (it_value non-zero; rounded up to whole ms, at least 1) or disarm (it_value zero) a
 * timer; a non-zero it_interval makes it periodic. flags: 0 or TIMER_ABSTIME. *old_value,
 * when not NULL, gets the previous setting. Errors: EINVAL, EFAULT, EAGAIN (the kernel's
 * alarm queue is full: the timer is left disarmed).
 */
int shield_timer_settime(shield_timer_t timerid, int flags,
                         const struct shield_itimerspec *new_value,
                         struct shield_itimerspec *old_value);
/* Time left (ms granularity) and interval. Errors: EINVAL, EFAULT. */
int shield_timer_gettime(shield_timer_t timerid, struct shield_itimerspec *curr_value);
/* Disarm and free a timer, re-plan the kernel alarm. Errors: EINVAL. */
int shield_timer_delete(shield_timer_t timerid);
/* Overrun count of the last expiry processed by timer_handler(). Errors: EINVAL. */
int shield_timer_getoverrun(shield_timer_t timerid);
/*
 * Process expired timers (see above). Returns how many expired, or -1 with EAGAIN when
 * the kernel alarm could not be re-armed.
 */
int shield_timer_handler(void);

#ifndef TEST_MODE
int clock_gettime(clockid_t clockid, struct timespec *tp);
int clock_getres(clockid_t clockid, struct timespec *res);
int nanosleep(const struct timespec *req, struct timespec *rem);
int timer_create(clockid_t clockid, struct sigevent *sevp, timer_t *timerid);
int timer_settime(timer_t timerid, int flags, const struct itimerspec *new_value,
                  struct itimerspec *old_value);
int timer_gettime(timer_t timerid, struct itimerspec *curr_value);
int timer_delete(timer_t timerid);
int timer_getoverrun(timer_t timerid);
int timer_handler(void);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_TIME_H */
