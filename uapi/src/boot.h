/*
 * boot.h: what the daemon leaves for the task runtime beyond the shared page, in the
 * second page of the same memfd (fd 3 at boot): the fidelity filter as BPF, built by the
 * daemon (so that the runtime installs it with a raw system call and no library symbol a
 * task could interpose), and the virtual time of the last reply (the answer to rdtsc).
 */
#ifndef SENTRY_UAPI_BOOT_H
#define SENTRY_UAPI_BOOT_H

#include <linux/filter.h>
#include <stdint.h>

#define SENTRY_BOOT_OFFSET 4096u /* offset of struct sentry_boot in the page memfd */
#define SENTRY_BOOT_SIZE 4096u
#define SENTRY_BOOT_MAX_INSNS ((SENTRY_BOOT_SIZE - 64u) / sizeof(struct sock_filter))

struct sentry_boot {
	uint64_t virtual_ns; /* the model's time at the last reply (daemon-written) */
	uint32_t n_insns;    /* length of |filter|, 0 if none */
	uint32_t pad;
	uint8_t reserved[48];
	struct sock_filter filter[SENTRY_BOOT_MAX_INSNS];
};

#endif
