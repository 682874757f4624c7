/*
 * vcd.h: a run as waveforms, in the Value Change Dump format GTKWave opens
 * (`sentry-sim run --vcd FILE`). It is an observer of the run (sim/observer.h) with these
 * signals, in virtual time (1 ns resolution):
 *
 *   tasks.NAME          1 while the task is the one the kernel runs (idle excluded)
 *   gpio.DEV_P<port>_<pin>   the level of each GPIO pin a board device declares
 *   irq.irq<N>_pending, irq.irq<N>_enabled   each IRQ line a board device declares
 *
 * Values are sampled at every turn of the loop (after each system call and each jump of
 * virtual time) and written only when they change. Nothing depends on the wall clock, so
 * the same seed gives the same file.
 *
 * Lifecycle: vcd_new(path, board) -> register vcd_observer(v) with the run -> run ->
 * vcd_finish() -> vcd_free().
 */
#ifndef SIM_TRACE_VCD_H
#define SIM_TRACE_VCD_H

#include <glib.h>

#include "sim/kernel/board.h"
#include "sim/observer.h"

typedef struct vcd_writer VcdWriter;

/* Create (truncate) |path|. |board| (NULL: no board) is borrowed: it must outlive the run.
 * NULL with |error| (HOST_ERROR) when the file cannot be written. */
VcdWriter *vcd_new(const char *path, const Board *board, GError **error);
void vcd_free(VcdWriter *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VcdWriter, vcd_free)

/* The observer that writes |v| (which must outlive the run). */
RunObserver vcd_observer(VcdWriter *v);

/* Close the file. FALSE with |error| on a write error. */
gboolean vcd_finish(VcdWriter *v, GError **error);

#endif
