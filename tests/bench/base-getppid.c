/*
 * base-getppid: baseline "a raw host system call": N getppid() calls, each timed.
 * Usage: base-getppid N
 */
#include "config.h"

#define BENCH_WITH_STDIO
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests/bench/base-common.h"
#include "tests/bench/bench-util.h"

#define MAX_SAMPLES (1u << 20)

static uint32_t samples[MAX_SAMPLES];

int main(int argc, char **argv)
{
	size_t n = base_count(argc > 1 ? argv[1] : NULL, MAX_SAMPLES);
	uint64_t w0 = bench_now_ns(), c0 = bench_ticks();
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_ticks();
		syscall(SYS_getppid); /* not glibc's getppid(): it is never cached, but be sure */
		uint64_t t1 = bench_ticks();
		samples[i] = (uint32_t)(t1 - t0);
	}
	uint64_t c1 = bench_ticks(), w1 = bench_now_ns();
	bench_print("getppid", samples, n, w1 - w0, c1 - c0);
	return 0;
}
