/*
 * shield/stdlib.h: integers, pseudo-random numbers and process exit (shield.md 4.3, 4.4,
 * 9.2).
 *
 * strtol / strtoul follow POSIX in the C locale: leading white space, an optional sign,
 * base 0 or 2..36 (otherwise EINVAL and 0), 0x / 0X prefix for bases 0 and 16 (a lone
 * "0x" converts the 0 and leaves *endptr on the x), ERANGE with LONG_MIN / LONG_MAX /
 * ULONG_MAX on overflow (*endptr still after the last digit), *endptr = nptr when no digit
 * is found. strtoul negates a leading '-' in unsigned arithmetic.
 *
 * Pseudo-random generator (not cryptographic; same sequence on target and host). The state
 * is one unsigned 32-bit word s. Each call does
 *     s = s * 1103515245 + 12345             (mod 2^32)
 *     x = s; x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16;
 *     return x >> 1;                          (all in uint32_t arithmetic)
 * which covers [0, RAND_MAX] entirely. srand(seed) sets s = seed; before any srand the
 * sequence is that of srand(1), as POSIX requires; task entry resets it to that.
 * rand_r uses *seedp as s. For a run-dependent sequence, seed with getrandom().
 *
 * Exit: exit() runs the atexit handlers in reverse order of registration, then
 * __sys_exit(status); returning from main does the same. _Exit() (and _exit in
 * shield/unistd.h) call __sys_exit() directly. A non-zero status ends the job for good; 0
 * with the RESTART exit mode respawns it. abort() traps like a failed assertion (the task
 * goes to the kernel's FAULT state) and prints nothing.
 */
#ifndef SHIELD_STDLIB_H
#define SHIELD_STDLIB_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <stddef.h>
#include <stdint.h>

#define SHIELD_RAND_MAX 0x7fffffff
/* atexit accepts at least this many handlers. */
#define SHIELD_ATEXIT_MAX 32

__SHIELD_BEGIN_DECLS

int shield_abs(int j);
long shield_labs(long j);
long long shield_llabs(long long j);
intmax_t shield_imaxabs(intmax_t j);
long shield_strtol(const char *restrict nptr, char **restrict endptr, int base);
unsigned long shield_strtoul(const char *restrict nptr, char **restrict endptr, int base);
/* strtol(s, NULL, 10). */
int shield_atoi(const char *s);
long shield_atol(const char *s);

int shield_rand(void);
void shield_srand(unsigned int seed);
int shield_rand_r(unsigned int *seedp);

/* Register |fn| to run at exit; 0, or -1 when SHIELD_ATEXIT_MAX are registered or fn is NULL. */
int shield_atexit(void (*fn)(void));
__SHIELD_NORETURN void shield_exit(int status);
__SHIELD_NORETURN void shield__Exit(int status);
__SHIELD_NORETURN void shield_abort(void);

#ifndef TEST_MODE
int abs(int j);
long labs(long j);
long long llabs(long long j);
intmax_t imaxabs(intmax_t j);
long strtol(const char *restrict nptr, char **restrict endptr, int base);
unsigned long strtoul(const char *restrict nptr, char **restrict endptr, int base);
int atoi(const char *s);
long atol(const char *s);
int rand(void);
void srand(unsigned int seed);
int rand_r(unsigned int *seedp);
int atexit(void (*fn)(void));
__SHIELD_NORETURN void exit(int status);
__SHIELD_NORETURN void _Exit(int status);
__SHIELD_NORETURN void abort(void);
#endif

__SHIELD_END_DECLS

#ifndef TEST_MODE
/* The C library may have its own definition (same value); shield's is the reference. */
#undef RAND_MAX
#define RAND_MAX SHIELD_RAND_MAX
#ifndef EXIT_SUCCESS
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#endif
#endif

#endif /* SHIELD_STDLIB_H */
