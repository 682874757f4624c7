/*
 * shield/signal.h: signal sets, pending signals, sigwait and kill (shield.md 4.7, 9.5).
 *
 * Signals are the UAPI's SIGNAL_* values 1 to 12. A task has no signal handlers: the
 * kernel queues signals as events. Shield keeps a per-task *pending set* of signals it has
 * collected from the kernel and not yet consumed; sigpending() and sigwait() collect them
 * with __sys_wait_for_event(EVENT_TYPE_SIGNAL, ...), so a signal drained there is no
 * longer visible to the task's own raw wait_for_event (and vice versa). Only sigwait()
 * consumes signals from the pending set. Both overwrite the first 12 bytes of the exchange
 * area.
 *
 * Timers and blocking waits (shield.md 5): the kernel panics if an alarm expires while
 * its task blocks in __sys_wait_for_event with a timeout other than WFE_WAIT_NO. While a
 * shield timer has a kernel alarm armed, shield's own blocking waits (sigwait, msgrcv) poll
 * instead; a task that uses timers must not block in a raw __sys_wait_for_event either.
 */
#ifndef SHIELD_SIGNAL_H
#define SHIELD_SIGNAL_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <stdbool.h>
#include <stdint.h>

#ifndef TEST_MODE
#if defined(__sigevent_t_defined) || defined(SIGEV_SIGNAL)
#error "include shield/signal.h (or shield/time.h) before the C library's signal.h or time.h"
#endif
#define shield_posix_sigs posix_sigs
#define shield_sigevent   sigevent
#if !defined(____sigval_t_defined)
#define shield_sigval sigval
#endif
#endif

/* The UAPI's signal numbers (SIGNAL_*). 6 is SIGNAL_IO, named SIGIO below. */
enum shield_posix_sigs {
	SHIELD_SIGABORT = 1,
	SHIELD_SIGALARM = 2,
	SHIELD_SIGBUS = 3,
	SHIELD_SIGCONT = 4,
	SHIELD_SIGILL = 5,
	SHIELD_SIGPIPE = 7,
	SHIELD_SIGPOLL = 8,
	SHIELD_SIGTERM = 9,
	SHIELD_SIGTRAP = 10,
	SHIELD_SIGUSR1 = 11,
	SHIELD_SIGUSR2 = 12,
};
#define SHIELD_SIGABRT SHIELD_SIGABORT
#define SHIELD_SIGALRM SHIELD_SIGALARM
#define SHIELD_SIGIO   6
#define SHIELD_NSIG    13

#if defined(TEST_MODE) || !defined(____sigval_t_defined)
union shield_sigval {
	int sival_int;
	void *sival_ptr;
};
#endif
typedef union shield_sigval shield_sigval_t;
typedef void (*shield_sigev_notify_function_t)(shield_sigval_t);

/* How a timer notifies its expiry (sigev_notify). */
#define SHIELD_SIGEV_SIGNAL 0
#define SHIELD_SIGEV_NONE   1
#define SHIELD_SIGEV_THREAD 2

#ifdef TEST_MODE
/* The host C library's <signal.h> makes this a macro; a TEST_MODE unit uses shield's. */
#undef sigev_notify_function
#endif

struct shield_sigevent {
	shield_sigev_notify_function_t sigev_notify_function;
	shield_sigval_t sigev_value;
	int sigev_signo;
	int sigev_notify;
};
typedef struct shield_sigevent shield_sigevent_t;

#ifndef TEST_MODE
#if !defined(____sigval_t_defined)
typedef shield_sigval_t __sigval_t;
#define ____sigval_t_defined
#endif
#define __sigevent_t_defined 1
typedef shield_sigev_notify_function_t sigev_notify_function_t;
typedef shield_sigevent_t sigevent_t;

#define SIGABORT SHIELD_SIGABORT
#define SIGALARM SHIELD_SIGALARM
#define SIGBUS   SHIELD_SIGBUS
#define SIGCONT  SHIELD_SIGCONT
#define SIGILL   SHIELD_SIGILL
#define SIGPIPE  SHIELD_SIGPIPE
#define SIGPOLL  SHIELD_SIGPOLL
#define SIGTERM  SHIELD_SIGTERM
#define SIGTRAP  SHIELD_SIGTRAP
#define SIGUSR1  SHIELD_SIGUSR1
#define SIGUSR2  SHIELD_SIGUSR2
#define SIGABRT  SHIELD_SIGABRT
#define SIGALRM  SHIELD_SIGALRM
#define SIGIO    SHIELD_SIGIO
#define NSIG     SHIELD_NSIG
#define _SIGNUM  SHIELD_SIGNUM

#define SIGEV_SIGNAL SHIELD_SIGEV_SIGNAL
#define SIGEV_NONE   SHIELD_SIGEV_NONE
#define SIGEV_THREAD SHIELD_SIGEV_THREAD
#endif /* !TEST_MODE */

/* The UAPI (Signal, taskh_t, __sys_*), after shield's own types. */
#include <uapi/types.h>
#include <uapi/uapi.h>

__SHIELD_BEGIN_DECLS

/* Set operations; no system call. NULL set: EFAULT. signum outside 1..12: EINVAL. */
int shield_sigemptyset(shield_sigset_t *set);
int shield_sigfillset(shield_sigset_t *set);
int shield_sigaddset(shield_sigset_t *set, int signum);
int shield_sigdelset(shield_sigset_t *set, int signum);
/* 1 or 0; -1 on error. */
int shield_sigismember(const shield_sigset_t *set, int signum);
/*
 * Collect the signals the kernel holds for the task (wait_for_event with WFE_WAIT_NO until
 * STATUS_AGAIN) into the pending set, then store the pending set into *set. The pending
 * set is not cleared. Errors: EFAULT, EIO.
 */
int shield_sigpending(shield_sigset_t *set);
/*
 * Wait until a signal of |set| is pending, remove the lowest-numbered one from the pending
 * set and store it in *sig. Returns 0, or an error number (also stored in errno): EINVAL
 * for a NULL or empty set, EFAULT for a NULL sig, EIO.
 */
int shield_sigwait(const shield_sigset_t *set, int *sig);
/*
 * Send |sig| to task |pid| (__sys_send_signal); asynchronous. sig 0 only returns 0.
 * Errors: EINVAL (sig outside 0..12, kernel refusal), ESRCH (unknown or stale handle, or
 * the task itself), EAGAIN (the previous signal from this task is still unread).
 */
int shield_kill(shield_pid_t pid, int sig);

#ifndef TEST_MODE
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int signum);
int sigdelset(sigset_t *set, int signum);
int sigismember(const sigset_t *set, int signum);
int sigpending(sigset_t *set);
int sigwait(const sigset_t *set, int *sig);
int kill(pid_t pid, int sig);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_SIGNAL_H */
