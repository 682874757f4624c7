/*
 * misc.c: pthread_self, byte order and sched_yield (shield.md 4.9, 4.10, 9.9).
 */
#include <shield/arpa/inet.h>
#include <shield/pthread.h>
#include <shield/sched.h>
#include <uapi/uapi.h>

#include "shield_priv.h"

/* One thread per task (R1). */
SHIELD_API shield_pthread_t shield_pthread_self(void)
{
	return 0;
}
SHIELD_ALIAS(pthread_self, shield_pthread_self);

SHIELD_API uint32_t shield_htonl(uint32_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return x;
#else
	return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
#endif
}
SHIELD_ALIAS(htonl, shield_htonl);

SHIELD_API uint32_t shield_ntohl(uint32_t x)
{
	return shield_htonl(x);
}
SHIELD_ALIAS(ntohl, shield_ntohl);

SHIELD_API uint16_t shield_htons(uint16_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return x;
#else
	return (uint16_t)((x >> 8) | (x << 8));
#endif
}
SHIELD_ALIAS(htons, shield_htons);

SHIELD_API uint16_t shield_ntohs(uint16_t x)
{
	return shield_htons(x);
}
SHIELD_ALIAS(ntohs, shield_ntohs);

SHIELD_API int shield_sched_yield(void)
{
	(void)__sys_sched_yield();
	return 0;
}
SHIELD_ALIAS(sched_yield, shield_sched_yield);
