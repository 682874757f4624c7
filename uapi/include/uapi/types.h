/*
 * types.h: the enumerations, scalar types and exchange-area records of the Sentry UAPI
 * (uapi.md 1.3 to 1.5).
 *
 * Every enumerator is given explicitly: these values cross the system-call gate as 32-bit
 * words and are part of the ABI. No record exchanged through the exchange area has an
 * enum-typed field, so the storage size a compiler picks for an enum never matters.
 * Kernel-internal enumerations (job states, exit modes, panic causes) are not here.
 */
#ifndef __SENTRY_UAPI_TYPES_H
#define __SENTRY_UAPI_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "handle.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Timeout argument of __sys_wait_for_event (uapi.md 4.12). */
#define WFE_WAIT_NO      (-1) /* do not block: STATUS_AGAIN when nothing is pending */
#define WFE_WAIT_FOREVER (0)  /* block with no timeout */
#define WFE_WAIT_UPTO(x) (x)  /* block for at most x ms, x > 0 */

/* Command of __sys_pm_manage / __sys_manage_cpu_sleep. */
typedef enum {
	CPU_SLEEP_WAIT_FOR_INTERRUPT = 0,
	CPU_SLEEP_WAIT_FOR_EVENT = 1,
	CPU_SLEEP_FORBID_SLEEP = 2,
	CPU_SLEEP_ALLOW_SLEEP = 3,
} CPUSleep;

/* Bits of the wait_for_event mask and type of an event header. */
typedef enum EventType {
	EVENT_TYPE_NONE = 0,
	EVENT_TYPE_IPC = 1,
	EVENT_TYPE_SIGNAL = 2,
	EVENT_TYPE_IRQ = 4,
	EVENT_TYPE_DMA = 8,
	EVENT_TYPE_ALL = 15,
} EventType;

/* Unit of __sys_get_cycle. */
typedef enum Precision {
	PRECISION_CYCLE = 0,
	PRECISION_NANOSECONDS = 1,
	PRECISION_MICROSECONDS = 2,
	PRECISION_MILLISECONDS = 3,
} Precision;

/* No system call uses it. */
typedef enum ResourceType {
	RESOURCE_TYPE_PID = 1,
	RESOURCE_TYPE_DEVICE = 2,
	RESOURCE_TYPE_SHM = 4,
	RESOURCE_TYPE_DMA = 8,
} ResourceType;

/* Bits of the shm_set_credential mask and of shm_infos_t.perms. */
typedef enum SHMPermission {
	SHM_PERMISSION_MAP = 1,
	SHM_PERMISSION_READ = 2,
	SHM_PERMISSION_WRITE = 4,
	SHM_PERMISSION_TRANSFER = 8,
} SHMPermission;

/*
 * Signals. 13 to 31 exist only in autotest builds; upstream tests them with #ifdef (the
 * autotest prototypes in uapi.h use #if). No build can send them.
 */
typedef enum Signal {
	SIGNAL_ABORT = 1,
	SIGNAL_ALARM = 2,
	SIGNAL_BUS = 3,
	SIGNAL_CONT = 4,
	SIGNAL_ILL = 5,
	SIGNAL_IO = 6,
	SIGNAL_PIPE = 7,
	SIGNAL_POLL = 8,
	SIGNAL_TERM = 9,
	SIGNAL_TRAP = 10,
	SIGNAL_USR1 = 11,
	SIGNAL_USR2 = 12,
#ifdef CONFIG_BUILD_TARGET_AUTOTEST
	SIGNAL_PANIC_USER_HARD_FAULT = 13,
	SIGNAL_PANIC_KERNEL_HARD_FAULT = 14,
	SIGNAL_PANIC_USER_BUS_FAULT = 15,
	SIGNAL_PANIC_KERNEL_BUS_FAULT = 16,
	SIGNAL_PANIC_USER_USAGE_FAULT = 17,
	SIGNAL_PANIC_KERNEL_USAGE_FAULT = 18,
	SIGNAL_PANIC_USER_MEM_ACCESS = 19,
	SIGNAL_PANIC_KERNEL_MEM_ACCESS = 20,
	SIGNAL_PANIC_KERNEL_INVALID_USESPACE_INPUT = 21, /* sic */
	SIGNAL_PANIC_KERNEL_SHORTER_K_BUFFERS_CONFIG = 22,
	SIGNAL_PANIC_KERNEL_INVALID_MANAGER_STATE = 23,
	SIGNAL_PANIC_KERNEL_INVALID_MANAGER_RESPONSE = 24,
	SIGNAL_PANIC_KERNEL_TIMEOUT = 25,
	SIGNAL_PANIC_KERNEL_BAD_CFI_CALCULATION = 26,
	SIGNAL_PANIC_HARDWARE_INVALID_STATE = 27,
	SIGNAL_PANIC_HARDWARE_UNEXPECTED_MODIFICATION = 28,
	SIGNAL_AUTOTEST_DONE = 29,
	SIGNAL_AUTOTEST_FAILED = 30,
	SIGNAL_AUTOTEST_TIMED_OUT = 31,
#endif
} Signal;

/* Mode of __sys_sleep. */
typedef enum SleepMode {
	SLEEP_MODE_SHALLOW = 0,
	SLEEP_MODE_DEEP = 1,
} SleepMode;

/* No system call uses EraseType or EraseMode. */
typedef enum EraseType {
	SVC_ERASETYPE_ZEROFIY = 0x5a, /* sic */
	SVC_ERASETYPE_RANDOM = 0xa5,
} EraseType;

typedef enum EraseMode {
	SVC_ERASEMODE_USER = 0x72,
	SVC_ERASEMODE_KERNEL = 0x27,
} EraseMode;

/* Flag of __sys_alarm. */
typedef enum AlarmFlag {
	O_ALRM_START = 0,
	O_ALRM_START_PERIODIC = 1,
	O_ALRM_STOP = 2,
} AlarmFlag;

/* Result of every system call. NON_SENSE is kernel-internal and never delivered. */
typedef enum Status {
	STATUS_OK = 0,
	STATUS_INVALID = 1,
	STATUS_DENIED = 2,
	STATUS_NO_ENTITY = 3,
	STATUS_BUSY = 4,
	STATUS_ALREADY_MAPPED = 5,
	STATUS_CRITICAL = 6,
	STATUS_TIMEOUT = 7,
	STATUS_AGAIN = 8,
	STATUS_INTR = 9,
	STATUS_DEADLK = 10,
	STATUS_NON_SENSE = 11,
} Status;

/*
 * System-call numbers. Both spellings of 30, 38 and 39 are always defined, so that code
 * written for either build variant compiles; 40 is missing from the published enum.
 */
typedef enum Syscall {
	SYSCALL_EXIT = 0,
	SYSCALL_GET_PROCESS_HANDLE = 1,
	SYSCALL_GET_DEVICE_HANDLE = 2,
	SYSCALL_YIELD = 3,
	SYSCALL_SLEEP = 4,
	SYSCALL_START = 5,
	SYSCALL_MAP_DEV = 6,
	SYSCALL_MAP_SHM = 7,
	SYSCALL_UNMAP_DEV = 8,
	SYSCALL_UNMAP_SHM = 9,
	SYSCALL_SHM_SET_CREDENTIAL = 10,
	SYSCALL_SEND_IPC = 11,
	SYSCALL_SEND_SIGNAL = 12,
	SYSCALL_WAIT_FOR_EVENT = 13,
	SYSCALL_PM_MANAGE = 14,
	SYSCALL_PM_SET_CLOCK = 15,
	SYSCALL_LOG = 16,
	SYSCALL_ALARM = 17,
	SYSCALL_GET_RANDOM = 18,
	SYSCALL_GET_CYCLE = 19,
	SYSCALL_GPIO_GET = 20,
	SYSCALL_GPIO_SET = 21,
	SYSCALL_GPIO_RESET = 22,
	SYSCALL_GPIO_TOGGLE = 23,
	SYSCALL_GPIO_CONFIGURE = 24,
	SYSCALL_IRQ_ACKNOWLEDGE = 25,
	SYSCALL_IRQ_ENABLE = 26,
	SYSCALL_IRQ_DISABLE = 27,
	SYSCALL_GET_SHM_HANDLE = 28,
	SYSCALL_GET_DMA_STREAM_HANDLE = 29,
	SYSCALL_DMA_START_SREAM = 30, /* sic, upstream spelling */
	SYSCALL_DMA_START_STREAM = 30,
	SYSCALL_DMA_SUSPEND_STREAM = 31,
	SYSCALL_DMA_GET_STREAM_STATUS = 32, /* never implemented by the kernel */
	SYSCALL_SHM_GET_INFOS = 33,
	SYSCALL_DMA_ASSIGN_STREAM = 34,
	SYSCALL_DMA_UNASSIGN_STREAM = 35,
	SYSCALL_DMA_GET_STREAM_INFO = 36,
	SYSCALL_DMA_RESUME_STREAM = 37,
	SYSCALL_AUTOTEST_SET_CAPA = 38,
	SYSCALL_RESERVED_1 = 38,
	SYSCALL_AUTOTEST_CLEAR_CAPA = 39,
	SYSCALL_RESERVED_2 = 39,
	SYSCALL_HAS_RESPAWNED = 40,
} Syscall;

/* Duration of __sys_sleep; the library converts the tag to milliseconds (uapi.md 2.3). */
typedef enum SleepDuration_Tag {
	SLEEP_DURATION_D1MS = 0,
	SLEEP_DURATION_D2MS = 1,
	SLEEP_DURATION_D5MS = 2,
	SLEEP_DURATION_D10MS = 3,
	SLEEP_DURATION_D20MS = 4,
	SLEEP_DURATION_D50MS = 5,
	SLEEP_DURATION_ARBITRARY_MS = 6,
} SleepDuration_Tag;

typedef uint32_t ProcessLabel;
typedef uint32_t ProcessID;

/* __extension__: ISO C++ has no anonymous structs; GNU compilers accept them quietly. */
typedef struct SleepDuration {
	SleepDuration_Tag tag;
	__extension__ union {
		__extension__ struct {
			uint32_t arbitrary_ms;
		};
	};
} SleepDuration;

/*
 * Header that wait_for_event writes at offset 0 of the exchange area (uapi.md 1.5);
 * |length| payload bytes follow in |data|. Same layout on every ABI.
 */
typedef struct exchange_event {
	uint8_t type;                 /* an EventType value */
	uint8_t length;               /* payload bytes, header excluded */
	uint16_t magic;               /* always 0x4242 */
	uint32_t source;              /* sender task, device or DMA handle */
	__extension__ uint8_t data[]; /* flexible array member (not ISO C++) */
} exchange_event_t;

/* Record that shm_get_infos writes at offset 0 of the exchange area. */
typedef struct shm_infos {
	shmh_t handle;
	uint32_t label;
	size_t base;
	size_t len;
	uint32_t perms; /* mask of SHMPermission */
} shm_infos_t;

#ifdef __cplusplus
}
#endif

#endif /* __SENTRY_UAPI_TYPES_H */
