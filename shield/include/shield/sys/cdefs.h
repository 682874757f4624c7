/*
 * shield/sys/cdefs.h: declaration helpers shared by every shield header.
 *
 * Naming (shield.md R6). Every shield function exists under a `shield_` prefixed name with
 * the same signature; the POSIX name is an alias of it. Types, structure tags and constants
 * follow the same rule: the canonical spelling is prefixed (shield_time_t,
 * struct shield_timespec, SHIELD_CLOCK_MONOTONIC...) and the POSIX spelling (time_t,
 * struct timespec, CLOCK_MONOTONIC...) is declared on top of it.
 *
 * When TEST_MODE is defined, the headers declare only the prefixed names, so that a host
 * unit test can include them next to the host C library's headers and compare the two.
 *
 * Host C library guards. On the host, the UAPI headers include the C library's <stdlib.h>,
 * which may pull in <sys/types.h> and its own pid_t, time_t, sigset_t... Shield's headers
 * define their types first and then define the C library's guard macros, so that a C
 * library header included later skips its own definitions. Including a C library header
 * that defines one of these types *before* shield's headers is not supported
 * (shield.md 10.4); the headers then keep the C library's definition, which has the same
 * size, and only direct access to the members of sigset_t differs.
 */
#ifndef SHIELD_SYS_CDEFS_H
#define SHIELD_SYS_CDEFS_H

#ifdef __cplusplus
#define __SHIELD_BEGIN_DECLS extern "C" {
#define __SHIELD_END_DECLS   }
#else
#define __SHIELD_BEGIN_DECLS
#define __SHIELD_END_DECLS
#endif

#if defined(__GNUC__) || defined(__clang__)
#define __SHIELD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define __SHIELD_NORETURN          __attribute__((noreturn))
#else
#define __SHIELD_PRINTF(fmt, args)
#define __SHIELD_NORETURN
#endif

#endif /* SHIELD_SYS_CDEFS_H */
