/*
 * sandbox.c: the seccomp policy of a task process, as one table a reviewer can read.
 *
 * Two filters come from it. The baseline filter is installed by the daemon in the child
 * before exec: it allows by default (the dynamic loader and the C library must start) and
 * refuses every way out of the box (network, new processes, mounts, signals to others,
 * kernel interfaces). The strict filter is installed by the task runtime before the task's
 * entry: it refuses by default and allows only what the gate and the fault handlers use,
 * so the task lives in the small world it has on the MCU. A refused call traps (SIGSYS):
 * the runtime's handler records which call it was, and the daemon diagnoses the fault.
 */
#include "config.h"

#include <linux/futex.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>

#include "uapi/src/wire.h"

#include "uapi/src/sandbox.h"

#define DENY SCMP_ACT_TRAP
#define ALLOW SCMP_ACT_ALLOW
#define DEFAULT 0u /* the filter's default action applies */

typedef enum {
	ARG_ANY = 0,
	ARG0_SELF = 1,        /* first argument is the process's own pid */
	ARG0_WINDOW_SOCK = 2, /* first argument is the window socket (fd 4) */
	ARG_SHARED_NOEXEC = 3, /* mmap: MAP_SHARED of a descriptor, never executable */
	ARG1_WAIT_WAKE = 4,    /* futex: FUTEX_WAIT or FUTEX_WAKE only */
	ARG2_ZERO = 5,         /* third argument is 0 (poll: a timeout of 0, never waits) */
	ARG_SIGQUERY_OR_PIPE = 6, /* rt_sigaction: a query (no new action), or SIGPIPE */
} ArgRule;

static const struct {
	const char *name;
	uint32_t baseline;
	uint32_t strict;
	ArgRule arg;
	const char *why;
} rules[] = {
	/* What the strict filter allows. */
	{"futex", DEFAULT, ALLOW, ARG1_WAIT_WAKE,
	 "the gate: wait and wake on the shared page and the doorbell page; nothing else, since "
	 "the doorbell page is shared by every task (a requeue could strand another task)"},
	{"restart_syscall", DEFAULT, ALLOW, ARG_ANY, "a futex wait restarted after a signal"},
	{"rt_sigreturn", DEFAULT, ALLOW, ARG_ANY, "return from the fault-recording handlers"},
	{"exit", DEFAULT, ALLOW, ARG_ANY, "the process ends (the daemon diagnoses why)"},
	{"exit_group", DEFAULT, ALLOW, ARG_ANY, "idem"},
	{"getpid", DEFAULT, ALLOW, ARG_ANY, "fatal handlers re-raise their signal to self"},
	{"gettid", DEFAULT, ALLOW, ARG_ANY, "idem"},
	{"tgkill", DEFAULT, ALLOW, ARG0_SELF, "idem, and abort(): only to this process"},
	{"rt_sigprocmask", DEFAULT, ALLOW, ARG_ANY, "abort() masks signals around its raise"},
	{"sched_yield", DEFAULT, ALLOW, ARG_ANY, "the gate's bounded spin gives way"},
	{"recvmsg", DEFAULT, ALLOW, ARG0_WINDOW_SOCK, "receive the board memory for a window"},
	{"mmap", DEFAULT, ALLOW, ARG_SHARED_NOEXEC,
	 "map a window at its board address (no anonymous memory, nothing executable)"},
	{"munmap", DEFAULT, ALLOW, ARG_ANY, "unmap a window"},
	{"close", DEFAULT, ALLOW, ARG_ANY, "drop the board memory descriptors once mapped"},
	/* The Rust standard library's start (a Rust task built for the host, docs/rust.md). */
	{"poll", DEFAULT, ALLOW, ARG2_ZERO,
	 "Rust's start checks that fds 0-2 are open; a timeout of 0 only, so never a wait"},
	{"rt_sigaction", DEFAULT, ALLOW, ARG_SIGQUERY_OR_PIPE,
	 "Rust's start reads the SIGSEGV and SIGBUS actions (finds the runtime's, keeps them) "
	 "and ignores SIGPIPE; no other change to a signal's action"},

	/* What neither filter allows: ways out of the box. */
	{"socket", DENY, DEFAULT, ARG_ANY, "no network on the MCU"},
	{"socketpair", DENY, DEFAULT, ARG_ANY, "idem"},
	{"connect", DENY, DEFAULT, ARG_ANY, "idem"},
	{"bind", DENY, DEFAULT, ARG_ANY, "idem"},
	{"listen", DENY, DEFAULT, ARG_ANY, "idem"},
	{"accept", DENY, DEFAULT, ARG_ANY, "idem"},
	{"accept4", DENY, DEFAULT, ARG_ANY, "idem"},
	{"fork", DENY, DEFAULT, ARG_ANY, "a task is one process with one thread"},
	{"vfork", DENY, DEFAULT, ARG_ANY, "idem"},
	{"clone", DENY, DEFAULT, ARG_ANY, "idem"},
	{"clone3", DENY, DEFAULT, ARG_ANY, "idem"},
	{"execveat", DENY, DEFAULT, ARG_ANY, "no other program"},
	{"kill", DENY, DEFAULT, ARG_ANY, "no signal to other processes"},
	{"tkill", DENY, DEFAULT, ARG_ANY, "idem"},
	{"ptrace", DENY, DEFAULT, ARG_ANY, "no access to other processes"},
	{"process_vm_readv", DENY, DEFAULT, ARG_ANY, "idem"},
	{"process_vm_writev", DENY, DEFAULT, ARG_ANY, "idem"},
	{"pidfd_open", DENY, DEFAULT, ARG_ANY, "idem"},
	{"pidfd_getfd", DENY, DEFAULT, ARG_ANY, "idem"},
	{"pidfd_send_signal", DENY, DEFAULT, ARG_ANY, "idem"},
	{"mount", DENY, DEFAULT, ARG_ANY, "no change to the host system"},
	{"umount2", DENY, DEFAULT, ARG_ANY, "idem"},
	{"pivot_root", DENY, DEFAULT, ARG_ANY, "idem"},
	{"chroot", DENY, DEFAULT, ARG_ANY, "idem"},
	{"unshare", DENY, DEFAULT, ARG_ANY, "idem"},
	{"setns", DENY, DEFAULT, ARG_ANY, "idem"},
	{"reboot", DENY, DEFAULT, ARG_ANY, "idem"},
	{"swapon", DENY, DEFAULT, ARG_ANY, "idem"},
	{"swapoff", DENY, DEFAULT, ARG_ANY, "idem"},
	{"sethostname", DENY, DEFAULT, ARG_ANY, "idem"},
	{"setdomainname", DENY, DEFAULT, ARG_ANY, "idem"},
	{"settimeofday", DENY, DEFAULT, ARG_ANY, "idem"},
	{"clock_settime", DENY, DEFAULT, ARG_ANY, "idem"},
	{"adjtimex", DENY, DEFAULT, ARG_ANY, "idem"},
	{"kexec_load", DENY, DEFAULT, ARG_ANY, "no kernel interfaces"},
	{"kexec_file_load", DENY, DEFAULT, ARG_ANY, "idem"},
	{"init_module", DENY, DEFAULT, ARG_ANY, "idem"},
	{"finit_module", DENY, DEFAULT, ARG_ANY, "idem"},
	{"delete_module", DENY, DEFAULT, ARG_ANY, "idem"},
	{"bpf", DENY, DEFAULT, ARG_ANY, "idem"},
	{"perf_event_open", DENY, DEFAULT, ARG_ANY, "idem"},
	{"userfaultfd", DENY, DEFAULT, ARG_ANY, "idem"},
	{"io_uring_setup", DENY, DEFAULT, ARG_ANY, "idem"},
	{"keyctl", DENY, DEFAULT, ARG_ANY, "idem"},
	{"add_key", DENY, DEFAULT, ARG_ANY, "idem"},
	{"request_key", DENY, DEFAULT, ARG_ANY, "idem"},
	{"open_by_handle_at", DENY, DEFAULT, ARG_ANY, "idem"},
	{"iopl", DENY, DEFAULT, ARG_ANY, "idem"},
	{"ioperm", DENY, DEFAULT, ARG_ANY, "idem"},
	{"personality", DENY, DEFAULT, ARG_ANY, "idem"},
};

scmp_filter_ctx sandbox_build(SandboxLevel level, pid_t pid, const char **err)
{
	uint32_t dflt = level == SANDBOX_BASELINE ? ALLOW : DENY;
	scmp_filter_ctx ctx = seccomp_init(dflt);
	if (!ctx) {
		*err = "seccomp_init failed";
		return NULL;
	}
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		uint32_t action = level == SANDBOX_BASELINE ? rules[i].baseline : rules[i].strict;
		if (action == DEFAULT || action == dflt)
			continue;
		int nr = seccomp_syscall_resolve_name(rules[i].name);
		if (nr == __NR_SCMP_ERROR)
			continue; /* not a system call on this architecture */
		int rc;
		switch (rules[i].arg) {
		case ARG0_SELF:
			rc = seccomp_rule_add(ctx, action, nr, 1,
					      SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)pid));
			break;
		case ARG0_WINDOW_SOCK:
			rc = seccomp_rule_add(ctx, action, nr, 1,
					      SCMP_A0(SCMP_CMP_EQ, SENTRY_WINDOW_SOCK_FD));
			break;
		case ARG1_WAIT_WAKE: /* two rules: either operation (the op is an int: low half) */
			rc = seccomp_rule_add(ctx, action, nr, 1,
					      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, FUTEX_WAIT));
			if (rc == 0)
				rc = seccomp_rule_add(ctx, action, nr, 1,
						      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu,
							      FUTEX_WAKE));
			break;
		case ARG_SHARED_NOEXEC:
			rc = seccomp_rule_add(
				ctx, action, nr, 2, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
				SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS,
					MAP_SHARED));
			break;
		case ARG2_ZERO:
			rc = seccomp_rule_add(ctx, action, nr, 1,
					      SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffffu, 0)); /* an int */
			break;
		case ARG_SIGQUERY_OR_PIPE: /* two rules: no new action, or the signal is SIGPIPE */
			rc = seccomp_rule_add(ctx, action, nr, 1, SCMP_A1(SCMP_CMP_EQ, 0));
			if (rc == 0)
				rc = seccomp_rule_add(ctx, action, nr, 1,
						      SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, SIGPIPE));
			break;
		default:
			rc = seccomp_rule_add(ctx, action, nr, 0);
			break;
		}
		if (rc < 0) {
			*err = "seccomp_rule_add failed";
			seccomp_release(ctx);
			return NULL;
		}
	}
	return ctx;
}
