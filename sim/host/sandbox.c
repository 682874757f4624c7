/*
 * sandbox.c: the two seccomp policies of a task process, as two tables a reviewer can read
 * (docs/architecture.md, "Two policies").
 *
 * The boundary protects the host, the daemon and the other tasks. The daemon installs it
 * in the child between fork and exec (sim/host/confine.c), so it holds from the task's
 * first instruction whatever the task's code does; it allows by default (the dynamic
 * loader and the C library must start inside the empty root) and refuses, with argument
 * checks, every way out: signals to other processes, ptrace and process_vm_*, any execve
 * after the daemon's own, limits of others, new processes, mounts and namespaces, kernel
 * interfaces. A refused call is a user notification: the task stops in the call, the
 * daemon names the call in the diagnosis (trusted, not read from the task) and kills it.
 * It is never relaxed, but for LeakSanitizer's tracer in a task that is the first process of
 * a PID namespace of its own (lsan_boundary_rows): its clone, and ptrace of the task itself.
 *
 * The fidelity check refuses the host calls a Sentry task could not make on the MCU
 * (files, sockets, stdout, heap growth, ...). It refuses by default and allows only what
 * the gate and the fault handlers use. The daemon builds it too; the task runtime installs
 * it before the entry with a raw system call (a second layer: filters only tighten). A
 * refused call traps (SIGSYS); the runtime's handler records which call it was and the
 * daemon diagnoses the fault by name. It is what a developer's tools may relax: a task
 * built with a sanitizer or with --coverage gets devtools_rows on top (docs/devtools.md).
 */
#include "config.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi/src/wire.h"

#include "sim/host/sandbox.h"

typedef enum {
	ARG_ANY = 0,
	ARG0_NOT_SELF,       /* boundary: refused unless the first argument is the process */
	ARG0_NOT_ZERO,       /* boundary: refused unless the first argument is 0 (itself) */
	ARG_NOT_PRIO_SELF,   /* boundary: refused unless (PRIO_PROCESS, 0): itself */
	ARG_NOT_IOPRIO_SELF, /* boundary: refused unless (IOPRIO_WHO_PROCESS, 0): itself */
	ARG0_SELF,           /* fidelity: allowed only to the process itself */
	ARG0_WINDOW_SOCK,    /* fidelity: first argument is the window socket (fd 4) */
	ARG_SHARED_NOEXEC,   /* fidelity: mmap MAP_SHARED of a descriptor, never executable */
	ARG_ANON_NOACCESS,   /* fidelity: mmap MAP_PRIVATE | MAP_ANONYMOUS with PROT_NONE */
	ARG1_WAIT_WAKE,      /* fidelity: futex FUTEX_WAIT or FUTEX_WAKE only */
	ARG2_ZERO,           /* fidelity: third argument is 0 (poll: a timeout of 0, never waits) */
	ARG_SIGQUERY_OR_PIPE, /* fidelity: rt_sigaction: a query (no new action), or SIGPIPE */
	ARG_PRIVATE_NOEXEC,   /* devtools: mmap MAP_PRIVATE, never executable */
	ARG1_PRIVATE,         /* devtools: futex on a process-private word (FUTEX_PRIVATE_FLAG) */
	FAILS_ENOSYS,         /* boundary: not refused with a diagnosis, fails as if absent */
	/* LeakSanitizer's variants (a pid-1 task in a PID namespace of its own, below) */
	ARG0_NOT_LSAN_CLONE, /* boundary: refused unless exactly LeakSanitizer's clone flags */
	ARG1_NOT_SELF,       /* boundary: refused unless the second argument is the process */
	ARG_CORE_LIMIT_SET,  /* boundary: prlimit64 (_, RLIMIT_CORE, new != NULL, _) refused */
	ARG0_CORE_LIMIT,     /* boundary: setrlimit (RLIMIT_CORE, _) refused */
	ARG0_LSAN_CLONE,     /* fidelity: exactly LeakSanitizer's clone flags */
	ARG_LSAN_PTRACE,     /* fidelity: the requests of StopTheWorld, to the process only */
	ARG0_LSAN_PRCTL,     /* fidelity: the dumpable flag, the ptracer, the death signal */
	ARG2_WALL,           /* fidelity: wait4 (_, _, __WALL, _) */
	ARG2_NONE,           /* fidelity: mprotect (_, _, PROT_NONE) */
	ARG0_SYNC_SIGNAL,    /* fidelity: rt_sigaction of the tracer's synchronous signals */
} ArgRule;

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* LeakSanitizer's tracer (compiler-rt, sanitizer_stoptheworld_linux_libcdep.cpp) */
#define LSAN_CLONE_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED)

typedef struct {
	const char *name;
	ArgRule arg;
	const char *why;
} Row;

/* The boundary: allowed by default, these refused (never relaxed). */
static const Row boundary_rows[] = {
    {"execve", ARG_ANY, "no other program: the daemon's own exec is the only one"},
    {"execveat", ARG_ANY, "idem"},
    {"fork", ARG_ANY, "a task is one process with one thread"},
    {"vfork", ARG_ANY, "idem"},
    {"clone", ARG_ANY, "idem"},
    {"clone3", ARG_ANY, "idem"},
    {"kill", ARG0_NOT_SELF, "signals to the process itself only"},
    {"tkill", ARG0_NOT_SELF, "idem"},
    {"tgkill", ARG0_NOT_SELF, "idem"},
    {"rt_sigqueueinfo", ARG0_NOT_SELF, "idem"},
    {"rt_tgsigqueueinfo", ARG0_NOT_SELF, "idem"},
    {"prlimit64", ARG0_NOT_ZERO, "its own limits only (pid 0)"},
    {"sched_setaffinity", ARG0_NOT_ZERO, "its own scheduling only (pid 0): no pinning a peer"},
    {"sched_setscheduler", ARG0_NOT_ZERO, "idem"},
    {"sched_setparam", ARG0_NOT_ZERO, "idem"},
    {"sched_setattr", ARG0_NOT_ZERO, "idem"},
    {"migrate_pages", ARG0_NOT_ZERO, "its own memory only (pid 0)"},
    {"move_pages", ARG0_NOT_ZERO, "idem"},
    {"setpriority", ARG_NOT_PRIO_SELF,
     "its own priority only (PRIO_PROCESS, 0): no renicing a peer or a user"},
    {"ioprio_set", ARG_NOT_IOPRIO_SELF, "idem (IOPRIO_WHO_PROCESS, 0)"},
    {"ptrace", ARG_ANY, "no access to other processes"},
    {"process_vm_readv", ARG_ANY, "idem"},
    {"process_vm_writev", ARG_ANY, "idem"},
    {"kcmp", ARG_ANY, "idem"},
    {"pidfd_open", ARG_ANY, "idem"},
    {"pidfd_getfd", ARG_ANY, "idem"},
    {"pidfd_send_signal", ARG_ANY, "idem"},
    {"socket", ARG_ANY, "no network (the task has its own empty network namespace too)"},
    {"socketpair", ARG_ANY, "idem"},
    {"connect", ARG_ANY, "idem"},
    {"bind", ARG_ANY, "idem"},
    {"listen", ARG_ANY, "idem"},
    {"accept", ARG_ANY, "idem"},
    {"accept4", ARG_ANY, "idem"},
    {"mount", ARG_ANY, "no change to the host system or to the task's root"},
    {"umount2", ARG_ANY, "idem"},
    {"pivot_root", ARG_ANY, "idem"},
    {"chroot", ARG_ANY, "idem"},
    {"unshare", ARG_ANY, "idem"},
    {"setns", ARG_ANY, "idem"},
    {"fsopen", ARG_ANY, "idem"},
    {"fsmount", ARG_ANY, "idem"},
    {"move_mount", ARG_ANY, "idem"},
    {"open_tree", ARG_ANY, "idem"},
    {"reboot", ARG_ANY, "idem"},
    {"swapon", ARG_ANY, "idem"},
    {"swapoff", ARG_ANY, "idem"},
    {"sethostname", ARG_ANY, "idem"},
    {"setdomainname", ARG_ANY, "idem"},
    {"settimeofday", ARG_ANY, "idem"},
    {"clock_settime", ARG_ANY, "idem"},
    {"adjtimex", ARG_ANY, "idem"},
    {"kexec_load", ARG_ANY, "no kernel interfaces"},
    {"kexec_file_load", ARG_ANY, "idem"},
    {"init_module", ARG_ANY, "idem"},
    {"finit_module", ARG_ANY, "idem"},
    {"delete_module", ARG_ANY, "idem"},
    {"bpf", ARG_ANY, "idem"},
    {"perf_event_open", ARG_ANY, "idem"},
    {"userfaultfd", ARG_ANY, "idem"},
    {"io_uring_setup", ARG_ANY, "idem"},
    {"keyctl", ARG_ANY, "idem"},
    {"add_key", ARG_ANY, "idem"},
    {"request_key", ARG_ANY, "idem"},
    {"open_by_handle_at", ARG_ANY, "idem"},
    {"iopl", ARG_ANY, "idem"},
    {"ioperm", ARG_ANY, "idem"},
    {"personality", ARG_ANY, "address randomisation stays off (determinism)"},
    {"shmget", ARG_ANY,
     "no state shared with another task (the tasks of one binary share an IPC namespace)"},
    {"shmat", ARG_ANY, "idem"},
    {"shmdt", ARG_ANY, "idem"},
    {"shmctl", ARG_ANY, "idem"},
    {"msgget", ARG_ANY, "idem"},
    {"msgsnd", ARG_ANY, "idem"},
    {"msgrcv", ARG_ANY, "idem"},
    {"msgctl", ARG_ANY, "idem"},
    {"semget", ARG_ANY, "idem"},
    {"semop", ARG_ANY, "idem"},
    {"semtimedop", ARG_ANY, "idem"},
    {"semctl", ARG_ANY, "idem"},
    {"mq_open", ARG_ANY, "idem"},
    {"mq_unlink", ARG_ANY, "idem"},
    {"mq_timedsend", ARG_ANY, "idem"},
    {"mq_timedreceive", ARG_ANY, "idem"},
    {"mq_notify", ARG_ANY, "idem"},
    {"mq_getsetattr", ARG_ANY, "idem"},
    {"rseq", FAILS_ENOSYS,
     "no host CPU number (determinism): glibc then starts without it (handoff's row)"},
    {"getcpu", FAILS_ENOSYS, "idem"},
};

/* The fidelity check: refused by default, these allowed. Extend here (one row per call,
 * with its reason) when a task runtime needs a call at start-up. */
static const Row fidelity_rows[] = {
    {"futex", ARG1_WAIT_WAKE,
     "the gate: wait and wake on the shared page and the doorbell page; nothing else, since "
     "the doorbell page is shared by every task (a requeue could strand another task)"},
    {"restart_syscall", ARG_ANY, "a futex wait restarted after a signal"},
    {"rt_sigreturn", ARG_ANY, "return from the fault-recording handlers"},
    {"exit", ARG_ANY, "the process ends (the daemon diagnoses why)"},
    {"exit_group", ARG_ANY, "idem"},
    {"getpid", ARG_ANY, "fatal handlers re-raise their signal to self"},
    {"gettid", ARG_ANY, "idem"},
    {"tgkill", ARG0_SELF, "idem, and abort(): only to this process"},
    {"rt_sigprocmask", ARG_ANY, "abort() masks signals around its raise"},
    {"sched_yield", ARG_ANY, "the gate's bounded spin gives way"},
    {"recvmsg", ARG0_WINDOW_SOCK, "receive the board memory for a window"},
    {"mmap", ARG_SHARED_NOEXEC,
     "map a window at its board address (no anonymous memory, nothing executable)"},
    {"mmap", ARG_ANON_NOACCESS,
     "reserve the window of a device with a model without access: its accesses trap "
     "(no memory: nothing can be read, written or run there)"},
    {"munmap", ARG_ANY, "unmap a window"},
    {"close", ARG_ANY, "drop the board memory descriptors once mapped"},
    /* The Rust standard library's start (a Rust task built for the host, docs/rust.md). */
    {"poll", ARG2_ZERO,
     "Rust's start checks that fds 0-2 are open; a timeout of 0 only, so never a wait"},
    {"rt_sigaction", ARG_SIGQUERY_OR_PIPE,
     "Rust's start reads the SIGSEGV and SIGBUS actions (finds the runtime's, keeps them) "
     "and ignores SIGPIPE; no other change to a signal's action"},
};

/* The fidelity check of a task built with a sanitizer or with --coverage: the rows above
 * and these (docs/devtools.md, "What the tools may do"). Found with strace on such tasks
 * (tests/devtools/): the runtimes' own memory, the report on stderr, the debug information
 * read back to symbolize it, gcov's data files. The boundary is unchanged, so none of them
 * reaches past the task: the files it opens are those of its empty read-only root (its
 * binary, its libraries, the daemon's /proc/self entries, the coverage directory). */
static const Row devtools_rows[] = {
    {"mmap", ARG_PRIVATE_NOEXEC,
     "the sanitizer's allocator and shadow memory; its symbolizer maps debug sections"},
    {"futex", ARG1_PRIVATE,
     "the unwinder's one-time initialisation (pthread_once) in the sanitizer's report"},
    {"write", ARG_ANY, "the report on stderr (read by the daemon); gcov's data files"},
    {"open", ARG_ANY, "the sanitizer reads /proc/self/environ and the binaries to symbolize"},
    {"openat", ARG_ANY, "idem, and gcov's data files"},
    {"read", ARG_ANY, "idem"},
    {"readlink", ARG_ANY, "the executable's name (/proc/self/exe: a link to the binary)"},
    {"newfstatat", ARG_ANY, "the symbolizer's size of a binary"},
    {"stat", ARG_ANY,
     "Clang's sanitizers look for an external symbolizer (none is found in the root)"},
    {"fcntl", ARG_ANY, "close-on-exec on the symbolizer's files; gcov locks its data file"},
    {"lseek", ARG_ANY, "gcov reads and rewrites its data file"},
    {"mkdir", ARG_ANY, "gcov creates the directories of its data file"},
    {"access", ARG_ANY, "idem (whether one exists)"},
    {"pipe2", ARG_ANY,
     "UBSan checks that memory is readable before it shows it, by writing it into a pipe "
     "of its own"},
};

/* The boundary of a task with LeakSanitizer (an ASan task: docs/devtools.md, "LeakSanitizer"):
 * the boundary's rows, these in place of the rows of the same calls. Such a task is the
 * first process (pid 1) of a PID namespace of its own (confine-helper.c makes it; the
 * helper checks it): every process it makes is in that namespace and dies with it (the
 * kernel kills a namespace's processes when its pid 1 ends), and "the process itself" is
 * pid 1, the only one a rule lets it trace. */
static const Row lsan_boundary_rows[] = {
    {"clone", ARG0_NOT_LSAN_CLONE,
     "LeakSanitizer's tracer only: CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED, "
     "exactly (no thread, no namespace, no other parent): a process of the task's own PID "
     "namespace, killed with the task"},
    {"ptrace", ARG1_NOT_SELF,
     "the tracer stops the task: the process itself (pid 1) only, nothing outside its "
     "namespace (which it cannot name anyway)"},
    {"prlimit64", ARG0_NOT_ZERO, "its own limits only (pid 0)"},
    {"prlimit64", ARG_CORE_LIMIT_SET,
     "the core limit stays 1 (the helper's): a task made dumpable for the tracer writes no "
     "core, even when the host pipes cores to a handler (a limit of 0 does not stop a pipe)"},
    {"setrlimit", ARG0_CORE_LIMIT, "idem"},
};

/* The fidelity check of such a task: the devtools rows and these, what LeakSanitizer's
 * StopTheWorld calls (compiler-rt's sanitizer_stoptheworld_linux_libcdep.cpp, and the
 * refusals of a leaking task in the sandbox). The boundary above holds whatever the task
 * does with them. */
static const Row lsan_rows[] = {
    {"prctl", ARG0_LSAN_PRCTL,
     "PR_GET_DUMPABLE, PR_SET_DUMPABLE (a process that is not dumpable cannot be traced), "
     "PR_SET_PTRACER (Yama), PR_SET_PDEATHSIG (the tracer dies with the task)"},
    {"mprotect", ARG2_NONE, "the guard page below the tracer's stack: no access"},
    {"clone", ARG0_LSAN_CLONE, "the tracer: the boundary's flags, exactly"},
    {"ptrace", ARG_LSAN_PTRACE,
     "PTRACE_ATTACH, PTRACE_GETREGSET (the registers it scans for pointers), PTRACE_CONT "
     "(a signal that came during the stop, passed on), PTRACE_DETACH; to pid 1 only"},
    {"wait4", ARG2_WALL, "the tracer waits for the stop; the task waits for the tracer"},
    {"getppid", ARG_ANY, "the tracer checks that the task lives"},
    {"sigaltstack", ARG_ANY, "the tracer's signal stack"},
    {"rt_sigaction", ARG0_SYNC_SIGNAL,
     "the tracer's handlers of the synchronous signals (its own: no CLONE_SIGHAND)"},
    {"getdents", ARG_ANY, "the thread list, /proc/1/task (one entry: the task), on x86_64"},
    {"getdents64", ARG_ANY, "idem, where the architecture has no getdents (aarch64)"},
};

/* The ptrace requests of StopTheWorld. */
static const long lsan_ptrace_requests[] = {PTRACE_ATTACH, PTRACE_DETACH, PTRACE_CONT,
                                            PTRACE_GETREGSET};
/* Its prctl options. */
static const long lsan_prctl_options[] = {PR_GET_DUMPABLE, PR_SET_DUMPABLE, PR_SET_PTRACER,
                                          PR_SET_PDEATHSIG};
/* The tracer's synchronous signals (kSyncSignals). */
static const long lsan_sync_signals[] = {SIGABRT, SIGILL,  SIGFPE, SIGSEGV,
                                         SIGBUS,  SIGXCPU, SIGXFSZ};

/* One rule per value of |values| for argument |arg| (its low half: an int), and with
 * |self| the second argument compared to the process itself. */
static int add_each(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned arg, const long *values,
                    size_t n, int self, pid_t pid)
{
	for (size_t i = 0; i < n; i++) {
		struct scmp_arg_cmp c[2] = {{.arg = arg,
		                             .op = SCMP_CMP_MASKED_EQ,
		                             .datum_a = 0xffffffffu,
		                             .datum_b = (scmp_datum_t)values[i]},
		                            SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)pid)};
		int rc = seccomp_rule_add_array(ctx, action, nr, self ? 2 : 1, c);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_row(scmp_filter_ctx ctx, uint32_t action, const Row *row, pid_t pid, int server)
{
	int nr = seccomp_syscall_resolve_name(row->name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* not a system call on this architecture */
	/* a fork server's boundary: its instances inherit it, so no rule may name one pid;
	 * the daemon answers each of these calls itself (sim/host/forksrv.c) */
	switch (server && row->arg == ARG0_NOT_SELF ? ARG_ANY : row->arg) {
	case ARG0_NOT_SELF:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A0(SCMP_CMP_NE, (scmp_datum_t)pid));
	case ARG0_NOT_ZERO:
		return seccomp_rule_add(ctx, action, nr, 1, SCMP_A0(SCMP_CMP_NE, 0));
	case ARG_NOT_PRIO_SELF:
	case ARG_NOT_IOPRIO_SELF: {                                  /* two rules: either refuses */
		scmp_datum_t who = row->arg == ARG_NOT_PRIO_SELF ? 0 /* PRIO_PROCESS */
		                                                 : 1 /* IOPRIO_WHO_PROCESS */;
		int rc = seccomp_rule_add(ctx, action, nr, 1, SCMP_A0(SCMP_CMP_NE, who));
		return rc ? rc : seccomp_rule_add(ctx, action, nr, 1, SCMP_A1(SCMP_CMP_NE, 0));
	}
	case ARG0_SELF:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)pid));
	case ARG0_WINDOW_SOCK:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A0(SCMP_CMP_EQ, SENTRY_WINDOW_SOCK_FD));
	case ARG1_WAIT_WAKE: { /* two rules: either operation (the op is an int: low half) */
		int rc = seccomp_rule_add(ctx, action, nr, 1,
		                          SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, FUTEX_WAIT));
		return rc ? rc
		          : seccomp_rule_add(ctx, action, nr, 1,
		                             SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, FUTEX_WAKE));
	}
	case ARG_SHARED_NOEXEC:
		return seccomp_rule_add(
		    ctx, action, nr, 2, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
		    SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS,
		            MAP_SHARED));
	case ARG_ANON_NOACCESS:
		return seccomp_rule_add(
		    ctx, action, nr, 2, SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffffu, PROT_NONE),
		    SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS,
		            MAP_PRIVATE | MAP_ANONYMOUS));
	case ARG2_ZERO:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffffu, 0)); /* an int */
	case ARG_SIGQUERY_OR_PIPE: { /* two rules: no new action, or the signal is SIGPIPE */
		int rc = seccomp_rule_add(ctx, action, nr, 1, SCMP_A1(SCMP_CMP_EQ, 0));
		return rc ? rc
		          : seccomp_rule_add(ctx, action, nr, 1,
		                             SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, SIGPIPE));
	}
	case ARG_PRIVATE_NOEXEC:
		return seccomp_rule_add(
		    ctx, action, nr, 2, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
		    SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_SHARED | MAP_PRIVATE, MAP_PRIVATE));
	case ARG1_PRIVATE:
		return seccomp_rule_add(
		    ctx, action, nr, 1,
		    SCMP_A1(SCMP_CMP_MASKED_EQ, FUTEX_PRIVATE_FLAG, FUTEX_PRIVATE_FLAG));
	case FAILS_ENOSYS:
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
	case ARG0_NOT_LSAN_CLONE: /* all 64 bits: any other value is refused */
		return seccomp_rule_add(ctx, action, nr, 1, SCMP_A0(SCMP_CMP_NE, LSAN_CLONE_FLAGS));
	case ARG0_LSAN_CLONE:
		return seccomp_rule_add(ctx, action, nr, 1, SCMP_A0(SCMP_CMP_EQ, LSAN_CLONE_FLAGS));
	case ARG1_NOT_SELF:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A1(SCMP_CMP_NE, (scmp_datum_t)pid));
	case ARG_CORE_LIMIT_SET:
		return seccomp_rule_add(ctx, action, nr, 2,
		                        SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, RLIMIT_CORE),
		                        SCMP_A2(SCMP_CMP_NE, 0));
	case ARG0_CORE_LIMIT:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, RLIMIT_CORE));
	case ARG_LSAN_PTRACE:
		return add_each(ctx, action, nr, 0, lsan_ptrace_requests,
		                N_OF(lsan_ptrace_requests), 1, pid);
	case ARG0_LSAN_PRCTL:
		return add_each(ctx, action, nr, 0, lsan_prctl_options, N_OF(lsan_prctl_options), 0,
		                pid);
	case ARG0_SYNC_SIGNAL:
		return add_each(ctx, action, nr, 0, lsan_sync_signals, N_OF(lsan_sync_signals), 0,
		                pid);
	case ARG2_NONE:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffffu, PROT_NONE));
	case ARG2_WALL:
		return seccomp_rule_add(ctx, action, nr, 1,
		                        SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffffu, __WALL));
	default:
		return seccomp_rule_add(ctx, action, nr, 0);
	}
}

/* Is a row named |name| in |rows|? */
static int named_in(const char *name, const Row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rows && strcmp(rows[i].name, name) == 0)
			return 1;
	return 0;
}

/* The rows of |policy|, in up to three lists: |lists[k]| of |lens[k]| rows; the rows of
 * the first list named in *|skip| (the LeakSanitizer boundary's replacements) are left out. */
static size_t policy_rows(SandboxPolicy policy, const Row *lists[3], size_t lens[3],
                          const Row **skip, size_t *n_skip)
{
	*skip = NULL;
	*n_skip = 0;
	if (policy == SANDBOX_BOUNDARY || policy == SANDBOX_BOUNDARY_LSAN ||
	    policy == SANDBOX_BOUNDARY_SERVER) {
		lists[0] = boundary_rows;
		lens[0] = N_OF(boundary_rows);
		if (policy != SANDBOX_BOUNDARY_LSAN)
			return 1;
		lists[1] = lsan_boundary_rows;
		lens[1] = N_OF(lsan_boundary_rows);
		*skip = lsan_boundary_rows;
		*n_skip = N_OF(lsan_boundary_rows);
		return 2;
	}
	lists[0] = fidelity_rows;
	lens[0] = N_OF(fidelity_rows);
	if (policy == SANDBOX_FIDELITY)
		return 1;
	lists[1] = devtools_rows;
	lens[1] = N_OF(devtools_rows);
	if (policy == SANDBOX_FIDELITY_DEVTOOLS)
		return 2;
	lists[2] = lsan_rows;
	lens[2] = N_OF(lsan_rows);
	return 3;
}

scmp_filter_ctx sandbox_build(SandboxPolicy policy, pid_t pid, const char **err)
{
	int server = policy == SANDBOX_BOUNDARY_SERVER;
	int boundary = policy == SANDBOX_BOUNDARY || policy == SANDBOX_BOUNDARY_LSAN || server;
	uint32_t dflt = boundary ? SCMP_ACT_ALLOW : SCMP_ACT_TRAP;
	uint32_t action = boundary ? SCMP_ACT_NOTIFY : SCMP_ACT_ALLOW;
	scmp_filter_ctx ctx = seccomp_init(dflt);
	if (!ctx) {
		*err = "seccomp_init failed";
		return NULL;
	}
	/* a binary tree of system call numbers, not a list: the kernel runs the program for
	 * every call number when it is loaded (to cache the constant answers), and at each
	 * call the fidelity check cannot cache (futex, mmap, ...); measured: loading the
	 * boundary takes half the time (140 -> 72 us) */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) != 0) {
		*err = "seccomp_attr_set failed";
		seccomp_release(ctx);
		return NULL;
	}
	const Row *lists[3], *skip;
	size_t lens[3], n_skip;
	size_t k = policy_rows(policy, lists, lens, &skip, &n_skip);
	for (size_t l = 0; l < k; l++)
		for (size_t i = 0; i < lens[l]; i++) {
			if (l == 0 && named_in(lists[l][i].name, skip, n_skip))
				continue;
			if (add_row(ctx, action, &lists[l][i], pid, server) < 0) {
				*err = "seccomp_rule_add failed";
				seccomp_release(ctx);
				return NULL;
			}
		}
	return ctx;
}

/* The comparisons with the process itself that one row makes (a placeholder each). */
static size_t self_comparisons(const Row *row)
{
	if (seccomp_syscall_resolve_name(row->name) == __NR_SCMP_ERROR)
		return 0;
	switch (row->arg) {
	case ARG0_NOT_SELF:
	case ARG0_SELF:
	case ARG1_NOT_SELF:
		return 1;
	case ARG_LSAN_PTRACE:
		return N_OF(lsan_ptrace_requests);
	default:
		return 0;
	}
}

/* The comparisons of |policy| that name the process itself. */
static size_t self_rows(SandboxPolicy policy)
{
	const Row *lists[3], *skip;
	size_t lens[3], n_skip, k = 0;
	if (policy == SANDBOX_BOUNDARY_SERVER)
		return 0; /* its signal rows name no pid */
	size_t n = policy_rows(policy, lists, lens, &skip, &n_skip);
	for (size_t l = 0; l < n; l++)
		for (size_t i = 0; i < lens[l]; i++)
			if (!(l == 0 && named_in(lists[l][i].name, skip, n_skip)))
				k += self_comparisons(&lists[l][i]);
	return k;
}

/* Export |ctx| as BPF into a new buffer (libseccomp 2.5 exports only to a descriptor). */
static const char *export_bpf(scmp_filter_ctx ctx, struct sock_filter **insns, size_t *n)
{
	int fd = memfd_create("sentry-policy-export", MFD_CLOEXEC);
	if (fd < 0)
		return "cannot create a buffer for the filter";
	const char *err = NULL;
	struct stat st;
	if (seccomp_export_bpf(ctx, fd) != 0 || fstat(fd, &st) != 0 ||
	    st.st_size % sizeof(struct sock_filter) != 0 || st.st_size == 0)
		err = "cannot export the filter";
	size_t len = err ? 0 : (size_t)st.st_size;
	*insns = err ? NULL : malloc(len);
	if (!err && (!*insns || pread(fd, *insns, len, 0) != (ssize_t)len))
		err = "cannot read the exported filter";
	close(fd);
	if (err) {
		free(*insns);
		*insns = NULL;
		return err;
	}
	*n = len / sizeof(struct sock_filter);
	return NULL;
}

int sandbox_program(SandboxPolicy policy, const struct sock_filter **insns, size_t *n,
                    const char **err)
{
	static struct sock_filter *built[SANDBOX_N_POLICIES];
	static size_t len[SANDBOX_N_POLICIES];
	if (!built[policy]) {
		/* only BPF is made here: the user notification action needs API level 5, which
		 * libseccomp would otherwise probe with seccomp(2) (refused under valgrind); the
		 * kernel's support is checked when the helper loads the program */
		if (seccomp_api_get() < 5)
			seccomp_api_set(5);
		scmp_filter_ctx ctx = sandbox_build(policy, (pid_t)SANDBOX_SELF_PID, err);
		if (!ctx)
			return 0;
		struct sock_filter *f = NULL;
		size_t k = 0;
		*err = export_bpf(ctx, &f, &k);
		seccomp_release(ctx);
		if (*err)
			return 0;
		/* the placeholder is in the comparisons of the rows that name the process, and
		 * nowhere else (libseccomp shares the code of identical rules: at most one
		 * comparison each) */
		size_t found = 0;
		for (size_t i = 0; i < k; i++)
			found += BPF_CLASS(f[i].code) == BPF_JMP && BPF_SRC(f[i].code) == BPF_K &&
			         f[i].k == SANDBOX_SELF_PID;
		size_t rows = self_rows(policy);
		if (found > rows || (rows && !found)) {
			free(f);
			*err = "the pid placeholder is ambiguous in the filter";
			return 0;
		}
		built[policy] = f;
		len[policy] = k;
	}
	*insns = built[policy];
	*n = len[policy];
	return 1;
}
