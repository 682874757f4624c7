/*
 * sig-receiver: shield's pending-signal set in a real task. It sleeps deeply (nothing
 * interrupts a deep sleep, so signals queue up in the kernel), then sigpending() collects
 * them into shield's pending set and reports it (twice: sigpending does not consume);
 * sigwait() consumes one signal, and a second sigwait() blocks until sig-sender's next
 * kill. See signals.ini.
 */
#include <shield/errno.h>
#include <shield/signal.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <shield/time.h>
#include <shield/unistd.h>

static unsigned long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ul + (unsigned long)ts.tv_nsec / 1000000ul;
}

/* Print the members of the pending set, by number. */
static int show_pending(const char *when)
{
	char line[64] = "";
	sigset_t set;

	sigfillset(&set); /* sigpending must replace the contents, not OR into them */
	if (sigpending(&set) != 0) {
		printf("sigpending: %s\n", strerror(errno));
		return 1;
	}
	for (int sig = 1; sig < NSIG; sig++) {
		if (sigismember(&set, sig) == 1)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " %d", sig);
	}
	printf("pending %s:%s\n", when, line[0] != '\0' ? line : " none");
	return 0;
}

int main(void)
{
	sigset_t usr1, term;
	int sig = 0;

	if (show_pending("at start") != 0)
		return 1;
	usleep(10000);
	if (show_pending("after a 10 ms deep sleep") != 0 || show_pending("again") != 0)
		return 1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigwait(&usr1, &sig) != 0)
		return 1;
	printf("sigwait: signal %d at %lu ms\n", sig, now_ms());
	if (show_pending("after sigwait") != 0)
		return 1;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	if (sigwait(&term, &sig) != 0)
		return 1;
	printf("sigwait: signal %d at %lu ms\n", sig, now_ms());
	return show_pending("at the end");
}
