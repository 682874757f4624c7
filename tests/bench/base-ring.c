/*
 * base-ring: baseline "a wake-up among K processes": K processes pinned to one CPU hand a
 * token around a ring on a shared page, each waiting with futex(2) for its turn, as K
 * sleeping task processes take turns in the simulator. They run SCHED_BATCH, as the
 * simulator makes a task woken by one that goes to sleep (no wake-up preemption: otherwise
 * each wake-up takes the CPU from the waker and costs a switch back to it). One sample is
 * one lap (K handoffs), timed by the first process.
 * Usage: base-ring K N (N laps)
 */
#include "config.h"

#define BENCH_WITH_STDIO
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests/bench/bench-util.h"
#include "tests/bench/base-common.h"

#define MAX_SAMPLES (1u << 20)
#define MAX_PROCS   64

static uint32_t samples[MAX_SAMPLES];

struct turn {
	_Alignas(64) uint32_t lap; /* the last lap this process may take */
};

/* Wait until |t|'s lap reaches |lap|. */
static void await(struct turn *t, uint32_t lap)
{
	uint32_t cur;
	while ((cur = __atomic_load_n(&t->lap, __ATOMIC_ACQUIRE)) < lap)
		syscall(SYS_futex, &t->lap, FUTEX_WAIT, cur, NULL, NULL, 0);
}

/* Give |t| lap |lap|, and wake it. */
static void pass(struct turn *t, uint32_t lap)
{
	__atomic_store_n(&t->lap, lap, __ATOMIC_RELEASE);
	syscall(SYS_futex, &t->lap, FUTEX_WAKE, 1, NULL, NULL, 0);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return base_usage("base-ring K N");
	size_t k = base_count(argv[1], MAX_PROCS);
	size_t n = base_count(argv[2], MAX_SAMPLES);
	if (k < 2)
		return base_usage("base-ring K N (K >= 2)");
	struct turn *t = base_shared(k * sizeof(*t));
	if (!t)
		return base_die("mmap");
	struct sched_param sp = {.sched_priority = 0};
	if (sched_setscheduler(0, SCHED_BATCH, &sp) != 0)
		return base_die("sched_setscheduler");
	base_pin(0);
	pid_t pids[MAX_PROCS];
	for (size_t i = 1; i < k; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return base_die("fork");
		if (pids[i] == 0) {
			for (uint32_t lap = 1; lap <= n; lap++) {
				await(&t[i], lap);
				pass(&t[(i + 1) % k], lap);
			}
			_exit(0);
		}
	}
	uint64_t w0 = bench_now_ns(), c0 = bench_ticks();
	for (uint32_t lap = 1; lap <= n; lap++) {
		uint64_t t0 = bench_ticks();
		pass(&t[1], lap);
		await(&t[0], lap);
		samples[lap - 1] = (uint32_t)(bench_ticks() - t0);
	}
	uint64_t c1 = bench_ticks(), w1 = bench_now_ns();
	for (size_t i = 1; i < k; i++)
		if (base_reap(pids[i]) != 0)
			return 1;
	bench_print("ring", samples, n, w1 - w0, c1 - c0);
	return 0;
}
