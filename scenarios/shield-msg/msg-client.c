/*
 * msg-client: talks to msg-server over one SysV message queue keyed on the server's task
 * handle (msg-proto.h): three ADD requests, each answered by a SUM, then a DOC_LEN-byte
 * document cut into CHUNK messages of SHIELD_MSG_MAXTEXT bytes (the largest message, which
 * fills the exchange area exactly) followed by END; the server answers with the digest of
 * what it put back together. shield-msg.ini runs two of them.
 */
#include <shield/errno.h>
#include <shield/stdio.h>
#include <shield/string.h>
#include <shield/sys/msg.h>

#include "msg-proto.h"

static int fail(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	return 1;
}

/* Returns the name the server gives this client, or 0. */
static char add_rounds(int q)
{
	char name = 0;

	for (int i = 1; i <= ROUNDS; i++) {
		struct add_request rq = {.mtype = MT_ADD, .a = i, .b = 100 * i};
		struct add_reply rp;

		if (msgsnd(q, &rq, sizeof(rq) - sizeof(long), 0) != 0 ||
		    msgrcv(q, &rp, sizeof(rp) - sizeof(long), MT_SUM, 0) < 0) {
			printf("add round %d: %s\n", i, strerror(errno));
			return 0;
		}
		printf("%d + %d = %d%s\n", rq.a, rq.b, rp.sum,
		       rp.sum == rq.a + rq.b ? "" : " WRONG");
		if (rp.sum != rq.a + rq.b)
			return 0;
		name = rp.client;
	}
	return name;
}

static int send_document(int q, char who)
{
	unsigned char doc[DOC_LEN];
	struct chunk c = {.mtype = MT_CHUNK};
	struct {
		long mtype;
		unsigned char data[SHIELD_MSG_MAXTEXT + 1];
	} too_long = {.mtype = MT_CHUNK};
	struct doc_end end = {.mtype = MT_END, .length = DOC_LEN};
	int messages = 0, rc;

	doc_fill(doc, sizeof(doc), who);
	end.digest = digest_of(doc, sizeof(doc));

	/* One byte more than a message can carry is refused, and nothing is sent. */
	rc = msgsnd(q, &too_long, sizeof(too_long.data), 0);
	printf("msgsnd of %zu text bytes: %d, %s\n", SHIELD_MSG_MAXTEXT + 1, rc,
	       errno == EINVAL ? "EINVAL" : strerror(errno));

	for (size_t off = 0; off < sizeof(doc); off += SHIELD_MSG_MAXTEXT) {
		size_t n =
		    sizeof(doc) - off < SHIELD_MSG_MAXTEXT ? sizeof(doc) - off : SHIELD_MSG_MAXTEXT;

		memcpy(c.data, doc + off, n);
		if (msgsnd(q, &c, n, 0) != 0)
			return fail("msgsnd chunk");
		messages++;
	}
	if (msgsnd(q, &end, sizeof(end) - sizeof(long), 0) != 0)
		return fail("msgsnd end");
	if (msgrcv(q, &end, sizeof(end) - sizeof(long), MT_DIGEST, 0) < 0)
		return fail("msgrcv digest");
	printf("document of %" PRIu32 " bytes sent in %d chunks: server digest 0x%08" PRIx32
	       ", %s\n",
	       end.length, messages, end.digest,
	       end.digest == digest_of(doc, sizeof(doc)) ? "matches" : "WRONG");
	return end.digest == digest_of(doc, sizeof(doc)) ? 0 : 1;
}

int main(void)
{
	taskh_t server = handle_of(SERVER);
	int q = msgget(server, IPC_CREAT);
	char name;

	if (q < 0)
		return fail("msgget");
	name = add_rounds(q);
	if (name == 0)
		return 1;
	return send_document(q, name);
}
