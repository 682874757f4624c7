/*
 * wire.h: the wire protocol between a task process and the sentry-sim daemon: the per-task
 * shared page, the doorbell page, the request and reply kinds and the library's report
 * codes (internal; compiled into libsentry-uapi and into the daemon, never installed). It is
 * the one private header of the task library that the daemon (sim/) includes.
 *
 * The daemon creates one page per task (a memfd), passes it to the task process as fd
 * SENTRY_PAGE_FD, and both map it. The task posts a request by writing its fields and then
 * bumping req_seq; the daemon answers by writing the reply fields and setting resp_seq to
 * the same value. Only one task runs at a time (a single-core MCU), so a request is always
 * answered before the next one is posted.
 *
 * Waiting, on both sides: spin a bounded time on the other side's sequence word (pause;
 * the daemon stops early when the scheduler gives its CPU to another thread), then sleep
 * with futex(2), flagging it (daemon_sleeping, task_sleeping) so that the other side knows
 * to wake it: the daemon on req_seq, a task on its word of the doorbell page. The daemon
 * learns each task's spin from the task's recent gaps between calls (sim/host/proc.c), so
 * that a task computing up to a millisecond between calls still finds it awake, and it
 * sleeps at once after the longer gaps. It tells a task how long to spin, in pause
 * iterations (it times them; a task has no clock): |spin_iterations| for an answer, and
 * the longer |wake_spin_iterations| after the task woke the daemon (its wake-up, on another
 * CPU, takes tens of microseconds in a virtual machine: without that spin, the answer
 * would need a second cross-CPU wake-up). |spin_iterations| 0 means that the daemon and
 * the tasks share one CPU: both give way with sched_yield() a few times instead. When a
 * task's job blocks in the model, the daemon raises |park| so that the task stops spinning
 * at once (it will not be answered soon). Neither side learns or publishes a CPU number.
 *
 * The doorbell page (SENTRY_DOORBELL_FD) is one memfd shared by every task process of a
 * run, read-only in the tasks: one futex word per task, bumped by the daemon before each
 * wake-up. It lets a task wake another: when the model switches from task A to a task B
 * that sleeps, the daemon answers B, bumps B's word, and raises A's |park| with |wake| set
 * to B's slot. A, still spinning on its CPU, stops and wakes B before it sleeps: a wake-up
 * on the waker's own CPU, where the daemon's would be a cross-CPU one (an inter-processor
 * interrupt: about 4 us of the daemon's time in the project's VM). Who wakes B is settled by
 * exchanging |wake| with 0: the daemon takes it back when A already sleeps, and wakes B
 * itself before it sleeps if B still sleeps (a task that never does what |wake| asks only
 * delays B by the daemon's spin).
 *
 * The exchange area: a call moves only its span (span.h), in the request's or the reply's
 * cache line when it fits (req_x, resp_x), else in |exch|; the whole area when the page's
 * |exchange_whole| says so.
 *
 * The task can write anything anywhere in this page: the daemon copies a request out once,
 * validates it, and never trusts what it reads here as anything but that task's request.
 */
#ifndef SENTRY_UAPI_WIRE_H
#define SENTRY_UAPI_WIRE_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#define SENTRY_PAGE_FD           3
#define SENTRY_PAGE_SIZE         4096u
#define SENTRY_PAGE_EXCHANGE_MAX 1024u
#define SENTRY_PAGE_MAGIC        0x53454e54u /* "SENT" */
#define SENTRY_ENV_PAGE_FD       "SENTRY_SIM_PAGE_FD"
#define SENTRY_WINDOW_SOCK_FD    4 /* board memory descriptors arrive here (SCM_RIGHTS) */
#define SENTRY_PAGE_MAX_OPS      32
#define SENTRY_YIELDS            32 /* sched_yield() calls before the futex sleep, on a shared CPU */
#define SENTRY_INLINE_REQ        32 /* exchange bytes carried in the request's cache line */
#define SENTRY_INLINE_RESP       24 /* exchange bytes carried in the reply's cache line */
#define SENTRY_DOORBELL_FD       5
#define SENTRY_DOORBELL_SIZE     4096u
#define SENTRY_DOORBELL_SLOTS    (SENTRY_DOORBELL_SIZE / sizeof(uint32_t))

/* What a task posts. */
enum sentry_req_kind {
	SENTRY_REQ_BOOT = 1,          /* the runtime is up and confined; waiting to be started */
	SENTRY_REQ_SYSCALL = 2,       /* nr, args[3] */
	SENTRY_REQ_REPORT = 3,        /* library-side diagnostic: nr = enum sentry_report, args */
	SENTRY_REQ_HANG = 4,          /* the library's panic loop: never resume me (uapi.md 2.1) */
	SENTRY_REQ_BOOT_FAILED = 5,   /* the runtime could not start: text in |message| */
	SENTRY_REQ_WINDOW_FAILED = 6, /* a window could not be mapped: text in |message| */
	SENTRY_REQ_FUZZ = 7,          /* `sentry-sim fuzz` only: a control request, nr = op, args */
	SENTRY_REQ_MMIO = 8,          /* a load or store on a trapped device window: |trap| */
};

/* Library-side diagnostics the spec asks the simulator to report (never task output):
 * a SENTRY_REQ_REPORT's nr, with its two arguments a and b. */
enum sentry_report {
	SENTRY_REPORT_ALARM_NOFLAG = 1,   /* one-argument __sys_alarm (uapi.md 1.8) */
	SENTRY_REPORT_SLEEP_BAD_TAG = 2,  /* a = tag (uapi.md 2.3) */
	SENTRY_REPORT_COPY_NULL = 3,      /* a = 0 to_kernel / 1 from_kernel, b = length (2.7) */
	SENTRY_REPORT_COPY_TRUNCATED = 4, /* a = 0 to_kernel / 1 from_kernel, b = length (2.7) */
	SENTRY_REPORT_BAD_RESULT = 5,     /* a = syscall number, b = raw result > 10 (2.1) */
};

/* A window operation's prot for a page of a device with a model (sentry_window_op): an
 * anonymous reservation without access at the window's address (no descriptor is sent),
 * so that each access faults and the runtime's handler sends it to the daemon. */
#define SENTRY_WINDOW_TRAP 0x100u

/* The daemon's answer to a SENTRY_REQ_MMIO (struct sentry_trap.status). A request it
 * refuses is a fault: the process goes and is never answered. */
enum sentry_trap_status {
	SENTRY_TRAP_DONE = 1, /* performed: regs, rip and rflags are the task's new state */
	SENTRY_TRAP_MORE = 2, /* the bytes end before the instruction: send 15 of them */
};

/* What the daemon answers. */
enum sentry_resp_kind {
	SENTRY_RESP_RESULT = 1, /* r0 is the result register */
	SENTRY_RESP_START = 2,  /* run the entry with (r0, r1) */
};

struct sentry_page {
	/* Set by the daemon before the task starts. */
	uint32_t magic;
	uint32_t exchange_len;         /* kernel-side length of the exchange area */
	uint64_t entry_offset;         /* 0: main (or shield's __shield_start); else the entry
	                                  symbol's address relative to the executable's load base */
	uint32_t spin_iterations;      /* pause iterations a task spins for an answer before its
	                                  futex sleep; 0: it shares the daemon's CPU, yield instead */
	uint32_t doorbell_slot;        /* this task's word on the doorbell page */
	uint32_t wake_spin_iterations; /* the same after the task woke the daemon (the daemon
	                                  may change it with a reply) */
	uint32_t exchange_whole;       /* 1: copy the whole exchange area with every call (an
	                                  observer of the daemon reads it all); 0: only the span
	                                  the call uses (sentry_exchange_span) */

	/* Task -> daemon (one cache line): the request and the first bytes of its span. */
	_Alignas(64) uint32_t req_seq;
	uint32_t req_kind;
	uint32_t nr;
	uint32_t args[3];
	uint32_t daemon_sleeping;
	uint32_t reserved0;
	uint8_t req_x[SENTRY_INLINE_REQ]; /* a span that fits travels here, else in |exch| */

	/* Daemon -> task (one cache line): everything a task reads after every call. */
	_Alignas(64) uint32_t resp_seq;
	uint32_t resp_kind;
	uint32_t r0, r1;
	uint32_t task_sleeping;
	uint32_t park;      /* the daemon will not answer soon: stop spinning, sleep now */
	uint32_t wake;      /* with |park|: doorbell slot + 1 of a task to wake first; 0: none */
	uint32_t n_ops;     /* window operations that come with this reply (|ops|) */
	uint32_t resp_xlen; /* bytes of the exchange area that come back (from the start) */
	uint32_t reserved1;
	uint8_t resp_x[SENTRY_INLINE_RESP]; /* they travel here if they fit, else in |exch| */

	/* Written by the task's fatal-signal handlers for the daemon's diagnosis. */
	_Alignas(64) uint32_t fault_signo;
	int32_t fault_code;
	uint32_t fault_syscall;
	uint32_t fault_stack_overflow;
	uint64_t fault_addr;
	uint64_t fault_ip;
	uint64_t stack_low, stack_high; /* the main stack's extent at boot */
	/* With SENTRY_BOOT_HOLD_FAULT, the handler waits after recording until the daemon
	 * sets this (it reads the stopped process meanwhile: sim/host/debug.c). */
	uint32_t fault_release;
	/* Restart in place (SENTRY_RESTART_SIGNAL, below): the handshake's state. */
	uint32_t restart;

	char message[192]; /* SENTRY_REQ_BOOT_FAILED text, NUL-terminated */

	/* Daemon -> task with a reply: memory windows to (un)map before returning (the
	 * descriptors, one per mapping, come over SENTRY_WINDOW_SOCK_FD). */
	struct sentry_window_op {
		uint64_t addr, len, offset;
		uint32_t prot;  /* 0: unmap; SENTRY_WINDOW_TRAP: reserve without access */
		uint32_t fresh; /* must not replace an existing mapping */
	} ops[SENTRY_PAGE_MAX_OPS];

	_Alignas(64) uint8_t exch[SENTRY_PAGE_EXCHANGE_MAX];

	/* SENTRY_REQ_MMIO: the faulting access, written by the task's handler (trap.c); the
	 * daemon performs it and writes the task's new state back before the reply. */
	_Alignas(64) struct sentry_trap {
		uint64_t addr;     /* the fault address */
		uint64_t regs[16]; /* in encoding order: rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
		uint64_t rip, rflags;
		uint32_t insn_len; /* bytes of |insn| read at rip */
		uint32_t status;   /* daemon: enum sentry_trap_status */
		uint8_t insn[16];
	} trap;
};

_Static_assert(offsetof(struct sentry_page, req_x) + SENTRY_INLINE_REQ ==
                   offsetof(struct sentry_page, req_seq) + 64,
               "the request is one cache line");
_Static_assert(offsetof(struct sentry_page, resp_x) + SENTRY_INLINE_RESP ==
                   offsetof(struct sentry_page, resp_seq) + 64,
               "the reply is one cache line");
_Static_assert(sizeof(struct sentry_page) <= SENTRY_PAGE_SIZE, "page overflow");

/*
 * The boot area: what the daemon leaves for the task runtime beyond the shared page, in the
 * second page of the same memfd (fd 3 at boot): the fidelity filter as BPF, built by the
 * daemon (so that the runtime installs it with a raw system call and no library symbol a
 * task could interpose), and the virtual time of the last reply (the answer to rdtsc).
 */
#define SENTRY_BOOT_OFFSET 4096u /* offset of struct sentry_boot in the page memfd */
#define SENTRY_BOOT_SIZE   4096u
/* rdtsc reads the host's counter (sentry-sim run --host-tsc: measurements, not determinism) */
#define SENTRY_BOOT_HOST_TSC 0x1u
/* a fatal handler waits for the daemon's |fault_release| before the process dies, so that
 * the daemon can symbolize the fault or dump a core (bounded: SENTRY_FAULT_HOLD_MS) */
#define SENTRY_BOOT_HOLD_FAULT 0x2u
#define SENTRY_FAULT_HOLD_MS   60000u
/* a sanitizer or gcov runtime is in the task (docs/devtools.md): coverage data is written
 * at the exit and when the daemon asks (SENTRY_FLUSH_SIGNAL) */
#define SENTRY_BOOT_DEVTOOLS 0x4u
/* a sanitizer is in the task: keep the vDSO (its allocator reads the monotonic clock) */
#define SENTRY_BOOT_KEEP_VDSO 0x8u
/* The daemon's request to a task built with --coverage, blocked in its gate when the run
 * ends, to write its coverage data now; the runtime counts it in |devtools_flushed|. */
#define SENTRY_FLUSH_SIGNAL SIGUSR2
/*
 * Restart in place (sim/host/proc.c, taskproc_restart_in_place): a job respawned by its exit
 * keeps its process, whose writable memory the daemon brings back to its state at the first
 * BOOT. A runtime that can do this says so in |restart| before that BOOT (CAN). When the job
 * restarts, its process waits in its gate (its exit call); the daemon sets ASKED and sends
 * SENTRY_RESTART_SIGNAL; the handler sets WAITING and waits, touching no memory but the page,
 * until the daemon, done writing, sets GO; it then jumps back to the point just before the
 * BOOT request and boots again from there. Any other value or a signal the daemon did not
 * ask for: the handler returns.
 */
#define SENTRY_RESTART_SIGNAL  SIGUSR1
#define SENTRY_RESTART_CAN     1u
#define SENTRY_RESTART_ASKED   2u
#define SENTRY_RESTART_WAITING 3u
#define SENTRY_RESTART_GO      4u
/* a fork server's instance (below): the environment the run gives this task is in the
 * environment area, "KEY=VALUE" entries each ended by a NUL, |env_len| bytes */
#define SENTRY_BOOT_ENV       0x10u
#define SENTRY_BOOT_MAX_INSNS ((SENTRY_BOOT_SIZE - 64u) / sizeof(struct sock_filter))

struct sentry_boot {
	uint64_t virtual_ns;       /* the model's time at the last reply (daemon-written) */
	uint32_t n_insns;          /* length of |filter|, 0 if none */
	uint32_t flags;            /* SENTRY_BOOT_* (daemon-written before exec) */
	uint32_t devtools_flushed; /* task-written: SENTRY_FLUSH_SIGNALs served */
	uint32_t env_len;          /* with SENTRY_BOOT_ENV: bytes of the environment area */
	uint32_t tsc_untrapped;    /* task-written before its first BOOT: 1 if its rdtsc did not
	                              trap after PR_SET_TSC (a host that ignores the setting) */
	uint32_t env_gen;          /* daemon-written: bumped with each new environment area; a
	                              process restarted in place for another run applies the area
	                              again once its BOOT is answered if this moved since */
	uint8_t reserved[32];
	struct sock_filter filter[SENTRY_BOOT_MAX_INSNS];
};

/*
 * The environment area: a third page range of the page memfd, after the boot area, which
 * the runtime of a fork server's instance reads once after its hello (SENTRY_BOOT_ENV). A
 * process started with fork and exec gets the same entries in its environment instead. The
 * runtime keeps the area mapped (read-only): a process kept from one run for the next
 * (`sentry-sim fuzz`) is restarted in place, and applies the area again (setenv, over what
 * its environment held) once its BOOT is answered, when |env_gen| moved.
 */
#define SENTRY_ENV_OFFSET (SENTRY_BOOT_OFFSET + SENTRY_BOOT_SIZE)
#define SENTRY_ENV_SIZE   (20u * 1024u)

/*
 * A fork server (sim/host/forksrv.c): a process of a task binary whose page (fd 3) carries
 * SENTRY_FORKSRV_MAGIC instead of SENTRY_PAGE_MAGIC stops at the very top of the runtime's
 * boot, before any set-up of its own, and forks one instance per request of the daemon:
 * the daemon bumps |req_seq| (and wakes it); the server, which set |resp_seq| to 1 when it
 * started waiting, clones itself with exactly SENTRY_FORKSRV_CLONE (its boundary hands the
 * clone to the daemon, which allows it only then) and waits again. The instance (the
 * daemon's child, through CLONE_PARENT) unmaps the server's page, closes every descriptor
 * and says hello: kill(0, 0), which its boundary also hands to the daemon. The daemon
 * verifies the instance (no descriptor, no shared mapping, one thread, its filters) and
 * only then gives the instance its own descriptors (below) and answers 0; the instance
 * then boots as any task process, from its own page at fd 3. The server is never trusted: what
 * it writes here is ignored, and the daemon stops it (SIGSTOP) between requests.
 */
#define SENTRY_FORKSRV_MAGIC 0x53525646u /* "FVRS" */
/* After the hello, the instance's window socket (SENTRY_WINDOW_SOCK_FD, put there by the
 * daemon) carries one message with its other descriptors: stdin, stdout, stderr, the page
 * and the doorbell, for 0, 1, 2, SENTRY_PAGE_FD and SENTRY_DOORBELL_FD. */
#define SENTRY_FORKSRV_FDS   5
#define SENTRY_FORKSRV_CLONE (0x00008000 /* CLONE_PARENT */ | 17 /* SIGCHLD */)

#endif
