/*
 * msg-proto.h: the protocol msg-server and msg-client speak over shield's SysV message
 * queues (one queue per peer, keyed on the peer's task handle; one message = one IPC).
 *   ADD {a, b}  -> SUM {a + b, client name}          three rounds per client
 *   CHUNK {bytes}... END {length, digest} -> DIGEST   a document longer than one message,
 *                                                    sent as full-size messages
 * A message carries at most SHIELD_MSG_MAXTEXT bytes of text (the exchange area minus the
 * event header and the mtype), so a larger document is cut into CHUNK messages of exactly
 * that size, the last one shorter, and put back together by the server.
 */
#ifndef SCENARIOS_SHIELD_MSG_PROTO_H
#define SCENARIOS_SHIELD_MSG_PROTO_H

#include <shield/string.h>
#include <shield/sys/msg.h>
#include <stdint.h>
#include <uapi/uapi.h>

#define SERVER   0x100
#define CLIENT_A 0x201
#define CLIENT_B 0x202
#define ROUNDS   3
/* Bytes in each client's document: three messages on any target. */
#define DOC_LEN 300

enum msg_type { MT_ADD = 1, MT_SUM, MT_CHUNK, MT_END, MT_DIGEST };

struct add_request {
	long mtype; /* MT_ADD */
	int a, b;
};

struct add_reply {
	long mtype; /* MT_SUM */
	int sum;
	char client; /* the server tells the client its name: 'A' or 'B' */
};

struct chunk {
	long mtype; /* MT_CHUNK */
	unsigned char data[SHIELD_MSG_MAXTEXT];
};

struct doc_end {
	long mtype; /* MT_END from the client, MT_DIGEST in the server's answer */
	uint32_t length, digest;
};

static inline taskh_t handle_of(uint32_t label)
{
	taskh_t h = 0;

	if (__sys_get_process_handle(label) == STATUS_OK)
		copy_from_kernel((uint8_t *)&h, sizeof(h));
	return h;
}

/* The document client |who| ('A' or 'B') sends: every byte value, in a client-specific order. */
static inline void doc_fill(unsigned char *doc, size_t len, char who)
{
	for (size_t i = 0; i < len; i++)
		doc[i] = (unsigned char)(i * 31u + (unsigned char)who);
}

/* FNV-1a, 32 bits. */
static inline uint32_t digest_of(const unsigned char *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

#endif
