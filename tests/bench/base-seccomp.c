/*
 * base-seccomp: baseline "a seccomp user-notification round trip between two processes":
 * the traced process makes N getppid() calls that its filter (SCMP_ACT_NOTIFY) turns into
 * notifications; a supervisor process receives each (SECCOMP_IOCTL_NOTIF_RECV) and answers
 * it (SECCOMP_IOCTL_NOTIF_SEND) through libseccomp. This is how a simulator that traps
 * every task system call into a daemon would work. One sample is one call, timed by the
 * traced process. The listener fd reaches the supervisor over a socketpair (SCM_RIGHTS).
 * With -g US -t TICKS_PER_US the traced process computes (a busy loop on the cycle counter,
 * not a sleep) for US µs before each call; the gap is not part of the sample, so this is
 * the cost of a notification round trip after the supervisor has been idle that long.
 * Usage: base-seccomp [-c CPU,CPU] [-g US -t TICKS_PER_US] N
 */
#include "config.h"

#define BENCH_WITH_STDIO
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "tests/bench/base-common.h"
#include "tests/bench/bench-util.h"

#define MAX_SAMPLES (1u << 20)
#define END_MARK    0x5e4du /* getppid's ignored first argument on the last call */

static uint32_t samples[MAX_SAMPLES];

static int send_fd(int sock, int fd)
{
	char byte = 0;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof(u));
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* The traced process: install the filter, hand its listener over, make the calls. */
static int traced(int sock, size_t n, int cpu, uint64_t gap_ticks)
{
	base_pin(cpu);
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0) != 0)
		return base_die("seccomp rule");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || seccomp_load(ctx) != 0)
		return base_die("seccomp_load");
	int lfd = seccomp_notify_fd(ctx);
	if (lfd < 0 || send_fd(sock, lfd) != 0)
		return base_die("listener fd");
	close(lfd);
	uint64_t w0 = bench_now_ns(), c0 = bench_ticks();
	for (size_t i = 0; i < n; i++) {
		if (gap_ticks)
			bench_busy(gap_ticks);
		uint64_t t0 = bench_ticks();
		long r = syscall(SYS_getppid, 0);
		samples[i] = (uint32_t)(bench_ticks() - t0);
		if (r != 4242)
			return base_die("notified getppid");
	}
	uint64_t c1 = bench_ticks(), w1 = bench_now_ns();
	syscall(SYS_getppid, END_MARK);
	bench_print("seccomp-notify", samples, n, w1 - w0, c1 - c0);
	return 0;
}

/* The supervisor: answer every notification with 4242 until the end mark. */
static int supervise(int lfd)
{
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	if (seccomp_notify_alloc(&req, &resp) != 0)
		return base_die("seccomp_notify_alloc");
	for (;;) {
		memset(req, 0, sizeof(*req));
		int rc = seccomp_notify_receive(lfd, req);
		if (rc == -EINTR)
			continue;
		if (rc != 0) {
			errno = -rc;
			return base_die("seccomp_notify_receive");
		}
		resp->id = req->id;
		resp->val = 4242;
		resp->error = 0;
		resp->flags = 0;
		rc = seccomp_notify_respond(lfd, resp);
		if (rc != 0 && rc != -ENOENT) {
			errno = -rc;
			return base_die("seccomp_notify_respond");
		}
		if (req->data.args[0] == END_MARK)
			break;
	}
	seccomp_notify_free(req, resp);
	return 0;
}

int main(int argc, char **argv)
{
	int cpus[2] = {-1, -1};
	uint64_t gap_us = 0, ticks_per_us = 0;
	int opt;
	while ((opt = getopt(argc, argv, "c:g:t:")) != -1) {
		if (opt == 'c' && base_parse_cpus(optarg, cpus) == 0)
			continue;
		else if (opt == 'g')
			gap_us = strtoull(optarg, NULL, 10);
		else if (opt == 't')
			ticks_per_us = strtoull(optarg, NULL, 10);
		else
			return base_usage("base-seccomp [-c CPU,CPU] [-g US -t TICKS_PER_US] N");
	}
	if (gap_us && !ticks_per_us)
		return base_usage("base-seccomp: -g needs -t TICKS_PER_US");
	size_t n = base_count(optind < argc ? argv[optind] : NULL, MAX_SAMPLES);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return base_die("socketpair");
	pid_t pid = fork();
	if (pid < 0)
		return base_die("fork");
	if (pid == 0) {
		close(sv[0]);
		_exit(traced(sv[1], n, cpus[1], gap_us * ticks_per_us));
	}
	close(sv[1]);
	base_pin(cpus[0]);
	int lfd = recv_fd(sv[0]);
	if (lfd < 0)
		return base_die("receiving the listener fd");
	int rc = supervise(lfd);
	return base_reap(pid) != 0 ? 1 : rc;
}
