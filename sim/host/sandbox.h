/*
 * sandbox.h: the two seccomp policies of task processes (sandbox.c), turned into
 * libseccomp filters by the daemon: the boundary (installed in the child before exec,
 * never relaxed) and the fidelity check (exported as BPF for the task runtime, which
 * installs it before the entry with a raw system call). Both are exported as text for the
 * golden test.
 */
#ifndef SIM_HOST_SANDBOX_H
#define SIM_HOST_SANDBOX_H

#include <stdint.h>
#include <sys/types.h>

#include <seccomp.h>

typedef enum {
	SANDBOX_BOUNDARY = 0, /* before exec: no way out (processes, signals, mounts, ...) */
	SANDBOX_FIDELITY = 1, /* before the entry: only what a task can do on the MCU */
	/* the fidelity check of a task built with a sanitizer or --coverage: plus the host
	 * calls of those runtimes (docs/devtools.md) */
	SANDBOX_FIDELITY_DEVTOOLS = 2,
} SandboxPolicy;

/*
 * Build the filter of |policy| for process |pid| (its pid as the process itself sees it;
 * rules about signalling only the process itself compare against it). Returns a new
 * context (free with seccomp_release) or NULL with *|err| set to a static description of
 * the failing step.
 */
__attribute__((visibility("hidden"))) scmp_filter_ctx sandbox_build(SandboxPolicy policy,
								     pid_t pid,
								     const char **err);

#endif
