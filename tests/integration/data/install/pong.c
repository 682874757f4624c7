/* pong: the other task, written against shield with the C library's header names:
 * <stdio.h> and <signal.h> must be shield's (SIGUSR1 is Sentry's 11, not glibc's 10). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <uapi.h>

int main(void)
{
	errno = 0; /* shield's errno, with the C library's E* constants */
	if (EINVAL == 0)
		return 1;
	printf("pong waiting, SIGUSR1 is %d\n", SIGUSR1);
	Status st = __sys_wait_for_event(EVENT_TYPE_IPC, WFE_WAIT_FOREVER);
	uint8_t buf[64];
	copy_from_kernel(buf, sizeof(buf));
	exchange_event_t *ev = (exchange_event_t *)buf;
	printf("pong got %u bytes: %s (status %d)\n", ev->length, (char *)ev->data, (int)st);
	printf("pong done\n"); /* no arguments: a builtin printf would make it puts */
	return 0;
}
