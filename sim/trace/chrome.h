/*
 * chrome.h: a run as a timeline, in the Chrome JSON trace event format, which
 * ui.perfetto.dev and chrome://tracing open (`sentry-sim run --trace FILE`). It is an
 * observer of the run (sim/observer.h):
 *
 *   - one track (thread) per task, idle included, in task-id order, and a "board" track;
 *   - each system call is a slice on its task's track, from the trap to the resume that
 *     returns it, with its number and arguments, and its result (r0) at the end;
 *   - a task's start is an instant event on its track;
 *   - an IPC or a signal sent to a task is a flow arrow from the sender's call to the
 *     receiver's call that returns next;
 *   - kernel reports (faults, panics, ...) are instant events on the task's track (on the
 *     board track when they concern no task), simulator notes (DMA) on the board track;
 *   - the end of the run is an instant event on the board track.
 *
 * Timestamps are virtual time (microseconds with nanosecond decimals, as the format wants
 * them); nothing depends on the wall clock or the host, so the same seed gives the same
 * file. Every slice is closed and every flow has both ends, even when the run stops early.
 *
 * Lifecycle: chrome_trace_new(path) -> register chrome_trace_observer(t) with the run ->
 * run -> chrome_trace_finish() -> chrome_trace_free().
 */
#ifndef SIM_TRACE_CHROME_H
#define SIM_TRACE_CHROME_H

#include <glib.h>

#include "sim/observer.h"

typedef struct chrome_trace ChromeTrace;

/* Create (truncate) |path|. NULL with |error| (HOST_ERROR) when it cannot be written. */
ChromeTrace *chrome_trace_new(const char *path, GError **error);
void chrome_trace_free(ChromeTrace *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ChromeTrace, chrome_trace_free)

/* The observer that writes |t| (which must outlive the run). */
RunObserver chrome_trace_observer(ChromeTrace *t);

/* Close the JSON document and the file. FALSE with |error| on a write error. */
gboolean chrome_trace_finish(ChromeTrace *t, GError **error);

#endif
