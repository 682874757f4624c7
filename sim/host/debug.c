/*
 * debug.c: the daemon's developer tools on task processes (see debug.h, docs/devtools.md).
 *
 * A fault: the task's runtime records it on the page and, because the daemon set
 * SENTRY_BOOT_HOLD_FAULT, waits in its handler until released. Meanwhile the process is
 * whole: its maps, registers and stack can be read from outside. The symbolizer
 * (symbolize.c, a child of the daemon) unwinds it; gdb's gcore writes its core: the kernel's
 * core_pattern is global to the host, and the task is not dumpable, so the daemon takes the
 * core itself, from outside, into the directory the user named. Both are bounded in time;
 * the task's own hold is bounded too (SENTRY_FAULT_HOLD_MS).
 *
 * The helper: the daemon creates the tasks' PID namespace as the namespace of its own
 * children, so every process it forks later, a symbolizer or gdb's gcore, would see the
 * tasks by other pids than the host's /proc does, and could not ptrace them by the pids the
 * daemon knows. So, once, before that namespace exists, the daemon forks a helper that
 * stays outside it; the helper forks a worker per job (a symbolizer, or gcore), bounds it in
 * time and answers over a socket. The worker's output comes back over a pipe the daemon
 * hands with the request.
 *
 * --gdb: a debugger is a process of the user's, outside the boundary (gdbserver could not
 * run inside it: no sockets, no exec). The task lives in a user namespace owned by the
 * daemon's user, so that user's `gdb -p PID` may ptrace it (also under Yama's
 * ptrace_scope=1, which lets a namespace owner through). The daemon holds the task before
 * its entry, by not answering its BOOT request yet, and waits until /proc says it has a
 * tracer. The command it prints sets gdb's sysroot to the host's root: by default gdb opens
 * a process's files through the process's own mount namespace, which only a privileged
 * gdb may enter; the task's files are the host's, at the same paths.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/errors.h"
#include "sim/host/debug.h"
#include "sim/host/fd.h"
#include "sim/host/symbolize.h"

#define FAULT_FRAMES     8   /* frames in a fault report's backtrace */
#define FAULT_TEXT_MAX   280 /* bytes of it, with the core's (a report line is bounded: kernel.c) */
#define GCORE_TIMEOUT_MS 40000u /* within the task's own hold (SENTRY_FAULT_HOLD_MS) */
#define DEBUGGER_POLL_MS 20

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

gboolean debug_collect_child(pid_t child, int fd, guint timeout_ms, gsize max, GString *out,
                             GError **error)
{
	uint64_t deadline = mono_ms() + timeout_ms;
	gboolean open = fd >= 0;
	int status = 0;
	for (;;) {
		uint64_t now = mono_ms();
		if (now >= deadline)
			break;
		if (open) {
			struct pollfd pfd = {.fd = fd, .events = POLLIN};
			int wait = (int)MIN(deadline - now, 100u);
			if (poll(&pfd, 1, wait) > 0) {
				char buf[4096];
				ssize_t n = read(fd, buf, sizeof(buf));
				if (n > 0 && out->len < max)
					g_string_append_len(out, buf,
					                    MIN((gsize)n, max - out->len));
				if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
					open = FALSE;
			}
			continue;
		}
		pid_t w = waitpid(child, &status, WNOHANG);
		if (w == child) {
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				return TRUE;
			g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "%s %d",
			            WIFSIGNALED(status) ? "it was killed by signal"
			                                : "it exited with status",
			            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			return FALSE;
		}
		if (w < 0 && errno != EINTR) {
			g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "waitpid: %s",
			            g_strerror(errno));
			return FALSE;
		}
		g_usleep(5000);
	}
	kill(child, SIGKILL);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "it did not finish within %u ms",
	            timeout_ms);
	return FALSE;
}

/* The helper's side: a request, and the answer. */
struct helper_request {
	uint32_t seq;
	uint32_t kind; /* DebugJobKind */
	uint32_t timeout_ms;
	SymbolizeJob job;
};

struct helper_reply {
	uint32_t seq;
	uint32_t ok;
	char why[200];
};

static int helper_sock = -1; /* the daemon's end; -1: no helper */
static uint32_t helper_seq;

/* In a worker: the job, its output on |fd|. */
static __attribute__((noreturn)) void worker_main(const struct helper_request *req, int fd)
{
	struct rlimit no_core = {0, 0};
	setrlimit(RLIMIT_CORE, &no_core);
	if (req->kind == DEBUG_JOB_SYMBOLIZE) {
		symbolize_job_run(&req->job, fd);
		_exit(0);
	}
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", (int)req->job.pid);
	int null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(126);
	execlp("gcore", "gcore", "-o", req->job.path, pid, (char *)NULL);
	dprintf(fd, "\ngcore: %s\n", strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Receive one request and the descriptor that comes with it. */
static gboolean helper_receive(int sock, struct helper_request *req, int *fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = {.iov_base = req, .iov_len = sizeof(*req)};
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = ctl.buf,
	                     .msg_controllen = sizeof(ctl.buf)};
	*fd = -1;
	ssize_t n;
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		_exit(0); /* the daemon is gone */
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n == (ssize_t)sizeof(*req) && *fd >= 0;
}

static __attribute__((noreturn)) void helper_main(int sock, pid_t daemon)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != daemon)
		_exit(0);
	signal(SIGINT, SIG_IGN); /* a ^C is the daemon's to handle */
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* nothing of the daemon's but the socket: not even its stderr, whose reader would
	 * otherwise wait for the helper too */
	if (dup2(sock, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) != 0)
		_exit(1);
	syscall(SYS_close_range, 4, ~0u, 0);
	int null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	if (null > 2)
		close(null);
	sock = 3;
	for (;;) {
		struct helper_request req;
		int fd;
		struct helper_reply rep = {.seq = 0};
		if (helper_receive(sock, &req, &fd)) {
			rep.seq = req.seq;
			g_autoptr(GError) err = NULL;
			pid_t w = fork();
			if (w == 0)
				worker_main(&req, fd);
			close(fd);
			if (w < 0)
				snprintf(rep.why, sizeof(rep.why), "fork: %s", g_strerror(errno));
			else if (debug_collect_child(w, -1, req.timeout_ms, 0, NULL, &err))
				rep.ok = 1;
			else
				snprintf(rep.why, sizeof(rep.why), "%s", err->message);
		} else {
			if (fd >= 0)
				close(fd);
			snprintf(rep.why, sizeof(rep.why), "a malformed request");
		}
		if (send(sock, &rep, sizeof(rep), MSG_NOSIGNAL) < 0)
			_exit(0);
	}
}

void debug_helper_start(void)
{
	if (helper_sock >= 0)
		return;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return;
	pid_t daemon = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		helper_main(sv[1], daemon);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return;
	}
	helper_sock = sv[0];
}

/* Wait until |fd| is readable or |deadline| (mono_ms) passes. */
static gboolean wait_readable(int fd, uint64_t deadline)
{
	for (;;) {
		uint64_t now = mono_ms();
		if (now >= deadline)
			return FALSE;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int n = poll(&pfd, 1, (int)MIN(deadline - now, 1000u));
		if (n > 0)
			return TRUE;
		if (n < 0 && errno != EINTR)
			return FALSE;
	}
}

gboolean debug_helper_run(DebugJobKind kind, const void *job, guint timeout_ms, gsize max,
                          GString *out, GError **error)
{
	if (helper_sock < 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "the daemon's helper is not running");
		return FALSE;
	}
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "pipe: %s", g_strerror(errno));
		return FALSE;
	}
	sim_autofd int r = fds[0];
	sim_autofd int w = fds[1];
	struct helper_request req = {.seq = ++helper_seq, .kind = kind, .timeout_ms = timeout_ms};
	memcpy(&req.job, job, sizeof(req.job));
	if (sim_send_with_fds(helper_sock, &req, sizeof(req), &w, 1, 0) != (ssize_t)sizeof(req)) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "the daemon's helper is gone");
		return FALSE;
	}
	close(sim_steal_fd(&w));
	/* the helper kills the worker at |timeout_ms|: a little more for the answer */
	uint64_t deadline = mono_ms() + timeout_ms + 2000u;
	while (wait_readable(r, deadline)) {
		char buf[4096];
		ssize_t n = read(r, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len < max)
			g_string_append_len(out, buf, MIN((gsize)n, max - out->len));
	}
	struct helper_reply rep = {.seq = 0};
	while (rep.seq != req.seq) {
		if (!wait_readable(helper_sock, deadline) ||
		    recv(helper_sock, &rep, sizeof(rep), 0) != (ssize_t)sizeof(rep)) {
			g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
			            "the daemon's helper did not answer");
			return FALSE;
		}
	}
	if (!rep.ok) {
		rep.why[sizeof(rep.why) - 1] = '\0';
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "%s", rep.why);
		return FALSE;
	}
	return TRUE;
}

gboolean debug_prepare_core_dir(const char *dir, GError **error)
{
	if (g_mkdir_with_parents(dir, 0755) != 0 || access(dir, W_OK | X_OK) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_CONFIG,
		            "--core-dir: cannot use '%s' as a directory for core dumps: %s", dir,
		            g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* A task name as a file name: what is not [A-Za-z0-9._-] becomes '_'. */
static char *file_name_of(const char *name)
{
	char *s = g_strdup(name && *name ? name : "task");
	for (char *c = s; *c; c++)
		if (!g_ascii_isalnum(*c) && *c != '.' && *c != '_' && *c != '-')
			*c = '_';
	if (s[0] == '.')
		s[0] = '_';
	return s;
}

/* gcore -o DIR/NAME PID, bounded; the text for the diagnosis. */
static char *dump_core(pid_t pid, const char *name, const char *core_dir)
{
	g_autofree char *base = file_name_of(name);
	g_autofree char *prefix = g_build_filename(core_dir, base, NULL);
	g_autofree char *core = g_strdup_printf("%s.%d", prefix, (int)pid);
	SymbolizeJob job = {.pid = pid};
	if (strlen(prefix) >= sizeof(job.path))
		return g_strdup("; no core dump: the --core-dir path is too long");
	strcpy(job.path, prefix);
	g_autoptr(GString) said = g_string_new(NULL);
	g_autoptr(GError) err = NULL;
	gboolean ok = debug_helper_run(DEBUG_JOB_GCORE, &job, GCORE_TIMEOUT_MS, 4096, said, &err);
	if (ok && g_file_test(core, G_FILE_TEST_IS_REGULAR))
		return g_strdup_printf("; core dumped to %s", core);
	if (g_error_matches(err, HOST_ERROR, HOST_ERROR_SYSTEM) && strstr(said->str, "\ngcore: ") &&
	    strstr(err->message, "status 127"))
		return g_strdup("; no core dump: gcore (Debian's gdb) is not installed");
	/* gdb's last line says why (e.g. "ptrace: Operation not permitted.") */
	g_strstrip(said->str);
	const char *last = strrchr(said->str, '\n');
	g_autofree char *why = g_strdup(last ? last + 1 : said->str);
	for (char *ch = why; *ch; ch++)
		if ((unsigned char)*ch < 0x20 || (unsigned char)*ch >= 0x7f)
			*ch = '?';
	return g_strdup_printf("; no core dump: gcore failed (%s)",
	                       why[0] ? why : (err ? err->message : "no core written"));
}

char *debug_at_fault(pid_t pid, const char *name, uint64_t fault_ip, gboolean symbolize,
                     const char *core_dir)
{
	/* the core first: where it went must fit in the report line, the backtrace shrinks */
	g_autofree char *core = core_dir ? dump_core(pid, name, core_dir) : g_strdup("");
	g_autofree char *where = NULL;
	if (symbolize) {
		g_autoptr(GPtrArray) frames = symbolize_process(pid, fault_ip, FAULT_FRAMES, NULL);
		gsize room =
		    strlen(core) + 80 < FAULT_TEXT_MAX ? FAULT_TEXT_MAX - strlen(core) : 80;
		if (frames)
			where = symbolize_describe(frames, room);
	}
	/* a tracer that died with the process stopped by its attach leaves it stopped */
	kill(pid, SIGCONT);
	return g_strconcat(where ? where : "", core, NULL);
}

/* Does process |pid| have a tracer? -1 when it is gone (or dead, not yet reaped). */
static int traced(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	g_autofree char *status = NULL;
	if (!g_file_get_contents(path, &status, NULL, NULL))
		return -1;
	const char *state = strstr(status, "\nState:");
	char c = state ? state[7 + strspn(state + 7, " \t")] : '\0';
	if (c == 'Z' || c == 'X')
		return -1;
	const char *t = strstr(status, "\nTracerPid:");
	return t && atoi(t + strlen("\nTracerPid:")) > 0;
}

void debug_wait_for_debugger(pid_t pid, const char *name, FILE *out, volatile sig_atomic_t *stop)
{
	fprintf(out,
	        "sentry-sim: task '%s' is held before its entry (process %d); attach a "
	        "debugger to go on:\n"
	        "sentry-sim:   gdb -iex 'set sysroot /' -p %d\n"
	        "sentry-sim: virtual time stands still while it is stopped, and its watchdog is "
	        "off\n",
	        name, (int)pid, (int)pid);
	fflush(out);
	while (!*stop) {
		int t = traced(pid);
		if (t != 0)
			return;
		g_usleep(DEBUGGER_POLL_MS * 1000);
	}
}
