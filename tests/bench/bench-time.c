/*
 * bench-time: run a command and measure it from the outside, for tests/bench/run.sh.
 *
 *   wall time      CLOCK_MONOTONIC from before fork to the reaping of the command;
 *   CPU time       user and system time of the command and of every descendant it reaped
 *                  (the daemon reaps its task processes, so they are included);
 *   memory (-m MS) every MS milliseconds, the command and its direct children (the task
 *                  processes) are read from /proc/PID/smaps_rollup; the sample with the
 *                  most resident memory in total is kept: per-process RSS, PSS and USS
 *                  (private pages), summed and the largest child. Children that run the
 *                  command's own program (the daemon's forks: its PID namespace's reaper,
 *                  its debug helper) are not task processes and are not counted.
 *
 * Prints one line of `key=value` words to the file of -o (default stdout). The command's
 * own stdout and stderr are left alone. Exit status: the command's, or 125 if it could not
 * be run.
 * Usage: bench-time [-o FILE] [-m MS] -- COMMAND [ARGS...]
 */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/bench/bench-util.h"

typedef struct {
	unsigned procs;              /* task processes (children of the command) */
	unsigned long rss, pss, uss; /* kB, summed over the children */
	unsigned long max_rss;       /* kB, the largest child */
	unsigned long parent_rss;    /* kB, the command itself */
} MemSample;

/* Rss, Pss and Private_* of |pid| in kB; false if it is gone. */
static bool read_rollup(pid_t pid, unsigned long *rss, unsigned long *pss, unsigned long *uss)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	*rss = *pss = *uss = 0;
	unsigned long v;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Rss: %lu", &v) == 1)
			*rss = v;
		else if (sscanf(line, "Pss: %lu", &v) == 1)
			*pss = v;
		else if (sscanf(line, "Private_Clean: %lu", &v) == 1 ||
		         sscanf(line, "Private_Dirty: %lu", &v) == 1)
			*uss += v;
	}
	fclose(f);
	return *rss != 0;
}

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* the name may hold anything but ends with ')' */
	int ppid = -1;
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

/* Does |pid| run the same program file as |exe|? */
static bool same_program(pid_t pid, const struct stat *exe)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	return stat(path, &st) == 0 && st.st_dev == exe->st_dev && st.st_ino == exe->st_ino;
}

static void sample(pid_t root, MemSample *best)
{
	MemSample s = {0};
	unsigned long pss, uss;
	char path[64];
	struct stat exe;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)root);
	if (stat(path, &exe) != 0 || !read_rollup(root, &s.parent_rss, &pss, &uss))
		return;
	DIR *d = opendir("/proc");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0 || parent_of((pid_t)pid) != root ||
		    same_program((pid_t)pid, &exe))
			continue;
		unsigned long rss;
		if (!read_rollup((pid_t)pid, &rss, &pss, &uss))
			continue;
		s.procs++;
		s.rss += rss;
		s.pss += pss;
		s.uss += uss;
		if (rss > s.max_rss)
			s.max_rss = rss;
	}
	closedir(d);
	if (s.rss + s.parent_rss > best->rss + best->parent_rss)
		*best = s;
}

int main(int argc, char **argv)
{
	const char *out_path = NULL;
	int mem_ms = 0;
	int opt;
	while ((opt = getopt(argc, argv, "+o:m:")) != -1) {
		if (opt == 'o')
			out_path = optarg;
		else if (opt == 'm')
			mem_ms = atoi(optarg);
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	FILE *out = out_path ? fopen(out_path, "w") : stdout;
	if (!out) {
		perror(out_path);
		return 125;
	}

	uint64_t t0 = bench_now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "bench-time: %s: %s\n", argv[optind], strerror(errno));
		_exit(125);
	}
	MemSample mem = {0};
	int pidfd = mem_ms > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (mem_ms > 0 && pidfd < 0) {
		perror("pidfd_open");
		kill(pid, SIGKILL);
		return 125;
	}
	while (pidfd >= 0) {
		sample(pid, &mem);
		struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
		int r = poll(&pfd, 1, mem_ms);
		if (r > 0 || (r < 0 && errno != EINTR))
			break;
	}
	int status = 0;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("wait4");
			return 125;
		}
	}
	uint64_t wall = bench_now_ns() - t0;
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(out, "wall_ns=%llu user_ns=%llu sys_ns=%llu maxrss_kb=%ld rc=%d",
	        (unsigned long long)wall,
	        (unsigned long long)ru.ru_utime.tv_sec * 1000000000ull +
	            (unsigned long long)ru.ru_utime.tv_usec * 1000ull,
	        (unsigned long long)ru.ru_stime.tv_sec * 1000000000ull +
	            (unsigned long long)ru.ru_stime.tv_usec * 1000ull,
	        ru.ru_maxrss, rc);
	if (mem_ms > 0)
		fprintf(out,
		        " mem_procs=%u mem_rss_kb=%lu mem_pss_kb=%lu mem_uss_kb=%lu "
		        "mem_max_rss_kb=%lu mem_daemon_rss_kb=%lu",
		        mem.procs, mem.rss, mem.pss, mem.uss, mem.max_rss, mem.parent_rss);
	fprintf(out, "\n");
	if (out != stdout)
		fclose(out);
	return rc;
usage:
	fprintf(stderr, "usage: bench-time [-o FILE] [-m MS] -- COMMAND [ARGS...]\n");
	return 125;
}
