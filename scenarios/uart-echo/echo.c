/*
 * echo: a clean-room, interrupt-driven driver of the STM32 USART (RM0456 "USART", the U5/L4
 * register layout). It maps USART1, sets 115200 baud from the 160 MHz kernel clock, enables
 * the transmitter, the receiver and the receive interrupt, waits for both to acknowledge
 * (TEACK, REACK), and prints a banner by polling TXE and writing TDR. Then each RXNE interrupt
 * drains RDR and sends every byte back; each complete line is also logged. It ends after two
 * lines.
 */
#include "scenarios/common/task.h"

#define USART1_LABEL    0x70
#define USART1_IRQ      61
#define USART1_BASE     0x40013800u
#define KERNEL_CLOCK_HZ 160000000u
#define BAUD            115200u
#define LINES           2

typedef struct {
	uint32_t cr1;   /* 0x00 */
	uint32_t cr2;   /* 0x04 */
	uint32_t cr3;   /* 0x08 */
	uint32_t brr;   /* 0x0c */
	uint32_t gtpr;  /* 0x10 */
	uint32_t rtor;  /* 0x14 */
	uint32_t rqr;   /* 0x18 */
	uint32_t isr;   /* 0x1c */
	uint32_t icr;   /* 0x20 */
	uint32_t rdr;   /* 0x24 */
	uint32_t tdr;   /* 0x28 */
	uint32_t presc; /* 0x2c */
} Usart;

#define CR1_UE     (1u << 0)
#define CR1_RE     (1u << 2)
#define CR1_TE     (1u << 3)
#define CR1_RXNEIE (1u << 5)
#define ISR_ORE    (1u << 3)
#define ISR_RXNE   (1u << 5)
#define ISR_TC     (1u << 6)
#define ISR_TXE    (1u << 7)
#define ISR_TEACK  (1u << 21)
#define ISR_REACK  (1u << 22)
#define ICR_ORECF  (1u << 3)

static volatile Usart *const usart = (volatile Usart *)(uintptr_t)USART1_BASE;

static void put(char c)
{
	while (!(usart->isr & ISR_TXE))
		;
	usart->tdr = (uint8_t)c;
}

static void puts_uart(const char *s)
{
	while (*s)
		put(*s++);
	while (!(usart->isr & ISR_TC))
		;
}

int main(void)
{
	devh_t dev = 0;
	if (__sys_get_device_handle(USART1_LABEL) == STATUS_OK)
		copy_from_kernel((uint8_t *)&dev, sizeof(dev));
	Status st = __sys_map_dev(dev);
	if (st != STATUS_OK) {
		say("map_dev failed: %d\n", st);
		return 1;
	}
	usart->cr1 = 0;
	usart->brr = KERNEL_CLOCK_HZ / BAUD; /* oversampling by 16 */
	usart->cr1 = CR1_TE | CR1_RE | CR1_RXNEIE;
	usart->cr1 |= CR1_UE;
	while ((usart->isr & (ISR_TEACK | ISR_REACK)) != (ISR_TEACK | ISR_REACK))
		;
	__sys_irq_enable(USART1_IRQ);
	puts_uart("echo ready\r\n");
	say("ready: brr %" PRIu32 "\n", usart->brr);

	char line[64];
	size_t len = 0;
	for (int lines = 0; lines < LINES;) {
		exchange_event_t ev;
		uint32_t irq = 0;
		if (wait_event(EVENT_TYPE_IRQ, WFE_WAIT_FOREVER, &ev, (uint8_t *)&irq,
		               sizeof(irq)) != STATUS_OK)
			continue;
		uint32_t isr;
		while ((isr = usart->isr) & ISR_RXNE) {
			char c = (char)(usart->rdr & 0xff);
			put(c);
			if (c == '\n') {
				line[len] = '\0';
				say("line %d: '%s'\n", ++lines, line);
				len = 0;
			} else if (len + 1 < sizeof(line) && c != '\r') {
				line[len++] = c;
			}
		}
		if (isr & ISR_ORE) {
			usart->icr = ICR_ORECF;
			say("overrun\n");
		}
		__sys_irq_acknowledge(USART1_IRQ);
		__sys_irq_enable(USART1_IRQ);
	}
	while (!(usart->isr & ISR_TC))
		;
	usart->cr1 = 0;
	return 0;
}
