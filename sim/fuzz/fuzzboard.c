/*
 * fuzzboard.c: the board of fuzz programs (see fuzzboard.h).
 */
#include "config.h"

#include <string.h>

#include <uapi/dma.h>
#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/fuzz/fuzzboard.h"

enum { ROLE_A = 0, ROLE_B = 1, ROLE_NONE = 2 };

typedef struct {
	const char *name;
	uint8_t role;
	uint32_t cap;
	uint64_t base, size;
	uint8_t n_irqs;
	uint16_t irqs[2];
	uint8_t n_ios;
	uint8_t ios[3][2]; /* port, pin */
} DevSpec;

/* Windows are page-aligned and disjoint: the board must be describable (the system
 * description refuses overlapping windows), and host pages are never shared by owners. */
static const DevSpec devs[FUZZBOARD_DEVICES] = {
    {"leds", ROLE_A, CAP_DEV_IO, 0x40020000, 0x400, 1, {6}, 3, {{0, 5}, {0, 6}, {1, 0}}},
    /* io 0 is the same physical pin as the leds' io 0: they share its level (4.19) */
    {"usart1", ROLE_B, CAP_DEV_BUSES, 0x40011000, 0x400, 2, {37, 38}, 2, {{0, 5}, {2, 3}}},
    /* no capability class: map_dev panics (4.7, 9.1); IRQ 38 belongs to usart1 (first) */
    {"mystery", ROLE_A, 0, 0x40030000, 0x100, 2, {38, 40}, 0, {{0}}},
    {"timer2", ROLE_A, CAP_DEV_TIMER, 0x40000000, 0x400, 1, {28}, 1, {{1, 1}}},
    /* no register window: mapping it is not characterized (4.7) */
    {"rng", ROLE_A, CAP_DEV_CRYPTO, 0, 0, 1, {80}, 0, {{0}}},
    /* no owner: not in the kernel device list, no task sees it (9.1) */
    {"console", ROLE_NONE, CAP_DEV_BUSES, 0x40004400, 0x400, 1, {39}, 1, {{3, 3}}},
    {"dma1", ROLE_B, CAP_DEV_DMA, 0x40026000, 0x400, 1, {11}, 0, {{0}}},
};

typedef struct {
	const char *name;
	uint8_t role;
	uint64_t base, size;
	bool no_map, dma_pool;
} ShmSpec;

static const ShmSpec shms[FUZZBOARD_SHMS] = {
    {"shm-a", ROLE_A, 0x20010000, 0x1000, false, true},
    {"shm-b", ROLE_B, 0x20020000, 0x800, false, true},
    {"shm-nomap", ROLE_A, 0x20030000, 0x100, true, false},
    {"shm-a2", ROLE_A, 0x20040000, 0x1000, false, true},
};

typedef struct {
	const char *name;
	uint8_t role;
	uint16_t channel, stream, controller;
	BoardEnd source, dest;
	uint32_t length;
	bool circ_src, circ_dst;
	uint8_t priority;
} DmaSpec;

static const DmaSpec dmas[FUZZBOARD_DMAS] = {
    {"m2m",
     ROLE_A,
     1,
     0,
     0,
     {BOARD_END_SHM, 0},
     {BOARD_END_SHM, 3},
     256,
     false,
     false,
     GPDMA_PRIORITY_MEDIUM},
    {"uart-rx",
     ROLE_B,
     2,
     5,
     0,
     {BOARD_END_DEVICE, 1},
     {BOARD_END_SHM, 1},
     64,
     false,
     true,
     GPDMA_PRIORITY_HIGH},
    {"leds-tx",
     ROLE_A,
     3,
     7,
     1,
     {BOARD_END_SHM, 3},
     {BOARD_END_DEVICE, 0},
     16,
     true,
     false,
     GPDMA_PRIORITY_VERY_HIGH},
};

static void add_unique(uint16_t *list, uint32_t *n, uint32_t cap, uint16_t v)
{
	for (uint32_t i = 0; i < *n; i++)
		if (list[i] == v)
			return;
	if (*n < cap)
		list[(*n)++] = v;
}

uint32_t fuzzboard_dev_label(uint32_t i)
{
	return 0x101u + i;
}

uint32_t fuzzboard_shm_label(uint32_t i)
{
	return 0x201u + i;
}

uint32_t fuzzboard_dma_label(uint32_t i)
{
	return 0x301u + i;
}

uint16_t fuzzboard_irq(uint32_t i)
{
	uint16_t list[FUZZBOARD_IRQS];
	uint32_t n = 0;
	for (uint32_t d = 0; d < FUZZBOARD_DEVICES; d++)
		for (uint32_t j = 0; j < devs[d].n_irqs; j++)
			add_unique(list, &n, FUZZBOARD_IRQS, devs[d].irqs[j]);
	return list[i % n];
}

static uint8_t role_task(const ProgConfig *c, uint8_t role)
{
	if (role == ROLE_NONE || c->n_tasks == 0)
		return FUZZBOARD_NO_TASK;
	return (uint8_t)((role == ROLE_A ? c->board_a : c->board_b) % c->n_tasks);
}

/* The fuzz board for a configuration: owners by role, IRQ lines and pins deduplicated. */
void fuzzboard_build(const ProgConfig *c, FuzzBoard *fb)
{
	memset(fb, 0, sizeof(*fb));
	uint32_t n_irqs = 0, n_pins = 0;
	for (uint32_t i = 0; i < FUZZBOARD_DEVICES; i++) {
		const DevSpec *s = &devs[i];
		BoardDevice *d = &fb->devices[i];
		uint8_t owner = role_task(c, s->role);
		fb->dev_owner[i] = owner;
		*d = (BoardDevice){.name = s->name,
		                   .label = fuzzboard_dev_label(i),
		                   .has_owner = owner != FUZZBOARD_NO_TASK,
		                   .owner = owner != FUZZBOARD_NO_TASK ? c->tasks[owner].label : 0,
		                   .cap = s->cap,
		                   .base = s->base,
		                   .size = s->size,
		                   .mappable = s->size != 0,
		                   .n_irqs = s->n_irqs,
		                   .n_ios = s->n_ios};
		for (uint32_t j = 0; j < s->n_irqs; j++) {
			d->irqs[j] = s->irqs[j];
			add_unique(fb->irqs, &n_irqs, FUZZBOARD_IRQS, s->irqs[j]);
		}
		for (uint32_t j = 0; j < s->n_ios; j++) {
			d->ios[j] = (BoardIo){.port = s->ios[j][0], .pin = s->ios[j][1], .mode = 1};
			if (d->has_owner)
				add_unique(fb->pins, &n_pins, FUZZBOARD_PINS,
				           (uint16_t)(s->ios[j][0] << 8 | s->ios[j][1]));
		}
	}
	for (uint32_t i = 0; i < FUZZBOARD_SHMS; i++) {
		const ShmSpec *s = &shms[i];
		uint8_t owner = role_task(c, s->role);
		fb->shm_owner[i] = owner;
		fb->shms[i] =
		    (BoardShm){.name = s->name,
		               .label = fuzzboard_shm_label(i),
		               .owner = owner != FUZZBOARD_NO_TASK ? c->tasks[owner].label : 0,
		               .base = s->base,
		               .size = s->size,
		               .no_map = s->no_map,
		               .dma_pool = s->dma_pool};
	}
	for (uint32_t i = 0; i < FUZZBOARD_DMAS; i++) {
		const DmaSpec *s = &dmas[i];
		uint8_t owner = role_task(c, s->role);
		fb->dma_owner[i] = owner;
		fb->dmas[i] =
		    (BoardDma){.name = s->name,
		               .label = fuzzboard_dma_label(i),
		               .owner = owner != FUZZBOARD_NO_TASK ? c->tasks[owner].label : 0,
		               .channel = s->channel,
		               .stream = s->stream,
		               .controller = s->controller,
		               .source = s->source,
		               .dest = s->dest,
		               .length = s->length,
		               .circular_source = s->circ_src,
		               .circular_dest = s->circ_dst,
		               .priority = s->priority};
	}
	fb->n_irqs = (uint8_t)n_irqs;
	fb->n_pins = (uint8_t)n_pins;
	if (!c->board)
		return; /* the tables stay readable; the Board itself is empty */
	fb->board = (Board){.n_devices = FUZZBOARD_DEVICES,
	                    .devices = fb->devices,
	                    .n_shms = FUZZBOARD_SHMS,
	                    .shms = fb->shms,
	                    .n_dmas = FUZZBOARD_DMAS,
	                    .dmas = fb->dmas};
}
