/*
 * base-futex: baseline "two processes handing off": a ping-pong between two processes on a
 * shared page, each side waiting with futex(2) (with -s N: spinning N times first, as the
 * simulator's transport does). One sample is one round trip, timed by the pinger.
 * Usage: base-futex [-s SPIN] [-c CPU,CPU] N
 */
#include "config.h"

#define BENCH_WITH_STDIO
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/bench/bench-util.h"
#include "tests/bench/base-common.h"

#define MAX_SAMPLES (1u << 20)

static uint32_t samples[MAX_SAMPLES];

struct shared {
	_Alignas(64) uint32_t ping; /* sequence the pinger posted */
	uint32_t ping_sleeping;
	_Alignas(64) uint32_t pong; /* sequence the ponger answered */
	uint32_t pong_sleeping;
};

static unsigned spin;

static void futex_wait(uint32_t *w, uint32_t v)
{
	syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0);
}

static void futex_wake(uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Publish |v| in |word| and wake the other side if it said it sleeps. */
static void post(uint32_t *word, uint32_t *other_sleeping, uint32_t v)
{
	__atomic_store_n(word, v, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(other_sleeping, __ATOMIC_SEQ_CST))
		futex_wake(word);
}

/* Wait until |word| equals |v|: spin, then sleep, flagging it in |sleeping|. */
static void await(uint32_t *word, uint32_t *sleeping, uint32_t v)
{
	for (unsigned i = 0; i < spin; i++) {
		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) == v)
			return;
		bench_cpu_relax();
	}
	for (;;) {
		__atomic_store_n(sleeping, 1, __ATOMIC_SEQ_CST);
		uint32_t cur = __atomic_load_n(word, __ATOMIC_SEQ_CST);
		if (cur == v)
			break;
		futex_wait(word, cur);
	}
	__atomic_store_n(sleeping, 0, __ATOMIC_RELAXED);
}

int main(int argc, char **argv)
{
	int cpus[2] = {-1, -1};
	int opt;
	while ((opt = getopt(argc, argv, "s:c:")) != -1) {
		if (opt == 's')
			spin = (unsigned)strtoul(optarg, NULL, 10);
		else if (opt == 'c' && base_parse_cpus(optarg, cpus) == 0)
			continue;
		else
			return base_usage("base-futex [-s SPIN] [-c CPU,CPU] N");
	}
	size_t n = base_count(optind < argc ? argv[optind] : NULL, MAX_SAMPLES);
	struct shared *sh = base_shared(sizeof(*sh));
	if (!sh)
		return base_die("mmap");
	pid_t pid = fork();
	if (pid < 0)
		return base_die("fork");
	if (pid == 0) {
		base_pin(cpus[1]);
		for (uint32_t seq = 1; seq <= n; seq++) {
			await(&sh->ping, &sh->pong_sleeping, seq);
			post(&sh->pong, &sh->ping_sleeping, seq);
		}
		_exit(0);
	}
	base_pin(cpus[0]);
	uint64_t w0 = bench_now_ns(), c0 = bench_ticks();
	for (uint32_t seq = 1; seq <= n; seq++) {
		uint64_t t0 = bench_ticks();
		post(&sh->ping, &sh->pong_sleeping, seq);
		await(&sh->pong, &sh->ping_sleeping, seq);
		samples[seq - 1] = (uint32_t)(bench_ticks() - t0);
	}
	uint64_t c1 = bench_ticks(), w1 = bench_now_ns();
	if (base_reap(pid) != 0)
		return 1;
	bench_print(spin ? "futex-spin" : "futex", samples, n, w1 - w0, c1 - c0);
	return 0;
}
