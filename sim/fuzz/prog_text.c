/*
 * prog_text.c: the text form of fuzz programs (what reproducers, the corpus listing and
 * failure reports show), and the address an OP_TOUCH op reaches. Split from prog.c, which
 * keeps the byte format and the generator; the text form reads only the decoded program.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <uapi/types.h>

#include "sim/fuzz/fuzzboard.h"
#include "sim/fuzz/prog.h"

typedef struct {
	char *p;
	size_t cap, len;
} Txt;

static void txt(Txt *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void txt(Txt *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = t->len < t->cap ? t->cap - t->len : 0;
	int n = vsnprintf(room ? t->p + t->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

static void txt_task(Txt *t, const ProgConfig *c, uint32_t idx)
{
	if (idx < c->n_tasks)
		txt(t, "t%" PRIu32, idx);
	else
		txt(t, "idle");
}

/* One argument value in the readable form. */
static void txt_val(Txt *t, const ProgConfig *c, ProgVal v)
{
	switch (v.kind) {
	case VAL_LIT:
		if (v.lit < 1000)
			txt(t, "%" PRIu32, v.lit);
		else
			txt(t, "0x%" PRIx32, v.lit);
		break;
	case VAL_VAR:
		txt(t, "$v%u", v.idx);
		break;
	case VAL_VAR_FLIP:
		txt(t, "$v%u^bit%u", v.idx, v.bit);
		break;
	case VAL_HANDLE_OF:
		txt(t, "handle(");
		txt_task(t, c, v.idx);
		txt(t, ")");
		break;
	case VAL_STALE_OF:
		txt(t, "stale(");
		txt_task(t, c, v.idx);
		txt(t, ")");
		break;
	case VAL_RES_OF: {
		static const char *const tables[] = {"dev", "shm", "dma"};
		txt(t, "%s%u", tables[v.bit % 3], v.idx);
		break;
	}
	default:
		txt(t, "?");
		break;
	}
}

/* One op in the readable form. */
static void txt_op(Txt *t, const Prog *p, const ProgOp *op)
{
	const ProgConfig *c = &p->cfg;
	switch (op->kind) {
	case OP_SYSCALL:
	case OP_RAW: {
		const SysRow *d = systable_get(op->nr);
		if (op->kind == OP_RAW)
			txt(t, "raw %u:", op->nr);
		txt(t, "%s(", d->name);
		bool first = true;
		for (uint32_t i = 0; i < 3; i++) {
			if (op->kind == OP_SYSCALL && d->args[i].kind == ARG_NONE)
				continue;
			txt(t, "%s%s=", first ? "" : ", ",
			    op->kind == OP_RAW ? (const char *[]){"a0", "a1", "a2"}[i]
			                       : d->args[i].name);
			txt_val(t, c, op->args[i]);
			first = false;
		}
		txt(t, ")");
		if (op->kind == OP_SYSCALL && d->in != IN_NONE) {
			static const char *const fills[] = {"none", "pattern", "var", "bytes"};
			txt(t, " fill=%s", fills[op->fill.kind & 3]);
			if (op->fill.kind == FILL_PATTERN)
				txt(t, "(0x%02x)", op->fill.seed);
			else if (op->fill.kind == FILL_VAR)
				txt(t, "($v%u)", op->fill.var);
			else if (op->fill.kind == FILL_BYTES)
				txt(t, "(%u)", op->fill.n);
		}
		if (op->kind == OP_SYSCALL && d->out != OUT_NONE)
			txt(t, " -> $v%u", op->dst);
		break;
	}
	case OP_COMPUTE:
		txt(t, "compute %" PRIu32 " ns", op->param);
		break;
	case OP_STIM:
		txt(t, "stimulus %s(%" PRIu32 ")", systable_stim(op->param)->name, op->param2);
		break;
	case OP_FAULT:
		txt(t, "fault");
		break;
	case OP_HANG:
		txt(t, "hang");
		break;
	case OP_TOUCH:
		txt(t, "%s %s%u at 0x%" PRIx64, op->param2 & 1 ? "write" : "read",
		    op->param >> 8 ? "shm" : "dev", op->param & 0xFF,
		    prog_touch_address(op->param, op->param2));
		break;
	}
}

uint64_t prog_touch_address(uint32_t param, uint32_t param2)
{
	static const ProgConfig none;
	static FuzzBoard fb; /* the tables only: addresses do not depend on the owners */
	static bool ready;
	if (!ready) {
		fuzzboard_build(&none, &fb);
		ready = true;
	}
	uint32_t i = param & 0xFF;
	bool shm = param >> 8;
	uint64_t base =
	    shm ? fb.shms[i % FUZZBOARD_SHMS].base : fb.devices[i % FUZZBOARD_DEVICES].base;
	uint64_t size =
	    shm ? fb.shms[i % FUZZBOARD_SHMS].size : fb.devices[i % FUZZBOARD_DEVICES].size;
	return size ? base + ((param2 >> 1) * 32u) % size : base;
}

size_t prog_format_op(const Prog *p, const ProgOp *op, char *buf, size_t cap)
{
	Txt t = {.p = buf, .cap = cap};
	if (cap)
		buf[0] = '\0';
	txt_op(&t, p, op);
	return t.len;
}

/* The readable form of a program (the .txt files next to the corpus). */
size_t prog_format(const Prog *p, char *buf, size_t cap)
{
	static const char *const ends[] = {"exit(0)", "loop", "wait forever", "hang"};
	const ProgConfig *c = &p->cfg;
	Txt t = {.p = buf, .cap = cap};
	if (cap)
		buf[0] = '\0';
	txt(&t,
	    "system: %s build, %u task%s, max_tasks %" PRIu32 ", exchange %" PRIu32
	    " bytes, syscall cost %" PRIu32 " ns, core %" PRIu64 " Hz, seed 0x%08" PRIx32
	    "%s%s%s%s\n",
	    c->autotest ? "autotest" : "normal", c->n_tasks, c->n_tasks == 1 ? "" : "s",
	    c->max_tasks, c->exchange_len, c->syscall_cost_ns, c->core_freq_hz, c->seed,
	    c->gpdma ? "" : ", no gpdma", c->release ? ", release" : "",
	    c->nanos_quirk ? ", nanos quirk" : "", c->dma_intended ? ", dma intended path" : "");
	if (c->board)
		txt(&t, "board: fuzz board, owner roles A = t%u, B = t%u\n", c->board_a,
		    c->board_b);
	else
		txt(&t, "board: none\n");
	for (uint32_t i = 0; i < c->n_tasks; i++) {
		const ProgTask *tk = &c->tasks[i];
		txt(&t,
		    "task t%" PRIu32 ": label 0x%" PRIx32
		    ", priority %u, quantum %u, domain %u, caps "
		    "0x%08" PRIx32 ", %s, exit mode %u, end: %s\n",
		    i, tk->label, tk->priority, tk->quantum, tk->domain, tk->caps,
		    tk->auto_start ? "auto" : "noauto", tk->exit_mode, ends[tk->end & 3]);
	}
	for (uint32_t i = 0; i < p->n_ops; i++) {
		const ProgOp *op = &p->ops[i];
		txt(&t, "  ");
		txt_task(&t, c, op->script == PROG_SCRIPT_IDLE ? c->n_tasks : op->script);
		txt(&t, ": ");
		txt_op(&t, p, op);
		txt(&t, "\n");
	}
	return t.len;
}
