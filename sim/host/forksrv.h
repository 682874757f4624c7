/*
 * forksrv.h: fork servers (docs/architecture.md, "Fork servers"): one process per task
 * binary and task name, started once through the confinement helper with the boundary's
 * server variant, stopped at the top of the runtime's boot; each task process after that
 * is a clone of it, checked by the daemon before it is given anything (forksrv.c).
 */
#ifndef SIM_HOST_FORKSRV_H
#define SIM_HOST_FORKSRV_H

#include <glib.h>
#include <sched.h>
#include <sys/types.h>

#include "uapi/src/wire.h"

typedef struct forksrv ForkServer;

/* The boundary refused |call| ("'execve' (59)") to an instance: the daemon's owner of it
 * faults it (the call has failed with EPERM already). */
typedef void (*ForksrvRefused)(void *data, const char *call);

/* The server of |binary| for task |name| (its argv[0]), started the first time with the
 * environment |envp|. NULL with |error| set when it cannot serve (it failed to start, or
 * an earlier instance failed the daemon's checks): the tasks then start with fork and exec,
 * and the daemon said why once on stderr. Servers live as long as the daemon. */
ForkServer *forksrv_get(const char *binary, const char *name, char **envp, GError **error);

/* A new instance of |s| for a task process (the server runs on |cpus| if not NULL). Each
 * server keeps one spare: an instance forked ahead of time, which has passed the checks in
 * its hello and has its window socket. This gives it /dev/null as 0 and 1 and |fds| as 2, 3
 * and 5 (stderr, page, doorbell) over that socket, leaves the fidelity program patched for
 * it in |boot|, answers its hello, and asks the server for the next spare. Without a spare
 * (the first time), it forks one and waits for it. Returns its pid with a pidfd in
 * |*pidfd| and the daemon's end of its window socket in |*sock|, or -1 with |error| set:
 * then |s| serves no more (forksrv_get says so). |refused| is called with |data| when the
 * boundary refuses a call of the instance, until forksrv_forget. */
pid_t forksrv_fork(ForkServer *s, const int fds[3], struct sentry_boot *boot, const cpu_set_t *cpus,
                   ForksrvRefused refused, void *data, int *pidfd, int *sock, GError **error);

/* Work the servers can do while the daemon waits: a spare's clone is let through, and a
 * spare that has said hello is checked if |check| (the daemon has time: a process boots) or
 * else only noted (checked when taken); without waiting for either. TRUE while a spare is
 * still on its way. */
gboolean forksrv_background(gboolean check);

/* Whether forksrv_background has work (cheap: no system call). */
gboolean forksrv_due(void);

/* A new run: forksrv_get compares each server's files with the disk again, once. */
void forksrv_epoch(void);

/* Answer what the server's boundary asks the daemon now (without waiting): a signal an
 * instance sends itself goes through, any other refused call fails and is reported. */
void forksrv_poll(ForkServer *s);

/* Instance |pid| has been killed and has no owner any more: its refused calls, until it
 * is reaped, fail without a report. */
void forksrv_orphan(ForkServer *s, pid_t pid);

/* Instance |pid| is gone (reaped): forget it. */
void forksrv_forget(ForkServer *s, pid_t pid);

#endif
