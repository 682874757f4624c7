/*
 * exit.c: atexit, exit, _Exit, _exit and abort (shield.md 9.2).
 *
 * exit() runs the handlers in reverse order of registration (a handler registered while
 * exiting runs too), then ends the job with __sys_exit(status). The kernel then applies the
 * task's exit mode: 0 with RESTART respawns the job, a non-zero status ends it for good.
 */
#include <shield/stdlib.h>
#include <shield/unistd.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

SHIELD_NEEDS_ENTRY;

static void (*shield_atexit_fns[SHIELD_ATEXIT_MAX])(void);
static unsigned int shield_atexit_count;

void shield__exit_reset(void)
{
	for (unsigned int i = 0; i < SHIELD_ATEXIT_MAX; i++)
		shield_atexit_fns[i] = NULL;
	shield_atexit_count = 0;
}

void shield__trap(void)
{
	for (;;)
		__builtin_trap();
}

SHIELD_API int shield_atexit(void (*fn)(void))
{
	if (fn == NULL || shield_atexit_count >= SHIELD_ATEXIT_MAX)
		return -1;
	shield_atexit_fns[shield_atexit_count++] = fn;
	return 0;
}
SHIELD_ALIAS(atexit, shield_atexit);

SHIELD_API void shield__Exit(int status)
{
	__sys_exit(status);
	/* __sys_exit does not return; never fall back into the task if it did. */
	shield__trap();
}
SHIELD_ALIAS(_Exit, shield__Exit);

SHIELD_API void shield__exit(int status)
{
	shield__Exit(status);
}
SHIELD_ALIAS(_exit, shield__exit);

SHIELD_API void shield_exit(int status)
{
	while (shield_atexit_count > 0) {
		void (*fn)(void) = shield_atexit_fns[--shield_atexit_count];

		shield_atexit_fns[shield_atexit_count] = NULL;
		fn();
	}
	shield__Exit(status);
}
SHIELD_ALIAS(exit, shield_exit);

/* Abnormal end, as a failed assertion but silent: the trap faults the task. */
SHIELD_API void shield_abort(void)
{
	shield__trap();
}
SHIELD_ALIAS(abort, shield_abort);
