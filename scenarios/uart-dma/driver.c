/*
 * driver: owns the UART, its receive DMA stream and the receive buffer (an SHM). When the
 * UART's "line received" interrupt (IRQ 37) comes, it starts the DMA stream, which moves the
 * line from the UART into the buffer; on the DMA event it tells the application over IPC,
 * and enables the interrupt again (delivery masks the line, uapi.md 4.20).
 */
#include "scenarios/common/task.h"

#define UART      0x10
#define RXBUF     0x100
#define RX_STREAM 0x200
#define APP       0x21
#define UART_IRQ  37

static uint32_t handle(Status s)
{
	uint32_t h = 0;
	if (s == STATUS_OK)
		copy_from_kernel((uint8_t *)&h, sizeof(h));
	return h;
}

int main(void)
{
	devh_t uart = handle(__sys_get_device_handle(UART));
	shmh_t rxbuf = handle(__sys_get_shm_handle(RXBUF));
	dmah_t rx = handle(__sys_get_dma_stream_handle(RX_STREAM));
	taskh_t app = handle_of(APP);
	/* the application may map the buffer, read-only */
	Status cred =
	    __sys_shm_set_credential(rxbuf, app, SHM_PERMISSION_MAP | SHM_PERMISSION_READ);
	Status en = __sys_irq_enable(UART_IRQ);
	Status as = __sys_dma_assign_stream(rx);
	say("ready: uart 0x%08" PRIx32 ", credential %d, irq %d, dma assign %d\n", uart, cred, en,
	    as);
	for (int frames = 0; frames < 3;) {
		exchange_event_t ev;
		uint32_t what = 0;
		if (wait_event(EVENT_TYPE_IRQ | EVENT_TYPE_DMA, WFE_WAIT_FOREVER, &ev,
		               (uint8_t *)&what, sizeof(what)) != STATUS_OK)
			continue;
		if (ev.type == EVENT_TYPE_IRQ) {
			Status st = __sys_dma_start_stream(rx);
			say("irq %" PRIu32 " at %" PRIu64 " ms: dma start %d\n", what, now_ms(),
			    st);
		} else if (ev.type == EVENT_TYPE_DMA) {
			/* the reference driver never sees the completion: the stream stays
			 * STARTED (uapi.md 4.23), so suspend it to start it again next time */
			__sys_dma_suspend_stream(rx);
			frames++;
			copy_to_kernel((const uint8_t *)"frame", 5);
			Status s = __sys_send_ipc(app, 5);
			say("dma done (state %u): frame %d announced (%d)\n",
			    (unsigned)(what & 0xff), frames, s);
			__sys_irq_enable(UART_IRQ);
		}
	}
	return 0;
}
