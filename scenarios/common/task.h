/*
 * task.h: small helpers the example tasks share (header-only, UAPI calls only): log a
 * formatted line, sleep, read the clocks, wait for one event.
 */
#ifndef SCENARIOS_COMMON_TASK_H
#define SCENARIOS_COMMON_TASK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <uapi/uapi.h>

extern exchange_event_t _s_svcexchange;

static inline void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void say(const char *fmt, ...)
{
	char line[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	copy_to_kernel((uint8_t *)line, (size_t)n);
	__sys_log((size_t)n);
}

static inline Status nap(uint32_t ms, SleepMode mode)
{
	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = ms};
	return __sys_sleep(d, mode);
}

/* The cycle counter in |precision| (a Precision), 0 when the call fails. */
static inline uint64_t clock_now(uint32_t precision)
{
	uint64_t v = 0;
	if (__sys_get_cycle(precision) == STATUS_OK)
		copy_from_kernel((uint8_t *)&v, sizeof(v));
	return v;
}

static inline uint64_t now_ms(void)
{
	return clock_now(PRECISION_MILLISECONDS);
}

/* The handle a get_*_handle call |s| wrote, 0 when it failed. */
static inline uint32_t handle_from(Status s)
{
	uint32_t h = 0;
	if (s == STATUS_OK)
		copy_from_kernel((uint8_t *)&h, sizeof(h));
	return h;
}

static inline taskh_t handle_of(uint32_t label)
{
	taskh_t h = 0;
	if (__sys_get_process_handle(label) == STATUS_OK)
		copy_from_kernel((uint8_t *)&h, sizeof(h));
	return h;
}

/* The header of the event wait_for_event wrote, and a copy of its payload. */
static inline Status wait_event(uint8_t mask, int32_t timeout, exchange_event_t *hdr, uint8_t *data,
                                size_t cap)
{
	Status s = __sys_wait_for_event(mask, timeout);
	if (s != STATUS_OK)
		return s;
	*hdr = _s_svcexchange;
	size_t n = _s_svcexchange.length < cap ? _s_svcexchange.length : cap;
	memcpy(data, _s_svcexchange.data, n);
	return s;
}

#endif
