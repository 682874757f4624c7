/*
 * check_abi_flat.c: second translation unit of check_abi, with the flattened include style
 * of installed copies (<uapi.h>, <types.h>, <platform.h>, ...; uapi.md 1.2).
 *
 * CONFIG_BUILD_TARGET_AUTOTEST is left undefined here, so neither the autotest-only
 * signals (#ifdef) nor the autotest prototypes (#if) may be declared. The unit reports a
 * few layout facts to check_abi.c, which compares them with the <uapi/...> style.
 */
#undef CONFIG_BUILD_TARGET_AUTOTEST

#include <stddef.h>
#include <stdint.h>

#include <uapi.h>
#include <types.h>
#include <handle.h>
#include <device.h>
#include <dma.h>
#include <autotest.h>
#include <platform.h>

/* These file-scope enumerators would clash with any declaration of the same names. */
enum {
	SIGNAL_PANIC_USER_HARD_FAULT = 13,
	SIGNAL_AUTOTEST_DONE = 29,
	SIGNAL_AUTOTEST_TIMED_OUT = 31,
	__sys_autotest_set_capa = 38,
	__sys_autotest_clear_capa = 39,
};

/* The kernel autotest defines its own capability names; the task-facing headers (uapi.h,
 * types.h and the others above) must not, or this unit stops compiling. Ours are in
 * <uapi/capability.h>, which a task includes only when it asks for them. */
typedef enum capability {
	CAP_DEV_BUSES = 0x1,
	CAP_CRY_KRNG = 0x200000,
} capability_t;
#define CAP_DEV_MASK 0xfffu

struct abi_flat_facts {
	size_t exchange_len, shm_infos, stream_cfg, devinfo, shminfo, sleep_duration;
	size_t stream_cfg_dest_beat_len, devinfo_ios;
	int syscall_has_respawned, signal_usr2, alarm_two_args;
};
void check_abi_flat_facts(struct abi_flat_facts *facts);

void check_abi_flat_facts(struct abi_flat_facts *facts)
{
	facts->exchange_len = SENTRY_SVCEXCHANGE_LEN;
	facts->shm_infos = sizeof(shm_infos_t);
	facts->stream_cfg = sizeof(gpdma_stream_cfg_t);
	facts->devinfo = sizeof(devinfo_t);
	facts->shminfo = sizeof(shminfo_t);
	facts->sleep_duration = sizeof(SleepDuration);
	facts->stream_cfg_dest_beat_len = offsetof(gpdma_stream_cfg_t, dest_beat_len);
	facts->devinfo_ios = offsetof(devinfo_t, ios);
	facts->syscall_has_respawned = SYSCALL_HAS_RESPAWNED;
	facts->signal_usr2 = SIGNAL_USR2;
	facts->alarm_two_args =
	    _Generic(&__sys_alarm, Status(*)(uint32_t, AlarmFlag) : 1, default : 0);
}
