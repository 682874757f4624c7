/*
 * memory.h: the board's memory windows (SHMs and device registers) as host memory.
 *
 * Lifecycle: board_memory_new(board) -> board_memory_task_new() per task ->
 * board_memory_change() on every window the kernel maps or unmaps, which yields the page
 * operations the task's runtime must apply -> board_memory_task_reset() on respawn ->
 * board_memory_free().
 *
 * Every window is its own memory object (a memfd), except that windows sharing a host page
 * (MPU granularity is 32 bytes) share one, so that they share its bytes. A task maps a
 * page with the union of the permissions of the windows it has mapped there; each mapping
 * operation carries the descriptor of that object only, read-only for a read-only union,
 * so even a raw mprotect in the task cannot make it writable, and no descriptor reaches
 * memory the task was not granted. The daemon keeps its own read-write view for device
 * registers, DMA transfers and scenarios.
 *
 * A page that a device with a model (BoardDevice.model) covers is never backed in a task:
 * it is reserved there without access (SENTRY_WINDOW_TRAP, no descriptor), so that each
 * access traps to the daemon (sim/host/mmio.c), whatever window of the task covers it.
 */
#ifndef SIM_HOST_MEMORY_H
#define SIM_HOST_MEMORY_H

#include <glib.h>
#include <stdint.h>

#include "sim/kernel/board.h"

#define BOARD_PAGE 4096u

typedef struct board_memory BoardMemory;
typedef struct task_windows TaskWindows;

/* One operation for a task's runtime: map [addr, addr + len) from the memory object |fd|
 * at |offset| with |prot| (PROT_READ, PROT_READ | PROT_WRITE), reserve it without access
 * (SENTRY_WINDOW_TRAP, fd -1), or unmap it (prot 0, fd -1). */
typedef struct {
	uint64_t addr, len, offset;
	uint32_t prot;
	uint32_t fresh; /* nothing of ours was mapped there: must not replace a mapping */
	int fd;         /* owned by the BoardMemory: read-only unless |prot| writes */
} WindowOp;

/* Returns NULL with |error| set when the memfd cannot be created. A board without windows
 * gives a BoardMemory with no pages. Device registers start at their reset values. */
BoardMemory *board_memory_new(const Board *board, GError **error);
void board_memory_free(BoardMemory *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BoardMemory, board_memory_free)

/* The daemon's view of physical [addr, addr + len), or NULL when not all of it is backed. */
uint8_t *board_memory_at(BoardMemory *m, uint64_t addr, uint64_t len);

TaskWindows *board_memory_task_new(BoardMemory *m);
void board_memory_task_free(TaskWindows *tw);
/* A fresh process image: nothing mapped. */
void board_memory_task_reset(TaskWindows *tw);

/* Is the page of |addr| one that task |tw| has mapped and that traps (a device with a
 * model covers it)? */
gboolean board_memory_task_trapped(const TaskWindows *tw, uint64_t addr);

/* A window appears (|mapped|) or leaves; append the resulting page operations to |ops|
 * (of WindowOp). */
void board_memory_change(BoardMemory *m, TaskWindows *tw, uint64_t base, uint64_t size,
                         gboolean writable, gboolean mapped, GArray *ops);

#endif
