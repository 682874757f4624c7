/*
 * script_parse.c: the language of a scenario's [script] group (see script.h and
 * docs/scenarios.md): steps parsed and checked at load. The engine that runs them is
 * script_engine.c; the parsed form both share is script_priv.h.
 *
 * One key is one step. The key says what kind of step it is and when (at.10ms, when.NAME,
 * inject.NAME, expect.NAME); the value says what, in words: an action (irq 37), a condition
 * and actions (log(worker, /ready/) -> signal worker USR1), or an expectation
 * (log(server, /served/) within 1s). Values are read as written, GKeyFile escapes not
 * decoded, so that regular expressions keep their backslashes. Everything a step names (tasks,
 * system calls, signals, states, pins, IRQs, registers, DMA streams) is checked against the
 * description at load, with the step's line and a did-you-mean hint.
 */
#include "config.h"

#define LIBBSD_OPENBSD_VIS 1
#include <bsd/vis.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <uapi/types.h>

#include "sim/scenario/script.h"
#include "sim/scenario/script_priv.h"

static void event_free(Event *e)
{
	if (e == NULL)
		return;
	if (e->re != NULL)
		g_regex_unref(e->re);
	g_free(e->re_text);
	g_free(e->text);
	g_free(e);
}

static void action_free(gpointer p)
{
	Action *a = p;
	if (a->bytes != NULL)
		g_bytes_unref(a->bytes);
	g_free(a->text);
	g_free(a);
}

static void step_free(gpointer p)
{
	Step *st = p;
	g_free(st->key);
	g_free(st->text);
	event_free(st->cond);
	if (st->actions != NULL)
		g_ptr_array_unref(st->actions);
	event_free(st->ex.ev);
	event_free(st->ex.after);
	event_free(st->ex.before);
	if (st->ex.order != NULL)
		g_ptr_array_unref(st->ex.order);
	g_free(st->ex.where);
	g_free(st);
}

void script_free(Script *s)
{
	if (s == NULL)
		return;
	g_ptr_array_unref(s->expects);
	g_ptr_array_unref(s->steps);
	g_strfreev(s->task_names);
	g_strfreev(s->device_names);
	g_free(s->path);
	g_free(s);
}

gboolean script_is_empty(const Script *s)
{
	return s->steps->len == 0;
}

guint script_expect_count(const Script *s)
{
	return s->expects->len;
}

static const Step *expect_step(const Script *s, guint i)
{
	g_return_val_if_fail(i < s->expects->len, NULL);
	return g_ptr_array_index(s->expects, i);
}

const char *script_expect_name(const Script *s, guint i)
{
	return expect_step(s, i)->key;
}

int script_expect_line(const Script *s, guint i)
{
	return expect_step(s, i)->line;
}

/* ---- events ------------------------------------------------------------------------------ */

typedef gboolean (*EventArgsFn)(Parser *P, Event *e);

static const char *task_text(const Parser *P, int task)
{
	return task < 0 ? "*" : P->d->tasks[task].name;
}

/* "/regex/flags" after |what| ("log("), compiled now so that a bad one fails the load. */
static gboolean parse_regex(Parser *P, Event *e, const char *what)
{
	Token *t = sp_peek(P);
	if (t->kind != TOK_REGEX)
		return sp_perr(P, INI_ERROR_SYNTAX,
		               "expected a regular expression /.../ in '%s', got %s", what,
		               t->shown);
	sp_take(P);
	GRegexCompileFlags flags = G_REGEX_RAW;
	for (const char *f = t->flags; *f != '\0'; f++) {
		if (*f != 'i')
			return sp_perr(
			    P, INI_ERROR_VALUE,
			    "unknown flag '%c' after /%s/ (only 'i', ignore case, is known)", *f,
			    t->text);
		flags |= G_REGEX_CASELESS;
	}
	g_autoptr(GError) ge = NULL;
	e->re = g_regex_new(t->text, flags, 0, &ge);
	if (e->re == NULL) {
		g_autofree char *msg = g_strdup(ge->message);
		size_t n = strlen(msg);
		if (n > 0 && msg[n - 1] == '.')
			msg[n - 1] = '\0';
		return sp_perr(P, INI_ERROR_VALUE, "invalid regular expression /%s/: %s", t->text,
		               msg);
	}
	e->re_text = g_strdup_printf("/%s/%s", t->text, t->flags);
	return TRUE;
}

/* log(TASK, /regex/flags) */
static gboolean ev_log(Parser *P, Event *e)
{
	if (!sp_parse_task(P, true, &e->task) ||
	    !sp_want_punct(P, ",", "after the task of 'log('") || !parse_regex(P, e, "log("))
		return FALSE;
	e->text = g_strdup_printf("log(%s, %s)", task_text(P, e->task), e->re_text);
	return TRUE;
}

/* uart(DEVICE, /regex/flags): a line the device's model sent */
static gboolean ev_uart(Parser *P, Event *e)
{
	uint32_t dev = 0;
	if (!sp_parse_uart(P, &dev) || !sp_want_punct(P, ",", "after the device of 'uart('") ||
	    !parse_regex(P, e, "uart("))
		return FALSE;
	e->task = (int)dev;
	e->text = g_strdup_printf("uart(%s, %s)", P->d->board.devices[dev].name, e->re_text);
	return TRUE;
}

static gboolean ev_syscall(Parser *P, Event *e)
{
	if (!sp_parse_task(P, true, &e->task) ||
	    !sp_want_punct(P, ",", "after the task of 'syscall('") || !sp_parse_syscall(P, &e->nr))
		return FALSE;
	e->text =
	    g_strdup_printf("syscall(%s, %s)", task_text(P, e->task), kernel_syscall_name(e->nr));
	return TRUE;
}

static gboolean ev_exit(Parser *P, Event *e)
{
	if (!sp_parse_task(P, true, &e->task))
		return FALSE;
	if (sp_at_punct(P, ",")) {
		sp_take(P);
		if (!sp_parse_code(P, &e->code))
			return FALSE;
		e->has_code = true;
		e->text = g_strdup_printf("exit(%s, %" PRId32 ")", task_text(P, e->task), e->code);
	} else {
		e->text = g_strdup_printf("exit(%s)", task_text(P, e->task));
	}
	return TRUE;
}

static gboolean ev_fault(Parser *P, Event *e)
{
	if (!sp_parse_task(P, true, &e->task))
		return FALSE;
	e->text = g_strdup_printf("fault(%s)", task_text(P, e->task));
	return TRUE;
}

static gboolean ev_state(Parser *P, Event *e)
{
	uint32_t s = 0;
	if (!sp_parse_task(P, false, &e->task) ||
	    !sp_want_punct(P, ",", "after the task of 'state('") ||
	    !sp_parse_name(P, script_state_names, "JOB_STATE_", "job state", &s))
		return FALSE;
	e->state = (int)s;
	e->text =
	    g_strdup_printf("state(%s, %s)", task_text(P, e->task), script_state_name(e->state));
	return TRUE;
}

static gboolean ev_respawn(Parser *P, Event *e)
{
	if (!sp_parse_task(P, true, &e->task))
		return FALSE;
	e->text = g_strdup_printf("respawn(%s)", task_text(P, e->task));
	return TRUE;
}

static gboolean ev_panic(Parser *P, Event *e)
{
	e->task = -1;
	e->text = g_strdup("panic()");
	return TRUE;
}

static const struct {
	const char *name;
	EventArgsFn args;
} event_kinds[EV_COUNT] = {
    [EV_LOG] = {.name = "log", .args = ev_log},
    [EV_SYSCALL] = {.name = "syscall", .args = ev_syscall},
    [EV_EXIT] = {.name = "exit", .args = ev_exit},
    [EV_FAULT] = {.name = "fault", .args = ev_fault},
    [EV_STATE] = {.name = "state", .args = ev_state},
    [EV_RESPAWN] = {.name = "respawn", .args = ev_respawn},
    [EV_PANIC] = {.name = "panic", .args = ev_panic},
    [EV_UART] = {.name = "uart", .args = ev_uart},
};

static const char *const event_names[] = {"log",     "syscall", "exit", "fault", "state",
                                          "respawn", "panic",   "uart", NULL};

/* Whether the next tokens start an event: a word and '('. */
static gboolean at_event(Parser *P)
{
	return sp_peek(P)->kind == TOK_WORD && sp_tok_is(sp_peek2(P), TOK_PUNCT, "(");
}

/* "NAME(ARGS)". |what| names the place for messages ("a condition"). */
static Event *parse_event(Parser *P, const char *what)
{
	if (!at_event(P)) {
		sp_perr(P, INI_ERROR_SYNTAX,
		        "expected %s: an event such as log(TASK, /regex/), got %s", what,
		        sp_peek(P)->shown);
		return NULL;
	}
	Token *t = sp_take(P);
	sp_take(P); /* ( */
	for (int k = 0; k < EV_COUNT; k++) {
		if (strcmp(t->text, event_kinds[k].name) != 0)
			continue;
		Event *e = g_new0(Event, 1);
		e->kind = (EventKind)k;
		g_autofree char *context = g_strdup_printf("to close '%s('", t->text);
		if (!event_kinds[k].args(P, e) || !sp_want_punct(P, ")", context)) {
			event_free(e);
			return NULL;
		}
		return e;
	}
	g_autofree char *hint = ini_hint(t->text, event_names);
	sp_perr(P, INI_ERROR_UNKNOWN, "unknown event '%s('%s", t->text, hint);
	return NULL;
}

/* ---- actions ----------------------------------------------------------------------------- */

typedef gboolean (*ActionParseFn)(Parser *P, Action *a);

static gboolean act_irq(Parser *P, Action *a)
{
	return sp_parse_irq(P, &a->irq);
}

static gboolean act_gpio(Parser *P, Action *a)
{
	if (!sp_parse_pin(P, &a->port, &a->pin))
		return FALSE;
	Token *t = sp_want_word(P, "high, low or release after the pin");
	if (t == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(t->text, "high") == 0 || strcmp(t->text, "1") == 0)
		a->level = GPIO_HIGH;
	else if (g_ascii_strcasecmp(t->text, "low") == 0 || strcmp(t->text, "0") == 0)
		a->level = GPIO_LOW;
	else if (g_ascii_strcasecmp(t->text, "release") == 0)
		a->level = GPIO_RELEASE;
	else
		return sp_perr(P, INI_ERROR_VALUE,
		               "a pin is driven high, low or release (got '%s')", t->text);
	return TRUE;
}

static gboolean act_write(Parser *P, Action *a)
{
	g_autofree char *where = NULL;
	return sp_parse_register(P, &a->addr, &where) &&
	       sp_parse_u32(P, "register value", &a->value);
}

/* dma STREAM "bytes": only a stream whose source is a device takes bytes from the script. */
static gboolean act_dma(Parser *P, Action *a)
{
	Token *t = sp_want_word(P, "a DMA stream name");
	if (t == NULL)
		return FALSE;
	const SysDesc *d = P->d;
	int i = sysdesc_find_dma(d, t->text);
	if (i < 0) {
		g_autofree const char **names = g_new0(const char *, d->board.n_dmas + 1);
		for (uint32_t k = 0; k < d->board.n_dmas; k++)
			names[k] = d->board.dmas[k].name;
		g_autofree char *hint = d->board.n_dmas
		                            ? ini_hint(t->text, names)
		                            : g_strdup(" (the board has no DMA stream)");
		return sp_perr(P, INI_ERROR_UNKNOWN, "unknown DMA stream '%s'%s", t->text, hint);
	}
	const BoardDma *s = &d->board.dmas[i];
	if (s->source.kind != BOARD_END_DEVICE)
		return sp_perr(
		    P, INI_ERROR_INVALID,
		    "DMA stream '%s' reads from SHM '%s', not from a device: only a stream "
		    "whose source is a device takes bytes from the script",
		    s->name, d->board.shms[s->source.index].name);
	a->stream = (uint32_t)i;
	Token *b = sp_peek(P);
	if (b->kind != TOK_STRING)
		return sp_perr(P, INI_ERROR_SYNTAX,
		               "expected the bytes as a \"string\" after '%s', got %s", s->name,
		               b->shown);
	sp_take(P);
	if (g_bytes_get_size(b->data) == 0)
		return sp_perr(P, INI_ERROR_VALUE, "no bytes to feed to DMA stream '%s'", s->name);
	a->bytes = g_bytes_ref(b->data);
	return TRUE;
}

/* uart DEVICE "bytes": bytes for the receive line of a device's UART model */
static gboolean act_uart(Parser *P, Action *a)
{
	if (!sp_parse_uart(P, &a->device))
		return FALSE;
	const char *name = P->d->board.devices[a->device].name;
	Token *b = sp_peek(P);
	if (b->kind != TOK_STRING)
		return sp_perr(P, INI_ERROR_SYNTAX,
		               "expected the bytes as a \"string\" after '%s', got %s", name,
		               b->shown);
	sp_take(P);
	if (g_bytes_get_size(b->data) == 0)
		return sp_perr(P, INI_ERROR_VALUE, "no bytes to send to '%s'", name);
	a->bytes = g_bytes_ref(b->data);
	return TRUE;
}

static gboolean act_signal(Parser *P, Action *a)
{
	int task = 0;
	if (!sp_parse_task(P, false, &task) ||
	    !sp_parse_name(P, script_signal_names, "SIGNAL_", "signal", &a->sig))
		return FALSE;
	a->task = (uint32_t)task;
	return TRUE;
}

static gboolean act_task(Parser *P, Action *a)
{
	int task = 0;
	if (!sp_parse_task(P, false, &task))
		return FALSE;
	a->task = (uint32_t)task;
	return TRUE;
}

/* "TASK SYSCALL STATUS [xN | always]" */
static gboolean act_inject(Parser *P, Action *a)
{
	int task = 0;
	if (!sp_parse_task(P, false, &task) || !sp_parse_syscall(P, &a->nr))
		return FALSE;
	a->task = (uint32_t)task;
	if (a->nr == SYSCALL_EXIT)
		return sp_perr(P, INI_ERROR_INVALID,
		               "exit cannot fail: it never returns (uapi.md 4.1)");
	Token *st = sp_peek(P);
	if (st->kind == TOK_WORD && (g_ascii_strcasecmp(st->text, "NON_SENSE") == 0 ||
	                             g_ascii_strcasecmp(st->text, "STATUS_NON_SENSE") == 0))
		return sp_perr(
		    P, INI_ERROR_VALUE,
		    "NON_SENSE is never delivered: a task resumed with it is a kernel panic "
		    "(uapi.md 1.1)");
	if (!sp_parse_name(P, script_status_names, "STATUS_", "status", &a->status))
		return FALSE;
	a->count = 1;
	if (sp_at_word(P, "always")) {
		sp_take(P);
		a->count = 0;
	} else if (sp_peek(P)->kind == TOK_WORD &&
	           (sp_peek(P)->text[0] == 'x' || sp_peek(P)->text[0] == 'X')) {
		Token *n = sp_take(P);
		guint64 v = 0;
		GError *e = NULL;
		if (!ini_parse_u64(n->text + 1, "count after 'x'", 1, G_MAXUINT32, &v, &e))
			return sp_perr_value(P, e);
		a->count = (uint32_t)v;
	}
	return TRUE;
}

static const struct {
	const char *name;
	ActionParseFn parse;
	Need need;
} action_kinds[ACT_COUNT] = {
    [ACT_IRQ] = {.name = "irq", .parse = act_irq},
    [ACT_GPIO] = {.name = "gpio", .parse = act_gpio},
    [ACT_WRITE] = {.name = "write", .parse = act_write, .need = NEED_MEMORY},
    [ACT_DMA] = {.name = "dma", .parse = act_dma, .need = NEED_DMA},
    [ACT_SIGNAL] = {.name = "signal", .parse = act_signal},
    [ACT_START] = {.name = "start", .parse = act_task},
    [ACT_KILL] = {.name = "kill", .parse = act_task},
    [ACT_RESTART] = {.name = "restart", .parse = act_task},
    [ACT_INJECT] = {.name = "inject", .parse = act_inject},
    [ACT_UART] = {.name = "uart", .parse = act_uart, .need = NEED_UART},
};

static const char *const action_names[] = {"irq",   "gpio", "write",   "dma",    "uart", "signal",
                                           "start", "kill", "restart", "inject", NULL};

static Action *parse_action(Parser *P)
{
	guint from = P->pos;
	Token *t = sp_want_word(P, "an action (irq, gpio, write, dma, uart, signal, start, kill, "
	                           "restart or inject)");
	if (t == NULL)
		return NULL;
	for (int k = 0; k < ACT_COUNT; k++) {
		if (strcmp(t->text, action_kinds[k].name) != 0)
			continue;
		Action *a = g_new0(Action, 1);
		a->kind = (ActionKind)k;
		if (!action_kinds[k].parse(P, a)) {
			action_free(a);
			return NULL;
		}
		a->text = sp_text_since(P, from);
		if (sp_peek(P)->kind != TOK_END && !sp_at_punct(P, ";")) {
			sp_perr(P, INI_ERROR_SYNTAX,
			        "unexpected %s after '%s' (separate actions with ';')",
			        sp_peek(P)->shown, a->text);
			action_free(a);
			return NULL;
		}
		return a;
	}
	g_autofree char *hint = ini_hint(t->text, action_names);
	sp_perr(P, INI_ERROR_UNKNOWN, "unknown action '%s'%s", t->text, hint);
	return NULL;
}

/* "ACTION [; ACTION]..." up to the end of the value. */
static GPtrArray *parse_actions(Parser *P)
{
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(action_free);
	for (;;) {
		Action *a = parse_action(P);
		if (a == NULL)
			return NULL;
		g_ptr_array_add(list, a);
		if (!sp_at_punct(P, ";"))
			return g_steal_pointer(&list);
		sp_take(P);
	}
}

/* ---- expectations ------------------------------------------------------------------------ */

typedef gboolean (*ExpectParseFn)(Parser *P, Expect *x);

/* "[after EVENT] [within DURATION] [before EVENT]", in any order, each at most once. */
static gboolean parse_window(Parser *P, Expect *x)
{
	while (sp_peek(P)->kind != TOK_END) {
		Token *t = sp_peek(P);
		if (sp_tok_is(t, TOK_WORD, "within") && !x->has_within) {
			sp_take(P);
			if (!sp_parse_duration(P, "within", &x->within_ns))
				return FALSE;
			x->has_within = true;
		} else if (sp_tok_is(t, TOK_WORD, "after") && x->after == NULL) {
			sp_take(P);
			if ((x->after = parse_event(P, "an event after 'after'")) == NULL)
				return FALSE;
		} else if (sp_tok_is(t, TOK_WORD, "before") && x->before == NULL) {
			sp_take(P);
			if ((x->before = parse_event(P, "an event after 'before'")) == NULL)
				return FALSE;
		} else if (sp_tok_is(t, TOK_WORD, "within") || sp_tok_is(t, TOK_WORD, "after") ||
		           sp_tok_is(t, TOK_WORD, "before")) {
			return sp_perr(P, INI_ERROR_SYNTAX, "'%s' is given twice", t->text);
		} else {
			return sp_perr(P, INI_ERROR_SYNTAX,
			               "unexpected %s after the event (expected 'within DURATION', "
			               "'after EVENT' or 'before EVENT')",
			               t->shown);
		}
	}
	return TRUE;
}

static gboolean exp_happens(Parser *P, Expect *x)
{
	x->ev = parse_event(P, "an event");
	return x->ev != NULL && parse_window(P, x);
}

static gboolean exp_never(Parser *P, Expect *x)
{
	x->ev = parse_event(P, "an event after 'never'");
	return x->ev != NULL && parse_window(P, x);
}

static gboolean exp_order(Parser *P, Expect *x)
{
	x->order = g_ptr_array_new_with_free_func((GDestroyNotify)event_free);
	for (;;) {
		Event *e = parse_event(P, x->order->len ? "an event after '<'" : "an event");
		if (e == NULL)
			return FALSE;
		g_ptr_array_add(x->order, e);
		if (!sp_at_punct(P, "<"))
			break;
		sp_take(P);
	}
	if (x->order->len < 2)
		return sp_perr(
		    P, INI_ERROR_SYNTAX,
		    "'order' needs at least two events: order EVENT < EVENT [< EVENT]...");
	return sp_want_end(P, "the last event");
}

/* "state TASK STATE [exit CODE]" */
static gboolean exp_state(Parser *P, Expect *x)
{
	uint32_t s = 0;
	if (!sp_parse_task(P, false, &x->task) ||
	    !sp_parse_name(P, script_state_names, "JOB_STATE_", "job state", &s))
		return FALSE;
	x->state = (int)s;
	if (sp_at_word(P, "exit")) {
		sp_take(P);
		if (!sp_parse_code(P, &x->exit_code))
			return FALSE;
		x->has_exit = true;
	}
	return sp_want_end(P, "the state");
}

static gboolean parse_at_time(Parser *P, Expect *x)
{
	if (!sp_at_word(P, "at"))
		return TRUE;
	sp_take(P);
	const Token *t = sp_peek(P);
	if (!sp_parse_duration(P, "at", &x->at_ns))
		return FALSE;
	x->has_at = true;
	if (P->d->duration_ns && x->at_ns > P->d->duration_ns) {
		g_autofree char *d = ini_format_duration(P->d->duration_ns);
		return sp_perr(P, INI_ERROR_INVALID,
		               "'at %s' is after the end of the run (duration = %s)", t->text, d);
	}
	return TRUE;
}

/* "gpio PORT:PIN high|low [at TIME]" */
static gboolean exp_gpio(Parser *P, Expect *x)
{
	if (!sp_parse_pin(P, &x->port, &x->pin))
		return FALSE;
	Token *t = sp_want_word(P, "high or low after the pin");
	if (t == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(t->text, "high") == 0 || strcmp(t->text, "1") == 0)
		x->level = true;
	else if (g_ascii_strcasecmp(t->text, "low") == 0 || strcmp(t->text, "0") == 0)
		x->level = false;
	else
		return sp_perr(P, INI_ERROR_VALUE, "a pin level is high or low (got '%s')",
		               t->text);
	return parse_at_time(P, x) && sp_want_end(P, "the level");
}

/* "reg ADDRESS [& MASK] ==|!= VALUE [at TIME]" */
static gboolean exp_reg(Parser *P, Expect *x)
{
	if (!sp_parse_register(P, &x->addr, &x->where))
		return FALSE;
	x->mask = 0xffffffffu;
	if (sp_at_punct(P, "&")) {
		sp_take(P);
		if (!sp_parse_u32(P, "mask", &x->mask))
			return FALSE;
	}
	if (sp_at_punct(P, "==") || sp_at_punct(P, "!=")) {
		x->ne = strcmp(sp_take(P)->text, "!=") == 0;
	} else {
		return sp_perr(P, INI_ERROR_SYNTAX,
		               "expected '==' or '!=' after the register, got %s",
		               sp_peek(P)->shown);
	}
	if (!sp_parse_u32(P, "register value", &x->value))
		return FALSE;
	if ((x->value & ~x->mask) != 0)
		return sp_perr(P, INI_ERROR_VALUE,
		               "value 0x%08" PRIx32 " has bits outside mask 0x%08" PRIx32
		               ": it can never match",
		               x->value, x->mask);
	return parse_at_time(P, x) && sp_want_end(P, "the value");
}

/* "no-fault", "no-deadlock", "no-panic": the keyword alone. */
static gboolean exp_plain(Parser *P, Expect *x)
{
	const Token *kw = g_ptr_array_index(P->toks, P->pos - 1);
	return sp_want_end(P, kw->shown);
}

/* "finish within DURATION" */
static gboolean exp_finish(Parser *P, Expect *x)
{
	if (!sp_at_word(P, "within"))
		return sp_perr(P, INI_ERROR_SYNTAX,
		               "expected 'within DURATION' after 'finish', got %s",
		               sp_peek(P)->shown);
	sp_take(P);
	return sp_parse_duration(P, "within", &x->finish_ns) && sp_want_end(P, "the duration");
}

static const struct {
	const char *name;
	ExpectKind kind;
	ExpectParseFn parse;
	Need need;
} expect_kinds[] = {
    {.name = "never", .kind = EXP_NEVER, .parse = exp_never},
    {.name = "order", .kind = EXP_ORDER, .parse = exp_order},
    {.name = "state", .kind = EXP_STATE, .parse = exp_state},
    {.name = "gpio", .kind = EXP_GPIO, .parse = exp_gpio},
    {.name = "reg", .kind = EXP_REG, .parse = exp_reg, .need = NEED_MEMORY},
    {.name = "no-fault", .kind = EXP_NO_FAULT, .parse = exp_plain},
    {.name = "no-deadlock", .kind = EXP_NO_DEADLOCK, .parse = exp_plain},
    {.name = "no-panic", .kind = EXP_NO_PANIC, .parse = exp_plain},
    {.name = "finish", .kind = EXP_FINISH, .parse = exp_finish},
};

/* The value of an expect.NAME key: an event, or a kind of expectation by its word. */
static gboolean parse_expect(Parser *P, Step *st)
{
	if (at_event(P)) {
		st->ex.kind = EXP_HAPPENS;
		return exp_happens(P, &st->ex);
	}
	Token *t = sp_want_word(P, "an expectation");
	if (t == NULL)
		return FALSE;
	for (size_t k = 0; k < G_N_ELEMENTS(expect_kinds); k++) {
		if (strcmp(t->text, expect_kinds[k].name) == 0) {
			st->ex.kind = expect_kinds[k].kind;
			st->need = expect_kinds[k].need;
			return expect_kinds[k].parse(P, &st->ex);
		}
	}
	const char *cands[G_N_ELEMENTS(expect_kinds) + 8];
	size_t n = 0;
	for (size_t k = 0; k < G_N_ELEMENTS(expect_kinds); k++)
		cands[n++] = expect_kinds[k].name;
	for (const char *const *e = event_names; *e != NULL; e++)
		if (strcmp(*e, "state") != 0)
			cands[n++] = *e;
	cands[n] = NULL;
	const char *s = ini_suggest(t->text, cands);
	bool is_kind = false;
	for (size_t k = 0; s != NULL && k < G_N_ELEMENTS(expect_kinds); k++)
		is_kind = is_kind || strcmp(s, expect_kinds[k].name) == 0;
	if (s != NULL && !is_kind)
		return sp_perr(P, INI_ERROR_UNKNOWN,
		               "unknown expectation '%s' (did you mean the event "
		               "'%s(...)'?)",
		               t->text, s);
	if (s != NULL)
		return sp_perr(P, INI_ERROR_UNKNOWN,
		               "unknown expectation '%s' (did you mean '%s'?)", t->text, s);
	return sp_perr(
	    P, INI_ERROR_UNKNOWN,
	    "unknown expectation '%s' (known: an event such as log(TASK, /regex/), never, "
	    "order, state, gpio, reg, no-fault, no-deadlock, no-panic, finish)",
	    t->text);
}

/* ---- steps ------------------------------------------------------------------------------- */

/* "at.TIME[.TAG]": TIME is digits, an optional fraction, and a unit (letters). */
static gboolean key_at(Parser *P, const char *rest, Step *st)
{
	const char *p = rest;
	if (!g_ascii_isdigit(*p))
		return sp_perr(
		    P, INI_ERROR_SYNTAX,
		    "'at.' is followed by the time of the step, such as at.10ms or at.1.5s "
		    "(got '%s')",
		    rest);
	while (g_ascii_isdigit(*p))
		p++;
	if (*p == '.' && g_ascii_isdigit(p[1])) {
		p++;
		while (g_ascii_isdigit(*p))
			p++;
	}
	while (g_ascii_isalpha(*p))
		p++;
	if (*p != '\0' && (*p != '.' || p[1] == '\0'))
		return sp_perr(
		    P, INI_ERROR_SYNTAX,
		    "expected '.' and a tag after the time in the key, such as at.10ms.2 "
		    "(got '%s')",
		    rest);
	g_autofree char *time = g_strndup(rest, (gsize)(p - rest));
	GError *e = NULL;
	if (!ini_parse_duration_ns(time, "at", 0, G_MAXUINT64 / 2, &st->at_ns, &e))
		return sp_perr_value(P, e);
	if (P->d->duration_ns && st->at_ns > P->d->duration_ns) {
		g_autofree char *d = ini_format_duration(P->d->duration_ns);
		return sp_perr(P, INI_ERROR_INVALID,
		               "%s is after the end of the run (duration = %s)", time, d);
	}
	st->actions = parse_actions(P);
	return st->actions != NULL;
}

/* "when.NAME = EVENT [+ DELAY] -> ACTION [; ACTION]..." */
static gboolean key_when(Parser *P, const char *rest, Step *st)
{
	st->cond = parse_event(P, "a condition");
	if (st->cond == NULL)
		return FALSE;
	if (sp_at_punct(P, "+")) {
		sp_take(P);
		if (!sp_parse_duration(P, "delay", &st->delay_ns))
			return FALSE;
	}
	if (!sp_want_punct(P, "->", "between the condition and the actions"))
		return FALSE;
	st->actions = parse_actions(P);
	return st->actions != NULL;
}

/* "inject.NAME = TASK SYSCALL STATUS [xN | always]": the action 'inject', armed at boot. */
static gboolean key_inject(Parser *P, const char *rest, Step *st)
{
	guint from = P->pos;
	Action *a = g_new0(Action, 1);
	a->kind = ACT_INJECT;
	st->actions = g_ptr_array_new_with_free_func(action_free);
	g_ptr_array_add(st->actions, a);
	if (!act_inject(P, a))
		return FALSE;
	a->text = sp_text_since(P, from);
	g_autofree char *shown = g_strdup_printf("'%s'", a->text);
	return sp_want_end(P, shown);
}

static gboolean key_expect(Parser *P, const char *rest, Step *st)
{
	return parse_expect(P, st);
}

static const struct {
	const char *kind;
	StepKind step;
	gboolean (*parse)(Parser *P, const char *rest, Step *st);
	const char *shown;
} key_kinds[] = {
    {.kind = "at", .step = STEP_AT, .parse = key_at, .shown = "at.TIME"},
    {.kind = "when", .step = STEP_WHEN, .parse = key_when, .shown = "when.NAME"},
    {.kind = "inject", .step = STEP_INJECT, .parse = key_inject, .shown = "inject.NAME"},
    {.kind = "expect", .step = STEP_EXPECT, .parse = key_expect, .shown = "expect.NAME"},
};

/* Refuse a key of no known kind, suggesting the closest kind with the same rest. */
static gboolean unknown_key(Parser *P, const char *kind, const char *rest)
{
	const char *kinds[G_N_ELEMENTS(key_kinds) + 1];
	g_autoptr(GString) known = g_string_new(NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(key_kinds); i++) {
		kinds[i] = key_kinds[i].kind;
		g_string_append_printf(known, "%s%s", i ? ", " : "", key_kinds[i].shown);
	}
	kinds[G_N_ELEMENTS(key_kinds)] = NULL;
	const char *s = ini_suggest(kind, kinds);
	if (s != NULL && rest != NULL)
		ini_set_error(P->error, P->ini, P->line, INI_ERROR_UNKNOWN,
		              "unknown key '%s' in '[script]' (did you mean '%s.%s'?)", P->key, s,
		              rest);
	else
		ini_set_error(P->error, P->ini, P->line, INI_ERROR_UNKNOWN,
		              "unknown key '%s' in '[script]' (known: %s)", P->key, known->str);
	return FALSE;
}

/* Key |k| of group |g| ([script]) as one step: its kind from the key, its body from the
 * value. */
static Step *parse_step(const SysDesc *d, guint g, guint k, GError **error)
{
	const IniFile *ini = d->ini;
	const char *key = ini_key_name(ini, g, k);
	Parser P = {
	    .d = d,
	    .ini = ini,
	    .key = key,
	    .line = ini_key_index_line(ini, g, k),
	    .error = error,
	};
	const char *dot = strchr(key, '.');
	g_autofree char *kind = dot ? g_strndup(key, (gsize)(dot - key)) : g_strdup(key);
	const char *rest = dot ? dot + 1 : NULL;
	size_t ki = 0;
	while (ki < G_N_ELEMENTS(key_kinds) && strcmp(kind, key_kinds[ki].kind) != 0)
		ki++;
	if (ki == G_N_ELEMENTS(key_kinds)) {
		unknown_key(&P, kind, rest);
		return NULL;
	}
	if (rest == NULL || *rest == '\0') {
		ini_set_error(error, ini, P.line, INI_ERROR_SYNTAX,
		              "'%s' needs a %s after the dot: %s", key,
		              key_kinds[ki].step == STEP_AT ? "time" : "name", key_kinds[ki].shown);
		return NULL;
	}

	g_autofree char *value = ini_get_raw(ini, g, key);
	if (value == NULL || *value == '\0') {
		ini_set_error(error, ini, P.line, INI_ERROR_VALUE, "%s: the step is empty", key);
		return NULL;
	}
	g_autofree char *lex_err = NULL;
	g_autoptr(GPtrArray) toks = sp_tokenize(value, &lex_err);
	if (toks == NULL) {
		ini_set_error(error, ini, P.line, INI_ERROR_SYNTAX, "%s: %s", key, lex_err);
		return NULL;
	}
	P.value = value;
	P.toks = toks;

	Step *st = g_new0(Step, 1);
	st->kind = key_kinds[ki].step;
	st->key = g_strdup(key);
	st->line = P.line;
	st->text = g_strdup(value);
	st->expect_index = -1;
	if (!key_kinds[ki].parse(&P, rest, st)) {
		step_free(st);
		return NULL;
	}
	return st;
}

static Need step_needs(const Step *st)
{
	Need n = st->need;
	for (guint i = 0; st->actions != NULL && i < st->actions->len; i++) {
		const Action *a = g_ptr_array_index(st->actions, i);
		n |= action_kinds[a->kind].need;
	}
	return n;
}

Script *script_load(const SysDesc *desc, GError **error)
{
	g_autoptr(Script) s = g_new0(Script, 1);
	s->path = g_strdup(ini_path(desc->ini));
	s->steps = g_ptr_array_new_with_free_func(step_free);
	s->expects = g_ptr_array_new();
	s->n_tasks = desc->n_tasks;
	s->task_names = g_new0(char *, desc->n_tasks + 1);
	for (guint i = 0; i < desc->n_tasks; i++)
		s->task_names[i] = g_strdup(desc->tasks[i].name);
	s->n_devices = desc->board.n_devices;
	s->device_names = g_new0(char *, s->n_devices + 1);
	for (guint i = 0; i < s->n_devices; i++)
		s->device_names[i] = g_strdup(desc->board.devices[i].name);

	int g = ini_find_group(desc->ini, "script");
	if (g < 0)
		return g_steal_pointer(&s);
	for (guint k = 0; k < ini_key_count(desc->ini, (guint)g); k++) {
		Step *st = parse_step(desc, (guint)g, k, error);
		if (st == NULL)
			return NULL;
		g_ptr_array_add(s->steps, st);
		if (st->kind == STEP_EXPECT) {
			st->expect_index = (int)s->expects->len;
			g_ptr_array_add(s->expects, st);
		}
	}
	return g_steal_pointer(&s);
}

gboolean script_feeds_dma(const Script *s, uint32_t stream)
{
	for (guint i = 0; i < s->steps->len; i++) {
		const Step *st = g_ptr_array_index(s->steps, i);
		for (guint j = 0; st->actions != NULL && j < st->actions->len; j++) {
			const Action *a = g_ptr_array_index(st->actions, j);
			if (a->kind == ACT_DMA && a->stream == stream)
				return TRUE;
		}
	}
	return FALSE;
}

gboolean script_supported(const Script *s, const ScriptEnv *env, GError **error)
{
	for (guint i = 0; i < s->steps->len; i++) {
		const Step *st = g_ptr_array_index(s->steps, i);
		Need n = step_needs(st);
		const char *what = NULL;
		if ((n & NEED_MEMORY) && env->memory == NULL)
			what = "the board memory (device registers)";
		else if ((n & NEED_DMA) && env->dma_feed == NULL)
			what = "a device model to feed DMA streams";
		else if ((n & NEED_UART) && env->uart_rx == NULL)
			what = "the device models (sim/periph/) to take UART bytes";
		if (what == NULL)
			continue;
		g_set_error(error, INI_ERROR, INI_ERROR_INVALID,
		            "%s:%d: %s: this step needs %s, which this run does not provide",
		            s->path, st->line, st->key, what);
		return FALSE;
	}
	return TRUE;
}
