/*
 * uapi.h: the functions libsentry-uapi exports to Sentry tasks (uapi.md 1.8, 2).
 *
 * Each __sys_* function issues one system call (or, where noted, none) and returns its
 * Status. Nothing but scalars crosses the gate: data goes through the task's exchange area
 * (_s_svcexchange), filled and read with copy_to_kernel / copy_from_kernel. Results above
 * STATUS_DEADLK never return (uapi.md 2.1).
 */
#ifndef __SENTRY_UAPI_UAPI_H
#define __SENTRY_UAPI_UAPI_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "handle.h"
#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 0: end the job with |status|; never returns (uapi.md 4.1). */
Status __sys_exit(int32_t status);
/* 1: handle of the task labelled |process| into exch[0..3]. */
Status __sys_get_process_handle(ProcessLabel process);
/* 2: handle of the device labelled |devlabel| into exch[0..3]. */
Status __sys_get_device_handle(uint32_t devlabel);
/* 3: give up the rest of the quantum. */
Status __sys_sched_yield(void);
/* 4: sleep; STATUS_TIMEOUT is the normal completion. A bad tag gives STATUS_INVALID. */
Status __sys_sleep(SleepDuration duration_ms, SleepMode mode);
/* 5: add the task labelled |process| to the active set (CAP_SYS_PROCSTART). */
Status __sys_start(ProcessLabel process);
/* 6 to 9: map or unmap a device or a shared memory. */
Status __sys_map_dev(devh_t dev);
Status __sys_map_shm(shmh_t shm);
Status __sys_unmap_dev(devh_t dev);
Status __sys_unmap_shm(shmh_t shm);
/* 10: give |target| the SHMPermission mask |shm_perm| on |shm|. */
Status __sys_shm_set_credential(shmh_t shm, taskh_t target, uint32_t shm_perm);
/* 11: send exch[0..length-1] to task |resource|; blocks until received. */
Status __sys_send_ipc(uint32_t resource, uint8_t length);
/* 12: queue |signal_type| for task |resource|. */
Status __sys_send_signal(uint32_t resource, Signal signal_type);
/* 13: wait for an event of |mask| (WFE_WAIT_* |timeout|); retried once after INTR. */
Status __sys_wait_for_event(uint8_t mask, int32_t timeout);
/* 14: power command (both names issue the same call). */
Status __sys_pm_manage(CPUSleep mode);
Status __sys_manage_cpu_sleep(CPUSleep mode);
/* 15: update a clock register (CAP_SYS_POWER). */
Status __sys_pm_set_clock(uint32_t clk_reg, uint32_t regmsk, uint32_t val);
/* 16: write exch[0..length-1] to the debug output; length > SENTRY_SVCEXCHANGE_LEN is INVALID. */
Status __sys_log(size_t length);
/*
 * 17: start, start periodic or stop an alarm. The published header declares one parameter;
 * the macro below sends __sys_alarm(ms) to __sys_alarm_noflag, which behaves as
 * O_ALRM_START (and is reported once). &__sys_alarm is still the two-parameter function.
 */
Status __sys_alarm(uint32_t timeout_ms, AlarmFlag flag);
Status __sys_alarm_noflag(uint32_t timeout_ms);
#define __SENTRY_ALARM_PICK(_1, _2, fn, ...) fn
#define __sys_alarm(...)                                                                           \
	__SENTRY_ALARM_PICK(__VA_ARGS__, __sys_alarm, __sys_alarm_noflag, )(__VA_ARGS__)
/* 18: a random uint32_t into exch[0..3] (CAP_CRY_KRNG). */
Status __sys_get_random(void);
/* 19: a uint64_t clock reading into exch[0..7]. */
Status __sys_get_cycle(Precision precision);
/* 20 to 24: GPIO io |io| of device |resource|; get writes 0 or 1 to exch[0]. */
Status __sys_gpio_get(uint32_t resource, uint8_t io);
Status __sys_gpio_set(uint32_t resource, uint8_t io, bool val);
Status __sys_gpio_reset(uint32_t resource, uint8_t io);
Status __sys_gpio_toggle(uint32_t resource, uint8_t io);
Status __sys_gpio_configure(uint32_t resource, uint8_t io);
/* 25 to 27: interrupt line |irq| of an owned device. */
Status __sys_irq_acknowledge(uint16_t irq);
Status __sys_irq_enable(uint16_t irq);
Status __sys_irq_disable(uint16_t irq);
/* 28, 29: handle of the SHM or DMA stream labelled so, into exch[0..3]. */
Status __sys_get_shm_handle(uint32_t shmlabel);
Status __sys_get_dma_stream_handle(uint32_t label);
/* 30 to 37: DMA stream operations; 32 is not implemented by the kernel. */
Status __sys_dma_start_stream(dmah_t stream);
Status __sys_dma_suspend_stream(dmah_t stream);
Status __sys_dma_get_stream_status(dmah_t stream);
/* 33: shm_infos_t of |shm| into exch[0..]. */
Status __sys_shm_get_infos(shmh_t shm);
Status __sys_dma_assign_stream(dmah_t stream);
Status __sys_dma_unassign_stream(dmah_t stream);
/* 36: gpdma_stream_cfg_t of |stream| into exch[0..]. */
Status __sys_dma_get_stream_info(dmah_t stream);
Status __sys_dma_resume_stream(dmah_t stream);
/* Upstream's #if CONFIG_BUILD_TARGET_AUTOTEST, spelled so that -Wundef stays quiet. */
#if defined(CONFIG_BUILD_TARGET_AUTOTEST) && CONFIG_BUILD_TARGET_AUTOTEST
/* 38, 39: set or clear one bit of the global capability set (autotest kernels only). */
Status __sys_autotest_set_capa(uint32_t capa);
Status __sys_autotest_clear_capa(uint32_t capa);
#endif
/* 40: STATUS_OK if this task has been respawned since boot, STATUS_AGAIN otherwise. */
Status __sys_has_respawned(void);

/*
 * Copy min(|length|, SENTRY_SVCEXCHANGE_LEN) bytes to / from offset 0 of the exchange area.
 * STATUS_OK, truncation included; STATUS_INVALID for a NULL pointer with a non-zero length.
 */
Status copy_to_kernel(const uint8_t *from, size_t length);
Status copy_from_kernel(uint8_t *to, size_t length);
/* SENTRY_SVCEXCHANGE_LEN. */
size_t svcexchange_get_maxlen(void);
/* Zero the whole exchange area; STATUS_OK. */
Status clean_svcexchange(void);

#ifdef __cplusplus
}
#endif

#endif /* __SENTRY_UAPI_UAPI_H */
