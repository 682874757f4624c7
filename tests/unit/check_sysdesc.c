/*
 * check_sysdesc.c: the system description loader (sim/scenario/sysdesc.c) and its syntax
 * layer (sim/scenario/ini.c).
 *
 * Every test runs in a fresh temporary directory (a checked fixture, so per forked test):
 * small descriptions are written there as "t.ini" and loaded under that relative name, so
 * messages read "t.ini:LINE: ..." and each error case asserts the exact text, line included.
 * Fake task binaries live in "path1/", the search path given to the loader. The complete
 * example, tests/unit/data/sysdesc/full.ini, is found through $top_srcdir (set by the test
 * harness; the current directory otherwise).
 */
#include <check.h>
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scenario/ini.h"
#include "sim/scenario/sysdesc.h"

static char *srcdir; /* absolute top source directory */
static char *base;   /* holds one directory per test; removed by main() */
static char *tmp;    /* the current test's directory (as getcwd reports it) */

static const char *const search[] = {"path1", NULL};

static void write_file(const char *path, const char *text, gssize len, int mode)
{
	GError *err = NULL;

	ck_assert_msg(g_file_set_contents(path, text, len, &err), "%s", err ? err->message : "");
	ck_assert_int_eq(g_chmod(path, mode), 0);
}

static char elf_header[64]; /* this test program's: a task binary the loader accepts */

static void setup(void)
{
	char *dir = g_build_filename(base, "test-XXXXXX", NULL);

	ck_assert_ptr_nonnull(g_mkdtemp(dir));
	FILE *self = fopen("/proc/self/exe", "rb");
	ck_assert(self != NULL && fread(elf_header, 1, sizeof(elf_header), self) == 64);
	fclose(self);
	ck_assert_int_eq(chdir(dir), 0);
	g_free(dir);
	tmp = g_get_current_dir();
	ck_assert_int_eq(g_mkdir_with_parents("path1/bin", 0755), 0);
	write_file("path1/hello-task", elf_header, 64, 0755);
	write_file("path1/bin/worker-task", elf_header, 64, 0755);
	write_file("noexec", elf_header, 64, 0644);
}

static void rm_rf(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		GDir *d = g_dir_open(path, 0, NULL);
		const char *name;
		while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
			char *child = g_build_filename(path, name, NULL);
			rm_rf(child);
			g_free(child);
		}
		if (d != NULL)
			g_dir_close(d);
	}
	g_remove(path);
}

static void teardown(void)
{
	ck_assert_int_eq(chdir("/"), 0);
	rm_rf(tmp);
	g_free(tmp);
}

/* Write |text| to t.ini and load it with the test search path. */
static SysDesc *load_text(const char *text, GError **err)
{
	write_file("t.ini", text, -1, 0644);
	return sysdesc_load("t.ini", search, err);
}

static SysDesc *load_ok(const char *text)
{
	GError *err = NULL;
	SysDesc *d = load_text(text, &err);

	ck_assert_msg(d != NULL, "unexpected error: %s", err ? err->message : "(none)");
	return d;
}

static void assert_error(const char *text, const char *expected)
{
	GError *err = NULL;
	SysDesc *d = load_text(text, &err);

	ck_assert_msg(d == NULL, "loaded, expected error: %s", expected);
	ck_assert_ptr_nonnull(err);
	ck_assert(err->domain == INI_ERROR);
	ck_assert_str_eq(err->message, expected);
	g_error_free(err);
}

static char *joined_warnings(const SysDesc *d)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < d->warnings->len; i++)
		g_string_append_printf(s, "%s%s", i ? "\n" : "",
		                       (const char *)g_ptr_array_index(d->warnings, i));
	return g_string_free(s, FALSE);
}

#define TASK(name, label) "[task " name "]\nbinary = hello-task\nlabel = " label "\n"

/* ---- the complete example ---------------------------------------------------------------- */

static char *full_ini_path(void)
{
	return g_build_filename(srcdir, "tests", "unit", "data", "sysdesc", "full.ini", NULL);
}

START_TEST(test_full_example)
{
	char *path = full_ini_path();
	char *sp = g_build_filename(tmp, "path1", NULL);
	const char *const spath[] = {sp, NULL};
	GError *err = NULL;
	SysDesc *d = sysdesc_load(path, spath, &err);

	ck_assert_msg(d != NULL, "%s", err ? err->message : "");
	ck_assert_str_eq(d->path, path);
	ck_assert_uint_eq(d->warnings->len, 0);

	const KernelConfig *k = &d->kernel;
	ck_assert(d->seed_given);
	ck_assert_uint_eq(k->seed, 42);
	ck_assert_int_eq(k->build, KERNEL_BUILD_NORMAL);
	ck_assert_uint_eq(k->autotest_caps, 0x00200002); /* CAP_DEV_IO | CAP_CRY_KRNG */
	ck_assert_uint_eq(k->core_freq_hz, 80000000);
	ck_assert_uint_eq(k->exchange_len, 128);
	ck_assert_uint_eq(k->max_tasks, 4);
	ck_assert_uint_eq(k->num_irqs, 96);
	ck_assert(!k->release);
	ck_assert(!k->gpdma);
	ck_assert(k->nanos_target_quirk);
	ck_assert(k->dma_intended_path);
	ck_assert_uint_eq(k->syscall_cost_ns, 2000);
	ck_assert_uint_eq(d->duration_ns, 1500000000ull);

	ck_assert_uint_eq(d->n_tasks, 2);
	ck_assert_uint_eq(k->n_tasks, 2);
	ck_assert_ptr_eq(k->tasks, d->ktasks);

	char *hello_bin = g_build_filename(tmp, "path1", "hello-task", NULL);
	ck_assert_str_eq(d->tasks[0].name, "hello");
	ck_assert_str_eq(d->tasks[0].binary, hello_bin);
	ck_assert_str_eq(d->tasks[0].entry, "hello_entry");
	ck_assert_int_eq(d->tasks[0].line, 19);
	ck_assert_ptr_eq(d->ktasks[0].name, d->tasks[0].name);
	ck_assert_uint_eq(d->ktasks[0].label, 0x1000);
	ck_assert_uint_eq(d->ktasks[0].priority, 10);
	ck_assert_uint_eq(d->ktasks[0].quantum, 5);
	ck_assert_uint_eq(d->ktasks[0].domain, 1);
	ck_assert_uint_eq(d->ktasks[0].capabilities, 0x00204000); /* KRNG | PROCSTART */
	ck_assert(d->ktasks[0].auto_start);
	ck_assert_uint_eq(d->ktasks[0].exit_mode, EXIT_MODE_RESTART);

	char *worker_bin = g_build_filename(tmp, "path1", "bin", "worker-task", NULL);
	ck_assert_str_eq(d->tasks[1].name, "worker");
	ck_assert_str_eq(d->tasks[1].binary, worker_bin);
	ck_assert_ptr_null(d->tasks[1].entry);
	ck_assert_int_eq(d->tasks[1].line, 30);
	ck_assert_ptr_eq(d->ktasks[1].name, d->tasks[1].name);
	ck_assert_uint_eq(d->ktasks[1].label, 0x1001);
	ck_assert_uint_eq(d->ktasks[1].priority, 1);
	ck_assert_uint_eq(d->ktasks[1].quantum, 10);
	ck_assert_uint_eq(d->ktasks[1].domain, 0);
	ck_assert_uint_eq(d->ktasks[1].capabilities, 0);
	ck_assert(!d->ktasks[1].auto_start);
	ck_assert_uint_eq(d->ktasks[1].exit_mode, EXIT_MODE_NORESTART);

	ck_assert_int_eq(sysdesc_find_task(d, "worker"), 1);
	ck_assert_int_eq(sysdesc_find_task(d, "nobody"), -1);

	/* The board. */
	const Board *b = &d->board;
	ck_assert_ptr_eq(k->board, b);
	ck_assert_uint_eq(b->n_devices, 2);
	ck_assert_uint_eq(b->n_shms, 2);
	ck_assert_uint_eq(b->n_dmas, 1);

	const BoardDevice *usart = &b->devices[0];
	ck_assert_str_eq(d->devices[0].name, "usart1");
	ck_assert_ptr_eq(usart->name, d->devices[0].name);
	ck_assert_int_eq(d->devices[0].line, 38);
	ck_assert_int_eq(d->devices[0].label_line, 39);
	ck_assert_int_eq(d->devices[0].owner, 1);
	ck_assert_uint_eq(g_strv_length(d->devices[0].compatible), 2);
	ck_assert_str_eq(d->devices[0].compatible[0], "st,stm32f4-usart");
	ck_assert_str_eq(d->devices[0].compatible[1], "st,stm32-usart");
	ck_assert_uint_eq(usart->label, 0x10);
	ck_assert(usart->has_owner);
	ck_assert_uint_eq(usart->owner, 0x1001);
	ck_assert_uint_eq(usart->cap, 0x1); /* CAP_DEV_BUSES */
	ck_assert_uint_eq(board_device_handle(usart), 0x20020001);
	ck_assert_uint_eq(usart->base, 0x40011000);
	ck_assert_uint_eq(usart->size, 0x400);
	ck_assert(!usart->mappable);
	ck_assert_uint_eq(usart->n_irqs, 2);
	ck_assert_uint_eq(usart->irqs[0], 37);
	ck_assert_uint_eq(usart->irqs[1], 38);
	ck_assert_uint_eq(usart->n_ios, 2);
	ck_assert_uint_eq(usart->ios[0].port, 0);
	ck_assert_uint_eq(usart->ios[0].pin, 9);
	ck_assert_uint_eq(usart->ios[0].mode, 0);
	ck_assert_uint_eq(usart->ios[0].af, 0);
	ck_assert_uint_eq(usart->ios[0].ppull, 0);
	ck_assert_uint_eq(usart->ios[0].speed, 0);
	ck_assert_uint_eq(usart->ios[0].pupdr, 0);
	ck_assert_uint_eq(usart->ios[1].port, 0);
	ck_assert_uint_eq(usart->ios[1].pin, 10);
	ck_assert_uint_eq(usart->ios[1].mode, 2);
	ck_assert_uint_eq(usart->ios[1].af, 7);
	ck_assert_uint_eq(usart->ios[1].ppull, 1);
	ck_assert_uint_eq(usart->ios[1].speed, 3);
	ck_assert_uint_eq(usart->ios[1].pupdr, 2);
	ck_assert_uint_eq(usart->n_regs, 2);
	ck_assert_uint_eq(usart->regs[0].offset, 0);
	ck_assert_uint_eq(usart->regs[0].value, 0xc0);
	ck_assert_uint_eq(usart->regs[1].offset, 0x1c);
	ck_assert_uint_eq(usart->regs[1].value, 1);

	const BoardDevice *console = &b->devices[1];
	ck_assert_str_eq(console->name, "console");
	ck_assert_int_eq(d->devices[1].line, 52);
	ck_assert_int_eq(d->devices[1].owner, -1);
	ck_assert_str_eq(d->devices[1].compatible[0], "st,stm32-lpuart");
	ck_assert_ptr_null(d->devices[1].compatible[1]);
	ck_assert_uint_eq(console->label, 0x11);
	ck_assert(!console->has_owner);
	ck_assert_uint_eq(console->cap, 0x1); /* "lpuart" */
	ck_assert_uint_eq(console->base, 0);
	ck_assert_uint_eq(console->size, 0);
	ck_assert(console->mappable);
	ck_assert_uint_eq(console->n_irqs, 0);
	ck_assert_uint_eq(console->n_ios, 0);
	ck_assert_uint_eq(console->n_regs, 0);

	const BoardShm *rxbuf = &b->shms[0];
	ck_assert_str_eq(rxbuf->name, "rxbuf");
	ck_assert_ptr_eq(rxbuf->name, d->shms[0].name);
	ck_assert_int_eq(d->shms[0].line, 56);
	ck_assert_int_eq(d->shms[0].label_line, 57);
	ck_assert_int_eq(d->shms[0].owner, 1);
	ck_assert_ptr_null(d->shms[0].compatible);
	ck_assert_uint_eq(rxbuf->label, 0x100);
	ck_assert_uint_eq(rxbuf->owner, 0x1001);
	ck_assert_uint_eq(rxbuf->base, 0x2000a000);
	ck_assert_uint_eq(rxbuf->size, 0x1000);
	ck_assert(!rxbuf->no_map);
	ck_assert(rxbuf->dma_pool);
	const BoardShm *config = &b->shms[1];
	ck_assert_str_eq(config->name, "config");
	ck_assert_int_eq(d->shms[1].owner, 0);
	ck_assert_uint_eq(config->label, 0x101);
	ck_assert_uint_eq(config->owner, 0x1000);
	ck_assert_uint_eq(config->base, 0x2000c000);
	ck_assert_uint_eq(config->size, 0x100);
	ck_assert(config->no_map);
	ck_assert(!config->dma_pool);

	const BoardDma *rx = &b->dmas[0];
	ck_assert_str_eq(rx->name, "rx");
	ck_assert_ptr_eq(rx->name, d->dmas[0].name);
	ck_assert_int_eq(d->dmas[0].line, 70);
	ck_assert_int_eq(d->dmas[0].label_line, 71);
	ck_assert_int_eq(d->dmas[0].owner, 1);
	ck_assert_uint_eq(rx->label, 0x200);
	ck_assert_uint_eq(rx->owner, 0x1001);
	ck_assert_uint_eq(rx->channel, 1);
	ck_assert_uint_eq(rx->stream, 4);
	ck_assert_uint_eq(rx->controller, 1);
	ck_assert_int_eq(rx->source.kind, BOARD_END_DEVICE);
	ck_assert_uint_eq(rx->source.index, 0);
	ck_assert_int_eq(rx->dest.kind, BOARD_END_SHM);
	ck_assert_uint_eq(rx->dest.index, 0);
	ck_assert_uint_eq(rx->length, 256);
	ck_assert(!rx->circular_source);
	ck_assert(rx->circular_dest);
	ck_assert_uint_eq(rx->priority, 3);

	ck_assert_int_eq(sysdesc_find_device(d, "console"), 1);
	ck_assert_int_eq(sysdesc_find_device(d, "rxbuf"), -1);
	ck_assert_int_eq(sysdesc_find_shm(d, "config"), 1);
	ck_assert_int_eq(sysdesc_find_shm(d, "usart1"), -1);
	ck_assert_int_eq(sysdesc_find_dma(d, "rx"), 0);
	ck_assert_int_eq(sysdesc_find_dma(d, "tx"), -1);
	sysdesc_free(d);
	g_free(hello_bin);
	g_free(worker_bin);
	g_free(sp);
	g_free(path);
}
END_TEST

/* The documentation shows the tested example verbatim. */
START_TEST(test_doc_shows_full_example)
{
	char *path = full_ini_path();
	char *doc = g_build_filename(srcdir, "docs", "system-description.md", NULL);
	char *example = NULL, *text = NULL;

	ck_assert(g_file_get_contents(path, &example, NULL, NULL));
	ck_assert(g_file_get_contents(doc, &text, NULL, NULL));
	char *block = g_strconcat("```ini\n", example, "```\n", NULL);
	ck_assert_msg(strstr(text, block) != NULL,
	              "docs/system-description.md does not show full.ini verbatim");
	g_free(block);
	g_free(text);
	g_free(example);
	g_free(doc);
	g_free(path);
}
END_TEST

/* ---- defaults ---------------------------------------------------------------------------- */

START_TEST(test_defaults)
{
	SysDesc *d = load_ok("[task a]\nbinary = hello-task\nlabel = 7\n");
	KernelConfig def;

	kernel_config_init(&def);
	const KernelConfig *k = &d->kernel;
	ck_assert_int_eq(k->build, def.build);
	ck_assert_uint_eq(k->autotest_caps, def.autotest_caps);
	ck_assert_uint_eq(k->core_freq_hz, def.core_freq_hz);
	ck_assert_uint_eq(k->exchange_len, def.exchange_len);
	ck_assert_uint_eq(k->max_tasks, def.max_tasks);
	ck_assert_uint_eq(k->num_irqs, def.num_irqs);
	ck_assert_int_eq(k->release, def.release);
	ck_assert_int_eq(k->gpdma, def.gpdma);
	ck_assert_int_eq(k->nanos_target_quirk, def.nanos_target_quirk);
	ck_assert_int_eq(k->dma_intended_path, def.dma_intended_path);
	ck_assert_uint_eq(k->syscall_cost_ns, def.syscall_cost_ns);
	ck_assert_uint_eq(k->seed, def.seed);
	ck_assert(!d->seed_given);
	ck_assert_uint_eq(d->duration_ns, 0);
	ck_assert_uint_eq(d->warnings->len, 0);
	ck_assert_ptr_null(k->board);
	ck_assert_uint_eq(d->board.n_devices + d->board.n_shms + d->board.n_dmas, 0);

	/* The spec's values, as docs/system-description.md lists them. */
	ck_assert_uint_eq(def.autotest_caps, 0x00270017);
	ck_assert_uint_eq(def.core_freq_hz, 64000000);
	ck_assert_uint_eq(def.exchange_len, 128);
	ck_assert_uint_eq(def.max_tasks, 8);

	ck_assert_uint_eq(d->n_tasks, 1);
	ck_assert_str_eq(d->tasks[0].name, "a");
	ck_assert_ptr_null(d->tasks[0].entry);
	ck_assert_int_eq(d->tasks[0].line, 1);
	ck_assert_uint_eq(d->ktasks[0].label, 7);
	ck_assert_uint_eq(d->ktasks[0].priority, 1);
	ck_assert_uint_eq(d->ktasks[0].quantum, 10);
	ck_assert_uint_eq(d->ktasks[0].domain, 0);
	ck_assert_uint_eq(d->ktasks[0].capabilities, 0);
	ck_assert(d->ktasks[0].auto_start);
	ck_assert_uint_eq(d->ktasks[0].exit_mode, EXIT_MODE_NORESTART);
	sysdesc_free(d);
}
END_TEST

/* Values other than the full example's, and the accepted spellings. */
START_TEST(test_value_forms)
{
	SysDesc *d = load_ok("; comment\n"
	                     "  [ system ]  ; comment\n"
	                     "release = yes\n"
	                     "gpdma = ON\n"
	                     "core_frequency = 1.2 GHz\n"
	                     "syscall_cost = 0\n"
	                     "duration = 2min\n"
	                     "seed = 0xFFFFFFFFFFFFFFFF\n"
	                     "max_tasks = 255\n"
	                     "[task a-1.b_c]\n"
	                     "binary = hello-task\n"
	                     "label = 010   # decimal ten\n"
	                     "capabilities = CAP_DEV_IO | 0x4, CAP_DEV_BUSES;\n"
	                     "start = noauto\n"
	                     "exit_mode = panic\n"
	                     "entry = main\n"
	                     "priority = 255\n"
	                     "[task b]\r\n"
	                     "binary = bin/worker-task\r\n"
	                     "label = 4294967295\r\n"
	                     "capabilities =\r\n"
	                     "entry = _e1\r\n");

	ck_assert(d->kernel.release);
	ck_assert(d->kernel.gpdma);
	ck_assert_uint_eq(d->kernel.core_freq_hz, 1200000000ull);
	ck_assert_uint_eq(d->kernel.syscall_cost_ns, 0);
	ck_assert_uint_eq(d->duration_ns, 120000000000ull);
	ck_assert_uint_eq(d->kernel.seed, G_MAXUINT64);
	ck_assert_uint_eq(d->kernel.max_tasks, 255);
	ck_assert_str_eq(d->tasks[0].name, "a-1.b_c");
	ck_assert_uint_eq(d->ktasks[0].label, 10);
	ck_assert_uint_eq(d->ktasks[0].capabilities, 0x7);
	ck_assert(!d->ktasks[0].auto_start);
	ck_assert_uint_eq(d->ktasks[0].exit_mode, EXIT_MODE_PANIC);
	ck_assert_ptr_null(d->tasks[0].entry);
	ck_assert_uint_eq(d->ktasks[0].priority, 255);
	ck_assert_uint_eq(d->ktasks[1].label, 0xffffffffu);
	ck_assert_uint_eq(d->ktasks[1].capabilities, 0);
	ck_assert_str_eq(d->tasks[1].entry, "_e1");
	ck_assert_int_eq(d->tasks[1].line, 18);
	ck_assert_uint_eq(d->warnings->len, 0);
	sysdesc_free(d);
}
END_TEST

/* ---- the board --------------------------------------------------------------------------- */

/* Lines 1-3: the task every board test uses as owner. */
#define DRV TASK("drv", "0x1000")
/* 6 lines: a DMA pool of 32 bytes, owned by drv. */
#define SHM_M "[shm m]\nlabel = 1\nowner = drv\nbase = 0x1000\nsize = 32\ndma_pool = true\n"
/* 5 lines: a stream from and to SHM_M, without its 'channel' and 'length'. */
#define DMA_S "[dma s]\nlabel = 1\nowner = drv\nsource = shm m\ndest = shm m\n"

START_TEST(test_board_defaults)
{
	/* DMA streams may name resources declared after them; values in other spellings. */
	SysDesc *d = load_ok("[dma s]\nlabel = 0\nowner = drv\nchannel = 0xffff\n"
	                     "source = shm m\ndest = device d\nlength = 1\npriority = 2\n"
	                     "[device d]\nlabel = 0xffffffff\ncompatible = ;\nclass = 0\n"
	                     "interrupts = 0x10,1 2\nios = 1:2;  255:255 ,\n"
	                     "io.0 = pupdr=0xffffffff; mode=255,af=1\n"
	                     "reg.4 = 4294967295\nbase = 0xffffffe0\nsize = 32\n"
	                     "[shm m]\nlabel = 0\nowner = drv\nbase = 0x1000\nsize = 32\n"
	                     "dma_pool = yes\n" DRV);

	ck_assert_ptr_eq(d->kernel.board, &d->board);
	const BoardDevice *dv = &d->board.devices[0];
	ck_assert_uint_eq(dv->label, 0xffffffffu);
	ck_assert(!dv->has_owner);
	ck_assert_uint_eq(dv->cap, 0);
	ck_assert_uint_eq(g_strv_length(d->devices[0].compatible), 0);
	ck_assert(dv->mappable);
	ck_assert_uint_eq(dv->n_irqs, 3);
	ck_assert_uint_eq(dv->irqs[0], 16);
	ck_assert_uint_eq(dv->irqs[2], 2);
	ck_assert_uint_eq(dv->n_ios, 2);
	ck_assert_uint_eq(dv->ios[1].port, 255);
	ck_assert_uint_eq(dv->ios[1].pin, 255);
	ck_assert_uint_eq(dv->ios[0].pupdr, 0xffffffffu);
	ck_assert_uint_eq(dv->ios[0].mode, 255);
	ck_assert_uint_eq(dv->ios[0].af, 1);
	ck_assert_uint_eq(dv->ios[0].speed, 0);
	ck_assert_uint_eq(dv->regs[0].offset, 4);
	ck_assert_uint_eq(dv->regs[0].value, 0xffffffffu);
	ck_assert_uint_eq(dv->base, 0xffffffe0u);
	ck_assert_uint_eq(dv->size, 32);

	const BoardShm *m = &d->board.shms[0];
	ck_assert_uint_eq(m->base, 0x1000);
	ck_assert(!m->no_map);
	ck_assert(m->dma_pool);

	const BoardDma *s = &d->board.dmas[0];
	ck_assert_uint_eq(s->owner, 0x1000);
	ck_assert_uint_eq(s->channel, 0xffff);
	ck_assert_uint_eq(s->stream, 0);
	ck_assert_uint_eq(s->controller, 0);
	ck_assert_int_eq(s->source.kind, BOARD_END_SHM);
	ck_assert_int_eq(s->dest.kind, BOARD_END_DEVICE);
	ck_assert(!s->circular_source);
	ck_assert(!s->circular_dest);
	ck_assert_uint_eq(s->priority, 2);
	ck_assert_uint_eq(d->warnings->len, 0);
	sysdesc_free(d);

	/* MEDIUM when absent (uapi.md 9.3); the other spellings of priority. */
	static const struct {
		const char *text;
		unsigned priority;
	} prios[] = {{"", 1},
	             {"priority = low\n", 0},
	             {"priority = medium\n", 1},
	             {"priority = high\n", 2},
	             {"priority = 3\n", 3},
	             {"priority = 0\n", 0}};
	for (size_t i = 0; i < G_N_ELEMENTS(prios); i++) {
		char *text = g_strdup_printf(DRV "[shm m]\nlabel = 0\nowner = drv\nbase = 0x1000\n"
		                                 "size = 32\ndma_pool = true\n"
		                                 "[dma s]\nlabel = 0\nowner = drv\nchannel = 0\n"
		                                 "source = shm m\ndest = shm m\nlength = 32\n%s",
		                             prios[i].text);
		d = load_ok(text);
		ck_assert_uint_eq(d->board.dmas[0].priority, prios[i].priority);
		sysdesc_free(d);
		g_free(text);
	}
}
END_TEST

/* The capability class from the compatible strings (uapi.md 9.1): group by group, in the
 * spec's order. */
static const struct {
	const char *compatible;
	unsigned cap;
} class_cases[] = {
    {"st,stm32-gpio", 0x2},
    {"gpio-leds", 0x2},
    {"st,stm32-usart", 0x1},
    {"st,stm32-lpuart", 0x1},
    {"st,stm32-ethernet", 0x1},
    {"st,stm32-i2c-v2", 0x1},
    {"st,stm32-i2s", 0x1},
    {"st,stm32-otgfs", 0x1},
    {"st,stm32-otghs", 0x1},
    {"st,stm32-ospi", 0x1},
    {"st,stm32-qspi", 0x1},
    {"st,stm32-spi", 0x1},
    {"st,stm32-bxcan", 0x1},
    {"st,stm32-fdcan", 0x1},
    {"st,stm32-mipi-dsi", 0x1},
    {"st,stm32-exti", 0x1},
    {"st,stm32-ltdc", 0x1},
    {"st,stm32-dma", 0x4},
    {"st,stm32-bdma", 0x4},
    {"st,stm32-dmamux", 0x4},
    {"st,stm32-adc", 0x8},
    {"st,stm32-dac", 0x8},
    {"st,stm32-pwm", 0x8},
    {"st,stm32-timers", 0x10},
    {"st,stm32-lptim", 0x10},
    {"st,stm32-rtc", 0x10},
    {"st,stm32-window-watchdog", 0x10},
    {"st,stm32-flash-controller", 0x20},
    {"st,stm32-fmc", 0x20},
    {"st,stm32-sdmmc2", 0x20},
    {"st,stm32-aes", 0x40},
    {"st,stm32-cryp", 0x40},
    {"st,stm32-rng", 0x40},
    {"st,stm32-syscfg", 0x40},
    {"st,stm32-ucpd", 0x100},
    {"st,stm32-rcc", 0x100},
    {"arm,armv8m-systick", 0},
    {"", 0},
    /* the first group with a match decides, whatever the order of the strings */
    {"st,stm32-spi-dma; st,stm32-gpio", 0x2},
    {"st,stm32-rng; st,stm32-timers", 0x10},
    /* the strings are searched separately: "a,dm" + "a-x" does not make "dma" */
    {"a,dm; a-x", 0},
    /* case-sensitive, as the kernel's generator */
    {"ST,STM32-USART", 0},
};

START_TEST(test_device_classes)
{
	char *text = g_strdup_printf(DRV "[device d]\nlabel = 1\ncompatible = %s\n",
	                             class_cases[_i].compatible);
	SysDesc *d = load_ok(text);

	ck_assert_msg(d->board.devices[0].cap == class_cases[_i].cap, "'%s': class 0x%x, not 0x%x",
	              class_cases[_i].compatible, d->board.devices[0].cap, class_cases[_i].cap);
	ck_assert_uint_eq(d->warnings->len, 0);
	sysdesc_free(d);
	g_free(text);
}
END_TEST

/* Handles must differ only between listed devices of the same class (uapi.md 3.4). */
START_TEST(test_device_handles)
{
	SysDesc *d = load_ok(DRV "[device a]\nlabel = 0x10042\nowner = drv\ncompatible = gpio\n"
	                         "base = 0x40000000\nsize = 0x400\n"
	                         "[device b]\nlabel = 0x42\nowner = drv\ncompatible = spi\n"
	                         "base = 0x40000400\nsize = 0x400\n"
	                         "[device c]\nlabel = 0x20042\ncompatible = gpio\n");

	ck_assert_uint_eq(board_device_handle(&d->board.devices[0]), 0x20084002);
	ck_assert_uint_eq(board_device_handle(&d->board.devices[1]), 0x20084001);
	ck_assert_uint_eq(board_device_handle(&d->board.devices[2]), 0x20084002);
	ck_assert_uint_eq(d->warnings->len, 0);
	sysdesc_free(d);
}
END_TEST

/* 256 SHMs and 256 DMA streams are the most handles can number (8-bit fields). */
START_TEST(test_board_limits)
{
	GString *text = g_string_new(DRV);
	GError *err = NULL;
	SysDesc *d;

	for (int i = 0; i < 256; i++)
		g_string_append_printf(
		    text,
		    "[shm m%d]\nlabel = %d\nowner = drv\nbase = 0x%x\nsize = 32\n"
		    "dma_pool = true\n",
		    i, i, 0x20000000 + 32 * i);
	for (int i = 0; i < 256; i++)
		g_string_append_printf(text,
		                       "[dma s%d]\nlabel = %d\nowner = drv\nchannel = 1\n"
		                       "source = shm m0\ndest = shm m%d\nlength = 32\n",
		                       i, i, i);
	d = load_ok(text->str);
	ck_assert_uint_eq(d->board.n_shms, 256);
	ck_assert_uint_eq(d->board.n_dmas, 256);
	ck_assert_uint_eq(d->board.dmas[255].dest.index, 255);
	ck_assert_uint_eq(d->warnings->len, 0);
	sysdesc_free(d);

	GString *more = g_string_new(text->str);
	g_string_append(more, "[shm extra]\nlabel = 256\nowner = drv\nbase = 0x30000000\n"
	                      "size = 32\n");
	ck_assert_ptr_null(load_text(more->str, &err));
	ck_assert_str_eq(err->message,
	                 "t.ini:3332: too many SHMs: 'extra' is SHM 257, the kernel takes at most "
	                 "256 (the handle's id field is 8 bits, uapi.md 3.1)");
	g_clear_error(&err);
	g_string_free(more, TRUE);

	g_string_append(text, "[dma extra]\nlabel = 256\nowner = drv\nchannel = 1\n"
	                      "source = shm m0\ndest = shm m0\nlength = 32\n");
	ck_assert_ptr_null(load_text(text->str, &err));
	ck_assert_str_eq(err->message,
	                 "t.ini:3332: too many DMA streams: 'extra' is DMA stream 257, the kernel "
	                 "takes at most 256 (the handle's streamid field is 8 bits, uapi.md 3.1)");
	g_error_free(err);
	g_string_free(text, TRUE);
}
END_TEST

/* 32 register reset values per device (BOARD_MAX_REGS). */
START_TEST(test_register_limit)
{
	GString *text =
	    g_string_new(DRV "[device d]\nlabel = 1\nbase = 0x40000000\nsize = 0x400\n");
	GError *err = NULL;

	for (int i = 0; i < 32; i++)
		g_string_append_printf(text, "reg.%d = %d\n", 4 * i, i);
	SysDesc *d = load_ok(text->str);
	ck_assert_uint_eq(d->board.devices[0].n_regs, 32);
	ck_assert_uint_eq(d->board.devices[0].regs[31].offset, 124);
	ck_assert_uint_eq(d->board.devices[0].regs[31].value, 31);
	sysdesc_free(d);
	g_string_append(text, "reg.0x100 = 0\n");
	ck_assert_ptr_null(load_text(text->str, &err));
	ck_assert_str_eq(err->message,
	                 "t.ini:40: device 'd' sets more than 32 register reset values");
	g_error_free(err);
	g_string_free(text, TRUE);
}
END_TEST

/* ---- errors ------------------------------------------------------------------------------ */

static const struct {
	const char *text;
	const char *message;
} error_cases[] = {
    /* syntax */
    {"[system]\nlabel 0x1000\n",
     "t.ini:2: expected '[group]', 'key = value' or a comment, not 'label 0x1000'"},
    {"\n[task hello\n", "t.ini:2: missing ']' at the end of '[task hello'"},
    {"[system] x\n", "t.ini:1: unexpected 'x' after the group header"},
    {"[]\n", "t.ini:1: empty group name '[]'"},
    {"[a[b]\n", "t.ini:1: invalid group name '[a[b]' (printable ASCII only, no '[')"},
    {"# c\nseed = 1\n",
     "t.ini:2: key 'seed' is outside any group (put it under a '[group]' header)"},
    {"[system]\nseed[fr] = 1\n",
     "t.ini:2: invalid key name 'seed[fr]' (letters, digits, '_', '-' and '.' only)"},
    {"[system]\n = 1\n", "t.ini:2: missing key name before '='"},
    {"[system]\nseed = 1\n\n[system]\n", "t.ini:4: duplicate group '[system]' (first at line 1)"},
    {TASK("a", "1") "priority = 2\npriority = 3\n",
     "t.ini:5: duplicate key 'priority' in '[task a]' (first at line 4)"},
    {TASK("a", "1") "entry = a\\qb\n",
     "t.ini:4: 'entry' has an invalid escape sequence (GKeyFile escapes are \\s, \\n, \\t, "
     "\\r and \\\\)"},
    {"[system]\n\n# \xe9t\xe9\n", "t.ini:3: invalid UTF-8 (save the file as UTF-8)"},
    /* groups */
    {"[sytem]\n", "t.ini:1: unknown group '[sytem]' (did you mean '[system]'?)"},
    {"[System]\n", "t.ini:1: unknown group '[System]' (did you mean '[system]'?)"},
    {TASK("a", "1") "[tsk b]\n", "t.ini:4: unknown group '[tsk b]' (did you mean '[task b]'?)"},
    {"[board]\n", "t.ini:1: unknown group '[board]' (known: [system], [task NAME], [device NAME], "
                  "[shm NAME], [dma NAME], [script])"},
    {"[devices]\n", "t.ini:1: unknown group '[devices]' (did you mean '[device]'?)"},
    {"[task]\n", "t.ini:1: '[task]' needs a name: '[task NAME]'"},
    {"[system 2]\n", "t.ini:1: '[system]' takes no name (got '[system 2]')"},
    {"[task a b]\n", "t.ini:1: invalid task name 'a b' (letters, digits, '_', '-' and '.' only)"},
    {TASK("a", "1") "[ task a ]\n", "t.ini:4: duplicate group '[task a]' (first at line 1)"},
    {TASK("a", "1") TASK("  a", "2"), "t.ini:4: duplicate task 'a' (first at line 1)"},
    {"", "t.ini:1: no task: add a '[task NAME]' group with at least 'binary' and 'label'"},
    {"[system]\nseed = 1\n",
     "t.ini:1: no task: add a '[task NAME]' group with at least 'binary' and 'label'"},
    /* keys */
    {TASK("a", "1") "prio = 3\n",
     "t.ini:4: unknown key 'prio' in '[task a]' (did you mean 'priority'?)"},
    {TASK("a", "1") "Label = 3\n",
     "t.ini:4: unknown key 'Label' in '[task a]' (did you mean 'label'?)"},
    {TASK("a", "1") "stack_size = 3\n",
     "t.ini:4: unknown key 'stack_size' in '[task a]' (known: binary, label, priority, quantum, "
     "domain, capabilities, start, exit_mode, entry)"},
    /* GKeyFile's special key means nothing here */
    {"[system]\nEncoding = latin1\n",
     "t.ini:2: unknown key 'Encoding' in '[system]' (known: seed, build, autotest_caps, "
     "core_frequency, exchange_len, max_tasks, num_irqs, release, gpdma, nanoseconds, "
     "dma_completion, syscall_cost, duration, devicetree, devicetree_include, tags)"},
    {"[system]\nmax_task = 3\n",
     "t.ini:2: unknown key 'max_task' in '[system]' (did you mean 'max_tasks'?)"},
    {"[task a]\nlabel = 1\n", "t.ini:1: task 'a' has no 'binary' (the path of its executable)"},
    {"[task a]\nbinary = hello-task\n",
     "t.ini:1: task 'a' has no 'label' (a unique 32-bit number, e.g. 0x1000)"},
    {"[task a]\nbinary =\nlabel = 1\n",
     "t.ini:2: 'binary' is empty (expected the path of the task's executable)"},
    /* labels */
    {"[task a]\nbinary = hello-task\nlabel = 0x10g\n",
     "t.ini:3: 'label' must be a number, decimal or hexadecimal with 0x (got '0x10g')"},
    {"[task a]\nbinary = hello-task\nlabel =\n", "t.ini:3: 'label' is empty (expected a number)"},
    {"[task a]\nbinary = hello-task\nlabel = 0x100000000\n",
     "t.ini:3: 'label' must be between 0x0 and 0xffffffff (got 0x100000000)"},
    {"[task a]\nbinary = hello-task\nlabel = 0xcafe\n",
     "t.ini:3: label 0xcafe is reserved for the idle task"},
    {"[task a]\nbinary = hello-task\nlabel = 51966\n",
     "t.ini:3: label 0xcafe is reserved for the idle task"},
    {TASK("a", "0x1000") "\n" TASK("b", "2") TASK("c", "4096"),
     "t.ini:10: duplicate label 0x1000: task 'a' has it too (line 3)"},
    /* task numbers */
    {TASK("a", "1") "priority = 256\n", "t.ini:4: 'priority' must be between 0 and 255 (got 256)"},
    {TASK("a", "1") "priority = -1\n", "t.ini:4: 'priority' must be between 0 and 255 (got -1)"},
    {TASK("a", "1") "quantum = 0x100\n",
     "t.ini:4: 'quantum' must be between 0x0 and 0xff (got 0x100)"},
    {TASK("a", "1") "domain = 1000\n", "t.ini:4: 'domain' must be between 0 and 255 (got 1000)"},
    /* capabilities */
    {TASK("a", "1") "capabilities = CAP_DEV_IO; CAP_FOO\n",
     "t.ini:4: unknown capability 'CAP_FOO' (known: CAP_DEV_BUSES, CAP_DEV_IO, CAP_DEV_DMA, "
     "CAP_DEV_ANALOG, CAP_DEV_TIMER, CAP_DEV_STORAGE, CAP_DEV_CRYPTO, CAP_DEV_CLOCK, "
     "CAP_DEV_POWER, CAP_DEV_NEURAL, CAP_SYS_UPGRADE, CAP_SYS_POWER, CAP_SYS_PROCSTART, "
     "CAP_MEM_SHM_OWN, CAP_MEM_SHM_USE, CAP_MEM_SHM_TRANSFER, CAP_TIM_HP_CHRONO, "
     "CAP_CRY_KRNG)"},
    {TASK("a", "1") "capabilities = CAP_DEV_OI\n",
     "t.ini:4: unknown capability 'CAP_DEV_OI' (did you mean 'CAP_DEV_IO'?)"},
    {TASK("a", "1") "capabilities = cry_krng\n",
     "t.ini:4: unknown capability 'cry_krng' (did you mean 'CAP_CRY_KRNG'?)"},
    {TASK("a", "1") "capabilities = 0x80000001\n",
     "t.ini:4: 'capabilities': mask 0x80000001 sets bits that are no capability: 0x80000000 "
     "(capabilities are 0x003773ff)"},
    {"[system]\nautotest_caps = 0x400\n" TASK("a", "1"),
     "t.ini:2: 'autotest_caps': mask 0x400 sets bits that are no capability: 0x00000400 "
     "(capabilities are 0x003773ff)"},
    /* keywords */
    {TASK("a", "1") "start = atuo\n",
     "t.ini:4: 'start' must be one of auto, manual (got 'atuo': did you mean 'auto'?)"},
    {TASK("a", "1") "start = later\n",
     "t.ini:4: 'start' must be one of auto, manual (got 'later')"},
    {TASK("a", "1") "exit_mode = restrat\n",
     "t.ini:4: 'exit_mode' must be one of norestart, restart, panic, periodicrestart, reset "
     "(got 'restrat': did you mean 'restart'?)"},
    {TASK("a", "1") "entry = 2nd\n", "t.ini:4: 'entry' must be a C function name (got '2nd')"},
    {TASK("a", "1") "entry = my entry\n",
     "t.ini:4: 'entry' must be a C function name (got 'my entry')"},
    /* [system] */
    {"[system]\nbuild = test\n", "t.ini:2: 'build' must be one of normal, autotest (got 'test')"},
    {"[system]\nseed = 18446744073709551616\n",
     "t.ini:2: 'seed' must be between 0 and 18446744073709551615 (got 18446744073709551616)"},
    {"[system]\ncore_frequency = 0\n",
     "t.ini:2: 'core_frequency' must be between 1Hz and 10GHz (got 0)"},
    {"[system]\ncore_frequency = 20GHz\n",
     "t.ini:2: 'core_frequency' must be between 1Hz and 10GHz (got 20GHz)"},
    {"[system]\ncore_frequency = 64 MHZ\nseed = 1\ncore_frequency = 1\n",
     "t.ini:4: duplicate key 'core_frequency' in '[system]' (first at line 2)"},
    {"[system]\ncore_frequency = 1.5Hz\n",
     "t.ini:2: 'core_frequency' must be a whole number of Hz (got 1.5Hz)"},
    {"[system]\ncore_frequency = 64 megahertz\n",
     "t.ini:2: 'core_frequency' has an unknown unit 'megahertz' (use Hz, kHz, MHz or GHz)"},
    {"[system]\ncore_frequency = fast\n",
     "t.ini:2: 'core_frequency' must be a frequency such as 64MHz (got 'fast')"},
    {"[system]\nexchange_len = 63\n",
     "t.ini:2: 'exchange_len' must be between 64 and 1024 (got 63)"},
    {"[system]\nexchange_len = 1025\n",
     "t.ini:2: 'exchange_len' must be between 64 and 1024 (got 1025)"},
    {"[system]\nmax_tasks = 0\n", "t.ini:2: 'max_tasks' must be between 1 and 255 (got 0)"},
    {"[system]\nmax_tasks = 256\n", "t.ini:2: 'max_tasks' must be between 1 and 255 (got 256)"},
    {"[system]\nnum_irqs = 65537\n", "t.ini:2: 'num_irqs' must be between 0 and 65536 (got 65537)"},
    {"[system]\nrelease = maybe\n", "t.ini:2: 'release' must be true or false (got 'maybe')"},
    {"[system]\ngpdma = 2\n", "t.ini:2: 'gpdma' must be true or false (got '2')"},
    {"[system]\nnanoseconds = zero\n",
     "t.ini:2: 'nanoseconds' must be one of intended, target (got 'zero')"},
    {"[system]\ndma_completion = referance\n",
     "t.ini:2: 'dma_completion' must be one of reference, intended (got 'referance': did you "
     "mean 'reference'?)"},
    {"[system]\nsyscall_cost = 10\n",
     "t.ini:2: 'syscall_cost' needs a unit: ns, us, ms, s, min or h (got '10')"},
    {"[system]\nsyscall_cost = 5s\n",
     "t.ini:2: 'syscall_cost' must be between 0ns and 4294967295ns (got 5s)"},
    {"[system]\nsyscall_cost = 1.5ns\n",
     "t.ini:2: 'syscall_cost' must be a whole number of nanoseconds (got 1.5ns)"},
    {"[system]\nsyscall_cost = 1 sec\n",
     "t.ini:2: 'syscall_cost' has an unknown unit 'sec' (use ns, us, ms, s, min or h)"},
    {"[system]\nsyscall_cost = -1us\n",
     "t.ini:2: 'syscall_cost' must be a duration such as 10ms or 1.5s (got '-1us')"},
    {"[system]\nduration = 0\n", "t.ini:2: 'duration' must be at least 1ns (got 0)"},
    {"[system]\nduration = 99999999999h\n", "t.ini:2: 'duration' is too large (got 99999999999h)"},
    /* task counts */
    {"[system]\nmax_tasks = 2\n" TASK("a", "1") TASK("b", "2") TASK("c", "3"),
     "t.ini:9: too many tasks: 'c' is task 3 but max_tasks is 2 (set 'max_tasks = 3' or more "
     "in '[system]', at most 255)"},
    {TASK("a", "1") TASK("b", "2") "[system]\nmax_tasks = 1\n",
     "t.ini:4: too many tasks: 'b' is task 2 but max_tasks is 1 (set 'max_tasks = 2' or more "
     "in '[system]', at most 255)"},
    {"[system]\nbuild = autotest\n" TASK("a", "1") TASK("b", "2"),
     "t.ini:6: the autotest build runs exactly one task, the test task 'a' (line 3): remove "
     "'[task b]' or set 'build = normal'"},
    /* the first error in the file wins, [system] first */
    {TASK("a", "1") "prio = 1\n[system]\nbuild = x\n",
     "t.ini:6: 'build' must be one of normal, autotest (got 'x')"},
    {"[task a]\nprio = 1\nbinary = nope\n",
     "t.ini:2: unknown key 'prio' in '[task a]' (did you mean 'priority'?)"},
    /* then the tasks, then devices and SHMs, then DMA streams */
    {"[dma s]\nlabel = x\n[shm m]\nsize = 3\n[device d]\nbase = 1\n" TASK("a", "1") "prio = 1\n",
     "t.ini:10: unknown key 'prio' in '[task a]' (did you mean 'priority'?)"},
    {"[dma s]\nlabel = x\n[shm m]\nsize = 3\n[device d]\nbase = 1\n" TASK("a", "1"),
     "t.ini:3: SHM 'm' has no 'label' (a 32-bit number, unique among SHMs)"},
    {"[dma s]\nlabel = x\n" TASK("a", "1"),
     "t.ini:2: 'label' must be a number, decimal or hexadecimal with 0x (got 'x')"},
    {"[device d]\nlabel = 1\n", "t.ini:1: no task: add a '[task NAME]' group with at least "
                                "'binary' and 'label'"},
    /* resource groups */
    {DRV "[device]\n", "t.ini:4: '[device]' needs a name: '[device NAME]'"},
    {DRV "[shm]\n", "t.ini:4: '[shm]' needs a name: '[shm NAME]'"},
    {DRV "[dma]\n", "t.ini:4: '[dma]' needs a name: '[dma NAME]'"},
    {DRV "[device a/b]\n",
     "t.ini:4: invalid device name 'a/b' (letters, digits, '_', '-' and '.' only)"},
    {DRV "[shm a b]\n", "t.ini:4: invalid SHM name 'a b' (letters, digits, '_', '-' and '.' only)"},
    {DRV "[dma a:b]\n",
     "t.ini:4: invalid DMA stream name 'a:b' (letters, digits, '_', '-' and '.' only)"},
    {DRV "[device a]\nlabel = 1\n[device  a]\n", "t.ini:6: duplicate device 'a' (first at line 4)"},
    {DRV "[shm a]\nlabel = 1\nowner = drv\nbase = 0x1000\nsize = 32\n[shm  a]\n",
     "t.ini:9: duplicate SHM 'a' (first at line 4)"},
    /* a device and an SHM may share a name */
    {DRV "[device a]\nlabel = 1\n[shm a]\n",
     "t.ini:6: SHM 'a' has no 'label' (a 32-bit number, unique among SHMs)"},
    /* [device NAME] */
    {DRV "[device d]\nowner = drv\n",
     "t.ini:4: device 'd' has no 'label' (a 32-bit number, unique among devices)"},
    {DRV "[device d]\nlabel = 0x100000000\n",
     "t.ini:5: 'label' must be between 0x0 and 0xffffffff (got 0x100000000)"},
    {DRV "[device a]\nlabel = 0x10\n[device b]\nlabel = 16\n",
     "t.ini:7: duplicate label 0x10: device 'a' has it too (line 5)"},
    {DRV "[device d]\nlabel = 1\nowner = dvr\n",
     "t.ini:6: unknown owner task 'dvr' (did you mean 'drv'?)"},
    {DRV TASK("other", "2") "[device d]\nlabel = 1\nowner = driver-task\n",
     "t.ini:9: unknown owner task 'driver-task' (known: drv, other)"},
    {DRV "[device d]\nlabel = 1\nowner =\n",
     "t.ini:6: 'owner' is empty (expected the name of a task)"},
    {DRV "[device a]\nlabel = 0x10042\nowner = drv\ncompatible = st,stm32-gpio\n"
         "base = 0x40000000\nsize = 0x400\n"
         "[device b]\nlabel = 0x42\nowner = drv\ncompatible = gpio-leds\n",
     "t.ini:11: device 'b' would get the handle of device 'a' (line 5), 0x20084002: their "
     "labels 0x42 and 0x10042 agree in the low 16 bits and both have class CAP_DEV_IO "
     "(uapi.md 3.4)"},
    /* an explicit class counts */
    {DRV "[device a]\nlabel = 0x10042\nowner = drv\ncompatible = st,stm32-gpio\n"
         "base = 0x40000000\nsize = 0x400\n"
         "[device b]\nlabel = 0x42\nclass = CAP_DEV_IO\nowner = drv\nbase = 0x40000400\n"
         "size = 0x400\n",
     "t.ini:11: device 'b' would get the handle of device 'a' (line 5), 0x20084002: their "
     "labels 0x42 and 0x10042 agree in the low 16 bits and both have class CAP_DEV_IO "
     "(uapi.md 3.4)"},
    {DRV "[device d]\nlabel = 1\nclass = CAP_SYS_POWER\n",
     "t.ini:6: 'class' must be one CAP_DEV_* capability, or 0 for none (got 'CAP_SYS_POWER')"},
    {DRV "[device d]\nlabel = 1\nclass = CAP_DEV_IO; CAP_DEV_DMA\n",
     "t.ini:6: 'class' must be one CAP_DEV_* capability, or 0 for none (got 'CAP_DEV_IO; "
     "CAP_DEV_DMA')"},
    {DRV "[device d]\nlabel = 1\nclass = CAP_DEV_OI\n",
     "t.ini:6: unknown capability 'CAP_DEV_OI' (did you mean 'CAP_DEV_IO'?)"},
    {DRV "[device d]\nlabel = 1\nmappable = 2\n",
     "t.ini:6: 'mappable' must be true or false (got '2')"},
    {DRV "[device d]\nlabel = 1\ninterupts = 3\n",
     "t.ini:6: unknown key 'interupts' in '[device d]' (did you mean 'interrupts'?)"},
    {DRV "[device d]\nlabel = 1\nclock = 3\n",
     "t.ini:6: unknown key 'clock' in '[device d]' (known: label, owner, compatible, class, "
     "model, base, size, mappable, interrupts, ios, io.N, reg.OFFSET)"},
    /* windows */
    {DRV "[device d]\nlabel = 1\nsize = 100\n",
     "t.ini:6: device 'd' has a 'size' but no 'base' (give both, or neither for a device "
     "without register window)"},
    {DRV "[device d]\nlabel = 1\nbase = 0x100000000\n",
     "t.ini:6: 'base' must be between 0x0 and 0xffffffff (got 0x100000000)"},
    {DRV "[device d]\nlabel = 1\nsize = 0x100000020\n",
     "t.ini:6: 'size' must be between 0x0 and 0x100000000 (got 0x100000020)"},
    {DRV "[device d]\nlabel = 1\nbase = 0x40011000\n",
     "t.ini:6: device 'd' has a 'base' but no 'size' (give both, or neither for a device "
     "without register window)"},
    {DRV "[device d]\nlabel = 1\nbase = 0x40011000\nsize = 0\n",
     "t.ini:6: device 'd' has a 'base' but no 'size' (give both, or neither for a device "
     "without register window)"},
    {DRV "[device d]\nlabel = 1\nsize = 0x400\n",
     "t.ini:6: device 'd' has a 'size' but no 'base' (give both, or neither for a device "
     "without register window)"},
    {DRV "[device d]\nlabel = 1\nsize = 0x400\nbase = 0\n",
     "t.ini:7: 'base' 0x0 is below 0x1000: the host cannot map the lowest addresses "
     "(mmap_min_addr)"},
    {DRV "[device d]\nlabel = 1\nbase = 0xfe0\nsize = 0x40\n",
     "t.ini:6: 'base' 0xfe0 is below 0x1000: the host cannot map the lowest addresses "
     "(mmap_min_addr)"},
    {DRV "[device d]\nlabel = 1\nbase = 0xfffff000\nsize = 0x2000\n",
     "t.ini:7: device 'd' [0xfffff000, 0x100001000) ends above 0xffffffff (MCU addresses are "
     "32 bits)"},
    {DRV "[device a]\nlabel = 1\nbase = 0x40011000\nsize = 0x400\n"
         "[device b]\nlabel = 2\nsize = 0x20\nbase = 0x400113e0\n",
     "t.ini:11: device 'b' [0x400113e0, 0x40011400) overlaps device 'a' [0x40011000, "
     "0x40011400) (line 6)"},
    /* unowned devices and SHMs too, in file order */
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x40010000\nsize = 0x2000\n"
         "[device a]\nlabel = 1\nbase = 0x40011000\nsize = 0x400\n",
     "t.ini:11: device 'a' [0x40011000, 0x40011400) overlaps SHM 'm' [0x40010000, "
     "0x40012000) (line 7)"},
    /* interrupts */
    {DRV "[device d]\nlabel = 1\ninterrupts = 1; 2; 3; 4; 5; 6; 7; 8; 9\n",
     "t.ini:6: 'interrupts' lists 9 IRQs, at most 8 (uapi.md 9.1)"},
    {"[system]\nnum_irqs = 40\n" DRV "[device d]\nlabel = 1\ninterrupts = 39; 40\n",
     "t.ini:8: IRQ 40 is not below num_irqs (40): raise 'num_irqs' in '[system]' or fix "
     "'interrupts'"},
    {DRV "[device d]\nlabel = 1\ninterrupts = 0x100\n",
     "t.ini:6: IRQ 0x100 is not below num_irqs (240): raise 'num_irqs' in '[system]' or fix "
     "'interrupts'"},
    {DRV "[device d]\nlabel = 1\ninterrupts = 37 IRQ38\n",
     "t.ini:6: 'interrupts' must be a number, decimal or hexadecimal with 0x (got 'IRQ38')"},
    {DRV "[device d]\nlabel = 1\ninterrupts = 37; 38; 37\n",
     "t.ini:6: 'interrupts' lists IRQ 37 twice"},
    /* ios and their configuration */
    {DRV "[device d]\nlabel = 1\nios = 0:0 0:1 0:2 0:3 0:4 0:5 0:6 0:7 0:8\n",
     "t.ini:6: 'ios' lists 9 entries, at most 8 (uapi.md 9.1)"},
    {DRV "[device d]\nlabel = 1\nios = 0:9; PA10\n",
     "t.ini:6: 'ios' entries are PORT:PIN, such as 0:9 (got 'PA10')"},
    {DRV "[device d]\nlabel = 1\nios = 0:256\n",
     "t.ini:6: 'ios pin' must be between 0 and 255 (got 256)"},
    {DRV "[device d]\nlabel = 1\nios = A:1\n",
     "t.ini:6: 'ios port' must be a number, decimal or hexadecimal with 0x (got 'A')"},
    {DRV "[device d]\nlabel = 1\nio.8 = mode=1\n",
     "t.ini:6: unknown key 'io.8' in '[device d]' (io keys are io.0 to io.7)"},
    {DRV "[device d]\nlabel = 1\nio.x = mode=1\n",
     "t.ini:6: unknown key 'io.x' in '[device d]' (io keys are io.0 to io.7)"},
    {DRV "[device d]\nlabel = 1\nio.1 = mode=1\nios = 0:1\n",
     "t.ini:6: 'io.1' configures io 1, but 'ios' declares 1 (io.0 to io.0)"},
    {DRV "[device d]\nlabel = 1\nio.0 = mode=1\n",
     "t.ini:6: 'io.0' configures io 0, but the device declares no 'ios'"},
    {DRV "[device d]\nlabel = 1\nios = 0:1\nio.0 = mode=1\nio.00 = af=1\n",
     "t.ini:8: 'io.00' configures io 0 again (first at line 7)"},
    {DRV "[device d]\nlabel = 1\nios = 0:1\nio.0 = mdoe=1\n",
     "t.ini:7: unknown field 'mdoe' in 'io.0' (did you mean 'mode'?)"},
    {DRV "[device d]\nlabel = 1\nios = 0:1\nio.0 = pull=1\n",
     "t.ini:7: unknown field 'pull' in 'io.0' (did you mean 'ppull'?)"},
    {DRV "[device d]\nlabel = 1\nios = 0:1\nio.0 = mode 1\n",
     "t.ini:7: 'io.0' takes FIELD=VALUE items, such as mode=2 af=7 (got 'mode')"},
    {DRV "[device d]\nlabel = 1\nios = 0:1\nio.0 = af=1 af=2\n", "t.ini:7: 'io.0' sets 'af' twice"},
    {DRV "[device d]\nlabel = 1\nios = 0:1\nio.0 = speed=256\n",
     "t.ini:7: 'io.0 speed' must be between 0 and 255 (got 256)"},
    {DRV "[device d]\nlabel = 1\nios = 0:1\nio.0 = pupdr=0x100000000\n",
     "t.ini:7: 'io.0 pupdr' must be between 0x0 and 0xffffffff (got 0x100000000)"},
    /* register reset values */
    {DRV "[device d]\nlabel = 1\nbase = 0x40000000\nsize = 0x400\nreg.0x6 = 1\n",
     "t.ini:8: 'reg.0x6': register offset 0x6 is not a multiple of 4"},
    {DRV "[device d]\nlabel = 1\nbase = 0x40000000\nsize = 0x400\nreg.ctrl = 1\n",
     "t.ini:8: unknown key 'reg.ctrl' in '[device d]' (register keys are reg.OFFSET, such as "
     "reg.0x04)"},
    {DRV "[device d]\nlabel = 1\nbase = 0x40000000\nsize = 0x400\nreg.0x04 = 1\nreg.4 = 2\n",
     "t.ini:9: 'reg.4' sets register 0x4 again (first at line 8)"},
    {DRV "[device d]\nlabel = 1\nreg.0x400 = 1\nbase = 0x40000000\nsize = 0x400\n",
     "t.ini:6: register 0x400 is outside the register window of device 'd' (size 0x400)"},
    {DRV "[device d]\nlabel = 1\nreg.0 = 1\n",
     "t.ini:6: register 0x0 is outside the register window of device 'd' (size 0x0)"},
    {DRV "[device d]\nlabel = 1\nbase = 0x40000000\nsize = 0x400\nreg.0 = 0x1ffffffff\n",
     "t.ini:8: 'reg.0' must be between 0x0 and 0xffffffff (got 0x1ffffffff)"},
    {DRV "[device d]\nlabel = 1\nreg = 1\n",
     "t.ini:6: unknown key 'reg' in '[device d]' (did you mean 'reg.OFFSET'?)"},
    /* [shm NAME] */
    {DRV "[shm m]\nowner = drv\nbase = 0x1000\nsize = 32\n",
     "t.ini:4: SHM 'm' has no 'label' (a 32-bit number, unique among SHMs)"},
    {DRV "[shm m]\nlabel = 1\nbase = 0x1000\nsize = 32\n",
     "t.ini:4: SHM 'm' has no 'owner' (the name of the task that owns it)"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nsize = 32\n",
     "t.ini:4: SHM 'm' has no 'base' (the address tasks see it at)"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x1000\n",
     "t.ini:4: SHM 'm' has no 'size' (in bytes)"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x1000\nsize = 0\n",
     "t.ini:8: 'size' must be between 1 and 4294967296 (got 0)"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x20\nsize = 32\n",
     "t.ini:7: 'base' 0x20 is below 0x1000: the host cannot map the lowest addresses "
     "(mmap_min_addr)"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0xffffffe0\nsize = 64\n",
     "t.ini:8: SHM 'm' [0xffffffe0, 0x100000020) ends above 0xffffffff (MCU addresses are 32 "
     "bits)"},
    {DRV "[shm m]\nlabel = 1\nowner = nobody\nbase = 0x1000\nsize = 32\n",
     "t.ini:6: unknown owner task 'nobody' (known: drv)"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x1000\nsize = 32\n"
         "[shm n]\nlabel = 1\n",
     "t.ini:10: duplicate label 0x1: SHM 'm' has it too (line 5)"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x1000\nsize = 32\n"
         "[shm n]\nlabel = 2\nowner = drv\nbase = 0x1000\nsize = 32\n",
     "t.ini:12: SHM 'n' [0x1000, 0x1020) overlaps SHM 'm' [0x1000, 0x1020) (line 7)"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x1000\nsize = 32\nno_map = maybe\n",
     "t.ini:9: 'no_map' must be true or false (got 'maybe')"},
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x1000\nsize = 32\ndma-pool = true\n",
     "t.ini:9: unknown key 'dma-pool' in '[shm m]' (did you mean 'dma_pool'?)"},
    /* [dma NAME] */
    {DRV SHM_M "[dma s]\nowner = drv\nchannel = 1\nsource = shm m\ndest = shm m\nlength = 1\n",
     "t.ini:10: DMA stream 's' has no 'label' (a 32-bit number, unique among DMA streams)"},
    {DRV SHM_M "[dma s]\nlabel = 1\nchannel = 1\nsource = shm m\ndest = shm m\nlength = 1\n",
     "t.ini:10: DMA stream 's' has no 'owner' (the name of the task that owns its channel)"},
    {DRV SHM_M "[dma s]\nlabel = 1\nowner = drv\nsource = shm m\ndest = shm m\nlength = 1\n",
     "t.ini:10: DMA stream 's' has no 'channel' (the unit address of its channel)"},
    {DRV SHM_M "[dma s]\nlabel = 1\nowner = drv\nchannel = 1\ndest = shm m\nlength = 1\n",
     "t.ini:10: DMA stream 's' has no 'source' ('shm NAME' or 'device NAME')"},
    {DRV SHM_M "[dma s]\nlabel = 1\nowner = drv\nchannel = 1\nsource = shm m\nlength = 1\n",
     "t.ini:10: DMA stream 's' has no 'dest' ('shm NAME' or 'device NAME')"},
    {DRV SHM_M "[dma s]\nlabel = 1\nowner = drv\nchannel = 1\nsource = shm m\ndest = shm m\n",
     "t.ini:10: DMA stream 's' has no 'length' (the transfer length in bytes)"},
    {DRV SHM_M DMA_S "channel = 1\nlength = 32\n[dma t]\nlabel = 0x1\n",
     "t.ini:18: duplicate label 0x1: DMA stream 's' has it too (line 11)"},
    {DRV SHM_M DMA_S "length = 0\n", "t.ini:15: 'length' must be between 1 and 4294967295 (got 0)"},
    {DRV SHM_M DMA_S "length = 33\nchannel = 1\n",
     "t.ini:15: 'length' 33 is larger than the 'source' SHM 'm' (32 bytes, line 4)"},
    {DRV SHM_M DMA_S "channel = 0x10000\n",
     "t.ini:15: 'channel' must be between 0x0 and 0xffff (got 0x10000)"},
    {DRV SHM_M DMA_S "stream = 65536\n",
     "t.ini:15: 'stream' must be between 0 and 65535 (got 65536)"},
    {DRV SHM_M DMA_S "controller = -1\n",
     "t.ini:15: 'controller' must be between 0 and 65535 (got -1)"},
    {DRV SHM_M DMA_S "circular = true\n",
     "t.ini:15: 'circular' takes two booleans, for the source and the destination, such as "
     "'false true' (got 'true')"},
    {DRV SHM_M DMA_S "circular = true yes no\n",
     "t.ini:15: 'circular' takes two booleans, for the source and the destination, such as "
     "'false true' (got 'true yes no')"},
    {DRV SHM_M DMA_S "circular = true rounds\n",
     "t.ini:15: 'circular destination' must be true or false (got 'rounds')"},
    {DRV SHM_M DMA_S "priority = hihg\n",
     "t.ini:15: 'priority' must be one of low, medium, high, very_high (got 'hihg': did you "
     "mean 'high'?)"},
    {DRV SHM_M DMA_S "priority = 4\n",
     "t.ini:15: 'priority' must be one of low, medium, high, very_high (got '4')"},
    {DRV SHM_M DMA_S "prio = high\n",
     "t.ini:15: unknown key 'prio' in '[dma s]' (did you mean 'priority'?)"},
    {DRV SHM_M DMA_S "owner = other\n", "t.ini:15: duplicate key 'owner' in '[dma s]' (first at "
                                        "line 12)"},
    /* ends */
    {DRV SHM_M "[device d]\nlabel = 1\n[dma s]\nsource = m\n",
     "t.ini:13: 'source' must be 'shm NAME' or 'device NAME' (got 'm': did you mean 'shm m'?)"},
    {DRV SHM_M "[device d]\nlabel = 1\n[dma s]\ndest = dev d\n",
     "t.ini:13: 'dest' must be 'shm NAME' or 'device NAME' (got 'dev d': did you mean "
     "'device d'?)"},
    {DRV SHM_M "[device m]\nlabel = 1\n[dma s]\nsource = m\n",
     "t.ini:13: 'source' must be 'shm NAME' or 'device NAME' (got 'm')"},
    {DRV SHM_M "[dma s]\nsource = shm\n",
     "t.ini:11: 'source' must be 'shm NAME' or 'device NAME' (got 'shm')"},
    {DRV SHM_M "[dma s]\nsource = shm  mm\n", "t.ini:11: unknown SHM 'mm' in 'source' (did you "
                                              "mean 'm'?)"},
    {DRV SHM_M "[dma s]\nsource = device m\n",
     "t.ini:11: unknown device 'm' in 'source' (no device is declared)"},
    {DRV "[device d]\nlabel = 1\n[dma s]\ndest = shm d\n",
     "t.ini:7: unknown SHM 'd' in 'dest' (no SHM is declared)"},
};

START_TEST(test_errors)
{
	assert_error(error_cases[_i].text, error_cases[_i].message);
}
END_TEST

/* 255 tasks is the most the kernel takes (8-bit handle ids, idle included). */
START_TEST(test_task_limit)
{
	GString *text = g_string_new("[system]\nmax_tasks = 255\n");
	SysDesc *d;
	GError *err = NULL;

	for (int i = 1; i <= 255; i++)
		g_string_append_printf(text, "[task t%d]\nbinary = hello-task\nlabel = %d\n", i, i);
	d = load_ok(text->str);
	ck_assert_uint_eq(d->n_tasks, 255);
	ck_assert_str_eq(d->tasks[254].name, "t255");
	ck_assert_uint_eq(d->ktasks[254].label, 255);
	sysdesc_free(d);
	g_string_append(text, "[task t256]\nbinary = hello-task\nlabel = 256\n");
	ck_assert_ptr_null(load_text(text->str, &err));
	ck_assert_str_eq(
	    err->message,
	    "t.ini:768: too many tasks: 't256' is task 256, the kernel takes at most 255");
	g_error_free(err);
	g_string_free(text, TRUE);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char text[] = "[task a]\nbinary = hello-task\nla\0bel = 1\n";
	GError *err = NULL;

	write_file("t.ini", text, sizeof(text) - 1, 0644);
	ck_assert_ptr_null(sysdesc_load("t.ini", search, &err));
	ck_assert_str_eq(err->message, "t.ini:3: NUL byte in the file (is it a text file?)");
	g_error_free(err);
}
END_TEST

START_TEST(test_unreadable)
{
	GError *err = NULL;

	ck_assert_ptr_null(sysdesc_load("missing.ini", search, &err));
	ck_assert_int_eq(err->code, INI_ERROR_IO);
	ck_assert_str_eq(err->message, "missing.ini: cannot read: No such file or directory");
	g_clear_error(&err);
	ck_assert_ptr_null(sysdesc_load("path1", search, &err));
	ck_assert_str_eq(err->message,
	                 "path1: cannot read: a directory (a description is a regular file)");
	g_clear_error(&err);
	/* A FIFO is refused at once: opening it for reading must not wait for a writer. */
	ck_assert_int_eq(mkfifo("fifo.ini", 0644), 0);
	ck_assert_ptr_null(sysdesc_load("fifo.ini", search, &err));
	ck_assert_int_eq(err->code, INI_ERROR_IO);
	ck_assert_str_eq(err->message,
	                 "fifo.ini: cannot read: a FIFO (a description is a regular file)");
	g_clear_error(&err);
	ck_assert_ptr_null(sysdesc_load("/dev/null", search, &err));
	ck_assert_str_eq(err->message, "/dev/null: cannot read: a character device (a "
	                               "description is a regular file)");
	g_error_free(err);
}
END_TEST

/* ---- warnings ---------------------------------------------------------------------------- */

static const struct {
	const char *text;
	const char *warnings; /* joined with '\n' */
} warning_cases[] = {
    {TASK("a", "1") "quantum = 0\n",
     "t.ini:4: warning: quantum 0: task 'a' is never preempted, its tick counter wraps "
     "(uncharacterized, uapi.md 7.3)"},
    {"[system]\nexchange_len = 256\n" TASK("a", "1"),
     "t.ini:2: warning: exchange_len 256 is outside the reference behaviour: the upstream "
     "library hard-codes 128 (uapi.md 1.6)"},
    {TASK("a", "1") "exit_mode = reset\n" TASK("b", "2") "exit_mode = periodicrestart\n",
     "t.ini:4: warning: exit mode 'reset' behaves as 'norestart' (uapi.md 7.5)\n"
     "t.ini:8: warning: exit mode 'periodicrestart' behaves as 'norestart' (uapi.md 7.5)"},
    {TASK("a", "1") "start = manual\n" TASK("b", "2") "start = manual\n",
     "t.ini:1: warning: no task has 'start = auto': only idle will run"},
    /* autotest: fixed metadata, in line order whatever the order of checks */
    {"[system]\nbuild = autotest\n"
     "[task t]\nexit_mode = panic\nbinary = hello-task\nlabel = 0xcafe\npriority = 1\n"
     "quantum = 0\ndomain = 3\ncapabilities = CAP_DEV_IO\nstart = manual\n",
     "t.ini:4: warning: 'exit_mode' is ignored in the autotest build: the test task's "
     "exit_mode is restart (uapi.md 7.9)\n"
     "t.ini:6: warning: 'label' is ignored in the autotest build: the test task's label is "
     "0xbabe (uapi.md 7.9)\n"
     "t.ini:8: warning: 'quantum' is ignored in the autotest build: the test task's quantum "
     "is 10 (uapi.md 7.9)\n"
     "t.ini:9: warning: 'domain' is ignored in the autotest build: the test task's domain is "
     "0 (uapi.md 7.9)\n"
     "t.ini:10: warning: 'capabilities' is ignored in the autotest build: the test task "
     "holds the global set, see 'autotest_caps' (uapi.md 6.3)\n"
     "t.ini:11: warning: 'start' is ignored in the autotest build: the test task's start is "
     "auto (uapi.md 7.9)"},
    /* values equal to the fixed ones say nothing */
    {"[system]\nbuild = autotest\n"
     "[task t]\nbinary = hello-task\nlabel = 0xbabe\npriority = 1\nquantum = 10\n"
     "exit_mode = restart\nstart = auto\ncapabilities =\n",
     ""},
    {TASK("a", "1") "quantum = 1\nexit_mode = restart\n", ""},
    /* an explicit class that differs from the derived one (uapi.md 9.1 MUST report) */
    {DRV "[device d]\nlabel = 1\ncompatible = st,stm32-usart\nclass = CAP_DEV_TIMER\n",
     "t.ini:7: warning: class CAP_DEV_TIMER differs from CAP_DEV_BUSES, the class the kernel "
     "derives from 'compatible' (uapi.md 9.1): the simulator uses CAP_DEV_TIMER"},
    {DRV "[device d]\nlabel = 1\nclass = CAP_DEV_CRYPTO\n",
     "t.ini:6: warning: class CAP_DEV_CRYPTO differs from 0, the class the kernel derives from "
     "'compatible' (uapi.md 9.1): the simulator uses CAP_DEV_CRYPTO"},
    {DRV "[device d]\nlabel = 1\nclass = CAP_DEV_BUSES\ncompatible = st,stm32-usart\n", ""},
    /* an owned device without class: map_dev panics */
    {DRV "[device d]\nlabel = 1\nowner = drv\ncompatible = arm,nvic\nbase = 0xe000e000\n"
         "size = 0x1000\n",
     "t.ini:7: warning: device 'd' has no capability class (no 'compatible' string names one, "
     "uapi.md 9.1): map_dev or unmap_dev of it panics the kernel (uapi.md 4.7)"},
    {DRV "[device d]\nlabel = 1\nowner = drv\nbase = 0xe000e000\nsize = 0x1000\n",
     "t.ini:4: warning: device 'd' has no capability class (no 'compatible' string names one, "
     "uapi.md 9.1): map_dev or unmap_dev of it panics the kernel (uapi.md 4.7)"},
    {DRV "[device d]\nlabel = 1\nowner = drv\ncompatible = gpio\nclass = 0\nbase = 0x1000\n"
         "size = 32\n",
     "t.ini:8: warning: class 0 differs from CAP_DEV_IO, the class the kernel derives from "
     "'compatible' (uapi.md 9.1): the simulator uses 0\n"
     "t.ini:8: warning: device 'd' has class 0: map_dev or unmap_dev of it panics the kernel "
     "(uapi.md 4.7)"},
    /* unowned: no task can map it, nothing to say */
    {DRV "[device d]\nlabel = 1\n", ""},
    /* an owned device without window */
    {DRV "[device d]\nlabel = 1\nowner = drv\ncompatible = gpio\n",
     "t.ini:6: warning: device 'd' has an owner but no register window ('base', 'size'): "
     "mapping it is not characterized (uapi.md 4.7)"},
    /* IRQs shared: the kernel uses the first listed device */
    {DRV "[device a]\nlabel = 1\ninterrupts = 5; 6; 7\n[device b]\nlabel = 2\n"
         "[device c]\nlabel = 3\ninterrupts = 8; 7; 5\n",
     "t.ini:11: warning: IRQ 7 is declared by device 'a' too (line 6): an IRQ should belong to "
     "one device, the kernel uses the first listed device that declares it (uapi.md 9.1)\n"
     "t.ini:11: warning: IRQ 5 is declared by device 'a' too (line 6): an IRQ should belong to "
     "one device, the kernel uses the first listed device that declares it (uapi.md 9.1)"},
    /* a DMA end that is no DMA pool */
    {DRV "[shm m]\nlabel = 1\nowner = drv\nbase = 0x1000\nsize = 32\n"
         "[dma s]\nlabel = 1\nowner = drv\nchannel = 1\nsource = shm m\ndest = shm m\n"
         "length = 32\n",
     "t.ini:13: warning: SHM 'm' (line 4) is not a DMA pool: only an SHM declared 'dma_pool = "
     "true' may be a DMA source or destination (uapi.md 9.2)\n"
     "t.ini:14: warning: SHM 'm' (line 4) is not a DMA pool: only an SHM declared 'dma_pool = "
     "true' may be a DMA source or destination (uapi.md 9.2)"},
    /* host pages holding windows of different owners: once per page */
    {DRV TASK("app", "0x2000") "[shm a]\nlabel = 1\nowner = drv\nbase = 0x2000b000\nsize = 0x100\n"
                               "[shm b]\nlabel = 2\nowner = drv\nbase = 0x2000b100\nsize = 0x100\n"
                               "[shm c]\nlabel = 3\nowner = app\nbase = 0x2000b200\nsize = 0x1000\n"
                               "[device d]\nlabel = 4\nowner = app\ncompatible = gpio\nbase = "
                               "0x2000c400\nsize = 0x20\n"
                               "[device e]\nlabel = 5\nowner = drv\ncompatible = gpio\nbase = "
                               "0x2000c800\nsize = 0x20\n",
     "t.ini:20: warning: isolation is coarser than on the MCU: host page 0x2000b000 holds SHM "
     "'a' (owner drv) and SHM 'c' (owner app); a task that maps one can reach the other in "
     "that page\n"
     "t.ini:32: warning: isolation is coarser than on the MCU: host page 0x2000c000 holds SHM "
     "'c' (owner app) and device 'e' (owner drv); a task that maps one can reach the other in "
     "that page"},
    /* same owner, or a device no task can map: nothing to say */
    {DRV TASK(
         "app",
         "0x2000") "[shm a]\nlabel = 1\nowner = drv\nbase = 0x2000b000\nsize = 0x100\n"
                   "[device d]\nlabel = 4\nowner = drv\ncompatible = gpio\nbase = 0x2000b100\nsize "
                   "= 0x20\n"
                   "[device e]\nlabel = 5\ncompatible = gpio\nbase = 0x2000b200\nsize = 0x20\n",
     ""},
};

START_TEST(test_warnings)
{
	SysDesc *d = load_ok(warning_cases[_i].text);
	char *w = joined_warnings(d);

	ck_assert_str_eq(w, warning_cases[_i].warnings);
	g_free(w);
	sysdesc_free(d);
}
END_TEST

START_TEST(test_autotest)
{
	SysDesc *d = load_ok("[system]\nbuild = autotest\nautotest_caps = 0x00100000\n"
	                     "[task t]\nbinary = hello-task\nentry = at_main\npriority = 7\n");

	ck_assert_int_eq(d->kernel.build, KERNEL_BUILD_AUTOTEST);
	ck_assert_uint_eq(d->kernel.autotest_caps, 0x00100000);
	ck_assert_uint_eq(d->n_tasks, 1);
	ck_assert_uint_eq(d->kernel.n_tasks, 1);
	ck_assert_str_eq(d->tasks[0].entry, "at_main");
	ck_assert_uint_eq(d->ktasks[0].label, 0xbabe);
	ck_assert_uint_eq(d->ktasks[0].priority, 1);
	ck_assert_uint_eq(d->ktasks[0].quantum, 10);
	ck_assert_uint_eq(d->ktasks[0].domain, 0);
	ck_assert_uint_eq(d->ktasks[0].capabilities, 0);
	ck_assert(d->ktasks[0].auto_start);
	ck_assert_uint_eq(d->ktasks[0].exit_mode, EXIT_MODE_RESTART);
	ck_assert_uint_eq(d->warnings->len, 1);
	ck_assert_str_eq(g_ptr_array_index(d->warnings, 0),
	                 "t.ini:7: warning: 'priority' is ignored in the autotest build: the test "
	                 "task's priority is 1 (uapi.md 7.9)");
	sysdesc_free(d);
}
END_TEST

/* ---- task binaries ----------------------------------------------------------------------- */

static void assert_binary(const SysDesc *d, const char *rel)
{
	char *want = g_build_filename(tmp, rel, NULL);

	ck_assert_str_eq(d->tasks[0].binary, want);
	g_free(want);
}

START_TEST(test_binary_resolution)
{
	GError *err = NULL;
	SysDesc *d;

	/* The file's directory first, then the search path; the file may be elsewhere. */
	ck_assert_int_eq(g_mkdir("sys", 0755), 0);
	write_file("sys/t.ini", TASK("a", "1"), -1, 0644);
	d = sysdesc_load("sys/t.ini", search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/hello-task");
	sysdesc_free(d);

	write_file("sys/hello-task", elf_header, 64, 0755);
	d = sysdesc_load("sys/t.ini", search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "sys/hello-task");
	sysdesc_free(d);

	/* Not an ELF executable, not executable, or a directory: skipped for the next
	 * candidate. */
	write_file("sys/hello-task", "#!/bin/sh\n", -1, 0755);
	d = sysdesc_load("sys/t.ini", search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/hello-task");
	sysdesc_free(d);
	write_file("sys/hello-task", elf_header, 64, 0755);
	ck_assert_int_eq(g_chmod("sys/hello-task", 0644), 0);
	d = sysdesc_load("sys/t.ini", search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/hello-task");
	sysdesc_free(d);

	/* Subdirectories, "..", and search path entries given absolute. */
	char *abs = g_build_filename(tmp, "path1", NULL);
	const char *const abs_search[] = {"/nonexistent", abs, NULL};
	write_file("sys/t.ini", "[task a]\nbinary = ../path1/./bin/worker-task\nlabel = 1\n", -1,
	           0644);
	d = sysdesc_load("sys/t.ini", abs_search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/bin/worker-task");
	sysdesc_free(d);
	write_file("t.ini", "[task a]\nbinary = bin/worker-task\nlabel = 1\n", -1, 0644);
	d = sysdesc_load("t.ini", abs_search, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/bin/worker-task");
	sysdesc_free(d);
	g_free(abs);

	/* Absolute paths are used as they are; no search path at all is fine. */
	char *text = g_strdup_printf("[task a]\nbinary = %s/path1/hello-task\nlabel = 1\n", tmp);
	write_file("t.ini", text, -1, 0644);
	d = sysdesc_load("t.ini", NULL, &err);
	ck_assert_ptr_nonnull(d);
	assert_binary(d, "path1/hello-task");
	sysdesc_free(d);
	g_free(text);
	ck_assert_ptr_null(err);
}
END_TEST

START_TEST(test_binary_errors)
{
	GError *err = NULL;
	char *want;

	ck_assert_ptr_null(load_text(TASK("a", "1") "[task b]\nlabel = 2\nbinary = nope\n", &err));
	want = g_strdup_printf("t.ini:6: binary 'nope' not found (tried: %s/nope, %s/path1/nope)",
	                       tmp, tmp);
	ck_assert_str_eq(err->message, want);
	ck_assert_int_eq(err->code, INI_ERROR_NOT_FOUND);
	g_clear_error(&err);
	g_free(want);

	ck_assert_ptr_null(load_text("[task a]\nbinary = noexec\nlabel = 1\n", &err));
	want = g_strdup_printf("t.ini:2: binary 'noexec' has no executable file (%s/noexec: not "
	                       "executable; %s/path1/noexec: not found)",
	                       tmp, tmp);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);

	ck_assert_ptr_null(load_text("[task a]\nbinary = path1\nlabel = 1\n", &err));
	want = g_strdup_printf("t.ini:2: binary 'path1' has no executable file (%s/path1: a "
	                       "directory; %s/path1/path1: not found)",
	                       tmp, tmp);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);

	ck_assert_ptr_null(load_text("[task a]\nbinary = /nonexistent/task\nlabel = 1\n", &err));
	ck_assert_str_eq(err->message, "t.ini:2: binary '/nonexistent/task' not found");
	g_clear_error(&err);

	char *text = g_strdup_printf("[task a]\nbinary = %s/noexec\nlabel = 1\n", tmp);
	ck_assert_ptr_null(load_text(text, &err));
	want = g_strdup_printf("t.ini:2: binary '%s/noexec' is not executable", tmp);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);
	g_free(text);

	/* Without a search path, only the file's directory is tried. */
	write_file("t.ini", TASK("a", "1"), -1, 0644);
	ck_assert_ptr_null(sysdesc_load("t.ini", NULL, &err));
	want = g_strdup_printf("t.ini:2: binary '%s/hello-task' not found", tmp);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);
}
END_TEST

/* The kernel asks no alignment of windows (it rounds the MPU region it programs and reports
 * the declared size): the autotest board's SHM of 0x256 bytes loads as declared. */
START_TEST(test_unaligned_windows)
{
	SysDesc *d = load_ok(TASK("drv", "1") "[shm m]\nlabel = 0xf00\nowner = drv\n"
	                                      "base = 0x2000a000\nsize = 0x256\n"
	                                      "[device d]\nlabel = 1\nbase = 0x40011010\n"
	                                      "size = 0x401\n");

	ck_assert_uint_eq(d->board.shms[0].size, 0x256);
	ck_assert_uint_eq(d->board.shms[0].base, 0x2000a000);
	ck_assert_uint_eq(d->board.devices[0].base, 0x40011010);
	ck_assert_uint_eq(d->board.devices[0].size, 0x401);
	sysdesc_free(d);
}
END_TEST

/* A script given as 'binary' would run on the host outside anything the daemon sets up. */
START_TEST(test_binary_not_elf)
{
	GError *err = NULL;
	char *text, *want;

	write_file("script.sh", "#!/bin/sh\necho escaped\n", -1, 0755);
	write_file("data.bin", "just some bytes, no ELF header at all, long enough for one.......",
	           -1, 0755);
	text = g_strdup_printf("[task a]\nbinary = %s/script.sh\nlabel = 1\n", tmp);
	ck_assert_ptr_null(load_text(text, &err));
	want = g_strdup_printf("t.ini:2: binary '%s/script.sh' is a script, not an ELF executable "
	                       "for this host (",
	                       tmp);
	ck_assert_msg(g_str_has_prefix(err->message, want), "%s", err->message);
	ck_assert_int_eq(err->code, INI_ERROR_NOT_FOUND);
	g_clear_error(&err);
	g_free(want);
	g_free(text);

	ck_assert_ptr_null(load_text("[task a]\nbinary = data.bin\nlabel = 1\n", &err));
	want =
	    g_strdup_printf("t.ini:2: binary 'data.bin' has no executable file (%s/data.bin: not "
	                    "an ELF executable for this host (",
	                    tmp);
	ck_assert_msg(g_str_has_prefix(err->message, want), "%s", err->message);
	g_clear_error(&err);
	g_free(want);
}
END_TEST

/* Long values and names are refused, and messages quote only an excerpt of them. */
START_TEST(test_long_values)
{
	GError *err = NULL;
	GString *text = g_string_new("[system]\nseed = ");

	for (int i = 0; i < 10 << 20; i++)
		g_string_append_c(text, '7');
	g_string_append(text, "\n" TASK("a", "1"));
	ck_assert_ptr_null(load_text(text->str, &err));
	ck_assert_str_eq(err->message,
	                 "t.ini:2: the value of 'seed' is 10485760 bytes long, at most "
	                 "65536");
	g_clear_error(&err);

	g_string_assign(text, "[system]\nseed = ");
	for (int i = 0; i < 2000; i++)
		g_string_append_c(text, '7');
	g_string_append(text, "\n" TASK("a", "1"));
	ck_assert_ptr_null(load_text(text->str, &err));
	ck_assert_str_eq(err->message, "t.ini:2: 'seed' is too long to be a value (2000 bytes: "
	                               "'7777777777777777777777777777777777777...')");
	g_clear_error(&err);

	g_string_assign(text, "[system]\n");
	for (int i = 0; i < 1000; i++)
		g_string_append_c(text, 'k');
	g_string_append(text, " = 1\n");
	ck_assert_ptr_null(load_text(text->str, &err));
	ck_assert_str_eq(err->message,
	                 "t.ini:2: key name 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' "
	                 "is 1000 bytes long, at most 256");
	g_clear_error(&err);
	g_string_free(text, TRUE);
}
END_TEST

/* A large generated board loads whole and right (loading is linear: names, labels, handles,
 * IRQs and windows are indexed), and a duplicate at its very end is still found. */
START_TEST(test_large_board)
{
	enum { N = 40000 };
	GString *text = g_string_new(TASK("a", "1") TASK("b", "2"));
	GError *err = NULL;

	g_string_append(text, "[system]\nnum_irqs = 65536\n");
	for (guint i = 0; i < N; i++)
		g_string_append_printf(
		    text,
		    "[device d%u]\nlabel = %u\nowner = %s\ncompatible = st,gpio\n"
		    "base = 0x%x\nsize = 0x100\ninterrupts = %u\n",
		    i, 0x10000 + i, i % 2 ? "b" : "a", 0x10000000 + i * 0x1000, i % 60000);
	SysDesc *d = load_ok(text->str);
	ck_assert_uint_eq(d->board.n_devices, N);
	for (guint i = 0; i < N; i += 997) {
		char name[16];
		g_snprintf(name, sizeof(name), "d%u", i);
		ck_assert_int_eq(sysdesc_find_device(d, name), (int)i);
		ck_assert_uint_eq(d->board.devices[i].base, 0x10000000 + i * 0x1000);
		ck_assert_uint_eq(d->board.devices[i].label, 0x10000 + i);
		ck_assert_int_eq(d->devices[i].owner, (int)(i % 2));
		ck_assert_uint_eq(d->board.devices[i].irqs[0], i % 60000);
	}
	ck_assert_uint_eq(d->warnings->len, 0);
	sysdesc_free(d);

	/* The same board, then a device overlapping the first one's window and one reusing the
	 * name of the first. */
	GString *bad = g_string_new(text->str);
	g_string_append(bad, "[device late]\nlabel = 0x7\nbase = 0x10000080\nsize = 0x20\n");
	int line = 1;
	for (const char *p = bad->str; *p != '\0'; p++)
		line += *p == '\n';
	ck_assert_ptr_null(load_text(bad->str, &err));
	char *want = g_strdup_printf("t.ini:%d: device 'late' [0x10000080, 0x100000a0) overlaps "
	                             "device 'd0' [0x10000000, 0x10000100) (line 13)",
	                             line - 2);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
	g_free(want);
	g_string_append(text, "[device d0]\nlabel = 0x7\n");
	ck_assert_ptr_null(load_text(text->str, &err));
	ck_assert_msg(strstr(err->message, "duplicate group '[device d0]' (first at line 9)") !=
	                  NULL,
	              "%s", err->message);
	g_clear_error(&err);
	g_string_free(bad, TRUE);
	g_string_free(text, TRUE);
}
END_TEST

/* ---- the board from a devicetree (docs/devicetree.md) ------------------------------------ */

static const char dt_soc[] =
    "/ {\n"
    "\t#address-cells = <1>;\n\t#size-cells = <1>;\n"
    "\treserved-memory { #address-cells = <1>; #size-cells = <1>; ranges; };\n"
    "\tsoc {\n"
    "\t\t#address-cells = <1>;\n\t\t#size-cells = <1>;\n\t\tinterrupt-parent = <&nvic>;\n"
    "\t\tnvic: interrupt-controller@e000e100 { reg = <0xe000e100 0xc00>;\n"
    "\t\t\tinterrupt-controller; #interrupt-cells = <2>; };\n"
    "\t\trcc: rcc@40021000 { compatible = \"t,rcc\"; reg = <0x40021000 0x400>;\n"
    "\t\t\tclock-frequency = <16000000>; status = \"disabled\"; };\n"
    "\t\tgpioa: gpio@42020000 { compatible = \"t,gpio\"; reg = <0x42020000 0x400>; };\n"
    "\t\tgpiob: gpio@42020400 { compatible = \"t,gpio\"; reg = <0x42020400 0x400>; };\n"
    "\t\tspi1: spi@40013000 { compatible = \"t,spi\"; reg = <0x40013000 0x400>;\n"
    "\t\t\tinterrupts = <35 0>, <36 1>; status = \"disabled\"; };\n"
    "\t\ttim2: timers@40000000 { compatible = \"t,timers\"; reg = <0x40000000 0x400>;\n"
    "\t\t\tstatus = \"disabled\"; };\n"
    "\t\tgpdma1: dma-controller@40020000 { compatible = \"t,gpdma\"; reg = <0x40020000 0x1000>;\n"
    "\t\t\t#address-cells = <1>; #size-cells = <0>; };\n"
    "\t\tgpdma2: dma-controller@40021000 { compatible = \"t,gpdma\"; reg = <0x40022000 0x1000>;\n"
    "\t\t\t#address-cells = <1>; #size-cells = <0>;\n"
    "\t\t\tgpdma2_3: dma-channel@3 { reg = <3>; }; };\n"
    "\t\tpins { p1: p1 { pinmux = <&gpiob 9 0x702>; pincfg = <1 3 2>; };\n"
    "\t\t\tp2: p2 { pinmux = <&gpioa 4 1>; pincfg = <0 0 0>; }; };\n"
    "\t};\n"
    "};\n";

static const char dt_board[] =
    "/dts-v1/;\n"
    "#include <soc/t.dtsi>\n"                                            /* 2 */
    "/ {\n"                                                              /* 3 */
    "\treserved-memory {\n"                                              /* 4 */
    "\t\tbuf: memory@2000a000 { reg = <0x2000a000 0x256>; sentry,shm;\n" /* 5 */
    "\t\t\tdma-pool; sentry,no-map; sentry,label = <0xf00>;\n"           /* 6 */
    "\t\t\tsentry,owner = <OWNER>; };\n"                                 /* 7 */
    "\t\tcode: code@8000000 { reg = <0x8000000 0x1000>; };\n"            /* 8 */
    "\t};\n"                                                             /* 9 */
    "\tdma-streams { s1 { channel = <&gpdma2_3>; streamid = <112>;\n"    /* 10 */
    "\t\tsource = <&spi1>; dest = <&buf>; length = <42>; circular = <1 0>;\n"
    "\t\tpriority = <2>; sentry,label = <0x1>; }; };\n" /* 12 */
    "};\n"                                              /* 13 */
    "&rcc { status = \"okay\"; clock-frequency = <80000000>; };\n"
    "&gpdma2_3 { sentry,owner = <OWNER>; };\n" /* 15 */
    "&spi1 { status = \"okay\"; sentry,owner = <OWNER>; sentry,label = <0x10>;\n"
    "\tpinctrl-0 = <&p1>, <&p2>; sentry,colour = <3>; };\n" /* 17 */
    "&tim2 { status = \"okay\"; outpost,owner = <0x77>; outpost,label = <0x20>;\n"
    "\toutpost,counter = <0xffff>; outpost,prescaler = <0x262>; };\n"; /* 19 */

static void write_dt(void)
{
	ck_assert_int_eq(g_mkdir_with_parents("inc/soc", 0755), 0);
	write_file("inc/soc/t.dtsi", dt_soc, -1, 0644);
	write_file("board.dts", dt_board, -1, 0644);
}

START_TEST(test_devicetree_mapping)
{
	const char *const inc[] = {"inc", NULL};
	const char *const defs[] = {"OWNER=0x1000", NULL};
	SysBoardOptions opts = {.devicetree = "board.dts", .includes = inc, .defines = defs};
	GError *err = NULL;

	write_dt();
	write_file("t.ini", TASK("drv", "0x1000"), -1, 0644);
	SysDesc *d = sysdesc_load_board("t.ini", search, &opts, &err);
	ck_assert_msg(d != NULL, "%s", err ? err->message : "");
	const Board *b = &d->board;
	ck_assert_uint_eq(d->kernel.core_freq_hz, 80000000);
	ck_assert_uint_eq(b->n_devices, 2);
	/* spi1: reg, IRQs (first cell of two), owner by label, pins */
	ck_assert_str_eq(b->devices[0].name, "spi1");
	ck_assert_uint_eq(b->devices[0].label, 0x10);
	ck_assert_uint_eq(b->devices[0].base, 0x40013000);
	ck_assert_uint_eq(b->devices[0].size, 0x400);
	ck_assert_uint_eq(b->devices[0].n_irqs, 2);
	ck_assert_uint_eq(b->devices[0].irqs[0], 35);
	ck_assert_uint_eq(b->devices[0].irqs[1], 36);
	ck_assert_int_eq(d->devices[0].owner, 0);
	ck_assert_uint_eq(b->devices[0].owner, 0x1000);
	ck_assert_uint_eq(b->devices[0].n_ios, 2);
	ck_assert_uint_eq(b->devices[0].ios[0].port, 1);
	ck_assert_uint_eq(b->devices[0].ios[0].pin, 9);
	ck_assert_uint_eq(b->devices[0].ios[0].mode, 2);
	ck_assert_uint_eq(b->devices[0].ios[0].af, 7);
	ck_assert_uint_eq(b->devices[0].ios[0].ppull, 1);
	ck_assert_uint_eq(b->devices[0].ios[0].speed, 3);
	ck_assert_uint_eq(b->devices[0].ios[0].pupdr, 2);
	ck_assert_uint_eq(b->devices[0].ios[1].port, 0);
	ck_assert_uint_eq(b->devices[0].ios[1].pin, 4);
	ck_assert_uint_eq(b->devices[0].ios[1].mode, 1);
	/* tim2: the older outpost, prefix; its owner label names no task */
	ck_assert_str_eq(b->devices[1].name, "tim2");
	ck_assert_uint_eq(b->devices[1].label, 0x20);
	ck_assert_int_eq(d->devices[1].owner, -1);
	/* the SHM: any size, no-map, dma-pool; 'code' (no sentry,shm) is not an SHM */
	ck_assert_uint_eq(b->n_shms, 1);
	ck_assert_str_eq(b->shms[0].name, "buf");
	ck_assert_uint_eq(b->shms[0].size, 0x256);
	ck_assert(b->shms[0].no_map && b->shms[0].dma_pool);
	/* the stream: channel = unit address, controller = index of the enabled gpdma, owner =
	 * the channel's */
	ck_assert_uint_eq(b->n_dmas, 1);
	ck_assert_uint_eq(b->dmas[0].channel, 3);
	ck_assert_uint_eq(b->dmas[0].controller, 1);
	ck_assert_uint_eq(b->dmas[0].stream, 112);
	ck_assert_uint_eq(b->dmas[0].owner, 0x1000);
	ck_assert_uint_eq(b->dmas[0].length, 42);
	ck_assert(b->dmas[0].circular_source && !b->dmas[0].circular_dest);
	ck_assert_uint_eq(b->dmas[0].priority, 2);
	ck_assert_uint_eq(b->dmas[0].source.kind, BOARD_END_DEVICE);
	ck_assert_uint_eq(b->dmas[0].dest.kind, BOARD_END_SHM);
	/* warnings: the unknown sentry property and the owner without task, with positions;
	 * counter and prescaler are known */
	char *w = joined_warnings(d);
	ck_assert_msg(strstr(w, "board.dts:17: warning: unknown property 'sentry,colour'") != NULL,
	              "%s", w);
	ck_assert_msg(strstr(w, "board.dts:18: warning: 'outpost,owner' 0x77: no task") != NULL,
	              "%s", w);
	ck_assert_msg(strstr(w, "'outpost,counter'") == NULL, "%s", w);
	ck_assert_msg(strstr(w, "'outpost,prescaler'") == NULL, "%s", w);
	ck_assert_uint_eq(d->warnings->len, 2);
	g_free(w);
	sysdesc_free(d);
}
END_TEST

/* The INI file wins key by key, errors carry the .dts position, and the autotest build's
 * test task owns what 0xbabe owns. */
START_TEST(test_devicetree_merge)
{
	const char *const inc[] = {"inc", NULL};
	const char *const defs[] = {"OWNER=0xbabe", NULL};
	SysBoardOptions opts = {.devicetree = "board.dts", .includes = inc, .defines = defs};
	GError *err = NULL;

	write_dt();
	write_file("t.ini",
	           "[system]\nbuild = autotest\n" TASK("t", "0x1") "[device spi1]\nlabel = 0x11\n",
	           -1, 0644);
	SysDesc *d = sysdesc_load_board("t.ini", search, &opts, &err);
	ck_assert_msg(d != NULL, "%s", err ? err->message : "");
	ck_assert_uint_eq(d->board.devices[0].label, 0x11);      /* the INI's */
	ck_assert_uint_eq(d->board.devices[0].base, 0x40013000); /* the devicetree's */
	ck_assert_int_eq(d->devices[0].owner, 0);
	ck_assert_int_eq(d->shms[0].owner, 0);
	sysdesc_free(d);

	/* A devicetree value the loader refuses: the message names the .dts line. */
	write_file("t.ini",
	           TASK("drv", "0x1000") "[shm other]\nlabel = 0xf00\nowner = drv\n"
	                                 "base = 0x30000000\nsize = 0x100\n",
	           -1, 0644);
	const char *const defs2[] = {"OWNER=0x1000", NULL};
	opts.defines = defs2;
	ck_assert_ptr_null(sysdesc_load_board("t.ini", search, &opts, &err));
	ck_assert_str_eq(err->message,
	                 "board.dts:6: duplicate label 0xf00: SHM 'other' has it too (line 5)");
	g_clear_error(&err);

	/* dtc's own message, with file and line. */
	write_file("board.dts", "/dts-v1/;\n/ {\n\tfoo = <1 2;\n};\n", -1, 0644);
	ck_assert_ptr_null(sysdesc_load_board("t.ini", search, &opts, &err));
	ck_assert_msg(g_str_has_prefix(err->message, "board.dts:3."), "%s", err->message);
	g_clear_error(&err);
}
END_TEST

/* ---- the syntax layer and the value parsers ---------------------------------------------- */

START_TEST(test_ini_index)
{
	static const char text[] = "\xef\xbb\xbf# head\n"
	                           "[one]   # c\n"
	                           "a = x#y # comment\n"
	                           "\n"
	                           "  b=  \\sspaced\\t  \n"
	                           "[ two words ]\n"
	                           "c.d-e_f = # only a comment\n";
	GError *err = NULL;
	IniFile *f = ini_load_data("dir/x.ini", text, sizeof(text) - 1, &err);

	ck_assert_msg(f != NULL, "%s", err ? err->message : "");
	ck_assert_str_eq(ini_path(f), "dir/x.ini");
	char *dir = g_build_filename(tmp, "dir", NULL);
	ck_assert_str_eq(ini_dir(f), dir);
	g_free(dir);
	ck_assert_uint_eq(ini_group_count(f), 2);
	ck_assert_str_eq(ini_group_name(f, 0), "one");
	ck_assert_int_eq(ini_group_line(f, 0), 2);
	ck_assert_str_eq(ini_group_name(f, 1), "two words");
	ck_assert_int_eq(ini_group_line(f, 1), 6);
	ck_assert_int_eq(ini_find_group(f, "two words"), 1);
	ck_assert_int_eq(ini_find_group(f, "three"), -1);
	ck_assert_uint_eq(ini_key_count(f, 0), 2);
	ck_assert_str_eq(ini_key_name(f, 0, 1), "b");
	ck_assert_int_eq(ini_key_index_line(f, 0, 1), 5);
	ck_assert_int_eq(ini_key_line(f, 0, "a"), 3);
	ck_assert_int_eq(ini_key_line(f, 0, "c"), 0);
	ck_assert(ini_has_key(f, 1, "c.d-e_f"));

	char *s = g_strdup("default");
	ck_assert(ini_get_string(f, 0, "a", &s, &err));
	ck_assert_str_eq(s, "x#y");
	ck_assert(ini_get_string(f, 0, "b", &s, &err));
	ck_assert_str_eq(s, " spaced\t");
	ck_assert(ini_get_string(f, 1, "c.d-e_f", &s, &err));
	ck_assert_str_eq(s, "");
	ck_assert(ini_get_string(f, 1, "absent", &s, &err));
	ck_assert_str_eq(s, "");
	g_free(s);

	guint64 v = 77;
	ck_assert(ini_get_u64(f, 0, "absent", 0, 10, &v, &err));
	ck_assert_uint_eq(v, 77);
	ck_assert(!ini_get_u64(f, 0, "a", 0, 10, &v, &err));
	ck_assert_str_eq(err->message,
	                 "dir/x.ini:3: 'a' must be a number, decimal or hexadecimal with 0x (got "
	                 "'x#y')");
	ck_assert_uint_eq(v, 77);
	g_clear_error(&err);
	ini_free(f);
}
END_TEST

START_TEST(test_parse_numbers)
{
	GError *err = NULL;
	guint64 v = 0;

	ck_assert(ini_parse_u64("0x1F", "n", 0, G_MAXUINT64, &v, &err) && v == 31);
	ck_assert(ini_parse_u64("0X1f", "n", 0, G_MAXUINT64, &v, &err) && v == 31);
	ck_assert(ini_parse_u64("0010", "n", 0, G_MAXUINT64, &v, &err) && v == 10);
	ck_assert(ini_parse_u64("18446744073709551615", "n", 0, G_MAXUINT64, &v, &err));
	ck_assert_uint_eq(v, G_MAXUINT64);
	ck_assert(!ini_parse_u64("0x", "n", 0, 9, &v, &err));
	ck_assert_str_eq(err->message,
	                 "'n' must be a number, decimal or hexadecimal with 0x (got '0x')");
	g_clear_error(&err);
	ck_assert(!ini_parse_u64("+1", "n", 0, 9, &v, &err));
	g_clear_error(&err);
	ck_assert(!ini_parse_u64("1 2", "n", 0, 99, &v, &err));
	g_clear_error(&err);
	ck_assert(!ini_parse_u64("5", "n", 6, 9, &v, &err));
	ck_assert_str_eq(err->message, "'n' must be between 6 and 9 (got 5)");
	g_clear_error(&err);

	bool b = false;
	ck_assert(ini_parse_bool("TRUE", "b", &b, &err) && b);
	ck_assert(ini_parse_bool("off", "b", &b, &err) && !b);
	ck_assert(ini_parse_bool("1", "b", &b, &err) && b);
	ck_assert(ini_parse_bool("No", "b", &b, &err) && !b);
	ck_assert(!ini_parse_bool("", "b", &b, &err));
	g_clear_error(&err);

	static const struct {
		const char *text;
		guint64 ns;
	} durations[] = {
	    {"0", 0},
	    {"0.0s", 0},
	    {"7ns", 7},
	    {"1us", 1000},
	    {"1\xc2\xb5s", 1000},
	    {"1.5 ms", 1500000},
	    {"1.250000000000000000000s", 1250000000},
	    {".5s", 500000000},
	    {"2MIN", 120000000000ull},
	    {"1h", 3600000000000ull},
	    {"18446744073709551615ns", G_MAXUINT64},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(durations); i++) {
		ck_assert_msg(
		    ini_parse_duration_ns(durations[i].text, "d", 0, G_MAXUINT64, &v, &err),
		    "%s: %s", durations[i].text, err ? err->message : "");
		ck_assert_uint_eq(v, durations[i].ns);
	}
	ck_assert(!ini_parse_duration_ns("18446744073709551616ns", "d", 0, G_MAXUINT64, &v, &err));
	ck_assert_str_eq(err->message, "'d' is too large (got 18446744073709551616ns)");
	g_clear_error(&err);
	ck_assert(!ini_parse_duration_ns("1.", "d", 0, G_MAXUINT64, &v, &err));
	ck_assert_str_eq(err->message, "'d' needs a unit: ns, us, ms, s, min or h (got '1.')");
	g_clear_error(&err);
	ck_assert(!ini_parse_duration_ns("1e3ms", "d", 0, G_MAXUINT64, &v, &err));
	ck_assert_str_eq(err->message,
	                 "'d' has an unknown unit 'e3ms' (use ns, us, ms, s, min or h)");
	g_clear_error(&err);
	ck_assert(!ini_parse_duration_ns("1ms", "d", 2000000, 3000000, &v, &err));
	ck_assert_str_eq(err->message, "'d' must be between 2ms and 3ms (got 1ms)");
	g_clear_error(&err);

	ck_assert(ini_parse_frequency_hz("32768", "f", 1, G_MAXUINT64, &v, &err) && v == 32768);
	ck_assert(ini_parse_frequency_hz("1.2GHz", "f", 1, G_MAXUINT64, &v, &err));
	ck_assert_uint_eq(v, 1200000000);
	ck_assert(ini_parse_frequency_hz("64m", "f", 1, G_MAXUINT64, &v, &err) && v == 64000000);
	ck_assert(ini_parse_frequency_hz("8 kHz", "f", 1, G_MAXUINT64, &v, &err) && v == 8000);
	ck_assert(ini_parse_frequency_hz("100hz", "f", 1, G_MAXUINT64, &v, &err) && v == 100);
}
END_TEST

START_TEST(test_parse_caps_and_names)
{
	GError *err = NULL;
	guint32 c = 99;

	ck_assert(ini_parse_caps("", "c", &c, &err) && c == 0);
	ck_assert(ini_parse_caps(" ; ", "c", &c, &err) && c == 0);
	ck_assert(ini_parse_caps("0x00270017", "c", &c, &err) && c == 0x00270017);
	ck_assert(ini_parse_caps("CAP_DEV_BUSES|CAP_TIM_HP_CHRONO,16", "c", &c, &err));
	ck_assert_uint_eq(c, 0x00100011);
	ck_assert(!ini_parse_caps("CAP_DEV_IO;cap_dev_io", "c", &c, &err));
	ck_assert_str_eq(err->message,
	                 "unknown capability 'cap_dev_io' (did you mean 'CAP_DEV_IO'?)");
	g_clear_error(&err);

	char *s = ini_format_caps(0x00204001);
	ck_assert_str_eq(s, "CAP_DEV_BUSES; CAP_SYS_PROCSTART; CAP_CRY_KRNG");
	g_free(s);
	s = ini_format_caps(0);
	ck_assert_str_eq(s, "0");
	g_free(s);
	s = ini_format_caps(0x80000002);
	ck_assert_str_eq(s, "CAP_DEV_IO; 0x80000000");
	g_free(s);
	s = ini_format_duration(1500000);
	ck_assert_str_eq(s, "1500us");
	g_free(s);
	s = ini_format_duration(7200000000000ull);
	ck_assert_str_eq(s, "2h");
	g_free(s);
	s = ini_format_frequency(64000000);
	ck_assert_str_eq(s, "64MHz");
	g_free(s);
	s = ini_format_frequency(32768);
	ck_assert_str_eq(s, "32768Hz");
	g_free(s);

	static const char *const words[] = {"priority", "quantum", "label", NULL};
	ck_assert_str_eq(ini_suggest("prio", words), "priority");
	ck_assert_str_eq(ini_suggest("qauntum", words), "quantum");
	ck_assert_str_eq(ini_suggest("LABEL", words), "label");
	ck_assert_ptr_null(ini_suggest("stack", words));
	ck_assert_ptr_null(ini_suggest("la", words));
	s = ini_hint("zzz", words);
	ck_assert_str_eq(s, " (known: priority, quantum, label)");
	g_free(s);
}
END_TEST

static Suite *sysdesc_suite(void)
{
	Suite *s = suite_create("sysdesc");
	TCase *tc = tcase_create("load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_full_example);
	tcase_add_test(tc, test_doc_shows_full_example);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_value_forms);
	tcase_add_test(tc, test_board_defaults);
	tcase_add_loop_test(tc, test_device_classes, 0, G_N_ELEMENTS(class_cases));
	tcase_add_test(tc, test_device_handles);
	tcase_add_test(tc, test_board_limits);
	tcase_add_test(tc, test_register_limit);
	tcase_add_loop_test(tc, test_errors, 0, G_N_ELEMENTS(error_cases));
	tcase_add_test(tc, test_task_limit);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_unreadable);
	tcase_add_loop_test(tc, test_warnings, 0, G_N_ELEMENTS(warning_cases));
	tcase_add_test(tc, test_autotest);
	tcase_add_test(tc, test_binary_resolution);
	tcase_add_test(tc, test_binary_errors);
	tcase_add_test(tc, test_binary_not_elf);
	tcase_add_test(tc, test_unaligned_windows);
	tcase_add_test(tc, test_long_values);
	tcase_add_test(tc, test_large_board);
	tcase_add_test(tc, test_devicetree_mapping);
	tcase_add_test(tc, test_devicetree_merge);
	suite_add_tcase(s, tc);

	tc = tcase_create("ini");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ini_index);
	tcase_add_test(tc, test_parse_numbers);
	tcase_add_test(tc, test_parse_caps_and_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	const char *top = getenv("top_srcdir");

	srcdir = g_canonicalize_filename(top != NULL ? top : ".", NULL);
	base = g_dir_make_tmp("check_sysdesc-XXXXXX", NULL);
	if (base == NULL) {
		printf("Bail out! cannot create a temporary directory\n");
		return 99;
	}
	SRunner *sr = srunner_create(sysdesc_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_set_tap(sr, "/dev/stdout");
	srunner_run_all(sr, CK_SILENT);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rm_rf(base); /* a failed test skips its teardown */
	g_free(base);
	g_free(srcdir);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
