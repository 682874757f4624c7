/*
 * sanitize-hostile: a task built with -fsanitize=address,undefined that tries what the
 * boundary forbids (tests/devtools/sanitize.sh): the fidelity check is relaxed for it, the
 * boundary is not. Its task name picks the attempt; an attempt that works logs ESCAPED.
 *   open_host   opens a host file outside its root (/etc/passwd)
 *   write_root  creates a file in its root
 *   kill_init   signals the first process of the tasks' PID namespace
 *   exec        runs /bin/sh
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <uapi/uapi.h>

static void say(const char *text)
{
	size_t n = strlen(text);
	copy_to_kernel((uint8_t *)text, n);
	__sys_log(n);
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? argv[0] : "";
	if (strcmp(name, "open_host") == 0) {
		int fd = open("/etc/passwd", O_RDONLY);
		say(fd >= 0 ? "ESCAPED: read a host file\n" : "held: no host file\n");
	} else if (strcmp(name, "write_root") == 0) {
		int fd = open("/planted", O_WRONLY | O_CREAT, 0644);
		say(fd >= 0 ? "ESCAPED: wrote in the root\n" : "held: the root is read-only\n");
	} else if (strcmp(name, "kill_init") == 0) {
		int rc = kill(1, SIGKILL);
		say(rc == 0 ? "ESCAPED: signalled another process\n" : "held: no signal\n");
	} else if (strcmp(name, "exec") == 0) {
		char *args[] = {"sh", "-c", "echo ESCAPED", NULL};
		execv("/bin/sh", args);
		say("held: no exec\n");
	}
	return 0;
}
