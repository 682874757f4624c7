/*
 * fuzz_kernel.c: the in-process fuzz target of the kernel model (see fuzz_kernel.h).
 *
 * An input is a program for a small Sentry system (sim/fuzz/prog.h documents the bytes);
 * it runs against sim/kernel directly, and any invariant failure or any difference between
 * two runs of the same input aborts, which libFuzzer and AFL++ report as a crash. A kernel
 * panic is a legitimate outcome where the spec predicts one (the checker verifies that).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "sim/fuzz/prog.h"
#include "tests/fuzz/fuzz_kernel.h"

static Prog prog; /* large: one at a time */

void fuzz_kernel_run(const uint8_t *data, size_t size, FuzzOutcome *out,
                     void (*trace)(void *data, const char *line), void *trace_data)
{
	prog_decode(&prog, data, size);
	ExecOptions o;
	exec_options_init(&o);
	o.trace = trace;
	o.trace_data = trace_data;
	out->ok = exec_run(&prog, &o, &out->run);
	out->deterministic = true;
	out->why[0] = '\0';
	if (!out->ok) {
		snprintf(out->why, sizeof(out->why), "%s", out->run.error);
		return;
	}
	/* the same program replays to the same results (checker off: the result must not
	 * depend on it either) */
	ExecResult again;
	o.check = false;
	o.trace = NULL;
	exec_run(&prog, &o, &again);
	if (again.hash != out->run.hash || again.end != out->run.end ||
	    again.steps != out->run.steps) {
		out->deterministic = false;
		out->ok = false;
		snprintf(out->why, sizeof(out->why),
		         "not deterministic: first run %s after %u steps (hash %016llx), replay %s "
		         "after %u steps (hash %016llx)",
		         exec_end_name(out->run.end), (unsigned)out->run.steps,
		         (unsigned long long)out->run.hash, exec_end_name(again.end),
		         (unsigned)again.steps, (unsigned long long)again.hash);
	}
}

void fuzz_kernel_explain(const uint8_t *data, size_t size, const FuzzOutcome *out)
{
	static char text[65536];
	prog_decode(&prog, data, size);
	prog_format(&prog, text, sizeof(text));
	fprintf(stderr, "fuzz-kernel: %s\nprogram (%zu bytes):\n%s", out->why, size, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzOutcome out;
	fuzz_kernel_run(data, size, &out, NULL, NULL);
	if (!out.ok) {
		fuzz_kernel_explain(data, size, &out);
		abort();
	}
	return 0;
}
