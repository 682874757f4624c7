/*
 * sandbox.h: the seccomp policy of task processes, as one table (sandbox.c) turned into
 * libseccomp filters. Compiled into libsentry-uapi (the strict filter, installed by the
 * task runtime before the entry) and into the daemon (the baseline filter, installed in
 * the child before exec; and both exported as text for the golden test).
 */
#ifndef SENTRY_UAPI_SANDBOX_H
#define SENTRY_UAPI_SANDBOX_H

#include <stdint.h>
#include <sys/types.h>

#include <seccomp.h>

typedef enum {
	SANDBOX_BASELINE = 0, /* before exec: no escape (network, processes, mounts, ...) */
	SANDBOX_STRICT = 1,   /* before the entry: only what the gate needs */
} SandboxLevel;

/*
 * Build the filter of |level| for process |pid| (rules that allow signalling only the
 * process itself compare against it). Returns a new context (free with seccomp_release)
 * or NULL with *|err| set to a static description of the failing step.
 */
__attribute__((visibility("hidden"))) scmp_filter_ctx sandbox_build(SandboxLevel level,
								     pid_t pid,
								     const char **err);

#endif
