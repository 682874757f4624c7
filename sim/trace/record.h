/*
 * record.h: the syscall stream of a run, as text: one line per system call (who, number,
 * arguments, exchange-area bytes at the trap, virtual time) and one per return (result,
 * exchange-area bytes at the resume), plus starts, faults and the end.
 *
 * A record is written with `sentry-sim run --record FILE`; `sentry-sim replay FILE` runs the
 * same scenario with the same seed and compares the new stream with the file line by line,
 * stopping at the first divergence. Lines are plain text so that two records diff well.
 *
 * A recorder kept in memory (recorder_new_memory()) holds the same lines, for a caller that
 * reads them back (`sentry-sim fuzz` compares two streams without files).
 *
 * Lifecycle: recorder_new_file(), recorder_new_compare() or recorder_new_memory() ->
 * recorder_header() -> recorder_call()/recorder_ret()/recorder_note()... -> recorder_finish()
 * (-> recorder_line()...) -> recorder_free().
 */
#ifndef SIM_TRACE_RECORD_H
#define SIM_TRACE_RECORD_H

#include <glib.h>
#include <stdint.h>

typedef struct recorder Recorder;

/* Write the stream to |path|. */
Recorder *recorder_new_file(const char *path, GError **error);
/* Compare the stream with the record in |path| (whose header has been read by
 * record_read_header); the first line that differs stops the comparison. */
Recorder *recorder_new_compare(const char *path, GError **error);
/* Keep the stream in memory, line by line, for recorder_line(). */
Recorder *recorder_new_memory(void);
void recorder_free(Recorder *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Recorder, recorder_free)

void recorder_header(Recorder *r, const char *scenario, uint64_t seed);
void recorder_start(Recorder *r, uint64_t t_ns, const char *task, uint32_t r0, uint32_t r1);
void recorder_call(Recorder *r, uint64_t t_ns, const char *task, uint32_t nr,
                   const uint32_t args[3], const uint8_t *exch, uint32_t len);
void recorder_ret(Recorder *r, uint64_t t_ns, const char *task, uint32_t r0, const uint8_t *exch,
                  uint32_t len);
void recorder_note(Recorder *r, uint64_t t_ns, const char *what, const char *text);

/* Close the stream (the comparison also checks that the record has no more lines).
 * Returns FALSE on a write error or, when comparing, on a divergence. */
gboolean recorder_finish(Recorder *r, GError **error);

/* TRUE once a comparison found a difference (the run may stop early). */
gboolean recorder_diverged(const Recorder *r);
/* "record line N: expected ...\n          got ...", or NULL. */
const char *recorder_divergence(const Recorder *r);

typedef enum {
	RECORD_LINE_HEADER, /* the magic, scenario and seed lines */
	RECORD_LINE_START,
	RECORD_LINE_CALL,
	RECORD_LINE_RET,
	RECORD_LINE_NOTE, /* reports and the end */
} RecordLineKind;

/* The number of lines a memory recorder holds (0 for the others). */
guint recorder_n_lines(const Recorder *r);
/* Line |i| of a memory recorder (from 0), as the file has it without its newline, and its
 * kind (|kind| may be NULL); NULL past the end. Owned by |r|, valid until the next line is
 * recorded. */
const char *recorder_line(const Recorder *r, guint i, RecordLineKind *kind);

/* Read a record's header: the scenario it ran and its seed. */
gboolean record_read_header(const char *path, char **scenario, uint64_t *seed, GError **error);

#endif
