/*
 * sanitize-shield: a shield task built with -fsanitize=address,undefined
 * (tests/devtools/sanitize.sh). With -DSANITIZE_BUG (sanitize-shield-bug.c) it writes one
 * byte past a global array, on the line marked BUG-LINE-shield; without, it stays inside.
 */
#include <stdio.h>

#ifdef SANITIZE_BUG
#define OFF 1
#else
#define OFF 0
#endif

static char table[8];

/* Out of line: the array's bounds are unknown here, so that the access is AddressSanitizer's
 * to catch (UBSan's bounds check catches it where they are known). */
static __attribute__((noinline)) void poke(char *p, int i)
{
	p[i] = 'x'; /* BUG-LINE-shield */
}

int main(void)
{
	printf("shield task starting\n");
	poke(table, 7 + OFF);
	printf("shield task clean end (%c)\n", table[7]);
	return 0;
}
