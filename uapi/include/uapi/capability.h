/*
 * capability.h: the capability bits of the Sentry kernel (uapi.md 1.4, 6.2), under the
 * kernel's own names (capability_t, CAP_*).
 *
 * Not part of the published UAPI: <uapi/uapi.h> and <uapi/types.h> do not include it, so a
 * task that defines these names itself (as the kernel autotest does) compiles unchanged.
 * A task that wants them (say, to test a capability mask) includes <uapi/capability.h>.
 * A task holds C when (C & its capabilities) != 0.
 */
#ifndef __SENTRY_UAPI_CAPABILITY_H
#define __SENTRY_UAPI_CAPABILITY_H

typedef enum capability {
	CAP_DEV_BUSES = 0x00000001,
	CAP_DEV_IO = 0x00000002,
	CAP_DEV_DMA = 0x00000004,
	CAP_DEV_ANALOG = 0x00000008,
	CAP_DEV_TIMER = 0x00000010,
	CAP_DEV_STORAGE = 0x00000020,
	CAP_DEV_CRYPTO = 0x00000040,
	CAP_DEV_CLOCK = 0x00000080,
	CAP_DEV_POWER = 0x00000100,
	CAP_DEV_NEURAL = 0x00000200,
	CAP_SYS_UPGRADE = 0x00001000,
	CAP_SYS_POWER = 0x00002000,
	CAP_SYS_PROCSTART = 0x00004000,
	CAP_MEM_SHM_OWN = 0x00010000,
	CAP_MEM_SHM_USE = 0x00020000,
	CAP_MEM_SHM_TRANSFER = 0x00040000,
	CAP_TIM_HP_CHRONO = 0x00100000,
	CAP_CRY_KRNG = 0x00200000,
} capability_t;

#define CAP_DEV_MASK (0x00000FFFU)
#define CAP_SYS_MASK (0x0000F000U)
#define CAP_MEM_MASK (0x000F0000U)

#endif /* __SENTRY_UAPI_CAPABILITY_H */
