/*
 * check_abi.c: pins the Sentry UAPI headers to uapi.md 1.2 to 1.5.
 *
 * Every enumerator, macro value, structure size and field offset is a _Static_assert, so
 * a wrong header does not compile. The ILP32 column applies when pointers are 4 bytes,
 * the LP64 column when they are 8; with -DCHECK_ABI_STATIC_ONLY this file needs only the
 * UAPI headers, so it can be checked for the target (e.g. clang --target=armv7m-none-eabi
 * -ffreestanding -fsyntax-only). The runtime tests cover what a constant expression cannot:
 * bit-field positions, macro spellings and expansions, and the flat include style
 * (check_abi_flat.c, a second translation unit that includes <uapi.h>).
 *
 * This unit defines CONFIG_BUILD_TARGET_AUTOTEST as 0: the Signal values 13 to 31 are then
 * declared (upstream tests them with #ifdef) and the autotest prototypes are not (#if).
 * check_abi_flat.c leaves it undefined (neither is declared); check_uapi_lib.c defines it
 * as 1 and calls the autotest functions through their prototypes.
 */
#define CONFIG_BUILD_TARGET_AUTOTEST 0

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/uapi.h>
#include <uapi/types.h>
#include <uapi/capability.h>
#include <uapi/handle.h>
#include <uapi/device.h>
#include <uapi/dma.h>
#include <uapi/autotest.h>
#include <uapi/platform.h>

#define PIN(expr, value) _Static_assert((expr) == (value), #expr " == " #value)

#if __SIZEOF_POINTER__ == 8
#define ABI(ilp32, lp64) (lp64)
#elif __SIZEOF_POINTER__ == 4
#define ABI(ilp32, lp64) (ilp32)
#else
#error "only ILP32 and LP64 layouts are specified"
#endif

/* Offset and width of |type.field|, in the column of this ABI. */
#define FIELD(type, field, width, ilp32, lp64)                                                     \
	PIN(offsetof(type, field), ABI(ilp32, lp64));                                              \
	PIN(sizeof(((type *)0)->field), (width))
#define SIZE(type, ilp32, lp64) PIN(sizeof(type), ABI(ilp32, lp64))
/* The declared C type of |type.field| (arrays: of their first element). */
#define IS_TYPE(expr, ctype)                                                                       \
	_Static_assert(_Generic((expr), ctype : 1, default : 0), #expr " is " #ctype)
#define FIELD_TYPE(type, field, ctype) IS_TYPE(((type *)0)->field, ctype)

PIN(sizeof(size_t), sizeof(void *));

/* 1.3 Status */
PIN(STATUS_OK, 0);
PIN(STATUS_INVALID, 1);
PIN(STATUS_DENIED, 2);
PIN(STATUS_NO_ENTITY, 3);
PIN(STATUS_BUSY, 4);
PIN(STATUS_ALREADY_MAPPED, 5);
PIN(STATUS_CRITICAL, 6);
PIN(STATUS_TIMEOUT, 7);
PIN(STATUS_AGAIN, 8);
PIN(STATUS_INTR, 9);
PIN(STATUS_DEADLK, 10);
PIN(STATUS_NON_SENSE, 11);
/* The documented limit (docs/tasks.md): on a host where uint32_t is unsigned int, Status
 * (all enumerators non-negative) has the same compatible type, so a _Generic cannot list
 * both; on the target uint32_t is unsigned long. Status stays 32 bits and unsigned. */
#if defined(__x86_64__) || defined(__aarch64__)
IS_TYPE((Status)0, uint32_t);
#endif
PIN(sizeof(Status), 4);
PIN((Status)-1 > 0, 1);

/* 1.3 Syscall, both spellings of 30, 38 and 39, and 40 */
PIN(SYSCALL_EXIT, 0);
PIN(SYSCALL_GET_PROCESS_HANDLE, 1);
PIN(SYSCALL_GET_DEVICE_HANDLE, 2);
PIN(SYSCALL_YIELD, 3);
PIN(SYSCALL_SLEEP, 4);
PIN(SYSCALL_START, 5);
PIN(SYSCALL_MAP_DEV, 6);
PIN(SYSCALL_MAP_SHM, 7);
PIN(SYSCALL_UNMAP_DEV, 8);
PIN(SYSCALL_UNMAP_SHM, 9);
PIN(SYSCALL_SHM_SET_CREDENTIAL, 10);
PIN(SYSCALL_SEND_IPC, 11);
PIN(SYSCALL_SEND_SIGNAL, 12);
PIN(SYSCALL_WAIT_FOR_EVENT, 13);
PIN(SYSCALL_PM_MANAGE, 14);
PIN(SYSCALL_PM_SET_CLOCK, 15);
PIN(SYSCALL_LOG, 16);
PIN(SYSCALL_ALARM, 17);
PIN(SYSCALL_GET_RANDOM, 18);
PIN(SYSCALL_GET_CYCLE, 19);
PIN(SYSCALL_GPIO_GET, 20);
PIN(SYSCALL_GPIO_SET, 21);
PIN(SYSCALL_GPIO_RESET, 22);
PIN(SYSCALL_GPIO_TOGGLE, 23);
PIN(SYSCALL_GPIO_CONFIGURE, 24);
PIN(SYSCALL_IRQ_ACKNOWLEDGE, 25);
PIN(SYSCALL_IRQ_ENABLE, 26);
PIN(SYSCALL_IRQ_DISABLE, 27);
PIN(SYSCALL_GET_SHM_HANDLE, 28);
PIN(SYSCALL_GET_DMA_STREAM_HANDLE, 29);
PIN(SYSCALL_DMA_START_SREAM, 30);
PIN(SYSCALL_DMA_START_STREAM, 30);
PIN(SYSCALL_DMA_SUSPEND_STREAM, 31);
PIN(SYSCALL_DMA_GET_STREAM_STATUS, 32);
PIN(SYSCALL_SHM_GET_INFOS, 33);
PIN(SYSCALL_DMA_ASSIGN_STREAM, 34);
PIN(SYSCALL_DMA_UNASSIGN_STREAM, 35);
PIN(SYSCALL_DMA_GET_STREAM_INFO, 36);
PIN(SYSCALL_DMA_RESUME_STREAM, 37);
PIN(SYSCALL_AUTOTEST_SET_CAPA, 38);
PIN(SYSCALL_RESERVED_1, 38);
PIN(SYSCALL_AUTOTEST_CLEAR_CAPA, 39);
PIN(SYSCALL_RESERVED_2, 39);
PIN(SYSCALL_HAS_RESPAWNED, 40);

/* 1.3 Signal; 13 to 31 are declared here because CONFIG_BUILD_TARGET_AUTOTEST is defined */
PIN(SIGNAL_ABORT, 1);
PIN(SIGNAL_ALARM, 2);
PIN(SIGNAL_BUS, 3);
PIN(SIGNAL_CONT, 4);
PIN(SIGNAL_ILL, 5);
PIN(SIGNAL_IO, 6);
PIN(SIGNAL_PIPE, 7);
PIN(SIGNAL_POLL, 8);
PIN(SIGNAL_TERM, 9);
PIN(SIGNAL_TRAP, 10);
PIN(SIGNAL_USR1, 11);
PIN(SIGNAL_USR2, 12);
PIN(SIGNAL_PANIC_USER_HARD_FAULT, 13);
PIN(SIGNAL_PANIC_KERNEL_HARD_FAULT, 14);
PIN(SIGNAL_PANIC_USER_BUS_FAULT, 15);
PIN(SIGNAL_PANIC_KERNEL_BUS_FAULT, 16);
PIN(SIGNAL_PANIC_USER_USAGE_FAULT, 17);
PIN(SIGNAL_PANIC_KERNEL_USAGE_FAULT, 18);
PIN(SIGNAL_PANIC_USER_MEM_ACCESS, 19);
PIN(SIGNAL_PANIC_KERNEL_MEM_ACCESS, 20);
PIN(SIGNAL_PANIC_KERNEL_INVALID_USESPACE_INPUT, 21);
PIN(SIGNAL_PANIC_KERNEL_SHORTER_K_BUFFERS_CONFIG, 22);
PIN(SIGNAL_PANIC_KERNEL_INVALID_MANAGER_STATE, 23);
PIN(SIGNAL_PANIC_KERNEL_INVALID_MANAGER_RESPONSE, 24);
PIN(SIGNAL_PANIC_KERNEL_TIMEOUT, 25);
PIN(SIGNAL_PANIC_KERNEL_BAD_CFI_CALCULATION, 26);
PIN(SIGNAL_PANIC_HARDWARE_INVALID_STATE, 27);
PIN(SIGNAL_PANIC_HARDWARE_UNEXPECTED_MODIFICATION, 28);
PIN(SIGNAL_AUTOTEST_DONE, 29);
PIN(SIGNAL_AUTOTEST_FAILED, 30);
PIN(SIGNAL_AUTOTEST_TIMED_OUT, 31);

/* 1.3 EventType, SHMPermission, Precision */
PIN(EVENT_TYPE_NONE, 0);
PIN(EVENT_TYPE_IPC, 1);
PIN(EVENT_TYPE_SIGNAL, 2);
PIN(EVENT_TYPE_IRQ, 4);
PIN(EVENT_TYPE_DMA, 8);
PIN(EVENT_TYPE_ALL, 15);
PIN(SHM_PERMISSION_MAP, 1);
PIN(SHM_PERMISSION_READ, 2);
PIN(SHM_PERMISSION_WRITE, 4);
PIN(SHM_PERMISSION_TRANSFER, 8);
PIN(PRECISION_CYCLE, 0);
PIN(PRECISION_NANOSECONDS, 1);
PIN(PRECISION_MICROSECONDS, 2);
PIN(PRECISION_MILLISECONDS, 3);

/* 1.3 SleepDuration_Tag, SleepMode, CPUSleep, AlarmFlag */
PIN(SLEEP_DURATION_D1MS, 0);
PIN(SLEEP_DURATION_D2MS, 1);
PIN(SLEEP_DURATION_D5MS, 2);
PIN(SLEEP_DURATION_D10MS, 3);
PIN(SLEEP_DURATION_D20MS, 4);
PIN(SLEEP_DURATION_D50MS, 5);
PIN(SLEEP_DURATION_ARBITRARY_MS, 6);
PIN(SLEEP_MODE_SHALLOW, 0);
PIN(SLEEP_MODE_DEEP, 1);
PIN(CPU_SLEEP_WAIT_FOR_INTERRUPT, 0);
PIN(CPU_SLEEP_WAIT_FOR_EVENT, 1);
PIN(CPU_SLEEP_FORBID_SLEEP, 2);
PIN(CPU_SLEEP_ALLOW_SLEEP, 3);
PIN(O_ALRM_START, 0);
PIN(O_ALRM_START_PERIODIC, 1);
PIN(O_ALRM_STOP, 2);

/* 1.3 ResourceType, EraseType, EraseMode */
PIN(RESOURCE_TYPE_PID, 1);
PIN(RESOURCE_TYPE_DEVICE, 2);
PIN(RESOURCE_TYPE_SHM, 4);
PIN(RESOURCE_TYPE_DMA, 8);
PIN(SVC_ERASETYPE_ZEROFIY, 0x5a);
PIN(SVC_ERASETYPE_RANDOM, 0xa5);
PIN(SVC_ERASEMODE_USER, 0x72);
PIN(SVC_ERASEMODE_KERNEL, 0x27);

/* 1.3 wait macros: values, and parenthesised so that they compose in expressions */
PIN(WFE_WAIT_NO, -1);
PIN(WFE_WAIT_FOREVER, 0);
PIN(WFE_WAIT_UPTO(25), 25);
PIN(2 * WFE_WAIT_UPTO(1 + 2), 6);
PIN(1 - WFE_WAIT_NO, 2);

/* 1.3 DMA enums */
PIN(GPDMA_INT_TC, 1);
PIN(GPDMA_INT_HT, 2);
PIN(GPDMA_INT_ERROR, 4);
PIN(GPDMA_TRANSFER_MEMORY_TO_DEVICE, 0);
PIN(GPDMA_TRANSFER_DEVICE_TO_MEMORY, 1);
PIN(GPDMA_TRANSFER_MEMORY_TO_MEMORY, 2);
PIN(GPDMA_TRANSFER_DEVICE_TO_DEVICE, 3);
PIN(GPDMA_TRANSFER_MODE_INCREMENT_NONE, 0);
PIN(GPDMA_TRANSFER_MODE_INCREMENT_SRC, 1);
PIN(GPDMA_TRANSFER_MODE_INCREMENT_DEST, 2);
PIN(GPDMA_BEAT_LEN_BYTE, 0);
PIN(GPDMA_BEAT_LEN_HALFWORD, 1);
PIN(GPDMA_BEAT_LEN_WORD, 2);
PIN(GPDMA_PRIORITY_LOW, 0);
PIN(GPDMA_PRIORITY_MEDIUM, 1);
PIN(GPDMA_PRIORITY_HIGH, 2);
PIN(GPDMA_PRIORITY_VERY_HIGH, 3);
PIN(GPDMA_STATE_IDLE, 1);
PIN(GPDMA_STATE_RUNNING, 2);
PIN(GPDMA_STATE_ABORTED, 3);
PIN(GPDMA_STATE_SUSPENDED, 4);
PIN(GPDMA_STATE_TRANSMISSION_FAILURE, 5);
PIN(GPDMA_STATE_CONFIGURATION_FAILURE, 6);
PIN(GPDMA_STATE_OVERRUN, 7);
PIN(GPDMA_STATE_TRANSFER_COMPLETE, 8);
PIN(GPDMA_STATE_HALF_TRANSFER, 9);
/* the enum tag of gpdma_chan_state_t is dma_chan_state */
IS_TYPE((enum dma_chan_state)0, gpdma_chan_state_t);

/* 1.3 autotest_request_t */
PIN(SENTRY_AUTOTEST_ENTER, 1);
PIN(SENTRY_AUTOTEST_LEAVE, 2);
PIN(SENTRY_AUTOTEST_MGR_CLOCK, 3);
PIN(SENTRY_AUTOTEST_MGR_DEBUG, 4);
PIN(SENTRY_AUTOTEST_MGR_DEVICE, 5);
PIN(SENTRY_AUTOTEST_MGR_INTERRUPT, 6);
PIN(SENTRY_AUTOTEST_MGR_IO, 7);
PIN(SENTRY_AUTOTEST_MGR_MEMORY, 8);
PIN(SENTRY_AUTOTEST_MGR_SECURITY, 9);
PIN(SENTRY_AUTOTEST_MGR_TASK, 10);
PIN(SENTRY_AUTOTEST_SCHED, 11);

/* 1.3 capability_t bits and masks */
PIN(CAP_DEV_BUSES, 0x00000001);
PIN(CAP_DEV_IO, 0x00000002);
PIN(CAP_DEV_DMA, 0x00000004);
PIN(CAP_DEV_ANALOG, 0x00000008);
PIN(CAP_DEV_TIMER, 0x00000010);
PIN(CAP_DEV_STORAGE, 0x00000020);
PIN(CAP_DEV_CRYPTO, 0x00000040);
PIN(CAP_DEV_CLOCK, 0x00000080);
PIN(CAP_DEV_POWER, 0x00000100);
PIN(CAP_DEV_NEURAL, 0x00000200);
PIN(CAP_SYS_UPGRADE, 0x00001000);
PIN(CAP_SYS_POWER, 0x00002000);
PIN(CAP_SYS_PROCSTART, 0x00004000);
PIN(CAP_MEM_SHM_OWN, 0x00010000);
PIN(CAP_MEM_SHM_USE, 0x00020000);
PIN(CAP_MEM_SHM_TRANSFER, 0x00040000);
PIN(CAP_TIM_HP_CHRONO, 0x00100000);
PIN(CAP_CRY_KRNG, 0x00200000);
PIN(CAP_DEV_MASK, 0xFFF);
PIN(CAP_SYS_MASK, 0xF000);
PIN(CAP_MEM_MASK, 0xF0000);
PIN(~CAP_DEV_MASK & 0xFFFFFFFFu, 0xFFFFF000u); /* 32-bit masks, parenthesised */
PIN((CAP_DEV_BUSES | CAP_DEV_IO | CAP_DEV_DMA | CAP_DEV_ANALOG | CAP_DEV_TIMER | CAP_DEV_STORAGE |
     CAP_DEV_CRYPTO | CAP_DEV_CLOCK | CAP_DEV_POWER | CAP_DEV_NEURAL) &
        ~CAP_DEV_MASK,
    0);
PIN((CAP_SYS_UPGRADE | CAP_SYS_POWER | CAP_SYS_PROCSTART) & ~CAP_SYS_MASK, 0);
PIN((CAP_MEM_SHM_OWN | CAP_MEM_SHM_USE | CAP_MEM_SHM_TRANSFER) & ~CAP_MEM_MASK, 0);

/* 1.2 platform.h: the configured exchange length and the per-task array sizes */
#ifdef CHECK_ABI_EXPECTED_SVC_EXCHANGE_LEN
PIN(SENTRY_SVCEXCHANGE_LEN, CHECK_ABI_EXPECTED_SVC_EXCHANGE_LEN);
#endif
_Static_assert(SENTRY_SVCEXCHANGE_LEN >= 64 && SENTRY_SVCEXCHANGE_LEN <= 1024, "64..1024");
PIN(SENTRY_TASK_MAXDEV, 4);
PIN(SENTRY_TASK_MAXDMA, 4);
PIN(SENTRY_TASK_MAXSHM, 4);

/* 1.4 scalar and handle types */
IS_TYPE((devh_t)0, uint32_t);
IS_TYPE((taskh_t)0, uint32_t);
IS_TYPE((shmh_t)0, uint32_t);
IS_TYPE((dmah_t)0, uint32_t);
IS_TYPE((ProcessLabel)0, uint32_t);
IS_TYPE((ProcessID)0, uint32_t);
IS_TYPE((it_handler_p)0, int (*)(uint16_t));

/* 1.5 exchange_event_t: same on both ABIs, |data| a flexible array member */
FIELD(exchange_event_t, type, 1, 0, 0);
FIELD(exchange_event_t, length, 1, 1, 1);
FIELD(exchange_event_t, magic, 2, 2, 2);
FIELD(exchange_event_t, source, 4, 4, 4);
PIN(offsetof(exchange_event_t, data), 8);
SIZE(exchange_event_t, 8, 8);
FIELD_TYPE(exchange_event_t, type, uint8_t);
FIELD_TYPE(exchange_event_t, length, uint8_t);
FIELD_TYPE(exchange_event_t, magic, uint16_t);
FIELD_TYPE(exchange_event_t, source, uint32_t);
FIELD_TYPE(exchange_event_t, data, uint8_t *);

/* 1.5 shm_infos_t */
FIELD(shm_infos_t, handle, 4, 0, 0);
FIELD(shm_infos_t, label, 4, 4, 4);
FIELD(shm_infos_t, base, sizeof(size_t), 8, 8);
FIELD(shm_infos_t, len, sizeof(size_t), 12, 16);
FIELD(shm_infos_t, perms, 4, 16, 24);
SIZE(shm_infos_t, 20, 32);
FIELD_TYPE(shm_infos_t, base, size_t);
FIELD_TYPE(shm_infos_t, len, size_t);

/* 1.5 gpdma_stream_cfg_t */
FIELD(gpdma_stream_cfg_t, channel, 2, 0, 0);
FIELD(gpdma_stream_cfg_t, stream, 2, 2, 2);
FIELD(gpdma_stream_cfg_t, controller, 2, 4, 4);
FIELD(gpdma_stream_cfg_t, transfer_type, 2, 6, 6);
FIELD(gpdma_stream_cfg_t, source, sizeof(size_t), 8, 8);
FIELD(gpdma_stream_cfg_t, dest, sizeof(size_t), 12, 16);
FIELD(gpdma_stream_cfg_t, transfer_len, sizeof(size_t), 16, 24);
FIELD(gpdma_stream_cfg_t, circular_source, 1, 20, 32);
FIELD(gpdma_stream_cfg_t, circular_dest, 1, 21, 33);
FIELD(gpdma_stream_cfg_t, interrupts, 1, 22, 34);
FIELD(gpdma_stream_cfg_t, is_triggered, 1, 23, 35);
FIELD(gpdma_stream_cfg_t, trigger, 1, 24, 36);
FIELD(gpdma_stream_cfg_t, priority, 1, 25, 37);
FIELD(gpdma_stream_cfg_t, transfer_mode, 1, 26, 38);
FIELD(gpdma_stream_cfg_t, src_beat_len, 1, 27, 39);
FIELD(gpdma_stream_cfg_t, dest_beat_len, 1, 28, 40);
SIZE(gpdma_stream_cfg_t, 32, 48);
FIELD_TYPE(gpdma_stream_cfg_t, transfer_type, uint16_t);
FIELD_TYPE(gpdma_stream_cfg_t, source, size_t);
FIELD_TYPE(gpdma_stream_cfg_t, circular_source, bool);
FIELD_TYPE(gpdma_stream_cfg_t, circular_dest, bool);
FIELD_TYPE(gpdma_stream_cfg_t, interrupts, uint8_t);
FIELD_TYPE(gpdma_stream_cfg_t, is_triggered, bool);
FIELD_TYPE(gpdma_stream_cfg_t, priority, uint8_t);

/* 1.5 gpdma_chan_status_t: one byte (bit positions: runtime test below) */
SIZE(gpdma_chan_status_t, 1, 1);

/* 1.5 it_info_t, io_info_t */
FIELD(it_info_t, it_num, 2, 0, 0);
FIELD(it_info_t, it_controler, 1, 2, 2);
SIZE(it_info_t, 4, 4);
FIELD(io_info_t, port, 1, 0, 0);
FIELD(io_info_t, pin, 1, 1, 1);
FIELD(io_info_t, mode, 1, 2, 2);
FIELD(io_info_t, af, 1, 3, 3);
FIELD(io_info_t, ppull, 1, 4, 4);
FIELD(io_info_t, speed, 1, 5, 5);
FIELD(io_info_t, pupdr, 4, 8, 8);
SIZE(io_info_t, 12, 12);

/* 1.5 devinfo_t */
FIELD(devinfo_t, id, 4, 0, 0);
FIELD(devinfo_t, mappable, 1, 4, 4);
FIELD(devinfo_t, baseaddr, sizeof(size_t), 8, 8);
FIELD(devinfo_t, size, sizeof(size_t), 12, 16);
FIELD(devinfo_t, num_interrupt, 1, 16, 24);
FIELD(devinfo_t, its, 8 * sizeof(it_info_t), 18, 26);
FIELD(devinfo_t, num_ios, 1, 50, 58);
FIELD(devinfo_t, ios, 8 * sizeof(io_info_t), 52, 60);
SIZE(devinfo_t, 148, 160);
FIELD_TYPE(devinfo_t, mappable, bool);
FIELD_TYPE(devinfo_t, its, it_info_t *);
FIELD_TYPE(devinfo_t, ios, io_info_t *);

/* 1.5 shminfo_t */
FIELD(shminfo_t, id, 4, 0, 0);
FIELD(shminfo_t, mappable, 1, 4, 4);
FIELD(shminfo_t, dmapool, 1, 5, 5);
FIELD(shminfo_t, baseaddr, sizeof(size_t), 8, 8);
FIELD(shminfo_t, size, sizeof(size_t), 12, 16);
SIZE(shminfo_t, 16, 24);
FIELD_TYPE(shminfo_t, dmapool, bool);

/* 1.5 SleepDuration: tag at 0, arbitrary_ms (anonymous union and struct) at 4 */
FIELD(SleepDuration, tag, sizeof(SleepDuration_Tag), 0, 0);
FIELD(SleepDuration, arbitrary_ms, 4, 4, 4);
SIZE(SleepDuration, 8, 8);
FIELD_TYPE(SleepDuration, tag, SleepDuration_Tag);
FIELD_TYPE(SleepDuration, arbitrary_ms, uint32_t);
IS_TYPE(((struct SleepDuration){.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = 3}),
        SleepDuration);

/* 1.8 prototypes that code takes the address of; __sys_alarm is the two-argument function */
IS_TYPE(&__sys_alarm, Status (*)(uint32_t, AlarmFlag));
IS_TYPE(&__sys_alarm_noflag, Status (*)(uint32_t));
IS_TYPE(&__sys_exit, Status (*)(int32_t));
IS_TYPE(&__sys_sleep, Status (*)(SleepDuration, SleepMode));
IS_TYPE(&__sys_send_ipc, Status (*)(uint32_t, uint8_t));
IS_TYPE(&__sys_wait_for_event, Status (*)(uint8_t, int32_t));
IS_TYPE(&__sys_log, Status (*)(size_t));
IS_TYPE(&__sys_get_device_handle, Status (*)(uint32_t));
IS_TYPE(&__sys_pm_manage, Status (*)(CPUSleep));
IS_TYPE(&__sys_manage_cpu_sleep, Status (*)(CPUSleep));
IS_TYPE(&__sys_gpio_set, Status (*)(uint32_t, uint8_t, bool));
IS_TYPE(&__sys_irq_enable, Status (*)(uint16_t));
IS_TYPE(&__sys_has_respawned, Status (*)(void));
IS_TYPE(&copy_to_kernel, Status (*)(const uint8_t *, size_t));
IS_TYPE(&copy_from_kernel, Status (*)(uint8_t *, size_t));
IS_TYPE(&svcexchange_get_maxlen, size_t (*)(void));
IS_TYPE(&clean_svcexchange, Status (*)(void));
/* Both alarm forms are calls returning Status (sizeof does not evaluate, nothing links). */
IS_TYPE(__sys_alarm(10), Status);
IS_TYPE(__sys_alarm(10, O_ALRM_STOP), Status);

/*
 * #if CONFIG_BUILD_TARGET_AUTOTEST is false here, so the autotest prototypes must be absent:
 * these file-scope declarations of the same names would not compile otherwise.
 */
enum { __sys_autotest_set_capa = 38, __sys_autotest_clear_capa = 39 };

#ifndef CHECK_ABI_STATIC_ONLY

#include <check.h>

#include "tests/unit/check_tap.h"
#include <stdlib.h>
#include <string.h>

/* Layout facts gathered by check_abi_flat.c, which includes the flattened headers. */
struct abi_flat_facts {
	size_t exchange_len, shm_infos, stream_cfg, devinfo, shminfo, sleep_duration;
	size_t stream_cfg_dest_beat_len, devinfo_ios;
	int syscall_has_respawned, signal_usr2, alarm_two_args;
};
void check_abi_flat_facts(struct abi_flat_facts *facts);

#define STR(x)  STR_(x)
#define STR_(x) #x

/* |s| without blanks, so that spacing choices of the preprocessor do not matter. */
static const char *squeeze(const char *s)
{
	static char buf[256];
	size_t n = 0;

	for (; *s != '\0' && n + 1 < sizeof(buf); s++)
		if (*s != ' ' && *s != '\t')
			buf[n++] = *s;
	buf[n] = '\0';
	return buf;
}

union chan_status_byte {
	gpdma_chan_status_t st;
	uint8_t byte;
};

START_TEST(test_chan_status_bits)
{
	union chan_status_byte u = {.byte = 0};

	u.st.state = 0xF;
	ck_assert_uint_eq(u.byte, 0x0F);
	u.byte = 0;
	u.st.half_reached = 1;
	ck_assert_uint_eq(u.byte, 0x10);
	u.byte = 0;
	u.st.completed = 1;
	ck_assert_uint_eq(u.byte, 0x20);
	u.byte = 0;
	u.st.reserved = 3;
	ck_assert_uint_eq(u.byte, 0xC0);

	u.byte = 0x29; /* completed, state 9 */
	ck_assert_uint_eq(u.st.state, GPDMA_STATE_HALF_TRANSFER);
	ck_assert_uint_eq(u.st.half_reached, 0);
	ck_assert_uint_eq(u.st.completed, 1);
	ck_assert_uint_eq(u.st.reserved, 0);
}
END_TEST

START_TEST(test_alarm_macro_arity)
{
	/* One argument goes to the no-flag entry, two to the real function, args untouched. */
	ck_assert_str_eq(squeeze(STR(__sys_alarm(10))), "__sys_alarm_noflag(10)");
	ck_assert_str_eq(squeeze(STR(__sys_alarm(10, O_ALRM_STOP))), "__sys_alarm(10,O_ALRM_STOP)");
	ck_assert_str_eq(squeeze(STR(__sys_alarm((1, 2)))), "__sys_alarm_noflag((1,2))");
	/* Not followed by '(': the name is the function itself. */
	ck_assert_str_eq(STR(&__sys_alarm), "&__sys_alarm");
}
END_TEST

START_TEST(test_macro_spelling)
{
	/* uapi.md 1.2 and 1.3: every value is parenthesised. */
	ck_assert_str_eq(STR(WFE_WAIT_NO), "(-1)");
	ck_assert_str_eq(STR(WFE_WAIT_FOREVER), "(0)");
	ck_assert_str_eq(STR(WFE_WAIT_UPTO(7)), "(7)");
	ck_assert_str_eq(STR(SENTRY_TASK_MAXDEV), "(4)");
	ck_assert_str_eq(STR(SENTRY_TASK_MAXDMA), "(4)");
	ck_assert_str_eq(STR(SENTRY_TASK_MAXSHM), "(4)");
	const char *len = STR(SENTRY_SVCEXCHANGE_LEN);
	ck_assert_int_eq(len[0], '(');
	ck_assert_int_eq(len[strlen(len) - 1], ')');
}
END_TEST

START_TEST(test_sleep_duration_value)
{
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = 0x01020304};
	uint8_t raw[sizeof(d)];

	memcpy(raw, &d, sizeof(d));
	uint32_t ms;
	memcpy(&ms, raw + 4, sizeof(ms));
	ck_assert_uint_eq(ms, 0x01020304);
}
END_TEST

START_TEST(test_exchange_event_overlay)
{
	/* Runtimes read events straight from the area: header, then payload at offset 8. */
	_Alignas(8) uint8_t area[16] = {1, 3, 0x42, 0x42, 0xDE, 0xBC, 0x1A, 0x00, 'a', 'b', 'c'};
	const exchange_event_t *ev = (const exchange_event_t *)area;

	ck_assert_uint_eq(ev->type, EVENT_TYPE_IPC);
	ck_assert_uint_eq(ev->length, 3);
	ck_assert_uint_eq(ev->magic, 0x4242);
	ck_assert_uint_eq(ev->source, 0x001ABCDE); /* little-endian host, as the target */
	ck_assert_mem_eq(ev->data, "abc", 3);
}
END_TEST

START_TEST(test_flat_includes)
{
	struct abi_flat_facts f;

	memset(&f, 0xA5, sizeof(f));
	check_abi_flat_facts(&f);
	ck_assert_uint_eq(f.exchange_len, SENTRY_SVCEXCHANGE_LEN);
	ck_assert_uint_eq(f.shm_infos, sizeof(shm_infos_t));
	ck_assert_uint_eq(f.stream_cfg, sizeof(gpdma_stream_cfg_t));
	ck_assert_uint_eq(f.devinfo, sizeof(devinfo_t));
	ck_assert_uint_eq(f.shminfo, sizeof(shminfo_t));
	ck_assert_uint_eq(f.sleep_duration, sizeof(SleepDuration));
	ck_assert_uint_eq(f.stream_cfg_dest_beat_len, offsetof(gpdma_stream_cfg_t, dest_beat_len));
	ck_assert_uint_eq(f.devinfo_ios, offsetof(devinfo_t, ios));
	ck_assert_int_eq(f.syscall_has_respawned, SYSCALL_HAS_RESPAWNED);
	ck_assert_int_eq(f.signal_usr2, SIGNAL_USR2);
	ck_assert_int_eq(f.alarm_two_args, 1);
}
END_TEST

static Suite *abi_suite(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, test_chan_status_bits);
	tcase_add_test(tc, test_alarm_macro_arity);
	tcase_add_test(tc, test_macro_spelling);
	tcase_add_test(tc, test_sleep_duration_value);
	tcase_add_test(tc, test_exchange_event_overlay);
	tcase_add_test(tc, test_flat_includes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(abi_suite());
}

#endif /* CHECK_ABI_STATIC_ONLY */
