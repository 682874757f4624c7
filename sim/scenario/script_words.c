/*
 * script_words.c: the words of the script language (see script_priv.h): the names it knows
 * (statuses, signals, job states, system calls), the tokenizer, the parser's primitives, and
 * the readers of the names a description defines (tasks, pins, IRQs, registers). The steps
 * built from them are script_parse.c's.
 */
#include "config.h"

#define LIBBSD_OPENBSD_VIS 1
#include <bsd/vis.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <uapi/types.h>

#include "sim/kernel/registry.h"
#include "sim/periph/periph.h"
#include "sim/scenario/script.h"
#include "sim/scenario/script_priv.h"

/* ---- names ------------------------------------------------------------------------------- */

/* uapi.md 1.3: STATUS_NON_SENSE is never delivered, so it cannot be injected. */
const Name script_status_names[] = {
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
const Name script_signal_names[] = {
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
const Name script_state_names[] = {
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

const char *script_state_name(int s)
{
	for (const Name *n = script_state_names; n->name != NULL; n++)
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

/* A system call by its name or its SYSCALL_ enumerator, any case (the kernel's registry). */
static gboolean syscall_lookup(const char *word, uint32_t *nr)
{
	return kernel_syscall_lookup(word, nr);
}

/* ---- formatting -------------------------------------------------------------------------- */

/* Virtual time, exact, in the largest unit that reads well: "0s", "1.5us", "120.5ms", "2s". */
char *script_fmt_ns(uint64_t ns)
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
char *script_escape_bytes(const char *bytes, size_t len)
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

void sp_token_free(gpointer p)
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
GPtrArray *sp_tokenize(const char *s, char **err)
{
	g_autoptr(GPtrArray) toks = g_ptr_array_new_with_free_func(sp_token_free);
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

gboolean sp_perr(Parser *P, IniError code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
gboolean sp_perr(Parser *P, IniError code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	ini_set_error(P->error, P->ini, P->line, code, "%s: %s", P->key, msg);
	return FALSE;
}

/* An error from an ini_parse_* call, located. */
gboolean sp_perr_value(Parser *P, GError *e)
{
	sp_perr(P, INI_ERROR_VALUE, "%s", e->message);
	g_error_free(e);
	return FALSE;
}

Token *sp_peek(Parser *P)
{
	return g_ptr_array_index(P->toks, P->pos);
}

Token *sp_peek2(Parser *P)
{
	guint i = MIN(P->pos + 1, P->toks->len - 1);
	return g_ptr_array_index(P->toks, i);
}

Token *sp_take(Parser *P)
{
	Token *t = sp_peek(P);
	if (t->kind != TOK_END)
		P->pos++;
	return t;
}

gboolean sp_tok_is(const Token *t, TokKind kind, const char *text)
{
	return t->kind == kind && (text == NULL || strcmp(t->text, text) == 0);
}

gboolean sp_at_punct(Parser *P, const char *p)
{
	return sp_tok_is(sp_peek(P), TOK_PUNCT, p);
}

gboolean sp_at_word(Parser *P, const char *w)
{
	return sp_tok_is(sp_peek(P), TOK_WORD, w);
}

/* Consume punctuation |p| or fail: "expected 'p' after CONTEXT, got ...". */
gboolean sp_want_punct(Parser *P, const char *p, const char *context)
{
	if (sp_at_punct(P, p)) {
		sp_take(P);
		return TRUE;
	}
	return sp_perr(P, INI_ERROR_SYNTAX, "expected '%s' %s, got %s", p, context,
	               sp_peek(P)->shown);
}

/* A word, or fail: "expected WHAT, got ...". */
Token *sp_want_word(Parser *P, const char *what)
{
	if (sp_peek(P)->kind == TOK_WORD)
		return sp_take(P);
	sp_perr(P, INI_ERROR_SYNTAX, "expected %s, got %s", what, sp_peek(P)->shown);
	return NULL;
}

/* The value as written from token |from| up to the current one. */
char *sp_text_since(Parser *P, guint from)
{
	const Token *a = g_ptr_array_index(P->toks, from);
	const Token *b = g_ptr_array_index(P->toks, P->pos > from ? P->pos - 1 : from);
	return g_strndup(P->value + a->off, b->end > a->off ? b->end - a->off : 0);
}

gboolean sp_want_end(Parser *P, const char *what)
{
	if (sp_peek(P)->kind == TOK_END)
		return TRUE;
	return sp_perr(P, INI_ERROR_SYNTAX, "unexpected %s after %s", sp_peek(P)->shown, what);
}

/* ---- names of the description ------------------------------------------------------------ */

gboolean sp_parse_task(Parser *P, bool any, int *out)
{
	Token *t = sp_want_word(P, any ? "a task name or '*'" : "a task name");
	if (t == NULL)
		return FALSE;
	if (strcmp(t->text, "*") == 0) {
		*out = -1;
		if (any)
			return TRUE;
		return sp_perr(P, INI_ERROR_SYNTAX,
		               "'*' (any task) is not allowed here: name a task");
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
	return sp_perr(P, INI_ERROR_UNKNOWN, "unknown task '%s'%s", t->text, hint);
}

gboolean sp_parse_name(Parser *P, const Name *table, const char *prefix, const char *what,
                       uint32_t *out)
{
	Token *t = sp_want_word(P, what);
	if (t == NULL)
		return FALSE;
	if (name_lookup(table, prefix, t->text, out))
		return TRUE;
	const char *w = t->text;
	if (g_ascii_strncasecmp(w, prefix, strlen(prefix)) == 0)
		w += strlen(prefix);
	g_autoptr(GPtrArray) keep = g_ptr_array_new();
	g_autofree char *hint = ini_hint(w, name_list(table, keep));
	return sp_perr(P, INI_ERROR_UNKNOWN, "unknown %s '%s'%s", what, t->text, hint);
}

gboolean sp_parse_syscall(Parser *P, uint32_t *nr)
{
	Token *t = sp_want_word(P, "a system call name");
	if (t == NULL)
		return FALSE;
	if (syscall_lookup(t->text, nr))
		return TRUE;
	const char *names[KERNEL_SYSCALL_COUNT + 1];
	for (uint32_t i = 0; i < KERNEL_SYSCALL_COUNT; i++)
		names[i] = kernel_syscall_name(i);
	names[KERNEL_SYSCALL_COUNT] = NULL;
	const char *w = t->text;
	if (g_ascii_strncasecmp(w, "SYSCALL_", 8) == 0)
		w += 8;
	const char *s = ini_suggest(w, names);
	if (s != NULL)
		return sp_perr(P, INI_ERROR_UNKNOWN,
		               "unknown system call '%s' (did you mean '%s'?)", t->text, s);
	return sp_perr(P, INI_ERROR_UNKNOWN,
	               "unknown system call '%s' (the names of uapi.md 1.3 in lower case, such as "
	               "send_ipc or get_random)",
	               t->text);
}

gboolean sp_parse_duration(Parser *P, const char *what, uint64_t *out)
{
	Token *t = sp_want_word(P, "a duration such as 10ms");
	if (t == NULL)
		return FALSE;
	GError *e = NULL;
	if (!ini_parse_duration_ns(t->text, what, 0, G_MAXUINT64 / 2, out, &e))
		return sp_perr_value(P, e);
	return TRUE;
}

gboolean sp_parse_u32(Parser *P, const char *what, uint32_t *out)
{
	Token *t = sp_want_word(P, what);
	if (t == NULL)
		return FALSE;
	guint64 v = 0;
	GError *e = NULL;
	if (!ini_parse_u64(t->text, what, 0, G_MAXUINT32, &v, &e))
		return sp_perr_value(P, e);
	*out = (uint32_t)v;
	return TRUE;
}

/* An exit code: a signed 32-bit number ("-1", "0x10"). */
gboolean sp_parse_code(Parser *P, int32_t *out)
{
	Token *t = sp_want_word(P, "an exit code");
	if (t == NULL)
		return FALSE;
	bool neg = t->text[0] == '-';
	guint64 v = 0;
	GError *e = NULL;
	if (!ini_parse_u64(t->text + neg, "exit code", 0, neg ? 0x80000000ull : 0xffffffffull, &v,
	                   &e))
		return sp_perr_value(P, e);
	*out = neg ? (int32_t)(-(int64_t)v) : (int32_t)(uint32_t)v;
	return TRUE;
}

/* "PORT:PIN", a pin of a device with an owner (the kernel models only those, uapi.md 4.19). */
gboolean sp_parse_pin(Parser *P, uint8_t *port, uint8_t *pin)
{
	Token *t = sp_want_word(P, "a GPIO pin PORT:PIN such as 0:5");
	if (t == NULL)
		return FALSE;
	const char *colon = strchr(t->text, ':');
	if (colon == NULL)
		return sp_perr(P, INI_ERROR_VALUE, "a GPIO pin is PORT:PIN, such as 0:5 (got '%s')",
		               t->text);
	g_autofree char *ps = g_strndup(t->text, (gsize)(colon - t->text));
	guint64 po = 0, pi = 0;
	GError *e = NULL;
	if (!ini_parse_u64(ps, "GPIO port", 0, 255, &po, &e) ||
	    !ini_parse_u64(colon + 1, "GPIO pin", 0, 255, &pi, &e))
		return sp_perr_value(P, e);
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
				return sp_perr(
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
		return sp_perr(
		    P, INI_ERROR_INVALID,
		    "no device declares GPIO pin %s (no device with an owner lists 'ios')",
		    t->text);
	return sp_perr(P, INI_ERROR_INVALID, "no device declares GPIO pin %s (declared: %s)",
	               t->text, known->str);
}

/* The board's device named |name|, or -1 with an "unknown device" error and a hint. */
static int find_device(Parser *P, const char *name)
{
	int i = sysdesc_find_device(P->d, name);
	if (i >= 0)
		return i;
	const Board *b = &P->d->board;
	g_autofree const char **names = g_new0(const char *, b->n_devices + 1);
	for (uint32_t k = 0; k < b->n_devices; k++)
		names[k] = b->devices[k].name;
	g_autofree char *hint =
	    b->n_devices ? ini_hint(name, names) : g_strdup(" (the board has no device)");
	sp_perr(P, INI_ERROR_UNKNOWN, "unknown device '%s'%s", name, hint);
	return -1;
}

/* "N" or "DEVICE" (its first IRQ), an IRQ of a device with an owner (uapi.md 4.20). */
gboolean sp_parse_irq(Parser *P, uint32_t *out)
{
	Token *t = sp_want_word(P, "an IRQ number or a device name");
	if (t == NULL)
		return FALSE;
	const Board *b = &P->d->board;
	if (!g_ascii_isdigit(t->text[0])) {
		int i = find_device(P, t->text);
		if (i < 0)
			return FALSE;
		const BoardDevice *dv = &b->devices[i];
		if (dv->n_irqs == 0)
			return sp_perr(P, INI_ERROR_INVALID, "device '%s' has no 'interrupts'",
			               dv->name);
		if (!dv->has_owner)
			return sp_perr(
			    P, INI_ERROR_INVALID,
			    "device '%s' has no owner: the kernel does not list it, so its "
			    "IRQs go nowhere (give it an 'owner')",
			    dv->name);
		*out = dv->irqs[0];
		return TRUE;
	}
	guint64 v = 0;
	GError *e = NULL;
	if (!ini_parse_u64(t->text, "IRQ", 0, 65535, &v, &e))
		return sp_perr_value(P, e);
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
		return sp_perr(P, INI_ERROR_INVALID,
		               "IRQ %" PRIu64
		               " belongs to device '%s', which has no owner: the kernel "
		               "does not list it (give it an 'owner')",
		               v, unowned->name);
	return sp_perr(P, INI_ERROR_INVALID,
	               "no device declares IRQ %" PRIu64 " in its 'interrupts'", v);
}

/* "0xADDR" or "DEVICE+OFFSET": a 32-bit register inside a device's register window. */
gboolean sp_parse_register(Parser *P, uint64_t *addr, char **where)
{
	guint from = P->pos;
	Token *t = sp_want_word(P, "a register address (0xADDR or DEVICE+OFFSET)");
	if (t == NULL)
		return FALSE;
	const Board *b = &P->d->board;
	uint64_t a = 0;
	GError *e = NULL;
	if (g_ascii_isdigit(t->text[0])) {
		if (!ini_parse_u64(t->text, "register address", 0, 0xffffffffull, &a, &e))
			return sp_perr_value(P, e);
	} else {
		int i = find_device(P, t->text);
		if (i < 0)
			return FALSE;
		const BoardDevice *dv = &b->devices[i];
		if (dv->size == 0)
			return sp_perr(P, INI_ERROR_INVALID, "device '%s' has no register window",
			               dv->name);
		uint64_t off = 0;
		if (sp_at_punct(P, "+")) {
			sp_take(P);
			Token *o = sp_want_word(P, "a register offset after '+'");
			if (o == NULL)
				return FALSE;
			if (!ini_parse_u64(o->text, "register offset", 0, 0xffffffffull, &off, &e))
				return sp_perr_value(P, e);
		}
		a = dv->base + off;
	}
	g_autofree char *shown = sp_text_since(P, from);
	if (a % 4 != 0)
		return sp_perr(P, INI_ERROR_VALUE,
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
		return sp_perr(P, INI_ERROR_INVALID,
		               "register %s: no device of the board has a register window", shown);
	return sp_perr(P, INI_ERROR_INVALID,
	               "register %s (0x%08" PRIx64 ") is in no device's "
	               "register window (%s)",
	               shown, a, windows->str);
}

/* "DEVICE": a device whose model takes bytes from outside and sends some (a UART). */
gboolean sp_parse_uart(Parser *P, uint32_t *device)
{
	Token *t = sp_want_word(P, "a device name");
	if (t == NULL)
		return FALSE;
	int i = find_device(P, t->text);
	if (i < 0)
		return FALSE;
	const BoardDevice *dv = &P->d->board.devices[i];
	const PeriphClass *cls = dv->model ? periph_class_by_name(dv->model) : NULL;
	if (cls == NULL || cls->rx == NULL)
		return sp_perr(P, INI_ERROR_INVALID,
		               "device '%s' has no UART model (its model: %s; give it "
		               "'compatible = st,stm32-usart' or 'model = stm32-usart')",
		               dv->name, dv->model ? dv->model : "none");
	*device = (uint32_t)i;
	return TRUE;
}
