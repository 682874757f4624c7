/*
 * prog.c: fuzz programs: decoding from bytes, canonical encoding, generation (the text
 * form is in prog_text.c).
 *
 * The decoder is the fuzzer's grammar: the typed table (systable.c) says how each argument
 * byte is read, so mutated inputs stay mostly valid programs, and the generator produces its
 * programs by choosing bytes with the same meaning, plus the resource awareness bytes alone
 * cannot have (a handle argument refers to a variable some earlier call bound). The byte
 * format is documented in prog.h.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/fuzz/fuzzboard.h"
#include "sim/fuzz/prog.h"

const uint32_t prog_cap_bits[24] = {
    CAP_DEV_BUSES,        CAP_DEV_IO,        CAP_DEV_DMA,       CAP_DEV_ANALOG,  CAP_DEV_TIMER,
    CAP_DEV_STORAGE,      CAP_DEV_CRYPTO,    CAP_DEV_CLOCK,     CAP_DEV_POWER,   CAP_DEV_NEURAL,
    CAP_SYS_UPGRADE,      CAP_SYS_POWER,     CAP_SYS_PROCSTART, CAP_MEM_SHM_OWN, CAP_MEM_SHM_USE,
    CAP_MEM_SHM_TRANSFER, CAP_TIM_HP_CHRONO, CAP_CRY_KRNG,      0x00000800u,     0x00008000u,
    0x00080000u,          0x00400000u,       0x01000000u,       0x80000000u,
};

const uint32_t prog_compute_ns[8] = {
    100, 20000, 400000, 1000000, 2500000, 7000000, 20000000, 100000000,
};

static const uint32_t cost_ns[4] = {1000, 0, 100000, 1000000};

/* Opcode map (prog.h): 0x00-0xcf system calls by weight, then the other ops. */
enum {
	MAP_SYSCALLS = 0xD0,
	MAP_TASK = 0xD0,    /* ..0xdf, and 0xf8..0xff */
	MAP_COMPUTE = 0xE0, /* ..0xe7 */
	MAP_STIM = 0xE8,    /* ..0xef */
	MAP_FAULT = 0xF0,   /* ..0xf1 */
	MAP_HANG = 0xF2,
	MAP_RAW = 0xF3, /* ..0xf6 */
	MAP_TOUCH = 0xF7,
	MAP_TASK2 = 0xF8,
};

static uint8_t opmap[MAP_SYSCALLS];
static uint8_t first_opcode[SYS_COUNT];
static bool opmap_ready;

static void opmap_init(void)
{
	if (opmap_ready)
		return;
	uint32_t cum[SYS_COUNT], total = 0;
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++) {
		total += systable_get(nr)->weight;
		cum[nr] = total;
	}
	memset(first_opcode, 0xFF, sizeof(first_opcode));
	for (uint32_t e = 0; e < MAP_SYSCALLS; e++) {
		uint32_t target = e * total / MAP_SYSCALLS;
		uint32_t nr = 0;
		while (cum[nr] <= target)
			nr++;
		opmap[e] = (uint8_t)nr;
		if (first_opcode[nr] == 0xFF)
			first_opcode[nr] = (uint8_t)e;
	}
	opmap_ready = true;
}

/* ---------------------------------------------------------------------------------------- */
/* Configuration                                                                             */

/* Clamp a configuration to what the byte format can say and the kernel accepts. */
void prog_normalize(Prog *p)
{
	ProgConfig *c = &p->cfg;
	if (c->n_tasks < 1)
		c->n_tasks = 1;
	if (c->n_tasks > PROG_MAX_TASKS)
		c->n_tasks = PROG_MAX_TASKS;
	if (c->autotest)
		c->n_tasks = 1;
	if (c->max_tasks < c->n_tasks)
		c->max_tasks = c->n_tasks;
	if (c->max_tasks > c->n_tasks + 3u) /* what the byte format can say */
		c->max_tasks = c->n_tasks + 3u;
	if (c->exchange_len != 64)
		c->exchange_len = 128;
	if (c->core_freq_hz != 2000000000u)
		c->core_freq_hz = 64000000u;
	for (uint32_t i = 0; i < c->n_tasks; i++) {
		ProgTask *t = &c->tasks[i];
		t->label = 0x1000u + 0x111u * i;
		if (c->label_scheme == 1)
			t->label = i + 1;
		t->exit_mode %= 5;
		t->domain &= 3;
		t->end &= 3;
		if (t->quantum > 16)
			t->quantum = 16;
	}
	uint32_t last = c->n_tasks - 1u;
	if (c->label_scheme == 2 && c->n_tasks > 1)
		c->tasks[last].label = 0xcafeu; /* same label as idle */
	if (c->label_scheme == 3 && c->n_tasks > 1)
		c->tasks[last].label = c->tasks[0].label; /* duplicate: the first one wins */
	if (c->autotest) {
		/* 7.9: the test task's metadata is fixed */
		ProgTask *t = &c->tasks[0];
		uint8_t end = t->end;
		*t = (ProgTask){.label = 0xbabeu,
		                .priority = 1,
		                .quantum = 10,
		                .exit_mode = 1,
		                .auto_start = true,
		                .end = end};
	}
	for (uint32_t i = c->n_tasks; i < PROG_MAX_TASKS; i++)
		c->tasks[i] = (ProgTask){0};
	if (c->board) {
		c->board_a %= c->n_tasks;
		c->board_b %= c->n_tasks;
	} else {
		c->board_a = c->board_b = 0;
	}
}

void prog_init(Prog *p, uint8_t n_tasks)
{
	memset(p, 0, sizeof(*p));
	p->cfg.gpdma = true;
	p->cfg.exchange_len = 128;
	p->cfg.syscall_cost_ns = 1000;
	p->cfg.n_tasks = n_tasks;
	p->cfg.max_tasks = n_tasks;
	for (uint32_t i = 0; i < PROG_MAX_TASKS; i++)
		p->cfg.tasks[i] = (ProgTask){.priority = 1, .quantum = 10, .auto_start = true};
	prog_normalize(p);
}

/* ---------------------------------------------------------------------------------------- */
/* Argument bytes                                                                            */

static uint32_t task_table_len(const ProgConfig *c)
{
	return c->n_tasks + 1u;
}

static uint32_t past_range(const ProgConfig *c, const SysArg *a)
{
	switch (a->kind) {
	case ARG_ENUM:
	case ARG_BITS:
		return a->hi + 1u;
	case ARG_IPC_LEN:
		return c->exchange_len - 7u;
	case ARG_LOG_LEN:
		return c->exchange_len + 1u;
	case ARG_GPIO_IO:
		return 8;
	case ARG_BOOL:
		return 2;
	case ARG_TIMEOUT:
		return 0xFFFFFFFEu; /* -2: waits for ever (4.12) */
	case ARG_CAP_BIT:
		return 0;
	case ARG_CLOCK_REG:
		return 2;
	case ARG_TASK_LABEL:
		return 0xcaffu;
	default:
		return systable_argkind(a->kind)->edges[0];
	}
}

/* The value an argument byte |b| (not 0xff) stands for. VAL_VAR_FLIP leaves |bit| to the
 * caller, which reads it from the next byte. Over 120 lines on purpose: one short case per
 * argument kind, a table written as a switch, kept whole so the byte format reads in one
 * place. */
static ProgVal val_from_byte(const ProgConfig *c, const SysArg *a, uint8_t b)
{
	ProgVal v = {.kind = VAL_LIT};
	if (b >= 0xF0) {
		const ArgKindDesc *d = systable_argkind(a->kind);
		uint32_t e = b - 0xF0u;
		v.lit =
		    e == 0 || d->n_edges == 0 ? past_range(c, a) : d->edges[(e - 1) % d->n_edges];
		return v;
	}
	switch (a->kind) {
	case ARG_NONE:
	case ARG_U32:
	case ARG_KIND_COUNT:
		v.lit = b;
		break;
	case ARG_ENUM:
		v.lit = a->lo + b % (a->hi - a->lo + 1u);
		break;
	case ARG_BITS:
		v.lit = b & a->hi;
		break;
	case ARG_TASK_LABEL: {
		uint32_t i = b % task_table_len(c);
		v.lit = i < c->n_tasks ? c->tasks[i].label : 0xcafeu;
		break;
	}
	case ARG_TASK_HANDLE:
		if (b < 0x80) {
			v = (ProgVal){.kind = VAL_VAR, .idx = b & 7};
		} else if (b < 0xC0) {
			v = (ProgVal){.kind = VAL_HANDLE_OF, .idx = b % task_table_len(c)};
		} else if (b < 0xE0) {
			v = (ProgVal){.kind = VAL_STALE_OF, .idx = b % task_table_len(c)};
		} else {
			v = (ProgVal){.kind = VAL_VAR_FLIP, .idx = b & 7};
		}
		break;
	/* Board resources: a byte names a variable (a handle some earlier call produced),
	 * with a board the current handle of one of its resources, or a value forged with
	 * the handle's encoding (3.1). */
	case ARG_DEV_HANDLE:
		if (b < 0x80)
			v = (ProgVal){.kind = VAL_VAR, .idx = b & 7};
		else if (b < 0xA0 && c->board)
			v = (ProgVal){
			    .kind = VAL_RES_OF, .bit = PROG_RES_DEV, .idx = b % FUZZBOARD_DEVICES};
		else if (b >= 0xA0 && b < 0xA8)
			v = (ProgVal){.kind = VAL_VAR_FLIP, .idx = b & 7};
		else
			v.lit = ((1u << (b % 12)) & 0xFFFu) | (((b * 0x101u) & 0xFFFFu) << 13) |
			        (1u << 29);
		break;
	case ARG_SHM_HANDLE:
		if (b < 0x80)
			v = (ProgVal){.kind = VAL_VAR, .idx = b & 7};
		else if (b < 0xA0 && c->board)
			v = (ProgVal){
			    .kind = VAL_RES_OF, .bit = PROG_RES_SHM, .idx = b % FUZZBOARD_SHMS};
		else if (b >= 0xA0 && b < 0xA8)
			v = (ProgVal){.kind = VAL_VAR_FLIP, .idx = b & 7};
		else
			v.lit = (b % 4u) | (((b * 0x10101u) & 0xFFFFFFu) << 8);
		break;
	case ARG_DMA_HANDLE:
		if (b < 0x80)
			v = (ProgVal){.kind = VAL_VAR, .idx = b & 7};
		else if (b < 0xA0 && c->board)
			v = (ProgVal){
			    .kind = VAL_RES_OF, .bit = PROG_RES_DMA, .idx = b % FUZZBOARD_DMAS};
		else if (b >= 0xA0 && b < 0xA8)
			v = (ProgVal){.kind = VAL_VAR_FLIP, .idx = b & 7};
		else
			v.lit = ((b * 0x1235u) & 0x1FFFFFu) | ((b % 4u) << 21) | (2u << 29);
		break;
	case ARG_DEV_LABEL:
		v.lit = b < 0x80 ? fuzzboard_dev_label(b % FUZZBOARD_DEVICES) : 0x100u + b;
		break;
	case ARG_SHM_LABEL:
		v.lit = b < 0x80 ? fuzzboard_shm_label(b % FUZZBOARD_SHMS) : 0x200u + b;
		break;
	case ARG_DMA_LABEL:
		v.lit = b < 0x80 ? fuzzboard_dma_label(b % FUZZBOARD_DMAS) : 0x300u + b;
		break;
	case ARG_IRQ:
		v.lit = b < 0x80 ? fuzzboard_irq(b) : b % 64u;
		break;
	case ARG_GPIO_IO:
		v.lit = b % 8u;
		break;
	case ARG_BOOL:
		v.lit = b & 1u;
		break;
	case ARG_IPC_LEN:
		v.lit = b % (c->exchange_len - 8u + 1u);
		break;
	case ARG_LOG_LEN:
		v.lit = b % (c->exchange_len + 1u);
		break;
	case ARG_DELAY_MS:
		v.lit = b < 0x80 ? b % 16u : (b - 0x80u) * 10u;
		break;
	case ARG_TIMEOUT:
		if (b < 0x40)
			v.lit = 1u + b % 32u;
		else if (b < 0x80)
			v.lit = (uint32_t)WFE_WAIT_NO;
		else if (b < 0xA0)
			v.lit = WFE_WAIT_FOREVER;
		else
			v.lit = (b - 0xA0u) * 20u + 100u;
		break;
	case ARG_EXIT_STATUS:
		v.lit = b < 0xC0 ? 0 : (uint32_t)((int32_t)(b & 0x3F) - 0x20);
		break;
	case ARG_CAP_BIT:
		v.lit = 1u << (b % 32u);
		break;
	case ARG_CLOCK_REG:
		v.lit = b * 4u;
		break;
	}
	return v;
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding                                                                                  */

typedef struct {
	const uint8_t *p;
	size_t n, pos;
} Rd;

static uint8_t rd_u8(Rd *r)
{
	return r->pos < r->n ? r->p[r->pos++] : 0;
}

static uint32_t rd_u32(Rd *r)
{
	uint32_t v = rd_u8(r);
	v |= (uint32_t)rd_u8(r) << 8;
	v |= (uint32_t)rd_u8(r) << 16;
	v |= (uint32_t)rd_u8(r) << 24;
	return v;
}

static ProgVal rd_val(Rd *r, const ProgConfig *c, const SysArg *a)
{
	uint8_t b = rd_u8(r);
	if (b == 0xFF)
		return (ProgVal){.kind = VAL_LIT, .lit = rd_u32(r)};
	ProgVal v = val_from_byte(c, a, b);
	if (v.kind == VAL_VAR_FLIP)
		v.bit = rd_u8(r) & 31;
	return v;
}

static void rd_fill(Rd *r, ProgFill *f)
{
	uint8_t b = rd_u8(r);
	if (b < 0x80) {
		f->kind = FILL_NONE;
	} else if (b < 0xE0) {
		f->kind = FILL_PATTERN;
		f->seed = b;
	} else if (b < 0xF0) {
		f->kind = FILL_VAR;
		f->seed = b;
		f->var = b & 7;
	} else {
		f->kind = FILL_BYTES;
		f->n = rd_u8(r) % (PROG_FILL_MAX + 1);
		for (uint32_t i = 0; i < f->n; i++)
			f->bytes[i] = rd_u8(r);
	}
}

/* The configuration bytes: shape, platform, tasks. */
static void decode_config(Rd *r, ProgConfig *c)
{
	uint8_t flags = rd_u8(r), shape = rd_u8(r);
	c->autotest = flags & 1;
	c->gpdma = !(flags & 2);
	c->release = flags & 4;
	c->nanos_quirk = flags & 8;
	c->dma_intended = flags & 0x10;
	c->exchange_len = flags & 0x20 ? 64 : 128;
	c->syscall_cost_ns = cost_ns[flags >> 6];
	c->n_tasks = c->autotest ? 1 : (uint8_t)(1 + (shape & 7));
	c->max_tasks = c->n_tasks + ((shape >> 3) & 3u);
	c->label_scheme = shape >> 6;
	c->core_freq_hz = shape & 0x20 ? 2000000000u : 64000000u;
	c->seed = rd_u32(r);
	uint8_t board = rd_u8(r);
	c->board = board & 1;
	c->board_a = (board >> 1) & 7;
	c->board_b = (board >> 4) & 7;
	for (uint32_t i = 0; i < c->n_tasks; i++) {
		ProgTask *t = &c->tasks[i];
		t->priority = rd_u8(r);
		uint8_t q = rd_u8(r);
		t->quantum = q == 0xFF ? 0 : (uint8_t)(1 + q % 16);
		uint32_t bits = rd_u8(r);
		bits |= (uint32_t)rd_u8(r) << 8;
		bits |= (uint32_t)rd_u8(r) << 16;
		for (uint32_t b = 0; b < 24; b++)
			if (bits & (1u << b))
				t->caps |= prog_cap_bits[b];
		uint8_t tf = rd_u8(r);
		t->auto_start = !(tf & 1);
		t->exit_mode = ((tf >> 1) & 7) % 5;
		t->domain = (tf >> 4) & 3;
		t->end = tf >> 6;
	}
}

/* Any bytes decode to a valid program (missing bytes read as zero). */
void prog_decode(Prog *p, const uint8_t *data, size_t len)
{
	opmap_init();
	memset(p, 0, sizeof(*p));
	Rd r = {.p = data, .n = len < PROG_MAX_INPUT ? len : PROG_MAX_INPUT};
	decode_config(&r, &p->cfg);
	prog_normalize(p);
	const ProgConfig *c = &p->cfg;
	uint8_t script = 0;
	while (r.pos < r.n && p->n_ops < PROG_MAX_OPS) {
		uint8_t code = rd_u8(&r);
		ProgOp op = {.script = script};
		if (code < MAP_SYSCALLS) {
			const SysRow *d = systable_get(opmap[code]);
			op.kind = OP_SYSCALL;
			op.nr = (uint8_t)d->nr;
			for (uint32_t i = 0; i < 3; i++)
				if (d->args[i].kind != ARG_NONE)
					op.args[i] = rd_val(&r, c, &d->args[i]);
			if (d->in != IN_NONE)
				rd_fill(&r, &op.fill);
			if (d->out != OUT_NONE)
				op.dst = rd_u8(&r) & (PROG_VARS - 1);
		} else if (code < MAP_COMPUTE || code >= MAP_TASK2) {
			uint32_t s = rd_u8(&r) % task_table_len(c);
			script = s == c->n_tasks ? PROG_SCRIPT_IDLE : (uint8_t)s;
			continue;
		} else if (code < MAP_STIM) {
			op.kind = OP_COMPUTE;
			op.param = prog_compute_ns[rd_u8(&r) & 7];
		} else if (code < MAP_FAULT) {
			op.kind = OP_STIM;
			op.param = rd_u8(&r) % STIM_COUNT;
			op.param2 = rd_u8(&r);
		} else if (code < MAP_HANG) {
			op.kind = OP_FAULT;
		} else if (code == MAP_HANG) {
			op.kind = OP_HANG;
		} else if (code == MAP_TOUCH) {
			uint8_t res = rd_u8(&r);
			uint32_t table = res >> 7;
			op.kind = OP_TOUCH;
			op.param = table << 8 |
			           (res & 0x7Fu) % (table ? FUZZBOARD_SHMS : FUZZBOARD_DEVICES);
			op.param2 = rd_u8(&r);
		} else {
			op.kind = OP_RAW;
			op.nr = rd_u8(&r);
			for (uint32_t i = 0; i < 3; i++)
				op.args[i] = (ProgVal){.kind = VAL_LIT, .lit = rd_u32(&r)};
		}
		/* idle makes no system calls and does not compute: its script holds stimuli */
		if (script == PROG_SCRIPT_IDLE && op.kind != OP_STIM)
			continue;
		p->ops[p->n_ops++] = op;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Encoding                                                                                  */

typedef struct {
	uint8_t *p;
	size_t cap, len;
} Wr;

static void wr_u8(Wr *w, uint8_t b)
{
	if (w->len < w->cap)
		w->p[w->len] = b;
	w->len++;
}

static void wr_u32(Wr *w, uint32_t v)
{
	for (uint32_t i = 0; i < 4; i++)
		wr_u8(w, (uint8_t)(v >> (8 * i)));
}

static bool val_same(ProgVal a, ProgVal b)
{
	if (a.kind != b.kind)
		return false;
	if (a.kind == VAL_LIT)
		return a.lit == b.lit;
	if (a.kind == VAL_RES_OF)
		return a.idx == b.idx && a.bit == b.bit;
	return a.idx == b.idx;
}

static void wr_val(Wr *w, const ProgConfig *c, const SysArg *a, ProgVal v)
{
	for (uint32_t b = 0; b < 0xFF; b++) {
		if (!val_same(val_from_byte(c, a, (uint8_t)b), v))
			continue;
		wr_u8(w, (uint8_t)b);
		if (v.kind == VAL_VAR_FLIP)
			wr_u8(w, v.bit);
		return;
	}
	/* only literals reach the escape; other kinds always have a byte */
	wr_u8(w, 0xFF);
	wr_u32(w, v.lit);
}

static void wr_fill(Wr *w, const ProgFill *f)
{
	switch (f->kind) {
	case FILL_NONE:
		wr_u8(w, 0);
		break;
	case FILL_PATTERN:
	case FILL_VAR:
		wr_u8(w, f->seed);
		break;
	case FILL_BYTES:
		wr_u8(w, 0xF0);
		wr_u8(w, f->n);
		for (uint32_t i = 0; i < f->n; i++)
			wr_u8(w, f->bytes[i]);
		break;
	}
}

static void encode_config(Wr *w, const ProgConfig *c)
{
	uint8_t cost = 0;
	for (uint8_t i = 0; i < 4; i++)
		if (cost_ns[i] == c->syscall_cost_ns)
			cost = i;
	wr_u8(w, (uint8_t)((c->autotest ? 1 : 0) | (c->gpdma ? 0 : 2) | (c->release ? 4 : 0) |
	                   (c->nanos_quirk ? 8 : 0) | (c->dma_intended ? 0x10 : 0) |
	                   (c->exchange_len == 64 ? 0x20 : 0) | (cost << 6)));
	uint32_t slack = c->max_tasks - c->n_tasks;
	wr_u8(w, (uint8_t)(((c->n_tasks - 1u) & 7) | ((slack & 3) << 3) |
	                   (c->core_freq_hz == 2000000000u ? 0x20 : 0) |
	                   ((c->label_scheme & 3u) << 6)));
	wr_u32(w, c->seed);
	wr_u8(w, (uint8_t)((c->board ? 1 : 0) | (c->board_a & 7) << 1 | (c->board_b & 7) << 4));
	for (uint32_t i = 0; i < c->n_tasks; i++) {
		const ProgTask *t = &c->tasks[i];
		wr_u8(w, t->priority);
		wr_u8(w, t->quantum == 0 ? 0xFF : (uint8_t)(t->quantum - 1));
		uint32_t bits = 0;
		for (uint32_t b = 0; b < 24; b++)
			if (t->caps & prog_cap_bits[b])
				bits |= 1u << b;
		wr_u8(w, (uint8_t)bits);
		wr_u8(w, (uint8_t)(bits >> 8));
		wr_u8(w, (uint8_t)(bits >> 16));
		wr_u8(w, (uint8_t)((t->auto_start ? 0 : 1) | (t->exit_mode << 1) |
		                   ((t->domain & 3) << 4) | ((t->end & 3) << 6)));
	}
}

/* The byte form of a program, which prog_decode reads back to the same program. */
size_t prog_encode(const Prog *p, uint8_t *buf, size_t cap)
{
	opmap_init();
	Wr w = {.p = buf, .cap = cap};
	const ProgConfig *c = &p->cfg;
	encode_config(&w, c);
	uint8_t script = 0;
	for (uint32_t i = 0; i < p->n_ops; i++) {
		const ProgOp *op = &p->ops[i];
		if (op->script != script) {
			script = op->script;
			wr_u8(&w, MAP_TASK);
			wr_u8(&w, script == PROG_SCRIPT_IDLE ? c->n_tasks : script);
		}
		switch (op->kind) {
		case OP_SYSCALL: {
			const SysRow *d = systable_get(op->nr);
			wr_u8(&w, first_opcode[op->nr]);
			for (uint32_t a = 0; a < 3; a++)
				if (d->args[a].kind != ARG_NONE)
					wr_val(&w, c, &d->args[a], op->args[a]);
			if (d->in != IN_NONE)
				wr_fill(&w, &op->fill);
			if (d->out != OUT_NONE)
				wr_u8(&w, op->dst);
			break;
		}
		case OP_RAW:
			wr_u8(&w, MAP_RAW);
			wr_u8(&w, op->nr);
			for (uint32_t a = 0; a < 3; a++)
				wr_u32(&w, op->args[a].lit);
			break;
		case OP_COMPUTE: {
			uint8_t d = 0;
			for (uint8_t k = 0; k < 8; k++)
				if (prog_compute_ns[k] == op->param)
					d = k;
			wr_u8(&w, MAP_COMPUTE);
			wr_u8(&w, d);
			break;
		}
		case OP_STIM:
			wr_u8(&w, MAP_STIM);
			wr_u8(&w, (uint8_t)op->param);
			wr_u8(&w, (uint8_t)op->param2);
			break;
		case OP_FAULT:
			wr_u8(&w, MAP_FAULT);
			break;
		case OP_HANG:
			wr_u8(&w, MAP_HANG);
			break;
		case OP_TOUCH:
			wr_u8(&w, MAP_TOUCH);
			wr_u8(&w, (uint8_t)((op->param >> 8 ? 0x80 : 0) | (op->param & 0x7F)));
			wr_u8(&w, (uint8_t)op->param2);
			break;
		}
	}
	return w.len <= cap ? w.len : 0;
}

uint8_t prog_opcode(ProgOpKind kind, uint32_t nr)
{
	opmap_init();
	switch ((uint32_t)kind) {
	case OP_SYSCALL:
		return nr < SYS_COUNT ? first_opcode[nr] : MAP_RAW;
	case OP_RAW:
		return MAP_RAW;
	case OP_COMPUTE:
		return MAP_COMPUTE;
	case OP_STIM:
		return MAP_STIM;
	case OP_FAULT:
		return MAP_FAULT;
	case OP_HANG:
		return MAP_HANG;
	case OP_TOUCH:
		return MAP_TOUCH;
	default:
		return MAP_TASK;
	}
}

bool prog_equal(const Prog *a, const Prog *b)
{
	return memcmp(&a->cfg, &b->cfg, sizeof(a->cfg)) == 0 && a->n_ops == b->n_ops &&
	       memcmp(a->ops, b->ops, a->n_ops * sizeof(a->ops[0])) == 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Builder                                                                                   */

ProgVal prog_lit(uint32_t v)
{
	return (ProgVal){.kind = VAL_LIT, .lit = v};
}

ProgVal prog_var(uint8_t idx)
{
	return (ProgVal){.kind = VAL_VAR, .idx = idx & (PROG_VARS - 1)};
}

ProgVal prog_handle_of(uint8_t task)
{
	return (ProgVal){.kind = VAL_HANDLE_OF, .idx = task};
}

ProgVal prog_stale_of(uint8_t task)
{
	return (ProgVal){.kind = VAL_STALE_OF, .idx = task};
}

ProgVal prog_res_of(ProgResTable table, uint8_t idx)
{
	return (ProgVal){.kind = VAL_RES_OF, .idx = idx, .bit = (uint8_t)table};
}

ProgVal prog_var_flip(uint8_t idx, uint8_t bit)
{
	return (ProgVal){.kind = VAL_VAR_FLIP, .idx = idx & (PROG_VARS - 1), .bit = bit & 31};
}

ProgOp *prog_add(Prog *p, uint8_t script, ProgOpKind kind)
{
	if (p->n_ops >= PROG_MAX_OPS)
		return NULL;
	ProgOp *op = &p->ops[p->n_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = (uint8_t)kind;
	op->script = script;
	return op;
}

ProgOp *prog_add_call(Prog *p, uint8_t script, uint32_t nr, ProgVal a0, ProgVal a1, ProgVal a2)
{
	ProgOp *op = prog_add(p, script, OP_SYSCALL);
	if (!op)
		return NULL;
	const SysRow *d = systable_get(nr);
	op->nr = (uint8_t)nr;
	ProgVal args[3] = {a0, a1, a2};
	for (uint32_t i = 0; i < 3; i++)
		op->args[i] = d->args[i].kind != ARG_NONE ? args[i] : (ProgVal){0};
	return op;
}

/* ---------------------------------------------------------------------------------------- */
/* Generation                                                                                */

typedef struct {
	uint64_t s;
} GenRng;

static uint64_t gen_next(GenRng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint32_t gen_below(GenRng *r, uint32_t n)
{
	return n ? (uint32_t)(gen_next(r) % n) : 0;
}

static bool gen_chance(GenRng *r, uint32_t percent)
{
	return gen_below(r, 100) < percent;
}

typedef struct {
	GenRng rng;
	Prog *p;
	uint8_t script;
	uint8_t bound[PROG_VARS]; /* SysOut of the call that last bound each variable */
	FuzzBoard fb;             /* the board's owners, for OP_TOUCH */
} Gen;

static uint32_t gen_caps(GenRng *r)
{
	uint32_t caps = 0;
	switch (gen_below(r, 10)) {
	case 0:
	case 1:
	case 2:
	case 3: /* everything the spec defines */
		for (uint32_t b = 0; b < 18; b++)
			caps |= prog_cap_bits[b];
		break;
	case 4:
	case 5:
	case 6: /* a random subset */
		for (uint32_t b = 0; b < 18; b++)
			if (gen_chance(r, 50))
				caps |= prog_cap_bits[b];
		break;
	default: /* little or nothing */
		if (gen_chance(r, 50))
			caps |= prog_cap_bits[gen_below(r, 18)];
		break;
	}
	if (gen_chance(r, 5))
		caps |= prog_cap_bits[18 + gen_below(r, 6)]; /* an undefined bit */
	return caps;
}

/* A random configuration: tasks, build, platform, board. */
static void gen_config(GenRng *r, ProgConfig *c)
{
	c->autotest = gen_chance(r, 10);
	c->gpdma = !gen_chance(r, 10);
	c->release = gen_chance(r, 8);
	c->nanos_quirk = gen_chance(r, 25);
	c->dma_intended = gen_chance(r, 10);
	c->exchange_len = gen_chance(r, 12) ? 64 : 128;
	c->syscall_cost_ns = gen_chance(r, 75) ? cost_ns[0] : cost_ns[1 + gen_below(r, 3)];
	c->n_tasks =
	    (uint8_t)(gen_chance(r, 10) ? 1 + gen_below(r, PROG_MAX_TASKS) : 2 + gen_below(r, 3));
	c->max_tasks = c->n_tasks + gen_below(r, 4);
	c->label_scheme = gen_chance(r, 85) ? 0 : (uint8_t)(1 + gen_below(r, 3));
	c->core_freq_hz = gen_chance(r, 10) ? 2000000000u : 64000000u;
	c->seed = (uint32_t)gen_next(r);
	c->board = gen_chance(r, 60);
	c->board_a = (uint8_t)gen_below(r, c->n_tasks);
	c->board_b = (uint8_t)(gen_chance(r, 20) ? c->board_a : gen_below(r, c->n_tasks));
	for (uint32_t i = 0; i < c->n_tasks; i++) {
		ProgTask *t = &c->tasks[i];
		t->priority = (uint8_t)gen_below(r, 4);
		t->quantum = gen_chance(r, 3) ? 0 : (uint8_t)(1 + gen_below(r, 16));
		t->caps = gen_caps(r);
		t->domain = gen_chance(r, 85) ? 0 : (uint8_t)gen_below(r, 4);
		t->auto_start = !gen_chance(r, 15);
		uint32_t m = gen_below(r, 100);
		t->exit_mode = m < 50   ? 0
		               : m < 82 ? 1
		               : m < 87 ? 2
		                        : (uint8_t)(3 + gen_below(r, 2));
		uint32_t e = gen_below(r, 100);
		t->end = e < 40   ? PROG_END_EXIT
		         : e < 75 ? PROG_END_LOOP
		         : e < 92 ? PROG_END_WAIT
		                  : PROG_END_HANG;
	}
}

/* A byte for an argument: mostly the valid range, sometimes a boundary, rarely raw. */
static ProgVal gen_byte_val(Gen *g, const SysArg *a)
{
	const ProgConfig *c = &g->p->cfg;
	uint32_t r = gen_below(&g->rng, 100);
	if (r >= 97) {
		uint32_t lit =
		    gen_chance(&g->rng, 50) ? (uint32_t)gen_next(&g->rng) : gen_below(&g->rng, 300);
		return prog_lit(lit);
	}
	uint8_t b =
	    r < 90 ? (uint8_t)gen_below(&g->rng, 0xF0) : (uint8_t)(0xF0 + gen_below(&g->rng, 15));
	ProgVal v = val_from_byte(c, a, b);
	if (v.kind == VAL_VAR_FLIP)
		v.bit = (uint8_t)gen_below(&g->rng, 32);
	return v;
}

static int gen_find_bound(Gen *g, SysOut a, SysOut b)
{
	int found[PROG_VARS], n = 0;
	for (int i = 0; i < PROG_VARS; i++)
		if (g->bound[i] && (g->bound[i] == a || g->bound[i] == b))
			found[n++] = i;
	return n ? found[gen_below(&g->rng, (uint32_t)n)] : -1;
}

static uint8_t gen_dst(Gen *g)
{
	if (gen_chance(&g->rng, 60))
		for (uint8_t i = 0; i < PROG_VARS; i++)
			if (!g->bound[i])
				return i;
	return (uint8_t)gen_below(&g->rng, PROG_VARS);
}

static void gen_call(Gen *g, uint32_t nr);

static uint8_t gen_task_index(Gen *g)
{
	return (uint8_t)gen_below(&g->rng, task_table_len(&g->p->cfg));
}

static ProgVal gen_task_handle(Gen *g)
{
	uint32_t r = gen_below(&g->rng, 100);
	int v = gen_find_bound(g, OUT_TASK_HANDLE, OUT_EVENT);
	if (r < 55 && v >= 0)
		return prog_var((uint8_t)v);
	if (r < 70)
		return prog_handle_of(gen_task_index(g));
	if (r < 87) {
		/* the resource's constructor: get_process_handle into a fresh variable */
		uint32_t before = g->p->n_ops;
		gen_call(g, SYSCALL_GET_PROCESS_HANDLE);
		if (g->p->n_ops > before)
			return prog_var(g->p->ops[g->p->n_ops - 1].dst);
		return prog_handle_of(gen_task_index(g));
	}
	if (r < 92)
		return prog_stale_of(gen_task_index(g));
	if (r < 96)
		return prog_var_flip(v >= 0 ? (uint8_t)v : (uint8_t)gen_below(&g->rng, PROG_VARS),
		                     (uint8_t)gen_below(&g->rng, 32));
	SysArg a = {.kind = ARG_TASK_HANDLE};
	return gen_byte_val(g, &a);
}

/* A board resource handle: mostly one an earlier call obtained (inserting that call when
 * needed), sometimes the current handle of any resource (as another task could pass it on),
 * a forged one otherwise. */
static ProgVal gen_res_handle(Gen *g, const SysArg *a)
{
	static const struct {
		SysOut out;
		uint32_t ctor;
		ProgResTable table;
		uint8_t n;
	} kinds[] = {
	    [0] = {OUT_DEV_HANDLE, SYSCALL_GET_DEVICE_HANDLE, PROG_RES_DEV, FUZZBOARD_DEVICES},
	    [1] = {OUT_SHM_HANDLE, SYSCALL_GET_SHM_HANDLE, PROG_RES_SHM, FUZZBOARD_SHMS},
	    [2] = {OUT_DMA_HANDLE, SYSCALL_GET_DMA_STREAM_HANDLE, PROG_RES_DMA, FUZZBOARD_DMAS},
	};
	uint32_t k = a->kind == ARG_DEV_HANDLE ? 0 : a->kind == ARG_SHM_HANDLE ? 1 : 2;
	uint32_t r = gen_below(&g->rng, 100);
	int v = gen_find_bound(g, kinds[k].out, kinds[k].out);
	if (r < 50 && v >= 0)
		return prog_var((uint8_t)v);
	if (g->p->cfg.board && r < 75) {
		uint32_t before = g->p->n_ops;
		gen_call(g, kinds[k].ctor);
		if (g->p->n_ops > before)
			return prog_var(g->p->ops[g->p->n_ops - 1].dst);
	}
	if (g->p->cfg.board && r < 88)
		return prog_res_of(kinds[k].table, (uint8_t)gen_below(&g->rng, kinds[k].n));
	if (r < 93 && v >= 0)
		return prog_var_flip((uint8_t)v, (uint8_t)gen_below(&g->rng, 32));
	return gen_byte_val(g, a);
}

/* A value for one argument, by its kind: mostly meaningful, sometimes an edge. */
static ProgVal gen_arg(Gen *g, uint32_t nr, const SysArg *a)
{
	switch (a->kind) {
	case ARG_TASK_HANDLE:
		return gen_task_handle(g);
	case ARG_DEV_HANDLE:
	case ARG_SHM_HANDLE:
	case ARG_DMA_HANDLE:
		return gen_res_handle(g, a);
	case ARG_GPIO_IO:
		/* the board's devices declare up to three ios */
		if (gen_chance(&g->rng, 70))
			return prog_lit(gen_below(&g->rng, 3));
		return gen_byte_val(g, a);
	case ARG_DELAY_MS:
		/* alarms mostly far enough not to hit every waiter (that path panics) */
		if (nr == SYSCALL_ALARM && gen_chance(&g->rng, 60))
			return prog_lit(200 + gen_below(&g->rng, 2000));
		return gen_byte_val(g, a);
	case ARG_TASK_LABEL:
		/* start: mostly a NOAUTO task, since starting a scheduled one panics (4.6) */
		if (nr == SYSCALL_START && gen_chance(&g->rng, 70)) {
			const ProgConfig *c = &g->p->cfg;
			uint32_t first = gen_below(&g->rng, c->n_tasks);
			for (uint32_t k = 0; k < c->n_tasks; k++) {
				const ProgTask *t = &c->tasks[(first + k) % c->n_tasks];
				if (!t->auto_start)
					return prog_lit(t->label);
			}
		}
		return gen_byte_val(g, a);
	case ARG_CAP_BIT:
		if (gen_chance(&g->rng, 60))
			return prog_lit(prog_cap_bits[gen_below(&g->rng, 18)]);
		return gen_byte_val(g, a);
	default:
		return gen_byte_val(g, a);
	}
}

static void gen_fill(Gen *g, ProgFill *f)
{
	uint32_t r = gen_below(&g->rng, 100);
	if (r < 20) {
		f->kind = FILL_NONE;
	} else if (r < 70) {
		f->kind = FILL_PATTERN;
		f->seed = (uint8_t)(0x80 + gen_below(&g->rng, 0x60));
	} else if (r < 88) {
		f->kind = FILL_VAR;
		f->var = (uint8_t)gen_below(&g->rng, PROG_VARS);
		f->seed = (uint8_t)(0xE0 + f->var);
	} else {
		f->kind = FILL_BYTES;
		f->n = (uint8_t)gen_below(&g->rng, PROG_FILL_MAX + 1);
		for (uint32_t i = 0; i < f->n; i++)
			f->bytes[i] = (uint8_t)gen_next(&g->rng);
	}
}

static ProgOp *gen_add(Gen *g, uint32_t nr, ProgVal a0, ProgVal a1, ProgVal a2)
{
	return prog_add_call(g->p, g->script, nr, a0, a1, a2);
}

/* Calls that only make sense on a resource in some state: now and then, put the calls that
 * bring it there first (the SHM's MAP credential, a mapping to undo, an assigned stream),
 * so that generated programs reach the paths behind those states. */
static void gen_prelude(Gen *g, uint32_t nr, ProgVal res)
{
	if (!g->p->cfg.board || !gen_chance(&g->rng, 50))
		return;
	ProgVal self = prog_handle_of(g->script), z = prog_lit(0);
	switch (nr) {
	case SYSCALL_MAP_SHM: {
		uint32_t perms =
		    SHM_PERMISSION_MAP | (gen_chance(&g->rng, 50) ? SHM_PERMISSION_WRITE : 0);
		gen_add(g, SYSCALL_SHM_SET_CREDENTIAL, res, self, prog_lit(perms));
		break;
	}
	case SYSCALL_UNMAP_SHM:
		gen_add(g, SYSCALL_SHM_SET_CREDENTIAL, res, self, prog_lit(SHM_PERMISSION_MAP));
		gen_add(g, SYSCALL_MAP_SHM, res, z, z);
		break;
	case SYSCALL_UNMAP_DEV:
		gen_add(g, SYSCALL_MAP_DEV, res, z, z);
		break;
	case SYSCALL_DMA_START_STREAM:
	case SYSCALL_DMA_UNASSIGN_STREAM:
		gen_add(g, SYSCALL_DMA_ASSIGN_STREAM, res, z, z);
		break;
	case SYSCALL_DMA_SUSPEND_STREAM:
	case SYSCALL_DMA_RESUME_STREAM:
		gen_add(g, SYSCALL_DMA_ASSIGN_STREAM, res, z, z);
		gen_add(g, SYSCALL_DMA_START_STREAM, res, z, z);
		if (nr == SYSCALL_DMA_RESUME_STREAM)
			gen_add(g, SYSCALL_DMA_SUSPEND_STREAM, res, z, z);
		break;
	default:
		break;
	}
}

static void gen_call(Gen *g, uint32_t nr)
{
	const SysRow *d = systable_get(nr);
	ProgVal args[3] = {{0}};
	/* arguments first: a handle argument may insert its constructor call before this one */
	for (uint32_t i = 0; i < 3; i++)
		if (d->args[i].kind != ARG_NONE)
			args[i] = gen_arg(g, nr, &d->args[i]);
	gen_prelude(g, nr, args[0]);
	ProgOp *op = prog_add_call(g->p, g->script, nr, args[0], args[1], args[2]);
	if (!op)
		return;
	if (d->in != IN_NONE)
		gen_fill(g, &op->fill);
	if (d->out != OUT_NONE) {
		op->dst = gen_dst(g);
		g->bound[op->dst] = d->out;
	}
}

/* A system call number by the table's weights, with the generator's biases. */
static uint32_t gen_pick_nr(Gen *g)
{
	static uint32_t total;
	if (!total)
		for (uint32_t nr = 0; nr < SYS_COUNT; nr++)
			total += systable_get(nr)->weight;
	bool autotest = g->p->cfg.autotest;
	for (;;) {
		uint32_t x = gen_below(&g->rng, total);
		uint32_t nr = 0;
		while (x >= systable_get(nr)->weight)
			x -= systable_get(nr++)->weight;
		/* with a board, a third of the calls act on it */
		if (g->p->cfg.board && gen_chance(&g->rng, 33)) {
			nr = gen_below(&g->rng, SYS_COUNT);
			if (!(systable_get(nr)->flags & SYS_BOARD))
				continue;
		}
		/* exit ends a job: keep it rare inside a script (the script's end exits) */
		if (nr == SYSCALL_EXIT && !gen_chance(&g->rng, 30))
			continue;
		/* start panics when its target is already scheduled (4.6): halve it, so that
		 * fewer programs end there */
		if (nr == SYSCALL_START && gen_chance(&g->rng, 50))
			continue;
		/* unsupported paths: keep them but rarely, except in the autotest build */
		if (!systable_supported(nr, autotest) && !gen_chance(&g->rng, 25))
			continue;
		return nr;
	}
}

/* Up to |n| ops of one task's script: calls, raw traps, stimuli, touches. */
static void gen_script(Gen *g, uint8_t script, uint32_t n)
{
	g->script = script;
	memset(g->bound, 0, sizeof(g->bound));
	for (uint32_t i = 0; i < n && g->p->n_ops < PROG_MAX_OPS - 4; i++) {
		uint32_t r = gen_below(&g->rng, 100);
		if (g->p->cfg.board && r < 3) {
			/* memory of a board resource, mostly one the task owns: the access
			 * faults the task unless it has the region mapped (for a write,
			 * writable) */
			ProgOp *op = prog_add(g->p, script, OP_TOUCH);
			bool shm = gen_chance(&g->rng, 50);
			uint32_t count = shm ? FUZZBOARD_SHMS : FUZZBOARD_DEVICES;
			uint32_t idx = gen_below(&g->rng, count);
			const uint8_t *owner = shm ? g->fb.shm_owner : g->fb.dev_owner;
			for (uint32_t k = 0; k < count && gen_chance(&g->rng, 75); k++)
				if (owner[(idx + k) % count] == script) {
					idx = (idx + k) % count;
					break;
				}
			op->param = (shm ? 1u << 8 : 0) | idx;
			op->param2 = gen_below(&g->rng, 256);
		} else if (r < 78) {
			gen_call(g, gen_pick_nr(g));
		} else if (r < 90) {
			ProgOp *op = prog_add(g->p, script, OP_COMPUTE);
			op->param = prog_compute_ns[gen_below(&g->rng, 8)];
		} else if (r < 94) {
			ProgOp *op = prog_add(g->p, script, OP_STIM);
			op->param = gen_below(&g->rng, STIM_COUNT);
			op->param2 = gen_below(&g->rng, 256);
		} else if (r < 97) {
			ProgOp *op = prog_add(g->p, script, OP_RAW);
			op->nr = (uint8_t)(gen_chance(&g->rng, 50) ? gen_below(&g->rng, 48)
			                                           : gen_below(&g->rng, 256));
			for (uint32_t a = 0; a < 3; a++)
				op->args[a] =
				    prog_lit(gen_chance(&g->rng, 50) ? gen_below(&g->rng, 16)
				                                     : (uint32_t)gen_next(&g->rng));
		} else if (r < 99) {
			prog_add(g->p, script, OP_FAULT);
		} else {
			prog_add(g->p, script, OP_HANG);
		}
	}
}

void prog_generate(Prog *p, uint64_t seed)
{
	opmap_init();
	memset(p, 0, sizeof(*p));
	Gen g = {.rng = {.s = seed}, .p = p};
	gen_config(&g.rng, &p->cfg);
	prog_normalize(p);
	fuzzboard_build(&p->cfg, &g.fb);
	for (uint8_t t = 0; t < p->cfg.n_tasks; t++)
		gen_script(&g, t, 1 + gen_below(&g.rng, 24));
	uint32_t n_idle = gen_below(&g.rng, 4);
	for (uint32_t i = 0; i < n_idle && p->n_ops < PROG_MAX_OPS; i++) {
		ProgOp *op = prog_add(p, PROG_SCRIPT_IDLE, OP_STIM);
		op->param = gen_below(&g.rng, STIM_COUNT);
		op->param2 = gen_below(&g.rng, 256);
	}
}
