/*
 * nolib: a program given as a task's binary that is not linked with libsentry-uapi: no
 * runtime ever confines it, so only the daemon's boundary can. It tries to leave a marker
 * on the host, then spins.
 */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	int fd = open("/tmp/sentry-sim-hostile-marker", O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		write(fd, "escaped\n", 8);
	for (;;)
		pause();
}
