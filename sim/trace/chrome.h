/*
 * chrome.h: a run as a timeline, in the Chrome JSON trace event format, which
 * ui.perfetto.dev and chrome://tracing open (`sentry-sim run --trace FILE`). It is an
 * observer of the run (sim/observer.h):
 *
 *   - a "board" track, then per task (idle included, in task-id order) two tracks: its
 *     system calls, and "NAME state", its job state over virtual time as consecutive
 *     complete slices (running, ready, sleeping, waiting for events, blocked in send_ipc,
 *     faulted, finished), sampled at every turn of the loop, resume and system call;
 *   - each system call is a slice on its task's track, from the trap to the resume that
 *     returns it, with its number and arguments, and its result (r0) at the end;
 *   - a task's start is an instant event on its track;
 *   - an IPC or a signal sent to a task is a flow arrow from the sender's call to the
 *     receiver's call that returns next;
 *   - kernel reports (faults, panics, ...) are instant events on the task's track (on the
 *     board track when they concern no task), simulator notes (DMA) on the board track;
 *   - on the board track: each IRQ and DMA completion as it is queued to its task ("irq",
 *     "dma"), each script stimulus as it is applied ("stimulus");
 *   - each scenario expectation, at the virtual time it was decided, as a global marker
 *     "PASS NAME", "FAIL NAME" or "UNDECIDED NAME";
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

/* A script stimulus applied at |ts_ns|: an instant event on the board track. */
void chrome_trace_stimulus(ChromeTrace *t, uint64_t ts_ns, const char *text);
/* A scenario expectation decided at |ts_ns|: a global marker named "VERDICT NAME"
 * ("FAIL expect.served"), with |text| (may be NULL) in its arguments. Before the end. */
void chrome_trace_mark(ChromeTrace *t, uint64_t ts_ns, const char *name, const char *verdict,
                       const char *text);

/* The file |t| writes, as given. */
const char *chrome_trace_path(const ChromeTrace *t);

/* Close the JSON document and the file. FALSE with |error| on a write error. */
gboolean chrome_trace_finish(ChromeTrace *t, GError **error);

#endif
