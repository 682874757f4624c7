/*
 * summer: the C side of scenarios/rust-ipc. Answers each IPC message with its checksum
 * (a 32-bit Fletcher sum of the bytes, as a little-endian word) until the sender says
 * "bye" (a message of length 0 is not possible: the sender stops after a last message
 * "bye"), then ends. Logs what it received so the script checks both sides.
 */
#include "scenarios/common/task.h"

/* Fletcher-32 over bytes (two 16-bit sums modulo 65535). */
static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t a = 0, b = 0;
	for (size_t i = 0; i < n; i++) {
		a = (a + p[i]) % 65535;
		b = (b + a) % 65535;
	}
	return b << 16 | a;
}

int main(void)
{
	say("summer up\n");
	for (int n = 1;; n++) {
		exchange_event_t ev;
		uint8_t msg[128];
		Status s = wait_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER, &ev, msg, sizeof(msg));
		if (s != STATUS_OK || ev.type != EVENT_TYPE_IPC) {
			say("unexpected wait result %d\n", s);
			return 1;
		}
		if (ev.length == 3 && memcmp(msg, "bye", 3) == 0) {
			say("bye after %d messages\n", n - 1);
			return 0;
		}
		uint32_t sum = checksum(msg, ev.length);
		uint8_t reply[4] = {sum & 0xff, sum >> 8 & 0xff, sum >> 16 & 0xff, sum >> 24};
		copy_to_kernel(reply, sizeof(reply));
		s = __sys_send_ipc(ev.source, sizeof(reply));
		say("message %d: %u bytes, first %02x, checksum %08" PRIx32 " (reply %d)\n", n,
		    ev.length, msg[0], sum, s);
	}
}
