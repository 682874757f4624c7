/*
 * sysdesc_board.c: the board groups of a system description: [device NAME], [shm NAME] and
 * [dma NAME] (uapi.md 9), and the checks over the whole board (windows, pages, handles).
 *
 * Called by sysdesc.c, pass by pass (see the top of sysdesc.c): devices and SHMs in the
 * memory pass, DMA streams after them (their ends name devices and SHMs), the page check
 * last. The loader state they share is in sysdesc_loader.h.
 */
#include <inttypes.h>
#include <string.h>

#include <uapi/dma.h>
#include <uapi/types.h>

#include "sim/periph/periph.h"
#include "sim/scenario/sysdesc_loader.h"

/* ---- board resources: shared ------------------------------------------------------------- */

static const struct {
	const char *noun; /* in messages */
	const char *plural;
	guint item_size;   /* of its Board entry */
	guint max;         /* most entries the kernel takes; 0: no limit */
	const char *field; /* the handle field that sets |max| */
} kind_info[KIND_COUNT] = {
    [KIND_DEVICE] = {.noun = "device", .plural = "devices", .item_size = sizeof(BoardDevice)},
    [KIND_SHM] =
        {.noun = "SHM", .plural = "SHMs", .item_size = sizeof(BoardShm), .max = 256, .field = "id"},
    [KIND_DMA] = {.noun = "DMA stream",
                  .plural = "DMA streams",
                  .item_size = sizeof(BoardDma),
                  .max = 256,
                  .field = "streamid"},
};

static SysResource *res_at(Loader *l, KindId k, guint i)
{
	return &g_array_index(l->res[k], SysResource, i);
}

static SysResource *cur_res(Loader *l, KindId k)
{
	return res_at(l, k, l->res[k]->len - 1);
}

static BoardDevice *dev_at(Loader *l, guint i)
{
	return &g_array_index(l->items[KIND_DEVICE], BoardDevice, i);
}

static BoardDevice *cur_dev(Loader *l)
{
	return dev_at(l, l->items[KIND_DEVICE]->len - 1);
}

static BoardShm *shm_at(Loader *l, guint i)
{
	return &g_array_index(l->items[KIND_SHM], BoardShm, i);
}

static BoardShm *cur_shm(Loader *l)
{
	return shm_at(l, l->items[KIND_SHM]->len - 1);
}

static BoardDma *cur_dma(Loader *l)
{
	return &g_array_index(l->items[KIND_DMA], BoardDma, l->items[KIND_DMA]->len - 1);
}

static int find_res(Loader *l, KindId k, const char *name)
{
	return (int)GPOINTER_TO_UINT(g_hash_table_lookup(l->res_index[k], name)) - 1;
}

/* The names of the resources of kind |k| (or of the tasks when |k| is KIND_COUNT), as a
 * NULL-terminated array for ini_hint; the strings are not copied. */
static GPtrArray *names_of(Loader *l, KindId k)
{
	GPtrArray *a = g_ptr_array_new();

	if (k == KIND_COUNT)
		for (guint i = 0; i < l->tasks->len; i++)
			g_ptr_array_add(a, g_array_index(l->tasks, SysTask, i).name);
	else
		for (guint i = 0; i < l->res[k]->len; i++)
			g_ptr_array_add(a, res_at(l, k, i)->name);
	g_ptr_array_add(a, NULL);
	return a;
}

/* The line of |key| in group |g|, or of the group header when the key is absent. */
static int key_or_group_line(Loader *l, guint g, const char *key)
{
	int line = ini_key_line(l->ini, g, key);

	return line != 0 ? line : ini_group_line(l->ini, g);
}

void sysdesc_resource_clear(SysResource *r)
{
	g_free(r->name);
	g_strfreev(r->compatible);
	g_free(r->model);
}

/* Check the NAME of "[kind NAME]" and add a resource of kind |k| with default values. */
static gboolean begin_resource(Loader *l, guint g, KindId k, const char *name, GError **error)
{
	int line = ini_group_line(l->ini, g);
	guint n = l->res[k]->len;

	if (!sysdesc_check_name(l, line, kind_info[k].noun, name, error))
		return FALSE;
	int prev = find_res(l, k, name);
	if (prev >= 0) {
		ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
		              "duplicate %s '%s' (first at %s)", kind_info[k].noun, name,
		              ini_where(l->ini, res_at(l, k, (guint)prev)->line));
		return FALSE;
	}
	if (kind_info[k].max != 0 && n == kind_info[k].max) {
		ini_set_error(error, l->ini, line, INI_ERROR_INVALID,
		              "too many %s: '%s' is %s %u, the kernel takes at most %u (the "
		              "handle's %s field is 8 bits, uapi.md 3.1)",
		              kind_info[k].plural, name, kind_info[k].noun, n + 1, kind_info[k].max,
		              kind_info[k].field);
		return FALSE;
	}
	SysResource r = {.name = g_strdup(name), .line = line, .owner = -1};
	g_array_append_val(l->res[k], r);
	g_hash_table_insert(l->res_index[k], r.name, GUINT_TO_POINTER(n + 1));
	g_array_set_size(l->items[k], n + 1); /* zeroed */
	return TRUE;
}

/* 'label': a 32-bit number, unique within the kind. */
static gboolean res_label(Loader *l, guint g, const char *key, KindId k, uint32_t *out,
                          GError **error)
{
	int line = ini_key_line(l->ini, g, key);
	guint n = l->res[k]->len - 1;

	if (!sysdesc_get_u32(l, g, key, 0, G_MAXUINT32, out, error))
		return FALSE;
	guint i = GPOINTER_TO_UINT(g_hash_table_lookup(l->label_index[k], GUINT_TO_POINTER(*out)));
	if (i != 0 && i - 1 != n) {
		ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
		              "duplicate label 0x%x: %s '%s' has it too (%s)", *out,
		              kind_info[k].noun, res_at(l, k, i - 1)->name,
		              ini_where(l->ini, res_at(l, k, i - 1)->label_line));
		return FALSE;
	}
	g_hash_table_insert(l->label_index[k], GUINT_TO_POINTER(*out), GUINT_TO_POINTER(n + 1));
	cur_res(l, k)->label_line = line;
	return TRUE;
}

/* 'owner': a task name; |*label| receives that task's label. */
static gboolean res_owner(Loader *l, guint g, const char *key, KindId k, uint32_t *label,
                          GError **error)
{
	g_autofree char *name = NULL;
	int line = ini_key_line(l->ini, g, key);

	if (!ini_get_string(l->ini, g, key, &name, error))
		return FALSE;
	if (*name == '\0') {
		ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
		              "'owner' is empty (expected the name of a task)");
		return FALSE;
	}
	int t = -1;
	for (guint i = 0; i < l->tasks->len && t < 0; i++)
		if (strcmp(g_array_index(l->tasks, SysTask, i).name, name) == 0)
			t = (int)i;
	if (t < 0) {
		g_autoptr(GPtrArray) tasks = names_of(l, KIND_COUNT);
		g_autofree char *hint = ini_hint(name, (const char *const *)tasks->pdata);
		g_autofree char *ex = ini_excerpt(name);
		ini_set_error(error, l->ini, line, INI_ERROR_INVALID, "unknown owner task '%s'%s",
		              ex, hint);
		return FALSE;
	}
	cur_res(l, k)->owner = t;
	*label = g_array_index(l->ktasks, KernelTaskConfig, t).label;
	return TRUE;
}

/* 'base' and 'size': a number in [min, max]. No alignment is asked: the kernel has no such
 * rule (it rounds the MPU region it programs and reports the declared size, uapi.md 9.2). */
static gboolean window_field(Loader *l, guint g, const char *key, guint64 min, guint64 max,
                             uint64_t *out, GError **error)
{
	guint64 v = *out;

	if (!ini_get_u64(l->ini, g, key, min, max, &v, error))
		return FALSE;
	*out = v;
	return TRUE;
}

static gboolean window_base(Loader *l, guint g, const char *key, uint64_t *out, GError **error)
{
	return window_field(l, g, key, 0, SYSDESC_ADDR_END - 1, out, error);
}

/* "[0x1000, 0x1020)", for messages. */
static char *range_text(guint64 base, guint64 size)
{
	return g_strdup_printf("[0x%llx, 0x%llx)", (unsigned long long)base,
	                       (unsigned long long)(base + size));
}

static gint compare_bases(gconstpointer a, gconstpointer b)
{
	guint x = GPOINTER_TO_UINT(a), y = GPOINTER_TO_UINT(b);

	return x < y ? -1 : x > y;
}

/* The window, first in file order, that [base, base + size) overlaps, or NULL. The recorded
 * windows are disjoint, so those it overlaps are neighbours in the tree: the one before
 * |base| and those that start inside the new window. */
static const Window *first_overlap(Loader *l, guint64 base, guint64 size)
{
	GTreeNode *node = g_tree_lower_bound(l->window_tree, GUINT_TO_POINTER((guint)base));
	GTreeNode *prev =
	    node != NULL ? g_tree_node_previous(node) : g_tree_node_last(l->window_tree);
	const Window *best = NULL;
	guint best_i = G_MAXUINT;

	if (prev != NULL)
		node = prev;
	for (; node != NULL; node = g_tree_node_next(node)) {
		guint i = GPOINTER_TO_UINT(g_tree_node_value(node));
		const Window *o = &g_array_index(l->windows, Window, i);
		if (o->base >= base + size)
			break;
		if (base < o->base + o->size && i < best_i) {
			best = o;
			best_i = i;
		}
	}
	return best;
}

/* Check the window [base, base + size) of the current resource of kind |k| (size > 0) and
 * record it: inside [SYSDESC_MIN_ADDR, SYSDESC_ADDR_END), overlapping no other. */
static gboolean add_window(Loader *l, guint g, KindId k, guint64 base, guint64 size, GError **error)
{
	const SysResource *r = cur_res(l, k);
	int base_line = key_or_group_line(l, g, "base");

	if (base < SYSDESC_MIN_ADDR) {
		ini_set_error(error, l->ini, base_line, INI_ERROR_VALUE,
		              "'base' 0x%llx is below 0x%llx: the host cannot map the lowest "
		              "addresses (mmap_min_addr)",
		              (unsigned long long)base, SYSDESC_MIN_ADDR);
		return FALSE;
	}
	if (base + size > SYSDESC_ADDR_END) {
		g_autofree char *range = range_text(base, size);
		ini_set_error(error, l->ini, key_or_group_line(l, g, "size"), INI_ERROR_VALUE,
		              "%s '%s' %s ends above 0xffffffff (MCU addresses are 32 bits)",
		              kind_info[k].noun, r->name, range);
		return FALSE;
	}
	const Window *o = first_overlap(l, base, size);
	if (o != NULL) {
		g_autofree char *range = range_text(base, size);
		g_autofree char *orange = range_text(o->base, o->size);
		ini_set_error(error, l->ini, base_line, INI_ERROR_INVALID,
		              "%s '%s' %s overlaps %s '%s' %s (%s)", kind_info[k].noun, r->name,
		              range, kind_info[o->kind].noun, o->name, orange,
		              ini_where(l->ini, o->line));
		return FALSE;
	}
	Window w = {
	    .kind = k,
	    .name = r->name,
	    .base = base,
	    .size = size,
	    .owner = r->owner,
	    .line = base_line,
	};
	g_array_append_val(l->windows, w);
	g_tree_insert(l->window_tree, GUINT_TO_POINTER((guint)base),
	              GUINT_TO_POINTER(l->windows->len - 1));
	return TRUE;
}

/* The items of a list value, split at any of |separators| (lists take ';', the GKeyFile list
 * separator, ',' and blanks), trimmed; empty items are dropped. */
static GStrv list_items(const char *text, const char *separators)
{
	g_auto(GStrv) all = g_strsplit_set(text, separators, -1);
	g_autoptr(GPtrArray) items = g_ptr_array_new();

	for (char **it = all; *it != NULL; it++) {
		g_strstrip(*it);
		if (**it != '\0')
			g_ptr_array_add(items, g_strdup(*it));
	}
	g_ptr_array_add(items, NULL);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&items), FALSE);
}

/* ---- [device NAME] ----------------------------------------------------------------------- */

static gboolean dev_label(Loader *l, guint g, const char *key, GError **error)
{
	return res_label(l, g, key, KIND_DEVICE, &cur_dev(l)->label, error);
}

static gboolean dev_owner(Loader *l, guint g, const char *key, GError **error)
{
	cur_dev(l)->has_owner = true;
	return res_owner(l, g, key, KIND_DEVICE, &cur_dev(l)->owner, error);
}

static gboolean dev_compatible(Loader *l, guint g, const char *key, GError **error)
{
	g_autofree char *text = NULL;

	if (!ini_get_string(l->ini, g, key, &text, error))
		return FALSE;
	SysResource *r = cur_res(l, KIND_DEVICE);
	g_strfreev(r->compatible);
	r->compatible = list_items(text, ";");
	return TRUE;
}

/* The peripheral model of the device (BoardDevice.model): a model's name, "memory", or
 * "none" for the plain window (docs/periph.md). */
static gboolean dev_model(Loader *l, guint g, const char *key, GError **error)
{
	SysResource *r = cur_res(l, KIND_DEVICE);

	g_clear_pointer(&r->model, g_free);
	if (!ini_get_string(l->ini, g, key, &r->model, error))
		return FALSE;
	if (!periph_model_name_known(r->model)) {
		g_autofree char *ex = ini_excerpt(r->model);
		ini_set_error(error, l->ini, ini_key_line(l->ini, g, key), INI_ERROR_UNKNOWN,
		              "unknown model '%s' (known: %s)", ex, periph_model_names());
		return FALSE;
	}
	cur_dev(l)->model = strcmp(r->model, PERIPH_MODEL_NONE) == 0 ? NULL : r->model;
	return TRUE;
}

/* Without a 'model' key, the model its compatible strings name, if it has a register window
 * (docs/periph.md); a model given for a device without one is refused. */
static gboolean device_model(Loader *l, guint g, GError **error)
{
	SysResource *r = cur_res(l, KIND_DEVICE);
	BoardDevice *dv = cur_dev(l);
	const PeriphClass *cls = periph_class_by_compatible((const char *const *)r->compatible);

	if (ini_has_key(l->ini, g, "model")) {
		if (dv->model == NULL || dv->size != 0)
			return TRUE;
		ini_set_error(error, l->ini, ini_key_line(l->ini, g, "model"), INI_ERROR_INVALID,
		              "device '%s' has model '%s' but no register window ('base', "
		              "'size') for it to answer",
		              r->name, dv->model);
		return FALSE;
	}
	if (cls != NULL && dv->size != 0) {
		r->model = g_strdup(cls->name);
		dv->model = r->model;
	}
	return TRUE;
}

static gboolean dev_class(Loader *l, guint g, const char *key, GError **error)
{
	guint32 caps = 0;

	if (!ini_get_caps(l->ini, g, key, &caps, error))
		return FALSE;
	if ((caps & ~SYSDESC_DEV_CAPS) != 0 || (caps & (caps - 1)) != 0) {
		g_autofree char *text = NULL;
		ini_get_string(l->ini, g, key, &text, NULL);
		ini_set_error(error, l->ini, ini_key_line(l->ini, g, key), INI_ERROR_VALUE,
		              "'class' must be one CAP_DEV_* capability, or 0 for none (got '%s')",
		              text);
		return FALSE;
	}
	cur_dev(l)->cap = caps;
	return TRUE;
}

static gboolean dev_base(Loader *l, guint g, const char *key, GError **error)
{
	return window_base(l, g, key, &cur_dev(l)->base, error);
}

static gboolean dev_size(Loader *l, guint g, const char *key, GError **error)
{
	return window_field(l, g, key, 0, SYSDESC_ADDR_END, &cur_dev(l)->size, error);
}

static gboolean dev_mappable(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_bool(l->ini, g, key, &cur_dev(l)->mappable, error);
}

static gboolean dev_interrupts(Loader *l, guint g, const char *key, GError **error)
{
	g_autofree char *text = NULL;
	int line = ini_key_line(l->ini, g, key);
	guint32 num_irqs = l->d->kernel.num_irqs;
	BoardDevice *dv = cur_dev(l);

	if (!ini_get_string(l->ini, g, key, &text, error))
		return FALSE;
	g_auto(GStrv) items = list_items(text, ";, \t");
	guint n = g_strv_length(items);
	if (n > BOARD_MAX_IRQS) {
		ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
		              "'interrupts' lists %u IRQs, at most %u (uapi.md 9.1)", n,
		              BOARD_MAX_IRQS);
		return FALSE;
	}
	dv->n_irqs = 0;
	for (guint i = 0; i < n; i++) {
		guint64 v = 0;
		if (!ini_parse_u64(items[i], key, 0, G_MAXUINT16, &v, error))
			return ini_locate_error(error, l->ini, line);
		if (v >= num_irqs) {
			ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
			              "IRQ %s is not below num_irqs (%u): raise 'num_irqs' in "
			              "'[system]' or fix 'interrupts'",
			              items[i], num_irqs);
			return FALSE;
		}
		for (guint j = 0; j < dv->n_irqs; j++) {
			if (dv->irqs[j] == v) {
				ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
				              "'interrupts' lists IRQ %u twice", (guint)v);
				return FALSE;
			}
		}
		dv->irqs[dv->n_irqs++] = (uint16_t)v;
	}
	return TRUE;
}

static gboolean dev_ios(Loader *l, guint g, const char *key, GError **error)
{
	g_autofree char *text = NULL;
	int line = ini_key_line(l->ini, g, key);
	BoardDevice *dv = cur_dev(l);

	if (!ini_get_string(l->ini, g, key, &text, error))
		return FALSE;
	g_auto(GStrv) items = list_items(text, ";, \t");
	guint n = g_strv_length(items);
	if (n > BOARD_MAX_IOS) {
		ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
		              "'ios' lists %u entries, at most %u (uapi.md 9.1)", n, BOARD_MAX_IOS);
		return FALSE;
	}
	for (guint i = 0; i < n; i++) {
		char *colon = strchr(items[i], ':');
		guint64 port = 0, pin = 0;
		if (colon == NULL) {
			g_autofree char *ex = ini_excerpt(items[i]);
			ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
			              "'ios' entries are PORT:PIN, such as 0:9 (got '%s')", ex);
			return FALSE;
		}
		*colon = '\0';
		if (!ini_parse_u64(items[i], "ios port", 0, G_MAXUINT8, &port, error) ||
		    !ini_parse_u64(colon + 1, "ios pin", 0, G_MAXUINT8, &pin, error))
			return ini_locate_error(error, l->ini, line);
		dv->ios[i].port = (uint8_t)port;
		dv->ios[i].pin = (uint8_t)pin;
	}
	dv->n_ios = (uint8_t)n;
	return TRUE;
}

typedef struct {
	const char *name;
	size_t offset; /* in BoardIo */
	bool wide;     /* uint32_t, else uint8_t */
} IoField;

static const IoField io_fields[] = {
    {.name = "mode", .offset = offsetof(BoardIo, mode)},
    {.name = "af", .offset = offsetof(BoardIo, af)},
    {.name = "ppull", .offset = offsetof(BoardIo, ppull)},
    {.name = "speed", .offset = offsetof(BoardIo, speed)},
    {.name = "pupdr", .offset = offsetof(BoardIo, pupdr), .wide = true},
};

/* "io.N = mode=2 af=7 ...": the pin configuration of io N (io_info_t). */
static gboolean dev_io(Loader *l, guint g, const char *key, GError **error)
{
	g_autofree char *text = NULL;
	int line = ini_key_line(l->ini, g, key);
	guint64 index = 0;

	if (!ini_parse_u64(key + strlen("io."), key, 0, BOARD_MAX_IOS - 1, &index, NULL)) {
		ini_set_error(error, l->ini, line, INI_ERROR_UNKNOWN,
		              "unknown key '%s' in '[%s]' (io keys are io.0 to io.%u)", key,
		              ini_group_name(l->ini, g), BOARD_MAX_IOS - 1);
		return FALSE;
	}
	if (l->io_lines[index] != 0) {
		ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
		              "'%s' configures io %u again (first at %s)", key, (guint)index,
		              ini_where(l->ini, l->io_lines[index]));
		return FALSE;
	}
	l->io_lines[index] = line;
	if (!ini_get_string(l->ini, g, key, &text, error))
		return FALSE;

	BoardIo *io = &cur_dev(l)->ios[index];
	const char *names[G_N_ELEMENTS(io_fields) + 1];
	bool seen[G_N_ELEMENTS(io_fields)] = {false};
	for (size_t f = 0; f < G_N_ELEMENTS(io_fields); f++)
		names[f] = io_fields[f].name;
	names[G_N_ELEMENTS(io_fields)] = NULL;
	g_auto(GStrv) items = list_items(text, ";, \t");
	for (char **it = items; *it != NULL; it++) {
		char *eq = strchr(*it, '=');
		if (eq == NULL) {
			ini_set_error(
			    error, l->ini, line, INI_ERROR_VALUE,
			    "'%s' takes FIELD=VALUE items, such as mode=2 af=7 (got '%s')", key,
			    *it);
			return FALSE;
		}
		*eq = '\0';
		size_t f = 0;
		while (f < G_N_ELEMENTS(io_fields) && strcmp(io_fields[f].name, *it) != 0)
			f++;
		if (f == G_N_ELEMENTS(io_fields)) {
			g_autofree char *hint = ini_hint(*it, names);
			ini_set_error(error, l->ini, line, INI_ERROR_UNKNOWN,
			              "unknown field '%s' in '%s'%s", *it, key, hint);
			return FALSE;
		}
		if (seen[f]) {
			ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
			              "'%s' sets '%s' twice", key, *it);
			return FALSE;
		}
		seen[f] = true;
		g_autofree char *what = g_strdup_printf("%s %s", key, *it);
		guint64 v = 0;
		if (!ini_parse_u64(eq + 1, what, 0, io_fields[f].wide ? G_MAXUINT32 : G_MAXUINT8,
		                   &v, error))
			return ini_locate_error(error, l->ini, line);
		if (io_fields[f].wide) {
			uint32_t v32 = (uint32_t)v;
			memcpy((char *)io + io_fields[f].offset, &v32, sizeof(v32));
		} else {
			*((uint8_t *)io + io_fields[f].offset) = (uint8_t)v;
		}
	}
	return TRUE;
}

/* "reg.OFFSET = VALUE": the reset value of the 32-bit register at byte OFFSET. */
static gboolean dev_reg(Loader *l, guint g, const char *key, GError **error)
{
	int line = ini_key_line(l->ini, g, key);
	BoardDevice *dv = cur_dev(l);
	guint64 offset = 0;

	if (!ini_parse_u64(key + strlen("reg."), key, 0, SYSDESC_ADDR_END - 1, &offset, NULL)) {
		ini_set_error(error, l->ini, line, INI_ERROR_UNKNOWN,
		              "unknown key '%s' in '[%s]' (register keys are reg.OFFSET, such as "
		              "reg.0x04)",
		              key, ini_group_name(l->ini, g));
		return FALSE;
	}
	if (offset % 4 != 0) {
		ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
		              "'%s': register offset 0x%x is not a multiple of 4", key,
		              (guint)offset);
		return FALSE;
	}
	for (guint i = 0; i < dv->n_regs; i++) {
		if (dv->regs[i].offset == offset) {
			ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
			              "'%s' sets register 0x%x again (first at %s)", key,
			              (guint)offset, ini_where(l->ini, l->reg_lines[i]));
			return FALSE;
		}
	}
	if (dv->n_regs == BOARD_MAX_REGS) {
		ini_set_error(error, l->ini, line, INI_ERROR_INVALID,
		              "device '%s' sets more than %u register reset values",
		              cur_res(l, KIND_DEVICE)->name, BOARD_MAX_REGS);
		return FALSE;
	}
	BoardReg *r = &dv->regs[dv->n_regs];
	r->offset = (uint32_t)offset;
	if (!sysdesc_get_u32(l, g, key, 0, G_MAXUINT32, &r->value, error))
		return FALSE;
	l->reg_lines[dv->n_regs++] = line;
	return TRUE;
}

static const KeySpec device_keys[] = {
    {.key = "label", .fn = dev_label},
    {.key = "owner", .fn = dev_owner},
    {.key = "compatible", .fn = dev_compatible},
    {.key = "class", .fn = dev_class},
    {.key = "model", .fn = dev_model},
    {.key = "base", .fn = dev_base},
    {.key = "size", .fn = dev_size},
    {.key = "mappable", .fn = dev_mappable},
    {.key = "interrupts", .fn = dev_interrupts},
    {.key = "ios", .fn = dev_ios},
    {.key = "io.", .fn = dev_io, .prefix = true, .shown = "io.N"},
    {.key = "reg.", .fn = dev_reg, .prefix = true, .shown = "reg.OFFSET"},
    {0},
};

/* The register window: none, or checked and recorded. */
static gboolean device_window(Loader *l, guint g, GError **error)
{
	const BoardDevice *dv = cur_dev(l);
	const char *name = cur_res(l, KIND_DEVICE)->name;

	if (dv->size == 0 && dv->base == 0)
		return TRUE;
	if (dv->size == 0) {
		ini_set_error(error, l->ini, key_or_group_line(l, g, "base"), INI_ERROR_MISSING,
		              "device '%s' has a 'base' but no 'size' (give both, or neither for "
		              "a device without register window)",
		              name);
		return FALSE;
	}
	if (!ini_has_key(l->ini, g, "base")) {
		ini_set_error(error, l->ini, ini_key_line(l->ini, g, "size"), INI_ERROR_MISSING,
		              "device '%s' has a 'size' but no 'base' (give both, or neither for "
		              "a device without register window)",
		              name);
		return FALSE;
	}
	return add_window(l, g, KIND_DEVICE, dv->base, dv->size, error);
}

/* The io.N keys name declared ios; registers lie in the window. */
static gboolean device_pending_keys(Loader *l, guint g, GError **error)
{
	const BoardDevice *dv = cur_dev(l);

	for (guint i = 0; i < BOARD_MAX_IOS; i++) {
		if (l->io_lines[i] == 0 || i < dv->n_ios)
			continue;
		if (dv->n_ios == 0)
			ini_set_error(error, l->ini, l->io_lines[i], INI_ERROR_INVALID,
			              "'io.%u' configures io %u, but the device declares no 'ios'",
			              i, i);
		else
			ini_set_error(
			    error, l->ini, l->io_lines[i], INI_ERROR_INVALID,
			    "'io.%u' configures io %u, but 'ios' declares %u (io.0 to io.%u)", i, i,
			    dv->n_ios, dv->n_ios - 1u);
		return FALSE;
	}
	for (guint i = 0; i < dv->n_regs; i++) {
		if (dv->regs[i].offset < dv->size)
			continue;
		ini_set_error(error, l->ini, l->reg_lines[i], INI_ERROR_INVALID,
		              "register 0x%x is outside the register window of device '%s' (size "
		              "0x%llx)",
		              dv->regs[i].offset, cur_res(l, KIND_DEVICE)->name,
		              (unsigned long long)dv->size);
		return FALSE;
	}
	return TRUE;
}

/* The capability class (uapi.md 9.1): derived from the compatible strings, or given. */
static void device_class(Loader *l, guint g)
{
	BoardDevice *dv = cur_dev(l);
	const SysResource *r = cur_res(l, KIND_DEVICE);
	/* Joined with a blank, which no substring of the table contains: a match never spans
	 * two strings. */
	g_autofree char *joined = g_strjoinv(" ", r->compatible);
	uint32_t derived = board_device_class(joined);

	if (!ini_has_key(l->ini, g, "class")) {
		dv->cap = derived;
	} else if (dv->cap != derived) {
		g_autofree char *given = ini_format_caps(dv->cap);
		g_autofree char *want = ini_format_caps(derived);
		ini_warn(l->d->warnings, l->ini, ini_key_line(l->ini, g, "class"),
		         "class %s differs from %s, the class the kernel derives from "
		         "'compatible' (uapi.md 9.1): the simulator uses %s",
		         given, want, given);
	}
}

/* Two listed devices must not get the same handle (uapi.md 3.4). */
static gboolean device_handle_unique(Loader *l, GError **error)
{
	guint n = l->items[KIND_DEVICE]->len - 1;
	const BoardDevice *dv = cur_dev(l);
	const SysResource *r = cur_res(l, KIND_DEVICE);
	gpointer handle = GUINT_TO_POINTER(board_device_handle(dv));
	guint found = GPOINTER_TO_UINT(g_hash_table_lookup(l->handles, handle));

	if (found == 0) {
		g_hash_table_insert(l->handles, handle, GUINT_TO_POINTER(n + 1));
		return TRUE;
	}
	guint i = found - 1;
	const BoardDevice *o = dev_at(l, i);
	g_autofree char *cls = ini_format_caps(dv->cap);
	ini_set_error(error, l->ini, r->label_line, INI_ERROR_DUPLICATE,
	              "device '%s' would get the handle of device '%s' (%s), 0x%08x: "
	              "their labels 0x%x and 0x%x agree in the low 16 bits and both have "
	              "class %s (uapi.md 3.4)",
	              r->name, res_at(l, KIND_DEVICE, i)->name,
	              ini_where(l->ini, res_at(l, KIND_DEVICE, i)->label_line),
	              board_device_handle(dv), dv->label, o->label, cls);
	return FALSE;
}

static void device_shared_irqs(Loader *l, guint g)
{
	guint n = l->items[KIND_DEVICE]->len - 1;
	const BoardDevice *dv = cur_dev(l);

	for (guint j = 0; j < dv->n_irqs; j++) {
		gpointer irq = GUINT_TO_POINTER(dv->irqs[j]);
		guint first = GPOINTER_TO_UINT(g_hash_table_lookup(l->irq_first, irq));
		if (first == 0) {
			g_hash_table_insert(l->irq_first, irq, GUINT_TO_POINTER(n + 1));
			continue;
		}
		ini_warn(l->d->warnings, l->ini, ini_key_line(l->ini, g, "interrupts"),
		         "IRQ %u is declared by device '%s' too (%s): an IRQ should belong to one "
		         "device, the kernel uses the first listed device that declares it "
		         "(uapi.md 9.1)",
		         dv->irqs[j], res_at(l, KIND_DEVICE, first - 1)->name,
		         ini_where(l->ini, g_array_index(l->irq_lines, int, first - 1)));
	}
}

static gboolean finish_device(Loader *l, guint g, GError **error)
{
	const BoardDevice *dv = cur_dev(l);
	const SysResource *r = cur_res(l, KIND_DEVICE);
	int irq_line = ini_key_line(l->ini, g, "interrupts");

	g_array_append_val(l->irq_lines, irq_line);
	if (!ini_has_key(l->ini, g, "label")) {
		ini_set_error(error, l->ini, r->line, INI_ERROR_MISSING,
		              "device '%s' has no 'label' (a 32-bit number, unique among devices)",
		              r->name);
		return FALSE;
	}
	if (!device_window(l, g, error) || !device_pending_keys(l, g, error))
		return FALSE;
	device_class(l, g);
	if (!device_model(l, g, error))
		return FALSE;
	if (dv->has_owner) {
		int owner_line = ini_key_line(l->ini, g, "owner");
		if (dv->cap == 0 && ini_has_key(l->ini, g, "class"))
			ini_warn(l->d->warnings, l->ini, ini_key_line(l->ini, g, "class"),
			         "device '%s' has class 0: map_dev or unmap_dev of it panics the "
			         "kernel (uapi.md 4.7)",
			         r->name);
		else if (dv->cap == 0)
			ini_warn(
			    l->d->warnings, l->ini, key_or_group_line(l, g, "compatible"),
			    "device '%s' has no capability class (no 'compatible' string names "
			    "one, uapi.md 9.1): map_dev or unmap_dev of it panics the kernel "
			    "(uapi.md 4.7)",
			    r->name);
		if (dv->size == 0)
			ini_warn(
			    l->d->warnings, l->ini, owner_line,
			    "device '%s' has an owner but no register window ('base', 'size'): "
			    "mapping it is not characterized (uapi.md 4.7)",
			    r->name);
		if (!device_handle_unique(l, error))
			return FALSE;
	}
	device_shared_irqs(l, g);
	return TRUE;
}

gboolean sysdesc_load_device(Loader *l, guint g, const char *name, GError **error)
{
	if (!begin_resource(l, g, KIND_DEVICE, name, error))
		return FALSE;
	BoardDevice *dv = cur_dev(l);
	dv->name = cur_res(l, KIND_DEVICE)->name;
	dv->mappable = true;
	cur_res(l, KIND_DEVICE)->compatible = g_new0(char *, 1);
	memset(l->io_lines, 0, sizeof(l->io_lines));
	memset(l->reg_lines, 0, sizeof(l->reg_lines));
	return sysdesc_load_keys(l, g, device_keys, error) && finish_device(l, g, error);
}

/* ---- [shm NAME] -------------------------------------------------------------------------- */

static gboolean shm_label(Loader *l, guint g, const char *key, GError **error)
{
	return res_label(l, g, key, KIND_SHM, &cur_shm(l)->label, error);
}

static gboolean shm_owner(Loader *l, guint g, const char *key, GError **error)
{
	return res_owner(l, g, key, KIND_SHM, &cur_shm(l)->owner, error);
}

static gboolean shm_base(Loader *l, guint g, const char *key, GError **error)
{
	return window_base(l, g, key, &cur_shm(l)->base, error);
}

static gboolean shm_size(Loader *l, guint g, const char *key, GError **error)
{
	return window_field(l, g, key, 1, SYSDESC_ADDR_END, &cur_shm(l)->size, error);
}

static gboolean shm_no_map(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_bool(l->ini, g, key, &cur_shm(l)->no_map, error);
}

static gboolean shm_dma_pool(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_bool(l->ini, g, key, &cur_shm(l)->dma_pool, error);
}

static const KeySpec shm_keys[] = {
    {.key = "label", .fn = shm_label},
    {.key = "owner", .fn = shm_owner},
    {.key = "base", .fn = shm_base},
    {.key = "size", .fn = shm_size},
    {.key = "no_map", .fn = shm_no_map},
    {.key = "dma_pool", .fn = shm_dma_pool},
    {0},
};

/* A key every resource of kind |k| needs. */
static gboolean require_key(Loader *l, guint g, KindId k, const char *key, const char *what,
                            GError **error)
{
	if (ini_has_key(l->ini, g, key))
		return TRUE;
	ini_set_error(error, l->ini, ini_group_line(l->ini, g), INI_ERROR_MISSING,
	              "%s '%s' has no '%s' (%s)", kind_info[k].noun, cur_res(l, k)->name, key,
	              what);
	return FALSE;
}

gboolean sysdesc_load_shm(Loader *l, guint g, const char *name, GError **error)
{
	if (!begin_resource(l, g, KIND_SHM, name, error))
		return FALSE;
	BoardShm *s = cur_shm(l);
	s->name = cur_res(l, KIND_SHM)->name;
	return sysdesc_load_keys(l, g, shm_keys, error) &&
	       require_key(l, g, KIND_SHM, "label", "a 32-bit number, unique among SHMs", error) &&
	       require_key(l, g, KIND_SHM, "owner", "the name of the task that owns it", error) &&
	       require_key(l, g, KIND_SHM, "base", "the address tasks see it at", error) &&
	       require_key(l, g, KIND_SHM, "size", "in bytes", error) &&
	       add_window(l, g, KIND_SHM, s->base, s->size, error);
}

/* ---- [dma NAME] -------------------------------------------------------------------------- */

static const IniEnum dma_priority_names[] = {
    {.name = "low", .value = GPDMA_PRIORITY_LOW},
    {.name = "medium", .value = GPDMA_PRIORITY_MEDIUM},
    {.name = "high", .value = GPDMA_PRIORITY_HIGH},
    {.name = "very_high", .value = GPDMA_PRIORITY_VERY_HIGH},
    {.name = "0", .value = GPDMA_PRIORITY_LOW, .alias = true},
    {.name = "1", .value = GPDMA_PRIORITY_MEDIUM, .alias = true},
    {.name = "2", .value = GPDMA_PRIORITY_HIGH, .alias = true},
    {.name = "3", .value = GPDMA_PRIORITY_VERY_HIGH, .alias = true},
    {0},
};

static gboolean get_u16(Loader *l, guint g, const char *key, uint16_t *out, GError **error)
{
	guint64 v = *out;

	if (!ini_get_u64(l->ini, g, key, 0, G_MAXUINT16, &v, error))
		return FALSE;
	*out = (uint16_t)v;
	return TRUE;
}

static gboolean dma_label(Loader *l, guint g, const char *key, GError **error)
{
	return res_label(l, g, key, KIND_DMA, &cur_dma(l)->label, error);
}

static gboolean dma_owner(Loader *l, guint g, const char *key, GError **error)
{
	return res_owner(l, g, key, KIND_DMA, &cur_dma(l)->owner, error);
}

static gboolean dma_channel(Loader *l, guint g, const char *key, GError **error)
{
	return get_u16(l, g, key, &cur_dma(l)->channel, error);
}

static gboolean dma_stream(Loader *l, guint g, const char *key, GError **error)
{
	return get_u16(l, g, key, &cur_dma(l)->stream, error);
}

static gboolean dma_controller(Loader *l, guint g, const char *key, GError **error)
{
	return get_u16(l, g, key, &cur_dma(l)->controller, error);
}

/* 'source' and 'dest': "shm NAME" or "device NAME". */
static gboolean dma_end(Loader *l, guint g, const char *key, BoardEnd *out, GError **error)
{
	g_autofree char *text = NULL;
	int line = ini_key_line(l->ini, g, key);

	if (!ini_get_string(l->ini, g, key, &text, error))
		return FALSE;
	char *sp = strpbrk(text, " \t");
	const char *name = sp != NULL ? g_strchug(sp + 1) : "";
	if (sp != NULL)
		*sp = '\0';
	KindId k = strcmp(text, "shm") == 0      ? KIND_SHM
	           : strcmp(text, "device") == 0 ? KIND_DEVICE
	                                         : KIND_COUNT;
	if (k == KIND_COUNT || *name == '\0') {
		/* "usart1" or "dev usart1" for "device usart1" */
		const char *word = *name != '\0' ? name : text;
		gboolean dev = find_res(l, KIND_DEVICE, word) >= 0;
		gboolean shm = find_res(l, KIND_SHM, word) >= 0;
		g_autofree char *got =
		    sp != NULL ? g_strdup_printf("%s %s", text, name) : g_strdup(text);
		if (dev != shm)
			ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
			              "'%s' must be 'shm NAME' or 'device NAME' (got '%s': did you "
			              "mean '%s %s'?)",
			              key, got, dev ? "device" : "shm", word);
		else
			ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
			              "'%s' must be 'shm NAME' or 'device NAME' (got '%s')", key,
			              got);
		return FALSE;
	}
	int i = find_res(l, k, name);
	if (i < 0) {
		g_autoptr(GPtrArray) names = names_of(l, k);
		g_autofree char *hint =
		    names->len > 1 ? ini_hint(name, (const char *const *)names->pdata)
		                   : g_strdup_printf(" (no %s is declared)", kind_info[k].noun);
		ini_set_error(error, l->ini, line, INI_ERROR_INVALID, "unknown %s '%s' in '%s'%s",
		              kind_info[k].noun, name, key, hint);
		return FALSE;
	}
	*out = (BoardEnd){.kind = k == KIND_SHM ? BOARD_END_SHM : BOARD_END_DEVICE,
	                  .index = (uint32_t)i};
	if (k == KIND_SHM && !shm_at(l, (guint)i)->dma_pool)
		ini_warn(l->d->warnings, l->ini, line,
		         "SHM '%s' (%s) is not a DMA pool: only an SHM declared 'dma_pool = "
		         "true' may be a DMA source or destination (uapi.md 9.2)",
		         name, ini_where(l->ini, res_at(l, KIND_SHM, (guint)i)->line));
	return TRUE;
}

static gboolean dma_source(Loader *l, guint g, const char *key, GError **error)
{
	return dma_end(l, g, key, &cur_dma(l)->source, error);
}

static gboolean dma_dest(Loader *l, guint g, const char *key, GError **error)
{
	return dma_end(l, g, key, &cur_dma(l)->dest, error);
}

static gboolean dma_length(Loader *l, guint g, const char *key, GError **error)
{
	return sysdesc_get_u32(l, g, key, 1, G_MAXUINT32, &cur_dma(l)->length, error);
}

static gboolean dma_circular(Loader *l, guint g, const char *key, GError **error)
{
	g_autofree char *text = NULL;
	BoardDma *d = cur_dma(l);
	int line = ini_key_line(l->ini, g, key);

	if (!ini_get_string(l->ini, g, key, &text, error))
		return FALSE;
	g_auto(GStrv) items = list_items(text, ";, \t");
	if (g_strv_length(items) != 2) {
		g_autofree char *ex = ini_excerpt(text);
		ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
		              "'circular' takes two booleans, for the source and the destination, "
		              "such as 'false true' (got '%s')",
		              ex);
		return FALSE;
	}
	if (!ini_parse_bool(items[0], "circular source", &d->circular_source, error) ||
	    !ini_parse_bool(items[1], "circular destination", &d->circular_dest, error))
		return ini_locate_error(error, l->ini, line);
	return TRUE;
}

static gboolean dma_priority(Loader *l, guint g, const char *key, GError **error)
{
	int v = cur_dma(l)->priority;

	if (!ini_get_enum(l->ini, g, key, dma_priority_names, &v, error))
		return FALSE;
	cur_dma(l)->priority = (uint8_t)v;
	return TRUE;
}

static const KeySpec dma_keys[] = {
    {.key = "label", .fn = dma_label},
    {.key = "owner", .fn = dma_owner},
    {.key = "channel", .fn = dma_channel},
    {.key = "stream", .fn = dma_stream},
    {.key = "controller", .fn = dma_controller},
    {.key = "source", .fn = dma_source},
    {.key = "dest", .fn = dma_dest},
    {.key = "length", .fn = dma_length},
    {.key = "circular", .fn = dma_circular},
    {.key = "priority", .fn = dma_priority},
    {0},
};

/* The transfer fits in each SHM end. */
static gboolean dma_fits(Loader *l, guint g, const char *key, const BoardEnd *e, GError **error)
{
	const BoardDma *d = cur_dma(l);

	if (e->kind != BOARD_END_SHM || d->length <= shm_at(l, e->index)->size)
		return TRUE;
	ini_set_error(error, l->ini, ini_key_line(l->ini, g, "length"), INI_ERROR_INVALID,
	              "'length' %u is larger than the '%s' SHM '%s' (%llu bytes, %s)", d->length,
	              key, res_at(l, KIND_SHM, e->index)->name,
	              (unsigned long long)shm_at(l, e->index)->size,
	              ini_where(l->ini, res_at(l, KIND_SHM, e->index)->line));
	return FALSE;
}

gboolean sysdesc_load_dma(Loader *l, guint g, const char *name, GError **error)
{
	if (!begin_resource(l, g, KIND_DMA, name, error))
		return FALSE;
	BoardDma *d = cur_dma(l);
	d->name = cur_res(l, KIND_DMA)->name;
	d->priority = GPDMA_PRIORITY_MEDIUM; /* uapi.md 9.3 */
	return sysdesc_load_keys(l, g, dma_keys, error) &&
	       require_key(l, g, KIND_DMA, "label", "a 32-bit number, unique among DMA streams",
	                   error) &&
	       require_key(l, g, KIND_DMA, "owner", "the name of the task that owns its channel",
	                   error) &&
	       require_key(l, g, KIND_DMA, "channel", "the unit address of its channel", error) &&
	       require_key(l, g, KIND_DMA, "source", "'shm NAME' or 'device NAME'", error) &&
	       require_key(l, g, KIND_DMA, "dest", "'shm NAME' or 'device NAME'", error) &&
	       require_key(l, g, KIND_DMA, "length", "the transfer length in bytes", error) &&
	       dma_fits(l, g, "source", &d->source, error) &&
	       dma_fits(l, g, "dest", &d->dest, error);
}

/* ---- the whole board --------------------------------------------------------------------- */

/* A host page holding windows of different owners: mapping one window maps the whole page,
 * so the owner of one can reach the bytes of the other (docs/system-description.md). Windows
 * do not overlap, so such a page is the first or the last page of every window in it: one
 * pass files each window under its edge pages, then each page is judged once, in the order
 * the pages were first met. */
void sysdesc_check_pages(Loader *l)
{
	const GArray *ws = l->windows;
	g_autoptr(GHashTable) pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	                                                    (GDestroyNotify)g_array_unref);
	g_autoptr(GPtrArray) order = g_ptr_array_new(); /* of guint64 *, keys of |pages| */

	for (guint i = 0; i < ws->len; i++) {
		const Window *w = &g_array_index(ws, Window, i);
		guint64 edges[2] = {w->base & ~(SYSDESC_HOST_PAGE - 1),
		                    (w->base + w->size - 1) & ~(SYSDESC_HOST_PAGE - 1)};
		for (guint e = 0; e < (edges[0] == edges[1] ? 1u : 2u); e++) {
			GArray *in = g_hash_table_lookup(pages, &edges[e]);
			if (in == NULL) {
				guint64 *key = g_memdup2(&edges[e], sizeof(guint64));
				in = g_array_new(FALSE, FALSE, sizeof(guint));
				g_hash_table_insert(pages, key, in);
				g_ptr_array_add(order, key);
			}
			g_array_append_val(in, i);
		}
	}
	for (guint p = 0; p < order->len; p++) {
		guint64 page = *(guint64 *)g_ptr_array_index(order, p);
		const GArray *in = g_hash_table_lookup(pages, &page);
		const Window *first = NULL;
		for (guint j = 0; j < in->len; j++) {
			const Window *o = &g_array_index(ws, Window, g_array_index(in, guint, j));
			if (o->owner < 0)
				continue;
			if (first == NULL) {
				first = o;
				continue;
			}
			if (o->owner == first->owner)
				continue;
			const char *owner1 = g_array_index(l->tasks, SysTask, first->owner).name;
			const char *owner2 = g_array_index(l->tasks, SysTask, o->owner).name;
			ini_warn(l->d->warnings, l->ini, o->line,
			         "isolation is coarser than on the MCU: host page 0x%llx holds "
			         "%s '%s' (owner %s) and %s '%s' (owner %s); a task that maps "
			         "one can reach the other in that page",
			         (unsigned long long)page, kind_info[first->kind].noun, first->name,
			         owner1, kind_info[o->kind].noun, o->name, owner2);
			break;
		}
	}
}

/* ---- hand-over ------------------------------------------------------------------------- */

void sysdesc_board_init(Loader *l)
{
	l->irq_lines = g_array_new(FALSE, TRUE, sizeof(int));
	l->windows = g_array_new(FALSE, TRUE, sizeof(Window));
	l->handles = g_hash_table_new(g_direct_hash, g_direct_equal);
	l->irq_first = g_hash_table_new(g_direct_hash, g_direct_equal);
	l->window_tree = g_tree_new(compare_bases);
	for (KindId k = 0; k < KIND_COUNT; k++) {
		l->res[k] = g_array_new(FALSE, TRUE, sizeof(SysResource));
		g_array_set_clear_func(l->res[k], (GDestroyNotify)sysdesc_resource_clear);
		l->items[k] = g_array_new(FALSE, TRUE, kind_info[k].item_size);
		l->res_index[k] = g_hash_table_new(g_str_hash, g_str_equal);
		l->label_index[k] = g_hash_table_new(g_direct_hash, g_direct_equal);
	}
}

static void release_scratch(Loader *l)
{
	g_clear_pointer(&l->irq_lines, g_array_unref);
	g_clear_pointer(&l->windows, g_array_unref);
	g_clear_pointer(&l->handles, g_hash_table_unref);
	g_clear_pointer(&l->irq_first, g_hash_table_unref);
	g_clear_pointer(&l->window_tree, g_tree_unref);
	for (KindId k = 0; k < KIND_COUNT; k++) {
		g_clear_pointer(&l->res_index[k], g_hash_table_unref);
		g_clear_pointer(&l->label_index[k], g_hash_table_unref);
	}
}

void sysdesc_board_clear(Loader *l)
{
	release_scratch(l);
	for (KindId k = 0; k < KIND_COUNT; k++) {
		g_clear_pointer(&l->res[k], g_array_unref);
		g_clear_pointer(&l->items[k], g_array_unref);
	}
}

/* Hand the resources of kind |k| over: their SysResource array in |*res|, their count in |*n|;
 * returns their Board array. */
static void *take_resources(Loader *l, KindId k, SysResource **res, uint32_t *n)
{
	*n = l->res[k]->len;
	g_array_set_clear_func(l->res[k], NULL);
	*res = (SysResource *)(void *)g_array_free(l->res[k], FALSE);
	return g_array_free(l->items[k], FALSE);
}

static int find_resource(const SysResource *res, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(res[i].name, name) == 0)
			return (int)i;
	return -1;
}

int sysdesc_find_device(const SysDesc *d, const char *name)
{
	return find_resource(d->devices, d->board.n_devices, name);
}

int sysdesc_find_shm(const SysDesc *d, const char *name)
{
	return find_resource(d->shms, d->board.n_shms, name);
}

int sysdesc_find_dma(const SysDesc *d, const char *name)
{
	return find_resource(d->dmas, d->board.n_dmas, name);
}

static void free_resources(SysResource *res, uint32_t n, const void *items)
{
	for (uint32_t i = 0; i < n; i++)
		sysdesc_resource_clear(&res[i]);
	g_free(res);
	g_free((gpointer)items);
}

void sysdesc_board_take(Loader *l)
{
	SysDesc *d = l->d;
	Board *b = &d->board;

	release_scratch(l);
	b->devices = take_resources(l, KIND_DEVICE, &d->devices, &b->n_devices);
	b->shms = take_resources(l, KIND_SHM, &d->shms, &b->n_shms);
	b->dmas = take_resources(l, KIND_DMA, &d->dmas, &b->n_dmas);
	if (b->n_devices + b->n_shms + b->n_dmas != 0)
		d->kernel.board = b;
}

void sysdesc_board_free(SysDesc *d)
{
	free_resources(d->devices, d->board.n_devices, d->board.devices);
	free_resources(d->shms, d->board.n_shms, d->board.shms);
	free_resources(d->dmas, d->board.n_dmas, d->board.dmas);
}
