/*
 * blocking: the pitfall periodic.c avoids. It waits for its alarm in wait_for_event with a
 * timeout; the alarm makes it READY without a result and the real kernel panics when it
 * resumes it (uapi.md 4.16). sentry-sim stops the run with a diagnosed kernel panic.
 */
#include "scenarios/common/task.h"

int main(void)
{
	__sys_alarm(20, O_ALRM_START);
	say("waiting for the alarm in wait_for_event (this panics the kernel)\n");
	Status s = __sys_wait_for_event(EVENT_TYPE_SIGNAL, WFE_WAIT_UPTO(100));
	say("never printed: %d\n", s);
	return 0;
}
