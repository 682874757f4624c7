/*
 * bench-kernel: the kernel model alone, in-process, no task processes: system calls per
 * second through kernel_syscall() and kernel_resume(), the two calls the host makes per
 * trap. Three mixes:
 *   getrandom  one task, get_random for ever (the null call: capability check, 4 bytes);
 *   getcycle   one task, get_cycle(MICROSECONDS) (128-bit clock arithmetic);
 *   ipc        two tasks in a 64-byte send_ipc / wait_for_event ping-pong, with the
 *              library's INTR retry emulated here: elections, wake-ups, payload copies.
 * Two more mixes run only when named: the ipc mix watched by a trace writer, as the daemon's
 * loop calls it (setup, check, resume, before and after each call), writing to DIR:
 *   ipc-trace  the Chrome JSON writer (--trace), to DIR/bench.json;
 *   ipc-vcd    the VCD writer (--vcd), to DIR/bench.vcd.
 * Their ns_per_call minus the ipc mix's is what the writer costs per system call, without
 * the task processes and their hand-offs (tests/bench/run.sh, trace row).
 * Usage: bench-kernel [-m MIX] [-d DIR] N    (prints one `kernel mix=... ` line per mix)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/kernel/kernel.h"
#include "sim/observer.h"
#include "sim/trace/chrome.h"
#include "sim/trace/vcd.h"
#include "tests/bench/bench-util.h"

static void on_report(void *data, const KernelReport *r)
{
	if (r->kind != KREPORT_INFO)
		fprintf(stderr, "bench-kernel: unexpected report: %s\n", r->text);
}

/* Boot a system of |n_tasks| tasks, with observer |o| (NULL: none) set up before. */
static Kernel *boot(uint32_t n_tasks, const RunObserver *o)
{
	static const KernelTaskConfig tasks[2] = {
	    {.name = "a",
	     .label = 0x1000,
	     .priority = 1,
	     .quantum = 10,
	     .capabilities = CAP_CRY_KRNG,
	     .auto_start = true},
	    {.name = "b",
	     .label = 0x1001,
	     .priority = 1,
	     .quantum = 10,
	     .capabilities = CAP_CRY_KRNG,
	     .auto_start = true},
	};
	KernelConfig cfg;
	kernel_config_init(&cfg);
	cfg.seed = 1;
	cfg.n_tasks = n_tasks;
	cfg.tasks = tasks;
	KernelHooks hooks = {.report = on_report};
	const char *err = NULL;
	Kernel *k = kernel_new(&cfg, &hooks, NULL, &err);
	if (!k) {
		fprintf(stderr, "bench-kernel: kernel_new: %s\n", err);
		exit(1);
	}
	if (o && o->setup)
		o->setup(o->data, NULL, k);
	kernel_boot(k);
	if (o && o->boot)
		o->boot(o->data, k);
	return k;
}

/* One task calling |nr| |n| times; returns the calls made. */
static uint64_t run_single(uint32_t nr, uint32_t a0, uint64_t n)
{
	Kernel *k = boot(1, NULL);
	KernelResume res;
	uint64_t done = 0;
	if (kernel_current(k) != 0 || !kernel_resume(k, &res))
		goto out;
	for (; done < n; done++) {
		kernel_syscall(k, nr, a0, 0, 0);
		if (!kernel_resume(k, &res) || res.r0 != STATUS_OK)
			break;
	}
out:
	kernel_free(k);
	return done;
}

/* The two tasks' programs: a sends then waits, b waits then sends back. */
typedef struct {
	int pc;           /* 0: send (a) / wait (b); 1: the other one */
	uint32_t peer;    /* the peer's handle */
	bool sends_first; /* a */
} Prog;

/* System call |nr| of the current task, between the observer's callbacks as the loop
 * makes them. */
static void call(Kernel *k, const RunObserver *o, uint32_t nr, uint32_t a0, uint32_t a1)
{
	uint32_t cur = kernel_current(k);
	uint32_t args[3] = {a0, a1, 0};
	if (o && o->before_syscall)
		o->before_syscall(o->data, k, cur, nr, args);
	kernel_syscall(k, nr, a0, a1, 0);
	if (o && o->after_syscall)
		o->after_syscall(o->data, k, cur, nr);
}

/* Issue task |id|'s next system call, given the result |r0| of its previous one. */
static bool step(Kernel *k, const RunObserver *o, Prog *p, bool fresh, uint32_t r0)
{
	bool sending = (p->pc == 0) == p->sends_first;
	if (!fresh) {
		if (!sending && r0 == STATUS_INTR) {
			/* the library re-issues an interrupted wait once (uapi.md 2.4) */
		} else if (r0 != STATUS_OK) {
			fprintf(stderr, "bench-kernel: ipc: unexpected status %u\n", r0);
			return false;
		} else {
			p->pc = !p->pc;
			sending = !sending;
		}
	}
	if (sending) {
		memset(kernel_exchange(k, kernel_current(k)), 0x5a, 64);
		call(k, o, SYSCALL_SEND_IPC, p->peer, 64);
	} else {
		call(k, o, SYSCALL_WAIT_FOR_EVENT, EVENT_TYPE_IPC, 0);
	}
	return true;
}

/* The ping-pong for |n| system calls, watched by |o| (NULL: none). */
static uint64_t run_ipc(uint64_t n, const RunObserver *o)
{
	Kernel *k = boot(2, o);
	Prog progs[2] = {
	    {.peer = kernel_task_handle(k, 1), .sends_first = true},
	    {.peer = kernel_task_handle(k, 0), .sends_first = false},
	};
	uint64_t done = 0;
	while (done < n) {
		const char *why;
		if (o && o->check)
			o->check(o->data, k, &why);
		uint32_t cur = kernel_current(k);
		if (cur == KERNEL_NO_TASK)
			break;
		if (cur == kernel_idle_id(k)) {
			if (kernel_idle(k, 0) != KERNEL_IDLE_ADVANCED)
				break;
			continue;
		}
		KernelResume res;
		if (!kernel_resume(k, &res))
			break;
		if (o && o->resume)
			o->resume(o->data, k, cur, &res);
		if (!step(k, o, &progs[cur], res.fresh, res.r0))
			break;
		done++;
	}
	if (o && o->end)
		o->end(o->data, k, RUN_END_STOPPED, "stopped");
	kernel_free(k);
	return done;
}

typedef enum { WATCH_NONE, WATCH_TRACE, WATCH_VCD } Watch;

static const struct {
	const char *name;
	uint32_t nr, a0; /* single-task mixes */
	bool ipc;
	Watch watch; /* run only when named */
} mixes[] = {
    {.name = "getrandom", .nr = SYSCALL_GET_RANDOM},
    {.name = "getcycle", .nr = SYSCALL_GET_CYCLE, .a0 = PRECISION_MICROSECONDS},
    {.name = "ipc", .ipc = true},
    {.name = "ipc-trace", .ipc = true, .watch = WATCH_TRACE},
    {.name = "ipc-vcd", .ipc = true, .watch = WATCH_VCD},
};

/* The ipc mix watched by |watch|'s writer, its file in |dir|; 0 when it cannot be written. */
static uint64_t run_watched(uint64_t n, Watch watch, const char *dir)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *path =
	    g_build_filename(dir, watch == WATCH_TRACE ? "bench.json" : "bench.vcd", NULL);
	uint64_t done = 0;
	if (watch == WATCH_TRACE) {
		g_autoptr(ChromeTrace) t = chrome_trace_new(path, &err);
		if (t) {
			RunObserver o = chrome_trace_observer(t);
			done = run_ipc(n, &o);
			if (!chrome_trace_finish(t, &err))
				done = 0;
		}
	} else {
		g_autoptr(VcdWriter) v = vcd_new(path, NULL, &err);
		if (v) {
			RunObserver o = vcd_observer(v);
			done = run_ipc(n, &o);
			if (!vcd_finish(v, &err))
				done = 0;
		}
	}
	if (err)
		fprintf(stderr, "bench-kernel: %s\n", err->message);
	return done;
}

int main(int argc, char **argv)
{
	const char *only = NULL, *dir = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "m:d:")) != -1) {
		if (opt == 'm') {
			only = optarg;
		} else if (opt == 'd') {
			dir = optarg;
		} else {
			fprintf(stderr, "usage: bench-kernel [-m MIX] [-d DIR] N\n");
			return 2;
		}
	}
	uint64_t n = optind < argc ? strtoull(argv[optind], NULL, 10) : 5000000;
	int status = 0;
	for (size_t i = 0; i < sizeof(mixes) / sizeof(mixes[0]); i++) {
		if (only ? strcmp(only, mixes[i].name) != 0 : mixes[i].watch != WATCH_NONE)
			continue;
		if (mixes[i].watch && !dir) {
			fprintf(stderr, "bench-kernel: mix %s writes a file: give -d DIR\n",
			        mixes[i].name);
			return 2;
		}
		uint64_t t0 = bench_now_ns();
		uint64_t done = mixes[i].watch ? run_watched(n, mixes[i].watch, dir)
		                : mixes[i].ipc ? run_ipc(n, NULL)
		                               : run_single(mixes[i].nr, mixes[i].a0, n);
		uint64_t dt = bench_now_ns() - t0;
		if (done != n) {
			fprintf(stderr, "bench-kernel: %s stopped after %llu calls\n",
			        mixes[i].name, (unsigned long long)done);
			status = 1;
			continue;
		}
		printf("kernel mix=%s n=%llu ns_per_call=%.1f rate=%.0f\n", mixes[i].name,
		       (unsigned long long)n, (double)dt / (double)n, (double)n * 1e9 / (double)dt);
	}
	return status;
}
