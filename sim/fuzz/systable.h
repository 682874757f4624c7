/*
 * systable.h: the typed table of the Sentry system calls (uapi.md 1.3, 4, 6), for program
 * generation, decoding and checking: the oracle's own transcription of the spec, one row per
 * number of the kernel's registry (sim/kernel/registry.h; tests/unit/check_registry.c
 * checks that the two agree row by row).
 *
 * Lifecycle: none; everything here is static data. systable_get(nr) gives the row of a
 * system call number (every number 0..255 has one: numbers the kernel does not implement
 * get the "unsupported" row), systable_argkind(kind) the description of an argument kind.
 *
 * A row says, for one system call:
 *   - its arguments, each with a kind (task label, handle of a given kind, length, enum
 *     range, bit mask, timeout, capability bit...), which drives generation and decoding;
 *   - what it reads from the caller's exchange area (log bytes, IPC payload) and what it
 *     writes there on success (a handle, a record, an event), which drives the handle flow
 *     between calls and the check that a call writes only what the spec says;
 *   - the checks the kernel performs, in the spec's order, each with the Status it gives when
 *     it fails: an oracle evaluates them against the kernel state before the call;
 *   - the effect of a call that passes every check, the Statuses it may ever return, those
 *     it may return after blocking, and the panics it may cause.
 *
 * Board resources (devices, SHMs, DMA streams, GPIO, IRQ lines) have their argument kinds and
 * checks here; programs run on the fuzz board (fuzzboard.h) or on an empty one, where the
 * first resource check of each call fails.
 *
 * Pure C (no glib): linked into the fuzz targets with the kernel model alone.
 */
#ifndef SIM_FUZZ_SYSTABLE_H
#define SIM_FUZZ_SYSTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/kernel/registry.h"

#define SYS_COUNT      KERNEL_SYSCALL_COUNT /* rows: the registry's numbers (uapi.md 1.1) */
#define SYS_MAX_CHECKS 8                    /* checks per row, CK_END excluded */
#define ARG_MAX_EDGES  8

/* Status bit masks: bit n = Status value n (0..11). */
#define ST(s) (1u << (s))

typedef enum {
	ARG_NONE = 0,    /* unused argument slot */
	ARG_U32,         /* any 32-bit value */
	ARG_ENUM,        /* lo..hi are the values the kernel accepts */
	ARG_BITS,        /* a mask; hi = the bits the kernel looks at */
	ARG_TASK_LABEL,  /* a task label (ProcessLabel) */
	ARG_TASK_HANDLE, /* taskh_t */
	ARG_DEV_LABEL,   /* a device label (board) */
	ARG_DEV_HANDLE,  /* devh_t */
	ARG_SHM_LABEL,   /* an SHM label (board) */
	ARG_SHM_HANDLE,  /* shmh_t */
	ARG_DMA_LABEL,   /* a DMA stream label (board) */
	ARG_DMA_HANDLE,  /* dmah_t */
	ARG_IRQ,         /* an IRQ number, low 16 bits used */
	ARG_GPIO_IO,     /* an io index of a device, low 8 bits used */
	ARG_BOOL,        /* a GPIO level: zero or not */
	ARG_IPC_LEN,     /* send_ipc length: accepted up to exchange_len - 8 */
	ARG_LOG_LEN,     /* log length: accepted up to exchange_len */
	ARG_DELAY_MS,    /* sleep or alarm delay in ms */
	ARG_TIMEOUT,     /* wait_for_event timeout: int32, -1 = no wait, 0 and < -1 = forever */
	ARG_EXIT_STATUS, /* int32 exit status */
	ARG_CAP_BIT,     /* one capability bit (autotest 38/39) */
	ARG_CLOCK_REG,   /* pm_set_clock register: accepted when 4-aligned */
	ARG_KIND_COUNT,
} ArgKind;

typedef struct {
	uint8_t kind;     /* ArgKind */
	const char *name; /* parameter name, as in uapi.h */
	uint32_t lo, hi;  /* ARG_ENUM: accepted range; ARG_BITS: hi = meaningful bits */
} SysArg;

typedef struct {
	const char *name;
	uint8_t n_edges;
	uint32_t edges[ARG_MAX_EDGES]; /* boundary values worth trying for this kind */
} ArgKindDesc;

/* What a successful call writes at the start of the caller's exchange area. */
typedef enum {
	OUT_NONE = 0,
	OUT_TASK_HANDLE, /* u32 taskh_t */
	OUT_DEV_HANDLE,  /* u32 devh_t */
	OUT_SHM_HANDLE,  /* u32 shmh_t */
	OUT_DMA_HANDLE,  /* u32 dmah_t */
	OUT_RANDOM,      /* u32 */
	OUT_CYCLE,       /* u64 */
	OUT_GPIO_LEVEL,  /* u8, 0 or 1 */
	OUT_SHM_INFOS,   /* shm_infos_t */
	OUT_DMA_INFO,    /* gpdma_stream_cfg_t */
	OUT_EVENT,       /* exchange_event_t header + length bytes */
} SysOut;

/* What a call reads from an exchange area. */
typedef enum {
	IN_NONE = 0,
	IN_LOG, /* arg0 bytes of the caller's area, at the trap */
	IN_IPC, /* arg1 bytes of the sender's area, when the receiver takes the IPC */
} SysIn;

/*
 * The kernel's checks (uapi.md 4). A check fails with the Status of its row. Checks on board
 * resources are evaluated against the board; on the empty board every resource lookup fails.
 */
typedef enum {
	CK_END = 0,
	CK_CAP,                /* the caller holds none of the bits of |cap| */
	CK_GPDMA,              /* the platform has no GPDMA */
	CK_RANGE,              /* arg not in lo..hi (the row's arg, enum range in the SysArg) */
	CK_IPC_LEN,            /* arg > exchange_len - 8 */
	CK_LOG_LEN,            /* arg > exchange_len */
	CK_RELEASE,            /* release build: passes with the row's Status (OK) at once */
	CK_NOT_SELF,           /* normal build: arg is the caller's own handle */
	CK_TASK_LABEL,         /* no task has the label arg */
	CK_SAME_DOMAIN,        /* the task labelled arg is in another domain */
	CK_TASK_HANDLE,        /* arg is not a current task handle */
	CK_DEADLOCK,           /* the IPC deadlock walk reaches the target (4.10) */
	CK_SIG_FREE,           /* the target already holds a signal from the caller */
	CK_DELAY_FREE,         /* the delay queue is full */
	CK_ALIGN4,             /* arg is not a multiple of 4 */
	CK_POW2,               /* arg is not a power of two */
	CK_IDLE_ONLY,          /* arg <= 1 (WFI/WFE) and the caller is not idle */
	CK_CYCLE_CAP,          /* arg == PRECISION_CYCLE and the caller lacks TIM_HP_CHRONO */
	CK_ENTROPY,            /* the entropy source fails */
	CK_DEV_LABEL,          /* no listed device with that label, or not the caller's */
	CK_DEV_HANDLE,         /* arg is not a listed device handle */
	CK_DEV_OWNER,          /* the device is not the caller's */
	CK_DEV_CAP,            /* device capability 0 (panic) or not held by the caller */
	CK_DEV_UNMAPPED,       /* the device is mapped (map_dev) */
	CK_DEV_MAPPED,         /* the device is not mapped (unmap_dev) */
	CK_MAP_SLOT,           /* no free mapping slot, or an overlap */
	CK_GPIO_IO,            /* io >= num_ios of the device */
	CK_GPIO_DRIVER,        /* the GPIO driver fails (a host stimulus injects failures) */
	CK_IRQ_DECLARED,       /* no listed device declares that IRQ */
	CK_IRQ_OWNER,          /* the first device declaring it is not the caller's */
	CK_SHM_LABEL,          /* no SHM with that label */
	CK_SHM_HANDLE,         /* arg is not a current SHM handle */
	CK_SHM_ACCESSOR,       /* the caller is neither owner nor user */
	CK_SHM_MAPPABLE,       /* not mappable for this accessor */
	CK_SHM_UNMAPPED,       /* this accessor has it mapped (map_shm) */
	CK_SHM_MAPPED,         /* this accessor has not mapped it (unmap_shm) */
	CK_SHM_IS_OWNER,       /* the caller is the user, not the owner */
	CK_SHM_OWNER_UNMAPPED, /* the owner has it mapped */
	CK_DMA_LABEL,          /* no stream with that label */
	CK_DMA_LABEL_OWNER,    /* the stream is not the caller's */
	CK_DMA_HANDLE,         /* arg is not a stream handle */
	CK_DMA_OWNER,          /* the stream is not the caller's */
	CK_DMA_STATE,          /* the stream's state does not allow the operation */
	CK_KIND_COUNT,
} CheckKind;

typedef struct {
	uint8_t kind;   /* CheckKind */
	uint8_t arg;    /* argument index the check reads */
	uint8_t status; /* Status when the check fails (or, for CK_RELEASE, when it applies) */
	uint32_t cap;   /* CK_CAP: capability bits */
} SysCheck;

/* What a call that passes its checks does (uapi.md 4.x). */
typedef enum {
	EFF_OK = 0,         /* OK, writes |out| */
	EFF_EXIT,           /* 4.1 */
	EFF_PROCESS_HANDLE, /* 4.2 */
	EFF_YIELD,          /* 4.4 */
	EFF_SLEEP,          /* 4.5 */
	EFF_START,          /* 4.6 */
	EFF_SEND_IPC,       /* 4.10 */
	EFF_SEND_SIGNAL,    /* 4.11 */
	EFF_WAIT,           /* 4.12 */
	EFF_PM,             /* 4.13, 4.14: OK, the request is recorded */
	EFF_LOG,            /* 4.15 */
	EFF_ALARM,          /* 4.16 */
	EFF_CYCLE,          /* 4.18 */
	EFF_CAPA_SET,       /* 4.25 */
	EFF_CAPA_CLEAR,     /* 4.25 */
	EFF_HAS_RESPAWNED,  /* 4.26 */
	EFF_BOARD,          /* a board-resource effect: needs a board model */
	EFF_UNSUPPORTED,    /* 4.0 */
} SysEffect;

enum {
	SYS_BLOCKS = 1u << 0,        /* may block the caller (result NON_SENSE until woken) */
	SYS_ELECTS = 1u << 1,        /* may run an election */
	SYS_NO_RETURN = 1u << 2,     /* never returns to the caller's job */
	SYS_AUTOTEST_ONLY = 1u << 3, /* unsupported in normal builds (38, 39) */
	SYS_BOARD = 1u << 4,         /* acts on a board resource */
};

typedef struct {
	uint32_t nr;
	const char *name;    /* as uapi.h spells it after __sys_ */
	const char *section; /* uapi.md section */
	SysArg args[3];
	uint8_t in;     /* SysIn */
	uint8_t out;    /* SysOut */
	uint8_t effect; /* SysEffect */
	uint8_t flags;
	uint16_t statuses;                   /* every Status the call may deliver (normal build) */
	uint16_t later;                      /* Statuses delivered after blocking */
	uint32_t panics;                     /* PanicCause bits the call itself may trigger */
	uint8_t weight;                      /* relative frequency in generated programs */
	SysCheck checks[SYS_MAX_CHECKS + 1]; /* in the kernel's order, CK_END terminated */
} SysRow;

/* The row of |nr|; numbers without a gate (32, >= SYS_COUNT, and 38/39 in normal builds where
 * systable_supported() says no) share the unsupported row's semantics. Never NULL. */
const SysRow *systable_get(uint32_t nr);
/* Whether |nr| reaches a gate in the given build (uapi.md 1.1). */
bool systable_supported(uint32_t nr, bool autotest);

const ArgKindDesc *systable_argkind(ArgKind kind);
const char *systable_check_name(CheckKind kind);
const char *systable_out_name(SysOut out);
/* Bytes a successful call writes for |out| (OUT_EVENT: the header only). */
uint32_t systable_out_len(SysOut out);
/* A Status name ("OK", "INVALID", ...), or "?" */
const char *systable_status_name(uint32_t status);

/* Host-side stimuli a program may inject between steps. */
typedef enum {
	STIM_ENTROPY_FAIL = 0, /* the next |arg| get_random calls fail (4.17) */
	STIM_IRQ,              /* a device asserts an IRQ line (4.20): needs a board */
	STIM_GPIO,             /* the host drives or releases an input pin (4.19): needs a board */
	STIM_DMA_FAIL,         /* the DMA driver's next enables fail (4.23, start): needs a board */
	STIM_IDLE_TIME,        /* virtual time passes while nobody runs: |arg| ms */
	STIM_GPIO_FAIL,        /* the GPIO driver's next calls fail (4.19 step 5): needs a board */
	STIM_COUNT,
} StimKind;

typedef struct {
	const char *name;
	uint8_t weight;
	bool board; /* meaningful only with a board; a no-op on the empty board */
} StimDesc;

const StimDesc *systable_stim(StimKind kind);

#endif
