/*
 * shield/sched.h: sched_yield (shield.md 9.9): __sys_sched_yield(), returns 0.
 */
#ifndef SHIELD_SCHED_H
#define SHIELD_SCHED_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>

__SHIELD_BEGIN_DECLS

int shield_sched_yield(void);
#ifndef TEST_MODE
int sched_yield(void);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_SCHED_H */
