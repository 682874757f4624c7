/*
 * tsc-probe: does this host make rdtsc trap once a thread asks (PR_SET_TSC)? Prints
 * "rdtsc traps" or "rdtsc does not trap" and exits 0. Some virtual machines accept the
 * setting and ignore it; tests/hostile/run.sh then expects the daemon to say so, where it
 * would otherwise expect virtual cycles. Independent of the simulator on purpose: the
 * daemon's own finding is what the suite checks.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>

static volatile sig_atomic_t trapped;

static void on_segv(int sig)
{
	(void)sig;
	trapped = 1;
	prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0); /* the instruction runs again, and passes */
}

int main(void)
{
#if defined(__x86_64__)
	struct sigaction sa = {.sa_handler = on_segv};
	sigaction(SIGSEGV, &sa, NULL);
	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0) {
		puts("rdtsc does not trap");
		return 0;
	}
	unsigned lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	puts(trapped ? "rdtsc traps" : "rdtsc does not trap");
#else
	puts("no rdtsc (not x86_64)");
#endif
	return 0;
}
