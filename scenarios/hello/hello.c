/*
 * hello: a Sentry task written against the UAPI only. It logs through the exchange area,
 * reads the clocks and the kernel's random source, sleeps in virtual time and starts
 * another task. Built for the host unchanged; see scenarios/hello/hello.ini.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include <uapi/uapi.h>

#define GREETER_LABEL 0x1001

static void say(const char *fmt, ...)
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

static uint64_t now(Precision p)
{
	uint64_t v = 0;
	if (__sys_get_cycle(p) == STATUS_OK)
		copy_from_kernel((uint8_t *)&v, sizeof(v));
	return v;
}

int main(void)
{
	say("hello from a Sentry task running on the host\n");
	say("boot: %" PRIu64 " ms, %" PRIu64 " cycles\n", now(PRECISION_MILLISECONDS),
	    now(PRECISION_CYCLE));

	for (int i = 0; i < 3; i++) {
		uint32_t r = 0;
		Status s = __sys_get_random();
		copy_from_kernel((uint8_t *)&r, sizeof(r));
		say("random #%d: 0x%08" PRIx32 " (status %d)\n", i, r, s);
	}

	SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = 250};
	Status s = __sys_sleep(d, SLEEP_MODE_SHALLOW);
	say("slept 250 ms (status %d is STATUS_TIMEOUT): now %" PRIu64 " us\n", s,
	    now(PRECISION_MICROSECONDS));

	s = __sys_start(GREETER_LABEL);
	say("started greeter: status %d\n", s);

	d.tag = SLEEP_DURATION_D50MS;
	__sys_sleep(d, SLEEP_MODE_DEEP);
	say("goodbye at %" PRIu64 " ms\n", now(PRECISION_MILLISECONDS));
	return 0;
}
