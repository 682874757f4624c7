/*
 * check_kernel_events.c: events and wake-ups in the kernel model, rule by rule from
 * uapi.md: send_ipc (4.10) with its deadlock walk, send_signal (4.11), wait_for_event
 * (4.12), sleep (4.5), alarms (4.16), the wake-up table (5), time (8) and the panics of
 * section 11 that events can cause.
 *
 * IRQ events come from a one-device board (kernel_inject_irq); DMA events need the DMA
 * stream machinery and are left to the board suite.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/kernel_harness.h"

enum { A = 0, B = 1, C = 2 };

/* Tasks a, b, c (labels 0xa, 0xb, 0xc) with the given priorities; |n| of them. */
static Kernel *boot3(uint32_t n, uint8_t pa, uint8_t pb, uint8_t pc)
{
	KernelTaskConfig t[3] = {kh_task("a", 0xa, pa), kh_task("b", 0xb, pb),
	                         kh_task("c", 0xc, pc)};
	KernelConfig cfg;
	kh_config(&cfg, t, n);
	return kh_boot(&cfg);
}

static Kernel *boot_autotest(void)
{
	KernelTaskConfig t = kh_task("test", 0, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.build = KERNEL_BUILD_AUTOTEST;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	return k;
}

static uint32_t h(Kernel *k, uint32_t id)
{
	return kernel_task_handle(k, id);
}

static void put_payload(Kernel *k, uint32_t id, uint32_t len, uint8_t seed)
{
	uint8_t *x = kernel_exchange(k, id);
	for (uint32_t i = 0; i < len; i++)
		x[i] = (uint8_t)(seed + i);
}

static void assert_payload(Kernel *k, uint32_t id, size_t off, uint32_t len, uint8_t seed)
{
	const uint8_t *x = kernel_exchange(k, id);
	for (uint32_t i = 0; i < len; i++)
		ck_assert_msg(x[off + i] == (uint8_t)(seed + i), "payload byte %u: 0x%02x", i,
		              x[off + i]);
}

/* Poll the running task |id| for a signal each tick, for |ticks| ticks; bit t of the result
 * is set when a signal arrived at tick t (1-based). Asserts each one is SIGNAL_ALARM
 * from the task itself. */
static uint64_t poll_alarms(Kernel *k, uint32_t id, uint32_t ticks)
{
	uint64_t hits = 0;
	for (uint32_t t = 1; t <= ticks; t++) {
		kh_advance_ms(k, 1);
		ck_assert_uint_eq(kernel_current(k), id);
		uint32_t r = kh_call(k, id, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL,
		                     (uint32_t)WFE_WAIT_NO, 0);
		if (r == STATUS_AGAIN)
			continue;
		ck_assert_uint_eq(r, STATUS_OK);
		kh_assert_event(k, id, EVENT_TYPE_SIGNAL, 4, h(k, id));
		ck_assert_uint_eq(kh_u32(k, id, 8), SIGNAL_ALARM);
		hits |= 1ull << t;
	}
	return hits;
}

#define BIT(t) (1ull << (t))

/* ---------------------------------------------------------------------------------------- */
/* 4.10 send_ipc                                                                             */

/* 1: len > exchange_len - 8 is INVALID, before anything else. */
START_TEST(test_ipc_len_invalid)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, B), 121, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, B), 0xFFFFFFFFu, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, B), 256 + 10, 0), STATUS_INVALID);
	/* self: the length check comes first, nothing is left pending */
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 121, 0), STATUS_INVALID);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_READY);
}
END_TEST

/* The limit follows the configured area. */
START_TEST(test_ipc_len_limit_follows_area)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	cfg.exchange_len = 64;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, B), 57, 0), STATUS_INVALID);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 56, 0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
}
END_TEST

/* 1 before 2: an over-long IPC that would deadlock is INVALID. */
START_TEST(test_ipc_len_before_deadlock)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 4, 0); /* A blocked on B */
	kh_go(k, B);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_IPC, h(k, A), 121, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_IPC, h(k, A), 4, 0), STATUS_DEADLK);
}
END_TEST

/* 3: a target that is not a current task handle. */
START_TEST(test_ipc_invalid_target)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	const uint32_t bad[] = {h(k, B) ^ 1u,
	                        h(k, B) + 42,
	                        0,
	                        h(k, B) | 0x10000000u,
	                        (200u << 20) | (h(k, B) & 0xFFFFFu),
	                        0xFFFFFFFFu};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, bad[i], 4, 0), STATUS_INVALID);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
}
END_TEST

/* 6 and completion: the sender blocks and an election follows; the receiver gets the
 * header and len bytes of the sender's area at offset 8, nothing more; the sender then
 * gets OK, READY, scheduled but not elected. */
START_TEST(test_ipc_delivery)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, 0x11);
	put_payload(k, A, 10, 0x30);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 10, 0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(kernel_current(k), B);
	kh_go(k, B);
	kh_fill(k, B, KH_FILL);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 10, h(k, A));
	assert_payload(k, B, 8, 10, 0x30);
	kh_assert_fill(k, B, 18, 128, KH_FILL);
	/* the sender's area is untouched */
	assert_payload(k, A, 0, 10, 0x30);
	kh_assert_fill(k, A, 10, 128, 0x11);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_uint_eq(kernel_current(k), B);
	/* consumed: nothing more */
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
}
END_TEST

/* 1.6: the largest payload is 120 bytes. */
START_TEST(test_ipc_max_payload)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	put_payload(k, A, 128, 0x80);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 120, 0);
	kh_go(k, B);
	kh_fill(k, B, KH_FILL);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 120, h(k, A));
	assert_payload(k, B, 8, 120, 0x80);
}
END_TEST

/* 4.12: IPCs are taken by ascending sender index, not arrival order. */
START_TEST(test_ipc_sender_order)
{
	Kernel *k = boot3(3, 2, 1, 3); /* c runs first, then a, then b */
	kh_go(k, C);
	put_payload(k, C, 3, 0xC0);
	kh_trap(k, C, SYSCALL_SEND_IPC, h(k, B), 3, 0);
	kh_go(k, A);
	put_payload(k, A, 5, 0xA0);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 5, 0);
	kh_go(k, B);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 5, h(k, A));
	assert_payload(k, B, 8, 5, 0xA0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_int_eq(kernel_task_state(k, C), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 3, h(k, C));
	assert_payload(k, B, 8, 3, 0xC0);
	ck_assert_int_eq(kernel_task_state(k, C), JOB_READY);
}
END_TEST

/* 6: a WAITFOREVENT target is woken with INTR whatever its mask; its timeout is removed.
 * The library's retry (2.4) then obtains the event. */
START_TEST(test_ipc_wakes_waiter)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_fill(k, B, KH_FILL);
	kh_trap(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, 50, 0);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_WAITFOREVENT);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	put_payload(k, A, 2, 0x61);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 2, 0);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	ck_assert_uint_eq(kh_result(k, B), STATUS_INTR);
	kh_assert_fill(k, B, 0, 128, KH_FILL); /* INTR writes nothing */
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, 50, 0), STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 2, h(k, A));
	assert_payload(k, B, 8, 2, 0x61);
}
END_TEST

/* 4.12: woken by an event outside the mask, the retried wait blocks again with a fresh
 * full timeout. */
START_TEST(test_ipc_wakes_waiter_outside_mask)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, 20, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	kh_advance_ms(k, 5);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 1, 0);
	ck_assert_uint_eq(kh_result(k, B), STATUS_INTR);
	kh_trap(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, 20, 0);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 25);
	ck_assert_uint_eq(kh_result(k, B), STATUS_TIMEOUT);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
}
END_TEST

/* 6: a shallow sleeper is woken with INTR and its delay removed. */
START_TEST(test_ipc_wakes_shallow_sleeper)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SLEEP, 100, SLEEP_MODE_SHALLOW, 0);
	kh_result(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 1, 0);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	ck_assert_uint_eq(kh_result(k, B), STATUS_INTR);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
	/* the IPC stays queued for a later wait */
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
}
END_TEST

/* 5: a deep sleeper and a blocked sender just get the IPC queued. */
START_TEST(test_ipc_queued_for_deep_sleeper)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SLEEP, 30, SLEEP_MODE_DEEP, 0);
	kh_result(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 1, 0);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_SLEEPING_DEEP);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 30);
	ck_assert_uint_eq(kh_result(k, B), STATUS_TIMEOUT);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 1, h(k, A));
}
END_TEST

START_TEST(test_ipc_queued_for_blocked_sender)
{
	Kernel *k = boot3(3, 1, 1, 1);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SEND_IPC, h(k, C), 1, 0); /* B blocked on C */
	kh_go(k, C);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0); /* swap: A */
	kh_result(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 1, 0);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_IPC_SEND_BLOCKED);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(kernel_current(k), C);
}
END_TEST

/* 2, direct case: the target already has an IPC pending to the caller. */
START_TEST(test_ipc_deadlk_direct)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 4, 0);
	kh_go(k, B);
	kh_fill(k, B, KH_FILL);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_IPC, h(k, A), 4, 0), STATUS_DEADLK);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_READY);
	kh_assert_fill(k, B, 0, 128, KH_FILL);
	/* nothing was queued for A */
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
}
END_TEST

/* 2, indirect case: a chain of blocked senders leads from the target to the caller. */
START_TEST(test_ipc_deadlk_indirect)
{
	Kernel *k = boot3(3, 1, 1, 1);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SEND_IPC, h(k, A), 1, 0); /* B -> A */
	kh_go(k, C);
	kh_trap(k, C, SYSCALL_SEND_IPC, h(k, B), 1, 0); /* C -> B; swap: A */
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, C), 1, 0), STATUS_DEADLK);
	/* B, one step away, is found too */
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, B), 1, 0), STATUS_DEADLK);
}
END_TEST

/* 2: a walk that does not reach the target lets the send proceed. */
START_TEST(test_ipc_no_deadlk)
{
	Kernel *k = boot3(3, 1, 1, 1);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SEND_IPC, h(k, A), 1, 0); /* B -> A */
	kh_go(k, C);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	kh_result(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, C), 1, 0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
	ck_assert(!kernel_panicked(k));
}
END_TEST

/* 5 (normal build): a self-send is INVALID but leaves its slot pending (reported); a
 * later IPC wait delivers it with the task's own handle, copying the area as it is at
 * receive time; the sender wake-up applies to the task itself (reported). */
START_TEST(test_ipc_self_normal)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	kh_put(k, A, 0, "ABCD", 4);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 4, 0), STATUS_INVALID);
	ck_assert_uint_eq(kernel_view_ipc_pending(k, A, A), 4);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_UNCHARACTERIZED, "itself"), 1);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_put(k, A, 0, "WXYZ", 4);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, A, EVENT_TYPE_IPC, 4, h(k, A));
	ck_assert_mem_eq(kernel_exchange(k, A) + 8, "WXYZ", 4);
	kh_assert_fill(k, A, 12, 128, KH_FILL);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_UNCHARACTERIZED, "own rejected self-IPC"), 1);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
}
END_TEST

/* 2, self case: the slot left by a rejected self-send makes the next one DEADLK. */
START_TEST(test_ipc_deadlk_self)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 4, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 4, 0), STATUS_DEADLK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 9, 0), STATUS_DEADLK);
}
END_TEST

/* 4.0 + 4.10: the sender wake-up of a rejected self-IPC sets the running task READY: an
 * abort by an unsupported call is cancelled, and that is reported like any other
 * cancellation. */
START_TEST(test_ipc_self_wake_cancels_abort)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 4, 0), STATUS_INVALID);
	kh_trap(k, A, 41, 0, 0, 0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_ABORTING);
	ck_assert_uint_eq(kh_result(k, A), 0);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_ABORT, "cancelled"), 1);
	/* no longer aborted: the quantum puts it back in the backed set */
	kh_advance_ms(k, 10);
	kh_go(k, B);
	kh_advance_ms(k, 10);
	ck_assert_uint_eq(kernel_current(k), A);
}
END_TEST

/* 2: the deepest chain of blocked senders (every task) is walked without overflow. */
START_TEST(test_ipc_walk_longest_chain)
{
	static const char *const names[8] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"};
	KernelTaskConfig t[8];
	for (uint32_t i = 0; i < 8; i++)
		t[i] = kh_task(names[i], 0x100 + i, 1);
	KernelConfig cfg;
	kh_config(&cfg, t, 8);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, 0);
	kh_trap(k, 0, SYSCALL_YIELD, 0, 0, 0);
	for (uint32_t i = 1; i < 8; i++) { /* t_i -> t_{i-1} */
		kh_go(k, i);
		kh_trap(k, i, SYSCALL_SEND_IPC, h(k, i - 1), 1, 0);
	}
	ck_assert_uint_eq(kh_result(k, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_SEND_IPC, h(k, 7), 1, 0), STATUS_DEADLK);
	kh_trap(k, 0, SYSCALL_SEND_IPC, h(k, kernel_idle_id(k)), 1, 0);
	ck_assert(!kernel_panicked(k));
	ck_assert_int_eq(kernel_task_state(k, 0), JOB_IPC_SEND_BLOCKED);
}
END_TEST

/* 2: a pending self-IPC is a loop; a walk that enters it without meeting the target
 * overflows its max_tasks frames: kernel panic KERNEL_INVALID_MANAGER_RESPONSE. */
START_TEST(test_ipc_walk_overflow_panics)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 4, 0), STATUS_INVALID);
	ck_assert_uint_eq(kernel_view_ipc_pending(k, A, A), 4);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 4, 0);
	kh_assert_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE);
	const KhReport *r = kh_last_report(KREPORT_PANIC);
	ck_assert_ptr_nonnull(strstr(r->text, "deadlock walk"));
	ck_assert_uint_eq(r->task, A);
}
END_TEST

/* 2: the walk is depth-first by ascending sender index, so a target met before the loop
 * is found: DEADLK, no panic. */
START_TEST(test_ipc_walk_finds_target_before_loop)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 4, 0); /* A (index 0) -> B */
	kh_go(k, B);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_IPC, h(k, B), 4, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_IPC, h(k, A), 4, 0), STATUS_DEADLK);
	ck_assert(!kernel_panicked(k));
}
END_TEST

/* 4.10: len 0 is accepted, the receiver never sees it, the sender blocks for ever and is
 * reported at once. */
START_TEST(test_ipc_zero_length)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 0, 0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, "length is 0"), 1);
	ck_assert_uint_eq(kh_last_report(KREPORT_STUCK)->task, A);
	kh_go(k, B);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
	/* a zero slot is "nothing pending": B may send to A without DEADLK */
	kh_trap(k, B, SYSCALL_SEND_IPC, h(k, A), 1, 0);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_IPC_SEND_BLOCKED);
	kh_idle(k, KERNEL_IDLE_STUCK);
}
END_TEST

/* 4.10, 11: a sender to a finished target blocks for ever and is reported when it sends. */
START_TEST(test_ipc_to_finished_target)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	kh_result(k, A);
	uint32_t before = (uint32_t)kh_reports_matching(KREPORT_STUCK, NULL);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 4, 0); /* the handle is still valid */
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, "finished"), before + 1);
	kh_idle(k, KERNEL_IDLE_STUCK);
	char why[160];
	kernel_task_blocker(k, A, why, sizeof(why));
	ck_assert_ptr_nonnull(strstr(why, "send_ipc"));
}
END_TEST

/* 11: ... and when the target ends after the send. */
START_TEST(test_ipc_target_exits_later)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 4, 0);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, NULL), 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_EXIT, 3, 0, 0);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, "aborting"), 1);
	ck_assert_uint_eq(kh_last_report(KREPORT_STUCK)->task, A);
	kh_idle(k, KERNEL_IDLE_STUCK);
}
END_TEST

/* 4.10, 7.6: if the target respawns, the pending slot survives and the new job consumes
 * it; the sender completes with OK. */
START_TEST(test_ipc_survives_target_respawn)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	t[1].exit_mode = EXIT_MODE_RESTART;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	put_payload(k, A, 6, 0x70);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 6, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_STUCK, NULL), 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert(kh_go(k, B).fresh);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 6, h(k, A));
	assert_payload(k, B, 8, 6, 0x70);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
}
END_TEST

/* 5 (autotest build): a self-send is OK at once and does not block; the wait delivers it
 * without a sender wake-up; a second one while the first is unread is DEADLK. */
START_TEST(test_ipc_self_autotest)
{
	Kernel *k = boot_autotest();
	uint32_t me = h(k, A);
	kh_fill(k, A, KH_FILL);
	kh_put(k, A, 0, "hey", 3);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, me, 3, 0), STATUS_OK);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_assert_fill(k, A, 3, 128, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, me, 3, 0), STATUS_DEADLK);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, A, EVENT_TYPE_IPC, 3, me);
	ck_assert_mem_eq(kernel_exchange(k, A) + 8, "hey", 3);
	kh_assert_fill(k, A, 11, 128, KH_FILL);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_UNCHARACTERIZED, NULL), 0);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, me, 1, 0), STATUS_OK);
}
END_TEST

/* 4.10: an autotest self-send of length 0 returns OK and nothing arrives. */
START_TEST(test_ipc_self_autotest_zero)
{
	Kernel *k = boot_autotest();
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 0, 0), STATUS_OK);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_IPC, h(k, A), 0, 0), STATUS_OK);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.11 send_signal                                                                          */

START_TEST(test_signal_self_invalid)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR1, 0),
	                  STATUS_INVALID);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

START_TEST(test_signal_range)
{
	static const uint32_t bad[] = {0, 13, 29, 31, 32, 0xFFFFFFFFu};
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), bad[i], 0),
		                  STATUS_INVALID);
	/* the range is checked before the handle */
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, 0, 0, 0), STATUS_INVALID);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_ABORT, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR2, 0), STATUS_OK);
}
END_TEST

START_TEST(test_signal_invalid_target)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	const uint32_t bad[] = {h(k, B) ^ 1u, h(k, B) + 42, h(k, B) ^ (1u << 31), 0};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, bad[i], SIGNAL_USR1, 0),
		                  STATUS_INVALID);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* 4: one pending signal per sender; other senders are independent; a bad signal number on
 * a busy slot is INVALID (2 before 4). */
START_TEST(test_signal_busy_per_sender)
{
	Kernel *k = boot3(3, 2, 1, 2);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_USR1, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_USR2, 0), STATUS_BUSY);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), 13, 0), STATUS_INVALID);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, C);
	ck_assert_uint_eq(kh_call(k, C, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_TERM, 0), STATUS_OK);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_fill(k, B, KH_FILL);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_SIGNAL, 4, h(k, A));
	ck_assert_uint_eq(kh_u32(k, B, 8), SIGNAL_USR1);
	kh_assert_fill(k, B, 12, 128, KH_FILL);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_SIGNAL, 4, h(k, C));
	ck_assert_uint_eq(kh_u32(k, B, 8), SIGNAL_TERM);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
	/* read: A may signal again */
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_USR2, 0), STATUS_OK);
}
END_TEST

/* 5, 6: a waiter (whatever its mask) is woken with INTR and scheduled; the sender is not
 * preempted, even by a higher priority. */
START_TEST(test_signal_wakes_waiter)
{
	Kernel *k = boot3(2, 1, 9, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, 40, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kernel_next_event_ns(k), 40 * KERNEL_TICK_NS);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_POLL, 0), STATUS_OK);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_READY);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, B), STATUS_INTR);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, B, 8), SIGNAL_POLL);
}
END_TEST

/* 5: a shallow sleeper is woken with INTR; nothing is written to its area. */
START_TEST(test_signal_wakes_shallow_sleeper)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	kh_trap(k, A, SYSCALL_SLEEP, 100, SLEEP_MODE_SHALLOW, 0);
	kh_go(k, B);
	kh_advance_ms(k, 3);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR1, 0), STATUS_OK);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_INTR);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	ck_assert_uint_eq(kernel_jiffies(k), 3);
}
END_TEST

/* 5: SLEEPING_DEEP, IPC_SEND_BLOCKED and FINISHED targets only get the signal queued. */
START_TEST(test_signal_queued_states)
{
	Kernel *k = boot3(3, 1, 1, 1);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SLEEP, 20, SLEEP_MODE_DEEP, 0);
	kh_go(k, B);
	kh_trap(k, B, SYSCALL_SEND_IPC, h(k, C), 1, 0); /* blocked on C, which never reads */
	kh_go(k, C);
	ck_assert_uint_eq(kh_call(k, C, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR1, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, C, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_USR1, 0), STATUS_OK);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_SLEEPING_DEEP);
	ck_assert_int_eq(kernel_task_state(k, B), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(kernel_next_event_ns(k), 20 * KERNEL_TICK_NS);
	kh_advance_ms(k, 20);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, A, EVENT_TYPE_SIGNAL, 4, h(k, C));
	/* a finished task still accepts signals */
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	kh_go(k, C);
	ck_assert_uint_eq(kh_call(k, C, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR2, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, C, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR2, 0), STATUS_BUSY);
}
END_TEST

/* 4.11 (autotest build): a task may signal itself. */
START_TEST(test_signal_self_autotest)
{
	Kernel *k = boot_autotest();
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR1, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR1, 0), STATUS_BUSY);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, A), 13, 0), STATUS_INVALID);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, A, EVENT_TYPE_SIGNAL, 4, h(k, A));
	ck_assert_uint_eq(kh_u32(k, A, 8), SIGNAL_USR1);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.12 wait_for_event                                                                       */

/* Fixed order: SIGNAL before IPC, whatever arrived first; one event per call. */
START_TEST(test_wfe_signal_before_ipc)
{
	Kernel *k = boot3(3, 3, 1, 2); /* a, then c, then b */
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 2, 0);
	kh_go(k, C);
	ck_assert_uint_eq(kh_call(k, C, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_IO, 0), STATUS_OK);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_SIGNAL, 4, h(k, C));
	ck_assert_uint_eq(kh_u32(k, B, 8), SIGNAL_IO);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 2, h(k, A));
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
}
END_TEST

/* Signals are taken by ascending sender index, not arrival order. */
START_TEST(test_wfe_signal_sender_order)
{
	Kernel *k = boot3(3, 1, 1, 2); /* c first */
	kh_go(k, C);
	ck_assert_uint_eq(kh_call(k, C, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_USR2, 0), STATUS_OK);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_USR1, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_SIGNAL, 4, h(k, A));
	ck_assert_uint_eq(kh_u32(k, B, 8), SIGNAL_USR1);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_SIGNAL, 4, h(k, C));
	ck_assert_uint_eq(kh_u32(k, B, 8), SIGNAL_USR2);
}
END_TEST

/* WFE_WAIT_NO: AGAIN, nothing written, no state change. Masks filter; bits other than
 * 1, 2, 4, 8 and above the low 8 are ignored. */
START_TEST(test_wfe_again_and_masks)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_USR1, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	kh_fill(k, B, KH_FILL);
	static const uint32_t miss[] = {0,    EVENT_TYPE_IPC, EVENT_TYPE_IRQ | EVENT_TYPE_DMA,
	                                0xF0, 0x100,          0xFFFFFF01u};
	for (size_t i = 0; i < sizeof(miss) / sizeof(miss[0]); i++)
		ck_assert_uint_eq(
		    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, miss[i], (uint32_t)WFE_WAIT_NO, 0),
		    STATUS_AGAIN);
	kh_assert_fill(k, B, 0, 128, KH_FILL);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, 0x102, (uint32_t)WFE_WAIT_NO, 0),
	                  STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_SIGNAL, 4, h(k, A));
	kh_assert_fill(k, B, 12, 128, KH_FILL);
}
END_TEST

/* WFE_WAIT_FOREVER (0) and any value below -1: no delay entry, waits for ever. */
START_TEST(test_wfe_forever)
{
	static const int32_t forever[] = {WFE_WAIT_FOREVER, -2, -1000, INT32_MIN};
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)forever[_i], 0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_WAITFOREVENT);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	kh_idle(k, KERNEL_IDLE_STUCK);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
}
END_TEST

/* WFE_WAIT_UPTO(t): TIMEOUT on the t-th tick; nothing written. */
START_TEST(test_wfe_timeout)
{
	static const uint32_t timeouts[] = {1, 2, 7, 1000};
	uint32_t t = timeouts[_i];
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	kh_trap(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, t, 0);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_WAITFOREVENT);
	ck_assert_uint_eq(kernel_next_event_ns(k), t * KERNEL_TICK_NS);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), t);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* The same rule counted tick by tick while another task runs. */
START_TEST(test_wfe_timeout_ticks)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, 3, 0);
	kh_go(k, B);
	kh_advance_ms(k, 2);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_WAITFOREVENT);
	kh_advance_ms(k, 1);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_uint_eq(kernel_current(k), B);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.5 sleep                                                                                 */

START_TEST(test_sleep_mode_invalid)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SLEEP, 10, 2, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SLEEP, 10, 0xFFFFFFFFu, 0), STATUS_INVALID);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* 8: a delay d fires on the d-th tick; d = 0 and d = 1 both on the first. TIMEOUT is the
 * normal completion; nothing is written. Both modes. */
START_TEST(test_sleep_timeout)
{
	static const uint32_t ds[] = {0, 1, 2, 5, 1000};
	uint32_t d = ds[_i / 2];
	uint32_t mode = _i % 2;
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	kh_trap(k, A, SYSCALL_SLEEP, d, mode, 0);
	ck_assert_int_eq(kernel_task_state(k, A), mode ? JOB_SLEEPING_DEEP : JOB_SLEEPING);
	ck_assert_uint_eq(kernel_current(k), kernel_idle_id(k));
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), d ? d : 1);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* 4.5: nothing interrupts a deep sleep; events queue up. */
START_TEST(test_sleep_deep_not_interrupted)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	kh_trap(k, A, SYSCALL_SLEEP, 30, SLEEP_MODE_DEEP, 0);
	kh_go(k, B);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR1, 0), STATUS_OK);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_SLEEPING_DEEP);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 30);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
}
END_TEST

/* 4.5, 4.16: an alarm does not wake a shallow sleeper; the signal waits. */
START_TEST(test_sleep_alarm_no_wake)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 3, O_ALRM_START, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_SLEEP, 10, SLEEP_MODE_SHALLOW, 0);
	/* the alarm cannot wake a sleeper, so idle jumps straight to the sleep's end; the
	 * alarm still fires on tick 3 on the way (its signal is queued below) */
	ck_assert_uint_eq(kernel_idle(k, 3 * KERNEL_TICK_NS), KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 3);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_SLEEPING);
	ck_assert_uint_eq(kernel_view_sig_pending(k, A, A), SIGNAL_ALARM);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 10);
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 8), SIGNAL_ALARM);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.16 alarm                                                                                */

/* START d: one SIGNAL_ALARM from the task itself on the d-th tick, and never again. */
START_TEST(test_alarm_oneshot)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 3, O_ALRM_START, 0), STATUS_OK);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
	ck_assert_uint_eq(kernel_next_event_ns(k), 3 * KERNEL_TICK_NS);
	ck_assert_uint_eq(poll_alarms(k, A, 20), BIT(3));
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
}
END_TEST

/* d = 0 and d = 1 fire on the first tick. */
START_TEST(test_alarm_zero_and_one)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, _i, O_ALRM_START, 0), STATUS_OK);
	ck_assert_uint_eq(poll_alarms(k, A, 5), BIT(1));
}
END_TEST

/* PERIODIC p: ticks p, 2p, 3p ...; p = 0 fires on every tick. */
START_TEST(test_alarm_periodic)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 3, O_ALRM_START_PERIODIC, 0), STATUS_OK);
	ck_assert_uint_eq(poll_alarms(k, A, 13), BIT(3) | BIT(6) | BIT(9) | BIT(12));
	ck_assert_uint_eq(kernel_next_event_ns(k), 15 * KERNEL_TICK_NS);
}
END_TEST

START_TEST(test_alarm_periodic_zero_one)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, _i, O_ALRM_START_PERIODIC, 0), STATUS_OK);
	ck_assert_uint_eq(poll_alarms(k, A, 6),
	                  BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6));
}
END_TEST

/* Periodic alarms keep firing through idle jumps, at exact multiples. */
START_TEST(test_alarm_periodic_through_idle)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 7, O_ALRM_START_PERIODIC, 0), STATUS_OK);
	for (uint32_t n = 1; n <= 5; n++) {
		kh_trap(k, A, SYSCALL_SLEEP, 7, SLEEP_MODE_DEEP, 0);
		kh_idle(k, KERNEL_IDLE_ADVANCED);
		ck_assert_uint_eq(kernel_jiffies(k), 7 * n);
		ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
		/* the alarm of tick 7n fired in the same tick as the sleep */
		ck_assert_uint_eq(kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL,
		                          (uint32_t)WFE_WAIT_NO, 0),
		                  STATUS_OK);
	}
	ck_assert_uint_eq(kh_reports_matching(KREPORT_DIVERGENCE, "lost"), 0);
}
END_TEST

/* STOP: the first entry of the caller with that delay; NO_ENTITY when there is none. */
START_TEST(test_alarm_stop)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 4, O_ALRM_START_PERIODIC, 0), STATUS_OK);
	ck_assert_uint_eq(poll_alarms(k, A, 5), BIT(4));
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 5, O_ALRM_STOP, 0), STATUS_NO_ENTITY);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 4, O_ALRM_STOP, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 4, O_ALRM_STOP, 0), STATUS_NO_ENTITY);
	ck_assert_uint_eq(poll_alarms(k, A, 20), 0);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 0, O_ALRM_STOP, 0), STATUS_NO_ENTITY);
}
END_TEST

/* STOP removes one entry only. Two one-shots of the same delay would collide on the self
 * slot (the second is lost); after one STOP exactly one fires and nothing is lost. */
START_TEST(test_alarm_stop_one_of_two)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 5, O_ALRM_START, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 5, O_ALRM_START, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 5, O_ALRM_STOP, 0), STATUS_OK);
	ck_assert_uint_eq(poll_alarms(k, A, 8), BIT(5));
	ck_assert_uint_eq(kh_reports_matching(KREPORT_DIVERGENCE, "lost"), 0);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 5, O_ALRM_STOP, 0), STATUS_NO_ENTITY);
}
END_TEST

/* STOP only sees the caller's own entries. */
START_TEST(test_alarm_stop_other_task)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 50, O_ALRM_START, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_ALARM, 50, O_ALRM_STOP, 0), STATUS_NO_ENTITY);
	ck_assert_uint_eq(kernel_next_event_ns(k), 50 * KERNEL_TICK_NS);
}
END_TEST

/* The queue has max_tasks entries shared by all tasks: BUSY when full. */
START_TEST(test_alarm_busy)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	for (uint32_t i = 0; i < 5; i++)
		ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 100 + i, O_ALRM_START, 0),
		                  STATUS_OK);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, B);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_uint_eq(kh_call(k, B, SYSCALL_ALARM, 200 + i, O_ALRM_START_PERIODIC, 0),
		                  STATUS_OK);
	kh_fill(k, B, KH_FILL);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_ALARM, 300, O_ALRM_START, 0), STATUS_BUSY);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_ALARM, 300, O_ALRM_START_PERIODIC, 0), STATUS_BUSY);
	kh_assert_fill(k, B, 0, 128, KH_FILL);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_ALARM, 201, O_ALRM_STOP, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_ALARM, 300, O_ALRM_START, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_ALARM, 301, O_ALRM_START, 0), STATUS_BUSY);
}
END_TEST

/* Any other flag: INVALID, nothing armed. */
START_TEST(test_alarm_invalid_flag)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	kh_fill(k, A, KH_FILL);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 5, 3, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 5, 0xFFFFFFFFu, 0), STATUS_INVALID);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	kh_assert_fill(k, A, 0, 128, KH_FILL);
}
END_TEST

/* An alarm is lost (and reported) when the task has an unread signal from itself; a
 * periodic entry is reloaded anyway. */
START_TEST(test_alarm_lost)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 1, O_ALRM_START_PERIODIC, 0), STATUS_OK);
	kh_advance_ms(k, 2);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_DIVERGENCE, "lost"), 1);
	ck_assert_uint_eq(kh_last_report(KREPORT_DIVERGENCE)->task, A);
	ck_assert_uint_eq(kh_last_report(KREPORT_DIVERGENCE)->time_ns, 2 * KERNEL_TICK_NS);
	/* the alarm as the task set it, and what blocks it */
	ck_assert_uint_eq(
	    kh_reports_matching(KREPORT_DIVERGENCE,
	                        "the periodic alarm the task set with "
	                        "__sys_alarm(1, O_ALRM_START_PERIODIC) fired while the "
	                        "signal of its previous alarm is still unread"),
	    1);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
	ck_assert_uint_eq(poll_alarms(k, A, 3), BIT(1) | BIT(2) | BIT(3));
}
END_TEST

/* ... including a self-signal of the autotest build: the alarm does not replace it. */
START_TEST(test_alarm_lost_autotest_self_signal)
{
	Kernel *k = boot_autotest();
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR1, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 1, O_ALRM_START, 0), STATUS_OK);
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_DIVERGENCE, "lost"), 1);
	ck_assert_uint_eq(
	    kh_reports_matching(KREPORT_DIVERGENCE,
	                        "the one-shot alarm the task set with __sys_alarm(1, "
	                        "O_ALRM_START) fired while a signal the task sent itself"),
	    1);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 8), SIGNAL_USR1);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
}
END_TEST

/* 4.16, 11: an alarm that expires while its task waits (timeout other than -1) makes it
 * READY with its result still NON_SENSE: resuming it is a kernel panic, reported with the
 * alarm, the task and the wait. */
START_TEST(test_alarm_waiter_panics_on_resume)
{
	static const int32_t timeouts[] = {WFE_WAIT_FOREVER, 10, -5};
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 3, O_ALRM_START, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)timeouts[_i], 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 3);
	ck_assert(!kernel_panicked(k));
	ck_assert_uint_eq(kernel_current(k), A);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	KernelResume r;
	ck_assert(!kernel_resume(k, &r));
	kh_assert_panic(k, PANIC_RESUMED_NON_SENSE);
	const KhReport *p = kh_last_report(KREPORT_PANIC);
	ck_assert_ptr_nonnull(strstr(p->text, "resumed with NON_SENSE result"));
	ck_assert_ptr_nonnull(strstr(p->text, "alarm of 3 ms"));
	ck_assert_ptr_nonnull(strstr(p->text, "'a'"));
	char want[32];
	snprintf(want, sizeof(want), "timeout %d", timeouts[_i]);
	ck_assert_ptr_nonnull(strstr(p->text, want));
	ck_assert_uint_eq(p->time_ns, 3 * KERNEL_TICK_NS);
	kh_idle(k, KERNEL_IDLE_PANIC);
}
END_TEST

/* 4.16, 8: if the waiter is not resumed before its wait timeout, the timeout fires for a
 * READY job: panic KERNEL_INVALID_MANAGER_STATE, on the timeout's tick. */
START_TEST(test_alarm_then_timeout_panics)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 3, O_ALRM_START_PERIODIC, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, 5, 0);
	kh_go(k, B);
	kh_advance_ms(k, 4);
	ck_assert(!kernel_panicked(k));
	ck_assert_int_eq(kernel_task_state(k, A), JOB_READY);
	kh_advance_ms(k, 1);
	kh_assert_panic(k, PANIC_KERNEL_INVALID_MANAGER_STATE);
	ck_assert_uint_eq(kernel_jiffies(k), 5);
	const KhReport *p = kh_last_report(KREPORT_PANIC);
	ck_assert_ptr_nonnull(strstr(p->text, "periodic alarm of 3 ms"));
	ck_assert_uint_eq(p->time_ns, 5 * KERNEL_TICK_NS);
	/* time stops */
	kh_advance_ms(k, 10);
	ck_assert_uint_eq(kernel_jiffies(k), 5);
}
END_TEST

/* 8: the alarm queue is processed after the delay queue. A wait timeout and an alarm on
 * the same tick: the timeout completes the wait (TIMEOUT), then the alarm only queues its
 * signal: no panic. */
START_TEST(test_alarm_same_tick_as_timeout)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 4, O_ALRM_START, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, 4, 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 4);
	ck_assert(!kernel_panicked(k));
	ck_assert_uint_eq(kh_result(k, A), STATUS_TIMEOUT);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 8), SIGNAL_ALARM);
}
END_TEST

/* 4.16: a waiter woken by an alarm is READY: a later signal does not fix its result. */
START_TEST(test_alarm_waiter_then_signal_still_panics)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 1, O_ALRM_START, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, WFE_WAIT_FOREVER, 0);
	kh_go(k, B);
	kh_advance_ms(k, 1);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_SEND_SIGNAL, h(k, A), SIGNAL_USR1, 0), STATUS_OK);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kernel_current(k), A);
	KernelResume r;
	ck_assert(!kernel_resume(k, &r));
	kh_assert_panic(k, PANIC_RESUMED_NON_SENSE);
}
END_TEST

/* 4.16: a deep or shallow sleeper, a sender blocked on IPC and a running task just get the
 * signal queued: no panic. */
START_TEST(test_alarm_blocked_sender_queued)
{
	Kernel *k = boot3(2, 1, 1, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 2, O_ALRM_START, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 1, 0);
	kh_go(k, B);
	kh_advance_ms(k, 3);
	ck_assert_int_eq(kernel_task_state(k, A), JOB_IPC_SEND_BLOCKED);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, A), STATUS_OK);
	ck_assert_uint_eq(
	    kh_call(k, A, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, A, 8), SIGNAL_ALARM);
	ck_assert(!kernel_panicked(k));
}
END_TEST

/* 4.16, 7.6: entries belong to a handle: after a respawn they are dropped silently when
 * they fire, and the new job cannot stop them. */
START_TEST(test_alarm_respawned_owner)
{
	KernelTaskConfig t = kh_task("a", 0xa, 1);
	t.exit_mode = EXIT_MODE_RESTART;
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	Kernel *k = kh_boot(&cfg);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 2, O_ALRM_START_PERIODIC, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert(kh_go(k, A).fresh);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 2, O_ALRM_STOP, 0), STATUS_NO_ENTITY);
	ck_assert_uint_eq(poll_alarms(k, A, 7), 0);
	ck_assert_uint_eq(kernel_view_sig_pending(k, A, A), 0);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_DIVERGENCE, "lost"), 0);
	/* the leaked periodic entry still takes a slot */
	for (uint32_t i = 0; i < 7; i++)
		ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 50, O_ALRM_START, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 50, O_ALRM_START, 0), STATUS_BUSY);
}
END_TEST

/* 4.16: the alarm of a finished task is stored and never read: nothing else happens. */
START_TEST(test_alarm_finished_owner)
{
	Kernel *k = boot3(1, 1, 0, 0);
	kh_go(k, A);
	ck_assert_uint_eq(kh_call(k, A, SYSCALL_ALARM, 4, O_ALRM_START, 0), STATUS_OK);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	/* the alarm of a finished task changes nothing: it does not keep the run alive ... */
	kh_idle(k, KERNEL_IDLE_DONE);
	/* ... but it still fires on its tick when time moves on (a limit forces it) */
	ck_assert_uint_eq(kernel_idle(k, 4 * KERNEL_TICK_NS), KERNEL_IDLE_DONE);
	ck_assert_uint_eq(kernel_jiffies(k), 0);
	kernel_advance(k, 4 * KERNEL_TICK_NS);
	ck_assert(!kernel_panicked(k));
	ck_assert_int_eq(kernel_task_state(k, A), JOB_FINISHED);
	ck_assert_uint_eq(kernel_view_sig_pending(k, A, A), SIGNAL_ALARM); /* stored */
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* IRQ events in the wait order and the wake-up table (4.12, 4.20, 5)                        */

#define IRQ_A 5
#define IRQ_B 6

/* a, b (priority 9, owns a timer device with IRQs 5 and 6) and c; b enables both lines and
 * yields, a (priority 3) runs. */
static Kernel *boot_irq(uint32_t *devh)
{
	static const BoardDevice dev = {.name = "tim2",
	                                .label = 0x42,
	                                .has_owner = true,
	                                .owner = 0xb,
	                                .cap = CAP_DEV_TIMER,
	                                .n_irqs = 2,
	                                .irqs = {IRQ_A, IRQ_B}};
	static const Board board = {.n_devices = 1, .devices = &dev};
	KernelTaskConfig t[3] = {kh_task("a", 0xa, 3), kh_task("b", 0xb, 9), kh_task("c", 0xc, 2)};
	t[1].capabilities = CAP_DEV_TIMER;
	KernelConfig cfg;
	kh_config(&cfg, t, 3);
	cfg.board = &board;
	Kernel *k = kh_boot(&cfg);
	*devh = board_device_handle(&dev);
	kh_go(k, B);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_IRQ_ENABLE, IRQ_A, 0, 0), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_IRQ_ENABLE, IRQ_B, 0, 0), STATUS_OK);
	kh_trap(k, B, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, A);
	return k;
}

/* 4.12: SIGNAL, then IRQ, then IPC, whatever the arrival order; IRQ payload and source. */
START_TEST(test_wfe_order_signal_irq_ipc)
{
	uint32_t devh;
	Kernel *k = boot_irq(&devh);
	kh_trap(k, A, SYSCALL_SEND_IPC, h(k, B), 3, 0); /* first: IPC */
	kh_go(k, C);
	ck_assert(kernel_inject_irq(k, IRQ_A)); /* then: IRQ */
	ck_assert_uint_eq(kh_call(k, C, SYSCALL_SEND_SIGNAL, h(k, B), SIGNAL_USR1, 0),
	                  STATUS_OK); /* last: signal */
	ck_assert_uint_eq(kernel_current(k), C);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, B), STATUS_OK);
	kh_fill(k, B, KH_FILL);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_SIGNAL, 4, h(k, C));
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IRQ, 4, devh);
	ck_assert_uint_eq(kh_u32(k, B, 8), IRQ_A);
	kh_assert_fill(k, B, 12, 128, KH_FILL);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	kh_assert_event(k, B, EVENT_TYPE_IPC, 3, h(k, A));
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
}
END_TEST

/* 4.12: IRQs are FIFO (not by number); the IRQ bit of the mask selects them. */
START_TEST(test_wfe_irq_fifo)
{
	uint32_t devh;
	Kernel *k = boot_irq(&devh);
	ck_assert(kernel_inject_irq(k, IRQ_B));
	ck_assert(kernel_inject_irq(k, IRQ_A));
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	kh_go(k, C);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0); /* swap: b runs */
	ck_assert_uint_eq(kh_result(k, B), STATUS_OK);
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL | EVENT_TYPE_IPC,
	                          (uint32_t)WFE_WAIT_NO, 0),
	                  STATUS_AGAIN);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, B, 8), IRQ_B);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, B, 8), IRQ_A);
}
END_TEST

/* 5: an IRQ wakes a waiter whatever its mask (INTR), and a shallow sleeper; it is queued
 * for a deep sleeper; it never preempts the running job. */
START_TEST(test_irq_wakes)
{
	uint32_t devh;
	Kernel *k = boot_irq(&devh);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	kh_go(k, C);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0); /* swap: b runs */
	ck_assert_uint_eq(kh_result(k, B), STATUS_OK);
	/* waiter, mask without IRQ */
	kh_trap(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_SIGNAL, 30, 0);
	kh_go(k, A);
	ck_assert(kernel_inject_irq(k, IRQ_A));
	ck_assert_int_eq(kernel_task_state(k, B), JOB_READY);
	ck_assert_uint_eq(kernel_current(k), A);
	ck_assert_uint_eq(kernel_next_event_ns(k), UINT64_MAX);
	kh_trap(k, A, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, B), STATUS_INTR);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	/* shallow sleeper: the line was masked by the delivery, enable it again */
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_IRQ_ENABLE, IRQ_A, 0, 0), STATUS_OK);
	kh_trap(k, B, SYSCALL_SLEEP, 30, SLEEP_MODE_SHALLOW, 0);
	kh_go(k, C);
	ck_assert(kernel_inject_irq(k, IRQ_A));
	ck_assert_int_eq(kernel_task_state(k, B), JOB_READY);
	ck_assert_uint_eq(kernel_current(k), C);
	kh_trap(k, C, SYSCALL_YIELD, 0, 0, 0);
	ck_assert_uint_eq(kh_result(k, B), STATUS_INTR);
	/* deep sleeper: queued */
	ck_assert_uint_eq(kh_call(k, B, SYSCALL_IRQ_ENABLE, IRQ_B, 0, 0), STATUS_OK);
	kh_trap(k, B, SYSCALL_SLEEP, 30, SLEEP_MODE_DEEP, 0);
	kh_go(k, A);
	ck_assert(kernel_inject_irq(k, IRQ_B));
	ck_assert_int_eq(kernel_task_state(k, B), JOB_SLEEPING_DEEP);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	kh_go(k, C);
	kh_trap(k, C, SYSCALL_EXIT, 0, 0, 0);
	kh_idle(k, KERNEL_IDLE_ADVANCED);
	ck_assert_uint_eq(kernel_jiffies(k), 30);
	ck_assert_uint_eq(kh_result(k, B), STATUS_TIMEOUT);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, B, 8), IRQ_A);
	ck_assert_uint_eq(
	    kh_call(k, B, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_OK);
	ck_assert_uint_eq(kh_u32(k, B, 8), IRQ_B);
}
END_TEST

static Suite *kernel_events_suite(void)
{
	Suite *s = suite_create("kernel_events");
	TCase *tc;

	tc = kh_tcase("send_ipc");
	tcase_add_test(tc, test_ipc_len_invalid);
	tcase_add_test(tc, test_ipc_len_limit_follows_area);
	tcase_add_test(tc, test_ipc_len_before_deadlock);
	tcase_add_test(tc, test_ipc_invalid_target);
	tcase_add_test(tc, test_ipc_delivery);
	tcase_add_test(tc, test_ipc_max_payload);
	tcase_add_test(tc, test_ipc_sender_order);
	tcase_add_test(tc, test_ipc_wakes_waiter);
	tcase_add_test(tc, test_ipc_wakes_waiter_outside_mask);
	tcase_add_test(tc, test_ipc_wakes_shallow_sleeper);
	tcase_add_test(tc, test_ipc_queued_for_deep_sleeper);
	tcase_add_test(tc, test_ipc_queued_for_blocked_sender);
	tcase_add_test(tc, test_ipc_deadlk_direct);
	tcase_add_test(tc, test_ipc_deadlk_indirect);
	tcase_add_test(tc, test_ipc_no_deadlk);
	tcase_add_test(tc, test_ipc_self_normal);
	tcase_add_test(tc, test_ipc_deadlk_self);
	tcase_add_test(tc, test_ipc_self_wake_cancels_abort);
	tcase_add_test(tc, test_ipc_walk_longest_chain);
	tcase_add_test(tc, test_ipc_walk_overflow_panics);
	tcase_add_test(tc, test_ipc_walk_finds_target_before_loop);
	tcase_add_test(tc, test_ipc_zero_length);
	tcase_add_test(tc, test_ipc_to_finished_target);
	tcase_add_test(tc, test_ipc_target_exits_later);
	tcase_add_test(tc, test_ipc_survives_target_respawn);
	tcase_add_test(tc, test_ipc_self_autotest);
	tcase_add_test(tc, test_ipc_self_autotest_zero);
	suite_add_tcase(s, tc);

	tc = kh_tcase("send_signal");
	tcase_add_test(tc, test_signal_self_invalid);
	tcase_add_test(tc, test_signal_range);
	tcase_add_test(tc, test_signal_invalid_target);
	tcase_add_test(tc, test_signal_busy_per_sender);
	tcase_add_test(tc, test_signal_wakes_waiter);
	tcase_add_test(tc, test_signal_wakes_shallow_sleeper);
	tcase_add_test(tc, test_signal_queued_states);
	tcase_add_test(tc, test_signal_self_autotest);
	suite_add_tcase(s, tc);

	tc = kh_tcase("wait_for_event");
	tcase_add_test(tc, test_wfe_signal_before_ipc);
	tcase_add_test(tc, test_wfe_signal_sender_order);
	tcase_add_test(tc, test_wfe_again_and_masks);
	tcase_add_loop_test(tc, test_wfe_forever, 0, 4);
	tcase_add_loop_test(tc, test_wfe_timeout, 0, 4);
	tcase_add_test(tc, test_wfe_timeout_ticks);
	tcase_add_test(tc, test_wfe_order_signal_irq_ipc);
	tcase_add_test(tc, test_wfe_irq_fifo);
	tcase_add_test(tc, test_irq_wakes);
	suite_add_tcase(s, tc);

	tc = kh_tcase("sleep");
	tcase_add_test(tc, test_sleep_mode_invalid);
	tcase_add_loop_test(tc, test_sleep_timeout, 0, 10);
	tcase_add_test(tc, test_sleep_deep_not_interrupted);
	tcase_add_test(tc, test_sleep_alarm_no_wake);
	suite_add_tcase(s, tc);

	tc = kh_tcase("alarm");
	tcase_add_test(tc, test_alarm_oneshot);
	tcase_add_loop_test(tc, test_alarm_zero_and_one, 0, 2);
	tcase_add_test(tc, test_alarm_periodic);
	tcase_add_loop_test(tc, test_alarm_periodic_zero_one, 0, 2);
	tcase_add_test(tc, test_alarm_periodic_through_idle);
	tcase_add_test(tc, test_alarm_stop);
	tcase_add_test(tc, test_alarm_stop_one_of_two);
	tcase_add_test(tc, test_alarm_stop_other_task);
	tcase_add_test(tc, test_alarm_busy);
	tcase_add_test(tc, test_alarm_invalid_flag);
	tcase_add_test(tc, test_alarm_lost);
	tcase_add_test(tc, test_alarm_lost_autotest_self_signal);
	tcase_add_loop_test(tc, test_alarm_waiter_panics_on_resume, 0, 3);
	tcase_add_test(tc, test_alarm_then_timeout_panics);
	tcase_add_test(tc, test_alarm_same_tick_as_timeout);
	tcase_add_test(tc, test_alarm_waiter_then_signal_still_panics);
	tcase_add_test(tc, test_alarm_blocked_sender_queued);
	tcase_add_test(tc, test_alarm_respawned_owner);
	tcase_add_test(tc, test_alarm_finished_owner);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kh_run_suite(kernel_events_suite());
}
