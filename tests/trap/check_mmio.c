/*
 * check_mmio.c: the decoder and performer of trapped register accesses (sim/host/mmio.c,
 * mmio_emulate) on byte sequences, without processes: a fake register window records every
 * access, in order, and each case checks the registers, rip, flags, the window and the
 * accesses made; unsupported and malformed instructions are faults that name them.
 */
#include "config.h"

#include <check.h>
#include <glib.h>
#include <string.h>

#include "sim/host/mmio.h"
#include "tests/unit/check_tap.h"

#define BASE 0x40001000ull
#define F_CF 0x001u
#define F_ZF 0x040u
#define F_SF 0x080u
#define F_OF 0x800u

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10 };

/* The fake window: 64 bytes at BASE, and the accesses made, as "r4@0" / "w1@3". */
typedef struct {
	uint8_t mem[64];
	GString *log;
	int refuse; /* 1: every access, 2: writes */
} Fake;

static gboolean fake_access(void *data, uint64_t addr, unsigned width, gboolean write,
                            uint64_t *value, char **why)
{
	Fake *f = data;
	if (f->refuse == 1 || (f->refuse == 2 && write) || addr < BASE ||
	    addr + width > BASE + sizeof(f->mem)) {
		*why = g_strdup("refused by the fake");
		return FALSE;
	}
	g_string_append_printf(f->log, "%s%c%u@%u", f->log->len ? " " : "", write ? 'w' : 'r',
	                       width, (unsigned)(addr - BASE));
	if (write) {
		memcpy(f->mem + (addr - BASE), value, width);
	} else {
		*value = 0;
		memcpy(value, f->mem + (addr - BASE), width);
	}
	return TRUE;
}

static MmioDecoder *dec;
static Fake fake;
static MmioCpu cpu;
static char *why;

static void setup(void)
{
	dec = mmio_decoder_new(NULL);
	ck_assert_ptr_nonnull(dec);
	memset(&fake, 0, sizeof(fake));
	fake.log = g_string_new(NULL);
	memset(&cpu, 0, sizeof(cpu));
	cpu.rip = 0x555555554000ull;
	cpu.rflags = 0x202; /* IF and the reserved bit */
	cpu.regs[RAX] = BASE;
	why = NULL;
}

static void teardown(void)
{
	mmio_decoder_free(dec);
	g_string_free(fake.log, TRUE);
	g_free(why);
}

/* Perform |hex| ("8b 08") faulting at |fault|; the result. */
static MmioResult run_at(const char *hex, uint64_t fault, size_t *len)
{
	uint8_t bytes[15] = {0};
	size_t n = 0;
	for (const char *p = hex; *p && n < sizeof(bytes);) {
		bytes[n++] = (uint8_t)strtoul(p, (char **)&p, 16);
		while (*p == ' ')
			p++;
	}
	if (len)
		*len = n;
	g_free(why);
	why = NULL;
	return mmio_emulate(dec, bytes, n, fault, &cpu, fake_access, &fake, &why);
}

static void done(const char *hex, uint64_t fault, const char *log)
{
	uint64_t rip = cpu.rip;
	size_t n;
	MmioResult r = run_at(hex, fault, &n);
	ck_assert_msg(r == MMIO_DONE, "%s: %d (%s)", hex, r, why ? why : "");
	ck_assert_uint_eq(cpu.rip, rip + n);
	ck_assert_str_eq(fake.log->str, log);
}

static void put32(unsigned off, uint32_t v)
{
	memcpy(fake.mem + off, &v, 4);
}

static uint64_t get64(unsigned off)
{
	uint64_t v;
	memcpy(&v, fake.mem + off, 8);
	return v;
}

START_TEST(loads_of_every_width)
{
	put32(0, 0x89ab80ef);
	put32(4, 0x11223344);
	cpu.regs[RCX] = ~0ull;
	done("8b 08", BASE, "r4@0"); /* mov ecx, [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0x89ab80ef);
	cpu.regs[RCX] = ~0ull;
	done("8a 08", BASE, "r4@0 r1@0"); /* mov cl, [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0xffffffffffffffefull);
	done("66 8b 08", BASE, "r4@0 r1@0 r2@0"); /* mov cx, [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0xffffffffffff80efull);
	done("48 8b 08", BASE, "r4@0 r1@0 r2@0 r8@0"); /* mov rcx, [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0x1122334489ab80efull);
	cpu.regs[RBX] = 0;
	done("8a 78 01", BASE + 1, "r4@0 r1@0 r2@0 r8@0 r1@1"); /* mov bh, [rax+1] */
	ck_assert_uint_eq(cpu.regs[RBX], 0x8000);
	cpu.regs[R9] = BASE + 4;
	done("45 8b 11", BASE + 4, "r4@0 r1@0 r2@0 r8@0 r1@1 r4@4"); /* mov r10d, [r9] */
	ck_assert_uint_eq(cpu.regs[R10], 0x11223344);
}
END_TEST

START_TEST(stores_from_registers_and_immediates)
{
	cpu.regs[RCX] = 0xfedcba9876543210ull;
	done("89 08", BASE, "w4@0"); /* mov [rax], ecx */
	ck_assert_uint_eq(get64(0), 0x76543210);
	cpu.regs[RAX] = BASE + 8;
	done("48 89 08", BASE + 8, "w4@0 w8@8"); /* mov [rax], rcx */
	ck_assert_uint_eq(get64(8), 0xfedcba9876543210ull);
	cpu.regs[RAX] = BASE + 16;
	cpu.regs[RDX] = 0xab00;
	done("88 30", BASE + 16, "w4@0 w8@8 w1@16"); /* mov [rax], dh */
	ck_assert_uint_eq(fake.mem[16], 0xab);
	done("48 c7 00 fe ff ff ff", BASE + 16, "w4@0 w8@8 w1@16 w8@16"); /* mov qword [rax], -2 */
	ck_assert_uint_eq(get64(16), 0xfffffffffffffffeull);
	done("66 c7 00 34 12", BASE + 16, "w4@0 w8@8 w1@16 w8@16 w2@16");
	ck_assert_uint_eq(get64(16), 0xffffffffffff1234ull);
	done("c6 40 02 80", BASE + 18, "w4@0 w8@8 w1@16 w8@16 w2@16 w1@18"); /* byte [rax+2] */
	ck_assert_uint_eq(get64(16), 0xffffffffff801234ull);
}
END_TEST

START_TEST(extensions)
{
	put32(0, 0x000080f0);
	done("0f b6 08", BASE, "r1@0"); /* movzx ecx, byte [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0xf0);
	done("0f b7 08", BASE, "r1@0 r2@0"); /* movzx ecx, word [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0x80f0);
	done("0f be 08", BASE, "r1@0 r2@0 r1@0"); /* movsx ecx, byte [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0xfffffff0);
	done("48 0f bf 08", BASE, "r1@0 r2@0 r1@0 r2@0"); /* movsx rcx, word [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0xffffffffffff80f0ull);
	put32(0, 0x80000000);
	done("48 63 08", BASE, "r1@0 r2@0 r1@0 r2@0 r4@0"); /* movsxd rcx, dword [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0xffffffff80000000ull);
}
END_TEST

START_TEST(read_modify_write_and_flags)
{
	put32(0, 0xfffffffe);
	done("83 08 01", BASE, "r4@0 w4@0"); /* or dword [rax], 1 */
	ck_assert_uint_eq(get64(0), 0xffffffff);
	ck_assert_uint_eq(cpu.rflags & (F_SF | F_ZF | F_CF | F_OF), F_SF);
	done("83 00 01", BASE, "r4@0 w4@0 r4@0 w4@0"); /* add dword [rax], 1 */
	ck_assert_uint_eq(get64(0), 0);
	ck_assert_uint_eq(cpu.rflags & (F_SF | F_ZF | F_CF | F_OF), F_ZF | F_CF);
	g_string_truncate(fake.log, 0);
	done("ff 00", BASE, "r4@0 w4@0"); /* inc dword [rax]: CF kept */
	ck_assert_uint_eq(get64(0), 1);
	ck_assert_uint_eq(cpu.rflags & (F_ZF | F_CF), F_CF);
	put32(0, 0x7fffffff);
	g_string_truncate(fake.log, 0);
	done("83 28 ff", BASE, "r4@0 w4@0"); /* sub dword [rax], -1: signed overflow */
	ck_assert_uint_eq(get64(0), 0x80000000);
	ck_assert_uint_eq(cpu.rflags & (F_OF | F_SF | F_CF), F_OF | F_SF | F_CF);
	g_string_truncate(fake.log, 0);
	cpu.regs[RCX] = 0x80000001;
	done("31 08", BASE, "r4@0 w4@0"); /* xor [rax], ecx */
	ck_assert_uint_eq(get64(0), 1);
	ck_assert_uint_eq(cpu.rflags & (F_OF | F_CF | F_ZF | F_SF), 0);
	g_string_truncate(fake.log, 0);
	done("83 38 01", BASE, "r4@0"); /* cmp dword [rax], 1: a read only */
	ck_assert_uint_eq(cpu.rflags & F_ZF, F_ZF);
	done("f6 00 02", BASE, "r4@0 r1@0"); /* test byte [rax], 2 */
	ck_assert_uint_eq(cpu.rflags & F_ZF, F_ZF);
	cpu.regs[RDX] = 10;
	done("03 10", BASE, "r4@0 r1@0 r4@0"); /* add edx, [rax] */
	ck_assert_uint_eq(cpu.regs[RDX], 11);
	g_string_truncate(fake.log, 0);
	done("f7 18", BASE, "r4@0 w4@0"); /* neg dword [rax] */
	ck_assert_uint_eq(get64(0), 0xffffffff);
	ck_assert_uint_eq(cpu.rflags & F_CF, F_CF);
	cpu.regs[RCX] = 0x55;
	g_string_truncate(fake.log, 0);
	done("87 08", BASE, "r4@0 w4@0"); /* xchg [rax], ecx */
	ck_assert_uint_eq(cpu.regs[RCX], 0xffffffff);
	ck_assert_uint_eq(get64(0), 0x55);
	put32(0, 0xfffffffd); /* -3 */
	cpu.regs[RCX] = 5;
	g_string_truncate(fake.log, 0);
	done("0f af 08", BASE, "r4@0"); /* imul ecx, [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 0xfffffff1);
	ck_assert_uint_eq(cpu.rflags & (F_CF | F_OF), 0);
	put32(0, 4);
	done("69 08 00 00 00 40", BASE, "r4@0 r4@0"); /* imul ecx, [rax], 0x40000000 */
	ck_assert_uint_eq(cpu.regs[RCX], 0);
	ck_assert_uint_eq(cpu.rflags & (F_CF | F_OF), F_CF | F_OF);
}
END_TEST

START_TEST(addressing)
{
	put32(8, 0xcafe);
	/* mov ecx, [0x40001008]: an absolute address (SIB without base) */
	done("8b 0c 25 08 10 00 40", BASE + 8, "r4@8");
	ck_assert_uint_eq(cpu.regs[RCX], 0xcafe);
	/* mov edx, [rip + 0]: the address after the instruction */
	cpu.rip = BASE + 8 - 6;
	done("8b 15 00 00 00 00", BASE + 8, "r4@8 r4@8");
	ck_assert_uint_eq(cpu.regs[RDX], 0xcafe);
	/* mov esi, [rax + rbx*4 + 4] */
	cpu.regs[RAX] = BASE;
	cpu.regs[RBX] = 1;
	done("8b 74 98 04", BASE + 8, "r4@8 r4@8 r4@8");
	ck_assert_uint_eq(cpu.regs[RSI], 0xcafe);
}
END_TEST

START_TEST(string_stores_and_loads)
{
	cpu.regs[RDI] = BASE + 4;
	cpu.regs[RCX] = 3;
	cpu.regs[RAX] = 0x5a5a5a5a;
	done("f3 ab", BASE + 4, "w4@4 w4@8 w4@12"); /* rep stosd */
	ck_assert_uint_eq(cpu.regs[RDI], BASE + 16);
	ck_assert_uint_eq(cpu.regs[RCX], 0);
	ck_assert_uint_eq(get64(8), 0x5a5a5a5a5a5a5a5aull);
	cpu.regs[RSI] = BASE + 12;
	cpu.regs[RAX] = ~0ull;
	done("ac", BASE + 12, "w4@4 w4@8 w4@12 r1@12"); /* lodsb */
	ck_assert_uint_eq(cpu.regs[RAX], 0xffffffffffffff5aull);
	ck_assert_uint_eq(cpu.regs[RSI], BASE + 13);
}
END_TEST

static void faults(const char *hex, uint64_t fault, const char *text);

/* The decoder keeps what it decoded at an address: the same bytes there again are the same
 * instruction, other bytes (the task's code changed, or it lies) are decoded anew. */
START_TEST(decoded_instructions_are_kept_by_address_and_bytes)
{
	uint64_t rip = cpu.rip;
	put32(0, 7);
	cpu.regs[RCX] = 0;
	done("8b 08", BASE, "r4@0"); /* mov ecx, [rax] */
	ck_assert_uint_eq(cpu.regs[RCX], 7);
	cpu.rip = rip;
	done("8b 08", BASE, "r4@0 r4@0");
	cpu.rip = rip;
	cpu.regs[RCX] = 9;
	done("89 08", BASE, "r4@0 r4@0 w4@0"); /* mov [rax], ecx: same address, other bytes */
	ck_assert_uint_eq(get64(0), 9);
	cpu.rip = rip;
	done("48 8b 08", BASE, "r4@0 r4@0 w4@0 r8@0"); /* a longer one starting alike */
	cpu.rip = rip;
	faults("f3 0f 6f 00", BASE, "unsupported instruction 'movdqu xmm0, xmmword ptr [rax]'");
}
END_TEST

/* What clang emits beside the common forms: setcc, shifts, mul and div on a register. */
START_TEST(setcc_shifts_mul_div)
{
	cpu.rflags |= F_SF;
	done("0f 9c 00", BASE, "w1@0"); /* setl byte [rax]: SF != OF */
	ck_assert_uint_eq(fake.mem[0], 1);
	put32(0, 0x80000001);
	g_string_truncate(fake.log, 0);
	done("d1 28", BASE, "r4@0 w4@0"); /* shr dword [rax], 1 */
	ck_assert_uint_eq(get64(0), 0x40000000);
	ck_assert_uint_eq(cpu.rflags & (F_CF | F_OF | F_SF), F_CF | F_OF);
	put32(0, 0x40000001);
	done("c1 20 03", BASE, "r4@0 w4@0 r4@0 w4@0"); /* shl dword [rax], 3 */
	ck_assert_uint_eq(get64(0), 8);
	ck_assert_uint_eq(cpu.rflags & F_CF, 0);
	put32(0, 1);
	cpu.regs[RCX] = 4;
	g_string_truncate(fake.log, 0);
	done("d3 20", BASE, "r4@0 w4@0"); /* shl dword [rax], cl */
	ck_assert_uint_eq(get64(0), 0x10);
	put32(0, 0x80000000);
	done("d1 38", BASE, "r4@0 w4@0 r4@0 w4@0"); /* sar dword [rax], 1 */
	ck_assert_uint_eq(get64(0), 0xc0000000);
	cpu.regs[RCX] = 0x20; /* a count of 0 after masking: a read only */
	g_string_truncate(fake.log, 0);
	done("d3 20", BASE, "r4@0");
	ck_assert_uint_eq(get64(0), 0xc0000000);

	put32(0, 4);
	cpu.regs[RAX] = BASE;
	cpu.regs[RDX] = 0;
	/* mul dword [rax]: edx:eax = eax * [rax]; the address is rax's value before */
	cpu.regs[RSI] = BASE;
	g_string_truncate(fake.log, 0);
	done("f7 26", BASE, "r4@0"); /* mul dword [rsi] */
	ck_assert_uint_eq(cpu.regs[RAX], (BASE * 4) & 0xffffffff);
	ck_assert_uint_eq(cpu.regs[RDX], (BASE * 4) >> 32);
	ck_assert_uint_eq(cpu.rflags & (F_CF | F_OF), F_CF | F_OF);
	put32(0, 7);
	cpu.regs[RAX] = 100;
	cpu.regs[RDX] = 0;
	done("f7 36", BASE, "r4@0 r4@0"); /* div dword [rsi] */
	ck_assert_uint_eq(cpu.regs[RAX], 14);
	ck_assert_uint_eq(cpu.regs[RDX], 2);
	cpu.regs[RAX] = 0xffffff9c; /* edx:eax = -100 */
	cpu.regs[RDX] = 0xffffffff;
	done("f7 3e", BASE, "r4@0 r4@0 r4@0"); /* idiv dword [rsi] */
	ck_assert_uint_eq(cpu.regs[RAX], 0xfffffff2);
	ck_assert_uint_eq(cpu.regs[RDX], 0xfffffffe);
	put32(0, 10);
	cpu.regs[RAX] = 0x0105;
	done("f6 36", BASE, "r4@0 r4@0 r4@0 r1@0"); /* div byte [rsi]: ax / 10 */
	ck_assert_uint_eq(cpu.regs[RAX] & 0xffff, 0x011a);
	put32(0, 0);
	faults("f7 36", BASE, "divide error (#DE) in 'div dword ptr [rsi]'");
	put32(0, 7);
	cpu.regs[RDX] = 7; /* a quotient of 2^32 does not fit */
	faults("f7 36", BASE, "divide error (#DE) in 'div dword ptr [rsi]'");
}
END_TEST

/* A fault leaves the registers as they were; its text names the instruction. */
static void faults(const char *hex, uint64_t fault, const char *text)
{
	MmioCpu before = cpu;
	MmioResult r = run_at(hex, fault, NULL);
	ck_assert_msg(r == MMIO_FAULT, "%s: %d", hex, r);
	ck_assert_str_eq(why, text);
	ck_assert_mem_eq(&cpu, &before, sizeof(cpu));
}

START_TEST(unsupported_instructions_are_named)
{
	faults("f3 0f 6f 00", BASE, "unsupported instruction 'movdqu xmm0, xmmword ptr [rax]'");
	faults("c5 fe 6f 00", BASE, "unsupported instruction 'vmovdqu ymm0, ymmword ptr [rax]'");
	faults("64 8b 00", BASE, "unsupported instruction 'mov eax, dword ptr fs:[rax]'");
	cpu.regs[RSI] = BASE;
	cpu.regs[RDI] = BASE + 8;
	faults("a4", BASE, "unsupported instruction 'movsb byte ptr [rdi], byte ptr [rsi]'");
	faults("ff 10", BASE, "unsupported instruction 'call qword ptr [rax]'");
	faults("0f ae 38", BASE, "unsupported instruction 'clflush byte ptr [rax]'");
	ck_assert_str_eq(fake.log->str, ""); /* nothing was accessed */
}
END_TEST

START_TEST(malformed_requests)
{
	/* the bytes end inside the instruction: 15 are asked for */
	ck_assert_int_eq(run_at("48 c7 00 fe", BASE, NULL), MMIO_MORE);
	/* the fault is not the operand's address */
	faults("8b 08", BASE + 4,
	       "protocol violation: the trapped access at 0x40001004 is not the instruction's "
	       "operand (0x40001000)");
	/* an access the window refuses: the fault is the window's */
	fake.refuse = 1;
	faults("83 08 01", BASE, "refused by the fake");
	/* a read-modify-write whose write is refused leaves the registers as they were */
	fake.refuse = 2;
	faults("83 00 ff", BASE, "refused by the fake");
	ck_assert_str_eq(fake.log->str, "r4@0");
	fake.refuse = 0;
	cpu.regs[RAX] = BASE + 62; /* a 4-byte access past the window's end */
	faults("8b 08", BASE + 62, "refused by the fake");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("mmio");
	TCase *tc = tcase_create("emulate");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, loads_of_every_width);
	tcase_add_test(tc, stores_from_registers_and_immediates);
	tcase_add_test(tc, extensions);
	tcase_add_test(tc, read_modify_write_and_flags);
	tcase_add_test(tc, addressing);
	tcase_add_test(tc, string_stores_and_loads);
	tcase_add_test(tc, decoded_instructions_are_kept_by_address_and_bytes);
	tcase_add_test(tc, setcc_shifts_mul_div);
	tcase_add_test(tc, unsupported_instructions_are_named);
	tcase_add_test(tc, malformed_requests);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_tap(suite());
}
