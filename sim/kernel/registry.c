/*
 * registry.c: the system-call registry (see registry.h): one row per number, in number
 * order, each naming the call, its uapi.md section, its gate and the C types of the
 * library's parameters. gates.c dispatches through it; names and conversions come from it.
 */
#include "config.h"

#include <stddef.h>
#include <strings.h>

#include "sim/kernel/kernel_priv.h"
#include "sim/kernel/registry.h"

#define U8   SYSCALL_ARG_U8
#define U16  SYSCALL_ARG_U16
#define BOOL SYSCALL_ARG_BOOL

static const SyscallDef registry[KERNEL_SYSCALL_COUNT] = {
    [SYSCALL_EXIT] = {.name = "exit", .section = "4.1", .gate = gate_exit},
    [SYSCALL_GET_PROCESS_HANDLE] = {.name = "get_process_handle",
                                    .section = "4.2",
                                    .gate = gate_get_process_handle},
    [SYSCALL_GET_DEVICE_HANDLE] = {.name = "get_device_handle",
                                   .section = "4.3",
                                   .gate = gate_get_device_handle},
    [SYSCALL_YIELD] = {.name = "yield", .lib = "sched_yield", .section = "4.4", .gate = gate_yield},
    [SYSCALL_SLEEP] = {.name = "sleep", .section = "4.5", .gate = gate_sleep},
    [SYSCALL_START] = {.name = "start", .section = "4.6", .gate = gate_start},
    [SYSCALL_MAP_DEV] = {.name = "map_dev", .section = "4.7", .gate = gate_map_dev},
    [SYSCALL_MAP_SHM] = {.name = "map_shm", .section = "4.8", .gate = gate_map_shm},
    [SYSCALL_UNMAP_DEV] = {.name = "unmap_dev", .section = "4.7", .gate = gate_unmap_dev},
    [SYSCALL_UNMAP_SHM] = {.name = "unmap_shm", .section = "4.8", .gate = gate_unmap_shm},
    [SYSCALL_SHM_SET_CREDENTIAL] = {.name = "shm_set_credential",
                                    .section = "4.9",
                                    .gate = gate_shm_set_credential},
    [SYSCALL_SEND_IPC] = {.name = "send_ipc",
                          .section = "4.10",
                          .gate = gate_send_ipc,
                          .width = {[1] = U8}},
    [SYSCALL_SEND_SIGNAL] = {.name = "send_signal", .section = "4.11", .gate = gate_send_signal},
    [SYSCALL_WAIT_FOR_EVENT] = {.name = "wait_for_event",
                                .section = "4.12",
                                .gate = gate_wait_for_event,
                                .width = {[0] = U8}},
    [SYSCALL_PM_MANAGE] = {.name = "pm_manage", .section = "4.13", .gate = gate_pm_manage},
    [SYSCALL_PM_SET_CLOCK] = {.name = "pm_set_clock", .section = "4.14", .gate = gate_pm_set_clock},
    [SYSCALL_LOG] = {.name = "log", .section = "4.15", .gate = gate_log},
    [SYSCALL_ALARM] = {.name = "alarm", .section = "4.16", .gate = gate_alarm},
    [SYSCALL_GET_RANDOM] = {.name = "get_random", .section = "4.17", .gate = gate_get_random},
    [SYSCALL_GET_CYCLE] = {.name = "get_cycle", .section = "4.18", .gate = gate_get_cycle},
    [SYSCALL_GPIO_GET] = {.name = "gpio_get",
                          .section = "4.19",
                          .gate = gate_gpio_get,
                          .width = {[1] = U8}},
    [SYSCALL_GPIO_SET] = {.name = "gpio_set",
                          .section = "4.19",
                          .gate = gate_gpio_set,
                          .width = {[1] = U8, [2] = BOOL}},
    [SYSCALL_GPIO_RESET] = {.name = "gpio_reset",
                            .section = "4.19",
                            .gate = gate_gpio_reset,
                            .width = {[1] = U8}},
    [SYSCALL_GPIO_TOGGLE] = {.name = "gpio_toggle",
                             .section = "4.19",
                             .gate = gate_gpio_toggle,
                             .width = {[1] = U8}},
    [SYSCALL_GPIO_CONFIGURE] = {.name = "gpio_configure",
                                .section = "4.19",
                                .gate = gate_gpio_configure,
                                .width = {[1] = U8}},
    [SYSCALL_IRQ_ACKNOWLEDGE] = {.name = "irq_acknowledge",
                                 .section = "4.20",
                                 .gate = gate_irq_acknowledge,
                                 .width = {[0] = U16}},
    [SYSCALL_IRQ_ENABLE] = {.name = "irq_enable",
                            .section = "4.20",
                            .gate = gate_irq_enable,
                            .width = {[0] = U16}},
    [SYSCALL_IRQ_DISABLE] = {.name = "irq_disable",
                             .section = "4.20",
                             .gate = gate_irq_disable,
                             .width = {[0] = U16}},
    [SYSCALL_GET_SHM_HANDLE] = {.name = "get_shm_handle",
                                .section = "4.21",
                                .gate = gate_get_shm_handle},
    [SYSCALL_GET_DMA_STREAM_HANDLE] = {.name = "get_dma_stream_handle",
                                       .section = "4.22",
                                       .gate = gate_get_dma_stream_handle},
    [SYSCALL_DMA_START_STREAM] = {.name = "dma_start_stream",
                                  .section = "4.23",
                                  .gate = gate_dma_start},
    [SYSCALL_DMA_SUSPEND_STREAM] = {.name = "dma_suspend_stream",
                                    .section = "4.23",
                                    .gate = gate_dma_suspend},
    /* declared, never implemented: no gate (4.0) */
    [SYSCALL_DMA_GET_STREAM_STATUS] = {.name = "dma_get_stream_status", .section = "4.0"},
    [SYSCALL_SHM_GET_INFOS] = {.name = "shm_get_infos",
                               .section = "4.24",
                               .gate = gate_shm_get_infos},
    [SYSCALL_DMA_ASSIGN_STREAM] = {.name = "dma_assign_stream",
                                   .section = "4.23",
                                   .gate = gate_dma_assign},
    [SYSCALL_DMA_UNASSIGN_STREAM] = {.name = "dma_unassign_stream",
                                     .section = "4.23",
                                     .gate = gate_dma_unassign},
    [SYSCALL_DMA_GET_STREAM_INFO] = {.name = "dma_get_stream_info",
                                     .section = "4.23",
                                     .gate = gate_dma_get_stream_info},
    [SYSCALL_DMA_RESUME_STREAM] = {.name = "dma_resume_stream",
                                   .section = "4.23",
                                   .gate = gate_dma_resume},
    [SYSCALL_AUTOTEST_SET_CAPA] = {.name = "autotest_set_capa",
                                   .section = "4.25",
                                   .gate = gate_autotest_set_capa,
                                   .autotest_only = true},
    [SYSCALL_AUTOTEST_CLEAR_CAPA] = {.name = "autotest_clear_capa",
                                     .section = "4.25",
                                     .gate = gate_autotest_clear_capa,
                                     .autotest_only = true},
    [SYSCALL_HAS_RESPAWNED] = {.name = "has_respawned",
                               .section = "4.26",
                               .gate = gate_has_respawned},
};

const SyscallDef *kernel_syscall_def(uint32_t nr)
{
	return nr < KERNEL_SYSCALL_COUNT ? &registry[nr] : NULL;
}

const char *kernel_syscall_name(uint32_t nr)
{
	return nr < KERNEL_SYSCALL_COUNT ? registry[nr].name : "unsupported";
}

const char *kernel_syscall_lib_name(uint32_t nr)
{
	if (nr >= KERNEL_SYSCALL_COUNT)
		return NULL;
	return registry[nr].lib ? registry[nr].lib : registry[nr].name;
}

bool kernel_syscall_lookup(const char *name, uint32_t *nr)
{
	if (strncasecmp(name, "SYSCALL_", 8) == 0)
		name += 8;
	if (strcasecmp(name, "dma_start_sream") == 0) /* upstream's spelling */
		name = "dma_start_stream";
	for (uint32_t i = 0; i < KERNEL_SYSCALL_COUNT; i++) {
		if (strcasecmp(name, registry[i].name) == 0) {
			*nr = i;
			return true;
		}
	}
	return false;
}

void kernel_syscall_lib_args(uint32_t nr, uint32_t a[3])
{
	if (nr >= KERNEL_SYSCALL_COUNT)
		return;
	for (int i = 0; i < 3; i++) {
		switch ((SyscallArgWidth)registry[nr].width[i]) {
		case SYSCALL_ARG_U32:
			break;
		case SYSCALL_ARG_U8:
			a[i] = (uint8_t)a[i];
			break;
		case SYSCALL_ARG_U16:
			a[i] = (uint16_t)a[i];
			break;
		case SYSCALL_ARG_BOOL:
			a[i] = a[i] != 0;
			break;
		}
	}
}
