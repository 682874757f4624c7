/*
 * bench-kernel: the kernel model alone, in-process, no task processes: system calls per
 * second through kernel_syscall() and kernel_resume(), the two calls the host makes per
 * trap. Three mixes:
 *   getrandom  one task, get_random for ever (the null call: capability check, 4 bytes);
 *   getcycle   one task, get_cycle(MICROSECONDS) (128-bit clock arithmetic);
 *   ipc        two tasks in a 64-byte send_ipc / wait_for_event ping-pong, with the
 *              library's INTR retry emulated here: elections, wake-ups, payload copies.
 * Usage: bench-kernel [-m MIX] N    (prints one `kernel mix=... ` line per mix)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/kernel/kernel.h"
#include "tests/bench/bench-util.h"

static void on_report(void *data, const KernelReport *r)
{
	if (r->kind != KREPORT_INFO)
		fprintf(stderr, "bench-kernel: unexpected report: %s\n", r->text);
}

static Kernel *boot(uint32_t n_tasks)
{
	static const KernelTaskConfig tasks[2] = {
		{.name = "a", .label = 0x1000, .priority = 1, .quantum = 10,
		 .capabilities = CAP_CRY_KRNG, .auto_start = true},
		{.name = "b", .label = 0x1001, .priority = 1, .quantum = 10,
		 .capabilities = CAP_CRY_KRNG, .auto_start = true},
	};
	KernelConfig cfg;
	kernel_config_init(&cfg);
	cfg.seed = 1;
	cfg.n_tasks = n_tasks;
	cfg.tasks = tasks;
	KernelHooks hooks = {.report = on_report};
	const char *err = NULL;
	Kernel *k = kernel_new(&cfg, &hooks, NULL, &err);
	if (!k) {
		fprintf(stderr, "bench-kernel: kernel_new: %s\n", err);
		exit(1);
	}
	kernel_boot(k);
	return k;
}

/* One task calling |nr| |n| times; returns the calls made. */
static uint64_t run_single(uint32_t nr, uint32_t a0, uint64_t n)
{
	Kernel *k = boot(1);
	KernelResume res;
	uint64_t done = 0;
	if (kernel_current(k) != 0 || !kernel_resume(k, &res))
		goto out;
	for (; done < n; done++) {
		kernel_syscall(k, nr, a0, 0, 0);
		if (!kernel_resume(k, &res) || res.r0 != STATUS_OK)
			break;
	}
out:
	kernel_free(k);
	return done;
}

/* The two tasks' programs: a sends then waits, b waits then sends back. */
typedef struct {
	int pc;           /* 0: send (a) / wait (b); 1: the other one */
	uint32_t peer;    /* the peer's handle */
	bool sends_first; /* a */
} Prog;

/* Issue task |id|'s next system call, given the result |r0| of its previous one. */
static bool step(Kernel *k, Prog *p, bool fresh, uint32_t r0)
{
	bool sending = (p->pc == 0) == p->sends_first;
	if (!fresh) {
		if (!sending && r0 == STATUS_INTR) {
			/* the library re-issues an interrupted wait once (uapi.md 2.4) */
		} else if (r0 != STATUS_OK) {
			fprintf(stderr, "bench-kernel: ipc: unexpected status %u\n", r0);
			return false;
		} else {
			p->pc = !p->pc;
			sending = !sending;
		}
	}
	if (sending) {
		memset(kernel_exchange(k, kernel_current(k)), 0x5a, 64);
		kernel_syscall(k, SYSCALL_SEND_IPC, p->peer, 64, 0);
	} else {
		kernel_syscall(k, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, 0, 0);
	}
	return true;
}

static uint64_t run_ipc(uint64_t n)
{
	Kernel *k = boot(2);
	Prog progs[2] = {
		{.peer = kernel_task_handle(k, 1), .sends_first = true},
		{.peer = kernel_task_handle(k, 0), .sends_first = false},
	};
	uint64_t done = 0;
	while (done < n) {
		uint32_t cur = kernel_current(k);
		if (cur == KERNEL_NO_TASK)
			break;
		if (cur == kernel_idle_id(k)) {
			if (kernel_idle(k, 0) != KERNEL_IDLE_ADVANCED)
				break;
			continue;
		}
		KernelResume res;
		if (!kernel_resume(k, &res) || !step(k, &progs[cur], res.fresh, res.r0))
			break;
		done++;
	}
	kernel_free(k);
	return done;
}

static const struct {
	const char *name;
	uint32_t nr, a0; /* single-task mixes */
} mixes[] = {
	{"getrandom", SYSCALL_GET_RANDOM, 0},
	{"getcycle", SYSCALL_GET_CYCLE, PRECISION_MICROSECONDS},
	{"ipc", 0, 0},
};

int main(int argc, char **argv)
{
	const char *only = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt != 'm') {
			fprintf(stderr, "usage: bench-kernel [-m MIX] N\n");
			return 2;
		}
		only = optarg;
	}
	uint64_t n = optind < argc ? strtoull(argv[optind], NULL, 10) : 5000000;
	int status = 0;
	for (size_t i = 0; i < sizeof(mixes) / sizeof(mixes[0]); i++) {
		if (only && strcmp(only, mixes[i].name) != 0)
			continue;
		uint64_t t0 = bench_now_ns();
		uint64_t done = strcmp(mixes[i].name, "ipc") == 0
					? run_ipc(n)
					: run_single(mixes[i].nr, mixes[i].a0, n);
		uint64_t dt = bench_now_ns() - t0;
		if (done != n) {
			fprintf(stderr, "bench-kernel: %s stopped after %llu calls\n",
				mixes[i].name, (unsigned long long)done);
			status = 1;
			continue;
		}
		printf("kernel mix=%s n=%llu ns_per_call=%.1f rate=%.0f\n", mixes[i].name,
		       (unsigned long long)n, (double)dt / (double)n, (double)n * 1e9 / (double)dt);
	}
	return status;
}
