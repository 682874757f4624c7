/*
 * check_uapi_lib.c: library-side behaviour of uapi/src/syscalls.c (uapi.md 1.8, 2),
 * without the daemon.
 *
 * syscalls.c is linked with a fake transport defined here: sentry_gate() records every
 * trap and answers from a script, sentry_report() records diagnostics, sentry_hang()
 * longjmps back into the test (or aborts when no test expects it), and _s_svcexchange is
 * a plain 1024-byte array. Each test runs in its own forked process, so the library's
 * once-per-process state starts fresh.
 *
 * CONFIG_BUILD_TARGET_AUTOTEST is 1 here so that the autotest prototypes are declared.
 */
#define CONFIG_BUILD_TARGET_AUTOTEST 1

#include <check.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/uapi.h>
#include <uapi/platform.h>

#include "sim/kernel/registry.h" /* the number of system calls */
#include "uapi/src/gate.h"
#include "tests/unit/check_tap.h"

#define MAX_RECORDS   16
#define EXCHANGE_SIZE 1024

struct gate_call {
	uint32_t nr, a0, a1, a2;
};

struct report {
	enum sentry_report what;
	uint32_t a, b;
};

/* Fake transport state; every test starts from fake_reset(). */
static struct gate_call calls[MAX_RECORDS];
static unsigned ncalls;
static uint32_t script[MAX_RECORDS]; /* raw results, in order; then STATUS_OK */
static unsigned nscript, script_pos;
static struct report reports[MAX_RECORDS];
static unsigned nreports;
static unsigned nhangs;
static bool hang_armed;
static jmp_buf hang_env;
static size_t fake_exchange_len;

_Alignas(8) uint8_t _s_svcexchange[EXCHANGE_SIZE];

uint32_t sentry_gate(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	ck_assert_uint_lt(ncalls, MAX_RECORDS);
	calls[ncalls++] = (struct gate_call){nr, a0, a1, a2};
	return script_pos < nscript ? script[script_pos++] : (uint32_t)STATUS_OK;
}

void sentry_report(enum sentry_report what, uint32_t a, uint32_t b)
{
	ck_assert_uint_lt(nreports, MAX_RECORDS);
	reports[nreports++] = (struct report){what, a, b};
}

void sentry_before_exit(void)
{
}

void sentry_hang(void)
{
	nhangs++;
	if (hang_armed)
		longjmp(hang_env, 1);
	abort(); /* an unexpected hang fails the test with SIGABRT */
}

size_t sentry_exchange_len(void)
{
	return fake_exchange_len;
}

static void fake_reset(void)
{
	ncalls = nscript = script_pos = nreports = nhangs = 0;
	hang_armed = false;
	fake_exchange_len = SENTRY_SVCEXCHANGE_LEN;
	memset(_s_svcexchange, 0xEE, sizeof(_s_svcexchange));
}

static void fake_script(unsigned n, const uint32_t *results)
{
	ck_assert_uint_le(n, MAX_RECORDS);
	memcpy(script, results, n * sizeof(*results));
	nscript = n;
	script_pos = 0;
}

#define SCRIPT(...)                                                                                \
	fake_script(sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t), (uint32_t[]){__VA_ARGS__})

/* Run |stmt|, which must end in sentry_hang() instead of returning. */
#define EXPECT_HANG(stmt)                                                                          \
	do {                                                                                       \
		hang_armed = true;                                                                 \
		if (setjmp(hang_env) == 0) {                                                       \
			stmt;                                                                      \
			ck_abort_msg("returned instead of hanging: %s", #stmt);                    \
		}                                                                                  \
		hang_armed = false;                                                                \
	} while (0)

static void assert_call(unsigned i, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	ck_assert_uint_lt(i, ncalls);
	ck_assert_uint_eq(calls[i].nr, nr);
	ck_assert_uint_eq(calls[i].a0, a0);
	ck_assert_uint_eq(calls[i].a1, a1);
	ck_assert_uint_eq(calls[i].a2, a2);
}

static void assert_report(unsigned i, enum sentry_report what, uint32_t a, uint32_t b)
{
	ck_assert_uint_lt(i, nreports);
	ck_assert_int_eq(reports[i].what, what);
	ck_assert_uint_eq(reports[i].a, a);
	ck_assert_uint_eq(reports[i].b, b);
}

/* ---- every trapping function: number and argument words ---- */

#define DEV  0x20084002u
#define TASK 0x001ABCDEu
#define SHM  0x5A5A5A02u
#define DMA  0x4020F00Du

/* clang-format off */
static Status call_get_process_handle(void) { return __sys_get_process_handle(0xA1B2C3D4u); }
static Status call_get_device_handle(void) { return __sys_get_device_handle(0x12345678u); }
static Status call_sched_yield(void) { return __sys_sched_yield(); }
static Status call_sleep(void)
{
	return __sys_sleep((SleepDuration){.tag = SLEEP_DURATION_D10MS}, SLEEP_MODE_DEEP);
}
static Status call_start(void) { return __sys_start(0xBABEu); }
static Status call_map_dev(void) { return __sys_map_dev(DEV); }
static Status call_map_shm(void) { return __sys_map_shm(SHM); }
static Status call_unmap_dev(void) { return __sys_unmap_dev(DEV + 1); }
static Status call_unmap_shm(void) { return __sys_unmap_shm(SHM + 1); }
static Status call_shm_set_credential(void) { return __sys_shm_set_credential(SHM, TASK, 0xFu); }
static Status call_send_ipc(void) { return __sys_send_ipc(TASK, 0xFF); }
static Status call_send_signal(void) { return __sys_send_signal(TASK, SIGNAL_USR2); }
static Status call_send_signal_raw(void) { return __sys_send_signal(TASK, (Signal)77); }
static Status call_wait_for_event(void) { return __sys_wait_for_event(0xFF, WFE_WAIT_NO); }
static Status call_pm_manage(void) { return __sys_pm_manage(CPU_SLEEP_ALLOW_SLEEP); }
static Status call_manage_cpu_sleep(void) { return __sys_manage_cpu_sleep((CPUSleep)9); }
static Status call_pm_set_clock(void)
{
	return __sys_pm_set_clock(0x40023830u, 0xFFFF0000u, 0x12345678u);
}
static Status call_log(void) { return __sys_log(SENTRY_SVCEXCHANGE_LEN); }
static Status call_alarm(void) { return __sys_alarm(1000, O_ALRM_START_PERIODIC); }
static Status call_alarm_raw_flag(void) { return __sys_alarm(0xFFFFFFFFu, (AlarmFlag)7); }
static Status call_alarm_address(void)
{
	Status (*fn)(uint32_t, AlarmFlag) = &__sys_alarm;
	return fn(33, O_ALRM_STOP);
}
static Status call_alarm_noflag(void) { return __sys_alarm(250); }
static Status call_get_random(void) { return __sys_get_random(); }
static Status call_get_cycle(void) { return __sys_get_cycle((Precision)0x1234); }
static Status call_gpio_get(void) { return __sys_gpio_get(DEV, 0xFE); }
static Status call_gpio_set(void) { return __sys_gpio_set(DEV, 7, (bool)42); }
static Status call_gpio_set_low(void) { return __sys_gpio_set(DEV, 7, false); }
static Status call_gpio_reset(void) { return __sys_gpio_reset(DEV, 1); }
static Status call_gpio_toggle(void) { return __sys_gpio_toggle(DEV, 2); }
static Status call_gpio_configure(void) { return __sys_gpio_configure(DEV, 3); }
static Status call_irq_acknowledge(void) { return __sys_irq_acknowledge(0xBEEF); }
static Status call_irq_enable(void) { return __sys_irq_enable(0xFFFF); }
static Status call_irq_disable(void) { return __sys_irq_disable(42); }
static Status call_get_shm_handle(void) { return __sys_get_shm_handle(0xDEADBEEFu); }
static Status call_get_dma_stream_handle(void) { return __sys_get_dma_stream_handle(0xCAFE0001u); }
static Status call_dma_start_stream(void) { return __sys_dma_start_stream(DMA); }
static Status call_dma_suspend_stream(void) { return __sys_dma_suspend_stream(DMA + 1); }
static Status call_dma_get_stream_status(void) { return __sys_dma_get_stream_status(DMA + 2); }
static Status call_shm_get_infos(void) { return __sys_shm_get_infos(SHM + 3); }
static Status call_dma_assign_stream(void) { return __sys_dma_assign_stream(DMA + 4); }
static Status call_dma_unassign_stream(void) { return __sys_dma_unassign_stream(DMA + 5); }
static Status call_dma_get_stream_info(void) { return __sys_dma_get_stream_info(DMA + 6); }
static Status call_dma_resume_stream(void) { return __sys_dma_resume_stream(DMA + 7); }
static Status call_autotest_set_capa(void) { return __sys_autotest_set_capa(0x80000000u); }
static Status call_autotest_clear_capa(void) { return __sys_autotest_clear_capa(1); }
static Status call_has_respawned(void) { return __sys_has_respawned(); }
/* clang-format on */

struct trap_case {
	const char *name;
	Status (*call)(void);
	struct gate_call want;
};

/* Number 0 (exit) never returns: test_exit_* cover it. */
/* clang-format off */
static const struct trap_case trap_cases[] = {
	{"get_process_handle", call_get_process_handle, {1, 0xA1B2C3D4u, 0, 0}},
	{"get_device_handle", call_get_device_handle, {2, 0x12345678u, 0, 0}},
	{"sched_yield", call_sched_yield, {3, 0, 0, 0}},
	{"sleep", call_sleep, {4, 10, 1, 0}},
	{"start", call_start, {5, 0xBABEu, 0, 0}},
	{"map_dev", call_map_dev, {6, DEV, 0, 0}},
	{"map_shm", call_map_shm, {7, SHM, 0, 0}},
	{"unmap_dev", call_unmap_dev, {8, DEV + 1, 0, 0}},
	{"unmap_shm", call_unmap_shm, {9, SHM + 1, 0, 0}},
	{"shm_set_credential", call_shm_set_credential, {10, SHM, TASK, 0xFu}},
	{"send_ipc", call_send_ipc, {11, TASK, 0xFF, 0}},
	{"send_signal", call_send_signal, {12, TASK, 12, 0}},
	{"send_signal_raw", call_send_signal_raw, {12, TASK, 77, 0}},
	{"wait_for_event", call_wait_for_event, {13, 0xFF, 0xFFFFFFFFu, 0}},
	{"pm_manage", call_pm_manage, {14, 3, 0, 0}},
	{"manage_cpu_sleep", call_manage_cpu_sleep, {14, 9, 0, 0}},
	{"pm_set_clock", call_pm_set_clock, {15, 0x40023830u, 0xFFFF0000u, 0x12345678u}},
	{"log", call_log, {16, SENTRY_SVCEXCHANGE_LEN, 0, 0}},
	{"alarm", call_alarm, {17, 1000, 1, 0}},
	{"alarm_raw_flag", call_alarm_raw_flag, {17, 0xFFFFFFFFu, 7, 0}},
	{"alarm_address", call_alarm_address, {17, 33, 2, 0}},
	{"alarm_noflag", call_alarm_noflag, {17, 250, 0, 0}},
	{"get_random", call_get_random, {18, 0, 0, 0}},
	{"get_cycle", call_get_cycle, {19, 0x1234, 0, 0}},
	{"gpio_get", call_gpio_get, {20, DEV, 0xFE, 0}},
	{"gpio_set", call_gpio_set, {21, DEV, 7, 1}},
	{"gpio_set_low", call_gpio_set_low, {21, DEV, 7, 0}},
	{"gpio_reset", call_gpio_reset, {22, DEV, 1, 0}},
	{"gpio_toggle", call_gpio_toggle, {23, DEV, 2, 0}},
	{"gpio_configure", call_gpio_configure, {24, DEV, 3, 0}},
	{"irq_acknowledge", call_irq_acknowledge, {25, 0xBEEF, 0, 0}},
	{"irq_enable", call_irq_enable, {26, 0xFFFF, 0, 0}},
	{"irq_disable", call_irq_disable, {27, 42, 0, 0}},
	{"get_shm_handle", call_get_shm_handle, {28, 0xDEADBEEFu, 0, 0}},
	{"get_dma_stream_handle", call_get_dma_stream_handle, {29, 0xCAFE0001u, 0, 0}},
	{"dma_start_stream", call_dma_start_stream, {30, DMA, 0, 0}},
	{"dma_suspend_stream", call_dma_suspend_stream, {31, DMA + 1, 0, 0}},
	{"dma_get_stream_status", call_dma_get_stream_status, {32, DMA + 2, 0, 0}},
	{"shm_get_infos", call_shm_get_infos, {33, SHM + 3, 0, 0}},
	{"dma_assign_stream", call_dma_assign_stream, {34, DMA + 4, 0, 0}},
	{"dma_unassign_stream", call_dma_unassign_stream, {35, DMA + 5, 0, 0}},
	{"dma_get_stream_info", call_dma_get_stream_info, {36, DMA + 6, 0, 0}},
	{"dma_resume_stream", call_dma_resume_stream, {37, DMA + 7, 0, 0}},
	{"autotest_set_capa", call_autotest_set_capa, {38, 0x80000000u, 0, 0}},
	{"autotest_clear_capa", call_autotest_clear_capa, {39, 1, 0, 0}},
	{"has_respawned", call_has_respawned, {40, 0, 0, 0}},
};
/* clang-format on */
#define N_TRAP_CASES ((int)(sizeof(trap_cases) / sizeof(trap_cases[0])))

/* One trap with the expected words; the scripted result comes back as the Status. */
START_TEST(test_trap_words)
{
	const struct trap_case *tc = &trap_cases[_i];

	fake_reset();
	SCRIPT(STATUS_ALREADY_MAPPED);
	Status st = tc->call();
	ck_assert_msg(st == STATUS_ALREADY_MAPPED, "%s returned %d", tc->name, (int)st);
	ck_assert_msg(ncalls == 1, "%s trapped %u times", tc->name, ncalls);
	assert_call(0, tc->want.nr, tc->want.a0, tc->want.a1, tc->want.a2);
	ck_assert_uint_eq(nhangs, 0);
}
END_TEST

/* The table, plus exit, reaches every number of the dispatch table (uapi.md 1.1). */
START_TEST(test_trap_coverage)
{
	bool seen[KERNEL_SYSCALL_COUNT] = {[SYSCALL_EXIT] = true};

	for (int i = 0; i < N_TRAP_CASES; i++) {
		ck_assert_uint_lt(trap_cases[i].want.nr, KERNEL_SYSCALL_COUNT);
		seen[trap_cases[i].want.nr] = true;
	}
	for (unsigned nr = 0; nr < KERNEL_SYSCALL_COUNT; nr++)
		ck_assert_msg(seen[nr], "syscall %u not covered", nr);
}
END_TEST

/* Every raw Status value 0..10 comes back unchanged, without a report. */
START_TEST(test_result_passthrough)
{
	for (uint32_t raw = 0; raw <= STATUS_DEADLK; raw++) {
		fake_reset();
		SCRIPT(raw);
		ck_assert_int_eq(__sys_get_random(), (Status)raw);
		ck_assert_uint_eq(nreports, 0);
	}
}
END_TEST

/* A raw result above 10 is reported (number, value), then the task never returns (2.1). */
START_TEST(test_result_above_10_hangs)
{
	static const uint32_t bad[] = {STATUS_NON_SENSE, 12, 0x20084002u, 0xFFFFFFFFu};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fake_reset();
		SCRIPT(bad[i]);
		EXPECT_HANG(__sys_map_dev(DEV));
		ck_assert_uint_eq(nhangs, 1);
		ck_assert_uint_eq(ncalls, 1);
		ck_assert_uint_eq(nreports, 1);
		assert_report(0, SENTRY_REPORT_BAD_RESULT, SYSCALL_MAP_DEV, bad[i]);
	}
}
END_TEST

/* ---- sleep (2.3) ---- */

static const struct {
	SleepDuration_Tag tag;
	uint32_t ms;
} sleep_table[] = {
    {SLEEP_DURATION_D1MS, 1},   {SLEEP_DURATION_D2MS, 2},   {SLEEP_DURATION_D5MS, 5},
    {SLEEP_DURATION_D10MS, 10}, {SLEEP_DURATION_D20MS, 20}, {SLEEP_DURATION_D50MS, 50},
};

START_TEST(test_sleep_tag_table)
{
	for (unsigned i = 0; i < sizeof(sleep_table) / sizeof(sleep_table[0]); i++) {
		fake_reset();
		SCRIPT(STATUS_TIMEOUT);
		/* arbitrary_ms is ignored for the fixed tags */
		SleepDuration d = {.tag = sleep_table[i].tag, .arbitrary_ms = 999};
		ck_assert_int_eq(__sys_sleep(d, SLEEP_MODE_SHALLOW), STATUS_TIMEOUT);
		ck_assert_uint_eq(ncalls, 1);
		assert_call(0, SYSCALL_SLEEP, sleep_table[i].ms, SLEEP_MODE_SHALLOW, 0);
	}
}
END_TEST

START_TEST(test_sleep_arbitrary)
{
	static const uint32_t values[] = {0, 1, 1234, 0xFFFFFFFFu};

	for (unsigned i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		fake_reset();
		SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = values[i]};
		ck_assert_int_eq(__sys_sleep(d, SLEEP_MODE_DEEP), STATUS_OK);
		assert_call(0, SYSCALL_SLEEP, values[i], SLEEP_MODE_DEEP, 0);
	}
}
END_TEST

/* A mode other than 0 or 1 reaches the kernel unchanged: it is the kernel's to reject. */
START_TEST(test_sleep_mode_passthrough)
{
	fake_reset();
	SCRIPT(STATUS_INVALID);
	ck_assert_int_eq(__sys_sleep((SleepDuration){.tag = SLEEP_DURATION_D2MS}, (SleepMode)5),
	                 STATUS_INVALID);
	assert_call(0, SYSCALL_SLEEP, 2, 5, 0);
}
END_TEST

/* A tag outside 0..6: INVALID and a report, without trapping. */
START_TEST(test_sleep_bad_tag)
{
	static const uint32_t tags[] = {7, 42, 0x80000000u, 0xFFFFFFFFu};

	for (unsigned i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		fake_reset();
		SleepDuration d = {.tag = (SleepDuration_Tag)tags[i], .arbitrary_ms = 5};
		ck_assert_int_eq(__sys_sleep(d, SLEEP_MODE_SHALLOW), STATUS_INVALID);
		ck_assert_uint_eq(ncalls, 0);
		ck_assert_uint_eq(nreports, 1);
		assert_report(0, SENTRY_REPORT_SLEEP_BAD_TAG, tags[i], 0);
	}
}
END_TEST

/* ---- log (2.2) ---- */

START_TEST(test_log_length)
{
	fake_reset();
	ck_assert_int_eq(__sys_log(0), STATUS_OK);
	assert_call(0, SYSCALL_LOG, 0, 0, 0);

	fake_reset();
	ck_assert_int_eq(__sys_log(SENTRY_SVCEXCHANGE_LEN), STATUS_OK);
	assert_call(0, SYSCALL_LOG, SENTRY_SVCEXCHANGE_LEN, 0, 0);

	/* The check is on the full size_t: the middle value truncates to 0 on LP64. */
	static const size_t too_long[] = {SENTRY_SVCEXCHANGE_LEN + 1,
	                                  (size_t)1 << (sizeof(size_t) * 8 - 1), SIZE_MAX};
	for (unsigned i = 0; i < sizeof(too_long) / sizeof(too_long[0]); i++) {
		fake_reset();
		ck_assert_int_eq(__sys_log(too_long[i]), STATUS_INVALID);
		ck_assert_uint_eq(ncalls, 0);
		ck_assert_uint_eq(nreports, 0);
	}
}
END_TEST

/* ---- wait_for_event (2.4) ---- */

START_TEST(test_wfe_no_retry)
{
	static const uint32_t results[] = {STATUS_OK, STATUS_AGAIN, STATUS_TIMEOUT, STATUS_INVALID};

	for (unsigned i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
		fake_reset();
		SCRIPT(results[i]);
		ck_assert_int_eq(__sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_UPTO(30)),
		                 (Status)results[i]);
		ck_assert_uint_eq(ncalls, 1);
		assert_call(0, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, 30, 0);
	}
}
END_TEST

/* INTR: the very same trap once more, full timeout, and its result is returned. */
START_TEST(test_wfe_intr_retry)
{
	fake_reset();
	SCRIPT(STATUS_INTR, STATUS_OK);
	ck_assert_int_eq(__sys_wait_for_event(EVENT_TYPE_ALL, WFE_WAIT_UPTO(500)), STATUS_OK);
	ck_assert_uint_eq(ncalls, 2);
	assert_call(0, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, 500, 0);
	assert_call(1, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, 500, 0);

	fake_reset();
	SCRIPT(STATUS_INTR, STATUS_TIMEOUT);
	ck_assert_int_eq(__sys_wait_for_event(EVENT_TYPE_SIGNAL, WFE_WAIT_FOREVER), STATUS_TIMEOUT);
	ck_assert_uint_eq(ncalls, 2);
	assert_call(1, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, 0, 0);
}
END_TEST

/* A second INTR is returned as is: one retry only. */
START_TEST(test_wfe_intr_twice)
{
	fake_reset();
	SCRIPT(STATUS_INTR, STATUS_INTR, STATUS_OK);
	ck_assert_int_eq(__sys_wait_for_event(EVENT_TYPE_IRQ, -7), STATUS_INTR);
	ck_assert_uint_eq(ncalls, 2);
	assert_call(0, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, (uint32_t)-7, 0);
	assert_call(1, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, (uint32_t)-7, 0);
}
END_TEST

START_TEST(test_wfe_bad_result_after_intr)
{
	fake_reset();
	SCRIPT(STATUS_INTR, STATUS_NON_SENSE);
	EXPECT_HANG(__sys_wait_for_event(EVENT_TYPE_DMA, WFE_WAIT_NO));
	ck_assert_uint_eq(ncalls, 2);
	assert_report(0, SENTRY_REPORT_BAD_RESULT, SYSCALL_WAIT_FOR_EVENT, STATUS_NON_SENSE);
}
END_TEST

/* ---- send_ipc (2.5): the uint8_t length is zero-extended ---- */

START_TEST(test_send_ipc_zero_extended)
{
	static const uint8_t lens[] = {0, 1, 120, 121, 0x80, 0xFF};

	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		fake_reset();
		ck_assert_int_eq(__sys_send_ipc(TASK, lens[i]), STATUS_OK);
		assert_call(0, SYSCALL_SEND_IPC, TASK, lens[i], 0);
	}
}
END_TEST

/* ---- alarm (1.8 item 1) ---- */

START_TEST(test_alarm_noflag_reported_once)
{
	fake_reset();
	ck_assert_int_eq(__sys_alarm(10), STATUS_OK);
	ck_assert_int_eq(__sys_alarm_noflag(20), STATUS_OK);
	ck_assert_int_eq(__sys_alarm(30), STATUS_OK);
	ck_assert_uint_eq(ncalls, 3);
	assert_call(0, SYSCALL_ALARM, 10, O_ALRM_START, 0);
	assert_call(1, SYSCALL_ALARM, 20, O_ALRM_START, 0);
	assert_call(2, SYSCALL_ALARM, 30, O_ALRM_START, 0);
	ck_assert_uint_eq(nreports, 1);
	ck_assert_int_eq(reports[0].what, SENTRY_REPORT_ALARM_NOFLAG);
	ck_assert_uint_eq(reports[0].a, 10);
}
END_TEST

START_TEST(test_alarm_two_args_not_reported)
{
	fake_reset();
	SCRIPT(STATUS_NO_ENTITY);
	ck_assert_int_eq(__sys_alarm(10, O_ALRM_STOP), STATUS_NO_ENTITY);
	assert_call(0, SYSCALL_ALARM, 10, O_ALRM_STOP, 0);
	ck_assert_uint_eq(nreports, 0);
}
END_TEST

/* ---- exit (2.8) ---- */

START_TEST(test_exit_never_returns)
{
	static const int32_t statuses[] = {0, 1, -3, INT32_MIN};

	for (unsigned i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		fake_reset();
		EXPECT_HANG(__sys_exit(statuses[i]));
		ck_assert_uint_eq(ncalls, 1);
		assert_call(0, SYSCALL_EXIT, (uint32_t)statuses[i], 0, 0);
		ck_assert_uint_eq(nhangs, 1);
	}
}
END_TEST

/* Even a result the gate should never give back (a Status or not) does not return. */
START_TEST(test_exit_odd_results)
{
	static const uint32_t results[] = {STATUS_OK, STATUS_INVALID, STATUS_NON_SENSE};

	for (unsigned i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
		fake_reset();
		SCRIPT(results[i]);
		EXPECT_HANG(__sys_exit(7));
		ck_assert_uint_eq(ncalls, 1);
		ck_assert_uint_eq(nhangs, 1);
	}
}
END_TEST

/* ---- exchange area (2.7, 1.8) ---- */

static uint8_t pattern[2 * EXCHANGE_SIZE];

static void fill_pattern(void)
{
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 1);
}

static void assert_bytes(const uint8_t *p, size_t from, size_t to, uint8_t value)
{
	for (size_t i = from; i < to; i++)
		ck_assert_msg(p[i] == value, "byte %zu is 0x%02x, not 0x%02x", i, p[i], value);
}

START_TEST(test_copy_to_kernel)
{
	fake_reset();
	fill_pattern();
	ck_assert_int_eq(copy_to_kernel(pattern, 10), STATUS_OK);
	ck_assert_mem_eq(_s_svcexchange, pattern, 10);
	assert_bytes(_s_svcexchange, 10, EXCHANGE_SIZE, 0xEE);
	ck_assert_uint_eq(nreports, 0);

	fake_reset();
	ck_assert_int_eq(copy_to_kernel(pattern, SENTRY_SVCEXCHANGE_LEN), STATUS_OK);
	ck_assert_mem_eq(_s_svcexchange, pattern, SENTRY_SVCEXCHANGE_LEN);
	assert_bytes(_s_svcexchange, SENTRY_SVCEXCHANGE_LEN, EXCHANGE_SIZE, 0xEE);
	ck_assert_uint_eq(nreports, 0);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(test_copy_to_kernel_truncates)
{
	fake_reset();
	fill_pattern();
	ck_assert_int_eq(copy_to_kernel(pattern, SENTRY_SVCEXCHANGE_LEN + 72), STATUS_OK);
	ck_assert_mem_eq(_s_svcexchange, pattern, SENTRY_SVCEXCHANGE_LEN);
	assert_bytes(_s_svcexchange, SENTRY_SVCEXCHANGE_LEN, EXCHANGE_SIZE, 0xEE);
	ck_assert_uint_eq(nreports, 1);
	assert_report(0, SENTRY_REPORT_COPY_TRUNCATED, 0, SENTRY_SVCEXCHANGE_LEN + 72);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(test_copy_from_kernel)
{
	uint8_t buf[2 * EXCHANGE_SIZE];

	fake_reset();
	fill_pattern();
	memcpy(_s_svcexchange, pattern, EXCHANGE_SIZE);

	memset(buf, 0x55, sizeof(buf));
	ck_assert_int_eq(copy_from_kernel(buf, 9), STATUS_OK);
	ck_assert_mem_eq(buf, pattern, 9);
	assert_bytes(buf, 9, sizeof(buf), 0x55);
	ck_assert_uint_eq(nreports, 0);

	memset(buf, 0x55, sizeof(buf));
	ck_assert_int_eq(copy_from_kernel(buf, sizeof(buf)), STATUS_OK);
	ck_assert_mem_eq(buf, pattern, SENTRY_SVCEXCHANGE_LEN);
	assert_bytes(buf, SENTRY_SVCEXCHANGE_LEN, sizeof(buf), 0x55);
	ck_assert_uint_eq(nreports, 1);
	assert_report(0, SENTRY_REPORT_COPY_TRUNCATED, 1, sizeof(buf));
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(test_copy_null)
{
	fake_reset();
	ck_assert_int_eq(copy_to_kernel(NULL, 4), STATUS_INVALID);
	ck_assert_int_eq(copy_from_kernel(NULL, SIZE_MAX), STATUS_INVALID);
	assert_bytes(_s_svcexchange, 0, EXCHANGE_SIZE, 0xEE);
	ck_assert_uint_eq(nreports, 2);
	assert_report(0, SENTRY_REPORT_COPY_NULL, 0, 4);
	assert_report(1, SENTRY_REPORT_COPY_NULL, 1, UINT32_MAX); /* saturated */
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(test_copy_zero_length)
{
	uint8_t buf[4] = {1, 2, 3, 4};

	fake_reset();
	ck_assert_int_eq(copy_to_kernel(NULL, 0), STATUS_OK);
	ck_assert_int_eq(copy_from_kernel(NULL, 0), STATUS_OK);
	ck_assert_int_eq(copy_to_kernel(buf, 0), STATUS_OK);
	ck_assert_int_eq(copy_from_kernel(buf, 0), STATUS_OK);
	assert_bytes(_s_svcexchange, 0, EXCHANGE_SIZE, 0xEE);
	ck_assert_mem_eq(buf, ((uint8_t[]){1, 2, 3, 4}), 4);
	ck_assert_uint_eq(nreports, 0);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

/* The source may be the area itself, e.g. forwarding a received payload. */
START_TEST(test_copy_to_kernel_overlap)
{
	fake_reset();
	fill_pattern();
	memcpy(_s_svcexchange, pattern, SENTRY_SVCEXCHANGE_LEN);
	ck_assert_int_eq(copy_to_kernel(_s_svcexchange + 8, 40), STATUS_OK);
	ck_assert_mem_eq(_s_svcexchange, pattern + 8, 40);
}
END_TEST

START_TEST(test_svcexchange_maxlen)
{
	fake_reset();
	ck_assert_uint_eq(svcexchange_get_maxlen(), SENTRY_SVCEXCHANGE_LEN);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(test_clean_svcexchange)
{
	fake_reset();
	ck_assert_int_eq(clean_svcexchange(), STATUS_OK);
	assert_bytes(_s_svcexchange, 0, SENTRY_SVCEXCHANGE_LEN, 0);
	assert_bytes(_s_svcexchange, SENTRY_SVCEXCHANGE_LEN, EXCHANGE_SIZE, 0xEE);
	ck_assert_uint_eq(ncalls, 0);

	/* The kernel's area is larger than the library's: all of it is cleared. */
	fake_reset();
	fake_exchange_len = 512;
	ck_assert_int_eq(clean_svcexchange(), STATUS_OK);
	assert_bytes(_s_svcexchange, 0, 512, 0);
	assert_bytes(_s_svcexchange, 512, EXCHANGE_SIZE, 0xEE);

	/* Never beyond the 1024 bytes the symbol guarantees. */
	fake_reset();
	fake_exchange_len = 1u << 20;
	ck_assert_int_eq(clean_svcexchange(), STATUS_OK);
	assert_bytes(_s_svcexchange, 0, EXCHANGE_SIZE, 0);
}
END_TEST

static Suite *uapi_lib_suite(void)
{
	Suite *s = suite_create("uapi_lib");
	TCase *tc;

	tc = tcase_create("traps");
	tcase_add_loop_test(tc, test_trap_words, 0, N_TRAP_CASES);
	tcase_add_test(tc, test_trap_coverage);
	tcase_add_test(tc, test_result_passthrough);
	tcase_add_test(tc, test_result_above_10_hangs);
	suite_add_tcase(s, tc);

	tc = tcase_create("conversions");
	tcase_add_test(tc, test_sleep_tag_table);
	tcase_add_test(tc, test_sleep_arbitrary);
	tcase_add_test(tc, test_sleep_mode_passthrough);
	tcase_add_test(tc, test_sleep_bad_tag);
	tcase_add_test(tc, test_log_length);
	tcase_add_test(tc, test_wfe_no_retry);
	tcase_add_test(tc, test_wfe_intr_retry);
	tcase_add_test(tc, test_wfe_intr_twice);
	tcase_add_test(tc, test_wfe_bad_result_after_intr);
	tcase_add_test(tc, test_send_ipc_zero_extended);
	tcase_add_test(tc, test_alarm_noflag_reported_once);
	tcase_add_test(tc, test_alarm_two_args_not_reported);
	tcase_add_test(tc, test_exit_never_returns);
	tcase_add_test(tc, test_exit_odd_results);
	suite_add_tcase(s, tc);

	tc = tcase_create("exchange");
	tcase_add_test(tc, test_copy_to_kernel);
	tcase_add_test(tc, test_copy_to_kernel_truncates);
	tcase_add_test(tc, test_copy_from_kernel);
	tcase_add_test(tc, test_copy_null);
	tcase_add_test(tc, test_copy_zero_length);
	tcase_add_test(tc, test_copy_to_kernel_overlap);
	tcase_add_test(tc, test_svcexchange_maxlen);
	tcase_add_test(tc, test_clean_svcexchange);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(uapi_lib_suite());
}
