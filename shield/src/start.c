/*
 * start.c: task entry, stack protector (shield.md 3.1 to 3.3, 10.1).
 *
 * Entry. The kernel (or the simulator) enters a task with (thread_id, seed). The entry sets
 * the stack-protector guard from the seed, re-initialises all of shield's state (R5), runs
 * main() and passes its result to exit(). On the host, the C runtime's start-up object
 * already defines _start, so shield exports the entry as __shield_start, which the
 * sentry-uapi runtime calls in place of main; _start itself is defined only when the
 * library is built with SHIELD_DEFINE_START (a target build without start files).
 * Under TEST_MODE the entry runs shield_main() (weak: absent means status 0), so that a unit
 * test can drive it next to its own main.
 */
#include <shield/stdlib.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

#if defined(__has_attribute)
#if __has_attribute(no_stack_protector)
#define SHIELD_NO_SSP __attribute__((no_stack_protector))
#endif
#endif
#ifndef SHIELD_NO_SSP
#define SHIELD_NO_SSP __attribute__((optimize("no-stack-protector")))
#endif

/*
 * The guard that code built with a global stack-protector guard compares against. It is
 * uint32_t on the 32-bit target; on a 64-bit host the compiler reads a pointer-sized word,
 * so it is pointer-sized here and holds the seed zero-extended.
 */
#ifdef TEST_MODE
SHIELD_API uintptr_t shield_stack_chk_guard;
#define SHIELD_GUARD shield_stack_chk_guard
#else
SHIELD_API uintptr_t __stack_chk_guard;
#define SHIELD_GUARD __stack_chk_guard
#endif

#ifdef TEST_MODE
/* The unit test's stand-in for main(). */
extern int shield_main(void) __attribute__((weak));
#define SHIELD_RUN_MAIN() (shield_main != NULL ? shield_main() : 0)
#else
extern int main(void);
#define SHIELD_RUN_MAIN() main()
#endif

/* Status of a job whose stack protector fired: non-zero, so it never respawns. */
#define SHIELD_SSP_EXIT_STATUS 123

SHIELD_API __attribute__((noreturn)) SHIELD_NO_SSP void __shield_start(uint32_t thread_id,
                                                                       uint32_t seed);

/* thread_id is 0 for normal and respawned jobs; shield has no use for it. */
void __shield_start(uint32_t thread_id, uint32_t seed)
{
	(void)thread_id;
	SHIELD_GUARD = seed;

	shield__errno_reset();
	shield__stdio_reset();
	shield__rand_reset();
	shield__exit_reset();
	shield__timer_reset();
	shield__signal_reset();
	shield__msg_reset();
	shield__assert_reset();

	shield_exit(SHIELD_RUN_MAIN());
}

#if defined(SHIELD_DEFINE_START) && !defined(TEST_MODE)
extern __typeof__(__shield_start) _start
    __attribute__((alias("__shield_start"), visibility("default")));
#endif

SHIELD_API __attribute__((noreturn)) void shield_stack_chk_fail(void);
#ifndef TEST_MODE
__attribute__((noreturn)) void __stack_chk_fail(void);
#endif

/* The stack protector found a smashed frame: end the job for good. */
void shield_stack_chk_fail(void)
{
#if defined(__arm__) && !defined(__linux__)
	/* Target: the exit trap directly, without building a stack frame. */
	__asm__ volatile("mov r0, %0\n\tsvc %1" ::"i"(SHIELD_SSP_EXIT_STATUS), "i"(SYSCALL_EXIT)
	                 : "r0", "memory");
#endif
	__sys_exit(SHIELD_SSP_EXIT_STATUS);
	shield__trap();
}
SHIELD_ALIAS(__stack_chk_fail, shield_stack_chk_fail);
