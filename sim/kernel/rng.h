/*
 * rng.h: the kernel's seeded generator (xoshiro256**, seeded through splitmix64).
 *
 * Every random bit of a run (handle rerun parts, get_random, seeds given to entries) comes
 * from one Rng, so a run replays from its seed. The algorithm is fixed here rather than
 * borrowed from a library so that a record made today replays with any future build.
 */
#ifndef SIM_KERNEL_RNG_H
#define SIM_KERNEL_RNG_H

#include <stdint.h>

typedef struct {
	uint64_t s[4];
} Rng;

void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
static inline uint32_t rng_u32(Rng *r)
{
	return (uint32_t)(rng_next(r) >> 32);
}

#endif
