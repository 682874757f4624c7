/*
 * shield/sys/msg.h: System V message queues over kernel IPC (shield.md 4.8, 9.9).
 *
 * Model. A queue id (0 to CONFIG_MAX_TASKS - 1) is bound to one peer task: its key is the
 * peer's task handle. msgsnd() sends one message as one IPC to the peer (payload: the long
 * mtype then the text, so sizeof(long) + msgsz bytes, at most SHIELD_MSG_MAXTEXT of text);
 * msgrcv() takes messages whose IPC source is the peer. Kernel IPC is a rendezvous: msgsnd
 * returns only once the peer has received the message, and IPC_NOWAIT cannot make it
 * non-blocking. IPCs from other peers that arrive while msgrcv waits are kept in their own
 * queue (up to SHIELD_MSGQ_DEPTH each); when there is no such queue or it is full, the
 * message is dropped, because its sender has already been released.
 *
 * Both functions overwrite the start of the exchange area. msgrcv consumes IPC events: a
 * message it collects is not seen by a raw __sys_wait_for_event. While a shield timer has
 * an alarm armed, a blocking msgrcv polls (WFE_WAIT_NO, then a 1 ms shallow sleep).
 */
#ifndef SHIELD_SYS_MSG_H
#define SHIELD_SYS_MSG_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <stddef.h>
#include <uapi/platform.h>
#include <uapi/uapi.h>

#ifndef CONFIG_MAX_TASKS
#define CONFIG_MAX_TASKS 8
#endif

/* Largest message text: one IPC payload minus the mtype (116 on ILP32, 112 on LP64). */
#define SHIELD_MSG_MAXTEXT ((size_t)(SENTRY_SVCEXCHANGE_LEN - 8 - sizeof(long)))
/* Number of queue ids. */
#define SHIELD_MSGQ_MAX CONFIG_MAX_TASKS
/* Messages cached per queue (a build setting of the library, at least 1). */
#ifndef SHIELD_MSGQ_DEPTH
#define SHIELD_MSGQ_DEPTH 4
#endif

/* Flags (octal, as upstream). MSG_COPY is not supported. */
#define SHIELD_MSG_NOERROR 010000
#define SHIELD_MSG_EXCEPT  020000
#define SHIELD_MSG_COPY    040000
#define SHIELD_IPC_CREAT   01000
#define SHIELD_IPC_EXCL    02000
#define SHIELD_IPC_NOWAIT  04000
#define SHIELD_IPC_PRIVATE 0
/* msgctl command. */
#define SHIELD_IPC_RMID 0

#ifndef TEST_MODE
#define shield_msgbuf msgbuf
#define MSG_NOERROR   SHIELD_MSG_NOERROR
#define MSG_EXCEPT    SHIELD_MSG_EXCEPT
#define MSG_COPY      SHIELD_MSG_COPY
#define IPC_CREAT     SHIELD_IPC_CREAT
#define IPC_EXCL      SHIELD_IPC_EXCL
#define IPC_NOWAIT    SHIELD_IPC_NOWAIT
#define IPC_PRIVATE   SHIELD_IPC_PRIVATE
#define IPC_RMID      SHIELD_IPC_RMID
#endif

/* Message head; callers use larger structures with the same head. */
struct shield_msgbuf {
	long mtype;
	char mtext[1];
};

__SHIELD_BEGIN_DECLS

/*
 * Queue id for peer |key|; no system call. With IPC_CREAT a missing queue is created
 * (ENOSPC when all ids are used); with IPC_CREAT | IPC_EXCL an existing one gives EEXIST;
 * without IPC_CREAT a missing one gives ENOENT. IPC_PRIVATE: EINVAL. Permission bits are
 * ignored. Ids stay valid for the whole job.
 */
int shield_msgget(shield_key_t key, int msgflg);
/*
 * Send the message at |msgp| (mtype >= 1, |msgsz| text bytes) to the queue's peer, blocking
 * until it takes it. Errors: EFAULT, EINVAL (bad id, msgsz > SHIELD_MSG_MAXTEXT, mtype < 1,
 * bad or stale peer), EDEADLK (the peer is blocked sending to this task), EACCES, EAGAIN,
 * EIO.
 */
int shield_msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg);
/*
 * Receive a message from the queue's peer: msgtyp 0 = the oldest, > 0 = the oldest of
 * that type (or of another type with MSG_EXCEPT), < 0 = the lowest type <= |msgtyp|.
 * Returns the number of text bytes stored. Errors: EFAULT, EINVAL (bad id, MSG_COPY),
 * E2BIG (text longer than msgsz without MSG_NOERROR: the message stays queued), ENOMSG
 * (IPC_NOWAIT and nothing matches), EIO.
 */
shield_ssize_t shield_msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg);
/* IPC_RMID frees the id and drops its cached messages; other commands: EINVAL. */
int shield_msgctl(int msqid, int cmd, void *buf);

#ifndef TEST_MODE
int msgget(key_t key, int msgflg);
int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg);
ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg);
int msgctl(int msqid, int cmd, void *buf);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_SYS_MSG_H */
