/*
 * base-spin: baseline "the cross-core floor": two processes, each pinned to its own CPU,
 * hand one cache line of shared memory back and forth by spinning on it (no system call,
 * no sleep). The pinger writes an odd sequence number and 8 bytes of payload into the line,
 * the ponger answers with the next even number in the same line. One sample is one round
 * trip, timed by the pinger: the least any hand-off between a task and a daemon running on
 * two CPUs can cost. Under load a spinner that loses its CPU stalls its partner for a
 * scheduler slice: that shows in the p99 and the mean, not in the median.
 * Usage: base-spin [-c CPU,CPU] N   (default CPUs 0,1)
 */
#include "config.h"

#define BENCH_WITH_STDIO
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/bench/base-common.h"
#include "tests/bench/bench-util.h"

#define MAX_SAMPLES (1u << 20)

static uint32_t samples[MAX_SAMPLES];

struct line {
	_Alignas(64) uint64_t seq;
	uint64_t payload;
};

/* Spin until the line's sequence number is |v|. */
static void await(struct line *l, uint64_t v)
{
	while (__atomic_load_n(&l->seq, __ATOMIC_ACQUIRE) != v)
		bench_cpu_relax();
}

int main(int argc, char **argv)
{
	int cpus[2] = {0, 1};
	int opt;
	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt == 'c' && base_parse_cpus(optarg, cpus) == 0)
			continue;
		return base_usage("base-spin [-c CPU,CPU] N");
	}
	size_t n = base_count(optind < argc ? argv[optind] : NULL, MAX_SAMPLES);
	struct line *l = base_shared(sizeof(*l));
	if (!l)
		return base_die("mmap");
	pid_t pid = fork();
	if (pid < 0)
		return base_die("fork");
	if (pid == 0) {
		base_pin(cpus[1]);
		for (uint64_t i = 1; i <= n; i++) {
			await(l, 2 * i - 1);
			l->payload = ~l->payload;
			__atomic_store_n(&l->seq, 2 * i, __ATOMIC_RELEASE);
		}
		_exit(0);
	}
	base_pin(cpus[0]);
	uint64_t w0 = bench_now_ns(), c0 = bench_ticks();
	for (uint64_t i = 1; i <= n; i++) {
		uint64_t t0 = bench_ticks();
		l->payload = i;
		__atomic_store_n(&l->seq, 2 * i - 1, __ATOMIC_RELEASE);
		await(l, 2 * i);
		samples[i - 1] = (uint32_t)(bench_ticks() - t0);
	}
	uint64_t c1 = bench_ticks(), w1 = bench_now_ns();
	if (base_reap(pid) != 0)
		return 1;
	bench_print("spin", samples, n, w1 - w0, c1 - c0);
	return 0;
}
