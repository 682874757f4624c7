/*
 * devicetree.c: the board from a Sentry devicetree (see devicetree.h, docs/devicetree.md).
 *
 * Three steps. Build: cpp then dtc twice in a private temporary directory (a blob for libfdt,
 * annotated source for positions). Index: the positions of nodes and properties, the labels
 * (dtc -@ writes them to /__symbols__), the tasks by label. Map: walk the blob in tree order
 * and turn devices, SHMs (/reserved-memory children with sentry,shm), DMA streams
 * (/dma-streams children) and the core frequency (&rcc clock-frequency) into ini entries.
 * Values are written as the INI file would give them, so the description loader checks them
 * exactly as it checks hand-written ones and its messages carry the devicetree positions.
 */
#include "config.h"

#include "sim/scenario/devicetree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libfdt.h>

#define DT_TEST_LABEL 0xbabeu /* the test task's label in the autotest build (uapi.md 7.9) */

/* The vendor prefixes of the Sentry bindings: "sentry," today, "outpost," in older trees. */
static const char *const dt_prefixes[] = {"sentry,", "outpost,", NULL};
/* The Sentry properties the mapping knows; others are warned about. */
static const char *const dt_known[] = {"owner", "label",  "counter", "prescaler",
                                       "shm",   "no-map", NULL};

typedef struct {
	IniFile *ini;
	const DtSource *src;
	GPtrArray *warnings;
	const void *fdt;
	GHashTable *pos;      /* "PATH\037PROP" ("PATH\037" for the node) -> "FILE:LINE" */
	GHashTable *labels;   /* node path -> its first label */
	GHashTable *tasks;    /* task label -> task name (borrowed from |ini|) */
	GHashTable *names;    /* node offset -> its name on the board ("usart1") */
	GHashTable *used;     /* board names taken */
	GHashTable *channels; /* node offsets of DMA channels: never devices */
	GHashTable *dma_ends; /* node offsets named by a stream's source or dest */
} Dt;

/* ---- building ------------------------------------------------------------------------- */

/* A tool's diagnostics for our message: its own lines, without the source excerpts and
 * carets cpp adds, control characters replaced. */
static char *tool_message(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text != NULL ? text : "", "\n", -1);
	g_autoptr(GString) out = g_string_new(NULL);

	for (char **l = lines; *l != NULL; l++) {
		const char *s = *l;
		if (*s == '\0' || *s == ' ' || strcmp(s, "compilation terminated.") == 0)
			continue;
		if (g_str_has_prefix(s, "Error: "))
			s += strlen("Error: ");
		g_string_append_printf(out, "%s%s", out->len ? "\n" : "", s);
	}
	for (char *p = out->str; *p != '\0'; p++)
		if ((guchar)*p < 0x20 && *p != '\n')
			*p = '?';
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* Run |argv| (stdin /dev/null, stdout dropped); its stderr is the message when it fails. */
static gboolean run_tool(const DtSource *src, const char *const *argv, GError **error)
{
	g_autofree char *err_text = NULL;
	g_autoptr(GError) spawn_err = NULL;
	int status = 0;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
	                  &err_text, &status, &spawn_err)) {
		g_set_error(error, INI_ERROR, INI_ERROR_IO, "%s: cannot run %s: %s", src->path,
		            argv[0], spawn_err->message);
		return FALSE;
	}
	if (g_spawn_check_wait_status(status, NULL))
		return TRUE;
	g_autofree char *msg = tool_message(err_text);
	g_set_error(error, INI_ERROR, INI_ERROR_SYNTAX, "%s",
	            *msg != '\0' ? msg : "the devicetree does not compile");
	return FALSE;
}

/* cpp as the Sentry build runs it on a .dts, into |out|. */
static gboolean preprocess(const DtSource *src, const char *out, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);

	for (const char *a = SIM_DT_CPP " -nostdinc -undef -x assembler-with-cpp -D__DTS__";;) {
		const char *sp = strchr(a, ' ');
		g_ptr_array_add(argv, sp != NULL ? g_strndup(a, (gsize)(sp - a)) : g_strdup(a));
		if (sp == NULL)
			break;
		a = sp + 1;
	}
	for (const char *const *i = src->includes; i != NULL && *i != NULL; i++)
		g_ptr_array_add(argv, g_strconcat("-I", *i, NULL));
	for (const char *const *d = src->defines; d != NULL && *d != NULL; d++)
		g_ptr_array_add(argv, g_strconcat("-D", *d, NULL));
	g_ptr_array_add(argv, g_strdup(src->path));
	g_ptr_array_add(argv, g_strdup("-o"));
	g_ptr_array_add(argv, g_strdup(out));
	g_ptr_array_add(argv, NULL);
	return run_tool(src, (const char *const *)argv->pdata, error);
}

/* Build the blob and the annotated source of |src| in |dir|; read both. */
static gboolean build(const DtSource *src, const char *dir, GBytes **blob, char **annotated,
                      GError **error)
{
	g_autofree char *pp = g_build_filename(dir, "board.pp.dts", NULL);
	g_autofree char *dtb = g_build_filename(dir, "board.dtb", NULL);
	g_autofree char *dts = g_build_filename(dir, "board.annotated.dts", NULL);
	const char *to_blob[] = {SIM_DTC, "-q", "-@", "-I", "dts", "-O",
	                         "dtb",   "-o", dtb,  pp,   NULL};
	const char *to_source[] = {SIM_DTC, "-q", "-T", "-I", "dts", "-O",
	                           "dts",   "-o", dts,  pp,   NULL};
	g_autofree char *data = NULL;
	gsize len = 0;

	if (!g_file_test(src->path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, INI_ERROR, INI_ERROR_IO, "%s: cannot read: %s", src->path,
		            g_file_test(src->path, G_FILE_TEST_EXISTS)
		                ? "not a regular file (a devicetree is a .dts file)"
		                : "No such file or directory");
		return FALSE;
	}
	if (!preprocess(src, pp, error) || !run_tool(src, to_blob, error) ||
	    !run_tool(src, to_source, error))
		return FALSE;
	if (!g_file_get_contents(dtb, &data, &len, error) ||
	    !g_file_get_contents(dts, annotated, NULL, error)) {
		g_prefix_error(error, "%s: ", src->path);
		return FALSE;
	}
	*blob = g_bytes_new_take(g_steal_pointer(&data), len);
	return TRUE;
}

/* ---- indexes ------------------------------------------------------------------------ */

/* One line of dtc's annotated output: "name {", "};" or "prop = ...;", each followed by a
 * comment listing where it was defined ("/ * board.dts:4, soc.dtsi:9 * /"). */
static void index_line(Dt *dt, GPtrArray *stack, char *line)
{
	char *c = g_strrstr(line, "/* ");

	if (c == NULL || !g_str_has_suffix(line, " */"))
		return;
	line[strlen(line) - 3] = '\0';
	char *where = c + 3;
	*c = '\0';
	g_strstrip(line);
	const char *parent = stack->len ? g_ptr_array_index(stack, stack->len - 1) : NULL;
	if (g_str_has_suffix(line, "{")) {
		line[strlen(line) - 1] = '\0';
		g_strchomp(line);
		const char *name = strrchr(line, ' ') != NULL ? strrchr(line, ' ') + 1 : line;
		char *path = parent == NULL             ? g_strdup("/")
		             : strcmp(parent, "/") == 0 ? g_strconcat("/", name, NULL)
		                                        : g_strconcat(parent, "/", name, NULL);
		char *comma = strchr(where, ','); /* the first definition */
		g_hash_table_insert(dt->pos, g_strconcat(path, "\037", NULL),
		                    comma != NULL ? g_strndup(where, (gsize)(comma - where))
		                                  : g_strdup(where));
		g_ptr_array_add(stack, path);
	} else if (strcmp(line, "};") == 0) {
		if (stack->len > 0)
			g_ptr_array_remove_index(stack, stack->len - 1);
	} else if (parent != NULL) {
		size_t n = strcspn(line, " =;");
		char *last = strrchr(where, ' '); /* the last definition gave the value */
		g_hash_table_insert(dt->pos, g_strdup_printf("%s\037%.*s", parent, (int)n, line),
		                    g_strdup(last != NULL ? last + 1 : where));
	}
}

static void index_positions(Dt *dt, char *annotated)
{
	g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(annotated, "\n", -1);

	for (char **l = lines; *l != NULL; l++)
		index_line(dt, stack, *l);
}

/* The ini line standing for the source position of |prop| of node |off| (of the node when
 * |prop| is NULL, or when the property has no position). */
static int dt_line(Dt *dt, int off, const char *prop)
{
	char path[1024];
	const char *where = NULL;

	if (fdt_get_path(dt->fdt, off, path, sizeof(path)) == 0) {
		g_autofree char *k = g_strdup_printf("%s\037%s", path, prop != NULL ? prop : "");
		g_autofree char *kn = g_strdup_printf("%s\037", path);
		where = g_hash_table_lookup(dt->pos, k);
		if (where == NULL)
			where = g_hash_table_lookup(dt->pos, kn);
	}
	const char *colon = where != NULL ? strrchr(where, ':') : NULL;
	if (colon == NULL)
		return ini_external_line(dt->ini, dt->src->path, 1);
	g_autofree char *file = g_strndup(where, (gsize)(colon - where));
	/* dtc names files relative to the directory of the .dts: name them as the user does */
	g_autofree char *shown = ini_path_beside(dt->src->path, file);
	return ini_external_line(dt->ini, shown, atoi(colon + 1));
}

/* Labels, from /__symbols__ (dtc -@): the first label of each node names it. */
static void index_labels(Dt *dt)
{
	int sym = fdt_path_offset(dt->fdt, "/__symbols__");

	if (sym < 0)
		return;
	int p;
	fdt_for_each_property_offset(p, dt->fdt, sym)
	{
		const char *name = NULL;
		int len = 0;
		const char *path = fdt_getprop_by_offset(dt->fdt, p, &name, &len);
		if (path != NULL && len > 0 && path[len - 1] == '\0' &&
		    !g_hash_table_contains(dt->labels, path))
			g_hash_table_insert(dt->labels, g_strdup(path), g_strdup(name));
	}
}

/* Task labels, read from the [task NAME] groups (the loader checks them later); in the
 * autotest build the one task has the test task's label. */
static void index_tasks(Dt *dt)
{
	int sys = ini_find_group(dt->ini, "system");
	g_autofree char *build = NULL;

	if (sys >= 0)
		ini_get_string(dt->ini, (guint)sys, "build", &build, NULL);
	for (guint g = 0; g < ini_group_count(dt->ini); g++) {
		const char *name = ini_group_name(dt->ini, g);
		guint64 label = 0;
		if (!g_str_has_prefix(name, "task "))
			continue;
		if (build != NULL && strcmp(build, "autotest") == 0)
			label = DT_TEST_LABEL;
		else if (!ini_get_u64(dt->ini, g, "label", 0, G_MAXUINT32, &label, NULL) ||
		         !ini_has_key(dt->ini, g, "label"))
			continue;
		const char *task = name + strlen("task ");
		while (*task == ' ' || *task == '\t')
			task++;
		if (!g_hash_table_contains(dt->tasks, GUINT_TO_POINTER((guint)label)))
			g_hash_table_insert(dt->tasks, GUINT_TO_POINTER((guint)label),
			                    (gpointer)task);
	}
}

/* ---- reading properties --------------------------------------------------------------- */

/* The property |name| of |off| under any Sentry prefix ("owner": sentry,owner or
 * outpost,owner); its full name in |*full| when found. */
static const void *sentry_prop(Dt *dt, int off, const char *name, int *len, const char **full)
{
	for (const char *const *p = dt_prefixes; *p != NULL; p++) {
		g_autofree char *n = g_strconcat(*p, name, NULL);
		const void *v = fdt_getprop(dt->fdt, off, n, len);
		if (v != NULL) {
			if (full != NULL)
				*full = g_intern_string(n);
			return v;
		}
	}
	return NULL;
}

/* A one-cell property: TRUE and |*out| when present and 4 bytes long. */
static gboolean prop_u32(Dt *dt, int off, const char *name, guint32 *out)
{
	int len = 0;
	const fdt32_t *v = fdt_getprop(dt->fdt, off, name, &len);

	if (v == NULL || len != 4)
		return FALSE;
	*out = fdt32_ld(v);
	return TRUE;
}

/* The same for a Sentry property ("label": sentry,label or outpost,label). */
static gboolean sentry_u32(Dt *dt, int off, const char *name, const char **full, guint32 *out)
{
	int len = 0;
	const fdt32_t *v = sentry_prop(dt, off, name, &len, full);

	if (v == NULL || len != 4)
		return FALSE;
	*out = fdt32_ld(v);
	return TRUE;
}

static gboolean enabled(Dt *dt, int off)
{
	int len = 0;
	const char *s = fdt_getprop(dt->fdt, off, "status", &len);

	return s == NULL || strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0;
}

/* A node's name on the board: its first label, else its node name; letters, digits, '_',
 * '-' and '.' only; unique. */
static const char *board_name(Dt *dt, int off)
{
	const char *known = g_hash_table_lookup(dt->names, GINT_TO_POINTER(off));
	char path[1024];

	if (known != NULL)
		return known;
	const char *label = fdt_get_path(dt->fdt, off, path, sizeof(path)) == 0
	                        ? g_hash_table_lookup(dt->labels, path)
	                        : NULL;
	g_autofree char *base = g_strdup(label != NULL ? label : fdt_get_name(dt->fdt, off, NULL));
	for (char *p = base; *p != '\0'; p++)
		if (!(g_ascii_isalnum(*p) || *p == '_' || *p == '-' || *p == '.'))
			*p = '-';
	char *name = g_strdup(base);
	for (guint n = 2; g_hash_table_contains(dt->used, name); n++) {
		g_free(name);
		name = g_strdup_printf("%s-%u", base, n);
	}
	g_hash_table_add(dt->used, name);
	g_hash_table_insert(dt->names, GINT_TO_POINTER(off), name);
	return name;
}

/* Add |key| = |value| to the group of node |off| (created at the node's position). */
static void put(Dt *dt, const char *group, int off, const char *key, const char *prop,
                const char *value)
{
	ini_add_external(dt->ini, group, dt_line(dt, off, NULL), key, value,
	                 dt_line(dt, off, prop));
}

static void put_hex(Dt *dt, const char *group, int off, const char *key, const char *prop,
                    guint64 v)
{
	g_autofree char *text = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", v);

	put(dt, group, off, key, prop, text);
}

/* sentry,label and sentry,owner (as the name of the task with that label). */
static void put_label_owner(Dt *dt, const char *group, int off, int owner_off)
{
	const char *full = NULL;
	guint32 v = 0;

	if (sentry_u32(dt, off, "label", &full, &v))
		put_hex(dt, group, off, "label", full, v);
	if (!sentry_u32(dt, owner_off, "owner", &full, &v))
		return;
	const char *task = g_hash_table_lookup(dt->tasks, GUINT_TO_POINTER(v));
	if (task != NULL) {
		put(dt, group, owner_off, "owner", full, task);
		return;
	}
	ini_warn(dt->warnings, dt->ini, dt_line(dt, owner_off, full),
	         "'%s' 0x%x: no task of the description has that label, so '%s' has no owner "
	         "here",
	         full, v, group);
}

/* The first (address, size) pair of 'reg', in the cells its parent declares. */
static gboolean first_reg(Dt *dt, int off, guint64 *base, guint64 *size)
{
	int len = 0;
	const fdt32_t *reg = fdt_getprop(dt->fdt, off, "reg", &len);
	int parent = fdt_parent_offset(dt->fdt, off);
	int ac = parent >= 0 ? fdt_address_cells(dt->fdt, parent) : 2;
	int sc = parent >= 0 ? fdt_size_cells(dt->fdt, parent) : 1;

	if (reg == NULL || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
	    len < (int)sizeof(fdt32_t) * (ac + sc))
		return FALSE;
	*base = 0;
	*size = 0;
	for (int i = 0; i < ac; i++)
		*base = (*base << 32) | fdt32_ld(&reg[i]);
	for (int i = 0; i < sc; i++)
		*size = (*size << 32) | fdt32_ld(&reg[ac + i]);
	return TRUE;
}

static int phandle_node(Dt *dt, const fdt32_t *cellp)
{
	return fdt_node_offset_by_phandle(dt->fdt, fdt32_ld(cellp));
}

/* The index of |off| among the enabled nodes with its first compatible string, in tree order
 * (GPIO ports and DMA controllers are numbered so, uapi.md 9.1 and 9.3). */
static int index_among_peers(Dt *dt, int off)
{
	const char *compat = fdt_getprop(dt->fdt, off, "compatible", NULL);
	int n = 0;

	if (compat == NULL)
		return 0;
	for (int o = fdt_node_offset_by_compatible(dt->fdt, -1, compat); o >= 0;
	     o = fdt_node_offset_by_compatible(dt->fdt, o, compat)) {
		if (o == off)
			return n;
		n += enabled(dt, o);
	}
	return 0;
}

/* ---- devices -------------------------------------------------------------------------- */

/* 'interrupts': the first cell of each specifier, #interrupt-cells of the interrupt parent
 * (1 when none is found). */
static void put_interrupts(Dt *dt, const char *group, int off)
{
	int len = 0;
	const fdt32_t *irqs = fdt_getprop(dt->fdt, off, "interrupts", &len);
	int cells = 1;

	if (irqs == NULL)
		return;
	for (int o = off; o >= 0; o = fdt_parent_offset(dt->fdt, o)) {
		int plen = 0;
		const fdt32_t *ip = fdt_getprop(dt->fdt, o, "interrupt-parent", &plen);
		guint32 n = 0;
		if (ip != NULL && plen == 4) {
			int ctl = phandle_node(dt, ip);
			if (ctl >= 0 && prop_u32(dt, ctl, "#interrupt-cells", &n) && n > 0)
				cells = (int)n;
			break;
		}
	}
	g_autoptr(GString) text = g_string_new(NULL);
	for (int i = 0; i + cells <= len / 4; i += cells)
		g_string_append_printf(text, "%s%u", text->len ? " " : "", fdt32_ld(&irqs[i]));
	put(dt, group, off, "interrupts", "interrupts", text->str);
}

/* 'pinctrl-0': one io per pin node: pinmux = <&gpioX PIN MODE>, MODE = mode | af << 8;
 * pincfg = <OTYPE SPEED PULL> (docs/devicetree.md). */
static void put_ios(Dt *dt, const char *group, int off)
{
	int len = 0;
	const fdt32_t *pins = fdt_getprop(dt->fdt, off, "pinctrl-0", &len);
	g_autoptr(GString) ios = g_string_new(NULL);
	int n = 0;

	for (int i = 0; pins != NULL && i < len / 4; i++) {
		int pin = phandle_node(dt, &pins[i]);
		int mlen = 0, clen = 0;
		const fdt32_t *mux = pin >= 0 ? fdt_getprop(dt->fdt, pin, "pinmux", &mlen) : NULL;
		const fdt32_t *cfg = pin >= 0 ? fdt_getprop(dt->fdt, pin, "pincfg", &clen) : NULL;
		if (mux == NULL || mlen != 12) {
			ini_warn(dt->warnings, dt->ini, dt_line(dt, off, "pinctrl-0"),
			         "'pinctrl-0' entry %d has no 'pinmux = <&gpio PIN MODE>': ignored",
			         i);
			continue;
		}
		int port = phandle_node(dt, &mux[0]);
		guint32 mode = fdt32_ld(&mux[2]);
		g_string_append_printf(ios, "%s%d:%u", ios->len ? " " : "",
		                       port >= 0 ? index_among_peers(dt, port) : 0,
		                       fdt32_ld(&mux[1]));
		g_autofree char *key = g_strdup_printf("io.%d", n++);
		g_autofree char *cfgtext = g_strdup_printf(
		    "mode=%u af=%u ppull=%u speed=%u pupdr=%u", mode & 0xff, (mode >> 8) & 0xff,
		    cfg != NULL && clen == 12 ? fdt32_ld(&cfg[0]) : 0,
		    cfg != NULL && clen == 12 ? fdt32_ld(&cfg[1]) : 0,
		    cfg != NULL && clen == 12 ? fdt32_ld(&cfg[2]) : 0);
		put(dt, group, off, key, "pinctrl-0", cfgtext);
	}
	if (ios->len > 0)
		put(dt, group, off, "ios", "pinctrl-0", ios->str);
}

static void add_device(Dt *dt, int off)
{
	g_autofree char *group = g_strconcat("device ", board_name(dt, off), NULL);
	int len = 0;
	const char *compat = fdt_getprop(dt->fdt, off, "compatible", &len);
	guint64 base = 0, size = 0;

	put_label_owner(dt, group, off, off);
	if (compat != NULL && len > 0 && compat[len - 1] == '\0') {
		g_autoptr(GString) list = g_string_new(NULL);
		for (const char *s = compat; s < compat + len; s += strlen(s) + 1)
			g_string_append_printf(list, "%s%s", list->len ? ";" : "", s);
		put(dt, group, off, "compatible", "compatible", list->str);
	}
	if (first_reg(dt, off, &base, &size)) {
		put_hex(dt, group, off, "base", "reg", base);
		put_hex(dt, group, off, "size", "reg", size);
	}
	put_interrupts(dt, group, off);
	put_ios(dt, group, off);
}

/* ---- SHMs and DMA streams --------------------------------------------------------------- */

static gboolean is_shm(Dt *dt, int off)
{
	int len = 0;
	int parent = fdt_parent_offset(dt->fdt, off);
	const char *pname = parent >= 0 ? fdt_get_name(dt->fdt, parent, NULL) : NULL;

	return pname != NULL && strcmp(pname, "reserved-memory") == 0 &&
	       sentry_prop(dt, off, "shm", &len, NULL) != NULL;
}

static void add_shm(Dt *dt, int off)
{
	g_autofree char *group = g_strconcat("shm ", board_name(dt, off), NULL);
	const char *full = NULL;
	int len = 0;
	guint64 base = 0, size = 0;

	put_label_owner(dt, group, off, off);
	if (first_reg(dt, off, &base, &size)) {
		put_hex(dt, group, off, "base", "reg", base);
		put_hex(dt, group, off, "size", "reg", size);
	}
	if (fdt_getprop(dt->fdt, off, "dma-pool", &len) != NULL)
		put(dt, group, off, "dma_pool", "dma-pool", "true");
	if (sentry_prop(dt, off, "no-map", &len, &full) != NULL)
		put(dt, group, off, "no_map", full, "true");
}

/* A stream's 'source' or 'dest': "shm NAME" or "device NAME". */
static void put_end(Dt *dt, const char *group, int off, const char *prop)
{
	int len = 0;
	const fdt32_t *ph = fdt_getprop(dt->fdt, off, prop, &len);
	int end = ph != NULL && len == 4 ? phandle_node(dt, ph) : -1;

	if (end < 0)
		return;
	g_autofree char *text =
	    g_strconcat(is_shm(dt, end) ? "shm " : "device ", board_name(dt, end), NULL);
	put(dt, group, off, strcmp(prop, "source") == 0 ? "source" : "dest", prop, text);
}

static void put_cell(Dt *dt, const char *group, int off, const char *key, const char *prop)
{
	guint32 v = 0;

	if (prop_u32(dt, off, prop, &v)) {
		g_autofree char *text = g_strdup_printf("%u", v);
		put(dt, group, off, key, prop, text);
	}
}

static void add_stream(Dt *dt, int off)
{
	g_autofree char *group = g_strconcat("dma ", board_name(dt, off), NULL);
	int len = 0;
	const fdt32_t *ph = fdt_getprop(dt->fdt, off, "channel", &len);
	int chan = ph != NULL && len == 4 ? phandle_node(dt, ph) : -1;
	const char *full = NULL;

	/* The owner is the channel's (uapi.md 9.3), unless the stream names one itself. */
	put_label_owner(dt, group, off,
	                chan >= 0 && sentry_prop(dt, off, "owner", &len, &full) == NULL ? chan
	                                                                                : off);
	if (chan >= 0) {
		const char *unit = strchr(fdt_get_name(dt->fdt, chan, NULL), '@');
		int ctl = fdt_parent_offset(dt->fdt, chan);
		g_autofree char *num =
		    g_strdup_printf("%lu", unit ? strtoul(unit + 1, NULL, 16) : 0);
		g_autofree char *idx =
		    g_strdup_printf("%d", ctl >= 0 ? index_among_peers(dt, ctl) : 0);
		put(dt, group, off, "channel", "channel", num);
		put(dt, group, off, "controller", "channel", idx);
	}
	put_cell(dt, group, off, "stream", "streamid");
	put_end(dt, group, off, "source");
	put_end(dt, group, off, "dest");
	put_cell(dt, group, off, "length", "length");
	put_cell(dt, group, off, "priority", "priority");
	const fdt32_t *circ = fdt_getprop(dt->fdt, off, "circular", &len);
	if (circ != NULL && len == 8) {
		g_autofree char *text =
		    g_strdup_printf("%s %s", fdt32_ld(&circ[0]) ? "true" : "false",
		                    fdt32_ld(&circ[1]) ? "true" : "false");
		put(dt, group, off, "circular", "circular", text);
	}
	if (fdt_getprop(dt->fdt, off, "prio", &len) != NULL)
		ini_warn(dt->warnings, dt->ini, dt_line(dt, off, "prio"),
		         "'prio' is ignored: the kernel reads 'priority' (MEDIUM when absent, "
		         "uapi.md 9.3)");
}

/* ---- the walk ------------------------------------------------------------------------- */

/* Warn about the Sentry properties of |off| that the mapping does not know. */
static void check_sentry_props(Dt *dt, int off)
{
	int p;

	fdt_for_each_property_offset(p, dt->fdt, off)
	{
		const char *name = NULL;
		fdt_getprop_by_offset(dt->fdt, p, &name, NULL);
		for (const char *const *pre = dt_prefixes; name != NULL && *pre != NULL; pre++) {
			if (!g_str_has_prefix(name, *pre) ||
			    g_strv_contains(dt_known, name + strlen(*pre)))
				continue;
			ini_warn(dt->warnings, dt->ini, dt_line(dt, off, name),
			         "unknown property '%s' (the simulator knows %sowner, label, "
			         "counter, prescaler, shm, no-map): ignored",
			         name, *pre);
		}
	}
}

static gboolean in_subtree(Dt *dt, int off, const char *top)
{
	char path[1024];

	return fdt_get_path(dt->fdt, off, path, sizeof(path)) == 0 &&
	       (strcmp(path, top) == 0 ||
	        (g_str_has_prefix(path, top) && path[strlen(top)] == '/'));
}

/* The streams' channels (not devices) and ends (devices even without owner or label). */
static void collect_streams(Dt *dt)
{
	int streams = fdt_path_offset(dt->fdt, "/dma-streams");
	int s;

	if (streams < 0)
		return;
	fdt_for_each_subnode(s, dt->fdt, streams)
	{
		static const char *const props[] = {"channel", "source", "dest"};
		for (size_t i = 0; i < G_N_ELEMENTS(props); i++) {
			int len = 0;
			const fdt32_t *ph = fdt_getprop(dt->fdt, s, props[i], &len);
			int o = ph != NULL && len == 4 ? phandle_node(dt, ph) : -1;
			if (o >= 0)
				g_hash_table_add(i == 0 ? dt->channels : dt->dma_ends,
				                 GINT_TO_POINTER(o));
		}
	}
}

/* Whether node |off| is a device of the board. */
static gboolean is_device(Dt *dt, int off)
{
	int len = 0;

	if (off == 0 || !enabled(dt, off) || in_subtree(dt, off, "/reserved-memory") ||
	    in_subtree(dt, off, "/dma-streams") ||
	    g_hash_table_contains(dt->channels, GINT_TO_POINTER(off)))
		return FALSE;
	return sentry_prop(dt, off, "owner", &len, NULL) != NULL ||
	       sentry_prop(dt, off, "label", &len, NULL) != NULL ||
	       g_hash_table_contains(dt->dma_ends, GINT_TO_POINTER(off));
}

/* &rcc clock-frequency: the core clock. */
static void add_clock(Dt *dt)
{
	for (int off = fdt_next_node(dt->fdt, -1, NULL); off >= 0;
	     off = fdt_next_node(dt->fdt, off, NULL)) {
		const char *compat = fdt_getprop(dt->fdt, off, "compatible", NULL);
		guint32 hz = 0;
		if (compat == NULL || strstr(compat, "rcc") == NULL || !enabled(dt, off) ||
		    !prop_u32(dt, off, "clock-frequency", &hz))
			continue;
		g_autofree char *text = g_strdup_printf("%uHz", hz);
		put(dt, "system", off, "core_frequency", "clock-frequency", text);
		return;
	}
}

static gboolean map_board(Dt *dt, GError **error)
{
	int err = fdt_check_header(dt->fdt);

	if (err != 0) {
		g_set_error(error, INI_ERROR, INI_ERROR_SYNTAX,
		            "%s: dtc wrote a blob libfdt refuses: %s", dt->src->path,
		            fdt_strerror(err));
		return FALSE;
	}
	index_labels(dt);
	index_tasks(dt);
	collect_streams(dt);
	for (int off = fdt_next_node(dt->fdt, -1, NULL); off >= 0;
	     off = fdt_next_node(dt->fdt, off, NULL))
		if (!in_subtree(dt, off, "/chosen") && !in_subtree(dt, off, "/__symbols__"))
			check_sentry_props(dt, off);
	for (int off = fdt_next_node(dt->fdt, -1, NULL); off >= 0;
	     off = fdt_next_node(dt->fdt, off, NULL))
		if (is_device(dt, off))
			add_device(dt, off);
	for (int off = fdt_next_node(dt->fdt, -1, NULL); off >= 0;
	     off = fdt_next_node(dt->fdt, off, NULL))
		if (is_shm(dt, off))
			add_shm(dt, off);
	int streams = fdt_path_offset(dt->fdt, "/dma-streams");
	int s;
	if (streams >= 0)
		fdt_for_each_subnode(s, dt->fdt, streams) add_stream(dt, s);
	add_clock(dt);
	return TRUE;
}

gboolean devicetree_apply(IniFile *ini, const DtSource *src, GPtrArray *warnings, GError **error)
{
	g_autoptr(GError) tmp_err = NULL;
	g_autofree char *dir = g_dir_make_tmp("sentry-sim-dt-XXXXXX", &tmp_err);
	g_autoptr(GBytes) blob = NULL;
	g_autofree char *annotated = NULL;

	if (dir == NULL) {
		g_set_error(error, INI_ERROR, INI_ERROR_IO, "%s: no temporary directory: %s",
		            src->path, tmp_err->message);
		return FALSE;
	}
	gboolean ok = build(src, dir, &blob, &annotated, error);
	static const char *const files[] = {"board.pp.dts", "board.dtb", "board.annotated.dts"};
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *f = g_build_filename(dir, files[i], NULL);
		g_unlink(f);
	}
	g_rmdir(dir);
	if (!ok)
		return FALSE;

	Dt dt = {
	    .ini = ini,
	    .src = src,
	    .warnings = warnings,
	    .fdt = g_bytes_get_data(blob, NULL),
	    .pos = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
	    .labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
	    .tasks = g_hash_table_new(g_direct_hash, g_direct_equal),
	    .names = g_hash_table_new(g_direct_hash, g_direct_equal),
	    .used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	    .channels = g_hash_table_new(g_direct_hash, g_direct_equal),
	    .dma_ends = g_hash_table_new(g_direct_hash, g_direct_equal),
	};
	index_positions(&dt, annotated);
	ok = map_board(&dt, error);
	g_hash_table_unref(dt.pos);
	g_hash_table_unref(dt.labels);
	g_hash_table_unref(dt.tasks);
	g_hash_table_unref(dt.names);
	g_hash_table_unref(dt.used);
	g_hash_table_unref(dt.channels);
	g_hash_table_unref(dt.dma_ends);
	return ok;
}
