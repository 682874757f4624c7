/*
 * check_shield_fake.h: a scripted stand-in for libsentry-uapi, for shield's unit tests.
 *
 * The shield unit tests link libshield-test (shield built with TEST_MODE) with these fakes
 * instead of the real UAPI library, so that the logic behind the system calls can be
 * checked without a daemon: which calls a function makes, with which arguments, what it
 * does with each Status. The fake keeps one exchange area, a virtual clock that only moves
 * when a sleep or a yield asks it to, a FIFO of kernel events for wait_for_event, and a
 * record of every call.
 *
 * Lifecycle: fake_reset() in each test's setup, then script (statuses, events, hooks),
 * call shield, inspect fake.calls / fake.out. __sys_exit() ends the (forked) test process
 * with the status, for tcase_add_exit_test().
 */
#ifndef CHECK_SHIELD_FAKE_H
#define CHECK_SHIELD_FAKE_H

#include <stddef.h>
#include <stdint.h>
#include <uapi/platform.h>
#include <uapi/types.h>

enum fake_call {
	FAKE_COPY_TO,   /* a0 = length */
	FAKE_COPY_FROM, /* a0 = length */
	FAKE_LOG,       /* a0 = length */
	FAKE_GET_RANDOM,
	FAKE_GET_CYCLE, /* a0 = precision */
	FAKE_SLEEP,     /* a0 = ms, a1 = mode */
	FAKE_YIELD,
	FAKE_ALARM,       /* a0 = ms, a1 = flag */
	FAKE_WFE,         /* a0 = mask, a1 = timeout */
	FAKE_SEND_SIGNAL, /* a0 = target, a1 = signal */
	FAKE_SEND_IPC,    /* a0 = target, a1 = length */
	FAKE_EXIT,        /* a0 = status */
};

struct fake_record {
	enum fake_call call;
	uint32_t a0, a1;
};

#define FAKE_CALLS_MAX  4096
#define FAKE_OUT_MAX    8192
#define FAKE_EVENTS_MAX 64
#define FAKE_SCRIPT_MAX 64

struct fake_event {
	uint8_t type; /* EVENT_TYPE_* */
	uint8_t length;
	uint16_t magic;
	uint32_t source;
	uint8_t data[SENTRY_SVCEXCHANGE_LEN];
};

struct fake_state {
	uint8_t exch[SENTRY_SVCEXCHANGE_LEN];
	struct fake_record calls[FAKE_CALLS_MAX];
	size_t ncalls;

	/* __sys_log output, concatenated. */
	char out[FAKE_OUT_MAX];
	size_t outlen;
	Status log_status;

	/* Clock: microseconds since boot; the ms clock is now_us / 1000. */
	uint64_t now_us;
	uint64_t yield_us;       /* added by each __sys_sched_yield */
	uint64_t sleep_extra_us; /* added to every sleep (tick phase) */
	Status sleep_status;     /* non-OK: every sleep answers it (and does not advance) */
	Status cycle_status;

	/* __sys_get_random: word k is bytes {4k, 4k+1, 4k+2, 4k+3}; script[i] answers call i. */
	uint32_t random_words;
	Status random_script[FAKE_SCRIPT_MAX];
	size_t random_calls;

	/*
	 * __sys_alarm: answer to START. Armed one-shot alarms are kept with the tick they fire
	 * on and forgotten once the clock reaches it; STOP answers OK when it finds one with
	 * the delay, NO_ENTITY (counted in alarm_stop_missed) otherwise.
	 */
	Status alarm_start_status;
	struct {
		uint32_t delay;
		uint64_t fire_ms;
	} alarms[16];
	size_t nalarms;
	size_t alarm_stop_missed;

	/* wait_for_event: pending events; on_block runs when a blocking wait finds nothing. */
	struct fake_event events[FAKE_EVENTS_MAX];
	size_t nevents;
	void (*on_block)(void);
	void (*on_sleep)(uint32_t ms, uint32_t mode);

	Status send_signal_status;
	Status send_ipc_status;
	uint8_t ipc_sent[SENTRY_SVCEXCHANGE_LEN]; /* payload of the last send_ipc */
};

extern struct fake_state fake;

void fake_reset(void);
/* Number of recorded calls of kind |c|. */
size_t fake_count(enum fake_call c);
/* Index of the |n|-th (0-based) call of kind |c|, or -1. */
long fake_find(enum fake_call c, size_t n);
/* Armed kernel alarms at the current time (fired ones are dropped first). */
size_t fake_alarms_armed(void);
/* Queue a signal / an IPC event as the kernel would deliver it. */
void fake_push_signal(uint32_t source, uint32_t signum);
void fake_push_ipc(uint32_t source, const void *payload, uint8_t len);
/* Queue an IPC carrying (long mtype, text). */
void fake_push_msg(uint32_t source, long mtype, const char *text, size_t len);

#endif /* CHECK_SHIELD_FAKE_H */
