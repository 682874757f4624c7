/*
 * bench-util.h: what the benchmark programs share (header only, libc only, no allocation,
 * so the task side can use it under the strict seccomp filter too).
 *
 * Per-call times are read from the host's free-running counter (rdtsc, or cntvct_el0):
 * an instruction, not a system call, and cheap enough (~10 ns) to bracket a single call.
 * Counter ticks become nanoseconds with the ratio of counter ticks to CLOCK_MONOTONIC
 * nanoseconds over a whole run (bench_print). Results are printed as one
 * line of `key=value` words, which tests/bench/run.sh reads.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t bench_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
#else
#error "no cycle counter known for this architecture"
#endif
}

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void bench_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* Compute (not sleep) for |ticks| counter ticks: the "gap" a task spends between calls. */
static inline void bench_busy(uint64_t ticks)
{
	uint64_t t0 = bench_ticks();
	while (bench_ticks() - t0 < ticks)
		;
}

/* In-place heap sort: qsort may allocate, which a confined task cannot do. */
static inline void bench_sift(uint32_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[root] >= a[c])
			return;
		uint32_t t = a[root];
		a[root] = a[c];
		a[c] = t;
		root = c;
	}
}

static inline void bench_sort(uint32_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		bench_sift(a, i, n);
	for (size_t end = n; end-- > 1;) {
		uint32_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		bench_sift(a, 0, end);
	}
}

/* The |q| quantile (0..1) of |n| sorted values, nearest rank. */
static inline uint32_t bench_quantile(const uint32_t *sorted, size_t n, double q)
{
	if (n == 0)
		return 0;
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);
	return sorted[i < n ? i : n - 1];
}

/*
 * Print one result line: `base=NAME n=N mean_ns=.. smean_ns=.. p50_ns=.. p90_ns=.. p99_ns=..
 * p999_ns=.. max_ns=.. rate=..` from |n| per-call samples in counter ticks (sorted here) and
 * the wall time of the whole loop, which also calibrates ticks against nanoseconds.
 * mean_ns is the wall time per iteration (everything in the loop); smean_ns is the mean of
 * the samples (only what they bracket, e.g. a call without the compute gap before it).
 */
#ifdef BENCH_WITH_STDIO
#include <stdio.h>

static inline void bench_print(const char *name, uint32_t *samples, size_t n, uint64_t wall_ns,
                               uint64_t wall_ticks)
{
	double tpn = wall_ns ? (double)wall_ticks / (double)wall_ns : 1.0;
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	bench_sort(samples, n);
	printf("base=%s n=%zu mean_ns=%.1f smean_ns=%.1f", name, n,
	       n ? (double)wall_ns / (double)n : 0.0, n ? (double)sum / (double)n / tpn : 0.0);
	static const struct {
		const char *key;
		double q;
	} qs[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}, {"max", 1.0}};
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		printf(" %s_ns=%.1f", qs[i].key, (double)bench_quantile(samples, n, qs[i].q) / tpn);
	printf(" rate=%.0f ticks_per_ns=%.6f\n", wall_ns ? (double)n * 1e9 / (double)wall_ns : 0.0,
	       tpn);
	fflush(stdout);
}
#endif

#endif
