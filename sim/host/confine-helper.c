/*
 * confine-helper.c: sentry-sim-confine, the program the daemon starts for every task
 * process (sim/host/proc.c, with posix_spawn: no copy of the daemon's memory). It puts
 * itself inside the boundary (docs/architecture.md, "The boundary") and then execs the task,
 * so that the task's first instruction is confined; the daemon's own image does no set-up
 * after its spawn (valgrind can follow the daemon: it never sees seccomp).
 *
 * It has no C library: a few dozen system calls, made as instructions (uapi/src/rawsys.h),
 * and an exec that costs little. It trusts only what the daemon gives it, in fixed
 * descriptors (confine_fds.h, CONFINE_FD_*): the task's page, window socket and doorbell
 * (kept for the task), the prebuilt programs (sandbox.c, a sealed memfd), the user, mount
 * and IPC namespaces of the task's root (built once per binary by the daemon) and the
 * tasks' network namespace. Steps, in bubblewrap's order: die with the daemon (a task with
 * LeakSanitizer: go on in a PID namespace of its own, as its pid 1); the network, user,
 * mount and IPC namespaces entered; no address randomisation; no
 * capability (bounding set, securebits, sets); no_new_privs; not dumpable; the fidelity
 * program, patched for this pid, left in the boot area for the runtime (wire.h); the
 * boundary, patched likewise, installed with a listener that goes to the daemon over the
 * window socket; every descriptor but the task's closed; exec (the boundary's only one,
 * let through by the daemon). A failed step is written on the page for the daemon's
 * diagnosis, and the helper exits 127.
 *
 * Usage (by the daemon only): sentry-sim-confine BINARY ARGV0 fidelity|devtools|lsan|server
 * (environment: the task's; the last word picks the fidelity program, devtools.h; lsan, a
 * task with LeakSanitizer, also picks its boundary, and first makes a PID namespace of its
 * own, where it goes on as pid 1: enter_own_pid_namespace; server starts a fork server,
 * sim/host/forksrv.c: the boundary's variant for servers, and no fidelity program, which
 * the daemon leaves in each instance's boot area itself)
 */
#include "config.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "sim/host/confine_fds.h"
#include "sim/host/selfpid.h"
#include "uapi/src/rawsys.h"
#include "uapi/src/wire.h"

#define ADDR_NO_RANDOMIZE 0x0040000
#define MAX_INSNS         1024

/* The compiler may emit these for copies and initialisations. */
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n);
void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *o = d;
	const unsigned char *i = s;
	while (n--)
		*o++ = *i++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *o = d;
	while (n--)
		*o++ = (unsigned char)c;
	return d;
}

static size_t length(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* The failed step |what| and its error number, on the page (the daemon quotes it). */
static __attribute__((noreturn)) void fail(const char *what, long err)
{
	char text[sizeof(((struct sentry_page *)0)->message)];
	size_t n = 0, w = length(what);
	static const char pre[] = "cannot enter the boundary: ";
	for (size_t i = 0; i < sizeof(pre) - 1 && n < sizeof(text) - 24; i++)
		text[n++] = pre[i];
	for (size_t i = 0; i < w && n < sizeof(text) - 24; i++)
		text[n++] = what[i];
	if (err < 0) {
		static const char e[] = " (errno ";
		for (size_t i = 0; i < sizeof(e) - 1; i++)
			text[n++] = e[i];
		char digits[12];
		size_t k = 0;
		unsigned long v = (unsigned long)-err;
		do
			digits[k++] = (char)('0' + v % 10);
		while ((v /= 10) && k < sizeof(digits));
		while (k)
			text[n++] = digits[--k];
		text[n++] = ')';
	}
	text[n++] = '\0';
	raw_syscall(SYS_pwrite64, SENTRY_PAGE_FD, text, n, offsetof(struct sentry_page, message));
	for (;;)
		raw_syscall(SYS_exit_group, 127);
}

static void must(long rc, const char *what)
{
	if (rc < 0)
		fail(what, rc);
}

/* No capability, now or after exec, in any namespace. */
static void drop_capabilities(void)
{
	/* every capability the kernel knows (more than these headers may): up to the first
	 * it does not (EINVAL) */
	for (long cap = 0; cap <= 63; cap++) {
		long rc = raw_syscall(SYS_prctl, PR_CAPBSET_DROP, cap, 0, 0, 0);
		if (rc == -22 /* EINVAL */ && cap > CAP_LAST_CAP)
			break;
		must(rc, "cannot empty the capability bounding set");
	}
	raw_syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	must(raw_syscall(SYS_prctl, PR_SET_SECUREBITS,
	                 SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
	                     SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
	                     SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
	                 0, 0, 0),
	     "cannot lock the securebits");
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	must(raw_syscall(SYS_capset, &hdr, data), "cannot drop the capabilities");
}

/* Read |n| instructions at |off| of the policy memfd and patch this process's pid in. */
static void read_program(struct sock_filter *to, uint32_t n, uint64_t off, long pid)
{
	if (n == 0 || n > MAX_INSNS)
		fail("the daemon's program has a bad length", 0);
	size_t len = n * sizeof(*to);
	if (raw_syscall(SYS_pread64, CONFINE_FD_POLICY, to, len, off) != (long)len)
		fail("cannot read the daemon's program", 0);
	sandbox_patch_self(to, n, (unsigned)pid);
}

/* Send |fd| to the daemon over the window socket, with the byte |what|; close it. */
static void hand_fd(int fd, char what, const char *failed)
{
	char byte = what;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = ctl.buf,
	                     .msg_controllen = sizeof(ctl.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (raw_syscall(SYS_sendmsg, SENTRY_WINDOW_SOCK_FD, &msg, MSG_NOSIGNAL) != 1)
		fail(failed, 0);
	raw_syscall(SYS_close, fd);
}

/* At most OWN_PID_MAX - 1 processes in this PID namespace (the kernel's least pid_max):
 * LeakSanitizer's tracer is one; a task that clones without end gets EAGAIN there. The
 * value is per PID namespace since Linux 6.14; an older kernel has one value for the whole
 * host, which this process cannot change (it holds capabilities only in the root's user
 * namespace, which owns the new PID namespace, not the host's), and the task then goes on
 * without the bound (docs/devtools.md). */
#define OWN_PID_MAX "301"
static void limit_processes(void)
{
	long fd =
	    raw_syscall(SYS_openat, AT_FDCWD, "/proc/sys/kernel/pid_max", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	raw_syscall(SYS_write, fd, OWN_PID_MAX, sizeof(OWN_PID_MAX) - 1);
	raw_syscall(SYS_close, fd);
}

/* A task with LeakSanitizer: go on as pid 1 of a new PID namespace (so that its tracer,
 * and whatever else it clones, dies with it). The daemon cannot make one (its children are
 * born in the tasks' namespace, not its own); this process can, with the capabilities it
 * holds in the root's user namespace (just entered), which then owns the new namespace.
 * The new process is the daemon's child (CLONE_PARENT) and hands the daemon a pidfd of
 * itself first; this one ends (the daemon reaps it). A copy of this small program: no
 * memory of the daemon's. */
static void enter_own_pid_namespace(void)
{
	long child = raw_syscall(SYS_clone, CLONE_NEWPID | CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
	if (child < 0)
		fail("cannot make the task's PID namespace", child);
	if (child > 0)
		for (;;)
			raw_syscall(SYS_exit_group, 0);
	raw_syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0); /* not inherited */
	if (raw_syscall(SYS_getpid) != 1 || raw_syscall(SYS_getppid) != 0)
		fail("the task's PID namespace is not its own", 0);
	limit_processes();
	long self = raw_syscall(SYS_pidfd_open, 1, 0);
	must(self, "cannot name the task to the daemon (pidfd_open)");
	hand_fd((int)self, 'P', "cannot name the task to the daemon");
}

__attribute__((noreturn, used)) void helper_main(long argc, char **argv);
__attribute__((noreturn, used)) void helper_main(long argc, char **argv)
{
	char **envp = argv + argc + 1;
	raw_syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (raw_syscall(SYS_getppid) != 0) /* the daemon lives outside the tasks' PID namespace */
		fail("the daemon is gone", 0);
	if (argc != 4)
		fail("usage: sentry-sim-confine BINARY ARGV0 fidelity|devtools|lsan|server (run "
		     "by the daemon only)",
		     0);
	int lsan = argv[3][0] == 'l';
	int tools = argv[3][0] == 'd' || lsan;
	int server = argv[3][0] == 's';
	/* no core file; and for LeakSanitizer's task, which makes itself dumpable for its
	 * tracer, no core piped to the host's handler either: the kernel pipes a core whatever
	 * the limit, except 1 (which is too small for a file); its boundary keeps it at 1 */
	struct rlimit no_core = {lsan, lsan};
	raw_syscall(SYS_prlimit64, 0, RLIMIT_CORE, &no_core, 0);

	/* the namespaces: the network one first, while the daemon's capabilities hold */
	must(raw_syscall(SYS_setns, CONFINE_FD_NET, CLONE_NEWNET),
	     "cannot enter the tasks' network namespace");
	must(raw_syscall(SYS_setns, CONFINE_FD_USER, CLONE_NEWUSER),
	     "cannot enter the user namespace of the task's root");
	/* LeakSanitizer's boundary lets the task clone and trace itself: only as the first
	 * process of its own PID namespace, whose processes all die with it */
	if (lsan)
		enter_own_pid_namespace();
	must(raw_syscall(SYS_setns, CONFINE_FD_MNT, CLONE_NEWNS), "cannot enter the task's root");
	must(raw_syscall(SYS_setns, CONFINE_FD_IPC, CLONE_NEWIPC),
	     "cannot enter the IPC namespace of the task's root");
	must(raw_syscall(SYS_chdir, "/"), "cannot enter the task's root");

	must(raw_syscall(SYS_personality, 0 /* PER_LINUX */ | ADDR_NO_RANDOMIZE),
	     "cannot turn address randomisation off");
	drop_capabilities();
	must(raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "cannot set no_new_privs");
	raw_syscall(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0); /* exec resets it: the runtime too */

	struct confine_policy_head head;
	if (raw_syscall(SYS_pread64, CONFINE_FD_POLICY, &head, sizeof(head), 0) !=
	        (long)sizeof(head) ||
	    head.magic != CONFINE_POLICY_MAGIC)
		fail("the daemon's programs are missing", 0);
	long pid = raw_syscall(SYS_getpid);
	static struct sock_filter prog[MAX_INSNS];
	/* the fidelity program, for the runtime (a second layer: filters only tighten) */
	uint32_t n = lsan ? head.n_lsan : tools ? head.n_devtools : head.n_fidelity;
	if (n > SENTRY_BOOT_MAX_INSNS)
		fail("the fidelity filter is too long", 0);
	read_program(prog, n,
	             lsan    ? head.lsan_offset
	             : tools ? head.devtools_offset
	                     : head.fidelity_offset,
	             pid);
	size_t len = n * sizeof(prog[0]);
	uint64_t at = SENTRY_BOOT_OFFSET + offsetof(struct sentry_boot, filter);
	if (!server &&
	    (raw_syscall(SYS_pwrite64, SENTRY_PAGE_FD, prog, len, at) != (long)len ||
	     raw_syscall(SYS_pwrite64, SENTRY_PAGE_FD, &n, sizeof(n),
	                 SENTRY_BOOT_OFFSET + offsetof(struct sentry_boot, n_insns)) != sizeof(n)))
		fail("cannot leave the fidelity filter in the boot area", 0);
	/* the boundary, last (a server's has no rule that names a pid) */
	uint32_t nb = lsan ? head.n_boundary_lsan : server ? head.n_server : head.n_boundary;
	read_program(prog, nb,
	             lsan     ? head.boundary_lsan_offset
	             : server ? head.server_offset
	                      : head.boundary_offset,
	             pid);
	struct sock_fprog fprog = {.len = (unsigned short)nb, .filter = prog};
	for (int fd = CONFINE_FD_POLICY; fd <= CONFINE_FD_LAST; fd++)
		raw_syscall(SYS_close, fd);
	long listener = raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	                            SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
	must(listener, "cannot load the boundary filter");
	hand_fd((int)listener, 'L', "cannot hand the boundary's listener to the daemon");
	char *task_argv[] = {argv[2], NULL};
	long rc = raw_syscall(SYS_execve, argv[1], task_argv, envp);
	fail("cannot exec the task", rc);
}

/* The entry: the kernel leaves argc, argv and the environment on the stack. */
#if defined(__x86_64__)
__asm__(".text\n\t.globl _start\n\t.type _start, @function\n_start:\n\t"
        "xor %ebp, %ebp\n\tmov (%rsp), %rdi\n\tlea 8(%rsp), %rsi\n\t"
        "and $-16, %rsp\n\tcall helper_main\n\thlt\n");
#elif defined(__aarch64__)
__asm__(".text\n\t.globl _start\n\t.type _start, %function\n_start:\n\t"
        "mov x29, #0\n\tldr x0, [sp]\n\tadd x1, sp, #8\n\tbl helper_main\n");
#else
#error "confine-helper.c: add this architecture's entry"
#endif
