/*
 * fd.h: file descriptors with scope-based cleanup, as g_autoptr does for memory (GLib 2.74
 * has no g_autofd yet), and sending some over a socket.
 *
 *   sim_autofd int fd = open(...);   closed when |fd| goes out of scope (if >= 0)
 *   p->fd = sim_steal_fd(&fd);       hand it over: the scope no longer closes it
 */
#ifndef SIM_HOST_FD_H
#define SIM_HOST_FD_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
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

#define SIM_SEND_FDS_MAX 32

/* Send |len| bytes of |data| with |n| descriptors (at most SIM_SEND_FDS_MAX) in one
 * message over the socket |sock|, with sendmsg's |flags| (MSG_NOSIGNAL always): what
 * sendmsg returns, or -1 with errno set. */
static inline ssize_t sim_send_with_fds(int sock, const void *data, size_t len, const int *fds,
                                        unsigned n, int flags)
{
	struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(SIM_SEND_FDS_MAX * sizeof(int))];
	} ctl;
	if (n > SIM_SEND_FDS_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = ctl.buf,
	                     .msg_controllen = CMSG_SPACE(n * sizeof(int))};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL | flags);
}

/* Send |n| descriptors (at most SIM_SEND_FDS_MAX) over the socket |sock| in one message
 * of one byte, without ever blocking: TRUE if it went, else FALSE with errno set. */
static inline int sim_send_fds(int sock, const int *fds, unsigned n)
{
	char byte = 'w';
	return sim_send_with_fds(sock, &byte, 1, fds, n, MSG_DONTWAIT) == 1;
}

#endif
