/*
 * script.c: the [script] group of a scenario: its language (parsed and checked at load, see
 * docs/scenarios.md) and the engine that applies its stimuli and judges its expectations
 * while the system runs (see script.h).
 *
 * One key is one step. The key says what kind of step it is and when (at.10ms, when.NAME,
 * inject.NAME, expect.NAME); the value says what, in words: an action (irq 37), a condition
 * and actions (log(worker, /ready/) -> signal worker USR1), or an expectation
 * (log(server, /served/) within 1s). Values are read as written, GKeyFile escapes not
 * decoded, so that regular expressions keep their backslashes. Everything a step names (tasks,
 * system calls, signals, states, pins, IRQs, registers, DMA streams) is checked against the
 * description at load, with the step's line and a did-you-mean hint.
 *
 * The engine is fed observations (a log line, a system call, a fault, a task entering a state)
 * in the order they happen. Each observation goes through every step in file order: it may
 * trigger a 'when' step, or decide an expectation. Stimuli are applied only by
 * script_run_due(), outside kernel calls. Only virtual time and the order of observations
 * matter, so a run is as deterministic as the system it watches.
 */
#include "config.h"

#define LIBBSD_OPENBSD_VIS 1
#include <bsd/vis.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <uapi/types.h>

#include "sim/scenario/script.h"

#define SCRIPT_RING       5   /* last lines kept per task for the diagnosis */
#define SCRIPT_LINE_SHOWN 160 /* bytes of a task line shown in a message */
#define SCRIPT_NSYSCALLS  41
#define STATE_HUNG        100 /* pseudo-state: spinning in the library (kernel_task_hung) */

/* ---- names ------------------------------------------------------------------------------- */

typedef struct {
	const char *name;
	uint32_t value;
} Name;

/* uapi.md 1.3: STATUS_NON_SENSE is never delivered, so it cannot be injected. */
static const Name status_names[] = {
    {"OK", STATUS_OK},
    {"INVALID", STATUS_INVALID},
    {"DENIED", STATUS_DENIED},
    {"NO_ENTITY", STATUS_NO_ENTITY},
    {"BUSY", STATUS_BUSY},
    {"ALREADY_MAPPED", STATUS_ALREADY_MAPPED},
    {"CRITICAL", STATUS_CRITICAL},
    {"TIMEOUT", STATUS_TIMEOUT},
    {"AGAIN", STATUS_AGAIN},
    {"INTR", STATUS_INTR},
    {"DEADLK", STATUS_DEADLK},
    {NULL, 0},
};

/* uapi.md 4.11: only 1 to 12 can be sent. */
static const Name signal_names[] = {
    {"ABORT", SIGNAL_ABORT},
    {"ALARM", SIGNAL_ALARM},
    {"BUS", SIGNAL_BUS},
    {"CONT", SIGNAL_CONT},
    {"ILL", SIGNAL_ILL},
    {"IO", SIGNAL_IO},
    {"PIPE", SIGNAL_PIPE},
    {"POLL", SIGNAL_POLL},
    {"TERM", SIGNAL_TERM},
    {"TRAP", SIGNAL_TRAP},
    {"USR1", SIGNAL_USR1},
    {"USR2", SIGNAL_USR2},
    {NULL, 0},
};

/* Job states a task can be observed in (uapi.md 7.4), plus two the summary shows:
 * NOTSTARTED for a task never scheduled, HUNG for one spinning in the library. */
static const Name state_names[] = {
    {"NOTSTARTED", JOB_NOTSTARTED},
    {"READY", JOB_READY},
    {"SLEEPING", JOB_SLEEPING},
    {"SLEEPING_DEEP", JOB_SLEEPING_DEEP},
    {"FAULT", JOB_FAULT},
    {"ABORTING", JOB_ABORTING},
    {"FINISHED", JOB_FINISHED},
    {"IPC_SEND_BLOCKED", JOB_IPC_SEND_BLOCKED},
    {"WAITFOREVENT", JOB_WAITFOREVENT},
    {"HUNG", STATE_HUNG},
    {NULL, 0},
};

static const char *state_name(int s)
{
	for (const Name *n = state_names; n->name != NULL; n++)
		if ((int)n->value == s)
			return n->name;
	return kernel_job_state_name((JobState)s);
}

static const char *const *name_list(const Name *table, GPtrArray *keep)
{
	for (const Name *n = table; n->name != NULL; n++)
		g_ptr_array_add(keep, (gpointer)n->name);
	g_ptr_array_add(keep, NULL);
	return (const char *const *)keep->pdata;
}

/* |word| in |table|, any case, with or without |prefix| ("STATUS_", "SIGNAL_"...). */
static gboolean name_lookup(const Name *table, const char *prefix, const char *word, uint32_t *out)
{
	size_t plen = strlen(prefix);
	if (g_ascii_strncasecmp(word, prefix, plen) == 0)
		word += plen;
	for (const Name *n = table; n->name != NULL; n++) {
		if (g_ascii_strcasecmp(word, n->name) == 0) {
			*out = n->value;
			return TRUE;
		}
	}
	return FALSE;
}

/* A system call by its name in kernel_syscall_name() or its SYSCALL_ enumerator, any case. */
static gboolean syscall_lookup(const char *word, uint32_t *nr)
{
	if (g_ascii_strncasecmp(word, "SYSCALL_", 8) == 0)
		word += 8;
	if (g_ascii_strcasecmp(word, "dma_start_sream") == 0) /* upstream's spelling */
		word = "dma_start_stream";
	for (uint32_t i = 0; i < SCRIPT_NSYSCALLS; i++) {
		if (g_ascii_strcasecmp(word, kernel_syscall_name(i)) == 0) {
			*nr = i;
			return TRUE;
		}
	}
	return FALSE;
}

/* ---- the parsed script ------------------------------------------------------------------- */

typedef enum {
	EV_LOG,
	EV_SYSCALL,
	EV_EXIT,
	EV_FAULT,
	EV_STATE,
	EV_RESPAWN,
	EV_PANIC,
	EV_COUNT,
} EventKind;

/* Something that happens, as a condition or in an expectation: "log(server, /x/)". */
typedef struct {
	EventKind kind;
	int task;      /* task index, or -1: any task */
	GRegex *re;    /* EV_LOG */
	char *re_text; /* EV_LOG: "/regex/flags" as written */
	uint32_t nr;   /* EV_SYSCALL */
	bool has_code;
	int32_t code; /* EV_EXIT */
	int state;    /* EV_STATE */
	char *text;   /* canonical form, for messages */
} Event;

typedef enum {
	ACT_IRQ,
	ACT_GPIO,
	ACT_WRITE,
	ACT_DMA,
	ACT_SIGNAL,
	ACT_START,
	ACT_KILL,
	ACT_RESTART,
	ACT_INJECT,
	ACT_COUNT,
} ActionKind;

enum { GPIO_LOW, GPIO_HIGH, GPIO_RELEASE };

typedef struct {
	ActionKind kind;
	uint32_t task;
	uint32_t irq;
	uint8_t port, pin;
	int level; /* GPIO_LOW, GPIO_HIGH, GPIO_RELEASE */
	uint64_t addr;
	uint32_t value;
	uint32_t stream;
	GBytes *bytes;
	uint32_t sig;
	uint32_t nr, status, count; /* count 0: always */
	char *text;                 /* as written */
} Action;

typedef enum {
	EXP_HAPPENS,
	EXP_NEVER,
	EXP_ORDER,
	EXP_STATE,
	EXP_GPIO,
	EXP_REG,
	EXP_NO_FAULT,
	EXP_NO_DEADLOCK,
	EXP_NO_PANIC,
	EXP_FINISH,
} ExpectKind;

typedef struct {
	ExpectKind kind;
	Event *ev, *after, *before; /* HAPPENS, NEVER */
	bool has_within;
	uint64_t within_ns;
	GPtrArray *order; /* of Event *: ORDER */
	int task;         /* STATE */
	int state;
	bool has_exit;
	int32_t exit_code;
	uint8_t port, pin; /* GPIO */
	bool level;
	bool has_at; /* GPIO, REG */
	uint64_t at_ns;
	uint64_t addr; /* REG */
	uint32_t mask, value;
	bool ne;
	char *where;        /* REG: the address as written */
	uint64_t finish_ns; /* FINISH */
} Expect;

/* What a step needs from the host beyond the kernel (ScriptEnv). */
typedef enum {
	NEED_MEMORY = 1 << 0,
	NEED_DMA = 1 << 1,
} Need;

typedef enum {
	STEP_AT,
	STEP_WHEN,
	STEP_INJECT,
	STEP_EXPECT,
} StepKind;

typedef struct {
	StepKind kind;
	char *key;
	int line;
	char *text;     /* the value as written */
	uint64_t at_ns; /* AT */
	Event *cond;    /* WHEN */
	uint64_t delay_ns;
	GPtrArray *actions; /* of Action *: AT, WHEN, INJECT */
	Expect ex;          /* EXPECT */
	int expect_index;
	Need need; /* what the step needs from the host */
} Step;

struct script {
	char *path;
	GPtrArray *steps;   /* of Step *, file order */
	GPtrArray *expects; /* of Step *, the EXPECT steps in file order (not owned) */
	guint n_tasks;
	char **task_names; /* n_tasks + 1, NULL-terminated */
};

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

/* ---- formatting -------------------------------------------------------------------------- */

/* Virtual time, exact, in the largest unit that reads well: "0s", "1.5us", "120.5ms", "2s". */
static char *fmt_ns(uint64_t ns)
{
	static const struct {
		uint64_t scale;
		const char *unit;
		int digits;
	} units[] = {
	    {1000000000ull, "s", 9},
	    {1000000ull, "ms", 6},
	    {1000ull, "us", 3},
	};
	if (ns == 0)
		return g_strdup("0s");
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (ns < units[i].scale)
			continue;
		uint64_t whole = ns / units[i].scale, frac = ns % units[i].scale;
		if (frac == 0)
			return g_strdup_printf("%" PRIu64 "%s", whole, units[i].unit);
		char digits[16];
		snprintf(digits, sizeof(digits), "%0*" PRIu64, units[i].digits, frac);
		size_t n = strlen(digits);
		while (n > 0 && digits[n - 1] == '0')
			digits[--n] = '\0';
		return g_strdup_printf("%" PRIu64 ".%s%s", whole, digits, units[i].unit);
	}
	return g_strdup_printf("%" PRIu64 "ns", ns);
}

/* Task bytes made printable (vis(3), C style), cut to SCRIPT_LINE_SHOWN bytes. */
static char *escape_bytes(const char *bytes, size_t len)
{
	bool cut = len > SCRIPT_LINE_SHOWN;
	if (cut)
		len = SCRIPT_LINE_SHOWN;
	char *esc = g_malloc(len * 4 + 1);
	strnvisx(esc, len * 4 + 1, bytes, len, VIS_CSTYLE | VIS_OCTAL);
	if (!cut)
		return esc;
	char *r = g_strconcat(esc, "...", NULL);
	g_free(esc);
	return r;
}

/* ---- tokens ------------------------------------------------------------------------------ */

typedef enum {
	TOK_END,
	TOK_WORD,
	TOK_PUNCT,
	TOK_REGEX,
	TOK_STRING,
} TokKind;

typedef struct {
	TokKind kind;
	char *text;      /* word or punctuation; regex body; string as written */
	char *flags;     /* TOK_REGEX: the letters after the closing '/' */
	GBytes *data;    /* TOK_STRING: the decoded bytes */
	char *shown;     /* for messages: "'text'", or "nothing" at the end */
	size_t off, end; /* byte range in the value */
} Token;

static void token_free(gpointer p)
{
	Token *t = p;
	g_free(t->text);
	g_free(t->flags);
	if (t->data != NULL)
		g_bytes_unref(t->data);
	g_free(t->shown);
	g_free(t);
}

static gboolean is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static gboolean is_punct(char c)
{
	return strchr("(),<>;+&=!", c) != NULL && c != '\0';
}

/* '-' starts the arrow "->"; elsewhere it belongs to words (no-fault, -1, uart-rx). */
static gboolean is_word_char(const char *p)
{
	if (*p == '\0' || is_blank(*p) || *p == '"')
		return FALSE;
	if (*p == '-' && p[1] == '>')
		return FALSE;
	return !is_punct(*p);
}

/* A "..." string: C escapes \n \r \t \0 \\ \" \xHH. */
static gboolean scan_string(const char *s, size_t *i, GByteArray *out, char **err)
{
	size_t p = *i + 1;
	for (;;) {
		char c = s[p];
		if (c == '\0') {
			*err = g_strdup("unterminated string: a '\"' is missing");
			return FALSE;
		}
		if (c == '"')
			break;
		if (c != '\\') {
			g_byte_array_append(out, (const guint8 *)&c, 1);
			p++;
			continue;
		}
		char e = s[p + 1];
		guint8 b;
		switch (e) {
		case 'n':
			b = '\n';
			break;
		case 'r':
			b = '\r';
			break;
		case 't':
			b = '\t';
			break;
		case '0':
			b = 0;
			break;
		case '\\':
		case '"':
			b = (guint8)e;
			break;
		case 'x':
			if (g_ascii_isxdigit(s[p + 2]) && g_ascii_isxdigit(s[p + 3])) {
				b = (guint8)(g_ascii_xdigit_value(s[p + 2]) << 4 |
				             g_ascii_xdigit_value(s[p + 3]));
				p += 2;
				break;
			}
			*err = g_strdup("'\\x' needs two hexadecimal digits in a string");
			return FALSE;
		default:
			*err =
			    g_strdup_printf("unknown escape '\\%c' in a string (use \\n, \\r, \\t, "
			                    "\\0, \\\\, \\\" or \\xHH)",
			                    e != '\0' ? e : ' ');
			return FALSE;
		}
		g_byte_array_append(out, &b, 1);
		p += 2;
	}
	*i = p + 1;
	return TRUE;
}

/* Split |s| into tokens (a TOK_END last). Returns NULL with |*err| on a lexical error. */
static GPtrArray *tokenize(const char *s, char **err)
{
	g_autoptr(GPtrArray) toks = g_ptr_array_new_with_free_func(token_free);
	size_t i = 0;

	for (;;) {
		while (is_blank(s[i]))
			i++;
		Token *t = g_new0(Token, 1);
		g_ptr_array_add(toks, t);
		t->off = i;
		if (s[i] == '\0') {
			t->kind = TOK_END;
			t->text = g_strdup("");
			t->shown = g_strdup("nothing");
			t->end = i;
			return g_steal_pointer(&toks);
		}
		if (s[i] == '/') {
			size_t p = i + 1;
			while (s[p] != '\0' && s[p] != '/')
				p += s[p] == '\\' && s[p + 1] != '\0' ? 2 : 1;
			if (s[p] != '/') {
				*err = g_strdup_printf(
				    "unterminated regular expression '%s': a closing "
				    "'/' is missing",
				    s + i);
				return NULL;
			}
			t->kind = TOK_REGEX;
			t->text = g_strndup(s + i + 1, p - i - 1);
			size_t f = p + 1;
			while (g_ascii_isalpha(s[f]))
				f++;
			t->flags = g_strndup(s + p + 1, f - p - 1);
			i = f;
		} else if (s[i] == '"') {
			g_autoptr(GByteArray) b = g_byte_array_new();
			size_t p = i;
			if (!scan_string(s, &p, b, err))
				return NULL;
			t->kind = TOK_STRING;
			t->text = g_strndup(s + i, p - i);
			t->data = g_byte_array_free_to_bytes(g_steal_pointer(&b));
			i = p;
		} else if ((s[i] == '-' && s[i + 1] == '>') || (s[i] == '=' && s[i + 1] == '=') ||
		           (s[i] == '!' && s[i + 1] == '=')) {
			t->kind = TOK_PUNCT;
			t->text = g_strndup(s + i, 2);
			i += 2;
		} else if (is_punct(s[i])) {
			t->kind = TOK_PUNCT;
			t->text = g_strndup(s + i, 1);
			i++;
		} else {
			size_t p = i;
			while (is_word_char(s + p))
				p++;
			t->kind = TOK_WORD;
			t->text = g_strndup(s + i, p - i);
			i = p;
		}
		t->end = i;
		g_autofree char *raw = g_strndup(s + t->off, t->end - t->off);
		t->shown = g_strdup_printf("'%s'", raw);
	}
}

/* ---- parser ------------------------------------------------------------------------------ */

typedef struct {
	const SysDesc *d;
	const IniFile *ini;
	const char *key;
	int line;
	const char *value;
	GPtrArray *toks;
	guint pos;
	GError **error;
} Parser;

static gboolean perr(Parser *P, IniError code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean perr(Parser *P, IniError code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	ini_set_error(P->error, P->ini, P->line, code, "%s: %s", P->key, msg);
	return FALSE;
}

/* An error from an ini_parse_* call, located. */
static gboolean perr_value(Parser *P, GError *e)
{
	perr(P, INI_ERROR_VALUE, "%s", e->message);
	g_error_free(e);
	return FALSE;
}

static Token *peek(Parser *P)
{
	return g_ptr_array_index(P->toks, P->pos);
}

static Token *peek2(Parser *P)
{
	guint i = MIN(P->pos + 1, P->toks->len - 1);
	return g_ptr_array_index(P->toks, i);
}

static Token *take(Parser *P)
{
	Token *t = peek(P);
	if (t->kind != TOK_END)
		P->pos++;
	return t;
}

static gboolean tok_is(const Token *t, TokKind kind, const char *text)
{
	return t->kind == kind && (text == NULL || strcmp(t->text, text) == 0);
}

static gboolean at_punct(Parser *P, const char *p)
{
	return tok_is(peek(P), TOK_PUNCT, p);
}

static gboolean at_word(Parser *P, const char *w)
{
	return tok_is(peek(P), TOK_WORD, w);
}

/* Consume punctuation |p| or fail: "expected 'p' after CONTEXT, got ...". */
static gboolean want_punct(Parser *P, const char *p, const char *context)
{
	if (at_punct(P, p)) {
		take(P);
		return TRUE;
	}
	return perr(P, INI_ERROR_SYNTAX, "expected '%s' %s, got %s", p, context, peek(P)->shown);
}

/* A word, or fail: "expected WHAT, got ...". */
static Token *want_word(Parser *P, const char *what)
{
	if (peek(P)->kind == TOK_WORD)
		return take(P);
	perr(P, INI_ERROR_SYNTAX, "expected %s, got %s", what, peek(P)->shown);
	return NULL;
}

/* The value as written from token |from| up to the current one. */
static char *text_since(Parser *P, guint from)
{
	const Token *a = g_ptr_array_index(P->toks, from);
	const Token *b = g_ptr_array_index(P->toks, P->pos > from ? P->pos - 1 : from);
	return g_strndup(P->value + a->off, b->end > a->off ? b->end - a->off : 0);
}

static gboolean want_end(Parser *P, const char *what)
{
	if (peek(P)->kind == TOK_END)
		return TRUE;
	return perr(P, INI_ERROR_SYNTAX, "unexpected %s after %s", peek(P)->shown, what);
}

/* ---- names of the description ------------------------------------------------------------ */

static gboolean parse_task(Parser *P, bool any, int *out)
{
	Token *t = want_word(P, any ? "a task name or '*'" : "a task name");
	if (t == NULL)
		return FALSE;
	if (strcmp(t->text, "*") == 0) {
		*out = -1;
		if (any)
			return TRUE;
		return perr(P, INI_ERROR_SYNTAX, "'*' (any task) is not allowed here: name a task");
	}
	int i = sysdesc_find_task(P->d, t->text);
	if (i >= 0) {
		*out = i;
		return TRUE;
	}
	g_autofree const char **names = g_new0(const char *, P->d->n_tasks + 1);
	for (guint k = 0; k < P->d->n_tasks; k++)
		names[k] = P->d->tasks[k].name;
	g_autofree char *hint = ini_hint(t->text, names);
	return perr(P, INI_ERROR_UNKNOWN, "unknown task '%s'%s", t->text, hint);
}

static gboolean parse_name(Parser *P, const Name *table, const char *prefix, const char *what,
                           uint32_t *out)
{
	Token *t = want_word(P, what);
	if (t == NULL)
		return FALSE;
	if (name_lookup(table, prefix, t->text, out))
		return TRUE;
	const char *w = t->text;
	if (g_ascii_strncasecmp(w, prefix, strlen(prefix)) == 0)
		w += strlen(prefix);
	g_autoptr(GPtrArray) keep = g_ptr_array_new();
	g_autofree char *hint = ini_hint(w, name_list(table, keep));
	return perr(P, INI_ERROR_UNKNOWN, "unknown %s '%s'%s", what, t->text, hint);
}

static gboolean parse_syscall(Parser *P, uint32_t *nr)
{
	Token *t = want_word(P, "a system call name");
	if (t == NULL)
		return FALSE;
	if (syscall_lookup(t->text, nr))
		return TRUE;
	const char *names[SCRIPT_NSYSCALLS + 1];
	for (uint32_t i = 0; i < SCRIPT_NSYSCALLS; i++)
		names[i] = kernel_syscall_name(i);
	names[SCRIPT_NSYSCALLS] = NULL;
	const char *w = t->text;
	if (g_ascii_strncasecmp(w, "SYSCALL_", 8) == 0)
		w += 8;
	const char *s = ini_suggest(w, names);
	if (s != NULL)
		return perr(P, INI_ERROR_UNKNOWN, "unknown system call '%s' (did you mean '%s'?)",
		            t->text, s);
	return perr(P, INI_ERROR_UNKNOWN,
	            "unknown system call '%s' (the names of uapi.md 1.3 in lower case, such as "
	            "send_ipc or get_random)",
	            t->text);
}

static gboolean parse_duration(Parser *P, const char *what, uint64_t *out)
{
	Token *t = want_word(P, "a duration such as 10ms");
	if (t == NULL)
		return FALSE;
	GError *e = NULL;
	if (!ini_parse_duration_ns(t->text, what, 0, G_MAXUINT64 / 2, out, &e))
		return perr_value(P, e);
	return TRUE;
}

static gboolean parse_u32(Parser *P, const char *what, uint32_t *out)
{
	Token *t = want_word(P, what);
	if (t == NULL)
		return FALSE;
	guint64 v = 0;
	GError *e = NULL;
	if (!ini_parse_u64(t->text, what, 0, G_MAXUINT32, &v, &e))
		return perr_value(P, e);
	*out = (uint32_t)v;
	return TRUE;
}

/* An exit code: a signed 32-bit number ("-1", "0x10"). */
static gboolean parse_code(Parser *P, int32_t *out)
{
	Token *t = want_word(P, "an exit code");
	if (t == NULL)
		return FALSE;
	bool neg = t->text[0] == '-';
	guint64 v = 0;
	GError *e = NULL;
	if (!ini_parse_u64(t->text + neg, "exit code", 0, neg ? 0x80000000ull : 0xffffffffull, &v,
	                   &e))
		return perr_value(P, e);
	*out = neg ? (int32_t)(-(int64_t)v) : (int32_t)(uint32_t)v;
	return TRUE;
}

/* "PORT:PIN", a pin of a device with an owner (the kernel models only those, uapi.md 4.19). */
static gboolean parse_pin(Parser *P, uint8_t *port, uint8_t *pin)
{
	Token *t = want_word(P, "a GPIO pin PORT:PIN such as 0:5");
	if (t == NULL)
		return FALSE;
	const char *colon = strchr(t->text, ':');
	if (colon == NULL)
		return perr(P, INI_ERROR_VALUE, "a GPIO pin is PORT:PIN, such as 0:5 (got '%s')",
		            t->text);
	g_autofree char *ps = g_strndup(t->text, (gsize)(colon - t->text));
	guint64 po = 0, pi = 0;
	GError *e = NULL;
	if (!ini_parse_u64(ps, "GPIO port", 0, 255, &po, &e) ||
	    !ini_parse_u64(colon + 1, "GPIO pin", 0, 255, &pi, &e))
		return perr_value(P, e);
	const Board *b = &P->d->board;
	g_autoptr(GString) known = g_string_new(NULL);
	for (uint32_t i = 0; i < b->n_devices; i++) {
		const BoardDevice *dv = &b->devices[i];
		for (uint32_t j = 0; j < dv->n_ios; j++) {
			if (dv->ios[j].port != po || dv->ios[j].pin != pi) {
				if (dv->has_owner)
					g_string_append_printf(known, "%s%u:%u",
					                       known->len ? ", " : "",
					                       dv->ios[j].port, dv->ios[j].pin);
				continue;
			}
			if (!dv->has_owner)
				return perr(
				    P, INI_ERROR_INVALID,
				    "GPIO pin %s belongs to device '%s', which has no owner: "
				    "the kernel does not model it (give the device an 'owner')",
				    t->text, dv->name);
			*port = (uint8_t)po;
			*pin = (uint8_t)pi;
			return TRUE;
		}
	}
	if (known->len == 0)
		return perr(P, INI_ERROR_INVALID,
		            "no device declares GPIO pin %s (no device with an owner lists 'ios')",
		            t->text);
	return perr(P, INI_ERROR_INVALID, "no device declares GPIO pin %s (declared: %s)", t->text,
	            known->str);
}

/* "N" or "DEVICE" (its first IRQ), an IRQ of a device with an owner (uapi.md 4.20). */
static gboolean parse_irq(Parser *P, uint32_t *out)
{
	Token *t = want_word(P, "an IRQ number or a device name");
	if (t == NULL)
		return FALSE;
	const Board *b = &P->d->board;
	if (!g_ascii_isdigit(t->text[0])) {
		int i = sysdesc_find_device(P->d, t->text);
		if (i < 0) {
			g_autofree const char **names = g_new0(const char *, b->n_devices + 1);
			for (uint32_t k = 0; k < b->n_devices; k++)
				names[k] = b->devices[k].name;
			g_autofree char *hint = b->n_devices
			                            ? ini_hint(t->text, names)
			                            : g_strdup(" (the board has no device)");
			return perr(P, INI_ERROR_UNKNOWN, "unknown device '%s'%s", t->text, hint);
		}
		const BoardDevice *dv = &b->devices[i];
		if (dv->n_irqs == 0)
			return perr(P, INI_ERROR_INVALID, "device '%s' has no 'interrupts'",
			            dv->name);
		if (!dv->has_owner)
			return perr(P, INI_ERROR_INVALID,
			            "device '%s' has no owner: the kernel does not list it, so its "
			            "IRQs go nowhere (give it an 'owner')",
			            dv->name);
		*out = dv->irqs[0];
		return TRUE;
	}
	guint64 v = 0;
	GError *e = NULL;
	if (!ini_parse_u64(t->text, "IRQ", 0, 65535, &v, &e))
		return perr_value(P, e);
	const BoardDevice *unowned = NULL;
	for (uint32_t i = 0; i < b->n_devices; i++) {
		const BoardDevice *dv = &b->devices[i];
		for (uint32_t j = 0; j < dv->n_irqs; j++) {
			if (dv->irqs[j] != v)
				continue;
			if (dv->has_owner) {
				*out = (uint32_t)v;
				return TRUE;
			}
			unowned = unowned ? unowned : dv;
		}
	}
	if (unowned != NULL)
		return perr(P, INI_ERROR_INVALID,
		            "IRQ %" PRIu64
		            " belongs to device '%s', which has no owner: the kernel "
		            "does not list it (give it an 'owner')",
		            v, unowned->name);
	return perr(P, INI_ERROR_INVALID, "no device declares IRQ %" PRIu64 " in its 'interrupts'",
	            v);
}

/* "0xADDR" or "DEVICE+OFFSET": a 32-bit register inside a device's register window. */
static gboolean parse_register(Parser *P, uint64_t *addr, char **where)
{
	guint from = P->pos;
	Token *t = want_word(P, "a register address (0xADDR or DEVICE+OFFSET)");
	if (t == NULL)
		return FALSE;
	const Board *b = &P->d->board;
	uint64_t a = 0;
	GError *e = NULL;
	if (g_ascii_isdigit(t->text[0])) {
		if (!ini_parse_u64(t->text, "register address", 0, 0xffffffffull, &a, &e))
			return perr_value(P, e);
	} else {
		int i = sysdesc_find_device(P->d, t->text);
		if (i < 0) {
			g_autofree const char **names = g_new0(const char *, b->n_devices + 1);
			for (uint32_t k = 0; k < b->n_devices; k++)
				names[k] = b->devices[k].name;
			g_autofree char *hint = b->n_devices
			                            ? ini_hint(t->text, names)
			                            : g_strdup(" (the board has no device)");
			return perr(P, INI_ERROR_UNKNOWN, "unknown device '%s'%s", t->text, hint);
		}
		const BoardDevice *dv = &b->devices[i];
		if (dv->size == 0)
			return perr(P, INI_ERROR_INVALID, "device '%s' has no register window",
			            dv->name);
		uint64_t off = 0;
		if (at_punct(P, "+")) {
			take(P);
			Token *o = want_word(P, "a register offset after '+'");
			if (o == NULL)
				return FALSE;
			if (!ini_parse_u64(o->text, "register offset", 0, 0xffffffffull, &off, &e))
				return perr_value(P, e);
		}
		a = dv->base + off;
	}
	g_autofree char *shown = text_since(P, from);
	if (a % 4 != 0)
		return perr(P, INI_ERROR_VALUE,
		            "register %s (0x%08" PRIx64 ") is not 4-byte aligned", shown, a);
	g_autoptr(GString) windows = g_string_new(NULL);
	for (uint32_t i = 0; i < b->n_devices; i++) {
		const BoardDevice *dv = &b->devices[i];
		if (dv->size == 0)
			continue;
		if (a >= dv->base && a + 4 <= dv->base + dv->size) {
			*addr = a;
			*where = g_steal_pointer(&shown);
			return TRUE;
		}
		g_string_append_printf(windows, "%s%s 0x%08" PRIx64 "-0x%08" PRIx64,
		                       windows->len ? ", " : "", dv->name, dv->base,
		                       dv->base + dv->size - 1);
	}
	if (windows->len == 0)
		return perr(P, INI_ERROR_INVALID,
		            "register %s: no device of the board has a register window", shown);
	return perr(P, INI_ERROR_INVALID,
	            "register %s (0x%08" PRIx64 ") is in no device's "
	            "register window (%s)",
	            shown, a, windows->str);
}

/* ---- events ------------------------------------------------------------------------------ */

typedef gboolean (*EventArgsFn)(Parser *P, Event *e);

static const char *task_text(const Parser *P, int task)
{
	return task < 0 ? "*" : P->d->tasks[task].name;
}

static gboolean ev_log(Parser *P, Event *e)
{
	if (!parse_task(P, true, &e->task) || !want_punct(P, ",", "after the task of 'log('"))
		return FALSE;
	Token *t = peek(P);
	if (t->kind != TOK_REGEX)
		return perr(P, INI_ERROR_SYNTAX,
		            "expected a regular expression /.../ in 'log(', got %s", t->shown);
	take(P);
	GRegexCompileFlags flags = G_REGEX_RAW;
	for (const char *f = t->flags; *f != '\0'; f++) {
		if (*f != 'i')
			return perr(
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
		return perr(P, INI_ERROR_VALUE, "invalid regular expression /%s/: %s", t->text,
		            msg);
	}
	e->re_text = g_strdup_printf("/%s/%s", t->text, t->flags);
	e->text = g_strdup_printf("log(%s, %s)", task_text(P, e->task), e->re_text);
	return TRUE;
}

static gboolean ev_syscall(Parser *P, Event *e)
{
	if (!parse_task(P, true, &e->task) || !want_punct(P, ",", "after the task of 'syscall('") ||
	    !parse_syscall(P, &e->nr))
		return FALSE;
	e->text =
	    g_strdup_printf("syscall(%s, %s)", task_text(P, e->task), kernel_syscall_name(e->nr));
	return TRUE;
}

static gboolean ev_exit(Parser *P, Event *e)
{
	if (!parse_task(P, true, &e->task))
		return FALSE;
	if (at_punct(P, ",")) {
		take(P);
		if (!parse_code(P, &e->code))
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
	if (!parse_task(P, true, &e->task))
		return FALSE;
	e->text = g_strdup_printf("fault(%s)", task_text(P, e->task));
	return TRUE;
}

static gboolean ev_state(Parser *P, Event *e)
{
	uint32_t s = 0;
	if (!parse_task(P, false, &e->task) || !want_punct(P, ",", "after the task of 'state('") ||
	    !parse_name(P, state_names, "JOB_STATE_", "job state", &s))
		return FALSE;
	e->state = (int)s;
	e->text = g_strdup_printf("state(%s, %s)", task_text(P, e->task), state_name(e->state));
	return TRUE;
}

static gboolean ev_respawn(Parser *P, Event *e)
{
	if (!parse_task(P, true, &e->task))
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
};

static const char *const event_names[] = {"log",   "syscall", "exit",  "fault",
                                          "state", "respawn", "panic", NULL};

/* Whether the next tokens start an event: a word and '('. */
static gboolean at_event(Parser *P)
{
	return peek(P)->kind == TOK_WORD && tok_is(peek2(P), TOK_PUNCT, "(");
}

/* "NAME(ARGS)". |what| names the place for messages ("a condition"). */
static Event *parse_event(Parser *P, const char *what)
{
	if (!at_event(P)) {
		perr(P, INI_ERROR_SYNTAX,
		     "expected %s: an event such as log(TASK, /regex/), got %s", what,
		     peek(P)->shown);
		return NULL;
	}
	Token *t = take(P);
	take(P); /* ( */
	for (int k = 0; k < EV_COUNT; k++) {
		if (strcmp(t->text, event_kinds[k].name) != 0)
			continue;
		Event *e = g_new0(Event, 1);
		e->kind = (EventKind)k;
		g_autofree char *context = g_strdup_printf("to close '%s('", t->text);
		if (!event_kinds[k].args(P, e) || !want_punct(P, ")", context)) {
			event_free(e);
			return NULL;
		}
		return e;
	}
	g_autofree char *hint = ini_hint(t->text, event_names);
	perr(P, INI_ERROR_UNKNOWN, "unknown event '%s('%s", t->text, hint);
	return NULL;
}

/* ---- actions ----------------------------------------------------------------------------- */

typedef gboolean (*ActionParseFn)(Parser *P, Action *a);

static gboolean act_irq(Parser *P, Action *a)
{
	return parse_irq(P, &a->irq);
}

static gboolean act_gpio(Parser *P, Action *a)
{
	if (!parse_pin(P, &a->port, &a->pin))
		return FALSE;
	Token *t = want_word(P, "high, low or release after the pin");
	if (t == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(t->text, "high") == 0 || strcmp(t->text, "1") == 0)
		a->level = GPIO_HIGH;
	else if (g_ascii_strcasecmp(t->text, "low") == 0 || strcmp(t->text, "0") == 0)
		a->level = GPIO_LOW;
	else if (g_ascii_strcasecmp(t->text, "release") == 0)
		a->level = GPIO_RELEASE;
	else
		return perr(P, INI_ERROR_VALUE, "a pin is driven high, low or release (got '%s')",
		            t->text);
	return TRUE;
}

static gboolean act_write(Parser *P, Action *a)
{
	g_autofree char *where = NULL;
	return parse_register(P, &a->addr, &where) && parse_u32(P, "register value", &a->value);
}

static gboolean act_dma(Parser *P, Action *a)
{
	Token *t = want_word(P, "a DMA stream name");
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
		return perr(P, INI_ERROR_UNKNOWN, "unknown DMA stream '%s'%s", t->text, hint);
	}
	const BoardDma *s = &d->board.dmas[i];
	if (s->source.kind != BOARD_END_DEVICE)
		return perr(P, INI_ERROR_INVALID,
		            "DMA stream '%s' reads from SHM '%s', not from a device: only a stream "
		            "whose source is a device takes bytes from the script",
		            s->name, d->board.shms[s->source.index].name);
	a->stream = (uint32_t)i;
	Token *b = peek(P);
	if (b->kind != TOK_STRING)
		return perr(P, INI_ERROR_SYNTAX,
		            "expected the bytes as a \"string\" after '%s', got %s", s->name,
		            b->shown);
	take(P);
	if (g_bytes_get_size(b->data) == 0)
		return perr(P, INI_ERROR_VALUE, "no bytes to feed to DMA stream '%s'", s->name);
	a->bytes = g_bytes_ref(b->data);
	return TRUE;
}

static gboolean act_signal(Parser *P, Action *a)
{
	int task = 0;
	if (!parse_task(P, false, &task) ||
	    !parse_name(P, signal_names, "SIGNAL_", "signal", &a->sig))
		return FALSE;
	a->task = (uint32_t)task;
	return TRUE;
}

static gboolean act_task(Parser *P, Action *a)
{
	int task = 0;
	if (!parse_task(P, false, &task))
		return FALSE;
	a->task = (uint32_t)task;
	return TRUE;
}

/* "TASK SYSCALL STATUS [xN | always]" */
static gboolean act_inject(Parser *P, Action *a)
{
	int task = 0;
	if (!parse_task(P, false, &task) || !parse_syscall(P, &a->nr))
		return FALSE;
	a->task = (uint32_t)task;
	if (a->nr == SYSCALL_EXIT)
		return perr(P, INI_ERROR_INVALID,
		            "exit cannot fail: it never returns (uapi.md 4.1)");
	Token *st = peek(P);
	if (st->kind == TOK_WORD && (g_ascii_strcasecmp(st->text, "NON_SENSE") == 0 ||
	                             g_ascii_strcasecmp(st->text, "STATUS_NON_SENSE") == 0))
		return perr(
		    P, INI_ERROR_VALUE,
		    "NON_SENSE is never delivered: a task resumed with it is a kernel panic "
		    "(uapi.md 1.1)");
	if (!parse_name(P, status_names, "STATUS_", "status", &a->status))
		return FALSE;
	a->count = 1;
	if (at_word(P, "always")) {
		take(P);
		a->count = 0;
	} else if (peek(P)->kind == TOK_WORD &&
	           (peek(P)->text[0] == 'x' || peek(P)->text[0] == 'X')) {
		Token *n = take(P);
		guint64 v = 0;
		GError *e = NULL;
		if (!ini_parse_u64(n->text + 1, "count after 'x'", 1, G_MAXUINT32, &v, &e))
			return perr_value(P, e);
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
};

static const char *const action_names[] = {"irq",   "gpio", "write",   "dma",    "signal",
                                           "start", "kill", "restart", "inject", NULL};

static Action *parse_action(Parser *P)
{
	guint from = P->pos;
	Token *t = want_word(P, "an action (irq, gpio, write, dma, signal, start, kill, restart "
	                        "or inject)");
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
		a->text = text_since(P, from);
		if (peek(P)->kind != TOK_END && !at_punct(P, ";")) {
			perr(P, INI_ERROR_SYNTAX,
			     "unexpected %s after '%s' (separate actions with ';')", peek(P)->shown,
			     a->text);
			action_free(a);
			return NULL;
		}
		return a;
	}
	g_autofree char *hint = ini_hint(t->text, action_names);
	perr(P, INI_ERROR_UNKNOWN, "unknown action '%s'%s", t->text, hint);
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
		if (!at_punct(P, ";"))
			return g_steal_pointer(&list);
		take(P);
	}
}

/* ---- expectations ------------------------------------------------------------------------ */

typedef gboolean (*ExpectParseFn)(Parser *P, Expect *x);

/* "[after EVENT] [within DURATION] [before EVENT]", in any order, each at most once. */
static gboolean parse_window(Parser *P, Expect *x)
{
	while (peek(P)->kind != TOK_END) {
		Token *t = peek(P);
		if (tok_is(t, TOK_WORD, "within") && !x->has_within) {
			take(P);
			if (!parse_duration(P, "within", &x->within_ns))
				return FALSE;
			x->has_within = true;
		} else if (tok_is(t, TOK_WORD, "after") && x->after == NULL) {
			take(P);
			if ((x->after = parse_event(P, "an event after 'after'")) == NULL)
				return FALSE;
		} else if (tok_is(t, TOK_WORD, "before") && x->before == NULL) {
			take(P);
			if ((x->before = parse_event(P, "an event after 'before'")) == NULL)
				return FALSE;
		} else if (tok_is(t, TOK_WORD, "within") || tok_is(t, TOK_WORD, "after") ||
		           tok_is(t, TOK_WORD, "before")) {
			return perr(P, INI_ERROR_SYNTAX, "'%s' is given twice", t->text);
		} else {
			return perr(P, INI_ERROR_SYNTAX,
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
		if (!at_punct(P, "<"))
			break;
		take(P);
	}
	if (x->order->len < 2)
		return perr(P, INI_ERROR_SYNTAX,
		            "'order' needs at least two events: order EVENT < EVENT [< EVENT]...");
	return want_end(P, "the last event");
}

/* "state TASK STATE [exit CODE]" */
static gboolean exp_state(Parser *P, Expect *x)
{
	uint32_t s = 0;
	if (!parse_task(P, false, &x->task) ||
	    !parse_name(P, state_names, "JOB_STATE_", "job state", &s))
		return FALSE;
	x->state = (int)s;
	if (at_word(P, "exit")) {
		take(P);
		if (!parse_code(P, &x->exit_code))
			return FALSE;
		x->has_exit = true;
	}
	return want_end(P, "the state");
}

static gboolean parse_at_time(Parser *P, Expect *x)
{
	if (!at_word(P, "at"))
		return TRUE;
	take(P);
	const Token *t = peek(P);
	if (!parse_duration(P, "at", &x->at_ns))
		return FALSE;
	x->has_at = true;
	if (P->d->duration_ns && x->at_ns > P->d->duration_ns) {
		g_autofree char *d = ini_format_duration(P->d->duration_ns);
		return perr(P, INI_ERROR_INVALID,
		            "'at %s' is after the end of the run (duration = %s)", t->text, d);
	}
	return TRUE;
}

/* "gpio PORT:PIN high|low [at TIME]" */
static gboolean exp_gpio(Parser *P, Expect *x)
{
	if (!parse_pin(P, &x->port, &x->pin))
		return FALSE;
	Token *t = want_word(P, "high or low after the pin");
	if (t == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(t->text, "high") == 0 || strcmp(t->text, "1") == 0)
		x->level = true;
	else if (g_ascii_strcasecmp(t->text, "low") == 0 || strcmp(t->text, "0") == 0)
		x->level = false;
	else
		return perr(P, INI_ERROR_VALUE, "a pin level is high or low (got '%s')", t->text);
	return parse_at_time(P, x) && want_end(P, "the level");
}

/* "reg ADDRESS [& MASK] ==|!= VALUE [at TIME]" */
static gboolean exp_reg(Parser *P, Expect *x)
{
	if (!parse_register(P, &x->addr, &x->where))
		return FALSE;
	x->mask = 0xffffffffu;
	if (at_punct(P, "&")) {
		take(P);
		if (!parse_u32(P, "mask", &x->mask))
			return FALSE;
	}
	if (at_punct(P, "==") || at_punct(P, "!=")) {
		x->ne = strcmp(take(P)->text, "!=") == 0;
	} else {
		return perr(P, INI_ERROR_SYNTAX, "expected '==' or '!=' after the register, got %s",
		            peek(P)->shown);
	}
	if (!parse_u32(P, "register value", &x->value))
		return FALSE;
	if ((x->value & ~x->mask) != 0)
		return perr(P, INI_ERROR_VALUE,
		            "value 0x%08" PRIx32 " has bits outside mask 0x%08" PRIx32
		            ": it can never match",
		            x->value, x->mask);
	return parse_at_time(P, x) && want_end(P, "the value");
}

/* "no-fault", "no-deadlock", "no-panic": the keyword alone. */
static gboolean exp_plain(Parser *P, Expect *x)
{
	const Token *kw = g_ptr_array_index(P->toks, P->pos - 1);
	return want_end(P, kw->shown);
}

/* "finish within DURATION" */
static gboolean exp_finish(Parser *P, Expect *x)
{
	if (!at_word(P, "within"))
		return perr(P, INI_ERROR_SYNTAX,
		            "expected 'within DURATION' after 'finish', got %s", peek(P)->shown);
	take(P);
	return parse_duration(P, "within", &x->finish_ns) && want_end(P, "the duration");
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

static gboolean parse_expect(Parser *P, Step *st)
{
	if (at_event(P)) {
		st->ex.kind = EXP_HAPPENS;
		return exp_happens(P, &st->ex);
	}
	Token *t = want_word(P, "an expectation");
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
		return perr(P, INI_ERROR_UNKNOWN,
		            "unknown expectation '%s' (did you mean the event "
		            "'%s(...)'?)",
		            t->text, s);
	if (s != NULL)
		return perr(P, INI_ERROR_UNKNOWN, "unknown expectation '%s' (did you mean '%s'?)",
		            t->text, s);
	return perr(P, INI_ERROR_UNKNOWN,
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
		return perr(P, INI_ERROR_SYNTAX,
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
		return perr(P, INI_ERROR_SYNTAX,
		            "expected '.' and a tag after the time in the key, such as at.10ms.2 "
		            "(got '%s')",
		            rest);
	g_autofree char *time = g_strndup(rest, (gsize)(p - rest));
	GError *e = NULL;
	if (!ini_parse_duration_ns(time, "at", 0, G_MAXUINT64 / 2, &st->at_ns, &e))
		return perr_value(P, e);
	if (P->d->duration_ns && st->at_ns > P->d->duration_ns) {
		g_autofree char *d = ini_format_duration(P->d->duration_ns);
		return perr(P, INI_ERROR_INVALID, "%s is after the end of the run (duration = %s)",
		            time, d);
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
	if (at_punct(P, "+")) {
		take(P);
		if (!parse_duration(P, "delay", &st->delay_ns))
			return FALSE;
	}
	if (!want_punct(P, "->", "between the condition and the actions"))
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
	a->text = text_since(P, from);
	g_autofree char *shown = g_strdup_printf("'%s'", a->text);
	return want_end(P, shown);
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
	g_autoptr(GPtrArray) toks = tokenize(value, &lex_err);
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
		if (what == NULL)
			continue;
		g_set_error(error, INI_ERROR, INI_ERROR_INVALID,
		            "%s:%d: %s: this step needs %s, which this run does not provide",
		            s->path, st->line, st->key, what);
		return FALSE;
	}
	return TRUE;
}

/* ==== the engine ========================================================================== */

typedef enum {
	OBS_LOG,
	OBS_SYSCALL,
	OBS_FAULT,
	OBS_PANIC,
	OBS_STATE,
	OBS_RESPAWN,
	OBS_DEADLOCK,
} ObsKind;

/* One thing that happened, as the observers saw it. */
typedef struct {
	ObsKind kind;
	uint32_t task;
	const char *line; /* OBS_LOG: the line, without its newline */
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
	int state;    /* as last polled (display_state) */
	uint32_t gen; /* job generation as last polled; 0 before boot */
	bool exited;  /* called exit, with |exit_code| */
	int32_t exit_code;
	bool killing; /* the script is killing it: its fault report is the script's doing */
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
	StimRun *stims;     /* per step */
	ExpRun *exps;       /* per expectation */
	GArray *injections; /* of Injection; the latest armed first */
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
		return g_strdup_printf("%s, exit %" PRId32, state_name(s),
		                       kernel_task_exit_code(r->env.k, id));
	return g_strdup(state_name(s));
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
	case EV_COUNT:
		break;
	}
	return false;
}

/* "'server' logged "x" at 12ms": an observation in words. */
static char *obs_text(const ScriptRun *r, const Obs *o)
{
	g_autofree char *t = fmt_ns(o->now);
	const char *who = tname(r, o->task);
	switch (o->kind) {
	case OBS_LOG: {
		g_autofree char *line = escape_bytes(o->line, o->len);
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
		return g_strdup_printf("'%s' became %s at %s", who, state_name(o->state), t);
	case OBS_RESPAWN:
		return g_strdup_printf("'%s' respawned at %s", who, t);
	case OBS_PANIC:
	case OBS_DEADLOCK:
		return g_strdup_printf("at %s, %s", t, o->text);
	}
	return g_strdup("?");
}

/* What did not happen: "no line of 'server' matched /x/|when| (it is WAITFOREVENT)". */
static char *absence(const ScriptRun *r, const Event *e, const char *when)
{
	GString *s = g_string_new(NULL);
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
		g_string_printf(s, "'%s' did not become %s", who, state_name(e->state));
		break;
	case EV_RESPAWN:
		g_string_printf(s, who ? "'%s' did not respawn" : "no task respawned", who);
		break;
	case EV_PANIC:
	case EV_COUNT:
		g_string_printf(s, "the kernel did not panic");
		break;
	}
	g_string_append(s, when);
	if (who != NULL) {
		g_autofree char *st = state_text(r, (uint32_t)e->task);
		g_string_append_printf(s, " (it is %s)", st);
	}
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

/* Every step sees |o|, in file order. */
static void observe(ScriptRun *r, const Obs *o)
{
	if (r->finished || (r->stopped && !r->finishing))
		return;
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
	t->ring[t->ring_next] = escape_bytes(line, len);
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
			                       state_name(display_state(r, a->task)));
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
	g_autofree char *end = fmt_ns(sat_add(x->anchor_ns, e->within_ns));
	if (e->after == NULL)
		return g_strdup_printf(" by %s", end);
	g_autofree char *w = fmt_ns(e->within_ns), *a = fmt_ns(x->anchor_ns);
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
	uint8_t *p = r->env.memory ? r->env.memory(r->env.data, e->addr, 4) : NULL;
	if (p == NULL) {
		exp_fail(r, st, now, "the board memory does not back %s (0x%08" PRIx64 ")",
		         e->where, e->addr);
		return;
	}
	uint32_t v;
	memcpy(&v, p, 4);
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
				g_autofree char *t = fmt_ns(e->finish_ns);
				exp_fail(r, st, now, "the run was still going at %s", t);
			}
			break;
		case EXP_GPIO:
		case EXP_REG:
			if (checks && e->has_at && e->at_ns <= now) {
				g_autofree char *t = fmt_ns(now);
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
		for (guint j = 0; j < SCRIPT_RING; j++)
			g_free(r->tasks[i].ring[j]);
	}
	g_free(r->tasks);
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
	g_autofree char *t = fmt_ns(r->end_ns);
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
			g_autofree char *t = fmt_ns(x->seen_ns[x->next - 1]);
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
		g_autofree char *t = fmt_ns(now);
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
			g_autofree char *t = fmt_ns(now);
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

gboolean script_run_finish(ScriptRun *r, ScriptEnd end, GString *diagnosis)
{
	g_return_val_if_fail(!r->finished, FALSE);
	r->finishing = true;
	r->end = end;
	r->end_ns = MAX(r->now, kernel_now_ns(r->env.k));
	for (uint32_t i = 0; i < r->n; i++)
		if (r->tasks[i].partial->len > 0)
			log_line(r, i, r->end_ns); /* a last line without its newline */
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

	gboolean ok = !r->error && r->first_fail < 0 && not_evaluated < 0;
	if (ok || diagnosis == NULL)
		return ok;
	g_autofree char *how = end_text(r);
	if (r->error) {
		g_string_append_printf(diagnosis, "%s\n  run: %s\n", r->error_text, how);
	} else {
		int i = r->first_fail >= 0 ? r->first_fail : not_evaluated;
		const Step *st = g_ptr_array_index(r->s->expects, i);
		const ExpRun *x = &r->exps[i];
		if (x->v == SCRIPT_VERDICT_FAILED) {
			g_autofree char *t = fmt_ns(x->at_ns);
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
