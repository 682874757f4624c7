/*
 * seeds.h: the hand-written seed programs of the kernel fuzz target.
 *
 * Lifecycle: none; fuzz_seed_build(i, &prog) fills |prog| with seed |i| and returns its
 * name (the corpus file name).
 */
#ifndef TESTS_FUZZ_SEEDS_H
#define TESTS_FUZZ_SEEDS_H

#include <stddef.h>

#include "sim/fuzz/prog.h"

size_t fuzz_seed_count(void);
const char *fuzz_seed_build(size_t i, Prog *p);

#endif
