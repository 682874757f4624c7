/*
 * errno.c: the task's errno slot (shield.md 4.11, R4).
 *
 * One slot per task (tasks are single-threaded), separate from the host C library's
 * thread-local errno, which shield never touches.
 */
#include <shield/errno.h>

#include "shield_priv.h"

SHIELD_NEEDS_ENTRY;

static int shield_errno_slot;

SHIELD_API int *__shield_errno_location(void)
{
	return &shield_errno_slot;
}

void shield__set_errno(int err)
{
	shield_errno_slot = err;
}

int shield__fail(int err)
{
	shield_errno_slot = err;
	return -1;
}

void shield__errno_reset(void)
{
	shield_errno_slot = 0;
}
