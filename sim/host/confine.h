/*
 * confine.h: the boundary around task processes, set up by the daemon between fork and
 * exec (docs/architecture.md, "The boundary").
 *
 * Once per daemon, confine_daemon_init() creates the PID namespace every task is born in
 * (with a user namespace when the daemon is not privileged) and the network namespace they
 * share (empty): the daemon stays outside both, so no task can name it. Per binary,
 * confine_task_files() lists the host files its process needs (the binary, the dynamic loader, its
 * libraries), as the loader resolves them. In the daemon, once per binary, confine_prepare() builds
 * an empty read-only root holding only those files, in a user and a mount namespace the daemon
 * keeps. Each task process is the confinement helper (sim/host/confine-helper.c), spawned without
 * copying the daemon: it enters the network namespace and the root's user, mount and IPC
 * namespaces, drops every capability, sets no_new_privs, turns address randomisation off and
 * installs the boundary filter (sim/host/sandbox.c, prebuilt), whose listener it hands to the
 * daemon, then execs the task: the daemon lets that exec through (confine_first_exec) and answers
 * every later refused call by naming it (confine_refused).
 */
#ifndef SIM_HOST_CONFINE_H
#define SIM_HOST_CONFINE_H

#include <glib.h>
#include <linux/filter.h>
#include <sys/types.h>

#include "sim/host/confine_fds.h"
#include "sim/host/devtools.h"

gboolean confine_daemon_init(GError **error);
/* Whether the confinement helper can be found (what confine_daemon_init() checks first),
 * for a command that starts its daemons in processes of their own (`sentry-sim fuzz -j`). */
gboolean confine_helper_check(GError **error);

/* The absolute host paths the process of |binary| needs (NULL-terminated; the binary
 * first), or NULL with |error| set. */
char **confine_task_files(const char *binary, GError **error);

#define CONFINE_HELPER "sentry-sim-confine" /* sim/host/confine-helper.c */

/* What the daemon starts a task process with: the helper, run with the task's descriptors
 * 0-5 and these at CONFINE_FD_* (confine_fds.h), execs |exec_path| inside the boundary. All
 * are the daemon's, kept for its life (above CONFINE_FD_LAST, close-on-exec). */
typedef struct {
	const char *helper;
	const char *exec_path; /* the binary's host path, the same inside its root */
	char *const *files;    /* the files of its root (confine_task_files), valid until the
	                          next confine_prepare() */
	int policy_fd, user_fd, mnt_fd, net_fd, ipc_fd;
	guint64 root_id; /* which root: another one once a file of the binary changed */
} ConfineStart;

/* Get ready to start a process of |binary|: the first time (or when one of its files
 * changed), list its files and build its root, once, in user, mount and IPC namespaces the
 * daemon keeps; the programs once per daemon. |tools| (NULL: none) adds what a sanitizer
 * or coverage runtime needs to the root (devtools.h): such a root is the process's own.
 * FALSE with |error| set if the binary cannot start. */
gboolean confine_prepare(const char *binary, DevtoolsChild *tools, ConfineStart *out,
                         GError **error);

/* Start the confinement helper for |cs| with |task_fds| as its descriptors 0 to 5 (stdin,
 * stdout, stderr, page, window socket, doorbell: uapi/src/wire.h; -1: /dev/null) and cs's
 * fixed ones after them (confine_fds.h), every other descriptor closed, in a process group
 * of its own (a terminal's ^C reaches only the daemon); its argv: the helper, the binary,
 * |name| (the task's argv[0]) and |mode| (confine-helper.c). posix_spawn: nothing of the
 * daemon's memory is copied and nothing runs in its image after the spawn. Returns the
 * pid, or -1 with errno set. */
pid_t confine_spawn(const ConfineStart *cs, const int task_fds[CONFINE_FD_POLICY], const char *name,
                    const char *mode, char **envp);

/* The flags a remount of a bind mount of |path| must keep (a user namespace may not clear
 * the flags its parent locked). */
unsigned long confine_kept_flags(const char *path);

/* In the daemon after fork: receive the child's listener from |sock| and let the child's
 * exec of its binary through. Returns the listener, or -1 with |error| set (the child
 * failed before exec or made another refused call first). */
int confine_first_exec(int sock, GError **error);

/* A descriptor the helper sends on the window socket |sock| with the byte |what| ('L': the
 * boundary's listener; 'P': a pidfd of the task in its own PID namespace), waited for at
 * most as long as the helper's set-up may take; -1 if none came. */
int confine_recv_fd(int sock, char what);

/* A refused call pending on |listener|? Then refuse it (EPERM) and return its
 * description ("execve (59)"), else NULL. */
char *confine_refused(int listener);

#endif
