/*
 * greeter: started by hello (its start mode is manual). It looks hello up by label, logs
 * its handle, and ends with exit(0).
 */
#include <inttypes.h>
#include <stdio.h>

#include <uapi/uapi.h>

#define HELLO_LABEL 0x1000

int main(void)
{
	char line[96];
	taskh_t hello = 0;
	Status s = __sys_get_process_handle(HELLO_LABEL);
	copy_from_kernel((uint8_t *)&hello, sizeof(hello));
	int n = snprintf(line, sizeof(line),
	                 "greetings, hello (handle 0x%08" PRIx32 ", status %d)\n", hello, s);
	copy_to_kernel((uint8_t *)line, (size_t)n);
	__sys_log((size_t)n);
	return 0;
}
