/*
 * kernel_priv.h: the kernel model's state, shared by its own .c files only.
 *
 * kernel.c holds the task table, scheduler, time and reporting; gates.c and board.c the
 * gates, which registry.c lists (one row per system call number).
 * Nothing outside sim/kernel/ includes this header.
 */
#ifndef SIM_KERNEL_KERNEL_PRIV_H
#define SIM_KERNEL_KERNEL_PRIV_H

#include <stdarg.h>

#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/kernel/board.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/rng.h"

#define IDLE_LABEL     0xcafeu
#define AUTOTEST_LABEL 0xbabeu
#define EVENT_MAGIC    0x4242u

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

/* A FIFO of 16 cells, 15 usable (uapi.md 1.7). */
typedef struct {
	uint32_t cell[KERNEL_EVENT_RING][2];
	uint8_t head, tail;
} EventRing;

#define TASK_MAX_WINDOWS 4 /* MPU regions left for devices and SHMs (uapi.md 1.7) */

typedef enum {
	WINDOW_DEVICE = 0,
	WINDOW_SHM = 1,
} WindowKind;

/* One of a task's mapping slots (the MPU layout of 4.7 and 4.8). */
typedef struct {
	bool used;
	WindowKind kind;
	uint32_t index; /* in the board's device or SHM table */
	uint64_t base, size;
	bool writable; /* as mapped: the host unmaps with the same permission */
} Window;

typedef struct task {
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

	uint16_t *ipc_pending; /* [table_len] pending IPC length by sender id; 0 = none */
	uint8_t *sig_pending;  /* [table_len] pending signal by sender id; 0 = none */
	EventRing irq, dma;
	uint8_t *exch;
	Window windows[TASK_MAX_WINDOWS];
} Task;

/* Board resources as the kernel tracks them (uapi.md 9, 4.7-4.9, 4.19-4.24). */
typedef struct {
	const BoardDevice *cfg;
	uint32_t handle;
	uint32_t owner; /* the owner's boot-time task handle (owner caching, 7.2) */
	bool mapped;    /* global per-device flag (4.7) */
	bool configured;
} KDevice;

typedef struct {
	uint32_t task; /* task handle the slot names */
	bool mappable, rw, transferable, mapped;
} ShmSlot;

typedef struct {
	const BoardShm *cfg;
	uint32_t handle;
	ShmSlot owner, user; /* at boot both name the owner (4.8) */
	bool shared;
} KShm;

typedef enum {
	DMA_UNSET = 0,
	DMA_ASSIGNED,
	DMA_STARTED,
	DMA_SUSPENDED,
} DmaState;

typedef struct {
	const BoardDma *cfg;
	uint32_t handle;
	uint32_t owner; /* boot-time handle of the owner */
	DmaState state;
} KDma;

typedef struct {
	bool enabled, pending;
} IrqLine;

typedef struct {
	uint16_t key; /* port << 8 | pin */
	bool level;   /* last driven output level */
	bool driven;  /* an external (host-side) drive overrides the read level */
	bool input;   /* the externally driven level */
	bool configured;
} Pin;

typedef struct {
	Board cfg; /* deep copy: arrays below are owned */
	BoardDevice *devices;
	BoardShm *shms;
	BoardDma *dmas;
	KDevice *kdev; /* only devices with an owner: the kernel device list (9.1) */
	uint32_t n_kdev;
	KShm *kshm;
	KDma *kdma;
	IrqLine *irqs; /* [num_irqs] */
	Pin *pins;
	uint32_t n_pins;
	uint32_t gpio_failures; /* injected driver failures */
	uint32_t pm_last_cmd, pm_clock_reg, pm_clock_mask, pm_clock_val;
	uint32_t pm_requests;
} KBoard;

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

	KBoard board;

	char msg[512];
};

/* One of a gate's checks, in the order the spec lists them: when |cond| holds, the call
 * fails with |status| and the gate returns. */
#define GATE_CHECK(t, cond, status)                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			kernel_set_result((t), (status));                                          \
			return;                                                                    \
		}                                                                                  \
	} while (0)

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

/* gates.c */
void kernel_dispatch(Kernel *k, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);

/* gates.c: the gates of the registry's rows (registry.c) that need no board */
void gate_exit(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_get_process_handle(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_yield(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_sleep(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_start(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_send_ipc(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_send_signal(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_wait_for_event(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_log(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_alarm(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_get_random(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_get_cycle(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_autotest_set_capa(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_autotest_clear_capa(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_has_respawned(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);

/* board.c: board state and the resource gates */
bool board_init(Kernel *k, const Board *b, const char **err);
void board_boot(Kernel *k);
void board_free(Kernel *k);
void board_respawn(Kernel *k, Task *t);
Pin *board_pin_find(KBoard *kb, uint8_t port, uint8_t pin); /* NULL: no device declares it */
void gate_get_device_handle(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_map_dev(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_unmap_dev(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_map_shm(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_unmap_shm(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_shm_set_credential(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_get_shm_handle(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_shm_get_infos(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_gpio_get(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_gpio_set(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_gpio_reset(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_gpio_toggle(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_gpio_configure(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_irq_acknowledge(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_irq_enable(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_irq_disable(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_get_dma_stream_handle(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_dma_start(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_dma_suspend(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_dma_resume(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_dma_assign(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_dma_unassign(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_dma_get_stream_info(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_pm_manage(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);
void gate_pm_set_clock(Kernel *k, Task *t, uint32_t a0, uint32_t a1, uint32_t a2);

#endif
