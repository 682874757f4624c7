/*
 * shield/pthread.h: the thread id (shield.md 4.9). A task has exactly one thread, whose id
 * is 0. No system call.
 */
#ifndef SHIELD_PTHREAD_H
#define SHIELD_PTHREAD_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>

__SHIELD_BEGIN_DECLS

shield_pthread_t shield_pthread_self(void);
#ifndef TEST_MODE
pthread_t pthread_self(void);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_PTHREAD_H */
