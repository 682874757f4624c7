/* ping: a task of the new user's two-task system (tests/integration/install.sh), plain UAPI:
 * find pong by its label and send it one IPC. */
#include <string.h>
#include <uapi.h>

static void say(const char *s)
{
	copy_to_kernel((const uint8_t *)s, strlen(s));
	__sys_log(strlen(s));
}

int main(void)
{
	say("ping starting\n");
	if (__sys_get_process_handle(0x2000) != STATUS_OK)
		return 1;
	taskh_t pong;
	copy_from_kernel((uint8_t *)&pong, sizeof(pong));
	const char msg[] = "ping!";
	copy_to_kernel((const uint8_t *)msg, sizeof(msg));
	say(__sys_send_ipc(pong, sizeof(msg)) == STATUS_OK ? "sent\n" : "send failed\n");
	return 0;
}
