/*
 * board.h: the board as the kernel sees it (uapi.md section 9): devices, shared memories
 * and DMA streams, in declaration order (indexes become handle fields). Pure data, filled
 * by the system description loader and copied by kernel_new.
 */
#ifndef SIM_KERNEL_BOARD_H
#define SIM_KERNEL_BOARD_H

#include <stdbool.h>
#include <stdint.h>

#define BOARD_MAX_IRQS 8 /* entries beyond 8 are ignored (9.1) */
#define BOARD_MAX_IOS  8
#define BOARD_MAX_REGS 32

typedef struct {
	uint8_t port, pin, mode, af, ppull, speed;
	uint32_t pupdr;
} BoardIo;

typedef struct {
	uint32_t offset; /* byte offset in the register window, 4-aligned */
	uint32_t value;  /* reset value */
} BoardReg;

typedef struct {
	const char *name; /* not copied: must outlive the kernel */
	uint32_t label;
	bool has_owner;      /* a device without owner is not in the kernel's list */
	uint32_t owner;      /* owner task label */
	uint32_t cap;        /* capability class, from the compatible strings (9.1) */
	uint64_t base, size; /* register window; both 0 when none */
	bool mappable;
	uint8_t n_irqs;
	uint16_t irqs[BOARD_MAX_IRQS];
	uint8_t n_ios;
	BoardIo ios[BOARD_MAX_IOS];
	uint8_t n_regs;
	BoardReg regs[BOARD_MAX_REGS];
	/* Host side only (the kernel model ignores it): the peripheral model that answers the
	 * device's registers, or NULL for a plain memory window. A device with a model is
	 * mapped in its task without access; each register access traps to the daemon, which
	 * asks the run's observers (RunObserver.mmio). Not copied: must outlive the kernel. */
	const char *model;
} BoardDevice;

typedef struct {
	const char *name;
	uint32_t label;
	uint32_t owner; /* owner task label */
	uint64_t base, size;
	bool no_map;
	bool dma_pool;
} BoardShm;

typedef enum {
	BOARD_END_SHM = 0,
	BOARD_END_DEVICE = 1,
} BoardEndKind;

typedef struct {
	BoardEndKind kind;
	uint32_t index; /* in the SHM or device table */
} BoardEnd;

typedef struct {
	const char *name;
	uint32_t label;
	uint32_t owner; /* owner task label (the owner of the stream's channel) */
	uint16_t channel, stream, controller;
	BoardEnd source, dest;
	uint32_t length;
	bool circular_source, circular_dest;
	uint8_t priority; /* MEDIUM (1) when not given (9.3) */
} BoardDma;

typedef struct {
	uint32_t n_devices;
	const BoardDevice *devices;
	uint32_t n_shms;
	const BoardShm *shms;
	uint32_t n_dmas;
	const BoardDma *dmas;
} Board;

/* The capability class of a device from its compatible strings, concatenated (9.1). */
uint32_t board_device_class(const char *compatible);

/* The device handle of uapi.md 3.1: deterministic. */
static inline uint32_t board_device_handle(const BoardDevice *d)
{
	return (d->cap & 0xFFFu) | ((d->label & 0xFFFFu) << 13) | (1u << 29);
}

#endif
