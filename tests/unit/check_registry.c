/*
 * check_registry.c: the kernel's system-call registry (sim/kernel/registry.c) against the
 * fuzz oracle's typed table (sim/fuzz/systable.c), row by row. The two are written apart on
 * purpose (the oracle transcribes the spec, it does not read the model); this suite makes
 * sure they describe the same system calls: numbers, names, sections, which build reaches a
 * gate, and argument types consistent with the argument kinds. It also pins the registry's
 * own services: name lookup and the library's argument conversions; and checks the exchange
 * spans of uapi/src/span.h against what the typed table says each call reads and writes.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fuzz/systable.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/registry.h"
#include "uapi/src/span.h"
#include "tests/unit/check_tap.h"

/* The C type an argument kind of the typed table implies for the library's parameter. */
static int width_of_kind(const SysArg *arg, uint8_t width)
{
	switch ((ArgKind)arg->kind) {
	case ARG_GPIO_IO:
	case ARG_IPC_LEN:
		return SYSCALL_ARG_U8;
	case ARG_IRQ:
		return SYSCALL_ARG_U16;
	case ARG_BOOL:
		return SYSCALL_ARG_BOOL;
	case ARG_BITS: /* a mask: uint8_t or wider, as long as its meaningful bits fit */
		if (width == SYSCALL_ARG_U8 && arg->hi <= 0xFFu)
			return SYSCALL_ARG_U8;
		return SYSCALL_ARG_U32;
	default:
		return SYSCALL_ARG_U32;
	}
}

START_TEST(test_rows_agree)
{
	ck_assert_uint_eq(SYS_COUNT, KERNEL_SYSCALL_COUNT);
	for (uint32_t nr = 0; nr < KERNEL_SYSCALL_COUNT; nr++) {
		const SyscallDef *def = kernel_syscall_def(nr);
		const SysRow *row = systable_get(nr);
		ck_assert_ptr_nonnull(def);
		ck_assert_msg(row->nr == nr, "typed row %u says it is %u", nr, row->nr);
		ck_assert_msg(strcmp(row->name, kernel_syscall_lib_name(nr)) == 0,
		              "%u: registry calls it %s, the typed table %s", nr,
		              kernel_syscall_lib_name(nr), row->name);
		ck_assert_msg(strcmp(row->section, def->section) == 0,
		              "%s: registry section %s, typed table %s", def->name, def->section,
		              row->section);
		ck_assert_msg(!!(row->flags & SYS_AUTOTEST_ONLY) == def->autotest_only,
		              "%s: autotest-only differs", def->name);
		ck_assert_msg((row->effect == EFF_UNSUPPORTED) == (def->gate == NULL),
		              "%s: a gate iff the typed table gives it an effect", def->name);
		for (int b = 0; b < 2; b++)
			ck_assert_msg(systable_supported(nr, b) ==
			                  (def->gate != NULL && (b || !def->autotest_only)),
			              "%s: supported in the %s build differs", def->name,
			              b ? "autotest" : "normal");
		for (int i = 0; i < 3; i++) {
			if (row->args[i].kind == ARG_NONE) {
				ck_assert_msg(def->width[i] == SYSCALL_ARG_U32,
				              "%s: a conversion for unused argument %d", def->name,
				              i);
				continue;
			}
			ck_assert_msg(def->width[i] == width_of_kind(&row->args[i], def->width[i]),
			              "%s: argument %d (%s, kind %s) has width %u", def->name, i,
			              row->args[i].name, systable_argkind(row->args[i].kind)->name,
			              def->width[i]);
		}
	}
	ck_assert_ptr_null(kernel_syscall_def(KERNEL_SYSCALL_COUNT));
	ck_assert_uint_eq(systable_get(KERNEL_SYSCALL_COUNT)->effect, EFF_UNSUPPORTED);
	ck_assert(!systable_supported(KERNEL_SYSCALL_COUNT, true));
}
END_TEST

/* The exchange spans the gate and the daemon move (uapi/src/span.h) cover what the typed
 * table, written from the spec, says each call reads and writes (an event: its header and
 * up to the rest of the area), for the smallest and the largest area. */
START_TEST(test_exchange_spans)
{
	static const uint32_t xlens[] = {64, 1024};
	for (size_t i = 0; i < sizeof(xlens) / sizeof(xlens[0]); i++) {
		uint32_t xlen = xlens[i];
		for (uint32_t nr = 0; nr < KERNEL_SYSCALL_COUNT; nr++) {
			const SysRow *row = systable_get(nr);
			uint32_t out = row->out == OUT_EVENT ? xlen : systable_out_len(row->out);
			ck_assert_msg(sentry_exchange_out(nr, xlen) >= out,
			              "%s: span.h moves back %u bytes, the call writes %u",
			              row->name, sentry_exchange_out(nr, xlen), out);
			for (uint32_t len = 0; len <= xlen; len += 8) {
				uint32_t a0 = row->in == IN_LOG ? len : 0;
				uint32_t a1 = row->in == IN_IPC ? len : 0;
				uint32_t in = row->in == IN_NONE ? 0 : len;
				ck_assert_msg(
				    sentry_exchange_span(nr, a0, a1, xlen) >= (in > out ? in : out),
				    "%s: span.h hands over %u bytes, the call reads %u and "
				    "writes %u",
				    row->name, sentry_exchange_span(nr, a0, a1, xlen), in, out);
			}
		}
	}
}
END_TEST

START_TEST(test_names)
{
	uint32_t nr = 0;
	for (uint32_t i = 0; i < KERNEL_SYSCALL_COUNT; i++) {
		ck_assert(kernel_syscall_lookup(kernel_syscall_name(i), &nr));
		ck_assert_uint_eq(nr, i);
	}
	ck_assert(kernel_syscall_lookup("SYSCALL_SEND_IPC", &nr));
	ck_assert_uint_eq(nr, SYSCALL_SEND_IPC);
	ck_assert(kernel_syscall_lookup("Dma_Start_Sream", &nr));
	ck_assert_uint_eq(nr, SYSCALL_DMA_START_STREAM);
	ck_assert(kernel_syscall_lookup("autotest_clear_capa", &nr));
	ck_assert_uint_eq(nr, SYSCALL_AUTOTEST_CLEAR_CAPA);
	ck_assert(!kernel_syscall_lookup("sched_yield", &nr)); /* the library's name, not ours */
	ck_assert(!kernel_syscall_lookup("unsupported", &nr));
	ck_assert_str_eq(kernel_syscall_name(KERNEL_SYSCALL_COUNT), "unsupported");
	ck_assert_str_eq(kernel_syscall_lib_name(SYSCALL_YIELD), "sched_yield");
	ck_assert_ptr_null(kernel_syscall_lib_name(KERNEL_SYSCALL_COUNT));
}
END_TEST

START_TEST(test_lib_args)
{
	uint32_t a[3] = {0x12345, 0x1FF, 0x100};
	kernel_syscall_lib_args(SYSCALL_GPIO_SET, a); /* (uint32_t, uint8_t, bool) */
	ck_assert_uint_eq(a[0], 0x12345);
	ck_assert_uint_eq(a[1], 0xFF);
	ck_assert_uint_eq(a[2], 1);
	uint32_t b[3] = {0x12345, 7, 9};
	kernel_syscall_lib_args(SYSCALL_IRQ_ENABLE, b); /* (uint16_t) */
	ck_assert_uint_eq(b[0], 0x2345);
	uint32_t c[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
	kernel_syscall_lib_args(SYSCALL_SLEEP, c); /* a SleepDuration and an enum: unchanged */
	ck_assert_uint_eq(c[0], 0xFFFFFFFFu);
	ck_assert_uint_eq(c[1], 0xFFFFFFFFu);
	kernel_syscall_lib_args(KERNEL_SYSCALL_COUNT, c); /* no row: nothing converted */
	ck_assert_uint_eq(c[2], 0xFFFFFFFFu);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("registry");
	tcase_add_test(tc, test_rows_agree);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_exchange_spans);
	tcase_add_test(tc, test_lib_args);
	suite_add_tcase(s, tc);
	return check_run_tap(s);
}
