/*
 * observe.h: the trace layer as observers of a run (sim/observer.h): what a person reads
 * (Output: task logs, reports, notes and the summary table) and the syscall record
 * (Recorder: starts, calls, returns, reports, the end).
 *
 * Lifecycle: create the Output or Recorder -> fill the struct below (it must live as long as
 * the run) -> register *_observer(&it) with the run -> run -> free the Output or Recorder.
 */
#ifndef SIM_TRACE_OBSERVE_H
#define SIM_TRACE_OBSERVE_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/observer.h"
#include "sim/trace/output.h"
#include "sim/trace/record.h"

typedef struct {
	Output *output; /* not owned */
	FILE *summary;  /* where the summary table goes (the task output stream); NULL: none */
} OutputObserver;

/* Task logs, kernel reports and simulator notes to |self->output|; at the end, partial
 * lines flushed, then the summary table. */
RunObserver output_observer(OutputObserver *self);

typedef struct {
	Recorder *record;     /* not owned */
	const char *scenario; /* the header's scenario path (absolute for a replay) */
	uint64_t seed;        /* the header's seed */
} RecordObserver;

/* The header when the run boots, every start, call and return, the kernel's reports as
 * notes, and the end; a comparing record stops the run at its first divergence. */
RunObserver record_observer(RecordObserver *self);

/* "fault", "panic", "deadlock", ...: a report's kind as the record and the timeline name it. */
const char *trace_report_kind_name(KernelReportKind kind);

#endif
