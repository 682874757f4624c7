/*
 * hints.h: hints for the usual first mistakes, printed once each on the report stream.
 *
 * Lifecycle: hints_new(out) -> per system call: hints_call() at the trap, hints_result()
 * when the task resumes with its result -> hints_end() once the run is over -> hints_free().
 * The hints: a call refused with DENIED because the task lacks the capability it needs
 * (once per task and call), and an IRQ line left pending but masked at the end of the run
 * (its driver did not enable it again after the last interrupt). The scenario engine adds
 * its own (a log line without its newline, sim/scenario/script.c).
 */
#ifndef SIM_HOST_HINTS_H
#define SIM_HOST_HINTS_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "sim/kernel/kernel.h"
#include "sim/trace/output.h"

typedef struct hints Hints;

/* Hints for a run of |n_tasks| tasks (of the autotest build or not), printed on |out|
 * (not owned). */
Hints *hints_new(Output *out, uint32_t n_tasks, bool autotest);
void hints_free(Hints *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Hints, hints_free)

/* Task |id| trapped with system call |nr| and |args|. */
void hints_call(Hints *h, uint32_t id, uint32_t nr, const uint32_t args[3]);
/* Task |id| resumes with |r0|, the result of its last call. */
void hints_result(Hints *h, const Kernel *k, uint32_t id, uint32_t r0);
/* The run is over: lines (of the platform's |num_irqs|) pending but masked. */
void hints_end(Hints *h, const Kernel *k, uint32_t num_irqs);

#endif /* SIM_HOST_HINTS_H */
