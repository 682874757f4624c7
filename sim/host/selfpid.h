/*
 * selfpid.h: the pid placeholder of the prebuilt seccomp programs (sandbox.c), shared by the
 * daemon and the confinement helper (sim/host/confine-helper.c), which has no C library.
 *
 * The daemon builds each policy once per process with SANDBOX_SELF_PID where a rule names
 * the task process itself ("signals to itself only"); a new process replaces it with its
 * own pid, as the process sees it, in its copy of the program, before installing it. The
 * placeholder is above any pid the kernel gives (PID_MAX_LIMIT is 2^22) and is no other
 * constant of either policy (checked when the program is built).
 */
#ifndef SIM_HOST_SELFPID_H
#define SIM_HOST_SELFPID_H

#include <linux/filter.h>
#include <stddef.h>

#define SANDBOX_SELF_PID 0x5e1f5e1fu

/* Replace the placeholder by |pid| in every comparison with a constant; returns how many
 * were replaced. Async-signal-safe: no library call. */
static inline size_t sandbox_patch_self(struct sock_filter *insns, size_t n, unsigned pid)
{
	size_t done = 0;
	for (size_t i = 0; i < n; i++)
		if (BPF_CLASS(insns[i].code) == BPF_JMP && BPF_SRC(insns[i].code) == BPF_K &&
		    insns[i].k == SANDBOX_SELF_PID) {
			insns[i].k = pid;
			done++;
		}
	return done;
}

#endif
