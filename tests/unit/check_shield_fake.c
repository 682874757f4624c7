/*
 * check_shield_fake.c: scripted UAPI for shield's unit tests (see check_shield_fake.h).
 *
 * Each __sys_* function records its call and answers from the script; library-side
 * behaviour that shield can observe is kept (log length check, copy truncation, event
 * header layout, wait_for_event ordering: signals before IPCs).
 */
#include "check_shield_fake.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uapi/uapi.h>

struct fake_state fake;

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.log_status = STATUS_OK;
	fake.sleep_status = STATUS_OK;
	fake.alarm_start_status = STATUS_OK;
}

static void record(enum fake_call call, uint32_t a0, uint32_t a1)
{
	ck_assert_msg(fake.ncalls < FAKE_CALLS_MAX, "too many UAPI calls (runaway loop?)");
	fake.calls[fake.ncalls++] = (struct fake_record){.call = call, .a0 = a0, .a1 = a1};
}

size_t fake_count(enum fake_call c)
{
	size_t n = 0;

	for (size_t i = 0; i < fake.ncalls; i++)
		n += fake.calls[i].call == c;
	return n;
}

long fake_find(enum fake_call c, size_t n)
{
	for (size_t i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].call == c && n-- == 0)
			return (long)i;
	}
	return -1;
}

static void push_event(uint8_t type, uint32_t source, const void *data, uint8_t len)
{
	struct fake_event *e;

	ck_assert(fake.nevents < FAKE_EVENTS_MAX);
	ck_assert(len <= SENTRY_SVCEXCHANGE_LEN - 8);
	e = &fake.events[fake.nevents++];
	*e = (struct fake_event){.type = type, .length = len, .magic = 0x4242, .source = source};
	memcpy(e->data, data, len);
}

void fake_push_signal(uint32_t source, uint32_t signum)
{
	push_event(EVENT_TYPE_SIGNAL, source, &signum, sizeof(signum));
}

void fake_push_ipc(uint32_t source, const void *payload, uint8_t len)
{
	push_event(EVENT_TYPE_IPC, source, payload, len);
}

void fake_push_msg(uint32_t source, long mtype, const char *text, size_t len)
{
	uint8_t buf[SENTRY_SVCEXCHANGE_LEN];

	memcpy(buf, &mtype, sizeof(mtype));
	memcpy(buf + sizeof(mtype), text, len);
	fake_push_ipc(source, buf, (uint8_t)(sizeof(mtype) + len));
}

Status copy_to_kernel(const uint8_t *from, size_t length)
{
	record(FAKE_COPY_TO, (uint32_t)length, 0);
	if (from == NULL && length > 0)
		return STATUS_INVALID;
	memcpy(fake.exch, from, length < sizeof(fake.exch) ? length : sizeof(fake.exch));
	return STATUS_OK;
}

Status copy_from_kernel(uint8_t *to, size_t length)
{
	record(FAKE_COPY_FROM, (uint32_t)length, 0);
	if (to == NULL && length > 0)
		return STATUS_INVALID;
	memcpy(to, fake.exch, length < sizeof(fake.exch) ? length : sizeof(fake.exch));
	return STATUS_OK;
}

Status __sys_log(size_t length)
{
	record(FAKE_LOG, (uint32_t)length, 0);
	if (length > SENTRY_SVCEXCHANGE_LEN)
		return STATUS_INVALID;
	if (fake.log_status != STATUS_OK)
		return fake.log_status;
	ck_assert(fake.outlen + length <= sizeof(fake.out));
	memcpy(fake.out + fake.outlen, fake.exch, length);
	fake.outlen += length;
	return STATUS_OK;
}

Status __sys_get_random(void)
{
	size_t call = fake.random_calls++;
	Status st = call < FAKE_SCRIPT_MAX ? fake.random_script[call] : STATUS_OK;
	uint32_t k = fake.random_words;
	uint8_t word[4] = {(uint8_t)(4 * k), (uint8_t)(4 * k + 1), (uint8_t)(4 * k + 2),
	                   (uint8_t)(4 * k + 3)};

	record(FAKE_GET_RANDOM, 0, 0);
	if (st != STATUS_OK)
		return st;
	fake.random_words++;
	memcpy(fake.exch, word, sizeof(word));
	return STATUS_OK;
}

Status __sys_get_cycle(Precision precision)
{
	uint64_t v;

	record(FAKE_GET_CYCLE, precision, 0);
	if (fake.cycle_status != STATUS_OK)
		return fake.cycle_status;
	if (precision == PRECISION_MICROSECONDS)
		v = fake.now_us;
	else if (precision == PRECISION_MILLISECONDS)
		v = fake.now_us / 1000;
	else
		return STATUS_DENIED; /* shield must never use CYCLE or NANOSECONDS */
	memcpy(fake.exch, &v, sizeof(v));
	return STATUS_OK;
}

Status __sys_sleep(SleepDuration duration_ms, SleepMode mode)
{
	uint32_t ms = duration_ms.arbitrary_ms;

	ck_assert_int_eq(duration_ms.tag, SLEEP_DURATION_ARBITRARY_MS);
	record(FAKE_SLEEP, ms, mode);
	if (fake.sleep_status != STATUS_OK)
		return fake.sleep_status;
	if (fake.on_sleep != NULL)
		fake.on_sleep(ms, mode);
	if (mode == SLEEP_MODE_SHALLOW && fake.nevents > 0)
		return STATUS_INTR;
	fake.now_us += (uint64_t)ms * 1000 + fake.sleep_extra_us;
	return STATUS_TIMEOUT;
}

Status __sys_sched_yield(void)
{
	record(FAKE_YIELD, 0, 0);
	fake.now_us += fake.yield_us;
	return STATUS_OK;
}

size_t fake_alarms_armed(void)
{
	uint64_t now_ms = fake.now_us / 1000;

	for (size_t i = 0; i < fake.nalarms;) {
		if (fake.alarms[i].fire_ms <= now_ms)
			fake.alarms[i] = fake.alarms[--fake.nalarms];
		else
			i++;
	}
	return fake.nalarms;
}

Status __sys_alarm(uint32_t timeout_ms, AlarmFlag flag)
{
	record(FAKE_ALARM, timeout_ms, flag);
	fake_alarms_armed();
	if (flag == O_ALRM_STOP) {
		for (size_t i = 0; i < fake.nalarms; i++) {
			if (fake.alarms[i].delay == timeout_ms) {
				fake.alarms[i] = fake.alarms[--fake.nalarms];
				return STATUS_OK;
			}
		}
		fake.alarm_stop_missed++;
		return STATUS_NO_ENTITY;
	}
	if (fake.alarm_start_status != STATUS_OK)
		return fake.alarm_start_status;
	ck_assert(flag == O_ALRM_START);
	ck_assert(fake.nalarms < 16);
	fake.alarms[fake.nalarms].delay = timeout_ms;
	/* Fires on the delay-th tick after the call; 0 and 1 both on the next one. */
	fake.alarms[fake.nalarms++].fire_ms = fake.now_us / 1000 + (timeout_ms ? timeout_ms : 1);
	return STATUS_OK;
}

/* Take the first queued event the mask selects: signals first, as the kernel does. */
static int take_event(uint8_t mask)
{
	static const uint8_t order[] = {EVENT_TYPE_SIGNAL, EVENT_TYPE_IRQ, EVENT_TYPE_DMA,
	                                EVENT_TYPE_IPC};

	for (size_t o = 0; o < sizeof(order); o++) {
		if (!(mask & order[o]))
			continue;
		for (size_t i = 0; i < fake.nevents; i++) {
			struct fake_event *e = &fake.events[i];

			if (e->type != order[o])
				continue;
			memcpy(fake.exch, e, 8);
			memcpy(fake.exch + 8, e->data, e->length);
			memmove(e, e + 1, (fake.nevents - i - 1) * sizeof(*e));
			fake.nevents--;
			return 1;
		}
	}
	return 0;
}

Status __sys_wait_for_event(uint8_t mask, int32_t timeout)
{
	record(FAKE_WFE, mask, (uint32_t)timeout);
	if (take_event(mask))
		return STATUS_OK;
	if (timeout == WFE_WAIT_NO)
		return STATUS_AGAIN;
	ck_assert_msg(fake.on_block != NULL,
	              "shield blocked in wait_for_event with nothing to come");
	fake.on_block();
	return take_event(mask) ? STATUS_OK : STATUS_INTR;
}

Status __sys_send_signal(uint32_t resource, Signal signal_type)
{
	record(FAKE_SEND_SIGNAL, resource, signal_type);
	return fake.send_signal_status;
}

Status __sys_send_ipc(uint32_t resource, uint8_t length)
{
	record(FAKE_SEND_IPC, resource, length);
	memcpy(fake.ipc_sent, fake.exch, length);
	return fake.send_ipc_status;
}

Status __sys_exit(int32_t status)
{
	record(FAKE_EXIT, (uint32_t)status, 0);
	fflush(NULL);
	_exit(status & 0xff);
}
