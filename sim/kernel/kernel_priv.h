/*
 * kernel_priv.h: the kernel model's state, shared by its own .c files only.
 *
 * kernel.c holds the task table, scheduler, time and reporting; syscalls.c the gates.
 * Nothing outside sim/kernel/ includes this header.
 */
#ifndef SIM_KERNEL_KERNEL_PRIV_H
#define SIM_KERNEL_KERNEL_PRIV_H

#include <stdarg.h>

#include <uapi/types.h>

#include "sim/kernel/kernel.h"
#include "sim/kernel/rng.h"

#define IDLE_LABEL 0xcafeu
#define AUTOTEST_LABEL 0xbabeu
#define EVENT_MAGIC 0x4242u

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

/* A FIFO of 16 cells, 15 usable (uapi.md 1.7). */
typedef struct {
	uint32_t cell[KERNEL_EVENT_RING][2];
	uint8_t head, tail;
} EventRing;

typedef struct {
	KernelTaskConfig cfg;
	uint32_t id;
	uint32_t handle;
	JobState state;
	int32_t exit_code;

	uint32_t r0;      /* result register: holds the first argument at a trap */
	uint32_t pending; /* pending result ("sysreturn") */
	bool assigned;

	bool fresh; /* job not resumed since spawn: start at the entry */
	uint32_t entry_r0, entry_seed;
	uint32_t generation;
	bool respawned;
	bool ever_scheduled;
	bool hung;
	char hung_why[160];

	uint32_t aborted_by; /* unsupported syscall number that set ABORTING, or UINT32_MAX */
	bool exited;         /* exit() was called for this job */
	bool stuck_reported;

	/* What a blocked job waits for (diagnostics). */
	uint32_t wait_mask;
	int32_t wait_timeout;
	uint32_t ipc_target; /* task id the job is blocked sending to */
	uint32_t ipc_len;
	uint64_t blocked_since_ns;
	bool alarm_woke; /* an alarm made this waiter READY with NON_SENSE (4.16) */
	uint32_t alarm_delay;
	bool alarm_periodic;

	uint8_t *ipc_pending; /* [table_len] pending IPC length by sender id; 0 = none */
	uint8_t *sig_pending; /* [table_len] pending signal by sender id; 0 = none */
	EventRing irq, dma;
	uint8_t *exch;
} Task;

typedef struct {
	bool used;
	uint32_t handle;
	uint8_t priority;
	uint32_t quantum; /* ticks left; 0 wraps as on the target (7.3) */
} JobCell;

typedef struct {
	bool used;
	uint32_t task;
	uint32_t remaining;
} DelayEntry;

typedef struct {
	bool used;
	uint32_t handle;
	uint32_t delay;
	uint32_t remaining;
	bool periodic;
} AlarmEntry;

/* Report-once types (uapi.md 11, "diagnostics that are not errors"). */
enum {
	ONCE_NANOS = 1u << 0,
	ONCE_SELF_START = 1u << 1,
	ONCE_SELF_IPC = 1u << 2,
	ONCE_BACKED_START = 1u << 3,
	ONCE_SET_FULL = 1u << 4,
	ONCE_STALE_CELL = 1u << 5,
	ONCE_IDLE_START = 1u << 6,
	ONCE_SELF_IPC_WAKE = 1u << 7,
};

struct kernel {
	KernelConfig cfg;
	KernelTaskConfig *task_cfgs;
	KernelHooks hooks;
	void *hook_data;
	Rng rng;

	uint32_t n_tasks;   /* configured tasks (idle excluded) */
	uint32_t table_len; /* n_tasks + 1 */
	Task *tasks;        /* [table_len]; idle is the last cell */
	uint8_t *exch_mem;

	JobCell *sets[2]; /* [max_tasks] each */
	int active;       /* index of the active set in sets[] */
	uint32_t current; /* task id of the running job */
	int current_cell; /* its cell in the active set, -1 for idle */

	DelayEntry *delays; /* [max_tasks] */
	AlarmEntry *alarms; /* [max_tasks] */

	uint64_t jiffies;
	uint64_t sub_ns; /* nanoseconds into the current tick */

	uint32_t global_caps; /* autotest build */
	uint32_t entropy_failures;
	uint32_t once;

	bool panicked;
	PanicCause panic_cause;

	char msg[512];
};

static inline Task *task_of(Kernel *k, uint32_t id)
{
	return &k->tasks[id];
}

static inline Task *cur_task(Kernel *k)
{
	return &k->tasks[k->current];
}

static inline bool is_autotest(const Kernel *k)
{
	return k->cfg.build == KERNEL_BUILD_AUTOTEST;
}

/* kernel.c internals used by syscalls.c */
bool kernel_holds(const Kernel *k, const Task *t, uint32_t cap);
Task *kernel_task_by_handle(Kernel *k, uint32_t handle);
Task *kernel_task_by_label(Kernel *k, uint32_t label);
bool kernel_schedule(Kernel *k, Task *t);
bool kernel_in_active(const Kernel *k, const Task *t);
bool kernel_in_backed(const Kernel *k, const Task *t);
void kernel_elect(Kernel *k);
void kernel_set_result(Task *t, uint32_t status);
bool kernel_delay_add(Kernel *k, Task *t, uint32_t ms);
void kernel_delay_remove(Kernel *k, Task *t);
void kernel_wake_intr(Kernel *k, Task *t);
void kernel_panic(Kernel *k, PanicCause cause, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kernel_reportf(Kernel *k, KernelReportKind kind, uint32_t task, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool kernel_once(Kernel *k, uint32_t bit);
void kernel_respawn(Kernel *k, Task *t);
void kernel_note_dead(Kernel *k, Task *t);
void kernel_note_blocked_sender(Kernel *k, Task *sender);
uint32_t kernel_rand32(Kernel *k);
bool ring_push(EventRing *r, uint32_t a, uint32_t b);
bool ring_pop(EventRing *r, uint32_t *a, uint32_t *b);
uint32_t ring_count(const EventRing *r);

/* syscalls.c */
void kernel_dispatch(Kernel *k, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);

#endif
