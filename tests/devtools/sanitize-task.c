/*
 * sanitize-task: a raw-UAPI task built with -fsanitize=address,undefined for
 * tests/devtools/sanitize.sh. Its task name (argv[0]) picks what it does:
 *   heap      writes one byte past an 8-byte heap block,
 *   uaf       reads a heap block after freeing it,
 *   overflow  adds 1 to INT_MAX,
 *   leak      drops its only pointer to a heap block (LeakSanitizer's bug: not checked in
 *             a task, docs/devtools.md "Why LeakSanitizer is off"),
 *   peer      logs three rounds and finishes.
 * Built with -DSANITIZE_BUG each does its bug; without, the same code stays in bounds, so
 * the clean build runs to the end under the sanitizers. Each bug sits on its own line,
 * marked BUG-LINE-<name>, which the test looks for in the report.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/uapi.h>

#ifdef SANITIZE_BUG
#define OFF 1 /* one past the end, one past INT_MAX */
#else
#define OFF 0
#endif

static void say(const char *text)
{
	size_t n = strlen(text);
	copy_to_kernel((uint8_t *)text, n);
	__sys_log(n);
}

/* Out of line: here the size of |p|'s block is unknown to the compiler, so that the access
 * is AddressSanitizer's to catch (UBSan's object-size check catches it where it is known). */
static __attribute__((noinline)) void poke(char *p, int i)
{
	p[i] = 'x'; /* BUG-LINE-heap */
}

static int heap(void)
{
	char *p = malloc(8);
	if (!p)
		return 1;
	memset(p, 0, 8);
	poke(p, 7 + OFF);
	int v = p[0];
	free(p);
	return v;
}

static int uaf(void)
{
	int *p = malloc(4 * sizeof(int));
	if (!p)
		return 1;
	p[0] = 7;
	int *q = p;
	if (OFF)
		free(p);
	int v = q[0]; /* BUG-LINE-uaf */
	if (!OFF)
		free(p);
	return v == 7 ? 0 : 1;
}

static int overflow(void)
{
	volatile int x = INT_MAX - 1 + OFF; /* volatile: computed at run time */
	int y = x + 1;                      /* BUG-LINE-overflow */
	return y > 0 ? 0 : 1;
}

static void *kept; /* the leak's block, while it is still reachable */

static int leak(void)
{
	kept = malloc(33); /* BUG-LINE-leak: LeakSanitizer names where it was allocated */
	if (!kept)
		return 1;
	memset(kept, 1, 33);
	if (OFF)
		kept = NULL; /* the last pointer to it dropped */
	else
		free(kept);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	if (strcmp(name, "peer") == 0) {
		for (int i = 1; i <= 3; i++) {
			char line[64];
			snprintf(line, sizeof(line), "peer round %d\n", i);
			say(line);
			__sys_sched_yield();
		}
		return 0;
	}
	say("starting\n");
	int rc = strcmp(name, "heap") == 0       ? heap()
	         : strcmp(name, "uaf") == 0      ? uaf()
	         : strcmp(name, "overflow") == 0 ? overflow()
	         : strcmp(name, "leak") == 0     ? leak()
	                                         : 2;
	say(rc == 0 ? "clean end\n" : "unexpected result\n");
	return rc;
}
