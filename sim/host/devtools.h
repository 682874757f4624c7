/*
 * devtools.h: a developer's tools inside the task boundary (docs/devtools.md): sanitizers
 * (AddressSanitizer, UndefinedBehaviorSanitizer) and gcov coverage in task code.
 *
 * Lifecycle: devtools_detect() once per task binary (the daemon, from the ELF file) ->
 * for each process start devtools_env() (the runtime's options) and, in the child between
 * fork and exec, devtools_child_open() then devtools_child_mount() (confine.c, while the
 * root is built) -> when the process died, devtools_summary() names what a sanitizer
 * reported on its stderr, and devtools_report_lines() gives that report line by line.
 *
 * Only the fidelity check is relaxed for such a task (sandbox.c, SANDBOX_FIDELITY_DEVTOOLS);
 * the boundary filter, the namespaces and the empty read-only root stay as they are.
 */
#ifndef SIM_HOST_DEVTOOLS_H
#define SIM_HOST_DEVTOOLS_H

#include <glib.h>

typedef enum {
	DEVTOOLS_ASAN = 1 << 0,  /* AddressSanitizer (libasan, or __asan_init linked in) */
	DEVTOOLS_UBSAN = 1 << 1, /* UndefinedBehaviorSanitizer (libubsan, __ubsan_handle_*) */
	DEVTOOLS_GCOV = 1 << 2,  /* built with --coverage (the gcov runtime, __gcov_*) */
	DEVTOOLS_LSAN = 1 << 3,  /* LeakSanitizer alone, -fsanitize=leak (liblsan, __lsan_init) */
} DevtoolsKind;

/* The kinds with LeakSanitizer (ASan carries it): the task is pid 1 of a PID namespace of
 * its own, with LeakSanitizer's boundary (docs/devtools.md, "LeakSanitizer"). */
#define DEVTOOLS_LEAKS (DEVTOOLS_ASAN | DEVTOOLS_LSAN)
/* The kinds of sanitizers: their /proc/self files, their reports on stderr, the vDSO. */
#define DEVTOOLS_SANITIZERS (DEVTOOLS_ASAN | DEVTOOLS_UBSAN | DEVTOOLS_LSAN)

/* Where a --coverage DIR is bound inside a task's root (the gcov runtime's GCOV_PREFIX). */
#define DEVTOOLS_COVERAGE_MOUNT "/sentry-coverage"

/* The DEVTOOLS_* bits of the ELF file |binary| (0 when none, or when it cannot be read:
 * the start of the process then says why). */
guint devtools_detect(const char *binary);

/* Append the "KEY=VALUE" environment entries the runtimes of |kinds| need to |env| (a
 * GPtrArray of owned strings). */
void devtools_env(guint kinds, GPtrArray *env);

/* What the child between fork and exec needs (confine.c), prepared by the daemon. */
typedef struct {
	guint kinds;              /* DEVTOOLS_* of the binary */
	const char *coverage_dir; /* the host directory bound writable, or NULL */
	char *const *envp;        /* the process's environment and arguments */
	char *const *argv;
	int coverage_fd; /* child side: O_PATH descriptor of it, -1 before */
} DevtoolsChild;

/* In the child, before the staging tmpfs hides the host: open what will be bound.
 * Returns NULL or a static description of the failure. */
const char *devtools_child_open(DevtoolsChild *c);
/* In the child, with the task's root staged at |staging| (still writable) and the binary
 * |binary| (its host path) bound in it: /proc/self/exe, environ and cmdline (what the
 * sanitizer runtimes read there) and the coverage directory. Returns NULL
 * or a static description of the failure. */
const char *devtools_child_mount(DevtoolsChild *c, const char *staging, const char *binary);

/* The one-line summary of the sanitizer report in |err| (a dead task's stderr, the task's
 * own words: only shown, escaped by the caller), e.g. "AddressSanitizer:
 * heap-buffer-overflow at bug.c:11 in main", or NULL when it holds none. */
char *devtools_summary(const char *err);

/* Name the frames a sanitizer printed without a name, "#N 0xPC  (PATH+0xOFFSET)" (Clang's
 * sanitizers without llvm-symbolizer, or symbolize=0), with the daemon's symbolizer
 * (symbolize.h), for the files of the task's root only (|files|, confine_task_files()):
 * such a line of |lines| becomes "#N 0xPC in FUNC FILE:LINE (PATH+0xOFFSET)", and a
 * summary |*summary| ending with "(PATH+0xOFFSET)" names the place the same way. Lines
 * that cannot be named stay as they are. */
void devtools_symbolize(char **lines, char **summary, char *const *files);

/* The lines of the sanitizer report in |err| (from its first "==PID==ERROR" or "runtime
 * error" line), without the empty ones; NULL when there is none. */
char **devtools_report_lines(const char *err);

#endif
