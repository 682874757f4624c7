/*
 * timer.c: POSIX timers over one kernel alarm (shield.md 4.6, 9.4, 5).
 *
 * Each of the SHIELD_TIMER_MAX timers has a deadline and an interval in kernel ticks
 * (milliseconds, the PRECISION_MILLISECONDS clock). Shield holds at most one kernel alarm
 * per task, a one-shot set for the earliest deadline; every change re-plans it: stop the
 * alarm if it has not fired yet (with the delay that started it, since the kernel matches
 * on (task, delay)), then start a new one for the earliest deadline. The alarm only sends
 * SIGNAL_ALARM to the task; the task then calls timer_handler(), which expires the timers
 * whose deadline has passed (judged on the clock, not by counting signals, because the
 * kernel drops an alarm signal while the previous one from the task is unread), runs
 * SIGEV_THREAD callbacks and re-plans.
 */
#include <shield/errno.h>
#include <shield/time.h>
#include <limits.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

#define MS_PER_S  UINT64_C(1000)
#define NS_PER_MS 1000000

struct shield_timer {
	bool used;
	bool armed;
	shield_timer_t id;
	struct shield_sigevent ev;
	uint64_t deadline; /* ms on the kernel tick clock, when armed */
	uint64_t interval; /* ms, 0 for a one-shot timer */
	int overrun;       /* of the last expiry processed by timer_handler */
};

/* The kernel alarm shield holds, if any. */
struct shield_alarm {
	bool armed;
	uint32_t delay;    /* the value that started it, needed to stop it */
	uint64_t deadline; /* tick at which the kernel fires it */
};

SHIELD_NEEDS_ENTRY;

static struct shield_timer shield_timers[SHIELD_TIMER_MAX];
static shield_timer_t shield_timer_next_id;
static struct shield_alarm shield_alarm;

void shield__timer_reset(void)
{
	for (unsigned int i = 0; i < SHIELD_TIMER_MAX; i++)
		shield_timers[i] = (struct shield_timer){.used = false};
	shield_timer_next_id = 1;
	shield_alarm = (struct shield_alarm){.armed = false};
}

static struct shield_timer *timer_find(shield_timer_t id)
{
	for (unsigned int i = 0; i < SHIELD_TIMER_MAX; i++) {
		if (shield_timers[i].used && shield_timers[i].id == id)
			return &shield_timers[i];
	}
	return NULL;
}

/* A non-zero id unique among live timers; a counter, not a clock. */
static shield_timer_t timer_new_id(void)
{
	shield_timer_t id;

	do {
		id = shield_timer_next_id++;
	} while (id == 0 || timer_find(id) != NULL);
	return id;
}

static bool ts_is_zero(const struct shield_timespec *ts)
{
	return ts->tv_sec == 0 && ts->tv_nsec == 0;
}

static bool ts_is_valid(const struct shield_timespec *ts)
{
	return ts->tv_nsec >= 0 && ts->tv_nsec <= 999999999;
}

/* |ts| in ms, rounded up, saturating. */
static uint64_t ts_to_ms(const struct shield_timespec *ts)
{
	uint64_t ms = (uint64_t)ts->tv_nsec / NS_PER_MS + (ts->tv_nsec % NS_PER_MS != 0);

	if ((uint64_t)ts->tv_sec > (UINT64_MAX - ms) / MS_PER_S)
		return UINT64_MAX;
	return (uint64_t)ts->tv_sec * MS_PER_S + ms;
}

static struct shield_timespec ms_to_ts(uint64_t ms)
{
	return (struct shield_timespec){.tv_sec = (shield_time_t)(ms / MS_PER_S),
	                                .tv_nsec = (long)(ms % MS_PER_S) * NS_PER_MS};
}

/* Next expiry of an armed timer as seen at |now|: a periodic timer skips whole intervals. */
static uint64_t timer_next_expiry(const struct shield_timer *t, uint64_t now)
{
	uint64_t k;

	if (t->deadline > now || t->interval == 0)
		return t->deadline;
	k = (now - t->deadline) / t->interval + 1;
	if (k > (UINT64_MAX - t->deadline) / t->interval)
		return UINT64_MAX;
	return t->deadline + k * t->interval;
}

/* What timer_gettime reports at |now|. */
static void timer_current(const struct shield_timer *t, uint64_t now, struct shield_itimerspec *out)
{
	uint64_t next = t->armed ? timer_next_expiry(t, now) : 0;

	out->it_value = ms_to_ts(next > now ? next - now : 0);
	out->it_interval = ms_to_ts(t->interval);
}

/*
 * Re-plan the kernel alarm at |now| (see the top of the file). Returns 0, EAGAIN when the
 * kernel's alarm queue is full, or EIO.
 */
static int alarm_replan(uint64_t now)
{
	uint64_t earliest = UINT64_MAX, delay;
	bool any = false;
	Status st;

	if (shield_alarm.armed && now < shield_alarm.deadline)
		(void)__sys_alarm(shield_alarm.delay, O_ALRM_STOP); /* NO_ENTITY: already gone */
	shield_alarm.armed = false;

	for (unsigned int i = 0; i < SHIELD_TIMER_MAX; i++) {
		const struct shield_timer *t = &shield_timers[i];

		if (t->used && t->armed && t->deadline <= earliest) {
			earliest = t->deadline;
			any = true;
		}
	}
	if (!any)
		return 0;

	delay = earliest > now ? earliest - now : 1;
	if (delay > UINT32_MAX)
		delay = UINT32_MAX;
	st = __sys_alarm((uint32_t)delay, O_ALRM_START);
	if (st == STATUS_BUSY)
		return EAGAIN;
	if (st != STATUS_OK)
		return EIO;
	shield_alarm =
	    (struct shield_alarm){.armed = true, .delay = (uint32_t)delay, .deadline = now + delay};
	return 0;
}

bool shield__alarm_pending(void)
{
	uint64_t now;

	if (!shield_alarm.armed)
		return false;
	if (shield__now_ms(&now) != 0)
		return true; /* cannot tell: stay on the safe side and poll */
	if (now >= shield_alarm.deadline)
		shield_alarm.armed = false; /* fired: the kernel freed the one-shot entry */
	return shield_alarm.armed;
}

/* The three clocks share one base; the *_ALARM clocks would need a wake-up source. */
static int timer_check_clock(shield_clockid_t clockid)
{
	if (clockid == SHIELD_CLOCK_MONOTONIC || clockid == SHIELD_CLOCK_REALTIME ||
	    clockid == SHIELD_CLOCK_BOOTTIME)
		return 0;
	if (clockid == SHIELD_CLOCK_REALTIME_ALARM || clockid == SHIELD_CLOCK_BOOTTIME_ALARM)
		return ENOTSUP;
	return EINVAL;
}

static bool sigevent_is_valid(const struct shield_sigevent *ev)
{
	switch (ev->sigev_notify) {
	case SHIELD_SIGEV_NONE:
		return true;
	case SHIELD_SIGEV_SIGNAL:
		return ev->sigev_signo == SHIELD_SIGALARM;
	case SHIELD_SIGEV_THREAD:
		return ev->sigev_notify_function != NULL;
	default:
		return false;
	}
}

SHIELD_API int shield_timer_create(shield_clockid_t clockid, struct shield_sigevent *sevp,
                                   shield_timer_t *timerid)
{
	struct shield_timer *slot = NULL;
	int err = timer_check_clock(clockid);

	if (err != 0)
		return shield__fail(err);
	if (timerid == NULL)
		return shield__fail(EFAULT);
	if (sevp != NULL && !sigevent_is_valid(sevp))
		return shield__fail(EINVAL);
	for (unsigned int i = 0; i < SHIELD_TIMER_MAX && slot == NULL; i++) {
		if (!shield_timers[i].used)
			slot = &shield_timers[i];
	}
	if (slot == NULL)
		return shield__fail(EAGAIN);

	*slot = (struct shield_timer){.used = true, .id = timer_new_id()};
	if (sevp != NULL) {
		slot->ev = *sevp;
	} else {
		slot->ev.sigev_notify = SHIELD_SIGEV_SIGNAL;
		slot->ev.sigev_signo = SHIELD_SIGALARM;
		slot->ev.sigev_value.sival_int = (int)slot->id;
	}
	*timerid = slot->id;
	return 0;
}
SHIELD_ALIAS(timer_create, shield_timer_create);

SHIELD_API int shield_timer_settime(shield_timer_t timerid, int flags,
                                    const struct shield_itimerspec *new_value,
                                    struct shield_itimerspec *old_value)
{
	struct shield_timer *t = timer_find(timerid);
	bool arm;
	uint64_t now;
	int err;

	if (t == NULL)
		return shield__fail(EINVAL);
	if (new_value == NULL)
		return shield__fail(EFAULT);
	if (flags != 0 && flags != SHIELD_TIMER_ABSTIME)
		return shield__fail(EINVAL);
	arm = !ts_is_zero(&new_value->it_value);
	if (arm && (!ts_is_valid(&new_value->it_value) || !ts_is_valid(&new_value->it_interval)))
		return shield__fail(EINVAL);

	err = shield__now_ms(&now);
	if (err != 0)
		return shield__fail(err);
	if (old_value != NULL)
		timer_current(t, now, old_value);

	t->armed = arm;
	t->interval = 0;
	t->overrun = 0;
	if (arm) {
		uint64_t value = ts_to_ms(&new_value->it_value);

		if (!ts_is_zero(&new_value->it_interval))
			t->interval = ts_to_ms(&new_value->it_interval);
		if (flags == SHIELD_TIMER_ABSTIME) {
			/* A time in the past expires at the next tick. */
			t->deadline = value;
		} else {
			t->deadline = value > UINT64_MAX - now ? UINT64_MAX : now + value;
		}
	}

	err = alarm_replan(now);
	if (err != 0) {
		/* The kernel refused the alarm: leave this timer disarmed, keep the others. */
		t->armed = false;
		(void)alarm_replan(now);
		return shield__fail(err);
	}
	return 0;
}
SHIELD_ALIAS(timer_settime, shield_timer_settime);

SHIELD_API int shield_timer_gettime(shield_timer_t timerid, struct shield_itimerspec *curr_value)
{
	const struct shield_timer *t = timer_find(timerid);
	uint64_t now;
	int err;

	if (t == NULL)
		return shield__fail(EINVAL);
	if (curr_value == NULL)
		return shield__fail(EFAULT);
	err = shield__now_ms(&now);
	if (err != 0)
		return shield__fail(err);
	timer_current(t, now, curr_value);
	return 0;
}
SHIELD_ALIAS(timer_gettime, shield_timer_gettime);

SHIELD_API int shield_timer_delete(shield_timer_t timerid)
{
	struct shield_timer *t = timer_find(timerid);
	uint64_t now;

	if (t == NULL)
		return shield__fail(EINVAL);
	*t = (struct shield_timer){.used = false};
	/* The timer is gone whatever happens to the alarm; a failure here is not reported. */
	if (shield__now_ms(&now) == 0)
		(void)alarm_replan(now);
	return 0;
}
SHIELD_ALIAS(timer_delete, shield_timer_delete);

SHIELD_API int shield_timer_getoverrun(shield_timer_t timerid)
{
	const struct shield_timer *t = timer_find(timerid);

	if (t == NULL)
		return shield__fail(EINVAL);
	return t->overrun;
}
SHIELD_ALIAS(timer_getoverrun, shield_timer_getoverrun);

SHIELD_API int shield_timer_handler(void)
{
	uint64_t now;
	int expired = 0, err;
	bool called = false;

	err = shield__now_ms(&now);
	if (err != 0)
		return shield__fail(err);

	for (unsigned int i = 0; i < SHIELD_TIMER_MAX; i++) {
		struct shield_timer *t = &shield_timers[i];
		uint64_t skipped = 0;

		if (!t->used || !t->armed || t->deadline > now)
			continue;
		expired++;
		if (t->interval != 0) {
			uint64_t next = timer_next_expiry(t, now);

			skipped = (next - t->deadline) / t->interval - 1;
			t->deadline = next;
		} else {
			t->armed = false;
		}
		t->overrun = skipped > INT_MAX ? INT_MAX : (int)skipped;

		/* The callback may change any timer, this one included: update first. */
		if (t->ev.sigev_notify == SHIELD_SIGEV_THREAD) {
			t->ev.sigev_notify_function(t->ev.sigev_value);
			called = true;
		}
	}

	/* Callbacks may have taken time (system calls): re-plan on a fresh clock. */
	if (called) {
		err = shield__now_ms(&now);
		if (err != 0)
			return shield__fail(err);
	}
	err = alarm_replan(now);
	if (err != 0)
		return shield__fail(err);
	return expired;
}
SHIELD_ALIAS(timer_handler, shield_timer_handler);
