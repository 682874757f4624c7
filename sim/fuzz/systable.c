/*
 * systable.c: the typed table of the Sentry system calls (see systable.h).
 *
 * Every row is transcribed from uapi.md section 4 (checks and their order), 1.3 (argument
 * enums), 1.5 (records written to the exchange area) and 6.1 (capabilities). When the spec
 * changes, this table changes with it; the invariant checker and the generators read
 * nothing else.
 */
#include "config.h"

#include <uapi/dma.h>
#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/fuzz/systable.h"
#include "sim/kernel/kernel.h"

#define A(k, n)                                                                                    \
	{                                                                                          \
		.kind = ARG_##k, .name = n                                                         \
	}
#define AE(n, l, h)                                                                                \
	{                                                                                          \
		.kind = ARG_ENUM, .name = n, .lo = l, .hi = h                                      \
	}
#define AB(n, m)                                                                                   \
	{                                                                                          \
		.kind = ARG_BITS, .name = n, .hi = m                                               \
	}
#define CK(k, a, s)                                                                                \
	{                                                                                          \
		.kind = CK_##k, .arg = a, .status = STATUS_##s                                     \
	}
#define CAP(c, s)                                                                                  \
	{                                                                                          \
		.kind = CK_CAP, .status = STATUS_##s, .cap = (c)                                   \
	}
#define P(c) (1u << PANIC_##c)

/* 4.19: checks shared by the five GPIO calls */
#define GPIO_CHECKS                                                                                \
	{                                                                                          \
		CK(DEV_HANDLE, 0, INVALID), CK(DEV_OWNER, 0, DENIED),                              \
		    CAP(CAP_DEV_IO | CAP_DEV_BUSES, DENIED), CK(GPIO_IO, 1, INVALID),              \
		    CK(GPIO_DRIVER, 1, INVALID),                                                   \
	}
/* 4.20 */
#define IRQ_CHECKS                                                                                 \
	{                                                                                          \
		CAP(CAP_DEV_MASK, DENIED), CK(IRQ_DECLARED, 0, INVALID), CK(IRQ_OWNER, 0, DENIED), \
	}
/* 4.23: checks shared by the DMA stream operations */
#define DMA_CHECKS                                                                                 \
	{                                                                                          \
		CK(GPDMA, 0, NO_ENTITY), CK(DMA_HANDLE, 0, INVALID), CK(DMA_OWNER, 0, DENIED),     \
		    CAP(CAP_DEV_DMA, DENIED), CK(DMA_STATE, 0, INVALID),                           \
	}
#define DMA_ROW(n, nm, w)                                                                          \
	[n] = {.nr = n,                                                                            \
	       .name = nm,                                                                         \
	       .section = "4.23",                                                                  \
	       .args = {A(DMA_HANDLE, "stream")},                                                  \
	       .effect = EFF_BOARD,                                                                \
	       .flags = SYS_BOARD,                                                                 \
	       .statuses =                                                                         \
	           ST(STATUS_OK) | ST(STATUS_NO_ENTITY) | ST(STATUS_INVALID) | ST(STATUS_DENIED),  \
	       .weight = w,                                                                        \
	       .checks = DMA_CHECKS}

static const SysRow table[SYS_COUNT] = {
    [SYSCALL_EXIT] = {.nr = SYSCALL_EXIT,
                      .name = "exit",
                      .section = "4.1",
                      .args = {A(EXIT_STATUS, "status")},
                      .effect = EFF_EXIT,
                      .flags = SYS_ELECTS | SYS_NO_RETURN,
                      .statuses = 0,
                      .panics = P(HARDWARE_UNEXPECTED_MODIFICATION),
                      .weight = 3},
    [SYSCALL_GET_PROCESS_HANDLE] = {.nr = SYSCALL_GET_PROCESS_HANDLE,
                                    .name = "get_process_handle",
                                    .section = "4.2",
                                    .args = {A(TASK_LABEL, "process")},
                                    .out = OUT_TASK_HANDLE,
                                    .effect = EFF_PROCESS_HANDLE,
                                    .statuses =
                                        ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
                                    .weight = 12,
                                    .checks = {CK(TASK_LABEL, 0, INVALID),
                                               CK(SAME_DOMAIN, 0, DENIED)}},
    [SYSCALL_GET_DEVICE_HANDLE] = {.nr = SYSCALL_GET_DEVICE_HANDLE,
                                   .name = "get_device_handle",
                                   .section = "4.3",
                                   .args = {A(DEV_LABEL, "devlabel")},
                                   .out = OUT_DEV_HANDLE,
                                   .effect = EFF_BOARD,
                                   .flags = SYS_BOARD,
                                   .statuses = ST(STATUS_OK) | ST(STATUS_INVALID),
                                   .weight = 3,
                                   .checks = {CK(DEV_LABEL, 0, INVALID)}},
    [SYSCALL_YIELD] = {.nr = SYSCALL_YIELD,
                       .name = "sched_yield",
                       .section = "4.4",
                       .effect = EFF_YIELD,
                       .flags = SYS_ELECTS,
                       .statuses = ST(STATUS_OK),
                       .weight = 8},
    [SYSCALL_SLEEP] = {.nr = SYSCALL_SLEEP,
                       .name = "sleep",
                       .section = "4.5",
                       .args = {A(DELAY_MS, "duration_ms"), AE("mode", 0, 1)},
                       .effect = EFF_SLEEP,
                       .flags = SYS_BLOCKS | SYS_ELECTS,
                       .statuses = ST(STATUS_INVALID) | ST(STATUS_BUSY) | ST(STATUS_TIMEOUT) |
                                   ST(STATUS_INTR),
                       .later = ST(STATUS_TIMEOUT) | ST(STATUS_INTR),
                       .weight = 8,
                       .checks = {CK(RANGE, 1, INVALID), CK(DELAY_FREE, 0, BUSY)}},
    [SYSCALL_START] = {.nr = SYSCALL_START,
                       .name = "start",
                       .section = "4.6",
                       .args = {A(TASK_LABEL, "process")},
                       .effect = EFF_START,
                       .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID),
                       .panics = P(KERNEL_INVALID_MANAGER_RESPONSE),
                       .weight = 4,
                       .checks = {CAP(CAP_SYS_PROCSTART, DENIED), CK(TASK_LABEL, 0, INVALID)}},
    [SYSCALL_MAP_DEV] = {.nr = SYSCALL_MAP_DEV,
                         .name = "map_dev",
                         .section = "4.7",
                         .args = {A(DEV_HANDLE, "dev")},
                         .effect = EFF_BOARD,
                         .flags = SYS_BOARD,
                         .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED) |
                                     ST(STATUS_BUSY),
                         .panics = P(KERNEL_INVALID_MANAGER_RESPONSE),
                         .weight = 2,
                         .checks = {CK(DEV_HANDLE, 0, INVALID), CK(DEV_OWNER, 0, DENIED),
                                    CK(DEV_CAP, 0, DENIED), CK(DEV_UNMAPPED, 0, INVALID),
                                    CK(MAP_SLOT, 0, BUSY)}},
    [SYSCALL_MAP_SHM] = {.nr = SYSCALL_MAP_SHM,
                         .name = "map_shm",
                         .section = "4.8",
                         .args = {A(SHM_HANDLE, "shm")},
                         .effect = EFF_BOARD,
                         .flags = SYS_BOARD,
                         .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID) |
                                     ST(STATUS_ALREADY_MAPPED) | ST(STATUS_BUSY),
                         .weight = 2,
                         .checks = {CAP(CAP_MEM_SHM_USE, DENIED), CK(SHM_HANDLE, 0, INVALID),
                                    CK(SHM_ACCESSOR, 0, INVALID), CK(SHM_MAPPABLE, 0, DENIED),
                                    CK(SHM_UNMAPPED, 0, ALREADY_MAPPED), CK(MAP_SLOT, 0, BUSY)}},
    [SYSCALL_UNMAP_DEV] = {.nr = SYSCALL_UNMAP_DEV,
                           .name = "unmap_dev",
                           .section = "4.7",
                           .args = {A(DEV_HANDLE, "dev")},
                           .effect = EFF_BOARD,
                           .flags = SYS_BOARD,
                           .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
                           .panics = P(KERNEL_INVALID_MANAGER_RESPONSE),
                           .weight = 1,
                           .checks = {CK(DEV_HANDLE, 0, INVALID), CK(DEV_OWNER, 0, DENIED),
                                      CK(DEV_CAP, 0, DENIED), CK(DEV_MAPPED, 0, INVALID)}},
    [SYSCALL_UNMAP_SHM] = {.nr = SYSCALL_UNMAP_SHM,
                           .name = "unmap_shm",
                           .section = "4.8",
                           .args = {A(SHM_HANDLE, "shm")},
                           .effect = EFF_BOARD,
                           .flags = SYS_BOARD,
                           .statuses = ST(STATUS_OK) | ST(STATUS_INVALID),
                           .weight = 1,
                           .checks = {CK(SHM_HANDLE, 0, INVALID), CK(SHM_ACCESSOR, 0, INVALID),
                                      CK(SHM_MAPPED, 0, INVALID)}},
    [SYSCALL_SHM_SET_CREDENTIAL] =
        {.nr = SYSCALL_SHM_SET_CREDENTIAL,
         .name = "shm_set_credential",
         .section = "4.9",
         .args = {A(SHM_HANDLE, "shm"), A(TASK_HANDLE, "target"), AB("shm_perm", 0xF)},
         .effect = EFF_BOARD,
         .flags = SYS_BOARD,
         .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID) | ST(STATUS_BUSY),
         .weight = 2,
         .checks = {CAP(CAP_MEM_SHM_OWN, DENIED), CK(SHM_HANDLE, 0, INVALID),
                    CK(TASK_HANDLE, 1, INVALID), CK(SHM_ACCESSOR, 0, INVALID),
                    CK(SHM_IS_OWNER, 0, DENIED), CK(SHM_OWNER_UNMAPPED, 0, BUSY)}},
    [SYSCALL_SEND_IPC] = {.nr = SYSCALL_SEND_IPC,
                          .name = "send_ipc",
                          .section = "4.10",
                          .args = {A(TASK_HANDLE, "resource"), A(IPC_LEN, "length")},
                          .in = IN_IPC,
                          .effect = EFF_SEND_IPC,
                          .flags = SYS_BLOCKS | SYS_ELECTS,
                          /* BUSY: "this push cannot fail in practice" */
                          .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DEADLK) |
                                      ST(STATUS_BUSY),
                          .later = ST(STATUS_OK),
                          .panics = P(KERNEL_INVALID_MANAGER_RESPONSE),
                          .weight = 12,
                          .checks = {CK(IPC_LEN, 1, INVALID), CK(DEADLOCK, 0, DEADLK),
                                     CK(TASK_HANDLE, 0, INVALID)}},
    [SYSCALL_SEND_SIGNAL] = {.nr = SYSCALL_SEND_SIGNAL,
                             .name = "send_signal",
                             .section = "4.11",
                             .args = {A(TASK_HANDLE, "resource"), AE("signal_type", 1, 12)},
                             .effect = EFF_SEND_SIGNAL,
                             .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_BUSY),
                             .weight = 12,
                             .checks = {CK(NOT_SELF, 0, INVALID), CK(RANGE, 1, INVALID),
                                        CK(TASK_HANDLE, 0, INVALID), CK(SIG_FREE, 0, BUSY)}},
    [SYSCALL_WAIT_FOR_EVENT] = {.nr = SYSCALL_WAIT_FOR_EVENT,
                                .name = "wait_for_event",
                                .section = "4.12",
                                .args = {AB("mask", 0xF), A(TIMEOUT, "timeout")},
                                .out = OUT_EVENT,
                                .effect = EFF_WAIT,
                                .flags = SYS_BLOCKS | SYS_ELECTS,
                                .statuses = ST(STATUS_OK) | ST(STATUS_AGAIN) | ST(STATUS_TIMEOUT) |
                                            ST(STATUS_INTR),
                                .later = ST(STATUS_TIMEOUT) | ST(STATUS_INTR),
                                .weight = 16},
    [SYSCALL_PM_MANAGE] = {.nr = SYSCALL_PM_MANAGE,
                           .name = "pm_manage",
                           .section = "4.13",
                           .args = {AE("mode", 0, 3)},
                           .effect = EFF_PM,
                           .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID),
                           .weight = 2,
                           .checks = {CAP(CAP_SYS_POWER, DENIED), CK(RANGE, 0, INVALID),
                                      CK(IDLE_ONLY, 0, DENIED)}},
    [SYSCALL_PM_SET_CLOCK] = {.nr = SYSCALL_PM_SET_CLOCK,
                              .name = "pm_set_clock",
                              .section = "4.14",
                              .args = {A(CLOCK_REG, "clk_reg"), A(U32, "regmsk"), A(U32, "val")},
                              .effect = EFF_PM,
                              .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID),
                              .weight = 1,
                              .checks = {CAP(CAP_SYS_POWER, DENIED), CK(ALIGN4, 0, INVALID)}},
    [SYSCALL_LOG] = {.nr = SYSCALL_LOG,
                     .name = "log",
                     .section = "4.15",
                     .args = {A(LOG_LEN, "length")},
                     .in = IN_LOG,
                     .effect = EFF_LOG,
                     .statuses = ST(STATUS_OK) | ST(STATUS_INVALID),
                     .weight = 6,
                     .checks = {CK(RELEASE, 0, OK), CK(LOG_LEN, 0, INVALID)}},
    [SYSCALL_ALARM] = {.nr = SYSCALL_ALARM,
                       .name = "alarm",
                       .section = "4.16",
                       .args = {A(DELAY_MS, "timeout_ms"), AE("flag", 0, 2)},
                       .effect = EFF_ALARM,
                       .statuses = ST(STATUS_OK) | ST(STATUS_BUSY) | ST(STATUS_NO_ENTITY) |
                                   ST(STATUS_INVALID),
                       .weight = 6},
    [SYSCALL_GET_RANDOM] = {.nr = SYSCALL_GET_RANDOM,
                            .name = "get_random",
                            .section = "4.17",
                            .out = OUT_RANDOM,
                            .effect = EFF_OK,
                            .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_CRITICAL),
                            .weight = 4,
                            .checks = {CAP(CAP_CRY_KRNG, DENIED), CK(ENTROPY, 0, CRITICAL)}},
    [SYSCALL_GET_CYCLE] = {.nr = SYSCALL_GET_CYCLE,
                           .name = "get_cycle",
                           .section = "4.18",
                           .args = {AE("precision", 0, 3)},
                           .out = OUT_CYCLE,
                           .effect = EFF_CYCLE,
                           .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
                           .weight = 4,
                           .checks = {CK(RANGE, 0, INVALID), CK(CYCLE_CAP, 0, DENIED)}},
    [SYSCALL_GPIO_GET] = {.nr = SYSCALL_GPIO_GET,
                          .name = "gpio_get",
                          .section = "4.19",
                          .args = {A(DEV_HANDLE, "resource"), A(GPIO_IO, "io")},
                          .out = OUT_GPIO_LEVEL,
                          .effect = EFF_BOARD,
                          .flags = SYS_BOARD,
                          .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
                          .weight = 1,
                          .checks = GPIO_CHECKS},
    [SYSCALL_GPIO_SET] = {.nr = SYSCALL_GPIO_SET,
                          .name = "gpio_set",
                          .section = "4.19",
                          .args = {A(DEV_HANDLE, "resource"), A(GPIO_IO, "io"), A(BOOL, "val")},
                          .effect = EFF_BOARD,
                          .flags = SYS_BOARD,
                          .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
                          .weight = 1,
                          .checks = GPIO_CHECKS},
    [SYSCALL_GPIO_RESET] = {.nr = SYSCALL_GPIO_RESET,
                            .name = "gpio_reset",
                            .section = "4.19",
                            .args = {A(DEV_HANDLE, "resource"), A(GPIO_IO, "io")},
                            .effect = EFF_BOARD,
                            .flags = SYS_BOARD,
                            .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
                            .weight = 1,
                            .checks = GPIO_CHECKS},
    [SYSCALL_GPIO_TOGGLE] = {.nr = SYSCALL_GPIO_TOGGLE,
                             .name = "gpio_toggle",
                             .section = "4.19",
                             .args = {A(DEV_HANDLE, "resource"), A(GPIO_IO, "io")},
                             .effect = EFF_BOARD,
                             .flags = SYS_BOARD,
                             .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
                             .weight = 1,
                             .checks = GPIO_CHECKS},
    [SYSCALL_GPIO_CONFIGURE] = {.nr = SYSCALL_GPIO_CONFIGURE,
                                .name = "gpio_configure",
                                .section = "4.19",
                                .args = {A(DEV_HANDLE, "resource"), A(GPIO_IO, "io")},
                                .effect = EFF_BOARD,
                                .flags = SYS_BOARD,
                                .statuses = ST(STATUS_OK) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
                                .weight = 1,
                                .checks = GPIO_CHECKS},
    [SYSCALL_IRQ_ACKNOWLEDGE] = {.nr = SYSCALL_IRQ_ACKNOWLEDGE,
                                 .name = "irq_acknowledge",
                                 .section = "4.20",
                                 .args = {A(IRQ, "irq")},
                                 .effect = EFF_BOARD,
                                 .flags = SYS_BOARD,
                                 .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID),
                                 .weight = 1,
                                 .checks = IRQ_CHECKS},
    [SYSCALL_IRQ_ENABLE] = {.nr = SYSCALL_IRQ_ENABLE,
                            .name = "irq_enable",
                            .section = "4.20",
                            .args = {A(IRQ, "irq")},
                            .effect = EFF_BOARD,
                            .flags = SYS_BOARD,
                            .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID),
                            .weight = 1,
                            .checks = IRQ_CHECKS},
    [SYSCALL_IRQ_DISABLE] = {.nr = SYSCALL_IRQ_DISABLE,
                             .name = "irq_disable",
                             .section = "4.20",
                             .args = {A(IRQ, "irq")},
                             .effect = EFF_BOARD,
                             .flags = SYS_BOARD,
                             .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID),
                             .weight = 1,
                             .checks = IRQ_CHECKS},
    [SYSCALL_GET_SHM_HANDLE] = {.nr = SYSCALL_GET_SHM_HANDLE,
                                .name = "get_shm_handle",
                                .section = "4.21",
                                .args = {A(SHM_LABEL, "shmlabel")},
                                .out = OUT_SHM_HANDLE,
                                .effect = EFF_BOARD,
                                .flags = SYS_BOARD,
                                .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID),
                                .weight = 2,
                                .checks = {CAP(CAP_MEM_SHM_OWN, DENIED), CK(SHM_LABEL, 0, INVALID),
                                           CK(SHM_ACCESSOR, 0, INVALID)}},
    [SYSCALL_GET_DMA_STREAM_HANDLE] =
        {.nr = SYSCALL_GET_DMA_STREAM_HANDLE,
         .name = "get_dma_stream_handle",
         .section = "4.22",
         .args = {A(DMA_LABEL, "label")},
         .out = OUT_DMA_HANDLE,
         .effect = EFF_BOARD,
         .flags = SYS_BOARD,
         .statuses = ST(STATUS_OK) | ST(STATUS_NO_ENTITY) | ST(STATUS_INVALID) | ST(STATUS_DENIED),
         .weight = 2,
         .checks = {CK(GPDMA, 0, NO_ENTITY), CK(DMA_LABEL, 0, INVALID), CAP(CAP_DEV_DMA, DENIED),
                    CK(DMA_LABEL_OWNER, 0, INVALID)}},
    DMA_ROW(SYSCALL_DMA_START_STREAM, "dma_start_stream", 1),
    DMA_ROW(SYSCALL_DMA_SUSPEND_STREAM, "dma_suspend_stream", 1),
    [SYSCALL_DMA_GET_STREAM_STATUS] = {.nr = SYSCALL_DMA_GET_STREAM_STATUS,
                                       .name = "dma_get_stream_status",
                                       .section = "4.0",
                                       .args = {A(DMA_HANDLE, "stream")},
                                       .effect = EFF_UNSUPPORTED,
                                       .statuses = ST(STATUS_NO_ENTITY),
                                       .weight = 1},
    [SYSCALL_SHM_GET_INFOS] = {.nr = SYSCALL_SHM_GET_INFOS,
                               .name = "shm_get_infos",
                               .section = "4.24",
                               .args = {A(SHM_HANDLE, "shm")},
                               .out = OUT_SHM_INFOS,
                               .effect = EFF_BOARD,
                               .flags = SYS_BOARD,
                               .statuses = ST(STATUS_OK) | ST(STATUS_DENIED) | ST(STATUS_INVALID),
                               .weight = 2,
                               .checks = {CAP(CAP_MEM_SHM_OWN | CAP_MEM_SHM_USE, DENIED),
                                          CK(SHM_HANDLE, 0, INVALID),
                                          CK(SHM_ACCESSOR, 0, INVALID)}},
    DMA_ROW(SYSCALL_DMA_ASSIGN_STREAM, "dma_assign_stream", 1),
    DMA_ROW(SYSCALL_DMA_UNASSIGN_STREAM, "dma_unassign_stream", 1),
    [SYSCALL_DMA_GET_STREAM_INFO] = {.nr = SYSCALL_DMA_GET_STREAM_INFO,
                                     .name = "dma_get_stream_info",
                                     .section = "4.23",
                                     .args = {A(DMA_HANDLE, "stream")},
                                     .out = OUT_DMA_INFO,
                                     .effect = EFF_BOARD,
                                     .flags = SYS_BOARD,
                                     .statuses = ST(STATUS_OK) | ST(STATUS_NO_ENTITY) |
                                                 ST(STATUS_INVALID) | ST(STATUS_DENIED),
                                     .weight = 1,
                                     .checks = {CK(GPDMA, 0, NO_ENTITY), CK(DMA_HANDLE, 0, INVALID),
                                                CK(DMA_OWNER, 0, DENIED),
                                                CAP(CAP_DEV_DMA, DENIED)}},
    DMA_ROW(SYSCALL_DMA_RESUME_STREAM, "dma_resume_stream", 1),
    [SYSCALL_AUTOTEST_SET_CAPA] = {.nr = SYSCALL_AUTOTEST_SET_CAPA,
                                   .name = "autotest_set_capa",
                                   .section = "4.25",
                                   .args = {A(CAP_BIT, "capa")},
                                   .effect = EFF_CAPA_SET,
                                   .flags = SYS_AUTOTEST_ONLY,
                                   .statuses = ST(STATUS_OK) | ST(STATUS_INVALID),
                                   .weight = 2,
                                   .checks = {CK(POW2, 0, INVALID)}},
    [SYSCALL_AUTOTEST_CLEAR_CAPA] = {.nr = SYSCALL_AUTOTEST_CLEAR_CAPA,
                                     .name = "autotest_clear_capa",
                                     .section = "4.25",
                                     .args = {A(CAP_BIT, "capa")},
                                     .effect = EFF_CAPA_CLEAR,
                                     .flags = SYS_AUTOTEST_ONLY,
                                     .statuses = ST(STATUS_OK) | ST(STATUS_INVALID),
                                     .weight = 2,
                                     .checks = {CK(POW2, 0, INVALID)}},
    [SYSCALL_HAS_RESPAWNED] = {.nr = SYSCALL_HAS_RESPAWNED,
                               .name = "has_respawned",
                               .section = "4.26",
                               .effect = EFF_HAS_RESPAWNED,
                               .statuses = ST(STATUS_OK) | ST(STATUS_AGAIN),
                               .weight = 2},
};

/* Every number >= SYS_COUNT (4.0). */
static const SysRow unsupported = {
    .nr = SYS_COUNT,
    .name = "unsupported",
    .section = "4.0",
    .args = {A(U32, "arg0"), A(U32, "arg1"), A(U32, "arg2")},
    .effect = EFF_UNSUPPORTED,
    .statuses = ST(STATUS_NO_ENTITY),
    .weight = 1,
};

const SysRow *systable_get(uint32_t nr)
{
	return nr < SYS_COUNT ? &table[nr] : &unsupported;
}

bool systable_supported(uint32_t nr, bool autotest)
{
	if (nr >= SYS_COUNT)
		return false;
	if (table[nr].effect == EFF_UNSUPPORTED)
		return false;
	return autotest || !(table[nr].flags & SYS_AUTOTEST_ONLY);
}

#define EDGES(...)                                                                                 \
	.n_edges = sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t), .edges = {__VA_ARGS__}

static const ArgKindDesc kinds[ARG_KIND_COUNT] = {
    [ARG_NONE] = {.name = "none"},
    [ARG_U32] = {.name = "u32",
                 EDGES(0, 1, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0xFFFFu, 0x10000u)},
    [ARG_ENUM] = {.name = "enum", EDGES(0xFFFFFFFFu, 0x80000000u, 0x100u, 0x7FFFFFFFu)},
    [ARG_BITS] = {.name = "bits", EDGES(0, 0xFFu, 0x100u, 0xFFFFFFFFu, 0x10u, 0xF0u)},
    [ARG_TASK_LABEL] = {.name = "task_label",
                        EDGES(0xcafeu, 0xbabeu, 0, 0xFFFFFFFFu, 0xcaffu, 0x1000u)},
    [ARG_TASK_HANDLE] = {.name = "task_handle",
                         EDGES(0, 0xFFFFFFFFu, 0x00100000u, 0x0FF00000u, 0x80000000u, 0x000FFFFFu,
                               0x10000000u)},
    [ARG_DEV_LABEL] = {.name = "dev_label", EDGES(0, 0xFFFFFFFFu, 0x10000u, 0x1FFFFu)},
    [ARG_DEV_HANDLE] = {.name = "dev_handle",
                        EDGES(0x20000000u, 0x20084002u, 0x2468A010u, 0xFFFFFFFFu, 0, 0x3FFFFFFFu)},
    [ARG_SHM_LABEL] = {.name = "shm_label", EDGES(0, 0xFFFFFFFFu, 0x100u)},
    [ARG_SHM_HANDLE] = {.name = "shm_handle",
                        EDGES(0, 0x5A5A5A02u, 0xFFFFFFFFu, 0xFFu, 0xFFFFFF00u)},
    [ARG_DMA_LABEL] = {.name = "dma_label", EDGES(0, 0xFFFFFFFFu)},
    [ARG_DMA_HANDLE] = {.name = "dma_handle",
                        EDGES(0x4020F00Du, 0x40000000u, 0x5FE00000u, 0xFFFFFFFFu, 0)},
    [ARG_IRQ] = {.name = "irq", EDGES(0, 0xFFFFu, 0x10000u, 239, 240, 0xFFFFFFFFu)},
    [ARG_GPIO_IO] = {.name = "gpio_io", EDGES(8, 0xFFu, 0x100u, 0xFFFFFFFFu)},
    [ARG_BOOL] = {.name = "bool", EDGES(2, 0xFFu, 0xFFFFFFFFu, 0x100u)},
    [ARG_IPC_LEN] = {.name = "ipc_len",
                     EDGES(255, 256, 0xFFFFFFFFu, 0x80000000u, 1024, 0x100000000ull - 8)},
    [ARG_LOG_LEN] = {.name = "log_len", EDGES(0xFFFFFFFFu, 1024, 1025, 0x80000000u)},
    [ARG_DELAY_MS] = {.name = "delay_ms", EDGES(0, 1, 0xFFFFFFFFu, 0x80000000u, 1000, 60000)},
    [ARG_TIMEOUT] = {.name = "timeout",
                     EDGES(0xFFFFFFFEu, 0x80000000u, 0x7FFFFFFFu, 0xFFFFFFFFu, 0, 1)},
    [ARG_EXIT_STATUS] = {.name = "exit_status", EDGES(0, 1, 0xFFFFFFFFu, 0x80000000u, 0x7FFFFFFFu)},
    [ARG_CAP_BIT] = {.name = "cap_bit",
                     EDGES(0, 3, 0xFFFFFFFFu, 0x00270017u, 0x00100000u, 0x80000000u)},
    [ARG_CLOCK_REG] = {.name = "clock_reg",
                       EDGES(1, 2, 3, 0xFFFFFFFFu, 0x40021000u, 0x40021001u, 0)},
};

const ArgKindDesc *systable_argkind(ArgKind kind)
{
	return &kinds[kind < ARG_KIND_COUNT ? kind : ARG_U32];
}

/* The name of a check kind, as traces and failure messages print it (a table by kind). */
const char *systable_check_name(CheckKind kind)
{
	static const char *const names[CK_KIND_COUNT] = {
	    [CK_END] = "end",
	    [CK_CAP] = "capability",
	    [CK_GPDMA] = "gpdma present",
	    [CK_RANGE] = "range",
	    [CK_IPC_LEN] = "ipc length",
	    [CK_LOG_LEN] = "log length",
	    [CK_RELEASE] = "release build",
	    [CK_NOT_SELF] = "not self",
	    [CK_TASK_LABEL] = "task label",
	    [CK_SAME_DOMAIN] = "same domain",
	    [CK_TASK_HANDLE] = "task handle",
	    [CK_DEADLOCK] = "ipc deadlock",
	    [CK_SIG_FREE] = "signal slot free",
	    [CK_DELAY_FREE] = "delay queue free",
	    [CK_ALIGN4] = "4-aligned",
	    [CK_POW2] = "power of two",
	    [CK_IDLE_ONLY] = "idle only",
	    [CK_CYCLE_CAP] = "cycle capability",
	    [CK_ENTROPY] = "entropy",
	    [CK_DEV_LABEL] = "device label",
	    [CK_DEV_HANDLE] = "device handle",
	    [CK_DEV_OWNER] = "device owner",
	    [CK_DEV_CAP] = "device capability",
	    [CK_DEV_UNMAPPED] = "device unmapped",
	    [CK_DEV_MAPPED] = "device mapped",
	    [CK_MAP_SLOT] = "mapping slot",
	    [CK_GPIO_IO] = "gpio io",
	    [CK_GPIO_DRIVER] = "gpio driver",
	    [CK_IRQ_DECLARED] = "irq declared",
	    [CK_IRQ_OWNER] = "irq owner",
	    [CK_SHM_LABEL] = "shm label",
	    [CK_SHM_HANDLE] = "shm handle",
	    [CK_SHM_ACCESSOR] = "shm accessor",
	    [CK_SHM_MAPPABLE] = "shm mappable",
	    [CK_SHM_UNMAPPED] = "shm unmapped",
	    [CK_SHM_MAPPED] = "shm mapped",
	    [CK_SHM_IS_OWNER] = "shm owner",
	    [CK_SHM_OWNER_UNMAPPED] = "shm owner unmapped",
	    [CK_DMA_LABEL] = "dma label",
	    [CK_DMA_LABEL_OWNER] = "dma label owner",
	    [CK_DMA_HANDLE] = "dma handle",
	    [CK_DMA_OWNER] = "dma owner",
	    [CK_DMA_STATE] = "dma state",
	};
	return kind < CK_KIND_COUNT && names[kind] ? names[kind] : "?";
}

const char *systable_out_name(SysOut out)
{
	static const char *const names[] = {
	    [OUT_NONE] = "none",
	    [OUT_TASK_HANDLE] = "task_handle",
	    [OUT_DEV_HANDLE] = "dev_handle",
	    [OUT_SHM_HANDLE] = "shm_handle",
	    [OUT_DMA_HANDLE] = "dma_handle",
	    [OUT_RANDOM] = "random",
	    [OUT_CYCLE] = "cycle",
	    [OUT_GPIO_LEVEL] = "gpio_level",
	    [OUT_SHM_INFOS] = "shm_infos",
	    [OUT_DMA_INFO] = "dma_info",
	    [OUT_EVENT] = "event",
	};
	return (unsigned)out < sizeof(names) / sizeof(names[0]) ? names[out] : "?";
}

uint32_t systable_out_len(SysOut out)
{
	switch (out) {
	case OUT_NONE:
		return 0;
	case OUT_TASK_HANDLE:
	case OUT_DEV_HANDLE:
	case OUT_SHM_HANDLE:
	case OUT_DMA_HANDLE:
	case OUT_RANDOM:
		return 4;
	case OUT_CYCLE:
		return 8;
	case OUT_GPIO_LEVEL:
		return 1;
	case OUT_SHM_INFOS:
		return sizeof(shm_infos_t);
	case OUT_DMA_INFO:
		return sizeof(gpdma_stream_cfg_t);
	case OUT_EVENT:
		return sizeof(exchange_event_t);
	}
	return 0;
}

const char *systable_status_name(uint32_t status)
{
	static const char *const names[] = {
	    "OK",       "INVALID", "DENIED", "NO_ENTITY", "BUSY",   "ALREADY_MAPPED",
	    "CRITICAL", "TIMEOUT", "AGAIN",  "INTR",      "DEADLK", "NON_SENSE",
	};
	return status < sizeof(names) / sizeof(names[0]) ? names[status] : "?";
}

static const StimDesc stims[STIM_COUNT] = {
    [STIM_ENTROPY_FAIL] = {.name = "entropy_fail", .weight = 2},
    [STIM_IRQ] = {.name = "irq", .weight = 2, .board = true},
    [STIM_GPIO] = {.name = "gpio", .weight = 1, .board = true},
    [STIM_DMA_FAIL] = {.name = "dma_fail", .weight = 1, .board = true},
    [STIM_IDLE_TIME] = {.name = "idle_time", .weight = 4},
    [STIM_GPIO_FAIL] = {.name = "gpio_fail", .weight = 1, .board = true},
};

const StimDesc *systable_stim(StimKind kind)
{
	return &stims[kind < STIM_COUNT ? kind : STIM_IDLE_TIME];
}
