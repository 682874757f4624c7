/*
 * check_kernel_basic.c: the kernel model's boot, handles and simple gates, rule by rule
 * from uapi.md: configuration (1.7, 9.4), boot and entry (7.2), task handles (3.1-3.3,
 * 3.5), get_process_handle (4.2), yield (4.4), log (4.15), get_random (4.17), get_cycle
 * (4.18), pm_manage / pm_set_clock (4.13, 4.14), has_respawned (4.26), unsupported numbers
 * (4.0), start (4.6), exit and respawn (4.1, 7.5, 7.6) and the autotest build (4.25, 7.9).
 *
 * Every failing call is checked against an exchange area pre-filled with KH_FILL: a failed
 * call writes nothing (1.6), a successful one only the bytes its section lists.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/kernel_harness.h"

enum { A = 0, B = 1, C = 2 };
#define LA 0x1000u
#define LB 0x2000u
#define LC 0x3000u

/* A (0x1000) and B (0x2000), both priority 1, with A's capabilities |caps_a|. */
static Kernel *boot_ab(uint32_t caps_a)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 1), kh_task("b", LB, 1)};
	t[0].capabilities = caps_a;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	return k;
}

/* A single task, started. */
static Kernel *boot_a(uint32_t caps)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	t.capabilities = caps;
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	return k;
}

/* ---------------------------------------------------------------------------------------- */
/* Configuration and boot                                                                    */

START_TEST(test_config_defaults)
{
	KernelConfig cfg;
	kernel_config_init(&cfg);
	ck_assert_int_eq(cfg.build, KERNEL_BUILD_NORMAL);
	ck_assert_uint_eq(cfg.autotest_caps, 0x00270017u); /* 6.3 */
	ck_assert_uint_eq(cfg.exchange_len, 128);          /* 1.6 */
	ck_assert_uint_eq(cfg.max_tasks, 8);               /* 1.7 */
	ck_assert_uint_eq(cfg.n_tasks, 0);
}
END_TEST

START_TEST(test_config_rejected)
{
	static const KernelHooks none = {0};
	KernelTaskConfig t[3] = {kh_task("a", LA, 1), kh_task("b", LB, 1), kh_task("c", LC, 1)};
	KernelConfig cfg;
	const char *err;

	kh_config(&cfg, t, 1);
	cfg.exchange_len = 63;
	err = NULL;
	ck_assert_ptr_null(kernel_new(&cfg, &none, NULL, &err));
	ck_assert_ptr_nonnull(err);
	cfg.exchange_len = 1025;
	ck_assert_ptr_null(kernel_new(&cfg, &none, NULL, &err));

	kh_config(&cfg, t, 1);
	cfg.max_tasks = 0;
	ck_assert_ptr_null(kernel_new(&cfg, &none, NULL, &err));

	kh_config(&cfg, t, 0);
	ck_assert_ptr_null(kernel_new(&cfg, &none, NULL, &err));

	kh_config(&cfg, t, 3);
	cfg.max_tasks = 2;
	ck_assert_ptr_null(kernel_new(&cfg, &none, NULL, &err));

	/* the bounds themselves are accepted */
	kh_config(&cfg, t, 2);
	cfg.max_tasks = 2;
	cfg.exchange_len = 64;
	Kernel *k = kernel_new(&cfg, &none, NULL, &err);
	ck_assert_ptr_nonnull(k);
	kernel_free(k);
	cfg.exchange_len = 1024;
	k = kernel_new(&cfg, &none, NULL, &err);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(kernel_exchange_len(k), 1024);
	kernel_free(k);
}
END_TEST

/* 7.2: idle runs first and writes its two lines with raw log calls. */
START_TEST(test_boot_idle_logs)
{
	static const char hello[] = "hello this is idle!\n";
	static const char yielding[] = "yielding for scheduler...\n";
	Kernel *k = boot_a(0);
	uint32_t idle = kernel_idle_id(k);

	ck_assert_uint_eq(idle, 1);
	ck_assert_uint_eq(kernel_task_count(k), 1);
	ck_assert_uint_eq(kh_log_count(), 2);
	ck_assert_uint_eq(kh_log(0)->task, idle);
	ck_assert_uint_eq(kh_log(0)->len, 20);
	ck_assert_mem_eq(kh_log_bytes() + kh_log(0)->off, hello, 20);
	ck_assert_uint_eq(kh_log(1)->task, idle);
	ck_assert_uint_eq(kh_log(1)->len, 26);
	ck_assert_mem_eq(kh_log_bytes() + kh_log(1)->off, yielding, 26);
	/* the boot facts go to the report channel */
	ck_assert_uint_ge(kh_reports_matching(KREPORT_INFO, "seed 1"), 1);
}
END_TEST

/* 4.15: a release build prints nothing, idle's lines included. */
START_TEST(test_boot_release_silent)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.release = true;
	kh_boot(&cfg);
	ck_assert_uint_eq(kh_log_count(), 0);
}
END_TEST

/* 7.3: the highest priority in the active set is elected; ties go to the lowest cell.
 * 7.2: only AUTO tasks are scheduled at boot. */
START_TEST(test_boot_election)
{
	KernelTaskConfig t[5] = {kh_task("p1", 0x1, 1), kh_task("p3a", 0x2, 3),
	                         kh_task("p3b", 0x3, 3), kh_task("p2", 0x4, 2),
	                         kh_task("p9-noauto", 0x5, 9)};
	t[4].auto_start = false;
	KernelConfig cfg;
	kh_config(&cfg, t, 5);
	Kernel *k = kh_boot(&cfg);

	ck_assert_uint_eq(kernel_current(k), 1);
	for (uint32_t i = 0; i < 5; i++)
		ck_assert_int_eq(kernel_task_state(k, i), JOB_READY);
	ck_assert(kernel_task_started(k, 0));
	ck_assert(!kernel_task_started(k, 4));
}
END_TEST

/* 7.2: no AUTO task: only idle can run and the run is over. */
START_TEST(test_boot_nothing_to_run)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	t.auto_start = false;
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	Kernel *k = kh_boot(&cfg);
	KernelResume r;

	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	ck_assert(!kernel_resume(k, &r)); /* idle is not a host task */
	ck_assert(!kernel_panicked(k));
	kh_idle(k, KERNEL_IDLE_DONE);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
}
END_TEST

/* 7.2: a job starts fresh at its entry with r0 = 0 and a seed in r1; later resumes are
 * sysreturns. */
START_TEST(test_boot_fresh_entry)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 1), kh_task("b", LB, 1)};
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);

	KernelResume r = kh_go(k, A);
	ck_assert(r.fresh);
	ck_assert_uint_eq(r.r0, 0);
	ck_assert_uint_eq(r.generation, 1);
	ck_assert_uint_eq(kernel_task_generation(k, A), 1);
	uint32_t seed_a = r.r1;

	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	r = kh_go(k, B);
	ck_assert(r.fresh);
	ck_assert_uint_eq(r.r0, 0);
	uint32_t seed_b = r.r1;
	ck_assert_uint_ne(seed_a, seed_b);

	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	r = kh_go(k, A);
	ck_assert(!r.fresh);
	ck_assert_uint_eq(r.r0, STATUS_OK);
}
END_TEST

/* 3.1: taskh = rerun | (id << 20), family 0; idle is the last cell, label 0xcafe. */
START_TEST(test_handle_encoding)
{
	KernelTaskConfig t[3] = {kh_task("a", LA, 1), kh_task("b", LB, 1), kh_task("c", LC, 1)};
	KernelConfig cfg;
	kh_config(&cfg, t, 3);
	Kernel *k = kh_boot(&cfg);

	ck_assert_uint_eq(kernel_idle_id(k), 3);
	ck_assert_uint_eq(kernel_task_label(k, 3), 0xcafe);
	for (uint32_t i = 0; i <= 3; i++) {
		uint32_t h = kernel_task_handle(k, i);
		ck_assert_uint_eq((h >> 20) & 0xFF, i);
		ck_assert_uint_eq(h >> 28, 0);
	}
}
END_TEST

/* 3.2: random bits come from the seed: same seed, same handles and entry seeds. */
START_TEST(test_handle_determinism)
{
	KernelTaskConfig t[3] = {kh_task("a", LA, 1), kh_task("b", LB, 1), kh_task("c", LC, 1)};
	KernelConfig cfg;
	uint32_t h1[4], h2[4], h3[4];

	kh_config(&cfg, t, 3);
	cfg.seed = 42;
	Kernel *k = kh_boot(&cfg);
	for (uint32_t i = 0; i < 4; i++)
		h1[i] = kernel_task_handle(k, i);
	uint32_t seed1 = kh_go(k, A).r1;
	k = kh_boot(&cfg);
	for (uint32_t i = 0; i < 4; i++)
		h2[i] = kernel_task_handle(k, i);
	ck_assert_uint_eq(kh_go(k, A).r1, seed1);
	ck_assert_mem_eq(h1, h2, sizeof(h1));

	cfg.seed = 43;
	k = kh_boot(&cfg);
	for (uint32_t i = 0; i < 4; i++)
		h3[i] = kernel_task_handle(k, i);
	ck_assert_msg(memcmp(h1, h3, sizeof(h1)) != 0, "seed 42 and 43 give the same handles");
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.2 get_process_handle                                                                    */

START_TEST(test_gph_invalid_label)
{
	Kernel *k = boot_ab(0);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, 0x4242, 0, 0), STATUS_INVALID);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	/* labels are full 32-bit values: 0x1000 | 1 << 16 is not 0x1000 */
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, LA | 0x10000u, 0, 0),
	                  STATUS_INVALID);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

START_TEST(test_gph_denied_domain)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 1), kh_task("b", LB, 1)};
	t[1].domain = 1;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);

	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, LB, 0, 0), STATUS_DENIED);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	/* B (domain 1) cannot see idle (domain 0) either */
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_fill(k, B, KH_FILL);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_GET_PROCESS_HANDLE, 0xcafe, 0, 0), STATUS_DENIED);
	kh_assert_fill(k, B, 0, 128, KH_FILL);
}
END_TEST

START_TEST(test_gph_ok)
{
	Kernel *k = boot_ab(0);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, LB, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 0), kernel_task_handle(k, B));
	kh_assert_fill(k, A, 4, 128, KH_FILL);
	/* itself and idle (0xcafe) */
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, LA, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 0), kernel_task_handle(k, A));
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, 0xcafe, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 0), kernel_task_handle(k, kernel_idle_id(k)));
	kh_assert_fill(k, A, 4, 128, KH_FILL);
}
END_TEST

/* 4.2: the current handle whatever the target's state: not started, finished. */
START_TEST(test_gph_any_state)
{
	KernelTaskConfig t[3] = {kh_task("a", LA, 1), kh_task("b", LB, 1), kh_task("c", LC, 1)};
	t[2].auto_start = false;
	KernelConfig cfg;
	kh_config(&cfg, t, 3);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);

	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, LC, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 0), kernel_task_handle(k, C));
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_FINISHED);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, LB, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 0), kernel_task_handle(k, B));
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.4 yield                                                                                 */

START_TEST(test_yield_switches)
{
	Kernel *k = boot_ab(0);
	kh_fill(k, A, KH_FILL);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kernel_current(k), B);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY); /* YIELDED is transient */
	ck_assert_uint_eq(kh_cells(k, false, A), 1);          /* backed set */
	ck_assert_uint_eq(kh_cells(k, true, A), 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* 4.4: with nobody else in the active set, the sets swap and the caller runs again. */
START_TEST(test_yield_alone)
{
	Kernel *k = boot_a(0);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.15 log                                                                                  */

START_TEST(test_log_raw_bytes)
{
	static const uint8_t msg[] = {'h', 'i', 0, '\n', 0xff};
	Kernel *k = boot_a(0);
	size_t before = kh_log_count();

	kh_fill(k, A, KH_FILL);
	kh_put(k, A, 0, msg, sizeof(msg));
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, sizeof(msg), 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_log_count(), before + 1);
	const KhLog *l = kh_log(before);
	ck_assert_uint_eq(l->task, A);
	ck_assert_uint_eq(l->len, sizeof(msg));
	ck_assert_mem_eq(kh_log_bytes() + l->off, msg, sizeof(msg));
	/* the area is not touched */
	ck_assert_mem_eq(kernel_exchange(k, A), msg, sizeof(msg));
	kh_assert_fill(k, A, sizeof(msg), 128, KH_FILL);
}
END_TEST

START_TEST(test_log_whole_area)
{
	Kernel *k = boot_a(0);
	size_t before = kh_log_count();
	for (uint32_t i = 0; i < 128; i++)
		kernel_exchange(k, A)[i] = (uint8_t)i;
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, 128, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_log(before)->len, 128);
	ck_assert_mem_eq(kh_log_bytes() + kh_log(before)->off, kernel_exchange(k, A), 128);
}
END_TEST

START_TEST(test_log_too_long)
{
	Kernel *k = boot_a(0);
	size_t before = kh_log_count();
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, 129, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, 0xFFFFFFFFu, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_log_count(), before);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* The limit is the configured area length. */
START_TEST(test_log_limit_follows_area)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.exchange_len = 64;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, 65, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, 64, 0, 0), STATUS_OK);
}
END_TEST

START_TEST(test_log_zero)
{
	Kernel *k = boot_a(0);
	size_t before = kh_log_count();
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, 0, 0, 0), STATUS_OK);
	for (size_t i = before; i < kh_log_count(); i++)
		ck_assert_uint_eq(kh_log(i)->len, 0);
}
END_TEST

/* Release build: OK and nothing printed, whatever the length. */
START_TEST(test_log_release)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.release = true;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, 5, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_LOG, 129, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_log_count(), 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.17 get_random                                                                           */

START_TEST(test_random_denied)
{
	Kernel *k = boot_a(CAP_CRY_KRNG ^ 0x00FFFFFFu); /* everything but KRNG */
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_DENIED);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

START_TEST(test_random_critical)
{
	Kernel *k = boot_a(CAP_CRY_KRNG);
	kernel_set_entropy_failure(k, 2);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_CRITICAL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_CRITICAL);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_OK);
}
END_TEST

/* DENIED comes before CRITICAL. */
START_TEST(test_random_denied_before_critical)
{
	Kernel *k = boot_a(0);
	kernel_set_entropy_failure(k, 1);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_DENIED);
}
END_TEST

START_TEST(test_random_ok)
{
	Kernel *k = boot_a(CAP_CRY_KRNG);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_OK);
	uint32_t v1 = kh_u32(k, A, 0);
	kh_assert_fill(k, A, 4, 128, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_OK);
	uint32_t v2 = kh_u32(k, A, 0);
	ck_assert_uint_ne(v1, v2);

	/* the same seed replays the same values */
	KernelTaskConfig t = kh_task("a", LA, 1);
	t.capabilities = CAP_CRY_KRNG;
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	k = kh_boot(&cfg);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 0), v1);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.18 get_cycle                                                                            */

START_TEST(test_cycle_invalid)
{
	Kernel *k = boot_a(0);
	kh_fill(k, A, KH_FILL);
	/* the range check comes before the capability check */
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, 4, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, 0xFFFFFFFFu, 0, 0), STATUS_INVALID);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

START_TEST(test_cycle_denied)
{
	Kernel *k = boot_a(0x00FFFFFFu & ~(uint32_t)CAP_TIM_HP_CHRONO);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_CYCLE, 0, 0), STATUS_DENIED);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* 4.18, 8: values at 5.5 ms with a 64 MHz core. */
START_TEST(test_cycle_values)
{
	Kernel *k = boot_a(CAP_TIM_HP_CHRONO);
	kernel_advance(k, 5500000);
	ck_assert_uint_eq(kernel_current(k), A);

	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_CYCLE, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u64(k, A, 0), 352000u);
	kh_assert_fill(k, A, 8, 128, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_NANOSECONDS, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u64(k, A, 0), 5500000u);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_MICROSECONDS, 0, 0),
	                  STATUS_OK);
	ck_assert_uint_eq(kh_u64(k, A, 0), 5500u);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_MILLISECONDS, 0, 0),
	                  STATUS_OK);
	ck_assert_uint_eq(kh_u64(k, A, 0), 5u); /* jiffies */
	kh_assert_fill(k, A, 8, 128, KH_FILL);
}
END_TEST

/* 4.18: only CYCLE needs HP_CHRONO; the nanosecond divergence is reported once. */
START_TEST(test_cycle_nanos_no_cap)
{
	Kernel *k = boot_a(0);
	kh_advance_ms(k, 2);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_NANOSECONDS, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u64(k, A, 0), 2000000u);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_NANOSECONDS, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_DIVERGENCE, "NANOSECONDS"), 1);
}
END_TEST

START_TEST(test_cycle_nanos_quirk)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.nanos_target_quirk = true;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	kh_advance_ms(k, 2);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_NANOSECONDS, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u64(k, A, 0), 0);
	kh_assert_fill(k, A, 8, 128, KH_FILL);
}
END_TEST

/* A core at or above 1 GHz has no divergence to report. */
START_TEST(test_cycle_nanos_fast_core)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.core_freq_hz = 2000000000u;
	cfg.nanos_target_quirk = true;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	kh_advance_ms(k, 3);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_NANOSECONDS, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u64(k, A, 0), 3000000u);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_DIVERGENCE, NULL), 0);
}
END_TEST

/* 8: the charged syscall cost moves time. */
START_TEST(test_syscall_cost)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.syscall_cost_ns = 250000;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(kh_call(k, A, SYSCALL_HAS_RESPAWNED, 0, 0, 0), STATUS_AGAIN);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
	ck_assert_uint_eq(kernel_now_ns(k), 750000u);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_CYCLE, PRECISION_MILLISECONDS, 0, 0),
	                  STATUS_OK);
	ck_assert_uint_eq(kh_u64(k, A, 0), 0); /* read before its own cost is charged */
	ck_assert_uint_eq(kernel_jiffies(k), 1);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.13 pm_manage, 4.14 pm_set_clock                                                         */

START_TEST(test_pm_manage)
{
	Kernel *k = boot_a(0);
	kh_fill(k, A, KH_FILL);
	for (uint32_t cmd = 0; cmd < 5; cmd++)
		ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_MANAGE, cmd, 0, 0), STATUS_DENIED);

	k = boot_a(CAP_SYS_POWER);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_MANAGE, 4, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_MANAGE, 0xFFFFFFFFu, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_MANAGE, CPU_SLEEP_WAIT_FOR_INTERRUPT, 0, 0),
	                  STATUS_DENIED);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_MANAGE, CPU_SLEEP_WAIT_FOR_EVENT, 0, 0),
	                  STATUS_DENIED);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_MANAGE, CPU_SLEEP_FORBID_SLEEP, 0, 0),
	                  STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_MANAGE, CPU_SLEEP_ALLOW_SLEEP, 0, 0), STATUS_OK);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

START_TEST(test_pm_set_clock)
{
	Kernel *k = boot_a(0);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_SET_CLOCK, 2, 1, 1), STATUS_DENIED);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_SET_CLOCK, 4, 1, 1), STATUS_DENIED);

	k = boot_a(CAP_SYS_POWER);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_SET_CLOCK, 2, 1, 1), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_SET_CLOCK, 0x40021001u, 1, 1), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_SET_CLOCK, 0x40021004u, 0xFF, 3), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_PM_SET_CLOCK, 0, 0, 0), STATUS_OK);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.0 unsupported numbers                                                                   */

static const uint32_t unsupported_nrs[] = {32, 38, 39, 41, 200, 255, 256, 0xFFFFFFFFu};

/* Normal build: ABORTING, no result (r0 keeps the first argument), no reschedule. */
START_TEST(test_unsupported_normal)
{
	uint32_t nr = unsupported_nrs[_i];
	Kernel *k = boot_ab(0x00FFFFFFu);
	kh_fill(k, A, KH_FILL);
	kh_trap(k, A, nr, 0x12345678u, 1, 2);
	ck_assert_uint_eq(kernel_current(k), A);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_ABORTING);
	ck_assert_uint_eq(kh_result(k, A), 0x12345678u);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_ABORT, "unsupported system call"), 1);
	const KhReport *r = kh_last_report(KREPORT_ABORT);
	ck_assert_uint_eq(r->task, A);
	char want[32];
	snprintf(want, sizeof(want), "call %u", nr);
	ck_assert_ptr_nonnull(strstr(r->text, want));
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	/* a small first argument comes back as a Status-looking value */
	kh_trap(k, A, nr, STATUS_BUSY, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_BUSY);
}
END_TEST

/* 4.0: when the quantum expires while ABORTING, the election drops the job for good. */
START_TEST(test_unsupported_dropped_at_quantum)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 1), kh_task("b", LB, 1)};
	t[0].quantum = 3;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	kh_trap(k, A, 41, 0, 0, 0);
	kh_advance_ms(k, 2);
	ck_assert_uint_eq(kh_result(k, A), 0);
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kernel_current(k), B);
	kh_go(k, B);
	for (int i = 0; i < 10; i++) {
		kh_advance_ms(k, 10);
		ck_assert_uint_eq(kernel_current(k), B);
	}
	ck_assert_int_eq(kernel_task_state(k, A), JOB_ABORTING);
}
END_TEST

/* 4.0, 11: an aborted task alone: idle runs and the run ends stuck. */
START_TEST(test_unsupported_alone_stuck)
{
	Kernel *k = boot_a(0);
	kh_trap(k, A, 41, 0, 0, 0);
	kh_advance_ms(k, 10);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	kh_idle(k, KERNEL_IDLE_STUCK);
	char why[160];
	kernel_task_blocker(k, A, why, sizeof(why));
	ck_assert_ptr_nonnull(strstr(why, "41"));
}
END_TEST

/* 4.0: a later call that sets the caller's own state cancels the abort, and is reported. */
START_TEST(test_unsupported_cancelled_by_yield)
{
	Kernel *k = boot_ab(0);
	kh_trap(k, A, 41, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), 0);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_ABORT, "cancelled"), 1);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
}
END_TEST

/* 4.0: a call that does not set the caller's state leaves the abort in place. */
START_TEST(test_unsupported_not_cancelled)
{
	Kernel *k = boot_ab(0);
	kh_trap(k, A, 41, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), 0);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_HAS_RESPAWNED, 0, 0, 0), STATUS_AGAIN);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, -1, 0),
	                  STATUS_AGAIN);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_ABORTING);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_ABORT, "cancelled"), 0);
}
END_TEST

/* Autotest build: NO_ENTITY, nothing else. */
START_TEST(test_unsupported_autotest)
{
	static const uint32_t nrs[] = {32, 41, 255, 0xFFFFFFFFu};
	KernelTaskConfig t = kh_task("test", 0, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.build = KERNEL_BUILD_AUTOTEST;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		ck_assert_uint_eq(kh_call(k, A, nrs[i], 77, 0, 0), STATUS_NO_ENTITY);
		ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	}
	ck_assert_uint_eq(kh_reports_matching(KREPORT_ABORT, NULL), 0);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.6 start                                                                                 */

static Kernel *boot_starter(bool b_auto, uint8_t b_domain)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 1), kh_task("b", LB, 5)};
	t[0].capabilities = CAP_SYS_PROCSTART;
	t[1].auto_start = b_auto;
	t[1].domain = b_domain;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, b_auto ? B : A);
	return k;
}

START_TEST(test_start_denied)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 1), kh_task("b", LB, 1)};
	t[0].capabilities = 0x00FFFFFFu & ~(uint32_t)CAP_SYS_PROCSTART;
	t[1].auto_start = false;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_START, LB, 0, 0), STATUS_DENIED);
	/* the capability is checked before the label */
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_START, 0x9999, 0, 0), STATUS_DENIED);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	ck_assert(!kernel_task_started(k, B));
}
END_TEST

START_TEST(test_start_invalid)
{
	Kernel *k = boot_starter(false, 0);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_START, 0x9999, 0, 0), STATUS_INVALID);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* 4.6: OK; the target joins the active set but the caller is not preempted, even by a
 * higher priority; no domain check. */
START_TEST(test_start_ok)
{
	Kernel *k = boot_starter(false, 7);
	ck_assert(!kernel_task_started(k, B));
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_START, LB, 0, 0), STATUS_OK);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	ck_assert(kernel_task_started(k, B));
	ck_assert_uint_eq(kernel_current(k), A);
	ck_assert_uint_eq(kh_cells(k, true, B), 1);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_READY);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	KernelResume r = kh_go(k, B);
	ck_assert(r.fresh);
	ck_assert_uint_eq(r.r0, 0);
}
END_TEST

/* 4.6, D13: a target already in the active set (here, running) panics the kernel. */
START_TEST(test_start_active_panics)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 1), kh_task("b", LB, 1)};
	t[0].capabilities = CAP_SYS_PROCSTART;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_START, LB, 0, 0);
	kh_assert_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE);
	ck_assert_ptr_nonnull(strstr(kh_last_report(KREPORT_PANIC)->text, "'a'"));
	KernelResume res;
	ck_assert(!kernel_resume(k, &res));
	kh_idle(k, KERNEL_IDLE_PANIC);
}
END_TEST

START_TEST(test_start_self_panics)
{
	Kernel *k = boot_starter(false, 0);
	kh_trap(k, A, SYSCALL_START, LA, 0, 0);
	kh_assert_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE);
}
END_TEST

/* 4.6: a FINISHED target is refused by the scheduler: panic. */
START_TEST(test_start_finished_panics)
{
	Kernel *k = boot_starter(true, 0);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_FINISHED);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_START, LB, 0, 0);
	kh_assert_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE);
}
END_TEST

/* 4.6: a blocked target (sleeping) is refused too. */
START_TEST(test_start_blocked_panics)
{
	Kernel *k = boot_starter(true, 0);
	kh_trap(k, B, SYSCALL_SLEEP, 100, SLEEP_MODE_DEEP, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_START, LB, 0, 0);
	kh_assert_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE);
}
END_TEST

/* 4.6: a READY task in the backed set passes the checks: OK, and reported. */
START_TEST(test_start_backed_reported)
{
	Kernel *k = boot_starter(true, 0);     /* B (priority 5) runs first */
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0); /* B -> backed; A is alone in the active set */
	kh_go(k, A);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_READY);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_START, LB, 0, 0), STATUS_OK);
	ck_assert(!kernel_panicked(k));
	ck_assert_uint_eq(kh_reports_matching(KREPORT_UNCHARACTERIZED, "backed"), 1);
	/* the caller keeps running; B (priority 5) is elected at the next election */
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, B), STATUS_OK);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.1 exit, 7.5 exit modes, 7.6 respawn                                                      */

static Kernel *boot_exit(uint8_t exit_mode)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 2), kh_task("b", LB, 1)};
	t[0].exit_mode = exit_mode;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	return k;
}

/* exit(!= 0): ABORTING, never runs again; no respawn, no panic, whatever the mode. */
START_TEST(test_exit_nonzero)
{
	static const uint8_t modes[] = {EXIT_MODE_NORESTART, EXIT_MODE_RESTART, EXIT_MODE_PANIC};
	Kernel *k = boot_exit(modes[_i]);
	uint32_t h = kernel_task_handle(k, A);
	kh_trap(k, A, SYSCALL_EXIT, (uint32_t)-3, 0, 0);
	ck_assert(!kernel_panicked(k));
	ck_assert_int_eq(kernel_task_state(k, A), JOB_ABORTING);
	ck_assert_int_eq(kernel_task_exit_code(k, A), -3);
	ck_assert_uint_eq(kernel_task_handle(k, A), h);
	ck_assert(!kernel_task_has_respawned(k, A));
	ck_assert_uint_eq(kernel_current(k), B);
	kh_go(k, B);
	for (int i = 0; i < 5; i++) {
		kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
		ck_assert_uint_eq(kh_result(k, B), STATUS_OK);
	}
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	kh_idle(k, KERNEL_IDLE_DONE);
}
END_TEST

/* exit(0) with PANIC: kernel panic HARDWARE_UNEXPECTED_MODIFICATION. */
START_TEST(test_exit_zero_panic)
{
	Kernel *k = boot_exit(EXIT_MODE_PANIC);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	kh_assert_panic(k, PANIC_HARDWARE_UNEXPECTED_MODIFICATION);
	const KhReport *r = kh_last_report(KREPORT_PANIC);
	ck_assert_ptr_nonnull(strstr(r->text, "'a'"));
	ck_assert_ptr_nonnull(strstr(r->text, "0x1000"));
	/* time stops */
	kernel_advance(k, 5 * KERNEL_TICK_NS);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
}
END_TEST

/* exit(0) with NORESTART (and the unhandled 3 and 4): FINISHED, never resumed. */
START_TEST(test_exit_zero_dead)
{
	static const uint8_t modes[] = {EXIT_MODE_NORESTART, EXIT_MODE_PERIODICRESTART,
	                                EXIT_MODE_RESET};
	Kernel *k = boot_exit(modes[_i]);
	uint32_t h = kernel_task_handle(k, A);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	ck_assert(!kernel_panicked(k));
	ck_assert_int_eq(kernel_task_state(k, A), JOB_FINISHED);
	ck_assert_int_eq(kernel_task_exit_code(k, A), 0);
	ck_assert_uint_eq(kernel_task_handle(k, A), h);
	ck_assert_uint_eq(kernel_current(k), B);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	kh_idle(k, KERNEL_IDLE_DONE);
}
END_TEST

/* exit(0) with RESTART: elect first, then respawn: same id, new handle, READY, scheduled
 * but not elected, fresh image, r0 = 0, has_respawned. */
START_TEST(test_exit_zero_restart)
{
	Kernel *k = boot_exit(EXIT_MODE_RESTART);
	uint32_t h0 = kernel_task_handle(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_HAS_RESPAWNED, 0, 0, 0), STATUS_AGAIN);
	kh_fill(k, A, KH_FILL);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	ck_assert(!kernel_panicked(k));
	/* B runs although A has the higher priority: the respawned job is not elected */
	ck_assert_uint_eq(kernel_current(k), B);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	uint32_t h1 = kernel_task_handle(k, A);
	ck_assert_uint_ne(h1, h0);
	ck_assert_uint_eq((h1 >> 20) & 0xFF, A);
	ck_assert_uint_eq(h1 >> 28, 0);
	ck_assert_uint_eq(kernel_task_generation(k, A), 2);
	ck_assert(kernel_task_has_respawned(k, A));
	kh_assert_fill(k, A, 0, 128, 0);            /* exchange area zeroed */
	ck_assert_uint_eq(kh_cells(k, true, A), 1); /* scheduled, not elected */

	/* B's old handle for A is stale; a fresh lookup gives the new one */
	kh_go(k, B);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_SIGNAL, h0, SIGNAL_USR1, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_IPC, h0, 1, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_GET_PROCESS_HANDLE, LA, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, B, 0), h1);

	/* the respawned job is in the active set: B yields and A (priority 2) starts fresh */
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	KernelResume r = kh_go(k, A);
	ck_assert(r.fresh);
	ck_assert_uint_eq(r.r0, 0);
	ck_assert_uint_eq(r.generation, 2);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_HAS_RESPAWNED, 0, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_HAS_RESPAWNED, 0, 0, 0), STATUS_OK); /* sticky */
}
END_TEST

/* 7.6: pending signal slots survive a respawn. */
START_TEST(test_respawn_keeps_signals)
{
	Kernel *k = boot_exit(EXIT_MODE_RESTART);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	uint32_t h0 = kernel_task_handle(k, A);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_SIGNAL, h0, SIGNAL_USR2, 0), STATUS_OK);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert(kh_go(k, A).fresh);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, -1, 0),
	                  STATUS_OK);
	kh_assert_event(k, A, EVENT_TYPE_SIGNAL, 4, kernel_task_handle(k, B));
	ck_assert_uint_eq(kh_u32(k, A, 8), SIGNAL_USR2);
}
END_TEST

/* A RESTART task alone: idle runs until the respawned job is elected. */
START_TEST(test_respawn_alone)
{
	KernelTaskConfig t = kh_task("a", LA, 1);
	t.exit_mode = EXIT_MODE_RESTART;
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
	KernelResume r = kh_go(k, A);
	ck_assert(r.fresh);
	ck_assert_uint_eq(r.generation, 2);
}
END_TEST

/* 4.26: has_respawned needs no capability and is AGAIN before any respawn. */
START_TEST(test_has_respawned_again)
{
	Kernel *k = boot_a(0);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_HAS_RESPAWNED, 0, 0, 0), STATUS_AGAIN);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 7.9, 4.25 autotest build                                                                  */

static Kernel *boot_autotest(uint32_t caps)
{
	KernelTaskConfig t = kh_task("test", 0x1234, 9);
	t.capabilities = 0xFFFFFFFFu; /* ignored: the metadata is fixed */
	t.exit_mode = EXIT_MODE_PANIC;
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.build = KERNEL_BUILD_AUTOTEST;
	cfg.autotest_caps = caps;
	return kh_boot(&cfg);
}

START_TEST(test_autotest_task)
{
	Kernel *k = boot_autotest(0x00270017u);
	ck_assert_uint_eq(kernel_task_count(k), 1);
	ck_assert_uint_eq(kernel_idle_id(k), 1);
	ck_assert_uint_eq(kernel_task_label(k, 0), 0xbabe);
	ck_assert_uint_eq(kernel_task_label(k, 1), 0xcafe);
	ck_assert_uint_ge(kh_reports_matching(KREPORT_INFO, "0x00270017"), 1);
	/* 7.2: the first start receives the rerun bits of the handle */
	KernelResume r = kh_go(k, 0);
	ck_assert(r.fresh);
	ck_assert_uint_eq(r.r0, kernel_task_handle(k, 0) & 0xFFFFFu);
	/* metadata capabilities are 0: HP_CHRONO is not in the initial set */
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_CYCLE, PRECISION_CYCLE, 0, 0), STATUS_DENIED);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_START, 0xbabe, 0, 0), STATUS_DENIED);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_PROCESS_HANDLE, 0x1234, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_PROCESS_HANDLE, 0xbabe, 0, 0), STATUS_OK);
	/* exit mode RESTART whatever was configured: exit(0) respawns with r0 = 0 */
	kh_trap(k, 0, SYSCALL_EXIT, 0, 0, 0);
	ck_assert(!kernel_panicked(k));
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	r = kh_go(k, 0);
	ck_assert(r.fresh);
	ck_assert_uint_eq(r.r0, 0);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_HAS_RESPAWNED, 0, 0, 0), STATUS_OK);
}
END_TEST

START_TEST(test_autotest_capa_invalid)
{
	Kernel *k = boot_autotest(0);
	kh_go(k, 0);
	kh_fill(k, 0, KH_FILL);
	static const uint32_t bad[] = {0, 3, 0x00270017u, 0xFFFFFFFFu, 0x80000001u};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_uint_eq(kh_call(k, 0, SYSCALL_AUTOTEST_SET_CAPA, bad[i], 0, 0),
		                  STATUS_INVALID);
		ck_assert_uint_eq(kh_call(k, 0, SYSCALL_AUTOTEST_CLEAR_CAPA, bad[i], 0, 0),
		                  STATUS_INVALID);
	}
	kh_assert_fill(k, 0, 0, 128, KH_FILL);
	/* nothing was set by the refused values */
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_DENIED);
}
END_TEST

/* 4.25, 6.3: set and clear change the global set; any single bit 0..31; it survives a
 * respawn. */
START_TEST(test_autotest_capa_set_clear)
{
	Kernel *k = boot_autotest(0x00270017u);
	kh_go(k, 0);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_CYCLE, PRECISION_CYCLE, 0, 0), STATUS_DENIED);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_AUTOTEST_SET_CAPA, CAP_TIM_HP_CHRONO, 0, 0),
	                  STATUS_OK);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_CYCLE, PRECISION_CYCLE, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_AUTOTEST_CLEAR_CAPA, CAP_CRY_KRNG, 0, 0),
	                  STATUS_OK);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_DENIED);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_AUTOTEST_SET_CAPA, 0x80000000u, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_AUTOTEST_SET_CAPA, 1, 0, 0), STATUS_OK);
	/* clearing a bit that is not set is fine */
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_AUTOTEST_CLEAR_CAPA, CAP_SYS_UPGRADE, 0, 0),
	                  STATUS_OK);

	kh_trap(k, 0, SYSCALL_EXIT, 0, 0, 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert(kh_go(k, 0).fresh);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_DENIED);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_CYCLE, PRECISION_CYCLE, 0, 0), STATUS_OK);
}
END_TEST

/* Normal build: the metadata capabilities alone; 38 and 39 abort (4.0, covered above). */
START_TEST(test_normal_caps_from_metadata)
{
	KernelTaskConfig t[2] = {kh_task("a", LA, 1), kh_task("b", LB, 1)};
	t[0].capabilities = CAP_CRY_KRNG;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	cfg.autotest_caps = 0xFFFFFFFFu; /* ignored in a normal build */
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_GET_RANDOM, 0, 0, 0), STATUS_DENIED);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Host-facing entry points: faults (7.7), hangs (2.1, 11), hooks                            */

/* 1.6: the kernel zeroes every exchange area when the job is spawned. */
START_TEST(test_exchange_zero_at_boot)
{
	Kernel *k = boot_ab(0);
	for (uint32_t id = 0; id <= kernel_idle_id(k); id++) {
		kh_assert_fill(k, id, 0, 128, 0);
		ck_assert_uint_eq((uintptr_t)kernel_exchange(k, id) % 8, 0);
	}
}
END_TEST

/* 7.7: a fault moves the task to FAULT and elects; its handle stays valid, events sent to
 * it are accepted and never consumed; a sender blocked on it is reported. */
START_TEST(test_fault)
{
	KernelTaskConfig t[3] = {kh_task("a", LA, 1), kh_task("b", LB, 1), kh_task("c", LC, 1)};
	KernelConfig cfg;
	kh_config(&cfg, t, 3);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SEND_IPC, kernel_task_handle(k, A), 1, 0);
	kh_go(k, C);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	kernel_fault(k, "SIGSEGV at 0x0");
	ck_assert(!kernel_panicked(k));
	ck_assert_int_eq(kernel_task_state(k, A), JOB_FAULT);
	ck_assert_uint_eq(kernel_current(k), C);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_FAULT, "SIGSEGV at 0x0"), 1);
	ck_assert_uint_eq(kh_last_report(KREPORT_FAULT)->task, A);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, "faulted"), 1);
	ck_assert_uint_eq(kh_last_report(KREPORT_STUCK)->task, B);
	ck_assert_uint_eq(kh_result(k, C), STATUS_OK);
	ck_assert_uint_eq(
	    kh_call(k, C, SYSCALL_SEND_SIGNAL, kernel_task_handle(k, A), SIGNAL_USR1, 0),
	    STATUS_OK);
	kh_trap(k, C, SYSCALL_SEND_IPC, kernel_task_handle(k, A), 1, 0);
	ck_assert_int_eq(kernel_task_state(k, C), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, "faulted"), 2);
	kh_idle(k, KERNEL_IDLE_STUCK);
	/* the fault is final */
	ck_assert_int_eq(kernel_task_state(k, A), JOB_FAULT);
}
END_TEST

/* 2.1, 11: a hung task keeps its place but burns its quantum; alone, the run is stuck. */
START_TEST(test_hang)
{
	Kernel *k = boot_ab(0);
	kernel_hang(k, "spinning after result 12345 of syscall 41");
	ck_assert(kernel_task_hung(k, A));
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, "result 12345"), 1);
	ck_assert_uint_eq(kernel_current(k), A);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 10);
	ck_assert_uint_eq(kernel_current(k), B);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_uint_eq(kernel_current(k), A);
	ck_assert(kernel_task_hung(k, A));
	kh_idle(k, KERNEL_IDLE_STUCK);
	char why[160];
	kernel_task_blocker(k, A, why, sizeof(why));
	ck_assert_ptr_nonnull(strstr(why, "result 12345"));
}
END_TEST

START_TEST(test_library_report)
{
	Kernel *k = boot_ab(0);
	kernel_report_library(k, "copy_to_kernel: NULL pointer with length 4");
	const KhReport *r = kh_last_report(KREPORT_LIBRARY);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->task, A);
	ck_assert_str_eq(r->text, "copy_to_kernel: NULL pointer with length 4");
}
END_TEST

/* The syscall hook sees every dispatched call, with the caller and its three arguments. */
START_TEST(test_syscall_hook)
{
	Kernel *k = boot_ab(0);
	ck_assert_uint_eq(kh_syscall_count(), 0);
	kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, LB, 7, 9);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, 99, 1, 2, 3);
	ck_assert_uint_eq(kh_syscall_count(), 3);
	ck_assert_uint_eq(kh_syscall(0)->task, A);
	ck_assert_uint_eq(kh_syscall(0)->nr, SYSCALL_GET_PROCESS_HANDLE);
	ck_assert_uint_eq(kh_syscall(0)->args[0], LB);
	ck_assert_uint_eq(kh_syscall(0)->args[1], 7);
	ck_assert_uint_eq(kh_syscall(0)->args[2], 9);
	ck_assert_uint_eq(kh_syscall(1)->nr, SYSCALL_YIELD);
	ck_assert_uint_eq(kh_syscall(2)->task, B);
	ck_assert_uint_eq(kh_syscall(2)->nr, 99);
	ck_assert_uint_eq(kh_syscall(2)->args[2], 3);
}
END_TEST

/* 4.2, 3.3: idle's handle (0xcafe) is a valid task handle: a signal to it is queued, an
 * IPC to it blocks for ever and is reported. */
START_TEST(test_events_to_idle)
{
	Kernel *k = boot_ab(0);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_GET_PROCESS_HANDLE, 0xcafe, 0, 0), STATUS_OK);
	uint32_t hi = kh_u32(k, A, 0);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, hi, SIGNAL_USR1, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, hi, SIGNAL_USR1, 0), STATUS_BUSY);
	kh_trap(k, A, SYSCALL_SEND_IPC, hi, 4, 0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, "idle"), 1);
	kh_go(k, B);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */

static Suite *kernel_basic_suite(void)
{
	Suite *s = suite_create("kernel_basic");
	TCase *tc;

	tc = kh_tcase("boot");
	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_rejected);
	tcase_add_test(tc, test_boot_idle_logs);
	tcase_add_test(tc, test_boot_release_silent);
	tcase_add_test(tc, test_boot_election);
	tcase_add_test(tc, test_boot_nothing_to_run);
	tcase_add_test(tc, test_boot_fresh_entry);
	tcase_add_test(tc, test_handle_encoding);
	tcase_add_test(tc, test_handle_determinism);
	suite_add_tcase(s, tc);

	tc = kh_tcase("get_process_handle");
	tcase_add_test(tc, test_gph_invalid_label);
	tcase_add_test(tc, test_gph_denied_domain);
	tcase_add_test(tc, test_gph_ok);
	tcase_add_test(tc, test_gph_any_state);
	suite_add_tcase(s, tc);

	tc = kh_tcase("yield_log");
	tcase_add_test(tc, test_yield_switches);
	tcase_add_test(tc, test_yield_alone);
	tcase_add_test(tc, test_log_raw_bytes);
	tcase_add_test(tc, test_log_whole_area);
	tcase_add_test(tc, test_log_too_long);
	tcase_add_test(tc, test_log_limit_follows_area);
	tcase_add_test(tc, test_log_zero);
	tcase_add_test(tc, test_log_release);
	suite_add_tcase(s, tc);

	tc = kh_tcase("random_cycle_pm");
	tcase_add_test(tc, test_random_denied);
	tcase_add_test(tc, test_random_critical);
	tcase_add_test(tc, test_random_denied_before_critical);
	tcase_add_test(tc, test_random_ok);
	tcase_add_test(tc, test_cycle_invalid);
	tcase_add_test(tc, test_cycle_denied);
	tcase_add_test(tc, test_cycle_values);
	tcase_add_test(tc, test_cycle_nanos_no_cap);
	tcase_add_test(tc, test_cycle_nanos_quirk);
	tcase_add_test(tc, test_cycle_nanos_fast_core);
	tcase_add_test(tc, test_syscall_cost);
	tcase_add_test(tc, test_pm_manage);
	tcase_add_test(tc, test_pm_set_clock);
	suite_add_tcase(s, tc);

	tc = kh_tcase("unsupported");
	tcase_add_loop_test(tc, test_unsupported_normal, 0,
	                    sizeof(unsupported_nrs) / sizeof(unsupported_nrs[0]));
	tcase_add_test(tc, test_unsupported_dropped_at_quantum);
	tcase_add_test(tc, test_unsupported_alone_stuck);
	tcase_add_test(tc, test_unsupported_cancelled_by_yield);
	tcase_add_test(tc, test_unsupported_not_cancelled);
	tcase_add_test(tc, test_unsupported_autotest);
	suite_add_tcase(s, tc);

	tc = kh_tcase("start");
	tcase_add_test(tc, test_start_denied);
	tcase_add_test(tc, test_start_invalid);
	tcase_add_test(tc, test_start_ok);
	tcase_add_test(tc, test_start_active_panics);
	tcase_add_test(tc, test_start_self_panics);
	tcase_add_test(tc, test_start_finished_panics);
	tcase_add_test(tc, test_start_blocked_panics);
	tcase_add_test(tc, test_start_backed_reported);
	suite_add_tcase(s, tc);

	tc = kh_tcase("exit_respawn");
	tcase_add_loop_test(tc, test_exit_nonzero, 0, 3);
	tcase_add_test(tc, test_exit_zero_panic);
	tcase_add_loop_test(tc, test_exit_zero_dead, 0, 3);
	tcase_add_test(tc, test_exit_zero_restart);
	tcase_add_test(tc, test_respawn_keeps_signals);
	tcase_add_test(tc, test_respawn_alone);
	tcase_add_test(tc, test_has_respawned_again);
	suite_add_tcase(s, tc);

	tc = kh_tcase("autotest");
	tcase_add_test(tc, test_autotest_task);
	tcase_add_test(tc, test_autotest_capa_invalid);
	tcase_add_test(tc, test_autotest_capa_set_clear);
	tcase_add_test(tc, test_normal_caps_from_metadata);
	suite_add_tcase(s, tc);

	tc = kh_tcase("host");
	tcase_add_test(tc, test_exchange_zero_at_boot);
	tcase_add_test(tc, test_fault);
	tcase_add_test(tc, test_hang);
	tcase_add_test(tc, test_library_report);
	tcase_add_test(tc, test_syscall_hook);
	tcase_add_test(tc, test_events_to_idle);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kh_run_suite(kernel_basic_suite());
}
