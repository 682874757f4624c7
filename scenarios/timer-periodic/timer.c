/*
 * timer: a clean-room driver of the STM32 basic timer TIM6 (RM0456 "Basic timers"). It maps
 * the timer's registers, divides the 160 MHz core clock to 1 MHz (PSC = 159), counts 5000
 * ticks (ARR = 4999), enables the update interrupt and the counter, and waits for five
 * update IRQs with the UAPI's interrupt wait. Nothing in the scenario raises the IRQ: the
 * timer model does, at the virtual times the registers imply (every 5 ms). Each IRQ is logged
 * with its virtual time, measured with the cycle counter.
 */
#include "scenarios/common/task.h"

#define TIM6_LABEL 0x60
#define TIM6_IRQ   49
#define TIM6_BASE  0x40001000u
#define CORE_HZ    160000000u
#define UPDATES    5

/* The registers of a basic timer (RM0456, RM0351). */
typedef struct {
	uint32_t cr1;  /* 0x00 */
	uint32_t cr2;  /* 0x04 */
	uint32_t res0; /* 0x08 */
	uint32_t dier; /* 0x0c */
	uint32_t sr;   /* 0x10 */
	uint32_t egr;  /* 0x14 */
	uint32_t res1[3];
	uint32_t cnt; /* 0x24 */
	uint32_t psc; /* 0x28 */
	uint32_t arr; /* 0x2c */
} BasicTimer;

#define CR1_CEN  (1u << 0)
#define CR1_URS  (1u << 2)
#define DIER_UIE (1u << 0)
#define SR_UIF   (1u << 0)
#define EGR_UG   (1u << 0)

static uint64_t cycles(void)
{
	uint64_t v = 0;
	if (__sys_get_cycle(PRECISION_CYCLE) == STATUS_OK)
		copy_from_kernel((uint8_t *)&v, sizeof(v));
	return v;
}

static uint64_t us_of(uint64_t c)
{
	return c / (CORE_HZ / 1000000u);
}

int main(void)
{
	devh_t dev = 0;
	if (__sys_get_device_handle(TIM6_LABEL) == STATUS_OK)
		copy_from_kernel((uint8_t *)&dev, sizeof(dev));
	Status st = __sys_map_dev(dev);
	if (st != STATUS_OK) {
		say("map_dev failed: %d\n", st);
		return 1;
	}
	volatile BasicTimer *tim = (volatile BasicTimer *)(uintptr_t)TIM6_BASE;
	say("tim6: arr %" PRIu32 " at reset\n", tim->arr);
	tim->cr1 = CR1_URS; /* UG reloads PSC without setting UIF */
	tim->psc = 159;     /* 160 MHz / 160 = 1 MHz */
	tim->arr = 4999;    /* 5000 ticks: 5 ms */
	tim->egr = EGR_UG;  /* load the prescaler now */
	tim->sr = 0;
	tim->dier = DIER_UIE;
	__sys_irq_enable(TIM6_IRQ);
	uint64_t start = cycles();
	say("timer started at %" PRIu64 " us\n", us_of(start));
	tim->cr1 |= CR1_CEN;
	uint64_t prev = start;
	for (int n = 1; n <= UPDATES;) {
		exchange_event_t ev;
		uint32_t irq = 0;
		if (wait_event(EVENT_TYPE_IRQ, WFE_WAIT_FOREVER, &ev, (uint8_t *)&irq,
		               sizeof(irq)) != STATUS_OK)
			continue;
		uint64_t now = cycles();
		uint32_t sr = tim->sr;
		tim->sr = ~SR_UIF; /* rc_w0: clear UIF only */
		say("update %d at %" PRIu64 " us (+%" PRIu64 " us): irq %" PRIu32 ", sr 0x%" PRIx32
		    ", cnt %" PRIu32 "\n",
		    n, us_of(now), us_of(now - prev), irq, sr, tim->cnt & 0xffffu);
		prev = now;
		n++;
		__sys_irq_acknowledge(TIM6_IRQ);
		__sys_irq_enable(TIM6_IRQ);
	}
	tim->cr1 = 0;
	tim->dier = 0;
	say("stopped after %d updates\n", UPDATES);
	return 0;
}
