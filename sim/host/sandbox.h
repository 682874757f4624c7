/*
 * sandbox.h: the two seccomp policies of task processes (sandbox.c), turned into
 * libseccomp filters by the daemon: the boundary (installed in the child before exec,
 * never relaxed) and the fidelity check (exported as BPF for the task runtime, which
 * installs it before the entry with a raw system call). Both are exported as text for the
 * golden test. The daemon builds each program once (sandbox_program); a child only
 * patches its own pid in and installs it with a system call, no libseccomp after fork.
 */
#ifndef SIM_HOST_SANDBOX_H
#define SIM_HOST_SANDBOX_H

#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>

#include <seccomp.h>

#include "sim/host/selfpid.h"

#define SANDBOX_MAX_INSNS 1024 /* longer than either policy's program */

typedef enum {
	SANDBOX_BOUNDARY = 0, /* before exec: no way out (processes, signals, mounts, ...) */
	SANDBOX_FIDELITY = 1, /* before the entry: only what a task can do on the MCU */
	/* the fidelity check of a task built with a sanitizer or --coverage: plus the host
	 * calls of those runtimes (docs/devtools.md) */
	SANDBOX_FIDELITY_DEVTOOLS = 2,
	/* a task with LeakSanitizer (an ASan task), the first process of a PID namespace of
	 * its own: the boundary with its tracer's clone and ptrace of itself, and the fidelity
	 * check with the rest of what the tracer calls (docs/devtools.md) */
	SANDBOX_BOUNDARY_LSAN = 3,
	SANDBOX_FIDELITY_LSAN = 4,
	/* the boundary of a fork server and of its instances (sim/host/forksrv.c): the same
	 * rows, but those that name the process itself (signals) hand every such call to the
	 * daemon, which lets a process signal only itself */
	SANDBOX_BOUNDARY_SERVER = 5,
	SANDBOX_N_POLICIES
} SandboxPolicy;

/*
 * Build the filter of |policy| for process |pid| (its pid as the process itself sees it;
 * rules about signalling only the process itself compare against it). Returns a new
 * context (free with seccomp_release) or NULL with *|err| set to a static description of
 * the failing step.
 */
__attribute__((visibility("hidden"))) scmp_filter_ctx sandbox_build(SandboxPolicy policy, pid_t pid,
                                                                    const char **err);

/*
 * The BPF program of |policy|, built once per daemon process for any task: the rules about
 * the process itself compare against SANDBOX_SELF_PID, which the child replaces with its
 * own pid before it installs the program (sandbox_patch_self, selfpid.h). Returns TRUE
 * with *|insns| (owned by this module, never freed) and *|n| set, or FALSE with *|err| set.
 */
__attribute__((visibility("hidden"))) int sandbox_program(SandboxPolicy policy,
                                                          const struct sock_filter **insns,
                                                          size_t *n, const char **err);

#endif
