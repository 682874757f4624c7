/*
 * gate.h: the host transport under libsentry-uapi (internal, not installed).
 *
 * The exported __sys_* functions (syscalls.c) do the library-side work the spec assigns
 * to the UAPI library (uapi.md section 2) and then trap through sentry_gate(). On the
 * target the trap is `svc #N`; here it is a request posted on the task's shared control
 * page to the sentry-sim daemon (runtime.c).
 *
 * Lifecycle: the runtime (runtime.c) maps the control page in a constructor before main,
 * installs the strict seccomp filter and then runs the task entry; after that every
 * function below may be called. Nothing here allocates.
 */
#ifndef SENTRY_UAPI_GATE_H
#define SENTRY_UAPI_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/src/wire.h" /* enum sentry_report */

#define SENTRY_HIDDEN __attribute__((visibility("hidden")))

/*
 * Issue system call |nr| with three 32-bit arguments and return the raw 32-bit result
 * (the value the task's r0 holds when it resumes). Values 0..10 are Status values; a call
 * that records no result returns |a0| unchanged (uapi.md 1.1). The exchange area
 * (_s_svcexchange) is handed to the kernel with the request and taken back with the reply.
 */
SENTRY_HIDDEN uint32_t sentry_gate(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);

/* The task is about to end (__sys_exit): a gcov runtime in the task writes its data now
 * (docs/devtools.md); nothing otherwise. */
SENTRY_HIDDEN void sentry_before_exit(void);

/* Send a diagnostic to the daemon's report channel; returns at once. */
SENTRY_HIDDEN void sentry_report(enum sentry_report what, uint32_t a, uint32_t b);

/*
 * The task makes no further progress, as the upstream library's panic loop (uapi.md 2.1):
 * the daemon is told, keeps scheduling others, and never resumes this task. Never returns.
 */
SENTRY_HIDDEN __attribute__((noreturn)) void sentry_hang(void);

/* Runtime exchange-area length the kernel uses (may differ from SENTRY_SVCEXCHANGE_LEN). */
SENTRY_HIDDEN size_t sentry_exchange_len(void);

#endif
