/*
 * base-common.h: small helpers of the baseline programs (host side, not tasks).
 */
#ifndef BASE_COMMON_H
#define BASE_COMMON_H

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

/* The count argument |arg| (100000 when absent); 0 or more than |max| means |max|. */
static inline size_t base_count(const char *arg, size_t max)
{
	size_t n = arg ? strtoul(arg, NULL, 10) : 100000;
	return n == 0 || n > max ? max : n;
}

static inline int base_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	return 1;
}

static inline int base_usage(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	return 2;
}

/* "A,B" -> cpus[0] = A, cpus[1] = B; returns 0 on success. */
static inline int base_parse_cpus(const char *s, int cpus[2])
{
	return sscanf(s, "%d,%d", &cpus[0], &cpus[1]) == 2 ? 0 : -1;
}

/* Pin the calling process to |cpu| (no-op for -1). */
static inline void base_pin(int cpu)
{
	if (cpu < 0)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		perror("sched_setaffinity");
}

/* A shared anonymous mapping of |size| bytes (both sides of a fork see it), or NULL. */
static inline void *base_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Wait for the partner process; 0 if it ended with status 0. */
static inline int base_reap(pid_t pid)
{
	int st = 0;
	if (waitpid(pid, &st, 0) < 0)
		return base_die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "partner process failed (status 0x%x)\n", st);
		return 1;
	}
	return 0;
}

#endif
