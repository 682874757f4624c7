/*
 * syscalls.c: the exported Sentry UAPI functions of libsentry-uapi (uapi.md 1.8, 2).
 *
 * Each __sys_* function does the library-side work the spec gives the UAPI library
 * (argument conversion, the log length check, the sleep tag table, the wait_for_event
 * retry, result conversion) and traps through sentry_gate() (gate.h). copy_to_kernel,
 * copy_from_kernel, svcexchange_get_maxlen and clean_svcexchange never trap: they work on
 * the task's exchange area, the data symbol _s_svcexchange that runtime.c defines.
 *
 * Errors are Sentry Status values. Diagnostics the spec asks for go to sentry_report();
 * a result the library cannot convert ends in sentry_hang(), as upstream's panic loop.
 * Nothing here allocates, uses stdio or depends on glib: it runs inside task processes
 * under the strict seccomp filter.
 */
/* The library always exports the autotest calls (uapi.md 1.8 item 5): see their prototypes. */
#undef CONFIG_BUILD_TARGET_AUTOTEST
#define CONFIG_BUILD_TARGET_AUTOTEST 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <uapi/platform.h>
#include <uapi/uapi.h>

#include "gate.h"

#define SENTRY_EXPORT __attribute__((visibility("default")))

/* Bytes behind _s_svcexchange that runtime.c guarantees (the configurable maximum). */
#define SYSCALLS_EXCHANGE_CAPACITY 1024u

_Static_assert(SENTRY_SVCEXCHANGE_LEN >= 64 && SENTRY_SVCEXCHANGE_LEN <= 1024,
               "SENTRY_SVCEXCHANGE_LEN outside the configurable range 64..1024");

/* The calling task's exchange area (runtime.c; at least 1024 bytes, 8-aligned). */
extern uint8_t _s_svcexchange[];

/* Milliseconds the library sends for each SleepDuration tag (uapi.md 1.3). */
/* clang-format off */
static const uint32_t sleep_tag_ms[] = {
	[SLEEP_DURATION_D1MS] = 1,
	[SLEEP_DURATION_D2MS] = 2,
	[SLEEP_DURATION_D5MS] = 5,
	[SLEEP_DURATION_D10MS] = 10,
	[SLEEP_DURATION_D20MS] = 20,
	[SLEEP_DURATION_D50MS] = 50,
	[SLEEP_DURATION_ARBITRARY_MS] = 0, /* the arbitrary_ms member */
};
/* clang-format on */

/* Directions named in the copy reports (gate.h). */
enum { COPY_TO_KERNEL = 0, COPY_FROM_KERNEL = 1 };

/*
 * Turn the raw result of syscall |nr| into a Status (uapi.md 2.1): above STATUS_DEADLK the
 * upstream library panics into an endless loop, so the task makes no further progress.
 */
static Status syscalls_result(uint32_t nr, uint32_t raw)
{
	if (raw > (uint32_t)STATUS_DEADLK) {
		sentry_report(SENTRY_REPORT_BAD_RESULT, nr, raw);
		sentry_hang();
	}
	return (Status)raw;
}

static Status syscalls_trap(Syscall nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	return syscalls_result((uint32_t)nr, sentry_gate((uint32_t)nr, a0, a1, a2));
}

/* A host length as a report word: saturated rather than wrapped. */
static uint32_t syscalls_len_word(size_t length)
{
	return length > UINT32_MAX ? UINT32_MAX : (uint32_t)length;
}

/* Bytes of the exchange area a copy of |length| bytes touches: truncated, still OK. */
static size_t syscalls_copy_len(size_t length, uint32_t direction)
{
	if (length <= SENTRY_SVCEXCHANGE_LEN)
		return length;
	sentry_report(SENTRY_REPORT_COPY_TRUNCATED, direction, syscalls_len_word(length));
	return SENTRY_SVCEXCHANGE_LEN;
}

SENTRY_EXPORT __attribute__((noreturn)) Status __sys_exit(int32_t status)
{
	sentry_before_exit();
	(void)sentry_gate(SYSCALL_EXIT, (uint32_t)status, 0, 0);
	/* The kernel never resumes an exited job: if it ever does, make no progress. */
	sentry_hang();
}

SENTRY_EXPORT Status __sys_get_process_handle(ProcessLabel process)
{
	return syscalls_trap(SYSCALL_GET_PROCESS_HANDLE, process, 0, 0);
}

SENTRY_EXPORT Status __sys_get_device_handle(uint32_t devlabel)
{
	return syscalls_trap(SYSCALL_GET_DEVICE_HANDLE, devlabel, 0, 0);
}

SENTRY_EXPORT Status __sys_sched_yield(void)
{
	return syscalls_trap(SYSCALL_YIELD, 0, 0, 0);
}

SENTRY_EXPORT Status __sys_sleep(SleepDuration duration_ms, SleepMode mode)
{
	uint32_t tag = (uint32_t)duration_ms.tag;
	uint32_t ms;

	/* Undefined behaviour upstream: refuse without trapping, and say so. */
	if (tag >= sizeof(sleep_tag_ms) / sizeof(sleep_tag_ms[0])) {
		sentry_report(SENTRY_REPORT_SLEEP_BAD_TAG, tag, 0);
		return STATUS_INVALID;
	}
	if (tag == SLEEP_DURATION_ARBITRARY_MS)
		ms = duration_ms.arbitrary_ms;
	else
		ms = sleep_tag_ms[tag];
	/* A mode other than 0 or 1 goes through unchanged: the kernel rejects it. */
	return syscalls_trap(SYSCALL_SLEEP, ms, (uint32_t)mode, 0);
}

SENTRY_EXPORT Status __sys_start(ProcessLabel process)
{
	return syscalls_trap(SYSCALL_START, process, 0, 0);
}

SENTRY_EXPORT Status __sys_map_dev(devh_t dev)
{
	return syscalls_trap(SYSCALL_MAP_DEV, dev, 0, 0);
}

SENTRY_EXPORT Status __sys_map_shm(shmh_t shm)
{
	return syscalls_trap(SYSCALL_MAP_SHM, shm, 0, 0);
}

SENTRY_EXPORT Status __sys_unmap_dev(devh_t dev)
{
	return syscalls_trap(SYSCALL_UNMAP_DEV, dev, 0, 0);
}

SENTRY_EXPORT Status __sys_unmap_shm(shmh_t shm)
{
	return syscalls_trap(SYSCALL_UNMAP_SHM, shm, 0, 0);
}

SENTRY_EXPORT Status __sys_shm_set_credential(shmh_t shm, taskh_t target, uint32_t shm_perm)
{
	return syscalls_trap(SYSCALL_SHM_SET_CREDENTIAL, shm, target, shm_perm);
}

SENTRY_EXPORT Status __sys_send_ipc(uint32_t resource, uint8_t length)
{
	return syscalls_trap(SYSCALL_SEND_IPC, resource, (uint32_t)length, 0);
}

SENTRY_EXPORT Status __sys_send_signal(uint32_t resource, Signal signal_type)
{
	return syscalls_trap(SYSCALL_SEND_SIGNAL, resource, (uint32_t)signal_type, 0);
}

/* A waiter woken by an event gets INTR: the same call, once more, obtains it (uapi.md 2.4). */
SENTRY_EXPORT Status __sys_wait_for_event(uint8_t mask, int32_t timeout)
{
	Status st = syscalls_trap(SYSCALL_WAIT_FOR_EVENT, mask, (uint32_t)timeout, 0);

	if (st == STATUS_INTR)
		st = syscalls_trap(SYSCALL_WAIT_FOR_EVENT, mask, (uint32_t)timeout, 0);
	return st;
}

SENTRY_EXPORT Status __sys_pm_manage(CPUSleep mode)
{
	return syscalls_trap(SYSCALL_PM_MANAGE, (uint32_t)mode, 0, 0);
}

SENTRY_EXPORT Status __sys_manage_cpu_sleep(CPUSleep mode)
{
	return syscalls_trap(SYSCALL_PM_MANAGE, (uint32_t)mode, 0, 0);
}

SENTRY_EXPORT Status __sys_pm_set_clock(uint32_t clk_reg, uint32_t regmsk, uint32_t val)
{
	return syscalls_trap(SYSCALL_PM_SET_CLOCK, clk_reg, regmsk, val);
}

SENTRY_EXPORT Status __sys_log(size_t length)
{
	/* Checked before the trap, against the library's own area size (uapi.md 2.2). */
	if (length > SENTRY_SVCEXCHANGE_LEN)
		return STATUS_INVALID;
	return syscalls_trap(SYSCALL_LOG, (uint32_t)length, 0, 0);
}

/* Parenthesised: uapi.h also defines __sys_alarm as an argument-counting macro. */
SENTRY_EXPORT Status(__sys_alarm)(uint32_t timeout_ms, AlarmFlag flag)
{
	return syscalls_trap(SYSCALL_ALARM, timeout_ms, (uint32_t)flag, 0);
}

/*
 * One-argument __sys_alarm (uapi.md 1.8 item 1): on the target the flag would be whatever
 * the second argument register holds. Reported once per task process (a respawn is a new
 * process), then O_ALRM_START.
 */
SENTRY_EXPORT Status __sys_alarm_noflag(uint32_t timeout_ms)
{
	static bool reported;

	if (!reported) {
		reported = true;
		sentry_report(SENTRY_REPORT_ALARM_NOFLAG, timeout_ms, 0);
	}
	return (__sys_alarm)(timeout_ms, O_ALRM_START);
}

SENTRY_EXPORT Status __sys_get_random(void)
{
	return syscalls_trap(SYSCALL_GET_RANDOM, 0, 0, 0);
}

SENTRY_EXPORT Status __sys_get_cycle(Precision precision)
{
	return syscalls_trap(SYSCALL_GET_CYCLE, (uint32_t)precision, 0, 0);
}

SENTRY_EXPORT Status __sys_gpio_get(uint32_t resource, uint8_t io)
{
	return syscalls_trap(SYSCALL_GPIO_GET, resource, io, 0);
}

SENTRY_EXPORT Status __sys_gpio_set(uint32_t resource, uint8_t io, bool val)
{
	return syscalls_trap(SYSCALL_GPIO_SET, resource, io, val ? 1u : 0u);
}

SENTRY_EXPORT Status __sys_gpio_reset(uint32_t resource, uint8_t io)
{
	return syscalls_trap(SYSCALL_GPIO_RESET, resource, io, 0);
}

SENTRY_EXPORT Status __sys_gpio_toggle(uint32_t resource, uint8_t io)
{
	return syscalls_trap(SYSCALL_GPIO_TOGGLE, resource, io, 0);
}

SENTRY_EXPORT Status __sys_gpio_configure(uint32_t resource, uint8_t io)
{
	return syscalls_trap(SYSCALL_GPIO_CONFIGURE, resource, io, 0);
}

SENTRY_EXPORT Status __sys_irq_acknowledge(uint16_t irq)
{
	return syscalls_trap(SYSCALL_IRQ_ACKNOWLEDGE, irq, 0, 0);
}

SENTRY_EXPORT Status __sys_irq_enable(uint16_t irq)
{
	return syscalls_trap(SYSCALL_IRQ_ENABLE, irq, 0, 0);
}

SENTRY_EXPORT Status __sys_irq_disable(uint16_t irq)
{
	return syscalls_trap(SYSCALL_IRQ_DISABLE, irq, 0, 0);
}

SENTRY_EXPORT Status __sys_get_shm_handle(uint32_t shmlabel)
{
	return syscalls_trap(SYSCALL_GET_SHM_HANDLE, shmlabel, 0, 0);
}

SENTRY_EXPORT Status __sys_get_dma_stream_handle(uint32_t label)
{
	return syscalls_trap(SYSCALL_GET_DMA_STREAM_HANDLE, label, 0, 0);
}

SENTRY_EXPORT Status __sys_dma_start_stream(dmah_t stream)
{
	return syscalls_trap(SYSCALL_DMA_START_STREAM, stream, 0, 0);
}

SENTRY_EXPORT Status __sys_dma_suspend_stream(dmah_t stream)
{
	return syscalls_trap(SYSCALL_DMA_SUSPEND_STREAM, stream, 0, 0);
}

SENTRY_EXPORT Status __sys_dma_get_stream_status(dmah_t stream)
{
	return syscalls_trap(SYSCALL_DMA_GET_STREAM_STATUS, stream, 0, 0);
}

SENTRY_EXPORT Status __sys_shm_get_infos(shmh_t shm)
{
	return syscalls_trap(SYSCALL_SHM_GET_INFOS, shm, 0, 0);
}

SENTRY_EXPORT Status __sys_dma_assign_stream(dmah_t stream)
{
	return syscalls_trap(SYSCALL_DMA_ASSIGN_STREAM, stream, 0, 0);
}

SENTRY_EXPORT Status __sys_dma_unassign_stream(dmah_t stream)
{
	return syscalls_trap(SYSCALL_DMA_UNASSIGN_STREAM, stream, 0, 0);
}

SENTRY_EXPORT Status __sys_dma_get_stream_info(dmah_t stream)
{
	return syscalls_trap(SYSCALL_DMA_GET_STREAM_INFO, stream, 0, 0);
}

SENTRY_EXPORT Status __sys_dma_resume_stream(dmah_t stream)
{
	return syscalls_trap(SYSCALL_DMA_RESUME_STREAM, stream, 0, 0);
}

/* Exported in every build; the simulated kernel variant decides the outcome (uapi.md 4.25). */
SENTRY_EXPORT Status __sys_autotest_set_capa(uint32_t capa)
{
	return syscalls_trap(SYSCALL_AUTOTEST_SET_CAPA, capa, 0, 0);
}

SENTRY_EXPORT Status __sys_autotest_clear_capa(uint32_t capa)
{
	return syscalls_trap(SYSCALL_AUTOTEST_CLEAR_CAPA, capa, 0, 0);
}

SENTRY_EXPORT Status __sys_has_respawned(void)
{
	return syscalls_trap(SYSCALL_HAS_RESPAWNED, 0, 0, 0);
}

SENTRY_EXPORT Status copy_to_kernel(const uint8_t *from, size_t length)
{
	if (length == 0)
		return STATUS_OK;
	if (from == NULL) {
		sentry_report(SENTRY_REPORT_COPY_NULL, COPY_TO_KERNEL, syscalls_len_word(length));
		return STATUS_INVALID;
	}
	/* memmove: |from| may point into the area itself (e.g. an event payload). */
	memmove(_s_svcexchange, from, syscalls_copy_len(length, COPY_TO_KERNEL));
	return STATUS_OK;
}

SENTRY_EXPORT Status copy_from_kernel(uint8_t *to, size_t length)
{
	if (length == 0)
		return STATUS_OK;
	if (to == NULL) {
		sentry_report(SENTRY_REPORT_COPY_NULL, COPY_FROM_KERNEL, syscalls_len_word(length));
		return STATUS_INVALID;
	}
	memmove(to, _s_svcexchange, syscalls_copy_len(length, COPY_FROM_KERNEL));
	return STATUS_OK;
}

SENTRY_EXPORT size_t svcexchange_get_maxlen(void)
{
	return SENTRY_SVCEXCHANGE_LEN;
}

/* The whole area the kernel uses, even when it is configured larger than this library. */
SENTRY_EXPORT Status clean_svcexchange(void)
{
	size_t len = sentry_exchange_len();

	if (len < SENTRY_SVCEXCHANGE_LEN)
		len = SENTRY_SVCEXCHANGE_LEN;
	if (len > SYSCALLS_EXCHANGE_CAPACITY)
		len = SYSCALLS_EXCHANGE_CAPACITY;
	memset(_s_svcexchange, 0, len);
	return STATUS_OK;
}
