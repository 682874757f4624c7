/*
 * output.h: what a run shows a person. Task log bytes go to the task output stream, one
 * line at a time, prefixed with the task's name and escaped (they are the task's bytes,
 * not ours). Kernel and simulator reports go to the diagnostic stream, stamped with the
 * virtual time. The two streams never mix (uapi.md 4.15).
 *
 * Lifecycle: output_new() -> [output_add_devices()] -> output_log()/output_device()/
 * output_report()... -> output_flush() ->
 * output_free().
 */
#ifndef SIM_TRACE_OUTPUT_H
#define SIM_TRACE_OUTPUT_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/kernel/kernel.h"

typedef struct output Output;

/* |names| (|n| entries, task id order) are copied. With |raw|, task bytes are written
 * exactly as logged, with no prefix and no escaping. Does not take ownership of the
 * streams. */
Output *output_new(FILE *out, FILE *diag, const char *const *names, guint n, gboolean raw);
void output_free(Output *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Output, output_free)

void output_log(Output *o, uint32_t task, const uint8_t *bytes, size_t len);
/* Streams for the bytes devices send out (a UART's transmit line, sim/periph/), after the
 * tasks': their lines read "[usart1] text", escaped as a task's. |names| (|n|, board order)
 * are copied. */
void output_add_devices(Output *o, const char *const *names, guint n);
void output_device(Output *o, uint32_t device, const uint8_t *bytes, size_t len);
void output_report(Output *o, const KernelReport *r);
/* A simulator message (not from the kernel model) on the diagnostic stream. */
void output_note(Output *o, uint64_t time_ns, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* End partial lines (a task that logged no final newline). */
void output_flush(Output *o);

/* "[    1.234567]": seconds and microseconds of virtual time. */
void output_format_time(uint64_t ns, char *buf, size_t len);

#endif
