/*
 * kernel_harness.h: shared helpers for the kernel model's check suites (check_kernel_*.c).
 *
 * Lifecycle per test: kh_config() -> adjust the KernelConfig -> kh_boot() -> drive the
 * model with kh_go() / kh_call() / kh_trap() / kernel_idle() / kernel_advance() ->
 * kh_teardown() (installed as a checked fixture by kh_tcase()).
 *
 * The harness owns one kernel at a time and records everything it says through its hooks:
 * task log bytes and reports. Tests run forked (CK_FORK), but the state is reset by
 * kh_boot() and freed by kh_teardown() so the suites also run with CK_FORK=no (valgrind).
 */
#ifndef TESTS_UNIT_KERNEL_HARNESS_H
#define TESTS_UNIT_KERNEL_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/kernel/kernel.h"
#include "sim/kernel/views.h"

#define KH_MAX_TASKS    16
#define KH_MAX_REPORTS  256
#define KH_REPORT_TEXT  512
#define KH_LOG_BYTES    8192
#define KH_MAX_LOGS     64
#define KH_MAX_SYSCALLS 256
#define KH_FILL         0xA5u /* pattern pre-filled into exchange areas */

typedef struct {
	KernelReportKind kind;
	uint32_t task;
	uint64_t time_ns;
	char text[KH_REPORT_TEXT];
} KhReport;

typedef struct {
	uint32_t task;
	size_t off, len; /* into kh_log_bytes() */
} KhLog;

typedef struct {
	uint32_t task, nr;
	uint32_t args[3];
} KhSyscall;

/* A task config: quantum 10, domain 0, no capability, AUTO, NORESTART. */
KernelTaskConfig kh_task(const char *name, uint32_t label, uint8_t priority);

/* kernel_config_init() with |n| copies of |tasks| (kept by the harness), a zero syscall
 * cost (time moves only when a test says so) and seed 1. */
void kh_config(KernelConfig *cfg, const KernelTaskConfig *tasks, uint32_t n);

/* kernel_new() + kernel_boot() with recording hooks; asserts the kernel was created. */
Kernel *kh_boot(const KernelConfig *cfg);

/* Free the kernel of the current test (checked fixture teardown). */
void kh_teardown(void);

/* A TCase with kh_teardown installed. */
TCase *kh_tcase(const char *name);

/* Assert that |id| is the current task and resume it; returns the resume record. */
KernelResume kh_go(Kernel *k, uint32_t id);

/* The current task |id| traps with (nr, a0, a1, a2); the result is not collected. */
void kh_trap(Kernel *k, uint32_t id, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);

/* A system call that must not reschedule: |id| traps, stays current, and the result that
 * kernel_resume() delivers is returned. */
uint32_t kh_call(Kernel *k, uint32_t id, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);

/* Resume |id| (must be current) and return the delivered r0; asserts a non-fresh job. */
uint32_t kh_result(Kernel *k, uint32_t id);

/* Exchange-area helpers. */
void kh_fill(Kernel *k, uint32_t id, uint8_t byte);
/* Assert that exch[from..to) of |id| all hold |byte|. */
void kh_assert_fill(Kernel *k, uint32_t id, size_t from, size_t to, uint8_t byte);
uint32_t kh_u32(Kernel *k, uint32_t id, size_t off);
uint64_t kh_u64(Kernel *k, uint32_t id, size_t off);
void kh_put(Kernel *k, uint32_t id, size_t off, const void *bytes, size_t len);

/* Assert the event header at exch[0..7] of |id|. */
void kh_assert_event(Kernel *k, uint32_t id, uint8_t type, uint8_t len, uint32_t source);

/* Reports recorded since kh_boot(). */
size_t kh_report_count(void);
const KhReport *kh_report(size_t i);
/* Number of reports of |kind| whose text contains |needle| (NULL: any). */
size_t kh_reports_matching(KernelReportKind kind, const char *needle);
/* The last report of |kind|, or NULL. */
const KhReport *kh_last_report(KernelReportKind kind);
void kh_clear_reports(void);

/* Task log output recorded since kh_boot(). */
size_t kh_log_count(void);
const KhLog *kh_log(size_t i);
const uint8_t *kh_log_bytes(void);

/* System calls reported through KernelHooks.syscall since kh_boot(). */
size_t kh_syscall_count(void);
const KhSyscall *kh_syscall(size_t i);

/* Number of cells of the active (or backed) job set that hold task |id|'s current handle. */
uint32_t kh_cells(Kernel *k, bool active, uint32_t id);

/* Assert the kernel panicked with |cause| and reported it as a kernel panic. */
void kh_assert_panic(Kernel *k, PanicCause cause);

/* Run kernel_idle(k, 0) and assert its result. */
void kh_idle(Kernel *k, KernelIdleResult expect);

/* Advance virtual time by |ms| whole ticks. */
void kh_advance_ms(Kernel *k, uint64_t ms);

/* Run the suite forked with TAP output; returns the process exit status. */
int kh_run_suite(Suite *s);

#endif
