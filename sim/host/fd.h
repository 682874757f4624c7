/*
 * fd.h: file descriptors with scope-based cleanup, as g_autoptr does for memory (GLib 2.74
 * has no g_autofd yet).
 *
 *   sim_autofd int fd = open(...);   closed when |fd| goes out of scope (if >= 0)
 *   p->fd = sim_steal_fd(&fd);       hand it over: the scope no longer closes it
 */
#ifndef SIM_HOST_FD_H
#define SIM_HOST_FD_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static inline void sim_close_fd(int *fd)
{
	if (*fd >= 0) {
		int saved = errno; /* a cleanup must not change the error being reported */
		close(*fd);
		errno = saved;
		*fd = -1;
	}
}

#define sim_autofd __attribute__((cleanup(sim_close_fd)))

static inline int sim_steal_fd(int *fd)
{
	int f = *fd;
	*fd = -1;
	return f;
}

/* A second open file description of |fd| (a memfd), read-only: what a task may hold of
 * memory the daemon writes; even mprotect cannot make its mappings writable. Returns -1
 * with errno set on failure. */
static inline int sim_reopen_read_only(int fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_RDONLY | O_CLOEXEC);
}

#endif
