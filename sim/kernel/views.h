/*
 * views.h: read-only views of the kernel model's state, for the fuzz oracle (sim/fuzz) and the
 * unit tests: the dynamic state the spec makes observable in principle (uapi.md 7.1), the
 * queues, the job sets and the board's resources. Implemented in views.c.
 *
 * Lifecycle: none; every view reads a live Kernel (kernel.h) and has no side effect and no
 * report. The oracle judges the model from these views alone, so a view shows the state as
 * it is stored, never as a gate would interpret it.
 */
#ifndef SIM_KERNEL_VIEWS_H
#define SIM_KERNEL_VIEWS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/kernel/kernel.h"

/* The dynamic state of task |id| (idle included) that the spec makes observable in
 * principle (uapi.md 7.1, "dynamic state of each task"). */
typedef struct {
	JobState state;
	uint32_t handle;
	uint32_t caps;       /* effective capabilities: metadata, | the global set (autotest) */
	bool assigned;       /* a result is recorded and not yet delivered (1.1) */
	uint32_t pending;    /* that result */
	uint32_t r0;         /* the result register */
	uint32_t ipc_target; /* task id it is blocked sending to, or KERNEL_NO_TASK */
	uint32_t ipc_len;
	uint32_t aborted_by; /* unsupported syscall number that set ABORTING, or UINT32_MAX */
	uint32_t irq_count;  /* IRQ ring occupancy (at most KERNEL_EVENT_RING - 1) */
	uint32_t dma_count;  /* DMA ring occupancy */
	uint32_t generation; /* as kernel_task_generation() */
	bool respawned;      /* as kernel_task_has_respawned() */
	bool hung;           /* as kernel_task_hung() */
	int32_t exit_code;   /* as kernel_task_exit_code() */
} KernelTaskView;

void kernel_view_task(const Kernel *k, uint32_t id, KernelTaskView *v);
/* One word per task, idle included (|words| receives kernel_task_count() + 1), that changes
 * whenever the task's job state, the head or tail of its IRQ or DMA ring, or the signal it
 * holds from itself (its alarm) changes: for an observer that looks at every turn (the
 * trace writer), much cheaper than kernel_view_task() on each task. */
void kernel_view_task_words(const Kernel *k, uint64_t *words);
/* Pending IPC length and pending signal that task |id| holds from |sender| (0 = none). */
uint16_t kernel_view_ipc_pending(const Kernel *k, uint32_t id, uint32_t sender);
uint8_t kernel_view_sig_pending(const Kernel *k, uint32_t id, uint32_t sender);
/* CONFIG_MAX_TASKS: the number of cells in each job set, the delay and the alarm queue. */
uint32_t kernel_view_queue_len(const Kernel *k);
/* Cell |i| of the active (|active|) or backed job set; false when the cell is free. */
bool kernel_view_job_cell(const Kernel *k, bool active, uint32_t i, uint32_t *handle,
                          uint32_t *quantum);
/* Entry |i| of the sleep/timeout delay queue; false when free. */
bool kernel_view_delay(const Kernel *k, uint32_t i, uint32_t *task, uint32_t *remaining);
/* Entry |i| of the alarm queue; false when free. */
bool kernel_view_alarm(const Kernel *k, uint32_t i, uint32_t *handle, uint32_t *delay,
                       uint32_t *remaining, bool *periodic);
/* The cause of the panic; meaningful only when kernel_panicked(). */
PanicCause kernel_view_panic_cause(const Kernel *k);
/* Both slot rows of task |id| at once: |ipc| and |sig| receive kernel_task_count() + 1
 * entries, indexed by sender (the per-slot views, without a call per slot). */
void kernel_view_slots(const Kernel *k, uint32_t id, uint16_t *ipc, uint8_t *sig);

/* Board views (sim/kernel/board.c), by index in the board's own tables (board.h). */

/* Device |i| of the board table: false when it is not in the kernel device list (no
 * owner) or out of range. |owner| is the owner's boot-time handle (7.2). */
bool kernel_view_device(const Kernel *k, uint32_t i, uint32_t *handle, uint32_t *owner,
                        bool *mapped);

/* One credential slot of an SHM (4.8). */
typedef struct {
	uint32_t task; /* the task handle the slot names */
	bool mappable, rw, transferable, mapped;
} KernelShmSlotView;

/* SHM |i|: false when out of range. */
bool kernel_view_shm(const Kernel *k, uint32_t i, uint32_t *handle, KernelShmSlotView *owner,
                     KernelShmSlotView *user, bool *shared);
/* DMA stream |i|: its handle, its owner's boot-time handle and its state (0 UNSET,
 * 1 ASSIGNED, 2 STARTED, 3 SUSPENDED); false when out of range. */
bool kernel_view_dma(const Kernel *k, uint32_t i, uint32_t *handle, uint32_t *owner,
                     uint32_t *state);
/* Mapping slot |slot| (0..3) of task |id|: false when free; |shm| says which table
 * |index| refers to, |writable| how it is mapped. */
bool kernel_view_window(const Kernel *k, uint32_t id, uint32_t slot, bool *shm, uint32_t *index,
                        bool *writable);
/* IRQ line |irq|: false when out of the platform's range. */
bool kernel_view_irq_line(const Kernel *k, uint32_t irq, bool *enabled, bool *pending);
/* GPIO pin (port, pin): its driven output level, whether the host drives it and at which
 * level; false when no listed device declares it. */
bool kernel_view_pin(const Kernel *k, uint8_t port, uint8_t pin, bool *level, bool *driven,
                     bool *input);
/* The IRQ (|dma| false) or DMA ring of task |id|, oldest first: up to KERNEL_EVENT_RING - 1
 * (a, b) pairs (IRQ: number, device handle; DMA: stream handle, state). Returns the count. */
uint32_t kernel_view_ring(const Kernel *k, uint32_t id, bool dma, uint32_t cells[][2]);

#endif
