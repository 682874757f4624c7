/*
 * sensor: reads the kernel's random source (a stand-in for a flaky peripheral) and retries
 * when it fails with STATUS_CRITICAL, as a robust task must. The scenario's script makes the
 * first calls fail (error injection at the gate) to prove the retry path.
 */
#include "scenarios/common/task.h"

int main(void)
{
	for (int sample = 1; sample <= 3; sample++) {
		uint32_t v = 0;
		int tries = 1;
		Status s;
		while ((s = __sys_get_random()) == STATUS_CRITICAL && tries < 5) {
			say("sample %d: entropy source failed (CRITICAL), retrying\n", sample);
			tries++;
		}
		if (s != STATUS_OK) {
			say("sample %d: giving up (status %d)\n", sample, s);
			return 1;
		}
		copy_from_kernel((uint8_t *)&v, sizeof(v));
		say("sample %d: 0x%08" PRIx32 " after %d tries\n", sample, v, tries);
		nap(10, SLEEP_MODE_SHALLOW);
	}
	return 0;
}
