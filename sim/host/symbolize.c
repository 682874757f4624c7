/*
 * symbolize.c: addresses of task code to function, file and line (see symbolize.h), with
 * elfutils libdwfl.
 *
 * Decision: libdw runs in a short-lived worker process, never in the daemon. The task's
 * binary, its libraries and its memory are the task's word: a malformed DWARF section can
 * send a parser into a long walk or a crash. The worker (started by the daemon's helper,
 * sim/host/debug.c, which lives outside the tasks' PID namespace so that a task's pid means
 * the same to it as to /proc) gets a memory limit, a CPU limit and a wall-clock deadline
 * (SYMBOLIZE_TIMEOUT_MS, then SIGKILL); it writes one line per frame, fields separated by
 * tabs and made printable, which is all the daemon reads. It never asks a debuginfod server
 * (no network from a run).
 *
 * Unwinding: the task is held in its fatal-signal handler (uapi/src/runtime.c); the child
 * attaches with ptrace (dwfl_linux_proc_attach) and walks the stack with the CFI of each
 * object. The runtime's signal restorer carries CFI describing the signal frame, so the
 * walk goes from the handler into the interrupted code: the first frame the unwinder flags
 * as an activation after the handler's is the one the signal interrupted.
 */
#include "config.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sim/host/debug.h"
#include "sim/host/fd.h"
#include "sim/host/symbolize.h"

#define SYMBOLIZE_TIMEOUT_MS 10000u
#define SYMBOLIZE_MEMORY     (1024ul << 20) /* address space of the child */
#define SYMBOLIZE_CPU_S      8
#define MAX_UNWIND           64    /* frames walked, at most */
#define FIELD_MAX            240   /* bytes kept of a name or a path */
#define OUTPUT_MAX           65536 /* bytes read from the child */

static void frame_free(SymbolFrame *f)
{
	g_free(f->module);
	g_free(f->function);
	g_free(f->file);
	g_free(f);
}

/* Write |s| as a field: printable, no tab or newline, bounded. */
static void put_field(GString *out, const char *s)
{
	g_string_append_c(out, '\t');
	if (!s)
		return;
	for (size_t i = 0; s[i] && i < FIELD_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		g_string_append_c(out, c < 0x20 || c == 0x7f || c >= 0x80 ? '?' : (char)c);
	}
}

/* In the child: one line for the address |pc| (|lookup| is the address to look up: a
 * return address minus one, so that a call at a function's end names that function). */
static void put_frame(GString *out, Dwarf_Addr pc, Dwarf_Addr offset, const char *modname,
                      const char *fn, const char *file, int line, gboolean in_main)
{
	g_string_append_printf(out, "%" PRIx64 "\t%" PRIx64, (uint64_t)pc, (uint64_t)offset);
	put_field(out, modname);
	put_field(out, fn);
	put_field(out, file);
	g_string_append_printf(out, "\t%d\t%d\n", file ? line : 0, in_main);
}

/* The compile unit whose code holds |lookup| (into |*die|), or NULL. libdw's address lookup
 * trusts .debug_aranges, which may list only some of the units (clang emits none, the C
 * library's objects do): when the unit it finds does not hold the address, every unit's
 * own ranges are searched. */
static Dwarf_Die *cu_of(Dwfl_Module *mod, Dwarf_Addr lookup, Dwarf_Addr *bias, Dwarf_Die *die)
{
	Dwarf_Die *cu = dwfl_module_addrdie(mod, lookup, bias);
	if (cu && dwarf_haspc(cu, lookup - *bias) > 0) {
		*die = *cu;
		return die;
	}
	Dwarf *dw = dwfl_module_getdwarf(mod, bias);
	Dwarf_Off off = 0, next;
	size_t header;
	while (dw && dwarf_nextcu(dw, off, &next, &header, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + header, die) && dwarf_haspc(die, lookup - *bias) > 0)
			return die;
		off = next;
	}
	return NULL;
}

/* The source file and line of |lookup| (NULL when there is no line information). */
static const char *source_of(Dwfl_Module *mod, Dwarf_Addr lookup, int *line)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die die;
	if (!cu_of(mod, lookup, &bias, &die))
		return NULL;
	Dwarf_Line *l = dwarf_getsrc_die(&die, lookup - bias);
	return l && dwarf_lineno(l, line) == 0 ? dwarf_linesrc(l, NULL, NULL) : NULL;
}

/* The frames of |pc| when code was inlined there, innermost first: each inlined function
 * with its line (the line table's for the first, the call site of the one inside it for
 * the next), then the function they were inlined into. FALSE (nothing written) when
 * nothing was inlined at |lookup| or there is no debug information. */
static gboolean put_inlined(Dwfl_Module *mod, Dwarf_Addr pc, Dwarf_Addr lookup, Dwarf_Addr start,
                            const char *modname, const char *file, int line, gboolean in_main,
                            GString *out)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die cu_die;
	Dwarf_Die *cu = cu_of(mod, lookup, &bias, &cu_die);
	if (!cu)
		return FALSE;
	Dwarf_Die *scopes = NULL;
	int n = dwarf_getscopes(cu, lookup - bias, &scopes);
	if (n <= 0 || dwarf_tag(&scopes[0]) != DW_TAG_inlined_subroutine) {
		free(scopes);
		return FALSE;
	}
	/* past an inlined function, dwarf_getscopes goes on with its abstract definition's
	 * scopes; the concrete ones (the functions it was inlined into) are the DIE's parents */
	Dwarf_Die inner = scopes[0];
	free(scopes);
	scopes = NULL;
	n = dwarf_getscopes_die(&inner, &scopes);
	if (n <= 0) {
		free(scopes);
		return FALSE;
	}
	Dwarf_Files *files = NULL;
	size_t n_files = 0;
	if (dwarf_getsrcfiles(cu, &files, &n_files) != 0)
		files = NULL;
	for (int i = 0; i < n; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		put_frame(out, pc, pc - start, modname, dwarf_diename(&scopes[i]), file, line,
		          in_main);
		if (tag == DW_TAG_subprogram)
			break;
		/* the next function's line: where this one was inlined */
		Dwarf_Attribute a;
		Dwarf_Word call_file = 0, call_line = 0;
		if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &a), &call_file) != 0 ||
		    dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &a), &call_line) != 0 ||
		    !files || call_file >= n_files) {
			file = NULL;
			continue;
		}
		file = dwarf_filesrc(files, call_file, NULL, NULL);
		line = (int)call_line;
	}
	free(scopes);
	return TRUE;
}

static void describe_pc(Dwfl *dwfl, Dwarf_Addr pc, Dwarf_Addr lookup, const char *main_path,
                        GString *out)
{
	Dwfl_Module *mod = dwfl_addrmodule(dwfl, lookup);
	const char *modname = NULL, *fn = NULL, *file = NULL;
	Dwarf_Addr start = 0;
	int line = 0;
	if (mod) {
		modname = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
		fn = dwfl_module_addrname(mod, lookup);
		file = source_of(mod, lookup, &line);
	}
	gboolean in_main = modname && main_path && !strcmp(modname, main_path);
	if (mod && put_inlined(mod, pc, lookup, start, modname, file, line, in_main, out))
		return;
	put_frame(out, pc, mod ? pc - start : 0, modname, fn, file, line, in_main);
}

typedef struct {
	Dwarf_Addr pc[MAX_UNWIND];
	gboolean activation[MAX_UNWIND];
	guint n;
} Walk;

static int on_frame(Dwfl_Frame *state, void *arg)
{
	Walk *w = arg;
	Dwarf_Addr pc;
	bool act = false;
	if (!dwfl_frame_pc(state, &pc, &act))
		return DWARF_CB_ABORT;
	w->pc[w->n] = pc;
	w->activation[w->n] = act;
	w->n++;
	return w->n < MAX_UNWIND ? DWARF_CB_OK : DWARF_CB_ABORT;
}

static const Dwfl_Callbacks proc_callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
};

static const Dwfl_Callbacks offline_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
};

/* In the child: the frames of a held process. */
static void job_process(const SymbolizeJob *j, GString *out)
{
	Dwfl *dwfl = dwfl_begin(&proc_callbacks);
	if (!dwfl)
		return;
	dwfl_report_begin(dwfl);
	int rc = dwfl_linux_proc_report(dwfl, j->pid);
	dwfl_report_end(dwfl, NULL, NULL);
	if (rc != 0) {
		dwfl_end(dwfl);
		return;
	}
	Walk w = {.n = 0};
	if (dwfl_linux_proc_attach(dwfl, j->pid, false) == 0)
		(void)dwfl_getthread_frames(dwfl, j->pid, on_frame, &w);
	/* the first activation after the handler's frames: where the signal came */
	guint from = 0;
	for (guint i = 1; i < w.n && !from; i++)
		if (w.activation[i])
			from = i;
	/* the signal frame (the restorer) is an activation, and so is the frame it resumes */
	if (from && from + 1 < w.n && w.activation[from + 1])
		from++;
	char exe_link[64];
	snprintf(exe_link, sizeof(exe_link), "/proc/%d/exe", (int)j->pid);
	g_autofree char *exe = g_file_read_link(exe_link, NULL);
	if (!from) {
		describe_pc(dwfl, j->fault_ip, j->fault_ip, exe, out);
	} else {
		for (guint i = from; i < w.n && i - from < j->max_frames; i++) {
			if (i > from && w.pc[i] == 0)
				break;
			describe_pc(dwfl, w.pc[i], w.activation[i] ? w.pc[i] : w.pc[i] - 1, exe,
			            out);
		}
	}
	dwfl_end(dwfl); /* detaches */
}

/* In the child: one frame per offset of an ELF file. */
static void job_offsets(const SymbolizeJob *j, GString *out)
{
	Dwfl *dwfl = dwfl_begin(&offline_callbacks);
	if (!dwfl)
		return;
	dwfl_report_begin(dwfl);
	Dwfl_Module *mod = dwfl_report_offline(dwfl, j->path, j->path, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	if (!mod) {
		dwfl_end(dwfl);
		return;
	}
	Dwarf_Addr low = 0;
	dwfl_module_info(mod, NULL, &low, NULL, NULL, NULL, NULL, NULL);
	for (guint i = 0; i < j->n_offsets; i++) {
		GString *lines = g_string_new(NULL);
		describe_pc(dwfl, low + j->offsets[i], low + j->offsets[i], j->path, lines);
		/* the caller asked for an offset: report it as the pc of each of its frames */
		g_auto(GStrv) each = g_strsplit(lines->str, "\n", -1);
		for (guint k = 0; each[k] && each[k][0]; k++) {
			const char *tab = strchr(each[k], '\t');
			g_string_append_printf(out, "%" PRIx64 "%s\n", j->offsets[i],
			                       tab ? tab : "");
		}
		g_string_free(lines, TRUE);
	}
	dwfl_end(dwfl);
}

void symbolize_job_run(const SymbolizeJob *j, int fd)
{
	struct rlimit as = {SYMBOLIZE_MEMORY, SYMBOLIZE_MEMORY};
	struct rlimit cpu = {SYMBOLIZE_CPU_S, SYMBOLIZE_CPU_S};
	setrlimit(RLIMIT_AS, &as);
	setrlimit(RLIMIT_CPU, &cpu);
	unsetenv("DEBUGINFOD_URLS");
	GString *out = g_string_new(NULL);
	if (j->n_offsets)
		job_offsets(j, out);
	else
		job_process(j, out);
	const char *s = out->str;
	size_t left = out->len;
	while (left) {
		ssize_t n = write(fd, s, left);
		if (n <= 0)
			break;
		s += n;
		left -= (size_t)n;
	}
	g_string_free(out, TRUE);
}

static gboolean parse_u64_hex(const char *s, uint64_t *v)
{
	char *end = NULL;
	errno = 0;
	*v = g_ascii_strtoull(s, &end, 16);
	return errno == 0 && end && end != s && !*end;
}

/* The child's lines as frames. */
static GPtrArray *parse_frames(const char *text)
{
	GPtrArray *frames = g_ptr_array_new_with_free_func((GDestroyNotify)frame_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], "\t", 7);
		if (g_strv_length(f) != 7)
			continue;
		SymbolFrame *fr = g_new0(SymbolFrame, 1);
		if (!parse_u64_hex(f[0], &fr->pc) || !parse_u64_hex(f[1], &fr->offset)) {
			frame_free(fr);
			continue;
		}
		fr->module = f[2][0] ? g_strdup(f[2]) : NULL;
		fr->function = f[3][0] ? g_strdup(f[3]) : NULL;
		fr->file = f[4][0] ? g_strdup(f[4]) : NULL;
		fr->line = fr->file ? atoi(f[5]) : 0;
		fr->in_main = atoi(f[6]) == 1;
		g_ptr_array_add(frames, fr);
	}
	return frames;
}

static GPtrArray *run_job(const SymbolizeJob *j, GError **error)
{
	g_autoptr(GString) out = g_string_new(NULL);
	if (!debug_helper_run(DEBUG_JOB_SYMBOLIZE, j, SYMBOLIZE_TIMEOUT_MS, OUTPUT_MAX, out,
	                      error)) {
		g_prefix_error(error, "symbolizer: ");
		return NULL;
	}
	GPtrArray *frames = parse_frames(out->str);
	if (!frames->len) {
		g_ptr_array_unref(frames);
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "symbolizer: no module holds the address");
		return NULL;
	}
	return frames;
}

GPtrArray *symbolize_process(pid_t pid, uint64_t fault_ip, guint max_frames, GError **error)
{
	SymbolizeJob j = {
	    .pid = pid, .fault_ip = fault_ip, .max_frames = max_frames ? max_frames : 1};
	return run_job(&j, error);
}

GPtrArray *symbolize_offsets(const char *path, const uint64_t *offsets, guint n, GError **error)
{
	SymbolizeJob j = {.n_offsets = MIN(n, SYMBOLIZE_MAX_OFFSETS)};
	if (!n || strlen(path) >= sizeof(j.path)) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "symbolizer: no offset, or a path too long");
		return NULL;
	}
	strcpy(j.path, path);
	memcpy(j.offsets, offsets, j.n_offsets * sizeof(offsets[0]));
	return run_job(&j, error);
}

/* "FUNC (FILE:LINE)" of a frame, with the file's base name. */
static void append_frame(GString *s, const SymbolFrame *f)
{
	g_string_append(s, f->function ? f->function : "??");
	if (f->file) {
		g_autofree char *base = g_path_get_basename(f->file);
		g_string_append_printf(s, " (%s:%d)", base, f->line);
	} else if (f->module) {
		g_autofree char *base = g_path_get_basename(f->module);
		g_string_append_printf(s, " (%s+0x%" PRIx64 ")", base, f->offset);
	}
}

char *symbolize_describe(GPtrArray *frames, gsize max_len)
{
	if (!frames || !frames->len)
		return g_strdup("");
	/* the C library's start-up frames below main say nothing */
	guint n = frames->len;
	for (guint i = 1; i < frames->len; i++) {
		const SymbolFrame *f = frames->pdata[i];
		if (f->function && (g_str_has_prefix(f->function, "__libc_start_") ||
		                    !strcmp(f->function, "_start"))) {
			n = i;
			break;
		}
	}
	/* where: the first frame of the program with a line, else any with a line */
	const SymbolFrame *at = NULL;
	for (guint pass = 0; pass < 2 && !at; pass++)
		for (guint i = 0; i < n && !at; i++) {
			const SymbolFrame *f = frames->pdata[i];
			if (f->file && (f->in_main || pass == 1))
				at = f;
		}
	if (!at)
		at = frames->pdata[0];
	GString *s = g_string_new(" in ");
	g_string_append(s, at->function ? at->function : "??");
	if (at->file)
		g_string_append_printf(s, " at %s:%d", at->file, at->line);
	else if (at->module)
		g_string_append_printf(s, " (%s+0x%" PRIx64 ")", at->module, at->offset);
	if (n > 1) {
		gsize head = s->len;
		g_string_append(s, " (backtrace: ");
		for (guint i = 0; i < n; i++) {
			gsize before = s->len;
			if (i)
				g_string_append(s, " < ");
			append_frame(s, frames->pdata[i]);
			if (s->len + 1 > max_len) {
				g_string_truncate(s, before);
				if (i == 0)
					g_string_truncate(s, head);
				else
					g_string_append(s, " < ...");
				break;
			}
		}
		if (s->len > head)
			g_string_append_c(s, ')');
	}
	return g_string_free(s, FALSE);
}
