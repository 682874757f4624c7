/*
 * kernel.h: the Sentry kernel model (pure, deterministic, no I/O, no processes).
 *
 * Lifecycle: kernel_new(config, hooks) -> kernel_boot() -> loop { who = kernel_current();
 * idle ? kernel_idle() : (kernel_resume(), let the task run, kernel_syscall() |
 * kernel_fault() | kernel_hang()) } -> kernel_free().
 *
 * The model knows Sentry semantics (docs/uapi.md) and nothing about Linux: the
 * host layer tells it what a task asked for, and asks it who runs next and with which
 * result. It owns every task's exchange area; the host copies the area in with a request
 * and out with a resume. Everything observable leaves through KernelHooks (task log bytes,
 * diagnostics). All randomness comes from the seed in KernelConfig.
 *
 * Task ids are indexes in the kernel task table (configured tasks in order, idle last).
 * Times are virtual nanoseconds since boot; one tick is 1 ms.
 */
#ifndef SIM_KERNEL_KERNEL_H
#define SIM_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/kernel/board.h"

typedef struct kernel Kernel;

#define KERNEL_MAX_TASKS_LIMIT 255 /* handle id field is 8 bits; idle takes one cell */
#define KERNEL_TICK_NS         1000000ull
#define KERNEL_EXCHANGE_MAX    1024
#define KERNEL_EVENT_RING      16 /* cells; 15 usable (uapi.md 1.7) */
#define KERNEL_NO_TASK         UINT32_MAX

typedef enum {
	KERNEL_BUILD_NORMAL = 0,
	KERNEL_BUILD_AUTOTEST = 1,
} KernelBuild;

/* Kernel-internal job states (uapi.md 1.3), values as upstream. */
typedef enum {
	JOB_NOTSTARTED = 0,
	JOB_READY = 1,
	JOB_SLEEPING = 2,
	JOB_SLEEPING_DEEP = 3,
	JOB_FAULT = 4,
	JOB_SECURITY = 5,
	JOB_ABORTING = 6,
	JOB_FINISHED = 7,
	JOB_IPC_SEND_BLOCKED = 8,
	JOB_WAITFOREVENT = 9,
	JOB_YIELDED = 10,
} JobState;

typedef enum {
	EXIT_MODE_NORESTART = 0,
	EXIT_MODE_RESTART = 1,
	EXIT_MODE_PANIC = 2,
	EXIT_MODE_PERIODICRESTART = 3, /* defined upstream, behaves as NORESTART */
	EXIT_MODE_RESET = 4,           /* idem */
} ExitMode;

/* Kernel panic causes (panic_event_t), plus the simulator's NON_SENSE resume. */
typedef enum {
	PANIC_USER_HARDFAULT = 0,
	PANIC_KERNEL_HARDFAULT = 1,
	PANIC_USER_BUSFAULT = 2,
	PANIC_KERNEL_BUSFAULT = 3,
	PANIC_USER_USAGEFAULT = 4,
	PANIC_KERNEL_USAGEFAULT = 5,
	PANIC_USER_MEMACCESS = 6,
	PANIC_KERNEL_MEMACCESS = 7,
	PANIC_KERNEL_INVALID_USERSPACE_INPUT = 8,
	PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG = 9,
	PANIC_KERNEL_INVALID_MANAGER_STATE = 10,
	PANIC_KERNEL_INVALID_MANAGER_RESPONSE = 11,
	PANIC_KERNEL_TIMEOUT = 12,
	PANIC_KERNEL_BAD_CFI_CALCULATION = 13,
	PANIC_HARDWARE_INVALID_STATE = 14,
	PANIC_HARDWARE_UNEXPECTED_MODIFICATION = 15,
	PANIC_CONFIGURATION_MISMATCH = 16,
	PANIC_UNEXPECTED_BRANCH_EXEC = 17,
	PANIC_RESUMED_NON_SENSE = 100, /* "resumed with NON_SENSE result" (uapi.md 11) */
} PanicCause;

typedef struct {
	const char *name; /* for diagnostics; not copied: must outlive the kernel */
	uint32_t label;
	uint8_t priority;
	uint8_t quantum; /* ticks */
	uint8_t domain;
	uint32_t capabilities;
	bool auto_start;
	uint8_t exit_mode; /* ExitMode, 0..4 */
} KernelTaskConfig;

typedef struct {
	KernelBuild build;
	uint32_t autotest_caps;   /* initial global set (autotest build), default 0x00270017 */
	uint64_t core_freq_hz;    /* cycle counter frequency, default 64 MHz */
	uint32_t exchange_len;    /* 64..1024, default 128 */
	uint32_t max_tasks;       /* CONFIG_MAX_TASKS: queue sizes; >= number of tasks */
	uint32_t num_irqs;        /* platform IRQ lines */
	bool release;             /* release build: log prints nothing */
	bool gpdma;               /* GPDMA present */
	bool nanos_target_quirk;  /* get_cycle(NANOSECONDS) writes 0 as the target does */
	bool dma_intended_path;   /* DMA completion returns the stream to ASSIGNED */
	uint32_t syscall_cost_ns; /* virtual time charged per system call */
	uint64_t seed;
	uint32_t n_tasks;
	const KernelTaskConfig *tasks; /* copied by kernel_new; in the autotest build only
	                                  tasks[0] is used, as the test task */
	const Board *board;            /* may be NULL (no resources); deep-copied by kernel_new,
	                                  except the name strings */
} KernelConfig;

/* Fill |cfg| with the spec's defaults and no tasks. */
void kernel_config_init(KernelConfig *cfg);

typedef enum {
	KREPORT_INFO = 0,        /* boot facts: seed, variant */
	KREPORT_DIVERGENCE,      /* once per type: target quirk reproduced or departed from */
	KREPORT_UNCHARACTERIZED, /* a path the spec marks as not characterized */
	KREPORT_ABORT,           /* unsupported syscall aborted the caller, or abort cancelled */
	KREPORT_STUCK,           /* a task can no longer make progress */
	KREPORT_FAULT,           /* a task faulted */
	KREPORT_LIBRARY,         /* a library-side report forwarded by the host */
	KREPORT_PANIC,           /* kernel panic: the system is halted */
	KREPORT_DEADLOCK,        /* end of run: every task blocked forever */
} KernelReportKind;

typedef struct {
	KernelReportKind kind;
	uint32_t task; /* task id, or KERNEL_NO_TASK */
	uint64_t time_ns;
	const char *text; /* valid only during the callback */
} KernelReport;

typedef struct {
	/* Raw task log bytes (uapi.md 4.15): the task output stream, nothing else. */
	void (*log)(void *data, uint32_t task, const uint8_t *bytes, size_t len);
	/* A diagnostic for the report channel (never the task output stream). */
	void (*report)(void *data, const KernelReport *report);
	/* Optional: a system call completed dispatch (for tracing and record/replay). */
	void (*syscall)(void *data, uint32_t task, uint32_t nr, const uint32_t args[3]);
	/* Optional: the window [base, base + size) appears in (|mapped|) or leaves the address
	 * space of task |task|, writable or not. Called during the mapping gate; the host
	 * applies it before the task resumes. */
	void (*window)(void *data, uint32_t task, uint64_t base, uint64_t size, bool writable,
	               bool mapped);
	/* Optional: DMA stream |index| was started: move its bytes (memory to memory: copy
	 * between the SHM windows; device ends: through the host's device model). Returns
	 * false when the transfer failed. Without the hook, no byte moves. */
	bool (*dma_transfer)(void *data, const BoardDma *stream, const Board *board);
	/* Optional, asked at start before dma_transfer: whether a device end of the stream
	 * paces it (a peripheral model requests each byte). Then the start does not complete:
	 * the stream stays STARTED, dma_transfer only enables it (it may still fail), and the
	 * host calls kernel_dma_complete() once the device has moved its last byte. */
	bool (*dma_paced)(void *data, const BoardDma *stream, const Board *board);
} KernelHooks;

/* Create a kernel; |hooks| is copied, |data| is passed back to every hook. Returns NULL
 * and fills |err| (a static string) when the configuration is not acceptable. */
Kernel *kernel_new(const KernelConfig *cfg, const KernelHooks *hooks, void *data, const char **err);
void kernel_free(Kernel *k);

/* Boot: draw handles, run idle's first log lines, schedule AUTO tasks, elect. */
void kernel_boot(Kernel *k);

/* The task that runs now; kernel_idle_id() when only idle can run; KERNEL_NO_TASK after a
 * panic. */
uint32_t kernel_current(const Kernel *k);
uint32_t kernel_idle_id(const Kernel *k);
uint32_t kernel_task_count(const Kernel *k); /* configured tasks, idle excluded */

typedef struct {
	bool fresh;          /* first run of this job: start at the entry with (r0, r1) */
	uint32_t r0;         /* result register on resume, or first entry argument */
	uint32_t r1;         /* second entry argument (seed) when fresh */
	uint32_t generation; /* job generation: changes on respawn */
} KernelResume;

/* Resume the current task (sysreturn, uapi.md 1.1). Returns false when resuming is a
 * kernel panic (NON_SENSE result): the system is then halted. */
bool kernel_resume(Kernel *k, KernelResume *out);

/* The current task traps with |nr| and three 32-bit arguments. Its exchange area
 * (kernel_exchange) must hold the bytes the task had at the trap. */
void kernel_syscall(Kernel *k, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);

/* The exchange area of task |id| (exchange_len bytes, 8-byte aligned), owned by the kernel. */
uint8_t *kernel_exchange(Kernel *k, uint32_t id);
uint32_t kernel_exchange_len(const Kernel *k);

/* The current task crashed or broke the sandbox: FAULT (uapi.md 7.7) and elect. |why| is
 * the diagnosis (copied into the report). */
void kernel_fault(Kernel *k, const char *why);

/* The current task spins for ever without system calls (the library's panic loop, 2.1):
 * it keeps its place in the scheduler but burns its whole quantum whenever elected. */
void kernel_hang(Kernel *k, const char *why);

/* Forward a library-side diagnostic of the current task to the report hook. */
void kernel_report_library(Kernel *k, const char *text);

typedef enum {
	KERNEL_IDLE_ADVANCED, /* virtual time moved; someone may be runnable now */
	KERNEL_IDLE_DONE,     /* every task ended (or was never started): the run is over */
	KERNEL_IDLE_STUCK,    /* tasks remain blocked and nothing can wake them: deadlock */
	KERNEL_IDLE_PANIC,    /* the system halted */
} KernelIdleResult;

/* Only idle runs: advance virtual time to the next timed event and fire it (uapi.md 8).
 * With |limit_ns| != 0, never advance past |limit_ns| (returns ADVANCED with time at the
 * limit when nothing fires before it). */
KernelIdleResult kernel_idle(Kernel *k, uint64_t limit_ns);

/* The time of the next timed event (delay, alarm) or UINT64_MAX if none. */
uint64_t kernel_next_event_ns(const Kernel *k);

/* Advance virtual time by |ns| while the current task runs (quantum counted). */
void kernel_advance(Kernel *k, uint64_t ns);

uint64_t kernel_now_ns(const Kernel *k);
uint64_t kernel_jiffies(const Kernel *k);
bool kernel_panicked(const Kernel *k);

/* Read-only views for reports, tests and the host. */
JobState kernel_task_state(const Kernel *k, uint32_t id);
uint32_t kernel_task_handle(const Kernel *k, uint32_t id);
uint32_t kernel_task_label(const Kernel *k, uint32_t id);
const char *kernel_task_name(const Kernel *k, uint32_t id);
int32_t kernel_task_exit_code(const Kernel *k, uint32_t id);
bool kernel_task_started(const Kernel *k, uint32_t id); /* ever scheduled */
bool kernel_task_hung(const Kernel *k, uint32_t id);
uint32_t kernel_task_generation(const Kernel *k, uint32_t id);
bool kernel_task_has_respawned(const Kernel *k, uint32_t id);
const char *kernel_job_state_name(JobState s);
const char *kernel_panic_cause_name(PanicCause c);
const char *kernel_syscall_name(uint32_t nr);

/* Explain why task |id| cannot run (a line, written to |buf|); "" when it can. */
void kernel_task_blocker(const Kernel *k, uint32_t id, char *buf, size_t len);

/* Host-side stimuli (scenarios, fuzzing): the next |count| get_random calls fail with
 * CRITICAL, as a failing entropy source would (uapi.md 4.17). */
void kernel_set_entropy_failure(Kernel *k, uint32_t count);

/* Board stimuli and views (uapi.md 4.19, 4.20). */

/* A device model asserts IRQ line |irq| (4.20's line model). Returns false when no listed
 * device declares it. */
bool kernel_inject_irq(Kernel *k, uint32_t irq);
/* Drive GPIO input (port, pin) from outside; kernel_gpio_release() stops driving it. */
void kernel_gpio_drive(Kernel *k, uint8_t port, uint8_t pin, bool level);
void kernel_gpio_release(Kernel *k, uint8_t port, uint8_t pin);
/* The level a pin reads; false when no device declares it. */
bool kernel_gpio_level(const Kernel *k, uint8_t port, uint8_t pin, bool *level);
/* A pin's output latch, as gpio_set leaves it (a device model's output data register):
 * set it, or read it; false when no device declares the pin. */
bool kernel_gpio_set_output(Kernel *k, uint8_t port, uint8_t pin, bool level);
bool kernel_gpio_output(const Kernel *k, uint8_t port, uint8_t pin, bool *level);
/* The next |count| GPIO driver calls fail (INVALID, 4.19 step 5). */
void kernel_set_gpio_failure(Kernel *k, uint32_t count);
/* The last power-management requests (4.13, 4.14): the count and the last values. */
void kernel_pm_requests(const Kernel *k, uint32_t *count, uint32_t *last_cmd, uint32_t *reg,
                        uint32_t *mask, uint32_t *val);
/* Handles of board resources by table index (for scenarios and tests). */
uint32_t kernel_shm_handle(const Kernel *k, uint32_t index);
uint32_t kernel_dma_handle(const Kernel *k, uint32_t index);
/* A paced DMA stream (KernelHooks.dma_paced) moved its last byte: its completion, as a start
 * completes an unpaced one (the owner's DMA event). Returns false when stream |index| does
 * not exist or is not STARTED, or the kernel has panicked. */
bool kernel_dma_complete(Kernel *k, uint32_t index);

/* ---------------------------------------------------------------------------------------- */
/* Script stimuli (sim/kernel/stimuli.c): what a scenario script does from outside the tasks. */
/* None of them panics the kernel: misuse returns a reason for the script to report.         */

/* Send signal |sig| (1..12) to task |id| from the kernel itself: the event's source is 0
 * (uapi.md 1.5). The signal is held in the sender slot of idle, which never sends, so a
 * kernel signal is delivered after those of every task (4.12 scans slots by ascending sender
 * index) and, like any sender, the kernel has a depth of one. Wakes the target as
 * send_signal does (4.11 step 5). Returns STATUS_OK, STATUS_BUSY (the previous kernel
 * signal is still unread) or STATUS_INVALID (bad task or signal, or a panicked kernel). */
uint32_t kernel_signal_from_kernel(Kernel *k, uint32_t id, uint32_t sig);
/* Add task |id| to the active set as the start system call would (4.6), without the
 * capability check. Returns NULL, or why it cannot be started (where the system call would
 * panic the kernel): its job is not READY, it is already scheduled (running, or in either
 * job set), the set is full, or the kernel has panicked. */
const char *kernel_start_task(Kernel *k, uint32_t id);
/* The process of task |id| was killed from outside: its job becomes FAULT (7.7), reported
 * with |why| (copied), whatever it was doing: it leaves the job sets and the delay queue, an
 * IPC it was blocked sending is withdrawn, senders blocked on it are reported. Elects when it
 * was running. Returns NULL, or why not: it has already exited or faulted, no such task, or
 * the kernel has panicked. The host kills the process itself. */
const char *kernel_kill_task(Kernel *k, uint32_t id, const char *why);
/* Respawn the job of task |id| as exit(0) with RESTART would (7.6: new handle, fresh image,
 * READY and scheduled, has_respawned true), whatever its state and exit mode; the old job
 * first leaves the sets and the delay queue, and its unread IPC is withdrawn. Reported (INFO)
 * as "|why|: a new job, ...". The host sees a new generation and starts a fresh process.
 * Returns NULL, or why not (no such task, or the kernel has panicked). */
const char *kernel_restart_task(Kernel *k, uint32_t id, const char *why);
/* Error injection: the current task's system call completes with |status| without reaching
 * its gate (nothing else changes). Virtual time is charged as for any call; the syscall hook
 * is not called. Call it instead of kernel_syscall(). */
void kernel_answer_syscall(Kernel *k, uint32_t status);

#endif
