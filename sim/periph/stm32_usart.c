/*
 * stm32_usart.c: the STM32 USART of the U5 and L4 families (RM0456, RM0351: the layout with
 * ISR, ICR, RDR and TDR), as a model in virtual time (docs/periph.md).
 *
 * Transmission is immediate: a byte written to TDR while UE and TE are set leaves at once
 * (PeriphHost.tx), so TXE never falls and TC is set again by each write. Reception takes the
 * time of the line: bytes from outside (a script's `uart DEVICE "text"`) wait on the wire and
 * arrive one frame apart (start bit, data bits, stop bits, each BRR cycles of the kernel
 * clock divided by PRESC; half with OVER8), the first one frame after they were sent. A byte
 * that arrives while UE and RE are set lands in RDR and sets RXNE; while RXNE is still set it
 * is lost and ORE is set, as without the FIFO; while the receiver is off it is lost.
 * DMA: CR3.DMAR makes RXNE a receive request (a stream from the device reads RDR), CR3.DMAT
 * makes TXE a transmit request (a stream to the device writes TDR).
 */
#include "config.h"

#include <string.h>

#include "sim/periph/periph_models.h"

enum {
	US_CR1 = 0x00,
	US_CR2 = 0x04,
	US_CR3 = 0x08,
	US_BRR = 0x0c,
	US_GTPR = 0x10,
	US_RTOR = 0x14,
	US_RQR = 0x18,
	US_ISR = 0x1c,
	US_ICR = 0x20,
	US_RDR = 0x24,
	US_TDR = 0x28,
	US_PRESC = 0x2c,
};

enum {
	CR1_UE = 1u << 0,
	CR1_RE = 1u << 2,
	CR1_TE = 1u << 3,
	CR1_IDLEIE = 1u << 4,
	CR1_RXNEIE = 1u << 5,
	CR1_TCIE = 1u << 6,
	CR1_TXEIE = 1u << 7,
	CR1_M0 = 1u << 12,
	CR1_OVER8 = 1u << 15,
	CR1_M1 = 1u << 28,
	CR2_STOP = 3u << 12,
	CR3_EIE = 1u << 0,
	CR3_DMAR = 1u << 6,
	CR3_DMAT = 1u << 7,
	ISR_PE = 1u << 0,
	ISR_FE = 1u << 1,
	ISR_NE = 1u << 2,
	ISR_ORE = 1u << 3,
	ISR_IDLE = 1u << 4,
	ISR_RXNE = 1u << 5,
	ISR_TC = 1u << 6,
	ISR_TXE = 1u << 7,
	ISR_TEACK = 1u << 21,
	ISR_REACK = 1u << 22,
	ISR_STORED = ISR_PE | ISR_FE | ISR_NE | ISR_ORE | ISR_IDLE | ISR_RXNE | ISR_TC | ISR_TXE,
	ICR_CLEARS = ISR_PE | ISR_FE | ISR_NE | ISR_ORE | ISR_IDLE | ISR_TC, /* same bits */
	RQR_RXFRQ = 1u << 3,
	RQR_TXFRQ = 1u << 4,
	ISR_RESET = ISR_TC | ISR_TXE,
};

#define USART_WIRE 1024 /* bytes waiting on the receive line; more are dropped */

typedef struct {
	PeriphModel base;
	uint32_t cr1, cr2, cr3, brr, gtpr, rtor, presc;
	uint32_t isr; /* the stored flags (ISR_STORED); TEACK and REACK follow CR1 */
	uint32_t rdr, tdr;
	bool line;
	bool req[PERIPH_DMA_REQS]; /* the DMA request levels as last told to the host */
	uint8_t wire[USART_WIRE];  /* ring of bytes still to arrive */
	uint32_t wire_head, wire_len;
	uint64_t next_rx; /* cycle of the kernel clock at which wire[wire_head] arrives */
	uint64_t dropped; /* bytes the full wire did not take */
	uint32_t plain[PERIPH_PLAIN_BYTES / 4];
} Usart;

static Usart *usart(PeriphModel *m)
{
	return (Usart *)m;
}

static uint64_t now_cycles(Usart *u)
{
	PeriphModel *m = &u->base;
	return periph_cycles_at(m->host.now(m->host.data), m->info.clock_hz);
}

static bool on(const Usart *u, uint32_t bit)
{
	return (u->cr1 & CR1_UE) && (u->cr1 & bit);
}

/* Cycles of the kernel clock per frame: start bit, 7, 8 or 9 data bits (M1:M0, parity
 * included), 1 or 2 stop bits (0.5 and 1.5 rounded up), each bit USARTDIV / 16 or / 8
 * prescaled cycles. BRR below 16 is invalid (RM0456 "USART baud rate generation") and read as
 * 16. */
static uint64_t frame_cycles(const Usart *u)
{
	static const uint32_t presc_div[16] = {1,  2,  4,   6,   8,   10,  12,  16,
	                                       32, 64, 128, 256, 256, 256, 256, 256};
	uint32_t m = ((u->cr1 & CR1_M1) ? 2u : 0u) | ((u->cr1 & CR1_M0) ? 1u : 0u);
	uint32_t data = m == 1 ? 9 : m == 2 ? 7 : 8;
	uint32_t stop = ((u->cr2 & CR2_STOP) >> 12) >= 2 ? 2 : 1;
	uint64_t brr = u->brr & 0xffffu, bit;

	if (u->cr1 & CR1_OVER8) /* USARTDIV = BRR[15:4] << 4 | BRR[2:0] << 1; bit = USARTDIV / 2 */
		bit = (((brr & 0xfff0u) | ((brr & 7u) << 1)) + 1) / 2;
	else
		bit = brr;
	if (bit < 16)
		bit = 16;
	return (1 + data + stop) * bit * presc_div[u->presc & 0xfu];
}

static void update_irq(Usart *u)
{
	uint32_t f = u->isr;
	bool level =
	    ((f & ISR_RXNE) && (u->cr1 & CR1_RXNEIE)) || ((f & ISR_TC) && (u->cr1 & CR1_TCIE)) ||
	    ((f & ISR_TXE) && (u->cr1 & CR1_TXEIE)) || ((f & ISR_IDLE) && (u->cr1 & CR1_IDLEIE)) ||
	    ((f & ISR_ORE) && ((u->cr1 & CR1_RXNEIE) || (u->cr3 & CR3_EIE)));
	PeriphModel *m = &u->base;

	if (level != u->line) {
		u->line = level;
		m->host.irq(m->host.data, 0, level);
	}
}

/* One byte arrives from the line. */
static void arrive(Usart *u, uint8_t byte)
{
	if (!on(u, CR1_RE))
		return;
	if (u->isr & ISR_RXNE) {
		u->isr |= ISR_ORE;
		return;
	}
	u->rdr = byte;
	u->isr |= ISR_RXNE;
}

static bool rx_request(const Usart *u)
{
	return (u->isr & ISR_RXNE) && (u->cr3 & CR3_DMAR) && on(u, CR1_RE);
}

/* Every byte due by now arrives, one frame apart; but while the DMA is about to read RDR (a
 * started stream waits for the receive request), the next byte waits for it instead of
 * overrunning: the stream serves each byte before the next one lands. */
static void sync(Usart *u)
{
	uint64_t now = now_cycles(u);
	PeriphModel *m = &u->base;

	while (u->wire_len > 0 && u->next_rx <= now) {
		if (rx_request(u) && m->host.dma_waits(m->host.data, PERIPH_DMA_RX))
			break;
		arrive(u, u->wire[u->wire_head]);
		u->wire_head = (u->wire_head + 1) % USART_WIRE;
		u->wire_len--;
		u->next_rx += frame_cycles(u);
	}
}

static void rearm(Usart *u)
{
	PeriphModel *m = &u->base;

	if (u->wire_len > 0)
		m->host.arm(m->host.data, 0, periph_ns_of_cycles(u->next_rx, m->info.clock_hz),
		            true);
	else
		m->host.arm(m->host.data, 0, UINT64_MAX, false);
}

/* The DMA requests (RM0456 "Continuous communication using USART and DMA"): receive while
 * RXNE and DMAR (the beat reads RDR, which clears RXNE), transmit while TXE and DMAT (the beat
 * writes TDR; transmission being immediate, TXE stays set and the next beat follows), each
 * with the USART and its receiver or transmitter enabled. */
static void update_dma(Usart *u)
{
	PeriphModel *m = &u->base;
	bool level[PERIPH_DMA_REQS] = {[PERIPH_DMA_RX] = rx_request(u),
	                               [PERIPH_DMA_TX] = (u->isr & ISR_TXE) &&
	                                                 (u->cr3 & CR3_DMAT) && on(u, CR1_TE)};

	for (unsigned r = 0; r < PERIPH_DMA_REQS; r++)
		if (level[r] != u->req[r]) {
			u->req[r] = level[r];
			m->host.dma(m->host.data, r, level[r]);
		}
}

static void settle(Usart *u)
{
	update_irq(u);
	update_dma(u);
	rearm(u);
}

static void usart_reset(PeriphModel *m)
{
	Usart *u = usart(m);
	bool had_line = u->line, had_req[PERIPH_DMA_REQS];

	memcpy(had_req, u->req, sizeof(had_req));
	memset((char *)u + sizeof(PeriphModel), 0, sizeof(Usart) - sizeof(PeriphModel));
	u->isr = ISR_RESET;
	u->line = had_line;
	memcpy(u->req, had_req, sizeof(had_req));
	settle(u);
}

static uint32_t usart_peek(PeriphModel *m, uint32_t off)
{
	Usart *u = usart(m);

	sync(u);
	switch (off) {
	case US_CR1:
		return u->cr1;
	case US_CR2:
		return u->cr2;
	case US_CR3:
		return u->cr3;
	case US_BRR:
		return u->brr;
	case US_GTPR:
		return u->gtpr;
	case US_RTOR:
		return u->rtor;
	case US_RQR:
	case US_ICR:
		return 0;
	case US_ISR:
		return u->isr | (on(u, CR1_TE) ? ISR_TEACK : 0) | (on(u, CR1_RE) ? ISR_REACK : 0);
	case US_RDR:
		return u->rdr;
	case US_TDR:
		return u->tdr;
	case US_PRESC:
		return u->presc;
	default:
		return off < PERIPH_PLAIN_BYTES ? u->plain[off / 4] : 0;
	}
}

static uint32_t usart_read(PeriphModel *m, uint32_t off)
{
	Usart *u = usart(m);
	uint32_t v = usart_peek(m, off);

	if (off == US_RDR) {
		u->isr &= ~ISR_RXNE;
		sync(u); /* a byte held for the DMA lands now */
	}
	settle(u);
	return v;
}

static void transmit(Usart *u, uint32_t v)
{
	PeriphModel *m = &u->base;
	uint8_t byte = (uint8_t)v;

	u->tdr = v & 0x1ffu;
	if (!on(u, CR1_TE))
		return;
	if ((u->cr1 & (CR1_M1 | CR1_M0)) == CR1_M1) /* 7 data bits */
		byte &= 0x7f;
	m->host.tx(m->host.data, &byte, 1);
	u->isr |= ISR_TC | ISR_TXE;
}

static void usart_write(PeriphModel *m, uint32_t off, uint32_t v)
{
	Usart *u = usart(m);

	sync(u);
	switch (off) {
	case US_CR1:
		u->cr1 = v;
		break;
	case US_CR2:
		u->cr2 = v;
		break;
	case US_CR3:
		u->cr3 = v;
		break;
	case US_BRR:
		u->brr = v & 0xffffu;
		break;
	case US_GTPR:
		u->gtpr = v & 0xffffu;
		break;
	case US_RTOR:
		u->rtor = v;
		break;
	case US_RQR:
		if (v & RQR_RXFRQ)
			u->isr &= ~ISR_RXNE;
		if (v & RQR_TXFRQ)
			u->isr |= ISR_TXE;
		break;
	case US_ICR:
		u->isr &= ~(v & ICR_CLEARS);
		break;
	case US_TDR:
		transmit(u, v);
		break;
	case US_PRESC:
		u->presc = v & 0xfu;
		break;
	case US_ISR:
	case US_RDR:
		break; /* read-only */
	default:
		if (off < PERIPH_PLAIN_BYTES)
			u->plain[off / 4] = v;
		break;
	}
	settle(u);
}

/* As the device would: ISR takes the flags as given (TEACK and REACK still follow CR1), RDR
 * a received value without RXNE, TDR a value without sending it. */
static void usart_poke(PeriphModel *m, uint32_t off, uint32_t v)
{
	Usart *u = usart(m);

	sync(u);
	switch (off) {
	case US_ISR:
		u->isr = v & ISR_STORED;
		break;
	case US_RDR:
		u->rdr = v & 0x1ffu;
		break;
	case US_TDR:
		u->tdr = v & 0x1ffu;
		break;
	case US_RQR:
	case US_ICR:
		break;
	default:
		usart_write(m, off, v);
		return;
	}
	settle(u);
}

static void usart_fire(PeriphModel *m, unsigned timer)
{
	(void)timer;
	sync(usart(m));
	settle(usart(m));
}

static void usart_rx(PeriphModel *m, const uint8_t *bytes, size_t len)
{
	Usart *u = usart(m);

	sync(u);
	if (u->wire_len == 0)
		u->next_rx = now_cycles(u) + frame_cycles(u);
	for (size_t i = 0; i < len; i++) {
		if (u->wire_len == USART_WIRE) {
			u->dropped += len - i;
			break;
		}
		u->wire[(u->wire_head + u->wire_len) % USART_WIRE] = bytes[i];
		u->wire_len++;
	}
	settle(u);
}

/* Zephyr's and Sentry's devicetrees: "st,stm32-usart", "st,stm32-uart" (RM0456, RM0351). */
static const char *const usart_compatible[] = {"st,stm32-usart", "st,stm32-uart", NULL};

const PeriphClass periph_stm32_usart = {
    .name = "stm32-usart",
    .compatible = usart_compatible,
    .summary = "STM32 USART (U5/L4 layout): immediate TX, RX in line time, IRQs",
    .instance_size = sizeof(Usart),
    .reset = usart_reset,
    .read = usart_read,
    .write = usart_write,
    .peek = usart_peek,
    .poke = usart_poke,
    .fire = usart_fire,
    .rx = usart_rx,
    .dma = true,
    .dma_reg = {[PERIPH_DMA_RX] = US_RDR, [PERIPH_DMA_TX] = US_TDR},
};
