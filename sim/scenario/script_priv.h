/*
 * script_priv.h: the parsed form of a scenario's script, shared by its language
 * (script_parse.c, which builds it) and its engine (script_engine.c, which runs it). Private
 * to those two files; everything else uses script.h.
 */
#ifndef SIM_SCENARIO_SCRIPT_PRIV_H
#define SIM_SCENARIO_SCRIPT_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "sim/scenario/script.h"

#define SCRIPT_RING       5   /* last lines kept per task for the diagnosis */
#define SCRIPT_EVENTS     6   /* last events (calls, states, faults) kept per task, too */
#define SCRIPT_LINE_SHOWN 160 /* bytes of a task line shown in a message */
#define STATE_HUNG        100 /* pseudo-state: spinning in the library (kernel_task_hung) */

typedef enum {
	EV_LOG,
	EV_SYSCALL,
	EV_EXIT,
	EV_FAULT,
	EV_STATE,
	EV_RESPAWN,
	EV_PANIC,
	EV_UART, /* a line a device model sent (sim/periph/): |task| is the device index */
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
	ACT_UART,
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
	uint32_t device; /* ACT_UART: board index */
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
	NEED_UART = 1 << 2,
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
	guint n_devices;
	char **device_names; /* n_devices + 1, NULL-terminated: board order */
};

/* ---- the words of the language (script_words.c) ---- */

typedef struct {
	const char *name;
	uint32_t value;
} Name;

/* Statuses (uapi.md 1.3, without NON_SENSE), signals (4.11) and job states (7.4, plus
 * NOTSTARTED and HUNG); NULL-terminated. */
extern const Name script_status_names[];
extern const Name script_signal_names[];
extern const Name script_state_names[];

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

gboolean sp_perr_value(Parser *P, GError *e);
gboolean sp_perr(Parser *P, IniError code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
Token *sp_peek2(Parser *P);
Token *sp_peek(Parser *P);
Token *sp_take(Parser *P);
gboolean sp_tok_is(const Token *t, TokKind kind, const char *text);
gboolean sp_at_punct(Parser *P, const char *p);
gboolean sp_at_word(Parser *P, const char *w);
gboolean sp_want_punct(Parser *P, const char *p, const char *context);
Token *sp_want_word(Parser *P, const char *what);
char *sp_text_since(Parser *P, guint from);
gboolean sp_want_end(Parser *P, const char *what);
GPtrArray *sp_tokenize(const char *s, char **err);
void sp_token_free(gpointer p);
gboolean sp_parse_task(Parser *P, bool any, int *out);
gboolean sp_parse_name(Parser *P, const Name *table, const char *prefix, const char *what,
                       uint32_t *out);
gboolean sp_parse_syscall(Parser *P, uint32_t *nr);
gboolean sp_parse_duration(Parser *P, const char *what, uint64_t *out);
gboolean sp_parse_u32(Parser *P, const char *what, uint32_t *out);
gboolean sp_parse_code(Parser *P, int32_t *out);
gboolean sp_parse_pin(Parser *P, uint8_t *port, uint8_t *pin);
gboolean sp_parse_irq(Parser *P, uint32_t *out);
gboolean sp_parse_register(Parser *P, uint64_t *addr, char **where);
/* A device whose model has a receive and transmit line (a UART model, sim/periph/). */
gboolean sp_parse_uart(Parser *P, uint32_t *device);

/* The name of a job state as the script writes it ("WAITFOREVENT", "NOTSTARTED", "HUNG"). */
const char *script_state_name(int s);
/* Virtual time, exact, in the largest unit that reads well: "0s", "1.5us", "120.5ms", "2s".
 * Returns a new string. */
char *script_fmt_ns(uint64_t ns);
/* Task bytes made printable (vis(3), C style), cut to SCRIPT_LINE_SHOWN bytes. Returns a new
 * string. */
char *script_escape_bytes(const char *bytes, size_t len);

#endif
