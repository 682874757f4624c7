/*
 * shield_priv.h: what shield's modules share (internal, not installed).
 *
 * Export rules (shield.md R6): the library is built with -fvisibility=hidden. Each public
 * function is defined once under its shield_ name and marked SHIELD_API; SHIELD_ALIAS then
 * exports the POSIX name as an alias of it, except under TEST_MODE, where only the
 * prefixed names exist. Helpers shared between modules are hidden and named shield__*;
 * they are not part of the API.
 *
 * Every module that keeps mutable state has a shield__*_reset() function; the task entry
 * (start.c) calls all of them, so that a respawned job starts clean even if the host
 * process is reused (shield.md R5). Nothing relies on load-time initialisers.
 */
#ifndef SHIELD_PRIV_H
#define SHIELD_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHIELD_API    __attribute__((visibility("default")))
#define SHIELD_HIDDEN __attribute__((visibility("hidden")))

#ifdef TEST_MODE
#define SHIELD_ALIAS(posix, impl)
#else
#define SHIELD_ALIAS(posix, impl)                                                                  \
	extern __typeof__(impl) posix __attribute__((alias(#impl), visibility("default")))
#endif

/*
 * Static links: the sentry-uapi runtime looks the entry up with a weak reference, which
 * does not pull start.o out of libshield.a. Every module with state refers to the entry
 * through this macro, so that a task using any of them also gets __shield_start (and with
 * it the state reset of R5 and main's return through shield's exit()).
 */
#ifdef TEST_MODE
#define SHIELD_NEEDS_ENTRY
#else
void __shield_start(uint32_t thread_id, uint32_t seed);
#define SHIELD_NEEDS_ENTRY                                                                         \
	__attribute__((used)) static void (*const shield_entry_ref)(uint32_t, uint32_t) =          \
	    __shield_start
#endif

/* errno.c: store |err| in errno and return -1 (the usual failure value). */
SHIELD_HIDDEN int shield__fail(int err);
SHIELD_HIDDEN void shield__set_errno(int err);

/*
 * format.c: format |fmt| into |buf| (at most |cap| bytes, no NUL; |buf| may be NULL when
 * |cap| is 0) and set *total to the length of the complete output. The whole format is
 * validated before anything is written. Returns 0, or EINVAL / EOVERFLOW.
 */
SHIELD_HIDDEN int shield__vformat(char *buf, size_t cap, const char *fmt, va_list ap,
                                  size_t *total);

/* time.c: the kernel clocks; 0 or EIO. They overwrite exch[0..7]. */
SHIELD_HIDDEN int shield__now_us(uint64_t *us);
SHIELD_HIDDEN int shield__now_ms(uint64_t *ms);

/*
 * timer.c: true while shield has a kernel alarm armed that has not yet expired; blocking
 * waits must then poll (shield.md 5). May read the ms clock.
 */
SHIELD_HIDDEN bool shield__alarm_pending(void);

/* signal.c: sleep 1 ms in shallow mode (one poll step of a blocking wait). */
SHIELD_HIDDEN void shield__poll_pause(void);

/* Trap: the task enters the kernel's FAULT state. Never returns. */
SHIELD_HIDDEN __attribute__((noreturn)) void shield__trap(void);

/* Per-module state reset, called by the task entry (shield.md R5). */
SHIELD_HIDDEN void shield__errno_reset(void);
SHIELD_HIDDEN void shield__stdio_reset(void);
SHIELD_HIDDEN void shield__rand_reset(void);
SHIELD_HIDDEN void shield__exit_reset(void);
SHIELD_HIDDEN void shield__timer_reset(void);
SHIELD_HIDDEN void shield__signal_reset(void);
SHIELD_HIDDEN void shield__msg_reset(void);
SHIELD_HIDDEN void shield__assert_reset(void);

#endif /* SHIELD_PRIV_H */
