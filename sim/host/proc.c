/*
 * proc.c: task processes and the daemon side of the gate handoff (see proc.h).
 *
 * A task process starts as the confinement helper (sim/host/confine-helper.c), spawned
 * with posix_spawn (nothing of the daemon's memory copied) with its shared page as fd 3,
 * /dev/null as stdin and stdout, a pipe as stderr (so that a loader error is not lost
 * before the runtime starts), its own process group (a terminal's ^C reaches only the
 * daemon) and the descriptors the helper needs (confine.h); the helper dies with the
 * daemon, turns core dumps off, enters the boundary and execs the task. A task built with
 * ASan or LSan goes on as pid 1 of a PID namespace of its own, which its helper makes, so
 * that what LeakSanitizer's tracer leaves dies with it (adopt_own_namespace,
 * docs/devtools.md).
 *
 * Waiting for a request: a spin on the page's request word, as long as the task's recent
 * gaps between an answer and its next request (a task that computes for a millisecond
 * between calls still finds the daemon awake; one that computes for longer lets it sleep
 * at once), or a few yields when the daemon and the tasks share one CPU; then futex sleep
 * with a short timeout so that the watchdog is noticed promptly. A dead child is noticed at
 * once: its SIGCHLD interrupts the sleep, and the handler's count (taskproc_child_ended)
 * ends a spin and keeps a sleep from starting after it. The daemon times its spins with
 * the clock; it tells a task how long to spin in pause iterations, timed once per daemon
 * (a task has no clock).
 *
 * A group (TaskProcGroup) holds what the processes of a run share: the doorbell page on
 * which the tasks sleep (uapi/src/wire.h), and the CPU placement: the daemon pinned to one
 * CPU (the last it may use, the same in every run), the tasks on the others. Without it,
 * the scheduler puts a task it wakes on the waker's CPU (where the data is warm): the
 * daemon and the running task then share one CPU and every system call costs two context
 * switches instead of a short spin.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <linux/sockios.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <sched.h>
#include <unistd.h>

#include <seccomp.h>

#include "sim/host/confine.h"
#include "sim/host/confine_fds.h"
#include "sim/host/debug.h"
#include "sim/host/devtools.h"
#include "sim/host/fd.h"
#include "sim/host/forksrv.h"
#include "sim/host/image.h"
#include "sim/host/memory.h"
#include "sim/host/proc.h"
#include "sim/host/sandbox.h"
#include "uapi/src/wire.h"

/* the page, the boot area and the environment area (uapi/src/wire.h) */
#define PAGE_MAP_SIZE (SENTRY_ENV_OFFSET + SENTRY_ENV_SIZE)

#define WAIT_SLICE_NS       (20 * 1000 * 1000) /* futex timeout between liveness checks */
#define BACKGROUND_SLICE_NS (20 * 1000)        /* the same while a fork server's spare is due */
/* A fixed spin (--spin N): the daemon spins this many times longer than a task, a task
 * after waking the daemon WAKE_SPIN_FACTOR times longer. */
#define DAEMON_SPIN_FACTOR 16
#define WAKE_SPIN_FACTOR   6
/* The learned spins (the default). A task waits for an answer, which comes in well under a
 * microsecond, or after the daemon's wake-up (tens of microseconds in a virtual machine)
 * if it had to wake the daemon; TASK_SPIN_NS also covers a daemon whose virtual CPU the
 * host held for a while (on a shared machine about 1% of the answers came after more
 * than 10 us, each then a wake-up). The daemon waits for the task's next request: at least
 * SPIN_MIN_NS (after a task switch the next task must wake up first), at most
 * SPIN_MAX_NS, and in between twice the longest of the task's last GAP_HISTORY gaps that
 * fits, for a gap stretched by an interrupt or the host (with a quarter more instead, 1% of
 * the calls after a steady 50 us gap found the daemon asleep, most by less than half the
 * gap). The daemon counts how long the scheduler ran other threads on its CPU during its
 * spins (each time PREEMPTED_NS or more without a turn of its loop, and an involuntary
 * switch; not when the host held the virtual CPU). Kernel threads pass by some 15 times a
 * second on a quiet machine, for tens of microseconds: the spin goes on. Once other
 * threads took CONTENDED_NS within CALM_NS, the CPU is busy: spinning would only take it
 * from them (and cost the daemon its place in the scheduler's queue when the next request
 * wakes it), so the spin stops, and for CALM_NS the daemon spins CALM_SPIN_NS at most and
 * a task that woke it spins no longer than for any answer. */
#define TASK_SPIN_NS      (50 * 1000)
#define TASK_WAKE_SPIN_NS (300 * 1000)
#define SPIN_MIN_NS       (50 * 1000)
#define SPIN_MAX_NS       (2000 * 1000)
#define GAP_HISTORY       8
#define PREEMPTED_NS      (20 * 1000)
#define CALM_NS           (100 * 1000 * 1000)
#define CALM_SPIN_NS      (150 * 1000)
#define CONTENDED_NS      (5 * 1000 * 1000)
#define SPIN_CHECK        64           /* the daemon reads the clock every SPIN_CHECK iterations */
#define TOOLS_ERR_MAX     (256 * 1024) /* what is kept of a sanitized task's stderr */
#define FLUSH_TIMEOUT_NS  (5000ull * 1000 * 1000) /* a task writes its coverage data within */

struct taskproc_group {
	uint32_t *bells;     /* the doorbell page, read-write */
	int bell_fd;         /* a read-only descriptor of it, for the children */
	gboolean placed;     /* the daemon is pinned to one CPU, the tasks run on the others */
	double pause_ns;     /* one iteration of a spin loop (a load and a pause) */
	uint64_t calm_at;    /* the daemon's CPU was contended: short spins until then */
	uint64_t lost_since; /* when the count below started */
	uint64_t lost_ns;    /* how long other threads held the daemon's CPU during its spins */
	long switched;       /* the daemon's involuntary switches when a spin last read them */
	gboolean calm;       /* until |calm_at|: tasks do not spin longer after waking the daemon */
	gboolean no_policies;   /* the daemon may not set the tasks' policies (set_preempting) */
	uint64_t background_at; /* when the spin last did the fork servers' work */
	cpu_set_t all;          /* the daemon's allowed CPUs at the start: processes boot there */
	cpu_set_t tasks;        /* the tasks' CPU: another than the daemon's */
};

struct taskproc {
	TaskProcGroup *group;
	uint32_t slot; /* word on the doorbell page */
	char *name;
	char *binary;
	uint64_t entry_offset;
	TaskProcOptions opts;

	int memfd;
	struct sentry_page *page;
	struct sentry_boot
	    *boot;            /* the second page of the memfd (the boot area of uapi/src/wire.h) */
	int listener;         /* the boundary filter's notifications (confine.h) */
	ForkServer *server;   /* the process is an instance of this fork server, or NULL */
	gboolean before_exec; /* spawned: its exec still to be let through
	                         (taskproc_release_exec) */
	pid_t pid;
	int pidfd;
	int err_fd; /* read end of the child's stderr until it boots */
	int sock;   /* our end of the window socket */
	guint n_ops;
	struct sentry_window_op ops[SENTRY_PAGE_MAX_OPS];
	int op_fds[SENTRY_PAGE_MAX_OPS]; /* one per mapping operation, in order */
	guint n_fds;
	gboolean check_fds; /* a window operation was sent: verify nothing is kept */
	clockid_t cpu_clock;
	gboolean has_cpu_clock;
	uint32_t seen_seq;
	uint64_t gaps[GAP_HISTORY]; /* its last gaps between an answer and the next request */
	guint gap_next;
	uint64_t gap_cover; /* the longest of |gaps| that a spin may cover (0: none) */
	uint64_t spin_ns;   /* the daemon's spin for its next request (learned from |gaps|) */
	uint32_t spin_iters, wake_spin_iters; /* its spins (set_task_spins) */
	uint64_t parked_cpu; /* host CPU time when first seen parked (taskproc_watch_parked) */
	gboolean parked_watch;
	gboolean sleeps_long; /* its job sleeps on a timer: taskproc_sleeps_long */
	gboolean no_preempt;  /* its process is SCHED_BATCH: set_preempting */
	char *diagnosis;
	char *fault_report; /* what debug_at_fault() said while the process was held */
	gboolean fault_held;
	guint tools;        /* DEVTOOLS_* found in the binary (devtools.h) */
	gboolean booted;    /* its runtime sent BOOT: its handlers are installed */
	GString *err_text;  /* with tools: its stderr, read all along (sanitizer reports) */
	char **tool_report; /* the sanitizer's report of the last death, line by line */
	char **tool_files;  /* with tools: the files of its root (confine_prepare) */
	char boot_message[sizeof(((struct sentry_page *)0)->message)];
	ProcImage *image;       /* with |opts.restart_in_place|: its memory at the first BOOT of */
	pid_t image_pid;        /* this process (taskproc_restart_in_place) */
	sig_atomic_t ends_seen; /* |child_ends| when its wait last looked (child_ended) */
};

/* How many children of the daemon have ended (taskproc_child_ended, from the SIGCHLD
 * handler). A SIGCHLD interrupts a futex sleep, but not one that starts after it came,
 * which would then sleep a whole WAIT_SLICE_NS: a wait compares this count before it
 * sleeps, and while it spins. */
static volatile sig_atomic_t child_ends;

void taskproc_child_ended(void)
{
	child_ends = (sig_atomic_t)((unsigned)child_ends + 1u); /* wraps, never overflows */
}

/* Whether a child ended since |p|'s wait last looked: it looks now (reap). */
static gboolean child_ended(TaskProc *p)
{
	sig_atomic_t n = child_ends;
	if (n == p->ends_seen)
		return FALSE;
	p->ends_seen = n;
	return TRUE;
}

static gboolean kept_descriptor(TaskProc *p, int *which);

static long futex_wait(uint32_t *word, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, word, FUTEX_WAIT, val, ts, NULL, 0);
}

static long futex_wake(uint32_t *word)
{
	return syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The time of one iteration of a spin loop on this machine (the least of three timings of
 * a thousand), so that a spin budget in time becomes a count a task can keep. Timed once
 * per daemon (`sentry-sim fuzz` makes a group per program). */
static double time_pause(void)
{
	static uint32_t word;
	static double timed;
	if (timed > 0)
		return timed;
	double best = 0;
	for (int k = 0; k < 3; k++) {
		uint64_t t0 = mono_ns();
		for (int i = 0; i < 1000; i++) {
			(void)__atomic_load_n(&word, __ATOMIC_ACQUIRE);
			cpu_relax();
		}
		double ns = (double)(mono_ns() - t0) / 1000.0;
		if (k == 0 || ns < best)
			best = ns;
	}
	return timed = best > 0.5 ? best : 0.5;
}

/* Pin the daemon to the last CPU it may run on if it may run on others, and give the tasks
 * the first: the same CPUs in every run (not the ones they happen to start on), so that
 * what a task reads of its CPU without a system call (rdpid, docs/architecture.md) is the
 * same in every run, and the wake-up of the next task is always on the waker's CPU. One
 * is enough: one task runs at a time. Done once per daemon and kept (`sentry-sim fuzz`
 * makes a group per program: moving the daemon to its CPU each time cost more than the
 * rest of the group). */
static void place_daemon(TaskProcGroup *g)
{
	static gboolean done, placed;
	static cpu_set_t all, tasks;
	if (!done) {
		done = TRUE;
		if (sched_getaffinity(0, sizeof(all), &all) != 0 || CPU_COUNT(&all) < 2)
			return;
		int first = -1, last = -1;
		for (int i = 0; i < CPU_SETSIZE; i++)
			if (CPU_ISSET(i, &all)) {
				first = first < 0 ? i : first;
				last = i;
			}
		cpu_set_t mine;
		CPU_ZERO(&mine);
		CPU_SET(last, &mine);
		if (sched_setaffinity(0, sizeof(mine), &mine) != 0)
			return;
		CPU_ZERO(&tasks);
		CPU_SET(first, &tasks);
		placed = TRUE;
	}
	g->all = all;
	g->tasks = tasks;
	g->placed = placed;
}

TaskProcGroup *taskproc_group_new(gboolean place, GError **error)
{
	if (!confine_daemon_init(error))
		return NULL;
	g_autoptr(TaskProcGroup) g = g_new0(TaskProcGroup, 1);
	g->bell_fd = -1;
	sim_autofd int fd = memfd_create("sentry-doorbell", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, SENTRY_DOORBELL_SIZE) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "cannot create the doorbell page: %s", g_strerror(errno));
		return NULL;
	}
	void *m = mmap(NULL, SENTRY_DOORBELL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "cannot map the doorbell page: %s", g_strerror(errno));
		return NULL;
	}
	g->bells = m; /* unmapped by taskproc_group_free() from here on */
	/* the tasks get a read-only open file description: they can wake and wait, not ring */
	g->bell_fd = sim_reopen_read_only(fd);
	if (g->bell_fd < 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "cannot map the doorbell page: %s", g_strerror(errno));
		return NULL;
	}
	if (place)
		place_daemon(g);
	g->pause_ns = time_pause();
	forksrv_epoch();
	return g_steal_pointer(&g);
}

void taskproc_group_free(TaskProcGroup *g)
{
	if (!g)
		return;
	if (g->bells)
		munmap(g->bells, SENTRY_DOORBELL_SIZE);
	if (g->bell_fd >= 0)
		close(g->bell_fd);
	g_free(g);
}

TaskProc *taskproc_new(TaskProcGroup *g, uint32_t slot, const char *name, const char *binary,
                       uint64_t entry_offset, const TaskProcOptions *opts)
{
	g_assert(slot < SENTRY_DOORBELL_SLOTS);
	TaskProc *p = g_new0(TaskProc, 1);
	p->group = g;
	p->slot = slot;
	p->name = g_strdup(name);
	p->binary = g_strdup(binary);
	p->entry_offset = entry_offset;
	p->opts = *opts;
	p->memfd = -1;
	p->pid = -1;
	p->pidfd = -1;
	p->err_fd = -1;
	p->sock = -1;
	p->listener = -1;
	p->tools = devtools_detect(binary);
	p->err_text = g_string_new(NULL);
	p->spin_ns = SPIN_MIN_NS;
	return p;
}

void taskproc_free(TaskProc *p)
{
	if (!p)
		return;
	taskproc_kill(p);
	if (p->page)
		munmap(p->page, PAGE_MAP_SIZE);
	if (p->memfd >= 0)
		close(p->memfd);
	g_free(p->name);
	g_free(p->binary);
	g_free(p->diagnosis);
	g_free(p->fault_report);
	g_string_free(p->err_text, TRUE);
	g_strfreev(p->tool_report);
	g_strfreev(p->tool_files);
	proc_image_free(p->image);
	g_free(p);
}

/* Processes killed without waiting for them (taskproc_kill): each keeps its page until it
 * is reaped, and a reaped one's page goes to |spare_pages| for the next spawn. */
typedef struct {
	pid_t pid;
	int pidfd;
	int memfd;
	struct sentry_page *page;
	ForkServer *server; /* it was an instance of this server */
} Dying;

static GArray *dying;                   /* of Dying, for the daemon's life */
static uint64_t n_started, n_restarted; /* taskproc_counts */
static GArray *spare_pages;             /* of Dying (only |memfd| and |page|) */

/* Reap what has died of |dying| (all of it, waiting, if |block|). */
static void reap_dying(gboolean block)
{
	for (guint i = 0; dying && i < dying->len;) {
		Dying *d = &g_array_index(dying, Dying, i);
		siginfo_t si = {0};
		if (waitid(P_PIDFD, (id_t)d->pidfd, &si, WEXITED | (block ? 0 : WNOHANG)) == 0 &&
		    si.si_pid == 0) {
			i++; /* still dying */
			continue;
		}
		close(d->pidfd);
		if (d->server)
			forksrv_forget(d->server, d->pid);
		g_array_append_val(spare_pages, *d);
		g_array_remove_index_fast(dying, i);
	}
}

static void reap_all_dying(void)
{
	reap_dying(TRUE);
}

/* Kill |p|'s process and let it die while the daemon goes on: it takes its page along,
 * and its job's next process gets another. Only a process with nothing more to say: booted
 * (its stderr closed), no developer tools (their reports come at its death), no fault held
 * for the debugger. FALSE when |p|'s process is not such a one (or already dead). */
static gboolean kill_detached(TaskProc *p)
{
	siginfo_t si = {0};
	if (!p->booted || p->tools || p->fault_held || p->pidfd < 0 || p->err_fd >= 0 ||
	    waitid(P_PIDFD, (id_t)p->pidfd, &si, WEXITED | WNOHANG | WNOWAIT) != 0 ||
	    si.si_pid != 0)
		return FALSE; /* dead already: reaped as usual, for its diagnosis */
	if (syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0) != 0)
		return FALSE;
	if (!dying) {
		dying = g_array_new(FALSE, FALSE, sizeof(Dying));
		spare_pages = g_array_new(FALSE, FALSE, sizeof(Dying));
		atexit(reap_all_dying);
	}
	Dying d = {.pid = p->pid,
	           .pidfd = p->pidfd,
	           .memfd = p->memfd,
	           .page = p->page,
	           .server = p->server};
	g_array_append_val(dying, d);
	if (p->server)
		forksrv_orphan(p->server, p->pid);
	if (!p->diagnosis)
		p->diagnosis = g_strdup("killed by SIGKILL");
	p->page = NULL;
	p->boot = NULL;
	p->memfd = -1;
	p->server = NULL;
	p->pidfd = -1;
	p->pid = -1;
	sim_close_fd(&p->sock);
	sim_close_fd(&p->listener);
	p->before_exec = FALSE;
	return TRUE;
}

static gboolean map_page(TaskProc *p, GError **error)
{
	if (p->page)
		return TRUE;
	reap_dying(FALSE);
	if (spare_pages && spare_pages->len) {
		Dying *d = &g_array_index(spare_pages, Dying, spare_pages->len - 1);
		p->memfd = d->memfd;
		p->page = d->page;
		p->boot = (struct sentry_boot *)((char *)p->page + SENTRY_BOOT_OFFSET);
		g_array_set_size(spare_pages, spare_pages->len - 1);
		return TRUE;
	}
	p->memfd = memfd_create("sentry-task-page", MFD_CLOEXEC);
	if (p->memfd < 0 || ftruncate(p->memfd, PAGE_MAP_SIZE) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "task '%s': cannot create its shared page: %s", p->name,
		            g_strerror(errno));
		return FALSE;
	}
	void *m = mmap(NULL, PAGE_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, p->memfd, 0);
	if (m == MAP_FAILED) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "task '%s': cannot map its shared page: %s", p->name,
		            g_strerror(errno));
		return FALSE;
	}
	p->page = m;
	p->boot = (struct sentry_boot *)((char *)m + SENTRY_BOOT_OFFSET);
	return TRUE;
}

/* The pid of |pidfd|'s process in the daemon's namespace (its fdinfo's "Pid:"), or -1. */
static pid_t pid_of_pidfd(int pidfd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	g_autofree char *info = NULL;
	if (!g_file_get_contents(path, &info, NULL, NULL))
		return -1;
	const char *at = strstr(info, "\nPid:\t");
	return at ? (pid_t)atoi(at + strlen("\nPid:\t")) : -1;
}

/* A task with LeakSanitizer: its helper makes a PID namespace and goes on in it as pid 1,
 * a child of the daemon (confine-helper.c, enter_own_pid_namespace); the process spawned
 * (|mid|) ends. Reap it, and read the task's pid from the pidfd the helper sends first on
 * the window socket |sock|. (The daemon then treats it as any child: its pid cannot be
 * reused before the daemon reaps it.) Returns the pid, or -1 with |error| set. */
static pid_t adopt_own_namespace(TaskProc *p, pid_t mid, int sock, GError **error)
{
	int status = 0;
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	int fd = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? confine_recv_fd(sock, 'P') : -1;
	pid_t pid = fd >= 0 ? pid_of_pidfd(fd) : -1;
	if (pid <= 0) {
		if (fd >= 0) { /* unnamed: it must not go on (without the daemon's socket, it
			        * cannot: its helper's next message fails, and it exits) */
			siginfo_t si;
			if (syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0) == 0)
				waitid(P_PIDFD, (id_t)fd, &si, WEXITED);
			close(fd);
		}
		g_autofree char *said = g_strndup(p->page->message, sizeof(p->page->message));
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "task '%s': cannot start it in a PID namespace of its own%s%s", p->name,
		            *said ? ": " : "", said);
		return -1;
	}
	close(fd);
	return pid;
}

/* Start the confinement helper (confine.h) with the task's descriptors. Returns the pid,
 * or -1 with errno set. */
static pid_t spawn_helper(TaskProc *p, const ConfineStart *cs, int err_w, int sock, char **envp)
{
	G_STATIC_ASSERT(SENTRY_PAGE_FD == 3 && SENTRY_WINDOW_SOCK_FD == 4 &&
	                SENTRY_DOORBELL_FD == 5 && CONFINE_FD_POLICY == 6);
	const int fds[CONFINE_FD_POLICY] = {-1, -1, err_w, p->memfd, sock, p->group->bell_fd};
	/* a task with LeakSanitizer: its helper makes a PID namespace of its own (lsan) */
	return confine_spawn(cs, fds, p->name,
	                     p->tools & DEVTOOLS_LEAKS ? "lsan"
	                     : p->tools                ? "devtools"
	                                               : "fidelity",
	                     envp);
}

/* A task's spins (wire.h), in iterations: none when it shares the daemon's CPU (it
 * yields), else --spin's count or the default times. */
static void set_task_spins(TaskProc *p)
{
	TaskProcGroup *g = p->group;
	uint32_t spin = 0, wake = 0;
	if (g->placed && p->opts.spin_iterations) {
		spin = p->opts.spin_iterations;
		wake = spin * WAKE_SPIN_FACTOR;
	} else if (g->placed) {
		spin = (uint32_t)(TASK_SPIN_NS / g->pause_ns) + 1;
		wake = (uint32_t)(TASK_WAKE_SPIN_NS / g->pause_ns) + 1;
	}
	p->page->spin_iterations = spin;
	p->page->wake_spin_iterations = wake;
	p->spin_iters = spin;
	p->wake_spin_iters = wake;
}

/* The environment of |p|'s process; without what the run gives the task (|run_env|
 * FALSE) for a fork server, whose instances get that in their environment area. */
static char **child_env(const TaskProc *p, gboolean run_env)
{
	GPtrArray *env = g_ptr_array_new();
	g_ptr_array_add(env, g_strdup_printf("%s=%d", SENTRY_ENV_PAGE_FD, SENTRY_PAGE_FD));
	/* what the run gives this task (the program of a `sentry-sim fuzz` run), first, so
	 * that it wins over an entry kept below */
	for (const char *const *e = p->opts.env; run_env && e && *e; e++)
		g_ptr_array_add(env, g_strdup(*e));
	/* Only what the loader may need; a Sentry task has no environment. */
	/* SENTRY_FUZZ_PROG: the fuzz task run by hand under `sentry-sim run`
	 * (tests/integration/fuzz-procs.sh); `sentry-sim fuzz` gives it through opts.env */
	static const char *const keep[] = {"LD_LIBRARY_PATH", "LD_PRELOAD", "SENTRY_FUZZ_PROG"};
	for (size_t i = 0; i < G_N_ELEMENTS(keep); i++) {
		const char *v = g_getenv(keep[i]);
		if (v)
			g_ptr_array_add(env, g_strdup_printf("%s=%s", keep[i], v));
	}
	devtools_env(p->tools, env);
	g_ptr_array_add(env, NULL);
	return (char **)g_ptr_array_free(env, FALSE);
}

/* The process of |p| (|p->pid|) has started: the daemon's ends of its window socket and
 * stderr pipe are |p|'s now. */
static void started(TaskProc *p, int *sock_d, int *err_r)
{
	/* it boots on every CPU; on the task CPUs once booted (taskproc_wait) */
	if (p->group->placed)
		sched_setaffinity(p->pid, sizeof(p->group->all), &p->group->all);
	p->sock = sim_steal_fd(sock_d);
	p->before_exec = FALSE;
	p->n_ops = 0;
	p->n_fds = 0;
	p->check_fds = FALSE;
	p->err_fd = sim_steal_fd(err_r);
	fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
	p->has_cpu_clock = clock_getcpuclockid(p->pid, &p->cpu_clock) == 0;
}

/* The boundary refused a call of |data|'s instance (forksrv.h): fault it now, as
 * taskproc_wait does with a process's own listener. */
static void instance_refused(void *data, const char *call)
{
	g_autofree char *why = g_strdup_printf("the boundary refused host system call %s (the "
	                                       "task is confined: no other program, process, "
	                                       "signal or limit outside itself)",
	                                       call);
	taskproc_fail(data, why);
}

/* Start |p| as an instance of its binary's fork server (forksrv.h), with the run's
 * environment in its environment area and the daemon's end of its window socket in
 * |*sock_d|; FALSE if it cannot (no server for it, or the server failed: the caller starts
 * it with fork and exec). */
/* The run's environment for |p| in its environment area (wire.h); FALSE if it does not fit. */
static gboolean write_env_area(TaskProc *p)
{
	char *area = (char *)p->page + SENTRY_ENV_OFFSET;
	size_t at = 0;
	for (const char *const *e = p->opts.env; e && *e; e++) {
		size_t n = strlen(*e) + 1;
		if (at + n > SENTRY_ENV_SIZE)
			return FALSE;
		memcpy(area + at, *e, n);
		at += n;
	}
	p->boot->env_len = (uint32_t)at;
	p->boot->env_gen++;
	return TRUE;
}

static gboolean spawn_instance(TaskProc *p, int err_w, int *sock_d)
{
	if (!p->opts.fork_server || p->tools || p->opts.core_dir || !write_env_area(p))
		return FALSE;
	g_auto(GStrv) envp = child_env(p, FALSE);
	ForkServer *s = forksrv_get(p->binary, p->name, envp, NULL);
	if (!s)
		return FALSE;
	p->boot->flags |= SENTRY_BOOT_ENV;
	const int fds[3] = {err_w, p->memfd, p->group->bell_fd};
	int pidfd = -1;
	pid_t pid = forksrv_fork(s, fds, p->boot, p->group->placed ? &p->group->tasks : NULL,
	                         instance_refused, p, &pidfd, sock_d, NULL);
	if (pid < 0) {
		p->boot->flags &= ~SENTRY_BOOT_ENV;
		return FALSE;
	}
	p->server = s;
	p->pid = pid;
	p->pidfd = pidfd;
	return TRUE;
}

/* A start of |p|'s job in its process, new or restarted in place: what the daemon knew of
 * the last one goes, and the spins start again. */
static void new_start(TaskProc *p)
{
	set_task_spins(p);
	p->booted = FALSE;
	p->fault_held = FALSE;
	g_clear_pointer(&p->fault_report, g_free);
	g_clear_pointer(&p->diagnosis, g_free);
	g_clear_pointer(&p->tool_report, g_strfreev);
	p->boot_message[0] = '\0';
}

gboolean taskproc_spawn(TaskProc *p, GError **error)
{
	taskproc_flush_tools(p); /* a respawn: the old process's coverage first */
	taskproc_kill(p);
	if (!map_page(p, error))
		return FALSE;
	memset(p->page, 0, SENTRY_ENV_OFFSET); /* the environment area: only its length used */
	p->page->magic = SENTRY_PAGE_MAGIC;
	p->page->exchange_len = p->opts.exchange_len;
	p->page->entry_offset = p->entry_offset;
	p->boot->flags = (p->opts.host_tsc ? SENTRY_BOOT_HOST_TSC : 0) |
	                 (p->opts.symbolize || p->opts.core_dir ? SENTRY_BOOT_HOLD_FAULT : 0) |
	                 (p->tools ? SENTRY_BOOT_DEVTOOLS : 0) |
	                 (p->tools & DEVTOOLS_SANITIZERS ? SENTRY_BOOT_KEEP_VDSO : 0);
	p->page->doorbell_slot = p->slot;
	p->page->exchange_whole = p->opts.whole_exchange;
	p->seen_seq = 0;
	p->ends_seen = child_ends; /* the children that ended before it are not its */
	p->no_preempt = FALSE;     /* a new process: the daemon's policy, or its server's (a
	                              process restarted in place keeps its own) */
	g_string_truncate(p->err_text, 0);
	new_start(p);

	/* the daemon's and the task's ends of the error pipe and of the window socket (an
	 * instance of a fork server has its own) */
	sim_autofd int sock_d = -1, sock_t = -1, err_r = -1, err_w = -1;
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "task '%s': pipe: %s", p->name,
		            g_strerror(errno));
		return FALSE;
	}
	err_r = errpipe[0];
	err_w = errpipe[1];
	p->server = NULL;
	if (spawn_instance(p, err_w, &sock_d)) {
		started(p, &sock_d, &err_r);
		n_started++;
		return TRUE;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "task '%s': socketpair: %s",
		            p->name, g_strerror(errno));
		return FALSE;
	}
	sock_d = sv[0];
	sock_t = sv[1];
	g_auto(GStrv) envp = child_env(p, TRUE);
	ConfineStart cs;
	char *task_argv[] = {p->name, NULL};
	DevtoolsChild tools = {.kinds = p->tools,
	                       .coverage_dir = p->opts.coverage_dir,
	                       .envp = envp,
	                       .argv = task_argv};
	if (!confine_prepare(p->binary, p->tools ? &tools : NULL, &cs, error))
		return FALSE;
	if (p->tools) { /* for the names in a sanitizer's report (reap) */
		g_strfreev(p->tool_files);
		p->tool_files = g_strdupv((char **)cs.files);
	}
	pid_t pid = spawn_helper(p, &cs, err_w, sock_t, envp);
	if (pid < 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "task '%s': cannot start %s: %s",
		            p->name, cs.helper, g_strerror(errno));
		return FALSE;
	}
	sim_close_fd(&sock_t); /* the task's copies only: a helper that fails closes the socket */
	if (p->tools & DEVTOOLS_LEAKS && (pid = adopt_own_namespace(p, pid, sock_d, error)) < 0)
		return FALSE;
	p->pid = pid;
	p->pidfd = pidfd_open_(pid);
	started(p, &sock_d, &err_r);
	/* its exec is let through when the daemon first waits for it, so that the children of
	 * a run set up their boundaries in parallel */
	p->before_exec = TRUE;
	n_started++;
	return TRUE;
}

gboolean taskproc_alive(const TaskProc *p)
{
	return p->pid > 0;
}

pid_t taskproc_pid(const TaskProc *p)
{
	return p->pid;
}

const char *taskproc_boot_message(TaskProc *p)
{
	return p->boot_message;
}

void taskproc_fail(TaskProc *p, const char *why)
{
	taskproc_kill(p);
	g_free(p->diagnosis);
	p->diagnosis = g_strdup(why);
}

char *const *taskproc_tool_report(const TaskProc *p)
{
	return p->tool_report;
}

const char *taskproc_diagnosis(const TaskProc *p)
{
	return p->diagnosis ? p->diagnosis : "";
}

static uint64_t cpu_ns(TaskProc *p)
{
	struct timespec ts;
	if (!p->has_cpu_clock || clock_gettime(p->cpu_clock, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *code_name(int sig, int code)
{
	switch (sig) {
	case SIGSEGV:
		return code == SEGV_MAPERR   ? "SEGV_MAPERR: no mapping at that address"
		       : code == SEGV_ACCERR ? "SEGV_ACCERR: access not permitted"
		                             : NULL;
	case SIGBUS:
		return code == BUS_ADRALN ? "BUS_ADRALN" : code == BUS_ADRERR ? "BUS_ADRERR" : NULL;
	case SIGILL:
		return code == ILL_ILLOPN ? "ILL_ILLOPN" : code == ILL_ILLOPC ? "ILL_ILLOPC" : NULL;
	case SIGFPE:
		return code == FPE_INTDIV ? "FPE_INTDIV: integer divide by zero" : NULL;
	default:
		return NULL;
	}
}

/* Compose the diagnosis of a dead child from its wait status and what its runtime
 * recorded on the page (the task's own words: only printed, never trusted). */
static char *diagnose(TaskProc *p, const siginfo_t *si)
{
	struct sentry_page *pg = p->page;
	uint32_t rec = __atomic_load_n(&pg->fault_signo, __ATOMIC_ACQUIRE);
	if (si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED) {
		int sig = si->si_status;
		if (sig == SIGSYS && rec == SIGSYS) {
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
			                                              (int)pg->fault_syscall);
			const char *hint =
			    (name && (!strcmp(name, "write") || !strcmp(name, "writev")))
			        ? " (a task has no host I/O: log with __sys_log or "
			          "shield's printf)"
			    : (name && (!strcmp(name, "mmap") || !strcmp(name, "brk") ||
			                !strcmp(name, "mprotect")))
			        ? " (a task has no heap growth or mappings of its own on "
			          "the MCU)"
			        : "";
			char *d = g_strdup_printf(
			    "forbidden host system call '%s' (%" PRIu32 ") at ip 0x%" PRIx64 "%s",
			    name ? name : "?", pg->fault_syscall, pg->fault_ip, hint);
			free(name);
			return d;
		}
		if (sig == SIGSYS)
			return g_strdup("forbidden host system call (SIGSYS, without the runtime's "
			                "record of which)");
		if (rec == (uint32_t)sig && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
		                             sig == SIGFPE || sig == SIGTRAP)) {
			const char *cn = code_name(sig, pg->fault_code);
			g_autofree char *what =
			    cn ? g_strdup_printf("SIG%s (%s)", sigabbrev_np(sig), cn)
			       : g_strdup_printf("SIG%s", sigabbrev_np(sig));
			return g_strdup_printf("%s at address 0x%" PRIx64 ", ip 0x%" PRIx64 "%s",
			                       what, pg->fault_addr, pg->fault_ip,
			                       pg->fault_stack_overflow ? " (stack overflow)" : "");
		}
		if (sig == SIGABRT)
			return g_strdup("abort() (SIGABRT)");
		if (sig == SIGSEGV && rec == SIGABRT) /* a pid 1 (a task with LeakSanitizer) */
			return g_strdup(
			    "abort() (SIGABRT, which the first process of a PID namespace "
			    "ignores when it raises it; it died of abort()'s last resort, "
			    "SIGSEGV)");
		return g_strdup_printf("killed by SIG%s", sigabbrev_np(sig));
	}
	if (si->si_status == 127 && pg->message[0]) {
		/* the page is the task's to write: its words are quoted, never taken as ours */
		g_autofree char *said = g_strndup(pg->message, sizeof(pg->message));
		return g_strdup_printf("the process exited with status 127; its page said: \"%s\"",
		                       said);
	}
	return g_strdup_printf("the task process exited with status %d without calling "
	                       "__sys_exit (a host exit or _exit)",
	                       si->si_status);
}

/* A task with developer tools keeps its stderr after boot (their reports): take what it
 * wrote so far, so that it never blocks on a full pipe. */
static void drain_stderr(TaskProc *p)
{
	char buf[4096];
	ssize_t n;
	while (p->tools && p->err_fd >= 0 && (n = read(p->err_fd, buf, sizeof(buf))) > 0)
		if (p->err_text->len < TOOLS_ERR_MAX)
			g_string_append_len(p->err_text, buf, (gsize)n);
}

static void read_stderr(TaskProc *p, GString *out)
{
	if (p->err_fd < 0)
		return;
	char buf[512];
	ssize_t n;
	while (out->len < 1024 && (n = read(p->err_fd, buf, sizeof(buf))) > 0)
		g_string_append_len(out, buf, n);
	close(p->err_fd);
	p->err_fd = -1;
}

/* Reap the child if it has exited; returns TRUE (and sets the diagnosis) if so. */
static gboolean reap(TaskProc *p, gboolean block)
{
	if (p->pid <= 0)
		return TRUE;
	siginfo_t si = {0};
	int flags = WEXITED | (block ? 0 : WNOHANG);
	int rc = p->pidfd >= 0 ? waitid(P_PIDFD, (id_t)p->pidfd, &si, flags)
	                       : waitid(P_PID, (id_t)p->pid, &si, flags);
	if (rc != 0 || si.si_pid == 0)
		return FALSE;
	drain_stderr(p);
	g_autofree char *tool = p->tools ? devtools_summary(p->err_text->str) : NULL;
	if (tool && si.si_code != CLD_EXITED) { /* killed while it reported: say by what */
		g_autofree char *d = diagnose(p, &si);
		g_autofree char *both = g_strdup_printf("%s (its report was cut: %s)", tool, d);
		g_free(tool);
		tool = g_steal_pointer(&both);
	}
	if (tool) {
		/* the sanitizer's words are the task's: only shown, escaped by the report */
		g_free(p->diagnosis);
		p->diagnosis = g_steal_pointer(&tool);
		p->tool_report = devtools_report_lines(p->err_text->str);
		devtools_symbolize(p->tool_report, &p->diagnosis, p->tool_files);
	}
	if (!p->diagnosis) {
		g_autofree char *d = diagnose(p, &si);
		if (p->fault_report && p->fault_report[0]) {
			char *with = g_strconcat(d, p->fault_report, NULL);
			g_free(d);
			d = with;
		}
		g_autoptr(GString) err = g_string_new(NULL);
		if (p->tools)
			g_string_append_len(err, p->err_text->str, MIN(p->err_text->len, 1024));
		else
			read_stderr(p, err);
		g_strstrip(err->str);
		if (err->str[0])
			p->diagnosis = g_strdup_printf("%s; its stderr said: \"%s\"", d, err->str);
		else
			p->diagnosis = g_steal_pointer(&d);
	}
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->err_fd >= 0) {
		close(p->err_fd);
		p->err_fd = -1;
	}
	if (p->server)
		forksrv_forget(p->server, p->pid);
	p->server = NULL;
	p->pidfd = -1;
	p->pid = -1;
	if (p->sock >= 0) {
		close(p->sock);
		p->sock = -1;
	}
	if (p->listener >= 0) {
		close(p->listener);
		p->listener = -1;
	}
	p->before_exec = FALSE;
	return TRUE;
}

void taskproc_kill_begin(TaskProc *p)
{
	if (!p || p->pid <= 0)
		return;
	if (p->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0);
	else
		kill(p->pid, SIGKILL);
}

void taskproc_kill(TaskProc *p)
{
	if (p->pid <= 0 || kill_detached(p))
		return;
	taskproc_kill_begin(p);
	g_autofree char *keep = g_steal_pointer(&p->diagnosis);
	reap(p, TRUE);
	if (keep) {
		g_free(p->diagnosis);
		p->diagnosis = g_steal_pointer(&keep);
	}
}

/* The process is held at its fault (SENTRY_BOOT_HOLD_FAULT): read it, then release it.
 * TRUE when it was held (it dies next). */
static gboolean handle_held_fault(TaskProc *p)
{
	struct sentry_page *pg = p->page;
	if (p->fault_held || p->pid <= 0 || !(p->boot->flags & SENTRY_BOOT_HOLD_FAULT) ||
	    !__atomic_load_n(&pg->fault_signo, __ATOMIC_ACQUIRE))
		return FALSE;
	p->fault_held = TRUE;
	g_free(p->fault_report);
	p->fault_report =
	    debug_at_fault(p->pid, p->name, pg->fault_ip, p->opts.symbolize, p->opts.core_dir);
	__atomic_store_n(&pg->fault_release, 1, __ATOMIC_RELEASE);
	futex_wake(&pg->fault_release);
	return TRUE;
}

gboolean taskproc_flush_tools(TaskProc *p)
{
	if (!(p->tools & DEVTOOLS_GCOV) || p->pid <= 0 || p->pidfd < 0 || !p->booted ||
	    __atomic_load_n(&p->page->fault_signo, __ATOMIC_ACQUIRE))
		return FALSE;
	uint32_t *served = &p->boot->devtools_flushed;
	uint32_t before = __atomic_load_n(served, __ATOMIC_ACQUIRE);
	if (syscall(SYS_pidfd_send_signal, p->pidfd, SENTRY_FLUSH_SIGNAL, NULL, 0) != 0)
		return FALSE;
	uint64_t until = mono_ns() + FLUSH_TIMEOUT_NS;
	while (__atomic_load_n(served, __ATOMIC_ACQUIRE) == before) {
		if (mono_ns() > until || reap(p, FALSE))
			return FALSE;
		g_usleep(1000);
	}
	return TRUE;
}

/* One more gap of |p| between an answer and its next request: the daemon's next spin
 * covers the longest recent gap that a spin may cover (none: the shortest spin). Called
 * with every request: the history is scanned again only when the gap it drops was the
 * longest. */
static void learn_gap(TaskProc *p, uint64_t gap_ns)
{
	uint64_t *slot = &p->gaps[p->gap_next++ % GAP_HISTORY];
	uint64_t dropped = *slot;
	*slot = gap_ns;
	if (gap_ns <= SPIN_MAX_NS && gap_ns >= p->gap_cover) {
		p->gap_cover = gap_ns;
	} else if (dropped == p->gap_cover) {
		p->gap_cover = 0;
		for (guint i = 0; i < GAP_HISTORY; i++)
			if (p->gaps[i] <= SPIN_MAX_NS && p->gaps[i] > p->gap_cover)
				p->gap_cover = p->gaps[i];
	}
	p->spin_ns = CLAMP(2 * p->gap_cover, SPIN_MIN_NS, SPIN_MAX_NS);
}

/* A task's runtime found that rdtsc does not trap on this host (wire.h, tsc_untrapped):
 * said once per daemon, since the host is the same for every task. */
static void warn_untrapped_tsc(TaskProc *p)
{
	static gboolean warned;
	if (warned || !p->boot->tsc_untrapped)
		return;
	warned = TRUE;
	g_printerr("sentry-sim: warning: this host does not make rdtsc trap (it accepts "
	           "PR_SET_TSC and ignores it, as some virtual machines do): a task's rdtsc and "
	           "rdtscp read the host's counter and CPU number, not virtual cycles, and a run "
	           "whose tasks read them is not deterministic\n");
}

/* How many times the scheduler has taken the CPU from the daemon's thread. */
static long involuntary_switches(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : 0;
}

/* Wait for |p|'s next request without sleeping: TRUE with |*seq| if it came. A spin of
 * the learned length (a fixed one with --spin), cut short when another thread needed the
 * CPU; the clock is read only every SPIN_CHECK iterations, so that a request that comes
 * at once costs none. On a CPU shared with the tasks, a few yields. FALSE with
 * the time spun in |*spun_ns| once it runs out. */
static gboolean spin_for(TaskProc *p, gboolean booting, uint32_t *seq, uint64_t *spun_ns)
{
	TaskProcGroup *g = p->group;
	uint32_t *word = &p->page->req_seq;
	if (!g->placed) {
		for (uint32_t i = 0; i < SENTRY_YIELDS; i++) {
			*seq = __atomic_load_n(word, __ATOMIC_ACQUIRE);
			if (*seq != p->seen_seq)
				return TRUE;
			sched_yield();
		}
		return FALSE;
	}
	uint64_t budget =
	    p->opts.spin_iterations
	        ? (uint64_t)(p->opts.spin_iterations * DAEMON_SPIN_FACTOR * g->pause_ns)
	    : booting ? SPIN_MIN_NS
	              : p->spin_ns;
	uint64_t t0 = 0, last = 0;
	uint64_t slice = (uint64_t)(SPIN_CHECK * g->pause_ns);
	for (uint32_t i = 1;; i++) {
		*seq = __atomic_load_n(word, __ATOMIC_ACQUIRE);
		if (*seq != p->seen_seq) {
			if (!booting)
				learn_gap(p, t0 ? mono_ns() - t0 : (uint64_t)(i * g->pause_ns));
			return TRUE;
		}
		cpu_relax();
		if (i % SPIN_CHECK)
			continue;
		if (child_ends != p->ends_seen)
			return FALSE; /* a child ended: the wait looks whether it was this one */
		uint64_t now = mono_ns();
		if (!t0) { /* the clock starts now: count what was spun before */
			t0 = last = now - slice;
			if (now < g->calm_at)
				budget = MIN(budget, CALM_SPIN_NS);
			else
				g->calm = FALSE;
		}
		/* out of time, or the scheduler gave our CPU to another thread for a while (a
		 * turn took long, and not because the host held our virtual CPU): it has
		 * other work, which the spin would take the CPU from. The switches are read
		 * only after a long turn, and compared with the last such reading: a read when
		 * every spin began cost each wait a host call (a wake-up in virtual time about
		 * 2% more), and a switch outside the spins is rare enough to be counted with
		 * the next long turn */
		gboolean preempted = FALSE;
		if (now - last > PREEMPTED_NS + 4 * slice) {
			long sw = involuntary_switches();
			preempted = sw != g->switched;
			g->switched = sw;
		}
		/* a fork server's spare on its way: its clone let through, its hello noted (and
		 * checked while a process boots), a few times a spin (forksrv.h) */
		if (forksrv_due() && now - g->background_at > BACKGROUND_SLICE_NS) {
			g->background_at = now;
			forksrv_background(booting);
		}
		gboolean contended = FALSE;
		if (preempted) {
			/* kernel threads pass by now and then (some 15 times a second on a quiet
			 * virtual machine), for tens of microseconds: the spin goes on. Other
			 * threads holding the CPU for CONTENDED_NS within CALM_NS: it is busy */
			if (now - g->lost_since > CALM_NS) {
				g->lost_since = now;
				g->lost_ns = 0;
			}
			g->lost_ns += now - last;
			contended = g->lost_ns >= CONTENDED_NS || now < g->calm_at;
			if (contended) {
				g->calm_at = now + CALM_NS;
				g->calm = TRUE;
			}
		}
		if (now - t0 >= budget || contended) {
			*spun_ns = now - t0;
			return FALSE;
		}
		last = now;
	}
}

void taskproc_release_exec(TaskProc *p)
{
	if (p->before_exec) {
		/* a failure here is the child's: it dies, and taskproc_wait diagnoses it */
		p->before_exec = FALSE;
		p->listener = confine_first_exec(p->sock, NULL);
	}
}

/* A process that can be restarted in place (its runtime says so, wire.h) booted for the
 * first time: keep its memory as it is now, waiting for the BOOT answer. Its later BOOTs
 * (after a restart in place) keep the first image. */
static void keep_image(TaskProc *p)
{
	if (!p->opts.restart_in_place || p->tools || p->image_pid == p->pid ||
	    __atomic_load_n(&p->page->restart, __ATOMIC_ACQUIRE) != SENTRY_RESTART_CAN)
		return;
	g_clear_pointer(&p->image, proc_image_free);
	p->image = proc_image_take(p->pid);
	p->image_pid = p->pid;
}

gboolean taskproc_adopt(TaskProc *p, const char *name, const char *binary, uint64_t entry_offset,
                        const TaskProcOptions *opts)
{
	const TaskProcOptions *o = &p->opts;
	/* what the runtime read at its first boot, which its image keeps (wire.h) */
	if (!taskproc_can_restart_in_place(p) || strcmp(p->name, name) != 0 ||
	    strcmp(p->binary, binary) != 0 || p->entry_offset != entry_offset ||
	    !opts->restart_in_place || o->host_tsc != opts->host_tsc ||
	    o->symbolize != opts->symbolize || o->core_dir || opts->core_dir || o->coverage_dir ||
	    opts->coverage_dir)
		return FALSE;
	TaskProcOptions was = p->opts;
	p->opts = *opts;
	if (!write_env_area(p)) {
		p->opts = was;
		return FALSE;
	}
	p->boot->flags |= SENTRY_BOOT_ENV;
	return TRUE;
}

void taskproc_counts(uint64_t *started, uint64_t *restarted)
{
	*started = n_started;
	*restarted = n_restarted;
}

gboolean taskproc_can_restart_in_place(TaskProc *p)
{
	return p->image && p->image_pid == p->pid && p->booted && !p->fault_held &&
	       !__atomic_load_n(&p->page->fault_signo, __ATOMIC_ACQUIRE) && taskproc_alive(p);
}

#define RESTART_WAIT_NS (1000u * 1000 * 1000) /* a process answers the restart signal */

/* Wait until |p|'s restart handler waits (SENTRY_RESTART_WAITING): FALSE if it died or did
 * not get there in time. */
static gboolean await_restart_handler(TaskProc *p)
{
	uint32_t *state = &p->page->restart;
	uint64_t start = mono_ns();
	for (uint32_t i = 1;; i++) {
		if (__atomic_load_n(state, __ATOMIC_ACQUIRE) == SENTRY_RESTART_WAITING)
			return TRUE;
		if (i % SPIN_CHECK) {
			cpu_relax();
			continue;
		}
		uint64_t now = mono_ns();
		if (now - start > RESTART_WAIT_NS || (child_ended(p) && reap(p, FALSE)))
			return FALSE;
		if (now - start > SPIN_MIN_NS)
			g_usleep(20);
	}
}

gboolean taskproc_restart_in_place(TaskProc *p)
{
	if (!taskproc_can_restart_in_place(p))
		return FALSE;
	struct sentry_page *pg = p->page;
	__atomic_store_n(&pg->restart, SENTRY_RESTART_ASKED, __ATOMIC_SEQ_CST);
	if (syscall(SYS_pidfd_send_signal, p->pidfd, SENTRY_RESTART_SIGNAL, NULL, 0) != 0 ||
	    !await_restart_handler(p) || !proc_image_write(p->image, p->pid))
		return FALSE;
	/* the page as a new process finds it, but for the request counters, which go on */
	memset(pg->exch, 0, sizeof(pg->exch));
	memset(pg->message, 0, sizeof(pg->message));
	pg->park = 0;
	pg->wake = 0;
	pg->n_ops = 0;
	pg->resp_xlen = 0;
	/* read again by the runtime after the restart: they may differ in another run */
	pg->exchange_len = p->opts.exchange_len;
	pg->exchange_whole = p->opts.whole_exchange;
	new_start(p);
	n_restarted++;
	__atomic_store_n(&pg->restart, SENTRY_RESTART_GO, __ATOMIC_SEQ_CST);
	futex_wake(&pg->restart);
	/* its mappings are compared while it wakes up and goes back to its BOOT request, which
	 * changes none (the comparison is the longest step of a restart, about 40 us, and a
	 * restart took 30 us less on average this way). If they differ, the process never
	 * gets its BOOT answer: the new one started instead kills it. */
	return proc_image_same_mappings(p->image, p->pid);
}

static const volatile sig_atomic_t *stop_flag;

void taskproc_stop_flag(const volatile sig_atomic_t *flag)
{
	stop_flag = flag;
}

/* Whether |pid| sleeps in a system call now (state S in /proc/PID/stat). */
static gboolean sleeping(pid_t pid)
{
	char path[64], text[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return FALSE;
	text[n] = '\0';
	const char *end = strrchr(text, ')'); /* the name may hold anything */
	return end && end[1] == ' ' && end[2] == 'S';
}

TaskProcWait taskproc_wait(TaskProc *p, gboolean booting, TaskRequest *req)
{
	struct sentry_page *pg = p->page;
	uint32_t *word = &pg->req_seq;
	taskproc_release_exec(p);
	/* the clocks are read only once the fast path is over: reading another process's CPU
	 * clock is a system call that takes its run-queue lock */
	uint64_t start_cpu = 0, start_wall = 0;
	gboolean clocks = FALSE;
	uint32_t seq = 0;
	uint64_t spun_ns = 0;      /* how long the spin below lasted, if it ran out */
	uint64_t asleep_since = 0; /* wall time since which it sleeps outside its gate (0: not) */
	if (spin_for(p, booting, &seq, &spun_ns))
		goto got;
	for (;;) {
		if (stop_flag && *stop_flag)
			return TASKPROC_STOPPED;
		if (!clocks) {
			start_cpu = cpu_ns(p);
			start_wall = mono_ns();
			clocks = TRUE;
		}
		if (handle_held_fault(p)) { /* the time it took was not the task's */
			start_cpu = cpu_ns(p);
			start_wall = mono_ns();
		}
		/* answered, and still asleep: the task asked to wake it has not (yet) */
		if (__atomic_load_n(&pg->task_sleeping, __ATOMIC_SEQ_CST))
			futex_wake(&p->group->bells[p->slot]);
		/* while a process boots, the fork servers' next instances are made and checked
		 * (forksrv.h): the daemon has nothing else to do, and they are on the way of the
		 * next task start otherwise */
		gboolean background = forksrv_background(booting) && booting;
		__atomic_store_n(&pg->daemon_sleeping, 1, __ATOMIC_SEQ_CST);
		seq = __atomic_load_n(word, __ATOMIC_SEQ_CST);
		if (seq == p->seen_seq && !child_ended(p)) {
			struct timespec ts = {0, background ? BACKGROUND_SLICE_NS : WAIT_SLICE_NS};
			futex_wait(word, seq, &ts);
		}
		__atomic_store_n(&pg->daemon_sleeping, 0, __ATOMIC_RELAXED);
		seq = __atomic_load_n(word, __ATOMIC_ACQUIRE);
		if (seq != p->seen_seq) {
			if (!booting)
				learn_gap(p, spun_ns + (mono_ns() - start_wall));
			goto got;
		}
		drain_stderr(p);
		if (p->server)
			forksrv_poll(p->server); /* its refused calls: faulted, reaped below */
		if (reap(p, FALSE))
			return TASKPROC_DIED;
		g_autofree char *refused = confine_refused(p->listener);
		if (refused) {
			g_autofree char *why = g_strdup_printf(
			    "the boundary refused host system call %s (the task is confined: "
			    "no other program, process, signal or limit outside itself)",
			    refused);
			taskproc_fail(p, why);
			return TASKPROC_DIED;
		}
		if (booting && p->opts.boot_timeout_ms &&
		    mono_ns() - start_wall > (uint64_t)p->opts.boot_timeout_ms * 1000000u) {
			g_autofree char *why = g_strdup_printf(
			    "the process did not reach the sentry-sim runtime within %u ms (is "
			    "'%s' linked with libsentry-uapi?)",
			    p->opts.boot_timeout_ms, p->binary);
			taskproc_fail(p, why);
			return TASKPROC_TIMEOUT;
		}
		/* its job runs, and its process sleeps without a request: blocked in a host
		 * call it may make (a futex of its own), where no CPU time counts */
		uint64_t now = mono_ns();
		asleep_since = !booting && p->opts.watchdog_ms && sleeping(p->pid)
		                   ? (asleep_since ? asleep_since : now)
		                   : 0;
		/* the watchdog, on either: blocked without CPU time, or spinning on it */
		uint64_t limit_ns = (uint64_t)p->opts.watchdog_ms * 1000000u;
		const char *how =
		    asleep_since && now - asleep_since > limit_ns
		        ? "blocked %u ms in a host system call while its job ran (a task waits "
		          "only in the kernel's calls)"
		    : !booting && p->opts.watchdog_ms && cpu_ns(p) - start_cpu > limit_ns
		        ? "ran %u ms of host CPU time without a system call (a task that spins "
		          "starves every other task on the MCU)"
		        : NULL;
		if (how) {
			g_autofree char *what = g_strdup_printf(how, p->opts.watchdog_ms);
			g_autofree char *why = g_strdup_printf("watchdog: %s", what);
			taskproc_fail(p, why);
			return TASKPROC_WATCHDOG;
		}
	}
got:
	p->seen_seq = seq;
	if (p->check_fds) {
		int fd;
		p->check_fds = FALSE;
		if (kept_descriptor(p, &fd)) {
			g_autofree char *why =
			    fd < 0 ? g_strdup("the daemon cannot verify the descriptors it holds "
			                      "after a window operation")
			           : g_strdup_printf("kept a board memory descriptor (fd %d) after "
			                             "a window operation (a task holds only "
			                             "what it may access now)",
			                             fd);
			taskproc_fail(p, why);
			return TASKPROC_DIED;
		}
	}
	req->kind = pg->req_kind;
	req->nr = pg->nr;
	req->args[0] = pg->args[0];
	req->args[1] = pg->args[1];
	req->args[2] = pg->args[2];
	if (req->kind == SENTRY_REQ_BOOT_FAILED || req->kind == SENTRY_REQ_WINDOW_FAILED) {
		memcpy(p->boot_message, pg->message, sizeof(p->boot_message));
		p->boot_message[sizeof(p->boot_message) - 1] = '\0';
	}
	if (booting && req->kind == SENTRY_REQ_BOOT) {
		p->booted = TRUE;
		keep_image(p);
		warn_untrapped_tsc(p);
	}
	if (booting && req->kind == SENTRY_REQ_BOOT && p->group->placed)
		sched_setaffinity(p->pid, sizeof(p->group->tasks), &p->group->tasks);
	if (booting && p->err_fd >= 0 && req->kind != SENTRY_REQ_BOOT_FAILED && !p->tools) {
		close(p->err_fd);
		p->err_fd = -1;
	}
	return TASKPROC_REQUEST;
}

void taskproc_copy_exchange(TaskProc *p, uint8_t *out, uint32_t span)
{
	struct sentry_page *pg = p->page;
	span = MIN(span, p->opts.exchange_len);
	memcpy(out, span <= SENTRY_INLINE_REQ ? pg->req_x : pg->exch, span);
}

void taskproc_whole_exchange(TaskProc *p, gboolean whole)
{
	p->opts.whole_exchange = whole;
}

void taskproc_copy_trap(TaskProc *p, struct sentry_trap *out)
{
	memcpy(out, &p->page->trap, sizeof(*out));
}

void taskproc_put_trap(TaskProc *p, const struct sentry_trap *in)
{
	memcpy(&p->page->trap, in, sizeof(*in));
}

gboolean taskproc_stage_windows(TaskProc *p, const void *ops, guint n)
{
	const WindowOp *w = ops;
	if (p->n_ops + n > SENTRY_PAGE_MAX_OPS)
		return FALSE;
	for (guint i = 0; i < n; i++) {
		p->ops[p->n_ops++] = (struct sentry_window_op){.addr = w[i].addr,
		                                               .len = w[i].len,
		                                               .offset = w[i].offset,
		                                               .prot = w[i].prot,
		                                               .fresh = w[i].fresh};
		if (w[i].fd >= 0) /* a trapped page's reservation comes without one */
			p->op_fds[p->n_fds++] = w[i].fd;
	}
	return TRUE;
}

/* Fault the task now (it dies; the next wait reports the death with |why|). */
static void fault_now(TaskProc *p, char *why)
{
	g_free(p->diagnosis);
	p->diagnosis = why;
	if (p->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0);
	else if (p->pid > 0)
		kill(p->pid, SIGKILL);
}

/* Send the descriptors of the staged mapping operations, without ever blocking: the
 * task must have drained the previous message (its runtime receives before it returns
 * from the gate), else it is faulted. */
static void send_window_fds(TaskProc *p)
{
	int queued = 0;
	if (ioctl(p->sock, SIOCOUTQ, &queued) == 0 && queued > 0) {
		fault_now(p,
		          g_strdup("kept board memory descriptors unreceived on its window "
		                   "socket (a task takes what a window operation sends at once)"));
		return;
	}
	if (!p->n_fds)
		return;
	G_STATIC_ASSERT(SENTRY_PAGE_MAX_OPS <= SIM_SEND_FDS_MAX);
	if (!sim_send_fds(p->sock, p->op_fds, p->n_fds))
		fault_now(p, g_strdup_printf("cannot send the board memory over its window "
		                             "socket: %s (a task that does not drain it is "
		                             "faulted)",
		                             g_strerror(errno)));
	p->check_fds = TRUE;
}

/* After a window operation: does the task still hold a board memory descriptor? */
static gboolean kept_descriptor(TaskProc *p, int *which)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)p->pid);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (!d) { /* fail closed: what cannot be verified is not granted */
		*which = -1;
		return TRUE;
	}
	const char *name;
	while ((name = g_dir_read_name(d))) {
		char path[96], link[128];
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (g_str_has_prefix(link, "/memfd:sentry-board")) {
			*which = atoi(name);
			return TRUE;
		}
	}
	return FALSE;
}

void taskproc_sleeps_long(TaskProc *p)
{
	p->sleeps_long = TRUE;
}

/* Whether |p|'s process, woken by the task process that ran before it on their CPU, takes
 * the CPU at once (the scheduler's wake-up preemption, SCHED_OTHER) or waits until the
 * waker sleeps (SCHED_BATCH). The waker was parked: if its job is answered by |p|'s next
 * calls (an IPC exchange), taking the CPU at once saves it a sleep and a wake-up, since its
 * answer then finds it awake; if its job sleeps on a timer, it sleeps anyway, and the
 * preemption only costs a switch back to it so that it can (a wake-up in virtual time
 * took 2.1-2.5x a futex handoff with the preemption, 1.85x without). A call, only when it
 * changes. */
static void set_preempting(TaskProc *p, gboolean preempt)
{
	if (p->no_preempt == !preempt || p->pid <= 0 || p->group->no_policies)
		return;
	struct sched_param sp = {.sched_priority = 0};
	if (sched_setscheduler(p->pid, preempt ? SCHED_OTHER : SCHED_BATCH, &sp) == 0)
		p->no_preempt = !preempt;
	else if (errno == EPERM)
		p->group->no_policies = TRUE; /* not ours to set: not tried again */
}

void taskproc_park(TaskProc *p)
{
	if (p->page)
		__atomic_store_n(&p->page->park, 1, __ATOMIC_RELAXED);
}

void taskproc_reply(TaskProc *p, uint32_t kind, uint32_t r0, uint32_t r1, const uint8_t *exch,
                    uint32_t back, TaskProc *prev)
{
	struct sentry_page *pg = p->page;
	p->parked_watch = FALSE;
	p->sleeps_long = FALSE;
	pg->park = 0;
	pg->wake = 0;
	back = exch ? MIN(back, p->opts.exchange_len) : 0;
	if (back)
		memcpy(back <= SENTRY_INLINE_RESP ? pg->resp_x : pg->exch, exch, back);
	pg->resp_xlen = back;
	/* on a busy machine the daemon's wake-up takes longer than a task's spin would help */
	uint32_t wake_spin = p->group->calm ? p->spin_iters : p->wake_spin_iters;
	if (pg->wake_spin_iterations != wake_spin)
		pg->wake_spin_iterations = wake_spin;
	pg->n_ops = p->n_ops;
	if (p->n_ops) {
		memcpy(pg->ops, p->ops, sizeof(p->ops[0]) * p->n_ops);
		send_window_fds(p);
		p->n_ops = 0;
		p->n_fds = 0;
	}
	pg->resp_kind = kind;
	pg->r0 = r0;
	pg->r1 = r1;
	__atomic_store_n(&pg->resp_seq, p->seen_seq, __ATOMIC_SEQ_CST);
	uint32_t *bell = &p->group->bells[p->slot];
	gboolean asleep = __atomic_load_n(&pg->task_sleeping, __ATOMIC_SEQ_CST);
	if (asleep)
		__atomic_add_fetch(bell, 1, __ATOMIC_SEQ_CST);
	if (prev && prev != p && prev->pid > 0) {
		/* park |prev| only now, after the reply, so that the CPU it leaves is not idle
		 * when |p| wakes there: an idle virtual CPU is slow to wake */
		struct sentry_page *pp = prev->page;
		if (asleep) {
			set_preempting(p, !prev->sleeps_long);
			__atomic_store_n(&pp->wake, p->slot + 1, __ATOMIC_SEQ_CST);
		}
		__atomic_store_n(&pp->park, 1, __ATOMIC_SEQ_CST);
		/* |prev| wakes |p| unless it sleeps already (then we take |wake| back) or took
		 * |wake| in the meantime (wire.h) */
		if (asleep && (!__atomic_load_n(&pp->task_sleeping, __ATOMIC_SEQ_CST) ||
		               !__atomic_exchange_n(&pp->wake, 0, __ATOMIC_SEQ_CST)))
			return;
	}
	if (asleep)
		futex_wake(bell);
}

uint64_t taskproc_cpu_ns(TaskProc *p)
{
	return cpu_ns(p);
}

void taskproc_set_time(TaskProc *p, uint64_t ns)
{
	if (p->boot)
		__atomic_store_n(&p->boot->virtual_ns, ns, __ATOMIC_RELAXED);
}

gboolean taskproc_watch_parked(TaskProc *p, uint64_t limit_ns)
{
	if (p->pid <= 0 || !limit_ns)
		return FALSE;
	uint64_t cpu = cpu_ns(p);
	if (!p->parked_watch) {
		p->parked_watch = TRUE;
		p->parked_cpu = cpu;
		return FALSE;
	}
	if (cpu - p->parked_cpu <= limit_ns)
		return FALSE;
	g_autofree char *why = g_strdup_printf(
	    "watchdog: ran %" PRIu64 " ms of host CPU time while its job was blocked (a task "
	    "spinning outside its gate starves every other task on the MCU)",
	    limit_ns / 1000000u);
	taskproc_fail(p, why);
	return TRUE;
}
