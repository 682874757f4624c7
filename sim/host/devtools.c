/*
 * devtools.c: sanitizers and coverage in task code (see devtools.h, docs/devtools.md).
 *
 * Detection reads the task's ELF file with libelf: a sanitized task needs libasan, libubsan
 * or liblsan (DT_NEEDED) or carries their entry points (__asan_init, __ubsan_handle_*,
 * __lsan_init), a
 * task built with --coverage carries the gcov runtime (__gcov_*). No flag is needed.
 *
 * What such a task gets:
 * - its runtimes' options in the environment (ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS,
 *   GCOV_PREFIX);
 * - in its root, without any procfs, the three /proc/self entries the sanitizer runtimes
 *   read: exe, a symlink to the binary (bound there already: they name the executable by
 *   it and symbolize its frames), and environ and cmdline, plain read-only files holding
 *   the environment and argument the daemon gives the process (their options come from
 *   environ, not from the C library's environment);
 * - with --coverage DIR, DIR bound writable at DEVTOOLS_COVERAGE_MOUNT (no device, no
 *   set-id, no execution): gcov writes its .gcda files there, under their build paths;
 * - a fidelity check with the host calls these runtimes make (sandbox.c);
 * - with ASan, LeakSanitizer at exit: the task is pid 1 of a PID namespace of its own
 *   (proc.c), its root holds /proc/1/task/1 (the thread list), and its boundary lets its
 *   tracer's clone and ptrace of itself through (sandbox.c, SANDBOX_*_LSAN).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/host/confine.h"
#include "sim/host/devtools.h"
#include "sim/host/fd.h"
#include "sim/host/symbolize.h"

/* The kind a library name or a symbol name shows. */
static guint kind_of_library(const char *name)
{
	if (!name)
		return 0;
	if (g_str_has_prefix(name, "libasan.so"))
		return DEVTOOLS_ASAN;
	if (g_str_has_prefix(name, "libubsan.so"))
		return DEVTOOLS_UBSAN;
	if (g_str_has_prefix(name, "liblsan.so"))
		return DEVTOOLS_LSAN;
	return 0;
}

/* |defined|: the symbol is in this file, not only referenced (the sanitizers' are
 * referenced by instrumented code and defined by their shared library; the task runtime
 * refers to __gcov_dump weakly in every task, gcov's are defined in the instrumented one). */
static guint kind_of_symbol(const char *name, gboolean defined)
{
	if (!name || name[0] != '_')
		return 0;
	if (strcmp(name, "__asan_init") == 0)
		return DEVTOOLS_ASAN;
	if (strcmp(name, "__lsan_init") == 0)
		return DEVTOOLS_LSAN;
	if (g_str_has_prefix(name, "__ubsan_handle_"))
		return DEVTOOLS_UBSAN;
	if (g_str_has_prefix(name, "__gcov_") && defined)
		return DEVTOOLS_GCOV;
	return 0;
}

/* The kinds named by one section: its needed libraries or its symbols. */
static guint scan_section(Elf *e, Elf_Scn *scn)
{
	GElf_Shdr sh;
	if (!gelf_getshdr(scn, &sh) || sh.sh_entsize == 0)
		return 0;
	if (sh.sh_type != SHT_DYNAMIC && sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM)
		return 0;
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d)
		return 0;
	guint kinds = 0;
	size_t n = sh.sh_size / sh.sh_entsize;
	for (size_t i = 0; i < n; i++) {
		if (sh.sh_type == SHT_DYNAMIC) {
			GElf_Dyn dyn;
			if (gelf_getdyn(d, (int)i, &dyn) && dyn.d_tag == DT_NEEDED)
				kinds |= kind_of_library(
				    elf_strptr(e, sh.sh_link, (size_t)dyn.d_un.d_val));
		} else {
			GElf_Sym sym;
			if (gelf_getsym(d, (int)i, &sym))
				kinds |= kind_of_symbol(elf_strptr(e, sh.sh_link, sym.st_name),
				                        sym.st_shndx != SHN_UNDEF);
		}
	}
	return kinds;
}

/* What devtools_detect found in a file, while the file stays the same. */
typedef struct {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	guint kinds;
} Detected;

/* Read once per file: `sentry-sim fuzz` makes a run, and a process slot per task, for
 * every program. */
guint devtools_detect(const char *binary)
{
	static GHashTable *seen; /* path -> Detected */
	if (elf_version(EV_CURRENT) == EV_NONE)
		return 0;
	sim_autofd int fd = open(binary, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		return 0;
	if (!seen)
		seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	Detected *d = g_hash_table_lookup(seen, binary);
	if (d && d->dev == st.st_dev && d->ino == st.st_ino && d->size == st.st_size &&
	    d->mtime.tv_sec == st.st_mtim.tv_sec && d->mtime.tv_nsec == st.st_mtim.tv_nsec &&
	    d->ctime.tv_sec == st.st_ctim.tv_sec && d->ctime.tv_nsec == st.st_ctim.tv_nsec)
		return d->kinds;
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e)
		return 0;
	guint kinds = 0;
	if (elf_kind(e) == ELF_K_ELF)
		for (Elf_Scn *scn = elf_nextscn(e, NULL); scn; scn = elf_nextscn(e, scn))
			kinds |= scan_section(e, scn);
	elf_end(e);
	d = g_new(Detected, 1);
	*d = (Detected){.dev = st.st_dev,
	                .ino = st.st_ino,
	                .size = st.st_size,
	                .mtime = st.st_mtim,
	                .ctime = st.st_ctim,
	                .kinds = kinds};
	g_hash_table_replace(seen, g_strdup(binary), d);
	return kinds;
}

/* The options of one runtime: ours first, then the user's own (the later one wins). */
static char *options(const char *var, const char *ours)
{
	const char *user = g_getenv(var);
	return user && *user ? g_strdup_printf("%s=%s:%s", var, ours, user)
	                     : g_strdup_printf("%s=%s", var, ours);
}

void devtools_env(guint kinds, GPtrArray *env)
{
	/* The report goes to stderr, which the daemon reads (proc.c); the task ends at the
	 * first error with exit status 1 (not abort: nothing left to signal); the runtime, not
	 * the sanitizer, handles the fatal signals (it records them for the daemon and
	 * emulates rdtsc on SIGSEGV); no release of memory on a timer (it reads the clock at
	 * every allocation); symbolized in the process (GCC's sanitizers carry libbacktrace;
	 * no external symbolizer can run in the boundary). */
	static const char common[] = "halt_on_error=1:abort_on_error=0:exitcode=1:"
	                             "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:"
	                             "handle_sigill=0:handle_abort=0:symbolize=1:color=never:"
	                             "print_summary=1:print_legend=0";
	/* With ASan, LeakSanitizer checks at exit (the task is pid 1 of its own PID
	 * namespace, so that its tracer dies with it: docs/devtools.md, "LeakSanitizer"); the
	 * core limit is the helper's (1: no core, not even piped) and the boundary refuses to
	 * change it, so the sanitizer must not set it (disable_coredump sets it to 0). */
	const char *core = kinds & DEVTOOLS_LEAKS ? "disable_coredump=0" : "disable_coredump=1";
	if (kinds & DEVTOOLS_ASAN) {
		g_autofree char *asan =
		    g_strdup_printf("%s:%s:detect_leaks=1:allocator_release_to_os_interval_ms=-1:"
		                    "detect_stack_use_after_return=0:fast_unwind_on_malloc=0",
		                    common, core);
		g_ptr_array_add(env, options("ASAN_OPTIONS", asan));
	}
	if (kinds & DEVTOOLS_LSAN) { /* LeakSanitizer alone: its common flags only */
		g_autofree char *lsan = g_strdup_printf(
		    "exitcode=1:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:"
		    "handle_abort=0:symbolize=1:color=never:print_summary=1:%s:detect_leaks=1:"
		    "allocator_release_to_os_interval_ms=-1:fast_unwind_on_malloc=0",
		    core);
		g_ptr_array_add(env, options("LSAN_OPTIONS", lsan));
	}
	if (kinds & (DEVTOOLS_ASAN | DEVTOOLS_UBSAN)) {
		g_autofree char *ubsan = g_strdup_printf("%s:%s:print_stacktrace=1", common, core);
		g_ptr_array_add(env, options("UBSAN_OPTIONS", ubsan));
	}
	if (kinds & DEVTOOLS_GCOV) {
		/* without --coverage DIR the directory is absent from the root: gcov's writes
		 * fail (its messages go to stderr) and the task ends as it would */
		g_ptr_array_add(env, g_strdup("GCOV_PREFIX=" DEVTOOLS_COVERAGE_MOUNT));
		g_ptr_array_add(env, g_strdup("GCOV_PREFIX_STRIP=0"));
	}
}

/* The file |name| under |staging|, holding |strings|, each ended by a NUL (as the kernel's
 * /proc/PID/environ and cmdline). Only write(2): we are between fork and exec. */
static gboolean write_strings(const char *staging, const char *name, char *const *strings)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s%s", staging, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0)
		return FALSE;
	gboolean ok = TRUE;
	for (char *const *s = strings; ok && s && *s; s++) {
		size_t len = strlen(*s) + 1;
		ok = write(fd, *s, len) == (ssize_t)len;
	}
	close(fd);
	return ok;
}

const char *devtools_child_open(DevtoolsChild *c)
{
	c->coverage_fd = -1;
	if (!c->coverage_dir || !(c->kinds & DEVTOOLS_GCOV))
		return NULL;
	c->coverage_fd = open(c->coverage_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return c->coverage_fd < 0 ? "cannot open the coverage directory" : NULL;
}

const char *devtools_child_mount(DevtoolsChild *c, const char *staging, const char *binary)
{
	char path[PATH_MAX];
	if (c->kinds & DEVTOOLS_SANITIZERS) {
		snprintf(path, sizeof(path), "%s/proc", staging);
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return "cannot create /proc/self in the task's root";
		snprintf(path, sizeof(path), "%s/proc/self", staging);
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return "cannot create /proc/self in the task's root";
		snprintf(path, sizeof(path), "%s/proc/self/exe", staging);
		if (symlink(binary, path) != 0)
			return "cannot link /proc/self/exe in the task's root";
		if (!write_strings(staging, "/proc/self/environ", c->envp) ||
		    !write_strings(staging, "/proc/self/cmdline", c->argv))
			return "cannot write the task's /proc/self files";
	}
	if (c->kinds & DEVTOOLS_LEAKS) {
		/* LeakSanitizer's thread list: the task is pid 1 of its PID namespace and has one
		 * thread, 1 (an empty directory: its status, which the sanitizer also reads to
		 * see that the thread lives, is absent; it then lists again, and goes on) */
		static const char *const dirs[] = {"/proc/1", "/proc/1/task", "/proc/1/task/1"};
		for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
			snprintf(path, sizeof(path), "%s%s", staging, dirs[i]);
			if (mkdir(path, 0755) != 0 && errno != EEXIST)
				return "cannot create /proc/1/task in the task's root";
		}
	}
	if (c->coverage_fd >= 0) {
		char from[64];
		snprintf(path, sizeof(path), "%s" DEVTOOLS_COVERAGE_MOUNT, staging);
		snprintf(from, sizeof(from), "/proc/self/fd/%d", c->coverage_fd);
		if (mkdir(path, 0755) != 0 || mount(from, path, NULL, MS_BIND, NULL) != 0)
			return "cannot bind the coverage directory into the task's root";
		unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC;
		if (mount(NULL, path, NULL, flags | confine_kept_flags(path), NULL) != 0)
			return "cannot restrict the coverage directory";
		close(c->coverage_fd);
		c->coverage_fd = -1;
	}
	return NULL;
}

/* A line of |lines| that contains |needle|, or NULL. */
static const char *find_line(char **lines, const char *needle)
{
	for (char **l = lines; *l; l++)
		if (strstr(*l, needle))
			return *l;
	return NULL;
}

/* The first frame of the first leak's stack that is the task's, not the allocator's:
 * " at FILE:LINE in FUNC" (GCC's frames, "#1 0x... in FUNC FILE:LINE"), or " at (MODULE+0xOFF)"
 * for a frame the sanitizer did not name (devtools_symbolize names it), or "". */
static char *leak_place(char **lines)
{
	gboolean in = FALSE;
	for (char **l = lines; *l; l++) {
		if (strstr(*l, "Direct leak of ") || strstr(*l, "Indirect leak of ")) {
			if (in)
				break;
			in = TRUE;
			continue;
		}
		const char *f = in ? strstr(*l, "#") : NULL;
		if (!f || strstr(*l, "libsanitizer") || strstr(*l, "__interceptor_") ||
		    strstr(*l, "/libasan.so") || strstr(*l, "/liblsan.so"))
			continue;
		g_autofree char *frame = g_strstrip(g_strdup(f));
		g_auto(GStrv) w = g_strsplit_set(frame, " ", -1);
		guint n = g_strv_length(w);
		if (n >= 5 && strcmp(w[2], "in") == 0)
			return g_strdup_printf(" at %s in %s", w[4], w[3]);
		if (n >= 3 && w[n - 1][0] == '(')
			return g_strdup_printf(" at %s", w[n - 1]);
		return g_strdup("");
	}
	return g_strdup("");
}

/* "LeakSanitizer: detected memory leaks: N byte(s) leaked in M allocation(s), the first
 * at FILE:LINE in FUNC". */
static char *leak_summary(char **lines)
{
	const char *sum = find_line(lines, "SUMMARY: ");
	const char *what = sum ? strstr(sum, "Sanitizer: ") : NULL;
	g_autofree char *count = what ? g_strstrip(g_strdup(what + strlen("Sanitizer: "))) : NULL;
	if (count && g_str_has_suffix(count, "."))
		count[strlen(count) - 1] = '\0';
	g_autofree char *place = leak_place(lines);
	return g_strdup_printf("LeakSanitizer: detected memory leaks%s%s%s%s", count ? ": " : "",
	                       count ? count : "", *place ? ", the first allocated" : "", place);
}

char *devtools_summary(const char *err)
{
	if (!err)
		return NULL;
	g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
	/* UBSan: "FILE:LINE:COL: runtime error: WHAT" says more than its summary line */
	const char *ub = find_line(lines, ": runtime error: ");
	if (ub) {
		const char *what = strstr(ub, ": runtime error: ");
		g_autofree char *where = g_strndup(ub, (gsize)(what - ub));
		return g_strdup_printf("UndefinedBehaviorSanitizer: %s at %s",
		                       what + strlen(": runtime error: "), g_strstrip(where));
	}
	/* LeakSanitizer: its summary, and where the first leak was allocated */
	if (find_line(lines, "ERROR: LeakSanitizer: detected memory leaks"))
		return leak_summary(lines);
	const char *sum = find_line(lines, "SUMMARY: ");
	if (sum && strstr(sum, "Sanitizer"))
		return g_strstrip(g_strdup(strstr(sum, "SUMMARY: ") + strlen("SUMMARY: ")));
	const char *error = find_line(lines, "ERROR: AddressSanitizer");
	if (error)
		return g_strstrip(g_strdup(strstr(error, "ERROR: ") + strlen("ERROR: ")));
	return NULL;
}

char **devtools_report_lines(const char *err)
{
	if (!err)
		return NULL;
	g_auto(GStrv) lines = g_strsplit(err, "\n", -1);
	GPtrArray *out = g_ptr_array_new();
	gboolean in = FALSE;
	for (char **l = lines; *l; l++) {
		in = in || strstr(*l, "ERROR: ") || strstr(*l, ": runtime error: ");
		g_strchomp(*l);
		if (in && **l)
			g_ptr_array_add(out, g_strdup(*l));
	}
	if (!out->len) {
		g_ptr_array_free(out, TRUE);
		return NULL;
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* Is |path| one of the files of the task's root? */
static gboolean in_root(const char *path, char *const *files)
{
	for (char *const *f = files; f && *f; f++)
		if (strcmp(*f, path) == 0)
			return TRUE;
	return FALSE;
}

/* The first "(PATH+0xOFFSET)" in |text|, which starts at *|at|; FALSE when there is none. */
static gboolean unnamed_frame(GRegex *re, const char *text, char **path, uint64_t *offset, int *at)
{
	g_autoptr(GMatchInfo) m = NULL;
	if (!g_regex_match(re, text, 0, &m) || !g_match_info_fetch_pos(m, 0, at, NULL))
		return FALSE;
	g_autofree char *hex = g_match_info_fetch(m, 2);
	*path = g_match_info_fetch(m, 1);
	*offset = g_ascii_strtoull(hex, NULL, 16);
	return TRUE;
}

/* The frame of |frames| for |offset| into |path| with at least a function, or NULL. */
static const SymbolFrame *named(GPtrArray *frames, uint64_t offset)
{
	for (guint i = 0; frames && i < frames->len; i++) {
		const SymbolFrame *f = frames->pdata[i];
		if (f->pc == offset && f->function)
			return f;
	}
	return NULL;
}

/* " in FUNC FILE:LINE" (or " in FUNC") of |f|. */
static char *place(const SymbolFrame *f)
{
	return f->file ? g_strdup_printf(" in %s %s:%d", f->function, f->file, f->line)
	               : g_strdup_printf(" in %s", f->function);
}

void devtools_symbolize(char **lines, char **summary, char *const *files)
{
	/* a frame line: "    #3 0x5555555567b0  (/path/task+0x27b0)" (Clang adds a BuildId) */
	g_autoptr(GRegex) frame = g_regex_new(
	    "^(\\s*#[0-9]+ 0x[0-9a-f]+)\\s+\\(([^()+]+)\\+0x([0-9a-f]+)\\)", 0, 0, NULL);
	g_autoptr(GRegex) anywhere = g_regex_new("\\(([^()+]+)\\+0x([0-9a-f]+)\\)", 0, 0, NULL);
	if (!frame || !anywhere)
		return;
	/* the offsets asked, per file of the root (the task's binary, mostly) */
	g_autoptr(GHashTable) asked =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
	for (guint i = 0; lines && lines[i]; i++) {
		g_autoptr(GMatchInfo) m = NULL;
		if (!g_regex_match(frame, lines[i], 0, &m))
			continue;
		g_autofree char *path = g_match_info_fetch(m, 2);
		g_autofree char *hex = g_match_info_fetch(m, 3);
		if (!in_root(path, files))
			continue;
		GArray *offs = g_hash_table_lookup(asked, path);
		if (!offs) {
			offs = g_array_new(FALSE, FALSE, sizeof(uint64_t));
			g_hash_table_insert(asked, g_strdup(path), offs);
		}
		uint64_t off = g_ascii_strtoull(hex, NULL, 16);
		if (offs->len < SYMBOLIZE_MAX_OFFSETS)
			g_array_append_val(offs, off);
	}
	/* one symbolizer job per file; frames kept per file */
	g_autoptr(GHashTable) found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                                    (GDestroyNotify)g_ptr_array_unref);
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, asked);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		GArray *offs = value;
		GPtrArray *frames =
		    symbolize_offsets(key, (const uint64_t *)offs->data, offs->len, NULL);
		if (frames)
			g_hash_table_insert(found, g_strdup(key), frames);
	}
	for (guint i = 0; lines && lines[i]; i++) {
		g_autoptr(GMatchInfo) m = NULL;
		if (!g_regex_match(frame, lines[i], 0, &m))
			continue;
		g_autofree char *head = g_match_info_fetch(m, 1);
		g_autofree char *path = g_match_info_fetch(m, 2);
		g_autofree char *hex = g_match_info_fetch(m, 3);
		uint64_t off = g_ascii_strtoull(hex, NULL, 16);
		const SymbolFrame *f = named(g_hash_table_lookup(found, path), off);
		if (!f)
			continue;
		g_autofree char *where = place(f);
		char *line =
		    g_strdup_printf("%s%s (%s+0x%" G_GINT64_MODIFIER "x)", head, where, path, off);
		g_free(lines[i]);
		lines[i] = line;
	}
	/* "AddressSanitizer: heap-use-after-free (/path/task+0x2b0f)": the first frame's */
	g_autofree char *path = NULL;
	uint64_t off = 0;
	int head = 0;
	if (summary && *summary && unnamed_frame(anywhere, *summary, &path, &off, &head)) {
		const SymbolFrame *f = named(g_hash_table_lookup(found, path), off);
		if (f) { /* as GCC's sanitizers say it: "FILE:LINE in FUNC" */
			char *s = f->file
			              ? g_strdup_printf("%.*s%s:%d in %s", head, *summary, f->file,
			                                f->line, f->function)
			              : g_strdup_printf("%.*sin %s", head, *summary, f->function);
			g_free(*summary);
			*summary = s;
		}
	}
}
