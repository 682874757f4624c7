/*
 * registry.h: the system-call registry of the kernel model: one row per number (uapi.md 1.1,
 * section 4), the only place a system call is declared to the simulator.
 *
 * Lifecycle: none; the table is static data (sim/kernel/registry.c). Everything that needs
 * to know the system calls derives from it: dispatch (gates.c), the names reports and traces
 * print, the scenario script's call names, the size of the fuzz oracle's typed table
 * (sim/fuzz/systable.c, which judges each call independently and is checked against this
 * table row by row by tests/unit/check_registry.c) and the argument conversions the fuzz
 * driver applies as the task library would.
 *
 * Adding a system call: a row in registry.c, its gate (gates.c, or board.c for a board
 * resource; declared in kernel_priv.h), and the oracle's typed row in sim/fuzz/systable.c.
 */
#ifndef SIM_KERNEL_REGISTRY_H
#define SIM_KERNEL_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/types.h>

/* Numbers 0..KERNEL_SYSCALL_COUNT-1 have a row; every other number is unsupported (4.0). */
#define KERNEL_SYSCALL_COUNT (SYSCALL_HAS_RESPAWNED + 1)

/* The C type of one parameter of the library function (uapi.h): what the library's
 * conversion leaves of a 32-bit value before the trap (uapi.md 1.8, 2.5). Enums, int32_t
 * and the sleep duration keep their 32 bits (2.3, 2.6). */
typedef enum {
	SYSCALL_ARG_U32 = 0, /* uint32_t, int32_t or an enum: unchanged */
	SYSCALL_ARG_U8,      /* uint8_t: truncated */
	SYSCALL_ARG_U16,     /* uint16_t: truncated */
	SYSCALL_ARG_BOOL,    /* bool: 0 or 1 */
} SyscallArgWidth;

struct kernel;
struct task;
typedef void (*SyscallGate)(struct kernel *k, struct task *t, uint32_t a0, uint32_t a1,
                            uint32_t a2);

typedef struct {
	const char *name;    /* as reports, traces and scripts print it */
	const char *lib;     /* the library function after __sys_, when it differs from name */
	const char *section; /* uapi.md section */
	SyscallGate gate;    /* NULL: declared but never implemented (4.0) */
	bool autotest_only;  /* reaches its gate only in the autotest build (1.1, 4.25) */
	uint8_t width[3];    /* SyscallArgWidth of each parameter */
} SyscallDef;

/* The row of |nr|, or NULL when nr >= KERNEL_SYSCALL_COUNT. */
const SyscallDef *kernel_syscall_def(uint32_t nr);
/* The library function's name (lib, else name), or NULL when nr has no row. */
const char *kernel_syscall_lib_name(uint32_t nr);
/* The number of a system call by its name or its SYSCALL_ enumerator, in any case
 * ("send_ipc", "SYSCALL_SEND_IPC", upstream's "dma_start_sream"); false when unknown. */
bool kernel_syscall_lookup(const char *name, uint32_t *nr);
/* The arguments the library traps with for 32-bit values passed as |nr|'s parameters. */
void kernel_syscall_lib_args(uint32_t nr, uint32_t a[3]);

#endif
