/*
 * kernel_harness.c: recording hooks and small drivers for the kernel model's unit suites.
 *
 * The model is driven the way the host layer drives it (sim/kernel/kernel.h): the current
 * task traps, the model records a deferred result, and kernel_resume() delivers it when the
 * task is current again. Helpers assert who is current at every step, so a test that
 * expects "the caller keeps running" fails when the model reschedules.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/kernel_harness.h"
#include "uapi/src/span.h"

static struct {
	Kernel *k;
	KernelTaskConfig tasks[KH_MAX_TASKS];
	KhReport reports[KH_MAX_REPORTS];
	size_t n_reports;
	uint8_t log_bytes[KH_LOG_BYTES];
	size_t log_len;
	KhLog logs[KH_MAX_LOGS];
	size_t n_logs;
	KhSyscall syscalls[KH_MAX_SYSCALLS];
	size_t n_syscalls;
} kh;

static void on_log(void *data, uint32_t task, const uint8_t *bytes, size_t len)
{
	ck_assert_uint_lt(kh.n_logs, KH_MAX_LOGS);
	ck_assert_uint_le(kh.log_len + len, KH_LOG_BYTES);
	kh.logs[kh.n_logs++] = (KhLog){.task = task, .off = kh.log_len, .len = len};
	memcpy(kh.log_bytes + kh.log_len, bytes, len);
	kh.log_len += len;
}

static void on_report(void *data, const KernelReport *r)
{
	if (kh.n_reports == KH_MAX_REPORTS)
		return;
	KhReport *o = &kh.reports[kh.n_reports++];
	o->kind = r->kind;
	o->task = r->task;
	o->time_ns = r->time_ns;
	snprintf(o->text, sizeof(o->text), "%s", r->text);
}

static void on_syscall(void *data, uint32_t task, uint32_t nr, const uint32_t args[3])
{
	if (kh.n_syscalls == KH_MAX_SYSCALLS)
		return;
	kh.syscalls[kh.n_syscalls++] =
	    (KhSyscall){.task = task, .nr = nr, .args = {args[0], args[1], args[2]}};
}

KernelTaskConfig kh_task(const char *name, uint32_t label, uint8_t priority)
{
	return (KernelTaskConfig){.name = name,
	                          .label = label,
	                          .priority = priority,
	                          .quantum = 10,
	                          .domain = 0,
	                          .capabilities = 0,
	                          .auto_start = true,
	                          .exit_mode = EXIT_MODE_NORESTART};
}

void kh_config(KernelConfig *cfg, const KernelTaskConfig *tasks, uint32_t n)
{
	ck_assert_uint_le(n, KH_MAX_TASKS);
	kernel_config_init(cfg);
	memcpy(kh.tasks, tasks, n * sizeof(*tasks));
	cfg->tasks = kh.tasks;
	cfg->n_tasks = n;
	cfg->syscall_cost_ns = 0;
	cfg->seed = 1;
}

Kernel *kh_boot(const KernelConfig *cfg)
{
	static const KernelHooks hooks = {
	    .log = on_log, .report = on_report, .syscall = on_syscall};
	const char *err = NULL;

	kh_teardown();
	kh.n_reports = 0;
	kh.log_len = 0;
	kh.n_logs = 0;
	kh.n_syscalls = 0;
	kh.k = kernel_new(cfg, &hooks, NULL, &err);
	ck_assert_msg(kh.k != NULL, "kernel_new: %s", err ? err : "?");
	kernel_boot(kh.k);
	return kh.k;
}

void kh_teardown(void)
{
	kernel_free(kh.k);
	kh.k = NULL;
}

TCase *kh_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, NULL, kh_teardown);
	return tc;
}

KernelResume kh_go(Kernel *k, uint32_t id)
{
	KernelResume r = {0};
	ck_assert_uint_eq(kernel_current(k), id);
	ck_assert_msg(kernel_resume(k, &r), "kernel_resume of task %u failed", id);
	return r;
}

/* Every call the suites make checks the exchange spans of uapi/src/span.h: the call
 * writes no byte of its task's area past sentry_exchange_out(), and none of another task's
 * (the daemon copies back only that prefix, so a byte written past it would never reach
 * the task), idle's included; a job that starts afresh (a new process) is not compared. */
void kh_trap(Kernel *k, uint32_t id, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	ck_assert_uint_eq(kernel_current(k), id);
	uint32_t n = kernel_task_count(k) + 1, xlen = kernel_exchange_len(k);
	static uint8_t before[KH_MAX_TASKS + 1][KERNEL_EXCHANGE_MAX];
	static uint32_t gen[KH_MAX_TASKS + 1];
	ck_assert_uint_le(n, KH_MAX_TASKS + 1);
	for (uint32_t i = 0; i < n; i++) { /* the last: idle */
		uint32_t t = i + 1 < n ? i : kernel_idle_id(k);
		memcpy(before[i], kernel_exchange(k, t), xlen);
		gen[i] = kernel_task_generation(k, t);
	}
	kernel_syscall(k, nr, a0, a1, a2);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t = i + 1 < n ? i : kernel_idle_id(k);
		if (kernel_task_generation(k, t) != gen[i])
			continue; /* a fresh job: a new process, whose area starts zeroed */
		uint32_t from = t == id ? sentry_exchange_out(nr, xlen) : 0;
		const uint8_t *now = kernel_exchange(k, t);
		for (uint32_t b = from; b < xlen; b++)
			ck_assert_msg(
			    now[b] == before[i][b],
			    "system call %u of task %u wrote byte %u of task %u's exchange "
			    "area, outside its span (uapi/src/span.h)",
			    nr, id, b, t);
	}
}

uint32_t kh_call(Kernel *k, uint32_t id, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	kh_trap(k, id, nr, a0, a1, a2);
	ck_assert_msg(!kernel_panicked(k), "syscall %u panicked the kernel", nr);
	ck_assert_msg(kernel_current(k) == id, "syscall %u rescheduled: %u runs instead of %u", nr,
	              kernel_current(k), id);
	return kh_result(k, id);
}

uint32_t kh_result(Kernel *k, uint32_t id)
{
	KernelResume r = kh_go(k, id);
	ck_assert(!r.fresh);
	return r.r0;
}

void kh_fill(Kernel *k, uint32_t id, uint8_t byte)
{
	memset(kernel_exchange(k, id), byte, kernel_exchange_len(k));
}

void kh_assert_fill(Kernel *k, uint32_t id, size_t from, size_t to, uint8_t byte)
{
	const uint8_t *x = kernel_exchange(k, id);
	for (size_t i = from; i < to; i++)
		ck_assert_msg(x[i] == byte, "exch[%zu] of task %u is 0x%02x, expected 0x%02x", i,
		              id, x[i], byte);
}

uint32_t kh_u32(Kernel *k, uint32_t id, size_t off)
{
	uint32_t v;
	memcpy(&v, kernel_exchange(k, id) + off, sizeof(v));
	return v;
}

uint64_t kh_u64(Kernel *k, uint32_t id, size_t off)
{
	uint64_t v;
	memcpy(&v, kernel_exchange(k, id) + off, sizeof(v));
	return v;
}

void kh_put(Kernel *k, uint32_t id, size_t off, const void *bytes, size_t len)
{
	memcpy(kernel_exchange(k, id) + off, bytes, len);
}

void kh_assert_event(Kernel *k, uint32_t id, uint8_t type, uint8_t len, uint32_t source)
{
	const uint8_t *x = kernel_exchange(k, id);
	ck_assert_uint_eq(x[0], type);
	ck_assert_uint_eq(x[1], len);
	ck_assert_uint_eq(x[2], 0x42);
	ck_assert_uint_eq(x[3], 0x42);
	ck_assert_uint_eq(kh_u32(k, id, 4), source);
}

size_t kh_report_count(void)
{
	return kh.n_reports;
}

const KhReport *kh_report(size_t i)
{
	ck_assert_uint_lt(i, kh.n_reports);
	return &kh.reports[i];
}

size_t kh_reports_matching(KernelReportKind kind, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < kh.n_reports; i++)
		if (kh.reports[i].kind == kind && (!needle || strstr(kh.reports[i].text, needle)))
			n++;
	return n;
}

const KhReport *kh_last_report(KernelReportKind kind)
{
	for (size_t i = kh.n_reports; i-- > 0;)
		if (kh.reports[i].kind == kind)
			return &kh.reports[i];
	return NULL;
}

void kh_clear_reports(void)
{
	kh.n_reports = 0;
}

size_t kh_log_count(void)
{
	return kh.n_logs;
}

const KhLog *kh_log(size_t i)
{
	ck_assert_uint_lt(i, kh.n_logs);
	return &kh.logs[i];
}

const uint8_t *kh_log_bytes(void)
{
	return kh.log_bytes;
}

size_t kh_syscall_count(void)
{
	return kh.n_syscalls;
}

const KhSyscall *kh_syscall(size_t i)
{
	ck_assert_uint_lt(i, kh.n_syscalls);
	return &kh.syscalls[i];
}

uint32_t kh_cells(Kernel *k, bool active, uint32_t id)
{
	uint32_t n = 0, handle, quantum;
	for (uint32_t i = 0; i < kernel_view_queue_len(k); i++)
		if (kernel_view_job_cell(k, active, i, &handle, &quantum) &&
		    handle == kernel_task_handle(k, id))
			n++;
	return n;
}

void kh_assert_panic(Kernel *k, PanicCause cause)
{
	ck_assert_msg(kernel_panicked(k), "the kernel did not panic");
	ck_assert_int_eq(kernel_view_panic_cause(k), cause);
	ck_assert_uint_eq(kernel_current(k), KERNEL_NO_TASK);
	const KhReport *r = kh_last_report(KREPORT_PANIC);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(strstr(r->text, "kernel panic"));
	ck_assert_ptr_nonnull(strstr(r->text, kernel_panic_cause_name(cause)));
	ck_assert_uint_eq(kh_reports_matching(KREPORT_PANIC, NULL), 1);
}

void kh_idle(Kernel *k, KernelIdleResult expect)
{
	KernelIdleResult r = kernel_idle(k, 0);
	ck_assert_msg(r == expect, "kernel_idle returned %d, expected %d", (int)r, (int)expect);
}

void kh_advance_ms(Kernel *k, uint64_t ms)
{
	kernel_advance(k, ms * KERNEL_TICK_NS);
}

int kh_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	/* fork by default; CK_FORK=no in the environment runs in-process (valgrind) */
	srunner_set_fork_status(sr, CK_FORK_GETENV);
	srunner_set_tap(sr, "/dev/stdout");
	srunner_run_all(sr, CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
