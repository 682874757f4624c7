/*
 * respawn: every job must start from a clean shield state (shield.md R5), whether the
 * simulator spawns a new host process or reuses the old one. Each job checks what a
 * previous job could have left behind: errno, the rand() sequence (srand(1)), the atexit
 * table (all SHIELD_ATEXIT_MAX slots free), the timer table (all SHIELD_TIMER_MAX timers
 * free), the message-queue table (no queue for the peer) and the pending-signal set
 * (empty). It then dirties all of them, sleeps 10 ms and exits 0; exit_mode = restart
 * respawns it until the scenario's duration ends. A job that inherits state exits 1, which
 * ends the cycle. See respawn.ini.
 */
#include <shield/errno.h>
#include <shield/signal.h>
#include <shield/stdio.h>
#include <shield/stdlib.h>
#include <shield/sys/msg.h>
#include <shield/time.h>
#include <shield/unistd.h>
#include <uapi/uapi.h>

#define FIRST_RAND_OF_SEED_1 491384241
/* msgget does not check its key: any non-zero value names a queue. */
#define QUEUE_KEY 0x00100042u

static void handler(void)
{
	printf("atexit handler\n");
}

static void nothing(void)
{
}

/* Check the state a fresh job must see; returns the number of problems found. */
static int check_fresh(void)
{
	struct itimerspec shot = {.it_value = {.tv_nsec = 1000000}};
	timer_t timers[SHIELD_TIMER_MAX];
	sigset_t pending;
	int bad = 0, first = rand();

	if (errno != 0) {
		printf("inherited errno %d\n", errno);
		bad++;
	}
	if (first != FIRST_RAND_OF_SEED_1) {
		printf("inherited rand() state: first value %d\n", first);
		bad++;
	}
	if (sigpending(&pending) != 0 || sigismember(&pending, SIGALRM) != 0) {
		printf("inherited a pending SIGALRM\n");
		bad++;
	}
	if (msgget(QUEUE_KEY, 0) != -1 || errno != ENOENT) {
		printf("inherited a message queue\n");
		bad++;
	}
	errno = 0;
	for (int i = 0; i < SHIELD_TIMER_MAX; i++) {
		if (timer_create(CLOCK_MONOTONIC, NULL, &timers[i]) != 0) {
			printf("inherited timers: timer %d refused\n", i + 1);
			return bad + 1;
		}
	}
	/* Dirty the tables: every timer, a queue, an expired alarm drained into the set. */
	timer_settime(timers[0], 0, &shot, NULL);
	if (msgget(QUEUE_KEY, IPC_CREAT) < 0)
		bad++;
	return bad;
}

int main(void)
{
	struct timespec now;
	sigset_t pending;
	int bad;

	clock_gettime(CLOCK_MONOTONIC, &now);
	bad = check_fresh();
	for (int i = 0; i < SHIELD_ATEXIT_MAX; i++) {
		if (atexit(i == 0 ? handler : nothing) != 0) {
			printf("inherited atexit handlers: slot %d refused\n", i + 1);
			bad++;
			break;
		}
	}
	printf("job at %lu ms (respawned: %s): %s\n",
	       now.tv_sec * 1000ul + (unsigned long)now.tv_nsec / 1000000ul,
	       __sys_has_respawned() == STATUS_OK ? "yes" : "no", bad == 0 ? "clean" : "DIRTY");
	if (bad != 0)
		return 1;
	srand(12345);
	usleep(10000); /* the 1 ms timer's SIGALRM arrives meanwhile */
	sigpending(&pending);
	printf("leaving with SIGALRM pending: %s\n",
	       sigismember(&pending, SIGALRM) == 1 ? "yes" : "no");
	errno = EIO;
	return 0;
}
