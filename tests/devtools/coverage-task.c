/*
 * coverage-task: a raw-UAPI task built with --coverage (tests/devtools/coverage.sh). Its
 * task name picks the path: "counter" counts to three and ends with main's return,
 * "quitter" ends with __sys_exit, "sleeper" never ends (the run's time limit stops it while
 * it sleeps); no task calls never_called().
 */
#include <stdio.h>
#include <string.h>

#include <uapi/uapi.h>

static void say(const char *text)
{
	size_t n = strlen(text);
	copy_to_kernel((uint8_t *)text, n);
	__sys_log(n);
}

static void never_called(void)
{
	say("this line never runs\n"); /* NEVER-RUN */
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	if (strcmp(name, "nobody") == 0)
		never_called();
	for (int i = 1; i <= 3; i++) {
		char line[32];
		snprintf(line, sizeof(line), "%s %d\n", name, i); /* RUNS-THREE-TIMES */
		say(line);
	}
	if (strcmp(name, "quitter") == 0)
		__sys_exit(0); /* QUITTER-EXIT */
	while (strcmp(name, "sleeper") == 0) {
		SleepDuration d = {.tag = SLEEP_DURATION_ARBITRARY_MS, .arbitrary_ms = 10};
		__sys_sleep(d, SLEEP_MODE_DEEP); /* SLEEPER-LOOP */
	}
	return 0;
}
