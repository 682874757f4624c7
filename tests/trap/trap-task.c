/*
 * trap-task: the task of the trapped register access tests (tests/trap/run.sh). What it
 * does is chosen by its task name:
 *   widths       maps 'regs' (a device with `model = memory`) and checks every access form
 *                the daemon performs: loads and stores of 1, 2, 4 and 8 bytes, immediates,
 *                zero and sign extension, read-modify-write forms and their flags, xchg,
 *                string stores and loads, the high byte registers, r8-r15; and that a
 *                forged write by another task did not land
 *   sse          maps 'vec' and loads it with an SSE instruction: a fault naming it
 *   forge...     (hostile) posts a register trap request of its own on the shared page:
 *                forge      a write to a device with a model that another task has mapped
 *                forgeshm   a write to its own SHM, mapped as plain memory (no trap)
 *                forgejunk  bytes that are no instruction, on its own trapped device
 *                each is a fault, and nothing is written
 *   poller       30000 loads of a register (3 ms of virtual time at 100 ns each), all of
 *                the value it stored
 *   sleeper      (higher priority) sleeps 1 ms and says so: it runs in the middle of the
 *                poller's loads, which resume after it
 */
#include <inttypes.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <uapi/uapi.h>

#include "scenarios/common/task.h"
#include "uapi/src/wire.h"

#define DEV_REGS 0x30
#define DEV_VEC  0x31
#define DEV_JUNK 0x32
#define SHM_BUF  0x100
#define BUF      0x2000a000ul
#define REGS     0x40001000ul
#define VEC      0x40002000ul

static struct sentry_page *pg; /* forge: the page, mapped before the runtime closes it */

static int map(uint32_t label)
{
	devh_t dev;
	Status s = __sys_get_device_handle(label);
	if (s != STATUS_OK)
		return -1;
	copy_from_kernel((uint8_t *)&dev, sizeof(dev));
	return __sys_map_dev(dev) == STATUS_OK ? 0 : -1;
}

static unsigned checks, fails;

static void expect(const char *what, uint64_t got, uint64_t want)
{
	checks++;
	if (got != want) {
		fails++;
		say("FAIL %s: 0x%" PRIx64 ", expected 0x%" PRIx64 "\n", what, got, want);
	}
}

#define R8(off)  (*(volatile uint8_t *)(REGS + (off)))
#define R16(off) (*(volatile uint16_t *)(REGS + (off)))
#define R32(off) (*(volatile uint32_t *)(REGS + (off)))
#define R64(off) (*(volatile uint64_t *)(REGS + (off)))

/* Loads and stores the compiler writes, of every width; byte lanes. */
static void plain_forms(void)
{
	expect("reset value (reg.0x04)", R32(0x04), 0x12345678);
	R8(0x10) = 0xa5;
	expect("8-bit store and load", R8(0x10), 0xa5);
	R16(0x12) = 0xbeef;
	expect("16-bit store and load", R16(0x12), 0xbeef);
	R32(0x14) = 0xdeadbeef;
	expect("32-bit store and load", R32(0x14), 0xdeadbeef);
	R64(0x18) = 0x1122334455667788ull;
	expect("64-bit store and load", R64(0x18), 0x1122334455667788ull);
	expect("byte lane of a 32-bit register", R8(0x15), 0xbe);
	expect("half of a 32-bit register", R16(0x16), 0xdead);
	expect("upper half of a 64-bit register", R32(0x1c), 0x11223344);
	R32(0x20) = 0x10;
	R32(0x20) |= 1; /* the compiler's own read-modify-write form */
	expect("|= 1", R32(0x20), 0x11);
	R32(0x20) &= ~0x10u;
	expect("&= ~0x10", R32(0x20), 0x1);
	R32(0x20) += 7;
	expect("+= 7", R32(0x20), 0x8);
}

/* The forms that must work, written as instructions. */
static void asm_forms(void)
{
	uint64_t p = REGS + 0x40, v, f1, f2;
	__asm__ volatile("movl $0x89abcdef, (%0)" ::"r"(p) : "memory");
	expect("movl $imm32", R32(0x40), 0x89abcdef);
	__asm__ volatile("movb $0x80, 1(%0)" ::"r"(p) : "memory");
	expect("movb $imm8 at an offset", R32(0x40), 0x89ab80ef);
	__asm__ volatile("movq $-2, 8(%0)" ::"r"(p) : "memory");
	expect("movq $imm32 sign-extended", R64(0x48), 0xfffffffffffffffeull);
	__asm__ volatile("movw $0x1234, 8(%0)" ::"r"(p) : "memory");
	expect("movw $imm16", R64(0x48), 0xffffffffffff1234ull);

	v = ~0ull;
	__asm__ volatile("movl (%1), %k0" : "+r"(v) : "r"(p) : "memory");
	expect("32-bit load clears the upper half", v, 0x89ab80ef);
	v = ~0ull;
	__asm__ volatile("movb (%1), %b0" : "+q"(v) : "r"(p) : "memory");
	expect("8-bit load keeps the rest", v, 0xffffffffffffffefull);
	v = ~0ull;
	__asm__ volatile("movw (%1), %w0" : "+r"(v) : "r"(p) : "memory");
	expect("16-bit load keeps the rest", v, 0xffffffffffff80efull);
	v = 0;
	__asm__ volatile("movb 1(%1), %h0" : "+Q"(v) : "r"(p) : "memory");
	expect("load into a high byte register", v, 0x8000);
	__asm__ volatile("movzbl (%1), %k0" : "=r"(v) : "r"(p) : "memory");
	expect("movzbl", v, 0xef);
	__asm__ volatile("movzwl (%1), %k0" : "=r"(v) : "r"(p) : "memory");
	expect("movzwl", v, 0x80ef);
	__asm__ volatile("movsbl (%1), %k0" : "=r"(v) : "r"(p) : "memory");
	expect("movsbl (zero above 32 bits)", v, 0xffffffefull);
	__asm__ volatile("movsbq (%1), %0" : "=r"(v) : "r"(p) : "memory");
	expect("movsbq", v, 0xffffffffffffffefull);
	__asm__ volatile("movswq (%1), %0" : "=r"(v) : "r"(p) : "memory");
	expect("movswq", v, 0xffffffffffff80efull);
	__asm__ volatile("movslq (%1), %0" : "=r"(v) : "r"(p) : "memory");
	expect("movslq (movsxd)", v, 0xffffffff89ab80efull);
	{
		register uint64_t r9 __asm__("r9") = p;
		register uint64_t r10 __asm__("r10") = ~0ull;
		__asm__ volatile("movl 8(%1), %k0" : "+r"(r10) : "r"(r9) : "memory");
		expect("r9 base, r10d destination", r10, 0xffff1234);
	}

	R32(0x50) = 0xfffffffe;
	__asm__ volatile("orl $1, (%2)\n\tsetz %b0\n\tsets %b1"
	                 : "=q"(f1), "=q"(f2)
	                 : "r"(REGS + 0x50)
	                 : "memory", "cc");
	expect("orl $1", R32(0x50), 0xffffffff);
	expect("orl: SF set, ZF clear", (f1 & 0xff) | (f2 & 0xff) << 8, 0x100);
	__asm__ volatile("addl $1, (%2)\n\tsetz %b0\n\tsetc %b1"
	                 : "=q"(f1), "=q"(f2)
	                 : "r"(REGS + 0x50)
	                 : "memory", "cc");
	expect("addl $1 wraps", R32(0x50), 0);
	expect("addl: ZF and CF set", (f1 & 0xff) | (f2 & 0xff) << 8, 0x101);
	__asm__ volatile("subl $1, (%2)\n\tsetc %b0\n\tseto %b1"
	                 : "=q"(f1), "=q"(f2)
	                 : "r"(REGS + 0x50)
	                 : "memory", "cc");
	expect("subl $1 borrows", R32(0x50), 0xffffffff);
	expect("subl: CF set, OF clear", (f1 & 0xff) | (f2 & 0xff) << 8, 0x1);
	__asm__ volatile("andl $0xf0f0f0f0, (%0)" ::"r"(REGS + 0x50) : "memory", "cc");
	expect("andl $imm", R32(0x50), 0xf0f0f0f0);
	v = 0x0ff00ff0;
	__asm__ volatile("xorl %k0, (%1)" ::"r"(v), "r"(REGS + 0x50) : "memory", "cc");
	expect("xorl reg", R32(0x50), 0xff00ff00);
	v = 0x100;
	__asm__ volatile("addq %0, (%1)" ::"r"(v), "r"(REGS + 0x50) : "memory", "cc");
	expect("addq reg (64 bits)", R64(0x50), 0xff010000ull | ((uint64_t)R32(0x54) << 32));
	R32(0x58) = 5;
	__asm__ volatile("cmpl $5, (%1)\n\tsetz %b0"
	                 : "=q"(f1)
	                 : "r"(REGS + 0x58)
	                 : "memory", "cc");
	expect("cmpl $5 equal: ZF", f1 & 0xff, 1);
	v = 7;
	__asm__ volatile("cmpl (%2), %k1\n\tseta %b0"
	                 : "=q"(f1)
	                 : "r"(v), "r"(REGS + 0x58)
	                 : "memory", "cc");
	expect("cmpl mem from reg: 7 above 5", f1 & 0xff, 1);
	__asm__ volatile("testb $4, (%1)\n\tsetnz %b0"
	                 : "=q"(f1)
	                 : "r"(REGS + 0x58)
	                 : "memory", "cc");
	expect("testb $4 on 5: non-zero", f1 & 0xff, 1);
	expect("cmp and test write nothing", R32(0x58), 5);
	v = 10;
	__asm__ volatile("addl (%1), %k0" : "+r"(v) : "r"(REGS + 0x58) : "memory", "cc");
	expect("addl mem into a register", v, 15);
	__asm__ volatile("incl (%0)" ::"r"(REGS + 0x58) : "memory", "cc");
	expect("incl", R32(0x58), 6);
	__asm__ volatile("decw (%0)" ::"r"(REGS + 0x58) : "memory", "cc");
	expect("decw", R32(0x58), 5);
	__asm__ volatile("negl (%0)" ::"r"(REGS + 0x58) : "memory", "cc");
	expect("negl", R32(0x58), 0xfffffffb);
	__asm__ volatile("notl (%0)" ::"r"(REGS + 0x58) : "memory", "cc");
	expect("notl", R32(0x58), 4);
	v = 0xabcd;
	__asm__ volatile("xchgl %k0, (%1)" : "+r"(v) : "r"(REGS + 0x58) : "memory");
	expect("xchg: register gets the old value", v, 4);
	expect("xchg: memory gets the register", R32(0x58), 0xabcd);
	v = 3;
	__asm__ volatile("imull (%1), %k0" : "+r"(v) : "r"(REGS + 0x58) : "memory", "cc");
	expect("imull mem into a register", v, 0x20367);
	R32(0x5c) = 0x81;
	__asm__ volatile("shrl (%0)" ::"r"(REGS + 0x5c) : "memory", "cc");
	expect("shrl (clang's >>= 1)", R32(0x5c), 0x40);
	__asm__ volatile("shll $3, (%0)" ::"r"(REGS + 0x5c) : "memory", "cc");
	expect("shll $3", R32(0x5c), 0x200);
	v = 1;
	__asm__ volatile("cmpl $2, %k0\n\tsetl 1(%1)" ::"r"(v), "r"(REGS + 0x5c) : "memory", "cc");
	expect("setl to a register byte (its second byte: 2 -> 1)", R32(0x5c), 0x100);
	{
		uint32_t q = 1000, r = 0;
		__asm__ volatile("divl (%2)"
		                 : "+a"(q), "+d"(r)
		                 : "r"(REGS + 0x5c)
		                 : "memory", "cc");
		expect("divl: quotient", q, 1000 / 0x100);
		expect("divl: remainder", r, 1000 % 0x100);
	}

	uint64_t dst = REGS + 0x60, cnt = 4;
	__asm__ volatile("cld\n\trep stosl" : "+D"(dst), "+c"(cnt) : "a"(0x5a5a5a5au) : "memory");
	expect("rep stosl: rdi advanced", dst, REGS + 0x70);
	expect("rep stosl: rcx counted down", cnt, 0);
	expect("rep stosl: last element", R32(0x6c), 0x5a5a5a5a);
	uint64_t src = REGS + 0x6c, acc = ~0ull;
	__asm__ volatile("lodsb" : "+S"(src), "+a"(acc) : : "memory");
	expect("lodsb", acc, 0xffffffffffffff5aull);
	expect("lodsb: rsi advanced", src, REGS + 0x6d);
}

static int widths(void)
{
	if (map(DEV_REGS) != 0) {
		say("widths: cannot map the device\n");
		return 1;
	}
	plain_forms();
	asm_forms();
	expect("the forged write did not land", R32(0x100), 0);
	say("widths: %u checks, %u failed\n", checks, fails);
	return fails ? 1 : 0;
}

static int sse(void)
{
	if (map(DEV_VEC) != 0) {
		say("sse: cannot map the device\n");
		return 1;
	}
	say("sse: loading a register with movdqu\n");
	__asm__ volatile("movdqu (%0), %%xmm0" ::"r"(VEC) : "xmm0", "memory");
	say("sse: the load went through: wrong\n");
	return 1;
}

/* forge: map the page before the runtime takes fd 3 away. */
static void grab_page(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc > 0 && strncmp(argv[0], "forge", 5) == 0) {
		void *p = mmap(NULL, SENTRY_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		               SENTRY_PAGE_FD, 0);
		pg = p == MAP_FAILED ? NULL : p;
	}
}
__attribute__((section(".preinit_array"), used)) static void (*preinit)(int, char **,
                                                                        char **) = grab_page;

/* A register trap request of the task's own, as its handler would post it for the
 * instruction |insn| (|n| bytes) faulting at |addr|, with rax = |addr| and rcx = 0xbad. */
static void forge(uint64_t addr, const uint8_t *insn, uint32_t n)
{
	if (!pg) {
		say("forge: no page\n");
		return;
	}
	say("forge: a trapped access at 0x%" PRIx64 "\n", addr);
	memset(&pg->trap, 0, sizeof(pg->trap));
	pg->trap.addr = addr;
	pg->trap.regs[0] = addr;  /* rax */
	pg->trap.regs[1] = 0xbad; /* rcx */
	for (uint32_t i = 0; i < n && i < sizeof(pg->trap.insn); i++)
		pg->trap.insn[i] = insn[i];
	pg->trap.insn_len = n;
	pg->req_kind = SENTRY_REQ_MMIO;
	uint32_t seq = pg->req_seq + 1;
	__atomic_store_n(&pg->req_seq, seq, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &pg->req_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	while (__atomic_load_n(&pg->resp_seq, __ATOMIC_ACQUIRE) != seq)
		sched_yield();
	say("forge: ESCAPED: the daemon answered (status %u)\n", pg->trap.status);
}

static const uint8_t store_ecx[] = {0x89, 0x08}; /* mov [rax], ecx */

static int forge_task(const char *name)
{
	if (strcmp(name, "forge") == 0) {
		forge(REGS + 0x100, store_ecx, sizeof(store_ecx));
	} else if (strcmp(name, "forgeshm") == 0) {
		shmh_t shm;
		taskh_t me;
		__sys_get_shm_handle(SHM_BUF);
		copy_from_kernel((uint8_t *)&shm, sizeof(shm));
		__sys_get_process_handle(4);
		copy_from_kernel((uint8_t *)&me, sizeof(me));
		__sys_shm_set_credential(shm, me, SHM_PERMISSION_MAP | SHM_PERMISSION_WRITE);
		if (__sys_map_shm(shm) != STATUS_OK)
			say("forgeshm: cannot map the SHM\n");
		*(volatile uint32_t *)BUF = 0x600d;
		forge(BUF, store_ecx, sizeof(store_ecx));
	} else if (strcmp(name, "forgejunk") == 0) {
		static const uint8_t junk[15] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
		if (map(DEV_JUNK) != 0)
			say("forgejunk: cannot map the device\n");
		forge(0x40003000, junk, sizeof(junk));
	}
	return 1;
}

static int poller(void)
{
	if (map(DEV_REGS) != 0) {
		say("poller: cannot map the device\n");
		return 1;
	}
	R32(0x80) = 0xfeed;
	uint32_t bad = 0;
	for (int i = 0; i < 30000; i++)
		bad += R32(0x80) != 0xfeed;
	say("poller: 30000 loads done, %" PRIu32 " wrong\n", bad);
	return bad != 0;
}

static int sleeper(void)
{
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = 1};
	__sys_sleep(d, SLEEP_MODE_DEEP);
	say("sleeper: woke\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	if (strcmp(name, "widths") == 0)
		return widths();
	if (strcmp(name, "sse") == 0)
		return sse();
	if (strncmp(name, "forge", 5) == 0)
		return forge_task(name);
	if (strcmp(name, "poller") == 0)
		return poller();
	if (strcmp(name, "sleeper") == 0)
		return sleeper();
	say("trap-task: no behaviour for task name '%s'\n", name);
	return 1;
}
