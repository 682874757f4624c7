/* A task with an entry function and no main (entry = test_entry), as the kernel autotest. */
#include <uapi.h>

int test_entry(uint32_t r0, uint32_t seed);

int test_entry(uint32_t r0, uint32_t seed)
{
	static const char text[] = "entered without main\n";
	copy_to_kernel((const uint8_t *)text, sizeof(text) - 1);
	__sys_log(sizeof(text) - 1);
	return 5;
}
