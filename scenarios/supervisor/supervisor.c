/*
 * supervisor: expects a heartbeat (SIGUSR1) from the worker at least every 50 ms. When
 * they stop it sends one SIGTERM; the worker then exits with 0 and, its exit mode being
 * RESTART, the kernel respawns it with a new handle (uapi.md 7.6). The supervisor notices
 * the new handle on the next heartbeat. After two restarts it is done.
 */
#include "scenarios/common/task.h"

#define WORKER_LABEL 0x20

int main(void)
{
	taskh_t worker = handle_of(WORKER_LABEL);
	say("watching worker 0x%08" PRIx32 "\n", worker);
	int restarts = 0;
	bool term_sent = false;
	while (restarts < 2) {
		exchange_event_t ev;
		uint32_t sig = 0;
		Status s = wait_event(EVENT_TYPE_SIGNAL, WFE_WAIT_UPTO(50), &ev, (uint8_t *)&sig,
		                      sizeof(sig));
		if (s == STATUS_OK && ev.source != worker) {
			restarts++;
			say("heartbeat from a new handle 0x%08" PRIx32 " at %" PRIu64
			    " ms: the worker was respawned (restart %d)\n",
			    ev.source, now_ms(), restarts);
			worker = ev.source;
			term_sent = false;
		} else if (s == STATUS_TIMEOUT && !term_sent) {
			Status t = __sys_send_signal(worker, SIGNAL_TERM);
			say("no heartbeat for 50 ms at %" PRIu64 " ms: SIGTERM sent (status %d)\n",
			    now_ms(), t);
			term_sent = true;
		}
	}
	Status t = __sys_send_signal(worker - 1, SIGNAL_USR2);
	say("a forged handle is refused (status %d); supervisor done\n", t);
	return 0;
}
