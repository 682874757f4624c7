/*
 * check_kernel_board_empty.c: the resource gates of the kernel model on a board that
 * declares no device, no SHM and no DMA stream (uapi.md 4.3, 4.7-4.9, 4.19-4.24).
 *
 * With nothing declared, no label or handle is ever valid, so each gate answers with the
 * first check of its section that can fail: DENIED where a capability check comes before
 * the lookup, INVALID where the lookup comes first, NO_ENTITY for DMA without GPDMA.
 * Each row is one Status path: the call, the caller's capabilities, the platform, and the
 * exact Status. Every row also checks that the call wrote nothing and did not reschedule.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/kernel_harness.h"

#define ALL_CAPS    0xFFFFFFFFu
#define DEV_CAPS    0x00000FFFu
#define NO_DEV_CAPS (ALL_CAPS & ~DEV_CAPS)
#define NO_SHM_OWN  (ALL_CAPS & ~(uint32_t)CAP_MEM_SHM_OWN)
#define NO_SHM_USE  (ALL_CAPS & ~(uint32_t)CAP_MEM_SHM_USE)
#define NO_SHM_CAPS (ALL_CAPS & ~(uint32_t)(CAP_MEM_SHM_OWN | CAP_MEM_SHM_USE))

/* Handles that a real board could produce (3.1 worked examples) and plain garbage. */
#define DEVH_IO 0x20084002u /* label 0x42, CAP_DEV_IO */
#define SHMH    0x5A5A5A02u /* SHM index 2 */
#define DMAH    0x4020F00Du /* stream index 1 */
#define SELF    0xFFFFFFFEu /* replaced by the caller's own task handle */

typedef struct {
	const char *what;
	uint32_t nr, a0, a1, a2;
	uint32_t caps;
	bool gpdma;
	uint32_t expect;
} Row;

static const Row rows[] = {
    /* 4.3 get_device_handle: 1. unknown label: INVALID (no capability involved) */
    {"get_device_handle none", SYSCALL_GET_DEVICE_HANDLE, 0x42, 0, 0, 0, true, STATUS_INVALID},
    {"get_device_handle all", SYSCALL_GET_DEVICE_HANDLE, 0x42, 0, 0, ALL_CAPS, true,
     STATUS_INVALID},
    {"get_device_handle 0", SYSCALL_GET_DEVICE_HANDLE, 0, 0, 0, ALL_CAPS, true, STATUS_INVALID},
    {"get_device_handle ~0", SYSCALL_GET_DEVICE_HANDLE, 0xFFFFFFFFu, 0, 0, ALL_CAPS, true,
     STATUS_INVALID},

    /* 4.7 map_dev / unmap_dev: 1. handle not found: INVALID, before owner and capability */
    {"map_dev none", SYSCALL_MAP_DEV, DEVH_IO, 0, 0, 0, true, STATUS_INVALID},
    {"map_dev all", SYSCALL_MAP_DEV, DEVH_IO, 0, 0, ALL_CAPS, true, STATUS_INVALID},
    {"map_dev 0", SYSCALL_MAP_DEV, 0, 0, 0, ALL_CAPS, true, STATUS_INVALID},
    {"unmap_dev none", SYSCALL_UNMAP_DEV, DEVH_IO, 0, 0, 0, true, STATUS_INVALID},
    {"unmap_dev all", SYSCALL_UNMAP_DEV, DEVH_IO, 0, 0, ALL_CAPS, true, STATUS_INVALID},

    /* 4.8 map_shm: 1. no SHM_USE: DENIED (SHM_OWN does not do); 2. invalid handle */
    {"map_shm none", SYSCALL_MAP_SHM, SHMH, 0, 0, 0, true, STATUS_DENIED},
    {"map_shm own only", SYSCALL_MAP_SHM, SHMH, 0, 0, CAP_MEM_SHM_OWN, true, STATUS_DENIED},
    {"map_shm all but use", SYSCALL_MAP_SHM, SHMH, 0, 0, NO_SHM_USE, true, STATUS_DENIED},
    {"map_shm use", SYSCALL_MAP_SHM, SHMH, 0, 0, CAP_MEM_SHM_USE, true, STATUS_INVALID},
    {"map_shm all", SYSCALL_MAP_SHM, 0, 0, 0, ALL_CAPS, true, STATUS_INVALID},
    /* unmap_shm needs no capability: 1. invalid handle */
    {"unmap_shm none", SYSCALL_UNMAP_SHM, SHMH, 0, 0, 0, true, STATUS_INVALID},
    {"unmap_shm all", SYSCALL_UNMAP_SHM, SHMH, 0, 0, ALL_CAPS, true, STATUS_INVALID},

    /* 4.9 shm_set_credential: 1. no SHM_OWN: DENIED (USE does not do); 2. invalid SHM
     * handle, even with a valid target */
    {"shm_set_credential none", SYSCALL_SHM_SET_CREDENTIAL, SHMH, SELF, 0xF, 0, true,
     STATUS_DENIED},
    {"shm_set_credential use only", SYSCALL_SHM_SET_CREDENTIAL, SHMH, SELF, 0xF, CAP_MEM_SHM_USE,
     true, STATUS_DENIED},
    {"shm_set_credential all but own", SYSCALL_SHM_SET_CREDENTIAL, SHMH, SELF, 0xF, NO_SHM_OWN,
     true, STATUS_DENIED},
    {"shm_set_credential own", SYSCALL_SHM_SET_CREDENTIAL, SHMH, SELF, 0xF, CAP_MEM_SHM_OWN, true,
     STATUS_INVALID},
    {"shm_set_credential own bad target", SYSCALL_SHM_SET_CREDENTIAL, SHMH, 0, 0, CAP_MEM_SHM_OWN,
     true, STATUS_INVALID},

    /* 4.19 GPIO: 1. unknown device handle: INVALID, before owner and IO/BUSES */
    {"gpio_get none", SYSCALL_GPIO_GET, DEVH_IO, 0, 0, 0, true, STATUS_INVALID},
    {"gpio_get io", SYSCALL_GPIO_GET, DEVH_IO, 0, 0, CAP_DEV_IO, true, STATUS_INVALID},
    {"gpio_set none", SYSCALL_GPIO_SET, DEVH_IO, 1, 1, 0, true, STATUS_INVALID},
    {"gpio_set all", SYSCALL_GPIO_SET, DEVH_IO, 1, 1, ALL_CAPS, true, STATUS_INVALID},
    {"gpio_reset none", SYSCALL_GPIO_RESET, DEVH_IO, 0, 0, 0, true, STATUS_INVALID},
    {"gpio_reset buses", SYSCALL_GPIO_RESET, DEVH_IO, 0, 0, CAP_DEV_BUSES, true, STATUS_INVALID},
    {"gpio_toggle none", SYSCALL_GPIO_TOGGLE, DEVH_IO, 0, 0, 0, true, STATUS_INVALID},
    {"gpio_toggle all", SYSCALL_GPIO_TOGGLE, DEVH_IO, 7, 0, ALL_CAPS, true, STATUS_INVALID},
    {"gpio_configure none", SYSCALL_GPIO_CONFIGURE, DEVH_IO, 0, 0, 0, true, STATUS_INVALID},
    {"gpio_configure all", SYSCALL_GPIO_CONFIGURE, 0, 0, 0, ALL_CAPS, true, STATUS_INVALID},

    /* 4.20 IRQ: 1. no CAP_DEV_* bit at all: DENIED; 2. no device declares it: INVALID */
    {"irq_acknowledge none", SYSCALL_IRQ_ACKNOWLEDGE, 5, 0, 0, 0, true, STATUS_DENIED},
    {"irq_acknowledge non-dev", SYSCALL_IRQ_ACKNOWLEDGE, 5, 0, 0, NO_DEV_CAPS, true, STATUS_DENIED},
    {"irq_enable none", SYSCALL_IRQ_ENABLE, 5, 0, 0, 0, true, STATUS_DENIED},
    {"irq_enable non-dev", SYSCALL_IRQ_ENABLE, 5, 0, 0, NO_DEV_CAPS, true, STATUS_DENIED},
    {"irq_disable none", SYSCALL_IRQ_DISABLE, 5, 0, 0, 0, true, STATUS_DENIED},
    {"irq_disable non-dev", SYSCALL_IRQ_DISABLE, 5, 0, 0, NO_DEV_CAPS, true, STATUS_DENIED},
    {"irq_acknowledge buses", SYSCALL_IRQ_ACKNOWLEDGE, 5, 0, 0, CAP_DEV_BUSES, true,
     STATUS_INVALID},
    {"irq_enable neural", SYSCALL_IRQ_ENABLE, 5, 0, 0, CAP_DEV_NEURAL, true, STATUS_INVALID},
    {"irq_disable clock", SYSCALL_IRQ_DISABLE, 0xFFFF, 0, 0, CAP_DEV_CLOCK, true, STATUS_INVALID},
    {"irq_enable bit 11", SYSCALL_IRQ_ENABLE, 5, 0, 0, 0x800, true, STATUS_INVALID},
    {"irq_enable all", SYSCALL_IRQ_ENABLE, 0xFFFFFFFFu, 0, 0, ALL_CAPS, true, STATUS_INVALID},

    /* 4.21 get_shm_handle: 1. no SHM_OWN: DENIED (a user-only task too); 2. unknown */
    {"get_shm_handle none", SYSCALL_GET_SHM_HANDLE, 0x100, 0, 0, 0, true, STATUS_DENIED},
    {"get_shm_handle use only", SYSCALL_GET_SHM_HANDLE, 0x100, 0, 0, CAP_MEM_SHM_USE, true,
     STATUS_DENIED},
    {"get_shm_handle all but own", SYSCALL_GET_SHM_HANDLE, 0x100, 0, 0, NO_SHM_OWN, true,
     STATUS_DENIED},
    {"get_shm_handle own", SYSCALL_GET_SHM_HANDLE, 0x100, 0, 0, CAP_MEM_SHM_OWN, true,
     STATUS_INVALID},

    /* 4.22 get_dma_stream_handle: 0. no GPDMA: NO_ENTITY; 1. unknown label: INVALID,
     * before the DEV_DMA check */
    {"get_dma_stream_handle no gpdma", SYSCALL_GET_DMA_STREAM_HANDLE, 0x10, 0, 0, 0, false,
     STATUS_NO_ENTITY},
    {"get_dma_stream_handle no gpdma all", SYSCALL_GET_DMA_STREAM_HANDLE, 0x10, 0, 0, ALL_CAPS,
     false, STATUS_NO_ENTITY},
    {"get_dma_stream_handle none", SYSCALL_GET_DMA_STREAM_HANDLE, 0x10, 0, 0, 0, true,
     STATUS_INVALID},
    {"get_dma_stream_handle dma", SYSCALL_GET_DMA_STREAM_HANDLE, 0x10, 0, 0, CAP_DEV_DMA, true,
     STATUS_INVALID},

    /* 4.23 DMA stream operations: 0. no GPDMA: NO_ENTITY; 1. invalid handle: INVALID,
     * before owner and DEV_DMA */
    {"dma_start no gpdma", SYSCALL_DMA_START_STREAM, DMAH, 0, 0, ALL_CAPS, false, STATUS_NO_ENTITY},
    {"dma_suspend no gpdma", SYSCALL_DMA_SUSPEND_STREAM, DMAH, 0, 0, 0, false, STATUS_NO_ENTITY},
    {"dma_assign no gpdma", SYSCALL_DMA_ASSIGN_STREAM, DMAH, 0, 0, 0, false, STATUS_NO_ENTITY},
    {"dma_unassign no gpdma", SYSCALL_DMA_UNASSIGN_STREAM, DMAH, 0, 0, 0, false, STATUS_NO_ENTITY},
    {"dma_get_stream_info no gpdma", SYSCALL_DMA_GET_STREAM_INFO, DMAH, 0, 0, 0, false,
     STATUS_NO_ENTITY},
    {"dma_resume no gpdma", SYSCALL_DMA_RESUME_STREAM, DMAH, 0, 0, 0, false, STATUS_NO_ENTITY},
    {"dma_start none", SYSCALL_DMA_START_STREAM, DMAH, 0, 0, 0, true, STATUS_INVALID},
    {"dma_suspend dma", SYSCALL_DMA_SUSPEND_STREAM, DMAH, 0, 0, CAP_DEV_DMA, true, STATUS_INVALID},
    {"dma_assign none", SYSCALL_DMA_ASSIGN_STREAM, DMAH, 0, 0, 0, true, STATUS_INVALID},
    {"dma_unassign all", SYSCALL_DMA_UNASSIGN_STREAM, 0, 0, 0, ALL_CAPS, true, STATUS_INVALID},
    {"dma_get_stream_info none", SYSCALL_DMA_GET_STREAM_INFO, DMAH, 0, 0, 0, true, STATUS_INVALID},
    {"dma_resume dma", SYSCALL_DMA_RESUME_STREAM, DMAH, 0, 0, CAP_DEV_DMA, true, STATUS_INVALID},

    /* 4.24 shm_get_infos: 1. neither OWN nor USE: DENIED; 2. invalid handle: INVALID */
    {"shm_get_infos none", SYSCALL_SHM_GET_INFOS, SHMH, 0, 0, 0, true, STATUS_DENIED},
    {"shm_get_infos all but shm", SYSCALL_SHM_GET_INFOS, SHMH, 0, 0, NO_SHM_CAPS, true,
     STATUS_DENIED},
    {"shm_get_infos own", SYSCALL_SHM_GET_INFOS, SHMH, 0, 0, CAP_MEM_SHM_OWN, true, STATUS_INVALID},
    {"shm_get_infos use", SYSCALL_SHM_GET_INFOS, SHMH, 0, 0, CAP_MEM_SHM_USE, true, STATUS_INVALID},
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static Kernel *boot_caps(uint32_t caps, bool gpdma, KernelBuild build, uint32_t global)
{
	KernelTaskConfig t[2] = {kh_task("a", 0xa, 1), kh_task("b", 0xb, 1)};
	t[0].capabilities = caps;
	KernelConfig cfg;
	kh_config(&cfg, t, 2);
	cfg.gpdma = gpdma;
	cfg.build = build;
	cfg.autotest_caps = global;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, 0);
	return k;
}

static void check_row(Kernel *k, const Row *r)
{
	uint32_t a1 = r->a1 == SELF ? kernel_task_handle(k, 0) : r->a1;
	kh_fill(k, 0, KH_FILL);
	uint32_t got = kh_call(k, 0, r->nr, r->a0, a1, r->a2);
	ck_assert_msg(got == r->expect, "%s: status %u, expected %u", r->what, got, r->expect);
	ck_assert_int_eq(kernel_task_state(k, 0), JOB_READY);
	kh_assert_fill(k, 0, 0, 128, KH_FILL);
}

START_TEST(test_row_normal)
{
	const Row *r = &rows[_i];
	Kernel *k = boot_caps(r->caps, r->gpdma, KERNEL_BUILD_NORMAL, 0);
	check_row(k, r);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_PANIC, NULL), 0);
	ck_assert_uint_eq(kh_reports_matching(KREPORT_ABORT, NULL), 0);
}
END_TEST

/* 6.3: in the autotest build the same rows hold with the capabilities in the global set
 * (the metadata capabilities are 0). */
START_TEST(test_row_autotest)
{
	const Row *r = &rows[_i];
	Kernel *k = boot_caps(0, r->gpdma, KERNEL_BUILD_AUTOTEST, r->caps);
	check_row(k, r);
}
END_TEST

/* 6.3: the default autotest set 0x00270017 holds BUSES, IO, DMA, TIMER, SHM_OWN, SHM_USE,
 * SHM_TRANSFER and CRY_KRNG, so the capability checks pass and the lookups fail. */
START_TEST(test_autotest_default_caps)
{
	KernelTaskConfig t = kh_task("test", 0, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.build = KERNEL_BUILD_AUTOTEST;
	Kernel *k = kh_boot(&cfg);
	kh_go(k, 0);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_IRQ_ENABLE, 5, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_MAP_SHM, SHMH, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_GET_SHM_HANDLE, 1, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_SHM_GET_INFOS, SHMH, 0, 0), STATUS_INVALID);
	ck_assert_uint_eq(
	    kh_call(k, 0, SYSCALL_SHM_SET_CREDENTIAL, SHMH, kernel_task_handle(k, 0), 1),
	    STATUS_INVALID);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_PM_SET_CLOCK, 4, 0, 0), STATUS_DENIED);
	/* clearing the DEV bits makes the IRQ gates DENIED */
	static const uint32_t dev_bits[] = {CAP_DEV_BUSES, CAP_DEV_IO, CAP_DEV_DMA, CAP_DEV_TIMER};
	for (size_t i = 0; i < sizeof(dev_bits) / sizeof(dev_bits[0]); i++)
		ck_assert_uint_eq(kh_call(k, 0, SYSCALL_AUTOTEST_CLEAR_CAPA, dev_bits[i], 0, 0),
		                  STATUS_OK);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_IRQ_ENABLE, 5, 0, 0), STATUS_DENIED);
}
END_TEST

/* 4.23, 4.0: get_stream_status (32) is not implemented: abort in a normal build (no result,
 * r0 keeps the handle), NO_ENTITY in the autotest build. */
START_TEST(test_dma_get_stream_status)
{
	Kernel *k = boot_caps(ALL_CAPS, true, KERNEL_BUILD_NORMAL, 0);
	kh_fill(k, 0, KH_FILL);
	kh_trap(k, 0, SYSCALL_DMA_GET_STREAM_STATUS, DMAH, 0, 0);
	ck_assert_int_eq(kernel_task_state(k, 0), JOB_ABORTING);
	ck_assert_uint_eq(kh_result(k, 0), DMAH);
	kh_assert_fill(k, 0, 0, 128, KH_FILL);

	k = boot_caps(0, true, KERNEL_BUILD_AUTOTEST, ALL_CAPS);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_DMA_GET_STREAM_STATUS, DMAH, 0, 0),
	                  STATUS_NO_ENTITY);
	k = boot_caps(0, false, KERNEL_BUILD_AUTOTEST, ALL_CAPS);
	ck_assert_uint_eq(kh_call(k, 0, SYSCALL_DMA_GET_STREAM_STATUS, DMAH, 0, 0),
	                  STATUS_NO_ENTITY);
}
END_TEST

/* 4.12: without GPDMA the DMA wait bit is ignored (nothing can be pending anyway). */
START_TEST(test_wait_dma_bit_without_gpdma)
{
	Kernel *k = boot_caps(0, false, KERNEL_BUILD_NORMAL, 0);
	ck_assert_uint_eq(
	    kh_call(k, 0, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_DMA, (uint32_t)WFE_WAIT_NO, 0),
	    STATUS_AGAIN);
}
END_TEST

static Suite *kernel_board_empty_suite(void)
{
	Suite *s = suite_create("kernel_board_empty");
	TCase *tc = kh_tcase("rows");
	tcase_add_loop_test(tc, test_row_normal, 0, N_ROWS);
	tcase_add_loop_test(tc, test_row_autotest, 0, N_ROWS);
	suite_add_tcase(s, tc);

	tc = kh_tcase("misc");
	tcase_add_test(tc, test_autotest_default_caps);
	tcase_add_test(tc, test_dma_get_stream_status);
	tcase_add_test(tc, test_wait_dma_bit_without_gpdma);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kh_run_suite(kernel_board_empty_suite());
}
