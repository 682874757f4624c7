/*
 * fuzzboard.h: the board fuzz programs run on (uapi.md 9): a fixed set of devices, SHMs and
 * DMA streams whose owners come from the program's configuration.
 *
 * Lifecycle: fuzzboard_build(config, &fb) fills |fb| (a plain value: the Board's arrays point
 * into it, so it must not move while a kernel built from it lives; kernel_new deep-copies
 * the tables, so a copy made after kernel_new is fine for reading).
 *
 * The board is small but reaches every board path: two owners (roles A and B, task indexes
 * from ProgConfig), a device of every kind of interest (GPIO, a bus, a class-0 device whose
 * map panics, a windowless one, an unowned one that no task sees), two io entries on one
 * physical pin across devices, an IRQ declared twice (the first device wins), more windows
 * for A than its four mapping slots, a no-map SHM, and memory-to-memory, device-to-memory
 * and memory-to-device streams. Everything a generator or an oracle needs to know about it is
 * here: labels, owners, IRQ numbers and pins.
 *
 * Pure C (no glib).
 */
#ifndef SIM_FUZZ_FUZZBOARD_H
#define SIM_FUZZ_FUZZBOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/fuzz/prog.h"
#include "sim/kernel/board.h"

#define FUZZBOARD_DEVICES 7
#define FUZZBOARD_SHMS    4
#define FUZZBOARD_DMAS    3
#define FUZZBOARD_IRQS    8 /* distinct IRQ numbers the devices declare */
#define FUZZBOARD_PINS    5 /* distinct physical pins */
#define FUZZBOARD_NO_TASK 0xFFu

typedef struct FuzzBoard {
	Board board; /* n_* are 0 when the program has no board */
	BoardDevice devices[FUZZBOARD_DEVICES];
	BoardShm shms[FUZZBOARD_SHMS];
	BoardDma dmas[FUZZBOARD_DMAS];
	/* owner task index of each resource, FUZZBOARD_NO_TASK for none */
	uint8_t dev_owner[FUZZBOARD_DEVICES];
	uint8_t shm_owner[FUZZBOARD_SHMS];
	uint8_t dma_owner[FUZZBOARD_DMAS];
	uint16_t irqs[FUZZBOARD_IRQS]; /* every IRQ number declared, unowned ones too */
	uint16_t pins[FUZZBOARD_PINS]; /* port << 8 | pin of every pin of owned devices */
	uint8_t n_irqs, n_pins;
} FuzzBoard;

/* The board of |c| (empty when c->board is false). */
void fuzzboard_build(const ProgConfig *c, FuzzBoard *fb);

/* Labels of resource |i| of each table (whether or not the program has a board). */
uint32_t fuzzboard_dev_label(uint32_t i);
uint32_t fuzzboard_shm_label(uint32_t i);
uint32_t fuzzboard_dma_label(uint32_t i);
/* The |i|-th (modulo FUZZBOARD_IRQS) distinct IRQ number the devices declare. */
uint16_t fuzzboard_irq(uint32_t i);

#endif
