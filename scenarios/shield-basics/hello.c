/*
 * hello: shield's formatted output from a real task. Every printf (and puts, putchar) is
 * exactly one kernel log call of at most SENTRY_SVCEXCHANGE_LEN bytes; longer output is cut
 * at that cap and printf returns what was logged; an unsupported conversion logs nothing and
 * fails with EINVAL; snprintf is not capped and returns the full length (C11). The task
 * exits through its atexit handler. See hello.ini. Build it as a user would:
 *   cc hello.c $(pkg-config --cflags --libs shield) -o hello
 */
#include <shield/errno.h>
#include <shield/stdio.h>
#include <shield/stdlib.h>
#include <shield/string.h>

static void bye(void)
{
	printf("atexit handler: %s\n", "bye");
}

int main(void)
{
	char small[8];
	int n, err;
	/* through a volatile: the compiler would warn about a constant NULL for %s */
	const char *volatile null_text = NULL;

	if (atexit(bye) != 0)
		return 1;
	printf("hello from shield\n");
	printf("ints: %d %i %u %o %x %X %#x %#o\n", -42, 7, 3000000000u, 8, 255, 255, 255, 8);
	printf("widths: [%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%*d]\n", 42, 42, 42, 42, 42, 7, 4,
	       9);
	printf("strings: [%s] [%.2s] [%8s] [%-8s] [%s]\n", "text", "text", "right", "left",
	       null_text);
	printf("chars: %c%c %% %p %p\n", 'o', 'k', (void *)0x1234, NULL);
	printf("lengths: %ld %lld %hd %hhu %zu %jd %lx\n", -123456789L, -1234567890123LL, (short)-2,
	       (unsigned char)300, (size_t)77, (intmax_t)-5, 0xfeedUL);

	/* 4 + 130 + 1 bytes asked: one log call of exactly 128 bytes, no newline sent. */
	n = printf("cap %0130d\n", 7);
	printf("\ncapped printf returned %d\n", n);

	errno = 0;
	n = printf("float %f\n", 1.5);
	err = errno;
	printf("unsupported %%f: returned %d, %s\n", n, err == EINVAL ? "EINVAL" : strerror(err));

	n = snprintf(small, sizeof(small), "%s", "truncated output");
	printf("snprintf: \"%s\" returned %d\n", small, n);

	puts("puts adds the newline");
	putchar('!');
	putchar('\n');
	return 0;
}
