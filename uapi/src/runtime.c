/*
 * runtime.c: the task side of sentry-sim, linked into every task through libsentry-uapi.
 *
 * Boot (a constructor, before main): map the shared page the daemon passed as fd 3 and the
 * doorbell page (fd 5, read-only), set up the fatal-signal handlers that record a crash for
 * the daemon's diagnosis, install the strict seccomp filter, tell the daemon we are ready,
 * and wait to be started. Then run the entry: a configured entry(r0, r1), shield's
 * __shield_start(r0, r1), or main (by returning to the C runtime; main's return reaches
 * __sys_exit through on_exit).
 *
 * The gate: copy the part of the exchange area (_s_svcexchange) the call uses to the page
 * (span.h), post the request, spin for as long as the daemon says (or yield, when the
 * daemon shares this CPU) and then futex-wait on this task's doorbell word for the reply,
 * copy back the part the reply carries. A task the daemon parks may be asked to wake the
 * next task first (wire.h). The runtime never asks which CPU it runs on (no sched_getcpu:
 * the boundary refuses rseq, and the vDSO is gone).
 *
 * A task that links shield exports POSIX names (memcpy, _exit, sigemptyset, ...) that take
 * precedence over the C library's for every object in the process, this one included. So
 * the runtime never calls a name shield may define where the two differ: it copies with
 * its own loop and ends the process with the raw exit_group system call.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <link.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>
#include <sys/auxv.h>
#include <ucontext.h>
#include <unistd.h>

#include <uapi/platform.h>
#include <uapi/uapi.h>

#include "uapi/src/gate.h"
#include "uapi/src/rawsys.h"
#include "uapi/src/span.h"
#include "uapi/src/trap.h"
#include "uapi/src/wire.h"

#define EXPORT __attribute__((visibility("default")))

/* The exchange area (uapi.md 1.6): the task reads and writes it directly; the gate hands
 * it to the kernel with each request. Sized for the largest configurable area. */
EXPORT uint8_t _s_svcexchange[SENTRY_PAGE_EXCHANGE_MAX] __attribute__((aligned(64)));
#define STR_(x) #x
#define STR(x)  STR_(x)
__asm__(".globl _e_svcexchange\n\t"
        ".type _e_svcexchange, @object\n\t"
        ".set _e_svcexchange, _s_svcexchange + " STR(SENTRY_SVCEXCHANGE_LEN));

static struct sentry_page *page;
static const struct sentry_boot *boot; /* the daemon's second page (wire.h) */
static const uint32_t *doorbell;       /* read-only: one futex word per task (wire.h) */
static uint32_t xlen;
static uint32_t spin_budget; /* pause iterations (wire.h) */
static uint32_t bell_slot;   /* this task's word on the doorbell page */
static uint32_t whole_area;  /* every call moves the whole exchange area (wire.h) */
static uint8_t altstack[64 * 1024] __attribute__((aligned(16)));

extern void __shield_start(uint32_t thread_id, uint32_t seed) __attribute__((weak));
/* gcov's runtime, in a task built with --coverage. A weak reference pulls nothing out of
 * libgcov.a: __gcov_dump is there only when the task calls it itself, while the object with
 * __gcov_dump_one and __gcov_root (GCC 7 and later) comes with every instrumented task. */
extern void __gcov_dump(void) __attribute__((weak));
extern void __gcov_dump_one(void *root) __attribute__((weak));
extern char __gcov_root[] __attribute__((weak));
/* LeakSanitizer's check, in a task built with ASan or -fsanitize=leak (weak: absent
 * otherwise). Its own check at exit is an atexit handler, which never runs when the task
 * ends through __sys_exit (an entry's or shield's return, or main's, whose on_exit handler
 * may run first); the runtime makes it before the exit call. A second call does nothing. */
extern void __lsan_do_leak_check(void) __attribute__((weak));
extern void *__libc_malloc(size_t size);
extern void __libc_free(void *ptr);

static long futex(uint32_t *word, int op, uint32_t val)
{
	return raw_syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* The process ends now, whatever a task library defines as _exit. */
static __attribute__((noreturn)) void die(int status)
{
	for (;;)
		raw_syscall(SYS_exit_group, status);
}

/* Copy the exchange area (8-byte aligned at both ends): the gate's hot path. */
static void copy_area(uint8_t *restrict to, const uint8_t *restrict from, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		__builtin_memcpy(&w, from + i, 8);
		__builtin_memcpy(to + i, &w, 8);
	}
	for (; i < len; i++)
		to[i] = from[i];
}

/* The daemon handed this task the wake-up of the next one (wire.h): do it, unless the
 * daemon took it back. */
static void hand_over(void)
{
	uint32_t w = __atomic_exchange_n(&page->wake, 0, __ATOMIC_SEQ_CST);
	if (w && w <= SENTRY_DOORBELL_SLOTS)
		futex((uint32_t *)&doorbell[w - 1], FUTEX_WAKE, 1);
}

/* Requests the daemon does not answer soon (or ever): the task sleeps at once. */
static int answered_late(uint32_t kind)
{
	return kind == SENTRY_REQ_BOOT || kind == SENTRY_REQ_HANG ||
	       kind == SENTRY_REQ_BOOT_FAILED || kind == SENTRY_REQ_WINDOW_FAILED;
}

/* Post a request and wait for the daemon's reply; returns r0. The wait (wire.h): a bounded
 * spin of the daemon's length, longer if this request woke the daemon (its answer then
 * comes after its wake-up); on a CPU shared with the daemon, yields; then the futex sleep
 * on this task's doorbell word. */
static uint32_t post(uint32_t kind, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	page->req_kind = kind;
	page->nr = nr;
	page->args[0] = a0;
	page->args[1] = a1;
	page->args[2] = a2;
	uint32_t seq = page->req_seq + 1;
	__atomic_store_n(&page->req_seq, seq, __ATOMIC_SEQ_CST);
	int woke = 0;
	if (__atomic_load_n(&page->daemon_sleeping, __ATOMIC_SEQ_CST)) {
		futex(&page->req_seq, FUTEX_WAKE, 1);
		woke = 1;
	}

	uint32_t spin = 0, yields = 0;
	if (!answered_late(kind)) {
		/* read now: the daemon shortens it when its CPU is busy */
		spin = spin_budget && woke ? page->wake_spin_iterations : spin_budget;
		yields = spin_budget ? 0 : SENTRY_YIELDS;
	}
	for (uint32_t i = 0; i < spin; i++) {
		if (__atomic_load_n(&page->resp_seq, __ATOMIC_ACQUIRE) == seq)
			return page->r0;
		if (__atomic_load_n(&page->park, __ATOMIC_RELAXED))
			break;
		cpu_relax();
	}
	for (uint32_t i = 0; i < yields && !__atomic_load_n(&page->park, __ATOMIC_RELAXED); i++) {
		if (__atomic_load_n(&page->resp_seq, __ATOMIC_ACQUIRE) == seq)
			return page->r0;
		raw_syscall(SYS_sched_yield);
	}
	uint32_t *bell = (uint32_t *)&doorbell[bell_slot];
	/* Parked: wake the next task before flagging this one asleep. It runs on this CPU and
	 * usually takes it at once; until this task runs again, the daemon sees it awake, so it
	 * neither rings its bell nor asks the next task to wake it (which would cost the other
	 * task a futex wake of a runnable process and this one a futex wait that returns at
	 * once). When this task's job sleeps on a timer, the daemon has made the next one wait
	 * for this one's sleep instead (SCHED_BATCH: sim/host/proc.c, set_preempting). The
	 * call in the loop covers a |wake| raised after this one. */
	hand_over();
	for (;;) {
		uint32_t ring = __atomic_load_n(bell, __ATOMIC_ACQUIRE);
		__atomic_store_n(&page->task_sleeping, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&page->resp_seq, __ATOMIC_SEQ_CST) == seq)
			break;
		hand_over(); /* after the sleeping flag: the daemon reads it to decide who wakes */
		futex(bell, FUTEX_WAIT, ring);
	}
	__atomic_store_n(&page->task_sleeping, 0, __ATOMIC_RELAXED);
	return page->r0;
}

/* A mapping gate succeeded or a window left: apply the daemon's page operations. Each
 * mapping operation comes with its own descriptor over the window socket, in order: the
 * memory object of that window only, read-only when the grant is read-only. They are
 * closed at once (the daemon verifies it and faults a task that keeps one). */
static void apply_windows(void)
{
	uint32_t n = page->n_ops < SENTRY_PAGE_MAX_OPS ? page->n_ops : SENTRY_PAGE_MAX_OPS;
	int fds[SENTRY_PAGE_MAX_OPS];
	uint32_t n_fds = 0;
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(SENTRY_PAGE_MAX_OPS * sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = ctl.buf,
	                     .msg_controllen = sizeof(ctl.buf)};
	uint32_t n_maps = 0;
	for (uint32_t i = 0; i < n; i++)
		n_maps += page->ops[i].prot != 0 && page->ops[i].prot != SENTRY_WINDOW_TRAP;
	if (n_maps &&
	    raw_syscall(SYS_recvmsg, SENTRY_WINDOW_SOCK_FD, &msg, MSG_CMSG_CLOEXEC) == 1) {
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len >= CMSG_LEN(0)) {
			n_fds = (uint32_t)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			if (n_fds > SENTRY_PAGE_MAX_OPS)
				n_fds = SENTRY_PAGE_MAX_OPS;
			__builtin_memcpy(fds, CMSG_DATA(c), n_fds * sizeof(int));
		}
	}
	const char *failed = n_fds != n_maps ? "the board memory descriptors did not arrive" : NULL;
	uint64_t where = 0;
	for (uint32_t i = 0, k = 0; i < n && !failed; i++) {
		const struct sentry_window_op *op = &page->ops[i];
		where = op->addr;
		sentry_trap_window(op->addr, op->len, op->prot == SENTRY_WINDOW_TRAP);
		if (op->prot == 0) {
			if (raw_syscall(SYS_munmap, op->addr, op->len) != 0)
				failed = "munmap failed";
			continue;
		}
		int flags = MAP_SHARED | (op->fresh ? MAP_FIXED_NOREPLACE : MAP_FIXED);
		/* a device with a model: no memory, every access traps (trap.c) */
		int trap = op->prot == SENTRY_WINDOW_TRAP;
		long got =
		    raw_syscall(SYS_mmap, op->addr, op->len, trap ? PROT_NONE : op->prot,
		                trap ? (flags ^ MAP_SHARED) | MAP_PRIVATE | MAP_ANONYMOUS : flags,
		                trap ? -1 : fds[k++], trap ? 0 : op->offset);
		if ((uint64_t)got != op->addr)
			failed = got == -EEXIST
			             ? "the address is already used by the task's own memory"
			             : "mmap failed";
	}
	for (uint32_t i = 0; i < n_fds; i++)
		raw_syscall(SYS_close, fds[i]);
	page->n_ops = 0;
	if (failed) {
		snprintf(page->message, sizeof(page->message),
		         "cannot map the window at 0x%" PRIx64 ": %s", where, failed);
		(void)post(SENTRY_REQ_WINDOW_FAILED, 0, 0, 0, 0); /* never answered */
	}
}

/* The exchange bytes of a call (span.h): the request's cache line carries a short span,
 * the page's area a longer one; the reply says how many come back, and where by the same
 * rule. A daemon observer that reads the whole area asks for all of it (wire.h). */
uint32_t sentry_gate(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	uint32_t span = whole_area ? xlen : sentry_exchange_span(nr, a0, a1, xlen);
	copy_area(span <= SENTRY_INLINE_REQ ? page->req_x : page->exch, _s_svcexchange, span);
	uint32_t r0 = post(SENTRY_REQ_SYSCALL, nr, a0, a1, a2);
	if (page->n_ops)
		apply_windows();
	uint32_t back = page->resp_xlen < xlen ? page->resp_xlen : xlen;
	copy_area(_s_svcexchange, back <= SENTRY_INLINE_RESP ? page->resp_x : page->exch, back);
	return r0;
}

/* Simulator only (docs/fuzzing.md): a raw trap with any number and arguments, bypassing
 * the library's conversions, for the fuzz task of `sentry-sim fuzz`. Not in any header of
 * the installed API. */
EXPORT uint32_t __sentry_sim_raw_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);
EXPORT uint32_t __sentry_sim_raw_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	return sentry_gate(nr, a0, a1, a2);
}

/* Simulator only: a control request of the fuzz task to `sentry-sim fuzz`'s daemon (what
 * the in-process driver does outside the tasks: resolve a reference to the system, let time
 * pass, inject a stimulus). The answer is r0; if the request lets another task run, it
 * comes with this task's next resume instead. Other daemons refuse it as a protocol
 * violation. */
EXPORT uint32_t __sentry_sim_fuzz_control(uint32_t op, uint32_t a, uint32_t b);
EXPORT uint32_t __sentry_sim_fuzz_control(uint32_t op, uint32_t a, uint32_t b)
{
	uint32_t r0 = post(SENTRY_REQ_FUZZ, op, a, b, 0);
	if (page->n_ops)
		apply_windows();
	return r0;
}

/* Simulator only: the library's panic loop (sentry_hang), for the same task. */
EXPORT void __sentry_sim_hang(void);
EXPORT void __sentry_sim_hang(void)
{
	sentry_hang();
}

void sentry_before_exit(void)
{
	/* the daemon allows gcov's file calls only when it saw gcov in the binary; gcov keeps
	 * itself from writing twice (a main that returned has written through atexit) */
	if (!boot || !(boot->flags & SENTRY_BOOT_DEVTOOLS))
		return;
	if (__lsan_do_leak_check)
		__lsan_do_leak_check(); /* a leak ends the task here, with the sanitizer's exit code
		                         */
	if (__gcov_dump)
		__gcov_dump();
	else if (__gcov_dump_one && __gcov_root)
		__gcov_dump_one(__gcov_root);
}

struct sentry_trap *sentry_trap_area(void)
{
	return page ? &page->trap : NULL;
}

/* trap.c: a register access of a device with a model, answered like a call. */
void sentry_trap_post(void)
{
	(void)post(SENTRY_REQ_MMIO, 0, 0, 0, 0);
	if (page->n_ops)
		apply_windows();
}

void sentry_report(enum sentry_report what, uint32_t a, uint32_t b)
{
	(void)post(SENTRY_REQ_REPORT, (uint32_t)what, a, b, 0);
}

void sentry_hang(void)
{
	for (;;)
		(void)post(SENTRY_REQ_HANG, 0, 0, 0, 0); /* never answered */
}

size_t sentry_exchange_len(void)
{
	return xlen;
}

#if defined(__x86_64__)
static volatile uint32_t tsc_emulated; /* rdtsc or rdtscp answered by emulate_tsc */

/* rdtsc and rdtscp trap (PR_SET_TSC): answer with the virtual cycle counter, one cycle per
 * virtual nanosecond, as of the last reply. Returns 1 if the instruction was emulated. */
static int emulate_tsc(const siginfo_t *si, ucontext_t *uc)
{
	if (si->si_code != SI_KERNEL || !boot)
		return 0;
	const uint8_t *ip = (const uint8_t *)uc->uc_mcontext.gregs[REG_RIP];
	uint64_t cycles = __atomic_load_n(&boot->virtual_ns, __ATOMIC_RELAXED);
	int len = ip[0] == 0x0f && ip[1] == 0x31                    ? 2
	          : ip[0] == 0x0f && ip[1] == 0x01 && ip[2] == 0xf9 ? 3
	                                                            : 0;
	if (!len)
		return 0;
	uc->uc_mcontext.gregs[REG_RAX] = (greg_t)(cycles & 0xffffffffu);
	uc->uc_mcontext.gregs[REG_RDX] = (greg_t)(cycles >> 32);
	if (len == 3)
		uc->uc_mcontext.gregs[REG_RCX] = 0; /* TSC_AUX: CPU 0 */
	uc->uc_mcontext.gregs[REG_RIP] += len;
	tsc_emulated = 1;
	return 1;
}

/* Make rdtsc trap, and see that it does: some hosts accept PR_SET_TSC and ignore it (a
 * virtual machine whose guest kernel cannot set CR4.TSD), and the daemon says so. */
static void trap_tsc(void)
{
	raw_syscall(SYS_prctl, PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	if (!tsc_emulated)
		((struct sentry_boot *)boot)->tsc_untrapped = 1;
}
#endif

/* The daemon asked (SENTRY_BOOT_HOLD_FAULT): wake it and wait, bounded, until it has read
 * this process at its fault (symbolized the fault, dumped a core; sim/host/debug.c). */
static void hold_for_daemon(void)
{
	if (!(boot->flags & SENTRY_BOOT_HOLD_FAULT))
		return;
	futex(&page->req_seq, FUTEX_WAKE, 1);
	struct timespec slice = {0, 100 * 1000 * 1000};
	for (uint32_t i = 0; i < SENTRY_FAULT_HOLD_MS / 100u; i++) {
		if (__atomic_load_n(&page->fault_release, __ATOMIC_ACQUIRE))
			return;
		raw_syscall(SYS_futex, &page->fault_release, FUTEX_WAIT, 0, &slice, NULL, 0);
	}
}

/* Record a fatal signal for the daemon, then die of it. */
static void on_fatal(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
#if defined(__x86_64__)
	if (sig == SIGSEGV && (emulate_tsc(si, uc) || sentry_trap_fault(si, uc)))
		return;
#endif
	if (!__atomic_load_n(&page->fault_signo, __ATOMIC_RELAXED)) {
		page->fault_code = si->si_code;
		page->fault_addr = (uint64_t)(uintptr_t)si->si_addr;
#if defined(__x86_64__)
		page->fault_ip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
		page->fault_ip = (uint64_t)uc->uc_mcontext.pc;
#endif
		if (sig == SIGSYS) {
			page->fault_syscall = (uint32_t)si->si_syscall;
			page->fault_ip = (uint64_t)(uintptr_t)si->si_call_addr;
		}
		if (sig == SIGSEGV && page->fault_addr < page->stack_high &&
		    page->fault_addr + 256 * 1024 >= page->stack_low)
			page->fault_stack_overflow = 1;
		__atomic_store_n(&page->fault_signo, (uint32_t)sig, __ATOMIC_RELEASE);
		hold_for_daemon();
	}
	if (sig == SIGSEGV) {
		/* kept installed for rdtsc: block it for the return, so that the faulting
		 * instruction faults again with the signal blocked, which kills */
		uc->uc_sigmask.__val[0] |= 1ul << (SIGSEGV - 1); /* no sigaddset: shield's */
		return;
	}
	/* SA_RESETHAND restored the default action. A faulting instruction faults again on
	 * return; a signal raised on purpose must be raised again. */
	if (sig == SIGTRAP || sig == SIGABRT || sig == SIGSYS)
		raw_syscall(SYS_tgkill, raw_syscall(SYS_getpid), raw_syscall(SYS_gettid), sig);
	/* Still here: the task is the first process of a PID namespace (a task with
	 * LeakSanitizer, docs/devtools.md), which ignores a signal of its own with the default
	 * action. A refused call made again traps again, with the default action now: the
	 * kernel's signal, which kills it. (abort() goes on to its last resort, a SIGSEGV.) */
	if (sig == SIGSYS) {
#if defined(__x86_64__)
		uc->uc_mcontext.gregs[REG_RIP] -= 2; /* the syscall instruction */
		uc->uc_mcontext.gregs[REG_RAX] = si->si_syscall;
#elif defined(__aarch64__)
		uc->uc_mcontext.pc -= 4; /* svc #0 */
		uc->uc_mcontext.regs[8] = (uint64_t)si->si_syscall;
#endif
	}
}

/* The kernel's struct sigaction (rt_sigaction), filled without any library call. */
struct kernel_sigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

#if defined(__x86_64__)
#define SENTRY_SA_RESTORER 0x04000000ul
void __sentry_sim_restore_rt(void) __attribute__((visibility("hidden")));
/* Its unwind information says where the interrupted registers are (in the ucontext at
 * the stack pointer, as glibc's __restore_rt does), so that a debugger or the daemon's
 * symbolizer unwinds from the handler into the faulting code. The FDE covers the nop
 * before it: an unwinder looks up a return address minus one. Offsets: uc_mcontext.gregs
 * is at 40 in the ucontext; DWARF register N at 40 + 8 * REG_x; the CFA is the saved rsp
 * (160). Each is DW_CFA_expression N, DW_OP_breg7 (rsp) + offset (two-byte SLEB128). */
#define SENTRY_CFI_REG(n, sleb) ".cfi_escape 0x10, " #n ", 0x03, 0x77, " sleb "\n\t"
__asm__(".text\n\t.align 16\n\t.globl __sentry_sim_restore_rt\n\t"
        ".hidden __sentry_sim_restore_rt\n\t.type __sentry_sim_restore_rt, @function\n\t"
        ".cfi_startproc simple\n\t.cfi_signal_frame\n\t"
        ".cfi_escape 0x0f, 0x04, 0x77, 0xa0, 0x01, 0x06\n\t"              /* CFA = *(rsp + 160) */
        SENTRY_CFI_REG(0, "0x90, 0x01") SENTRY_CFI_REG(1, "0x88, 0x01")   /* rax, rdx */
        SENTRY_CFI_REG(2, "0x98, 0x01") SENTRY_CFI_REG(3, "0x80, 0x01")   /* rcx, rbx */
        SENTRY_CFI_REG(4, "0xf0, 0x00") SENTRY_CFI_REG(5, "0xe8, 0x00")   /* rsi, rdi */
        SENTRY_CFI_REG(6, "0xf8, 0x00") SENTRY_CFI_REG(8, "0xa8, 0x00")   /* rbp, r8 */
        SENTRY_CFI_REG(9, "0xb0, 0x00") SENTRY_CFI_REG(10, "0xb8, 0x00")  /* r9, r10 */
        SENTRY_CFI_REG(11, "0xc0, 0x00") SENTRY_CFI_REG(12, "0xc8, 0x00") /* r11, r12 */
        SENTRY_CFI_REG(13, "0xd0, 0x00") SENTRY_CFI_REG(14, "0xd8, 0x00") /* r13, r14 */
        SENTRY_CFI_REG(15, "0xe0, 0x00") SENTRY_CFI_REG(16, "0xa8, 0x01") /* r15, rip */
        "nop\n"
        "__sentry_sim_restore_rt:\n\tmov $15, %rax\n\tsyscall\n\thlt\n\t"
        ".cfi_endproc\n\t.size __sentry_sim_restore_rt, .-__sentry_sim_restore_rt\n");
#endif

/* SENTRY_FLUSH_SIGNAL: the daemon ends the run while this task waits in its gate (in no
 * library call): gcov writes the task's data now, then the daemon is told. */
static void on_flush(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	sentry_before_exit();
	__atomic_add_fetch(&((struct sentry_boot *)boot)->devtools_flushed, 1, __ATOMIC_RELEASE);
}

static void install_flush_handler(void)
{
	struct kernel_sigaction ka = {.handler = on_flush, .flags = SA_SIGINFO | SA_RESTART};
#if defined(__x86_64__)
	ka.flags |= SENTRY_SA_RESTORER;
	ka.restorer = __sentry_sim_restore_rt;
#endif
	raw_syscall(SYS_rt_sigaction, SENTRY_FLUSH_SIGNAL, &ka, NULL, sizeof(ka.mask));
}

#if defined(__x86_64__)
/* Restart in place (wire.h, SENTRY_RESTART_SIGNAL): where the boot resumes, and the handler
 * that waits there. While it waits, the daemon rewrites this process's memory, stacks
 * included: from the moment it says WAITING until GO, it runs from registers only. */
static void *restart_point[5];

static void on_restart(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	uint32_t *state = &page->restart;
	if (__atomic_load_n(state, __ATOMIC_ACQUIRE) != SENTRY_RESTART_ASKED)
		return; /* not the daemon's request */
	__asm__ volatile("movl %[waiting], (%[state])\n\t"
	                 "1: movl (%[state]), %%edx\n\t"
	                 "cmpl %[go], %%edx\n\t"
	                 "je 2f\n\t"
	                 "movq %[state], %%rdi\n\t" /* futex(state, FUTEX_WAIT, edx, NULL) */
	                 "xorl %%esi, %%esi\n\t"
	                 "xorl %%r10d, %%r10d\n\t"
	                 "movl %[nr], %%eax\n\t"
	                 "syscall\n\t"
	                 "jmp 1b\n"
	                 "2:"
	                 :
	                 : [state] "r"(state), [waiting] "i"(SENTRY_RESTART_WAITING),
	                   [go] "i"(SENTRY_RESTART_GO), [nr] "i"(SYS_futex)
	                 : "rax", "rdi", "rsi", "rdx", "r10", "rcx", "r11", "memory");
	__builtin_longjmp(restart_point, 1);
}

static void install_restart_handler(void)
{
	/* SA_NODEFER: the handler never returns, so nothing must stay blocked */
	struct kernel_sigaction ka = {.handler = on_restart,
	                              .flags = SA_SIGINFO | SA_NODEFER | SENTRY_SA_RESTORER,
	                              .restorer = __sentry_sim_restore_rt};
	raw_syscall(SYS_rt_sigaction, SENTRY_RESTART_SIGNAL, &ka, NULL, sizeof(ka.mask));
}
#endif

static void install_fatal_handlers(void)
{
	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
	raw_syscall(SYS_sigaltstack, &ss, NULL);
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT, SIGSYS};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct kernel_sigaction ka = {.handler = on_fatal,
		                              .flags =
		                                  SA_SIGINFO | SA_ONSTACK |
		                                  (sigs[i] == SIGSEGV ? SA_NODEFER : SA_RESETHAND)};
#if defined(__x86_64__)
		ka.flags |= SENTRY_SA_RESTORER;
		ka.restorer = __sentry_sim_restore_rt;
#endif
		raw_syscall(SYS_rt_sigaction, sigs[i], &ka, NULL, sizeof(ka.mask));
	}
}

static void record_stack(void)
{
	volatile char here;
	struct rlimit rl;
	uint64_t high = ((uint64_t)(uintptr_t)&here + 4096) & ~4095ull;
	uint64_t size = 8u << 20;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		size = rl.rlim_cur;
	page->stack_high = high;
	page->stack_low = high > size ? high - size : 0;
}

/* The vDSO's clocks would read host time without a system call: unmap the vDSO, so that
 * a task reading the time faults at once (SIGSEGV at the vDSO's address, the same in
 * every run) instead of reading a value that differs between runs. x86_64 only: there
 * signal return does not go through the vDSO (SA_RESTORER). */
static int vdso_extent(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	uintptr_t base = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
	if (!base || info->dlpi_addr != base)
		return 0;
	uintptr_t end = base;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD) {
			uintptr_t e = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr +
			              info->dlpi_phdr[i].p_memsz;
			if (e > end)
				end = e;
		}
	*(uintptr_t *)data = (end + 4095) & ~(uintptr_t)4095;
	return 1;
}

static void hide_vdso_clocks(void)
{
#if defined(__x86_64__)
	uintptr_t base = (uintptr_t)getauxval(AT_SYSINFO_EHDR), end = 0;
	if (!base)
		return;
	dl_iterate_phdr(vdso_extent, &end);
	if (end > base)
		raw_syscall(SYS_munmap, base, end - base);
#endif
}

static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
	*(uintptr_t *)data = (uintptr_t)info->dlpi_addr;
	return 1; /* the first object is the executable */
}

/* The exchange area's length and span, and the spin: from the page, at each start. */
static void read_page_settings(void)
{
	xlen = page->exchange_len <= SENTRY_PAGE_EXCHANGE_MAX ? page->exchange_len
	                                                      : SENTRY_PAGE_EXCHANGE_MAX;
	spin_budget = page->spin_iterations;
	whole_area = page->exchange_whole;
}

/* A runtime that cannot start says why to the daemon (or to a person) and ends. */
static __attribute__((noreturn)) void boot_failed(const char *what)
{
	if (page && doorbell) {
		snprintf(page->message, sizeof(page->message), "%s", what);
		(void)post(SENTRY_REQ_BOOT_FAILED, 0, 0, 0, 0);
	} else {
		fprintf(stderr, "sentry-uapi: %s\n", what);
	}
	die(70);
}

static void on_main_exit(int status, void *arg)
{
	__sys_exit(status);
}

/* A fork server (wire.h): wait for the daemon's requests and clone an instance for each.
 * Returns only in an instance, once the daemon has put its descriptors in place. Nothing
 * here is trusted by the daemon: it verifies each instance before it gives it anything. */
static void serve_forks(struct sentry_page *ctl, size_t len)
{
	uint32_t seen = 0;
	__atomic_store_n(&ctl->resp_seq, 1, __ATOMIC_SEQ_CST); /* waiting */
	futex(&ctl->resp_seq, FUTEX_WAKE, 1);
	for (;;) {
		uint32_t want = __atomic_load_n(&ctl->req_seq, __ATOMIC_ACQUIRE);
		if (want == seen) {
			futex(&ctl->req_seq, FUTEX_WAIT, seen);
			continue;
		}
		seen = want;
		/* like fork(), with the daemon as the parent (its child, as any task process) */
		if (raw_syscall(SYS_clone, SENTRY_FORKSRV_CLONE, 0, 0, 0, 0) == 0)
			break;
	}
	raw_syscall(SYS_munmap, ctl, len);
	raw_syscall(SYS_close_range, 0, ~0u, 0);
	if (raw_syscall(SYS_kill, 0, 0) != 0) /* the hello: the daemon answers 0 */
		die(127);
	/* its descriptors: the window socket is there; the others come over it (wire.h) */
	int fds[SENTRY_FORKSRV_FDS];
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(fds))];
	} cm;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = cm.buf,
	                     .msg_controllen = sizeof(cm.buf)};
	if (raw_syscall(SYS_recvmsg, SENTRY_WINDOW_SOCK_FD, &msg, 0) != 1)
		die(127);
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(fds)))
		die(127);
	__builtin_memcpy(fds, CMSG_DATA(c), sizeof(fds));
	static const int at[SENTRY_FORKSRV_FDS] = {0, 1, 2, SENTRY_PAGE_FD, SENTRY_DOORBELL_FD};
	for (int i = 0; i < SENTRY_FORKSRV_FDS; i++)
		if (fds[i] != at[i] && (raw_syscall(SYS_dup3, fds[i], at[i], 0) != at[i] ||
		                        raw_syscall(SYS_close, fds[i]) != 0))
			die(127);
}

static const char *env_area;     /* the environment area, mapped at boot and kept (wire.h) */
static uint32_t env_gen_applied; /* boot->env_gen when it was last applied */

/* The environment the run gives this task, from the environment area (wire.h): at boot, in
 * an instance of a fork server; after a restart in place for another run, in any process. */
static void apply_env(void)
{
	env_gen_applied = boot->env_gen;
	uint32_t n = boot->env_len < SENTRY_ENV_SIZE ? boot->env_len : 0;
	if (!(boot->flags & SENTRY_BOOT_ENV) || !n || !env_area)
		return;
	/* each entry in place (putenv), not copied (setenv): after a restart in place the heap
	 * is the image's, and the fidelity check lets it grow no more; an entry whose name
	 * the environment has costs no memory at all */
	char *env = (char *)env_area;
	for (uint32_t at = 0; at < n;) {
		uint32_t k = 0, eq = 0;
		for (; at + k < n && env[at + k]; k++)
			if (!eq && env[at + k] == '=')
				eq = k;
		if (eq && at + k < n)
			putenv(env + at);
		at += k + 1;
	}
}

__attribute__((constructor(101))) static void sentry_runtime_boot(void)
{
	const char *fd_text = getenv(SENTRY_ENV_PAGE_FD);
	if (!fd_text) {
		const char *self = program_invocation_short_name;
		fprintf(stderr,
		        "%s: this is a Sentry task; run it under the simulator: "
		        "sentry-sim run SYSTEM.ini (a [task] group with binary = %s)\n",
		        self, self);
		die(2);
	}
	int fd = atoi(fd_text);
	size_t len = SENTRY_BOOT_OFFSET + SENTRY_BOOT_SIZE;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		boot_failed("cannot map the shared page");
	if (((struct sentry_page *)p)->magic == SENTRY_FORKSRV_MAGIC) {
		/* the fork point: the instance's own page is at fd 3 when this returns */
		serve_forks(p, len);
		fd = SENTRY_PAGE_FD;
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			boot_failed("cannot map the shared page");
	}
	page = p;
	boot = (const struct sentry_boot *)((const char *)p + SENTRY_BOOT_OFFSET);
	if (page->magic == SENTRY_PAGE_MAGIC) {
		void *e = mmap(NULL, SENTRY_ENV_SIZE, PROT_READ, MAP_SHARED, fd, SENTRY_ENV_OFFSET);
		if (e == MAP_FAILED)
			boot_failed("cannot map the environment area");
		env_area = e;
		apply_env();
	}
	raw_syscall(SYS_close, fd);
	unsetenv(SENTRY_ENV_PAGE_FD);
	if (page->magic != SENTRY_PAGE_MAGIC)
		boot_failed("the shared page has no sentry-sim magic");
	void *d = mmap(NULL, SENTRY_DOORBELL_SIZE, PROT_READ, MAP_SHARED, SENTRY_DOORBELL_FD, 0);
	if (d == MAP_FAILED)
		boot_failed("cannot map the doorbell page");
	raw_syscall(SYS_close, SENTRY_DOORBELL_FD);
	doorbell = d;
	read_page_settings();
	bell_slot = page->doorbell_slot % SENTRY_DOORBELL_SLOTS;

	record_stack();
	install_fatal_handlers();

	void (*entry)(uint32_t, uint32_t) = NULL;
	if (page->entry_offset) {
		uintptr_t base = 0;
		dl_iterate_phdr(first_object, &base);
		entry = (void (*)(uint32_t, uint32_t))(base + (uintptr_t)page->entry_offset);
	} else if (!__shield_start) {
		if (on_exit(on_main_exit, NULL) != 0)
			boot_failed("on_exit failed");
	}

	/* not dumpable (exec reset what the daemon set); the time stamp counter traps and
	 * on_fatal answers it with virtual cycles; then the fidelity filter the daemon
	 * built: all as instructions, never through a symbol a task could define */
	/* the C library's allocator starts now, before the filter: its first call grows the
	 * heap and draws its tcache key (getrandom), which the fidelity check refuses later.
	 * Through glibc's own names: a task library may define malloc. */
	__libc_free(__libc_malloc(64));
	raw_syscall(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
#if defined(__x86_64__)
	if (!(boot && (boot->flags & SENTRY_BOOT_HOST_TSC)))
		trap_tsc();
#endif
	/* a sanitizer's allocator reads the monotonic clock through the vDSO; gcov's data is
	 * written when the run ends (docs/devtools.md) */
	if (!(boot->flags & SENTRY_BOOT_KEEP_VDSO))
		hide_vdso_clocks();
	if ((boot->flags & SENTRY_BOOT_DEVTOOLS) && (__gcov_dump || __gcov_dump_one))
		install_flush_handler();
#if defined(__x86_64__)
	if (!(boot->flags & SENTRY_BOOT_DEVTOOLS))
		install_restart_handler(); /* before the filter: rt_sigaction is refused after it */
#endif
	uint32_t n_insns = boot->n_insns;
	if (n_insns == 0 || n_insns > SENTRY_BOOT_MAX_INSNS)
		boot_failed("the daemon left no fidelity filter");
	struct sock_fprog prog = {.len = (unsigned short)n_insns,
	                          .filter = (struct sock_filter *)boot->filter};
	if (raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		boot_failed("cannot install the fidelity filter");

#if defined(__x86_64__)
	if (!(boot->flags & SENTRY_BOOT_DEVTOOLS)) {
		page->restart = SENTRY_RESTART_CAN;
		if (__builtin_setjmp(restart_point)) {
			/* restarted in place: what memory does not hold, as a new process has it
			 * (no signal blocked, the floating-point unit's defaults) */
			uint64_t none = 0;
			static const uint32_t mxcsr = 0x1f80;
			raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
			__asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr));
			/* what the page says of this start, which another run may change (a
			 * process kept for it: sim/host/run.h, RunKeep) */
			read_page_settings();
		}
	}
#endif
	(void)post(SENTRY_REQ_BOOT, 0, 0, 0, 0);
	uint32_t r0 = page->r0, r1 = page->r1;
	/* restarted in place for another run (wire.h): its environment, now that the daemon,
	 * which answered, has compared this process's mappings with its image */
	if (boot->env_gen != env_gen_applied)
		apply_env();
	if (entry) {
		/* entry(uint32_t, uint32_t) returning int, as configured (uapi.md 7.2) */
		int ret = ((int (*)(uint32_t, uint32_t))(void *)entry)(r0, r1);
		__sys_exit(ret);
	}
	if (__shield_start) {
		__shield_start(r0, r1);
		__sys_exit(0);
	}
	/* return to the C runtime, which calls main */
}
