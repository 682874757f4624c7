/*
 * sanitize-hostile: a task built with -fsanitize=address,undefined that tries what the
 * boundary forbids (tests/devtools/sanitize.sh): the fidelity check is relaxed for it, the
 * boundary only by LeakSanitizer's tracer (its clone, ptrace of itself), and only because
 * the task is the first process of a PID namespace of its own. Its task name picks the
 * attempt; an attempt that works logs ESCAPED.
 * In main (under both filters):
 *   open_host   opens a host file outside its root (/etc/passwd)
 *   write_root  creates a file in its root
 *   kill_init   signals pid 1 (itself now: the call is still refused by the fidelity check)
 *   exec        runs /bin/sh
 *   core_limit  logs its core limits (soft and hard), made dumpable as for the tracer
 *   dumpable_crash  makes itself dumpable (as LeakSanitizer does) and crashes (SIGSEGV)
 *   aborts      calls abort() (a pid 1 ignores a signal it raises: abort's last resort)
 * Before the runtime boots (.preinit_array: under the boundary alone):
 *   outliveNNN  makes a process with LeakSanitizer's clone flags, named after the task,
 *               that sleeps for ever; the task naps 0.5 s and ends (the test checks that
 *               the process is gone while the run goes on)
 *   clone_kill  the same process signals every process it can (kill -1)
 *   ptrace_clone  the task traces that process (pid 2): only pid 1 may be traced
 *   traceme     PTRACE_TRACEME (pid 0)
 *   fork        fork()
 *   thread      clone() of a thread (LeakSanitizer's flags and CLONE_THREAD | CLONE_SIGHAND)
 *   core_lower  lowers its core limit (1, the helper's: 0 would still let a core through a
 *               pipe to the host's handler)
 *   clone_many  makes processes with the tracer's flags until the kernel refuses one (at
 *               most 1000), then logs how many it made
 *   sleeperNNN  a peer, named so (its process's name): naps 3 s (with --realtime, wall
 *               seconds) and logs
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <uapi/uapi.h>

#define LSAN_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED)

static void say(const char *text)
{
	size_t n = strlen(text);
	copy_to_kernel((uint8_t *)text, n);
	__sys_log(n);
}

static void nap(uint32_t ms)
{
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = ms};
	__sys_sleep(d, SLEEP_MODE_DEEP);
}

static struct rlimit core_at_start; /* read before the fidelity check (which refuses it) */

static char child_stack[64 * 1024] __attribute__((aligned(16)));
static char child_name[16];

/* The tracer-like process: named after the task, then it sleeps (or signals everything). */
static int child(void *arg)
{
	prctl(PR_SET_NAME, child_name);
	if (arg)
		syscall(SYS_kill, -1, SIGKILL);
	for (;;) {
		struct timespec t = {.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000};
		syscall(SYS_nanosleep, &t, NULL);
	}
	return 0;
}

static int made; /* clone_many's count */

/* clone_many's processes: they sleep on the kernel's side (their shared stack is not used
 * while they wait) until their PID namespace ends. */
static int sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static int make_child(int kill_all)
{
	return clone(child, child_stack + sizeof(child_stack), LSAN_FLAGS,
	             kill_all ? (void *)1 : NULL);
}

/* Before the runtime's boot: only the boundary holds. */
static void early(int argc, char **argv, char **envp)
{
	(void)envp;
	const char *name = argc > 0 ? argv[0] : "";
	strncpy(child_name, name, sizeof(child_name) - 1);
	getrlimit(RLIMIT_CORE, &core_at_start);
	if (strncmp(name, "outlive", 7) == 0) {
		make_child(0);
	} else if (strncmp(name, "sleeper", 7) == 0) {
		prctl(PR_SET_NAME, child_name);
	} else if (strcmp(name, "clone_kill") == 0) {
		make_child(1);
		for (;;)
			pause();
	} else if (strcmp(name, "ptrace_clone") == 0) {
		int pid = make_child(0);
		syscall(SYS_ptrace, PTRACE_ATTACH, pid, 0, 0);
	} else if (strcmp(name, "traceme") == 0) {
		syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
	} else if (strcmp(name, "fork") == 0) {
		if (syscall(SYS_fork) == 0)
			for (;;)
				pause();
	} else if (strcmp(name, "core_lower") == 0) {
		struct rlimit none = {0, 0};
		setrlimit(RLIMIT_CORE, &none);
	} else if (strcmp(name, "clone_many") == 0) {
		while (made < 1000 && clone(sleep_forever, child_stack + sizeof(child_stack),
		                            LSAN_FLAGS, NULL) > 0)
			made++;
	} else if (strcmp(name, "thread") == 0) {
		clone(child, child_stack + sizeof(child_stack),
		      LSAN_FLAGS | CLONE_THREAD | CLONE_SIGHAND, NULL);
	}
}
__attribute__((section(".preinit_array"), used)) static void (*early_ptr)(int, char **,
                                                                          char **) = early;

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	if (strcmp(name, "open_host") == 0) {
		int fd = open("/etc/passwd", O_RDONLY);
		say(fd >= 0 ? "ESCAPED: read a host file\n" : "held: no host file\n");
	} else if (strcmp(name, "write_root") == 0) {
		int fd = open("/planted", O_WRONLY | O_CREAT, 0644);
		say(fd >= 0 ? "ESCAPED: wrote in the root\n" : "held: the root is read-only\n");
	} else if (strcmp(name, "kill_init") == 0) {
		int rc = kill(1, SIGKILL);
		say(rc == 0 ? "ESCAPED: signalled another process\n" : "held: no signal\n");
	} else if (strcmp(name, "exec") == 0) {
		char *args[] = {"sh", "-c", "echo ESCAPED", NULL};
		execv("/bin/sh", args);
		say("held: no exec\n");
	} else if (strcmp(name, "core_limit") == 0) {
		char line[64];
		prctl(PR_SET_DUMPABLE, 1);
		snprintf(line, sizeof(line), "core limit %llu %llu, dumpable %d\n",
		         (unsigned long long)core_at_start.rlim_cur,
		         (unsigned long long)core_at_start.rlim_max, prctl(PR_GET_DUMPABLE));
		say(line);
	} else if (strcmp(name, "dumpable_crash") == 0) {
		prctl(PR_SET_DUMPABLE, 1);
		say("crashing\n");
		volatile uintptr_t nowhere = 8; /* not NULL: UBSan would report it first */
		*(volatile int *)nowhere = 1;
	} else if (strcmp(name, "aborts") == 0) {
		say("aborting\n");
		abort();
	} else if (strcmp(name, "clone_many") == 0) {
		char line[64];
		snprintf(line, sizeof(line), "%s: made %d processes\n",
		         made < 300 ? "held" : "ESCAPED", made);
		say(line);
	} else if (strncmp(name, "sleeper", 7) == 0) {
		nap(3000);
		say("done\n");
	} else if (strncmp(name, "outlive", 7) == 0) {
		nap(500);
		say("task ends\n");
	} else {
		say("ESCAPED: the attempt went on\n");
	}
	return 0;
}
