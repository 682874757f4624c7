/*
 * shield/pthread.h: the thread id (shield.md 4.9). A task has exactly one thread, whose id
 * is 0. No system call.
 */
#ifndef SHIELD_PTHREAD_H
#define SHIELD_PTHREAD_H

#include <shield/sys/cdefs.h>
#include <stdint.h>

typedef uint32_t shield_pthread_t;

#ifndef TEST_MODE
/* glibc defines pthread_t with its other pthread types, behind this one guard. */
#if !defined(_BITS_PTHREADTYPES_COMMON_H) && !defined(_PTHREAD_T_DECLARED)
typedef shield_pthread_t pthread_t;
#define _BITS_PTHREADTYPES_COMMON_H 1
#define _PTHREAD_T_DECLARED
#endif
#endif

__SHIELD_BEGIN_DECLS

shield_pthread_t shield_pthread_self(void);
#ifndef TEST_MODE
pthread_t pthread_self(void);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_PTHREAD_H */
