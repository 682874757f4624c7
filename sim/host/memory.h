/*
 * memory.h: the board's memory windows (SHMs and device registers) as host memory.
 *
 * Lifecycle: board_memory_new(board) -> board_memory_task_new() per task ->
 * board_memory_change() on every window the kernel maps or unmaps, which yields the page
 * operations the task's runtime must apply -> board_memory_task_reset() on respawn ->
 * board_memory_free().
 *
 * Every host page that some window covers gets one 4 KiB slot in a single memfd, in address
 * order, so windows that share a page (MPU granularity is 32 bytes) share its bytes. A
 * task maps a page with the union of the permissions of the windows it has mapped there;
 * a read-only union is mapped through a read-only descriptor, so even a raw mprotect in the
 * task cannot make it writable. The daemon keeps its own read-write view for device
 * registers, DMA transfers and scenarios.
 */
#ifndef SIM_HOST_MEMORY_H
#define SIM_HOST_MEMORY_H

#include <glib.h>
#include <stdint.h>

#include "sim/kernel/board.h"

#define BOARD_PAGE 4096u

typedef struct board_memory BoardMemory;
typedef struct task_windows TaskWindows;

/* One operation for a task's runtime: map [addr, addr + len) from the memfd at |offset|
 * with |prot| (PROT_READ, PROT_READ | PROT_WRITE), or unmap it (prot 0). */
typedef struct {
	uint64_t addr, len, offset;
	uint32_t prot;
	uint32_t fresh; /* nothing of ours was mapped there: must not replace a mapping */
} WindowOp;

/* Returns NULL with |error| set when the memfd cannot be created. A board without windows
 * gives a BoardMemory with no pages. Device registers start at their reset values. */
BoardMemory *board_memory_new(const Board *board, GError **error);
void board_memory_free(BoardMemory *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BoardMemory, board_memory_free)

/* Descriptors of the memfd, read-write and read-only (owned by |m|). */
int board_memory_fd(const BoardMemory *m, gboolean writable);

/* The daemon's view of physical [addr, addr + len), or NULL when not all of it is backed. */
uint8_t *board_memory_at(BoardMemory *m, uint64_t addr, uint64_t len);

TaskWindows *board_memory_task_new(BoardMemory *m);
void board_memory_task_free(TaskWindows *tw);
/* A fresh process image: nothing mapped. */
void board_memory_task_reset(TaskWindows *tw);

/* A window appears (|mapped|) or leaves; append the resulting page operations to |ops|
 * (of WindowOp). */
void board_memory_change(BoardMemory *m, TaskWindows *tw, uint64_t base, uint64_t size,
			 gboolean writable, gboolean mapped, GArray *ops);

#endif
