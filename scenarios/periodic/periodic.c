/*
 * periodic: work driven by a periodic alarm. An alarm neither wakes a sleeper nor may
 * expire while its task blocks in wait_for_event (the real kernel panics: uapi.md 4.16),
 * so the task sleeps in short shallow naps and collects SIGNAL_ALARM without blocking
 * (WFE_WAIT_NO). The period comes from the task name: fast (30 ms) or slow (100 ms).
 */
#include "scenarios/common/task.h"

int main(int argc, char **argv)
{
	uint32_t period = strcmp(argc > 0 ? argv[0] : "", "fast") == 0 ? 30 : 100;
	Status s = __sys_alarm(period, O_ALRM_START_PERIODIC);
	say("periodic alarm every %" PRIu32 " ms (status %d)\n", period, s);
	for (int n = 1; n <= 5;) {
		nap(10, SLEEP_MODE_SHALLOW);
		exchange_event_t ev;
		uint32_t sig = 0;
		if (wait_event(EVENT_TYPE_SIGNAL, WFE_WAIT_NO, &ev, (uint8_t *)&sig, sizeof(sig)) ==
		        STATUS_OK &&
		    sig == SIGNAL_ALARM)
			say("period %d at %" PRIu64 " ms\n", n++, now_ms());
	}
	s = __sys_alarm(period, O_ALRM_STOP);
	say("alarm stopped (status %d)\n", s);
	return 0;
}
