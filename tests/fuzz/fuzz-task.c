/*
 * fuzz-task.c: the task binary of `sentry-sim fuzz` (docs/fuzzing.md, "Real processes").
 *
 * Every task of a fuzz run is this binary, named fuzz-N: it decodes the program the daemon
 * passes in SENTRY_FUZZ_PROG (the canonical encoding, in hex), takes script N (N from its
 * name, argv[0]) and runs it through the real gate, as sim/fuzz/exec.c runs it in-process:
 * library calls through __sys_* where the prototype carries the arguments unchanged, raw
 * traps through __sentry_sim_raw_syscall; outputs bind script variables as exec.c binds them.
 * Programs are prepared for this mode first (fuzzrun_prepare: no computation, stimulus or
 * hang, no task handle the task could not know).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/uapi.h>

#include "sim/fuzz/prog.h"

uint32_t __sentry_sim_raw_syscall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2);
void __sentry_sim_hang(void);

#define LIBRARY_LOG_MAX 128u

static Prog prog;
static uint32_t vars[PROG_VARS];
static uint8_t area[1024];

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static uint32_t resolve(ProgVal v)
{
	switch (v.kind) {
	case VAL_VAR:
		return vars[v.idx % PROG_VARS];
	case VAL_VAR_FLIP:
		return vars[v.idx % PROG_VARS] ^ (1u << (v.bit & 31));
	case VAL_LIT:
		return v.lit;
	default:
		return 0; /* fuzzrun_prepare turned these into literals */
	}
}

static void fill(const ProgFill *f, uint32_t want)
{
	uint32_t xl = prog.cfg.exchange_len;
	uint32_t len = want < xl ? want : xl;
	copy_from_kernel(area, xl);
	switch (f->kind) {
	case FILL_PATTERN:
		for (uint32_t i = 0; i < len; i++)
			area[i] = (uint8_t)(f->seed + 37u * i);
		break;
	case FILL_VAR: {
		uint32_t v = vars[f->var % PROG_VARS];
		memcpy(area, &v, sizeof(v));
		for (uint32_t i = 4; i < len; i++)
			area[i] = (uint8_t)(f->seed + 37u * i);
		break;
	}
	case FILL_BYTES:
		memcpy(area, f->bytes, f->n < xl ? f->n : xl);
		break;
	default:
		return;
	}
	copy_to_kernel(area, xl);
}

/* One call as the UAPI library makes it. The calls whose prototypes pass every argument
 * unchanged go through __sys_*; the others through the raw gate with exec.c's rules. */
static uint32_t lib_call(uint32_t nr, const uint32_t a[3])
{
	switch (nr) {
	case SYSCALL_EXIT:
		return __sys_exit((int32_t)a[0]);
	case SYSCALL_GET_PROCESS_HANDLE:
		return __sys_get_process_handle(a[0]);
	case SYSCALL_YIELD:
		return __sys_sched_yield();
	case SYSCALL_START:
		return __sys_start(a[0]);
	case SYSCALL_LOG:
		return __sys_log(a[0]);
	case SYSCALL_GET_RANDOM:
		return __sys_get_random();
	case SYSCALL_HAS_RESPAWNED:
		return __sys_has_respawned();
	case SYSCALL_PM_SET_CLOCK:
		return __sys_pm_set_clock(a[0], a[1], a[2]);
	default:
		break;
	}
	if (nr == SYSCALL_LOG && a[0] > LIBRARY_LOG_MAX)
		return STATUS_INVALID;
	uint32_t r = __sentry_sim_raw_syscall(nr, a[0], a[1], a[2]);
	if (nr == SYSCALL_WAIT_FOR_EVENT && r == STATUS_INTR)
		r = __sentry_sim_raw_syscall(nr, a[0], a[1], a[2]); /* 2.4 */
	if (r > STATUS_DEADLK)
		__sentry_sim_hang(); /* 2.1: the library's panic loop */
	return r;
}

static void bind(uint8_t out, uint8_t dst)
{
	uint32_t v = 0;
	copy_from_kernel(area, 8);
	if (out == OUT_EVENT)
		memcpy(&v, area + 4, 4);
	else if (out == OUT_GPIO_LEVEL)
		v = area[0];
	else
		memcpy(&v, area, 4);
	vars[dst % PROG_VARS] = v;
}

static void run_op(const ProgOp *op)
{
	switch ((ProgOpKind)op->kind) {
	case OP_SYSCALL: {
		const SysRow *d = systable_get(op->nr);
		uint32_t a[3];
		for (uint32_t i = 0; i < 3; i++)
			a[i] = resolve(op->args[i]);
		if (op->nr == SYSCALL_LOG && a[0] > LIBRARY_LOG_MAX)
			return;
		if (d->in == IN_LOG)
			fill(&op->fill, a[0]);
		else if (d->in == IN_IPC)
			fill(&op->fill, a[1]);
		if (lib_call(op->nr, a) == STATUS_OK && d->out != OUT_NONE)
			bind(d->out, op->dst);
		return;
	}
	case OP_RAW:
		(void)__sentry_sim_raw_syscall(op->nr, op->args[0].lit, op->args[1].lit,
					       op->args[2].lit);
		return;
	case OP_FAULT:
		__builtin_trap(); /* 7.7: the task crashes */
		return;
	default:
		return; /* removed by fuzzrun_prepare */
	}
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *hex = getenv("SENTRY_FUZZ_PROG");
	const char *name = argv[0] ? strrchr(argv[0], '-') : NULL;
	if (!hex || !name)
		return 2;
	static uint8_t bytes[PROG_MAX_INPUT];
	size_t n = 0;
	for (; hex[0] && hex[1] && n < sizeof(bytes); hex += 2) {
		int hi = hexval(hex[0]), lo = hexval(hex[1]);
		if (hi < 0 || lo < 0)
			return 2;
		bytes[n++] = (uint8_t)(hi << 4 | lo);
	}
	prog_decode(&prog, bytes, n);
	uint32_t me = (uint32_t)strtoul(name + 1, NULL, 10);
	if (me >= prog.cfg.n_tasks)
		return 2;
	for (uint32_t i = 0; i < prog.n_ops; i++)
		if (prog.ops[i].script == me)
			run_op(&prog.ops[i]);
	switch (prog.cfg.tasks[me].end) {
	case PROG_END_WAIT:
		for (;;)
			(void)lib_call(SYSCALL_WAIT_FOR_EVENT,
				       (const uint32_t[3]){EVENT_TYPE_ALL, WFE_WAIT_FOREVER, 0});
	default:
		return 0; /* the entry returns: exit(0) */
	}
}
