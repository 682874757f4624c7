/*
 * observe.h: the periph observer: one model instance (periph.h) per device of the board whose
 * BoardDevice.model names a class, answering the run's trapped register accesses
 * (RunObserver.mmio) in virtual time. It fires the models' timers at their virtual times
 * (check, bounding the jumps of time with next_deadline), turns their IRQ lines into
 * kernel_inject_irq() on each rising edge (and again when the owner re-enables a line the
 * device still asserts, as a level-triggered NVIC line would), and passes the bytes a device
 * sends to its host (PeriphRunConfig.tx). It paces the DMA streams between a device with a
 * model and an SHM (RunObserver.dma_paced): each request the model raises moves one byte
 * between the device's data register and the SHM (PeriphRunConfig.memory), and the stream's
 * completion (kernel_dma_complete) follows its last byte. Devices with the "memory" model or
 * none are left to the trap mechanism's plain-memory path.
 *
 * Lifecycle: periph_run_new(cfg) -> run_observe(run, periph_observer(p)) -> the run (setup()
 * resets every model with the device's declared register values; scripts may use
 * periph_run_register() and periph_run_rx() once it booted) -> periph_run_free().
 */
#ifndef SIM_PERIPH_OBSERVE_H
#define SIM_PERIPH_OBSERVE_H

#include <glib.h>
#include <stdint.h>

#include "sim/kernel/board.h"
#include "sim/observer.h"
#include "sim/periph/periph.h"

typedef struct periph_run PeriphRun;

typedef struct {
	const Board *board; /* not copied: must outlive the PeriphRun */
	uint64_t clock_hz;  /* the models' clock: the core frequency (KernelConfig.core_freq_hz) */
	void *data;         /* for |tx| */
	/* bytes device |device| (board index) sent out at |now_ns|; may be NULL */
	void (*tx)(void *data, uint32_t device, const uint8_t *bytes, size_t len, uint64_t now_ns);
	/* the board memory at [addr, addr + len) (an SHM end of a DMA stream), or NULL when not
	 * backed; NULL: DMA streams move no byte */
	uint8_t *(*memory)(void *data, uint64_t addr, uint64_t len);
} PeriphRunConfig;

/* Instances for the devices of |cfg->board| with a model class; |cfg| is copied. */
PeriphRun *periph_run_new(const PeriphRunConfig *cfg);
void periph_run_free(PeriphRun *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PeriphRun, periph_run_free)

/* No device of the board has a model class. */
gboolean periph_run_empty(const PeriphRun *p);
/* The observer (it borrows |p|). */
RunObserver periph_observer(PeriphRun *p);

/* The model instance of device |device| (board index), or NULL. */
PeriphModel *periph_run_model(PeriphRun *p, uint32_t device);

/* A script's register access at board address |addr| (4-aligned): when a device with a model
 * holds it, read (periph_peek) or set (periph_poke) the register and return TRUE; FALSE
 * otherwise (the plain window's memory answers). */
gboolean periph_run_register(PeriphRun *p, uint64_t addr, gboolean write, uint32_t *value);
/* DMA stream |stream| (board index) is fed from outside (a script's 'dma' step stands in for
 * its device): its device's model does not pace it. Call before the run. */
void periph_run_unpace(PeriphRun *p, uint32_t stream);
/* Bytes from outside for device |device|'s receive line. Returns NULL, or why it cannot
 * take them (static text). */
const char *periph_run_rx(PeriphRun *p, uint32_t device, const uint8_t *bytes, size_t len);

#endif
