/*
 * seeds.c: the hand-written programs of the seed corpus (tests/fuzz/corpus/), one per
 * behaviour of the spec worth starting from. `fuzz-kernel --write-seeds DIR` encodes them;
 * the committed corpus is that output, so it can always be regenerated.
 */
#include "config.h"

#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/fuzz/fuzzboard.h"
#include "sim/kernel/kernel.h"
#include "tests/fuzz/seeds.h"

#define L(x)   prog_lit(x)
#define V(x)   prog_var(x)
#define H(x)   prog_handle_of(x)
#define Z      prog_lit(0)
#define DEV(i) prog_res_of(PROG_RES_DEV, i)
#define SHM(i) prog_res_of(PROG_RES_SHM, i)

static ProgOp *call(Prog *p, uint8_t s, uint32_t nr, ProgVal a, ProgVal b, ProgVal c)
{
	return prog_add_call(p, s, nr, a, b, c);
}

static ProgOp *call_to(Prog *p, uint8_t s, uint8_t dst, uint32_t nr, ProgVal a, ProgVal b)
{
	ProgOp *op = prog_add_call(p, s, nr, a, b, Z);
	op->dst = dst;
	return op;
}

static void pattern(ProgOp *op, uint8_t seed)
{
	op->fill = (ProgFill){.kind = FILL_PATTERN, .seed = (uint8_t)(0x80 + seed % 0x60)};
}

static void fill_var(ProgOp *op, uint8_t var)
{
	op->fill = (ProgFill){.kind = FILL_VAR, .var = var, .seed = (uint8_t)(0xE0 + var)};
}

static void compute(Prog *p, uint8_t s, uint8_t idx)
{
	prog_add(p, s, OP_COMPUTE)->param = prog_compute_ns[idx & 7];
}

static void stim(Prog *p, uint8_t s, StimKind k, uint8_t arg)
{
	ProgOp *op = prog_add(p, s, OP_STIM);
	op->param = k;
	op->param2 = arg;
}

static void raw(Prog *p, uint8_t s, uint8_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	ProgOp *op = prog_add(p, s, OP_RAW);
	op->nr = nr;
	op->args[0] = L(a0);
	op->args[1] = L(a1);
	op->args[2] = L(a2);
}

static uint32_t label(const Prog *p, uint8_t t)
{
	return p->cfg.tasks[t].label;
}

#define ALL_CAPS 0x003773FFu /* every capability the spec defines */

/* Two tasks exchange IPCs; the reply goes to the handle the event carried. */
static void s_ipc_ping_pong(Prog *p)
{
	prog_init(p, 2);
	call_to(p, 0, 0, SYSCALL_GET_PROCESS_HANDLE, L(label(p, 1)), Z);
	pattern(call(p, 0, SYSCALL_SEND_IPC, V(0), L(8), Z), 1);
	call_to(p, 0, 1, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IPC), L(WFE_WAIT_FOREVER));
	call(p, 0, SYSCALL_LOG, L(20), Z, Z);
	call_to(p, 1, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(WFE_WAIT_FOREVER));
	fill_var(call(p, 1, SYSCALL_SEND_IPC, V(0), L(12), Z), 0);
	call(p, 1, SYSCALL_SEND_IPC, V(0), L(121), Z); /* too long */
}

/* Signals to a waiter, a shallow sleeper and a deep sleeper; the same sender twice. */
static void s_signals(Prog *p)
{
	prog_init(p, 4);
	for (uint8_t t = 1; t < 4; t++) {
		call(p, 0, SYSCALL_SEND_SIGNAL, H(t), L(SIGNAL_USR1), Z);
		call(p, 0, SYSCALL_SEND_SIGNAL, H(t), L(SIGNAL_USR2), Z); /* BUSY */
	}
	call(p, 0, SYSCALL_SEND_SIGNAL, H(0), L(SIGNAL_TERM), Z); /* self: INVALID */
	call(p, 0, SYSCALL_SEND_SIGNAL, H(1), L(0), Z);
	call(p, 0, SYSCALL_SEND_SIGNAL, H(1), L(13), Z);
	call_to(p, 1, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_SIGNAL), L(10));
	call_to(p, 1, 1, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_SIGNAL), L(WFE_WAIT_NO));
	call(p, 2, SYSCALL_SLEEP, L(50), L(SLEEP_MODE_SHALLOW), Z);
	call_to(p, 2, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(WFE_WAIT_NO));
	call(p, 3, SYSCALL_SLEEP, L(20), L(SLEEP_MODE_DEEP), Z);
	call_to(p, 3, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_SIGNAL), L(5));
}

/* Sleeps and waits that end by their delay. */
static void s_timeouts(Prog *p)
{
	prog_init(p, 2);
	call(p, 0, SYSCALL_SLEEP, L(3), L(SLEEP_MODE_DEEP), Z);
	call(p, 0, SYSCALL_SLEEP, L(0), L(SLEEP_MODE_SHALLOW), Z);
	call(p, 0, SYSCALL_SLEEP, L(1), L(2), Z); /* bad mode */
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(7));
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(WFE_WAIT_NO));
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(0), L(1));
	call(p, 1, SYSCALL_SLEEP, L(0xFFFFFFFFu), L(SLEEP_MODE_DEEP), Z);
	p->cfg.tasks[1].end = PROG_END_WAIT;
}

/* Alarms: periodic, one-shot, stopped, a full queue, a bad flag. */
static void s_alarms(Prog *p)
{
	prog_init(p, 2);
	p->cfg.max_tasks = 3;
	call(p, 0, SYSCALL_ALARM, L(5), L(O_ALRM_START_PERIODIC), Z);
	call(p, 0, SYSCALL_ALARM, L(7), L(O_ALRM_START), Z);
	call(p, 0, SYSCALL_ALARM, L(9), L(O_ALRM_START), Z);
	call(p, 0, SYSCALL_ALARM, L(11), L(O_ALRM_START), Z); /* BUSY */
	call(p, 0, SYSCALL_ALARM, L(9), L(O_ALRM_STOP), Z);
	call(p, 0, SYSCALL_ALARM, L(9), L(O_ALRM_STOP), Z); /* NO_ENTITY */
	call(p, 0, SYSCALL_ALARM, L(9), L(3), Z);
	call(p, 0, SYSCALL_SLEEP, L(12), L(SLEEP_MODE_SHALLOW), Z);
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_SIGNAL), L(WFE_WAIT_NO));
	call(p, 0, SYSCALL_ALARM, L(5), L(O_ALRM_STOP), Z);
	call(p, 1, SYSCALL_SLEEP, L(30), L(SLEEP_MODE_DEEP), Z);
}

/* An alarm expires while its task waits with a timeout: the kernel panics (4.16). */
static void s_alarm_panic(Prog *p)
{
	prog_init(p, 1);
	call(p, 0, SYSCALL_ALARM, L(3), L(O_ALRM_START), Z);
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IPC), L(10));
}

/* start of a NOAUTO task, then of a task already in the active set (panic). */
static void s_start(Prog *p)
{
	prog_init(p, 3);
	p->cfg.tasks[0].caps = CAP_SYS_PROCSTART;
	p->cfg.tasks[1].auto_start = false;
	p->cfg.tasks[2].auto_start = false;
	call(p, 0, SYSCALL_START, L(label(p, 1)), Z, Z);
	call(p, 0, SYSCALL_START, L(0x4242), Z, Z);
	call(p, 0, SYSCALL_YIELD, Z, Z, Z);
	call(p, 1, SYSCALL_START, L(label(p, 2)), Z, Z); /* DENIED */
	call(p, 1, SYSCALL_LOG, L(4), Z, Z);
	call(p, 0, SYSCALL_START, L(label(p, 0)), Z, Z); /* itself: panic */
}

/* A RESTART task respawns; its peer keeps using the old handle. */
static void s_respawn(Prog *p)
{
	prog_init(p, 2);
	p->cfg.tasks[0].exit_mode = EXIT_MODE_RESTART;
	p->cfg.tasks[1].priority = 0;
	call(p, 0, SYSCALL_HAS_RESPAWNED, Z, Z, Z);
	call_to(p, 0, 0, SYSCALL_GET_PROCESS_HANDLE, L(label(p, 0)), Z);
	call(p, 0, SYSCALL_ALARM, L(2), L(O_ALRM_START_PERIODIC), Z);
	call_to(p, 1, 0, SYSCALL_GET_PROCESS_HANDLE, L(label(p, 0)), Z);
	compute(p, 1, 5);
	call(p, 1, SYSCALL_SEND_SIGNAL, V(0), L(SIGNAL_USR1), Z);
	call(p, 1, SYSCALL_SEND_SIGNAL, prog_stale_of(0), L(SIGNAL_USR2), Z);
	call(p, 1, SYSCALL_SEND_IPC, V(0), L(4), Z);
}

/* Unsupported numbers in a normal build: the caller aborts and sees its first argument. */
static void s_unsupported(Prog *p)
{
	prog_init(p, 2);
	raw(p, 0, 32, 3, 0, 0);
	call(p, 0, SYSCALL_YIELD, Z, Z, Z); /* cancels the abort */
	raw(p, 0, 41, 0, 0, 0);
	raw(p, 0, 255, 7, 1, 2);
	call(p, 0, SYSCALL_AUTOTEST_SET_CAPA, L(CAP_SYS_POWER), Z, Z); /* library hangs */
	call(p, 1, SYSCALL_DMA_GET_STREAM_STATUS, L(2), Z, Z);
	compute(p, 1, 6);
}

/* The autotest build: global capabilities, self-IPC and self-signals, restart. */
static void s_autotest(Prog *p)
{
	prog_init(p, 1);
	p->cfg.autotest = true;
	prog_normalize(p);
	call(p, 0, SYSCALL_AUTOTEST_SET_CAPA, L(CAP_TIM_HP_CHRONO), Z, Z);
	call_to(p, 0, 0, SYSCALL_GET_CYCLE, L(PRECISION_CYCLE), Z);
	call(p, 0, SYSCALL_AUTOTEST_CLEAR_CAPA, L(CAP_CRY_KRNG), Z, Z);
	call_to(p, 0, 1, SYSCALL_GET_RANDOM, Z, Z);
	call(p, 0, SYSCALL_AUTOTEST_SET_CAPA, L(0), Z, Z);
	call(p, 0, SYSCALL_AUTOTEST_SET_CAPA, L(3), Z, Z);
	call_to(p, 0, 2, SYSCALL_GET_PROCESS_HANDLE, L(0xbabe), Z);
	pattern(call(p, 0, SYSCALL_SEND_IPC, V(2), L(6), Z), 9);
	call(p, 0, SYSCALL_SEND_IPC, V(2), L(6), Z); /* DEADLK: self slot pending */
	call(p, 0, SYSCALL_SEND_SIGNAL, V(2), L(SIGNAL_POLL), Z);
	call_to(p, 0, 3, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(WFE_WAIT_NO));
	call_to(p, 0, 3, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(WFE_WAIT_NO));
	raw(p, 0, 32, 0, 0, 0);
	call(p, 0, SYSCALL_HAS_RESPAWNED, Z, Z, Z);
}

/* A sends to B, B sends to A: DEADLK; then B receives. */
static void s_deadlock(Prog *p)
{
	prog_init(p, 3);
	call(p, 0, SYSCALL_SEND_IPC, H(1), L(3), Z);
	call(p, 1, SYSCALL_SEND_IPC, H(0), L(3), Z);
	call(p, 2, SYSCALL_SEND_IPC, H(0), L(3), Z);
	call(p, 1, SYSCALL_SEND_IPC, H(2), L(3), Z); /* indirect */
	call_to(p, 1, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IPC), L(4));
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IPC), L(4));
}

/* A rejected self-IPC leaves its slot; the deadlock walk then loops until it overflows. */
static void s_self_ipc(Prog *p)
{
	prog_init(p, 2);
	call(p, 0, SYSCALL_SEND_IPC, H(0), L(2), Z);
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IPC), L(WFE_WAIT_NO));
	call(p, 0, SYSCALL_SEND_IPC, H(0), L(2), Z);
	call(p, 0, SYSCALL_SEND_IPC, H(1), L(2), Z);
}

/* log: stale bytes, fills, lengths around the area size; a 64-byte area. */
static void s_log(Prog *p)
{
	prog_init(p, 2);
	p->cfg.exchange_len = 64;
	pattern(call(p, 0, SYSCALL_LOG, L(16), Z, Z), 3);
	call(p, 0, SYSCALL_LOG, L(0), Z, Z);
	call(p, 0, SYSCALL_LOG, L(64), Z, Z);
	call(p, 0, SYSCALL_LOG, L(65), Z, Z);  /* kernel INVALID */
	call(p, 0, SYSCALL_LOG, L(129), Z, Z); /* library INVALID, no trap */
	raw(p, 0, SYSCALL_LOG, 0xFFFFFFFFu, 0, 0);
	ProgOp *op = call(p, 1, SYSCALL_LOG, L(5), Z, Z);
	op->fill = (ProgFill){.kind = FILL_BYTES, .n = 5, .bytes = {'h', 'e', 'l', 'l', 'o'}};
	pattern(call(p, 1, SYSCALL_SEND_IPC, H(0), L(56), Z), 7);
	call(p, 1, SYSCALL_SEND_IPC, H(0), L(57), Z);
}

/* get_cycle in every precision on a 2 GHz core; without the capability for cycles. */
static void s_cycles(Prog *p)
{
	prog_init(p, 2);
	p->cfg.core_freq_hz = 2000000000u;
	p->cfg.tasks[0].caps = CAP_TIM_HP_CHRONO;
	for (uint32_t pr = 0; pr <= 4; pr++) {
		call_to(p, 0, 0, SYSCALL_GET_CYCLE, L(pr), Z);
		compute(p, 0, (uint8_t)pr);
	}
	call_to(p, 1, 0, SYSCALL_GET_CYCLE, L(PRECISION_CYCLE), Z);
	call_to(p, 1, 0, SYSCALL_GET_CYCLE, L(PRECISION_NANOSECONDS), Z);
	call_to(p, 1, 0, SYSCALL_GET_CYCLE, L(PRECISION_MILLISECONDS), Z);
}

/* The nanosecond quirk on a 64 MHz core. */
static void s_cycles_quirk(Prog *p)
{
	prog_init(p, 1);
	p->cfg.nanos_quirk = true;
	call(p, 0, SYSCALL_SLEEP, L(3), L(SLEEP_MODE_DEEP), Z);
	call_to(p, 0, 0, SYSCALL_GET_CYCLE, L(PRECISION_NANOSECONDS), Z);
	call_to(p, 0, 0, SYSCALL_GET_CYCLE, L(PRECISION_MICROSECONDS), Z);
}

/* A wait woken with INTR is issued again by the library (2.4), and the retried wait binds
 * the event's source: t0 then signals back the handle it learnt. */
static void s_wait_retry(Prog *p)
{
	prog_init(p, 2);
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(WFE_WAIT_FOREVER));
	call(p, 0, SYSCALL_SEND_SIGNAL, V(0), L(SIGNAL_USR1), Z);
	call(p, 1, SYSCALL_SEND_SIGNAL, H(0), L(SIGNAL_ALARM), Z);
	call_to(p, 1, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_SIGNAL), L(50));
}

/* get_random with a failing entropy source. */
static void s_random(Prog *p)
{
	prog_init(p, 2);
	p->cfg.tasks[0].caps = CAP_CRY_KRNG;
	call_to(p, 0, 0, SYSCALL_GET_RANDOM, Z, Z);
	stim(p, 0, STIM_ENTROPY_FAIL, 1);
	call_to(p, 0, 1, SYSCALL_GET_RANDOM, Z, Z);
	call_to(p, 0, 1, SYSCALL_GET_RANDOM, Z, Z);
	call_to(p, 0, 1, SYSCALL_GET_RANDOM, Z, Z);
	call(p, 0, SYSCALL_SEND_SIGNAL, V(0), L(SIGNAL_ABORT), Z); /* a random "handle" */
	call_to(p, 1, 0, SYSCALL_GET_RANDOM, Z, Z);
}

/* Board calls on the empty board, with and without the capabilities. */
static void s_board(Prog *p)
{
	prog_init(p, 2);
	p->cfg.tasks[0].caps = ALL_CAPS;
	static const uint32_t nrs[] = {
	    SYSCALL_GET_DEVICE_HANDLE,
	    SYSCALL_MAP_DEV,
	    SYSCALL_UNMAP_DEV,
	    SYSCALL_MAP_SHM,
	    SYSCALL_UNMAP_SHM,
	    SYSCALL_SHM_SET_CREDENTIAL,
	    SYSCALL_GPIO_GET,
	    SYSCALL_GPIO_SET,
	    SYSCALL_GPIO_RESET,
	    SYSCALL_GPIO_TOGGLE,
	    SYSCALL_GPIO_CONFIGURE,
	    SYSCALL_IRQ_ACKNOWLEDGE,
	    SYSCALL_IRQ_ENABLE,
	    SYSCALL_IRQ_DISABLE,
	    SYSCALL_GET_SHM_HANDLE,
	    SYSCALL_GET_DMA_STREAM_HANDLE,
	    SYSCALL_DMA_START_STREAM,
	    SYSCALL_DMA_SUSPEND_STREAM,
	    SYSCALL_SHM_GET_INFOS,
	    SYSCALL_DMA_ASSIGN_STREAM,
	    SYSCALL_DMA_UNASSIGN_STREAM,
	    SYSCALL_DMA_GET_STREAM_INFO,
	    SYSCALL_DMA_RESUME_STREAM,
	};
	for (uint32_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		const SysRow *d = systable_get(nrs[i]);
		ProgOp *op = call(p, (uint8_t)(i & 1), nrs[i], L(0x20084002u), L(1), L(1));
		if (d->out != OUT_NONE)
			op->dst = (uint8_t)(i % 8);
	}
	stim(p, 0, STIM_IRQ, 3);
	stim(p, 1, STIM_GPIO, 1);
	stim(p, 0, STIM_DMA_FAIL, 0);
}

/* The fuzz board's devices (fuzzboard.c: 0 leds, 1 usart1, 2 mystery, 3 timer2, 4 rng, 5 the
 * unowned console, 6 dma1), role A = t0, B = t1. */
static void board_init(Prog *p, uint8_t n_tasks)
{
	prog_init(p, n_tasks);
	p->cfg.board = true;
	p->cfg.board_a = 0;
	p->cfg.board_b = 1;
	for (uint8_t t = 0; t < n_tasks; t++)
		p->cfg.tasks[t].caps = ALL_CAPS;
}

/* Devices: handles, mapping (BUSY beyond four slots, the windowless device), ownership,
 * and GPIO levels shared by two devices' ios on one pin. */
static void s_board_devices(Prog *p)
{
	board_init(p, 2);
	call_to(p, 0, 0, SYSCALL_GET_DEVICE_HANDLE, L(fuzzboard_dev_label(0)), Z);
	call(p, 0, SYSCALL_MAP_DEV, V(0), Z, Z);
	call(p, 0, SYSCALL_MAP_DEV, V(0), Z, Z); /* already mapped: INVALID */
	call(p, 0, SYSCALL_GPIO_SET, V(0), L(0), L(1));
	call_to(p, 0, 1, SYSCALL_GPIO_GET, V(0), L(0));
	call(p, 0, SYSCALL_GPIO_TOGGLE, V(0), L(1), Z);
	call(p, 0, SYSCALL_GPIO_CONFIGURE, V(0), L(2), Z);
	call(p, 0, SYSCALL_GPIO_GET, V(0), L(3), Z); /* io beyond the device's: INVALID */
	call(p, 0, SYSCALL_MAP_DEV, DEV(3), Z, Z);
	call(p, 0, SYSCALL_MAP_DEV, DEV(4), Z, Z); /* no window: a slot all the same */
	call_to(p, 0, 2, SYSCALL_GET_SHM_HANDLE, L(fuzzboard_shm_label(0)), Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(2), H(0), L(SHM_PERMISSION_MAP));
	call(p, 0, SYSCALL_MAP_SHM, V(2), Z, Z);
	call(p, 0, SYSCALL_MAP_DEV, DEV(1), Z, Z); /* not the owner: DENIED */
	call_to(p, 0, 3, SYSCALL_GET_SHM_HANDLE, L(fuzzboard_shm_label(3)), Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(3), H(0), L(SHM_PERMISSION_MAP));
	call(p, 0, SYSCALL_MAP_SHM, V(3), Z, Z); /* a fifth region: BUSY */
	call(p, 0, SYSCALL_UNMAP_DEV, V(0), Z, Z);
	call(p, 0, SYSCALL_MAP_SHM, V(3), Z, Z);
	call(p, 0, SYSCALL_UNMAP_DEV, V(0), Z, Z); /* not mapped: INVALID */
	call_to(p, 1, 0, SYSCALL_GET_DEVICE_HANDLE, L(fuzzboard_dev_label(1)), Z);
	call(p, 1, SYSCALL_GPIO_SET, V(0), L(0), L(0)); /* the leds' io 0 pin, low again */
	call_to(p, 1, 1, SYSCALL_GPIO_GET, V(0), L(0));
	call(p, 1, SYSCALL_GET_DEVICE_HANDLE, L(fuzzboard_dev_label(0)), Z, Z); /* INVALID */
	call(p, 1, SYSCALL_GET_DEVICE_HANDLE, L(fuzzboard_dev_label(5)), Z, Z); /* unlisted */
	stim(p, PROG_SCRIPT_IDLE, STIM_GPIO, 0x08); /* the host drives pin 0 high */
}

/* SHM credentials: owner, user, no-map, BUSY while the owner has it mapped. */
static void s_board_shm(Prog *p)
{
	board_init(p, 2);
	call_to(p, 0, 0, SYSCALL_GET_SHM_HANDLE, L(fuzzboard_shm_label(0)), Z);
	call(p, 0, SYSCALL_MAP_SHM, V(0), Z, Z); /* no MAP yet: DENIED */
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(0), H(0),
	     L(SHM_PERMISSION_MAP | SHM_PERMISSION_WRITE));
	call(p, 0, SYSCALL_MAP_SHM, V(0), Z, Z);
	call(p, 0, SYSCALL_MAP_SHM, V(0), Z, Z); /* ALREADY_MAPPED */
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(0), H(1), L(SHM_PERMISSION_MAP)); /* BUSY */
	call_to(p, 0, 1, SYSCALL_SHM_GET_INFOS, V(0), Z);
	call(p, 0, SYSCALL_UNMAP_SHM, V(0), Z, Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(0), H(1), L(SHM_PERMISSION_MAP));
	call_to(p, 0, 2, SYSCALL_GET_SHM_HANDLE, L(fuzzboard_shm_label(2)), Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(2), H(0), L(SHM_PERMISSION_MAP));
	call(p, 0, SYSCALL_MAP_SHM, V(2), Z, Z); /* declared no-map: DENIED */
	call(p, 0, SYSCALL_SLEEP, L(5), L(SLEEP_MODE_DEEP), Z);
	call(p, 1, SYSCALL_SLEEP, L(1), L(SLEEP_MODE_DEEP), Z);
	call(p, 1, SYSCALL_MAP_SHM, SHM(0), Z, Z); /* the user now */
	call_to(p, 1, 0, SYSCALL_SHM_GET_INFOS, SHM(0), Z);
	call_to(p, 1, 1, SYSCALL_GET_SHM_HANDLE, L(fuzzboard_shm_label(0)), Z);
	call(p, 1, SYSCALL_SHM_SET_CREDENTIAL, SHM(0), H(1), L(SHM_PERMISSION_MAP)); /* DENIED */
	call(p, 1, SYSCALL_UNMAP_SHM, SHM(0), Z, Z);
	call(p, 1, SYSCALL_UNMAP_SHM, SHM(0), Z, Z); /* not mapped: INVALID */
}

/* IRQ lines: masked at boot, pending while masked, delivered on enable, one per enable. */
static void s_board_irq(Prog *p)
{
	board_init(p, 2);
	/* fuzzboard_irq(0) is 6, the leds' line; 2 is 38 (usart1 first), 6 is 39 (unlisted) */
	call(p, 0, SYSCALL_IRQ_ENABLE, L(fuzzboard_irq(0)), Z, Z);
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IRQ), L(WFE_WAIT_FOREVER));
	stim(p, 0, STIM_IRQ, 0); /* masked again: pending */
	call(p, 0, SYSCALL_IRQ_ENABLE, L(fuzzboard_irq(0)), Z, Z);
	call_to(p, 0, 1, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IRQ), L(WFE_WAIT_NO));
	call(p, 0, SYSCALL_IRQ_ACKNOWLEDGE, L(fuzzboard_irq(0)), Z, Z);
	call(p, 0, SYSCALL_IRQ_DISABLE, L(fuzzboard_irq(0)), Z, Z);
	call(p, 0, SYSCALL_IRQ_ENABLE, L(fuzzboard_irq(2)), Z, Z); /* usart1's: DENIED */
	call(p, 0, SYSCALL_IRQ_ENABLE, L(fuzzboard_irq(6)), Z, Z); /* unlisted: INVALID */
	call(p, 1, SYSCALL_IRQ_ENABLE, L(fuzzboard_irq(2)), Z, Z);
	call(p, 1, SYSCALL_SLEEP, L(50), L(SLEEP_MODE_SHALLOW), Z); /* the IRQ interrupts it */
	call_to(p, 1, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(WFE_WAIT_NO));
	stim(p, PROG_SCRIPT_IDLE, STIM_IRQ, 0);
	stim(p, PROG_SCRIPT_IDLE, STIM_IRQ, 2);
}

/* More IRQs than the ring holds: the kernel panics (4.20). */
static void s_board_irq_overflow(Prog *p)
{
	board_init(p, 1);
	p->cfg.tasks[0].end = PROG_END_LOOP;
	call(p, 0, SYSCALL_IRQ_ENABLE, L(fuzzboard_irq(0)), Z, Z);
	stim(p, 0, STIM_IRQ, 0);
}

static void touch(Prog *p, uint8_t s, bool shm, uint8_t idx, uint8_t how)
{
	ProgOp *op = prog_add(p, s, OP_TOUCH);
	op->param = (shm ? 1u << 8 : 0) | idx;
	op->param2 = how;
}

/* Board memory: accessible while mapped, writable only through a writable mapping; an
 * access otherwise faults the task (checked against the real windows of task processes). */
static void s_board_memory(Prog *p)
{
	board_init(p, 3);
	call_to(p, 0, 0, SYSCALL_GET_SHM_HANDLE, L(fuzzboard_shm_label(0)), Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(0), H(0),
	     L(SHM_PERMISSION_MAP | SHM_PERMISSION_WRITE));
	call(p, 0, SYSCALL_MAP_SHM, V(0), Z, Z);
	touch(p, 0, true, 0, 0x41); /* write at offset 0x400 */
	call(p, 0, SYSCALL_MAP_DEV, DEV(0), Z, Z);
	touch(p, 0, false, 0, 0x07); /* write a device register */
	touch(p, 0, false, 0, 0x7e); /* read one */
	call(p, 0, SYSCALL_UNMAP_SHM, V(0), Z, Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(0), H(1), L(SHM_PERMISSION_MAP)); /* read-only */
	call(p, 0, SYSCALL_SLEEP, L(3), L(SLEEP_MODE_DEEP), Z);
	touch(p, 0, true, 0, 0x10); /* unmapped: faults */
	call(p, 1, SYSCALL_SLEEP, L(1), L(SLEEP_MODE_DEEP), Z);
	call(p, 1, SYSCALL_MAP_SHM, SHM(0), Z, Z);
	touch(p, 1, true, 0, 0x40);  /* read: fine */
	touch(p, 1, true, 0, 0x41);  /* write to a read-only mapping: faults */
	touch(p, 2, false, 6, 0x01); /* a device it has not mapped: faults */
}

/* Corners of the board paths: BUSY for a device, perms of a no-map SHM, driven pins,
 * forged handles and labels, a new SHM user, a masked line. */
static void s_board_corners(Prog *p)
{
	board_init(p, 3);
	/* t0 (A): fill the four slots with SHMs and devices, then one device more */
	static const uint8_t shm_a[] = {0, 3};
	for (uint32_t i = 0; i < 2; i++) {
		call_to(p, 0, 0, SYSCALL_GET_SHM_HANDLE, L(fuzzboard_shm_label(shm_a[i])), Z);
		call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(0), H(0), L(SHM_PERMISSION_MAP));
		call(p, 0, SYSCALL_MAP_SHM, V(0), Z, Z);
	}
	call(p, 0, SYSCALL_MAP_DEV, DEV(3), Z, Z);
	call(p, 0, SYSCALL_MAP_DEV, DEV(4), Z, Z);
	call(p, 0, SYSCALL_MAP_DEV, DEV(0), Z, Z); /* a fifth region: BUSY */
	/* a no-map SHM given MAP: shm_get_infos reports no MAP (4.24) */
	call_to(p, 0, 1, SYSCALL_GET_SHM_HANDLE, L(fuzzboard_shm_label(2)), Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, V(1), H(0),
	     L(SHM_PERMISSION_MAP | SHM_PERMISSION_WRITE));
	call_to(p, 0, 2, SYSCALL_SHM_GET_INFOS, V(1), Z);
	call(p, 0, SYSCALL_MAP_SHM, prog_var_flip(1, 20), Z, Z); /* forged: INVALID */
	call(p, 0, SYSCALL_GET_SHM_HANDLE, L(0x10201), Z, Z);    /* label bits beyond 8 */
	call(p, 0, SYSCALL_GET_DMA_STREAM_HANDLE, L(0x1301), Z, Z);
	/* pins: the host drives the leds' io 0 high; get and toggle read the drive */
	stim(p, 0, STIM_GPIO, 0x08);
	call_to(p, 0, 3, SYSCALL_GPIO_GET, DEV(0), L(0));
	call(p, 0, SYSCALL_GPIO_TOGGLE, DEV(0), L(0), Z);
	stim(p, 0, STIM_GPIO, 0x10); /* released: the toggled output shows */
	call_to(p, 0, 3, SYSCALL_GPIO_GET, DEV(0), L(0));
	call(p, 0, SYSCALL_GPIO_SET, DEV(0), L(1), L(2)); /* any non-zero value is high */
	call_to(p, 0, 4, SYSCALL_GPIO_GET, DEV(0), L(1));
	stim(p, 0, STIM_GPIO_FAIL, 0);
	call(p, 0, SYSCALL_GPIO_SET, DEV(0), L(1), L(0)); /* the driver fails: INVALID */
	/* a masked line stays pending */
	call(p, 0, SYSCALL_IRQ_ENABLE, L(fuzzboard_irq(0)), Z, Z);
	call(p, 0, SYSCALL_IRQ_DISABLE, L(fuzzboard_irq(0)), Z, Z);
	stim(p, 0, STIM_IRQ, 0);
	call_to(p, 0, 5, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IRQ), L(WFE_WAIT_NO)); /* AGAIN */
	/* the user changes while the old one has the SHM mapped */
	call(p, 0, SYSCALL_UNMAP_SHM, SHM(0), Z, Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, SHM(0), H(2), L(SHM_PERMISSION_MAP));
	call(p, 0, SYSCALL_SLEEP, L(2), L(SLEEP_MODE_DEEP), Z);
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, SHM(0), H(1), L(SHM_PERMISSION_MAP));
	call(p, 0, SYSCALL_SHM_SET_CREDENTIAL, SHM(0), H(2), L(SHM_PERMISSION_MAP));
	call(p, 0, SYSCALL_SLEEP, L(4), L(SLEEP_MODE_DEEP), Z);
	call(p, 2, SYSCALL_MAP_SHM, SHM(0), Z, Z); /* t2 maps it (user) */
	call(p, 2, SYSCALL_SLEEP, L(3), L(SLEEP_MODE_DEEP), Z);
	call(p, 2, SYSCALL_MAP_SHM, SHM(0), Z, Z); /* t2 again: a new credential, unmapped */
	/* t1 (B): a stream suspended before it starts */
	call_to(p, 1, 0, SYSCALL_GET_DMA_STREAM_HANDLE, L(fuzzboard_dma_label(1)), Z);
	call(p, 1, SYSCALL_DMA_ASSIGN_STREAM, V(0), Z, Z);
	call(p, 1, SYSCALL_DMA_SUSPEND_STREAM, V(0), Z, Z); /* ASSIGNED: INVALID */
	call(p, 1, SYSCALL_DMA_START_STREAM, V(0), Z, Z);
	call(p, 1, SYSCALL_DMA_SUSPEND_STREAM, V(0), Z, Z);
	call(p, 1, SYSCALL_DMA_RESUME_STREAM, V(0), Z, Z);
	call_to(p, 1, 1, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_DMA), L(WFE_WAIT_NO));
}

/* DMA streams: the state machine, the completion event, a failing driver. */
static void s_board_dma(Prog *p)
{
	board_init(p, 2);
	call_to(p, 0, 0, SYSCALL_GET_DMA_STREAM_HANDLE, L(fuzzboard_dma_label(0)), Z);
	call(p, 0, SYSCALL_DMA_START_STREAM, V(0), Z, Z); /* UNSET: INVALID */
	call(p, 0, SYSCALL_DMA_ASSIGN_STREAM, V(0), Z, Z);
	call(p, 0, SYSCALL_DMA_START_STREAM, V(0), Z, Z);
	call_to(p, 0, 1, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_DMA), L(WFE_WAIT_NO));
	call(p, 0, SYSCALL_DMA_SUSPEND_STREAM, V(0), Z, Z);
	call(p, 0, SYSCALL_DMA_RESUME_STREAM, V(0), Z, Z);
	call(p, 0, SYSCALL_DMA_UNASSIGN_STREAM, V(0), Z, Z); /* STARTED: INVALID */
	call(p, 0, SYSCALL_DMA_SUSPEND_STREAM, V(0), Z, Z);
	call(p, 0, SYSCALL_DMA_UNASSIGN_STREAM, V(0), Z, Z);
	call_to(p, 0, 2, SYSCALL_DMA_GET_STREAM_INFO, V(0), Z);
	call(p, 0, SYSCALL_DMA_ASSIGN_STREAM, V(0), Z, Z);
	stim(p, 0, STIM_DMA_FAIL, 0);
	call(p, 0, SYSCALL_DMA_START_STREAM, V(0), Z, Z); /* the driver fails: STARTED, INVALID */
	call(p, 0, SYSCALL_DMA_SUSPEND_STREAM, V(0), Z, Z);
	call_to(p, 0, 3, SYSCALL_GET_DMA_STREAM_HANDLE, L(fuzzboard_dma_label(1)), Z); /* B's */
	call_to(p, 1, 0, SYSCALL_GET_DMA_STREAM_HANDLE, L(fuzzboard_dma_label(1)), Z);
	call_to(p, 1, 1, SYSCALL_DMA_GET_STREAM_INFO, V(0), Z);
	call(p, 1, SYSCALL_DMA_ASSIGN_STREAM, prog_res_of(PROG_RES_DMA, 0), Z, Z); /* DENIED */
	stim(p, 1, STIM_GPIO_FAIL, 0);
}

/* The same board calls on a platform without GPDMA. */
static void s_board_nogpdma(Prog *p)
{
	prog_init(p, 1);
	p->cfg.gpdma = false;
	p->cfg.tasks[0].caps = CAP_DEV_DMA;
	call_to(p, 0, 0, SYSCALL_GET_DMA_STREAM_HANDLE, L(0x100), Z);
	call(p, 0, SYSCALL_DMA_ASSIGN_STREAM, L(0x4020F00Du), Z, Z);
	call(p, 0, SYSCALL_DMA_GET_STREAM_INFO, V(0), Z, Z);
	call_to(p, 0, 1, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_DMA), L(WFE_WAIT_NO));
}

/* Domains: handles are denied across domains, signals still go through. */
static void s_domains(Prog *p)
{
	prog_init(p, 3);
	p->cfg.tasks[1].domain = 1;
	p->cfg.tasks[2].domain = 1;
	call_to(p, 0, 0, SYSCALL_GET_PROCESS_HANDLE, L(label(p, 1)), Z);
	call_to(p, 0, 1, SYSCALL_GET_PROCESS_HANDLE, L(0xcafe), Z);
	call(p, 0, SYSCALL_SEND_SIGNAL, H(1), L(SIGNAL_ALARM), Z);
	call_to(p, 1, 0, SYSCALL_GET_PROCESS_HANDLE, L(label(p, 2)), Z);
	call_to(p, 1, 1, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_SIGNAL), L(WFE_WAIT_NO));
	call(p, 1, SYSCALL_SEND_SIGNAL, V(1), L(SIGNAL_IO), Z);
	call(p, 2, SYSCALL_SEND_IPC, H(3), L(1), Z); /* to idle: blocked for ever */
}

/* Preemption: short quanta, priorities, computations and yields. */
static void s_preemption(Prog *p)
{
	prog_init(p, 3);
	p->cfg.tasks[0].quantum = 1;
	p->cfg.tasks[1].quantum = 3;
	p->cfg.tasks[2].quantum = 2;
	p->cfg.tasks[2].priority = 2;
	for (uint8_t t = 0; t < 3; t++) {
		p->cfg.tasks[t].end = PROG_END_LOOP;
		compute(p, t, 5);
		call(p, t, SYSCALL_YIELD, Z, Z, Z);
		compute(p, t, 3);
	}
	call(p, 2, SYSCALL_SLEEP, L(10), L(SLEEP_MODE_DEEP), Z);
}

/* A receiver faults while a sender is blocked on it. */
static void s_fault(Prog *p)
{
	prog_init(p, 3);
	call(p, 0, SYSCALL_YIELD, Z, Z, Z);
	prog_add(p, 0, OP_FAULT);
	call(p, 1, SYSCALL_SEND_IPC, H(0), L(10), Z);
	call(p, 2, SYSCALL_SEND_SIGNAL, H(0), L(SIGNAL_BUS), Z);
	prog_add(p, 2, OP_HANG);
}

/* Power management with and without CAP_SYS_POWER. */
static void s_power(Prog *p)
{
	prog_init(p, 2);
	p->cfg.tasks[0].caps = CAP_SYS_POWER;
	for (uint32_t c = 0; c <= 4; c++)
		call(p, 0, SYSCALL_PM_MANAGE, L(c), Z, Z);
	call(p, 0, SYSCALL_PM_SET_CLOCK, L(0x40021000u), L(0xF), L(3));
	call(p, 0, SYSCALL_PM_SET_CLOCK, L(0x40021002u), L(0xF), L(3));
	call(p, 1, SYSCALL_PM_MANAGE, L(CPU_SLEEP_ALLOW_SLEEP), Z, Z);
	call(p, 1, SYSCALL_PM_SET_CLOCK, L(4), Z, Z);
}

/* Release build, quantum 0, 1 ms syscall cost. */
static void s_release(Prog *p)
{
	prog_init(p, 2);
	p->cfg.release = true;
	p->cfg.syscall_cost_ns = 1000000;
	p->cfg.tasks[0].quantum = 0;
	pattern(call(p, 0, SYSCALL_LOG, L(100), Z, Z), 2);
	call(p, 0, SYSCALL_LOG, L(200), Z, Z);
	compute(p, 0, 7);
	call(p, 1, SYSCALL_SLEEP, L(0), L(SLEEP_MODE_SHALLOW), Z);
	call(p, 1, SYSCALL_ALARM, L(1), L(O_ALRM_START), Z);
}

/* Forged handles: flipped bits, stale handles, idle's handle, constants. */
static void s_forged(Prog *p)
{
	prog_init(p, 2);
	p->cfg.tasks[1].exit_mode = EXIT_MODE_RESTART;
	call_to(p, 0, 0, SYSCALL_GET_PROCESS_HANDLE, L(label(p, 1)), Z);
	for (uint8_t b = 0; b < 32; b += 5)
		call(p, 0, SYSCALL_SEND_SIGNAL, prog_var_flip(0, b), L(SIGNAL_TRAP), Z);
	call(p, 0, SYSCALL_SEND_SIGNAL, H(2), L(SIGNAL_TRAP), Z);
	call(p, 0, SYSCALL_SEND_SIGNAL, L(0x00100000u), L(SIGNAL_TRAP), Z);
	call(p, 0, SYSCALL_SEND_IPC, L(0xFFFFFFFFu), L(1), Z);
	compute(p, 0, 4);
	call(p, 0, SYSCALL_SEND_SIGNAL, prog_stale_of(1), L(SIGNAL_TRAP), Z);
	call(p, 0, SYSCALL_SEND_SIGNAL, V(0), L(SIGNAL_TRAP), Z);
	call(p, 1, SYSCALL_YIELD, Z, Z, Z);
}

/* exit(0) of a task whose exit mode is PANIC. */
static void s_exit_panic(Prog *p)
{
	prog_init(p, 2);
	p->cfg.tasks[0].exit_mode = EXIT_MODE_PANIC;
	call(p, 0, SYSCALL_SLEEP, L(2), L(SLEEP_MODE_SHALLOW), Z);
	call(p, 1, SYSCALL_EXIT, L(0xFFFFFFFFu), Z, Z);
}

/* A zero-length IPC wakes its target, which finds nothing. */
static void s_ipc_zero(Prog *p)
{
	prog_init(p, 2);
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IPC), L(WFE_WAIT_FOREVER));
	call_to(p, 0, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_IPC), L(20));
	call(p, 1, SYSCALL_SEND_IPC, H(0), L(0), Z);
}

/* Eight tasks signalling each other in loops, servers at the end. */
static void s_many(Prog *p)
{
	prog_init(p, 8);
	for (uint8_t t = 0; t < 8; t++) {
		p->cfg.tasks[t].priority = (uint8_t)(t % 3);
		p->cfg.tasks[t].quantum = (uint8_t)(1 + t);
		p->cfg.tasks[t].end = t % 2 ? PROG_END_WAIT : PROG_END_LOOP;
		call(p, t, SYSCALL_SEND_SIGNAL, H((uint8_t)((t + 1) % 8)), L(1 + t), Z);
		pattern(call(p, t, SYSCALL_SEND_IPC, H((uint8_t)((t + 3) % 8)), L(t), Z), t);
		call_to(p, t, 0, SYSCALL_WAIT_FOR_EVENT, L(EVENT_TYPE_ALL), L(3 + t));
		compute(p, t, (uint8_t)(t % 5));
	}
	stim(p, PROG_SCRIPT_IDLE, STIM_IDLE_TIME, 10);
}

/* Tasks that loop without system calls, over computations (time passes) and over stimuli
 * (it does not): the in-process run stops at its budget; through real processes the daemon
 * must stop too (its time limit, then its bound on control requests). */
static void s_loop_no_syscall(Prog *p)
{
	board_init(p, 2);
	p->cfg.tasks[0].end = PROG_END_LOOP;
	p->cfg.tasks[1].end = PROG_END_LOOP;
	p->cfg.tasks[1].priority = 2;
	stim(p, 1, STIM_GPIO, 0x08);
	stim(p, 1, STIM_GPIO, 0x10);
	compute(p, 0, 6);
}

/* Idle stimuli while every task sleeps. */
static void s_idle(Prog *p)
{
	prog_init(p, 1);
	p->cfg.tasks[0].caps = CAP_CRY_KRNG;
	call(p, 0, SYSCALL_SLEEP, L(100), L(SLEEP_MODE_DEEP), Z);
	call_to(p, 0, 0, SYSCALL_GET_RANDOM, Z, Z);
	stim(p, PROG_SCRIPT_IDLE, STIM_IDLE_TIME, 5);
	stim(p, PROG_SCRIPT_IDLE, STIM_ENTROPY_FAIL, 0);
	stim(p, PROG_SCRIPT_IDLE, STIM_IRQ, 7);
}

static const struct {
	const char *name;
	void (*build)(Prog *p);
} seeds[] = {
    {"ipc-ping-pong", s_ipc_ping_pong},
    {"signals", s_signals},
    {"wait-retry", s_wait_retry},
    {"timeouts", s_timeouts},
    {"alarms", s_alarms},
    {"alarm-panic", s_alarm_panic},
    {"start", s_start},
    {"respawn", s_respawn},
    {"unsupported", s_unsupported},
    {"autotest", s_autotest},
    {"deadlock", s_deadlock},
    {"self-ipc", s_self_ipc},
    {"log", s_log},
    {"cycles", s_cycles},
    {"cycles-quirk", s_cycles_quirk},
    {"random", s_random},
    {"board", s_board},
    {"board-nogpdma", s_board_nogpdma},
    {"board-devices", s_board_devices},
    {"board-shm", s_board_shm},
    {"board-irq", s_board_irq},
    {"board-irq-overflow", s_board_irq_overflow},
    {"board-dma", s_board_dma},
    {"board-corners", s_board_corners},
    {"board-memory", s_board_memory},
    {"domains", s_domains},
    {"preemption", s_preemption},
    {"fault", s_fault},
    {"power", s_power},
    {"release", s_release},
    {"forged", s_forged},
    {"exit-panic", s_exit_panic},
    {"ipc-zero", s_ipc_zero},
    {"many", s_many},
    {"idle", s_idle},
    {"loop-no-syscall", s_loop_no_syscall},
};

size_t fuzz_seed_count(void)
{
	return sizeof(seeds) / sizeof(seeds[0]);
}

const char *fuzz_seed_build(size_t i, Prog *p)
{
	seeds[i].build(p);
	prog_normalize(p);
	return seeds[i].name;
}
