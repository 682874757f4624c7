/*
 * trap.h: trapped register access, the task's side (uapi/src/trap.c; internal to
 * libsentry-uapi). A page of a device with a model is reserved without access
 * (SENTRY_WINDOW_TRAP); the runtime's SIGSEGV handler asks sentry_trap_fault() first.
 */
#ifndef SENTRY_UAPI_TRAP_H
#define SENTRY_UAPI_TRAP_H

#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "uapi/src/wire.h"

/* trap.c: [addr, addr + len) now traps (|trapped|) or no longer does (unmapped). */
void sentry_trap_window(uint64_t addr, uint64_t len, int trapped);

/* trap.c: a SIGSEGV in a trapped window: have the daemon perform the access and apply its
 * answer to |uc|. Returns 1 if the access was performed (return from the handler), 0 for
 * any other fault. */
int sentry_trap_fault(const siginfo_t *si, ucontext_t *uc);

/* runtime.c: the request area on the shared page (NULL before boot), and its posting:
 * returns once the daemon has answered (the answer is in the area). */
struct sentry_trap *sentry_trap_area(void);
void sentry_trap_post(void);

#endif
