/*
 * hostile: the attacks of the hostile suite (tests/hostile/run.sh), one per task name (the
 * daemon passes the [task NAME] as argv[0]). An attack named pre_* runs from the
 * executable's .preinit_array, before any library initialiser and so before the task
 * runtime boots; the others run from main, inside both layers. An attack that the boundary
 * refuses never returns (the daemon names the call and kills the task); one that fails
 * with an error returns "held: <what>: <error>"; one that succeeds returns "ESCAPED: ...".
 * main logs the result through the gate, which the suite checks.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <uapi/uapi.h>

#include "uapi/src/wire.h"

#define MARKER "/tmp/sentry-sim-hostile-marker"

static char result[600] = "held: nothing to report";
static struct sentry_page *pg; /* the page, mapped by the task itself (fake gate) */

static void say(const char *fmt, ...)
{
	char line[700];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	size_t off = 0;
	while (off < (size_t)n) { /* the exchange area is smaller than a line */
		size_t k = (size_t)n - off > 128 ? 128 : (size_t)n - off;
		copy_to_kernel((uint8_t *)line + off, k);
		__sys_log(k);
		off += k;
	}
}

/* The result of a call that should have failed. */
static void outcome(const char *what, long rc)
{
	if (rc < 0)
		snprintf(result, sizeof(result), "held: %s: %s", what, strerror(errno));
	else
		snprintf(result, sizeof(result), "ESCAPED: %s returned %ld", what, rc);
}

static void a_create_file(void)
{
	outcome("create " MARKER, open(MARKER, O_CREAT | O_WRONLY, 0644));
}
static void a_write_etc(void)
{
	outcome("open /etc/passwd for writing", open("/etc/passwd", O_WRONLY));
}
static void a_read_etc(void)
{
	outcome("open /etc/passwd", open("/etc/passwd", O_RDONLY));
}
static void a_proc_maps(void)
{
	outcome("open /proc/self/maps", open("/proc/self/maps", O_RDONLY));
}
static void a_proc_cmdline(void)
{
	outcome("open /proc/1/cmdline", open("/proc/1/cmdline", O_RDONLY));
}
static void a_proc_mem(void)
{
	outcome("open /proc/1/mem", open("/proc/1/mem", O_RDWR));
}
static void a_dev_mem(void)
{
	outcome("open /dev/mem", open("/dev/mem", O_RDWR));
}
static void a_mknod(void)
{
	outcome("mkdir /x", mkdir("/x", 0755));
}
static void a_write_lib(void)
{
	outcome("open the C library for writing", open("/lib/x86_64-linux-gnu/libc.so.6", O_RDWR));
}
static void a_exec_sh(void)
{
	char *argv[] = {"sh", "-c", "touch " MARKER, NULL};
	outcome("execve /bin/sh", execve("/bin/sh", argv, environ));
}
static void a_execveat(void)
{
	char *argv[] = {"sh", NULL};
	outcome("execveat /bin/sh", syscall(SYS_execveat, AT_FDCWD, "/bin/sh", argv, environ, 0));
}
static void a_exec_self(void)
{
	char *argv[] = {"again", NULL};
	outcome("execve of itself", execve(program_invocation_name, argv, environ));
}
static void a_fork(void)
{
	outcome("fork", fork());
}
static void a_clone3(void)
{
	struct clone_args ca = {.exit_signal = SIGCHLD};
	outcome("clone3", syscall(SYS_clone3, &ca, sizeof(ca)));
}
static void a_tgkill_init(void)
{
	outcome("tgkill(1, 1, SIGKILL)", syscall(SYS_tgkill, 1, 1, SIGKILL));
}
static void a_kill_all(void)
{
	outcome("kill(-1, SIGKILL)", kill(-1, SIGKILL));
}
static void a_kill_peer(void)
{
	outcome("kill(getpid() - 1, SIGSTOP)", kill(getpid() - 1, SIGSTOP));
}
static void a_tkill(void)
{
	outcome("tkill(1, SIGSTOP)", syscall(SYS_tkill, 1, SIGSTOP));
}
static void a_prlimit(void)
{
	struct rlimit z = {0, 0};
	outcome("prlimit64(1, RLIMIT_FSIZE, 0)", prlimit(1, RLIMIT_FSIZE, &z, NULL));
}
static void a_sigqueue(void)
{
	siginfo_t si = {.si_code = SI_QUEUE};
	outcome("rt_sigqueueinfo(1, SIGSTOP)", syscall(SYS_rt_sigqueueinfo, 1, SIGSTOP, &si));
}
static void a_tgsigqueue(void)
{
	siginfo_t si = {.si_code = SI_QUEUE};
	outcome("rt_tgsigqueueinfo(1, 1, SIGSTOP)",
	        syscall(SYS_rt_tgsigqueueinfo, 1, 1, SIGSTOP, &si));
}
static void a_ptrace(void)
{
	outcome("ptrace attach 1", ptrace(PTRACE_ATTACH, 1, 0, 0));
}
static void a_vm_read(void)
{
	char buf[8];
	struct iovec l = {buf, sizeof(buf)}, r = {(void *)0x400000, sizeof(buf)};
	outcome("process_vm_readv(1)", process_vm_readv(1, &l, 1, &r, 1, 0));
}
static void a_vm_write(void)
{
	char buf[8] = "pwned";
	struct iovec l = {buf, sizeof(buf)}, r = {(void *)0x400000, sizeof(buf)};
	outcome("process_vm_writev(1)", process_vm_writev(1, &l, 1, &r, 1, 0));
}
static void a_pidfd(void)
{
	outcome("pidfd_open(1)", syscall(SYS_pidfd_open, 1, 0));
}
static void a_socket(void)
{
	outcome("socket", socket(AF_INET, SOCK_STREAM, 0));
}
static void a_unshare(void)
{
	outcome("unshare", unshare(CLONE_NEWUSER));
}
static void a_mount(void)
{
	outcome("mount tmpfs", mount("t", "/", "tmpfs", 0, NULL));
}
static void a_remount(void)
{
	outcome("remount / read-write", mount(NULL, "/", NULL, MS_REMOUNT, NULL));
}
static void a_chroot(void)
{
	outcome("chroot", chroot("/"));
}
static void a_personality(void)
{
	outcome("personality", personality(PER_LINUX));
}
static void a_bpf(void)
{
	outcome("bpf", syscall(SYS_bpf, 0, NULL, 0));
}
static void a_io_uring(void)
{
	outcome("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL));
}
static void a_keyctl(void)
{
	outcome("keyctl", syscall(SYS_keyctl, 0, 0, 0, 0, 0));
}
static void a_setns(void)
{
	outcome("setns", syscall(SYS_setns, 0, 0));
}
static void a_renice_peer(void)
{
	outcome("setpriority of a peer", setpriority(PRIO_PROCESS, (id_t)getpid() - 1, 19));
}
static void a_renice_user(void)
{
	outcome("setpriority of its user", setpriority(PRIO_USER, 0, 19));
}
static void a_pin_peer(void)
{
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	outcome("sched_setaffinity of a peer", sched_setaffinity(getpid() - 1, sizeof(one), &one));
}

/* What the root holds: only the binary, the loader, the libraries and the cache. */
static void a_list_root(void)
{
	DIR *d = opendir("/");
	if (!d) {
		outcome("opendir /", -1);
		return;
	}
	char names[400] = "";
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strlen(names) + strlen(e->d_name) + 2 < sizeof(names)) {
			strcat(names, " ");
			strcat(names, e->d_name);
		}
	snprintf(result, sizeof(result), "held: the root holds:%s", names);
}

static void a_caps(void)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];
	syscall(SYS_capget, &h, d);
	snprintf(result, sizeof(result), "held: capabilities %x %x %x, no_new_privs %d",
	         d[0].effective | d[1].effective, d[0].permitted | d[1].permitted,
	         d[0].inheritable | d[1].inheritable, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

/* The confinement helper's descriptors (its programs, the namespaces) are closed before the
 * task's exec: nothing but fds 0-5 is open at the task's first instruction. */
static void a_helper_fds(void)
{
	for (int fd = SENTRY_DOORBELL_FD + 1; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0) {
			snprintf(result, sizeof(result), "ESCAPED: descriptor %d is open", fd);
			return;
		}
	snprintf(result, sizeof(result), "held: no descriptor above %d", SENTRY_DOORBELL_FD);
}

/* System V shared memory: the tasks of one binary share an IPC namespace. */
static void a_sysv_shm(void)
{
	outcome("shmget", syscall(SYS_shmget, 0x5e17, 4096, 01666));
}
static void a_mq_open(void)
{
	outcome("mq_open", syscall(SYS_mq_open, "q", O_CREAT | O_RDWR, 0600, NULL));
}

static void a_ppid(void)
{
	snprintf(result, sizeof(result), "held: parent pid %d (the daemon is not visible)",
	         getppid());
}

/* The task writes its own words on the page and leaves with status 127, the status of a
 * failed start: the daemon must quote them as the task's. */
static void a_forge_127(void)
{
	struct sentry_page *p =
	    mmap(NULL, SENTRY_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, SENTRY_PAGE_FD, 0);
	if (p != MAP_FAILED)
		snprintf(p->message, sizeof(p->message),
		         "ok\nsentry-sim: task 'survivor': fault: forged by hostile\033[2J");
	_exit(127);
}

/* Escape bytes and a forged daemon line on stderr, then a crash. */
static void a_stderr_esc(void)
{
	static const char text[] =
	    "\033[2J\nsentry-sim: task 'survivor': fault: forged on stderr\n";
	write(2, text, sizeof(text) - 1);
	*(volatile int *)0 = 1;
}

static void a_crash(void)
{
	*(volatile int *)0 = 1;
}
static void a_exit(void)
{
	_exit(5);
}

/* Install its own SIGSYS handler that returns, hoping to survive the fidelity trap. */
static void on_sigsys(int sig)
{
	(void)sig;
}
static void a_sigsys_handler(void)
{
	signal(SIGSYS, on_sigsys);
}

/* The host CPU number, before the runtime: the boundary makes rseq and getcpu fail as if
 * the kernel had neither (glibc's own rseq registration has failed the same way). */
static void a_rseq(void)
{
	static struct {
		uint32_t cpu_id_start, cpu_id;
		uint64_t rseq_cs;
		uint32_t flags, node_id, mm_cid, pad;
	} __attribute__((aligned(32))) area;
	outcome("rseq", syscall(SYS_rseq, &area, sizeof(area), 0, 0x53053053));
}

static void a_getcpu(void)
{
	unsigned cpu = 0, node = 0;
	outcome("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
}

/* Map the page for the fake gate (before the runtime closes fd 3). */
static void a_grab_page(void)
{
	void *p =
	    mmap(NULL, SENTRY_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, SENTRY_PAGE_FD, 0);
	pg = p == MAP_FAILED ? NULL : p;
}

static int page_fd = -1; /* mem_remap: a descriptor of the page kept past the runtime's boot */

static void a_keep_page_fd(void)
{
	a_grab_page();
	page_fd = dup(SENTRY_PAGE_FD);
}

/* A fork server done by the task's own code before the runtime's (the protocol of
 * uapi/src/wire.h), |how| its instance misbehaves: it keeps what the runtime's would not,
 * a pipe or a shared mapping made before the fork point, and says hello (the daemon must
 * refuse it); or it says hello as it should and then, before the runtime's boot (no
 * fidelity check yet), forks or kills the server (the boundary must refuse that). */
enum { KEEP_PIPE, KEEP_SHARED, THEN_FORK, THEN_KILL, LATER_PIPE };
static int clean_instance; /* LATER_PIPE: this process is an instance that passed */

static int take_fds(int *fds, int max);

/* An instance that holds nothing takes its descriptors as the runtime's fork point does
 * (wire.h), so that the runtime then boots it as any instance. */
static void take_instance_fds(void)
{
	int fds[SENTRY_FORKSRV_FDS];
	static const int at[SENTRY_FORKSRV_FDS] = {0, 1, 2, SENTRY_PAGE_FD, SENTRY_DOORBELL_FD};
	if (take_fds(fds, SENTRY_FORKSRV_FDS) != SENTRY_FORKSRV_FDS)
		_exit(127);
	for (int i = 0; i < SENTRY_FORKSRV_FDS; i++)
		if (fds[i] != at[i] && (dup2(fds[i], at[i]) != at[i] || close(fds[i]) != 0))
			_exit(127);
	clean_instance = 1;
}

static void fake_server(int how)
{
	struct sentry_page *ctl =
	    mmap(NULL, SENTRY_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, SENTRY_PAGE_FD, 0);
	if (ctl == MAP_FAILED || ctl->magic != SENTRY_FORKSRV_MAGIC) {
		if (ctl != MAP_FAILED)
			munmap(ctl, SENTRY_PAGE_SIZE);
		snprintf(result, sizeof(result), "held: started with fork and exec");
		return;
	}
	int fds[2] = {-1, -1};
	char *shared = NULL;
	if (how == KEEP_PIPE)
		pipe(fds);
	if (how == KEEP_SHARED)
		strcpy(shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		                     -1, 0),
		       "the server's words");
	pid_t server = getpid();
	__atomic_store_n(&ctl->resp_seq, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &ctl->resp_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	for (uint32_t seen = 0;;) {
		uint32_t want = __atomic_load_n(&ctl->req_seq, __ATOMIC_ACQUIRE);
		if (want == seen) {
			syscall(SYS_futex, &ctl->req_seq, FUTEX_WAIT, seen, NULL, NULL, 0);
			continue;
		}
		seen = want;
		if (syscall(SYS_clone, SENTRY_FORKSRV_CLONE, 0, 0, 0, 0) == 0)
			break;
		if (how == LATER_PIPE && fds[0] < 0)
			pipe(fds); /* every instance after the first holds it */
	}
	munmap(ctl, SENTRY_PAGE_SIZE);
	for (int fd = 0; fd < 64; fd++)
		if (fd != fds[0] && fd != fds[1])
			close(fd);
	if (syscall(SYS_kill, 0, 0) != 0)
		_exit(127);
	if (how == LATER_PIPE && fds[0] < 0)
		take_instance_fds();
	else if (how == KEEP_PIPE || how == KEEP_SHARED || how == LATER_PIPE)
		snprintf(result, sizeof(result), "ESCAPED: an instance kept %s",
		         how == KEEP_SHARED ? "a shared mapping" : "a pipe");
	else if (how == THEN_FORK)
		a_fork();
	else
		outcome("kill(the server, SIGKILL)", kill(server, SIGKILL));
}
static void a_srv_pipe(void)
{
	fake_server(KEEP_PIPE);
}
static void a_srv_shared(void)
{
	fake_server(KEEP_SHARED);
}
static void a_srv_fork(void)
{
	fake_server(THEN_FORK);
}
static void a_srv_kill(void)
{
	fake_server(THEN_KILL);
}
static void a_srv_later(void)
{
	fake_server(LATER_PIPE);
}

static pid_t pid_at_start; /* getpid() before the runtime (a fork server's, for an instance) */
static void a_fresh(void)
{
	pid_at_start = getpid();
}

static const struct {
	const char *name;
	void (*fn)(void);
} pre[] = {
    {"pre_create_file", a_create_file},
    {"pre_write_etc", a_write_etc},
    {"pre_read_etc", a_read_etc},
    {"pre_proc_maps", a_proc_maps},
    {"pre_proc_cmdline", a_proc_cmdline},
    {"pre_proc_mem", a_proc_mem},
    {"pre_dev_mem", a_dev_mem},
    {"pre_mkdir", a_mknod},
    {"pre_write_lib", a_write_lib},
    {"pre_exec_sh", a_exec_sh},
    {"pre_execveat", a_execveat},
    {"pre_exec_self", a_exec_self},
    {"pre_fork", a_fork},
    {"pre_clone3", a_clone3},
    {"pre_tgkill", a_tgkill_init},
    {"pre_kill_all", a_kill_all},
    {"pre_kill_peer", a_kill_peer},
    {"pre_tkill", a_tkill},
    {"pre_prlimit", a_prlimit},
    {"pre_sigqueue", a_sigqueue},
    {"pre_tgsigqueue", a_tgsigqueue},
    {"pre_ptrace", a_ptrace},
    {"pre_vm_read", a_vm_read},
    {"pre_vm_write", a_vm_write},
    {"pre_pidfd", a_pidfd},
    {"pre_socket", a_socket},
    {"pre_unshare", a_unshare},
    {"pre_mount", a_mount},
    {"pre_remount", a_remount},
    {"pre_chroot", a_chroot},
    {"pre_personality", a_personality},
    {"pre_bpf", a_bpf},
    {"pre_io_uring", a_io_uring},
    {"pre_keyctl", a_keyctl},
    {"pre_setns", a_setns},
    {"pre_list_root", a_list_root},
    {"pre_renice_peer", a_renice_peer},
    {"pre_renice_user", a_renice_user},
    {"pre_pin_peer", a_pin_peer},
    {"pre_caps", a_caps},
    {"pre_ppid", a_ppid},
    {"pre_helper_fds", a_helper_fds},
    {"pre_sysv_shm", a_sysv_shm},
    {"pre_mq_open", a_mq_open},
    {"pre_forge127", a_forge_127},
    {"pre_stderr", a_stderr_esc},
    {"pre_crash", a_crash},
    {"pre_exit", a_exit},
    {"pre_sigsys", a_sigsys_handler},
    {"mem_remap", a_keep_page_fd},
    {"mem_", a_grab_page},
    {"pre_rseq", a_rseq},
    {"pre_getcpu", a_getcpu},
    {"pre_srv_pipe", a_srv_pipe},
    {"pre_srv_shared", a_srv_shared},
    {"pre_srv_fork", a_srv_fork},
    {"pre_srv_kill", a_srv_kill},
    {"pre_srv_later", a_srv_later},
    {"fresh", a_fresh},
};

static void run_pre(int argc, char **argv, char **envp)
{
	(void)envp;
	const char *name = argc > 0 ? argv[0] : "";
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (strncmp(name, pre[i].name, strlen(pre[i].name)) == 0) {
			pre[i].fn();
			return;
		}
}
__attribute__((section(".preinit_array"), used)) static void (*preinit)(int, char **,
                                                                        char **) = run_pre;

/* A gate of the task's own, on the page it mapped: the runtime never sees the reply, so
 * the window descriptors stay on the socket for the task to take (or not). */
static uint32_t fake_gate(uint32_t nr, uint32_t a0)
{
	pg->req_kind = SENTRY_REQ_SYSCALL;
	pg->nr = nr;
	pg->args[0] = a0;
	pg->args[1] = pg->args[2] = 0;
	uint32_t seq = pg->req_seq + 1;
	__atomic_store_n(&pg->req_seq, seq, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &pg->req_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	while (__atomic_load_n(&pg->resp_seq, __ATOMIC_ACQUIRE) != seq)
		sched_yield();
	return pg->r0;
}

static int take_fds(int *fds, int max)
{
	char byte;
	struct iovec iov = {&byte, 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(32 * sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = ctl.buf,
	                     .msg_controllen = sizeof(ctl.buf)};
	if (recvmsg(SENTRY_WINDOW_SOCK_FD, &msg, 0) != 1)
		return 0;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c)
		return 0;
	int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	n = n > max ? max : n;
	memcpy(fds, CMSG_DATA(c), (size_t)n * sizeof(int));
	return n;
}

#define SHM_BUF 0x100

static shmh_t shm_handle(void)
{
	uint32_t h = 0;
	if (__sys_get_shm_handle(SHM_BUF) == STATUS_OK)
		copy_from_kernel((uint8_t *)&h, sizeof(h));
	return h;
}

static taskh_t handle_of(uint32_t label)
{
	taskh_t h = 0;
	__sys_get_process_handle(label);
	copy_from_kernel((uint8_t *)&h, sizeof(h));
	return h;
}

static void nap(uint32_t ms)
{
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = ms};
	__sys_sleep(d, SLEEP_MODE_DEEP);
}

/* The owner of SHM_BUF: writes a secret, lends it read-only to the task labelled 2. */
static int owner(void)
{
	shmh_t shm = shm_handle();
	__sys_shm_set_credential(shm, handle_of(1), SHM_PERMISSION_MAP | SHM_PERMISSION_WRITE);
	__sys_shm_set_credential(shm, handle_of(2), SHM_PERMISSION_MAP | SHM_PERMISSION_READ);
	__sys_map_shm(shm);
	strcpy((char *)0x2000a000, "the owner's words");
	copy_to_kernel((const uint8_t *)"go", 2);
	__sys_send_ipc(handle_of(2), 2);
	for (int i = 1; i <= 3; i++) {
		nap(10);
		say("owner: still running, round %d, SHM reads '%s'\n", i,
		    (const char *)0x2000a000);
	}
	return 0;
}

/* Lent SHM_BUF read-only: map it through the fake gate and keep the descriptor. */
static int mem_keep(void)
{
	__sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER);
	shmh_t shm = shm_handle();
	int fds[32];
	uint32_t st = fake_gate(SYSCALL_MAP_SHM, shm);
	int n = take_fds(fds, 32);
	pg->n_ops = 0;
	say("mapped (%u) and kept %d descriptor(s)\n", st, n);
	say("ESCAPED: still running with a board descriptor\n");
	return 0;
}

/* Lent SHM_BUF read-only: take the descriptor and try to map it writable. */
static int mem_rw(void)
{
	__sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER);
	shmh_t shm = shm_handle();
	int fds[32];
	fake_gate(SYSCALL_MAP_SHM, shm);
	int n = take_fds(fds, 32);
	pg->n_ops = 0;
	void *w =
	    n > 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0) : MAP_FAILED;
	int e = errno;
	const char *seen = "";
	void *r = n > 0 ? mmap(NULL, 4096, PROT_READ, MAP_SHARED, fds[0], 0) : MAP_FAILED;
	if (r != MAP_FAILED)
		seen = (const char *)r;
	for (int i = 0; i < n; i++)
		close(fds[i]);
	if (w != MAP_FAILED)
		say("ESCAPED: a read-only SHM mapped writable\n");
	else
		say("held: %d descriptor(s), writable map: %s; it reads '%s'\n", n, strerror(e),
		    seen);
	return 0;
}

/* Lent SHM_BUF: never drain the window socket. */
static int mem_nodrain(void)
{
	__sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER);
	shmh_t shm = shm_handle();
	fake_gate(SYSCALL_MAP_SHM, shm);
	pg->n_ops = 0;
	fake_gate(SYSCALL_UNMAP_SHM, shm);
	pg->n_ops = 0;
	fake_gate(SYSCALL_MAP_SHM, shm);
	pg->n_ops = 0;
	say("ESCAPED: the daemon queued descriptors for ever\n");
	return 0;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static int det_tsc(void)
{
	uint64_t a = rdtsc();
	nap(5);
	uint64_t b = rdtsc();
	say("tsc %llu then %llu\n", (unsigned long long)a, (unsigned long long)b);
	return 0;
}

/* The CPU number the C library would have from its rseq area: none was registered. */
extern const unsigned int __rseq_size __attribute__((weak));
extern const ptrdiff_t __rseq_offset __attribute__((weak));
static int cpu_rseq(void)
{
	if (!&__rseq_size || __rseq_size == 0) {
		say("held: the C library has no rseq area (size 0)\n");
		return 0;
	}
	const int32_t *cpu_id =
	    (const int32_t *)((const char *)__builtin_thread_pointer() + __rseq_offset + 4);
	say("%s: rseq area of %u bytes, cpu_id %d\n", *cpu_id >= 0 ? "ESCAPED" : "held",
	    __rseq_size, *cpu_id);
	return 0;
}

/* sched_getcpu() and getcpu after the runtime: no rseq area, no vDSO, no system call. */
static int cpu_sched(void)
{
	say("asking the C library for the CPU\n");
	int cpu = sched_getcpu();
	say("%s: sched_getcpu() %d\n", cpu >= 0 ? "ESCAPED" : "held", cpu);
	return 0;
}

static int cpu_getcpu(void)
{
	unsigned cpu = 0;
	long rc = syscall(SYS_getcpu, &cpu, NULL, NULL);
	say("ESCAPED: getcpu returned %ld, CPU %u\n", rc, cpu);
	return 0;
}

/* rdtscp traps with rdtsc: its TSC_AUX (the host's CPU and node) reads 0. */
static int cpu_rdtscp(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi, aux;
	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	say("held: rdtscp TSC_AUX %u\n", aux);
#else
	say("held: rdtscp TSC_AUX 0 (not x86_64)\n");
#endif
	return 0;
}

/* What no trap stops (docs/architecture.md): rdpid reads TSC_AUX, lsl the per-CPU segment
 * limit; the task processes are pinned to one CPU, so both read the same in every run. */
static int det_cpu(void)
{
#if defined(__x86_64__)
	uint32_t a, b, c, d, limit = 0, pid = 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	if (c & (1u << 22)) {
		uint64_t v;
		__asm__ volatile("rdpid %0" : "=r"(v));
		pid = (uint32_t)v;
	}
	__asm__ volatile("lsl %1, %0" : "=r"(limit) : "r"(0x7bu) : "cc");
	say("rdpid %u, lsl %u (the same CPU in every run)\n", pid, limit & 0xfff);
#else
	say("rdpid 0, lsl 0 (not x86_64)\n");
#endif
	return 0;
}

static int det_addr(void)
{
	int here;
	static int data;
	say("stack %p, data %p, code %p, C library %p\n", (void *)&here, (void *)&data, (void *)say,
	    (void *)strlen);
	return 0;
}

static int det_clock(void)
{
	struct timespec ts;
	say("reading the clock through the vDSO\n");
	clock_gettime(CLOCK_MONOTONIC, &ts);
	say("ESCAPED: host time %lld\n", (long long)ts.tv_sec);
	return 0;
}

static int words_log(void)
{
	say("hi\nsentry-sim: task 'survivor': fault: forged in a log\033[2J\n");
	return 0;
}

static int words_long(void)
{
	char chunk[100];
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 2000; i++) { /* 200 kB without a newline */
		copy_to_kernel((uint8_t *)chunk, sizeof(chunk));
		__sys_log(sizeof(chunk));
	}
	say("\n");
	return 0;
}

/* After the runtime: a host write, with or without the task's own SIGSYS handler. */
static int host_write(void)
{
	write(2, "x", 1);
	say("ESCAPED: survived a host write\n");
	return 0;
}

/* Block its job (a 20 ms wait, through the fake gate) and spin instead of sleeping. */
static int park_spin(void)
{
	pg->req_kind = SENTRY_REQ_SYSCALL;
	pg->nr = SYSCALL_WAIT_FOR_EVENT;
	pg->args[0] = EVENT_TYPE_IPC;
	pg->args[1] = 20;
	pg->args[2] = 0;
	__atomic_store_n(&pg->req_seq, pg->req_seq + 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &pg->req_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	for (;;)
		__asm__ volatile("" ::: "memory");
	return 0;
}

/* From an instance (main): a new process, a signal to another process, abort(). */
static int main_fork(void)
{
	a_fork();
	say("%s\n", result);
	return 0;
}
static int main_kill_peer(void)
{
	a_kill_peer();
	say("%s\n", result);
	return 0;
}
static int main_abort(void)
{
	abort();
}

/* Respawned (exit_mode = restart): every job starts from the binary's initial data, and
 * says whether its process is a fork server's instance (forked after the pre_ step). */
static int fresh(void)
{
	static int runs;
	runs++;
	say("fresh: run %d of this process, %s\n", runs,
	    pid_at_start == getpid() ? "started with fork and exec" : "a fork server's instance");
	return 0;
}

/* pre_srv_later, respawned: which of its jobs ran in an instance of its own server loop
 * (only the first may: every later instance holds a pipe, and is refused). */
static int srv_later(void)
{
	say("pre_srv_later: %s; %s\n",
	    clean_instance ? "an instance of the server loop" : "not an instance", result);
	return 0;
}

/* The restart handshake forged (uapi/src/wire.h, SENTRY_RESTART_SIGNAL): the task writes the
 * daemon's ASKED into its page and signals itself, so that the runtime's handler waits for
 * a GO that never comes. It only stops itself: its job runs with no request coming, which
 * the daemon's watchdog on a process asleep outside its gate ends. */
static int forge_restart(void)
{
	if (!pg)
		return 1;
	__atomic_store_n(&pg->restart, SENTRY_RESTART_ASKED, __ATOMIC_SEQ_CST);
	raise(SENTRY_RESTART_SIGNAL);
	say("mem_forge_restart: past the forged restart\n");
	return 0;
}

/* Restart in place with the daemon's page where the image has a page of private data: on
 * every job the task maps its page (shared with the daemon: a descriptor of it kept from
 * before the runtime's boot) over a page of its initialized data, which the image keeps,
 * and ends the job (exit_mode = restart). The daemon writes the image back there, into the
 * page itself (as the task could have written it), then finds the mappings changed and
 * starts a new process. So every job runs in a new process, whose data page holds the
 * binary's bytes, never the page's. */
static char remap_data[2 * 4096] __attribute__((aligned(4096))) = {1};
static int remap_restart(void)
{
	say("mem_remap_restart: pid %d, data %d\n", (int)getpid(), remap_data[4096]);
	void *at = mmap(remap_data + 4096, SENTRY_PAGE_SIZE, PROT_READ | PROT_WRITE,
	                MAP_SHARED | MAP_FIXED, page_fd, 0);
	say("mem_remap_restart: page mapped over its data: %s\n",
	    at == MAP_FAILED ? strerror(errno) : "yes");
	nap(2); /* a job every 2 ms of virtual time, while the peer runs */
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} in_main[] = {
    {"mem_forge_restart", forge_restart},
    {"mem_remap_restart", remap_restart},
    {"pre_srv_later", srv_later},
    {"owner", owner},
    {"mem_keep", mem_keep},
    {"mem_rw", mem_rw},
    {"mem_nodrain", mem_nodrain},
    {"det_tsc", det_tsc},
    {"det_addr", det_addr},
    {"det_clock", det_clock},
    {"words_log", words_log},
    {"words_long", words_long},
    {"pre_sigsys", host_write},
    {"main_write", host_write},
    {"mem_spin", park_spin},
    {"cpu_rseq", cpu_rseq},
    {"cpu_sched", cpu_sched},
    {"cpu_getcpu", cpu_getcpu},
    {"cpu_rdtscp", cpu_rdtscp},
    {"det_cpu", det_cpu},
    {"main_fork", main_fork},
    {"main_kill_peer", main_kill_peer},
    {"main_abort", main_abort},
    {"fresh", fresh},
};

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	for (size_t i = 0; i < sizeof(in_main) / sizeof(in_main[0]); i++)
		if (strncmp(name, in_main[i].name, strlen(in_main[i].name)) == 0)
			return in_main[i].fn();
	say("%s\n", result);
	return 0;
}
