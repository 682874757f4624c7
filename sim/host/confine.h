/*
 * confine.h: the boundary around task processes, set up by the daemon between fork and
 * exec (docs/architecture.md, "The boundary").
 *
 * Once per daemon, confine_daemon_init() creates the PID namespace every task is born in
 * (with a user namespace when the daemon is not privileged) and the network namespace they
 * share (empty): the daemon stays outside both, so no task can name it. Per binary, confine_task_files() lists the host files its process
 * needs (the binary, the dynamic loader, its libraries), as the loader resolves them. In
 * the child, confine_child() puts the process in that network namespace and gives it its
 * own user, mount and IPC namespaces, an empty read-only root holding only those files, no capabilities,
 * no_new_privs, address randomisation off, and the boundary filter (sim/host/sandbox.c),
 * whose listener it hands to the daemon: the daemon lets the child's own exec through
 * (confine_first_exec) and answers every later refused call by naming it
 * (confine_refused).
 */
#ifndef SIM_HOST_CONFINE_H
#define SIM_HOST_CONFINE_H

#include <glib.h>
#include <linux/filter.h>
#include <sys/types.h>

#include "sim/host/devtools.h"

gboolean confine_daemon_init(GError **error);

/* The absolute host paths the process of |binary| needs (NULL-terminated; the binary
 * first), or NULL with |error| set. */
char **confine_task_files(const char *binary, GError **error);

/* In the child, between fork and exec: enter the boundary and send the filter's listener
 * over |sock|. Returns NULL on success, else a static description of the failed step
 * (errno set). |self| is the child's pid as it sees it; |boundary| is the prebuilt boundary
 * program (sandbox_program), patched here for |self|. |tools| (NULL: none) adds what a
 * sanitizer or coverage runtime needs to the root (devtools.h). */
const char *confine_child(char *const *files, DevtoolsChild *tools, int sock, pid_t self,
			  const struct sock_filter *boundary, size_t n);

/* The flags a remount of a bind mount of |path| must keep (a user namespace may not clear
 * the flags its parent locked). */
unsigned long confine_kept_flags(const char *path);

/* In the daemon after fork: receive the child's listener from |sock| and let the child's
 * exec of its binary through. Returns the listener, or -1 with |error| set (the child
 * failed before exec or made another refused call first). */
int confine_first_exec(int sock, GError **error);

/* A refused call pending on |listener|? Then refuse it (EPERM) and return its
 * description ("execve (59)"), else NULL. */
char *confine_refused(int listener);

#endif
