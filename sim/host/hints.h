/*
 * hints.h: hints for the usual first mistakes, printed once each on the report stream.
 *
 * Lifecycle: hints_new(out) -> hints_observer() registered with the run (sim/observer.h):
 * it sees each system call at the trap and the result the task resumes with, and looks at
 * the IRQ lines at the end of the run -> hints_free() after the run.
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
#include "sim/observer.h"
#include "sim/trace/output.h"

typedef struct hints Hints;

/* Hints for a run of |n_tasks| tasks on a platform of |num_irqs| IRQ lines (of the autotest
 * build or not), printed on |out| (not owned). */
Hints *hints_new(Output *out, uint32_t n_tasks, uint32_t num_irqs, bool autotest);
void hints_free(Hints *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Hints, hints_free)

/* The observer that gives the hints (its data is |h|, which must outlive the run). */
RunObserver hints_observer(Hints *h);

#endif /* SIM_HOST_HINTS_H */
