/*
 * boardview.c: the devicetree options of the command line and the `sentry-sim board` table
 * (see boardview.h). The table shows what the loader understood, after the devicetree and the
 * INI file were merged, so a user can check a board before running anything on it.
 */
#include "sim/scenario/boardview.h"

#include <inttypes.h>
#include <string.h>

#include "sim/scenario/ini.h"

GOptionGroup *boardview_option_group(BoardArgs *a)
{
	GOptionEntry entries[] = {
	    {"devicetree", 0, 0, G_OPTION_ARG_FILENAME, &a->devicetree,
	     "Read the board from this devicetree (.dts) instead of the file's 'devicetree'",
	     "FILE"},
	    {"dts-include", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a->includes,
	     "Include path of the devicetree's preprocessing (cpp -I)", "DIR"},
	    {"define", 'D', 0, G_OPTION_ARG_STRING_ARRAY, &a->defines,
	     "Define a macro for the devicetree's preprocessing (cpp -D)", "NAME[=VALUE]"},
	    {NULL},
	};
	GOptionGroup *g = g_option_group_new(
	    "devicetree", "Devicetree board options:", "Show the devicetree options", NULL, NULL);

	g_option_group_add_entries(g, entries);
	return g;
}

SysBoardOptions boardview_options(const BoardArgs *a)
{
	return (SysBoardOptions){
	    .devicetree = a->devicetree,
	    .includes = (const char *const *)a->includes,
	    .defines = (const char *const *)a->defines,
	};
}

GStrv boardview_argv(const BoardArgs *a)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();

	if (a->devicetree != NULL) {
		g_strv_builder_add(b, "--devicetree");
		g_strv_builder_add(b, a->devicetree);
	}
	for (char **i = a->includes; i != NULL && *i != NULL; i++) {
		g_strv_builder_add(b, "--dts-include");
		g_strv_builder_add(b, *i);
	}
	for (char **d = a->defines; d != NULL && *d != NULL; d++) {
		g_strv_builder_add(b, "-D");
		g_strv_builder_add(b, *d);
	}
	return g_strv_builder_end(b);
}

void boardview_args_clear(BoardArgs *a)
{
	g_clear_pointer(&a->devicetree, g_free);
	g_clear_pointer(&a->includes, g_strfreev);
	g_clear_pointer(&a->defines, g_strfreev);
}

/* ---- the table ----------------------------------------------------------------------- */

static const char *owner_name(const SysDesc *d, int owner)
{
	return owner >= 0 ? d->tasks[owner].name : "-";
}

static char *window_text(uint64_t base, uint64_t size)
{
	if (base == 0 && size == 0)
		return g_strdup("-");
	return g_strdup_printf("0x%08" PRIx64 "+0x%" PRIx64, base, size);
}

static const char *end_name(const SysDesc *d, const BoardEnd *e)
{
	return e->kind == BOARD_END_SHM ? d->shms[e->index].name : d->devices[e->index].name;
}

static void print_devices(const SysDesc *d, FILE *out)
{
	const Board *b = &d->board;

	fprintf(out, "\ndevices (%u)\n%-14s %-10s %-12s %-16s %-22s %-12s %-12s %-16s %s\n",
	        b->n_devices, "name", "label", "owner", "class", "window", "irqs", "ios", "model",
	        "from");
	for (uint32_t i = 0; i < b->n_devices; i++) {
		const BoardDevice *dv = &b->devices[i];
		g_autofree char *cls = ini_format_caps(dv->cap);
		g_autofree char *win = window_text(dv->base, dv->size);
		g_autoptr(GString) irqs = g_string_new(NULL);
		g_autoptr(GString) ios = g_string_new(NULL);
		for (uint8_t k = 0; k < dv->n_irqs; k++)
			g_string_append_printf(irqs, "%s%u", k ? "," : "", dv->irqs[k]);
		for (uint8_t k = 0; k < dv->n_ios; k++)
			g_string_append_printf(ios, "%s%u:%u", k ? "," : "", dv->ios[k].port,
			                       dv->ios[k].pin);
		fprintf(out, "%-14s 0x%08x %-12s %-16s %-22s %-12s %-12s %-16s %s\n", dv->name,
		        dv->label, owner_name(d, d->devices[i].owner), cls, win,
		        irqs->len ? irqs->str : "-", ios->len ? ios->str : "-",
		        dv->model ? dv->model : "-", ini_where(d->ini, d->devices[i].line));
	}
}

static void print_shms(const SysDesc *d, FILE *out)
{
	const Board *b = &d->board;

	fprintf(out, "\nSHMs (%u)\n%-14s %-10s %-12s %-22s %-8s %-6s %s\n", b->n_shms, "name",
	        "label", "owner", "window", "dma_pool", "no_map", "from");
	for (uint32_t i = 0; i < b->n_shms; i++) {
		const BoardShm *s = &b->shms[i];
		g_autofree char *win = window_text(s->base, s->size);
		fprintf(out, "%-14s 0x%08x %-12s %-22s %-8s %-6s %s\n", s->name, s->label,
		        owner_name(d, d->shms[i].owner), win, s->dma_pool ? "yes" : "no",
		        s->no_map ? "yes" : "no", ini_where(d->ini, d->shms[i].line));
	}
}

static void print_streams(const SysDesc *d, FILE *out)
{
	static const char *const prio[] = {"low", "medium", "high", "very_high"};
	const Board *b = &d->board;

	fprintf(out, "\nDMA streams (%u)\n%-14s %-10s %-12s %-12s %-14s %-14s %-8s %-11s %-9s %s\n",
	        b->n_dmas, "name", "label", "owner", "ctl/ch/req", "source", "dest", "length",
	        "circular", "priority", "from");
	for (uint32_t i = 0; i < b->n_dmas; i++) {
		const BoardDma *s = &b->dmas[i];
		g_autofree char *chan =
		    g_strdup_printf("%u/%u/%u", s->controller, s->channel, s->stream);
		g_autofree char *circ = g_strdup_printf("%s,%s", s->circular_source ? "src" : "-",
		                                        s->circular_dest ? "dest" : "-");
		fprintf(out, "%-14s 0x%08x %-12s %-12s %-14s %-14s %-8u %-11s %-9s %s\n", s->name,
		        s->label, owner_name(d, d->dmas[i].owner), chan, end_name(d, &s->source),
		        end_name(d, &s->dest), s->length, circ,
		        s->priority < G_N_ELEMENTS(prio) ? prio[s->priority] : "?",
		        ini_where(d->ini, d->dmas[i].line));
	}
}

static gint compare_u32(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

/* IRQ lines in number order, with the device that takes each (the first that declares it,
 * uapi.md 9.1). */
static void print_irqs(const SysDesc *d, FILE *out)
{
	const Board *b = &d->board;
	g_autoptr(GArray) irqs = g_array_new(FALSE, FALSE, sizeof(guint32));

	for (uint32_t i = 0; i < b->n_devices; i++)
		for (uint8_t k = 0; k < b->devices[i].n_irqs; k++) {
			guint32 v = ((guint32)b->devices[i].irqs[k] << 16) | i;
			g_array_append_val(irqs, v);
		}
	g_array_sort(irqs, compare_u32);
	fprintf(out, "\nIRQs (%u)\n%-6s %-14s %s\n", irqs->len, "irq", "device", "owner");
	for (guint n = 0; n < irqs->len; n++) {
		guint32 v = g_array_index(irqs, guint32, n);
		guint32 dev = v & 0xffff;
		fprintf(out, "%-6u %-14s %s\n", v >> 16, b->devices[dev].name,
		        owner_name(d, d->devices[dev].owner));
	}
}

void boardview_print(const SysDesc *d, FILE *out)
{
	g_autofree char *freq = ini_format_frequency(d->kernel.core_freq_hz);

	fprintf(out, "board of %s", d->path);
	if (d->devicetree != NULL)
		fprintf(out, " (devicetree %s)", d->devicetree);
	fprintf(out, "\ncore frequency %s, %u IRQ lines, %u tasks:", freq, d->kernel.num_irqs,
	        d->n_tasks);
	for (guint i = 0; i < d->n_tasks; i++)
		fprintf(out, " %s (0x%x)", d->tasks[i].name, d->ktasks[i].label);
	fputc('\n', out);
	print_devices(d, out);
	print_shms(d, out);
	print_streams(d, out);
	print_irqs(d, out);
}

int boardview_command(int argc, char **argv, const char *exit_text)
{
	BoardArgs a = {0};
	g_auto(GStrv) search = NULL;
	GOptionEntry entries[] = {
	    {"task-path", 'I', 0, G_OPTION_ARG_FILENAME_ARRAY, &search,
	     "Also look for task binaries in DIR", "DIR"},
	    {NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - print the board of a system");
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_add_group(ctx, boardview_option_group(&a));
	g_option_context_set_summary(
	    ctx, "Loads FILE (a system description, with its devicetree if it names one) and\n"
	         "prints the board the simulator would run: devices, SHMs, DMA streams and IRQs,\n"
	         "with their owners and where each was declared (docs/devicetree.md).");
	g_option_context_set_description(ctx, exit_text);
	if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 2) {
		fprintf(stderr, "sentry-sim: board: %s\n",
		        error != NULL ? error->message
		                      : "expected one system description file (try 'sentry-sim "
		                        "board --help')");
		boardview_args_clear(&a);
		return 2;
	}
	SysBoardOptions opts = boardview_options(&a);
	g_autoptr(SysDesc) d =
	    sysdesc_load_board(argv[1], (const char *const *)search, &opts, &error);
	boardview_args_clear(&a);
	if (d == NULL) {
		fprintf(stderr, "sentry-sim: %s\n", error->message);
		return 2;
	}
	for (guint i = 0; i < d->warnings->len; i++)
		fprintf(stderr, "sentry-sim: %s\n", (const char *)d->warnings->pdata[i]);
	boardview_print(d, stdout);
	return 0;
}
