/*
 * app: maps the driver's receive buffer (read-only) and prints each frame the driver
 * announces.
 */
#include "scenarios/common/task.h"

#define RXBUF      0x100
#define RXBUF_BASE 0x2000a000

int main(void)
{
	shmh_t rxbuf = 0;
	if (__sys_get_shm_handle(RXBUF) == STATUS_OK)
		copy_from_kernel((uint8_t *)&rxbuf, sizeof(rxbuf));
	for (int n = 1; n <= 3; n++) {
		if (__sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER) != STATUS_OK)
			continue;
		if (n == 1)
			say("map rxbuf: %d\n", __sys_map_shm(rxbuf));
		char frame[17] = {0};
		memcpy(frame, (const void *)RXBUF_BASE, 16);
		say("frame %d: '%s'\n", n, frame);
	}
	return 0;
}
