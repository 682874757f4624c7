/*
 * forksrv.c: fork servers, so that a task process costs a clone instead of two execs, the
 * dynamic loader and the C library's start (docs/architecture.md, "Fork servers").
 *
 * A server is a process of the task binary started as any task process (the confinement
 * helper, its namespaces and root) but with the boundary's server variant (sandbox.h) and
 * a page that says "fork server" (uapi/src/wire.h): its runtime stops at the very top of
 * its boot and clones itself once per request of the daemon. Everything that runs in it
 * before that point (a .preinit_array, a library's constructor) is the task's code, so
 * neither the server nor an instance is trusted; the daemon keeps the boundary thus:
 * - the variant hands the daemon every signal (kill, tkill, tgkill, rt_*sigqueueinfo): it
 *   lets one through only to the caller itself (its pid as it sees it, /proc NSpid), and
 *   refuses the rest as the boundary does;
 * - a clone (any process creation) is the daemon's to allow: only from the server, only
 *   with exactly CLONE_PARENT | SIGCHLD, only once per request. CLONE_PARENT makes each
 *   instance the daemon's own child, as a spawned process is (wait statuses, pidfds);
 * - between requests the server is stopped (SIGSTOP): it runs no code of its own;
 * - an instance gets nothing until it has said hello (kill(0, 0)) and the daemon, while it
 *   waits in that call, has seen it hold no descriptor and no shared mapping (so nothing
 *   of the server's or of another instance's reaches it), run one thread, be its own
 *   child with the server's filters; it is then put in a process group of its own and
 *   given its window socket with the listener's SECCOMP_IOCTL_NOTIF_ADDFD and, over that
 *   socket, its page, doorbell and stderr (never through the server, which could keep
 *   them), and the fidelity program patched for its pid in its boot area;
 * - a server that fails any of this (a refused call, no fork, an instance that fails the
 *   checks) is killed and not used again: its binary's tasks start with fork and exec,
 *   which diagnoses the same code as it does today. The daemon says so once on stderr.
 * Refused calls of every instance reach the daemon on the server's one listener; the
 * task's owner polls it (forksrv_poll) while it waits for its task, and each refusal is
 * routed to the instance's owner by pid.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "sim/errors.h"
#include "sim/host/confine.h"
#include "sim/host/confine_fds.h"
#include "sim/host/fd.h"
#include "sim/host/forksrv.h"
#include "sim/host/sandbox.h"

#define CTL_SIZE (SENTRY_BOOT_OFFSET + SENTRY_BOOT_SIZE) /* what the runtime maps of fd 3 */
#define READY_MS 5000 /* a new server reaches its fork point within this */
#define HELLO_MS 5000 /* a server forks and its instance says hello within this */

G_STATIC_ASSERT(SENTRY_FORKSRV_CLONE == (CLONE_PARENT | SIGCHLD));

typedef struct {
	pid_t nspid; /* its pid as it sees itself */
	ForksrvRefused refused;
	void *data;
} Instance;

/* An instance that passed the checks in its hello, ready for the next task process: its
 * window socket is in place already (the daemon keeps the other end), the rest it gets
 * when taken (forksrv_fork). */
typedef struct {
	pid_t pid;
	pid_t nspid;
	int pidfd;
	int sock; /* the daemon's end of its window socket */
	struct seccomp_notif hello;
} Spare;

struct forksrv {
	char *binary, *name;
	guint64 root_id; /* its binary's root (confine.h): a new root needs a new server */
	pid_t pid;       /* the server, as the daemon sees it */
	pid_t nspid;     /* as it sees itself */
	int pidfd;
	int listener; /* the server variant's notifications: the server and every instance */
	struct sentry_page *ctl;
	char filters[16]; /* its Seccomp_filters line: each instance must have the same */
	gboolean broken;
	char *why;        /* why it serves no more */
	gboolean forking; /* a fork was asked for; its instance has not been checked yet */
	gboolean pending; /* a fork was asked for: its clone may go through once */
	pid_t hello_pid;  /* the new instance, once it said hello */
	struct seccomp_notif hello;
	Spare spare; /* the next instance, checked and waiting in its hello; pid 0: none */
	GHashTable *instances; /* pid -> Instance */
	cpu_set_t cpus;        /* where it runs (|want_cpus|), and whether it does (|pinned|) */
	gboolean want_cpus, pinned;
	guint epoch; /* forksrv_epoch() when its binary's files were last compared */
};

static GHashTable *servers; /* "binary\nname" -> ForkServer, for the daemon's life */
static guint epoch;         /* forksrv_epoch(): each run compares the servers' files once */
static gboolean due;        /* a spare may be on its way (forksrv_due) */

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void signal_pidfd(int pidfd, int sig)
{
	if (pidfd >= 0)
		syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* Kill |pidfd|'s process and reap it. */
static void kill_reap(int pidfd)
{
	signal_pidfd(pidfd, SIGKILL);
	if (pidfd >= 0)
		waitid(P_PIDFD, (id_t)pidfd, &(siginfo_t){0}, WEXITED);
}

/* The spare is not to be used: it goes. */
static void kill_spare(ForkServer *s)
{
	if (!s->spare.pid)
		return;
	kill_reap(s->spare.pidfd);
	sim_close_fd(&s->spare.pidfd);
	sim_close_fd(&s->spare.sock);
	s->spare.pid = 0;
}

/* The server serves no more: kill it (its listener stays, for its instances' calls). */
static void retire(ForkServer *s, char *why)
{
	if (s->broken) {
		g_free(why);
		return;
	}
	s->broken = TRUE;
	s->why = why;
	signal_pidfd(s->pidfd, SIGKILL);
	if (s->pidfd >= 0)
		waitid(P_PIDFD, (id_t)s->pidfd, &(siginfo_t){0}, WEXITED);
	kill_spare(s);
}

/* The server failed: retire it and say why, once. */
static void drop(ForkServer *s, char *why)
{
	if (s->broken) {
		g_free(why);
		return;
	}
	retire(s, why);
	g_printerr("sentry-sim: the fork server of '%s' (task '%s') is not used: %s; its "
	           "tasks start with fork and exec\n",
	           s->binary, s->name, why);
}

/* A field of /proc/PID/status ("NSpid:"): its value, or NULL. */
static char *status_field(const char *status, const char *field)
{
	const char *at = strstr(status, field);
	if (!at)
		return NULL;
	at += strlen(field);
	const char *end = strchr(at, '\n');
	return g_strstrip(g_strndup(at, end ? (gsize)(end - at) : strlen(at)));
}

/* The last number of the NSpid field: the pid as the process sees itself, or -1. */
static pid_t inner_pid(const char *status)
{
	g_autofree char *v = status_field(status, "NSpid:");
	const char *last = v ? strrchr(v, '\t') : NULL;
	last = last ? last + 1 : v;
	return last && *last ? (pid_t)atoi(last) : -1;
}

/* /proc/PID/WHAT, whole, or NULL: plain reads (a task start makes a few). */
static char *read_proc(pid_t pid, const char *what)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	sim_autofd int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	gsize len = 0, size = 4096;
	char *text = g_malloc(size);
	ssize_t n;
	while ((n = read(fd, text + len, size - len - 1)) > 0) {
		len += (gsize)n;
		if (size - len < 1024)
			text = g_realloc(text, size *= 2);
	}
	if (n < 0) {
		g_free(text);
		return NULL;
	}
	text[len] = '\0';
	return text;
}

static char *read_status(pid_t pid)
{
	return read_proc(pid, "status");
}

static void answer(ForkServer *s, uint64_t id, int err, gboolean go_on)
{
	struct seccomp_notif_resp r = {.id = id,
	                               .error = err ? -err : 0,
	                               .flags = go_on ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0};
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

static gboolean is_signal(int nr)
{
	return nr == SYS_kill || nr == SYS_tkill || nr == SYS_tgkill || nr == SYS_rt_sigqueueinfo ||
	       nr == SYS_rt_tgsigqueueinfo;
}

static char *call_name(const struct seccomp_notif *req)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, req->data.nr);
	char *d = g_strdup_printf("'%s' (%d)", name ? name : "?", req->data.nr);
	free(name);
	return d;
}

/* One notification: answer it, or keep it as the pending instance's hello. */
static void dispatch(ForkServer *s, const struct seccomp_notif *req)
{
	int nr = req->data.nr;
	pid_t target = (pid_t)(int32_t)req->data.args[0];
	if ((pid_t)req->pid == s->pid) {
		if (nr == SYS_clone && s->pending && req->data.args[0] == SENTRY_FORKSRV_CLONE) {
			s->pending = FALSE;
			answer(s, req->id, 0, TRUE);
		} else if (is_signal(nr) && target == s->nspid) {
			answer(s, req->id, 0, TRUE);
		} else {
			answer(s, req->id, EPERM, FALSE);
			g_autofree char *call = call_name(req);
			drop(s, g_strdup_printf("the boundary refused host system call %s to the "
			                        "server (before its fork point, or not asked for)",
			                        call));
		}
		return;
	}
	Instance *in = g_hash_table_lookup(s->instances, GINT_TO_POINTER(req->pid));
	if (in && is_signal(nr) && target == in->nspid) {
		answer(s, req->id, 0, TRUE);
		return;
	}
	if (in) {
		answer(s, req->id, EPERM, FALSE);
		g_autofree char *call = call_name(req);
		if (in->refused) /* not killed already (forksrv_orphan) */
			in->refused(in->data, call);
		return;
	}
	if (s->forking && !s->pending && !s->hello_pid && nr == SYS_kill &&
	    req->data.args[0] == 0 && req->data.args[1] == 0) {
		s->hello_pid = (pid_t)req->pid; /* checked by check_hello */
		s->hello = *req;
		return;
	}
	/* a process under the server's boundary that is neither: the new instance, before
	 * its hello; there is no other (every clone is the daemon's) */
	answer(s, req->id, EPERM, FALSE);
	sim_autofd int fd = (int)syscall(SYS_pidfd_open, (pid_t)req->pid, 0);
	kill_reap(fd);
	g_autofree char *call = call_name(req);
	drop(s, g_strdup_printf("its instance made host system call %s before its hello", call));
}

/* Take one notification within |ms| (0: only one already there). */
static gboolean next_notification(ForkServer *s, int ms, struct seccomp_notif *req)
{
	struct pollfd pfd = {.fd = s->listener, .events = POLLIN};
	if (poll(&pfd, 1, ms) != 1 || !(pfd.revents & POLLIN))
		return FALSE;
	memset(req, 0, sizeof(*req));
	return ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, req) == 0;
}

void forksrv_poll(ForkServer *s)
{
	struct seccomp_notif req;
	for (int i = 0; i < 64 && next_notification(s, 0, &req); i++)
		dispatch(s, &req);
}

void forksrv_orphan(ForkServer *s, pid_t pid)
{
	Instance *in = g_hash_table_lookup(s->instances, GINT_TO_POINTER(pid));
	if (in)
		in->refused = NULL;
}

void forksrv_forget(ForkServer *s, pid_t pid)
{
	g_hash_table_remove(s->instances, GINT_TO_POINTER(pid));
}

/* Is the server dead? (it exited or was killed) */
static gboolean server_gone(ForkServer *s)
{
	siginfo_t si = {0};
	return waitid(P_PIDFD, (id_t)s->pidfd, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       si.si_pid != 0;
}

/* Start the helper in server mode with the server's descriptors (confine_fds.h): no
 * stderr (what it would say there, its tasks started with fork and exec say again). */
static pid_t spawn_server(const ConfineStart *cs, const char *name, int page, int sock, char **envp)
{
	const int fds[CONFINE_FD_POLICY] = {-1, -1, -1, page, sock, -1};
	return confine_spawn(cs, fds, name, "server", envp);
}

/* Wait until the new server waits at its fork point; FALSE (and dropped) if it does not. */
static gboolean await_ready(ForkServer *s)
{
	uint64_t until = mono_ms() + READY_MS;
	while (__atomic_load_n(&s->ctl->resp_seq, __ATOMIC_ACQUIRE) != 1 && !s->broken) {
		if (server_gone(s) || mono_ms() > until) {
			/* what it wrote is the task's: its tasks, started with fork and exec,
			 * will show it as such (quoted) if they write it again */
			drop(s,
			     g_strdup_printf("it %s before its fork point",
			                     server_gone(s) ? "ended" : "did not arrive in time"));
			return FALSE;
		}
		forksrv_poll(s);
		struct timespec ts = {0, 5 * 1000 * 1000};
		syscall(SYS_futex, &s->ctl->resp_seq, FUTEX_WAIT, 0, &ts, NULL, 0);
	}
	return !s->broken;
}

static ForkServer *server_start(const char *binary, const char *name, char **envp)
{
	ForkServer *s = g_new0(ForkServer, 1);
	s->binary = g_strdup(binary);
	s->name = g_strdup(name);
	s->pidfd = -1;
	s->listener = -1;
	s->instances = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	g_autoptr(GError) error = NULL;
	ConfineStart cs;
	sim_autofd int page = memfd_create("sentry-forksrv", MFD_CLOEXEC);
	sim_autofd int sock_d = -1, sock_t = -1;
	int sv[2];
	if (!confine_prepare(binary, NULL, &cs, &error) || page < 0 ||
	    ftruncate(page, CTL_SIZE) != 0 ||
	    (s->ctl = mmap(NULL, CTL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, page, 0)) ==
	        MAP_FAILED ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		s->ctl = NULL;
		drop(s, g_strdup_printf("cannot prepare it: %s",
		                        error ? error->message : g_strerror(errno)));
		return s;
	}
	sock_d = sv[0];
	sock_t = sv[1];
	s->root_id = cs.root_id;
	s->ctl->magic = SENTRY_FORKSRV_MAGIC;
	s->pid = spawn_server(&cs, name, page, sock_t, envp);
	s->pidfd = s->pid > 0 ? (int)syscall(SYS_pidfd_open, s->pid, 0) : -1;
	if (s->pidfd < 0) {
		drop(s, g_strdup_printf("cannot start it: %s", g_strerror(errno)));
		return s;
	}
	s->listener = confine_first_exec(sock_d, &error);
	if (s->listener < 0) {
		drop(s, g_strdup_printf("%s", error->message));
		return s;
	}
	if (!await_ready(s))
		return s;
	g_autofree char *status = read_status(s->pid);
	g_autofree char *filters = status ? status_field(status, "Seccomp_filters:") : NULL;
	s->nspid = status ? inner_pid(status) : -1;
	if (s->nspid <= 0 || !filters) {
		drop(s, g_strdup("cannot read its /proc status"));
		return s;
	}
	g_strlcpy(s->filters, filters, sizeof(s->filters));
	signal_pidfd(s->pidfd, SIGSTOP); /* no code of its own between requests */
	return s;
}

/* The daemon ends: its servers and their spares go with it (not left to whoever adopts
 * them). */
static void end_servers(void)
{
	GHashTableIter it;
	ForkServer *s;
	g_hash_table_iter_init(&it, servers);
	while (g_hash_table_iter_next(&it, NULL, (gpointer *)&s))
		retire(s, g_strdup("the daemon ended"));
}

ForkServer *forksrv_get(const char *binary, const char *name, char **envp, GError **error)
{
	if (!servers) {
		servers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		atexit(end_servers);
	}
	g_autofree char *key = g_strdup_printf("%s\n%s", binary, name);
	ForkServer *s = g_hash_table_lookup(servers, key);
	ConfineStart cs;
	if (s && !s->broken && s->epoch != epoch &&
	    (!confine_prepare(binary, NULL, &cs, NULL) || cs.root_id != s->root_id)) {
		/* the binary or a library changed on disk: a new server (this one is kept,
		 * stopped for good, for the instances it has) */
		retire(s, g_strdup("a file of its binary changed"));
		s = NULL;
	}
	if (!s) {
		s = server_start(binary, name, envp);
		g_hash_table_replace(servers, g_steal_pointer(&key), s);
	}
	if (s->broken) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK, "no fork server: %s", s->why);
		return NULL;
	}
	s->epoch = epoch;
	return s;
}

void forksrv_epoch(void)
{
	epoch++;
}

/* Why the instance |pid|, waiting in its hello, must not be given anything; NULL if it
 * may. Its state cannot change meanwhile: it is in the call, with one thread. */
static char *refuse_instance(ForkServer *s, pid_t pid, pid_t *nspid)
{
	g_autofree char *status = read_status(pid);
	if (!status)
		return g_strdup("cannot read its /proc status");
	g_autofree char *ppid = status_field(status, "PPid:");
	g_autofree char *threads = status_field(status, "Threads:");
	g_autofree char *filters = status_field(status, "Seccomp_filters:");
	*nspid = inner_pid(status);
	if (!ppid || atoi(ppid) != getpid())
		return g_strdup("it is not the daemon's child");
	if (!threads || strcmp(threads, "1") != 0)
		return g_strdup_printf("it runs %s threads", threads ? threads : "?");
	if (!filters || strcmp(filters, s->filters) != 0)
		return g_strdup_printf("it has %s seccomp filters, the server %s",
		                       filters ? filters : "?", s->filters);
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (!d)
		return g_strdup("cannot list its descriptors");
	const char *fd = g_dir_read_name(d);
	if (fd) {
		g_autofree char *path = g_build_filename(dir, fd, NULL);
		g_autofree char *to = g_file_read_link(path, NULL);
		return g_strdup_printf("it holds descriptor %s (%s) from before the fork point", fd,
		                       to ? to : "?");
	}
	g_autofree char *text = read_proc(pid, "maps");
	if (!text)
		return g_strdup("cannot read its mappings");
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		const char *perms = strchr(line, ' ');
		if (perms && strlen(perms) > 4 && perms[4] == 's')
			return g_strdup_printf("it holds a shared mapping from before the fork "
			                       "point: %s",
			                       line);
		line = end ? end + 1 : NULL;
	}
	if (setpgid(pid, pid) != 0)
		return g_strdup_printf("cannot give it a process group: %s", g_strerror(errno));
	return NULL;
}

/* Give the spare in its hello its window socket at 4 with the listener: the call waits
 * for the instance to take it (two wake-ups), which is why a spare gets it ahead of time.
 * The daemon's end in |*sock_d|. Handled signals are held meanwhile: an interrupted call
 * is one the instance may or may not have seen. */
static gboolean give_socket(ForkServer *s, const struct seccomp_notif *hello, int *sock_d)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return FALSE;
	sim_autofd int task_end = sv[1];
	*sock_d = sv[0];
	struct seccomp_notif_addfd add = {.id = hello->id,
	                                  .flags = SECCOMP_ADDFD_FLAG_SETFD,
	                                  .srcfd = (uint32_t)task_end,
	                                  .newfd = SENTRY_WINDOW_SOCK_FD};
	sigset_t hold, old;
	sigemptyset(&hold);
	sigaddset(&hold, SIGCHLD);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigprocmask(SIG_BLOCK, &hold, &old);
	int got = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (got == SENTRY_WINDOW_SOCK_FD)
		return TRUE;
	sim_close_fd(sock_d);
	return FALSE;
}

/* Ask the server for its next instance and go on: it becomes the spare once it has said
 * hello and passed the checks (collect). */
static void request_fork(ForkServer *s)
{
	if (s->broken || s->forking || s->spare.pid)
		return;
	if (s->want_cpus && !s->pinned) /* the tasks' CPU: spawned by the daemon, it was on
	                                    the daemon's */
		s->pinned = sched_setaffinity(s->pid, sizeof(s->cpus), &s->cpus) == 0;
	s->forking = TRUE;
	s->pending = TRUE;
	s->hello_pid = 0;
	due = TRUE;
	signal_pidfd(s->pidfd, SIGCONT);
	__atomic_add_fetch(&s->ctl->req_seq, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &s->ctl->req_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* The instance asked for has said hello: the server stops again, and the instance is
 * checked and given its window socket. It becomes the spare, or the server is dropped. */
static void check_hello(ForkServer *s)
{
	s->forking = FALSE;
	signal_pidfd(s->pidfd, SIGSTOP); /* no code of its own between requests */
	pid_t pid = s->hello_pid;
	s->hello_pid = 0;
	sim_autofd int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	pid_t nspid = -1;
	int sock_d = -1;
	g_autofree char *why = NULL;
	if (fd < 0 || ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &s->hello.id) != 0)
		why = g_strdup("it ended in its hello");
	else
		why = refuse_instance(s, pid, &nspid);
	if (!why && !give_socket(s, &s->hello, &sock_d))
		why = g_strdup_printf("cannot give it its window socket: %s", g_strerror(errno));
	if (why) {
		answer(s, s->hello.id, EPERM, FALSE);
		kill_reap(fd);
		drop(s, g_strdup_printf("an instance was refused: %s", why));
		return;
	}
	s->spare = (Spare){.pid = pid,
	                   .nspid = nspid,
	                   .pidfd = sim_steal_fd(&fd),
	                   .sock = sock_d,
	                   .hello = s->hello};
}

/* Answer what the listener has, and check the instance asked for once it has said hello
 * (unless |!check|: it is only noted); with |ms|, wait until it has (at most |ms|: then the
 * server is dropped). */
static void collect(ForkServer *s, int ms, gboolean check)
{
	uint64_t until = mono_ms() + (uint64_t)ms;
	struct seccomp_notif req;
	for (;;) {
		if (s->forking && s->hello_pid) {
			if (check)
				check_hello(s);
			return;
		}
		if (s->broken || (ms && !s->forking))
			return;
		uint64_t now = mono_ms();
		if (ms && (now > until || server_gone(s))) {
			drop(s, g_strdup_printf("%s within %d ms",
			                        s->pending ? "it did not fork"
			                                   : "its instance did not say hello",
			                        ms));
			return;
		}
		if (next_notification(s, ms ? (int)(until - now) : 0, &req))
			dispatch(s, &req);
		else if (!ms)
			return;
	}
}

gboolean forksrv_background(gboolean check)
{
	GHashTableIter it;
	ForkServer *s;
	if (!due)
		return FALSE;
	due = FALSE;
	g_hash_table_iter_init(&it, servers);
	while (g_hash_table_iter_next(&it, NULL, (gpointer *)&s))
		if (s->forking && !s->broken) {
			collect(s, 0, check);
			due |= s->forking && !s->broken;
		}
	return due;
}

gboolean forksrv_due(void)
{
	return due;
}

/* Hand the spare its page, doorbell and stderr over its window socket (its runtime puts
 * them at 0-3 and 5: wire.h), then answer its hello; it is the caller's from then on. */
static gboolean give_rest(ForkServer *s, const Spare *sp, const int fds[3])
{
	static int devnull = -1;
	if (devnull < 0)
		devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		return FALSE;
	const int rest[SENTRY_FORKSRV_FDS] = {devnull, devnull, fds[0], fds[1], fds[2]};
	if (!sim_send_fds(sp->sock, rest, SENTRY_FORKSRV_FDS))
		return FALSE;
	struct seccomp_notif_resp r = {.id = sp->hello.id};
	return ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &r) == 0;
}

pid_t forksrv_fork(ForkServer *s, const int fds[3], struct sentry_boot *boot, const cpu_set_t *cpus,
                   ForksrvRefused refused, void *data, int *pidfd, int *sock, GError **error)
{
	const struct sock_filter *prog;
	size_t n;
	const char *err = NULL;
	if (!sandbox_program(SANDBOX_FIDELITY, &prog, &n, &err) || n > SENTRY_BOOT_MAX_INSNS) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "%s", err ? err : "too long");
		return -1;
	}
	if (cpus && (!s->want_cpus || !CPU_EQUAL(cpus, &s->cpus))) {
		s->cpus = *cpus;
		s->want_cpus = TRUE;
		s->pinned = FALSE;
	}
	if (!s->spare.pid) { /* none ready: ask for one (if not asked yet) and wait for it */
		request_fork(s);
		collect(s, HELLO_MS, TRUE);
	}
	if (s->broken || !s->spare.pid) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK, "no fork server: %s",
		            s->why ? s->why : "no instance");
		return -1;
	}
	Spare sp = s->spare;
	s->spare.pid = 0;
	memcpy(boot->filter, prog, n * sizeof(*prog));
	sandbox_patch_self(boot->filter, n, (unsigned)sp.nspid);
	boot->n_insns = (uint32_t)n;
	Instance *in = g_new0(Instance, 1);
	in->nspid = sp.nspid;
	in->refused = refused;
	in->data = data;
	g_hash_table_insert(s->instances, GINT_TO_POINTER(sp.pid), in);
	if (!give_rest(s, &sp, fds)) {
		g_autofree char *why =
		    g_strdup_printf("cannot give it its descriptors: %s", g_strerror(errno));
		g_hash_table_remove(s->instances, GINT_TO_POINTER(sp.pid));
		kill_reap(sp.pidfd);
		close(sp.pidfd);
		close(sp.sock);
		drop(s, g_strdup_printf("an instance was refused: %s", why));
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK, "no fork server: %s", s->why);
		return -1;
	}
	request_fork(s); /* the next one, while this one runs */
	*pidfd = sp.pidfd;
	*sock = sp.sock;
	return sp.pid;
}
