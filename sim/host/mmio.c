/*
 * mmio.c: trapped register access, the daemon's side (see mmio.h).
 *
 * Capstone decodes the faulting instruction (x86-64, with operand details). The forms that
 * compilers emit for volatile register code are performed: mov loads and stores (register
 * or immediate source), movzx, movsx and movsxd, the arithmetic and logic forms with a
 * memory operand (add, adc, sub, sbb, and, or, xor with a memory destination, a read then a
 * write; the same with a register destination; cmp and test, a read; inc, dec, not, neg;
 * xchg; imul with a memory source; shl, sal, shr, sar; mul, imul, div, idiv on rdx:rax;
 * setcc) and the string stores and loads (stos, lods, with rep). Anything else with a memory
 * operand is a fault naming the instruction as Capstone prints it. Flags follow the
 * architecture for each form (the ones it leaves undefined are cleared).
 *
 * Every address comes from the task's registers, which the task wrote: the access function
 * (serve_access) takes it only if it falls in a window the task has mapped whose page traps.
 */
#include "config.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include "sim/errors.h"
#include "sim/host/mmio.h"
#include "sim/kernel/views.h"
#include "uapi/src/wire.h"

#define INSN_MAX     15
#define WINDOW_SLOTS 4 /* a task's mapping slots (uapi.md 1.7, kernel_view_window) */

/* The arithmetic flags */
#define F_CF    0x001u
#define F_PF    0x004u
#define F_AF    0x010u
#define F_ZF    0x040u
#define F_SF    0x080u
#define F_DF    0x400u
#define F_OF    0x800u
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

/* A decoded instruction, kept for the next fault at the same address with the same bytes
 * (a driver polls a register from one instruction): decoding costs more than the rest of
 * the daemon's work on an access. */
typedef struct {
	gboolean used;
	uint64_t rip;
	uint8_t bytes[INSN_MAX];
	cs_insn insn;
	cs_detail detail;
} Decoded;

#define DECODED_SLOTS 16

struct mmio_decoder {
	csh cs;
	Decoded cache[DECODED_SLOTS];
};

MmioDecoder *mmio_decoder_new(GError **error)
{
	MmioDecoder *d = g_new0(MmioDecoder, 1);
	cs_err e = cs_open(CS_ARCH_X86, CS_MODE_64, &d->cs);
	if (e == CS_ERR_OK)
		e = cs_option(d->cs, CS_OPT_DETAIL, CS_OPT_ON);
	if (e != CS_ERR_OK) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "cannot start the instruction decoder (Capstone): %s", cs_strerror(e));
		if (d->cs)
			cs_close(&d->cs);
		g_free(d);
		return NULL;
	}
	return d;
}

void mmio_decoder_free(MmioDecoder *d)
{
	if (!d)
		return;
	cs_close(&d->cs);
	g_free(d);
}

/* A general register: which one, how many bytes of it, and whether it is the second byte
 * (ah, ch, dh, bh). */
typedef struct {
	int index; /* -1: not a general register */
	unsigned width;
	gboolean high;
} Reg;

static Reg reg_of(x86_reg r)
{
	static const struct {
		x86_reg r;
		int8_t index;
		uint8_t width, high;
	} table[] = {
	    {X86_REG_RAX, 0, 8, 0},   {X86_REG_EAX, 0, 4, 0},   {X86_REG_AX, 0, 2, 0},
	    {X86_REG_AL, 0, 1, 0},    {X86_REG_AH, 0, 1, 1},    {X86_REG_RCX, 1, 8, 0},
	    {X86_REG_ECX, 1, 4, 0},   {X86_REG_CX, 1, 2, 0},    {X86_REG_CL, 1, 1, 0},
	    {X86_REG_CH, 1, 1, 1},    {X86_REG_RDX, 2, 8, 0},   {X86_REG_EDX, 2, 4, 0},
	    {X86_REG_DX, 2, 2, 0},    {X86_REG_DL, 2, 1, 0},    {X86_REG_DH, 2, 1, 1},
	    {X86_REG_RBX, 3, 8, 0},   {X86_REG_EBX, 3, 4, 0},   {X86_REG_BX, 3, 2, 0},
	    {X86_REG_BL, 3, 1, 0},    {X86_REG_BH, 3, 1, 1},    {X86_REG_RSP, 4, 8, 0},
	    {X86_REG_ESP, 4, 4, 0},   {X86_REG_SP, 4, 2, 0},    {X86_REG_SPL, 4, 1, 0},
	    {X86_REG_RBP, 5, 8, 0},   {X86_REG_EBP, 5, 4, 0},   {X86_REG_BP, 5, 2, 0},
	    {X86_REG_BPL, 5, 1, 0},   {X86_REG_RSI, 6, 8, 0},   {X86_REG_ESI, 6, 4, 0},
	    {X86_REG_SI, 6, 2, 0},    {X86_REG_SIL, 6, 1, 0},   {X86_REG_RDI, 7, 8, 0},
	    {X86_REG_EDI, 7, 4, 0},   {X86_REG_DI, 7, 2, 0},    {X86_REG_DIL, 7, 1, 0},
	    {X86_REG_R8, 8, 8, 0},    {X86_REG_R8D, 8, 4, 0},   {X86_REG_R8W, 8, 2, 0},
	    {X86_REG_R8B, 8, 1, 0},   {X86_REG_R9, 9, 8, 0},    {X86_REG_R9D, 9, 4, 0},
	    {X86_REG_R9W, 9, 2, 0},   {X86_REG_R9B, 9, 1, 0},   {X86_REG_R10, 10, 8, 0},
	    {X86_REG_R10D, 10, 4, 0}, {X86_REG_R10W, 10, 2, 0}, {X86_REG_R10B, 10, 1, 0},
	    {X86_REG_R11, 11, 8, 0},  {X86_REG_R11D, 11, 4, 0}, {X86_REG_R11W, 11, 2, 0},
	    {X86_REG_R11B, 11, 1, 0}, {X86_REG_R12, 12, 8, 0},  {X86_REG_R12D, 12, 4, 0},
	    {X86_REG_R12W, 12, 2, 0}, {X86_REG_R12B, 12, 1, 0}, {X86_REG_R13, 13, 8, 0},
	    {X86_REG_R13D, 13, 4, 0}, {X86_REG_R13W, 13, 2, 0}, {X86_REG_R13B, 13, 1, 0},
	    {X86_REG_R14, 14, 8, 0},  {X86_REG_R14D, 14, 4, 0}, {X86_REG_R14W, 14, 2, 0},
	    {X86_REG_R14B, 14, 1, 0}, {X86_REG_R15, 15, 8, 0},  {X86_REG_R15D, 15, 4, 0},
	    {X86_REG_R15W, 15, 2, 0}, {X86_REG_R15B, 15, 1, 0},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
		if (table[i].r == r)
			return (Reg){table[i].index, table[i].width, table[i].high};
	return (Reg){-1, 0, FALSE};
}

static uint64_t mask_of(unsigned width)
{
	return width >= 8 ? UINT64_MAX : (UINT64_C(1) << (width * 8)) - 1;
}

static uint64_t sign_extend(uint64_t v, unsigned width)
{
	if (width >= 8)
		return v;
	unsigned shift = 64 - width * 8;
	return (uint64_t)((int64_t)(v << shift) >> shift);
}

static uint64_t reg_get(const MmioCpu *cpu, Reg r)
{
	uint64_t v = cpu->regs[r.index];
	return (r.high ? v >> 8 : v) & mask_of(r.width);
}

/* A write to a 32-bit register clears the upper half; narrower ones keep the rest. */
static void reg_set(MmioCpu *cpu, Reg r, uint64_t v)
{
	uint64_t *dst = &cpu->regs[r.index];
	if (r.width == 8)
		*dst = v;
	else if (r.width == 4)
		*dst = v & 0xffffffffu;
	else if (r.high)
		*dst = (*dst & ~UINT64_C(0xff00)) | ((v & 0xff) << 8);
	else
		*dst = (*dst & ~mask_of(r.width)) | (v & mask_of(r.width));
}

/* Parity of the low byte, zero and sign of |res| in |width| bytes. */
static uint64_t flags_psz(uint64_t res, unsigned width)
{
	uint64_t f = 0;
	res &= mask_of(width);
	if (!(__builtin_popcount((unsigned)(res & 0xff)) & 1))
		f |= F_PF;
	if (res == 0)
		f |= F_ZF;
	if (res >> (width * 8 - 1) & 1)
		f |= F_SF;
	return f;
}

typedef enum { ALU_ADD, ALU_ADC, ALU_SUB, ALU_SBB, ALU_AND, ALU_OR, ALU_XOR } AluOp;

/* |a| op |b| in |width| bytes; the new arithmetic flags in |*flags|. */
static uint64_t alu(AluOp op, uint64_t a, uint64_t b, unsigned width, uint64_t rflags,
                    uint64_t *flags)
{
	uint64_t m = mask_of(width), top = UINT64_C(1) << (width * 8 - 1);
	uint64_t carry = (op == ALU_ADC || op == ALU_SBB) ? (rflags & F_CF) : 0;
	uint64_t res, f = 0;
	a &= m;
	b &= m;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		res = (a + b + carry) & m;
		if (res < a || (carry && res == a))
			f |= F_CF;
		if ((a ^ res) & (b ^ res) & top)
			f |= F_OF;
		f |= (a ^ b ^ res) & F_AF;
		break;
	case ALU_SUB:
	case ALU_SBB:
		res = (a - b - carry) & m;
		if (a < b || (carry && a == b))
			f |= F_CF;
		if ((a ^ b) & (a ^ res) & top)
			f |= F_OF;
		f |= (a ^ b ^ res) & F_AF;
		break;
	case ALU_AND:
		res = a & b;
		break;
	case ALU_OR:
		res = a | b;
		break;
	default:
		res = a ^ b;
		break;
	}
	*flags = f | flags_psz(res, width);
	return res;
}

/* The signed product of |a| and |b| in |width| bytes; CF and OF when it does not fit (the
 * other flags are undefined: cleared). */
static uint64_t imul(uint64_t a, uint64_t b, unsigned width, uint64_t *flags)
{
	__int128 p = (__int128)(int64_t)sign_extend(a & mask_of(width), width) *
	             (__int128)(int64_t)sign_extend(b & mask_of(width), width);
	uint64_t res = (uint64_t)p & mask_of(width);
	*flags = 0;
	if ((__int128)(int64_t)sign_extend(res, width) != p)
		*flags |= F_CF | F_OF;
	return res;
}

static void set_flags(MmioCpu *cpu, uint64_t which, uint64_t f);

/* Does condition |id| (a SETcc instruction) hold on |f|? -1: not a SETcc. */
static int condition(unsigned id, uint64_t f)
{
	gboolean cf = f & F_CF, zf = f & F_ZF, sf = (f & F_SF) != 0, of = (f & F_OF) != 0;
	gboolean pf = f & F_PF;
	switch (id) {
	case X86_INS_SETO:
		return of;
	case X86_INS_SETNO:
		return !of;
	case X86_INS_SETB:
		return cf;
	case X86_INS_SETAE:
		return !cf;
	case X86_INS_SETE:
		return zf;
	case X86_INS_SETNE:
		return !zf;
	case X86_INS_SETBE:
		return cf || zf;
	case X86_INS_SETA:
		return !cf && !zf;
	case X86_INS_SETS:
		return sf;
	case X86_INS_SETNS:
		return !sf;
	case X86_INS_SETP:
		return pf;
	case X86_INS_SETNP:
		return !pf;
	case X86_INS_SETL:
		return sf != of;
	case X86_INS_SETGE:
		return sf == of;
	case X86_INS_SETLE:
		return zf || sf != of;
	case X86_INS_SETG:
		return !zf && sf == of;
	default:
		return -1;
	}
}

/* |a| shifted by |count| (already masked, not 0) in |width| bytes: shl/sal, shr or sar;
 * the flags in |*flags| (OF only for a count of 1, AF cleared: undefined). */
static uint64_t shift(unsigned id, uint64_t a, unsigned count, unsigned width, uint64_t *flags)
{
	unsigned bits = width * 8;
	uint64_t m = mask_of(width), res, out;
	a &= m;
	if (id == X86_INS_SHL || id == X86_INS_SAL) {
		res = count < bits ? (a << count) & m : 0;
		out = count <= bits ? (a >> (bits - count)) & 1 : 0;
	} else if (id == X86_INS_SHR) {
		res = count < bits ? a >> count : 0;
		out = count <= bits ? (a >> (count - 1)) & 1 : 0;
	} else {
		int64_t sa = (int64_t)sign_extend(a, width);
		res = (uint64_t)(sa >> (count < bits ? count : bits - 1)) & m;
		out = (uint64_t)(sa >> (count <= bits ? count - 1 : bits - 1)) & 1;
	}
	*flags = flags_psz(res, width) | (out ? F_CF : 0);
	if (count == 1) {
		gboolean of = id == X86_INS_SHR   ? (a >> (bits - 1)) & 1
		              : id == X86_INS_SAR ? 0
		                                  : ((res >> (bits - 1)) & 1) != out;
		if (of)
			*flags |= F_OF;
	}
	return res;
}

/* mul, imul, div or idiv with a memory operand |v| of |width| bytes on rdx:rax (ax for
 * one byte). FALSE for a divide error (a zero divisor, a quotient too wide). */
static gboolean muldiv(unsigned id, uint64_t v, unsigned width, MmioCpu *cpu)
{
	unsigned bits = width * 8;
	uint64_t m = mask_of(width);
	Reg lo = {0, width, FALSE}, hi = {2, width, FALSE};
	if (width == 1)
		hi = (Reg){0, 1, TRUE}; /* ah */
	uint64_t a = reg_get(cpu, lo), d = reg_get(cpu, hi), f = 0, q, r;
	if (id == X86_INS_MUL || id == X86_INS_IMUL) {
		unsigned __int128 p;
		if (id == X86_INS_MUL)
			p = (unsigned __int128)a * (v & m);
		else
			p = (unsigned __int128)((__int128)(int64_t)sign_extend(a, width) *
			                        (int64_t)sign_extend(v, width));
		q = (uint64_t)p & m;
		r = (uint64_t)(p >> bits) & m;
		if (id == X86_INS_MUL ? r != 0
		                      : r != (((int64_t)sign_extend(q, width) < 0) ? m : 0))
			f = F_CF | F_OF;
	} else {
		unsigned __int128 n = ((unsigned __int128)d << bits) | a;
		v &= m;
		if (v == 0)
			return FALSE;
		if (id == X86_INS_DIV) {
			unsigned __int128 qq = n / v;
			if (qq > m)
				return FALSE;
			q = (uint64_t)qq;
			r = (uint64_t)(n % v);
		} else {
			__int128 sn = (__int128)(n << (128 - 2 * bits)) >> (128 - 2 * bits);
			__int128 sv = (int64_t)sign_extend(v, width), sq = sn / sv;
			__int128 lim = (__int128)1 << (bits - 1);
			if (sq >= lim || sq < -lim)
				return FALSE;
			q = (uint64_t)sq & m;
			r = (uint64_t)(sn % sv) & m;
		}
	}
	reg_set(cpu, lo, q);
	reg_set(cpu, hi, r);
	set_flags(cpu, F_ARITH, f);
	return TRUE;
}

static void set_flags(MmioCpu *cpu, uint64_t which, uint64_t f)
{
	cpu->rflags = (cpu->rflags & ~which) | (f & which);
}

/* The effective address of a memory operand. FALSE for a segment with a base (fs, gs). */
static gboolean operand_address(const MmioCpu *cpu, const cs_insn *in, const cs_x86_op *op,
                                uint64_t *addr)
{
	const x86_op_mem *mem = &op->mem;
	if (mem->segment == X86_REG_FS || mem->segment == X86_REG_GS)
		return FALSE;
	uint64_t a = (uint64_t)mem->disp;
	if (mem->base == X86_REG_RIP || mem->base == X86_REG_EIP) {
		a += cpu->rip + in->size;
	} else if (mem->base != X86_REG_INVALID) {
		Reg b = reg_of(mem->base);
		if (b.index < 0)
			return FALSE;
		a += reg_get(cpu, b);
	}
	if (mem->index != X86_REG_INVALID) {
		Reg x = reg_of(mem->index);
		if (x.index < 0)
			return FALSE;
		a += reg_get(cpu, x) * (uint64_t)mem->scale;
	}
	if (in->detail->x86.addr_size == 4)
		a &= 0xffffffffu;
	*addr = a;
	return TRUE;
}

static gboolean width_ok(unsigned w)
{
	return w == 1 || w == 2 || w == 4 || w == 8;
}

/* One string instruction (stos, lods), with its rep prefix: each element is an access. */
static MmioResult string_op(const cs_insn *in, unsigned width, gboolean store, MmioCpu *cpu,
                            MmioAccessFn access, void *data, char **why)
{
	const cs_x86 *x = &in->detail->x86;
	gboolean rep = x->prefix[0] == X86_PREFIX_REP;
	uint64_t amask = x->addr_size == 4 ? 0xffffffffu : UINT64_MAX;
	int ptr = store ? 7 : 6; /* rdi : rsi */
	int64_t step = (cpu->rflags & F_DF) ? -(int64_t)width : (int64_t)width;
	Reg acc = {0, width, FALSE};
	while (!rep || (cpu->regs[1] & amask) != 0) {
		uint64_t addr = cpu->regs[ptr] & amask, v = reg_get(cpu, acc);
		if (!access(data, addr, width, store, &v, why))
			return MMIO_FAULT;
		if (!store)
			reg_set(cpu, acc, v);
		cpu->regs[ptr] = (cpu->regs[ptr] & ~amask) | ((addr + (uint64_t)step) & amask);
		if (!rep)
			break;
		cpu->regs[1] = (cpu->regs[1] & ~amask) | ((cpu->regs[1] - 1) & amask);
	}
	return MMIO_DONE;
}

static char *unsupported(const cs_insn *in)
{
	return in->op_str[0]
	           ? g_strdup_printf("unsupported instruction '%s %s'", in->mnemonic, in->op_str)
	           : g_strdup_printf("unsupported instruction '%s'", in->mnemonic);
}

/* The instruction at |rip| in |bytes| (|n| of them): from the cache, or decoded and kept;
 * NULL when Capstone cannot decode them. */
static const cs_insn *decode(MmioDecoder *d, const uint8_t *bytes, size_t n, uint64_t rip)
{
	Decoded *e = &d->cache[(rip ^ (rip >> 4)) % DECODED_SLOTS];
	if (e->used && e->rip == rip && e->insn.size <= n &&
	    memcmp(e->bytes, bytes, e->insn.size) == 0)
		return &e->insn;
	cs_insn *in = NULL;
	if (cs_disasm(d->cs, bytes, n, rip, 1, &in) == 0)
		return NULL;
	e->used = TRUE;
	e->rip = rip;
	memcpy(e->bytes, bytes, in->size);
	e->insn = *in;
	e->detail = *in->detail;
	e->insn.detail = &e->detail;
	cs_free(in, 1);
	return &e->insn;
}

/* The string element width of stos/lods from the instruction id, 0 for other ids. */
static unsigned string_width(unsigned id, gboolean *store)
{
	switch (id) {
	case X86_INS_STOSB:
		*store = TRUE;
		return 1;
	case X86_INS_STOSW:
		*store = TRUE;
		return 2;
	case X86_INS_STOSD:
		*store = TRUE;
		return 4;
	case X86_INS_STOSQ:
		*store = TRUE;
		return 8;
	case X86_INS_LODSB:
		*store = FALSE;
		return 1;
	case X86_INS_LODSW:
		*store = FALSE;
		return 2;
	case X86_INS_LODSD:
		*store = FALSE;
		return 4;
	case X86_INS_LODSQ:
		*store = FALSE;
		return 8;
	default:
		return 0;
	}
}

static gboolean alu_op_of(unsigned id, AluOp *op)
{
	switch (id) {
	case X86_INS_ADD:
		*op = ALU_ADD;
		return TRUE;
	case X86_INS_ADC:
		*op = ALU_ADC;
		return TRUE;
	case X86_INS_SUB:
		*op = ALU_SUB;
		return TRUE;
	case X86_INS_SBB:
		*op = ALU_SBB;
		return TRUE;
	case X86_INS_AND:
		*op = ALU_AND;
		return TRUE;
	case X86_INS_OR:
		*op = ALU_OR;
		return TRUE;
	case X86_INS_XOR:
		*op = ALU_XOR;
		return TRUE;
	case X86_INS_CMP:
		*op = ALU_SUB;
		return TRUE; /* flags only */
	case X86_INS_TEST:
		*op = ALU_AND;
		return TRUE; /* flags only */
	default:
		return FALSE;
	}
}

/* The value of a source operand (register or immediate) in |width| bytes. */
static gboolean source_value(const MmioCpu *cpu, const cs_x86_op *op, unsigned width, uint64_t *v)
{
	if (op->type == X86_OP_IMM) {
		*v = (uint64_t)op->imm & mask_of(width);
		return TRUE;
	}
	if (op->type == X86_OP_REG) {
		Reg r = reg_of(op->reg);
		if (r.index < 0)
			return FALSE;
		*v = reg_get(cpu, r);
		return TRUE;
	}
	return FALSE;
}

/* Perform one decoded instruction whose memory operand is operands[|m|] at |addr|. */
static MmioResult perform(const cs_insn *in, int m, uint64_t addr, MmioCpu *cpu,
                          MmioAccessFn access, void *data, char **why)
{
	const cs_x86 *x = &in->detail->x86;
	unsigned width = x->operands[m].size;
	const cs_x86_op *other = x->op_count == 2 ? &x->operands[1 - m] : NULL;
	Reg dst = other && other->type == X86_OP_REG ? reg_of(other->reg) : (Reg){-1, 0, FALSE};
	uint64_t v = 0, s = 0, f = 0;
	AluOp op;
	if (!width_ok(width))
		goto no;
	switch (in->id) {
	case X86_INS_MOV:
		if (m == 1) { /* load */
			if (dst.index < 0 || dst.width != width ||
			    !access(data, addr, width, FALSE, &v, why))
				goto failed;
			reg_set(cpu, dst, v);
		} else { /* store */
			if (!other || !source_value(cpu, other, width, &v) ||
			    !access(data, addr, width, TRUE, &v, why))
				goto failed;
		}
		return MMIO_DONE;
	case X86_INS_MOVZX:
	case X86_INS_MOVSX:
	case X86_INS_MOVSXD:
		if (m != 1 || dst.index < 0 || !access(data, addr, width, FALSE, &v, why))
			goto failed;
		reg_set(cpu, dst, in->id == X86_INS_MOVZX ? v : sign_extend(v, width));
		return MMIO_DONE;
	case X86_INS_MUL:
	case X86_INS_DIV:
	case X86_INS_IDIV:
	case X86_INS_IMUL:              /* imul reg, [mem] and imul reg, [mem], imm: a read */
		if (x->op_count == 1) { /* on rdx:rax: a read */
			if (!access(data, addr, width, FALSE, &v, why))
				return MMIO_FAULT;
			if (!muldiv(in->id, v, width, cpu)) {
				*why = g_strdup_printf("divide error (#DE) in '%s %s'",
				                       in->mnemonic, in->op_str);
				return MMIO_FAULT;
			}
			return MMIO_DONE;
		}
		if (in->id != X86_INS_IMUL)
			goto no;
		dst = reg_of(x->operands[0].reg);
		if (m != 1 || x->operands[0].type != X86_OP_REG || dst.index < 0 ||
		    dst.width != width)
			goto no;
		if (!access(data, addr, width, FALSE, &v, why))
			return MMIO_FAULT;
		s = x->op_count == 3 ? (uint64_t)x->operands[2].imm : reg_get(cpu, dst);
		v = imul(v, s, width, &f);
		reg_set(cpu, dst, v);
		set_flags(cpu, F_ARITH, f);
		return MMIO_DONE;
	case X86_INS_XCHG:
		if (dst.index < 0 || dst.width != width)
			goto no;
		s = reg_get(cpu, dst);
		if (!access(data, addr, width, FALSE, &v, why) ||
		    !access(data, addr, width, TRUE, &s, why))
			return MMIO_FAULT;
		reg_set(cpu, dst, v);
		return MMIO_DONE;
	case X86_INS_INC:
	case X86_INS_DEC:
	case X86_INS_NOT:
	case X86_INS_NEG:
		if (x->op_count != 1 || !access(data, addr, width, FALSE, &v, why))
			goto failed;
		if (in->id == X86_INS_NOT) {
			v = ~v & mask_of(width);
		} else if (in->id == X86_INS_NEG) {
			v = alu(ALU_SUB, 0, v, width, 0, &f);
			set_flags(cpu, F_ARITH, f);
		} else {
			v = alu(in->id == X86_INS_INC ? ALU_ADD : ALU_SUB, v, 1, width, 0, &f);
			set_flags(cpu, F_ARITH & ~F_CF, f); /* inc and dec keep CF */
		}
		if (!access(data, addr, width, TRUE, &v, why))
			return MMIO_FAULT;
		return MMIO_DONE;
	case X86_INS_SHL:
	case X86_INS_SAL:
	case X86_INS_SHR:
	case X86_INS_SAR: { /* by 1, an immediate or cl: a read, then a write */
		unsigned count = 1;
		if (m != 0)
			goto no;
		if (other && other->type == X86_OP_IMM)
			count = (unsigned)other->imm;
		else if (other && other->type == X86_OP_REG && other->reg == X86_REG_CL)
			count = (unsigned)(cpu->regs[1] & 0xff);
		else if (other)
			goto no;
		count &= width == 8 ? 0x3f : 0x1f;
		if (!access(data, addr, width, FALSE, &v, why))
			return MMIO_FAULT;
		if (count == 0) /* flags and memory as they were: no write */
			return MMIO_DONE;
		v = shift(in->id, v, count, width, &f);
		if (!access(data, addr, width, TRUE, &v, why))
			return MMIO_FAULT;
		set_flags(cpu, F_ARITH, f);
		return MMIO_DONE;
	}
	default:
		if (condition(in->id, 0) >= 0) { /* setcc [mem]: a write of 0 or 1 */
			if (x->op_count != 1 || width != 1)
				goto no;
			v = (uint64_t)condition(in->id, cpu->rflags);
			if (!access(data, addr, 1, TRUE, &v, why))
				return MMIO_FAULT;
			return MMIO_DONE;
		}
		break;
	}
	if (!alu_op_of(in->id, &op) || !other)
		goto no;
	gboolean flags_only = in->id == X86_INS_CMP || in->id == X86_INS_TEST;
	uint64_t a, b;
	if (m == 0) { /* op [mem], src: a read, then a write unless cmp or test */
		if (!source_value(cpu, other, width, &b) ||
		    !access(data, addr, width, FALSE, &a, why))
			goto failed;
		v = alu(op, a, b, width, cpu->rflags, &f);
		if (!flags_only && !access(data, addr, width, TRUE, &v, why))
			return MMIO_FAULT;
	} else { /* op reg, [mem] */
		if (dst.index < 0 || dst.width != width)
			goto no;
		a = reg_get(cpu, dst);
		if (!access(data, addr, width, FALSE, &b, why))
			return MMIO_FAULT;
		v = alu(op, a, b, width, cpu->rflags, &f);
		if (!flags_only)
			reg_set(cpu, dst, v);
	}
	set_flags(cpu, F_ARITH, f);
	return MMIO_DONE;
failed:
	if (*why)
		return MMIO_FAULT;
no:
	*why = unsupported(in);
	return MMIO_FAULT;
}

MmioResult mmio_emulate(MmioDecoder *d, const uint8_t *bytes, size_t n, uint64_t fault,
                        MmioCpu *cpu, MmioAccessFn access, void *data, char **why)
{
	*why = NULL;
	const cs_insn *in = decode(d, bytes, MIN(n, (size_t)INSN_MAX), cpu->rip);
	if (!in) {
		if (n < INSN_MAX)
			return MMIO_MORE;
		*why = g_strdup_printf("undecodable instruction (bytes %02x %02x %02x %02x ...)",
		                       bytes[0], bytes[1], bytes[2], bytes[3]);
		return MMIO_FAULT;
	}
	MmioCpu before = *cpu;
	MmioResult res = MMIO_FAULT;
	const cs_x86 *x = &in->detail->x86;
	gboolean store = FALSE;
	unsigned sw = string_width(in->id, &store);
	int m = -1;
	for (int i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM) {
			if (m >= 0)
				m = INT_MAX; /* two memory operands (movs, cmps) */
			else
				m = i;
		}
	uint64_t addr = 0;
	if (sw) {
		if (x->prefix[0] == X86_PREFIX_REPNE)
			*why = unsupported(in);
		else
			res = string_op(in, sw, store, cpu, access, data, why);
	} else if (m < 0 || m == INT_MAX || x->op_count > 3 ||
	           (x->op_count == 3 && in->id != X86_INS_IMUL)) {
		*why = unsupported(in);
	} else if (!operand_address(cpu, in, &x->operands[m], &addr)) {
		*why = unsupported(in); /* fs or gs: a thread's block, never a device */
	} else if (addr != fault) {
		*why = g_strdup_printf("protocol violation: the trapped access at 0x%" PRIx64
		                       " is not the instruction's operand (0x%" PRIx64 ")",
		                       fault, addr);
	} else {
		res = perform(in, m, addr, cpu, access, data, why);
	}
	if (res == MMIO_DONE)
		cpu->rip = before.rip + in->size;
	else
		*cpu = before;
	return res;
}

/* The window of the task that holds [addr, addr + width), or NULL; its device (NULL for an
 * SHM) and whether the task may write it. */
static const char *find_window(const MmioContext *c, uint64_t addr, unsigned width,
                               const BoardDevice **dev, uint32_t *device, gboolean *writable)
{
	for (uint32_t slot = 0; slot < WINDOW_SLOTS; slot++) {
		bool shm, rw;
		uint32_t index;
		if (!kernel_view_window(c->k, c->task, slot, &shm, &index, &rw))
			continue;
		uint64_t base, size;
		const char *name;
		if (shm) {
			if (index >= c->board->n_shms)
				continue;
			base = c->board->shms[index].base;
			size = c->board->shms[index].size;
			name = c->board->shms[index].name;
		} else {
			if (index >= c->board->n_devices)
				continue;
			base = c->board->devices[index].base;
			size = c->board->devices[index].size;
			name = c->board->devices[index].name;
		}
		if (addr < base || addr + width > base + size || addr + width < addr)
			continue;
		*dev = shm ? NULL : &c->board->devices[index];
		*device = index;
		*writable = rw;
		return name;
	}
	return NULL;
}

/* One access of the task: in a window it has mapped on a page that traps; to the
 * observers for a device with a model, else to the window's memory. */
static gboolean serve_access(void *data, uint64_t addr, unsigned width, gboolean write,
                             uint64_t *value, char **why)
{
	MmioContext *c = data;
	const BoardDevice *dev = NULL;
	uint32_t device = 0;
	gboolean writable = FALSE;
	const char *name = c->board ? find_window(c, addr, width, &dev, &device, &writable) : NULL;
	if (!name || !c->windows || !board_memory_task_trapped(c->windows, addr) ||
	    !board_memory_task_trapped(c->windows, addr + width - 1)) {
		*why =
		    g_strdup_printf("protocol violation: a trapped access of %u bytes at 0x%" PRIx64
		                    " outside the device windows with a model that the task "
		                    "has mapped",
		                    width, addr);
		return FALSE;
	}
	if (write && !writable) {
		*why = g_strdup_printf("a write of %u bytes at 0x%" PRIx64 " to '%s', mapped "
		                       "read-only",
		                       width, addr, name);
		return FALSE;
	}
	if (!write)
		*value = 0;
	c->accesses++;
	if (dev && dev->model) {
		uint32_t offset = (uint32_t)(addr - dev->base);
		for (guint i = 0; i < c->n_obs; i++)
			if (c->obs[i].mmio && c->obs[i].mmio(c->obs[i].data, c->k, c->task, device,
			                                     offset, width, write, value)) {
				if (!write)
					*value &= mask_of(width);
				return TRUE;
			}
	}
	uint8_t *mem = board_memory_at(c->mem, addr, width);
	if (!mem) {
		*why = g_strdup_printf("the daemon has no memory at 0x%" PRIx64, addr);
		return FALSE;
	}
	if (write) {
		memcpy(mem, value, width); /* little-endian: the low bytes */
	} else {
		*value = 0;
		memcpy(value, mem, width);
	}
	return TRUE;
}

/* The device whose window holds |addr| (any task's view), for a diagnosis. */
static const char *device_at(const Board *b, uint64_t addr)
{
	for (uint32_t i = 0; b && i < b->n_devices; i++)
		if (b->devices[i].model && addr >= b->devices[i].base &&
		    addr - b->devices[i].base < b->devices[i].size)
			return b->devices[i].name;
	return NULL;
}

gboolean mmio_serve(MmioContext *c, TaskProc *p, char **why)
{
	struct sentry_trap t;
	taskproc_copy_trap(p, &t);
	c->accesses = 0;
	MmioCpu cpu;
	memcpy(cpu.regs, t.regs, sizeof(cpu.regs));
	cpu.rip = t.rip;
	cpu.rflags = t.rflags;
	size_t n = MIN((size_t)t.insn_len, sizeof(t.insn));
	MmioResult res = mmio_emulate(c->decoder, t.insn, n, t.addr, &cpu, serve_access, c, why);
	if (res == MMIO_FAULT) {
		const char *dev = device_at(c->board, t.addr);
		if (dev && g_str_has_prefix(*why, "unsupported")) {
			char *full = g_strdup_printf(
			    "%s on a register of device '%s' (at 0x%" PRIx64 ", ip 0x%" PRIx64 ")",
			    *why, dev, t.addr, t.rip);
			g_free(*why);
			*why = full;
		}
		return FALSE;
	}
	if (res == MMIO_DONE) {
		memcpy(t.regs, cpu.regs, sizeof(t.regs));
		t.rip = cpu.rip;
		t.rflags = cpu.rflags;
		kernel_advance(c->k, (uint64_t)MMIO_ACCESS_NS * c->accesses);
	}
	t.status = res == MMIO_DONE ? SENTRY_TRAP_DONE : SENTRY_TRAP_MORE;
	taskproc_put_trap(p, &t);
	return TRUE;
}
