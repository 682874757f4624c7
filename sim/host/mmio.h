/*
 * mmio.h: trapped register access, the daemon's side (docs/periph.md, "How register access
 * is trapped").
 *
 * A device with a model (BoardDevice.model) is reserved in its task without access; the
 * task's runtime (uapi/src/trap.c) sends each faulting access as a SENTRY_REQ_MMIO: the
 * fault address, the general registers and the instruction's bytes. The daemon decodes the
 * instruction with Capstone, performs the access on the run's observers (RunObserver.mmio)
 * at the current virtual time, or on the window's memory when no observer answers, and
 * answers with the task's new registers, rip and flags.
 *
 * Two layers: mmio_emulate() is pure (bytes, registers and an access function in, the new
 * registers out; tests/unit/check_mmio.c drives it on byte sequences); mmio_serve() checks
 * a task's request against the windows it has mapped and performs the accesses.
 */
#ifndef SIM_HOST_MMIO_H
#define SIM_HOST_MMIO_H

#include <glib.h>
#include <stdint.h>

#include "sim/host/memory.h"
#include "sim/host/proc.h"
#include "sim/kernel/board.h"
#include "sim/kernel/kernel.h"
#include "sim/observer.h"

/* Virtual time one trapped access costs the task (a peripheral bus access of an MCU: tens
 * of cycles), so that a task polling a register sees time pass: a read-modify-write is two
 * accesses, a rep stos one per element. */
#define MMIO_ACCESS_NS 100u

/* The registers an instruction may read or write: rax rcx rdx rbx rsp rbp rsi rdi r8..r15
 * (encoding order), rip and rflags. */
typedef struct {
	uint64_t regs[16];
	uint64_t rip, rflags;
} MmioCpu;

/* One access of |width| (1, 2, 4 or 8) bytes at |addr|: a load fills |*value|, a store
 * writes it. FALSE refuses it: |*why| (newly allocated) says why, and the task faults. */
typedef gboolean (*MmioAccessFn)(void *data, uint64_t addr, unsigned width, gboolean write,
                                 uint64_t *value, char **why);

typedef struct mmio_decoder MmioDecoder;

MmioDecoder *mmio_decoder_new(GError **error);
void mmio_decoder_free(MmioDecoder *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MmioDecoder, mmio_decoder_free)

typedef enum {
	MMIO_DONE,  /* performed; |cpu| is the task's new state (rip after the instruction) */
	MMIO_MORE,  /* |n| < 15 and the bytes end inside the instruction: need 15 */
	MMIO_FAULT, /* not performed: |*why| says why ("unsupported instruction '...'") */
} MmioResult;

/* Decode the instruction at cpu->rip from |bytes| (|n| of them), one of whose memory
 * operands faulted at |fault|, and perform it through |access|. */
MmioResult mmio_emulate(MmioDecoder *d, const uint8_t *bytes, size_t n, uint64_t fault,
                        MmioCpu *cpu, MmioAccessFn access, void *data, char **why);

/* What the daemon's loop lends mmio_serve() for one request of task |task|. */
typedef struct {
	Kernel *k;
	uint32_t task;
	const Board *board;
	BoardMemory *mem;
	TaskWindows *windows; /* the task's */
	const RunObserver *obs;
	guint n_obs;
	MmioDecoder *decoder;
	guint accesses; /* set by mmio_serve(): how many it performed (a read-modify-write: 2) */
} MmioContext;

/* Serve the SENTRY_REQ_MMIO on |p|'s page: check it, perform it, charge its virtual time
 * and put the task's new state on the page (the caller replies). FALSE when the task must
 * fault: |*why| (newly allocated) is the diagnosis. */
gboolean mmio_serve(MmioContext *c, TaskProc *p, char **why);

#endif
