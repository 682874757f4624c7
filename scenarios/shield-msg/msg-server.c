/*
 * msg-server: serves two msg-clients over SysV message queues (msg-proto.h), one queue per
 * client keyed on the client's task handle. The clients take turns: while the server waits
 * on one queue, a message from the other client is kept in that client's queue (shield
 * caches up to SHIELD_MSGQ_DEPTH per queue), since its sender is already released.
 * For each client: three ADD rounds, then a document put back together from its CHUNK
 * messages and checked against the expected bytes. The first chunk is first asked for with
 * a buffer too small for it (E2BIG: the message stays queued), and a final non-blocking
 * receive finds the queue empty (ENOMSG).
 */
#include <shield/errno.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <shield/sys/msg.h>

#include "msg-proto.h"

static const char *errname(int e)
{
	switch (e) {
	case E2BIG:
		return "E2BIG";
	case ENOMSG:
		return "ENOMSG";
	default:
		return strerror(e);
	}
}

static int fail(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	return 1;
}

static int serve_add(int q, char name)
{
	struct add_request rq;
	struct add_reply rp = {.mtype = MT_SUM, .client = name};
	ssize_t n = msgrcv(q, &rq, sizeof(rq) - sizeof(long), MT_ADD, 0);

	if (n != (ssize_t)(sizeof(rq) - sizeof(long))) {
		printf("msgrcv: %zd, %s\n", n, strerror(errno));
		return 1;
	}
	rp.sum = rq.a + rq.b;
	printf("client %c asks %d + %d\n", name, rq.a, rq.b);
	if (msgsnd(q, &rp, sizeof(rp) - sizeof(long), 0) != 0)
		return fail("msgsnd");
	return 0;
}

static int serve_document(int q, char name)
{
	unsigned char doc[DOC_LEN], expected[DOC_LEN];
	struct {
		long mtype;
		unsigned char text[16];
	} small;
	union {
		struct chunk c;
		struct doc_end end;
	} m;
	size_t len = 0;
	int chunks = 0;
	ssize_t n;

	n = msgrcv(q, &small, sizeof(small.text), MT_CHUNK, 0);
	printf("client %c: first chunk into %zu bytes: %zd, %s\n", name, sizeof(small.text), n,
	       n < 0 ? errname(errno) : "accepted");
	for (;;) {
		n = msgrcv(q, &m, sizeof(m.c.data), 0, 0);
		if (n < 0)
			return fail("msgrcv");
		if (m.c.mtype == MT_END)
			break;
		if (m.c.mtype != MT_CHUNK || len + (size_t)n > sizeof(doc)) {
			printf("client %c: unexpected message type %ld, %zd bytes\n", name,
			       m.c.mtype, n);
			return 1;
		}
		memcpy(doc + len, m.c.data, (size_t)n);
		len += (size_t)n;
		chunks++;
		printf("client %c: chunk %d, %zd bytes\n", name, chunks, n);
	}
	doc_fill(expected, sizeof(expected), name);
	printf("client %c: document of %zu bytes (%" PRIu32 " announced) in %d chunks: %s\n", name,
	       len, m.end.length, chunks,
	       len == sizeof(doc) && memcmp(doc, expected, len) == 0 ? "intact" : "CORRUPT");
	m.end = (struct doc_end){
	    .mtype = MT_DIGEST, .length = (uint32_t)len, .digest = digest_of(doc, len)};
	if (msgsnd(q, &m.end, sizeof(m.end) - sizeof(long), 0) != 0)
		return fail("msgsnd");
	n = msgrcv(q, &m, sizeof(m.c.data), 0, IPC_NOWAIT);
	printf("client %c: queue drained: %zd, %s\n", name, n, n < 0 ? errname(errno) : "WRONG");
	return 0;
}

int main(void)
{
	static const uint32_t labels[2] = {CLIENT_A, CLIENT_B};
	int queues[2];

	for (int c = 0; c < 2; c++) {
		queues[c] = msgget(handle_of(labels[c]), IPC_CREAT | 0600);
		if (queues[c] < 0)
			return fail("msgget");
	}
	for (int round = 0; round < ROUNDS; round++) {
		for (int c = 0; c < 2; c++) {
			if (serve_add(queues[c], (char)('A' + c)) != 0)
				return 1;
		}
	}
	for (int c = 0; c < 2; c++) {
		if (serve_document(queues[c], (char)('A' + c)) != 0)
			return 1;
	}
	printf("done\n");
	return 0;
}
