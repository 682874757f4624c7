/*
 * debug-task: the task of the debugger, backtrace and core tests (tests/devtools/debug*.sh).
 * Its behaviour is chosen by its task name: "crasher" calls down three functions and writes
 * through a null pointer; "inliner" does it in a function inlined into its caller; "counter" counts
 * to three, logging each step (the gdb test breaks on the line that counts); "peer" logs a few
 * rounds and ends. The lines the tests look for are marked with a comment (crash here, count here)
 * and found with grep -n.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uapi/uapi.h>

/* a global, so that a debugger prints it whatever the optimisation */
volatile uint32_t count;

/* not static: the symbol table names them even without debug information */
void crash_now(volatile int *where);
void deeper(volatile int *where);
void step(void);

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

__attribute__((noinline)) void crash_now(volatile int *where)
{
	*where = 42; /* crash here */
}

__attribute__((noinline)) void deeper(volatile int *where)
{
	say("one level down\n");
	crash_now(where);
	say("not reached\n");
}

/* inlined wherever it is called: the report names it all the same */
static inline __attribute__((always_inline)) void poke(volatile int *where)
{
	*where = 7; /* inlined crash here */
}

__attribute__((noinline)) static int inliner(void)
{
	say("about to write through a null pointer, inlined\n");
	poke((volatile int *)(uintptr_t)0);
	return 1;
}

__attribute__((noinline)) static int crasher(void)
{
	say("about to write through a null pointer\n");
	deeper((volatile int *)(uintptr_t)0);
	return 1;
}

__attribute__((noinline)) void step(void)
{
	count = count + 1; /* count here */
	say("count is %u\n", (unsigned)count);
}

static int counter(void)
{
	for (int i = 0; i < 3; i++) {
		step();
		nap(5);
	}
	return 0;
}

static int peer(void)
{
	for (int i = 1; i <= 3; i++) {
		say("round %d\n", i);
		nap(10);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	if (!strcmp(name, "crasher"))
		return crasher();
	if (!strcmp(name, "inliner"))
		return inliner();
	if (!strcmp(name, "counter"))
		return counter();
	if (!strcmp(name, "peer"))
		return peer();
	say("debug-task: no behaviour for task name '%s'\n", name);
	return 1;
}
