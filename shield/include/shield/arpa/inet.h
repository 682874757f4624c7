/*
 * shield/arpa/inet.h: byte order (shield.md 4.10). Host order <-> big-endian; identity on
 * a big-endian build. No system call.
 */
#ifndef SHIELD_ARPA_INET_H
#define SHIELD_ARPA_INET_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <stdint.h>

__SHIELD_BEGIN_DECLS

uint32_t shield_htonl(uint32_t x);
uint32_t shield_ntohl(uint32_t x);
uint16_t shield_htons(uint16_t x);
uint16_t shield_ntohs(uint16_t x);

#ifndef TEST_MODE
uint32_t htonl(uint32_t x);
uint32_t ntohl(uint32_t x);
uint16_t htons(uint16_t x);
uint16_t ntohs(uint16_t x);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_ARPA_INET_H */
