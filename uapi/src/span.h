/*
 * span.h: which bytes of the exchange area each system call moves between a task process
 * and the daemon (internal; compiled into libsentry-uapi and into the daemon, never
 * installed). Both sides compute the same span from the call's number and arguments.
 *
 * The kernel model keeps its own copy of every task's exchange area (sim/kernel). A call
 * reads the first bytes of the area (send_ipc and log: their length argument) and may write
 * the first bytes of it (a handle, a random word, an event, ...: sim/kernel/gates.c and
 * board.c). Every access starts at offset 0, so a prefix [0, n) covers it. The gate copies
 * the prefix that covers both what the call reads and what it may write to the page, the
 * daemon copies it into the model's area, and after the call the daemon copies back the
 * prefix the call may write, and the gate copies it into the task's area. Since the
 * model's copy equals the task's area over the whole written prefix when the call starts,
 * a byte the call does not write comes back as the task left it: the task sees exactly the
 * bytes the real kernel leaves in its area, and nothing moves that the call does not use
 * (a get_random moves 4 bytes, inside the request's and the reply's cache lines).
 *
 * Adding a system call that touches the exchange area: a case below. Every call of the
 * kernel model's check suites verifies that the model writes nothing outside these spans
 * (kh_trap, tests/unit/kernel_harness.c).
 */
#ifndef SENTRY_UAPI_SPAN_H
#define SENTRY_UAPI_SPAN_H

#include <stdint.h>

#include <uapi/dma.h>
#include <uapi/types.h>

/* The prefix of a |xlen|-byte exchange area that system call |nr| may write. */
static inline uint32_t sentry_exchange_out(uint32_t nr, uint32_t xlen)
{
	uint32_t n;
	switch (nr) {
	case SYSCALL_GET_PROCESS_HANDLE:
	case SYSCALL_GET_DEVICE_HANDLE:
	case SYSCALL_GET_SHM_HANDLE:
	case SYSCALL_GET_DMA_STREAM_HANDLE:
	case SYSCALL_GET_RANDOM:
		n = 4; /* a handle or a random word */
		break;
	case SYSCALL_GET_CYCLE:
		n = 8;
		break;
	case SYSCALL_GPIO_GET:
		n = 1;
		break;
	case SYSCALL_SHM_GET_INFOS:
		n = (uint32_t)sizeof(shm_infos_t);
		break;
	case SYSCALL_DMA_GET_STREAM_INFO:
		n = (uint32_t)sizeof(gpdma_stream_cfg_t);
		break;
	case SYSCALL_WAIT_FOR_EVENT:
		n = xlen; /* an event header and up to the rest of the area */
		break;
	default:
		n = 0;
		break;
	}
	return n < xlen ? n : xlen;
}

/* The prefix the gate hands to the daemon with system call |nr|(a0, a1, ...): what the call
 * reads and what it may write. */
static inline uint32_t sentry_exchange_span(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t xlen)
{
	uint32_t in = nr == SYSCALL_SEND_IPC ? a1 : nr == SYSCALL_LOG ? a0 : 0;
	uint32_t out = sentry_exchange_out(nr, xlen);
	uint32_t n = in > out ? in : out;
	return n < xlen ? n : xlen;
}

#endif
