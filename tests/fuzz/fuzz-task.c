/*
 * fuzz-task.c: the task binary of `sentry-sim fuzz` (docs/fuzzing.md, "Real processes").
 *
 * Every task of a fuzz run is this binary, named fuzz-N: it decodes the program the daemon
 * passes in SENTRY_FUZZ_PROG (the canonical encoding, in hex), takes script N (N from its
 * name, argv[0]) and runs it through the real gate, as sim/fuzz/exec.c runs it in-process:
 * every OP_SYSCALL through its __sys_* function of libsentry-uapi, so that the library's own
 * work (argument conversion to the prototype's types, the sleep tag table, the log length
 * check, the wait retry after INTR, the panic loop) is part of what is compared; exec.c
 * applies the same conversions before its traps. OP_RAW goes through the raw gate,
 * __sentry_sim_raw_syscall. Outputs bind script variables as exec.c binds them. What
 * exec.c does outside the task, the task asks the daemon for through control requests
 * (__sentry_sim_fuzz_control, honoured by `sentry-sim fuzz` only): the current value of a
 * task or board-resource reference when the call is made, time passing while it computes,
 * a host stimulus. A hang is the library's panic loop.
 */
#include "config.h"

/* Declare the autotest calls (38, 39): the library exports them in every build. */
#undef CONFIG_BUILD_TARGET_AUTOTEST
#define CONFIG_BUILD_TARGET_AUTOTEST 1

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/uapi.h>

#include "sim/fuzz/prog.h"

uint32_t __sentry_sim_raw_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);
void __sentry_sim_hang(void);
uint32_t __sentry_sim_fuzz_control(uint32_t op, uint32_t a, uint32_t b);

#define LIBRARY_LOG_MAX 128u /* the library's own check (uapi.md 2.2): no fill, no trap */

static Prog prog;
static uint32_t vars[PROG_VARS];
static uint8_t area[1024];

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static uint32_t resolve(ProgVal v)
{
	switch (v.kind) {
	case VAL_VAR:
		return vars[v.idx % PROG_VARS];
	case VAL_VAR_FLIP:
		return vars[v.idx % PROG_VARS] ^ (1u << (v.bit & 31));
	case VAL_LIT:
		return v.lit;
	default: /* a reference to the system: its value now, as exec.c resolves it */
		return __sentry_sim_fuzz_control(PROG_CTL_RESOLVE, v.kind,
		                                 (uint32_t)v.idx | (uint32_t)v.bit << 8);
	}
}

static void fill(const ProgFill *f, uint32_t want)
{
	uint32_t xl = prog.cfg.exchange_len;
	uint32_t len = want < xl ? want : xl;
	copy_from_kernel(area, xl);
	switch (f->kind) {
	case FILL_PATTERN:
		for (uint32_t i = 0; i < len; i++)
			area[i] = (uint8_t)(f->seed + 37u * i);
		break;
	case FILL_VAR: {
		uint32_t v = vars[f->var % PROG_VARS];
		memcpy(area, &v, sizeof(v));
		for (uint32_t i = 4; i < len; i++)
			area[i] = (uint8_t)(f->seed + 37u * i);
		break;
	}
	case FILL_BYTES:
		memcpy(area, f->bytes, f->n < xl ? f->n : xl);
		break;
	default:
		return;
	}
	copy_to_kernel(area, xl);
}

/* The SleepDuration a task would write for |ms|: the tag when the table has one (uapi.md
 * 1.3), so that the library's tag table is exercised, else the arbitrary member. */
static SleepDuration sleep_duration(uint32_t ms)
{
	static const uint32_t tag_ms[] = {
	    [SLEEP_DURATION_D1MS] = 1,   [SLEEP_DURATION_D2MS] = 2,   [SLEEP_DURATION_D5MS] = 5,
	    [SLEEP_DURATION_D10MS] = 10, [SLEEP_DURATION_D20MS] = 20, [SLEEP_DURATION_D50MS] = 50,
	};
	for (uint32_t t = 0; t < sizeof(tag_ms) / sizeof(tag_ms[0]); t++)
		if (tag_ms[t] == ms)
			return (SleepDuration){.tag = (SleepDuration_Tag)t};
	return (SleepDuration){.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = ms};
}

/*
 * One wrapper per system call: the script's 32-bit values passed as the prototype's
 * parameters, converted the way C converts them (uint8_t and uint16_t truncate, bool is 0 or
 * 1, enums and int32_t keep their 32 bits). exec.c's lib_args() applies the same conversions.
 */
typedef Status (*LibCall)(const uint32_t a[3]);

static Status lib_exit(const uint32_t a[3])
{
	return __sys_exit((int32_t)a[0]);
}

static Status lib_get_process_handle(const uint32_t a[3])
{
	return __sys_get_process_handle(a[0]);
}

static Status lib_get_device_handle(const uint32_t a[3])
{
	return __sys_get_device_handle(a[0]);
}

static Status lib_sched_yield(const uint32_t a[3])
{
	(void)a;
	return __sys_sched_yield();
}

static Status lib_sleep(const uint32_t a[3])
{
	return __sys_sleep(sleep_duration(a[0]), (SleepMode)a[1]);
}

static Status lib_start(const uint32_t a[3])
{
	return __sys_start(a[0]);
}

static Status lib_map_dev(const uint32_t a[3])
{
	return __sys_map_dev(a[0]);
}

static Status lib_map_shm(const uint32_t a[3])
{
	return __sys_map_shm(a[0]);
}

static Status lib_unmap_dev(const uint32_t a[3])
{
	return __sys_unmap_dev(a[0]);
}

static Status lib_unmap_shm(const uint32_t a[3])
{
	return __sys_unmap_shm(a[0]);
}

static Status lib_shm_set_credential(const uint32_t a[3])
{
	return __sys_shm_set_credential(a[0], a[1], a[2]);
}

static Status lib_send_ipc(const uint32_t a[3])
{
	return __sys_send_ipc(a[0], (uint8_t)a[1]);
}

static Status lib_send_signal(const uint32_t a[3])
{
	return __sys_send_signal(a[0], (Signal)a[1]);
}

static Status lib_wait_for_event(const uint32_t a[3])
{
	return __sys_wait_for_event((uint8_t)a[0], (int32_t)a[1]);
}

/* Both names of 14, in turn (uapi.md 1.8 item 2). */
static Status lib_pm_manage(const uint32_t a[3])
{
	static bool other;
	other = !other;
	return other ? __sys_manage_cpu_sleep((CPUSleep)a[0]) : __sys_pm_manage((CPUSleep)a[0]);
}

static Status lib_pm_set_clock(const uint32_t a[3])
{
	return __sys_pm_set_clock(a[0], a[1], a[2]);
}

static Status lib_log(const uint32_t a[3])
{
	return __sys_log(a[0]);
}

/* O_ALRM_START through the one-argument form (uapi.md 1.8 item 1), the others with a flag. */
static Status lib_alarm(const uint32_t a[3])
{
	if (a[1] == O_ALRM_START)
		return __sys_alarm(a[0]);
	return __sys_alarm(a[0], (AlarmFlag)a[1]);
}

static Status lib_get_random(const uint32_t a[3])
{
	(void)a;
	return __sys_get_random();
}

static Status lib_get_cycle(const uint32_t a[3])
{
	return __sys_get_cycle((Precision)a[0]);
}

static Status lib_gpio_get(const uint32_t a[3])
{
	return __sys_gpio_get(a[0], (uint8_t)a[1]);
}

static Status lib_gpio_set(const uint32_t a[3])
{
	return __sys_gpio_set(a[0], (uint8_t)a[1], a[2] != 0);
}

static Status lib_gpio_reset(const uint32_t a[3])
{
	return __sys_gpio_reset(a[0], (uint8_t)a[1]);
}

static Status lib_gpio_toggle(const uint32_t a[3])
{
	return __sys_gpio_toggle(a[0], (uint8_t)a[1]);
}

static Status lib_gpio_configure(const uint32_t a[3])
{
	return __sys_gpio_configure(a[0], (uint8_t)a[1]);
}

static Status lib_irq_acknowledge(const uint32_t a[3])
{
	return __sys_irq_acknowledge((uint16_t)a[0]);
}

static Status lib_irq_enable(const uint32_t a[3])
{
	return __sys_irq_enable((uint16_t)a[0]);
}

static Status lib_irq_disable(const uint32_t a[3])
{
	return __sys_irq_disable((uint16_t)a[0]);
}

static Status lib_get_shm_handle(const uint32_t a[3])
{
	return __sys_get_shm_handle(a[0]);
}

static Status lib_get_dma_stream_handle(const uint32_t a[3])
{
	return __sys_get_dma_stream_handle(a[0]);
}

static Status lib_dma_start_stream(const uint32_t a[3])
{
	return __sys_dma_start_stream(a[0]);
}

static Status lib_dma_suspend_stream(const uint32_t a[3])
{
	return __sys_dma_suspend_stream(a[0]);
}

static Status lib_dma_get_stream_status(const uint32_t a[3])
{
	return __sys_dma_get_stream_status(a[0]);
}

static Status lib_shm_get_infos(const uint32_t a[3])
{
	return __sys_shm_get_infos(a[0]);
}

static Status lib_dma_assign_stream(const uint32_t a[3])
{
	return __sys_dma_assign_stream(a[0]);
}

static Status lib_dma_unassign_stream(const uint32_t a[3])
{
	return __sys_dma_unassign_stream(a[0]);
}

static Status lib_dma_get_stream_info(const uint32_t a[3])
{
	return __sys_dma_get_stream_info(a[0]);
}

static Status lib_dma_resume_stream(const uint32_t a[3])
{
	return __sys_dma_resume_stream(a[0]);
}

static Status lib_autotest_set_capa(const uint32_t a[3])
{
	return __sys_autotest_set_capa(a[0]);
}

static Status lib_autotest_clear_capa(const uint32_t a[3])
{
	return __sys_autotest_clear_capa(a[0]);
}

static Status lib_has_respawned(const uint32_t a[3])
{
	(void)a;
	return __sys_has_respawned();
}

static const LibCall lib_calls[SYS_COUNT] = {
    [SYSCALL_EXIT] = lib_exit,
    [SYSCALL_GET_PROCESS_HANDLE] = lib_get_process_handle,
    [SYSCALL_GET_DEVICE_HANDLE] = lib_get_device_handle,
    [SYSCALL_YIELD] = lib_sched_yield,
    [SYSCALL_SLEEP] = lib_sleep,
    [SYSCALL_START] = lib_start,
    [SYSCALL_MAP_DEV] = lib_map_dev,
    [SYSCALL_MAP_SHM] = lib_map_shm,
    [SYSCALL_UNMAP_DEV] = lib_unmap_dev,
    [SYSCALL_UNMAP_SHM] = lib_unmap_shm,
    [SYSCALL_SHM_SET_CREDENTIAL] = lib_shm_set_credential,
    [SYSCALL_SEND_IPC] = lib_send_ipc,
    [SYSCALL_SEND_SIGNAL] = lib_send_signal,
    [SYSCALL_WAIT_FOR_EVENT] = lib_wait_for_event,
    [SYSCALL_PM_MANAGE] = lib_pm_manage,
    [SYSCALL_PM_SET_CLOCK] = lib_pm_set_clock,
    [SYSCALL_LOG] = lib_log,
    [SYSCALL_ALARM] = lib_alarm,
    [SYSCALL_GET_RANDOM] = lib_get_random,
    [SYSCALL_GET_CYCLE] = lib_get_cycle,
    [SYSCALL_GPIO_GET] = lib_gpio_get,
    [SYSCALL_GPIO_SET] = lib_gpio_set,
    [SYSCALL_GPIO_RESET] = lib_gpio_reset,
    [SYSCALL_GPIO_TOGGLE] = lib_gpio_toggle,
    [SYSCALL_GPIO_CONFIGURE] = lib_gpio_configure,
    [SYSCALL_IRQ_ACKNOWLEDGE] = lib_irq_acknowledge,
    [SYSCALL_IRQ_ENABLE] = lib_irq_enable,
    [SYSCALL_IRQ_DISABLE] = lib_irq_disable,
    [SYSCALL_GET_SHM_HANDLE] = lib_get_shm_handle,
    [SYSCALL_GET_DMA_STREAM_HANDLE] = lib_get_dma_stream_handle,
    [SYSCALL_DMA_START_STREAM] = lib_dma_start_stream,
    [SYSCALL_DMA_SUSPEND_STREAM] = lib_dma_suspend_stream,
    [SYSCALL_DMA_GET_STREAM_STATUS] = lib_dma_get_stream_status,
    [SYSCALL_SHM_GET_INFOS] = lib_shm_get_infos,
    [SYSCALL_DMA_ASSIGN_STREAM] = lib_dma_assign_stream,
    [SYSCALL_DMA_UNASSIGN_STREAM] = lib_dma_unassign_stream,
    [SYSCALL_DMA_GET_STREAM_INFO] = lib_dma_get_stream_info,
    [SYSCALL_DMA_RESUME_STREAM] = lib_dma_resume_stream,
    [SYSCALL_AUTOTEST_SET_CAPA] = lib_autotest_set_capa,
    [SYSCALL_AUTOTEST_CLEAR_CAPA] = lib_autotest_clear_capa,
    [SYSCALL_HAS_RESPAWNED] = lib_has_respawned,
};

/* One call through the UAPI library. The decoder only makes OP_SYSCALL numbers of the table;
 * a hand-built program with another number has no library function: it traps raw, with the
 * library's result rule (2.1), as exec.c treats it. */
static Status lib_call(uint32_t nr, const uint32_t a[3])
{
	if (nr < SYS_COUNT && lib_calls[nr])
		return lib_calls[nr](a);
	uint32_t r = __sentry_sim_raw_syscall(nr, a[0], a[1], a[2]);
	if (r > STATUS_DEADLK)
		__sentry_sim_hang(); /* the library's panic loop */
	return (Status)r;
}

static void bind(uint8_t out, uint8_t dst)
{
	uint32_t v = 0;
	copy_from_kernel(area, 8);
	if (out == OUT_EVENT)
		memcpy(&v, area + 4, 4);
	else if (out == OUT_GPIO_LEVEL)
		v = area[0];
	else
		memcpy(&v, area, 4);
	vars[dst % PROG_VARS] = v;
}

static void run_op(const ProgOp *op)
{
	switch ((ProgOpKind)op->kind) {
	case OP_SYSCALL: {
		const SysRow *d = systable_get(op->nr);
		uint32_t a[3];
		for (uint32_t i = 0; i < 3; i++)
			a[i] = resolve(op->args[i]);
		if (d->in == IN_LOG && a[0] <= LIBRARY_LOG_MAX)
			fill(&op->fill, a[0]);
		else if (d->in == IN_IPC)
			fill(&op->fill, a[1]);
		if (lib_call(op->nr, a) == STATUS_OK && d->out != OUT_NONE)
			bind(d->out, op->dst);
		return;
	}
	case OP_RAW:
		(void)__sentry_sim_raw_syscall(op->nr, op->args[0].lit, op->args[1].lit,
		                               op->args[2].lit);
		return;
	case OP_FAULT:
		__builtin_trap(); /* 7.7: the task crashes */
		return;
	case OP_COMPUTE:
		(void)__sentry_sim_fuzz_control(PROG_CTL_ADVANCE, op->param, 0);
		return;
	case OP_STIM:
		(void)__sentry_sim_fuzz_control(PROG_CTL_STIM, op->param, op->param2);
		return;
	case OP_HANG:
		__sentry_sim_hang();
		return;
	case OP_TOUCH: {
		/* the board's memory at its address: faults unless mapped (writable) */
		volatile uint8_t *at =
		    (volatile uint8_t *)(uintptr_t)prog_touch_address(op->param, op->param2);
		if (op->param2 & 1)
			*at = (uint8_t)op->param2;
		else
			(void)*at;
		return;
	}
	}
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *hex = getenv("SENTRY_FUZZ_PROG");
	const char *name = argv[0] ? strrchr(argv[0], '-') : NULL;
	if (!hex || !name)
		return 2;
	static uint8_t bytes[PROG_MAX_INPUT];
	size_t n = 0;
	for (; hex[0] && hex[1] && n < sizeof(bytes); hex += 2) {
		int hi = hexval(hex[0]), lo = hexval(hex[1]);
		if (hi < 0 || lo < 0)
			return 2;
		bytes[n++] = (uint8_t)(hi << 4 | lo);
	}
	prog_decode(&prog, bytes, n);
	uint32_t me = (uint32_t)strtoul(name + 1, NULL, 10);
	if (me >= prog.cfg.n_tasks)
		return 2;
	bool any = false;
	do {
		for (uint32_t i = 0; i < prog.n_ops; i++) {
			if (prog.ops[i].script == me) {
				run_op(&prog.ops[i]);
				any = true;
			}
		}
	} while (prog.cfg.tasks[me].end == PROG_END_LOOP && any);
	switch (prog.cfg.tasks[me].end) {
	case PROG_END_WAIT:
		for (;;)
			(void)lib_call(SYSCALL_WAIT_FOR_EVENT,
			               (const uint32_t[3]){EVENT_TYPE_ALL, WFE_WAIT_FOREVER, 0});
	case PROG_END_LOOP: /* an empty loop */
	case PROG_END_HANG:
		__sentry_sim_hang(); /* spins without system calls: exec.c's kernel_hang */
		return 0;
	default:
		return 0; /* the entry returns: exit(0) */
	}
}
