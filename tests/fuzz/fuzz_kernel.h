/*
 * fuzz_kernel.h: the in-process fuzz target of the kernel model, shared by the libFuzzer
 * entry point, the AFL++ persistent loop and the standalone driver.
 *
 * Lifecycle: none; each call decodes one input into a program (sim/fuzz/prog.h), runs it
 * against a fresh kernel with every invariant checked (sim/fuzz/invariants.h), then runs it
 * a second time and compares the two runs.
 */
#ifndef TESTS_FUZZ_FUZZ_KERNEL_H
#define TESTS_FUZZ_FUZZ_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/fuzz/exec.h"

typedef struct {
	ExecResult run;     /* the checked run */
	bool deterministic; /* the replay gave the same hash, end and step count */
	bool ok;            /* no invariant failure and deterministic */
	char why[1400];     /* when !ok */
} FuzzOutcome;

/* Run one input; never aborts. |trace| (optional) receives a line per step. */
void fuzz_kernel_run(const uint8_t *data, size_t size, FuzzOutcome *out,
                     void (*trace)(void *data, const char *line), void *trace_data);

/* Print the decoded program and the failure to stderr. */
void fuzz_kernel_explain(const uint8_t *data, size_t size, const FuzzOutcome *out);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
