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

#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uapi/dma.h>
#include <uapi/types.h>

#include "sim/scenario/devicetree.h"
#include "sim/scenario/sysdesc_loader.h"

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

gboolean sysdesc_get_u32(Loader *l, guint g, const char *key, guint32 min, guint32 max,
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
	return sysdesc_get_u32(l, g, key, 64, KERNEL_EXCHANGE_MAX, &l->d->kernel.exchange_len,
	                       error);
}

static gboolean sys_max_tasks(Loader *l, guint g, const char *key, GError **error)
{
	return sysdesc_get_u32(l, g, key, 1, KERNEL_MAX_TASKS_LIMIT, &l->d->kernel.max_tasks,
	                       error);
}

static gboolean sys_num_irqs(Loader *l, guint g, const char *key, GError **error)
{
	return sysdesc_get_u32(l, g, key, 0, 65536, &l->d->kernel.num_irqs, error);
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

/* 'devicetree' and 'devicetree_include' were read before the groups (apply_devicetree). */
static gboolean sys_devicetree(Loader *l, guint g, const char *key, GError **error)
{
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
    {.key = "devicetree", .fn = sys_devicetree},
    {.key = "devicetree_include", .fn = sys_devicetree},
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

#if defined(__x86_64__)
#define SYSDESC_HOST_MACHINE EM_X86_64
#define SYSDESC_HOST_NAME    "x86-64"
#elif defined(__aarch64__)
#define SYSDESC_HOST_MACHINE EM_AARCH64
#define SYSDESC_HOST_NAME    "aarch64"
#else
#error "sentry-sim runs tasks on x86-64 or aarch64 hosts"
#endif

/* Why the regular file |path| is no ELF executable of this host, or NULL when it is one. A
 * script would run an interpreter on the host, outside anything the daemon controls. The file
 * is opened without following a FIFO's wait (O_NONBLOCK) and only its header is read. */
static const char *not_host_elf(const char *path)
{
	Elf64_Ehdr h;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return "not readable";
	ssize_t n = read(fd, &h, sizeof(h));
	close(fd);
	if (n >= 2 && memcmp(&h, "#!", 2) == 0)
		return "a script, not an ELF executable for this host (" SYSDESC_HOST_NAME ")";
	if (n < (ssize_t)sizeof(h) || memcmp(h.e_ident, ELFMAG, SELFMAG) != 0)
		return "not an ELF executable for this host (" SYSDESC_HOST_NAME ")";
	if (h.e_ident[EI_CLASS] != ELFCLASS64 || h.e_ident[EI_DATA] != ELFDATA2LSB ||
	    h.e_machine != SYSDESC_HOST_MACHINE)
		return "an ELF file for another machine, not for this host (" SYSDESC_HOST_NAME ")";
	if (h.e_type != ET_EXEC && h.e_type != ET_DYN)
		return "an ELF file but no executable (an object file or a core dump?)";
	return NULL;
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
	return not_host_elf(path);
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

	if (!sysdesc_get_u32(l, g, key, 0, G_MAXUINT32, &kt->label, error))
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
		g_autofree char *ex = ini_excerpt(entry);
		ini_set_error(error, l->ini, ini_key_line(l->ini, g, key), INI_ERROR_VALUE,
		              "'entry' must be a C function name (got '%s')", ex);
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
gboolean sysdesc_load_keys(Loader *l, guint g, const KeySpec *specs, GError **error)
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

	if (!sysdesc_load_keys(l, g, system_keys, error))
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
gboolean sysdesc_check_name(Loader *l, int line, const char *noun, const char *name, GError **error)
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

	if (!sysdesc_check_name(l, line, "task", name, error))
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
	return sysdesc_load_keys(l, g, task_keys, error) && finish_task(l, g, error);
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
    {.kind = "device", .named = true, .pass = PASS_MEMORY, .fn = sysdesc_load_device},
    {.kind = "shm", .named = true, .pass = PASS_MEMORY, .fn = sysdesc_load_shm},
    {.kind = "dma", .named = true, .pass = PASS_DMA, .fn = sysdesc_load_dma},
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
	sysdesc_check_pages(l);

	gboolean any_auto = FALSE;
	for (guint i = 0; i < l->ktasks->len; i++)
		any_auto = any_auto || g_array_index(l->ktasks, KernelTaskConfig, i).auto_start;
	if (!any_auto)
		ini_warn(l->d->warnings, l->ini, g_array_index(l->tasks, SysTask, 0).line,
		         "no task has 'start = auto': only idle will run");
	return TRUE;
}

/* The line of a warning about the file itself; 0 for one about a devicetree source, so those
 * come first, in the order they were found. */
static int warning_line(const SysDesc *d, const char *w)
{
	size_t n = strlen(d->path);

	if (strncmp(w, d->path, n) != 0 || w[n] != ':')
		return 0;
	return atoi(w + n + 1);
}

/* Warnings in line order, whatever order the checks ran in (the sort is stable). */
static gint warning_cmp(gconstpointer a, gconstpointer b, gpointer data)
{
	const SysDesc *d = data;

	return warning_line(d, *(char *const *)a) - warning_line(d, *(char *const *)b);
}

/* The board of the devicetree, when the command line or '[system] devicetree' names one:
 * added to the file's groups before they are read (devicetree.h). */
static gboolean apply_devicetree(SysDesc *d, const SysBoardOptions *opt, GError **error)
{
	int sys = ini_find_group(d->ini, "system");
	g_autofree char *given = NULL, *includes_text = NULL;
	g_autoptr(GPtrArray) includes = g_ptr_array_new_with_free_func(g_free);

	if (sys >= 0 &&
	    (!ini_get_string(d->ini, (guint)sys, "devicetree", &given, error) ||
	     !ini_get_string(d->ini, (guint)sys, "devicetree_include", &includes_text, error)))
		return FALSE;
	if (opt != NULL && opt->devicetree != NULL)
		d->devicetree = g_strdup(opt->devicetree);
	else if (given != NULL && *given != '\0')
		d->devicetree = ini_path_beside(d->path, given);
	if (d->devicetree == NULL)
		return TRUE;
	for (const char *const *i = opt ? opt->includes : NULL; i != NULL && *i != NULL; i++)
		g_ptr_array_add(includes, g_strdup(*i));
	g_auto(GStrv) items = g_strsplit_set(includes_text ? includes_text : "", ";,", -1);
	for (char **it = items; *it != NULL; it++)
		if (*g_strstrip(*it) != '\0')
			g_ptr_array_add(includes, ini_path_beside(d->path, *it));
	g_ptr_array_add(includes, NULL);
	DtSource src = {
	    .path = d->devicetree,
	    .includes = (const char *const *)includes->pdata,
	    .defines = opt != NULL ? opt->defines : NULL,
	};
	return devicetree_apply(d->ini, &src, d->warnings, error);
}

SysDesc *sysdesc_load(const char *path, const char *const *search_path, GError **error)
{
	return sysdesc_load_board(path, search_path, NULL, error);
}

SysDesc *sysdesc_load_board(const char *path, const char *const *search_path,
                            const SysBoardOptions *board, GError **error)
{
	g_autoptr(SysDesc) d = g_new0(SysDesc, 1);

	d->path = g_strdup(path);
	d->warnings = g_ptr_array_new_with_free_func(g_free);
	kernel_config_init(&d->kernel);
	d->ini = ini_load(path, error);
	if (d->ini == NULL || !apply_devicetree(d, board, error))
		return NULL;

	Loader l = {
	    .d = d,
	    .ini = d->ini,
	    .search_path = search_path,
	    .tasks = g_array_new(FALSE, TRUE, sizeof(SysTask)),
	    .ktasks = g_array_new(FALSE, TRUE, sizeof(KernelTaskConfig)),
	    .lines = g_array_new(FALSE, TRUE, sizeof(int)),
	};
	g_array_set_clear_func(l.tasks, (GDestroyNotify)sys_task_clear);
	sysdesc_board_init(&l);
	gboolean ok = load_all(&l, error);
	g_array_unref(l.lines);
	if (!ok) {
		g_array_unref(l.tasks);
		g_array_unref(l.ktasks);
		sysdesc_board_clear(&l);
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

	sysdesc_board_take(&l);

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

void sysdesc_free(SysDesc *d)
{
	if (d == NULL)
		return;
	for (guint i = 0; i < d->n_tasks; i++)
		sys_task_clear(&d->tasks[i]);
	g_free(d->tasks);
	g_free(d->ktasks);
	sysdesc_board_free(d);
	ini_free(d->ini);
	g_ptr_array_unref(d->warnings);
	g_free(d->path);
	g_free(d->devicetree);
	g_free(d);
}
