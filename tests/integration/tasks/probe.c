/*
 * probe: one task binary for the integration tests. What it does is chosen by its task
 * name (the daemon passes the [task NAME] as argv[0]), so that each test's system
 * description reads as a list of behaviours: crash, forbidden, abort, spin, ...
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/futex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* declare the autotest-only prototypes (syscalls 38 and 39) */
#define CONFIG_BUILD_TARGET_AUTOTEST 1
#include <uapi/uapi.h>
#include <uapi/dma.h>
#include <uapi/capability.h>

static void say(const char *fmt, ...)
{
	char line[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	copy_to_kernel((uint8_t *)line, (size_t)n);
	__sys_log((size_t)n);
}

static void nap(uint32_t ms)
{
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = ms};
	__sys_sleep(d, SLEEP_MODE_DEEP);
}

static int crash(void)
{
	say("about to dereference NULL\n");
	*(volatile int *)0 = 1;
	return 0;
}

static int forbidden(void)
{
	say("about to open a host file\n");
	int fd = open("/etc/hostname", O_RDONLY);
	say("open returned %d: the sandbox let it through\n", fd);
	return 1;
}

/* Every task process maps the doorbell page (uapi/src/wire.h): a futex requeue from another
 * task's word could strand that task, so the strict filter allows only wait and wake. */
static int futex_requeue(void)
{
	static uint32_t a, b;
	say("about to requeue futex waiters\n");
	long rc = syscall(SYS_futex, &a, FUTEX_CMP_REQUEUE, 1, 1, &b, 0);
	say("futex requeue returned %ld: the sandbox let it through\n", rc);
	return 1;
}

static int host_write(void)
{
	write(1, "x\n", 2);
	return 1;
}

static int do_abort(void)
{
	say("calling abort()\n");
	abort();
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion" /* on purpose: a stack overflow */
static int recurse(volatile int depth)
{
	volatile char pad[4096];
	pad[0] = (char)depth;
	return recurse(depth + 1) + pad[0];
}
#pragma GCC diagnostic pop

static int stack_overflow(void)
{
	say("recursing without end\n");
	return recurse(0);
}

static int spin(void)
{
	say("spinning without system calls\n");
	for (volatile unsigned long i = 0;; i++)
		;
	return 0;
}

/* Loops on a library call that reports and never traps (copy_to_kernel of NULL, 2.7). */
static int report_loop(void)
{
	say("looping on copy_to_kernel(NULL, 4)\n");
	for (;;)
		(void)copy_to_kernel(NULL, 4);
	return 0;
}

/* A fuzz control request outside `sentry-sim fuzz`: a protocol violation (docs/fuzzing.md). */
uint32_t __sentry_sim_fuzz_control(uint32_t op, uint32_t a, uint32_t b);

static int fuzz_control(void)
{
	say("asking for a fuzz control request\n");
	(void)__sentry_sim_fuzz_control(2, 1000000, 0);
	say("still running after the control request\n");
	return 0;
}

static int host_exit(void)
{
	say("calling _exit(3)\n");
	_exit(3);
}

/* Another task goes on while its peers fault. */
static int survivor(void)
{
	for (int i = 1; i <= 3; i++) {
		nap(10);
		say("still running, round %d\n", i);
	}
	return 0;
}

/* Restart in place (tests/integration/restart.sh): each start logs what this process's memory
 * says of the starts before it (a static counter, a byte of a page of .bss, errno), all of
 * which a new process, and one restarted in place, has as at its first boot; then it changes
 * them, naps and returns (exit_mode = restart respawns it). incarnationPid also logs its pid
 * (the same for every start of a process restarted in place); incarnationUnmap unmaps a page
 * of its own memory before it returns, so that its process cannot be restarted in place (a
 * page it never touched: the daemon writes its memory back, and finds the mappings changed
 * only after; incarnationUnmapKept: a page of initialized data, which the image keeps, so
 * that writing it back fails), and incarnationMask blocks the restart signal, so that its
 * process does not answer. */
static int incarnation(const char *name)
{
	static int starts;
	static char scribble[3 * 4096] __attribute__((aligned(4096)));
	static char kept[2 * 4096] __attribute__((aligned(4096))) = {1}; /* in .data */
	int n = ++starts;
	int was = scribble[5000], err = errno;
	scribble[5000] = 'x';
	errno = 42;
	if (strcmp(name, "incarnation") != 0)
		say("incarnation %d scribble %d errno %d pid %d\n", n, was, err, (int)getpid());
	else
		say("incarnation %d scribble %d errno %d\n", n, was, err);
	nap(5);
	if (strcmp(name, "incarnationUnmap") == 0)
		munmap(scribble + 2 * 4096, 4096);
	if (strcmp(name, "incarnationUnmapKept") == 0)
		munmap(kept + 4096, 4096);
	if (strcmp(name, "incarnationMask") == 0) { /* the restart signal never arrives */
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
	}
	return 0;
}

static const char *task_name = "";

/* incarnationBig: a gigabyte of writable memory mapped before the runtime boots, more than
 * the daemon keeps an image of: it starts anew. Linked statically (probe-static), this
 * constructor runs before the runtime's; with the shared runtime, after it (and the
 * mapping is refused). */
extern char *program_invocation_short_name; /* glibc's, set before any constructor */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wprio-ctor-dtor" /* before the runtime's (101), on purpose */
__attribute__((constructor(100))) static void big_before_boot(void)
{
	if (strcmp(program_invocation_short_name, "incarnationBig") == 0)
		mmap(NULL, 1ul << 30, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}
#pragma GCC diagnostic pop

static int incarnation_any(void)
{
	return incarnation(task_name);
}

/* Blocks for ever in a host call the filter allows (a futex wait on a word of its own): no
 * CPU time passes, so only the daemon's watchdog on sleeping outside the gate stops it. */
static int self_block(void)
{
	static uint32_t word;
	say("blocking in a futex of my own\n");
	for (;;)
		syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL, NULL, 0);
	return 0;
}

/* The restart signal without the daemon's request (uapi/src/wire.h): nothing happens. */
static int self_restart_signal(void)
{
	raise(SIGUSR1);
	say("still here after the restart signal\n");
	return 0;
}

static int fail(void)
{
	say("exiting with status 7\n");
	return 7;
}

/* An unsupported number whose first argument is a valid Status comes back as that Status
 * (uapi.md 4.0); then yield cancels the abort. */
static int unsupported(void)
{
	Status s = __sys_dma_get_stream_status(STATUS_BUSY);
	say("unsupported call returned %d\n", s);
	__sys_sched_yield();
	say("still alive after yield\n");
	return 0;
}

/* An unsupported number whose first argument is above 10: the library never returns. */
static int unsupported_hang(void)
{
	say("calling an unsupported number with argument 0x1234\n");
	__sys_dma_get_stream_status(0x1234);
	say("returned: wrong\n");
	return 0;
}

static int entry_probe(void)
{
	say("main should not run when an entry is configured\n");
	return 1;
}

/* Configured with entry = custom_entry in a description: receives (r0, seed). */
int custom_entry(uint32_t r0, uint32_t seed);
int custom_entry(uint32_t r0, uint32_t seed)
{
	say("custom entry: r0=%" PRIu32 " seed-nonzero=%d\n", r0, seed != 0);
	return 0;
}

/* Records every system call's Status to check determinism across runs. */
static int chatter(void)
{
	for (int i = 0; i < 5; i++) {
		uint32_t r = 0;
		Status s = __sys_get_random();
		copy_from_kernel((uint8_t *)&r, sizeof(r));
		uint64_t t = 0;
		__sys_get_cycle(PRECISION_MICROSECONDS);
		copy_from_kernel((uint8_t *)&t, sizeof(t));
		say("%d: random 0x%08" PRIx32 " (%d) at %" PRIu64 " us\n", i, r, s, t);
		__sys_sched_yield();
	}
	return 0;
}

static taskh_t handle_of(uint32_t label)
{
	taskh_t h = 0;
	__sys_get_process_handle(label);
	copy_from_kernel((uint8_t *)&h, sizeof(h));
	return h;
}

/* Sends 4 bytes to the task labelled 2 and reports the Status. */
static int sender(void)
{
	taskh_t to = handle_of(2);
	copy_to_kernel((const uint8_t *)"ping", 4);
	Status s = __sys_send_ipc(to, 4);
	say("send_ipc returned %d\n", s);
	return 0;
}

static int quitter(void)
{
	say("quitting at once\n");
	return 0;
}

static int waiter(void)
{
	Status s = __sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER);
	say("wait returned %d\n", s);
	return 0;
}

/* pingA (label 1) and pingB (label 2) send to each other: the second gets DEADLK. */
static int ping(uint32_t peer)
{
	taskh_t to = handle_of(peer);
	copy_to_kernel((const uint8_t *)"x", 1);
	Status s = __sys_send_ipc(to, 1);
	say("send_ipc to label %" PRIu32 " returned %d\n", peer, s);
	return 0;
}

static int ping_a(void)
{
	return ping(2);
}

static int ping_b(void)
{
	return ping(1);
}

/* The autotest build (uapi.md 7.9): self-IPC and self-signals, NO_ENTITY for unsupported
 * numbers, the global capability set, exit(0) respawns. */
static int autotest(void)
{
	if (__sys_has_respawned() == STATUS_OK) {
		say("second job after exit(0): capability set kept: get_random %d\n",
		    __sys_get_random());
		nap(1000);
		return 0;
	}
	taskh_t me = handle_of(0xbabe);
	copy_to_kernel((const uint8_t *)"self", 4);
	Status ipc = __sys_send_ipc(me, 4);
	Status wfe = __sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_NO);
	Status sig = __sys_send_signal(me, SIGNAL_USR1);
	Status uns = __sys_dma_get_stream_status(0x1234);
	Status rnd = __sys_get_random();
	Status clr = __sys_autotest_clear_capa(CAP_CRY_KRNG);
	Status rnd2 = __sys_get_random();
	Status bad = __sys_autotest_set_capa(3);
	say("self-ipc %d wfe %d self-signal %d unsupported %d random %d clear %d random %d "
	    "set(3) %d\n",
	    ipc, wfe, sig, uns, rnd, clr, rnd2, bad);
	return 0;
}

/* Board resources (tests/integration/data/board.ini). */
#define SHM_BUF  0x100
#define SHM_SRC  0x101
#define SHM_DST  0x102
#define DEV_LEDS 0x10
#define DMA_COPY 0x200

extern exchange_event_t _s_svcexchange;

static uint32_t got_u32(Status s)
{
	uint32_t v = 0;
	if (s == STATUS_OK)
		copy_from_kernel((uint8_t *)&v, sizeof(v));
	return v;
}

/* Owns SHM_BUF: grants itself write and the reader read-only access, writes, tells the
 * reader, then touches the SHM after unmapping it (a fault). */
static int shm_writer(void)
{
	shmh_t shm = got_u32(__sys_get_shm_handle(SHM_BUF));
	taskh_t reader = handle_of(2);
	Status own =
	    __sys_shm_set_credential(shm, handle_of(1), SHM_PERMISSION_MAP | SHM_PERMISSION_WRITE);
	Status usr =
	    __sys_shm_set_credential(shm, reader, SHM_PERMISSION_MAP | SHM_PERMISSION_READ);
	Status map = __sys_map_shm(shm);
	strcpy((char *)0x2000a000, "written by shmWriter");
	__sys_shm_get_infos(shm);
	shm_infos_t info;
	copy_from_kernel((uint8_t *)&info, sizeof(info));
	say("credentials %d %d, map %d; infos: label 0x%" PRIx32
	    " base 0x%zx len %zu perms %" PRIu32 "\n",
	    own, usr, map, info.label, info.base, info.len, info.perms);
	copy_to_kernel((const uint8_t *)"go", 2);
	__sys_send_ipc(reader, 2);
	Status un = __sys_unmap_shm(shm);
	say("unmapped (%d); touching the SHM again\n", un);
	*(volatile char *)0x2000a000 = 'x';
	say("wrote after unmap: wrong\n");
	return 1;
}

static int shm_reader(void)
{
	__sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER);
	shmh_t shm = got_u32(__sys_get_shm_handle(SHM_BUF));
	Status map = __sys_map_shm(shm);
	say("map %d, read: '%s'\n", map, (const char *)0x2000a000);
	say("writing to a read-only SHM\n");
	*(volatile char *)0x2000a000 = 'x';
	say("wrote to read-only memory: wrong\n");
	return 1;
}

static int leds(void)
{
	devh_t dev = got_u32(__sys_get_device_handle(DEV_LEDS));
	Status m = __sys_map_dev(dev);
	uint32_t reg = *(volatile uint32_t *)0x48000004;
	Status set = __sys_gpio_set(dev, 0, true);
	__sys_gpio_get(dev, 0);
	uint8_t l1 = _s_svcexchange.type;
	__sys_gpio_toggle(dev, 0);
	__sys_gpio_get(dev, 0);
	uint8_t l2 = _s_svcexchange.type;
	Status bad = __sys_gpio_set(dev, 2, true);
	say("device 0x%08" PRIx32 " map %d reset register 0x%08" PRIx32 "; set %d level %u, "
	    "toggled %u, io 2: %d\n",
	    dev, m, reg, set, l1, l2, bad);
	return 0;
}

static int dma(void)
{
	shmh_t src = got_u32(__sys_get_shm_handle(SHM_SRC));
	shmh_t dst = got_u32(__sys_get_shm_handle(SHM_DST));
	__sys_shm_set_credential(src, handle_of(4), SHM_PERMISSION_MAP | SHM_PERMISSION_WRITE);
	__sys_shm_set_credential(dst, handle_of(4), SHM_PERMISSION_MAP | SHM_PERMISSION_WRITE);
	__sys_map_shm(src);
	__sys_map_shm(dst);
	strcpy((char *)0x20010000, "copied by DMA");
	dmah_t st = got_u32(__sys_get_dma_stream_handle(DMA_COPY));
	Status a = __sys_dma_assign_stream(st);
	Status s = __sys_dma_start_stream(st);
	Status w = __sys_wait_for_event(EVENT_TYPE_DMA, WFE_WAIT_NO);
	uint8_t type = _s_svcexchange.type, state = _s_svcexchange.data[0];
	__sys_dma_get_stream_info(st);
	gpdma_stream_cfg_t cfg;
	copy_from_kernel((uint8_t *)&cfg, sizeof(cfg));
	say("assign %d start %d event %d (type %u state %u); dest reads '%s'; info type %u "
	    "len %zu\n",
	    a, s, w, type, state, (const char *)0x20010100, cfg.transfer_type, cfg.transfer_len);
	return 0;
}

/* Enables IRQ 23 once and takes two interrupts without enabling it again: the second stays
 * pending behind the masked line (tests/integration/hints.sh). */
static int irq_once(void)
{
	__sys_irq_enable(23);
	for (int i = 1; i <= 2; i++) {
		__sys_wait_for_event(EVENT_TYPE_IRQ, WFE_WAIT_FOREVER);
		say("interrupt %d\n", i);
	}
	return 0;
}

/* Logs "ready" without its newline, then naps and ends. */
static int no_newline(void)
{
	static const char text[] = "ready";
	copy_to_kernel((const uint8_t *)text, sizeof(text) - 1);
	__sys_log(sizeof(text) - 1);
	nap(20);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} behaviours[] = {
    {"irqOnce", irq_once},
    {"noNewline", no_newline},
    {"crash", crash},
    {"forbidden", forbidden},
    {"hostwrite", host_write},
    {"futexop", futex_requeue},
    {"abort", do_abort},
    {"overflow", stack_overflow},
    {"spin", spin},
    {"reportLoop", report_loop},
    {"fuzzControl", fuzz_control},
    {"hostexit", host_exit},
    {"survivor", survivor},
    {"fail", fail},
    {"unsupported", unsupported},
    {"hang", unsupported_hang},
    {"entry", entry_probe},
    {"chatter", chatter},
    {"sender", sender},
    {"quitter", quitter},
    {"waiter", waiter},
    {"pingA", ping_a},
    {"pingB", ping_b},
    {"autotest", autotest},
    {"shmWriter", shm_writer},
    {"shmReader", shm_reader},
    {"leds", leds},
    {"dma", dma},
    {"incarnation", incarnation_any},
    {"selfRestartSignal", self_restart_signal},
    {"selfBlock", self_block},
};

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	task_name = name;
	for (size_t i = 0; i < sizeof(behaviours) / sizeof(behaviours[0]); i++) {
		size_t n = strlen(behaviours[i].name);
		if (strncmp(name, behaviours[i].name, n) == 0)
			return behaviours[i].fn();
	}
	say("probe: no behaviour for task name '%s'\n", name);
	return 1;
}
