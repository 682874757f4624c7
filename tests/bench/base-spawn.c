/*
 * base-spawn: baseline "start a process": N times, fork() this small process, execv()
 * PROGRAM with argv[0] = NAME (its stdout and stderr on /dev/null), and wait for it to
 * end. One sample is one fork + exec + dynamic loading + libc start + exit + wait. Run on
 * the benchmarks' own task binary outside the simulator, it is the floor for the
 * simulator's task start: that binary's runtime sees no daemon, says so and exits, so the
 * child's exit status is not checked (only that it exited).
 * With -p, the N processes are started at once, as the simulator starts the tasks of a
 * system (fork and exec of each, then wait for them all): one figure, the wall time of
 * the whole (wall_ns), no samples.
 * Usage: base-spawn [-p] N PROGRAM NAME
 */
#include "config.h"

#define BENCH_WITH_STDIO
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/bench/base-common.h"
#include "tests/bench/bench-util.h"

#define MAX_SAMPLES (1u << 16)

static uint32_t samples[MAX_SAMPLES];

/* A fork + exec of |prog| as |name|: its pid, or -1. */
static pid_t start(const char *prog, const char *name, int devnull)
{
	pid_t pid = fork();
	if (pid == 0) {
		dup2(devnull, 1);
		dup2(devnull, 2);
		char *argv[] = {(char *)name, NULL};
		execv(prog, argv);
		_exit(127);
	}
	return pid;
}

/* Wait for |pid| (any child if -1); 0 if it exited normally. */
static int reap(pid_t pid, const char *prog)
{
	int st = 0;
	if (waitpid(pid, &st, 0) < 0)
		return base_die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 127) {
		fprintf(stderr, "base-spawn: %s did not run (status 0x%x)\n", prog, st);
		return 1;
	}
	return 0;
}

/* One fork + exec of |prog| as |name|, waited for; 0 if the child exited normally. */
static int spawn_once(const char *prog, const char *name, int devnull)
{
	pid_t pid = start(prog, name, devnull);
	if (pid < 0)
		return base_die("fork");
	return reap(pid, prog);
}

/* -p: |n| processes started at once, then all waited for. */
static int spawn_parallel(size_t n, const char *prog, const char *name, int devnull)
{
	uint64_t w0 = bench_now_ns();
	for (size_t i = 0; i < n; i++)
		if (start(prog, name, devnull) < 0)
			return base_die("fork");
	for (size_t i = 0; i < n; i++)
		if (reap(-1, prog) != 0)
			return 1;
	printf("base=spawn-parallel n=%zu wall_ns=%llu\n", n,
	       (unsigned long long)(bench_now_ns() - w0));
	return 0;
}

int main(int argc, char **argv)
{
	int parallel = argc == 5 && strcmp(argv[1], "-p") == 0;
	if (argc != 4 + parallel)
		return base_usage("base-spawn [-p] N PROGRAM NAME");
	argv += parallel;
	size_t n = base_count(argv[1], MAX_SAMPLES);
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0)
		return base_die("/dev/null");
	if (parallel)
		return spawn_parallel(n, argv[2], argv[3], devnull);
	uint64_t w0 = bench_now_ns(), c0 = bench_ticks();
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_ticks();
		if (spawn_once(argv[2], argv[3], devnull) != 0)
			return 1;
		samples[i] = (uint32_t)(bench_ticks() - t0);
	}
	uint64_t c1 = bench_ticks(), w1 = bench_now_ns();
	bench_print("spawn", samples, n, w1 - w0, c1 - c0);
	return 0;
}
