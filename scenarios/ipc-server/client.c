/*
 * client: sends three requests to the server and checks each answer. Two tasks run this
 * binary (clientA, clientB); the task name (argv[0]) picks the operands.
 */
#include "scenarios/common/task.h"

#define SERVER_LABEL 0x100

int main(int argc, char **argv)
{
	const char *me = argc > 0 ? argv[0] : "client";
	uint32_t base = strcmp(me, "clientA") == 0 ? 10 : 1000;
	taskh_t server = handle_of(SERVER_LABEL);
	for (uint32_t i = 1; i <= 3; i++) {
		uint32_t rq[2] = {base, i};
		copy_to_kernel((uint8_t *)rq, sizeof(rq));
		Status s = __sys_send_ipc(server, sizeof(rq));
		exchange_event_t ev;
		uint32_t sum = 0;
		Status w = wait_event(EVENT_TYPE_IPC, WFE_WAIT_UPTO(100), &ev, (uint8_t *)&sum,
		                      sizeof(sum));
		say("%s: %" PRIu32 " + %" PRIu32 " = %" PRIu32 " (send %d, wait %d)%s\n", me, base,
		    i, sum, s, w, sum == base + i ? "" : " WRONG");
	}
	return 0;
}
