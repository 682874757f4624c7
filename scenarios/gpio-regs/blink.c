/*
 * blink: a driver that drives its GPIO port through the registers (RM0456 "GPIO"), not the
 * GPIO system calls: it makes PC7 an output and blinks it three times with BSRR, 10 ms on and
 * 10 ms off, reads the button on PC13 through IDR, and checks that the registers and the
 * system calls see the same pins (gpio_get after a BSRR write, ODR after a gpio_set).
 */
#include "scenarios/common/task.h"

#define GPIOC_LABEL 0x42
#define GPIOC_BASE  0x42020800u
#define IO_LED      0 /* PC7, first of the device's ios */
#define LED_PIN     7
#define BUTTON_PIN  13

typedef struct {
	uint32_t moder, otyper, ospeedr, pupdr, idr, odr, bsrr, lckr, afrl, afrh, brr;
} Gpio;

static unsigned gpio_get(devh_t dev, uint8_t io)
{
	if (__sys_gpio_get(dev, io) != STATUS_OK)
		return 2;
	return _s_svcexchange.type; /* gpio_get writes one byte at exch[0] */
}

int main(void)
{
	devh_t dev = 0;
	if (__sys_get_device_handle(GPIOC_LABEL) == STATUS_OK)
		copy_from_kernel((uint8_t *)&dev, sizeof(dev));
	Status st = __sys_map_dev(dev);
	if (st != STATUS_OK) {
		say("map_dev failed: %d\n", st);
		return 1;
	}
	volatile Gpio *g = (volatile Gpio *)(uintptr_t)GPIOC_BASE;
	say("moder 0x%08" PRIx32 " at reset\n", g->moder);
	g->moder = (g->moder & ~(3u << (2 * LED_PIN))) | (1u << (2 * LED_PIN)); /* output */
	g->moder &= ~(3u << (2 * BUTTON_PIN));                                  /* input */
	for (int i = 1; i <= 3; i++) {
		g->bsrr = 1u << LED_PIN;
		say("led on %d: odr %" PRIu32 ", gpio_get %u\n", i, (g->odr >> LED_PIN) & 1u,
		    gpio_get(dev, IO_LED));
		nap(10, SLEEP_MODE_SHALLOW);
		g->bsrr = 1u << (LED_PIN + 16);
		say("led off %d: odr %" PRIu32 "\n", i, (g->odr >> LED_PIN) & 1u);
		nap(10, SLEEP_MODE_SHALLOW);
	}
	say("button %" PRIu32 "\n", (g->idr >> BUTTON_PIN) & 1u);
	__sys_gpio_set(dev, IO_LED, 1);
	say("odr after gpio_set: %" PRIu32 "\n", (g->odr >> LED_PIN) & 1u);
	return 0;
}
