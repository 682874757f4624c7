/*
 * assert.c: the assertion failure hooks (shield.md 3.4, 9.8).
 *
 * The first failure of a job prints one line through printf (one __sys_log) and traps,
 * which puts the task in the kernel's FAULT state. A failure while asserting (printf
 * itself failing an assertion, say) traps at once without printing.
 */
#include <shield/assert.h>
#include <shield/stdio.h>

#include "shield_priv.h"

SHIELD_NEEDS_ENTRY;

static bool shield_asserting;

void shield__assert_reset(void)
{
	shield_asserting = false;
}

SHIELD_API void shield_assert_func(const char *file, int line, const char *func, const char *cond)
{
	if (!shield_asserting) {
		shield_asserting = true;
		shield_printf("assertion \"%s\" failed: file \"%s\", line %d, function: %s\n", cond,
		              file, line, func);
	}
	shield__trap();
}
SHIELD_ALIAS(__assert_func, shield_assert_func);

SHIELD_API void shield_assert_fail(const char *cond, const char *file, unsigned int line,
                                   const char *func)
{
	shield_assert_func(file, (int)line, func, cond);
}
SHIELD_ALIAS(__assert_fail, shield_assert_fail);
