/*
 * invariants.h: a checker that watches a running kernel model and says when it leaves the
 * spec (uapi.md), using only the kernel's read-only views.
 *
 * Lifecycle: inv_new(config) -> kernel_boot() -> inv_boot() -> for every step the driver
 * takes: inv_begin_*() ; the kernel call ; inv_end() -> ... -> inv_free(). Forward the
 * kernel's log and report hooks to inv_log() and inv_report(). A false return means an
 * invariant failed; inv_error() says which, and the checker stays failed.
 *
 * What it checks:
 *   - every system call: the Status the kernel records is the one the spec's checks, taken
 *     in order against the state before the call, give (systable.h); a blocked call is later
 *     delivered only a Status the spec allows for that path (TIMEOUT only after its delay,
 *     INTR only with an event queued); a call that records no result leaves the first
 *     argument in the register; exchange-area bytes outside what the call writes are
 *     untouched, and failed calls write nothing; tasks the call does not concern do not
 *     change; panics happen exactly where the spec predicts one;
 *   - handles: only current task handles are accepted (the oracle decides validity from the
 *     views, so a forged, flipped or stale handle must be refused), handles change only on
 *     respawn, every handle has its id field and zero family bits;
 *   - queues: IRQ/DMA rings within 15, one delay entry per task and only for tasks that
 *     sleep or wait, alarm entries consistent, IPC slots mirror blocked senders, signal slots
 *     hold 1..12, job sets hold only ready jobs and never idle;
 *   - states: no task is ever NOTSTARTED, SECURITY or left YIELDED; blocked tasks carry a
 *     NON_SENSE result; the running task is ready (or aborting after an unsupported call);
 *     a dead job never runs again; time only moves forward.
 *
 * Pure C (no glib); reused by any driver of the kernel model (in-process fuzzing, or a
 * driver with real task processes).
 */
#ifndef SIM_FUZZ_INVARIANTS_H
#define SIM_FUZZ_INVARIANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/fuzz/prog.h"
#include "sim/kernel/kernel.h"

typedef struct inv Inv;

/* The checker and the in-process driver are not what a coverage-guided fuzzer should
 * explore: their .c files wrap themselves in these, which keeps clang's coverage
 * instrumentation (and its comparison tracing, the bulk of the cost) for the kernel model
 * and the decoder. */
#if defined(__clang__) && __clang_major__ >= 13
/* _Pragma takes one string literal: keep it on one line */
/* clang-format off */
#define INV_NO_COVERAGE_BEGIN _Pragma("clang attribute push(__attribute__((no_sanitize(\"coverage\"))), apply_to = function)")
/* clang-format on */
#define INV_NO_COVERAGE_END _Pragma("clang attribute pop")
#else
#define INV_NO_COVERAGE_BEGIN
#define INV_NO_COVERAGE_END
#endif

/* Host steps that are not system calls. */
typedef enum {
	INV_HOST_ADVANCE = 0,  /* kernel_advance(): time passes while the current task runs */
	INV_HOST_IDLE,         /* kernel_idle() */
	INV_HOST_FAULT,        /* kernel_fault() of the current task */
	INV_HOST_HANG,         /* kernel_hang() of the current task */
	INV_HOST_ENTROPY,      /* kernel_set_entropy_failure(|arg|) */
	INV_HOST_IRQ,          /* kernel_inject_irq(|arg|) */
	INV_HOST_GPIO_DRIVE,   /* kernel_gpio_drive(): |arg| = port << 8 | pin, bit 16 the level */
	INV_HOST_GPIO_RELEASE, /* kernel_gpio_release(): |arg| = port << 8 | pin */
	INV_HOST_GPIO_FAIL,    /* kernel_set_gpio_failure(|arg|) */
	INV_HOST_DMA_FAIL,     /* the DMA driver's next |arg| enables fail (dma_transfer hook) */
	INV_HOST_NOP,          /* a stimulus without effect: nothing may change */
} InvHost;

/* |cfg| is copied. Returns NULL when out of memory. */
Inv *inv_new(const ProgConfig *cfg);
void inv_free(Inv *inv);

/* After kernel_boot(): the initial state. */
bool inv_boot(Inv *inv, const Kernel *k);

/* Before kernel_syscall() by the current task |task| (exchange area already filled). */
void inv_begin_syscall(Inv *inv, const Kernel *k, uint32_t task, uint32_t nr,
                       const uint32_t args[3]);
/* Before kernel_resume() of the current task. */
void inv_begin_resume(Inv *inv, const Kernel *k);
/* After kernel_resume(): |resumed| is its return value, |res| what it filled. */
bool inv_end_resume(Inv *inv, const Kernel *k, bool resumed, const KernelResume *res);
/* Before a host step. */
void inv_begin_host(Inv *inv, const Kernel *k, InvHost what, uint32_t arg);
/* After a system call or host step. */
bool inv_end(Inv *inv, const Kernel *k);

/* After inv_end() of an INV_HOST_IDLE step: what kernel_idle() returned must fit the state
 * (DONE and STUCK only when nothing can make progress any more, uapi.md 11). */
bool inv_idle_result(Inv *inv, const Kernel *k, KernelIdleResult r);

/* Hook forwarding. */
void inv_log(Inv *inv, uint32_t task, const uint8_t *bytes, size_t len);
void inv_report(Inv *inv, const KernelReport *r);

bool inv_failed(const Inv *inv);
const char *inv_error(const Inv *inv);

#endif
