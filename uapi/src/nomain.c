/*
 * nomain.c: the main() of a task that has none.
 *
 * A task that starts in a configured entry function (`entry =` in its [task] group, as the
 * kernel autotest does) need not define main, but the C runtime's start file still refers
 * to it. In the static library this object is pulled in only when nothing else defines
 * main, so the link succeeds; the runtime then calls the entry and never returns here. If
 * the task has no entry configured either, it reaches this main, which says so and fails.
 * In the shared library the symbol is hidden (not exported), so it never stands in.
 */
#include "config.h"

#include <uapi/uapi.h>

int main(void);

int main(void)
{
	static const char text[] = "this task defines no main() and its [task] group sets no "
	                           "entry = (docs/system-description.md)\n";
	if (copy_to_kernel((const uint8_t *)text, sizeof(text) - 1) == STATUS_OK)
		(void)__sys_log(sizeof(text) - 1);
	return 127;
}
