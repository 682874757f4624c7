/*
 * signal.c: signal sets, the pending set, sigpending, sigwait and kill (shield.md 4.7, 9.5).
 *
 * The kernel queues at most one unread signal per sender and hands them out one by one
 * through wait_for_event. Shield drains them into its per-task pending set, from which only
 * sigwait consumes. Each event is read from the exchange area right after the wait that
 * wrote it: header {type 2, length 4, magic 0x4242, source} and the signal number at
 * offset 8.
 */
#include <shield/errno.h>
#include <shield/signal.h>
#include <shield/string.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

#define SHIELD_EVENT_MAGIC 0x4242

SHIELD_NEEDS_ENTRY;

static shield_sigset_t shield_pending;

void shield__signal_reset(void)
{
	for (unsigned int i = 0; i < SHIELD_SIGNUM; i++)
		shield_pending.__val[i] = false;
}

static bool signum_is_valid(int signum)
{
	return signum >= 1 && signum <= SHIELD_SIGNUM;
}

SHIELD_API int shield_sigemptyset(shield_sigset_t *set)
{
	if (set == NULL)
		return shield__fail(EFAULT);
	for (unsigned int i = 0; i < SHIELD_SIGNUM; i++)
		set->__val[i] = false;
	return 0;
}
SHIELD_ALIAS(sigemptyset, shield_sigemptyset);

SHIELD_API int shield_sigfillset(shield_sigset_t *set)
{
	if (set == NULL)
		return shield__fail(EFAULT);
	for (unsigned int i = 0; i < SHIELD_SIGNUM; i++)
		set->__val[i] = true;
	return 0;
}
SHIELD_ALIAS(sigfillset, shield_sigfillset);

SHIELD_API int shield_sigaddset(shield_sigset_t *set, int signum)
{
	if (set == NULL)
		return shield__fail(EFAULT);
	if (!signum_is_valid(signum))
		return shield__fail(EINVAL);
	set->__val[signum - 1] = true;
	return 0;
}
SHIELD_ALIAS(sigaddset, shield_sigaddset);

SHIELD_API int shield_sigdelset(shield_sigset_t *set, int signum)
{
	if (set == NULL)
		return shield__fail(EFAULT);
	if (!signum_is_valid(signum))
		return shield__fail(EINVAL);
	set->__val[signum - 1] = false;
	return 0;
}
SHIELD_ALIAS(sigdelset, shield_sigdelset);

SHIELD_API int shield_sigismember(const shield_sigset_t *set, int signum)
{
	if (set == NULL)
		return shield__fail(EFAULT);
	if (!signum_is_valid(signum))
		return shield__fail(EINVAL);
	return set->__val[signum - 1] ? 1 : 0;
}
SHIELD_ALIAS(sigismember, shield_sigismember);

/* Add the signal event that the last successful wait left in the exchange area. */
static void take_signal_event(void)
{
	uint8_t ev[sizeof(exchange_event_t) + sizeof(uint32_t)];
	exchange_event_t head;
	uint32_t signum;

	if (copy_from_kernel(ev, sizeof(ev)) != STATUS_OK)
		return;
	shield_memcpy(&head, ev, sizeof(head));
	if (head.type != EVENT_TYPE_SIGNAL || head.magic != SHIELD_EVENT_MAGIC ||
	    head.length < sizeof(signum))
		return;
	shield_memcpy(&signum, ev + sizeof(head), sizeof(signum));
	if (signum >= 1 && signum <= SHIELD_SIGNUM)
		shield_pending.__val[signum - 1] = true;
}

/* Collect every signal the kernel holds for the task. Returns 0 or EIO. */
static int drain_signals(void)
{
	for (;;) {
		Status st = __sys_wait_for_event(EVENT_TYPE_SIGNAL, WFE_WAIT_NO);

		if (st == STATUS_AGAIN)
			return 0;
		if (st != STATUS_OK)
			return EIO;
		take_signal_event();
	}
}

void shield__poll_pause(void)
{
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = 1};

	/* TIMEOUT, or INTR when an event arrives first: either way, look again. */
	(void)__sys_sleep(d, SLEEP_MODE_SHALLOW);
}

SHIELD_API int shield_sigpending(shield_sigset_t *set)
{
	int err;

	if (set == NULL)
		return shield__fail(EFAULT);
	err = drain_signals();
	if (err != 0)
		return shield__fail(err);
	*set = shield_pending;
	return 0;
}
SHIELD_ALIAS(sigpending, shield_sigpending);

/* sigwait reports errors as its result (POSIX) and in errno (R4). */
static int sigwait_fail(int err)
{
	shield__set_errno(err);
	return err;
}

SHIELD_API int shield_sigwait(const shield_sigset_t *set, int *sig)
{
	bool any = false;

	if (set == NULL)
		return sigwait_fail(EINVAL);
	for (unsigned int i = 0; i < SHIELD_SIGNUM; i++)
		any |= set->__val[i];
	if (!any)
		return sigwait_fail(EINVAL);
	if (sig == NULL)
		return sigwait_fail(EFAULT);

	for (;;) {
		Status st;
		int err = drain_signals();

		if (err != 0)
			return sigwait_fail(err);
		for (unsigned int i = 0; i < SHIELD_SIGNUM; i++) {
			if (set->__val[i] && shield_pending.__val[i]) {
				shield_pending.__val[i] = false;
				*sig = (int)i + 1;
				return 0;
			}
		}
		/* An alarm expiring during a blocking wait panics the kernel: poll instead. */
		if (shield__alarm_pending()) {
			shield__poll_pause();
			continue;
		}
		st = __sys_wait_for_event(EVENT_TYPE_SIGNAL, WFE_WAIT_FOREVER);
		if (st == STATUS_OK)
			take_signal_event();
		else if (st != STATUS_INTR)
			return sigwait_fail(EIO);
	}
}
SHIELD_ALIAS(sigwait, shield_sigwait);

SHIELD_API int shield_kill(shield_pid_t pid, int sig)
{
	if (sig == 0)
		return 0; /* no way to test a handle without sending */
	if (!signum_is_valid(sig))
		return shield__fail(EINVAL);
	switch (__sys_send_signal(pid, (Signal)sig)) {
	case STATUS_OK:
		return 0;
	case STATUS_INVALID:
		return shield__fail(ESRCH);
	case STATUS_BUSY:
		return shield__fail(EAGAIN);
	default:
		return shield__fail(EINVAL);
	}
}
SHIELD_ALIAS(kill, shield_kill);
