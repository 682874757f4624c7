/*
 * shield/unistd.h: _exit and the sleeps in seconds and microseconds (shield.md 9.2, 9.3).
 *
 * sleep() and usleep() are nanosleep() (deep sleep: nothing shortens them) and overwrite
 * the first 8 bytes of the exchange area.
 */
#ifndef SHIELD_UNISTD_H
#define SHIELD_UNISTD_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>

__SHIELD_BEGIN_DECLS

/* __sys_exit(status), without the atexit handlers. */
__SHIELD_NORETURN void shield__exit(int status);
/* Sleep |seconds|; returns 0 (or |seconds| if the kernel refused the sleep). */
unsigned int shield_sleep(unsigned int seconds);
/* Sleep |usec| microseconds; returns 0, or -1 with errno EIO if the kernel refused. */
int shield_usleep(shield_useconds_t usec);

#ifndef TEST_MODE
__SHIELD_NORETURN void _exit(int status);
unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_UNISTD_H */
