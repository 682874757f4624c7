/*
 * script_engine.c: the engine of a scenario's script (see script.h): it applies the stimuli
 * and judges the expectations of a parsed script (script_priv.h, built by script_parse.c)
 * while the system runs. In the daemon it is an observer of the run (sim/scenario/launch.c).
 *
 * The engine is fed observations (a log line, a system call, a fault, a task entering a state)
 * in the order they happen. Each observation goes through every step in file order: it may
 * trigger a 'when' step, or decide an expectation. Stimuli are applied only by
 * script_run_due(), outside kernel calls. Only virtual time and the order of observations
 * matter, so a run is as deterministic as the system it watches.
 */
#include "config.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <uapi/types.h>

#include "sim/scenario/script.h"
#include "sim/scenario/script_priv.h"

/* ==== the engine ========================================================================== */

typedef enum {
	OBS_LOG,
	OBS_SYSCALL,
	OBS_FAULT,
	OBS_PANIC,
	OBS_STATE,
	OBS_RESPAWN,
	OBS_DEADLOCK,
	OBS_UART, /* |task| is the device index */
} ObsKind;

/* One thing that happened, as the observers saw it. */
typedef struct {
	ObsKind kind;
	uint32_t task;
	const char *line; /* OBS_LOG, OBS_UART: the line, without its newline */
	size_t len;
	uint32_t nr;      /* OBS_SYSCALL */
	int32_t code;     /* OBS_SYSCALL of exit: its status */
	int state;        /* OBS_STATE: the state entered */
	const char *text; /* OBS_FAULT, OBS_PANIC, OBS_DEADLOCK: the report */
	bool by_script;   /* OBS_FAULT: the script killed the task */
	uint64_t now;
} Obs;

typedef struct {
	GString *partial; /* bytes of the line being logged */
	char *ring[SCRIPT_RING];
	guint ring_next, ring_n;
	uint64_t lines;
	Obs events[SCRIPT_EVENTS]; /* its last events but log lines, for the diagnosis */
	guint ev_next, ev_n;
	int state;    /* as last polled (display_state) */
	uint32_t gen; /* job generation as last polled; 0 before boot */
	bool exited;  /* called exit, with |exit_code| */
	int32_t exit_code;
	bool killing; /* the script is killing it: its fault report is the script's doing */
	char *fault;  /* its first fault the script did not cause, in words */
} TaskRun;

typedef struct {
	bool done;      /* AT, WHEN: applied */
	bool triggered; /* WHEN: the condition was observed */
	uint64_t due_ns;
} StimRun;

typedef struct {
	ScriptVerdict v;
	bool decided;
	uint64_t at_ns; /* when it was decided */
	char *observed; /* FAILED: what happened instead */
	bool anchored;  /* HAPPENS, NEVER: the 'after' event happened, at |anchor_ns| */
	uint64_t anchor_ns;
	bool closed; /* HAPPENS, NEVER: the 'before' event happened */
	guint next;  /* ORDER: events seen so far, in order, at |seen_ns| */
	uint64_t *seen_ns;
} ExpRun;

typedef struct {
	uint32_t task, nr, status;
	uint32_t left; /* calls still to answer */
	bool always;
} Injection;

struct script_run {
	const Script *s;
	ScriptEnv env;
	guint n; /* tasks */
	TaskRun *tasks;
	GString **uart_partial; /* per device (s->n_devices): bytes of the line being sent */
	StimRun *stims;         /* per step */
	ExpRun *exps;           /* per expectation */
	GArray *injections;     /* of Injection; the latest armed first */
	uint64_t now;
	bool stopped;   /* a failure or an error: the run should stop */
	bool error;     /* ... an error of the script */
	bool finishing; /* inside script_run_finish() */
	bool finished;
	int first_fail; /* expectation index, or -1 */
	char *error_text;
	ScriptEnd end;
	uint64_t end_ns;
};

static const Step *step_at(const ScriptRun *r, guint i)
{
	return g_ptr_array_index(r->s->steps, i);
}

static const char *tname(const ScriptRun *r, uint32_t id)
{
	return id < r->n ? r->s->task_names[id] : "?";
}

/* The state the summary would show: NOTSTARTED for a job never scheduled, HUNG for one
 * spinning in the library; YIELDED is transient and reads READY. */
static int display_state(const ScriptRun *r, uint32_t id)
{
	Kernel *k = r->env.k;
	if (kernel_task_hung(k, id))
		return STATE_HUNG;
	JobState s = kernel_task_state(k, id);
	if (s == JOB_YIELDED)
		s = JOB_READY;
	if (s == JOB_READY && !kernel_task_started(k, id))
		return JOB_NOTSTARTED;
	return (int)s;
}

/* "WAITFOREVENT", "FINISHED, exit 0", "ABORTING, exit 3". */
static char *state_text(const ScriptRun *r, uint32_t id)
{
	int s = display_state(r, id);
	if (s == JOB_FINISHED || (s == JOB_ABORTING && r->tasks[id].exited))
		return g_strdup_printf("%s, exit %" PRId32, script_state_name(s),
		                       kernel_task_exit_code(r->env.k, id));
	return g_strdup(script_state_name(s));
}

/* ---- verdicts ---------------------------------------------------------------------------- */

static ExpRun *exp_run(ScriptRun *r, const Step *st)
{
	return &r->exps[st->expect_index];
}

static void exp_pass(ScriptRun *r, const Step *st, uint64_t now)
{
	ExpRun *x = exp_run(r, st);
	x->decided = true;
	x->v = SCRIPT_VERDICT_PASSED;
	x->at_ns = now;
}

static void exp_fail(ScriptRun *r, const Step *st, uint64_t now, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static void exp_fail(ScriptRun *r, const Step *st, uint64_t now, const char *fmt, ...)
{
	ExpRun *x = exp_run(r, st);
	va_list ap;
	va_start(ap, fmt);
	x->observed = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	x->decided = true;
	x->v = SCRIPT_VERDICT_FAILED;
	x->at_ns = now;
	if (r->first_fail < 0)
		r->first_fail = st->expect_index;
	if (!r->finishing)
		r->stopped = true; /* known early: no need to run on */
}

/* A step that cannot be applied: the script is wrong for this system. */
static void script_error(ScriptRun *r, const Step *st, const char *what, const char *why)
{
	if (r->stopped && r->error)
		return;
	r->error_text =
	    g_strdup_printf("%s:%d: %s: %s: %s", r->s->path, st->line, st->key, what, why);
	r->error = true;
	r->stopped = true;
}

/* ---- matching ---------------------------------------------------------------------------- */

static bool ev_match(const Event *e, const Obs *o)
{
	bool task_ok = e->task < 0 || (uint32_t)e->task == o->task;
	switch (e->kind) {
	case EV_LOG:
		return o->kind == OBS_LOG && task_ok &&
		       g_regex_match_full(e->re, o->line, (gssize)o->len, 0, 0, NULL, NULL);
	case EV_SYSCALL:
		return o->kind == OBS_SYSCALL && task_ok && o->nr == e->nr;
	case EV_EXIT:
		return o->kind == OBS_SYSCALL && task_ok && o->nr == SYSCALL_EXIT &&
		       (!e->has_code || o->code == e->code);
	case EV_FAULT:
		return o->kind == OBS_FAULT && task_ok;
	case EV_STATE:
		return o->kind == OBS_STATE && task_ok && o->state == e->state;
	case EV_RESPAWN:
		return o->kind == OBS_RESPAWN && task_ok;
	case EV_PANIC:
		return o->kind == OBS_PANIC;
	case EV_UART:
		return o->kind == OBS_UART && (uint32_t)e->task == o->task &&
		       g_regex_match_full(e->re, o->line, (gssize)o->len, 0, 0, NULL, NULL);
	case EV_COUNT:
		break;
	}
	return false;
}

/* "'server' logged "x" at 12ms": an observation in words. */
static char *obs_text(const ScriptRun *r, const Obs *o)
{
	g_autofree char *t = script_fmt_ns(o->now);
	const char *who = tname(r, o->task);
	switch (o->kind) {
	case OBS_LOG: {
		g_autofree char *line = script_escape_bytes(o->line, o->len);
		return g_strdup_printf("'%s' logged \"%s\" at %s", who, line, t);
	}
	case OBS_SYSCALL:
		if (o->nr == SYSCALL_EXIT)
			return g_strdup_printf("'%s' called exit(%" PRId32 ") at %s", who, o->code,
			                       t);
		return g_strdup_printf("'%s' called %s at %s", who, kernel_syscall_name(o->nr), t);
	case OBS_FAULT: {
		const char *why = g_str_has_prefix(o->text, "fault: ") ? o->text + 7 : o->text;
		return g_strdup_printf("'%s' faulted at %s: %s", who, t, why);
	}
	case OBS_STATE:
		return g_strdup_printf("'%s' became %s at %s", who, script_state_name(o->state), t);
	case OBS_RESPAWN:
		return g_strdup_printf("'%s' respawned at %s", who, t);
	case OBS_PANIC:
	case OBS_DEADLOCK:
		return g_strdup_printf("at %s, %s", t, o->text);
	case OBS_UART: {
		g_autofree char *line = script_escape_bytes(o->line, o->len);
		const char *dev = o->task < r->s->n_devices ? r->s->device_names[o->task] : "?";
		return g_strdup_printf("'%s' sent \"%s\" at %s", dev, line, t);
	}
	}
	return g_strdup("?");
}

/* The usual first mistake behind a log expectation that never matches: the task logged
 * the text without a final newline, and a line is matched only once its \n arrives. */
static void unterminated_hint(const ScriptRun *r, const Event *e, GString *s)
{
	for (uint32_t i = 0; i < r->n; i++) {
		const GString *p = r->tasks[i].partial;
		if ((e->task >= 0 && (uint32_t)e->task != i) || p->len == 0 ||
		    !g_regex_match_full(e->re, p->str, (gssize)p->len, 0, 0, NULL, NULL))
			continue;
		g_autofree char *text = script_escape_bytes(p->str, p->len);
		g_string_append_printf(s,
		                       "; hint: '%s' logged \"%s\" without a final \\n, and a "
		                       "line is matched only once its newline is logged",
		                       tname(r, i), text);
		return;
	}
}

/* What did not happen: "no line of 'server' matched /x/|when| (it is WAITFOREVENT)". */
static char *absence(const ScriptRun *r, const Event *e, const char *when)
{
	GString *s = g_string_new(NULL);
	if (e->kind == EV_UART) {
		g_string_printf(s, "no line sent by '%s' matched %s%s", r->s->device_names[e->task],
		                e->re_text, when);
		return g_string_free(s, FALSE);
	}
	const char *who = e->task >= 0 ? tname(r, (uint32_t)e->task) : NULL;
	switch (e->kind) {
	case EV_LOG:
		if (who)
			g_string_printf(s, "no line of '%s' matched %s", who, e->re_text);
		else
			g_string_printf(s, "no task logged a line matching %s", e->re_text);
		break;
	case EV_SYSCALL:
		if (who)
			g_string_printf(s, "'%s' did not call %s", who, kernel_syscall_name(e->nr));
		else
			g_string_printf(s, "no task called %s", kernel_syscall_name(e->nr));
		break;
	case EV_EXIT:
		if (who && e->has_code && r->tasks[e->task].exited)
			g_string_printf(s, "'%s' exited with %" PRId32 ", not %" PRId32, who,
			                r->tasks[e->task].exit_code, e->code);
		else if (who)
			g_string_printf(s, "'%s' did not exit", who);
		else if (e->has_code)
			g_string_printf(s, "no task exited with %" PRId32, e->code);
		else
			g_string_printf(s, "no task exited");
		break;
	case EV_FAULT:
		g_string_printf(s, who ? "'%s' did not fault" : "no task faulted", who);
		break;
	case EV_STATE:
		g_string_printf(s, "'%s' did not become %s", who, script_state_name(e->state));
		break;
	case EV_RESPAWN:
		g_string_printf(s, who ? "'%s' did not respawn" : "no task respawned", who);
		break;
	case EV_PANIC:
	case EV_UART:
	case EV_COUNT:
		g_string_printf(s, "the kernel did not panic");
		break;
	}
	g_string_append(s, when);
	if (who != NULL) {
		g_autofree char *st = state_text(r, (uint32_t)e->task);
		g_string_append_printf(s, " (it is %s)", st);
	}
	if (e->kind == EV_LOG)
		unterminated_hint(r, e, s);
	return g_string_free(s, FALSE);
}

/* ---- observing --------------------------------------------------------------------------- */

/* The time window of a HAPPENS or NEVER expectation is open for |o|. */
static bool window_open(const Expect *e, const ExpRun *x, uint64_t now)
{
	if (e->after != NULL && !x->anchored)
		return false;
	if (x->closed)
		return false;
	return !e->has_within || now <= x->anchor_ns + e->within_ns;
}

static void window_observe(ScriptRun *r, const Step *st, ExpRun *x, const Obs *o)
{
	const Expect *e = &st->ex;
	if (window_open(e, x, o->now) && ev_match(e->ev, o)) {
		if (e->kind == EXP_HAPPENS) {
			exp_pass(r, st, o->now);
		} else {
			g_autofree char *what = obs_text(r, o);
			exp_fail(r, st, o->now, "%s", what);
		}
		return;
	}
	if (e->after != NULL && !x->anchored && ev_match(e->after, o)) {
		x->anchored = true;
		x->anchor_ns = o->now;
	} else if (e->before != NULL && !x->closed && ev_match(e->before, o)) {
		x->closed = true;
		if (e->kind == EXP_NEVER) {
			exp_pass(r, st, o->now);
		} else {
			g_autofree char *what = obs_text(r, o);
			g_autofree char *none = absence(r, e->ev, " before it");
			exp_fail(r, st, o->now, "%s happened first: %s; %s", e->before->text, what,
			         none);
		}
	}
}

static void order_observe(ScriptRun *r, const Step *st, ExpRun *x, const Obs *o)
{
	const GPtrArray *ev = st->ex.order;
	for (guint i = x->next; i < ev->len; i++) {
		const Event *e = g_ptr_array_index(ev, i);
		if (!ev_match(e, o))
			continue;
		if (i == x->next) {
			x->seen_ns[x->next++] = o->now;
			if (x->next == ev->len)
				exp_pass(r, st, o->now);
			return;
		}
		const Event *want = g_ptr_array_index(ev, x->next);
		g_autofree char *what = obs_text(r, o);
		exp_fail(r, st, o->now, "%s happened before %s: %s", e->text, want->text, what);
		return;
	}
}

static void expect_observe(ScriptRun *r, const Step *st, const Obs *o)
{
	ExpRun *x = exp_run(r, st);
	if (x->decided)
		return;
	switch (st->ex.kind) {
	case EXP_HAPPENS:
	case EXP_NEVER:
		window_observe(r, st, x, o);
		break;
	case EXP_ORDER:
		order_observe(r, st, x, o);
		break;
	case EXP_NO_FAULT:
		if (o->kind == OBS_FAULT && !o->by_script) {
			g_autofree char *what = obs_text(r, o);
			exp_fail(r, st, o->now, "%s", what);
		}
		break;
	case EXP_NO_PANIC:
	case EXP_NO_DEADLOCK:
		if (o->kind == (st->ex.kind == EXP_NO_PANIC ? OBS_PANIC : OBS_DEADLOCK)) {
			g_autofree char *what = obs_text(r, o);
			exp_fail(r, st, o->now, "%s", what);
		}
		break;
	default:
		break;
	}
}

/* Keep |o| among the last events of its task (not its text: only what outlives the call). */
static void event_add(ScriptRun *r, const Obs *o)
{
	if (o->task >= r->n || o->kind == OBS_LOG || o->kind == OBS_PANIC ||
	    o->kind == OBS_DEADLOCK || o->kind == OBS_UART)
		return;
	TaskRun *t = &r->tasks[o->task];
	t->events[t->ev_next] = (Obs){.kind = o->kind,
	                              .task = o->task,
	                              .nr = o->nr,
	                              .code = o->code,
	                              .state = o->state,
	                              .now = o->now};
	t->ev_next = (t->ev_next + 1) % SCRIPT_EVENTS;
	if (t->ev_n < SCRIPT_EVENTS)
		t->ev_n++;
}

/* Every step sees |o|, in file order. */
static void observe(ScriptRun *r, const Obs *o)
{
	if (r->finished || (r->stopped && !r->finishing))
		return;
	event_add(r, o);
	if (o->now > r->now)
		r->now = o->now;
	for (guint i = 0; i < r->s->steps->len; i++) {
		const Step *st = step_at(r, i);
		if (st->kind == STEP_WHEN) {
			StimRun *w = &r->stims[i];
			if (!w->triggered && ev_match(st->cond, o)) {
				w->triggered = true;
				w->due_ns = o->now + st->delay_ns;
			}
		} else if (st->kind == STEP_EXPECT) {
			expect_observe(r, st, o);
		}
		if (r->stopped && !r->finishing)
			return;
	}
}

/* State changes and respawns are polled: after each observation and each due call. */
static void poll_tasks(ScriptRun *r, uint64_t now)
{
	for (uint32_t i = 0; i < r->n; i++) {
		TaskRun *t = &r->tasks[i];
		uint32_t gen = kernel_task_generation(r->env.k, i);
		if (t->gen != 0 && gen != t->gen) {
			t->exited = false; /* a new job */
			Obs o = {.kind = OBS_RESPAWN, .task = i, .now = now};
			observe(r, &o);
		}
		t->gen = gen;
		int s = display_state(r, i);
		if (s != t->state) {
			t->state = s;
			Obs o = {.kind = OBS_STATE, .task = i, .state = s, .now = now};
			observe(r, &o);
		}
	}
}

static void ring_add(TaskRun *t, const char *line, size_t len)
{
	g_free(t->ring[t->ring_next]);
	t->ring[t->ring_next] = script_escape_bytes(line, len);
	t->ring_next = (t->ring_next + 1) % SCRIPT_RING;
	if (t->ring_n < SCRIPT_RING)
		t->ring_n++;
	t->lines++;
}

/* A complete line of task |id| (its newline removed). */
static void log_line(ScriptRun *r, uint32_t id, uint64_t now)
{
	TaskRun *t = &r->tasks[id];
	size_t len = t->partial->len;
	if (len > 0 && t->partial->str[len - 1] == '\r')
		len--;
	ring_add(t, t->partial->str, len);
	Obs o = {.kind = OBS_LOG, .task = id, .line = t->partial->str, .len = len, .now = now};
	observe(r, &o);
	g_string_truncate(t->partial, 0);
}

#define SCRIPT_MAX_PARTIAL 65536 /* a line longer than this is cut into several */

void script_run_log(ScriptRun *r, uint32_t task, const uint8_t *bytes, size_t len, uint64_t now_ns)
{
	if (task >= r->n || r->finished)
		return;
	TaskRun *t = &r->tasks[task];
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] == '\n') {
			log_line(r, task, now_ns);
			continue;
		}
		g_string_append_c(t->partial, (char)bytes[i]);
		if (t->partial->len >= SCRIPT_MAX_PARTIAL)
			log_line(r, task, now_ns);
	}
}

/* A complete line device |dev| sent (its newline removed). */
static void uart_line(ScriptRun *r, uint32_t dev, uint64_t now)
{
	GString *p = r->uart_partial[dev];
	size_t len = p->len;
	if (len > 0 && p->str[len - 1] == '\r')
		len--;
	Obs o = {.kind = OBS_UART, .task = dev, .line = p->str, .len = len, .now = now};
	observe(r, &o);
	g_string_truncate(p, 0);
}

void script_run_uart(ScriptRun *r, uint32_t device, const uint8_t *bytes, size_t len,
                     uint64_t now_ns)
{
	if (device >= r->s->n_devices || r->finished)
		return;
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] == '\n') {
			uart_line(r, device, now_ns);
			continue;
		}
		g_string_append_c(r->uart_partial[device], (char)bytes[i]);
		if (r->uart_partial[device]->len >= SCRIPT_MAX_PARTIAL)
			uart_line(r, device, now_ns);
	}
}

void script_run_report(ScriptRun *r, const KernelReport *rep)
{
	if (r->finished)
		return;
	Obs o = {.task = rep->task, .text = rep->text, .now = rep->time_ns};
	switch (rep->kind) {
	case KREPORT_FAULT:
		if (rep->task >= r->n)
			return;
		o.kind = OBS_FAULT;
		o.by_script = r->tasks[rep->task].killing;
		r->tasks[rep->task].killing = false;
		if (!o.by_script && !r->tasks[rep->task].fault)
			r->tasks[rep->task].fault = obs_text(r, &o);
		break;
	case KREPORT_PANIC:
		o.kind = OBS_PANIC;
		break;
	case KREPORT_DEADLOCK:
		o.kind = OBS_DEADLOCK;
		break;
	default:
		return;
	}
	observe(r, &o);
	poll_tasks(r, rep->time_ns);
}

void script_run_syscall(ScriptRun *r, uint32_t task, uint32_t nr, const uint32_t args[3],
                        uint64_t now_ns)
{
	if (task >= r->n || r->finished)
		return;
	Obs o = {.kind = OBS_SYSCALL, .task = task, .nr = nr, .now = now_ns};
	if (nr == SYSCALL_EXIT) {
		o.code = (int32_t)args[0];
		r->tasks[task].exited = true;
		r->tasks[task].exit_code = o.code;
	}
	observe(r, &o);
	poll_tasks(r, now_ns);
}

gboolean script_run_intercept(ScriptRun *r, uint32_t task, uint32_t nr, uint32_t *status)
{
	if (r->stopped || r->finished || task >= r->n)
		return FALSE;
	GArray *in = r->injections;
	for (guint i = 0; i < in->len; i++) {
		Injection *j = &g_array_index(in, Injection, i);
		if (j->task != task || j->nr != nr)
			continue;
		*status = j->status;
		if (!j->always && --j->left == 0)
			g_array_remove_index(in, i);
		Obs o = {
		    .kind = OBS_SYSCALL, .task = task, .nr = nr, .now = kernel_now_ns(r->env.k)};
		observe(r, &o);
		return TRUE;
	}
	return FALSE;
}

/* ---- stimuli ----------------------------------------------------------------------------- */

static void arm(ScriptRun *r, const Action *a)
{
	GArray *in = r->injections;
	for (guint i = 0; i < in->len; i++) {
		const Injection *j = &g_array_index(in, Injection, i);
		if (j->task == a->task && j->nr == a->nr) {
			g_array_remove_index(in, i); /* the latest injection replaces it */
			break;
		}
	}
	Injection j = {.task = a->task,
	               .nr = a->nr,
	               .status = a->status,
	               .left = a->count,
	               .always = a->count == 0};
	g_array_prepend_val(in, j);
}

/* Apply |a|; NULL, or why it could not be (an error of the script, found while running). */
static char *apply_action(ScriptRun *r, const Step *st, const Action *a)
{
	Kernel *k = r->env.k;
	const char *why = NULL;
	g_autofree char *reason =
	    g_strdup_printf("by the script (%s:%d: %s)", r->s->path, st->line, st->key);
	switch (a->kind) {
	case ACT_IRQ:
		if (!kernel_inject_irq(k, a->irq))
			why = kernel_panicked(k) ? "the kernel has panicked"
			                         : "no device of the kernel's list declares it";
		break;
	case ACT_GPIO:
		if (a->level == GPIO_RELEASE)
			kernel_gpio_release(k, a->port, a->pin);
		else
			kernel_gpio_drive(k, a->port, a->pin, a->level == GPIO_HIGH);
		break;
	case ACT_WRITE: {
		uint32_t v = a->value;
		if (r->env.reg && r->env.reg(r->env.data, a->addr, TRUE, &v))
			break; /* a device model holds it */
		uint8_t *p = r->env.memory ? r->env.memory(r->env.data, a->addr, 4) : NULL;
		if (p == NULL)
			why = "the board memory does not back this address";
		else
			memcpy(p, &a->value, 4); /* native order, as the task reads it */
		break;
	}
	case ACT_DMA:
		if (r->env.dma_feed == NULL) {
			why = "this run has no device model for DMA streams";
			break;
		}
		r->env.dma_feed(r->env.data, a->stream, g_bytes_get_data(a->bytes, NULL),
		                g_bytes_get_size(a->bytes));
		break;
	case ACT_SIGNAL:
		switch (kernel_signal_from_kernel(k, a->task, a->sig)) {
		case STATUS_OK:
			break;
		case STATUS_BUSY:
			return g_strdup_printf(
			    "the kernel's previous signal to '%s' is still unread "
			    "(one pending signal per sender, uapi.md 4.11)",
			    tname(r, a->task));
		default:
			why = "the kernel has panicked";
			break;
		}
		break;
	case ACT_START:
		why = kernel_start_task(k, a->task);
		if (why != NULL)
			return g_strdup_printf("'%s' cannot be started: %s (it is %s)",
			                       tname(r, a->task), why,
			                       script_state_name(display_state(r, a->task)));
		break;
	case ACT_KILL: {
		g_autofree char *killed = g_strdup_printf("killed %s", reason);
		r->tasks[a->task].killing = true;
		why = kernel_kill_task(k, a->task, killed);
		r->tasks[a->task].killing = false;
		if (why != NULL)
			return g_strdup_printf("'%s' cannot be killed: %s", tname(r, a->task), why);
		if (r->env.kill_task != NULL)
			r->env.kill_task(r->env.data, a->task, killed);
		break;
	}
	case ACT_RESTART: {
		g_autofree char *restarted = g_strdup_printf("restarted %s", reason);
		why = kernel_restart_task(k, a->task, restarted);
		break;
	}
	case ACT_INJECT:
		arm(r, a);
		break;
	case ACT_UART:
		why = r->env.uart_rx
		          ? r->env.uart_rx(r->env.data, a->device, g_bytes_get_data(a->bytes, NULL),
		                           g_bytes_get_size(a->bytes))
		          : "this run has no device models";
		break;
	case ACT_COUNT:
		break;
	}
	return why != NULL ? g_strdup(why) : NULL;
}

static void apply_step(ScriptRun *r, guint i)
{
	const Step *st = step_at(r, i);
	for (guint j = 0; j < st->actions->len && !r->stopped; j++) {
		const Action *a = g_ptr_array_index(st->actions, j);
		g_autofree char *why = apply_action(r, st, a);
		if (why != NULL)
			script_error(r, st, a->text, why);
		else if (r->env.applied)
			r->env.applied(r->env.data, r->now, a->text);
		poll_tasks(r, r->now);
	}
}

/* The first stimulus due at |now| (time order, then file order), or -1. */
static int next_due(const ScriptRun *r, uint64_t now)
{
	int best = -1;
	uint64_t best_t = UINT64_MAX;
	for (guint i = 0; i < r->s->steps->len; i++) {
		const Step *st = step_at(r, i);
		const StimRun *w = &r->stims[i];
		uint64_t t;
		if (st->kind == STEP_AT && !w->done)
			t = st->at_ns;
		else if (st->kind == STEP_WHEN && w->triggered && !w->done)
			t = w->due_ns;
		else
			continue;
		if (t <= now && t < best_t) {
			best = (int)i;
			best_t = t;
		}
	}
	return best;
}

/* ---- timed expectations ------------------------------------------------------------------ */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* " by 1s", or " within 50ms after log(a, /x/) (at 10ms)". */
static char *deadline_text(const Expect *e, const ExpRun *x)
{
	g_autofree char *end = script_fmt_ns(sat_add(x->anchor_ns, e->within_ns));
	if (e->after == NULL)
		return g_strdup_printf(" by %s", end);
	g_autofree char *w = script_fmt_ns(e->within_ns), *a = script_fmt_ns(x->anchor_ns);
	return g_strdup_printf(" within %s after %s (at %s), by %s", w, e->after->text, a, end);
}

static void check_gpio(ScriptRun *r, const Step *st, uint64_t now, const char *when)
{
	const Expect *e = &st->ex;
	bool level = false;
	if (!kernel_gpio_level(r->env.k, e->port, e->pin, &level)) {
		exp_fail(r, st, now, "pin %u:%u is not modelled by the kernel", e->port, e->pin);
		return;
	}
	if (level == e->level)
		exp_pass(r, st, now);
	else
		exp_fail(r, st, now, "pin %u:%u is %s %s", e->port, e->pin, level ? "high" : "low",
		         when);
}

static void check_reg(ScriptRun *r, const Step *st, uint64_t now, const char *when)
{
	const Expect *e = &st->ex;
	uint32_t v = 0;
	if (!r->env.reg || !r->env.reg(r->env.data, e->addr, FALSE, &v)) {
		uint8_t *p = r->env.memory ? r->env.memory(r->env.data, e->addr, 4) : NULL;
		if (p == NULL) {
			exp_fail(r, st, now, "the board memory does not back %s (0x%08" PRIx64 ")",
			         e->where, e->addr);
			return;
		}
		memcpy(&v, p, 4);
	}
	if (((v & e->mask) == e->value) != e->ne) {
		exp_pass(r, st, now);
		return;
	}
	if (e->mask != 0xffffffffu)
		exp_fail(r, st, now,
		         "%s (0x%08" PRIx64 ") holds 0x%08" PRIx32 ", 0x%08" PRIx32
		         " under mask 0x%08" PRIx32 ", %s",
		         e->where, e->addr, v, v & e->mask, e->mask, when);
	else
		exp_fail(r, st, now, "%s (0x%08" PRIx64 ") holds 0x%08" PRIx32 " %s", e->where,
		         e->addr, v, when);
}

/* Deadlines that passed before |now|, and checks timed at or before it. */
static void check_times(ScriptRun *r, uint64_t now, bool checks)
{
	for (guint i = 0; i < r->s->expects->len && !r->stopped; i++) {
		const Step *st = g_ptr_array_index(r->s->expects, i);
		const Expect *e = &st->ex;
		ExpRun *x = exp_run(r, st);
		if (x->decided)
			continue;
		switch (e->kind) {
		case EXP_HAPPENS:
		case EXP_NEVER:
			if (!e->has_within || (e->after != NULL && !x->anchored) ||
			    now <= sat_add(x->anchor_ns, e->within_ns))
				break;
			if (e->kind == EXP_NEVER) {
				exp_pass(r, st, now);
			} else {
				g_autofree char *by = deadline_text(e, x);
				g_autofree char *none = absence(r, e->ev, by);
				exp_fail(r, st, now, "%s", none);
			}
			break;
		case EXP_FINISH:
			if (now > e->finish_ns) {
				g_autofree char *t = script_fmt_ns(e->finish_ns);
				exp_fail(r, st, now, "the run was still going at %s", t);
			}
			break;
		case EXP_GPIO:
		case EXP_REG:
			if (checks && e->has_at && e->at_ns <= now) {
				g_autofree char *t = script_fmt_ns(now);
				g_autofree char *when = g_strdup_printf("at %s", t);
				if (e->kind == EXP_GPIO)
					check_gpio(r, st, now, when);
				else
					check_reg(r, st, now, when);
			}
			break;
		default:
			break;
		}
	}
}

/* ---- the run ----------------------------------------------------------------------------- */

ScriptRun *script_run_new(const Script *s, const ScriptEnv *env)
{
	ScriptRun *r = g_new0(ScriptRun, 1);
	r->s = s;
	r->env = *env;
	r->n = kernel_task_count(env->k);
	if (r->n > s->n_tasks)
		r->n = s->n_tasks;
	r->tasks = g_new0(TaskRun, r->n);
	for (uint32_t i = 0; i < r->n; i++) {
		r->tasks[i].partial = g_string_new(NULL);
		r->tasks[i].gen = kernel_task_generation(env->k, i);
		r->tasks[i].state = display_state(r, i);
	}
	r->uart_partial = g_new0(GString *, s->n_devices);
	for (guint i = 0; i < s->n_devices; i++)
		r->uart_partial[i] = g_string_new(NULL);
	r->stims = g_new0(StimRun, s->steps->len);
	r->exps = g_new0(ExpRun, s->expects->len);
	for (guint i = 0; i < s->expects->len; i++) {
		const Step *st = g_ptr_array_index(s->expects, i);
		if (st->ex.kind == EXP_ORDER)
			r->exps[i].seen_ns = g_new0(uint64_t, st->ex.order->len);
	}
	r->injections = g_array_new(FALSE, FALSE, sizeof(Injection));
	r->first_fail = -1;
	for (guint i = 0; i < s->steps->len; i++) {
		const Step *st = step_at(r, i);
		if (st->kind == STEP_INJECT)
			arm(r, g_ptr_array_index(st->actions, 0));
	}
	return r;
}

void script_run_free(ScriptRun *r)
{
	if (r == NULL)
		return;
	for (uint32_t i = 0; i < r->n; i++) {
		g_string_free(r->tasks[i].partial, TRUE);
		g_free(r->tasks[i].fault);
		for (guint j = 0; j < SCRIPT_RING; j++)
			g_free(r->tasks[i].ring[j]);
	}
	g_free(r->tasks);
	for (guint i = 0; i < r->s->n_devices; i++)
		g_string_free(r->uart_partial[i], TRUE);
	g_free(r->uart_partial);
	for (guint i = 0; i < r->s->expects->len; i++) {
		g_free(r->exps[i].observed);
		g_free(r->exps[i].seen_ns);
	}
	g_free(r->exps);
	g_free(r->stims);
	g_array_unref(r->injections);
	g_free(r->error_text);
	g_free(r);
}

uint64_t script_run_next_stimulus_ns(const ScriptRun *r)
{
	uint64_t best = UINT64_MAX;
	if (r->stopped || r->finished)
		return best;
	for (guint i = 0; i < r->s->steps->len; i++) {
		const Step *st = step_at(r, i);
		const StimRun *w = &r->stims[i];
		if (st->kind == STEP_AT && !w->done)
			best = MIN(best, st->at_ns);
		else if (st->kind == STEP_WHEN && w->triggered && !w->done)
			best = MIN(best, w->due_ns);
	}
	return best;
}

uint64_t script_run_next_ns(const ScriptRun *r)
{
	uint64_t best = script_run_next_stimulus_ns(r);
	if (r->stopped || r->finished)
		return best;
	for (guint i = 0; i < r->s->expects->len; i++) {
		const Step *st = g_ptr_array_index(r->s->expects, i);
		const Expect *e = &st->ex;
		const ExpRun *x = &r->exps[i];
		if (x->decided)
			continue;
		if (e->kind == EXP_HAPPENS && e->has_within && (e->after == NULL || x->anchored))
			best = MIN(best, sat_add(sat_add(x->anchor_ns, e->within_ns), 1));
		else if ((e->kind == EXP_GPIO || e->kind == EXP_REG) && e->has_at)
			best = MIN(best, e->at_ns);
		else if (e->kind == EXP_FINISH)
			best = MIN(best, sat_add(e->finish_ns, 1));
	}
	return best;
}

void script_run_due(ScriptRun *r, uint64_t now_ns)
{
	if (r->stopped || r->finished)
		return;
	if (now_ns > r->now)
		r->now = now_ns;
	poll_tasks(r, r->now);
	check_times(r, r->now, false);
	for (;;) {
		if (r->stopped)
			return;
		int i = next_due(r, r->now);
		if (i < 0)
			break;
		r->stims[i].done = true;
		apply_step(r, (guint)i);
	}
	check_times(r, r->now, true);
}

gboolean script_run_failed(const ScriptRun *r)
{
	return r->stopped;
}

gboolean script_run_error(const ScriptRun *r)
{
	return r->error;
}

/* ---- the end ----------------------------------------------------------------------------- */

static char *end_text(const ScriptRun *r)
{
	g_autofree char *t = script_fmt_ns(r->end_ns);
	switch (r->end) {
	case SCRIPT_END_DONE:
		return g_strdup_printf("every task ended, at %s", t);
	case SCRIPT_END_DEADLOCK:
		return g_strdup_printf("deadlock at %s: no task can run and nothing can wake one",
		                       t);
	case SCRIPT_END_PANIC:
		return g_strdup_printf("kernel panic at %s", t);
	case SCRIPT_END_TIME_LIMIT:
		return g_strdup_printf("time limit reached at %s", t);
	case SCRIPT_END_STOPPED:
		return g_strdup_printf("stopped at %s by this %s", t,
		                       r->error ? "error" : "failure");
	case SCRIPT_END_INTERRUPTED:
		return g_strdup_printf("interrupted at %s", t);
	}
	return g_strdup("?");
}

/* Decide what is still undecided at the end of a run that went to its end. */
static void final_check(ScriptRun *r, const Step *st)
{
	const Expect *e = &st->ex;
	ExpRun *x = exp_run(r, st);
	uint64_t now = r->end_ns;
	switch (e->kind) {
	case EXP_HAPPENS:
		if (e->after != NULL && !x->anchored) {
			exp_fail(r, st, now, "%s never happened, so the time after it never came",
			         e->after->text);
		} else {
			g_autofree char *none = absence(r, e->ev, "");
			exp_fail(r, st, now, "%s", none);
		}
		break;
	case EXP_ORDER: {
		const Event *want = g_ptr_array_index(e->order, x->next);
		if (x->next == 0) {
			g_autofree char *none = absence(r, want, "");
			exp_fail(r, st, now, "%s", none);
		} else {
			const Event *prev = g_ptr_array_index(e->order, x->next - 1);
			g_autofree char *t = script_fmt_ns(x->seen_ns[x->next - 1]);
			g_autofree char *none = absence(r, want, "");
			exp_fail(r, st, now, "%s happened at %s, then %s", prev->text, t, none);
		}
		break;
	}
	case EXP_STATE: {
		uint32_t id = (uint32_t)e->task;
		int s = display_state(r, id);
		int32_t code = kernel_task_exit_code(r->env.k, id);
		if (s == e->state && (!e->has_exit || code == e->exit_code)) {
			exp_pass(r, st, now);
		} else {
			g_autofree char *cur = state_text(r, id);
			if (e->has_exit && s == e->state && s != JOB_FINISHED && s != JOB_ABORTING)
				exp_fail(r, st, now, "'%s' is %s, exit code %" PRId32, tname(r, id),
				         cur, code);
			else
				exp_fail(r, st, now, "'%s' is %s", tname(r, id), cur);
		}
		break;
	}
	case EXP_GPIO:
	case EXP_REG: {
		g_autofree char *t = script_fmt_ns(now);
		g_autofree char *when = g_strdup_printf("at the end of the run, %s", t);
		if (e->kind == EXP_GPIO)
			check_gpio(r, st, now, when);
		else
			check_reg(r, st, now, when);
		break;
	}
	case EXP_NO_PANIC:
		if (kernel_panicked(r->env.k) || r->end == SCRIPT_END_PANIC)
			exp_fail(r, st, now, "the kernel panicked");
		else
			exp_pass(r, st, now);
		break;
	case EXP_NO_DEADLOCK:
		if (r->end == SCRIPT_END_DEADLOCK) {
			g_autofree char *t = script_fmt_ns(now);
			exp_fail(r, st, now, "the run ended in a deadlock at %s", t);
		} else {
			exp_pass(r, st, now);
		}
		break;
	case EXP_FINISH:
		if (r->end == SCRIPT_END_DONE && now <= e->finish_ns) {
			exp_pass(r, st, now);
		} else {
			g_autofree char *how = end_text(r);
			exp_fail(r, st, now, "the run ended with %s", how);
		}
		break;
	case EXP_NEVER:
	case EXP_NO_FAULT:
		exp_pass(r, st, now);
		break;
	}
}

static void append_expectation(GString *out, const ScriptRun *r, const Step *st)
{
	const ExpRun *x = &r->exps[st->expect_index];
	g_string_append_printf(out, "  expected: %s\n", st->text);
	if (x->v == SCRIPT_VERDICT_FAILED)
		g_string_append_printf(out, "  observed: %s\n", x->observed);
}

static void append_last_lines(GString *out, const ScriptRun *r)
{
	g_string_append(out, "last lines of each task:\n");
	for (uint32_t i = 0; i < r->n; i++) {
		const TaskRun *t = &r->tasks[i];
		g_autofree char *st = state_text(r, i);
		if (t->lines == 0) {
			g_string_append_printf(out, "  %s (%s): no output\n", tname(r, i), st);
			continue;
		}
		if (t->lines > t->ring_n)
			g_string_append_printf(out, "  %s (%s), last %u of %" PRIu64 " lines:\n",
			                       tname(r, i), st, t->ring_n, t->lines);
		else
			g_string_append_printf(out, "  %s (%s):\n", tname(r, i), st);
		for (guint j = 0; j < t->ring_n; j++) {
			guint k = (t->ring_next + SCRIPT_RING - t->ring_n + j) % SCRIPT_RING;
			g_string_append_printf(out, "    %s\n", t->ring[k]);
		}
	}
}

/* What each task last did before the end (system calls, states, faults, respawns), so that
 * a failure can be placed among the tasks' moves and not only their output. */
void script_run_last_events(const ScriptRun *r, GString *out)
{
	g_string_append(out, "last events of each task:\n");
	for (uint32_t i = 0; i < r->n; i++) {
		const TaskRun *t = &r->tasks[i];
		if (t->ev_n == 0) {
			g_string_append_printf(out, "  %s: none\n", tname(r, i));
			continue;
		}
		g_string_append_printf(out, "  %s:\n", tname(r, i));
		for (guint j = 0; j < t->ev_n; j++) {
			const Obs *o =
			    &t->events[(t->ev_next + SCRIPT_EVENTS - t->ev_n + j) % SCRIPT_EVENTS];
			g_autofree char *text = NULL;
			if (o->kind == OBS_FAULT) {
				g_autofree char *at = script_fmt_ns(o->now);
				text = g_strdup_printf("'%s' faulted at %s", tname(r, i), at);
			} else {
				text = obs_text(r, o);
			}
			g_string_append_printf(out, "    %s\n", text);
		}
	}
}

static bool ev_names_fault(const Event *e, uint32_t task)
{
	return e && e->kind == EV_FAULT && (e->task < 0 || (uint32_t)e->task == task);
}

/* Whether the script anticipates a fault of |task|: an expectation or a condition names
 * fault(TASK) (or fault(*)), or an expectation wants it in state FAULT. 'never fault(x)'
 * and no-fault do not: they say it must not fault. */
static bool script_expects_fault(const Script *s, uint32_t task)
{
	for (guint i = 0; i < s->steps->len; i++) {
		const Step *st = g_ptr_array_index(s->steps, i);
		if (st->kind == STEP_WHEN && ev_names_fault(st->cond, task))
			return true;
		if (st->kind != STEP_EXPECT)
			continue;
		const Expect *x = &st->ex;
		if ((x->kind == EXP_HAPPENS && ev_names_fault(x->ev, task)) ||
		    ((x->kind == EXP_HAPPENS || x->kind == EXP_NEVER) &&
		     (ev_names_fault(x->after, task) || ev_names_fault(x->before, task))) ||
		    (x->kind == EXP_STATE && x->state == JOB_FAULT && (uint32_t)x->task == task))
			return true;
		for (guint j = 0; x->kind == EXP_ORDER && j < x->order->len; j++)
			if (ev_names_fault(g_ptr_array_index(x->order, j), task))
				return true;
	}
	return false;
}

/* The first task that faulted although the script does not expect it, or -1. */
static int unexpected_fault(const ScriptRun *r)
{
	for (uint32_t i = 0; i < r->n; i++)
		if (r->tasks[i].fault && !script_expects_fault(r->s, i))
			return (int)i;
	return -1;
}

gboolean script_run_finish(ScriptRun *r, ScriptEnd end, GString *diagnosis)
{
	g_return_val_if_fail(!r->finished, FALSE);
	r->finishing = true;
	r->end = end;
	r->end_ns = MAX(r->now, kernel_now_ns(r->env.k));
	for (uint32_t i = 0; i < r->n; i++)
		if (r->tasks[i].partial->len > 0)
			log_line(r, i, r->end_ns); /* a last line without its newline */
	for (guint i = 0; i < r->s->n_devices; i++)
		if (r->uart_partial[i]->len > 0)
			uart_line(r, i, r->end_ns);
	poll_tasks(r, r->end_ns);

	bool evaluate = end != SCRIPT_END_STOPPED && end != SCRIPT_END_INTERRUPTED;
	int not_evaluated = -1;
	for (guint i = 0; i < r->s->expects->len; i++) {
		const Step *st = g_ptr_array_index(r->s->expects, i);
		ExpRun *x = &r->exps[i];
		if (x->decided)
			continue;
		if (evaluate) {
			final_check(r, st);
		} else {
			x->v = SCRIPT_VERDICT_NOT_EVALUATED;
			if (not_evaluated < 0)
				not_evaluated = (int)i;
		}
	}
	r->finished = true;

	/* a fault fails the run unless the script expects it */
	int faulted = evaluate ? unexpected_fault(r) : -1;
	gboolean ok = !r->error && r->first_fail < 0 && not_evaluated < 0 && faulted < 0;
	if (ok || diagnosis == NULL)
		return ok;
	g_autofree char *how = end_text(r);
	if (r->error) {
		g_string_append_printf(diagnosis, "%s\n  run: %s\n", r->error_text, how);
	} else if (r->first_fail < 0 && not_evaluated < 0) {
		const char *who = tname(r, (uint32_t)faulted);
		g_string_append_printf(diagnosis,
		                       "%s: '%s' faulted, and no expectation of the script expects "
		                       "it (to expect it: expect.NAME = fault(%s))\n"
		                       "  observed: %s\n  run: %s\n",
		                       r->s->path, who, who, r->tasks[faulted].fault, how);
	} else {
		int i = r->first_fail >= 0 ? r->first_fail : not_evaluated;
		const Step *st = g_ptr_array_index(r->s->expects, i);
		const ExpRun *x = &r->exps[i];
		if (x->v == SCRIPT_VERDICT_FAILED) {
			g_autofree char *t = script_fmt_ns(x->at_ns);
			g_string_append_printf(diagnosis, "%s:%d: %s failed at %s\n", r->s->path,
			                       st->line, st->key, t);
		} else {
			g_string_append_printf(diagnosis, "%s:%d: %s was not evaluated\n",
			                       r->s->path, st->line, st->key);
		}
		append_expectation(diagnosis, r, st);
		g_string_append_printf(diagnosis, "  run: %s\n", how);
	}
	append_last_lines(diagnosis, r);
	return FALSE;
}

ScriptVerdict script_run_verdict(const ScriptRun *r, guint i, GString *detail)
{
	g_return_val_if_fail(i < r->s->expects->len, SCRIPT_VERDICT_NOT_EVALUATED);
	const ExpRun *x = &r->exps[i];
	ScriptVerdict v = x->decided ? x->v : SCRIPT_VERDICT_NOT_EVALUATED;
	if (v == SCRIPT_VERDICT_FAILED && detail != NULL) {
		const Step *st = g_ptr_array_index(r->s->expects, i);
		g_string_append_printf(detail, "expected: %s\nobserved: %s", st->text, x->observed);
	}
	return v;
}

/* One result per expectation, for reports that show each (sentry-sim test). */
GArray *script_run_results(const ScriptRun *r)
{
	g_return_val_if_fail(r->finished, NULL);
	GArray *out = g_array_sized_new(FALSE, TRUE, sizeof(ScriptResult), r->s->expects->len);
	for (guint i = 0; i < r->s->expects->len; i++) {
		const Step *st = g_ptr_array_index(r->s->expects, i);
		const ExpRun *x = &r->exps[i];
		ScriptResult res = {
		    .name = st->key,
		    .line = st->line,
		    .verdict = x->decided ? x->v : SCRIPT_VERDICT_NOT_EVALUATED,
		    .expected = st->text,
		    .observed = x->decided && x->v == SCRIPT_VERDICT_FAILED ? x->observed : NULL,
		    .at_ns = x->decided ? x->at_ns : r->end_ns,
		};
		g_array_append_val(out, res);
	}
	return out;
}

const char *script_run_error_text(const ScriptRun *r)
{
	return r->error ? r->error_text : NULL;
}

char *script_run_end_text(const ScriptRun *r)
{
	return end_text(r);
}
