/*
 * base-spawn: baseline "start a process": N times, fork() this small process, execv()
 * PROGRAM with argv[0] = NAME (its stdout and stderr on /dev/null), and wait for it to
 * end. One sample is one fork + exec + dynamic loading + libc start + exit + wait. Run on
 * the benchmarks' own task binary outside the simulator, it is the floor for the
 * simulator's task start: that binary's runtime sees no daemon, says so and exits, so the
 * child's exit status is not checked (only that it exited).
 * Usage: base-spawn N PROGRAM NAME
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

/* One fork + exec of |prog| as |name|, waited for; 0 if the child exited normally. */
static int spawn_once(const char *prog, const char *name, int devnull)
{
	pid_t pid = fork();
	if (pid < 0)
		return base_die("fork");
	if (pid == 0) {
		dup2(devnull, 1);
		dup2(devnull, 2);
		char *argv[] = {(char *)name, NULL};
		execv(prog, argv);
		_exit(127);
	}
	int st = 0;
	if (waitpid(pid, &st, 0) < 0)
		return base_die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 127) {
		fprintf(stderr, "base-spawn: %s did not run (status 0x%x)\n", prog, st);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return base_usage("base-spawn N PROGRAM NAME");
	size_t n = base_count(argv[1], MAX_SAMPLES);
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0)
		return base_die("/dev/null");
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
