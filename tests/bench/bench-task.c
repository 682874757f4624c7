/*
 * bench-task: the one task binary of the benchmarks (tests/bench/run.sh). What it does is
 * chosen by its task name, which the daemon passes as argv[0]: a behaviour, then numbers
 * separated by '-' (e.g. "null-200000", "vt-3-40000-20000").
 *
 * The workloads log nothing while they run: the driver times the whole daemon run from
 * outside and subtracts a run of the same system with a count of 0. The one exception is
 * the latency workloads ("nulllat", "gap" and "ping"), which also read the host's cycle
 * counter (rdtsc: an instruction, not a system call, and wall time, not the simulator's
 * virtual time) around each call or round trip to get the distribution of single ones, and
 * log a summary line once the loop is over.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/uapi.h>

#include "tests/bench/bench-util.h"

#define HUB_LABEL     0x100
#define PONG_LABEL    0x2001
#define MAX_SAMPLES   (1u << 20)
#define IPC_PAYLOAD   64
#define SCALE_PAYLOAD 8

static uint32_t samples[MAX_SAMPLES];

static void say(const char *fmt, ...)
{
	char line[192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	/* in pieces that fit the smallest exchange area: a summary line with large figures is
	 * longer than the default 128 bytes, and a log longer than the area is refused */
	for (int off = 0; off < n; off += 64) {
		size_t k = n - off < 64 ? (size_t)(n - off) : 64;
		copy_to_kernel((uint8_t *)line + off, k);
		__sys_log(k);
	}
}

/* The |i|-th number after the behaviour in the task name (0 when absent). */
static uint32_t param(const char *name, int i)
{
	const char *p = name;
	for (int k = 0; k <= i; k++) {
		p = strchr(p, '-');
		if (!p)
			return 0;
		p++;
	}
	return (uint32_t)strtoul(p, NULL, 10);
}

static int fail(const char *what, Status s)
{
	say("bench-task: %s failed with status %d\n", what, (int)s);
	return 1;
}

static int wait_ipc(uint32_t *source)
{
	Status s = __sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER);
	if (s != STATUS_OK)
		return fail("wait_for_event(IPC)", s);
	exchange_event_t ev;
	copy_from_kernel((uint8_t *)&ev, sizeof(ev));
	if (ev.type != EVENT_TYPE_IPC)
		return fail("wait_for_event: not an IPC", STATUS_INVALID);
	if (source)
		*source = ev.source;
	return 0;
}

static int lookup(uint32_t label, taskh_t *h)
{
	Status s = __sys_get_process_handle(label);
	if (s != STATUS_OK)
		return fail("get_process_handle", s);
	copy_from_kernel((uint8_t *)h, sizeof(*h));
	return 0;
}

/* null-N: N get_random calls (the null system call: a capability check and 4 bytes). */
static int null_calls(const char *name)
{
	uint32_t n = param(name, 0);
	for (uint32_t i = 0; i < n; i++) {
		Status s = __sys_get_random();
		if (s != STATUS_OK)
			return fail("get_random", s);
	}
	return 0;
}

/* Sort |n| samples and log their distribution as "TAG n=.. mean_ticks=.. p50_ticks=..". */
static void report(const char *tag, uint32_t n, uint64_t sum)
{
	bench_sort(samples, n);
	say("%s n=%" PRIu32 " mean_ticks=%" PRIu64 " p50_ticks=%" PRIu32 " p90_ticks=%" PRIu32
	    " p99_ticks=%" PRIu32 " p999_ticks=%" PRIu32 " max_ticks=%" PRIu32 "\n",
	    tag, n, sum / n, bench_quantile(samples, n, 0.5), bench_quantile(samples, n, 0.9),
	    bench_quantile(samples, n, 0.99), bench_quantile(samples, n, 0.999), samples[n - 1]);
}

/* Clamp a sample count to 1..MAX_SAMPLES. */
static uint32_t clamp_n(uint32_t n)
{
	return n == 0 ? 1 : n > MAX_SAMPLES ? MAX_SAMPLES : n;
}

/* N get_random calls, each timed with the host counter, each after computing for
 * |gap_ticks| (not timed); logs the distribution under |tag|. */
static int timed_calls(const char *tag, uint32_t n, uint64_t gap_ticks)
{
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (gap_ticks)
			bench_busy(gap_ticks);
		uint64_t t0 = bench_ticks();
		Status s = __sys_get_random();
		uint64_t t1 = bench_ticks();
		if (s != STATUS_OK)
			return fail("get_random", s);
		uint64_t d = t1 - t0;
		samples[i] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
		sum += d;
	}
	report(tag, n, sum);
	return 0;
}

/* nulllat-N: N get_random calls, each timed with the host counter; logs the distribution. */
static int null_latency(const char *name)
{
	return timed_calls("nulllat", clamp_n(param(name, 0)), 0);
}

/* gap-US-N-TPUS: N get_random calls, each after computing US µs (a busy loop on the
 * counter, TPUS ticks per µs as the driver measured); logs the calls' distribution. */
static int gap_calls(const char *name)
{
	uint64_t gap = (uint64_t)param(name, 0) * param(name, 2);
	return timed_calls("gap", clamp_n(param(name, 1)), gap);
}

/* ping-N[-US-TPUS]: N round trips with pong: send 64 bytes, wait for 64 bytes back, after
 * computing US µs before each send (TPUS counter ticks per µs, as the driver measured; none
 * without). Each round trip is timed with the host counter, the computing included; the
 * distribution is logged as "ipclat ..." (N > 0). */
static int ping(const char *name)
{
	uint32_t n = param(name, 0);
	uint64_t gap = (uint64_t)param(name, 1) * param(name, 2);
	taskh_t pong = 0;
	if (lookup(PONG_LABEL, &pong))
		return 1;
	uint8_t msg[IPC_PAYLOAD];
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t t0 = bench_ticks();
		if (gap)
			bench_busy(gap);
		memset(msg, (int)(i & 0xff), sizeof(msg));
		copy_to_kernel(msg, sizeof(msg));
		Status s = __sys_send_ipc(pong, IPC_PAYLOAD);
		if (s != STATUS_OK)
			return fail("send_ipc(pong)", s);
		if (wait_ipc(NULL))
			return 1;
		uint64_t d = bench_ticks() - t0;
		if (i < MAX_SAMPLES) {
			samples[i] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
			sum += d;
		}
	}
	if (n)
		report("ipclat", clamp_n(n), sum);
	return 0;
}

/* pong-N[-US-TPUS]: N times: wait for an IPC, compute US µs (as ping), send its 64 bytes back
 * to the sender. */
static int pong(const char *name)
{
	uint32_t n = param(name, 0);
	uint64_t gap = (uint64_t)param(name, 1) * param(name, 2);
	uint8_t msg[8 + IPC_PAYLOAD];
	for (uint32_t i = 0; i < n; i++) {
		uint32_t from = 0;
		if (wait_ipc(&from))
			return 1;
		copy_from_kernel(msg, sizeof(msg));
		if (gap)
			bench_busy(gap);
		copy_to_kernel(msg + 8, IPC_PAYLOAD);
		Status s = __sys_send_ipc(from, IPC_PAYLOAD);
		if (s != STATUS_OK)
			return fail("send_ipc(ping)", s);
	}
	return 0;
}

/* Sleep |ms| of virtual time (0: return at once). */
static int hold(uint32_t ms)
{
	if (!ms)
		return 0;
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = ms};
	Status s = __sys_sleep(d, SLEEP_MODE_DEEP);
	return s == STATUS_TIMEOUT ? 0 : fail("sleep", s);
}

/* hub-N[-MS]: answer N requests: wait for an IPC, send 8 bytes back to its sender; then
 * sleep MS (see leaf). */
static int hub(const char *name)
{
	uint32_t n = param(name, 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t from = 0;
		if (wait_ipc(&from))
			return 1;
		copy_to_kernel((const uint8_t *)&i, sizeof(i));
		Status s = __sys_send_ipc(from, SCALE_PAYLOAD);
		if (s != STATUS_OK)
			return fail("send_ipc(leaf)", s);
	}
	return hold(param(name, 1));
}

/* leaf-I[-MS]: one request to the hub and its answer; then sleep MS (virtual time, paced
 * to the wall clock by --realtime) so that every process is alive while the driver samples
 * memory. */
static int leaf(const char *name)
{
	taskh_t h = 0;
	if (lookup(HUB_LABEL, &h))
		return 1;
	uint32_t id = param(name, 0);
	copy_to_kernel((const uint8_t *)&id, sizeof(id));
	Status s = __sys_send_ipc(h, SCALE_PAYLOAD);
	if (s != STATUS_OK)
		return fail("send_ipc(hub)", s);
	if (wait_ipc(NULL))
		return 1;
	return hold(param(name, 1));
}

/*
 * vt-I-P-S: a periodic alarm of P ms, and for ever: sleep S ms, then collect the alarm
 * signal without blocking. An alarm must not expire while its task waits for events (it
 * would panic the kernel, uapi.md 4.16), so alarms are polled; with S <= P/2 no alarm is
 * lost to an unread one. The run ends at the description's duration.
 */
static int vtime(const char *name)
{
	uint32_t period = param(name, 1), nap = param(name, 2);
	if (period) {
		Status s = __sys_alarm(period, O_ALRM_START_PERIODIC);
		if (s != STATUS_OK)
			return fail("alarm", s);
	}
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = nap};
	for (;;) {
		Status s = __sys_sleep(d, SLEEP_MODE_DEEP);
		if (s != STATUS_TIMEOUT)
			return fail("sleep", s);
		s = __sys_wait_for_event(EVENT_TYPE_SIGNAL, WFE_WAIT_NO);
		if (s != STATUS_OK && s != STATUS_AGAIN)
			return fail("wait_for_event(SIGNAL)", s);
	}
}

/* N 32-bit loads from |p|, each timed with the host counter; logs the distribution. */
static void timed_loads(const char *tag, const volatile uint32_t *p, uint32_t n)
{
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t t0 = bench_ticks();
		(void)*p;
		uint64_t d = bench_ticks() - t0;
		samples[i] = d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
		sum += d;
	}
	report(tag, n, sum);
}

#define MMIO_LABEL 0x30
#define MMIO_BASE  0x40001000ul

/* mmio-N: N loads of a register of a device with a model (each traps to the daemon), N
 * loads of the same kind from plain memory, N null calls; each timed with the host
 * counter, logged as "mmio", "mmioplain" and "mmionull". */
static int mmio(const char *name)
{
	static volatile uint32_t plain_word;
	uint32_t n = clamp_n(param(name, 0));
	devh_t dev;
	Status s = __sys_get_device_handle(MMIO_LABEL);
	if (s != STATUS_OK)
		return fail("get_device_handle", s);
	copy_from_kernel((uint8_t *)&dev, sizeof(dev));
	if ((s = __sys_map_dev(dev)) != STATUS_OK)
		return fail("map_dev", s);
	timed_loads("mmio", (const volatile uint32_t *)MMIO_BASE, n);
	timed_loads("mmioplain", &plain_word, n);
	return timed_calls("mmionull", n, 0);
}

static const struct {
	const char *name;
	int (*fn)(const char *name);
} behaviours[] = {
    {"nulllat-", null_latency},
    {"gap-", gap_calls},
    {"null-", null_calls},
    {"ping-", ping},
    {"pong-", pong},
    {"hub-", hub},
    {"leaf-", leaf},
    {"vt-", vtime},
    {"mmio-", mmio},
};

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	for (size_t i = 0; i < sizeof(behaviours) / sizeof(behaviours[0]); i++) {
		size_t n = strlen(behaviours[i].name);
		if (strncmp(name, behaviours[i].name, n) == 0)
			return behaviours[i].fn(name);
	}
	say("bench-task: no behaviour for task name '%s'\n", name);
	return 1;
}
