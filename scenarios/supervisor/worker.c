/*
 * worker: sends a heartbeat (SIGUSR1) to the supervisor every 20 ms. In each life, after
 * three beats it gets stuck (a deep sleep nothing interrupts). When it wakes up and finds a
 * SIGTERM it ends with exit(0), and the kernel respawns it (exit mode RESTART).
 */
#include "scenarios/common/task.h"

#define SUPERVISOR_LABEL 0x10

int main(void)
{
	bool again = __sys_has_respawned() == STATUS_OK; /* sticky once respawned */
	taskh_t sup = handle_of(SUPERVISOR_LABEL);
	say("%s at %" PRIu64 " ms\n", again ? "respawned job starts" : "first job starts",
	    now_ms());
	for (int beat = 1;; beat++) {
		nap(20, SLEEP_MODE_SHALLOW);
		exchange_event_t ev;
		uint32_t sig = 0;
		while (wait_event(EVENT_TYPE_SIGNAL, WFE_WAIT_NO, &ev, (uint8_t *)&sig,
		                  sizeof(sig)) == STATUS_OK) {
			if (sig == SIGNAL_TERM) {
				say("SIGTERM at %" PRIu64 " ms: exit(0), the kernel respawns me\n",
				    now_ms());
				return 0;
			}
		}
		__sys_send_signal(sup, SIGNAL_USR1);
		if (beat == 3) {
			say("stuck in a long deep sleep\n");
			nap(200, SLEEP_MODE_DEEP);
		}
	}
}
