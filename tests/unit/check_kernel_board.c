/*
 * check_kernel_board.c: the board resource gates of the kernel model, one test per Status
 * path, in the order of uapi.md: get_device_handle (4.3), map_dev and unmap_dev (4.7),
 * map_shm and unmap_shm (4.8), shm_set_credential (4.9), get_shm_handle (4.21),
 * shm_get_infos (4.24), GPIO (4.19), IRQ (4.20), DMA streams (4.22, 4.23), power (4.13,
 * 4.14), owner caching across a respawn (7.6) and the handle encodings (3.1).
 *
 * Tasks a, b and c share one board; a owns most of it. Every call runs with the caller's
 * exchange area pre-filled with a pattern: a failed call must leave all of it untouched, a
 * successful one may change exactly the bytes its section lists. The kernel boots with its
 * window and dma_transfer hooks recorded here, next to its reports (the shared harness
 * installs neither hook); the harness drives the tasks.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/dma.h>

#include "tests/unit/kernel_harness.h"

/* ---------------------------------------------------------------------------------------- */
/* The board                                                                                 */

enum { A = 0, B = 1, C = 2 };
#define LABEL_A 0xau
#define LABEL_B 0xbu
#define LABEL_C 0xcu

enum { D_LEDS, D_USART, D_TIM, D_ODD, D_NOREG, D_CONSOLE, D_DMA, N_DEVICES };
enum { S0, S1, S_NOMAP, S_B, S_OVER, N_SHMS };
enum { M_M2M, M_D2M, M_M2D, M_D2D, N_DMAS };

#define IRQ_LEDS    10
#define IRQ_USART   20 /* declared by usart1 (a's) first, then by tim2 (b's) */
#define IRQ_USART2  21
#define IRQ_TIM     30
#define IRQ_CONSOLE 40 /* declared only by a device without owner */
#define IRQ_NONE    11

static const BoardDevice devices[N_DEVICES] = {
    [D_LEDS] = {.name = "leds",
                .label = 0x42,
                .has_owner = true,
                .owner = LABEL_A,
                .cap = CAP_DEV_IO,
                .base = 0x40020000,
                .size = 0x400,
                .mappable = true,
                .n_irqs = 1,
                .irqs = {IRQ_LEDS},
                .n_ios = 3,
                .ios = {{.port = 0, .pin = 5}, {.port = 0, .pin = 6}, {.port = 1, .pin = 0}}},
    [D_USART] = {.name = "usart1",
                 .label = 0x101,
                 .has_owner = true,
                 .owner = LABEL_A,
                 .cap = CAP_DEV_BUSES,
                 .base = 0x40011000,
                 .size = 0x400,
                 .n_irqs = 2,
                 .irqs = {IRQ_USART, IRQ_USART2},
                 .n_ios = 1,
                 .ios = {{.port = 0, .pin = 5, .mode = 2, .af = 7}}},
    [D_TIM] = {.name = "tim2",
               .label = 0x12345, /* only 0x2345 reaches the handle (3.1) */
               .has_owner = true,
               .owner = LABEL_B,
               .cap = CAP_DEV_TIMER,
               .base = 0x40000000,
               .size = 0x400,
               .n_irqs = 2,
               .irqs = {IRQ_TIM, IRQ_USART},
               .n_ios = 1,
               .ios = {{.port = 0, .pin = 6}}},
    [D_ODD] = {.name = "odd", /* no capability class (9.1) */
               .label = 0x103,
               .has_owner = true,
               .owner = LABEL_A,
               .cap = 0,
               .base = 0x50000000,
               .size = 0x100},
    [D_NOREG] = {.name = "noreg", /* no register window */
                 .label = 0x104,
                 .has_owner = true,
                 .owner = LABEL_A,
                 .cap = CAP_DEV_ANALOG},
    [D_CONSOLE] = {.name = "console", /* no owner: not in the kernel device list */
                   .label = 0x105,
                   .has_owner = false,
                   .owner = LABEL_A,
                   .cap = CAP_DEV_BUSES,
                   .base = 0x40004400,
                   .size = 0x400,
                   .n_irqs = 1,
                   .irqs = {IRQ_CONSOLE},
                   .n_ios = 1,
                   .ios = {{.port = 2, .pin = 0}}},
    [D_DMA] = {.name = "dma1",
               .label = 0x106,
               .has_owner = true,
               .owner = LABEL_A,
               .cap = CAP_DEV_DMA,
               .base = 0x40026000,
               .size = 0x400},
};

static const BoardShm shms[N_SHMS] = {
    [S0] = {.name = "shm0", .label = 0x200, .owner = LABEL_A, .base = 0x20010000, .size = 0x1000},
    [S1] = {.name = "shm1", .label = 0x201, .owner = LABEL_A, .base = 0x20011000, .size = 0x1000},
    [S_NOMAP] = {.name = "nomap",
                 .label = 0x202,
                 .owner = LABEL_A,
                 .base = 0x20012000,
                 .size = 0x1000,
                 .no_map = true},
    [S_B] = {.name = "shm_b",
             .label = 0x203,
             .owner = LABEL_B,
             .base = 0x20013000,
             .size = 0x800,
             .dma_pool = true},
    [S_OVER] = {.name = "over", /* inside the register window of leds */
                .label = 0x204,
                .owner = LABEL_A,
                .base = 0x40020200,
                .size = 0x100},
};

static const BoardDma dmas[N_DMAS] = {
    [M_M2M] = {.name = "m2m",
               .label = 0x300,
               .owner = LABEL_A,
               .channel = 3,
               .stream = 7,
               .controller = 1,
               .source = {BOARD_END_SHM, S0},
               .dest = {BOARD_END_SHM, S1},
               .length = 256,
               .circular_source = true,
               .priority = GPDMA_PRIORITY_HIGH},
    [M_D2M] = {.name = "d2m",
               .label = 0x301,
               .owner = LABEL_A,
               .channel = 4,
               .stream = 0,
               .controller = 0,
               .source = {BOARD_END_DEVICE, D_USART},
               .dest = {BOARD_END_SHM, S1},
               .length = 64,
               .circular_dest = true,
               .priority = GPDMA_PRIORITY_MEDIUM},
    [M_M2D] = {.name = "m2d",
               .label = 0x302,
               .owner = LABEL_A,
               .channel = 5,
               .stream = 12,
               .controller = 0,
               .source = {BOARD_END_SHM, S0},
               .dest = {BOARD_END_DEVICE, D_USART},
               .length = 100000,
               .priority = GPDMA_PRIORITY_VERY_HIGH},
    [M_D2D] = {.name = "d2d",
               .label = 0x303,
               .owner = LABEL_B,
               .channel = 0xFFFF,
               .stream = 0xABCD,
               .controller = 2,
               .source = {BOARD_END_DEVICE, D_USART},
               .dest = {BOARD_END_DEVICE, D_DMA},
               .length = 1,
               .circular_source = true,
               .circular_dest = true,
               .priority = GPDMA_PRIORITY_LOW},
};

static const Board board = {.n_devices = N_DEVICES,
                            .devices = devices,
                            .n_shms = N_SHMS,
                            .shms = shms,
                            .n_dmas = N_DMAS,
                            .dmas = dmas};

#define ALL   0xFFFFFFFFu
#define MAP   SHM_PERMISSION_MAP
#define READ  SHM_PERMISSION_READ
#define WRITE SHM_PERMISSION_WRITE
#define XFER  SHM_PERMISSION_TRANSFER

/* ---------------------------------------------------------------------------------------- */
/* Recording the window and dma_transfer hooks (the shared harness installs neither)        */

typedef struct {
	uint32_t task;
	uint64_t base, size;
	bool writable, mapped;
} WindowCall;

static struct {
	Kernel *k;
	bool dma_fail; /* the dma_transfer hook reports a failed transfer */
	uint32_t dma_calls;
	uint32_t dma_label; /* label of the last stream given to dma_transfer */
	bool dma_paced;     /* the dma_paced hook says a device paces every stream */
	WindowCall windows[64];
	size_t n_windows;
	KhReport reports[KH_MAX_REPORTS];
	size_t n_reports;
} tb;

static void on_report(void *data, const KernelReport *r)
{
	if (tb.n_reports == KH_MAX_REPORTS)
		return;
	KhReport *o = &tb.reports[tb.n_reports++];
	o->kind = r->kind;
	o->task = r->task;
	o->time_ns = r->time_ns;
	snprintf(o->text, sizeof(o->text), "%s", r->text);
}

static void on_window(void *data, uint32_t task, uint64_t base, uint64_t size, bool writable,
                      bool mapped)
{
	ck_assert_uint_lt(tb.n_windows, sizeof(tb.windows) / sizeof(tb.windows[0]));
	tb.windows[tb.n_windows++] = (WindowCall){
	    .task = task, .base = base, .size = size, .writable = writable, .mapped = mapped};
}

static bool on_dma(void *data, const BoardDma *stream, const Board *b)
{
	/* the hook gets the kernel's copy of the board and a stream of it */
	ck_assert_uint_eq(b->n_dmas, N_DMAS);
	ck_assert(stream >= b->dmas && stream < b->dmas + b->n_dmas);
	tb.dma_calls++;
	tb.dma_label = stream->label;
	return !tb.dma_fail;
}

static bool on_dma_paced(void *data, const BoardDma *stream, const Board *b)
{
	return tb.dma_paced;
}

static void tb_teardown(void)
{
	kernel_free(tb.k);
	tb.k = NULL;
}

static TCase *tb_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, NULL, tb_teardown);
	return tc;
}

/* kernel_new() + kernel_boot() with the recording hooks (dma_transfer optional). */
static Kernel *tb_boot(const KernelConfig *cfg, bool dma_hook)
{
	const KernelHooks hooks = {.report = on_report,
	                           .window = on_window,
	                           .dma_transfer = dma_hook ? on_dma : NULL,
	                           .dma_paced = on_dma_paced};
	const char *err = NULL;
	tb_teardown();
	memset(&tb, 0, sizeof(tb));
	tb.k = kernel_new(cfg, &hooks, NULL, &err);
	ck_assert_msg(tb.k != NULL, "kernel_new: %s", err ? err : "?");
	kernel_boot(tb.k);
	return tb.k;
}

static size_t tb_reports_matching(KernelReportKind kind, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < tb.n_reports; i++)
		if (tb.reports[i].kind == kind && (!needle || strstr(tb.reports[i].text, needle)))
			n++;
	return n;
}

/* As kh_assert_panic(), on the reports recorded here. */
static void tb_assert_panic(Kernel *k, PanicCause cause, const char *needle)
{
	ck_assert_msg(kernel_panicked(k), "the kernel did not panic");
	ck_assert_int_eq(kernel_view_panic_cause(k), cause);
	ck_assert_uint_eq(kernel_current(k), KERNEL_NO_TASK);
	ck_assert_uint_eq(tb_reports_matching(KREPORT_PANIC, NULL), 1);
	ck_assert_uint_eq(tb_reports_matching(KREPORT_PANIC, "kernel panic"), 1);
	ck_assert_uint_eq(tb_reports_matching(KREPORT_PANIC, kernel_panic_cause_name(cause)), 1);
	ck_assert_uint_eq(tb_reports_matching(KREPORT_PANIC, needle), 1);
}

static void assert_window(size_t i, uint32_t task, uint64_t base, uint64_t size, bool writable,
                          bool mapped)
{
	ck_assert_uint_lt(i, tb.n_windows);
	const WindowCall *w = &tb.windows[i];
	ck_assert_uint_eq(w->task, task);
	ck_assert_uint_eq(w->base, base);
	ck_assert_uint_eq(w->size, size);
	ck_assert_int_eq(w->writable, writable);
	ck_assert_int_eq(w->mapped, mapped);
}

/* ---------------------------------------------------------------------------------------- */
/* Booting and calling                                                                       */

/* Tasks a, b, c (priorities 3, 2, 1, so a runs first) with the given capabilities. */
static void tasks3(KernelTaskConfig t[3], uint32_t ca, uint32_t cb, uint32_t cc)
{
	t[0] = kh_task("a", LABEL_A, 3);
	t[1] = kh_task("b", LABEL_B, 2);
	t[2] = kh_task("c", LABEL_C, 1);
	t[0].capabilities = ca;
	t[1].capabilities = cb;
	t[2].capabilities = cc;
}

static void board_config(KernelConfig *cfg, uint32_t ca, uint32_t cb, uint32_t cc)
{
	KernelTaskConfig t[3];
	tasks3(t, ca, cb, cc);
	kh_config(cfg, t, 3);
	cfg->board = &board;
}

/* Boot the board and resume a, which runs first. */
static Kernel *boot(uint32_t ca, uint32_t cb, uint32_t cc)
{
	KernelConfig cfg;
	board_config(&cfg, ca, cb, cc);
	Kernel *k = tb_boot(&cfg, true);
	kh_go(k, A);
	return k;
}

static Kernel *boot_cfg(const KernelConfig *cfg)
{
	Kernel *k = tb_boot(cfg, true);
	kh_go(k, A);
	return k;
}

/* Yield round the job sets until |id| runs, and resume it. */
static void switch_to(Kernel *k, uint32_t id)
{
	for (int n = 0; kernel_current(k) != id; n++) {
		ck_assert_int_lt(n, 8);
		uint32_t cur = kernel_current(k);
		kh_go(k, cur);
		kh_trap(k, cur, SYSCALL_YIELD, 0, 0, 0);
	}
	kh_go(k, id);
}

static uint32_t th(Kernel *k, uint32_t id)
{
	return kernel_task_handle(k, id);
}

/* 3.1, written out independently of board_device_handle(). */
static uint32_t devh(uint32_t cap, uint32_t label)
{
	return (cap & 0xFFFu) | ((label & 0xFFFFu) << 13) | (1u << 29);
}

static uint32_t dev(int d)
{
	return devh(devices[d].cap, devices[d].label);
}

static uint32_t shm(Kernel *k, int s)
{
	return kernel_shm_handle(k, (uint32_t)s);
}

static uint32_t dma(Kernel *k, int m)
{
	return kernel_dma_handle(k, (uint32_t)m);
}

static void assert_untouched(int line, Kernel *k, uint32_t id, size_t from)
{
	const uint8_t *x = kernel_exchange(k, id);
	for (size_t i = from; i < kernel_exchange_len(k); i++)
		ck_assert_msg(x[i] == KH_FILL,
		              "line %d: exch[%zu] of task %u is 0x%02x, not the fill", line, i, id,
		              x[i]);
}

/* |id| issues (nr, a0, a1, a2) with its area pre-filled: the call must not reschedule nor
 * change the caller's state, its status must be |expect|, and only exch[0..written) may
 * change (nothing at all when the call fails). */
static void expect_at(int line, Kernel *k, uint32_t id, uint32_t expect, size_t written,
                      uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	kh_fill(k, id, KH_FILL);
	uint32_t got = kh_call(k, id, nr, a0, a1, a2);
	ck_assert_msg(got == expect,
	              "line %d: %s(0x%x, 0x%x, 0x%x) by task %u: status %u, expected %u", line,
	              kernel_syscall_name(nr), a0, a1, a2, id, got, expect);
	ck_assert_int_eq(kernel_task_state(k, id), JOB_READY);
	assert_untouched(line, k, id, expect == STATUS_OK ? written : 0);
}

#define EXPECT(k, id, st, nr, a0, a1, a2)                                                          \
	expect_at(__LINE__, (k), (id), (st), 0, (nr), (a0), (a1), (a2))
#define EXPECT_W(k, id, st, n, nr, a0, a1, a2)                                                     \
	expect_at(__LINE__, (k), (id), (st), (n), (nr), (a0), (a1), (a2))

#define OK      STATUS_OK
#define INVALID STATUS_INVALID
#define DENIED  STATUS_DENIED

/* The owner gives |target| the credential |perms| on SHM |s|. */
static void grant(Kernel *k, uint32_t owner, int s, uint32_t target, uint32_t perms)
{
	EXPECT(k, owner, OK, SYSCALL_SHM_SET_CREDENTIAL, shm(k, s), th(k, target), perms);
}

/* ---------------------------------------------------------------------------------------- */
/* 4.3 get_device_handle                                                                     */

/* 1. unknown label, 3. not the owner: INVALID both (no enumeration); 4. exch[0..3]. */
START_TEST(test_get_device_handle)
{
	Kernel *k = boot(0, 0, 0); /* no capability needed */
	EXPECT_W(k, A, OK, 4, SYSCALL_GET_DEVICE_HANDLE, 0x42, 0, 0);
	ck_assert_uint_eq(kh_u32(k, A, 0), 0x20084002u); /* 3.1 worked example */
	EXPECT_W(k, A, OK, 4, SYSCALL_GET_DEVICE_HANDLE, 0x101, 0, 0);
	ck_assert_uint_eq(kh_u32(k, A, 0), devh(CAP_DEV_BUSES, 0x101));
	EXPECT_W(k, A, OK, 4, SYSCALL_GET_DEVICE_HANDLE, 0x103, 0, 0);
	ck_assert_uint_eq(kh_u32(k, A, 0), (0x103u << 13) | (1u << 29)); /* capability 0 */
	EXPECT(k, A, INVALID, SYSCALL_GET_DEVICE_HANDLE, 0x43, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_GET_DEVICE_HANDLE, 0x10042, 0, 0); /* all 32 bits */
	/* declared with a as owner but without sentry,owner: not in the device list */
	EXPECT(k, A, INVALID, SYSCALL_GET_DEVICE_HANDLE, 0x105, 0, 0);
	/* b's device: INVALID, not DENIED */
	EXPECT(k, A, INVALID, SYSCALL_GET_DEVICE_HANDLE, 0x12345, 0, 0);

	switch_to(k, B);
	EXPECT_W(k, B, OK, 4, SYSCALL_GET_DEVICE_HANDLE, 0x12345, 0, 0);
	ck_assert_uint_eq(kh_u32(k, B, 0), 0x2468A010u);                /* 3.1 worked example */
	EXPECT(k, B, INVALID, SYSCALL_GET_DEVICE_HANDLE, 0x2345, 0, 0); /* label on 32 bits */
	EXPECT(k, B, INVALID, SYSCALL_GET_DEVICE_HANDLE, 0x42, 0, 0);
	switch_to(k, C);
	EXPECT(k, C, INVALID, SYSCALL_GET_DEVICE_HANDLE, 0x42, 0, 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.7 map_dev and unmap_dev                                                                 */

/* 1. handle not found: INVALID, before the owner and capability checks. */
START_TEST(test_map_dev_bad_handle)
{
	uint32_t nr = _i ? SYSCALL_UNMAP_DEV : SYSCALL_MAP_DEV;
	Kernel *k = boot(ALL, 0, 0);
	EXPECT(k, A, INVALID, nr, 0, 0, 0);
	EXPECT(k, A, INVALID, nr, dev(D_CONSOLE), 0, 0); /* not in the device list */
	EXPECT(k, A, INVALID, nr, devh(CAP_DEV_IO, 0x43), 0, 0);
	switch_to(k, B);
	EXPECT(k, B, INVALID, nr, dev(D_LEDS) + 1, 0, 0); /* no capability at all */
	ck_assert_uint_eq(tb.n_windows, 0);
}
END_TEST

/* 2. not the owner: DENIED, whatever the caller's capabilities. */
START_TEST(test_map_dev_not_owner)
{
	uint32_t nr = _i ? SYSCALL_UNMAP_DEV : SYSCALL_MAP_DEV;
	Kernel *k = boot(ALL, ALL, 0);
	EXPECT(k, A, INVALID, nr, dev(D_TIM) ^ 1u, 0, 0);
	EXPECT(k, A, DENIED, nr, dev(D_TIM), 0, 0);
	switch_to(k, B);
	EXPECT(k, B, DENIED, nr, dev(D_LEDS), 0, 0);
	EXPECT(k, B, DENIED, nr, dev(D_DMA), 0, 0);
	switch_to(k, C);
	EXPECT(k, C, DENIED, nr, dev(D_LEDS), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 0);
}
END_TEST

/* 3. a device of capability 0: kernel panic, after the handle and owner checks. */
START_TEST(test_map_dev_class0_panics)
{
	uint32_t nr = _i ? SYSCALL_UNMAP_DEV : SYSCALL_MAP_DEV;
	Kernel *k = boot(ALL, ALL, 0);
	EXPECT(k, A, INVALID, nr, dev(D_ODD) + 1, 0, 0);
	switch_to(k, B);
	EXPECT(k, B, DENIED, nr, dev(D_ODD), 0, 0);
	switch_to(k, A);
	kh_trap(k, A, nr, dev(D_ODD), 0, 0);
	tb_assert_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE, "'odd'");
	ck_assert_uint_eq(tb.n_windows, 0);
}
END_TEST

/* 3. the caller must hold the device's own capability class: DENIED; for unmap_dev this
 * comes before "not mapped". */
START_TEST(test_map_dev_missing_cap)
{
	Kernel *k = boot(CAP_DEV_BUSES | CAP_DEV_TIMER, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);   /* IO class */
	EXPECT(k, A, DENIED, SYSCALL_UNMAP_DEV, dev(D_LEDS), 0, 0); /* not "not mapped" */
	EXPECT(k, A, DENIED, SYSCALL_MAP_DEV, dev(D_DMA), 0, 0);    /* DMA class */
	EXPECT(k, A, DENIED, SYSCALL_MAP_DEV, dev(D_NOREG), 0, 0);  /* ANALOG class */
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_DEV, dev(D_USART), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_USART), 0, 0); /* BUSES class */
	ck_assert_uint_eq(tb.n_windows, 1);
	assert_window(0, A, 0x40011000, 0x400, true, true);
}
END_TEST

/* 7. OK: the register window appears, read-write, through the window hook; 4. mapped twice:
 * INVALID, not ALREADY_MAPPED; unmap 4. not mapped: INVALID; 5. the window leaves. */
START_TEST(test_map_dev_window)
{
	Kernel *k = boot(CAP_DEV_IO, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 1);
	assert_window(0, A, 0x40020000, 0x400, true, true);
	EXPECT(k, A, INVALID, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 1);
	EXPECT(k, A, OK, SYSCALL_UNMAP_DEV, dev(D_LEDS), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 2);
	assert_window(1, A, 0x40020000, 0x400, true, false);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_DEV, dev(D_LEDS), 0, 0);
	/* the flag is cleared: it maps again */
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 3);
	assert_window(2, A, 0x40020000, 0x400, true, true);
	ck_assert_uint_eq(tb_reports_matching(KREPORT_UNCHARACTERIZED, NULL), 0);
}
END_TEST

/* 4. comes before 6.: a mapped device is INVALID even when every slot is taken. */
START_TEST(test_map_dev_mapped_before_busy)
{
	Kernel *k = boot(ALL, 0, 0);
	grant(k, A, S0, A, MAP);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_USART), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_DMA), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_MAP_DEV, dev(D_DMA), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 4);
}
END_TEST

/* 6. four mapping slots per task, shared by devices and SHMs: BUSY. A refused map sets no
 * flag; adjacent regions do not overlap. */
START_TEST(test_map_busy_slots)
{
	Kernel *k = boot(ALL, 0, 0);
	grant(k, A, S0, A, MAP);
	grant(k, A, S1, A, MAP | WRITE);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S1), 0, 0); /* adjacent to shm0 */
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_USART), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 4);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_MAP_DEV, dev(D_DMA), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_DEV, dev(D_DMA), 0, 0); /* not mapped */
	grant(k, A, S_OVER, A, MAP);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_MAP_SHM, shm(k, S_OVER), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_SHM, shm(k, S_OVER), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 4);
	/* a freed slot serves either kind */
	EXPECT(k, A, OK, SYSCALL_UNMAP_SHM, shm(k, S1), 0, 0);
	assert_window(4, A, 0x20011000, 0x1000, true, false);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_DMA), 0, 0);
	assert_window(5, A, 0x40026000, 0x400, true, true);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_MAP_SHM, shm(k, S1), 0, 0);
	EXPECT(k, A, OK, SYSCALL_UNMAP_DEV, dev(D_USART), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S1), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 8);
}
END_TEST

/* 6. a region that overlaps one already mapped: BUSY, for devices and SHMs alike. */
START_TEST(test_map_busy_overlap)
{
	Kernel *k = boot(ALL, 0, 0);
	grant(k, A, S_OVER, A, MAP | WRITE);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S_OVER), 0, 0);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_DEV, dev(D_LEDS), 0, 0); /* the flag stayed clear */
	EXPECT(k, A, OK, SYSCALL_UNMAP_SHM, shm(k, S_OVER), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_MAP_SHM, shm(k, S_OVER), 0, 0);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_MAP_SHM, shm(k, S_OVER), 0, 0); /* no flag either */
	ck_assert_uint_eq(tb.n_windows, 3);
	assert_window(0, A, 0x40020200, 0x100, true, true);
	assert_window(1, A, 0x40020200, 0x100, true, false);
	assert_window(2, A, 0x40020000, 0x400, true, true);
}
END_TEST

/* A device without a register window maps (not characterized): it is reported and no
 * window reaches the host. */
START_TEST(test_map_dev_no_window)
{
	Kernel *k = boot(CAP_DEV_ANALOG, 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_NOREG), 0, 0);
	ck_assert_uint_eq(tb_reports_matching(KREPORT_UNCHARACTERIZED, "'noreg'"), 1);
	ck_assert_uint_eq(tb_reports_matching(KREPORT_UNCHARACTERIZED, "no register window"), 1);
	ck_assert_uint_eq(tb.n_windows, 0);
	EXPECT(k, A, INVALID, SYSCALL_MAP_DEV, dev(D_NOREG), 0, 0);
	EXPECT(k, A, OK, SYSCALL_UNMAP_DEV, dev(D_NOREG), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 0);
}
END_TEST

/* The autotest build: the test task (0xbabe) owns a device and an SHM; the global set holds
 * IO, SHM_OWN and SHM_USE at boot (6.3). */
static const BoardDevice at_devices[] = {{.name = "leds",
                                          .label = 0x42,
                                          .has_owner = true,
                                          .owner = 0xbabe,
                                          .cap = CAP_DEV_IO,
                                          .base = 0x40020000,
                                          .size = 0x400}};
static const BoardShm at_shms[] = {
    {.name = "shm0", .label = 0x200, .owner = 0xbabe, .base = 0x20010000, .size = 0x1000}};
static const Board at_board = {.n_devices = 1, .devices = at_devices, .n_shms = 1, .shms = at_shms};

static Kernel *boot_autotest(void)
{
	KernelTaskConfig t = kh_task("test", 0, 1);
	KernelConfig cfg;
	kh_config(&cfg, &t, 1);
	cfg.build = KERNEL_BUILD_AUTOTEST;
	cfg.board = &at_board;
	Kernel *k = tb_boot(&cfg, true);
	kh_go(k, 0);
	return k;
}

/* 3. before 4.: once the capability is gone, a mapped device is DENIED (map and unmap);
 * with it back, 4. the global mapped flag gives INVALID. */
START_TEST(test_map_dev_cap_before_mapped)
{
	Kernel *k = boot_autotest();
	uint32_t h = devh(CAP_DEV_IO, 0x42);
	EXPECT(k, 0, OK, SYSCALL_MAP_DEV, h, 0, 0);
	EXPECT(k, 0, OK, SYSCALL_AUTOTEST_CLEAR_CAPA, CAP_DEV_IO, 0, 0);
	EXPECT(k, 0, DENIED, SYSCALL_MAP_DEV, h, 0, 0);
	EXPECT(k, 0, DENIED, SYSCALL_UNMAP_DEV, h, 0, 0);
	EXPECT(k, 0, OK, SYSCALL_AUTOTEST_SET_CAPA, CAP_DEV_IO, 0, 0);
	EXPECT(k, 0, INVALID, SYSCALL_MAP_DEV, h, 0, 0);
	EXPECT(k, 0, OK, SYSCALL_UNMAP_DEV, h, 0, 0);
	EXPECT(k, 0, INVALID, SYSCALL_UNMAP_DEV, h, 0, 0);
	ck_assert_uint_eq(tb.n_windows, 2);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.8 map_shm and unmap_shm                                                                 */

/* 1. SHM_USE is needed, by owners too, before any other check. */
START_TEST(test_map_shm_needs_use)
{
	Kernel *k = boot(CAP_MEM_SHM_OWN | CAP_DEV_IO, 0, 0);
	grant(k, A, S0, A, MAP | WRITE);
	EXPECT(k, A, DENIED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_MAP_SHM, 0, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0); /* not mapped */
	ck_assert_uint_eq(tb.n_windows, 0);
}
END_TEST

/* 2. invalid handle, 3. neither owner nor user: INVALID; 3. comes before 4. */
START_TEST(test_map_shm_lookup)
{
	Kernel *k = boot(ALL, 0, CAP_MEM_SHM_USE);
	EXPECT(k, A, INVALID, SYSCALL_MAP_SHM, shm(k, S0) + 1, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_MAP_SHM, shm(k, S0) ^ 0x100u, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_MAP_SHM, N_SHMS, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_MAP_SHM, shm(k, S_B), 0, 0); /* b's */
	grant(k, A, S0, A, MAP);
	switch_to(k, C);
	EXPECT(k, C, INVALID, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, C, INVALID, SYSCALL_MAP_SHM, shm(k, S_NOMAP), 0, 0);
	EXPECT(k, C, INVALID, SYSCALL_MAP_SHM, shm(k, S_B), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 0);
}
END_TEST

/* 4. not mappable for this accessor: DENIED. At boot even the owner has no MAP; WRITE alone
 * does not map; a no-map SHM never maps, for the owner or a user. */
START_TEST(test_map_shm_not_mappable)
{
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, 0);
	EXPECT(k, A, DENIED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	grant(k, A, S0, A, WRITE | READ | XFER);
	EXPECT(k, A, DENIED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	grant(k, A, S_NOMAP, A, MAP | WRITE);
	EXPECT(k, A, DENIED, SYSCALL_MAP_SHM, shm(k, S_NOMAP), 0, 0);
	grant(k, A, S_NOMAP, B, MAP | WRITE);
	switch_to(k, B);
	EXPECT(k, B, DENIED, SYSCALL_MAP_SHM, shm(k, S_NOMAP), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 0);
}
END_TEST

/* The owner slot is checked first: at boot the user slot also names the owner, with no
 * flag; the owner's own credential decides. */
START_TEST(test_map_shm_owner_slot_first)
{
	Kernel *k = boot(ALL, 0, 0);
	grant(k, A, S0, A, MAP | WRITE);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 1);
	assert_window(0, A, 0x20010000, 0x1000, true, true);
}
END_TEST

/* 7. read-write only with WRITE; READ is implicit; TRANSFER changes nothing. For the owner
 * (its own credential) and for a user. */
static const struct {
	uint32_t perms;
	bool writable;
} rw_rows[] = {
    {MAP, false},
    {MAP | READ, false},
    {MAP | XFER, false},
    {MAP | WRITE, true},
    {MAP | READ | WRITE | XFER, true},
    {ALL, true},
};

START_TEST(test_map_shm_rw)
{
	uint32_t perms = rw_rows[_i].perms;
	bool rw = rw_rows[_i].writable;
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, 0);
	grant(k, A, S0, A, perms);
	grant(k, A, S1, B, perms);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	assert_window(0, A, 0x20010000, 0x1000, rw, true);
	switch_to(k, B);
	EXPECT(k, B, OK, SYSCALL_MAP_SHM, shm(k, S1), 0, 0);
	assert_window(1, B, 0x20011000, 0x1000, rw, true);
	EXPECT(k, B, OK, SYSCALL_UNMAP_SHM, shm(k, S1), 0, 0);
	assert_window(2, B, 0x20011000, 0x1000, rw, false);
	ck_assert_uint_eq(tb.n_windows, 3);
}
END_TEST

/* 5. this accessor already has it mapped: ALREADY_MAPPED (before 6. BUSY); the other
 * accessor maps it on its own. */
START_TEST(test_map_shm_already_mapped)
{
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, 0);
	grant(k, A, S0, A, MAP);
	grant(k, A, S0, B, MAP | WRITE);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, STATUS_ALREADY_MAPPED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	grant(k, A, S1, A, MAP);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S1), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_USART), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_DMA), 0, 0);
	EXPECT(k, A, STATUS_ALREADY_MAPPED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 4);
	switch_to(k, B);
	EXPECT(k, B, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	assert_window(4, B, 0x20010000, 0x1000, true, true);
	EXPECT(k, B, STATUS_ALREADY_MAPPED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 5);
}
END_TEST

/* unmap_shm: 1. invalid handle, 2. neither owner nor user, 3. not mapped by this accessor:
 * INVALID; 4. OK, the window leaves as it was mapped. */
START_TEST(test_unmap_shm)
{
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, CAP_MEM_SHM_USE);
	grant(k, A, S0, A, MAP | WRITE);
	grant(k, A, S0, B, MAP);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_SHM, shm(k, S0) + 1, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_SHM, shm(k, S1), 0, 0);
	switch_to(k, C);
	EXPECT(k, C, INVALID, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0);
	switch_to(k, B);
	EXPECT(k, B, INVALID, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0); /* a's mapping, not b's */
	switch_to(k, A);
	EXPECT(k, A, OK, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 2);
	assert_window(0, A, 0x20010000, 0x1000, true, true);
	assert_window(1, A, 0x20010000, 0x1000, true, false);
}
END_TEST

/* unmap_shm needs no capability: with SHM_OWN and SHM_USE cleared, map_shm (1.),
 * get_shm_handle and shm_get_infos are DENIED but unmap_shm works. */
START_TEST(test_unmap_shm_no_cap)
{
	Kernel *k = boot_autotest();
	uint32_t h = kernel_shm_handle(k, 0);
	EXPECT(k, 0, OK, SYSCALL_SHM_SET_CREDENTIAL, h, th(k, 0), MAP | WRITE);
	EXPECT(k, 0, OK, SYSCALL_MAP_SHM, h, 0, 0);
	EXPECT(k, 0, OK, SYSCALL_AUTOTEST_CLEAR_CAPA, CAP_MEM_SHM_OWN, 0, 0);
	EXPECT(k, 0, OK, SYSCALL_AUTOTEST_CLEAR_CAPA, CAP_MEM_SHM_USE, 0, 0);
	EXPECT(k, 0, DENIED, SYSCALL_MAP_SHM, h, 0, 0); /* not ALREADY_MAPPED */
	EXPECT(k, 0, DENIED, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0);
	EXPECT(k, 0, DENIED, SYSCALL_SHM_GET_INFOS, h, 0, 0);
	EXPECT(k, 0, OK, SYSCALL_UNMAP_SHM, h, 0, 0);
	EXPECT(k, 0, INVALID, SYSCALL_UNMAP_SHM, h, 0, 0);
	ck_assert_uint_eq(tb.n_windows, 2);
	assert_window(1, 0, 0x20010000, 0x1000, true, false);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.24 shm_get_infos (used by the credential tests below)                                   */

static const struct {
	size_t handle, label, base, len, perms, size;
} infos_off[2] = {
    {0, 4, 8, 12, 16, 20}, /* ILP32 */
    {0, 4, 8, 16, 24, 32}, /* LP64 */
};

#define LP64 (sizeof(size_t) == 8)

/* |id| calls shm_get_infos(SHM |s|): OK, and the area holds exactly {handle, label, base,
 * len, perms} in the task's ABI, padding zeroed, and the fill after it. */
static void expect_infos_at(int line, Kernel *k, uint32_t id, int s, uint32_t perms)
{
	size_t n = infos_off[LP64].size;
	ck_assert_uint_eq(sizeof(shm_infos_t), n);
	expect_at(line, k, id, OK, n, SYSCALL_SHM_GET_INFOS, shm(k, s), 0, 0);
	uint8_t want[KERNEL_EXCHANGE_MAX];
	memset(want, KH_FILL, sizeof(want));
	memset(want, 0, n);
	uint32_t h = shm(k, s), label = shms[s].label;
	size_t base = (size_t)shms[s].base, len = (size_t)shms[s].size;
	memcpy(want + infos_off[LP64].handle, &h, 4);
	memcpy(want + infos_off[LP64].label, &label, 4);
	memcpy(want + infos_off[LP64].base, &base, sizeof(base));
	memcpy(want + infos_off[LP64].len, &len, sizeof(len));
	memcpy(want + infos_off[LP64].perms, &perms, 4);
	const uint8_t *x = kernel_exchange(k, id);
	for (size_t i = 0; i < kernel_exchange_len(k); i++)
		ck_assert_msg(x[i] == want[i],
		              "line %d: shm_infos_t byte %zu is 0x%02x, expected 0x%02x", line, i,
		              x[i], want[i]);
}

#define EXPECT_INFOS(k, id, s, perms) expect_infos_at(__LINE__, (k), (id), (s), (perms))

/* ---------------------------------------------------------------------------------------- */
/* 4.9 shm_set_credential                                                                    */

/* 1. no SHM_OWN: DENIED (SHM_USE does not do), before everything else. */
START_TEST(test_cred_needs_own)
{
	Kernel *k = boot(ALL & ~(uint32_t)CAP_MEM_SHM_OWN, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, A), MAP);
	EXPECT(k, A, DENIED, SYSCALL_SHM_SET_CREDENTIAL, 0, 0, MAP);
	EXPECT(k, A, DENIED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0); /* nothing was granted */
}
END_TEST

/* 2. invalid SHM handle, 3. invalid target, 4. neither owner nor user: INVALID; 5. the
 * user: DENIED, but 3. comes first; only the owner sets credentials. */
START_TEST(test_cred_checks)
{
	uint32_t own = CAP_MEM_SHM_OWN | CAP_MEM_SHM_USE;
	Kernel *k = boot(own, own, own);
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0) + 1, th(k, B), MAP);
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0) ^ (1u << 31), th(k, B), MAP);
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, B) + 1, MAP);
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, B) ^ (1u << 31), MAP);
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), 0xFFFFFFFFu, MAP);
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S_B), th(k, A), MAP); /* b's */
	switch_to(k, B);
	EXPECT(k, B, INVALID, SYSCALL_MAP_SHM, shm(k, S0), 0, 0); /* nothing changed */
	switch_to(k, A);
	grant(k, A, S0, B, MAP);
	switch_to(k, B);
	EXPECT(k, B, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, C) + 1, MAP);
	EXPECT(k, B, DENIED, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, C), MAP);
	EXPECT(k, B, DENIED, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, B), MAP | WRITE);
	EXPECT(k, B, DENIED, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, A), MAP);
	EXPECT_INFOS(k, B, S0, MAP); /* still b's credential, unchanged */
	switch_to(k, C);
	EXPECT(k, C, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, C), MAP);
	EXPECT(k, C, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, A), MAP);
	EXPECT(k, C, INVALID, SYSCALL_SHM_GET_INFOS, shm(k, S0), 0, 0);
}
END_TEST

/* 6. BUSY when the owner has the SHM mapped, whatever the target; nothing changes. */
START_TEST(test_cred_busy_owner_mapped)
{
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, 0);
	grant(k, A, S0, A, MAP);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, B), MAP);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, A), MAP | WRITE);
	EXPECT(k, A, STATUS_BUSY, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, A), 0);
	/* 3. comes before 6. */
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, B) + 1, MAP);
	EXPECT_INFOS(k, A, S0, MAP);
	switch_to(k, B);
	EXPECT(k, B, INVALID, SYSCALL_MAP_SHM, shm(k, S0), 0, 0); /* b did not become user */
	switch_to(k, A);
	/* another SHM of the same owner is not busy */
	grant(k, A, S1, B, MAP);
	EXPECT(k, A, OK, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0);
	grant(k, A, S0, B, MAP);
	grant(k, A, S0, A, 0);
}
END_TEST

/* 6. checks the owner's mapping only: the user's mapping does not make it BUSY; the user's
 * credential changes under its mapping, and it still has the SHM mapped. */
START_TEST(test_cred_user_mapped_not_busy)
{
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, 0);
	grant(k, A, S0, B, MAP | WRITE);
	switch_to(k, B);
	EXPECT(k, B, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	switch_to(k, A);
	grant(k, A, S0, B, MAP);
	switch_to(k, B);
	EXPECT_INFOS(k, B, S0, MAP);
	EXPECT(k, B, STATUS_ALREADY_MAPPED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, B, OK, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 2);
	assert_window(0, B, 0x20010000, 0x1000, true, true);
	assert_window(1, B, 0x20010000, 0x1000, true, false); /* as it was mapped */
	EXPECT(k, B, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	assert_window(2, B, 0x20010000, 0x1000, false, true); /* the new credential */
}
END_TEST

/* 7. a new target becomes THE user, replacing the previous one even while it has the SHM
 * mapped: the previous user is no accessor any more (its window is left alone). */
START_TEST(test_cred_user_replaced_while_mapped)
{
	uint32_t both = CAP_MEM_SHM_OWN | CAP_MEM_SHM_USE;
	Kernel *k = boot(ALL, both, both);
	grant(k, A, S0, B, MAP);
	switch_to(k, B);
	EXPECT(k, B, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	switch_to(k, A);
	grant(k, A, S0, C, MAP | WRITE);
	switch_to(k, B);
	EXPECT(k, B, INVALID, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, B, INVALID, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, B, INVALID, SYSCALL_SHM_GET_INFOS, shm(k, S0), 0, 0);
	EXPECT(k, B, INVALID, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0);
	ck_assert_uint_eq(tb.n_windows, 1);
	switch_to(k, C);
	EXPECT_INFOS(k, C, S0, MAP | WRITE);
	EXPECT_W(k, C, OK, 4, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0);
	/* the owner keeps its own slot */
	switch_to(k, A);
	EXPECT_INFOS(k, A, S0, 0);
}
END_TEST

/* 7. the credential: mappable = MAP, rw = WRITE, READ ignored, TRANSFER stored but never
 * reported; other bits ignored. For target == caller (the owner slot) and another task. */
static const uint32_t cred_perms[] = {
    0, MAP, READ, WRITE, XFER, MAP | READ, MAP | WRITE, WRITE | READ | XFER, 0xF, 0xFFFFFFF0u, ALL,
};
#define N_CRED_PERMS (sizeof(cred_perms) / sizeof(cred_perms[0]))

START_TEST(test_cred_perms)
{
	uint32_t perms = cred_perms[_i % N_CRED_PERMS];
	uint32_t target = _i < (int)N_CRED_PERMS ? A : B;
	uint32_t shown = perms & (MAP | WRITE);
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, 0);
	grant(k, A, S0, target, perms);
	switch_to(k, target);
	EXPECT_INFOS(k, target, S0, shown);
	EXPECT(k, target, (perms & MAP) ? OK : DENIED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	if (perms & MAP) {
		ck_assert_uint_eq(tb.n_windows, 1);
		assert_window(0, target, 0x20010000, 0x1000, (perms & WRITE) != 0, true);
	}
	/* a no-map SHM never reports MAP */
	switch_to(k, A);
	grant(k, A, S_NOMAP, target, perms);
	switch_to(k, target);
	EXPECT_INFOS(k, target, S_NOMAP, perms & WRITE);
}
END_TEST

/* 7. target == caller overwrites the owner slot and leaves the user slot alone. */
START_TEST(test_cred_self_overwrites_owner)
{
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, 0);
	grant(k, A, S0, B, MAP | WRITE);
	grant(k, A, S0, A, MAP);
	EXPECT_INFOS(k, A, S0, MAP);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, OK, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0);
	grant(k, A, S0, A, WRITE);
	EXPECT_INFOS(k, A, S0, WRITE);
	EXPECT(k, A, DENIED, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	switch_to(k, B);
	EXPECT_INFOS(k, B, S0, MAP | WRITE);
	EXPECT(k, B, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	assert_window(2, B, 0x20010000, 0x1000, true, true);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.21 get_shm_handle                                                                       */

/* 1. no SHM_OWN: DENIED, for a task that is only a user too; 2. unknown label, 3. neither
 * owner nor user: INVALID; 4. exch[0..3]. */
START_TEST(test_get_shm_handle)
{
	Kernel *k = boot(ALL & ~(uint32_t)CAP_MEM_SHM_OWN, CAP_MEM_SHM_USE, CAP_MEM_SHM_OWN);
	EXPECT(k, A, DENIED, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_GET_SHM_HANDLE, 0x2FF, 0, 0);

	k = boot(ALL, CAP_MEM_SHM_USE, CAP_MEM_SHM_OWN);
	for (int s = 0; s < N_SHMS; s++) {
		if (s == S_B)
			continue;
		EXPECT_W(k, A, OK, 4, SYSCALL_GET_SHM_HANDLE, shms[s].label, 0, 0);
		ck_assert_uint_eq(kh_u32(k, A, 0), shm(k, s));
	}
	EXPECT(k, A, INVALID, SYSCALL_GET_SHM_HANDLE, 0x2FF, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_GET_SHM_HANDLE, 0x10200, 0, 0); /* all 32 bits */
	EXPECT(k, A, INVALID, SYSCALL_GET_SHM_HANDLE, 0x203, 0, 0);   /* b's */
	grant(k, A, S0, B, MAP);
	switch_to(k, B);
	EXPECT(k, B, DENIED, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0); /* a user without OWN */
	EXPECT(k, B, DENIED, SYSCALL_GET_SHM_HANDLE, 0x203, 0, 0); /* an owner without OWN */
	switch_to(k, C);
	EXPECT(k, C, INVALID, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0);

	/* a user holding SHM_OWN gets the handle */
	k = boot(ALL, CAP_MEM_SHM_OWN, 0);
	grant(k, A, S1, B, 0);
	switch_to(k, B);
	EXPECT_W(k, B, OK, 4, SYSCALL_GET_SHM_HANDLE, 0x201, 0, 0);
	ck_assert_uint_eq(kh_u32(k, B, 0), shm(k, S1));
	EXPECT_W(k, B, OK, 4, SYSCALL_GET_SHM_HANDLE, 0x203, 0, 0);
	ck_assert_uint_eq(kh_u32(k, B, 0), shm(k, S_B));
	EXPECT(k, B, INVALID, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.24 shm_get_infos                                                                        */

/* 1. neither SHM_OWN nor SHM_USE: DENIED; either will do. 2. invalid handle, 3. neither
 * owner nor user: INVALID. */
START_TEST(test_infos_checks)
{
	Kernel *k = boot(ALL & ~(uint32_t)(CAP_MEM_SHM_OWN | CAP_MEM_SHM_USE), CAP_MEM_SHM_USE,
	                 CAP_MEM_SHM_OWN);
	EXPECT(k, A, DENIED, SYSCALL_SHM_GET_INFOS, shm(k, S0), 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_SHM_GET_INFOS, 0, 0, 0);
	switch_to(k, B); /* USE only */
	EXPECT_INFOS(k, B, S_B, 0);
	EXPECT(k, B, INVALID, SYSCALL_SHM_GET_INFOS, shm(k, S_B) + 1, 0, 0);
	EXPECT(k, B, INVALID, SYSCALL_SHM_GET_INFOS, shm(k, S_B) ^ (1u << 8), 0, 0);
	EXPECT(k, B, INVALID, SYSCALL_SHM_GET_INFOS, shm(k, S0), 0, 0);
	switch_to(k, C); /* OWN only */
	EXPECT(k, C, INVALID, SYSCALL_SHM_GET_INFOS, shm(k, S0), 0, 0);

	k = boot(CAP_MEM_SHM_OWN, 0, 0);
	for (int s = 0; s < N_SHMS; s++)
		if (s != S_B)
			EXPECT_INFOS(k, A, s, 0);
}
END_TEST

/* 4. the bytes: MAP only when declared mappable and granted, WRITE when granted, never
 * READ nor TRANSFER; each accessor sees its own slot. */
START_TEST(test_infos_perms)
{
	Kernel *k = boot(ALL, CAP_MEM_SHM_USE, 0);
	EXPECT_INFOS(k, A, S0, 0);
	grant(k, A, S0, A, MAP | READ | WRITE | XFER);
	EXPECT_INFOS(k, A, S0, MAP | WRITE);
	grant(k, A, S0, B, MAP | READ | XFER);
	EXPECT_INFOS(k, A, S0, MAP | WRITE);
	grant(k, A, S_NOMAP, A, ALL);
	EXPECT_INFOS(k, A, S_NOMAP, WRITE);
	switch_to(k, B);
	EXPECT_INFOS(k, B, S0, MAP);
	EXPECT_INFOS(k, B, S_B, 0);
	/* mapping changes nothing in the record */
	switch_to(k, A);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT_INFOS(k, A, S0, MAP | WRITE);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.19 GPIO                                                                                 */

static const struct {
	uint32_t nr, val;
	size_t written;
} gpio_ops[] = {
    {SYSCALL_GPIO_GET, 0, 1},    {SYSCALL_GPIO_SET, 1, 0},       {SYSCALL_GPIO_RESET, 0, 0},
    {SYSCALL_GPIO_TOGGLE, 0, 0}, {SYSCALL_GPIO_CONFIGURE, 0, 0},
};

#define GPIO(k, id, st, op, h, io)                                                                 \
	expect_at(__LINE__, (k), (id), (st), gpio_ops[op].written, gpio_ops[op].nr, (h), (io),     \
	          gpio_ops[op].val)

/* Every check of every GPIO call, in order. */
START_TEST(test_gpio_checks)
{
	int op = _i;
	/* 1. unknown handle: INVALID, even without any capability */
	Kernel *k = boot(0, CAP_DEV_IO | CAP_DEV_BUSES, 0);
	GPIO(k, A, INVALID, op, dev(D_LEDS) + 1, 0);
	GPIO(k, A, INVALID, op, dev(D_CONSOLE), 0); /* not in the device list */
	GPIO(k, A, INVALID, op, 0, 0);
	/* 3. the owner without IO or BUSES: DENIED, before the io range */
	GPIO(k, A, DENIED, op, dev(D_LEDS), 0);
	GPIO(k, A, DENIED, op, dev(D_LEDS), 99);
	/* 2. not the owner: DENIED */
	switch_to(k, B);
	GPIO(k, B, DENIED, op, dev(D_LEDS), 0);
	GPIO(k, B, DENIED, op, dev(D_USART), 0);

	/* 4. io >= num_ios: INVALID, on the low 8 bits of the argument */
	k = boot(CAP_DEV_IO, 0, 0);
	GPIO(k, A, INVALID, op, dev(D_LEDS), 3);
	GPIO(k, A, INVALID, op, dev(D_LEDS), 0xFF);
	GPIO(k, A, INVALID, op, dev(D_USART), 1);
	GPIO(k, A, INVALID, op, dev(D_ODD), 0); /* no io at all */
	GPIO(k, A, OK, op, dev(D_LEDS), 2);
	GPIO(k, A, OK, op, dev(D_LEDS), 0x102); /* io 2 */
	GPIO(k, A, OK, op, dev(D_USART), 0);    /* a BUSES device: the task's IO does */
	/* 5. the driver fails: INVALID, after the other checks */
	kernel_set_gpio_failure(k, 1);
	GPIO(k, A, INVALID, op, dev(D_LEDS), 3); /* 4. first: the failure is not used */
	GPIO(k, A, INVALID, op, dev(D_LEDS), 0);
	GPIO(k, A, OK, op, dev(D_LEDS), 0);

	/* BUSES will do as well; the device's own class plays no part */
	k = boot(CAP_DEV_BUSES, CAP_DEV_TIMER, 0);
	GPIO(k, A, OK, op, dev(D_LEDS), 1);
	switch_to(k, B);
	GPIO(k, B, DENIED, op, dev(D_TIM), 0);
	k = boot(0, CAP_DEV_BUSES, 0);
	switch_to(k, B);
	GPIO(k, B, OK, op, dev(D_TIM), 0);
	ck_assert_uint_eq(tb.n_windows, 0); /* no mapping needed */
}
END_TEST

/* gpio_get by |id| of (device, io): OK and exactly exch[0] = the level. */
static void expect_level_at(int line, Kernel *k, uint32_t id, int d, uint32_t io, bool level)
{
	expect_at(line, k, id, OK, 1, SYSCALL_GPIO_GET, dev(d), io, 0);
	ck_assert_msg(kernel_exchange(k, id)[0] == (level ? 1 : 0),
	              "line %d: gpio_get read %u, expected %d", line, kernel_exchange(k, id)[0],
	              level);
}

#define EXPECT_LEVEL(k, id, d, io, level) expect_level_at(__LINE__, (k), (id), (d), (io), (level))

static void assert_pin(Kernel *k, uint8_t port, uint8_t pin, bool level)
{
	bool got = !level;
	ck_assert(kernel_gpio_level(k, port, pin, &got));
	ck_assert_int_eq(got, level);
}

/* set, reset, toggle, configure, and the output read back; io entries naming the same
 * (port, pin) share its level, across devices and owners. */
START_TEST(test_gpio_effects)
{
	Kernel *k = boot(CAP_DEV_IO, CAP_DEV_BUSES, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
	EXPECT(k, A, OK, SYSCALL_GPIO_SET, dev(D_LEDS), 0, 1);
	EXPECT_LEVEL(k, A, D_LEDS, 0, true);
	EXPECT_LEVEL(k, A, D_USART, 0, true); /* same pin, another device */
	assert_pin(k, 0, 5, true);
	EXPECT(k, A, OK, SYSCALL_GPIO_SET, dev(D_LEDS), 0, 0);
	EXPECT_LEVEL(k, A, D_USART, 0, false);
	EXPECT(k, A, OK, SYSCALL_GPIO_SET, dev(D_USART), 0, 0x100); /* non-zero: high */
	EXPECT_LEVEL(k, A, D_LEDS, 0, true);
	EXPECT(k, A, OK, SYSCALL_GPIO_RESET, dev(D_LEDS), 0, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
	EXPECT(k, A, OK, SYSCALL_GPIO_TOGGLE, dev(D_LEDS), 0, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, true);
	EXPECT(k, A, OK, SYSCALL_GPIO_CONFIGURE, dev(D_LEDS), 0, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, true);
	EXPECT(k, A, OK, SYSCALL_GPIO_TOGGLE, dev(D_USART), 0, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
	EXPECT(k, A, OK, SYSCALL_GPIO_RESET, dev(D_LEDS), 0, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
	/* leds io1 and tim2 io0 (b's) are both pin 6 of port 0 */
	EXPECT(k, A, OK, SYSCALL_GPIO_SET, dev(D_LEDS), 1, 1);
	EXPECT_LEVEL(k, A, D_LEDS, 2, false); /* port 1 pin 0 is another pin */
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
	switch_to(k, B);
	EXPECT_LEVEL(k, B, D_TIM, 0, true);
	EXPECT(k, B, OK, SYSCALL_GPIO_TOGGLE, dev(D_TIM), 0, 0);
	switch_to(k, A);
	EXPECT_LEVEL(k, A, D_LEDS, 1, false);
	assert_pin(k, 0, 6, false);
	assert_pin(k, 1, 0, false);
	bool level;
	ck_assert(!kernel_gpio_level(k, 3, 3, &level)); /* no device declares it */
}
END_TEST

/* The host drives an input: reads follow the drive; outputs written meanwhile show again
 * once released; toggle reads the driven level. */
START_TEST(test_gpio_host_drive)
{
	Kernel *k = boot(CAP_DEV_IO, 0, 0);
	kernel_gpio_drive(k, 0, 5, true);
	EXPECT_LEVEL(k, A, D_LEDS, 0, true);
	EXPECT_LEVEL(k, A, D_USART, 0, true);
	assert_pin(k, 0, 5, true);
	EXPECT(k, A, OK, SYSCALL_GPIO_RESET, dev(D_LEDS), 0, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, true);
	kernel_gpio_release(k, 0, 5);
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
	kernel_gpio_drive(k, 0, 5, false);
	EXPECT(k, A, OK, SYSCALL_GPIO_SET, dev(D_LEDS), 0, 1);
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
	assert_pin(k, 0, 5, false);
	kernel_gpio_release(k, 0, 5);
	EXPECT_LEVEL(k, A, D_LEDS, 0, true);
	/* toggle reads the pin: driven high, it drives low, whatever the output was */
	kernel_gpio_drive(k, 0, 5, true);
	EXPECT(k, A, OK, SYSCALL_GPIO_RESET, dev(D_LEDS), 0, 0);
	EXPECT(k, A, OK, SYSCALL_GPIO_TOGGLE, dev(D_LEDS), 0, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, true);
	kernel_gpio_release(k, 0, 5);
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
	/* other pins are not affected; a pin nobody declares is ignored */
	kernel_gpio_drive(k, 1, 0, true);
	EXPECT_LEVEL(k, A, D_LEDS, 1, false);
	EXPECT_LEVEL(k, A, D_LEDS, 2, true);
	kernel_gpio_drive(k, 3, 3, true);
	bool level;
	ck_assert(!kernel_gpio_level(k, 3, 3, &level));
}
END_TEST

/* The injected driver failure: INVALID with nothing written and no effect, once per count;
 * calls refused earlier do not use it up. */
START_TEST(test_gpio_failure)
{
	Kernel *k = boot(CAP_DEV_IO, CAP_DEV_IO, 0);
	EXPECT(k, A, OK, SYSCALL_GPIO_SET, dev(D_LEDS), 0, 1);
	kernel_set_gpio_failure(k, 3);
	EXPECT(k, A, INVALID, SYSCALL_GPIO_GET, dev(D_LEDS), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_GPIO_RESET, dev(D_LEDS), 0, 0);
	switch_to(k, B);
	EXPECT(k, B, DENIED, SYSCALL_GPIO_RESET, dev(D_LEDS), 0, 0);
	EXPECT(k, B, INVALID, SYSCALL_GPIO_RESET, dev(D_TIM), 0, 0);
	switch_to(k, A);
	EXPECT(k, A, INVALID, SYSCALL_GPIO_RESET, dev(D_LEDS), 5, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, true); /* the failed resets changed nothing */
	EXPECT(k, A, OK, SYSCALL_GPIO_RESET, dev(D_LEDS), 0, 0);
	EXPECT_LEVEL(k, A, D_LEDS, 0, false);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.20 IRQ                                                                                  */

static const uint32_t irq_ops[] = {SYSCALL_IRQ_ACKNOWLEDGE, SYSCALL_IRQ_ENABLE,
                                   SYSCALL_IRQ_DISABLE};

/* 1. no CAP_DEV_* bit: DENIED, first; any DEV bit will do. 2. undeclared (or declared only
 * by a device outside the list): INVALID. 3. not the owner of the first device declaring
 * it: DENIED. Only the low 16 bits of the number count. */
START_TEST(test_irq_checks)
{
	uint32_t nr = irq_ops[_i];
	Kernel *k = boot(ALL & ~0xFFFu, 0, 0);
	EXPECT(k, A, DENIED, nr, IRQ_LEDS, 0, 0);
	EXPECT(k, A, DENIED, nr, IRQ_NONE, 0, 0);
	EXPECT(k, A, DENIED, nr, IRQ_USART, 0, 0);

	k = boot(CAP_DEV_NEURAL, CAP_DEV_TIMER, CAP_DEV_IO);
	EXPECT(k, A, OK, nr, IRQ_LEDS, 0, 0); /* an IO device, a NEURAL caller */
	EXPECT(k, A, OK, nr, IRQ_USART, 0, 0);
	EXPECT(k, A, OK, nr, IRQ_USART2, 0, 0);
	EXPECT(k, A, OK, nr, 0x10000u | IRQ_LEDS, 0, 0);
	EXPECT(k, A, INVALID, nr, IRQ_NONE, 0, 0);
	EXPECT(k, A, INVALID, nr, IRQ_CONSOLE, 0, 0);
	EXPECT(k, A, INVALID, nr, 0xFFFF, 0, 0);
	EXPECT(k, A, INVALID, nr, 0x10000u | IRQ_NONE, 0, 0);
	EXPECT(k, A, DENIED, nr, IRQ_TIM, 0, 0);
	switch_to(k, B);
	EXPECT(k, B, OK, nr, IRQ_TIM, 0, 0);
	EXPECT(k, B, DENIED, nr, IRQ_USART, 0, 0); /* tim2 declares it, usart1 first */
	EXPECT(k, B, DENIED, nr, IRQ_LEDS, 0, 0);
	switch_to(k, C);
	EXPECT(k, C, DENIED, nr, IRQ_LEDS, 0, 0);
}
END_TEST

/* wait_for_event(IRQ, WFE_WAIT_NO) by |id|: AGAIN, or OK with the event of |irq| from
 * device |d| (exactly exch[0..11] written). */
static void expect_irq_at(int line, Kernel *k, uint32_t id, int d, uint32_t irq)
{
	if (d < 0) {
		expect_at(line, k, id, STATUS_AGAIN, 0, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ,
		          (uint32_t)WFE_WAIT_NO, 0);
		return;
	}
	expect_at(line, k, id, OK, 12, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IRQ,
	          (uint32_t)WFE_WAIT_NO, 0);
	kh_assert_event(k, id, EVENT_TYPE_IRQ, 4, dev(d));
	ck_assert_msg(kh_u32(k, id, 8) == irq, "line %d: IRQ %u, expected %u", line,
	              kh_u32(k, id, 8), irq);
}

#define EXPECT_IRQ(k, id, d, irq) expect_irq_at(__LINE__, (k), (id), (d), (irq))
#define EXPECT_NO_IRQ(k, id)      expect_irq_at(__LINE__, (k), (id), -1, 0)

/* The line model: masked at boot; delivery masks the line; a pending line fires when
 * enabled; acknowledge clears pending; disable masks. */
START_TEST(test_irq_line_model)
{
	Kernel *k = boot(CAP_DEV_IO, 0, 0);
	ck_assert(kernel_inject_irq(k, IRQ_LEDS));
	EXPECT_NO_IRQ(k, A); /* lines start masked */
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	EXPECT_IRQ(k, A, D_LEDS, IRQ_LEDS); /* the pending line fired on enable */
	EXPECT_NO_IRQ(k, A);
	ck_assert(kernel_inject_irq(k, IRQ_LEDS));
	EXPECT_NO_IRQ(k, A); /* the delivery masked it */
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	EXPECT_IRQ(k, A, D_LEDS, IRQ_LEDS);
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	EXPECT_NO_IRQ(k, A);
	ck_assert(kernel_inject_irq(k, IRQ_LEDS)); /* enabled: delivered at once */
	ck_assert(kernel_inject_irq(k, IRQ_LEDS)); /* one event per enable */
	EXPECT_IRQ(k, A, D_LEDS, IRQ_LEDS);
	EXPECT_NO_IRQ(k, A);
	/* acknowledge clears the pending flag */
	EXPECT(k, A, OK, SYSCALL_IRQ_ACKNOWLEDGE, IRQ_LEDS, 0, 0);
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	EXPECT_NO_IRQ(k, A);
	/* acknowledge does not mask: the line is still enabled */
	EXPECT(k, A, OK, SYSCALL_IRQ_ACKNOWLEDGE, IRQ_LEDS, 0, 0);
	ck_assert(kernel_inject_irq(k, IRQ_LEDS));
	EXPECT_IRQ(k, A, D_LEDS, IRQ_LEDS);
	/* disable masks; the source stays pending until enabled */
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	EXPECT(k, A, OK, SYSCALL_IRQ_DISABLE, IRQ_LEDS, 0, 0);
	ck_assert(kernel_inject_irq(k, IRQ_LEDS));
	EXPECT_NO_IRQ(k, A);
	EXPECT(k, A, OK, SYSCALL_IRQ_DISABLE, IRQ_LEDS, 0, 0);
	EXPECT_NO_IRQ(k, A);
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	EXPECT_IRQ(k, A, D_LEDS, IRQ_LEDS);
	/* the injection of a line nobody in the list declares is refused */
	ck_assert(!kernel_inject_irq(k, IRQ_NONE));
	ck_assert(!kernel_inject_irq(k, IRQ_CONSOLE));
	ck_assert(!kernel_inject_irq(k, 240));
	EXPECT_NO_IRQ(k, A);
	ck_assert_uint_eq(tb.n_reports, tb_reports_matching(KREPORT_INFO, NULL));
}
END_TEST

/* The event goes to the owner of the first declaring device, with that device's handle as
 * source; lines are independent. */
START_TEST(test_irq_owner_and_source)
{
	Kernel *k = boot(CAP_DEV_BUSES, CAP_DEV_TIMER, 0);
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_USART, 0, 0);
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_USART2, 0, 0);
	ck_assert(kernel_inject_irq(k, IRQ_USART2));
	ck_assert(kernel_inject_irq(k, IRQ_USART));
	EXPECT_IRQ(k, A, D_USART, IRQ_USART2); /* FIFO */
	EXPECT_IRQ(k, A, D_USART, IRQ_USART);
	EXPECT_NO_IRQ(k, A);
	switch_to(k, B);
	EXPECT_NO_IRQ(k, B); /* tim2 declares IRQ_USART too, but b is not its owner */
	EXPECT(k, B, OK, SYSCALL_IRQ_ENABLE, IRQ_TIM, 0, 0);
	ck_assert(kernel_inject_irq(k, IRQ_TIM));
	EXPECT_IRQ(k, B, D_TIM, IRQ_TIM);
	ck_assert_uint_eq(kh_u32(k, B, 4), 0x2468A010u);
	switch_to(k, A);
	EXPECT_NO_IRQ(k, A);
}
END_TEST

/* The IRQ ring holds 15 events; the 16th panics the kernel (KERNEL_SHORTER_KBUFFERS_CONFIG). */
START_TEST(test_irq_ring_overflow)
{
	Kernel *k = boot(CAP_DEV_IO, 0, 0);
	KernelTaskView v;
	for (int i = 0; i < 15; i++) {
		EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
		ck_assert(kernel_inject_irq(k, IRQ_LEDS));
	}
	kernel_view_task(k, A, &v);
	ck_assert_uint_eq(v.irq_count, 15);
	EXPECT_IRQ(k, A, D_LEDS, IRQ_LEDS); /* room for one more */
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	ck_assert(kernel_inject_irq(k, IRQ_LEDS));
	ck_assert(!kernel_panicked(k));
	/* the 16th: pending while masked, delivered by the enable */
	ck_assert(kernel_inject_irq(k, IRQ_LEDS));
	kh_trap(k, A, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	tb_assert_panic(k, PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG, "IRQ 10");
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.22 get_dma_stream_handle                                                                */

/* 0. no GPDMA: NO_ENTITY; 1. unknown label: INVALID before 2. no DEV_DMA: DENIED; 3. not
 * the owner: INVALID; 4. exch[0..3]. */
START_TEST(test_get_dma_handle)
{
	KernelConfig cfg;
	board_config(&cfg, ALL, 0, 0);
	cfg.gpdma = false;
	Kernel *k = boot_cfg(&cfg);
	EXPECT(k, A, STATUS_NO_ENTITY, SYSCALL_GET_DMA_STREAM_HANDLE, 0x300, 0, 0);
	EXPECT(k, A, STATUS_NO_ENTITY, SYSCALL_GET_DMA_STREAM_HANDLE, 0x3FF, 0, 0);

	k = boot(ALL & ~(uint32_t)CAP_DEV_DMA, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_GET_DMA_STREAM_HANDLE, 0x3FF, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_GET_DMA_STREAM_HANDLE, 0x300, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_GET_DMA_STREAM_HANDLE, 0x303, 0, 0); /* 2. before 3. */

	k = boot(CAP_DEV_DMA, CAP_DEV_DMA, 0);
	for (int m = 0; m < N_DMAS; m++) {
		if (m == M_D2D)
			continue;
		EXPECT_W(k, A, OK, 4, SYSCALL_GET_DMA_STREAM_HANDLE, dmas[m].label, 0, 0);
		ck_assert_uint_eq(kh_u32(k, A, 0), dma(k, m));
	}
	EXPECT(k, A, INVALID, SYSCALL_GET_DMA_STREAM_HANDLE, 0x303, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_GET_DMA_STREAM_HANDLE, 0x10300, 0, 0);
	switch_to(k, B);
	EXPECT_W(k, B, OK, 4, SYSCALL_GET_DMA_STREAM_HANDLE, 0x303, 0, 0);
	ck_assert_uint_eq(kh_u32(k, B, 0), dma(k, M_D2D));
	EXPECT(k, B, INVALID, SYSCALL_GET_DMA_STREAM_HANDLE, 0x300, 0, 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.23 DMA stream operations                                                                */

enum { OP_ASSIGN, OP_START, OP_SUSPEND, OP_RESUME, OP_UNASSIGN, OP_INFO, N_OPS };
static const uint32_t dma_nr[N_OPS] = {
    [OP_ASSIGN] = SYSCALL_DMA_ASSIGN_STREAM,     [OP_START] = SYSCALL_DMA_START_STREAM,
    [OP_SUSPEND] = SYSCALL_DMA_SUSPEND_STREAM,   [OP_RESUME] = SYSCALL_DMA_RESUME_STREAM,
    [OP_UNASSIGN] = SYSCALL_DMA_UNASSIGN_STREAM, [OP_INFO] = SYSCALL_DMA_GET_STREAM_INFO,
};

static size_t dma_written(int op)
{
	return op == OP_INFO ? sizeof(gpdma_stream_cfg_t) : 0;
}

#define DMA_OP(k, id, st, op, h)                                                                   \
	expect_at(__LINE__, (k), (id), (st), dma_written(op), dma_nr[op], (h), 0, 0)

/* 0. no GPDMA: NO_ENTITY; 1. invalid handle: INVALID; 2. not the owner: DENIED; 3. the
 * owner without DEV_DMA: DENIED, before the state (every op refused in UNSET but assign
 * and get_stream_info). */
START_TEST(test_dma_checks)
{
	int op = _i;
	KernelConfig cfg;
	board_config(&cfg, ALL, ALL, 0);
	cfg.gpdma = false;
	Kernel *k = boot_cfg(&cfg);
	DMA_OP(k, A, STATUS_NO_ENTITY, op, dma(k, M_M2M));
	DMA_OP(k, A, STATUS_NO_ENTITY, op, 0);

	k = boot(ALL & ~(uint32_t)CAP_DEV_DMA, CAP_DEV_DMA, 0);
	uint32_t h = dma(k, M_M2M);
	DMA_OP(k, A, INVALID, op, h + 1);
	DMA_OP(k, A, INVALID, op, h ^ (1u << 20));
	DMA_OP(k, A, INVALID, op, h ^ (1u << 31));
	DMA_OP(k, A, INVALID, op, (h & ~(0xFFu << 21)) | (N_DMAS << 21));
	DMA_OP(k, A, DENIED, op, h);
	DMA_OP(k, A, DENIED, op, dma(k, M_D2D));
	switch_to(k, B);
	DMA_OP(k, B, DENIED, op, h);
	switch_to(k, C);
	DMA_OP(k, C, INVALID, op, h - 1);
	DMA_OP(k, C, DENIED, op, h);
	ck_assert_uint_eq(tb.dma_calls, 0);
}
END_TEST

/* Stream states, named here (the model's own enum is private). */
enum { ST_UNSET, ST_ASSIGNED, ST_STARTED, ST_SUSPENDED, N_STATES };

/* Bring stream |h| of |id| from UNSET to |st| along the reference path. */
static void dma_reach(Kernel *k, uint32_t id, uint32_t h, int st)
{
	if (st >= ST_ASSIGNED)
		DMA_OP(k, id, OK, OP_ASSIGN, h);
	if (st >= ST_STARTED)
		DMA_OP(k, id, OK, OP_START, h);
	if (st == ST_SUSPENDED)
		DMA_OP(k, id, OK, OP_SUSPEND, h);
}

/* Assert the state of stream |h| by the transitions it refuses, then one it accepts (the
 * probe leaves the stream in another state). */
static void dma_assert_state_at(int line, Kernel *k, uint32_t id, uint32_t h, int st)
{
	uint32_t calls = tb.dma_calls;
	switch (st) {
	case ST_UNSET:
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_START], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_SUSPEND], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_RESUME], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_UNASSIGN], h, 0, 0);
		expect_at(line, k, id, OK, 0, dma_nr[OP_ASSIGN], h, 0, 0);
		break;
	case ST_ASSIGNED:
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_ASSIGN], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_SUSPEND], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_RESUME], h, 0, 0);
		expect_at(line, k, id, OK, 0, dma_nr[OP_UNASSIGN], h, 0, 0);
		break;
	case ST_STARTED:
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_ASSIGN], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_START], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_RESUME], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_UNASSIGN], h, 0, 0);
		expect_at(line, k, id, OK, 0, dma_nr[OP_SUSPEND], h, 0, 0);
		break;
	case ST_SUSPENDED:
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_ASSIGN], h, 0, 0);
		expect_at(line, k, id, INVALID, 0, dma_nr[OP_SUSPEND], h, 0, 0);
		expect_at(line, k, id, OK, 0, dma_nr[OP_RESUME], h, 0, 0);
		break;
	}
	ck_assert_msg(tb.dma_calls == calls, "line %d: a refused start reached the driver", line);
}

#define DMA_STATE(k, id, h, st) dma_assert_state_at(__LINE__, (k), (id), (h), (st))

/* Every (state, call) pair on the reference path: allowed ones move the stream, refused
 * ones are INVALID and leave it where it was. */
static const struct {
	uint32_t status;
	int to;
} dma_table[N_STATES][N_OPS] = {
    [ST_UNSET] = {{OK, ST_ASSIGNED},
                  {INVALID, ST_UNSET},
                  {INVALID, ST_UNSET},
                  {INVALID, ST_UNSET},
                  {INVALID, ST_UNSET},
                  {OK, ST_UNSET}},
    [ST_ASSIGNED] = {{INVALID, ST_ASSIGNED},
                     {OK, ST_STARTED},
                     {INVALID, ST_ASSIGNED},
                     {INVALID, ST_ASSIGNED},
                     {OK, ST_UNSET},
                     {OK, ST_ASSIGNED}},
    [ST_STARTED] = {{INVALID, ST_STARTED},
                    {INVALID, ST_STARTED},
                    {OK, ST_SUSPENDED},
                    {INVALID, ST_STARTED},
                    {INVALID, ST_STARTED},
                    {OK, ST_STARTED}},
    [ST_SUSPENDED] = {{INVALID, ST_SUSPENDED},
                      {OK, ST_STARTED},
                      {INVALID, ST_SUSPENDED},
                      {OK, ST_STARTED},
                      {OK, ST_UNSET},
                      {OK, ST_SUSPENDED}},
};

START_TEST(test_dma_transitions)
{
	int st = _i / N_OPS, op = _i % N_OPS;
	Kernel *k = boot(CAP_DEV_DMA, 0, 0);
	uint32_t h = dma(k, M_M2M);
	dma_reach(k, A, h, st);
	uint32_t calls = tb.dma_calls;
	DMA_OP(k, A, dma_table[st][op].status, op, h);
	bool started = op == OP_START && dma_table[st][op].status == OK;
	ck_assert_uint_eq(tb.dma_calls, calls + (started ? 1 : 0));
	DMA_STATE(k, A, h, dma_table[st][op].to);
	/* the other streams did not move */
	DMA_STATE(k, A, dma(k, M_D2M), ST_UNSET);
}
END_TEST

/* wait_for_event(DMA, WFE_WAIT_NO) by |id|: AGAIN, or OK with the event of stream |h|
 * carrying GPDMA_STATE_IDLE (exactly exch[0..8] written). */
static void expect_dma_event_at(int line, Kernel *k, uint32_t id, uint32_t h, bool some)
{
	if (!some) {
		expect_at(line, k, id, STATUS_AGAIN, 0, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_ALL,
		          (uint32_t)WFE_WAIT_NO, 0);
		return;
	}
	expect_at(line, k, id, OK, 9, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_DMA, (uint32_t)WFE_WAIT_NO,
	          0);
	kh_assert_event(k, id, EVENT_TYPE_DMA, 1, h);
	ck_assert_uint_eq(kernel_exchange(k, id)[8], GPDMA_STATE_IDLE);
}

#define EXPECT_DMA_EVENT(k, id, h) expect_dma_event_at(__LINE__, (k), (id), (h), true)
#define EXPECT_NO_EVENT(k, id)     expect_dma_event_at(__LINE__, (k), (id), 0, false)

/* start moves the bytes (dma_transfer hook) and the completion event is queued before the
 * call returns, with the value IDLE; on the reference path the stream stays STARTED. */
START_TEST(test_dma_start_completion)
{
	Kernel *k = boot(CAP_DEV_DMA, 0, 0);
	uint32_t h = dma(k, M_D2M);
	DMA_OP(k, A, OK, OP_ASSIGN, h);
	EXPECT_NO_EVENT(k, A);
	ck_assert_uint_eq(tb.dma_calls, 0);
	DMA_OP(k, A, OK, OP_START, h);
	ck_assert_uint_eq(tb.dma_calls, 1);
	ck_assert_uint_eq(tb.dma_label, 0x301);
	KernelTaskView v;
	kernel_view_task(k, A, &v);
	ck_assert_uint_eq(v.dma_count, 1);
	EXPECT_DMA_EVENT(k, A, h);
	EXPECT_NO_EVENT(k, A);
	DMA_STATE(k, A, h, ST_STARTED); /* ends SUSPENDED */
	/* start again from SUSPENDED: another transfer, another event */
	DMA_OP(k, A, OK, OP_START, h);
	ck_assert_uint_eq(tb.dma_calls, 2);
	EXPECT_DMA_EVENT(k, A, h);
	DMA_STATE(k, A, h, ST_STARTED);
	/* without a dma_transfer hook, start still completes */
	KernelConfig cfg;
	board_config(&cfg, CAP_DEV_DMA, 0, 0);
	k = tb_boot(&cfg, false);
	kh_go(k, A);
	h = dma(k, M_M2M);
	DMA_OP(k, A, OK, OP_ASSIGN, h);
	DMA_OP(k, A, OK, OP_START, h);
	EXPECT_DMA_EVENT(k, A, h);
	DMA_STATE(k, A, h, ST_STARTED);
}
END_TEST

/* A stream a device paces (dma_paced hook): the start enables it (dma_transfer) but does not
 * complete; kernel_dma_complete() does, once, for a STARTED stream only. */
START_TEST(test_dma_paced)
{
	Kernel *k = boot(CAP_DEV_DMA, 0, 0);
	uint32_t h = dma(k, M_D2M);
	tb.dma_paced = true;
	ck_assert(!kernel_dma_complete(k, M_D2M)); /* not started */
	DMA_OP(k, A, OK, OP_ASSIGN, h);
	DMA_OP(k, A, OK, OP_START, h);
	ck_assert_uint_eq(tb.dma_calls, 1);
	EXPECT_NO_EVENT(k, A);
	ck_assert(kernel_dma_complete(k, M_D2M));
	EXPECT_DMA_EVENT(k, A, h);
	EXPECT_NO_EVENT(k, A);
	DMA_STATE(k, A, h, ST_STARTED); /* the reference path; ends SUSPENDED */
	ck_assert(!kernel_dma_complete(k, M_D2M));
	ck_assert(!kernel_dma_complete(k, N_DMAS));
	/* a paced start the driver fails is not started either way */
	tb.dma_fail = true;
	uint32_t h2 = dma(k, M_M2D);
	DMA_OP(k, A, OK, OP_ASSIGN, h2);
	DMA_OP(k, A, INVALID, OP_START, h2);
	EXPECT_NO_EVENT(k, A);
}
END_TEST

/* The intended path (cfg.dma_intended_path): the completion returns the stream to ASSIGNED;
 * the event still carries IDLE. */
START_TEST(test_dma_intended_path)
{
	KernelConfig cfg;
	board_config(&cfg, CAP_DEV_DMA, 0, 0);
	cfg.dma_intended_path = true;
	Kernel *k = boot_cfg(&cfg);
	uint32_t h = dma(k, M_M2M);
	DMA_OP(k, A, OK, OP_ASSIGN, h);
	DMA_OP(k, A, OK, OP_START, h);
	EXPECT_DMA_EVENT(k, A, h);
	DMA_STATE(k, A, h, ST_ASSIGNED); /* ends UNSET */
	dma_reach(k, A, h, ST_ASSIGNED);
	DMA_OP(k, A, OK, OP_START, h);
	DMA_OP(k, A, OK, OP_START, h); /* ASSIGNED again */
	EXPECT_DMA_EVENT(k, A, h);
	EXPECT_DMA_EVENT(k, A, h);
	EXPECT_NO_EVENT(k, A);
	ck_assert_uint_eq(tb.dma_calls, 3);
	/* from SUSPENDED (reached through a failed start, which leaves it STARTED) */
	tb.dma_fail = true;
	DMA_OP(k, A, INVALID, OP_START, h);
	tb.dma_fail = false;
	DMA_OP(k, A, OK, OP_SUSPEND, h);
	DMA_OP(k, A, OK, OP_START, h);
	EXPECT_DMA_EVENT(k, A, h);
	EXPECT_NO_EVENT(k, A);
	DMA_STATE(k, A, h, ST_ASSIGNED);
}
END_TEST

/* start: the state becomes STARTED even when the transfer fails, and the result is INVALID
 * with nothing written and no event; on both completion paths. */
START_TEST(test_dma_start_transfer_fails)
{
	KernelConfig cfg;
	board_config(&cfg, CAP_DEV_DMA, 0, 0);
	cfg.dma_intended_path = _i != 0;
	Kernel *k = boot_cfg(&cfg);
	uint32_t h = dma(k, M_M2D);
	tb.dma_fail = true;
	DMA_OP(k, A, OK, OP_ASSIGN, h);
	DMA_OP(k, A, INVALID, OP_START, h);
	ck_assert_uint_eq(tb.dma_calls, 1);
	ck_assert_uint_eq(tb.dma_label, 0x302);
	EXPECT_NO_EVENT(k, A);
	DMA_STATE(k, A, h, ST_STARTED); /* ends SUSPENDED */
	DMA_OP(k, A, INVALID, OP_START, h);
	ck_assert_uint_eq(tb.dma_calls, 2); /* the probe's refused start did not count */
	EXPECT_NO_EVENT(k, A);
	DMA_STATE(k, A, h, ST_STARTED);
}
END_TEST

/* The DMA ring holds 15 events; the 16th panics the kernel during the start. */
START_TEST(test_dma_ring_overflow)
{
	Kernel *k = boot(CAP_DEV_DMA, 0, 0);
	uint32_t h = dma(k, M_M2M);
	DMA_OP(k, A, OK, OP_ASSIGN, h);
	DMA_OP(k, A, OK, OP_START, h);
	for (int i = 1; i < 15; i++) {
		DMA_OP(k, A, OK, OP_SUSPEND, h);
		DMA_OP(k, A, OK, OP_START, h);
	}
	KernelTaskView v;
	kernel_view_task(k, A, &v);
	ck_assert_uint_eq(v.dma_count, 15);
	DMA_OP(k, A, OK, OP_SUSPEND, h);
	kh_trap(k, A, SYSCALL_DMA_START_STREAM, h, 0, 0);
	tb_assert_panic(k, PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG, "'m2m'");
}
END_TEST

static const struct {
	size_t channel, stream, controller, transfer_type, source, dest, transfer_len, circ_src,
	    circ_dst, interrupts, is_triggered, trigger, priority, transfer_mode, src_beat,
	    dst_beat, size;
} cfg_off[2] = {
    {0, 2, 4, 6, 8, 12, 16, 20, 21, 22, 23, 24, 25, 26, 27, 28, 32}, /* ILP32 */
    {0, 2, 4, 6, 8, 16, 24, 32, 33, 34, 35, 36, 37, 38, 39, 40, 48}, /* LP64 */
};

static const struct {
	uint16_t transfer_type;
	size_t source, dest;
} stream_ends[N_DMAS] = {
    [M_M2M] = {GPDMA_TRANSFER_MEMORY_TO_MEMORY, 0x20010000, 0x20011000},
    [M_D2M] = {GPDMA_TRANSFER_DEVICE_TO_MEMORY, 0, 0x20011000},
    [M_M2D] = {GPDMA_TRANSFER_MEMORY_TO_DEVICE, 0x20010000, 0},
    [M_D2D] = {GPDMA_TRANSFER_DEVICE_TO_DEVICE, 0, 0},
};

/* get_stream_info by |id| of stream |m|: the exact gpdma_stream_cfg_t bytes of the task's
 * ABI, padding zeroed, the fill after it. */
static void expect_stream_info_at(int line, Kernel *k, uint32_t id, int m)
{
	const BoardDma *d = &dmas[m];
	size_t n = cfg_off[LP64].size;
	ck_assert_uint_eq(sizeof(gpdma_stream_cfg_t), n);
	expect_at(line, k, id, OK, n, SYSCALL_DMA_GET_STREAM_INFO, dma(k, m), 0, 0);
	uint8_t want[KERNEL_EXCHANGE_MAX];
	memset(want, KH_FILL, sizeof(want));
	memset(want, 0, n);
	uint16_t u16[4] = {d->channel, d->stream, d->controller, stream_ends[m].transfer_type};
	size_t len = d->length;
	memcpy(want + cfg_off[LP64].channel, &u16[0], 2);
	memcpy(want + cfg_off[LP64].stream, &u16[1], 2);
	memcpy(want + cfg_off[LP64].controller, &u16[2], 2);
	memcpy(want + cfg_off[LP64].transfer_type, &u16[3], 2);
	memcpy(want + cfg_off[LP64].source, &stream_ends[m].source, sizeof(size_t));
	memcpy(want + cfg_off[LP64].dest, &stream_ends[m].dest, sizeof(size_t));
	memcpy(want + cfg_off[LP64].transfer_len, &len, sizeof(size_t));
	want[cfg_off[LP64].circ_src] = d->circular_source;
	want[cfg_off[LP64].circ_dst] = d->circular_dest;
	want[cfg_off[LP64].interrupts] = GPDMA_INT_TC | GPDMA_INT_ERROR; /* fixed: 5 */
	want[cfg_off[LP64].is_triggered] = 0;
	want[cfg_off[LP64].trigger] = 0;
	want[cfg_off[LP64].priority] = d->priority;
	want[cfg_off[LP64].transfer_mode] = 0;
	want[cfg_off[LP64].src_beat] = 0;
	want[cfg_off[LP64].dst_beat] = 0;
	const uint8_t *x = kernel_exchange(k, id);
	for (size_t i = 0; i < kernel_exchange_len(k); i++)
		ck_assert_msg(x[i] == want[i],
		              "line %d: stream '%s': gpdma_stream_cfg_t byte %zu is 0x%02x, "
		              "expected 0x%02x",
		              line, d->name, i, x[i], want[i]);
}

/* get_stream_info, in any state: the stream's static configuration, with transfer_type
 * from its two ends (SHM base or 0 for a device) and the fixed fields. */
START_TEST(test_dma_stream_info)
{
	int m = _i;
	uint32_t owner = dmas[m].owner == LABEL_A ? A : B;
	Kernel *k = boot(CAP_DEV_DMA, CAP_DEV_DMA, 0);
	switch_to(k, owner);
	uint32_t h = dma(k, m);
	for (int st = ST_UNSET; st <= ST_SUSPENDED; st++) {
		expect_stream_info_at(__LINE__, k, owner, m);
		if (st == ST_UNSET)
			DMA_OP(k, owner, OK, OP_ASSIGN, h);
		else if (st == ST_ASSIGNED)
			DMA_OP(k, owner, OK, OP_START, h);
		else if (st == ST_STARTED)
			DMA_OP(k, owner, OK, OP_SUSPEND, h);
	}
	expect_stream_info_at(__LINE__, k, owner, m);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 4.13 pm_manage and 4.14 pm_set_clock                                                      */

static void assert_pm(Kernel *k, uint32_t count, uint32_t cmd, uint32_t reg, uint32_t mask,
                      uint32_t val)
{
	uint32_t c, l, r, m, v;
	kernel_pm_requests(k, &c, &l, &r, &m, &v);
	ck_assert_uint_eq(c, count);
	ck_assert_uint_eq(l, cmd);
	ck_assert_uint_eq(r, reg);
	ck_assert_uint_eq(m, mask);
	ck_assert_uint_eq(v, val);
}

/* pm_manage: 1. no SYS_POWER: DENIED; 2. cmd > 3: INVALID; 3. WFI or WFE outside idle:
 * DENIED; 4. OK, recorded. Refused requests are not recorded. */
START_TEST(test_pm_manage)
{
	Kernel *k = boot(ALL & ~(uint32_t)CAP_SYS_POWER, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_PM_MANAGE, CPU_SLEEP_ALLOW_SLEEP, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_PM_MANAGE, 9, 0, 0);
	assert_pm(k, 0, 0, 0, 0, 0);

	k = boot(CAP_SYS_POWER, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_PM_MANAGE, 4, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_PM_MANAGE, ALL, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_PM_MANAGE, CPU_SLEEP_WAIT_FOR_INTERRUPT, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_PM_MANAGE, CPU_SLEEP_WAIT_FOR_EVENT, 0, 0);
	assert_pm(k, 0, 0, 0, 0, 0);
	EXPECT(k, A, OK, SYSCALL_PM_MANAGE, CPU_SLEEP_FORBID_SLEEP, 0, 0);
	assert_pm(k, 1, CPU_SLEEP_FORBID_SLEEP, 0, 0, 0);
	EXPECT(k, A, OK, SYSCALL_PM_MANAGE, CPU_SLEEP_ALLOW_SLEEP, 7, 7);
	assert_pm(k, 2, CPU_SLEEP_ALLOW_SLEEP, 0, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_PM_MANAGE, CPU_SLEEP_WAIT_FOR_INTERRUPT, 0, 0);
	assert_pm(k, 2, CPU_SLEEP_ALLOW_SLEEP, 0, 0, 0);
}
END_TEST

/* pm_set_clock: 1. no SYS_POWER: DENIED; 2. reg not a multiple of 4: INVALID; 3. OK,
 * recorded (one count shared with pm_manage). */
START_TEST(test_pm_set_clock)
{
	Kernel *k = boot(ALL & ~(uint32_t)CAP_SYS_POWER, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_PM_SET_CLOCK, 0x40023830, 0xFF, 0x12);
	EXPECT(k, A, DENIED, SYSCALL_PM_SET_CLOCK, 2, 0, 0);
	assert_pm(k, 0, 0, 0, 0, 0);

	k = boot(CAP_SYS_POWER, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_PM_SET_CLOCK, 2, 0xFF, 0x12);
	EXPECT(k, A, INVALID, SYSCALL_PM_SET_CLOCK, 0x40023833, 0xFF, 0x12);
	assert_pm(k, 0, 0, 0, 0, 0);
	EXPECT(k, A, OK, SYSCALL_PM_SET_CLOCK, 0x40023830, 0xFF00, 0x1200);
	assert_pm(k, 1, 0, 0x40023830, 0xFF00, 0x1200);
	EXPECT(k, A, OK, SYSCALL_PM_SET_CLOCK, 0, ALL, 0);
	assert_pm(k, 2, 0, 0, ALL, 0);
	EXPECT(k, A, OK, SYSCALL_PM_MANAGE, CPU_SLEEP_ALLOW_SLEEP, 0, 0);
	assert_pm(k, 3, CPU_SLEEP_ALLOW_SLEEP, 0, ALL, 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 7.6 respawn: owners stay cached as boot-time handles                                      */

/* The respawned owner gets INVALID from the handle lookups and DENIED or INVALID from every
 * call that checks ownership; its old handle is no valid credential target. */
START_TEST(test_respawn_owner_caching)
{
	KernelTaskConfig t[3];
	tasks3(t, ALL, ALL, 0);
	t[0].exit_mode = EXIT_MODE_RESTART;
	KernelConfig cfg;
	kh_config(&cfg, t, 3);
	cfg.board = &board;
	Kernel *k = boot_cfg(&cfg);
	uint32_t old = th(k, A);
	EXPECT_W(k, A, OK, 4, SYSCALL_GET_DEVICE_HANDLE, 0x42, 0, 0);
	EXPECT_W(k, A, OK, 4, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0);
	EXPECT_W(k, A, OK, 4, SYSCALL_GET_DMA_STREAM_HANDLE, 0x300, 0, 0);
	grant(k, A, S0, A, MAP);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, OK, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	EXPECT(k, A, OK, SYSCALL_DMA_ASSIGN_STREAM, dma(k, M_M2M), 0, 0);
	kh_trap(k, A, SYSCALL_EXIT, 0, 0, 0);
	ck_assert(kernel_task_has_respawned(k, A));
	ck_assert_uint_ne(th(k, A), old);
	switch_to(k, A);
	EXPECT(k, A, OK, SYSCALL_HAS_RESPAWNED, 0, 0, 0);
	/* handle lookups: INVALID */
	EXPECT(k, A, INVALID, SYSCALL_GET_DEVICE_HANDLE, 0x42, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_GET_SHM_HANDLE, 0x200, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_GET_DMA_STREAM_HANDLE, 0x300, 0, 0);
	/* devices: the owner check fails first (DENIED), before the mapped flag */
	EXPECT(k, A, DENIED, SYSCALL_MAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_UNMAP_DEV, dev(D_LEDS), 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_MAP_DEV, dev(D_USART), 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_GPIO_GET, dev(D_LEDS), 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_IRQ_ENABLE, IRQ_LEDS, 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_IRQ_ACKNOWLEDGE, IRQ_LEDS, 0, 0);
	/* SHMs: neither owner nor user (INVALID) */
	EXPECT(k, A, INVALID, SYSCALL_MAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_SHM, shm(k, S0), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_SHM_GET_INFOS, shm(k, S0), 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S0), th(k, A), MAP);
	/* DMA streams: not the owner (DENIED) */
	EXPECT(k, A, DENIED, SYSCALL_DMA_UNASSIGN_STREAM, dma(k, M_M2M), 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_DMA_ASSIGN_STREAM, dma(k, M_D2M), 0, 0);
	EXPECT(k, A, DENIED, SYSCALL_DMA_GET_STREAM_INFO, dma(k, M_M2M), 0, 0);
	/* a peer: the old handle is no credential target any more, the new one is */
	switch_to(k, B);
	EXPECT(k, B, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S_B), old, MAP);
	EXPECT(k, B, OK, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S_B), th(k, A), MAP);
	switch_to(k, A);
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, shm(k, S_B), 0, 0);
	ck_assert(!kernel_panicked(k));
}
END_TEST

/* A board whose second four SHMs sit exactly where the first four are. */
static const BoardShm alias_shms[8] = {
    {.name = "p0", .label = 0x400, .owner = LABEL_A, .base = 0x20010000, .size = 0x1000},
    {.name = "p1", .label = 0x401, .owner = LABEL_A, .base = 0x20011000, .size = 0x1000},
    {.name = "p2", .label = 0x402, .owner = LABEL_A, .base = 0x20012000, .size = 0x1000},
    {.name = "p3", .label = 0x403, .owner = LABEL_A, .base = 0x20013000, .size = 0x1000},
    {.name = "q0", .label = 0x410, .owner = LABEL_A, .base = 0x20010000, .size = 0x1000},
    {.name = "q1", .label = 0x411, .owner = LABEL_A, .base = 0x20011000, .size = 0x1000},
    {.name = "q2", .label = 0x412, .owner = LABEL_A, .base = 0x20012000, .size = 0x1000},
    {.name = "q3", .label = 0x413, .owner = LABEL_A, .base = 0x20013000, .size = 0x1000},
};
static const Board alias_board = {.n_shms = 8, .shms = alias_shms};

/* The respawned job's layout holds text and data only: the windows of the old job no
 * longer take slots nor overlap. */
START_TEST(test_respawn_windows_leave_layout)
{
	KernelTaskConfig t[3];
	tasks3(t, CAP_MEM_SHM_OWN, CAP_MEM_SHM_USE, 0);
	t[1].exit_mode = EXIT_MODE_RESTART;
	KernelConfig cfg;
	kh_config(&cfg, t, 3);
	cfg.board = &alias_board;
	Kernel *k = boot_cfg(&cfg);
	for (uint32_t s = 0; s < 5; s++)
		EXPECT(k, A, OK, SYSCALL_SHM_SET_CREDENTIAL, kernel_shm_handle(k, s), th(k, B),
		       MAP);
	switch_to(k, B);
	for (uint32_t s = 0; s < 4; s++)
		EXPECT(k, B, OK, SYSCALL_MAP_SHM, kernel_shm_handle(k, s), 0, 0);
	EXPECT(k, B, STATUS_BUSY, SYSCALL_MAP_SHM, kernel_shm_handle(k, 4), 0, 0);
	ck_assert_uint_eq(tb.n_windows, 4);
	kh_trap(k, B, SYSCALL_EXIT, 0, 0, 0);
	ck_assert(kernel_task_has_respawned(k, B));
	switch_to(k, A);
	for (uint32_t s = 4; s < 8; s++)
		EXPECT(k, A, OK, SYSCALL_SHM_SET_CREDENTIAL, kernel_shm_handle(k, s), th(k, B),
		       MAP);
	switch_to(k, B);
	for (uint32_t s = 4; s < 8; s++) {
		EXPECT(k, B, OK, SYSCALL_MAP_SHM, kernel_shm_handle(k, s), 0, 0);
		assert_window(s, B, alias_shms[s].base, 0x1000, false, true);
	}
	ck_assert_uint_eq(tb.n_windows, 8);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* 3.1 handle encodings, 3.2 determinism, 3.3 validation on all 32 bits                      */

START_TEST(test_handle_encodings)
{
	Kernel *k = boot(ALL, 0, 0);
	/* devices: (cap & 0xFFF) | (label & 0xFFFF) << 13 | 1 << 29 */
	for (int d = 0; d < N_DEVICES; d++) {
		if (devices[d].owner != LABEL_A || !devices[d].has_owner)
			continue;
		EXPECT_W(k, A, OK, 4, SYSCALL_GET_DEVICE_HANDLE, devices[d].label, 0, 0);
		ck_assert_uint_eq(kh_u32(k, A, 0), dev(d));
	}
	/* SHMs: id (the table index) in bits 0-7, random bits 8-31 */
	for (int s = 0; s < N_SHMS; s++) {
		uint32_t h = shm(k, s);
		ck_assert_uint_eq(h & 0xFFu, (uint32_t)s);
		ck_assert_uint_ne(h >> 8, 0);
	}
	/* DMA: random bits 0-20, streamid (the index) 21-28, family 2 in 29-31 */
	for (int m = 0; m < N_DMAS; m++) {
		uint32_t h = dma(k, m);
		ck_assert_uint_eq((h >> 21) & 0xFFu, (uint32_t)m);
		ck_assert_uint_eq(h >> 29, 2);
		ck_assert_uint_ne(h & 0x1FFFFFu, 0);
	}
	/* tasks: id in bits 20-27, family 0 */
	for (uint32_t id = A; id <= C; id++) {
		ck_assert_uint_eq((th(k, id) >> 20) & 0xFFu, id);
		ck_assert_uint_eq(th(k, id) >> 28, 0);
	}
}
END_TEST

/* Device handles have no random part; SHM and DMA handles are drawn from the seed. */
START_TEST(test_handle_determinism)
{
	uint32_t shm1[N_SHMS], dma1[N_DMAS];
	KernelConfig cfg;
	board_config(&cfg, ALL, 0, 0);
	Kernel *k = boot_cfg(&cfg);
	for (int s = 0; s < N_SHMS; s++)
		shm1[s] = shm(k, s);
	for (int m = 0; m < N_DMAS; m++)
		dma1[m] = dma(k, m);
	k = boot_cfg(&cfg); /* same seed: same handles */
	for (int s = 0; s < N_SHMS; s++)
		ck_assert_uint_eq(shm(k, s), shm1[s]);
	for (int m = 0; m < N_DMAS; m++)
		ck_assert_uint_eq(dma(k, m), dma1[m]);
	cfg.seed = 2;
	k = boot_cfg(&cfg);
	EXPECT_W(k, A, OK, 4, SYSCALL_GET_DEVICE_HANDLE, 0x42, 0, 0);
	ck_assert_uint_eq(kh_u32(k, A, 0), 0x20084002u);
	for (int s = 0; s < N_SHMS; s++) {
		ck_assert_uint_ne(shm(k, s), shm1[s]);
		ck_assert_uint_eq(shm(k, s) & 0xFFu, shm1[s] & 0xFFu);
	}
	for (int m = 0; m < N_DMAS; m++) {
		ck_assert_uint_ne(dma(k, m), dma1[m]);
		ck_assert_uint_eq(dma(k, m) >> 21, dma1[m] >> 21);
	}
}
END_TEST

/* Lookups compare all 32 bits: handle + 1, or any flipped bit, is INVALID. */
START_TEST(test_handle_full_32_bits)
{
	Kernel *k = boot(ALL, 0, 0);
	grant(k, A, S0, A, MAP);
	/* device */
	uint32_t h = dev(D_LEDS);
	static const uint32_t dev_flips[] = {1u, 1u << 12, 1u << 28, 1u << 30, 1u << 31};
	EXPECT(k, A, INVALID, SYSCALL_MAP_DEV, h + 1, 0, 0);
	for (size_t i = 0; i < sizeof(dev_flips) / sizeof(dev_flips[0]); i++) {
		EXPECT(k, A, INVALID, SYSCALL_MAP_DEV, h ^ dev_flips[i], 0, 0);
		EXPECT(k, A, INVALID, SYSCALL_GPIO_GET, h ^ dev_flips[i], 0, 0);
	}
	EXPECT(k, A, OK, SYSCALL_MAP_DEV, h, 0, 0);
	/* SHM */
	h = shm(k, S0);
	static const uint32_t shm_flips[] = {1u, 1u << 8, 1u << 20, 1u << 31};
	EXPECT(k, A, INVALID, SYSCALL_SHM_GET_INFOS, h + 1, 0, 0);
	for (size_t i = 0; i < sizeof(shm_flips) / sizeof(shm_flips[0]); i++) {
		EXPECT(k, A, INVALID, SYSCALL_SHM_GET_INFOS, h ^ shm_flips[i], 0, 0);
		EXPECT(k, A, INVALID, SYSCALL_MAP_SHM, h ^ shm_flips[i], 0, 0);
		EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, h ^ shm_flips[i], th(k, A), MAP);
	}
	EXPECT(k, A, OK, SYSCALL_MAP_SHM, h, 0, 0);
	EXPECT(k, A, INVALID, SYSCALL_UNMAP_SHM, h + 1, 0, 0);
	EXPECT(k, A, OK, SYSCALL_UNMAP_SHM, h, 0, 0);
	/* DMA stream */
	h = dma(k, M_M2M);
	static const uint32_t dma_flips[] = {1u, 1u << 20, 1u << 21, 1u << 29, 1u << 31};
	EXPECT(k, A, INVALID, SYSCALL_DMA_ASSIGN_STREAM, h + 1, 0, 0);
	for (size_t i = 0; i < sizeof(dma_flips) / sizeof(dma_flips[0]); i++)
		EXPECT(k, A, INVALID, SYSCALL_DMA_ASSIGN_STREAM, h ^ dma_flips[i], 0, 0);
	EXPECT(k, A, OK, SYSCALL_DMA_ASSIGN_STREAM, h, 0, 0);
	/* task handle as a credential target */
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S1), th(k, B) + 1, MAP);
	EXPECT(k, A, INVALID, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S1), th(k, B) ^ (1u << 28), MAP);
	EXPECT(k, A, OK, SYSCALL_SHM_SET_CREDENTIAL, shm(k, S1), th(k, B), MAP);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */

static Suite *kernel_board_suite(void)
{
	Suite *s = suite_create("kernel_board");
	TCase *tc;

	tc = tb_tcase("get_device_handle");
	tcase_add_test(tc, test_get_device_handle);
	suite_add_tcase(s, tc);

	tc = tb_tcase("map_dev");
	tcase_add_loop_test(tc, test_map_dev_bad_handle, 0, 2);
	tcase_add_loop_test(tc, test_map_dev_not_owner, 0, 2);
	tcase_add_loop_test(tc, test_map_dev_class0_panics, 0, 2);
	tcase_add_test(tc, test_map_dev_missing_cap);
	tcase_add_test(tc, test_map_dev_window);
	tcase_add_test(tc, test_map_dev_mapped_before_busy);
	tcase_add_test(tc, test_map_busy_slots);
	tcase_add_test(tc, test_map_busy_overlap);
	tcase_add_test(tc, test_map_dev_no_window);
	tcase_add_test(tc, test_map_dev_cap_before_mapped);
	suite_add_tcase(s, tc);

	tc = tb_tcase("map_shm");
	tcase_add_test(tc, test_map_shm_needs_use);
	tcase_add_test(tc, test_map_shm_lookup);
	tcase_add_test(tc, test_map_shm_not_mappable);
	tcase_add_test(tc, test_map_shm_owner_slot_first);
	tcase_add_loop_test(tc, test_map_shm_rw, 0, sizeof(rw_rows) / sizeof(rw_rows[0]));
	tcase_add_test(tc, test_map_shm_already_mapped);
	tcase_add_test(tc, test_unmap_shm);
	tcase_add_test(tc, test_unmap_shm_no_cap);
	suite_add_tcase(s, tc);

	tc = tb_tcase("shm_set_credential");
	tcase_add_test(tc, test_cred_needs_own);
	tcase_add_test(tc, test_cred_checks);
	tcase_add_test(tc, test_cred_busy_owner_mapped);
	tcase_add_test(tc, test_cred_user_mapped_not_busy);
	tcase_add_test(tc, test_cred_user_replaced_while_mapped);
	tcase_add_loop_test(tc, test_cred_perms, 0, 2 * N_CRED_PERMS);
	tcase_add_test(tc, test_cred_self_overwrites_owner);
	suite_add_tcase(s, tc);

	tc = tb_tcase("get_shm_handle");
	tcase_add_test(tc, test_get_shm_handle);
	suite_add_tcase(s, tc);

	tc = tb_tcase("shm_get_infos");
	tcase_add_test(tc, test_infos_checks);
	tcase_add_test(tc, test_infos_perms);
	suite_add_tcase(s, tc);

	tc = tb_tcase("gpio");
	tcase_add_loop_test(tc, test_gpio_checks, 0, sizeof(gpio_ops) / sizeof(gpio_ops[0]));
	tcase_add_test(tc, test_gpio_effects);
	tcase_add_test(tc, test_gpio_host_drive);
	tcase_add_test(tc, test_gpio_failure);
	suite_add_tcase(s, tc);

	tc = tb_tcase("irq");
	tcase_add_loop_test(tc, test_irq_checks, 0, sizeof(irq_ops) / sizeof(irq_ops[0]));
	tcase_add_test(tc, test_irq_line_model);
	tcase_add_test(tc, test_irq_owner_and_source);
	tcase_add_test(tc, test_irq_ring_overflow);
	suite_add_tcase(s, tc);

	tc = tb_tcase("dma");
	tcase_add_test(tc, test_get_dma_handle);
	tcase_add_loop_test(tc, test_dma_checks, 0, N_OPS);
	tcase_add_loop_test(tc, test_dma_transitions, 0, N_STATES * N_OPS);
	tcase_add_test(tc, test_dma_start_completion);
	tcase_add_test(tc, test_dma_paced);
	tcase_add_test(tc, test_dma_intended_path);
	tcase_add_loop_test(tc, test_dma_start_transfer_fails, 0, 2);
	tcase_add_test(tc, test_dma_ring_overflow);
	tcase_add_loop_test(tc, test_dma_stream_info, 0, N_DMAS);
	suite_add_tcase(s, tc);

	tc = tb_tcase("pm");
	tcase_add_test(tc, test_pm_manage);
	tcase_add_test(tc, test_pm_set_clock);
	suite_add_tcase(s, tc);

	tc = tb_tcase("respawn");
	tcase_add_test(tc, test_respawn_owner_caching);
	tcase_add_test(tc, test_respawn_windows_leave_layout);
	suite_add_tcase(s, tc);

	tc = tb_tcase("handles");
	tcase_add_test(tc, test_handle_encodings);
	tcase_add_test(tc, test_handle_determinism);
	tcase_add_test(tc, test_handle_full_32_bits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return kh_run_suite(kernel_board_suite());
}
