/*
 * stm32_gpio.c: an STM32 GPIO port of the U5 and L4 families (RM0456, RM0351: same layout
 * and reset values), as a model (docs/periph.md).
 *
 * The pins are the kernel's: a pin some device of the board declares in its 'ios' has one
 * level for the GPIO system calls, the script's `gpio` stimuli and expectations, and this
 * port's registers. IDR reads the level the pin reads (driven from outside, or its output
 * latch); ODR reads the output latch; ODR, BSRR and BRR writes set the latch as gpio_set
 * and gpio_reset do. A pin no device declares is the port's own: its output latch is ODR, and
 * it reads its latch in output mode, its pull-up in input mode, else 0.
 */
#include "config.h"

#include <string.h>

#include "sim/periph/periph_models.h"

enum {
	GP_MODER = 0x00,
	GP_OTYPER = 0x04,
	GP_OSPEEDR = 0x08,
	GP_PUPDR = 0x0c,
	GP_IDR = 0x10,
	GP_ODR = 0x14,
	GP_BSRR = 0x18,
	GP_LCKR = 0x1c,
	GP_AFRL = 0x20,
	GP_AFRH = 0x24,
	GP_BRR = 0x28,
	GP_PINS = 16,
};

typedef struct {
	PeriphModel base;
	uint32_t moder, otyper, ospeedr, pupdr, odr, lckr, afrl, afrh;
	uint32_t plain[PERIPH_PLAIN_BYTES / 4];
} Gpio;

static Gpio *gpio(PeriphModel *m)
{
	return (Gpio *)m;
}

/* Reset values of RM0456/RM0351: ports A and B hold the debug pins (JTAG/SWD). */
static void gpio_reset(PeriphModel *m)
{
	Gpio *g = gpio(m);

	memset((char *)g + sizeof(PeriphModel), 0, sizeof(Gpio) - sizeof(PeriphModel));
	switch (m->info.port) {
	case 0:
		g->moder = 0xabffffffu;
		g->ospeedr = 0x0c000000u;
		g->pupdr = 0x64000000u;
		break;
	case 1:
		g->moder = 0xfffffebfu;
		g->ospeedr = 0x000000c0u;
		g->pupdr = 0x00000100u;
		break;
	default:
		g->moder = 0xffffffffu;
		break;
	}
}

static uint32_t two_bits(uint32_t reg, unsigned pin)
{
	return (reg >> (2 * pin)) & 3u;
}

static uint32_t read_pins(Gpio *g, bool latch)
{
	PeriphModel *m = &g->base;
	uint32_t v = 0;

	for (unsigned pin = 0; pin < GP_PINS; pin++) {
		bool input = false, output = false, level;
		if (m->host.pin_get(m->host.data, (uint8_t)pin, &input, &output))
			level = latch ? output : input;
		else if (latch || two_bits(g->moder, pin) == 1)
			level = (g->odr >> pin) & 1u;
		else
			level = two_bits(g->moder, pin) == 0 && two_bits(g->pupdr, pin) == 1;
		v |= (uint32_t)level << pin;
	}
	return v;
}

static uint32_t gpio_peek(PeriphModel *m, uint32_t off)
{
	Gpio *g = gpio(m);

	switch (off) {
	case GP_MODER:
		return g->moder;
	case GP_OTYPER:
		return g->otyper;
	case GP_OSPEEDR:
		return g->ospeedr;
	case GP_PUPDR:
		return g->pupdr;
	case GP_IDR:
		return read_pins(g, false);
	case GP_ODR:
		return read_pins(g, true);
	case GP_BSRR:
	case GP_BRR:
		return 0;
	case GP_LCKR:
		return g->lckr;
	case GP_AFRL:
		return g->afrl;
	case GP_AFRH:
		return g->afrh;
	default:
		return off < PERIPH_PLAIN_BYTES ? g->plain[off / 4] : 0;
	}
}

/* The output latches of the pins in |mask| become |bits|. */
static void set_latches(Gpio *g, uint32_t mask, uint32_t bits)
{
	PeriphModel *m = &g->base;

	for (unsigned pin = 0; pin < GP_PINS; pin++) {
		if (!((mask >> pin) & 1u))
			continue;
		bool level = (bits >> pin) & 1u;
		g->odr = (g->odr & ~(1u << pin)) | ((uint32_t)level << pin);
		m->host.pin_set(m->host.data, (uint8_t)pin, level);
	}
}

static void gpio_write(PeriphModel *m, uint32_t off, uint32_t v)
{
	Gpio *g = gpio(m);

	switch (off) {
	case GP_MODER:
		g->moder = v;
		break;
	case GP_OTYPER:
		g->otyper = v & 0xffffu;
		break;
	case GP_OSPEEDR:
		g->ospeedr = v;
		break;
	case GP_PUPDR:
		g->pupdr = v;
		break;
	case GP_IDR:
		break; /* read-only */
	case GP_ODR:
		set_latches(g, 0xffffu, v);
		break;
	case GP_BSRR: /* BSx wins over BRx */
		set_latches(g, (v >> 16) & ~v & 0xffffu, 0);
		set_latches(g, v & 0xffffu, 0xffffu);
		break;
	case GP_BRR:
		set_latches(g, v & 0xffffu, 0);
		break;
	case GP_LCKR:
		g->lckr = v & 0x1ffffu; /* stored: the lock sequence is not modelled */
		break;
	case GP_AFRL:
		g->afrl = v;
		break;
	case GP_AFRH:
		g->afrh = v;
		break;
	default:
		if (off < PERIPH_PLAIN_BYTES)
			g->plain[off / 4] = v;
		break;
	}
}

/* As the device would: IDR cannot be set (drive the pins instead: the script's `gpio`). */
static void gpio_poke(PeriphModel *m, uint32_t off, uint32_t v)
{
	gpio_write(m, off, v);
}

/* Zephyr's and Sentry's devicetrees: "st,stm32-gpio" (RM0456, RM0351). */
static const char *const gpio_compatible[] = {"st,stm32-gpio", NULL};

const PeriphClass periph_stm32_gpio = {
    .name = "stm32-gpio",
    .compatible = gpio_compatible,
    .summary = "STM32 GPIO port: MODER, IDR, ODR, BSRR on the kernel's pins",
    .instance_size = sizeof(Gpio),
    .reset = gpio_reset,
    .read = gpio_peek,
    .write = gpio_write,
    .peek = gpio_peek,
    .poke = gpio_poke,
};
