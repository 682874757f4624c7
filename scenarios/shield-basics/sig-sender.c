/*
 * sig-sender: kill() from a real task, with every answer the kernel can give: OK, EAGAIN
 * while the receiver has not read this sender's previous signal (one slot per sender),
 * ESRCH for a forged handle and for the task itself, EINVAL for a bad number, and 0 without
 * a system call for signal 0. See signals.ini.
 */
#include <shield/errno.h>
#include <shield/signal.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <shield/unistd.h>
#include <uapi/uapi.h>

#define SENDER   0x3000
#define RECEIVER 0x3001

static taskh_t handle_of(uint32_t label)
{
	taskh_t h = 0;

	if (__sys_get_process_handle(label) == STATUS_OK)
		copy_from_kernel((uint8_t *)&h, sizeof(h));
	return h;
}

static const char *errname(int e)
{
	switch (e) {
	case EAGAIN:
		return "EAGAIN";
	case ESRCH:
		return "ESRCH";
	case EINVAL:
		return "EINVAL";
	default:
		return strerror(e);
	}
}

/* kill() and report the result. */
static void try_kill(const char *what, pid_t pid, int sig)
{
	int rc;

	errno = 0;
	rc = kill(pid, sig);
	if (rc == 0)
		printf("kill(%s, %d): 0\n", what, sig);
	else
		printf("kill(%s, %d): %d, %s\n", what, sig, rc, errname(errno));
}

int main(void)
{
	taskh_t receiver = handle_of(RECEIVER);

	try_kill("receiver", receiver, SIGUSR1);
	try_kill("receiver", receiver, SIGTERM);
	try_kill("receiver", receiver, 0);
	try_kill("receiver", receiver, 13);
	try_kill("forged handle", receiver ^ 0x00010000u, SIGUSR1);
	try_kill("itself", handle_of(SENDER), SIGUSR1);
	usleep(20000);
	try_kill("receiver", receiver, SIGTERM);
	return 0;
}
