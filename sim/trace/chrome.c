/*
 * chrome.c: the Chrome JSON trace writer (see chrome.h), an observer of the run. One event
 * per line inside {"traceEvents": [...]}, written as the run goes; a flow is written only
 * once both its ends are known, so that every flow in the file is paired.
 *
 * Every event is written while a task waits for its system call to return, so the writer
 * is frugal: events formatted by hand into the trace buffer (tbuf.h), the start of each
 * frequent event made once, and a look at the tasks that compares one word per task with
 * the last look's before it reads anything else.
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

/* The start of an event of one name, category and phase, made once and copied each time:
 * {"name":NAME,"cat":CAT,"ph":PH,"pid":1,"tid": (the separator before it and the track
 * number after it vary). */
typedef struct {
	char *s;
	size_t len;
} Head;

/* The job state a state track shows; ST_NONE before the task starts. */
typedef enum {
	ST_NONE,
	ST_RUNNING,
	ST_READY,
	ST_SLEEPING,
	ST_WAITING,
	ST_BLOCKED,
	ST_FAULTED,
	ST_FINISHED,
	ST_COUNT
} StateLabel;

static const char *const state_names[ST_COUNT] = {
    [ST_RUNNING] = "running",
    [ST_READY] = "ready",
    [ST_SLEEPING] = "sleeping",
    [ST_WAITING] = "waiting for events",
    [ST_BLOCKED] = "blocked in send_ipc",
    [ST_FAULTED] = "faulted",
    [ST_FINISHED] = "finished",
};

typedef enum { FLOW_IPC, FLOW_SIGNAL, FLOW_KINDS } FlowKind;
static const char *const flow_names[FLOW_KINDS] = {"ipc", "signal"};

/* System calls below this number have their event starts made once (the others, none in a
 * well-formed run, are written in full each time). */
#define CACHED_CALLS 64

/* An IPC or a signal on its way: written when the receiver's next call returns. */
typedef struct {
	uint64_t id;
	uint32_t from; /* sender's task id */
	uint64_t ts;   /* virtual ns of the sender's trap */
	FlowKind kind;
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
	uint8_t *state;      /* per task: the StateLabel shown now; NULL before setup */
	uint64_t *since;     /* per task: since when */
	uint32_t *irq_count; /* per task: IRQ ring occupancy last seen */
	uint32_t *dma_count; /* per task: DMA ring occupancy last seen */
	gboolean *alarm;     /* per task: its alarm's signal was pending at the last look */
	uint64_t *word;      /* per task: kernel_view_task_words() at the last look, then room
	                      * for the words of the next look */
	uint32_t cur;        /* the current task at the last look */
	/* the starts of the frequent events */
	Head call_begin[CACHED_CALLS]; /* a system call's slice, by number (made when first seen) */
	Head
	    call_args[CACHED_CALLS]; /* its arguments up to a0's digits: ,"args":{"nr":N,"a0":"0x */
	Head call_end;
	Head state_slice[ST_COUNT];
	Head flow_start[FLOW_KINDS], flow_finish[FLOW_KINDS];
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

/* What an event may append through the pointer put_begin() returns, without asking for
 * room: its own fields but free text (the longest, a system call's: about 80 bytes). */
#define EV_ROOM 128

/* Room for an event whose start is |head_len| bytes long. */
static char *ev_room(ChromeTrace *t, size_t head_len)
{
	return tb_room(&t->out, 2 + head_len + TB_U64_MAX + 6 + TB_US_MAX + EV_ROOM);
}

/* Before each event but the first: the separator. */
static char *w_sep(ChromeTrace *t, char *p)
{
	if (t->first) {
		t->first = FALSE;
		*p++ = '\n';
		return p;
	}
	return w_lit(p, ",\n");
}

/* An event's start, up to the track number: {"name":NAME,"cat":CAT,"ph":PH,"pid":1,"tid":
 * Room needed: 48 + TB_JSON_MAX(strlen(name)) + strlen(cat). */
static char *w_head(char *p, const char *name, size_t name_len, const char *cat, char ph)
{
	p = w_lit(p, "{\"name\":");
	p = w_json(p, name, name_len);
	p = w_lit(p, ",\"cat\":\"");
	p = w_mem(p, cat, strlen(cat));
	p = w_lit(p, "\",\"ph\":\"");
	*p++ = ph;
	return w_lit(p, "\",\"pid\":" G_STRINGIFY(TRACE_PID) ",\"tid\":");
}

/* The track number and the time stamp, after a start. */
static char *w_tid_ts(char *p, guint tid, uint64_t ts_ns)
{
	p = w_u64(p, tid);
	p = w_lit(p, ",\"ts\":");
	return w_us(p, ts_ns);
}

static Head head_new(const char *name, const char *cat, char ph)
{
	size_t name_len = strlen(name);
	char *s = g_malloc(48 + TB_JSON_MAX(name_len) + strlen(cat));
	return (Head){.s = s, .len = (size_t)(w_head(s, name, name_len, cat, ph) - s)};
}

/* Start an event: its common fields, and room for EV_ROOM bytes more; the caller appends
 * its own fields through the pointer returned, and hands it to put_end(). */
static char *put_begin(ChromeTrace *t, const char *name, const char *cat, char ph, guint tid,
                       uint64_t ts_ns)
{
	size_t name_len = strlen(name);
	char *p = ev_room(t, 48 + TB_JSON_MAX(name_len) + strlen(cat));
	p = w_head(w_sep(t, p), name, name_len, cat, ph);
	return w_tid_ts(p, tid, ts_ns);
}

/* The same, from a start made once. */
static char *put_head(ChromeTrace *t, const Head *h, guint tid, uint64_t ts_ns)
{
	char *p = w_sep(t, ev_room(t, h->len));
	return w_tid_ts(w_mem(p, h->s, h->len), tid, ts_ns);
}

static void put_end(ChromeTrace *t, char *p)
{
	*p++ = '}';
	tb_done(&t->out, p);
}

/* Free text as the value of the last field of an event's arguments (the caller wrote its
 * key), then the end of the arguments and of the event. */
static void put_text_end(ChromeTrace *t, char *p, const char *text)
{
	tb_done(&t->out, p);
	tb_json(&t->out, text);
	tb_lit(&t->out, "}}");
}

/* A metadata event naming a track, and its place in the list. */
static void put_thread(ChromeTrace *t, guint tid, guint sort, const char *name)
{
	char *p = put_begin(t, "thread_name", "__metadata", 'M', tid, 0);
	put_text_end(t, w_lit(p, ",\"args\":{\"name\":"), name);
	p = put_begin(t, "thread_sort_index", "__metadata", 'M', tid, 0);
	p = w_lit(p, ",\"args\":{\"sort_index\":");
	p = w_u64(p, sort);
	*p++ = '}';
	put_end(t, p);
}

static void put_instant(ChromeTrace *t, guint tid, uint64_t ts, const char *name, const char *cat,
                        const char *text)
{
	char *p = put_begin(t, name, cat, 'i', tid, ts);
	p = w_lit(p, ",\"s\":\"t\"");
	if (text)
		put_text_end(t, w_lit(p, ",\"args\":{\"text\":"), text);
	else
		put_end(t, p);
}

static void tr_setup(void *data, Run *run, Kernel *k)
{
	ChromeTrace *t = data;
	t->n = kernel_task_count(k) + 1;
	t->open = g_new0(gboolean, t->n);
	t->flows = g_new0(GArray *, t->n);
	for (guint i = 0; i < t->n; i++)
		t->flows[i] = g_array_new(FALSE, FALSE, sizeof(Flow));
	t->state = g_new0(uint8_t, t->n);
	t->since = g_new0(uint64_t, t->n);
	t->irq_count = g_new0(uint32_t, t->n);
	t->dma_count = g_new0(uint32_t, t->n);
	t->alarm = g_new0(gboolean, t->n);
	t->word = g_new(uint64_t, 2 * t->n);
	for (guint i = 0; i < t->n; i++)
		t->word[i] = UINT64_MAX; /* no word is: the first look looks at everything */
	t->cur = KERNEL_NO_TASK;
	t->call_end = head_new("", "syscall", 'E');
	for (guint i = 1; i < ST_COUNT; i++)
		t->state_slice[i] = head_new(state_names[i], "state", 'X');
	for (guint i = 0; i < FLOW_KINDS; i++) {
		t->flow_start[i] = head_new(flow_names[i], "flow", 's');
		t->flow_finish[i] = head_new(flow_names[i], "flow", 'f');
	}
	char *p = put_begin(t, "process_name", "__metadata", 'M', 0, 0);
	put_end(t, w_lit(p, ",\"args\":{\"name\":\"sentry-sim\"}"));
	put_thread(t, board_tid(t), 0, "board");
	for (guint i = 0; i < t->n; i++) {
		const char *name = i == kernel_idle_id(k) ? "idle" : kernel_task_name(k, i);
		put_thread(t, task_tid(i), 2 * i + 1, name);
		g_autofree char *state = g_strdup_printf("%s state", name);
		put_thread(t, state_tid(t, i), 2 * i + 2, state);
	}
}

/* The job state of task |task| as the state track shows it. */
static StateLabel state_label(Kernel *k, uint32_t task, uint32_t current)
{
	switch (kernel_task_state(k, task)) {
	case JOB_NOTSTARTED:
		return ST_NONE;
	case JOB_READY:
	case JOB_YIELDED:
		return task == current ? ST_RUNNING : ST_READY;
	case JOB_SLEEPING:
	case JOB_SLEEPING_DEEP:
		return ST_SLEEPING;
	case JOB_WAITFOREVENT:
		return ST_WAITING;
	case JOB_IPC_SEND_BLOCKED:
		return ST_BLOCKED;
	case JOB_FAULT:
	case JOB_SECURITY:
	case JOB_ABORTING:
		return ST_FAULTED;
	case JOB_FINISHED:
		return ST_FINISHED;
	}
	return ST_NONE;
}

/* Write the slice of |task|'s state that ends at |now| (none when it lasted no time). */
static void put_state(ChromeTrace *t, uint32_t task, uint64_t now)
{
	if (t->state[task] == ST_NONE || now <= t->since[task])
		return;
	uint64_t dur = now - t->since[task];
	char *p = put_head(t, &t->state_slice[t->state[task]], state_tid(t, task), t->since[task]);
	p = w_lit(p, ",\"dur\":");
	put_end(t, w_us(p, dur));
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
			                          cells[c][0], cells[c][1],
			                          kernel_task_name(k, task))
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
	uint32_t cur = kernel_current(k);
	uint64_t *words = t->word + t->n; /* the words now; t->word: at the last look */
	kernel_view_task_words(k, words);
	if (cur == t->cur && memcmp(words, t->word, t->n * sizeof(*words)) == 0)
		return; /* nothing new (most looks) */
	uint64_t now = kernel_now_ns(k);
	for (guint i = 0; i < t->n; i++) {
		/* a task whose word did not change and that did not start or stop being the
		 * current one has nothing new to show */
		uint64_t word = words[i];
		if (word == t->word[i] && (i == cur) == (i == t->cur))
			continue;
		uint64_t changed = word ^ t->word[i];
		t->word[i] = word;
		StateLabel label = state_label(k, i, cur);
		if (label != t->state[i]) {
			put_state(t, i, now);
			t->state[i] = label;
			t->since[i] = now;
		}
		/* the rest only when a ring or the signal changed (the word's bits above the
		 * state's byte) */
		if (i == kernel_idle_id(k) || !(changed >> 8))
			continue;
		KernelTaskView v;
		kernel_view_task(k, i, &v);
		put_ring(t, k, i, false, v.irq_count, now);
		put_ring(t, k, i, true, v.dma_count, now);
		gboolean alarm = kernel_view_sig_pending(k, i, i) == SIGNAL_ALARM;
		if (alarm && !t->alarm[i]) {
			g_autofree char *text =
			    g_strdup_printf("alarm of %s", kernel_task_name(k, i));
			put_instant(t, board_tid(t), now, "alarm", "board", text);
		}
		t->alarm[i] = alarm;
	}
	t->cur = cur;
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
		char *p = put_head(t, &t->flow_start[fl->kind], task_tid(fl->from), fl->ts);
		p = w_lit(p, ",\"id\":");
		put_end(t, w_u64(p, fl->id));
		p = put_head(t, &t->flow_finish[fl->kind], task_tid(task), now);
		p = w_lit(p, ",\"bp\":\"e\",\"id\":");
		put_end(t, w_u64(p, fl->id));
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
		char *p = put_head(t, &t->call_end, task_tid(task), now);
		p = w_lit(p, ",\"args\":{\"r0\":");
		p = w_u64(p, res->r0);
		*p++ = '}';
		put_end(t, p);
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
	char *p;
	if (nr < CACHED_CALLS) {
		if (!t->call_begin[nr].s) {
			t->call_begin[nr] = head_new(kernel_syscall_name(nr), "syscall", 'B');
			char *a = g_strdup_printf(",\"args\":{\"nr\":%" PRIu32 ",\"a0\":\"0x", nr);
			t->call_args[nr] = (Head){.s = a, .len = strlen(a)};
		}
		p = put_head(t, &t->call_begin[nr], task_tid(task), now);
		p = w_mem(p, t->call_args[nr].s, t->call_args[nr].len);
	} else {
		p = put_begin(t, kernel_syscall_name(nr), "syscall", 'B', task_tid(task), now);
		p = w_lit(p, ",\"args\":{\"nr\":");
		p = w_u64(p, nr);
		p = w_lit(p, ",\"a0\":\"0x");
	}
	p = w_hex8(p, args[0]);
	p = w_lit(p, "\",\"a1\":\"0x");
	p = w_hex8(p, args[1]);
	p = w_lit(p, "\",\"a2\":\"0x");
	p = w_hex8(p, args[2]);
	put_end(t, w_lit(p, "\"}"));
	t->open[task] = TRUE;
	if (nr != SYSCALL_SEND_IPC && nr != SYSCALL_SEND_SIGNAL)
		return;
	int to = target_of(k, args[0]);
	if (to < 0)
		return;
	Flow fl = {.id = ++t->next_flow,
	           .from = task,
	           .ts = now,
	           .kind = nr == SYSCALL_SEND_IPC ? FLOW_IPC : FLOW_SIGNAL};
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
	char *p = put_begin(t, title, "expect", 'i', board_tid(t), ts_ns);
	tb_done(&t->out, w_lit(p, ",\"s\":\"g\",\"args\":{\"verdict\":"));
	tb_json(&t->out, verdict);
	if (text) {
		tb_lit(&t->out, ",\"text\":");
		tb_json(&t->out, text);
	}
	tb_lit(&t->out, "}}");
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
		t->state[i] = ST_NONE;
	}
	for (guint i = 0; t->open && i < t->n; i++) {
		if (t->open[i]) {
			put_end(t, put_begin(t, "", "syscall", 'E', task_tid(i), now));
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
	g_free(t->word);
	for (guint i = 0; i < CACHED_CALLS; i++) {
		g_free(t->call_begin[i].s);
		g_free(t->call_args[i].s);
	}
	g_free(t->call_end.s);
	for (guint i = 0; i < ST_COUNT; i++)
		g_free(t->state_slice[i].s);
	for (guint i = 0; i < FLOW_KINDS; i++) {
		g_free(t->flow_start[i].s);
		g_free(t->flow_finish[i].s);
	}
	tbuf_clear(&t->out);
	g_free(t->path);
	g_free(t);
}
