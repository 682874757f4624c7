/*
 * trap.c: trapped register access, the task's side (docs/periph.md, "How register access is
 * trapped").
 *
 * The pages of a device with a model are reserved without access in the task, so every
 * load or store there faults. The runtime's SIGSEGV handler (runtime.c, on its alternate
 * stack) asks sentry_trap_fault() first: for a fault inside a trapped window it sends the
 * fault address, the general registers, rip, rflags and the instruction's bytes to the
 * daemon (SENTRY_REQ_MMIO on the shared page), which decodes and performs the access
 * (sim/host/mmio.c) and answers with the new registers; the handler puts them in the
 * interrupted context and returns after the instruction. Any other fault goes on to the
 * fault record as before.
 *
 * The task reads up to the end of the instruction's page (an instruction that continues
 * on the next page has that page mapped: the processor fetched it); the daemon asks for
 * 15 bytes when those are not enough.
 *
 * Nothing here is trusted by the daemon: it checks that the access falls in a trapped
 * window the task has mapped. The list below only spares the daemon other faults.
 */
#include "config.h"

#include <stddef.h>

#include "uapi/src/trap.h"

#define TRAP_MAX_RANGES 64

static struct {
	uint64_t lo, hi;
} ranges[TRAP_MAX_RANGES];
static unsigned n_ranges;

/* Remove [lo, hi) from the list, splitting a range that holds it. */
static void forget(uint64_t lo, uint64_t hi)
{
	for (unsigned i = 0; i < n_ranges;) {
		uint64_t a = ranges[i].lo, b = ranges[i].hi;
		if (hi <= a || b <= lo) {
			i++;
			continue;
		}
		if (a < lo && hi < b && n_ranges < TRAP_MAX_RANGES) { /* split */
			ranges[n_ranges].lo = hi;
			ranges[n_ranges].hi = b;
			n_ranges++;
			ranges[i].hi = lo;
			i++;
		} else if (a < lo) {
			ranges[i++].hi = lo;
		} else if (hi < b) {
			ranges[i++].lo = hi;
		} else {
			ranges[i] = ranges[--n_ranges];
		}
	}
}

void sentry_trap_window(uint64_t addr, uint64_t len, int trapped)
{
	forget(addr, addr + len);
	if (!trapped)
		return;
	for (unsigned i = 0; i < n_ranges; i++) /* extend a neighbour */
		if (ranges[i].hi == addr) {
			ranges[i].hi = addr + len;
			return;
		} else if (ranges[i].lo == addr + len) {
			ranges[i].lo = addr;
			return;
		}
	if (n_ranges < TRAP_MAX_RANGES) {
		ranges[n_ranges].lo = addr;
		ranges[n_ranges].hi = addr + len;
		n_ranges++;
	}
}

static int trapped(uint64_t addr)
{
	for (unsigned i = 0; i < n_ranges; i++)
		if (ranges[i].lo <= addr && addr < ranges[i].hi)
			return 1;
	return 0;
}

#if defined(__x86_64__)
/* The general registers in encoding order (struct sentry_trap.regs). */
static const int gregs_order[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP,
                                    REG_RSI, REG_RDI, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                    REG_R12, REG_R13, REG_R14, REG_R15};
#define ARITH_FLAGS 0x8d5u /* CF PF AF ZF SF OF: all the daemon may change */
#endif

int sentry_trap_fault(const siginfo_t *si, ucontext_t *uc)
{
#if defined(__x86_64__)
	uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
	struct sentry_trap *t = sentry_trap_area();
	if (!t || si->si_code != SEGV_ACCERR || !trapped(addr))
		return 0;
	greg_t *g = uc->uc_mcontext.gregs;
	t->addr = addr;
	for (int i = 0; i < 16; i++)
		t->regs[i] = (uint64_t)g[gregs_order[i]];
	t->rip = (uint64_t)g[REG_RIP];
	t->rflags = (uint64_t)g[REG_EFL];
	const volatile uint8_t *ip = (const volatile uint8_t *)(uintptr_t)t->rip;
	uint32_t n = 4096u - (uint32_t)(t->rip & 4095u);
	if (n > 15)
		n = 15;
	for (;;) {
		for (uint32_t i = 0; i < n; i++) /* no memcpy: a task library may define it */
			t->insn[i] = ip[i];
		t->insn_len = n;
		t->status = 0;
		sentry_trap_post();
		if (t->status != SENTRY_TRAP_MORE || n == 15)
			break;
		n = 15;
	}
	if (t->status != SENTRY_TRAP_DONE)
		return 0;
	for (int i = 0; i < 16; i++)
		g[gregs_order[i]] = (greg_t)t->regs[i];
	g[REG_RIP] = (greg_t)t->rip;
	g[REG_EFL] =
	    (greg_t)(((uint64_t)g[REG_EFL] & ~(uint64_t)ARITH_FLAGS) | (t->rflags & ARITH_FLAGS));
	return 1;
#else
	(void)si;
	(void)uc;
	(void)trapped;
	return 0;
#endif
}
