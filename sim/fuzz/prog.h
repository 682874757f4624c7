/*
 * prog.h: fuzz programs for the Sentry kernel model: a small system (platform + tasks) and,
 * for each task, a script of system calls with typed arguments, computations, host stimuli
 * and faults; plus a script of stimuli for the moments when only idle runs.
 *
 * Lifecycle: prog_decode(bytes) or prog_generate(seed) -> (prog_encode, prog_format) -> run
 * it with exec.h -> free (a Prog is a plain value: no allocation inside).
 *
 * Arguments are not plain numbers: a task-handle argument can name a variable of the script
 * (bound by an earlier call's output: get_process_handle, an event's source...), the current
 * or the previous (stale) handle of a task, or a variable with one bit flipped; resolution
 * happens when the call runs, so handles flow from earlier results into later calls.
 *
 * Byte format (every byte string decodes to some program; missing bytes read as 0):
 *
 *   header  flags:u8 shape:u8 seed:u32le board:u8 task[n]
 *     flags   bit0 autotest build   bit1 no GPDMA   bit2 release   bit3 nanosecond quirk
 *             bit4 DMA intended path   bit5 64-byte exchange area (else 128)
 *             bits6-7 syscall cost: 1 us, 0, 100 us, 1 ms
 *     shape   bits0-2 tasks - 1 (autotest: always 1)   bits3-4 max_tasks - tasks
 *             bit5 2 GHz core (else 64 MHz)   bits6-7 label scheme: 0x1000+0x111*i, i+1, last =
 * 0xcafe, last = first task    board   bit0 the fuzz board (fuzzboard.h), bits1-3 task of
 * owner role A, bits4-6 task of role B (modulo the number of tasks)    priority:u8 quantum:u8 (0xff
 * = 0, else 1 + b % 16) caps:u8[3] (prog_cap_bits) flags:u8 (bit0 not AUTO, bits1-3 exit mode % 5,
 * bits4-5 domain, bits6-7 end of script: exit(0), loop, wait forever, hang) ops     opcode:u8 ...
 * until the end of the input (see prog.c for the opcode map): system call (weighted by the table)
 * arguments, then a fill byte if the call reads the exchange area, then a variable byte if it
 * produces a value task switch script:u8 (n = idle's script) compute      duration:u8 stimulus
 * kind:u8 arg:u8 fault hang                raw call  nr:u8 a0:u32le a1:u32le a2:u32le    touch
 * res:u8 (bit 7 SHM, else device; low bits the index) how:u8    argument  one byte, decoded by its
 * kind (systable.h): 0x00-0xef mostly valid values, 0xf0-0xfe boundary values, 0xff followed by a
 * raw u32le
 *
 * Pure C (no glib).
 */
#ifndef SIM_FUZZ_PROG_H
#define SIM_FUZZ_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/fuzz/systable.h"

#define PROG_MAX_TASKS   8
#define PROG_MAX_OPS     384
#define PROG_VARS        8
#define PROG_FILL_MAX    16
#define PROG_SCRIPT_IDLE 0xFF
#define PROG_MAX_INPUT   8192 /* bytes decoded at most */

typedef enum {
	PROG_END_EXIT = 0, /* exit(0), as a task whose entry returns */
	PROG_END_LOOP = 1, /* start the script again (a task's main loop) */
	PROG_END_WAIT = 2, /* wait_for_event(ALL, forever) for ever (a server) */
	PROG_END_HANG = 3, /* spin without system calls */
} ProgEnd;

typedef struct {
	uint32_t label;
	uint32_t caps;
	uint8_t priority;
	uint8_t quantum;
	uint8_t domain;
	uint8_t exit_mode;
	bool auto_start;
	uint8_t end; /* ProgEnd */
} ProgTask;

typedef struct {
	bool autotest;
	bool gpdma;
	bool release;
	bool nanos_quirk;
	bool dma_intended;
	uint8_t label_scheme;
	uint8_t n_tasks;
	uint32_t exchange_len;
	uint32_t syscall_cost_ns;
	uint32_t max_tasks;
	uint32_t seed;
	uint64_t core_freq_hz; /* 64 MHz, or 2 GHz (get_cycle's nanosecond path, 4.18) */
	ProgTask tasks[PROG_MAX_TASKS];
	/* The board (sim/fuzz/fuzzboard.h): none, or the fuzz board with its two owner
	 * roles played by tasks |board_a| and |board_b|. Without it, resource arguments
	 * are still generated (forged handles, labels) and every lookup fails. */
	bool board;
	uint8_t board_a, board_b;
} ProgConfig;

typedef enum {
	VAL_LIT = 0,   /* the literal |lit| */
	VAL_VAR,       /* variable |idx| of the script */
	VAL_VAR_FLIP,  /* variable |idx| with bit |bit| flipped */
	VAL_HANDLE_OF, /* the current handle of task |idx| (idle = n_tasks) */
	VAL_STALE_OF,  /* the handle task |idx| had before its last respawn (0 if none) */
	VAL_RES_OF,    /* the handle of board resource |idx| of table |bit| (ProgResTable) */
} ProgValKind;

typedef enum {
	PROG_RES_DEV = 0, /* devices: handles are deterministic (3.1), any task can forge them */
	PROG_RES_SHM = 1, /* SHMs and streams: random parts, known to the kernel only; a task */
	PROG_RES_DMA = 2, /* gets them from get_*_handle or from another task */
} ProgResTable;

typedef struct {
	uint8_t kind; /* ProgValKind */
	uint8_t idx;
	uint8_t bit;
	uint8_t pad;
	uint32_t lit;
} ProgVal;

typedef enum {
	FILL_NONE = 0, /* leave the area as it is (stale bytes are part of the contract) */
	FILL_PATTERN,  /* the bytes the call reads: (seed + 37 i) & 0xff */
	FILL_VAR,      /* variable |var| as a u32 at offset 0, then the pattern */
	FILL_BYTES,    /* |n| explicit bytes at offset 0 */
} ProgFillKind;

typedef struct {
	uint8_t kind; /* ProgFillKind */
	uint8_t seed;
	uint8_t var;
	uint8_t n;
	uint8_t bytes[PROG_FILL_MAX];
} ProgFill;

typedef enum {
	OP_SYSCALL = 0, /* a call through the UAPI library (wait retries after INTR, 2.4) */
	OP_RAW,         /* a raw trap with literal arguments: any number 0..255 */
	OP_COMPUTE,     /* the task computes for |param| ns (its quantum runs) */
	OP_STIM,        /* host stimulus |param| (StimKind) with argument |param2| */
	OP_FAULT,       /* the task crashes (7.7) */
	OP_HANG,        /* the task spins for ever without system calls */
	OP_TOUCH,       /* the task reads or writes a board resource's memory (see below) */
} ProgOpKind;

/* OP_TOUCH: |param| = table << 8 | index (PROG_RES_DEV or PROG_RES_SHM, index in the fuzz
 * board's table), |param2| bit 0 = write, bits 1-7 = offset in 32-byte units (modulo the
 * region's size). The access faults the task unless the task has the region mapped, and
 * mapped writable for a write (4.7, 4.8): that is what both sides check. */
uint64_t prog_touch_address(uint32_t param, uint32_t param2);

typedef struct {
	uint8_t kind;   /* ProgOpKind */
	uint8_t script; /* task index, or PROG_SCRIPT_IDLE */
	uint8_t nr;     /* system call number (SYSCALL, RAW) */
	uint8_t dst;    /* variable receiving the call's output (SysOut != OUT_NONE) */
	ProgVal args[3];
	ProgFill fill; /* bytes written to the exchange area before the trap (SysIn) */
	uint32_t param;
	uint32_t param2;
} ProgOp;

typedef struct {
	ProgConfig cfg;
	uint32_t n_ops;
	ProgOp ops[PROG_MAX_OPS];
} Prog;

/* `sentry-sim fuzz`: what the fuzz task asks the daemon (__sentry_sim_fuzz_control), for
 * the ops the in-process driver performs outside the task. */
typedef enum {
	PROG_CTL_RESOLVE = 1, /* a = ProgValKind, b = idx | bit << 8: its current value */
	PROG_CTL_ADVANCE = 2, /* the task computes for |a| ns (OP_COMPUTE) */
	PROG_CTL_STIM = 3,    /* host stimulus |a| (StimKind) with argument |b| (OP_STIM) */
} ProgControl;

/* The capability bit each of the 24 capability bits of a task record maps to. */
extern const uint32_t prog_cap_bits[24];
/* Durations of OP_COMPUTE, indexed by the low 3 bits of its byte. */
extern const uint32_t prog_compute_ns[8];

/* Decode |len| bytes into |p| (overwritten). Never fails: every input is a program. */
void prog_decode(Prog *p, const uint8_t *data, size_t len);

/* Encode |p| canonically into |buf| (|cap| bytes); returns the length, or 0 if it does not
 * fit. For a program that came from prog_decode or prog_generate,
 * prog_decode(prog_encode(p)) == p. */
size_t prog_encode(const Prog *p, uint8_t *buf, size_t cap);

/* Generate a mostly-valid program from |seed|: resource-aware (a handle argument uses a
 * variable bound by an earlier call, inserting the call that produces it when needed),
 * weighted by the table, with boundary values now and then. */
void prog_generate(Prog *p, uint64_t seed);

bool prog_equal(const Prog *a, const Prog *b);

/* Describe |p| as text, one line per op, into |buf| (always NUL-terminated, truncated to
 * |cap|). Returns the length it needed. */
size_t prog_format(const Prog *p, char *buf, size_t cap);
/* Describe one op ("send_ipc(resource=$v1, length=8) fill=pattern(0x90)"). */
size_t prog_format_op(const Prog *p, const ProgOp *op, char *buf, size_t cap);

/* The canonical first byte of an op (for dictionaries): a system call |nr| for OP_SYSCALL,
 * the task-switch opcode for PROG_OP_TASK_SWITCH. */
uint8_t prog_opcode(ProgOpKind kind, uint32_t nr);
#define PROG_OP_TASK_SWITCH 0xFFu /* ProgOpKind value accepted by prog_opcode() */

/* Builder for hand-written programs (seed corpus, tests). */
void prog_init(Prog *p, uint8_t n_tasks);
ProgOp *prog_add(Prog *p, uint8_t script, ProgOpKind kind);
ProgOp *prog_add_call(Prog *p, uint8_t script, uint32_t nr, ProgVal a0, ProgVal a1, ProgVal a2);
ProgVal prog_lit(uint32_t v);
ProgVal prog_var(uint8_t idx);
ProgVal prog_handle_of(uint8_t task);
ProgVal prog_stale_of(uint8_t task);
ProgVal prog_var_flip(uint8_t idx, uint8_t bit);
ProgVal prog_res_of(ProgResTable table, uint8_t idx);
/* Recompute derived fields (labels from the scheme, autotest overrides); call after
 * changing a ProgConfig by hand. */
void prog_normalize(Prog *p);

#endif
