/*
 * msg.c: System V message queues over kernel IPC (shield.md 4.8, 9.9).
 *
 * A queue id is bound to one peer task (its key is the peer's handle) and caches up to
 * SHIELD_MSGQ_DEPTH messages received from that peer. One message is one IPC whose payload
 * is the long mtype followed by the text. Kernel IPC is a rendezvous, so a message
 * received while looking for another one cannot be refused: it is cached in its peer's
 * queue, or dropped when there is no such queue or it is full.
 */
#include <shield/errno.h>
#include <shield/string.h>
#include <shield/sys/msg.h>
#include <limits.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

#define SHIELD_EVENT_MAGIC 0x4242

_Static_assert(SHIELD_MSGQ_DEPTH >= 1, "SHIELD_MSGQ_DEPTH must be at least 1");
_Static_assert(sizeof(long) + SHIELD_MSG_MAXTEXT <= 255, "an IPC length is a uint8_t");

struct shield_msg {
	long mtype;
	size_t len;
	unsigned char text[SHIELD_MSG_MAXTEXT];
};

struct shield_msgq {
	bool used;
	shield_key_t key;
	unsigned int count; /* messages in msgs[0..count), oldest first */
	struct shield_msg msgs[SHIELD_MSGQ_DEPTH];
};

SHIELD_NEEDS_ENTRY;

static struct shield_msgq shield_msgqs[SHIELD_MSGQ_MAX];

void shield__msg_reset(void)
{
	for (unsigned int i = 0; i < SHIELD_MSGQ_MAX; i++) {
		shield_msgqs[i].used = false;
		shield_msgqs[i].key = 0;
		shield_msgqs[i].count = 0;
	}
}

static struct shield_msgq *msgq_get(int msqid)
{
	if (msqid < 0 || msqid >= SHIELD_MSGQ_MAX || !shield_msgqs[msqid].used)
		return NULL;
	return &shield_msgqs[msqid];
}

SHIELD_API int shield_msgget(shield_key_t key, int msgflg)
{
	int free_id = -1;

	/* A private queue means nothing here, and handle 0 cannot be addressed. */
	if (key == SHIELD_IPC_PRIVATE)
		return shield__fail(EINVAL);
	for (int id = 0; id < SHIELD_MSGQ_MAX; id++) {
		if (!shield_msgqs[id].used) {
			if (free_id < 0)
				free_id = id;
			continue;
		}
		if (shield_msgqs[id].key != key)
			continue;
		if ((msgflg & SHIELD_IPC_CREAT) && (msgflg & SHIELD_IPC_EXCL))
			return shield__fail(EEXIST);
		return id;
	}
	if (!(msgflg & SHIELD_IPC_CREAT))
		return shield__fail(ENOENT);
	if (free_id < 0)
		return shield__fail(ENOSPC);
	shield_msgqs[free_id] = (struct shield_msgq){.used = true, .key = key};
	return free_id;
}
SHIELD_ALIAS(msgget, shield_msgget);

SHIELD_API int shield_msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	const struct shield_msgq *q;
	long mtype;
	size_t len;

	(void)msgflg; /* IPC_NOWAIT: the kernel has no non-blocking send */
	if (msgp == NULL)
		return shield__fail(EFAULT);
	q = msgq_get(msqid);
	if (q == NULL || msgsz > SHIELD_MSG_MAXTEXT)
		return shield__fail(EINVAL);
	shield_memcpy(&mtype, msgp, sizeof(mtype));
	if (mtype < 1)
		return shield__fail(EINVAL);

	len = sizeof(long) + msgsz;
	if (copy_to_kernel(msgp, len) != STATUS_OK)
		return shield__fail(EIO);
	switch (__sys_send_ipc(q->key, (uint8_t)len)) {
	case STATUS_OK:
		return 0;
	case STATUS_INVALID:
		return shield__fail(EINVAL);
	case STATUS_DEADLK:
		return shield__fail(EDEADLK);
	case STATUS_DENIED:
		return shield__fail(EACCES);
	case STATUS_BUSY:
		return shield__fail(EAGAIN);
	default:
		return shield__fail(EIO);
	}
}
SHIELD_ALIAS(msgsnd, shield_msgsnd);

/*
 * File the IPC event that the last successful wait left in the exchange area into the
 * queue of its source. Malformed payloads, unknown peers and full queues drop it.
 */
static void take_ipc_event(void)
{
	uint8_t ev[SENTRY_SVCEXCHANGE_LEN];
	exchange_event_t head;
	struct shield_msgq *q = NULL;
	struct shield_msg *m;
	long mtype;

	if (copy_from_kernel(ev, sizeof(ev)) != STATUS_OK)
		return;
	shield_memcpy(&head, ev, sizeof(head));
	if (head.type != EVENT_TYPE_IPC || head.magic != SHIELD_EVENT_MAGIC ||
	    head.length < sizeof(long) || head.length > sizeof(ev) - sizeof(head))
		return;
	shield_memcpy(&mtype, ev + sizeof(head), sizeof(mtype));
	if (mtype < 1)
		return; /* msgsnd never sends it */
	for (unsigned int i = 0; i < SHIELD_MSGQ_MAX && q == NULL; i++) {
		if (shield_msgqs[i].used && shield_msgqs[i].key == head.source)
			q = &shield_msgqs[i];
	}
	if (q == NULL || q->count >= SHIELD_MSGQ_DEPTH)
		return;
	m = &q->msgs[q->count++];
	m->mtype = mtype;
	m->len = head.length - sizeof(long);
	shield_memcpy(m->text, ev + sizeof(head) + sizeof(long), m->len);
}

/* Index of the message msgrcv selects in |q|, or -1. */
static int msgq_select(const struct shield_msgq *q, long msgtyp, int msgflg)
{
	int best = -1;

	for (unsigned int i = 0; i < q->count; i++) {
		long t = q->msgs[i].mtype;

		if (msgtyp == 0)
			return (int)i;
		if (msgtyp > 0) {
			if ((msgflg & SHIELD_MSG_EXCEPT) ? t != msgtyp : t == msgtyp)
				return (int)i;
			continue;
		}
		/* msgtyp < 0: the lowest type <= |msgtyp|, the oldest among equals. */
		if ((msgtyp == LONG_MIN || t <= -msgtyp) && (best < 0 || t < q->msgs[best].mtype))
			best = (int)i;
	}
	return best;
}

/* Take message |idx| of |q| into |msgp|; returns the text bytes stored or -1 (E2BIG). */
static shield_ssize_t msgq_take(struct shield_msgq *q, unsigned int idx, void *msgp, size_t msgsz,
                                int msgflg)
{
	const struct shield_msg *m = &q->msgs[idx];
	size_t n = m->len;

	if (n > msgsz) {
		if (!(msgflg & SHIELD_MSG_NOERROR))
			return shield__fail(E2BIG); /* the message stays queued */
		n = msgsz;
	}
	shield_memcpy(msgp, &m->mtype, sizeof(long));
	shield_memcpy((char *)msgp + sizeof(long), m->text, n);
	for (unsigned int i = idx + 1; i < q->count; i++)
		q->msgs[i - 1] = q->msgs[i];
	q->count--;
	return (shield_ssize_t)n;
}

SHIELD_API shield_ssize_t shield_msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
                                        int msgflg)
{
	struct shield_msgq *q;

	if (msgp == NULL)
		return shield__fail(EFAULT);
	q = msgq_get(msqid);
	if (q == NULL || (msgflg & SHIELD_MSG_COPY))
		return shield__fail(EINVAL);

	for (;;) {
		int idx = msgq_select(q, msgtyp, msgflg);
		Status st;

		if (idx >= 0)
			return msgq_take(q, (unsigned int)idx, msgp, msgsz, msgflg);

		st = __sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_NO);
		if (st == STATUS_OK) {
			take_ipc_event();
			continue;
		}
		if (st != STATUS_AGAIN)
			return shield__fail(EIO);
		if (msgflg & SHIELD_IPC_NOWAIT)
			return shield__fail(ENOMSG);
		/* An alarm expiring during a blocking wait panics the kernel: poll instead. */
		if (shield__alarm_pending()) {
			shield__poll_pause();
			continue;
		}
		/* Signals do not interrupt msgrcv: shield installs no handlers. */
		st = __sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER);
		if (st == STATUS_OK)
			take_ipc_event();
		else if (st != STATUS_INTR)
			return shield__fail(EIO);
	}
}
SHIELD_ALIAS(msgrcv, shield_msgrcv);

SHIELD_API int shield_msgctl(int msqid, int cmd, void *buf)
{
	struct shield_msgq *q = msgq_get(msqid);

	(void)buf;
	if (q == NULL || cmd != SHIELD_IPC_RMID)
		return shield__fail(EINVAL);
	q->used = false;
	q->key = 0;
	q->count = 0;
	return 0;
}
SHIELD_ALIAS(msgctl, shield_msgctl);
