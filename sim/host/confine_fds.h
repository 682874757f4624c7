/*
 * confine_fds.h: what the daemon hands the confinement helper (sim/host/confine-helper.c)
 * besides the task's own descriptors (fds 0-5, uapi/src/wire.h): fixed descriptors, which
 * the helper closes before the task's exec, and the layout of the policy memfd.
 */
#ifndef SIM_HOST_CONFINE_FDS_H
#define SIM_HOST_CONFINE_FDS_H

#include <stdint.h>

#define CONFINE_FD_POLICY 6  /* the prebuilt programs (sealed memfd, read-only) */
#define CONFINE_FD_USER   7  /* the user namespace of the task's root */
#define CONFINE_FD_MNT    8  /* the mount namespace of the task's root */
#define CONFINE_FD_NET    9  /* the tasks' network namespace */
#define CONFINE_FD_IPC    10 /* the IPC namespace of the task's root */
#define CONFINE_FD_LAST   10

#define CONFINE_POLICY_MAGIC 0x53504f4cu /* "LOPS" */

/* At offset 0 of the policy memfd; each program is an array of struct sock_filter with the
 * pid placeholder of selfpid.h. */
struct confine_policy_head {
	uint32_t magic;
	uint32_t n_boundary;
	uint32_t n_fidelity;
	uint32_t n_devtools; /* the fidelity check with a developer's tools (devtools.h) */
	uint64_t boundary_offset;
	uint64_t fidelity_offset;
	uint64_t devtools_offset;
	/* a task with LeakSanitizer (the first process of a PID namespace of its own): its
	 * boundary and its fidelity check (sandbox.h, SANDBOX_*_LSAN) */
	uint32_t n_boundary_lsan;
	uint32_t n_lsan;
	uint64_t boundary_lsan_offset;
	uint64_t lsan_offset;
	uint32_t n_server; /* the boundary of a fork server (sandbox.h): no placeholder */
	uint32_t reserved;
	uint64_t server_offset;
};

#endif
