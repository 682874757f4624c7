/*
 * check_shield_msg.c: SysV message queues over kernel IPC against the fake UAPI
 * (shield.md 4.8, 9.9, 5, 7.27-7.29).
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <shield/errno.h>
#include <shield/sys/msg.h>
#include <shield/time.h>

#include "check_shield_fake.h"
#include "tests/unit/check_tap.h"

#define PEER_A 0x00100abc
#define PEER_B 0x00200def
#define PEER_C 0x0030f00d

struct msg {
	long mtype;
	char mtext[200];
};

static void setup(void)
{
	fake_reset();
	shield_errno = 0;
}

START_TEST(test_limits)
{
	ck_assert_uint_eq(SHIELD_MSG_MAXTEXT, SENTRY_SVCEXCHANGE_LEN - 8 - sizeof(long));
	ck_assert_int_eq(SHIELD_MSGQ_MAX, 8);
	ck_assert_int_ge(SHIELD_MSGQ_DEPTH, 1);
	ck_assert_int_eq(SHIELD_MSG_NOERROR, 010000);
	ck_assert_int_eq(SHIELD_MSG_EXCEPT, 020000);
	ck_assert_int_eq(SHIELD_MSG_COPY, 040000);
	ck_assert_int_eq(SHIELD_IPC_CREAT, 01000);
	ck_assert_int_eq(SHIELD_IPC_EXCL, 02000);
	ck_assert_int_eq(SHIELD_IPC_NOWAIT, 04000);
	ck_assert_int_eq(SHIELD_IPC_PRIVATE, 0);
	ck_assert_uint_eq(offsetof(struct shield_msgbuf, mtext), sizeof(long));
}
END_TEST

START_TEST(test_msgget)
{
	int id;

	ck_assert_int_eq(shield_msgget(PEER_A, 0), -1);
	ck_assert_int_eq(shield_errno, ENOENT);
	id = shield_msgget(PEER_A, SHIELD_IPC_CREAT | 0666);
	ck_assert_int_ge(id, 0);
	ck_assert_int_lt(id, SHIELD_MSGQ_MAX);
	ck_assert_int_eq(shield_msgget(PEER_A, 0), id);
	ck_assert_int_eq(shield_msgget(PEER_A, SHIELD_IPC_CREAT), id);
	ck_assert_int_eq(shield_msgget(PEER_A, SHIELD_IPC_CREAT | SHIELD_IPC_EXCL), -1);
	ck_assert_int_eq(shield_errno, EEXIST);
	/* IPC_PRIVATE means nothing here (7.27). */
	ck_assert_int_eq(shield_msgget(SHIELD_IPC_PRIVATE, SHIELD_IPC_CREAT), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	/* All 8 ids, then ENOSPC, and no scan past the table (7.27). */
	for (uint32_t k = 1; k < SHIELD_MSGQ_MAX; k++)
		ck_assert_int_ge(shield_msgget(PEER_B + k, SHIELD_IPC_CREAT), 0);
	ck_assert_int_eq(shield_msgget(PEER_C, SHIELD_IPC_CREAT), -1);
	ck_assert_int_eq(shield_errno, ENOSPC);
	ck_assert_int_eq(shield_msgget(PEER_A, 0), id);
	/* No system call. */
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

START_TEST(test_msgsnd)
{
	struct msg m = {.mtype = 3};
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);

	memcpy(m.mtext, "hello", 5);
	ck_assert_int_eq(shield_msgsnd(id, &m, 5, 0), 0);
	/* One message = one IPC: mtype then text. */
	ck_assert_uint_eq(fake.ncalls, 2);
	ck_assert_int_eq(fake.calls[0].call, FAKE_COPY_TO);
	ck_assert_uint_eq(fake.calls[0].a0, sizeof(long) + 5);
	ck_assert_int_eq(fake.calls[1].call, FAKE_SEND_IPC);
	ck_assert_uint_eq(fake.calls[1].a0, PEER_A);
	ck_assert_uint_eq(fake.calls[1].a1, sizeof(long) + 5);
	ck_assert_mem_eq(fake.ipc_sent, &m, sizeof(long) + 5);
	/* The id stays valid after a send (7.28), and the largest text fits. */
	memset(m.mtext, 'x', sizeof(m.mtext));
	ck_assert_int_eq(shield_msgsnd(id, &m, SHIELD_MSG_MAXTEXT, SHIELD_IPC_NOWAIT), 0);
	ck_assert_uint_eq(fake.calls[fake.ncalls - 1].a1, SENTRY_SVCEXCHANGE_LEN - 8);
	/* An empty text is mtype alone. */
	ck_assert_int_eq(shield_msgsnd(id, &m, 0, 0), 0);
	ck_assert_uint_eq(fake.calls[fake.ncalls - 1].a1, sizeof(long));
	ck_assert_uint_eq(fake_count(FAKE_SEND_IPC), 3);
}
END_TEST

START_TEST(test_msgsnd_errors)
{
	static const struct {
		Status st;
		int err;
	} answers[] = {
	    {STATUS_INVALID, EINVAL}, {STATUS_DEADLK, EDEADLK}, {STATUS_DENIED, EACCES},
	    {STATUS_BUSY, EAGAIN},    {STATUS_CRITICAL, EIO},
	};
	struct msg m = {.mtype = 1};
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);

	ck_assert_int_eq(shield_msgsnd(id, NULL, 1, 0), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_int_eq(shield_msgsnd(id + 1, &m, 1, 0), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	shield_errno = 0;
	ck_assert_int_eq(shield_msgsnd(-1, &m, 1, 0), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	shield_errno = 0;
	ck_assert_int_eq(shield_msgsnd(SHIELD_MSGQ_MAX, &m, 1, 0), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	/* Oversized: EINVAL, not E2BIG (7.28). */
	shield_errno = 0;
	ck_assert_int_eq(shield_msgsnd(id, &m, SHIELD_MSG_MAXTEXT + 1, 0), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	/* mtype must be at least 1 (7.28). */
	m.mtype = 0;
	shield_errno = 0;
	ck_assert_int_eq(shield_msgsnd(id, &m, 1, 0), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	m.mtype = -5;
	ck_assert_int_eq(shield_msgsnd(id, &m, 1, 0), -1);
	ck_assert_uint_eq(fake.ncalls, 0);

	m.mtype = 1;
	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		shield_errno = 0;
		fake.send_ipc_status = answers[i].st;
		ck_assert_int_eq(shield_msgsnd(id, &m, 4, 0), -1);
		ck_assert_int_eq(shield_errno, answers[i].err);
	}
}
END_TEST

/* A message already waiting: text bytes returned, never blocks on a larger buffer (7.29). */
START_TEST(test_msgrcv_basic)
{
	struct msg m;
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);

	fake_push_msg(PEER_A, 7, "payload", 7);
	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(shield_msgrcv(id, &m, sizeof(m.mtext), 0, 0), 7);
	ck_assert_int_eq(m.mtype, 7);
	ck_assert_mem_eq(m.mtext, "payload", 7);
	ck_assert_int_eq(m.mtext[7], 0);
	for (size_t i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].call == FAKE_WFE) {
			ck_assert_uint_eq(fake.calls[i].a0, EVENT_TYPE_IPC);
			ck_assert_int_eq((int32_t)fake.calls[i].a1, WFE_WAIT_NO);
		}
	}
	/* The largest message. */
	char big[SHIELD_MSG_MAXTEXT];

	memset(big, 'b', sizeof(big));
	fake_push_msg(PEER_A, 1, big, sizeof(big));
	ck_assert_int_eq(shield_msgrcv(id, &m, sizeof(m.mtext), 0, 0), (long)SHIELD_MSG_MAXTEXT);
	ck_assert_mem_eq(m.mtext, big, sizeof(big));
}
END_TEST

START_TEST(test_msgrcv_too_big)
{
	struct msg m;
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);

	fake_push_msg(PEER_A, 2, "0123456789", 10);
	/* E2BIG without MSG_NOERROR: the message stays queued. */
	ck_assert_int_eq(shield_msgrcv(id, &m, 4, 0, SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, E2BIG);
	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(shield_msgrcv(id, &m, 4, 0, SHIELD_MSG_NOERROR | SHIELD_IPC_NOWAIT), 4);
	ck_assert_int_eq(m.mtype, 2);
	ck_assert_mem_eq(m.mtext, "0123\0", 5);
	/* The excess was discarded with the message. */
	shield_errno = 0;
	ck_assert_int_eq(shield_msgrcv(id, &m, sizeof(m.mtext), 0, SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, ENOMSG);
}
END_TEST

static long recv_type(int id, long msgtyp, int flags)
{
	struct msg m;

	ck_assert_int_ge(shield_msgrcv(id, &m, sizeof(m.mtext), msgtyp, flags | SHIELD_IPC_NOWAIT),
	                 0);
	return m.mtype;
}

START_TEST(test_msgrcv_selection)
{
	struct msg m;
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);

	ck_assert_int_ge(SHIELD_MSGQ_DEPTH, 4);
	fake_push_msg(PEER_A, 5, "a", 1);
	fake_push_msg(PEER_A, 3, "b", 1);
	fake_push_msg(PEER_A, 9, "c", 1);
	fake_push_msg(PEER_A, 3, "d", 1);
	/* msgtyp > 0: first of that type. */
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, 3, SHIELD_IPC_NOWAIT), 1);
	ck_assert_int_eq(m.mtext[0], 'b');
	/* MSG_EXCEPT: first of another type. */
	ck_assert_int_eq(recv_type(id, 5, SHIELD_MSG_EXCEPT), 9);
	/* Collect what the kernel holds (cached 5a 3d, then 1e 3f). */
	fake_push_msg(PEER_A, 1, "e", 1);
	fake_push_msg(PEER_A, 3, "f", 1);
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, 99, SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, ENOMSG);
	ck_assert_uint_eq(fake.nevents, 0);
	/* msgtyp < 0: lowest type <= |msgtyp|, the oldest among equals. */
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, -4, SHIELD_IPC_NOWAIT), 1);
	ck_assert_int_eq(m.mtext[0], 'e');
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, -4, SHIELD_IPC_NOWAIT), 1);
	ck_assert_int_eq(m.mtext[0], 'd');
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, -4, SHIELD_IPC_NOWAIT), 1);
	ck_assert_int_eq(m.mtext[0], 'f');
	shield_errno = 0;
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, -4, SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, ENOMSG);
	ck_assert_int_eq(recv_type(id, LONG_MIN, 0), 5);
	/* Nothing of that type: ENOMSG under IPC_NOWAIT (not EAGAIN, 7.29). */
	fake_push_msg(PEER_A, 4, "f", 1);
	shield_errno = 0;
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, 8, SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, ENOMSG);
	ck_assert_int_eq(recv_type(id, 0, 0), 4);
}
END_TEST

/* IPCs from other peers go to their own queue (7.29), or are dropped. */
START_TEST(test_msgrcv_other_peers)
{
	struct msg m;
	int qa = shield_msgget(PEER_A, SHIELD_IPC_CREAT);
	int qb = shield_msgget(PEER_B, SHIELD_IPC_CREAT);

	fake_push_msg(PEER_B, 1, "from b", 6);
	fake_push_msg(PEER_C, 1, "from c", 6); /* no queue: dropped */
	fake_push_msg(PEER_A, 1, "from a", 6);
	ck_assert_int_eq(shield_msgrcv(qa, &m, sizeof(m.mtext), 0, 0), 6);
	ck_assert_mem_eq(m.mtext, "from a", 6);
	ck_assert_int_eq(shield_msgrcv(qb, &m, sizeof(m.mtext), 0, SHIELD_IPC_NOWAIT), 6);
	ck_assert_mem_eq(m.mtext, "from b", 6);
	ck_assert_int_eq(shield_msgrcv(qa, &m, sizeof(m.mtext), 0, SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, ENOMSG);
	ck_assert_uint_eq(fake.nevents, 0);

	/* A full queue drops what does not fit. */
	for (int i = 0; i < SHIELD_MSGQ_DEPTH + 2; i++) {
		char t = (char)('0' + i);

		fake_push_msg(PEER_B, 1, &t, 1);
	}
	ck_assert_int_eq(shield_msgrcv(qa, &m, 10, 0, SHIELD_IPC_NOWAIT), -1);
	for (int i = 0; i < SHIELD_MSGQ_DEPTH; i++) {
		ck_assert_int_eq(shield_msgrcv(qb, &m, 10, 0, SHIELD_IPC_NOWAIT), 1);
		ck_assert_int_eq(m.mtext[0], '0' + i);
	}
	ck_assert_int_eq(shield_msgrcv(qb, &m, 10, 0, SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, ENOMSG);
}
END_TEST

START_TEST(test_msgrcv_malformed)
{
	struct msg m;
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);
	long zero = 0;

	fake_push_ipc(PEER_A, "abc", 3);            /* shorter than mtype */
	fake_push_ipc(PEER_A, &zero, sizeof(zero)); /* mtype 0: msgsnd never sends it */
	fake_push_msg(PEER_A, 6, "ok", 2);
	ck_assert_int_eq(shield_msgrcv(id, &m, sizeof(m.mtext), 0, SHIELD_IPC_NOWAIT), 2);
	ck_assert_int_eq(m.mtype, 6);
	ck_assert_int_eq(shield_msgrcv(id, &m, sizeof(m.mtext), 0, SHIELD_IPC_NOWAIT), -1);
}
END_TEST

static void deliver_a(void)
{
	fake_push_msg(PEER_A, 4, "late", 4);
}

START_TEST(test_msgrcv_blocks)
{
	struct msg m;
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);
	long i;

	fake.on_block = deliver_a;
	ck_assert_int_eq(shield_msgrcv(id, &m, sizeof(m.mtext), 0, 0), 4);
	ck_assert_mem_eq(m.mtext, "late", 4);
	i = fake_find(FAKE_WFE, 1);
	ck_assert_int_ge(i, 0);
	ck_assert_uint_eq(fake.calls[i].a0, EVENT_TYPE_IPC);
	ck_assert_int_eq((int32_t)fake.calls[i].a1, WFE_WAIT_FOREVER);
}
END_TEST

static void deliver_on_second_sleep(uint32_t ms, uint32_t mode)
{
	ck_assert_uint_eq(ms, 1);
	ck_assert_uint_eq(mode, SLEEP_MODE_SHALLOW);
	if (fake_count(FAKE_SLEEP) == 2)
		fake_push_msg(PEER_A, 4, "poll", 4);
}

/* With a shield alarm armed, a blocking msgrcv polls (shield.md 5). */
START_TEST(test_msgrcv_polls_under_alarm)
{
	struct msg m;
	shield_timer_t t;
	struct shield_itimerspec its = {.it_value = {.tv_sec = 2}};
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);

	ck_assert_int_eq(shield_timer_create(SHIELD_CLOCK_MONOTONIC, NULL, &t), 0);
	ck_assert_int_eq(shield_timer_settime(t, 0, &its, NULL), 0);
	fake.on_sleep = deliver_on_second_sleep;
	ck_assert_int_eq(shield_msgrcv(id, &m, sizeof(m.mtext), 0, 0), 4);
	ck_assert_uint_eq(fake_count(FAKE_SLEEP), 2);
	for (size_t i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].call == FAKE_WFE)
			ck_assert_int_eq((int32_t)fake.calls[i].a1, WFE_WAIT_NO);
	}
}
END_TEST

START_TEST(test_msgrcv_errors)
{
	struct msg m;
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);

	ck_assert_int_eq(shield_msgrcv(id, NULL, 10, 0, 0), -1);
	ck_assert_int_eq(shield_errno, EFAULT);
	ck_assert_int_eq(shield_msgrcv(id + 1, &m, 10, 0, 0), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	shield_errno = 0;
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, 0, SHIELD_MSG_COPY | SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_uint_eq(fake.ncalls, 0);
}
END_TEST

START_TEST(test_msgctl)
{
	struct msg m;
	int id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);

	fake_push_msg(PEER_A, 1, "stale", 5);
	ck_assert_int_eq(shield_msgrcv(id, &m, 2, 9, SHIELD_IPC_NOWAIT), -1); /* cached */
	ck_assert_int_eq(shield_msgctl(id, 1, NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	ck_assert_int_eq(shield_msgctl(id, SHIELD_IPC_RMID, NULL), 0);
	ck_assert_int_eq(shield_msgget(PEER_A, 0), -1);
	ck_assert_int_eq(shield_errno, ENOENT);
	shield_errno = 0;
	ck_assert_int_eq(shield_msgctl(id, SHIELD_IPC_RMID, NULL), -1);
	ck_assert_int_eq(shield_errno, EINVAL);
	/* The cached message went with the queue. */
	id = shield_msgget(PEER_A, SHIELD_IPC_CREAT);
	ck_assert_int_eq(shield_msgrcv(id, &m, 10, 0, SHIELD_IPC_NOWAIT), -1);
	ck_assert_int_eq(shield_errno, ENOMSG);
}
END_TEST

static Suite *msg_suite(void)
{
	Suite *s = suite_create("shield_msg");
	TCase *tc = tcase_create("msg");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_msgget);
	tcase_add_test(tc, test_msgsnd);
	tcase_add_test(tc, test_msgsnd_errors);
	tcase_add_test(tc, test_msgrcv_basic);
	tcase_add_test(tc, test_msgrcv_too_big);
	tcase_add_test(tc, test_msgrcv_selection);
	tcase_add_test(tc, test_msgrcv_other_peers);
	tcase_add_test(tc, test_msgrcv_malformed);
	tcase_add_test(tc, test_msgrcv_blocks);
	tcase_add_test(tc, test_msgrcv_polls_under_alarm);
	tcase_add_test(tc, test_msgrcv_errors);
	tcase_add_test(tc, test_msgctl);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(msg_suite());
}
