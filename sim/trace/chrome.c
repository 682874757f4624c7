/*
 * chrome.c: the Chrome JSON trace writer (see chrome.h), an observer of the run. One event
 * per line inside {"traceEvents": [...]}, written as the run goes; a flow is written only
 * once both its ends are known, so that every flow in the file is paired.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <uapi/types.h>

#include "sim/errors.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/views.h"
#include "sim/trace/chrome.h"
#include "sim/trace/observe.h"
#include "sim/trace/tbuf.h"

#define TRACE_PID 1

/* An IPC or a signal on its way: written when the receiver's next call returns. */
typedef struct {
	uint64_t id;
	uint32_t from; /* sender's task id */
	uint64_t ts;   /* virtual ns of the sender's trap */
	const char *name;
} Flow;

struct chrome_trace {
	char *path;
	FILE *f;
	gboolean first; /* no event written yet */
	guint n;        /* tracks of tasks: the tasks and idle */
	gboolean *open; /* per task: a system call slice is open */
	GArray **flows; /* per receiving task: of Flow */
	uint64_t next_flow;
	TraceBuf out;
	const char **state;  /* per task: the job state shown now (static), or NULL */
	uint64_t *since;     /* per task: since when */
	uint32_t *irq_count; /* per task: IRQ ring occupancy last seen */
	uint32_t *dma_count; /* per task: DMA ring occupancy last seen */
	gboolean *alarm;     /* per task: its alarm's signal was pending at the last look */
};

static guint task_tid(uint32_t task)
{
	return task + 1;
}

static guint board_tid(const ChromeTrace *t)
{
	return t->n + 1;
}

/* The track of task |task|'s job state, sorted just below its system calls. */
static guint state_tid(const ChromeTrace *t, uint32_t task)
{
	return t->n + 2 + task;
}

/* Start an event: its common fields; the caller adds its own and calls put_end(). */
static TraceBuf *put_begin(ChromeTrace *t, const char *name, const char *cat, char ph, guint tid,
                           uint64_t ts_ns)
{
	TraceBuf *b = &t->out;
	if (t->first)
		tb_lit(b, "\n{\"name\":");
	else
		tb_lit(b, ",\n{\"name\":");
	t->first = FALSE;
	tb_json(b, name);
	tb_lit(b, ",\"cat\":\"");
	tb_mem(b, cat, strlen(cat));
	tb_lit(b, "\",\"ph\":\"");
	tb_c(b, ph);
	tb_lit(b, "\",\"pid\":" G_STRINGIFY(TRACE_PID) ",\"tid\":");
	tb_u64(b, tid);
	tb_lit(b, ",\"ts\":");
	tb_us(b, ts_ns);
	return b;
}

static void put_end(ChromeTrace *t)
{
	tb_c(&t->out, '}');
}

/* A metadata event naming a track, and its place in the list. */
static void put_thread(ChromeTrace *t, guint tid, guint sort, const char *name)
{
	TraceBuf *b = put_begin(t, "thread_name", "__metadata", 'M', tid, 0);
	tb_lit(b, ",\"args\":{\"name\":");
	tb_json(b, name);
	tb_c(b, '}');
	put_end(t);
	b = put_begin(t, "thread_sort_index", "__metadata", 'M', tid, 0);
	tb_lit(b, ",\"args\":{\"sort_index\":");
	tb_u64(b, sort);
	tb_c(b, '}');
	put_end(t);
}

static void put_instant(ChromeTrace *t, guint tid, uint64_t ts, const char *name, const char *cat,
                        const char *text)
{
	TraceBuf *b = put_begin(t, name, cat, 'i', tid, ts);
	tb_lit(b, ",\"s\":\"t\"");
	if (text) {
		tb_lit(b, ",\"args\":{\"text\":");
		tb_json(b, text);
		tb_c(b, '}');
	}
	put_end(t);
}

static void tr_setup(void *data, Run *run, Kernel *k)
{
	ChromeTrace *t = data;
	t->n = kernel_task_count(k) + 1;
	t->open = g_new0(gboolean, t->n);
	t->flows = g_new0(GArray *, t->n);
	for (guint i = 0; i < t->n; i++)
		t->flows[i] = g_array_new(FALSE, FALSE, sizeof(Flow));
	t->state = g_new0(const char *, t->n);
	t->since = g_new0(uint64_t, t->n);
	t->irq_count = g_new0(uint32_t, t->n);
	t->dma_count = g_new0(uint32_t, t->n);
	t->alarm = g_new0(gboolean, t->n);
	TraceBuf *b = put_begin(t, "process_name", "__metadata", 'M', 0, 0);
	tb_lit(b, ",\"args\":{\"name\":\"sentry-sim\"}");
	put_end(t);
	put_thread(t, board_tid(t), 0, "board");
	for (guint i = 0; i < t->n; i++) {
		const char *name = i == kernel_idle_id(k) ? "idle" : kernel_task_name(k, i);
		put_thread(t, task_tid(i), 2 * i + 1, name);
		g_autofree char *state = g_strdup_printf("%s state", name);
		put_thread(t, state_tid(t, i), 2 * i + 2, state);
	}
}

/* The job state of task |task| as the state track names it, NULL before it starts. */
static const char *state_label(Kernel *k, uint32_t task, uint32_t current)
{
	switch (kernel_task_state(k, task)) {
	case JOB_NOTSTARTED:
		return NULL;
	case JOB_READY:
	case JOB_YIELDED:
		return task == current ? "running" : "ready";
	case JOB_SLEEPING:
	case JOB_SLEEPING_DEEP:
		return "sleeping";
	case JOB_WAITFOREVENT:
		return "waiting for events";
	case JOB_IPC_SEND_BLOCKED:
		return "blocked in send_ipc";
	case JOB_FAULT:
	case JOB_SECURITY:
	case JOB_ABORTING:
		return "faulted";
	case JOB_FINISHED:
		return "finished";
	}
	return NULL;
}

/* Write the slice of |task|'s state that ends at |now| (none when it lasted no time). */
static void put_state(ChromeTrace *t, uint32_t task, uint64_t now)
{
	if (!t->state[task] || now <= t->since[task])
		return;
	uint64_t dur = now - t->since[task];
	TraceBuf *b = put_begin(t, t->state[task], "state", 'X', state_tid(t, task), t->since[task]);
	tb_lit(b, ",\"dur\":");
	tb_us(b, dur);
	put_end(t);
}

/* An event ring that grew since last seen: an IRQ or a DMA completion for |task|. */
static void put_ring(ChromeTrace *t, Kernel *k, uint32_t task, bool dma, uint32_t count,
                     uint64_t now)
{
	uint32_t *last = dma ? &t->dma_count[task] : &t->irq_count[task];
	if (count > *last) {
		uint32_t cells[KERNEL_EVENT_RING][2];
		uint32_t got = kernel_view_ring(k, task, dma, cells);
		for (uint32_t c = *last; c < got && c < count; c++) {
			g_autofree char *text =
			    dma ? g_strdup_printf("stream 0x%08" PRIx32 " state %" PRIu32 " for %s",
			                          cells[c][0], cells[c][1], kernel_task_name(k, task))
			        : g_strdup_printf("IRQ %" PRIu32 " for %s", cells[c][0],
			                          kernel_task_name(k, task));
			put_instant(t, board_tid(t), now, dma ? "dma" : "irq", "board", text);
		}
	}
	*last = count;
}

/* Look at every task's job state, event rings and alarm signal: what changed since the last
 * look is written (the state slice that ended, IRQs and DMA completions queued, alarms). */
static void sample(ChromeTrace *t, Kernel *k)
{
	if (!t->state)
		return;
	uint64_t now = kernel_now_ns(k);
	uint32_t cur = kernel_current(k);
	for (guint i = 0; i < t->n; i++) {
		const char *label = state_label(k, i, cur);
		if (label != t->state[i]) {
			put_state(t, i, now);
			t->state[i] = label;
			t->since[i] = now;
		}
		if (i == kernel_idle_id(k))
			continue;
		KernelTaskView v;
		kernel_view_task(k, i, &v);
		put_ring(t, k, i, false, v.irq_count, now);
		put_ring(t, k, i, true, v.dma_count, now);
		gboolean alarm = kernel_view_sig_pending(k, i, i) == SIGNAL_ALARM;
		if (alarm && !t->alarm[i]) {
			g_autofree char *text = g_strdup_printf("alarm of %s", kernel_task_name(k, i));
			put_instant(t, board_tid(t), now, "alarm", "board", text);
		}
		t->alarm[i] = alarm;
	}
}

static RunEnd tr_check(void *data, Kernel *k, const char **why)
{
	sample(data, k);
	return RUN_END_NONE;
}

static void tr_after(void *data, Kernel *k, uint32_t task, uint32_t nr)
{
	sample(data, k);
}

/* The flows that end at |task|'s current call, both ends written now. */
static void put_flows(ChromeTrace *t, uint32_t task, uint64_t now)
{
	GArray *flows = t->flows[task];
	for (guint i = 0; i < flows->len; i++) {
		const Flow *fl = &g_array_index(flows, Flow, i);
		TraceBuf *b = put_begin(t, fl->name, "flow", 's', task_tid(fl->from), fl->ts);
		tb_lit(b, ",\"id\":");
		tb_u64(b, fl->id);
		put_end(t);
		b = put_begin(t, fl->name, "flow", 'f', task_tid(task), now);
		tb_lit(b, ",\"bp\":\"e\",\"id\":");
		tb_u64(b, fl->id);
		put_end(t);
	}
	g_array_set_size(flows, 0);
}

static void tr_resume(void *data, Kernel *k, uint32_t task, const KernelResume *res)
{
	ChromeTrace *t = data;
	uint64_t now = kernel_now_ns(k);
	if (task >= t->n)
		return;
	sample(t, k);
	put_flows(t, task, now);
	if (t->open[task]) {
		TraceBuf *b = put_begin(t, "", "syscall", 'E', task_tid(task), now);
		tb_lit(b, ",\"args\":{\"r0\":");
		tb_u64(b, res->r0);
		tb_c(b, '}');
		put_end(t);
		t->open[task] = FALSE;
	}
	if (res->fresh)
		put_instant(t, task_tid(task), now, "start", "task", NULL);
}

/* The task a send addresses, from its handle, or -1. */
static int target_of(Kernel *k, uint32_t handle)
{
	for (uint32_t i = 0; i < kernel_task_count(k); i++)
		if (kernel_task_handle(k, i) == handle)
			return (int)i;
	return -1;
}

static void tr_syscall(void *data, Kernel *k, uint32_t task, uint32_t nr, const uint32_t args[3])
{
	ChromeTrace *t = data;
	uint64_t now = kernel_now_ns(k);
	if (task >= t->n)
		return;
	TraceBuf *b = put_begin(t, kernel_syscall_name(nr), "syscall", 'B', task_tid(task), now);
	tb_lit(b, ",\"args\":{\"nr\":");
	tb_u64(b, nr);
	tb_lit(b, ",\"a0\":\"0x");
	tb_hex8(b, args[0]);
	tb_lit(b, "\",\"a1\":\"0x");
	tb_hex8(b, args[1]);
	tb_lit(b, "\",\"a2\":\"0x");
	tb_hex8(b, args[2]);
	tb_lit(b, "\"}");
	put_end(t);
	t->open[task] = TRUE;
	if (nr != SYSCALL_SEND_IPC && nr != SYSCALL_SEND_SIGNAL)
		return;
	int to = target_of(k, args[0]);
	if (to < 0)
		return;
	Flow fl = {.id = ++t->next_flow,
	           .from = task,
	           .ts = now,
	           .name = nr == SYSCALL_SEND_IPC ? "ipc" : "signal"};
	g_array_append_val(t->flows[to], fl);
}

static void tr_report(void *data, Kernel *k, const KernelReport *rep)
{
	ChromeTrace *t = data;
	if (!t->open)
		return; /* before setup */
	guint tid = rep->task < t->n ? task_tid(rep->task) : board_tid(t);
	put_instant(t, tid, rep->time_ns, trace_report_kind_name(rep->kind), "report", rep->text);
}

static void tr_note(void *data, Kernel *k, const char *text)
{
	ChromeTrace *t = data;
	put_instant(t, board_tid(t), kernel_now_ns(k), "note", "sim", text);
}

void chrome_trace_stimulus(ChromeTrace *t, uint64_t ts_ns, const char *text)
{
	if (t->state)
		put_instant(t, board_tid(t), ts_ns, "stimulus", "script", text);
}

void chrome_trace_mark(ChromeTrace *t, uint64_t ts_ns, const char *name, const char *verdict,
                       const char *text)
{
	if (!t->state)
		return;
	g_autofree char *title = g_strdup_printf("%s %s", verdict, name);
	TraceBuf *b = put_begin(t, title, "expect", 'i', board_tid(t), ts_ns);
	tb_lit(b, ",\"s\":\"g\",\"args\":{\"verdict\":");
	tb_json(b, verdict);
	if (text) {
		tb_lit(b, ",\"text\":");
		tb_json(b, text);
	}
	tb_c(b, '}');
	put_end(t);
}

/* Close what is open: slices of calls that never returned, flows never delivered (dropped:
 * a flow is written with both ends or not at all). */
static int tr_end(void *data, Kernel *k, RunEnd end, const char *end_text)
{
	ChromeTrace *t = data;
	uint64_t now = kernel_now_ns(k);
	sample(t, k);
	for (guint i = 0; t->state && i < t->n; i++) {
		put_state(t, i, now);
		t->state[i] = NULL;
	}
	for (guint i = 0; t->open && i < t->n; i++) {
		if (t->open[i]) {
			put_begin(t, "", "syscall", 'E', task_tid(i), now);
			put_end(t);
			t->open[i] = FALSE;
		}
		g_array_set_size(t->flows[i], 0);
	}
	if (t->open)
		put_instant(t, board_tid(t), now, "end", "run", end_text);
	return -1;
}

RunObserver chrome_trace_observer(ChromeTrace *t)
{
	return (RunObserver){.name = "trace",
	                     .data = t,
	                     .setup = tr_setup,
	                     .check = tr_check,
	                     .resume = tr_resume,
	                     .after_syscall = tr_after,
	                     .before_syscall = tr_syscall,
	                     .report = tr_report,
	                     .note = tr_note,
	                     .end = tr_end};
}

ChromeTrace *chrome_trace_new(const char *path, GError **error)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "%s: cannot write: %s", path,
		            g_strerror(errno));
		return NULL;
	}
	ChromeTrace *t = g_new0(ChromeTrace, 1);
	t->path = g_strdup(path);
	t->f = f;
	t->first = TRUE;
	tbuf_init(&t->out, f);
	tb_lit(&t->out, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	return t;
}

const char *chrome_trace_path(const ChromeTrace *t)
{
	return t->path;
}

gboolean chrome_trace_finish(ChromeTrace *t, GError **error)
{
	if (!t->f)
		return TRUE;
	tb_lit(&t->out, "\n]}\n");
	tbuf_flush(&t->out);
	gboolean ok = !ferror(t->f);
	ok = fclose(t->f) == 0 && ok;
	t->f = NULL;
	if (!ok)
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "%s: write error: %s", t->path,
		            g_strerror(errno));
	return ok;
}

void chrome_trace_free(ChromeTrace *t)
{
	if (!t)
		return;
	if (t->f)
		fclose(t->f);
	for (guint i = 0; t->flows && i < t->n; i++)
		g_array_free(t->flows[i], TRUE);
	g_free(t->flows);
	g_free(t->open);
	g_free(t->state);
	g_free(t->since);
	g_free(t->irq_count);
	g_free(t->dma_count);
	g_free(t->alarm);
	tbuf_clear(&t->out);
	g_free(t->path);
	g_free(t);
}
