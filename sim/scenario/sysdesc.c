/*
 * sysdesc.c: load a system description (see sysdesc.h and docs/system-description.md).
 *
 * The file is read by the ini module, which already refused malformed lines and duplicate
 * groups or keys. Here we give the groups and keys their meaning: each group kind and each
 * key has a row in a table below (name, handler), so an unknown name is refused with the
 * closest known one as a hint. Handlers read keys in file order, so the first error in the
 * file is the one reported, with one exception: groups are read kind by kind, in passes.
 * [system] comes first (the build variant, max_tasks and num_irqs decide how the rest is
 * checked), then the tasks (resources name their owner tasks), then devices and SHMs, then
 * DMA streams (their ends name devices and SHMs). Checks between groups of one pass run when
 * the later group is read; the page check runs last, over every window.
 */
#include "sim/scenario/sysdesc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uapi/dma.h>
#include <uapi/types.h>

#define SYSDESC_IDLE_LABEL       0xcafeu /* uapi.md 7.3 */
#define SYSDESC_TEST_LABEL       0xbabeu /* uapi.md 7.9 */
#define SYSDESC_REF_EXCHANGE_LEN 128u    /* uapi.md 1.6 */
#define SYSDESC_MAX_FREQ_HZ      10000000000ull
#define SYSDESC_MPU_ALIGN        32u            /* ARMv8-M MPU granularity */
#define SYSDESC_MIN_ADDR         0x1000ull      /* the host maps nothing below mmap_min_addr */
#define SYSDESC_ADDR_END         0x100000000ull /* MCU addresses are 32 bits */
#define SYSDESC_HOST_PAGE        0x1000ull
#define SYSDESC_DEV_CAPS         0x3ffu /* the CAP_DEV_* bits (uapi.md 1.3) */

/* The kinds of board resources, in the order of SysDesc's tables. */
typedef enum {
	KIND_DEVICE,
	KIND_SHM,
	KIND_DMA,
	KIND_COUNT,
} KindId;

/* A declared memory window (device registers or SHM), for the overlap and page checks. */
typedef struct {
	KindId kind;
	const char *name;
	guint64 base, size;
	int owner; /* task index, or -1: never mapped */
	int line;  /* of its 'base' key */
} Window;

typedef struct {
	SysDesc *d;
	const IniFile *ini;
	const char *const *search_path;
	GArray *tasks;             /* of SysTask */
	GArray *ktasks;            /* of KernelTaskConfig */
	GArray *lines;             /* of int: the line of each task's 'label' key */
	GArray *res[KIND_COUNT];   /* of SysResource, per kind */
	GArray *items[KIND_COUNT]; /* of BoardDevice, BoardShm, BoardDma: same indexes */
	GArray *irq_lines;         /* of int: the line of each device's 'interrupts' key */
	GArray *windows;           /* of Window, in file order */
	/* The device being read: keys checked once the whole group is known. */
	int io_lines[BOARD_MAX_IOS];   /* line of 'io.N', 0 when absent */
	int reg_lines[BOARD_MAX_REGS]; /* line of the key of each register reset value */
} Loader;

typedef gboolean (*KeyFn)(Loader *l, guint g, const char *key, GError **error);

typedef struct {
	const char *key; /* the name, or its prefix when |prefix| */
	KeyFn fn;
	bool prefix;       /* a family of keys: "io.0", "io.1"... */
	const char *shown; /* the name in the list of known keys ("io.N"), when |prefix| */
} KeySpec;

static SysTask *cur_task(Loader *l)
{
	return &g_array_index(l->tasks, SysTask, l->tasks->len - 1);
}

static KernelTaskConfig *cur_ktask(Loader *l)
{
	return &g_array_index(l->ktasks, KernelTaskConfig, l->ktasks->len - 1);
}

static bool autotest(const Loader *l)
{
	return l->d->kernel.build == KERNEL_BUILD_AUTOTEST;
}

/* ---- [system] ---------------------------------------------------------------------------- */

static const IniEnum build_names[] = {
    {.name = "normal", .value = KERNEL_BUILD_NORMAL},
    {.name = "autotest", .value = KERNEL_BUILD_AUTOTEST},
    {0},
};

static const IniEnum nanos_names[] = {
    {.name = "intended", .value = 0},
    {.name = "target", .value = 1},
    {0},
};

static const IniEnum dma_names[] = {
    {.name = "reference", .value = 0},
    {.name = "intended", .value = 1},
    {0},
};

static gboolean sys_seed(Loader *l, guint g, const char *key, GError **error)
{
	guint64 v = 0;

	if (!ini_get_u64(l->ini, g, key, 0, G_MAXUINT64, &v, error))
		return FALSE;
	l->d->kernel.seed = v;
	l->d->seed_given = true;
	return TRUE;
}

static gboolean sys_build(Loader *l, guint g, const char *key, GError **error)
{
	int v = (int)l->d->kernel.build;

	if (!ini_get_enum(l->ini, g, key, build_names, &v, error))
		return FALSE;
	l->d->kernel.build = (KernelBuild)v;
	return TRUE;
}

static gboolean sys_autotest_caps(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_caps(l->ini, g, key, &l->d->kernel.autotest_caps, error);
}

static gboolean sys_core_frequency(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_frequency_hz(l->ini, g, key, 1, SYSDESC_MAX_FREQ_HZ,
	                            &l->d->kernel.core_freq_hz, error);
}

static gboolean get_u32(Loader *l, guint g, const char *key, guint32 min, guint32 max,
                        uint32_t *out, GError **error)
{
	guint64 v = *out;

	if (!ini_get_u64(l->ini, g, key, min, max, &v, error))
		return FALSE;
	*out = (uint32_t)v;
	return TRUE;
}

static gboolean get_u8(Loader *l, guint g, const char *key, uint8_t *out, GError **error)
{
	guint64 v = *out;

	if (!ini_get_u64(l->ini, g, key, 0, 255, &v, error))
		return FALSE;
	*out = (uint8_t)v;
	return TRUE;
}

static gboolean sys_exchange_len(Loader *l, guint g, const char *key, GError **error)
{
	return get_u32(l, g, key, 64, KERNEL_EXCHANGE_MAX, &l->d->kernel.exchange_len, error);
}

static gboolean sys_max_tasks(Loader *l, guint g, const char *key, GError **error)
{
	return get_u32(l, g, key, 1, KERNEL_MAX_TASKS_LIMIT, &l->d->kernel.max_tasks, error);
}

static gboolean sys_num_irqs(Loader *l, guint g, const char *key, GError **error)
{
	return get_u32(l, g, key, 0, 65536, &l->d->kernel.num_irqs, error);
}

static gboolean sys_release(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_bool(l->ini, g, key, &l->d->kernel.release, error);
}

static gboolean sys_gpdma(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_bool(l->ini, g, key, &l->d->kernel.gpdma, error);
}

static gboolean sys_nanoseconds(Loader *l, guint g, const char *key, GError **error)
{
	int v = l->d->kernel.nanos_target_quirk;

	if (!ini_get_enum(l->ini, g, key, nanos_names, &v, error))
		return FALSE;
	l->d->kernel.nanos_target_quirk = v;
	return TRUE;
}

static gboolean sys_dma_completion(Loader *l, guint g, const char *key, GError **error)
{
	int v = l->d->kernel.dma_intended_path;

	if (!ini_get_enum(l->ini, g, key, dma_names, &v, error))
		return FALSE;
	l->d->kernel.dma_intended_path = v;
	return TRUE;
}

static gboolean sys_syscall_cost(Loader *l, guint g, const char *key, GError **error)
{
	guint64 v = l->d->kernel.syscall_cost_ns;

	if (!ini_get_duration_ns(l->ini, g, key, 0, G_MAXUINT32, &v, error))
		return FALSE;
	l->d->kernel.syscall_cost_ns = (uint32_t)v;
	return TRUE;
}

static gboolean sys_duration(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_duration_ns(l->ini, g, key, 1, G_MAXUINT64, &l->d->duration_ns, error);
}

/* 'tags': words `sentry-sim test --tag` selects on (read there); checked here only. */
static gboolean sys_tags(Loader *l, guint g, const char *key, GError **error)
{
	g_autofree char *text = NULL;
	if (!ini_get_string(l->ini, g, key, &text, error))
		return FALSE;
	for (const char *p = text; p && *p; p++) {
		if (!g_ascii_isalnum(*p) && !strchr("_-.;, \t", *p)) {
			ini_set_error(error, l->ini, ini_key_line(l->ini, g, key), INI_ERROR_VALUE,
			              "tags: '%c' in '%s': a tag is made of letters, digits, '_', "
			              "'-' and '.'; tags are separated by ';'",
			              *p, text);
			return FALSE;
		}
	}
	return TRUE;
}

static const KeySpec system_keys[] = {
    {.key = "seed", .fn = sys_seed},
    {.key = "build", .fn = sys_build},
    {.key = "autotest_caps", .fn = sys_autotest_caps},
    {.key = "core_frequency", .fn = sys_core_frequency},
    {.key = "exchange_len", .fn = sys_exchange_len},
    {.key = "max_tasks", .fn = sys_max_tasks},
    {.key = "num_irqs", .fn = sys_num_irqs},
    {.key = "release", .fn = sys_release},
    {.key = "gpdma", .fn = sys_gpdma},
    {.key = "nanoseconds", .fn = sys_nanoseconds},
    {.key = "dma_completion", .fn = sys_dma_completion},
    {.key = "syscall_cost", .fn = sys_syscall_cost},
    {.key = "duration", .fn = sys_duration},
    {.key = "tags", .fn = sys_tags},
    {0},
};

/* ---- [task NAME] ------------------------------------------------------------------------- */

static const IniEnum start_names[] = {
    {.name = "auto", .value = 1},
    {.name = "manual", .value = 0},
    {.name = "noauto", .value = 0, .alias = true}, /* the spec's name */
    {0},
};

static const IniEnum exit_names[] = {
    {.name = "norestart", .value = EXIT_MODE_NORESTART},
    {.name = "restart", .value = EXIT_MODE_RESTART},
    {.name = "panic", .value = EXIT_MODE_PANIC},
    {.name = "periodicrestart", .value = EXIT_MODE_PERIODICRESTART},
    {.name = "reset", .value = EXIT_MODE_RESET},
    {0},
};

static const char *enum_name(const IniEnum *table, int value)
{
	for (const IniEnum *e = table; e->name != NULL; e++)
		if (e->value == value && !e->alias)
			return e->name;
	return "?";
}

/* Why |path| cannot be a task binary, or NULL when it can. */
static const char *unusable(const char *path)
{
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return "not found";
	if (g_file_test(path, G_FILE_TEST_IS_DIR))
		return "a directory";
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) || access(path, X_OK) != 0)
		return "not executable";
	return NULL;
}

static gboolean resolve_binary(Loader *l, const char *bin, int line, char **out, GError **error)
{
	g_autoptr(GPtrArray) tried = g_ptr_array_new_with_free_func(g_free);

	if (g_path_is_absolute(bin)) {
		g_ptr_array_add(tried, g_canonicalize_filename(bin, NULL));
	} else {
		g_ptr_array_add(tried, g_canonicalize_filename(bin, ini_dir(l->ini)));
		for (const char *const *dir = l->search_path; dir != NULL && *dir != NULL; dir++) {
			g_autofree char *base = g_canonicalize_filename(*dir, NULL);
			char *p = g_canonicalize_filename(bin, base);
			gboolean seen = FALSE;
			for (guint i = 0; i < tried->len && !seen; i++)
				seen = strcmp(g_ptr_array_index(tried, i), p) == 0;
			if (seen)
				g_free(p);
			else
				g_ptr_array_add(tried, p);
		}
	}

	gboolean all_missing = TRUE;
	for (guint i = 0; i < tried->len; i++) {
		const char *why = unusable(g_ptr_array_index(tried, i));
		if (why == NULL) {
			*out = g_strdup(g_ptr_array_index(tried, i));
			return TRUE;
		}
		all_missing = all_missing && strcmp(why, "not found") == 0;
	}

	const char *first = g_ptr_array_index(tried, 0);
	if (tried->len == 1) {
		const char *why = unusable(first);
		ini_set_error(error, l->ini, line, INI_ERROR_NOT_FOUND,
		              strcmp(why, "not found") == 0 ? "binary '%s' %s"
		                                            : "binary '%s' is %s",
		              first, why);
		return FALSE;
	}
	g_autoptr(GString) list = g_string_new(NULL);
	for (guint i = 0; i < tried->len; i++) {
		const char *p = g_ptr_array_index(tried, i);
		if (all_missing)
			g_string_append_printf(list, "%s%s", i ? ", " : "", p);
		else
			g_string_append_printf(list, "%s%s: %s", i ? "; " : "", p, unusable(p));
	}
	if (all_missing)
		ini_set_error(error, l->ini, line, INI_ERROR_NOT_FOUND,
		              "binary '%s' not found (tried: %s)", bin, list->str);
	else
		ini_set_error(error, l->ini, line, INI_ERROR_NOT_FOUND,
		              "binary '%s' has no executable file (%s)", bin, list->str);
	return FALSE;
}

static gboolean task_binary(Loader *l, guint g, const char *key, GError **error)
{
	g_autofree char *bin = NULL;
	int line = ini_key_line(l->ini, g, key);

	if (!ini_get_string(l->ini, g, key, &bin, error))
		return FALSE;
	if (*bin == '\0') {
		ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
		              "'binary' is empty (expected the path of the task's executable)");
		return FALSE;
	}
	return resolve_binary(l, bin, line, &cur_task(l)->binary, error);
}

static gboolean task_label(Loader *l, guint g, const char *key, GError **error)
{
	KernelTaskConfig *kt = cur_ktask(l);
	int line = ini_key_line(l->ini, g, key);

	if (!get_u32(l, g, key, 0, G_MAXUINT32, &kt->label, error))
		return FALSE;
	g_array_index(l->lines, int, l->lines->len - 1) = line;
	if (autotest(l))
		return TRUE; /* replaced by the test task's label, see finish_task() */
	if (kt->label == SYSDESC_IDLE_LABEL) {
		ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
		              "label 0x%x is reserved for the idle task", kt->label);
		return FALSE;
	}
	for (guint i = 0; i + 1 < l->ktasks->len; i++) {
		const KernelTaskConfig *o = &g_array_index(l->ktasks, KernelTaskConfig, i);
		if (o->label == kt->label) {
			ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
			              "duplicate label 0x%x: task '%s' has it too (line %d)",
			              kt->label, g_array_index(l->tasks, SysTask, i).name,
			              g_array_index(l->lines, int, i));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean task_priority(Loader *l, guint g, const char *key, GError **error)
{
	return get_u8(l, g, key, &cur_ktask(l)->priority, error);
}

static gboolean task_quantum(Loader *l, guint g, const char *key, GError **error)
{
	return get_u8(l, g, key, &cur_ktask(l)->quantum, error);
}

static gboolean task_domain(Loader *l, guint g, const char *key, GError **error)
{
	return get_u8(l, g, key, &cur_ktask(l)->domain, error);
}

static gboolean task_capabilities(Loader *l, guint g, const char *key, GError **error)
{
	return ini_get_caps(l->ini, g, key, &cur_ktask(l)->capabilities, error);
}

static gboolean task_start(Loader *l, guint g, const char *key, GError **error)
{
	int v = cur_ktask(l)->auto_start;

	if (!ini_get_enum(l->ini, g, key, start_names, &v, error))
		return FALSE;
	cur_ktask(l)->auto_start = v;
	return TRUE;
}

static gboolean task_exit_mode(Loader *l, guint g, const char *key, GError **error)
{
	int v = cur_ktask(l)->exit_mode;

	if (!ini_get_enum(l->ini, g, key, exit_names, &v, error))
		return FALSE;
	cur_ktask(l)->exit_mode = (uint8_t)v;
	return TRUE;
}

static gboolean is_c_identifier(const char *s)
{
	if (!(g_ascii_isalpha(*s) || *s == '_'))
		return FALSE;
	for (; *s != '\0'; s++)
		if (!(g_ascii_isalnum(*s) || *s == '_'))
			return FALSE;
	return TRUE;
}

static gboolean task_entry(Loader *l, guint g, const char *key, GError **error)
{
	g_autofree char *entry = NULL;

	if (!ini_get_string(l->ini, g, key, &entry, error))
		return FALSE;
	if (!is_c_identifier(entry)) {
		ini_set_error(error, l->ini, ini_key_line(l->ini, g, key), INI_ERROR_VALUE,
		              "'entry' must be a C function name (got '%s')", entry);
		return FALSE;
	}
	if (strcmp(entry, "main") != 0)
		cur_task(l)->entry = g_steal_pointer(&entry);
	return TRUE;
}

static const KeySpec task_keys[] = {
    {.key = "binary", .fn = task_binary},     {.key = "label", .fn = task_label},
    {.key = "priority", .fn = task_priority}, {.key = "quantum", .fn = task_quantum},
    {.key = "domain", .fn = task_domain},     {.key = "capabilities", .fn = task_capabilities},
    {.key = "start", .fn = task_start},       {.key = "exit_mode", .fn = task_exit_mode},
    {.key = "entry", .fn = task_entry},       {0},
};

/* ---- groups ------------------------------------------------------------------------------ */

/* Run the handler of every key of group |g|, in file order. */
static gboolean load_keys(Loader *l, guint g, const KeySpec *specs, GError **error)
{
	const char *names[32];
	guint n = 0;

	for (const KeySpec *s = specs; s->key != NULL && n + 1 < G_N_ELEMENTS(names); s++)
		names[n++] = s->prefix ? s->shown : s->key;
	names[n] = NULL;

	for (guint k = 0; k < ini_key_count(l->ini, g); k++) {
		const char *key = ini_key_name(l->ini, g, k);
		const KeySpec *s = specs;
		while (s->key != NULL &&
		       !(s->prefix ? g_str_has_prefix(key, s->key) : strcmp(s->key, key) == 0))
			s++;
		if (s->key == NULL) {
			g_autofree char *hint = ini_hint(key, names);
			ini_set_error(error, l->ini, ini_key_index_line(l->ini, g, k),
			              INI_ERROR_UNKNOWN, "unknown key '%s' in '[%s]'%s", key,
			              ini_group_name(l->ini, g), hint);
			return FALSE;
		}
		if (!s->fn(l, g, key, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean load_system(Loader *l, guint g, const char *arg, GError **error)
{
	KernelConfig *k = &l->d->kernel;

	if (!load_keys(l, g, system_keys, error))
		return FALSE;
	if (k->exchange_len != SYSDESC_REF_EXCHANGE_LEN)
		ini_warn(l->d->warnings, l->ini, ini_key_line(l->ini, g, "exchange_len"),
		         "exchange_len %u is outside the reference behaviour: the upstream "
		         "library hard-codes %u (uapi.md 1.6)",
		         k->exchange_len, SYSDESC_REF_EXCHANGE_LEN);
	return TRUE;
}

/* In the autotest build the test task's metadata is fixed (uapi.md 7.9): say so where the
 * file asked for something else. */
static void autotest_fixed(Loader *l, guint g, const char *key, bool differs, const char *fixed)
{
	if (differs && ini_has_key(l->ini, g, key))
		ini_warn(l->d->warnings, l->ini, ini_key_line(l->ini, g, key),
		         "'%s' is ignored in the autotest build: the test task's %s is %s "
		         "(uapi.md 7.9)",
		         key, key, fixed);
}

static gboolean finish_task(Loader *l, guint g, GError **error)
{
	SysTask *t = cur_task(l);
	KernelTaskConfig *kt = cur_ktask(l);

	if (t->binary == NULL) {
		ini_set_error(error, l->ini, t->line, INI_ERROR_MISSING,
		              "task '%s' has no 'binary' (the path of its executable)", t->name);
		return FALSE;
	}
	if (autotest(l)) {
		autotest_fixed(l, g, "label", kt->label != SYSDESC_TEST_LABEL, "0xbabe");
		autotest_fixed(l, g, "priority", kt->priority != 1, "1");
		autotest_fixed(l, g, "quantum", kt->quantum != 10, "10");
		autotest_fixed(l, g, "domain", kt->domain != 0, "0");
		autotest_fixed(l, g, "start", !kt->auto_start, "auto");
		autotest_fixed(l, g, "exit_mode", kt->exit_mode != EXIT_MODE_RESTART, "restart");
		if (kt->capabilities != 0)
			ini_warn(l->d->warnings, l->ini, ini_key_line(l->ini, g, "capabilities"),
			         "'capabilities' is ignored in the autotest build: the test task "
			         "holds the global set, see 'autotest_caps' (uapi.md 6.3)");
		*kt = (KernelTaskConfig){
		    .label = SYSDESC_TEST_LABEL,
		    .priority = 1,
		    .quantum = 10,
		    .domain = 0,
		    .capabilities = 0,
		    .auto_start = true,
		    .exit_mode = EXIT_MODE_RESTART,
		};
		return TRUE;
	}
	if (!ini_has_key(l->ini, g, "label")) {
		ini_set_error(error, l->ini, t->line, INI_ERROR_MISSING,
		              "task '%s' has no 'label' (a unique 32-bit number, e.g. 0x1000)",
		              t->name);
		return FALSE;
	}
	if (kt->quantum == 0)
		ini_warn(l->d->warnings, l->ini, ini_key_line(l->ini, g, "quantum"),
		         "quantum 0: task '%s' is never preempted, its tick counter wraps "
		         "(uncharacterized, uapi.md 7.3)",
		         t->name);
	if (kt->exit_mode == EXIT_MODE_PERIODICRESTART || kt->exit_mode == EXIT_MODE_RESET)
		ini_warn(l->d->warnings, l->ini, ini_key_line(l->ini, g, "exit_mode"),
		         "exit mode '%s' behaves as 'norestart' (uapi.md 7.5)",
		         enum_name(exit_names, kt->exit_mode));
	return TRUE;
}

static gboolean is_name_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* The NAME of "[task NAME]" and of the resource groups. */
static gboolean check_name(Loader *l, int line, const char *noun, const char *name, GError **error)
{
	for (const char *p = name; *p != '\0'; p++) {
		if (!is_name_char(*p)) {
			ini_set_error(
			    error, l->ini, line, INI_ERROR_SYNTAX,
			    "invalid %s name '%s' (letters, digits, '_', '-' and '.' only)", noun,
			    name);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean load_task(Loader *l, guint g, const char *name, GError **error)
{
	int line = ini_group_line(l->ini, g);
	const KernelConfig *k = &l->d->kernel;

	if (!check_name(l, line, "task", name, error))
		return FALSE;
	for (guint i = 0; i < l->tasks->len; i++) {
		const SysTask *o = &g_array_index(l->tasks, SysTask, i);
		if (strcmp(o->name, name) == 0) {
			ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
			              "duplicate task '%s' (first at line %d)", name, o->line);
			return FALSE;
		}
	}
	if (k->build == KERNEL_BUILD_AUTOTEST && l->tasks->len == 1) {
		ini_set_error(error, l->ini, line, INI_ERROR_INVALID,
		              "the autotest build runs exactly one task, the test task '%s' "
		              "(line %d): remove '[%s]' or set 'build = normal'",
		              g_array_index(l->tasks, SysTask, 0).name,
		              g_array_index(l->tasks, SysTask, 0).line, ini_group_name(l->ini, g));
		return FALSE;
	}
	if (l->tasks->len == KERNEL_MAX_TASKS_LIMIT) {
		ini_set_error(error, l->ini, line, INI_ERROR_INVALID,
		              "too many tasks: '%s' is task %u, the kernel takes at most %u", name,
		              l->tasks->len + 1, KERNEL_MAX_TASKS_LIMIT);
		return FALSE;
	}
	if (l->tasks->len == k->max_tasks) {
		ini_set_error(error, l->ini, line, INI_ERROR_INVALID,
		              "too many tasks: '%s' is task %u but max_tasks is %u (set "
		              "'max_tasks = %u' or more in '[system]', at most %u)",
		              name, l->tasks->len + 1, k->max_tasks, l->tasks->len + 1,
		              KERNEL_MAX_TASKS_LIMIT);
		return FALSE;
	}

	SysTask t = {.name = g_strdup(name), .line = line};
	KernelTaskConfig kt = {
	    .priority = 1,
	    .quantum = 10,
	    .domain = 0,
	    .capabilities = 0,
	    .auto_start = true,
	    .exit_mode = EXIT_MODE_NORESTART,
	};
	int label_line = 0;
	g_array_append_val(l->tasks, t);
	g_array_append_val(l->ktasks, kt);
	g_array_append_val(l->lines, label_line);
	return load_keys(l, g, task_keys, error) && finish_task(l, g, error);
}

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

static uint32_t item_label(Loader *l, KindId k, guint i)
{
	if (k == KIND_DEVICE)
		return dev_at(l, i)->label;
	if (k == KIND_SHM)
		return shm_at(l, i)->label;
	return g_array_index(l->items[KIND_DMA], BoardDma, i).label;
}

static int find_res(Loader *l, KindId k, const char *name)
{
	for (guint i = 0; i < l->res[k]->len; i++)
		if (strcmp(res_at(l, k, i)->name, name) == 0)
			return (int)i;
	return -1;
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

static void sys_resource_clear(SysResource *r)
{
	g_free(r->name);
	g_strfreev(r->compatible);
}

/* Check the NAME of "[kind NAME]" and add a resource of kind |k| with default values. */
static gboolean begin_resource(Loader *l, guint g, KindId k, const char *name, GError **error)
{
	int line = ini_group_line(l->ini, g);
	guint n = l->res[k]->len;

	if (!check_name(l, line, kind_info[k].noun, name, error))
		return FALSE;
	int prev = find_res(l, k, name);
	if (prev >= 0) {
		ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
		              "duplicate %s '%s' (first at line %d)", kind_info[k].noun, name,
		              res_at(l, k, (guint)prev)->line);
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
	g_array_set_size(l->items[k], n + 1); /* zeroed */
	return TRUE;
}

/* 'label': a 32-bit number, unique within the kind. */
static gboolean res_label(Loader *l, guint g, const char *key, KindId k, uint32_t *out,
                          GError **error)
{
	int line = ini_key_line(l->ini, g, key);
	guint n = l->res[k]->len - 1;

	if (!get_u32(l, g, key, 0, G_MAXUINT32, out, error))
		return FALSE;
	for (guint i = 0; i < n; i++) {
		if (item_label(l, k, i) == *out) {
			ini_set_error(error, l->ini, line, INI_ERROR_DUPLICATE,
			              "duplicate label 0x%x: %s '%s' has it too (line %d)", *out,
			              kind_info[k].noun, res_at(l, k, i)->name,
			              res_at(l, k, i)->label_line);
			return FALSE;
		}
	}
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
		ini_set_error(error, l->ini, line, INI_ERROR_INVALID, "unknown owner task '%s'%s",
		              name, hint);
		return FALSE;
	}
	cur_res(l, k)->owner = t;
	*label = g_array_index(l->ktasks, KernelTaskConfig, t).label;
	return TRUE;
}

/* 'base' and 'size': a number in [min, max], a multiple of the MPU granularity. */
static gboolean window_field(Loader *l, guint g, const char *key, guint64 min, guint64 max,
                             uint64_t *out, GError **error)
{
	guint64 v = *out;

	if (!ini_get_u64(l->ini, g, key, min, max, &v, error))
		return FALSE;
	if (v % SYSDESC_MPU_ALIGN != 0) {
		g_autofree char *text = NULL;
		ini_get_string(l->ini, g, key, &text, NULL);
		ini_set_error(error, l->ini, ini_key_line(l->ini, g, key), INI_ERROR_VALUE,
		              "'%s' %s is not a multiple of %u (the ARMv8-M MPU granularity)", key,
		              text, SYSDESC_MPU_ALIGN);
		return FALSE;
	}
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
	for (guint i = 0; i < l->windows->len; i++) {
		const Window *o = &g_array_index(l->windows, Window, i);
		if (base < o->base + o->size && o->base < base + size) {
			g_autofree char *range = range_text(base, size);
			g_autofree char *orange = range_text(o->base, o->size);
			ini_set_error(error, l->ini, base_line, INI_ERROR_INVALID,
			              "%s '%s' %s overlaps %s '%s' %s (line %d)", kind_info[k].noun,
			              r->name, range, kind_info[o->kind].noun, o->name, orange,
			              o->line);
			return FALSE;
		}
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
			ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
			              "'ios' entries are PORT:PIN, such as 0:9 (got '%s')",
			              items[i]);
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
		              "'%s' configures io %u again (first at line %d)", key, (guint)index,
		              l->io_lines[index]);
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
			              "'%s' sets register 0x%x again (first at line %d)", key,
			              (guint)offset, l->reg_lines[i]);
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
	if (!get_u32(l, g, key, 0, G_MAXUINT32, &r->value, error))
		return FALSE;
	l->reg_lines[dv->n_regs++] = line;
	return TRUE;
}

static const KeySpec device_keys[] = {
    {.key = "label", .fn = dev_label},
    {.key = "owner", .fn = dev_owner},
    {.key = "compatible", .fn = dev_compatible},
    {.key = "class", .fn = dev_class},
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

	for (guint i = 0; i < n; i++) {
		const BoardDevice *o = dev_at(l, i);
		if (!o->has_owner || board_device_handle(o) != board_device_handle(dv))
			continue;
		g_autofree char *cls = ini_format_caps(dv->cap);
		ini_set_error(error, l->ini, r->label_line, INI_ERROR_DUPLICATE,
		              "device '%s' would get the handle of device '%s' (line %d), 0x%08x: "
		              "their labels 0x%x and 0x%x agree in the low 16 bits and both have "
		              "class %s (uapi.md 3.4)",
		              r->name, res_at(l, KIND_DEVICE, i)->name,
		              res_at(l, KIND_DEVICE, i)->label_line, board_device_handle(dv),
		              dv->label, o->label, cls);
		return FALSE;
	}
	return TRUE;
}

static void device_shared_irqs(Loader *l, guint g)
{
	guint n = l->items[KIND_DEVICE]->len - 1;
	const BoardDevice *dv = cur_dev(l);

	for (guint j = 0; j < dv->n_irqs; j++) {
		for (guint i = 0; i < n; i++) {
			const BoardDevice *o = dev_at(l, i);
			gboolean shared = FALSE;
			for (guint k = 0; k < o->n_irqs && !shared; k++)
				shared = o->irqs[k] == dv->irqs[j];
			if (!shared)
				continue;
			ini_warn(
			    l->d->warnings, l->ini, ini_key_line(l->ini, g, "interrupts"),
			    "IRQ %u is declared by device '%s' too (line %d): an IRQ should "
			    "belong to one device, the kernel uses the first listed device that "
			    "declares it (uapi.md 9.1)",
			    dv->irqs[j], res_at(l, KIND_DEVICE, i)->name,
			    g_array_index(l->irq_lines, int, i));
			break;
		}
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

static gboolean load_device(Loader *l, guint g, const char *name, GError **error)
{
	if (!begin_resource(l, g, KIND_DEVICE, name, error))
		return FALSE;
	BoardDevice *dv = cur_dev(l);
	dv->name = cur_res(l, KIND_DEVICE)->name;
	dv->mappable = true;
	cur_res(l, KIND_DEVICE)->compatible = g_new0(char *, 1);
	memset(l->io_lines, 0, sizeof(l->io_lines));
	memset(l->reg_lines, 0, sizeof(l->reg_lines));
	return load_keys(l, g, device_keys, error) && finish_device(l, g, error);
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

static gboolean load_shm(Loader *l, guint g, const char *name, GError **error)
{
	if (!begin_resource(l, g, KIND_SHM, name, error))
		return FALSE;
	BoardShm *s = cur_shm(l);
	s->name = cur_res(l, KIND_SHM)->name;
	return load_keys(l, g, shm_keys, error) &&
	       require_key(l, g, KIND_SHM, "label", "a 32-bit number, unique among SHMs", error) &&
	       require_key(l, g, KIND_SHM, "owner", "the name of the task that owns it", error) &&
	       require_key(l, g, KIND_SHM, "base", "the address tasks see it at", error) &&
	       require_key(l, g, KIND_SHM, "size", "in bytes, a multiple of 32", error) &&
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
		         "SHM '%s' (line %d) is not a DMA pool: only an SHM declared 'dma_pool = "
		         "true' may be a DMA source or destination (uapi.md 9.2)",
		         name, res_at(l, KIND_SHM, (guint)i)->line);
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
	return get_u32(l, g, key, 1, G_MAXUINT32, &cur_dma(l)->length, error);
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
		ini_set_error(error, l->ini, line, INI_ERROR_VALUE,
		              "'circular' takes two booleans, for the source and the destination, "
		              "such as 'false true' (got '%s')",
		              text);
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
	              "'length' %u is larger than the '%s' SHM '%s' (%llu bytes, line %d)",
	              d->length, key, res_at(l, KIND_SHM, e->index)->name,
	              (unsigned long long)shm_at(l, e->index)->size,
	              res_at(l, KIND_SHM, e->index)->line);
	return FALSE;
}

static gboolean load_dma(Loader *l, guint g, const char *name, GError **error)
{
	if (!begin_resource(l, g, KIND_DMA, name, error))
		return FALSE;
	BoardDma *d = cur_dma(l);
	d->name = cur_res(l, KIND_DMA)->name;
	d->priority = GPDMA_PRIORITY_MEDIUM; /* uapi.md 9.3 */
	return load_keys(l, g, dma_keys, error) &&
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

static gboolean window_in_page(const Window *w, guint64 page)
{
	return w->base < page + SYSDESC_HOST_PAGE && page < w->base + w->size;
}

/* A host page holding windows of different owners: mapping one window maps the whole page,
 * so the owner of one can reach the bytes of the other (docs/system-description.md). Windows
 * do not overlap, so such a page is the first or the last page of both. Reported once per
 * page. */
static void check_pages(Loader *l)
{
	const GArray *ws = l->windows;
	g_autoptr(GArray) done = g_array_new(FALSE, FALSE, sizeof(guint64));

	for (guint i = 0; i < ws->len; i++) {
		const Window *w = &g_array_index(ws, Window, i);
		guint64 edges[2] = {w->base & ~(SYSDESC_HOST_PAGE - 1),
		                    (w->base + w->size - 1) & ~(SYSDESC_HOST_PAGE - 1)};
		for (guint e = 0; e < 2; e++) {
			guint64 page = edges[e];
			gboolean seen = FALSE;
			for (guint k = 0; k < done->len && !seen; k++)
				seen = g_array_index(done, guint64, k) == page;
			if (seen)
				continue;
			g_array_append_val(done, page);
			const Window *first = NULL;
			for (guint j = 0; j < ws->len; j++) {
				const Window *o = &g_array_index(ws, Window, j);
				if (o->owner < 0 || !window_in_page(o, page))
					continue;
				if (first == NULL) {
					first = o;
					continue;
				}
				if (o->owner == first->owner)
					continue;
				const char *owner1 =
				    g_array_index(l->tasks, SysTask, first->owner).name;
				const char *owner2 =
				    g_array_index(l->tasks, SysTask, o->owner).name;
				ini_warn(
				    l->d->warnings, l->ini, o->line,
				    "isolation is coarser than on the MCU: host page 0x%llx holds "
				    "%s '%s' (owner %s) and %s '%s' (owner %s); a task that maps "
				    "one can reach the other in that page",
				    (unsigned long long)page, kind_info[first->kind].noun,
				    first->name, owner1, kind_info[o->kind].noun, o->name, owner2);
				break;
			}
		}
	}
}

typedef gboolean (*GroupFn)(Loader *l, guint g, const char *arg, GError **error);

/* [script]: the scenario's stimuli and expectations, read by sim/scenario/script.c (which
 * checks its keys against this description); nothing to load here. */
static gboolean load_script(Loader *l, guint g, const char *arg, GError **error)
{
	return TRUE;
}

/* Groups are read in passes, see the top of the file. */
typedef enum {
	PASS_SYSTEM,
	PASS_TASKS,
	PASS_MEMORY,
	PASS_DMA,
	PASS_COUNT,
} Pass;

static const struct {
	const char *kind; /* first word of the group name */
	bool named;       /* "[kind NAME]" rather than "[kind]" */
	Pass pass;
	GroupFn fn;
} group_kinds[] = {
    {.kind = "system", .named = false, .pass = PASS_SYSTEM, .fn = load_system},
    {.kind = "task", .named = true, .pass = PASS_TASKS, .fn = load_task},
    {.kind = "device", .named = true, .pass = PASS_MEMORY, .fn = load_device},
    {.kind = "shm", .named = true, .pass = PASS_MEMORY, .fn = load_shm},
    {.kind = "dma", .named = true, .pass = PASS_DMA, .fn = load_dma},
    {.kind = "script", .named = false, .pass = PASS_SYSTEM, .fn = load_script},
};

/* Split a group name into its kind and its argument; refuse unknown kinds. Returns the row of
 * group_kinds, or -1. */
static int classify_group(Loader *l, guint g, const char **arg, GError **error)
{
	const char *name = ini_group_name(l->ini, g);
	int line = ini_group_line(l->ini, g);
	const char *sp = strpbrk(name, " \t");
	g_autofree char *kind = sp != NULL ? g_strndup(name, (gsize)(sp - name)) : g_strdup(name);
	const char *rest = sp != NULL ? sp + strspn(sp, " \t") : "";

	for (size_t i = 0; i < G_N_ELEMENTS(group_kinds); i++) {
		if (strcmp(kind, group_kinds[i].kind) != 0)
			continue;
		if (group_kinds[i].named && *rest == '\0') {
			ini_set_error(error, l->ini, line, INI_ERROR_SYNTAX,
			              "'[%s]' needs a name: '[%s NAME]'", kind, kind);
			return -1;
		}
		if (!group_kinds[i].named && *rest != '\0') {
			ini_set_error(error, l->ini, line, INI_ERROR_SYNTAX,
			              "'[%s]' takes no name (got '[%s]')", kind, name);
			return -1;
		}
		*arg = rest;
		return (int)i;
	}

	const char *kinds[G_N_ELEMENTS(group_kinds) + 1];
	for (size_t i = 0; i < G_N_ELEMENTS(group_kinds); i++)
		kinds[i] = group_kinds[i].kind;
	kinds[G_N_ELEMENTS(group_kinds)] = NULL;
	const char *s = ini_suggest(kind, kinds);
	if (s != NULL && *rest != '\0')
		ini_set_error(error, l->ini, line, INI_ERROR_UNKNOWN,
		              "unknown group '[%s]' (did you mean '[%s %s]'?)", name, s, rest);
	else if (s != NULL)
		ini_set_error(error, l->ini, line, INI_ERROR_UNKNOWN,
		              "unknown group '[%s]' (did you mean '[%s]'?)", name, s);
	else {
		g_autoptr(GString) known = g_string_new(NULL);
		for (size_t i = 0; i < G_N_ELEMENTS(group_kinds); i++)
			g_string_append_printf(known, "%s[%s%s]", i ? ", " : "",
			                       group_kinds[i].kind,
			                       group_kinds[i].named ? " NAME" : "");
		ini_set_error(error, l->ini, line, INI_ERROR_UNKNOWN,
		              "unknown group '[%s]' (known: %s)", name, known->str);
	}
	return -1;
}

static void sys_task_clear(SysTask *t)
{
	g_free(t->name);
	g_free(t->binary);
	g_free(t->entry);
}

static gboolean load_all(Loader *l, GError **error)
{
	guint n = ini_group_count(l->ini);
	g_autofree int *kinds = g_new(int, MAX(n, 1));
	g_autofree const char **args = g_new(const char *, MAX(n, 1));

	/* Unknown groups first, then pass by pass. */
	for (guint g = 0; g < n; g++) {
		kinds[g] = classify_group(l, g, &args[g], error);
		if (kinds[g] < 0)
			return FALSE;
	}
	for (Pass pass = 0; pass < PASS_COUNT; pass++) {
		for (guint g = 0; g < n; g++)
			if (group_kinds[kinds[g]].pass == pass &&
			    !group_kinds[kinds[g]].fn(l, g, args[g], error))
				return FALSE;
		if (pass == PASS_TASKS && l->tasks->len == 0) {
			ini_set_error(
			    error, l->ini, 1, INI_ERROR_MISSING,
			    "no task: add a '[task NAME]' group with at least 'binary' and "
			    "'label'");
			return FALSE;
		}
	}
	check_pages(l);

	gboolean any_auto = FALSE;
	for (guint i = 0; i < l->ktasks->len; i++)
		any_auto = any_auto || g_array_index(l->ktasks, KernelTaskConfig, i).auto_start;
	if (!any_auto)
		ini_warn(l->d->warnings, l->ini, g_array_index(l->tasks, SysTask, 0).line,
		         "no task has 'start = auto': only idle will run");
	return TRUE;
}

static int warning_line(const SysDesc *d, const char *w)
{
	return atoi(w + strlen(d->path) + 1);
}

/* Warnings in line order, whatever order the checks ran in (the sort is stable). */
static gint warning_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const SysDesc *d = data;

	return warning_line(d, *(char *const *)a) - warning_line(d, *(char *const *)b);
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

SysDesc *sysdesc_load(const char *path, const char *const *search_path, GError **error)
{
	g_autoptr(SysDesc) d = g_new0(SysDesc, 1);

	d->path = g_strdup(path);
	d->warnings = g_ptr_array_new_with_free_func(g_free);
	kernel_config_init(&d->kernel);
	d->ini = ini_load(path, error);
	if (d->ini == NULL)
		return NULL;

	Loader l = {
	    .d = d,
	    .ini = d->ini,
	    .search_path = search_path,
	    .tasks = g_array_new(FALSE, TRUE, sizeof(SysTask)),
	    .ktasks = g_array_new(FALSE, TRUE, sizeof(KernelTaskConfig)),
	    .lines = g_array_new(FALSE, TRUE, sizeof(int)),
	    .irq_lines = g_array_new(FALSE, TRUE, sizeof(int)),
	    .windows = g_array_new(FALSE, TRUE, sizeof(Window)),
	};
	g_array_set_clear_func(l.tasks, (GDestroyNotify)sys_task_clear);
	for (KindId k = 0; k < KIND_COUNT; k++) {
		l.res[k] = g_array_new(FALSE, TRUE, sizeof(SysResource));
		g_array_set_clear_func(l.res[k], (GDestroyNotify)sys_resource_clear);
		l.items[k] = g_array_new(FALSE, TRUE, kind_info[k].item_size);
	}
	gboolean ok = load_all(&l, error);
	g_array_unref(l.lines);
	g_array_unref(l.irq_lines);
	g_array_unref(l.windows);
	if (!ok) {
		g_array_unref(l.tasks);
		g_array_unref(l.ktasks);
		for (KindId k = 0; k < KIND_COUNT; k++) {
			g_array_unref(l.res[k]);
			g_array_unref(l.items[k]);
		}
		return NULL;
	}

	d->n_tasks = l.tasks->len;
	g_array_set_clear_func(l.tasks, NULL);
	d->tasks = (SysTask *)(void *)g_array_free(l.tasks, FALSE);
	d->ktasks = (KernelTaskConfig *)(void *)g_array_free(l.ktasks, FALSE);
	for (guint i = 0; i < d->n_tasks; i++)
		d->ktasks[i].name = d->tasks[i].name;
	d->kernel.tasks = d->ktasks;
	d->kernel.n_tasks = d->n_tasks;

	Board *b = &d->board;
	b->devices = take_resources(&l, KIND_DEVICE, &d->devices, &b->n_devices);
	b->shms = take_resources(&l, KIND_SHM, &d->shms, &b->n_shms);
	b->dmas = take_resources(&l, KIND_DMA, &d->dmas, &b->n_dmas);
	if (b->n_devices + b->n_shms + b->n_dmas != 0)
		d->kernel.board = b;

	g_ptr_array_sort_with_data(d->warnings, warning_cmp, d);
	return g_steal_pointer(&d);
}

int sysdesc_find_task(const SysDesc *d, const char *name)
{
	for (guint i = 0; i < d->n_tasks; i++)
		if (strcmp(d->tasks[i].name, name) == 0)
			return (int)i;
	return -1;
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
		sys_resource_clear(&res[i]);
	g_free(res);
	g_free((gpointer)items);
}

void sysdesc_free(SysDesc *d)
{
	if (d == NULL)
		return;
	for (guint i = 0; i < d->n_tasks; i++)
		sys_task_clear(&d->tasks[i]);
	g_free(d->tasks);
	g_free(d->ktasks);
	free_resources(d->devices, d->board.n_devices, d->board.devices);
	free_resources(d->shms, d->board.n_shms, d->board.shms);
	free_resources(d->dmas, d->board.n_dmas, d->board.dmas);
	ini_free(d->ini);
	g_ptr_array_unref(d->warnings);
	g_free(d->path);
	g_free(d);
}
