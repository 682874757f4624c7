/*
 * check_kernel_sched.c: the kernel model's round-robin multi-queue scheduler and its
 * virtual time, from uapi.md 7.3 (election, active and backed sets, quantum, idle) and 8
 * (order of work in a tick, delays, tickless jumps through kernel_idle).
 *
 * Time only moves when a test says so (syscall cost 0): kernel_advance() while a task
 * runs (its quantum is counted), kernel_idle() when only idle can run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/kernel_harness.h"

enum { A = 0, B = 1, C = 2 };

static Kernel *boot_n(KernelTaskConfig *t, uint32_t n)
{
	KernelConfig cfg;
	kh_config(&cfg, t, n);
	return kh_boot(&cfg);
}

/* 7.3: the running job is preempted when its quantum (in ticks) runs out; equal
 * priorities take turns. */
START_TEST(test_quantum_preemption)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	t[0].quantum = 5;
	t[1].quantum = 3;
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_advance_ms(k, 4);
	ck_assert_uint_eq(kernel_current(k), A);
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kernel_current(k), B);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_go(k, B);
	kh_advance_ms(k, 2);
	ck_assert_uint_eq(kernel_current(k), B);
	kh_advance_ms(k, 1); /* B's 3 ticks: active empty, swap, A again with a fresh quantum */
	ck_assert_uint_eq(kernel_current(k), A);
	KernelResume r = kh_go(k, A);
	ck_assert(!r.fresh);
	kh_advance_ms(k, 4);
	ck_assert_uint_eq(kernel_current(k), A);
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kernel_current(k), B);
	ck_assert_uint_eq(kernel_jiffies(k), 13);
}
END_TEST

/* Time is applied in one step but the quantum expires on the right tick. */
START_TEST(test_quantum_large_step)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	t[0].quantum = 5;
	t[1].quantum = 5;
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_advance_ms(k, 12); /* A 0..5, B 5..10, A 10..12 */
	ck_assert_uint_eq(kernel_current(k), A);
	kh_advance_ms(k, 2);
	ck_assert_uint_eq(kernel_current(k), A);
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kernel_current(k), B);
}
END_TEST

/* Sub-tick advances add up to ticks. */
START_TEST(test_quantum_sub_tick)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	t[0].quantum = 1;
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kernel_advance(k, 600000);
	ck_assert_uint_eq(kernel_current(k), A);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
	kernel_advance(k, 400000);
	ck_assert_uint_eq(kernel_jiffies(k), 1);
	ck_assert_uint_eq(kernel_current(k), B);
	ck_assert_uint_eq(kernel_now_ns(k), 1000000);
}
END_TEST

/* 7.3 RRMQ: a job whose quantum expires goes to the backed set, so a lower priority job
 * in the active set runs before it; when the active set is empty the sets swap. */
START_TEST(test_rrmq_lower_priority_gets_turn)
{
	KernelTaskConfig t[3] = {kh_task("hi", 0xa, 9), kh_task("lo", 0xb, 1),
	                         kh_task("mid", 0xc, 5)};
	t[0].quantum = 3;
	t[1].quantum = 3;
	t[2].quantum = 3;
	Kernel *k = boot_n(t, 3);
	kh_go(k, A);
	kh_advance_ms(k, 3);
	ck_assert_uint_eq(kernel_current(k), C); /* mid: best of the active set {lo, mid} */
	kh_go(k, C);
	kh_advance_ms(k, 3);
	ck_assert_uint_eq(kernel_current(k), B); /* lo: alone in the active set */
	kh_go(k, B);
	kh_advance_ms(k, 3);
	ck_assert_uint_eq(kernel_current(k), A); /* swap: {hi, mid, lo} */
	kh_advance_ms(k, 3);
	ck_assert_uint_eq(kernel_current(k), C);
}
END_TEST

/* 7.3: ties go to the lowest cell of the active set, not to the lowest task id. A job that
 * wakes takes the first free cell. */
START_TEST(test_tie_lowest_cell)
{
	KernelTaskConfig t[3] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1), kh_task("c", 0xc, 1)};
	Kernel *k = boot_n(t, 3); /* active: [a, b, c] */
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SLEEP, 1, SLEEP_MODE_SHALLOW, 0); /* active: [-, b, c] */
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0); /* backed: [b] */
	kh_go(k, C);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0); /* backed: [b, c]; swap */
	ck_assert_uint_eq(kh_result(k, B), STATUS_OK);
	kh_advance_ms(k, 1); /* A wakes into the first free cell: active [b, c, a] */
	ck_assert_uint_eq(kernel_current(k), B);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0); /* active [-, c, a]: c has the lower cell */
	ck_assert_uint_eq(kh_result(k, C), STATUS_OK);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
}
END_TEST

/* 4.4 + 7.3: a yielded job comes back with a fresh quantum. */
START_TEST(test_yield_fresh_quantum)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	t[0].quantum = 5;
	t[1].quantum = 5;
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_advance_ms(k, 3);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_advance_ms(k, 2);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0); /* swap: A first */
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	kh_advance_ms(k, 4);
	ck_assert_uint_eq(kernel_current(k), A);
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kernel_current(k), B);
}
END_TEST

/* 7.3: events never preempt: a woken job of higher priority waits for an election. */
START_TEST(test_wake_does_not_preempt)
{
	KernelTaskConfig t[2] = {kh_task("hi", 0xa, 9), kh_task("lo", 0xb, 1)};
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SLEEP, 2, SLEEP_MODE_DEEP, 0);
	kh_go(k, B);
	kh_advance_ms(k, 2);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_uint_eq(kernel_current(k), B);
	kh_advance_ms(k, 7);
	ck_assert_uint_eq(kernel_current(k), B);
	kh_advance_ms(k, 1); /* lo's quantum (10) expires: hi is in the active set */
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
	ck_assert_uint_eq(kernel_jiffies(k), 10);
}
END_TEST

/* 8: within one tick the quantum and its election come before the delay queue. A job
 * whose quantum expires on the tick where a sleeper wakes is re-elected first (the
 * sleeper is not in the active set yet), then the sleeper joins the active set. */
START_TEST(test_tick_order_quantum_before_delays)
{
	KernelTaskConfig t[2] = {kh_task("lo", 0xa, 1), kh_task("hi", 0xb, 9)};
	t[0].quantum = 2;
	t[1].quantum = 2;
	Kernel *k = boot_n(t, 2);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SLEEP, 2, SLEEP_MODE_SHALLOW, 0);
	kh_go(k, A);
	kh_advance_ms(k, 2);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_READY);
	ck_assert_uint_eq(kernel_current(k), A); /* re-elected with a fresh quantum */
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kernel_current(k), A);
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kh_result(k, B), STATUS_TIMEOUT);
	ck_assert_uint_eq(kernel_jiffies(k), 4);
}
END_TEST

/* 7.3: a quantum of 0 wraps: never preempted in practice; reported at boot. */
START_TEST(test_quantum_zero)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	t[0].quantum = 0;
	Kernel *k = boot_n(t, 2);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_UNCHARACTERIZED, "quantum 0"), 1);
	ck_assert_uint_eq(kh_last_report(KREPORT_UNCHARACTERIZED)->task, A);
	kh_go(k, A);
	kh_advance_ms(k, 100000);
	ck_assert_uint_eq(kernel_current(k), A);
	ck_assert_uint_eq(kernel_jiffies(k), 100000);
}
END_TEST

/* 7.3: a job alone keeps being re-elected when its quantum expires. */
START_TEST(test_alone_reelected)
{
	KernelTaskConfig t = kh_task("a", 0xa, 1);
	t.quantum = 1;
	Kernel *k = boot_n(&t, 1);
	kh_go(k, A);
	kh_advance_ms(k, 50);
	ck_assert_uint_eq(kernel_current(k), A);
	KernelResume r = kh_go(k, A);
	ck_assert(!r.fresh);
}
END_TEST

/* 7.3: idle runs when both sets are empty; it is never resumed as a task. */
START_TEST(test_idle_when_all_blocked)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SLEEP, 30, SLEEP_MODE_DEEP, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SLEEP, 20, SLEEP_MODE_SHALLOW, 0);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	KernelResume r;
	ck_assert(!kernel_resume(k, &r));
	/* syscalls from idle are ignored */
	kernel_syscall(k, SYSCALL_EXIT, 0, 0, 0);
	ck_assert(!kernel_panicked(k));
	/* no quantum is counted for idle; advancing time while idle fires the delays */
	ck_assert_uint_eq(kernel_next_event_ns(k), 20 * KERNEL_TICK_NS);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 20);
	ck_assert_uint_eq(kh_result(k, B), STATUS_TIMEOUT);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 30);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	kh_idle(k, KERNEL_IDLE_DONE);
	ck_assert_uint_eq(kernel_jiffies(k), 30);
}
END_TEST

/* 7.3: idle jumps straight to the next timed event (tickless): hours cost one step. */
START_TEST(test_idle_jump_far)
{
	KernelTaskConfig t = kh_task("a", 0xa, 1);
	Kernel *k = boot_n(&t, 1);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SLEEP, 3600000u, SLEEP_MODE_DEEP, 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 3600000u);
	ck_assert_uint_eq(kernel_now_ns(k), 3600000ull * KERNEL_TICK_NS);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
}
END_TEST

/* kernel_idle with a limit never goes past it. */
START_TEST(test_idle_limit)
{
	KernelTaskConfig t = kh_task("a", 0xa, 1);
	Kernel *k = boot_n(&t, 1);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SLEEP, 100, SLEEP_MODE_DEEP, 0);
	ck_assert_int_eq(kernel_idle(k, 40 * KERNEL_TICK_NS), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_now_ns(k), 40 * KERNEL_TICK_NS);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_SLEEPING_DEEP);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	ck_assert_int_eq(kernel_idle(k, 100 * KERNEL_TICK_NS), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 100);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
}
END_TEST

/* kernel_idle is a no-op while a task can run. */
START_TEST(test_idle_noop_when_running)
{
	KernelTaskConfig t = kh_task("a", 0xa, 1);
	Kernel *k = boot_n(&t, 1);
	kh_go(k, A);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_current(k), A);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
}
END_TEST

/* 11: a task waiting for ever with nothing to wake it: STUCK, with a reason. */
START_TEST(test_idle_stuck)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, WFE_WAIT_FOREVER, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	kh_idle(k, KERNEL_IDLE_STUCK);
	char why[160];
	kernel_task_blocker(k, A, why, sizeof(why));
	ck_assert_ptr_nonnull(strstr(why, "waiting"));
	kernel_task_blocker(k, B, why, sizeof(why));
	ck_assert_str_eq(why, "");
}
END_TEST

/* Every task ended: DONE. */
START_TEST(test_idle_done)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	t[1].auto_start = false; /* never started: does not keep the run alive */
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	kh_idle(k, KERNEL_IDLE_DONE);
}
END_TEST

/* A delay queue entry of a job that is no longer sleeping stays out of the way: a woken
 * sleeper's entry is removed (8), so nothing fires later. */
START_TEST(test_woken_sleeper_entry_removed)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SLEEP, 50, SLEEP_MODE_SHALLOW, 0);
	kh_go(k, B);
	ck_assert_uint_eq(kernel_next_event_ns(k), 50 * KERNEL_TICK_NS);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_SEND_SIGNAL, kernel_task_handle(k, A), SIGNAL_USR1, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_INTR);
	kh_advance_ms(k, 100);
	ck_assert(!kernel_panicked(k));
}
END_TEST

/* 7.3: an exited job's cell is freed and it is never elected again. */
START_TEST(test_exited_not_elected)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 9), kh_task("b", 0xb, 1)};
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_EXIT, 1, 0, 0);
	kh_go(k, B);
	for (int i = 0; i < 20; i++) {
		kh_advance_ms(k, 10);
		ck_assert_uint_eq(kernel_current(k), B);
	}
}
END_TEST

/* 7.3: the sets have max_tasks cells: every configured task fits. */
START_TEST(test_full_table)
{
	KernelTaskConfig t[8];
	static const char *const names[8] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"};
	for (uint32_t i = 0; i < 8; i++) {
		t[i] = kh_task(names[i], 0x100 + i, 1);
		t[i].quantum = 1;
	}
	Kernel *k = boot_n(t, 8);
	for (uint32_t round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < 8; i++) {
			ck_assert_uint_eq(kernel_current(k), i);
			kh_go(k, i);
			kh_advance_ms(k, 1);
		}
	}
	ck_assert_uint_eq(kh_reports_matching(KREPORT_UNCHARACTERIZED, NULL), 0);
}
END_TEST

/* A task whose syscall is made mid-tick: the first tick after the call is the next tick
 * boundary (8: d = 1 fires on the first tick). */
START_TEST(test_delay_mid_tick)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	Kernel *k = boot_n(t, 2);
	kh_go(k, A);
	kernel_advance(k, 700000);
	kh_trap(k, A, SYSCALL_SLEEP, 1, SLEEP_MODE_SHALLOW, 0);
	kh_go(k, B);
	kernel_advance(k, 299999);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_SLEEPING);
	kernel_advance(k, 1);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_uint_eq(kernel_jiffies(k), 1);
}
END_TEST

static Suite *kernel_sched_suite(void)
{
	Suite *s = suite_create("kernel_sched");
	TCase *tc;

	tc = kh_tcase("rrmq");
	tcase_add_test(tc, test_quantum_preemption);
	tcase_add_test(tc, test_quantum_large_step);
	tcase_add_test(tc, test_quantum_sub_tick);
	tcase_add_test(tc, test_rrmq_lower_priority_gets_turn);
	tcase_add_test(tc, test_tie_lowest_cell);
	tcase_add_test(tc, test_yield_fresh_quantum);
	tcase_add_test(tc, test_wake_does_not_preempt);
	tcase_add_test(tc, test_tick_order_quantum_before_delays);
	tcase_add_test(tc, test_quantum_zero);
	tcase_add_test(tc, test_alone_reelected);
	tcase_add_test(tc, test_exited_not_elected);
	tcase_add_test(tc, test_full_table);
	suite_add_tcase(s, tc);

	tc = kh_tcase("idle_time");
	tcase_add_test(tc, test_idle_when_all_blocked);
	tcase_add_test(tc, test_idle_jump_far);
	tcase_add_test(tc, test_idle_limit);
	tcase_add_test(tc, test_idle_noop_when_running);
	tcase_add_test(tc, test_idle_stuck);
	tcase_add_test(tc, test_idle_done);
	tcase_add_test(tc, test_woken_sleeper_entry_removed);
	tcase_add_test(tc, test_delay_mid_tick);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kh_run_suite(kernel_sched_suite());
}
