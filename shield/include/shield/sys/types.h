/*
 * shield/sys/types.h: the types shared by shield's headers (shield.md 1.1).
 *
 * ssize_t is defined here once, for shield/sys/msg.h and shield/sys/random.h. The other
 * types that the host C library also defines (time_t, clockid_t, timer_t, struct timespec,
 * pid_t, key_t, sigset_t, useconds_t, pthread_t) live here too, so that whichever shield
 * header a task includes first defines all of them ahead of the C library (see
 * shield/sys/cdefs.h).
 * They are shield's own definitions, not the host C library's (shield.md 10.4);
 * shield/time.h, shield/signal.h and shield/sys/msg.h document them.
 */
#ifndef SHIELD_SYS_TYPES_H
#define SHIELD_SYS_TYPES_H

#include <shield/sys/cdefs.h>
#include <stdbool.h>
#include <stdint.h>

/* Number of signals: signals are 1 to SHIELD_SIGNUM (the UAPI's SIGNAL_USR2, 12). */
#define SHIELD_SIGNUM 12

#ifndef TEST_MODE
/* Structure tags carry their POSIX spelling outside TEST_MODE. */
#define shield_timespec timespec
#endif

/* Canonical (prefixed) names, always declared. */
typedef long shield_ssize_t;
typedef unsigned long shield_time_t;
typedef uint64_t shield_timer_t;
typedef uint32_t shield_pid_t; /* taskh_t: a task handle */
typedef uint32_t shield_key_t; /* taskh_t: the peer's task handle */
typedef unsigned int shield_useconds_t;
typedef uint32_t shield_pthread_t;

/* Shield's own clock numbering, not the host C library's. */
typedef enum shield_clockid {
	SHIELD_CLOCK_MONOTONIC = 0,
	SHIELD_CLOCK_REALTIME = 1,
	SHIELD_CLOCK_REALTIME_ALARM = 2,
	SHIELD_CLOCK_BOOTTIME = 3,
	SHIELD_CLOCK_BOOTTIME_ALARM = 4,
} shield_clockid_t;

/* A set of signals: __val[signal - 1] is true for a member. */
typedef struct shield_sigset {
	bool __val[SHIELD_SIGNUM];
} shield_sigset_t;

#if defined(TEST_MODE) ||                                                                          \
    (!defined(_STRUCT_TIMESPEC) && !defined(__timespec_defined) && !defined(_SYS__TIMESPEC_H_))
struct shield_timespec {
	shield_time_t tv_sec;
	long tv_nsec;
};
#endif

#ifndef TEST_MODE
/* POSIX names; each claims the C library's guards (glibc, then BSD/newlib spelling). */
#define _STRUCT_TIMESPEC   1
#define __timespec_defined 1
#define _SYS__TIMESPEC_H_
#if !defined(__ssize_t_defined) && !defined(_SSIZE_T_DECLARED)
typedef shield_ssize_t ssize_t;
#define __ssize_t_defined 1
#define _SSIZE_T_DECLARED
#endif
#if !defined(__time_t_defined) && !defined(_TIME_T_DECLARED)
typedef shield_time_t time_t;
#define __time_t_defined 1
#define _TIME_T_DECLARED
#endif
#if !defined(__clockid_t_defined) && !defined(_CLOCKID_T_DECLARED)
typedef shield_clockid_t clockid_t;
#define __clockid_t_defined 1
#define _CLOCKID_T_DECLARED
#endif
#if !defined(__timer_t_defined) && !defined(_TIMER_T_DECLARED)
typedef shield_timer_t timer_t;
#define __timer_t_defined 1
#define _TIMER_T_DECLARED
#endif
#if !defined(__pid_t_defined) && !defined(_PID_T_DECLARED)
typedef shield_pid_t pid_t;
#define __pid_t_defined 1
#define _PID_T_DECLARED
#endif
#if !defined(__key_t_defined) && !defined(_KEY_T_DECLARED)
typedef shield_key_t key_t;
#define __key_t_defined 1
#define _KEY_T_DECLARED
#endif
#if !defined(__useconds_t_defined) && !defined(_USECONDS_T_DECLARED)
typedef shield_useconds_t useconds_t;
#define __useconds_t_defined 1
#define _USECONDS_T_DECLARED
#endif
/* glibc defines pthread_t with its other pthread types, behind this one guard. */
#if !defined(_BITS_PTHREADTYPES_COMMON_H) && !defined(_PTHREAD_T_DECLARED)
typedef shield_pthread_t pthread_t;
#define _BITS_PTHREADTYPES_COMMON_H 1
#define _PTHREAD_T_DECLARED
#endif
#if !defined(____sigset_t_defined)
typedef shield_sigset_t __sigset_t;
#define ____sigset_t_defined
#endif
#if !defined(__sigset_t_defined) && !defined(_SIGSET_T_DECLARED)
typedef shield_sigset_t sigset_t;
#define __sigset_t_defined 1
#define _SIGSET_T_DECLARED
#endif
#endif /* !TEST_MODE */

#endif /* SHIELD_SYS_TYPES_H */
