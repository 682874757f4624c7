/*
 * dmadrv: a clean-room STM32 USART driver that moves its bytes by DMA (RM0456 "USART
 * continuous communication using DMA"). It maps USART1 and both buffers (SHMs it owns), sets
 * 115200 baud from the 160 MHz kernel clock, and enables the transmitter and the receiver with
 * DMAT and DMAR (CR3) and no interrupt. It starts the receive stream (USART1 to rxbuf, 16
 * bytes), then sends a banner by starting the transmit stream (txbuf to USART1, 11 bytes),
 * and waits for the DMA events: the transmit stream's completion, then the receive stream's,
 * after the 16th byte came in on the line. It logs the received bytes, read in place in
 * rxbuf, and answers with a second transmission of the same stream.
 */
#include "scenarios/common/task.h"

#define SELF       0x80
#define USART1     0x70
#define RXBUF      0x100
#define TXBUF      0x101
#define RX_STREAM  0x200
#define TX_STREAM  0x201
#define USART_BASE 0x40013800u
#define RXBUF_BASE 0x2000a000u
#define TXBUF_BASE 0x2000a100u
#define RX_LEN     16
#define TX_LEN     11

typedef struct {
	uint32_t cr1, cr2, cr3, brr, gtpr, rtor, rqr, isr, icr, rdr, tdr, presc;
} Usart;

#define CR1_UE    (1u << 0)
#define CR1_RE    (1u << 2)
#define CR1_TE    (1u << 3)
#define CR3_DMAR  (1u << 6)
#define CR3_DMAT  (1u << 7)
#define ISR_ORE   (1u << 3)
#define ISR_TEACK (1u << 21)
#define ISR_REACK (1u << 22)

static volatile Usart *const usart = (volatile Usart *)(uintptr_t)USART_BASE;

/* Map an SHM this task owns, readable and writable. */
static Status map_own(uint32_t label)
{
	shmh_t shm = handle_from(__sys_get_shm_handle(label));
	Status s = __sys_shm_set_credential(
	    shm, handle_of(SELF), SHM_PERMISSION_MAP | SHM_PERMISSION_READ | SHM_PERMISSION_WRITE);
	return s != STATUS_OK ? s : __sys_map_shm(shm);
}

/* The next DMA event: the stream that completed. */
static dmah_t dma_done(void)
{
	exchange_event_t ev;
	uint8_t state = 0;
	while (wait_event(EVENT_TYPE_DMA, WFE_WAIT_FOREVER, &ev, &state, 1) != STATUS_OK)
		;
	return ev.source;
}

/* Send |text| (TX_LEN bytes) through the transmit stream and wait for its completion. */
static void send(dmah_t tx, const char *text)
{
	memcpy((void *)(uintptr_t)TXBUF_BASE, text, TX_LEN);
	Status st = __sys_dma_start_stream(tx);
	dmah_t done = dma_done();
	/* the reference driver never sees a completion (uapi.md 4.23): the stream stays
	 * STARTED, and is suspended to be started again */
	__sys_dma_suspend_stream(tx);
	say("tx start %d, done %s at %" PRIu64 " us\n", st, done == tx ? "tx" : "?",
	    clock_now(PRECISION_MICROSECONDS));
}

int main(void)
{
	devh_t dev = handle_from(__sys_get_device_handle(USART1));
	dmah_t rx = handle_from(__sys_get_dma_stream_handle(RX_STREAM));
	dmah_t tx = handle_from(__sys_get_dma_stream_handle(TX_STREAM));
	Status m = __sys_map_dev(dev), mr = map_own(RXBUF), mt = map_own(TXBUF);
	Status ar = __sys_dma_assign_stream(rx), at = __sys_dma_assign_stream(tx);
	if (m != STATUS_OK || mr != STATUS_OK || mt != STATUS_OK || ar != STATUS_OK ||
	    at != STATUS_OK) {
		say("setup failed: map %d %d %d, assign %d %d\n", m, mr, mt, ar, at);
		return 1;
	}
	usart->cr1 = 0;
	usart->brr = 160000000u / 115200u;
	usart->cr3 = CR3_DMAR | CR3_DMAT;
	usart->cr1 = CR1_UE | CR1_RE | CR1_TE;
	while ((usart->isr & (ISR_TEACK | ISR_REACK)) != (ISR_TEACK | ISR_REACK))
		;
	say("rx start %d at %" PRIu64 " us\n", __sys_dma_start_stream(rx),
	    clock_now(PRECISION_MICROSECONDS));
	send(tx, "dma ready\r\n");

	char line[RX_LEN + 1] = {0};
	dmah_t done = dma_done();
	memcpy(line, (const void *)(uintptr_t)RXBUF_BASE, RX_LEN);
	say("rx done %s at %" PRIu64 " us: '%s'%s\n", done == rx ? "rx" : "?",
	    clock_now(PRECISION_MICROSECONDS), line, (usart->isr & ISR_ORE) ? " (overrun)" : "");
	send(tx, "got 16 B!\r\n");
	usart->cr1 = 0;
	return 0;
}
