/*
 * server: answers requests {a, b} with a + b over IPC. Clients block in send_ipc until the
 * server's wait_for_event takes their request; the server then blocks in its reply until
 * the client takes it. After six requests it ends.
 */
#include "scenarios/common/task.h"

struct request {
	uint32_t a, b;
};

int main(void)
{
	say("server up, waiting for requests\n");
	for (int served = 0; served < 6;) {
		exchange_event_t ev;
		struct request rq;
		Status s =
		    wait_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER, &ev, (uint8_t *)&rq, sizeof(rq));
		if (s != STATUS_OK || ev.type != EVENT_TYPE_IPC || ev.length != sizeof(rq)) {
			say("unexpected wait result %d (type %u, length %u)\n", s, ev.type,
			    ev.length);
			continue;
		}
		uint32_t sum = rq.a + rq.b;
		copy_to_kernel((uint8_t *)&sum, sizeof(sum));
		s = __sys_send_ipc(ev.source, sizeof(sum));
		served++;
		say("request %d from 0x%08" PRIx32 ": %" PRIu32 " + %" PRIu32 " = %" PRIu32
		    " (reply status %d)\n",
		    served, ev.source, rq.a, rq.b, sum, s);
	}
	say("served six requests, exiting\n");
	return 0;
}
