/*
 * stm32_tim.c: the STM32 basic timer, TIM6/TIM7 (RM0456 for the U5, RM0351 for the L4: same
 * registers, offsets and reset values), as a model in virtual time (docs/periph.md).
 *
 * The timer counts its clock (PeriphInfo.clock_hz, the core frequency) divided by PSC + 1,
 * from 0 up to ARR; the tick after ARR is an update event (UEV): the counter restarts from 0,
 * UIF is set and the preloaded PSC (and ARR when ARPE) become active, unless UDIS. So with
 * CEN set at cycle c0 the n-th update comes at c0 + n * (PSC + 1) * (ARR + 1) cycles.
 *
 * Time is kept in whole cycles of the timer clock since boot (the counter's start, |anchor|,
 * is the cycle at which the counter held |cnt0| with its prescaler at 0), so no rounding
 * accumulates; an event's virtual time is the first nanosecond by which its cycle has passed.
 * The state is brought up to date lazily (sync) at every access and when the armed timer
 * fires: the model does not depend on when the host calls it, only on virtual time.
 */
#include "config.h"

#include <string.h>

#include "sim/periph/periph_models.h"

enum {
	TIM_CR1 = 0x00,
	TIM_CR2 = 0x04,
	TIM_DIER = 0x0c,
	TIM_SR = 0x10,
	TIM_EGR = 0x14,
	TIM_CNT = 0x24,
	TIM_PSC = 0x28,
	TIM_ARR = 0x2c,
};

enum {
	CR1_CEN = 1u << 0,
	CR1_UDIS = 1u << 1,
	CR1_URS = 1u << 2,
	CR1_OPM = 1u << 3,
	CR1_ARPE = 1u << 7,
	CR1_UIFREMAP = 1u << 11,
	CR1_MASK = CR1_CEN | CR1_UDIS | CR1_URS | CR1_OPM | CR1_ARPE | CR1_UIFREMAP,
	CR2_MMS = 7u << 4,
	DIER_UIE = 1u << 0,
	DIER_UDE = 1u << 8,
	SR_UIF = 1u << 0,
	EGR_UG = 1u << 0,
	CNT_UIFCPY = 1u << 31,
	TIM_MAX = 0xffffu, /* CNT, PSC and ARR are 16 bits */
};

typedef struct {
	PeriphModel base;
	uint32_t cr1, cr2, dier, sr;
	uint32_t psc, arr;         /* as written (preload registers) */
	uint32_t psc_act, arr_act; /* active (shadow) values */
	uint32_t cnt0;             /* the counter at |anchor| (or while stopped) */
	uint64_t anchor;           /* timer-clock cycle at which the counter held |cnt0| */
	bool line;                 /* the update IRQ line as last told to the host */
	bool dma_pend;             /* an update DMA request (UDE) not served yet */
	bool req;                  /* the DMA request level as last told to the host */
	uint32_t plain[PERIPH_PLAIN_BYTES / 4];
} Tim;

static Tim *tim(PeriphModel *m)
{
	return (Tim *)m;
}

static uint64_t now_cycles(Tim *t)
{
	PeriphModel *m = &t->base;
	return periph_cycles_at(m->host.now(m->host.data), m->info.clock_hz);
}

static bool running(const Tim *t)
{
	return (t->cr1 & CR1_CEN) != 0;
}

/* Ticks of the prescaled clock from |cnt0| to the next overflow: up to ARR, or, from above
 * ARR (ARR lowered without preload), up to 0xffff, round to 0 (no update), then up to ARR. */
static uint64_t ticks_to_overflow(const Tim *t)
{
	if (t->cnt0 <= t->arr_act)
		return (uint64_t)t->arr_act - t->cnt0 + 1;
	return (uint64_t)TIM_MAX + 1 - t->cnt0 + t->arr_act + 1;
}

static uint64_t next_overflow(const Tim *t)
{
	return t->anchor + ticks_to_overflow(t) * ((uint64_t)t->psc_act + 1);
}

/* The outputs: the update IRQ, and the update DMA request on both request lines (one
 * request: a stream from the timer reads CNT, one to it writes ARR; serving either lowers
 * it). */
static void update_irq(Tim *t)
{
	bool level = (t->sr & SR_UIF) && (t->dier & DIER_UIE);
	PeriphModel *m = &t->base;

	if (level != t->line) {
		t->line = level;
		m->host.irq(m->host.data, 0, level);
	}
	if (t->dma_pend != t->req) {
		t->req = t->dma_pend;
		m->host.dma(m->host.data, PERIPH_DMA_RX, t->req);
		m->host.dma(m->host.data, PERIPH_DMA_TX, t->req);
	}
}

/* The update event: shadow registers loaded, UIF set (|flag|), one-pulse mode stops. */
static void update_event(Tim *t, bool flag)
{
	t->psc_act = t->psc;
	t->arr_act = t->arr;
	if (flag)
		t->sr |= SR_UIF;
	if (t->dier & DIER_UDE)
		t->dma_pend = true; /* a DMA request at each update event (UG included) */
	if (t->cr1 & CR1_OPM)
		t->cr1 &= ~CR1_CEN;
}

/* Play every overflow up to now. After the first, nothing changes but the phase (the
 * shadows hold the preloads, UIF is set), so whole periods are skipped at once. */
static void sync(Tim *t)
{
	if (!running(t))
		return;
	uint64_t now = now_cycles(t);
	bool first = true;
	for (;;) {
		uint64_t ov = next_overflow(t);
		if (ov > now)
			return;
		t->anchor = ov;
		t->cnt0 = 0;
		if (!(t->cr1 & CR1_UDIS))
			update_event(t, true);
		if (!running(t))
			return;
		uint64_t period = ((uint64_t)t->arr_act + 1) * ((uint64_t)t->psc_act + 1);
		if (!first && now - ov >= period)
			t->anchor = ov + (now - ov) / period * period;
		first = false;
	}
}

/* The counter now (after sync). */
static uint32_t counter(Tim *t)
{
	if (!running(t))
		return t->cnt0;
	uint64_t ticks = (now_cycles(t) - t->anchor) / ((uint64_t)t->psc_act + 1);
	return (uint32_t)((t->cnt0 + ticks) & TIM_MAX);
}

/* Restart the count from the current tick: |cnt0| the counter now, the prescaler phase kept. */
static void rebase(Tim *t)
{
	if (!running(t))
		return;
	uint64_t step = (uint64_t)t->psc_act + 1;
	uint64_t ticks = (now_cycles(t) - t->anchor) / step;
	t->cnt0 = (uint32_t)((t->cnt0 + ticks) & TIM_MAX);
	t->anchor += ticks * step;
}

/* Ask the host for the next update when it can raise the IRQ or a DMA request (only the
 * IRQ wakes a task). */
static void rearm(Tim *t)
{
	PeriphModel *m = &t->base;
	bool update = running(t) && !(t->cr1 & CR1_UDIS);
	bool irq = update && (t->dier & DIER_UIE), wanted = irq || (update && (t->dier & DIER_UDE));

	m->host.arm(m->host.data, 0,
	            wanted ? periph_ns_of_cycles(next_overflow(t), m->info.clock_hz) : UINT64_MAX,
	            irq);
}

static void tim_reset(PeriphModel *m)
{
	Tim *t = tim(m);
	bool had_line = t->line, had_req = t->req;

	memset((char *)t + sizeof(PeriphModel), 0, sizeof(Tim) - sizeof(PeriphModel));
	t->arr = t->arr_act = TIM_MAX;
	t->line = had_line;
	t->req = had_req;
	update_irq(t);
	rearm(t);
}

static uint32_t tim_peek(PeriphModel *m, uint32_t off)
{
	Tim *t = tim(m);

	sync(t);
	switch (off) {
	case TIM_CR1:
		return t->cr1;
	case TIM_CR2:
		return t->cr2;
	case TIM_DIER:
		return t->dier;
	case TIM_SR:
		return t->sr;
	case TIM_EGR:
		return 0;
	case TIM_CNT:
		return counter(t) | ((t->cr1 & CR1_UIFREMAP) && (t->sr & SR_UIF) ? CNT_UIFCPY : 0);
	case TIM_PSC:
		return t->psc;
	case TIM_ARR:
		return t->arr;
	default:
		return off < PERIPH_PLAIN_BYTES ? t->plain[off / 4] : 0;
	}
}

/* A read has no side effect on this timer, but brings the state (and the IRQ) up to date. */
static uint32_t tim_read(PeriphModel *m, uint32_t off)
{
	uint32_t v = tim_peek(m, off);

	update_irq(tim(m));
	rearm(tim(m));
	return v;
}

static void write_cr1(Tim *t, uint32_t v)
{
	bool was = running(t);

	if (was)
		rebase(t);
	t->cr1 = v & CR1_MASK;
	if (!was && running(t))
		t->anchor = now_cycles(t); /* the prescaler counter starts at 0 */
}

static void write_arr(Tim *t, uint32_t v)
{
	rebase(t);
	t->arr = v & TIM_MAX;
	if (!(t->cr1 & CR1_ARPE))
		t->arr_act = t->arr;
}

/* UG: counter and prescaler counter restart from 0; an update event unless UDIS, which sets
 * UIF unless URS (only overflows set it then). */
static void generate_update(Tim *t)
{
	t->cnt0 = 0;
	if (running(t))
		t->anchor = now_cycles(t);
	if (!(t->cr1 & CR1_UDIS)) {
		uint32_t cr1 = t->cr1;
		update_event(t, !(t->cr1 & CR1_URS));
		t->cr1 = cr1; /* UG does not stop a one-pulse timer */
	}
}

static void tim_write(PeriphModel *m, uint32_t off, uint32_t v)
{
	Tim *t = tim(m);

	sync(t);
	switch (off) {
	case TIM_CR1:
		write_cr1(t, v);
		break;
	case TIM_CR2:
		t->cr2 = v & CR2_MMS;
		break;
	case TIM_DIER:
		t->dier = v & (DIER_UIE | DIER_UDE);
		break;
	case TIM_SR:
		t->sr &= v; /* rc_w0: writing 0 clears, 1 leaves the bit */
		break;
	case TIM_EGR:
		if (v & EGR_UG)
			generate_update(t);
		break;
	case TIM_CNT:
		rebase(t);
		t->cnt0 = v & TIM_MAX;
		break;
	case TIM_PSC:
		t->psc = v & TIM_MAX; /* always preloaded: active at the next update event */
		break;
	case TIM_ARR:
		write_arr(t, v);
		break;
	default:
		if (off < PERIPH_PLAIN_BYTES)
			t->plain[off / 4] = v;
		break;
	}
	update_irq(t);
	rearm(t);
}

/* As the device would: SR takes the value as it is (UIF can be set), EGR does nothing,
 * the rest as a bus write. */
static void tim_poke(PeriphModel *m, uint32_t off, uint32_t v)
{
	Tim *t = tim(m);

	if (off == TIM_SR) {
		sync(t);
		t->sr = v & SR_UIF;
		update_irq(t);
		rearm(t);
	} else if (off != TIM_EGR) {
		tim_write(m, off, v);
	}
}

static void tim_fire(PeriphModel *m, unsigned timer)
{
	Tim *t = tim(m);

	(void)timer;
	sync(t);
	update_irq(t);
	rearm(t);
}

/* The host served the update request. */
static void tim_dma_ack(PeriphModel *m, unsigned req)
{
	Tim *t = tim(m);

	(void)req;
	t->dma_pend = false;
	update_irq(t);
}

/* Sentry's devicetrees (dts/examples/nucleo_u5a5_autotest.dts: &timers6) */
static const char *const tim_compatible[] = {"st,stm32-timers", NULL};

const PeriphClass periph_stm32_tim_basic = {
    .name = "stm32-tim-basic",
    .compatible = tim_compatible,
    .summary = "STM32 basic timer (TIM6/TIM7): time base, update event and IRQ",
    .instance_size = sizeof(Tim),
    .reset = tim_reset,
    .read = tim_read,
    .write = tim_write,
    .peek = tim_peek,
    .poke = tim_poke,
    .fire = tim_fire,
    .dma = true,
    .dma_reg = {[PERIPH_DMA_RX] = TIM_CNT, [PERIPH_DMA_TX] = TIM_ARR},
    .dma_ack = tim_dma_ack,
};
