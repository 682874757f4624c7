/*
 * base-pipe: baseline "what an RPC daemon costs": a client process sends a 16-byte request
 * over a pipe to a server process, which answers 16 bytes over another pipe. One sample is
 * one request/response, timed by the client.
 * Usage: base-pipe [-c CPU,CPU] N
 */
#include "config.h"

#define BENCH_WITH_STDIO
#include <stdlib.h>
#include <unistd.h>

#include "tests/bench/base-common.h"
#include "tests/bench/bench-util.h"

#define MAX_SAMPLES (1u << 20)
#define MSG         16

static uint32_t samples[MAX_SAMPLES];

static int full_read(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, (char *)buf + got, len - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int cpus[2] = {-1, -1};
	int opt;
	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt == 'c' && base_parse_cpus(optarg, cpus) == 0)
			continue;
		return base_usage("base-pipe [-c CPU,CPU] N");
	}
	size_t n = base_count(optind < argc ? argv[optind] : NULL, MAX_SAMPLES);
	int req[2], resp[2];
	if (pipe(req) != 0 || pipe(resp) != 0)
		return base_die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		return base_die("fork");
	if (pid == 0) {
		base_pin(cpus[1]);
		close(req[1]);
		close(resp[0]);
		char buf[MSG];
		while (full_read(req[0], buf, sizeof(buf)) == 0)
			if (write(resp[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				_exit(1);
		_exit(0);
	}
	base_pin(cpus[0]);
	close(req[0]);
	close(resp[1]);
	char buf[MSG] = {0};
	uint64_t w0 = bench_now_ns(), c0 = bench_ticks();
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = bench_ticks();
		buf[0] = (char)i;
		if (write(req[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
		    full_read(resp[0], buf, sizeof(buf)) != 0)
			return base_die("pipe round trip");
		samples[i] = (uint32_t)(bench_ticks() - t0);
	}
	uint64_t c1 = bench_ticks(), w1 = bench_now_ns();
	close(req[1]);
	if (base_reap(pid) != 0)
		return 1;
	bench_print("pipe", samples, n, w1 - w0, c1 - c0);
	return 0;
}
