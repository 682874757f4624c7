/*
 * check_periph.c: the peripheral models (sim/periph/): the registry, each model against the
 * reference manuals' register maps and behaviours through a recording fake host (virtual time
 * set by the test), the description loader's model selection, and the periph observer with
 * the kernel model (timer IRQs delivered at the virtual times the registers imply, the script's
 * register words and UART words through the models).
 */
#include <check.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uapi/types.h>

#include "sim/kernel/kernel.h"
#include "sim/periph/observe.h"
#include "sim/periph/periph.h"
#include "sim/periph/periph_models.h"
#include "sim/scenario/ini.h"
#include "sim/scenario/script.h"
#include "sim/scenario/sysdesc.h"
#include "tests/unit/check_tap.h"

/* ---- a fake host ------------------------------------------------------------------------ */

typedef struct {
	uint64_t now;
	GString *events; /* "irq0+@T;" "irq0-@T;" */
	uint64_t due;    /* timer 0; UINT64_MAX: disarmed */
	bool wakes;
	GString *tx;
	uint32_t declared; /* pins the "board" declares */
	uint32_t input, output;
} Fake;

static Fake fake;

static uint64_t f_now(void *data)
{
	return fake.now;
}

static void f_irq(void *data, unsigned line, bool level)
{
	g_string_append_printf(fake.events, "irq%u%c@%llu;", line, level ? '+' : '-',
	                       (unsigned long long)fake.now);
}

static void f_arm(void *data, unsigned timer, uint64_t at, bool wakes)
{
	ck_assert_uint_eq(timer, 0);
	fake.due = at;
	fake.wakes = wakes;
}

static void f_tx(void *data, const uint8_t *bytes, size_t len)
{
	g_string_append_len(fake.tx, (const char *)bytes, (gssize)len);
}

static bool f_pin_get(void *data, uint8_t pin, bool *input, bool *output)
{
	if (!((fake.declared >> pin) & 1u))
		return false;
	*input = (fake.input >> pin) & 1u;
	*output = (fake.output >> pin) & 1u;
	return true;
}

static void f_pin_set(void *data, uint8_t pin, bool level)
{
	if (!((fake.declared >> pin) & 1u))
		return;
	fake.output = (fake.output & ~(1u << pin)) | ((uint32_t)level << pin);
	fake.input = fake.output; /* undriven: a pin reads its latch */
}

static void f_dma(void *data, unsigned req, bool level)
{
	g_string_append_printf(fake.events, "dma%u%c@%llu;", req, level ? '+' : '-',
	                       (unsigned long long)fake.now);
}

static PeriphModel *fake_model(const PeriphClass *cls, uint64_t clock_hz, uint8_t port)
{
	memset(&fake, 0, sizeof(fake));
	fake.events = g_string_new(NULL);
	fake.tx = g_string_new(NULL);
	fake.due = UINT64_MAX;
	PeriphHost host = {.now = f_now,
	                   .irq = f_irq,
	                   .arm = f_arm,
	                   .tx = f_tx,
	                   .pin_get = f_pin_get,
	                   .pin_set = f_pin_set,
	                   .dma = f_dma};
	PeriphInfo info = {.name = "dev", .size = 0x400, .clock_hz = clock_hz, .port = port};
	PeriphModel *m = periph_model_new(cls, &host, &info);
	ck_assert_ptr_nonnull(m);
	return m;
}

static void fake_done(PeriphModel *m)
{
	periph_model_free(m);
	g_string_free(fake.events, TRUE);
	g_string_free(fake.tx, TRUE);
}

/* Let virtual time reach |ns|, firing the armed timer when it is due, as the observer does. */
static void advance(PeriphModel *m, uint64_t ns)
{
	while (fake.due <= ns) {
		fake.now = fake.due;
		fake.due = UINT64_MAX;
		periph_model_fire(m, 0);
	}
	fake.now = ns;
}

static uint32_t rd(PeriphModel *m, uint32_t off)
{
	return (uint32_t)periph_read(m, off, 4);
}

static void wr(PeriphModel *m, uint32_t off, uint32_t v)
{
	periph_write(m, off, 4, v);
}

/* ---- the registry ----------------------------------------------------------------------- */

START_TEST(test_registry)
{
	const char *const tim[] = {"st,stm32-timers", NULL};
	const char *const usart[] = {"st,stm32-usart", "st,stm32-uart", NULL};
	const char *const f4[] = {"st,stm32f4-usart", "st,stm32-usart", NULL};
	const char *const gpio[] = {"vendor,thing", "st,stm32-gpio", NULL};
	const char *const none[] = {"simsoc,usart", NULL};

	ck_assert_ptr_eq(periph_class_by_compatible(tim), &periph_stm32_tim_basic);
	ck_assert_ptr_eq(periph_class_by_compatible(usart), &periph_stm32_usart);
	ck_assert_ptr_null(periph_class_by_compatible(f4));
	ck_assert_ptr_eq(periph_class_by_compatible(gpio), &periph_stm32_gpio);
	ck_assert_ptr_null(periph_class_by_compatible(none));
	ck_assert_ptr_null(periph_class_by_compatible(NULL));
	ck_assert_ptr_eq(periph_class_by_name("stm32-tim-basic"), &periph_stm32_tim_basic);
	ck_assert_ptr_eq(periph_class_by_name("stm32-usart"), &periph_stm32_usart);
	ck_assert_ptr_eq(periph_class_by_name("stm32-gpio"), &periph_stm32_gpio);
	ck_assert_ptr_null(periph_class_by_name("memory"));
	ck_assert(periph_model_name_known("memory"));
	ck_assert(periph_model_name_known("none"));
	ck_assert(periph_model_name_known("stm32-gpio"));
	ck_assert(!periph_model_name_known("stm32-uart"));
	ck_assert_str_eq(periph_model_names(),
	                 "stm32-tim-basic, stm32-usart, stm32-gpio, memory, none");
}
END_TEST

/* ---- the basic timer -------------------------------------------------------------------- */

enum {
	CR1 = 0x00,
	CR2 = 0x04,
	DIER = 0x0c,
	SR = 0x10,
	EGR = 0x14,
	CNT = 0x24,
	PSC = 0x28,
	ARR = 0x2c
};

START_TEST(test_tim_reset)
{
	PeriphModel *m = fake_model(&periph_stm32_tim_basic, 64000000u, 0);
	ck_assert_uint_eq(rd(m, CR1), 0);
	ck_assert_uint_eq(rd(m, CR2), 0);
	ck_assert_uint_eq(rd(m, DIER), 0);
	ck_assert_uint_eq(rd(m, SR), 0);
	ck_assert_uint_eq(rd(m, CNT), 0);
	ck_assert_uint_eq(rd(m, PSC), 0);
	ck_assert_uint_eq(rd(m, ARR), 0xffff);
	ck_assert_uint_eq(fake.due, UINT64_MAX);
	ck_assert_str_eq(fake.events->str, "");
	/* only the modelled bits are kept */
	wr(m, CR1, 0xffffffff);
	ck_assert_uint_eq(rd(m, CR1), 0x88f);
	wr(m, CR1, 0);
	wr(m, CR2, 0xffffffff);
	ck_assert_uint_eq(rd(m, CR2), 0x70);
	wr(m, DIER, 0xffffffff);
	ck_assert_uint_eq(rd(m, DIER), 0x101);
	wr(m, PSC, 0x12345);
	ck_assert_uint_eq(rd(m, PSC), 0x2345);
	fake_done(m);
}
END_TEST

/* 64 MHz, PSC 63, ARR 999: one update per millisecond from the enable, UIF and the IRQ with
 * it, CNT counting microseconds. */
START_TEST(test_tim_periodic)
{
	PeriphModel *m = fake_model(&periph_stm32_tim_basic, 64000000u, 0);
	fake.now = 1000;
	wr(m, PSC, 63);
	wr(m, ARR, 999);
	wr(m, EGR, 1); /* loads PSC; sets UIF (URS = 0) */
	ck_assert_uint_eq(rd(m, SR), 1);
	wr(m, SR, 0);
	wr(m, DIER, 1);
	ck_assert_str_eq(fake.events->str, "");
	fake.now = 5000;
	wr(m, CR1, 1);
	ck_assert_uint_eq(fake.due, 5000 + 1000000);
	ck_assert(fake.wakes);
	advance(m, 5000 + 500000);
	ck_assert_uint_eq(rd(m, CNT), 500);
	ck_assert_uint_eq(rd(m, SR), 0);
	advance(m, 5000 + 1000000);
	ck_assert_str_eq(fake.events->str, "irq0+@1005000;");
	ck_assert_uint_eq(rd(m, SR), 1);
	ck_assert_uint_eq(rd(m, CNT), 0);
	wr(m, SR, 0xfffe); /* rc_w0 */
	ck_assert_uint_eq(rd(m, SR), 0);
	ck_assert_str_eq(fake.events->str, "irq0+@1005000;irq0-@1005000;");
	ck_assert_uint_eq(fake.due, 2005000);
	advance(m, 2005000);
	ck_assert_str_eq(fake.events->str, "irq0+@1005000;irq0-@1005000;irq0+@2005000;");
	/* SR written with 1 leaves UIF set */
	wr(m, SR, 1);
	ck_assert_uint_eq(rd(m, SR), 1);
	/* stopping freezes the counter and disarms */
	advance(m, 2005000 + 250000);
	wr(m, CR1, 0);
	ck_assert_uint_eq(fake.due, UINT64_MAX);
	advance(m, 9000000);
	ck_assert_uint_eq(rd(m, CNT), 250);
	fake_done(m);
}
END_TEST

/* UDE: each update event is one DMA request on both lines (an IRQ-less timer is still
 * armed for it, without waking anyone); a beat serves it: TX writes ARR's low byte, RX reads
 * CNT's. */
START_TEST(test_tim_dma)
{
	PeriphModel *m = fake_model(&periph_stm32_tim_basic, 64000000u, 0);
	uint8_t byte = 0;
	wr(m, ARR, 63); /* 1 us */
	wr(m, DIER, 0x100);
	wr(m, CR1, 1);
	ck_assert_uint_eq(fake.due, 1000);
	ck_assert(!fake.wakes);
	advance(m, 1000);
	ck_assert_str_eq(fake.events->str, "dma0+@1000;dma1+@1000;");
	byte = 127;
	ck_assert(periph_dma_beat(m, PERIPH_DMA_TX, &byte));
	ck_assert_uint_eq(rd(m, ARR), 127);
	ck_assert_str_eq(fake.events->str, "dma0+@1000;dma1+@1000;dma0-@1000;dma1-@1000;");
	ck_assert_uint_eq(fake.due, 3000); /* the new period: 128 cycles */
	advance(m, 2000);
	ck_assert(periph_dma_beat(m, PERIPH_DMA_RX, &byte));
	ck_assert_uint_eq(byte, 64); /* CNT, half way */
	/* a beat when no update was requested changes nothing in the request */
	ck_assert_str_eq(fake.events->str, "dma0+@1000;dma1+@1000;dma0-@1000;dma1-@1000;");
	/* UG with UDE requests too; without UDE no update requests */
	wr(m, EGR, 1);
	ck_assert_str_eq(fake.events->str,
	                 "dma0+@1000;dma1+@1000;dma0-@1000;dma1-@1000;dma0+@2000;dma1+@2000;");
	wr(m, DIER, 0);
	ck_assert_uint_eq(fake.due, UINT64_MAX);
	fake_done(m);
}
END_TEST

/* Without UIE the timer still counts and sets UIF, read back lazily; time far ahead skips
 * whole periods. */
START_TEST(test_tim_polled)
{
	PeriphModel *m = fake_model(&periph_stm32_tim_basic, 1000000u, 0); /* 1 us cycles */
	wr(m, ARR, 9);
	wr(m, CR1, 1);
	ck_assert_uint_eq(fake.due, UINT64_MAX); /* nothing to wake */
	ck_assert(!fake.wakes);
	fake.now = 9000;
	ck_assert_uint_eq(rd(m, CNT), 9);
	ck_assert_uint_eq(rd(m, SR), 0);
	fake.now = 10000;
	ck_assert_uint_eq(rd(m, SR), 1);
	ck_assert_uint_eq(rd(m, CNT), 0);
	fake.now = 1000000007000ull;
	ck_assert_uint_eq(rd(m, CNT), 7);
	ck_assert_str_eq(fake.events->str, "");
	fake_done(m);
}
END_TEST

/* ARPE: a new ARR waits for the next update; without it, it applies at once. */
START_TEST(test_tim_preload)
{
	PeriphModel *m = fake_model(&periph_stm32_tim_basic, 1000000u, 0);
	wr(m, ARR, 99);
	wr(m, DIER, 1);
	wr(m, CR1, 0x81); /* ARPE | CEN */
	ck_assert_uint_eq(fake.due, 100000);
	fake.now = 10000;
	wr(m, ARR, 19);
	ck_assert_uint_eq(fake.due, 100000);
	ck_assert_uint_eq(rd(m, ARR), 19);
	advance(m, 100000);
	wr(m, SR, 0);
	ck_assert_uint_eq(fake.due, 120000);
	wr(m, CR1, 0x01); /* ARPE off */
	fake.now = 105000;
	wr(m, ARR, 9); /* CNT is 5: the update comes at 10 */
	ck_assert_uint_eq(fake.due, 110000);
	/* ARR below CNT: up to 0xffff, round, then up to ARR */
	fake.now = 108000;
	wr(m, ARR, 2); /* CNT 8 > 2 */
	ck_assert_uint_eq(fake.due, 108000 + (0x10000 - 8 + 3) * 1000ull);
	fake_done(m);
}
END_TEST

/* UDIS, URS, OPM and UIFREMAP. */
START_TEST(test_tim_modes)
{
	PeriphModel *m = fake_model(&periph_stm32_tim_basic, 1000000u, 0);
	wr(m, ARR, 9);
	wr(m, CR1, 0x4); /* URS: UG updates but sets no flag */
	wr(m, EGR, 1);
	ck_assert_uint_eq(rd(m, SR), 0);
	wr(m, CR1, 0x3); /* UDIS: no update event at all */
	fake.now = 25000;
	ck_assert_uint_eq(rd(m, SR), 0);
	ck_assert_uint_eq(rd(m, CNT), 5);
	wr(m, CR1, 0);
	wr(m, CNT, 0);
	fake.now = 30000;
	wr(m, CR1, 0x9); /* OPM: stops at the first update */
	fake.now = 45000;
	ck_assert_uint_eq(rd(m, SR), 1);
	ck_assert_uint_eq(rd(m, CR1), 0x8);
	ck_assert_uint_eq(rd(m, CNT), 0);
	wr(m, CR1, 0x800); /* UIFREMAP: UIF in CNT bit 31 */
	ck_assert_uint_eq(rd(m, CNT), 0x80000000u);
	fake_done(m);
}
END_TEST

/* Accesses narrower or wider than a register, and registers the model does not model. */
START_TEST(test_access_widths)
{
	PeriphModel *m = fake_model(&periph_stm32_tim_basic, 1000000u, 0);
	wr(m, PSC, 0x1234);
	ck_assert_uint_eq(periph_read(m, PSC, 1), 0x34);
	ck_assert_uint_eq(periph_read(m, PSC + 1, 1), 0x12);
	ck_assert_uint_eq(periph_read(m, PSC, 2), 0x1234);
	periph_write(m, PSC + 1, 1, 0xab);
	ck_assert_uint_eq(rd(m, PSC), 0xab34);
	periph_write(m, PSC, 8, 0x0000555500007777ull); /* PSC and ARR */
	ck_assert_uint_eq(rd(m, PSC), 0x7777);
	ck_assert_uint_eq(rd(m, ARR), 0x5555);
	ck_assert_uint_eq(periph_read(m, PSC, 8), 0x0000555500007777ull);
	/* a general-purpose timer's capture/compare register: stored */
	wr(m, 0x34, 0xcafe);
	ck_assert_uint_eq(rd(m, 0x34), 0xcafe);
	ck_assert_uint_eq(rd(m, 0x500), 0);
	/* poke sets UIF as the device would; EGR is no register to poke */
	wr(m, DIER, 1);
	periph_poke(m, SR, 1);
	ck_assert_uint_eq(periph_peek(m, SR), 1);
	ck_assert_str_eq(fake.events->str, "irq0+@0;");
	periph_poke(m, EGR, 1);
	ck_assert_uint_eq(periph_peek(m, CNT), 0);
	fake_done(m);
}
END_TEST

/* ---- the USART -------------------------------------------------------------------------- */

enum {
	UCR1 = 0x00,
	UCR2 = 0x04,
	UCR3 = 0x08,
	BRR = 0x0c,
	RQR = 0x18,
	ISR = 0x1c,
	ICR = 0x20,
	RDR = 0x24,
	TDR = 0x28
};

START_TEST(test_usart_tx)
{
	PeriphModel *m = fake_model(&periph_stm32_usart, 64000000u, 0);
	ck_assert_uint_eq(rd(m, ISR), 0xc0);
	ck_assert_uint_eq(rd(m, UCR1), 0);
	ck_assert_uint_eq(rd(m, BRR), 0);
	wr(m, TDR, 'x'); /* not enabled: nothing leaves */
	ck_assert_str_eq(fake.tx->str, "");
	wr(m, UCR1, 0x9);                        /* UE | TE */
	ck_assert_uint_eq(rd(m, ISR), 0x2000c0); /* TEACK */
	wr(m, ICR, 0x40);                        /* TCCF */
	ck_assert_uint_eq(rd(m, ISR) & 0x40, 0);
	periph_write(m, TDR, 1, 'h');
	wr(m, TDR, 'i');
	ck_assert_str_eq(fake.tx->str, "hi");
	ck_assert_uint_eq(rd(m, ISR) & 0xc0, 0xc0);
	/* TXEIE: TXE is always set, so the line rises at once */
	wr(m, UCR1, 0x89);
	ck_assert_str_eq(fake.events->str, "irq0+@0;");
	wr(m, UCR1, 0x09);
	ck_assert_str_eq(fake.events->str, "irq0+@0;irq0-@0;");
	fake_done(m);
}
END_TEST

/* 64 MHz, BRR 555 (115200 baud): a frame of 10 bits is 5550 cycles, 86718.75 ns. */
START_TEST(test_usart_rx)
{
	PeriphModel *m = fake_model(&periph_stm32_usart, 64000000u, 0);
	wr(m, BRR, 555);
	wr(m, UCR1, 0x25);                       /* UE | RE | RXNEIE */
	ck_assert_uint_eq(rd(m, ISR), 0x4000c0); /* REACK */
	fake.now = 1000;
	ck_assert(periph_model_rx(m, (const uint8_t *)"abc", 3));
	ck_assert_uint_eq(fake.due, 1000 + 86719);
	ck_assert(fake.wakes);
	advance(m, 1000 + 86718);
	ck_assert_uint_eq(rd(m, ISR) & 0x20, 0);
	advance(m, 1000 + 86719);
	ck_assert_str_eq(fake.events->str, "irq0+@87719;");
	ck_assert_uint_eq(periph_peek(m, RDR), 'a');
	ck_assert_uint_eq(rd(m, ISR) & 0x20, 0x20); /* peek left RXNE */
	ck_assert_uint_eq(rd(m, RDR), 'a');
	ck_assert_uint_eq(rd(m, ISR) & 0x20, 0);
	ck_assert_str_eq(fake.events->str, "irq0+@87719;irq0-@87719;");
	/* 'b' at 2 frames (173437.5 ns), not read before 'c' at 3 frames: overrun */
	advance(m, 1000 + 260157);
	ck_assert_uint_eq(rd(m, ISR) & 0x28, 0x28);
	ck_assert_uint_eq(rd(m, RDR), 'b');
	ck_assert_uint_eq(rd(m, ISR) & 0x28, 0x08); /* ORE holds the line */
	wr(m, ICR, 0x08);
	ck_assert_uint_eq(rd(m, ISR) & 0x28, 0);
	ck_assert_uint_eq(fake.due, UINT64_MAX);
	/* receiver off: bytes are lost */
	wr(m, UCR1, 0x1);
	periph_model_rx(m, (const uint8_t *)"z", 1);
	advance(m, 10000000);
	ck_assert_uint_eq(rd(m, ISR) & 0x20, 0);
	/* RQR RXFRQ drops a received byte */
	wr(m, UCR1, 0x5);
	periph_model_rx(m, (const uint8_t *)"q", 1);
	advance(m, 20000000);
	ck_assert_uint_eq(rd(m, ISR) & 0x20, 0x20);
	wr(m, RQR, 0x8);
	ck_assert_uint_eq(rd(m, ISR) & 0x20, 0);
	fake_done(m);
}
END_TEST

/* The USART's DMA requests: RXNE with DMAR (the beat reads RDR, which lowers it), TXE with
 * DMAT (the beat writes TDR: the byte leaves, TXE and the request stay). */
START_TEST(test_usart_dma)
{
	PeriphModel *m = fake_model(&periph_stm32_usart, 64000000u, 0);
	uint8_t byte = 0;
	wr(m, BRR, 555);
	wr(m, UCR3, 0x40); /* DMAR, receiver still off: no request */
	wr(m, UCR1, 0x5);  /* UE | RE; no RXNEIE */
	ck_assert_str_eq(fake.events->str, "");
	periph_model_rx(m, (const uint8_t *)"ab", 2);
	advance(m, 86719);
	ck_assert_str_eq(fake.events->str, "dma0+@86719;"); /* no IRQ */
	ck_assert(periph_dma_beat(m, PERIPH_DMA_RX, &byte));
	ck_assert_uint_eq(byte, 'a');
	ck_assert_uint_eq(rd(m, ISR) & 0x28, 0); /* RXNE cleared, no overrun */
	ck_assert_str_eq(fake.events->str, "dma0+@86719;dma0-@86719;");
	advance(m, 173438);
	ck_assert(periph_dma_beat(m, PERIPH_DMA_RX, &byte));
	ck_assert_uint_eq(byte, 'b');
	ck_assert_str_eq(fake.events->str, "dma0+@86719;dma0-@86719;dma0+@173438;dma0-@173438;");
	/* transmit: DMAT with UE and TE requests at once (TXE is set) */
	g_string_truncate(fake.events, 0);
	wr(m, UCR3, 0xc0);
	ck_assert_str_eq(fake.events->str, "");
	wr(m, UCR1, 0xd);
	ck_assert_str_eq(fake.events->str, "dma1+@173438;");
	byte = 'z';
	ck_assert(periph_dma_beat(m, PERIPH_DMA_TX, &byte));
	byte = '!';
	ck_assert(periph_dma_beat(m, PERIPH_DMA_TX, &byte));
	ck_assert_str_eq(fake.tx->str, "z!");
	ck_assert_str_eq(fake.events->str, "dma1+@173438;"); /* still requesting */
	wr(m, UCR3, 0);
	ck_assert_str_eq(fake.events->str, "dma1+@173438;dma1-@173438;");
	fake_done(m);
	/* a model without DMA requests takes no beat */
	m = fake_model(&periph_stm32_gpio, 64000000u, 0);
	ck_assert(!periph_dma_beat(m, PERIPH_DMA_RX, &byte));
	fake_done(m);
}
END_TEST

/* Frame length from M, STOP, OVER8. */
START_TEST(test_usart_frames)
{
	PeriphModel *m = fake_model(&periph_stm32_usart, 1000000000u, 0); /* 1 ns cycles */
	wr(m, BRR, 100);
	wr(m, UCR1, 0x5);
	periph_model_rx(m, (const uint8_t *)"a", 1);
	ck_assert_uint_eq(fake.due, 1000); /* 10 bits */
	advance(m, 1000);
	wr(m, UCR1, 0x1005); /* M0: 9 data bits */
	wr(m, UCR2, 0x2000); /* 2 stop bits */
	periph_model_rx(m, (const uint8_t *)"a", 1);
	ck_assert_uint_eq(fake.due, 1000 + 1200);
	advance(m, 2200);
	wr(m, UCR2, 0);
	wr(m, UCR1, 0x8005); /* OVER8: BRR 100 = USARTDIV 0x60 | 4 << 1 = 104, bit 52 cycles */
	periph_model_rx(m, (const uint8_t *)"a", 1);
	ck_assert_uint_eq(fake.due, 2200 + 520);
	fake_done(m);
}
END_TEST

/* ---- the GPIO port ---------------------------------------------------------------------- */

enum {
	MODER = 0x00,
	OTYPER = 0x04,
	OSPEEDR = 0x08,
	PUPDR = 0x0c,
	IDR = 0x10,
	ODR = 0x14,
	BSRR = 0x18,
	LCKR = 0x1c,
	AFRL = 0x20,
	AFRH = 0x24,
	GBRR = 0x28
};

START_TEST(test_gpio_reset)
{
	PeriphModel *m = fake_model(&periph_stm32_gpio, 1, 0);
	ck_assert_uint_eq(rd(m, MODER), 0xabffffff);
	ck_assert_uint_eq(rd(m, OSPEEDR), 0x0c000000);
	ck_assert_uint_eq(rd(m, PUPDR), 0x64000000);
	ck_assert_uint_eq(rd(m, OTYPER), 0);
	/* PA13 (pull-up, alternate) reads 0; PA15 alternate too: nothing reads 1 */
	ck_assert_uint_eq(rd(m, IDR), 0);
	fake_done(m);
	m = fake_model(&periph_stm32_gpio, 1, 1);
	ck_assert_uint_eq(rd(m, MODER), 0xfffffebf);
	ck_assert_uint_eq(rd(m, OSPEEDR), 0x000000c0);
	ck_assert_uint_eq(rd(m, PUPDR), 0x00000100);
	fake_done(m);
	m = fake_model(&periph_stm32_gpio, 1, 2);
	ck_assert_uint_eq(rd(m, MODER), 0xffffffff);
	ck_assert_uint_eq(rd(m, PUPDR), 0);
	fake_done(m);
}
END_TEST

START_TEST(test_gpio_pins)
{
	PeriphModel *m = fake_model(&periph_stm32_gpio, 1, 2);
	fake.declared = (1u << 5) | (1u << 0);
	fake.input = 1u << 0;     /* pin 0 driven high from outside */
	wr(m, MODER, 0xfffff7fc); /* pin 0 input, pin 5 output */
	ck_assert_uint_eq(rd(m, IDR), 1);
	wr(m, BSRR, 1u << 5);
	ck_assert_uint_eq(fake.output, 1u << 5);
	ck_assert_uint_eq(rd(m, ODR), 1u << 5);
	ck_assert_uint_eq(rd(m, IDR), 1u << 5); /* the fake's pins read their latch */
	wr(m, BSRR, (1u << 21) | (1u << 5));    /* set wins over reset */
	ck_assert_uint_eq(fake.output, 1u << 5);
	wr(m, BSRR, 1u << 21);
	ck_assert_uint_eq(fake.output, 0);
	/* a pin the board does not declare: the port's own latch */
	wr(m, MODER, (0xffffffff & ~(3u << 14)) | (1u << 14)); /* pin 7 output */
	wr(m, ODR, 1u << 7);
	ck_assert_uint_eq(rd(m, ODR), 1u << 7);
	ck_assert_uint_eq(rd(m, IDR) & (1u << 7), 1u << 7);
	wr(m, GBRR, 1u << 7);
	ck_assert_uint_eq(rd(m, ODR) & (1u << 7), 0);
	/* input with pull-up reads 1 */
	wr(m, MODER, 0xffffffff & ~(3u << 18));
	wr(m, PUPDR, 1u << 18);
	ck_assert_uint_eq(rd(m, IDR) & (1u << 9), 1u << 9);
	/* a gpio_set from the task shows in ODR */
	fake.output = 1u << 0;
	ck_assert_uint_eq(rd(m, ODR) & 1u, 1u);
	/* stored registers */
	wr(m, AFRL, 0x77);
	wr(m, AFRH, 0x88);
	wr(m, LCKR, 0xffffffff);
	wr(m, IDR, 0xffff); /* read-only */
	ck_assert_uint_eq(rd(m, AFRL), 0x77);
	ck_assert_uint_eq(rd(m, AFRH), 0x88);
	ck_assert_uint_eq(rd(m, LCKR), 0x1ffff);
	ck_assert_uint_eq(rd(m, BSRR), 0);
	fake_done(m);
}
END_TEST

/* ---- the loader ------------------------------------------------------------------------- */

static char *tmp;

static void write_elf(const char *path)
{
	char *self = NULL;
	gsize len = 0;

	ck_assert(g_file_get_contents("/proc/self/exe", &self, &len, NULL) && len >= 64);
	ck_assert(g_file_set_contents(path, self, 64, NULL));
	ck_assert_int_eq(g_chmod(path, 0755), 0);
	g_free(self);
}

static void setup(void)
{
	tmp = g_dir_make_tmp("check_periph-XXXXXX", NULL);
	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_eq(chdir(tmp), 0);
	write_elf("task");
}

static void teardown(void)
{
	GDir *d = g_dir_open(".", 0, NULL);
	const char *name;
	while (d != NULL && (name = g_dir_read_name(d)) != NULL)
		g_remove(name);
	if (d != NULL)
		g_dir_close(d);
	ck_assert_int_eq(chdir("/"), 0);
	g_rmdir(tmp);
	g_free(tmp);
}

static SysDesc *load(const char *text, GError **err)
{
	ck_assert(g_file_set_contents("t.ini", text, -1, NULL));
	return sysdesc_load("t.ini", NULL, err);
}

#define TASK                                                                                       \
	"[task drv]\nbinary = task\nlabel = 1\ncapabilities = CAP_DEV_TIMER; CAP_DEV_BUSES; "      \
	"CAP_DEV_IO; CAP_DEV_DMA\n"

START_TEST(test_loader_selects)
{
	GError *err = NULL;
	SysDesc *d =
	    load(TASK "[device tim6]\nlabel = 2\nowner = drv\ncompatible = st,stm32-timers\n"
	              "base = 0x40001000\nsize = 0x400\ninterrupts = 49\n"
	              "[device usart1]\nlabel = 3\ncompatible = st,stm32-usart; st,stm32-uart\n"
	              "base = 0x40013800\nsize = 0x400\n"
	              "[device old]\nlabel = 4\ncompatible = st,stm32f4-usart; st,stm32-usart\n"
	              "base = 0x40011000\nsize = 0x400\n"
	              "[device forced]\nlabel = 5\ncompatible = st,stm32-gpio\nmodel = none\n"
	              "base = 0x42020000\nsize = 0x400\n"
	              "[device mem]\nlabel = 6\ncompatible = st,stm32-gpio\nmodel = memory\n"
	              "base = 0x42020400\nsize = 0x400\n"
	              "[device named]\nlabel = 7\nmodel = stm32-gpio\n"
	              "base = 0x42020800\nsize = 0x400\n"
	              "[device nowindow]\nlabel = 8\ncompatible = st,stm32-gpio\n",
	         &err);
	ck_assert_msg(d != NULL, "%s", err ? err->message : "");
	ck_assert_str_eq(d->board.devices[0].model, "stm32-tim-basic");
	ck_assert_str_eq(d->board.devices[1].model, "stm32-usart");
	ck_assert_ptr_null(d->board.devices[2].model);
	ck_assert_ptr_null(d->board.devices[3].model);
	ck_assert_str_eq(d->board.devices[4].model, "memory");
	ck_assert_str_eq(d->board.devices[5].model, "stm32-gpio");
	ck_assert_ptr_null(d->board.devices[6].model);
	sysdesc_free(d);
}
END_TEST

/* A devicetree board keeps its nodes' compatible strings: its devices get models too. */
START_TEST(test_loader_devicetree)
{
	static const char dts[] = "/dts-v1/;\n"
	                          "/ {\n"
	                          "\t#address-cells = <1>;\n"
	                          "\t#size-cells = <1>;\n"
	                          "\ttimers6: timers@40001000 {\n"
	                          "\t\tcompatible = \"st,stm32-timers\";\n"
	                          "\t\treg = <0x40001000 0x400>;\n"
	                          "\t\tinterrupts = <49>;\n"
	                          "\t\tsentry,owner = <1>;\n"
	                          "\t\tsentry,label = <2>;\n"
	                          "\t};\n"
	                          "\tusart1: serial@40013800 {\n"
	                          "\t\tcompatible = \"st,stm32-usart\", \"st,stm32-uart\";\n"
	                          "\t\treg = <0x40013800 0x400>;\n"
	                          "\t\tsentry,label = <3>;\n"
	                          "\t};\n"
	                          "};\n";
	GError *err = NULL;
	ck_assert(g_file_set_contents("t.dts", dts, -1, NULL));
	SysDesc *d = load("[system]\ndevicetree = t.dts\n" TASK, &err);
	ck_assert_msg(d != NULL, "%s", err ? err->message : "");
	ck_assert_uint_eq(d->board.n_devices, 2);
	ck_assert_str_eq(d->board.devices[0].name, "timers6");
	ck_assert_str_eq(d->board.devices[0].model, "stm32-tim-basic");
	ck_assert_str_eq(d->board.devices[1].model, "stm32-usart");
	sysdesc_free(d);
}
END_TEST

START_TEST(test_loader_errors)
{
	GError *err = NULL;
	SysDesc *d = load(TASK "[device x]\nlabel = 2\nmodel = stm32-uart\n"
	                       "base = 0x40001000\nsize = 0x400\n",
	                  &err);
	ck_assert_ptr_null(d);
	ck_assert_str_eq(err->message,
	                 "t.ini:7: unknown model 'stm32-uart' (known: stm32-tim-basic, "
	                 "stm32-usart, stm32-gpio, memory, none)");
	g_clear_error(&err);
	d = load(TASK "[device x]\nlabel = 2\nmodel = stm32-gpio\n", &err);
	ck_assert_ptr_null(d);
	ck_assert_str_eq(err->message, "t.ini:7: device 'x' has model 'stm32-gpio' but no register "
	                               "window ('base', 'size') for it to answer");
	g_clear_error(&err);
}
END_TEST

/* ---- the observer, with the kernel model ------------------------------------------------ */

#define SYSTEM                                                                                     \
	"[system]\nseed = 1\nsyscall_cost = 0\ncore_frequency = 64MHz\n" TASK                      \
	"[device tim6]\nlabel = 2\nowner = drv\ncompatible = st,stm32-timers\n"                    \
	"base = 0x40001000\nsize = 0x400\ninterrupts = 49\n"                                       \
	"[device usart1]\nlabel = 3\nowner = drv\ncompatible = st,stm32-usart\n"                   \
	"base = 0x40013800\nsize = 0x400\ninterrupts = 61\n"                                       \
	"[device gpioa]\nlabel = 4\ncompatible = st,stm32-gpio\n"                                  \
	"base = 0x42020000\nsize = 0x400\n"                                                        \
	"[device gpiob]\nlabel = 5\nowner = drv\ncompatible = st,stm32-gpio\n"                     \
	"base = 0x42020400\nsize = 0x400\nios = 1:3\nreg.0x14 = 0x8\n"

typedef struct {
	SysDesc *d;
	Kernel *k;
	PeriphRun *p;
	RunObserver o;
	GString *tx;
	uint8_t shm[0x200]; /* the board memory at SHM_BASE, for DMA streams */
} Sim;

static Sim sim;

#define SHM_BASE 0x2000a000u

static uint8_t *sim_memory(void *data, uint64_t addr, uint64_t len)
{
	if (addr < SHM_BASE || addr - SHM_BASE + len > sizeof(sim.shm))
		return NULL;
	return sim.shm + (addr - SHM_BASE);
}

/* The run's dma_paced hook (sim/host/run.c) with this one observer. */
static bool sim_dma_paced(void *data, const BoardDma *stream, const Board *board)
{
	return sim.o.dma_paced(sim.o.data, (uint32_t)(stream - board->dmas));
}

static void sim_tx(void *data, uint32_t device, const uint8_t *bytes, size_t len, uint64_t now)
{
	g_string_append_printf(sim.tx, "%u@%llu:", device, (unsigned long long)now);
	g_string_append_len(sim.tx, (const char *)bytes, (gssize)len);
	g_string_append_c(sim.tx, ';');
}

static void sim_start(const char *extra)
{
	GError *err = NULL;
	g_autofree char *text = g_strconcat(SYSTEM, extra, NULL);
	memset(&sim, 0, sizeof(sim));
	sim.d = load(text, &err);
	ck_assert_msg(sim.d != NULL, "%s", err ? err->message : "");
	const char *kerr = NULL;
	KernelHooks hooks = {.dma_paced = sim_dma_paced};
	sim.k = kernel_new(&sim.d->kernel, &hooks, NULL, &kerr);
	ck_assert_msg(sim.k != NULL, "%s", kerr ? kerr : "");
	sim.tx = g_string_new(NULL);
	PeriphRunConfig pc = {.board = &sim.d->board,
	                      .clock_hz = sim.d->kernel.core_freq_hz,
	                      .tx = sim_tx,
	                      .memory = sim_memory};
	sim.p = periph_run_new(&pc);
	sim.o = periph_observer(sim.p);
	sim.o.setup(sim.o.data, NULL, sim.k);
	kernel_boot(sim.k);
}

static void sim_stop(void)
{
	periph_run_free(sim.p);
	kernel_free(sim.k);
	sysdesc_free(sim.d);
	g_string_free(sim.tx, TRUE);
}

static void mmio_w(uint32_t dev, uint32_t off, uint32_t v)
{
	uint64_t value = v;
	ck_assert(sim.o.mmio(sim.o.data, sim.k, 0, dev, off, 4, TRUE, &value));
}

static uint32_t mmio_r(uint32_t dev, uint32_t off)
{
	uint64_t value = 0;
	ck_assert(sim.o.mmio(sim.o.data, sim.k, 0, dev, off, 4, FALSE, &value));
	return (uint32_t)value;
}

/* The task traps with |nr| and is resumed; returns its r0 (it must stay current). */
static uint32_t task_call(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	KernelResume res;
	ck_assert_uint_eq(kernel_current(sim.k), 0);
	ck_assert(kernel_resume(sim.k, &res));
	sim.o.before_syscall(sim.o.data, sim.k, 0, nr, (uint32_t[]){a0, a1, a2});
	kernel_syscall(sim.k, nr, a0, a1, a2);
	sim.o.after_syscall(sim.o.data, sim.k, 0, nr);
	const char *why = NULL;
	sim.o.check(sim.o.data, sim.k, &why);
	if (kernel_current(sim.k) != 0)
		return UINT32_MAX;
	ck_assert(kernel_resume(sim.k, &res));
	return res.r0;
}

/* Only idle runs: the loop's idle turn with this one observer (sim/host/run.c). */
static void idle_until_task(void)
{
	for (int guard = 0; guard < 100 && kernel_current(sim.k) != 0; guard++) {
		ck_assert_uint_eq(kernel_current(sim.k), kernel_idle_id(sim.k));
		if (sim.o.idle(sim.o.data, sim.k))
			continue;
		uint64_t now = kernel_now_ns(sim.k);
		uint64_t step = sim.o.next_deadline(sim.o.data, sim.k);
		KernelIdleResult ir =
		    kernel_idle(sim.k, step == UINT64_MAX ? 0 : MAX(step, now + 1));
		if (ir == KERNEL_IDLE_STUCK || ir == KERNEL_IDLE_DONE) {
			uint64_t next = sim.o.next_stimulus(sim.o.data, sim.k);
			ck_assert_uint_ne(next, UINT64_MAX);
			kernel_advance(sim.k, MAX(step, now + 1) - now);
		}
		const char *why = NULL;
		sim.o.check(sim.o.data, sim.k, &why);
	}
	ck_assert_uint_eq(kernel_current(sim.k), 0);
}

/* The IRQ event the task takes without blocking, after a wake-up (wait_for_event gave INTR). */
static void take_irq(uint32_t irq)
{
	ck_assert_uint_eq(
	    task_call(SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, (uint32_t)WFE_WAIT_NO, 0), STATUS_OK);
	uint32_t got = 0;
	memcpy(&got, kernel_exchange(sim.k, 0) + 8, 4); /* after the event header */
	ck_assert_uint_eq(got, irq);
}

/* The task blocks in wait_for_event, and only the models can wake it: returns the time of the
 * wake-up. */
static uint64_t wait_woken(void)
{
	ck_assert_uint_eq(task_call(SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, 0, 0), UINT32_MAX);
	idle_until_task();
	KernelResume res;
	ck_assert(kernel_resume(sim.k, &res));
	ck_assert_uint_eq(res.r0, STATUS_INTR);
	return kernel_now_ns(sim.k);
}

/* The driver of the timer-periodic scenario, played by hand: each update IRQ wakes the task
 * at the virtual time PSC and ARR imply. */
START_TEST(test_observer_timer_irqs)
{
	sim_start("");
	ck_assert(!periph_run_empty(sim.p));
	KernelResume res;
	ck_assert(kernel_resume(sim.k, &res)); /* the task starts */
	ck_assert_uint_eq(task_call(SYSCALL_IRQ_ENABLE, 49, 0, 0), STATUS_OK);
	mmio_w(0, PSC, 63);
	mmio_w(0, ARR, 999);
	mmio_w(0, EGR, 1);
	mmio_w(0, SR, 0);
	mmio_w(0, DIER, 1);
	uint64_t t0 = kernel_now_ns(sim.k);
	mmio_w(0, CR1, 1);
	for (int n = 1; n <= 3; n++) {
		ck_assert_uint_eq(wait_woken(), t0 + (uint64_t)n * 1000000u);
		take_irq(49);
		ck_assert_uint_eq(mmio_r(0, SR), 1);
		mmio_w(0, SR, 0);
		ck_assert_uint_eq(task_call(SYSCALL_IRQ_ENABLE, 49, 0, 0), STATUS_OK);
	}
	/* the line still asserted when the driver re-enables it fires again (level) */
	mmio_w(0, CR1, 0);
	periph_poke(periph_run_model(sim.p, 0), SR, 1); /* its edge */
	ck_assert_uint_eq(wait_woken(), t0 + 3000000u);
	take_irq(49);
	ck_assert_uint_eq(task_call(SYSCALL_IRQ_ENABLE, 49, 0, 0), STATUS_OK);
	take_irq(49);
	/* cleared before the re-enable: nothing more comes, and the stopped timer is no
	 * stimulus */
	mmio_w(0, SR, 0);
	ck_assert_uint_eq(task_call(SYSCALL_IRQ_ENABLE, 49, 0, 0), STATUS_OK);
	ck_assert_uint_eq(task_call(SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, 0, 0), UINT32_MAX);
	ck_assert_uint_eq(sim.o.next_stimulus(sim.o.data, sim.k), UINT64_MAX);
	ck_assert_uint_eq(sim.o.next_deadline(sim.o.data, sim.k), UINT64_MAX);
	sim_stop();
}
END_TEST

/* A running timer keeps a run alive only while its IRQ can wake the owner. */
START_TEST(test_observer_stimulus)
{
	sim_start("");
	KernelResume res;
	ck_assert(kernel_resume(sim.k, &res));
	ck_assert_uint_eq(task_call(SYSCALL_IRQ_ENABLE, 49, 0, 0), STATUS_OK);
	mmio_w(0, ARR, 999);
	mmio_w(0, DIER, 1);
	mmio_w(0, CR1, 1);
	uint64_t due = kernel_now_ns(sim.k) + 1000 * 1000 / 64; /* 1000 cycles at 64 MHz */
	ck_assert_uint_eq(sim.o.next_deadline(sim.o.data, sim.k), due);
	ck_assert_uint_eq(task_call(SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, 0, 0), UINT32_MAX);
	ck_assert_uint_eq(sim.o.next_stimulus(sim.o.data, sim.k), due);
	idle_until_task();
	ck_assert(kernel_resume(sim.k, &res));
	ck_assert_uint_eq(res.r0, STATUS_INTR);
	/* the owner ends with the timer running: its updates wake no one */
	KernelResume r2;
	ck_assert(kernel_resume(sim.k, &r2));
	kernel_syscall(sim.k, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_uint_eq(kernel_task_state(sim.k, 0), JOB_FINISHED);
	ck_assert_uint_ne(sim.o.next_deadline(sim.o.data, sim.k), UINT64_MAX);
	ck_assert_uint_eq(sim.o.next_stimulus(sim.o.data, sim.k), UINT64_MAX);
	sim_stop();
}
END_TEST

/* The script's words through the models: reg and write peek and poke, uart feeds the line;
 * what the USART sends is told to the host. */
START_TEST(test_observer_script_words)
{
	sim_start("");
	uint32_t v = 0;
	ck_assert(periph_run_register(sim.p, 0x40001000 + ARR, FALSE, &v));
	ck_assert_uint_eq(v, 0xffff);
	v = 0x1;
	ck_assert(periph_run_register(sim.p, 0x40013800 + ISR, TRUE, &v));
	ck_assert(periph_run_register(sim.p, 0x40013800 + ISR, FALSE, &v));
	ck_assert_uint_eq(v, 0x1);
	ck_assert(!periph_run_register(sim.p, 0x2000a000, FALSE, &v));
	/* declared register values apply after reset; gpiob is port 1 (second GPIO model) */
	ck_assert_uint_eq(mmio_r(3, ODR), 0x8);
	bool level = false;
	ck_assert(kernel_gpio_level(sim.k, 1, 3, &level));
	ck_assert(level);
	mmio_w(3, BSRR, 1u << 19);
	ck_assert(kernel_gpio_level(sim.k, 1, 3, &level));
	ck_assert(!level);
	kernel_gpio_drive(sim.k, 1, 3, true);
	ck_assert_uint_eq(mmio_r(3, IDR) & 0x8, 0x8);
	ck_assert_uint_eq(mmio_r(3, ODR) & 0x8, 0);
	/* UART */
	mmio_w(1, UCR1, 0xd);
	mmio_w(1, TDR, 'o');
	mmio_w(1, TDR, 'k');
	ck_assert_str_eq(sim.tx->str, "1@0:o;1@0:k;");
	ck_assert_ptr_null(periph_run_rx(sim.p, 1, (const uint8_t *)"x", 1));
	ck_assert_str_eq(periph_run_rx(sim.p, 0, (const uint8_t *)"x", 1),
	                 "its model takes no bytes from outside");
	ck_assert_str_eq(periph_run_rx(sim.p, 2 + 5, (const uint8_t *)"x", 1),
	                 "the device has no model");
	ck_assert_uint_ne(sim.o.next_deadline(sim.o.data, sim.k), UINT64_MAX);
	/* mmio of a device without a model is not answered */
	uint64_t value = 0;
	sim_stop();
	sim_start("[device plain]\nlabel = 9\nbase = 0x40020000\nsize = 0x400\n");
	ck_assert(!sim.o.mmio(sim.o.data, sim.k, 0, 4, 0, 4, FALSE, &value));
	sim_stop();
}
END_TEST

/* DMA streams paced by the USART: with DMAR, each byte of the line goes to the SHM and the
 * stream completes (the owner's DMA event) with its last byte; with DMAT, a start sends the
 * SHM's bytes as TDR writes. A stream from a device without DMA requests is not paced. */
#define DMA_BOARD                                                                                  \
	"[shm rxbuf]\nlabel = 0x100\nowner = drv\nbase = 0x2000a000\nsize = 0x100\n"               \
	"dma_pool = true\n"                                                                        \
	"[shm txbuf]\nlabel = 0x101\nowner = drv\nbase = 0x2000a100\nsize = 0x100\n"               \
	"dma_pool = true\n"                                                                        \
	"[dma rx]\nlabel = 0x200\nowner = drv\nchannel = 1\nsource = device usart1\n"              \
	"dest = shm rxbuf\nlength = 4\n"                                                           \
	"[dma tx]\nlabel = 0x201\nowner = drv\nchannel = 2\nsource = shm txbuf\n"                  \
	"dest = device usart1\nlength = 3\n"                                                       \
	"[dma gp]\nlabel = 0x202\nowner = drv\nchannel = 3\nsource = device gpiob\n"               \
	"dest = shm rxbuf\nlength = 2\n"                                                           \
	"[dma ring]\nlabel = 0x203\nowner = drv\nchannel = 4\nsource = device usart1\n"            \
	"dest = shm rxbuf\nlength = 2\ncircular = false true\n"

/* The handle of the stream labelled |label|, assigned to the task. */
static uint32_t dma_stream(uint32_t label)
{
	ck_assert_uint_eq(task_call(SYSCALL_GET_DMA_STREAM_HANDLE, label, 0, 0), STATUS_OK);
	uint32_t h = 0;
	memcpy(&h, kernel_exchange(sim.k, 0), 4);
	ck_assert_uint_eq(task_call(SYSCALL_DMA_ASSIGN_STREAM, h, 0, 0), STATUS_OK);
	return h;
}

/* The DMA event the task takes without blocking: the stream's handle. */
static uint32_t take_dma(void)
{
	ck_assert_uint_eq(
	    task_call(SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_DMA, (uint32_t)WFE_WAIT_NO, 0), STATUS_OK);
	uint32_t source = 0;
	memcpy(&source, kernel_exchange(sim.k, 0) + 4, 4);
	return source;
}

START_TEST(test_observer_dma)
{
	sim_start(DMA_BOARD);
	KernelResume res;
	ck_assert(kernel_resume(sim.k, &res));
	uint32_t rx = dma_stream(0x200), tx = dma_stream(0x201), gp = dma_stream(0x202);
	ck_assert(sim.o.dma_paced(sim.o.data, 0));
	ck_assert(sim.o.dma_paced(sim.o.data, 1));
	ck_assert(!sim.o.dma_paced(sim.o.data, 2)); /* GPIO: no requests */
	/* receive: 115200 baud at 64 MHz (BRR 555, 86718.75 ns a byte) */
	mmio_w(1, BRR, 555);
	mmio_w(1, UCR3, 0x40); /* DMAR */
	mmio_w(1, UCR1, 0x5);  /* UE | RE */
	ck_assert_uint_eq(task_call(SYSCALL_DMA_START_STREAM, rx, 0, 0), STATUS_OK);
	ck_assert_uint_eq(
	    task_call(SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_DMA, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN); /* paced: no completion at start */
	uint64_t t0 = kernel_now_ns(sim.k);
	ck_assert_ptr_null(periph_run_rx(sim.p, 1, (const uint8_t *)"abcde", 5));
	ck_assert_uint_eq(task_call(SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_DMA, 0, 0), UINT32_MAX);
	idle_until_task();
	ck_assert(kernel_resume(sim.k, &res));
	ck_assert_uint_eq(res.r0, STATUS_INTR);
	/* woken by the completion, at the 4th byte's arrival */
	ck_assert_uint_eq(kernel_now_ns(sim.k), t0 + periph_ns_of_cycles(4 * 5550, 64000000u));
	ck_assert_uint_eq(take_dma(), rx);
	ck_assert_mem_eq(sim.shm, "abcd", 4);
	ck_assert_uint_eq(sim.shm[4], 0);
	ck_assert_uint_eq(mmio_r(1, ISR) & 0x28, 0); /* each byte was taken: no overrun */
	/* the stream has ended: the 5th byte stays in RDR */
	kernel_advance(sim.k, 200000);
	const char *why = NULL;
	sim.o.check(sim.o.data, sim.k, &why);
	ck_assert_uint_eq(mmio_r(1, ISR) & 0x20, 0x20);
	ck_assert_uint_eq(mmio_r(1, RDR), 'e');
	ck_assert_uint_eq(sim.shm[4], 0);
	/* transmit: the start sends the SHM's bytes through TDR; completion at the next turn */
	memcpy(sim.shm + 0x100, "xyz", 3);
	mmio_w(1, UCR3, 0x80); /* DMAT */
	mmio_w(1, UCR1, 0x9);  /* UE | TE */
	ck_assert_str_eq(sim.tx->str, "");
	ck_assert_uint_eq(task_call(SYSCALL_DMA_START_STREAM, tx, 0, 0), STATUS_OK);
	uint64_t now = kernel_now_ns(sim.k);
	g_autofree char *sent =
	    g_strdup_printf("1@%llu:x;1@%llu:y;1@%llu:z;", (unsigned long long)now,
	                    (unsigned long long)now, (unsigned long long)now);
	ck_assert_str_eq(sim.tx->str, sent);
	ck_assert_uint_eq(take_dma(), tx);
	/* not paced: the start completes at once, as without models */
	ck_assert_uint_eq(task_call(SYSCALL_DMA_START_STREAM, gp, 0, 0), STATUS_OK);
	ck_assert_uint_eq(take_dma(), gp);
	sim_stop();
}
END_TEST

/* A circular destination wraps, with an event at each wrap; a suspended stream takes no byte
 * (the USART overruns) and a resumed one goes on where it stood. */
START_TEST(test_observer_dma_circular)
{
	sim_start(DMA_BOARD);
	KernelResume res;
	ck_assert(kernel_resume(sim.k, &res));
	uint32_t ring = dma_stream(0x203);
	mmio_w(1, BRR, 555);
	mmio_w(1, UCR3, 0x40); /* DMAR */
	mmio_w(1, UCR1, 0x5);  /* UE | RE */
	ck_assert_uint_eq(task_call(SYSCALL_DMA_START_STREAM, ring, 0, 0), STATUS_OK);
	ck_assert_ptr_null(periph_run_rx(sim.p, 1, (const uint8_t *)"abc", 3));
	uint64_t frame = periph_ns_of_cycles(5550, 64000000u) + 1;
	kernel_advance(sim.k, 2 * frame);
	const char *why = NULL;
	/* one late check: 'b' waited for the DMA to take 'a' (no overrun), then the wrap's
	 * completion reached the kernel */
	sim.o.check(sim.o.data, sim.k, &why);
	ck_assert_mem_eq(sim.shm, "ab", 2);
	ck_assert_uint_eq(mmio_r(1, ISR) & 0x28, 0);
	ck_assert_uint_eq(take_dma(), ring);
	kernel_advance(sim.k, frame);
	sim.o.check(sim.o.data, sim.k, &why);
	ck_assert_mem_eq(sim.shm, "cb", 2); /* wrapped */
	/* suspended: the next bytes stay in the USART (the second one overruns) */
	ck_assert_uint_eq(task_call(SYSCALL_DMA_SUSPEND_STREAM, ring, 0, 0), STATUS_OK);
	ck_assert_ptr_null(periph_run_rx(sim.p, 1, (const uint8_t *)"de", 2));
	kernel_advance(sim.k, 3 * frame);
	sim.o.check(sim.o.data, sim.k, &why);
	ck_assert_mem_eq(sim.shm, "cb", 2);
	ck_assert_uint_eq(mmio_r(1, ISR) & 0x28, 0x28);
	/* resumed: the byte waiting in RDR goes to the second byte of the buffer */
	ck_assert_uint_eq(task_call(SYSCALL_DMA_RESUME_STREAM, ring, 0, 0), STATUS_OK);
	ck_assert_mem_eq(sim.shm, "cd", 2);
	ck_assert_uint_eq(take_dma(), ring);
	sim_stop();
}
END_TEST

/* A stream the script feeds with 'dma' stands in for its device: not paced by the model. */
START_TEST(test_script_dma_unpaced)
{
	sim_start(DMA_BOARD "[script]\nat.1ms = dma rx \"ab\"\n");
	GError *err = NULL;
	Script *sc = script_load(sim.d, &err);
	ck_assert_msg(sc != NULL, "%s", err ? err->message : "");
	ck_assert(script_feeds_dma(sc, 0));
	ck_assert(!script_feeds_dma(sc, 1));
	ck_assert(sim.o.dma_paced(sim.o.data, 0));
	periph_run_unpace(sim.p, 0);
	ck_assert(!sim.o.dma_paced(sim.o.data, 0));
	ck_assert(sim.o.dma_paced(sim.o.data, 1));
	script_free(sc);
	sim_stop();
}
END_TEST

/* ---- the script's words on models -------------------------------------------------------- */

static gboolean env_reg(void *data, uint64_t addr, gboolean write, uint32_t *value)
{
	return periph_run_register(sim.p, addr, write, value);
}

static const char *env_uart_rx(void *data, uint32_t device, const uint8_t *bytes, size_t len)
{
	return periph_run_rx(sim.p, device, bytes, len);
}

static uint8_t *env_memory(void *data, uint64_t addr, uint64_t len)
{
	return NULL; /* every register of the test is a model's */
}

static const char *script_error(const char *steps)
{
	GError *err = NULL;
	g_autofree char *text = g_strconcat(SYSTEM, "[script]\n", steps, NULL);
	SysDesc *d = load(text, &err);
	ck_assert_msg(d != NULL, "%s", err ? err->message : "");
	Script *sc = script_load(d, &err);
	static char msg[512];
	ck_assert_ptr_null(sc);
	g_strlcpy(msg, err->message, sizeof(msg));
	g_clear_error(&err);
	sysdesc_free(d);
	return msg;
}

START_TEST(test_script_uart_parse)
{
	ck_assert_str_eq(script_error("at.1ms = uart tim6 \"x\"\n"),
	                 "t.ini:37: at.1ms: device 'tim6' has no UART model (its model: "
	                 "stm32-tim-basic; give it 'compatible = st,stm32-usart' or 'model = "
	                 "stm32-usart')");
	ck_assert_str_eq(script_error("at.1ms = uart usart1 \"\"\n"),
	                 "t.ini:37: at.1ms: no bytes to send to 'usart1'");
	ck_assert_str_eq(script_error("at.1ms = uart usart1 hello\n"),
	                 "t.ini:37: at.1ms: expected the bytes as a \"string\" after 'usart1', "
	                 "got 'hello'");
	ck_assert_str_eq(script_error("expect.x = uart(usart2, /a/)\n"),
	                 "t.ini:37: expect.x: unknown device 'usart2' (did you mean 'usart1'?)");
	ck_assert_str_eq(script_error("expect.x = uart(usart1, a)\n"),
	                 "t.ini:37: expect.x: expected a regular expression /.../ in 'uart(', got "
	                 "'a'");
}
END_TEST

/* A script with the models: 'uart' feeds the receive line, 'write' and 'reg' go through the
 * model, uart() matches what the device sends. */
START_TEST(test_script_uart_run)
{
	sim_start("[script]\n"
	          "at.1ms = write usart1+0x0c 1388; uart usart1 \"hi\\n\"\n"
	          "expect.brr = reg usart1+0x0c == 1388\n"
	          "expect.isr = reg usart1+0x1c & 0x20 == 0x20 at 2ms\n"
	          "expect.sent = uart(usart1, /^ok$/) within 3ms\n"
	          "expect.not = never uart(usart1, /^no$/)\n");
	GError *err = NULL;
	Script *sc = script_load(sim.d, &err);
	ck_assert_msg(sc != NULL, "%s", err ? err->message : "");
	ScriptEnv env = {.k = sim.k, .memory = env_memory, .reg = env_reg, .uart_rx = env_uart_rx};
	ck_assert(script_supported(sc, &env, NULL));
	ScriptEnv bare = {.k = sim.k, .memory = NULL};
	ck_assert(!script_supported(sc, &bare, &err));
	ck_assert_str_eq(err->message, "t.ini:37: at.1ms: this step needs the board memory (device "
	                               "registers), which this run does not provide");
	g_clear_error(&err);
	ScriptRun *r = script_run_new(sc, &env);
	mmio_w(1, UCR1, 0xd); /* the driver enables the USART */
	kernel_advance(sim.k, 1000000);
	script_run_due(r, kernel_now_ns(sim.k));
	ck_assert(!script_run_failed(r));
	ck_assert_uint_eq(mmio_r(1, BRR), 1388);
	kernel_advance(sim.k, 1000000); /* 'h' arrived at 1ms + 86.75us, 'i' was lost: ORE */
	const char *why = NULL;
	sim.o.check(sim.o.data, sim.k, &why);
	script_run_due(r, kernel_now_ns(sim.k));
	ck_assert(!script_run_failed(r));
	ck_assert_uint_eq(periph_peek(periph_run_model(sim.p, 1), RDR), 'h');
	uint64_t now = kernel_now_ns(sim.k);
	script_run_uart(r, 1, (const uint8_t *)"o", 1, now); /* not a line yet */
	script_run_uart(r, 1, (const uint8_t *)"k\r\n", 3, now);
	ck_assert(!script_run_failed(r));
	script_run_uart(r, 1, (const uint8_t *)"no\n", 3, now);
	ck_assert(script_run_failed(r));
	GString *diag = g_string_new(NULL);
	ck_assert(!script_run_finish(r, SCRIPT_END_DONE, diag));
	ck_assert_msg(strstr(diag->str, "expect.not failed") != NULL, "%s", diag->str);
	ck_assert_msg(strstr(diag->str, "observed: 'usart1' sent \"no\" at 2ms") != NULL, "%s",
	              diag->str);
	ck_assert_int_eq(script_run_verdict(r, 0, NULL), SCRIPT_VERDICT_PASSED);
	ck_assert_int_eq(script_run_verdict(r, 1, NULL), SCRIPT_VERDICT_PASSED);
	ck_assert_int_eq(script_run_verdict(r, 2, NULL), SCRIPT_VERDICT_PASSED);
	ck_assert_int_eq(script_run_verdict(r, 3, NULL), SCRIPT_VERDICT_FAILED);
	g_string_free(diag, TRUE);
	script_run_free(r);
	script_free(sc);
	sim_stop();
}
END_TEST

static Suite *periph_suite(void)
{
	Suite *s = suite_create("periph");
	TCase *tc = tcase_create("models");
	tcase_add_test(tc, test_registry);
	tcase_add_test(tc, test_tim_reset);
	tcase_add_test(tc, test_tim_periodic);
	tcase_add_test(tc, test_tim_polled);
	tcase_add_test(tc, test_tim_preload);
	tcase_add_test(tc, test_tim_modes);
	tcase_add_test(tc, test_access_widths);
	tcase_add_test(tc, test_usart_tx);
	tcase_add_test(tc, test_usart_rx);
	tcase_add_test(tc, test_usart_frames);
	tcase_add_test(tc, test_usart_dma);
	tcase_add_test(tc, test_tim_dma);
	tcase_add_test(tc, test_gpio_reset);
	tcase_add_test(tc, test_gpio_pins);
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_loader_selects);
	tcase_add_test(tc, test_loader_devicetree);
	tcase_add_test(tc, test_loader_errors);
	tcase_add_test(tc, test_observer_timer_irqs);
	tcase_add_test(tc, test_observer_stimulus);
	tcase_add_test(tc, test_observer_script_words);
	tcase_add_test(tc, test_observer_dma);
	tcase_add_test(tc, test_observer_dma_circular);
	tcase_add_test(tc, test_script_dma_unpaced);
	tcase_add_test(tc, test_script_uart_parse);
	tcase_add_test(tc, test_script_uart_run);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(periph_suite());
}
