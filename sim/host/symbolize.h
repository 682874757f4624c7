/*
 * symbolize.h: function, source file and line of task code addresses, with elfutils libdwfl
 * (DWARF line tables and ELF symbol tables; no parsing of our own).
 *
 * Two questions: the backtrace of a task process stopped at its fault
 * (symbolize_process()), and the frames a report names as (module path, offset), as a
 * sanitizer prints them (symbolize_offsets()). A task's binary is the task's word: libdw
 * reading a hostile ELF file or a hostile process must not crash or hang the daemon, so the
 * work runs in a short-lived child process of the daemon, with a memory limit and a
 * deadline; the daemon only parses the lines it writes back.
 *
 * Lifecycle: symbolize_*() -> use the frames -> g_ptr_array_unref().
 */
#ifndef SIM_HOST_SYMBOLIZE_H
#define SIM_HOST_SYMBOLIZE_H

#include <glib.h>
#include <stdint.h>
#include <sys/types.h>

#include "sim/errors.h" /* HOST_ERROR */

typedef struct {
	uint64_t pc;      /* the address in the process (symbolize_offsets: the offset asked) */
	char *module;     /* the ELF object's path, or NULL when no module holds |pc| */
	uint64_t offset;  /* |pc| relative to the module's load address */
	char *function;   /* the symbol holding |pc|, or NULL */
	char *file;       /* the source file from the line table (as compiled), or NULL */
	int line;         /* 0 when |file| is NULL */
	gboolean in_main; /* |module| is the program (the process's executable, or |path|) */
} SymbolFrame;

/* The frames (SymbolFrame, innermost first, at most |max_frames| addresses; an address
 * where code was inlined gives a frame per inlined function) of the single thread of
 * process |pid|, which is held in its fatal-signal handler: from the frame the signal
 * interrupted (the handler's own frames are left out). The daemon must be allowed to
 * ptrace |pid|; the child attaches, unwinds and detaches. When the process cannot be
 * unwound, the one frame of |fault_ip| (the address the handler recorded; only a hint).
 * Task-provided text in the frames is made printable (no control characters). NULL with
 * |error| (HOST_ERROR) when nothing could be read. */
GPtrArray *symbolize_process(pid_t pid, uint64_t fault_ip, guint max_frames, GError **error);

/* The frames of each offset |offsets|[i] into the ELF file |path| (an executable or a
 * shared library, as a sanitizer prints "(path+0xoffset)"), in order: one per offset, or
 * more when code was inlined there (innermost first, each with .pc = the offset). The
 * offset is relative to the lowest address the file loads at. NULL with |error| when
 * |path| cannot be read as ELF. */
GPtrArray *symbolize_offsets(const char *path, const uint64_t *offsets, guint n, GError **error);

/* What sim/host/debug.c's helper runs for symbolize_*() in a worker process. */
#define SYMBOLIZE_MAX_OFFSETS 64
typedef struct {
	pid_t pid; /* a process: its pid; 0 for offsets */
	uint64_t fault_ip;
	uint32_t max_frames;
	uint32_t n_offsets; /* offsets into |path|: how many (0 for a process) */
	uint64_t offsets[SYMBOLIZE_MAX_OFFSETS];
	char path[4096];
} SymbolizeJob;

/* In the worker: do |j|, write one line per frame to |fd| (tab-separated, printable). */
void symbolize_job_run(const SymbolizeJob *j, int fd);

/* " in FUNC at FILE:LINE (backtrace: F1 (file:line) < F2 ...)": the first frame of the
 * program with a source line (else the first with one, else the first), then a short
 * backtrace down to the C library's start-up frames, at most about |max_len| bytes. ""
 * when |frames| is empty. */
char *symbolize_describe(GPtrArray *frames, gsize max_len);

#endif
