/*
 * inv_effects.c: the oracle's predictions for a system call that passed its checks: the
 * state the spec says each effect leaves, written into the model (see inv_priv.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/dma.h>
#include <uapi/types.h>
#include <uapi/capability.h>

#include "sim/fuzz/inv_priv.h"

INV_NO_COVERAGE_BEGIN

/* ---------------------------------------------------------------------------------------- */
/* The model                                                                                 */

void inv_model_from(Inv *inv, const Snap *s)
{
	Model *m = &inv->m;
	memset(m, 0, sizeof(*m));
	for (uint32_t i = 0; i < inv->tl; i++) {
		const SnapTask *t = &s->t[i];
		m->t[i] = (ModelTask){.state = t->v.state,
		                      .assigned = t->v.assigned,
		                      .pending = t->v.pending,
		                      .n_delay = t->n_delay,
		                      .delay_rem = t->delay_rem,
		                      .deadline = deadline_of(s->jiffies, t->delay_rem)};
		memcpy(m->ipc[i], t->ipc, sizeof(t->ipc));
		memcpy(m->sig[i], t->sig, sizeof(t->sig));
	}
	memcpy(m->alarm, s->alarm, sizeof(m->alarm));
	memcpy(m->pm, s->pm, sizeof(m->pm));
	m->b = s->b;
}

/* An event pushed to |id| (signal, IPC): a shallow sleeper or a waiter wakes with INTR. */
void inv_model_wake_intr(Inv *inv, uint32_t id)
{
	ModelTask *t = &inv->m.t[id];
	if (t->state != JOB_SLEEPING && t->state != JOB_WAITFOREVENT)
		return;
	t->state = JOB_READY;
	t->assigned = true;
	t->pending = STATUS_INTR;
	t->n_delay = 0;
	t->scheduled = true;
}

static void model_block(Inv *inv, uint32_t id, JobState st, bool timed, uint32_t ms)
{
	ModelTask *t = &inv->m.t[id];
	t->state = st;
	t->assigned = true;
	t->pending = STATUS_NON_SENSE;
	t->n_delay = timed ? 1 : 0;
	t->delay_rem = ms;
	t->deadline = deadline_of(inv->pre->jiffies, ms);
}

bool inv_delay_queue_has_room(const Inv *inv)
{
	return inv->pre->delays_used < inv->q;
}

/* ---------------------------------------------------------------------------------------- */
/* Effects: predictions for a call that passed its checks                                    */

static void expect_status(Inv *inv, uint32_t status, const char *why)
{
	inv->e.kind = EXP_STATUS;
	inv->e.status = status;
	inv->e.why = why;
	inv->m.t[inv->task].assigned = true;
	inv->m.t[inv->task].pending = status;
}

static void expect_ok_out(Inv *inv, uint32_t len)
{
	expect_status(inv, STATUS_OK, "success");
	inv->e.out_check = true;
	inv->e.out_len = len;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void eff_ok(Inv *inv)
{
	expect_ok_out(inv, systable_out_len(inv->d->out));
}

/* 4.13, 4.14: the request reaches the power manager. */
static void eff_pm(Inv *inv)
{
	expect_status(inv, STATUS_OK, "power request");
	inv->m.pm[0]++;
	if (inv->nr == SYSCALL_PM_MANAGE) {
		inv->m.pm[1] = inv->a[0];
	} else {
		inv->m.pm[2] = inv->a[0];
		inv->m.pm[3] = inv->a[1];
		inv->m.pm[4] = inv->a[2];
	}
}

static void eff_process_handle(Inv *inv)
{
	expect_ok_out(inv, 4);
	put32(inv->e.out, inv->pre->t[inv->target].v.handle);
	inv->e.out_known = true;
}

static void eff_yield(Inv *inv)
{
	expect_status(inv, STATUS_OK, "yield");
	inv->m.t[inv->task].state = JOB_READY;
	inv->e.elects = true;
}

static void eff_sleep(Inv *inv)
{
	uint32_t ms = inv->a[0], mode = inv->a[1];
	inv->e.kind = EXP_BLOCK;
	inv->e.why = "sleep";
	inv->e.later = ST(STATUS_TIMEOUT) | (mode == SLEEP_MODE_SHALLOW ? ST(STATUS_INTR) : 0);
	inv->e.elects = true;
	model_block(inv, inv->task, mode ? JOB_SLEEPING_DEEP : JOB_SLEEPING, true, ms);
}

static void eff_start(Inv *inv)
{
	const SnapTask *t = &inv->pre->t[inv->target];
	if (inv->target == inv->idle) {
		/* not characterized: idle is never in a job set (the model answers OK) */
		inv->e.panic_allowed = true;
		inv->e.cause = PANIC_KERNEL_INVALID_MANAGER_RESPONSE;
		expect_status(inv, STATUS_OK, "start of idle");
		return;
	}
	uint32_t used = 0;
	for (uint32_t q = 0; q < inv->q; q++)
		used += inv->pre->active[q].used;
	if ((t->v.state != JOB_READY && t->v.state != JOB_YIELDED) || t->in_active ||
	    used >= inv->q) {
		inv->e.kind = EXP_PANIC;
		inv->e.cause = PANIC_KERNEL_INVALID_MANAGER_RESPONSE;
		inv->e.why = "start of a task the scheduler refuses";
		return;
	}
	if (t->in_backed)
		inv->dup_possible = true; /* 4.6: now in both sets, not characterized */
	expect_status(inv, STATUS_OK, "start");
	inv->m.t[inv->target].scheduled = true;
}

static void eff_send_ipc(Inv *inv)
{
	uint32_t len = inv->a[1], to = inv->target;
	inv->m.ipc[to][inv->task] = (uint8_t)len;
	if (to == inv->task) {
		if (inv->cfg.autotest)
			expect_status(inv, STATUS_OK, "autotest self-IPC");
		else
			expect_status(inv, STATUS_INVALID, "self-IPC, slot left pending");
		return;
	}
	inv->e.kind = EXP_BLOCK;
	inv->e.why = "send_ipc";
	inv->e.elects = true;
	inv->e.later = ST(STATUS_OK);
	model_block(inv, inv->task, JOB_IPC_SEND_BLOCKED, false, 0);
	inv_model_wake_intr(inv, to);
}

static void eff_send_signal(Inv *inv)
{
	inv->m.sig[inv->target][inv->task] = (uint8_t)inv->a[1];
	inv_model_wake_intr(inv, inv->target);
	expect_status(inv, STATUS_OK, "send_signal");
}

/* 4.12: take the first pending event by the kernel's order, or block (or return at once). */
static void eff_wait(Inv *inv)
{
	uint32_t c = inv->task, mask = inv->a[0] & 0xFFu;
	int32_t timeout = (int32_t)inv->a[1];
	const SnapTask *t = &inv->pre->t[c];
	Expect *e = &inv->e;
	int from = -1;
	if (mask & EVENT_TYPE_SIGNAL)
		for (uint32_t s = 0; s < inv->tl && from < 0; s++)
			if (t->sig[s])
				from = (int)s;
	if (from >= 0) {
		expect_ok_out(inv, 12);
		e->ev_check = true;
		e->ev_type = EVENT_TYPE_SIGNAL;
		uint8_t *o = e->out;
		o[0] = EVENT_TYPE_SIGNAL;
		o[1] = 4;
		o[2] = o[3] = 0x42;
		put32(o + 4, inv->pre->t[from].v.handle);
		put32(o + 8, t->sig[from]);
		e->out_known = true;
		inv->m.sig[c][from] = 0;
		return;
	}
	BoardState *b = &inv->m.b;
	bool irq = (mask & EVENT_TYPE_IRQ) && b->irq[c].n;
	if (irq || ((mask & EVENT_TYPE_DMA) && inv->cfg.gpdma && b->dma[c].n)) {
		/* the oldest event of the ring (4.12 steps 2, 3) */
		uint32_t x, y;
		inv_ring_pop_model(irq ? &b->irq[c] : &b->dma[c], &x, &y);
		expect_ok_out(inv, irq ? 12 : 9);
		e->ev_check = true;
		e->ev_type = irq ? EVENT_TYPE_IRQ : EVENT_TYPE_DMA;
		uint8_t *o = e->out;
		o[0] = e->ev_type;
		o[1] = irq ? 4 : 1;
		o[2] = o[3] = 0x42;
		put32(o + 4, irq ? y : x); /* the device's handle, or the stream's */
		if (irq)
			put32(o + 8, x); /* the IRQ number */
		else
			o[8] = (uint8_t)y; /* the channel state */
		e->out_known = true;
		return;
	}
	if (mask & EVENT_TYPE_IPC)
		for (uint32_t s = 0; s < inv->tl && from < 0; s++)
			if (t->ipc[s])
				from = (int)s;
	if (from >= 0) {
		uint32_t len = t->ipc[from];
		expect_ok_out(inv, 8 + len);
		e->ev_check = true;
		e->ev_type = EVENT_TYPE_IPC;
		uint8_t *o = e->out;
		o[0] = EVENT_TYPE_IPC;
		o[1] = (uint8_t)len;
		o[2] = o[3] = 0x42;
		put32(o + 4, inv->pre->t[from].v.handle);
		/* copied at receive time from the sender's area (the caller's own, for a
		 * self-IPC, as it was at this trap) */
		memcpy(o + 8, inv->pre->exch[from], len);
		e->out_known = true;
		inv->m.ipc[c][from] = 0;
		if (!inv->cfg.autotest) {
			ModelTask *snd = &inv->m.t[from];
			snd->state = JOB_READY;
			snd->assigned = true;
			snd->pending = STATUS_OK;
			if ((uint32_t)from != c)
				snd->scheduled = true;
			else
				e->cancel_abort = true; /* READY replaces an abort (4.0) */
		}
		return;
	}
	if (timeout == WFE_WAIT_NO) {
		expect_status(inv, STATUS_AGAIN, "nothing pending, no wait");
		return;
	}
	bool timed = timeout > 0 && inv_delay_queue_has_room(inv);
	e->kind = EXP_BLOCK;
	e->why = "wait_for_event";
	e->elects = true;
	e->later = ST(STATUS_INTR) | (timed ? ST(STATUS_TIMEOUT) : 0);
	model_block(inv, c, JOB_WAITFOREVENT, timed, timed ? (uint32_t)timeout : 0);
}

static void eff_log(Inv *inv)
{
	expect_status(inv, STATUS_OK, "log");
	inv->e.log_expected = inv->a[0] > 0;
}

/* 4.16: set, replace or cancel the caller's alarm entry. */
static void eff_alarm(Inv *inv)
{
	uint32_t delay = inv->a[0], flag = inv->a[1];
	uint32_t h = inv->pre->t[inv->task].v.handle;
	SnapAlarm *al = inv->m.alarm;
	if (flag == O_ALRM_START || flag == O_ALRM_START_PERIODIC) {
		for (uint32_t q = 0; q < inv->q; q++) {
			if (al[q].used)
				continue;
			al[q] = (SnapAlarm){.used = true,
			                    .periodic = flag == O_ALRM_START_PERIODIC,
			                    .handle = h,
			                    .delay = delay,
			                    .remaining = delay};
			expect_status(inv, STATUS_OK, "alarm armed");
			return;
		}
		expect_status(inv, STATUS_BUSY, "alarm queue full");
		return;
	}
	if (flag == O_ALRM_STOP) {
		for (uint32_t q = 0; q < inv->q; q++) {
			if (al[q].used && al[q].handle == h && al[q].delay == delay) {
				al[q] = (SnapAlarm){0};
				expect_status(inv, STATUS_OK, "alarm stopped");
				return;
			}
		}
		expect_status(inv, STATUS_NO_ENTITY, "no such alarm");
		return;
	}
	expect_status(inv, STATUS_INVALID, "alarm flag");
}

static void eff_cycle(Inv *inv)
{
	uint64_t now = inv->pre->now, freq = inv->cfg.core_freq_hz;
	uint64_t cycles = (uint64_t)((unsigned __int128)now * freq / 1000000000u);
	uint64_t v = 0;
	switch (inv->a[0]) {
	case PRECISION_CYCLE:
		v = cycles;
		break;
	case PRECISION_NANOSECONDS:
		v = freq < 1000000000u && inv->cfg.nanos_quirk
		        ? 0
		        : (uint64_t)((unsigned __int128)cycles * 1000000000u / freq);
		break;
	case PRECISION_MICROSECONDS:
		v = (uint64_t)((unsigned __int128)cycles * 1000000u / freq);
		break;
	default:
		v = inv->pre->jiffies;
		break;
	}
	expect_ok_out(inv, 8);
	memcpy(inv->e.out, &v, 8);
	inv->e.out_known = true;
}

static void eff_capa(Inv *inv, bool set)
{
	expect_status(inv, STATUS_OK, set ? "capability set" : "capability cleared");
	inv->e.caps_change = true;
	inv->e.caps_after = set ? inv->global_caps | inv->a[0] : inv->global_caps & ~inv->a[0];
}

static void eff_capa_set(Inv *inv)
{
	eff_capa(inv, true);
}

static void eff_capa_clear(Inv *inv)
{
	eff_capa(inv, false);
}

static void eff_has_respawned(Inv *inv)
{
	bool r = inv->pre->t[inv->task].respawned;
	expect_status(inv, r ? STATUS_OK : STATUS_AGAIN, "has_respawned");
}

/* A handle written at exch[0..3] (get_*_handle). */
static void eff_out_handle(Inv *inv, uint32_t h)
{
	expect_ok_out(inv, 4);
	put32(inv->e.out, h);
	inv->e.out_known = true;
}

/* 4.24: {handle, label, base, len, perms}, padding zero. */
static void eff_shm_infos(Inv *inv, uint32_t i)
{
	const BoardShm *c = &inv->fb.shms[i];
	const KernelShmSlotView *acc = inv_shm_slot(&inv->pre->b, i, inv->acc);
	shm_infos_t info;
	memset(&info, 0, sizeof(info));
	info.handle = inv->shm_h[i];
	info.label = c->label;
	info.base = (size_t)c->base;
	info.len = (size_t)c->size;
	info.perms = (!c->no_map && acc->mappable ? SHM_PERMISSION_MAP : 0u) |
	             (acc->rw ? SHM_PERMISSION_WRITE : 0u);
	expect_ok_out(inv, sizeof(info));
	memcpy(inv->e.out, &info, sizeof(info));
	inv->e.out_known = true;
}

/* A little field of an exchange-area record, at its offset, in the task's byte order. */
static void put_field(uint8_t *out, uint32_t off, uint32_t width, uint64_t v)
{
	if (width == 1) {
		out[off] = (uint8_t)v;
	} else if (width == 2) {
		uint16_t x = (uint16_t)v;
		memcpy(out + off, &x, 2);
	} else if (width == 4) {
		uint32_t x = (uint32_t)v;
		memcpy(out + off, &x, 4);
	} else {
		memcpy(out + off, &v, 8);
	}
}

/*
 * dma_get_stream_info (4.23) writes the stream's static configuration, built here from the
 * spec's tables rather than from the model's code or dma.h's struct: the fields and offsets
 * of gpdma_stream_cfg_t in 1.5 (ILP32 or LP64 column, by the size of size_t), every other
 * byte zero, and their values from 9.3.
 */
static void eff_dma_info(Inv *inv, uint32_t i)
{
	enum {
		F_CHANNEL,
		F_STREAM,
		F_CONTROLLER,
		F_TYPE,
		F_SOURCE,
		F_DEST,
		F_LEN,
		F_CIRC_SRC,
		F_CIRC_DST,
		F_INTERRUPTS,
		F_TRIGGERED,
		F_TRIGGER,
		F_PRIORITY,
		F_MODE,
		F_SRC_BEAT,
		F_DST_BEAT,
		F_SIZEOF
	};
	static const uint8_t off[F_SIZEOF + 1][2] = {
	    /* 1.5: {ILP32, LP64} */
	    [F_CHANNEL] = {0, 0},      [F_STREAM] = {2, 2},      [F_CONTROLLER] = {4, 4},
	    [F_TYPE] = {6, 6},         [F_SOURCE] = {8, 8},      [F_DEST] = {12, 16},
	    [F_LEN] = {16, 24},        [F_CIRC_SRC] = {20, 32},  [F_CIRC_DST] = {21, 33},
	    [F_INTERRUPTS] = {22, 34}, [F_TRIGGERED] = {23, 35}, [F_TRIGGER] = {24, 36},
	    [F_PRIORITY] = {25, 37},   [F_MODE] = {26, 38},      [F_SRC_BEAT] = {27, 39},
	    [F_DST_BEAT] = {28, 40},   [F_SIZEOF] = {32, 48},
	};
	/* 9.3: transfer_type by [source is a device][dest is a device] */
	static const uint16_t transfer_type[2][2] = {{2, 0}, {1, 3}};
	const int abi = sizeof(size_t) == 8;
	const uint32_t word = (uint32_t)sizeof(size_t);
	const BoardDma *c = &inv->fb.dmas[i];
	const bool src_dev = c->source.kind == BOARD_END_DEVICE;
	const bool dst_dev = c->dest.kind == BOARD_END_DEVICE;
	uint8_t *out = inv->e.out;

	expect_ok_out(inv, off[F_SIZEOF][abi]);
	memset(out, 0, off[F_SIZEOF][abi]); /* padding and the fixed zero fields */
	put_field(out, off[F_CHANNEL][abi], 2, c->channel);
	put_field(out, off[F_STREAM][abi], 2, c->stream);
	put_field(out, off[F_CONTROLLER][abi], 2, c->controller);
	put_field(out, off[F_TYPE][abi], 2, transfer_type[src_dev][dst_dev]);
	put_field(out, off[F_SOURCE][abi], word, src_dev ? 0 : inv->fb.shms[c->source.index].base);
	put_field(out, off[F_DEST][abi], word, dst_dev ? 0 : inv->fb.shms[c->dest.index].base);
	put_field(out, off[F_LEN][abi], word, c->length);
	put_field(out, off[F_CIRC_SRC][abi], 1, c->circular_source);
	put_field(out, off[F_CIRC_DST][abi], 1, c->circular_dest);
	put_field(out, off[F_INTERRUPTS][abi], 1, 5); /* TC | ERROR */
	put_field(out, off[F_PRIORITY][abi], 1, c->priority);
	inv->e.out_known = true;
}

/* 4.19: the level a pin reads: the host's drive, else the output last driven. */
static bool pin_read(const BoardState *b, int p)
{
	return b->pin_driven[p] ? b->pin_input[p] : b->pin_level[p];
}

static void eff_gpio(Inv *inv, uint32_t dev)
{
	const BoardIo *io = &inv->fb.devices[dev].ios[inv->a[1] & 0xFFu];
	int p = inv_pin_index(inv, (uint32_t)io->port << 8 | io->pin);
	BoardState *b = &inv->m.b;
	if (p < 0) {
		inv_fail(inv, "oracle error: io %u of %s names no pin", inv->a[1] & 0xFFu,
		         inv->fb.devices[dev].name);
		return;
	}
	switch (inv->nr) {
	case SYSCALL_GPIO_GET:
		expect_ok_out(inv, 1);
		inv->e.out[0] = pin_read(b, p) ? 1 : 0;
		inv->e.out_known = true;
		return;
	case SYSCALL_GPIO_SET:
		b->pin_level[p] = inv->a[2] != 0;
		break;
	case SYSCALL_GPIO_RESET:
		b->pin_level[p] = false;
		break;
	case SYSCALL_GPIO_TOGGLE:
		b->pin_level[p] = !pin_read(b, p);
		break;
	default: /* configure: the declared configuration applies; nothing to see */
		break;
	}
	expect_status(inv, STATUS_OK, "gpio");
}

static void eff_irq(Inv *inv)
{
	int li = inv_irq_line(inv, inv->a[0] & 0xFFFFu);
	BoardState *b = &inv->m.b;
	if (li < 0) {
		inv_fail(inv, "oracle error: IRQ %u is not a line of the board",
		         inv->a[0] & 0xFFFFu);
		return;
	}
	expect_status(inv, STATUS_OK, "irq");
	switch (inv->nr) {
	case SYSCALL_IRQ_ACKNOWLEDGE:
		b->irq_pend[li] = false;
		break;
	case SYSCALL_IRQ_ENABLE:
		/* a source that asserted while masked is delivered now (4.20) */
		b->irq_en[li] = true;
		if (!inv_model_irq_deliver(inv, (uint32_t)li)) {
			inv->e.kind = EXP_PANIC;
			inv->e.cause = PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG;
			inv->e.why = "IRQ ring overflow (4.20)";
		}
		break;
	default:
		b->irq_en[li] = false;
		break;
	}
}

/* 4.23: transitions; start also runs the transfer and its completion interrupt. */
static void eff_dma(Inv *inv, uint32_t i)
{
	BoardState *b = &inv->m.b;
	switch (inv->nr) {
	case SYSCALL_DMA_START_STREAM:
		b->dma_state[i] = DMA_ST_STARTED; /* even when the driver's enable fails */
		if (inv->dma_failures) {
			inv->e.dma_failure_used = true;
			expect_status(inv, STATUS_INVALID, "the DMA driver's enable fails");
			return;
		}
		expect_status(inv, STATUS_OK, "dma start");
		if (inv->cfg.dma_intended)
			b->dma_state[i] = DMA_ST_ASSIGNED;
		/* the completion: the event carries IDLE (reference and intended paths) */
		if (!inv_ring_push_model(&b->dma[inv->task], inv->dma_h[i], GPDMA_STATE_IDLE)) {
			inv->e.kind = EXP_PANIC;
			inv->e.cause = PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG;
			inv->e.why = "DMA ring overflow (4.23)";
		}
		return; /* the owner is the caller, which runs: no wake-up */
	case SYSCALL_DMA_SUSPEND_STREAM:
		b->dma_state[i] = DMA_ST_SUSPENDED;
		break;
	case SYSCALL_DMA_RESUME_STREAM:
		b->dma_state[i] = DMA_ST_STARTED;
		break;
	case SYSCALL_DMA_ASSIGN_STREAM:
		b->dma_state[i] = DMA_ST_ASSIGNED;
		break;
	case SYSCALL_DMA_UNASSIGN_STREAM:
		b->dma_state[i] = DMA_ST_UNSET;
		break;
	default:
		break;
	}
	expect_status(inv, STATUS_OK, "dma transition");
}

/* 4.9 step 7. */
static void eff_shm_credential(Inv *inv, uint32_t i)
{
	BoardState *b = &inv->m.b;
	uint32_t target = inv->a[1], perms = inv->a[2];
	uint32_t caller = inv->pre->t[inv->task].v.handle;
	KernelShmSlotView cred = {.task = target,
	                          .mappable = (perms & SHM_PERMISSION_MAP) != 0,
	                          .rw = (perms & SHM_PERMISSION_WRITE) != 0,
	                          .transferable = (perms & SHM_PERMISSION_TRANSFER) != 0};
	if (target == caller) {
		cred.mapped = b->shm_owner[i].mapped; /* false: step 6 refused a mapped owner */
		b->shm_owner[i] = cred;
	} else {
		/* the mapped flag belongs to the accessor, not to the credential: the same
		 * user keeps it, a new user starts unmapped (sim's reading, docs) */
		if (b->shm_user[i].task == target)
			cred.mapped = b->shm_user[i].mapped;
		b->shm_user[i] = cred;
		b->shm_shared[i] = true;
	}
	expect_status(inv, STATUS_OK, "credential set");
}

/* The board effects, by call: handles, mappings, credentials, GPIO, IRQ and DMA. */
static void eff_board(Inv *inv)
{
	uint32_t r = (uint32_t)inv->res, c = inv->task;
	BoardState *b = &inv->m.b;
	switch (inv->nr) {
	case SYSCALL_GET_DEVICE_HANDLE:
		eff_out_handle(inv, inv->dev_h[r]);
		return;
	case SYSCALL_MAP_DEV:
		inv_win_add(b, c, false, r, true); /* read-write device memory (4.7) */
		b->dev_mapped[r] = true;
		expect_status(inv, STATUS_OK, "device mapped");
		return;
	case SYSCALL_UNMAP_DEV:
		inv_win_remove(b, c, false, r);
		b->dev_mapped[r] = false;
		expect_status(inv, STATUS_OK, "device unmapped");
		return;
	case SYSCALL_MAP_SHM:
		/* read-write if the accessor's rw flag is set, read-only otherwise (4.8) */
		inv_win_add(b, c, true, r, inv_shm_slot(&inv->pre->b, r, inv->acc)->rw);
		inv_shm_slot(b, r, inv->acc)->mapped = true;
		expect_status(inv, STATUS_OK, "SHM mapped");
		return;
	case SYSCALL_UNMAP_SHM:
		inv_win_remove(b, c, true, r);
		inv_shm_slot(b, r, inv->acc)->mapped = false;
		expect_status(inv, STATUS_OK, "SHM unmapped");
		return;
	case SYSCALL_SHM_SET_CREDENTIAL:
		eff_shm_credential(inv, r);
		return;
	case SYSCALL_GET_SHM_HANDLE:
		eff_out_handle(inv, inv->shm_h[r]);
		return;
	case SYSCALL_SHM_GET_INFOS:
		eff_shm_infos(inv, r);
		return;
	case SYSCALL_GPIO_GET:
	case SYSCALL_GPIO_SET:
	case SYSCALL_GPIO_RESET:
	case SYSCALL_GPIO_TOGGLE:
	case SYSCALL_GPIO_CONFIGURE:
		eff_gpio(inv, r);
		return;
	case SYSCALL_IRQ_ACKNOWLEDGE:
	case SYSCALL_IRQ_ENABLE:
	case SYSCALL_IRQ_DISABLE:
		eff_irq(inv);
		return;
	case SYSCALL_GET_DMA_STREAM_HANDLE:
		eff_out_handle(inv, inv->dma_h[r]);
		return;
	case SYSCALL_DMA_GET_STREAM_INFO:
		eff_dma_info(inv, r);
		return;
	default:
		eff_dma(inv, r);
		return;
	}
}

static void eff_unsupported(Inv *inv)
{
	if (inv->cfg.autotest) {
		expect_status(inv, STATUS_NO_ENTITY, "unsupported (autotest)");
		return;
	}
	inv->e.kind = EXP_NORESULT;
	inv->e.why = "unsupported: the caller aborts";
	inv->m.t[inv->task].state = JOB_ABORTING;
}

static void eff_exit(Inv *inv)
{
	uint32_t c = inv->task;
	ModelTask *t = &inv->m.t[c];
	inv->e.kind = EXP_EXIT;
	inv->e.elects = true;
	if (inv->a[0] != 0) {
		inv->e.why = "exit(!=0): aborting";
		t->state = JOB_ABORTING;
		return;
	}
	uint8_t mode = c < inv->n ? inv->cfg.tasks[c].exit_mode : EXIT_MODE_PANIC;
	if (mode == EXIT_MODE_PANIC) {
		inv->e.kind = EXP_PANIC;
		inv->e.cause = PANIC_HARDWARE_UNEXPECTED_MODIFICATION;
		inv->e.why = "exit(0) with exit mode PANIC";
		return;
	}
	if (mode == EXIT_MODE_RESTART) {
		inv->e.why = "exit(0): respawn";
		inv->m.respawn = true;
		memset(inv->m.b.win[c], 0, sizeof(inv->m.b.win[c])); /* 7.6 */
		*t = (ModelTask){.state = JOB_READY, .scheduled = true};
		return;
	}
	inv->e.why = "exit(0): finished";
	t->state = JOB_FINISHED;
	t->assigned = true;
	t->pending = STATUS_NON_SENSE;
}

typedef void (*EffectFn)(Inv *inv);

static const EffectFn effects[] = {
    [EFF_OK] = eff_ok,
    [EFF_EXIT] = eff_exit,
    [EFF_PROCESS_HANDLE] = eff_process_handle,
    [EFF_YIELD] = eff_yield,
    [EFF_SLEEP] = eff_sleep,
    [EFF_START] = eff_start,
    [EFF_SEND_IPC] = eff_send_ipc,
    [EFF_SEND_SIGNAL] = eff_send_signal,
    [EFF_WAIT] = eff_wait,
    [EFF_PM] = eff_pm,
    [EFF_LOG] = eff_log,
    [EFF_ALARM] = eff_alarm,
    [EFF_CYCLE] = eff_cycle,
    [EFF_CAPA_SET] = eff_capa_set,
    [EFF_CAPA_CLEAR] = eff_capa_clear,
    [EFF_HAS_RESPAWNED] = eff_has_respawned,
    [EFF_BOARD] = eff_board,
    [EFF_UNSUPPORTED] = eff_unsupported,
};

/* The prediction of a system call: its checks in order, then its effect. */
void inv_predict(Inv *inv)
{
	memset(&inv->e, 0, sizeof(inv->e));
	inv_model_from(inv, inv->pre);
	inv->target = KERNEL_NO_TASK;
	inv->res = -1;
	inv->acc = -1;
	if (inv->effect == EFF_UNSUPPORTED) {
		eff_unsupported(inv);
		return;
	}
	for (const SysCheck *ck = inv->d->checks; ck->kind != CK_END; ck++) {
		switch (inv_eval_check(inv, ck)) {
		case CK_PASS:
			continue;
		case CK_FAIL:
			expect_status(inv, ck->status, systable_check_name((CheckKind)ck->kind));
			return;
		case CK_UNKNOWN:
			inv->e.kind = EXP_ANY;
			inv->e.any = inv->d->statuses;
			inv->e.why = systable_check_name((CheckKind)ck->kind);
			return;
		case CK_PANICS:
			inv->e.kind = EXP_PANIC;
			inv->e.cause = PANIC_KERNEL_INVALID_MANAGER_RESPONSE;
			inv->e.why = inv->panic_ck;
			return;
		}
	}
	if (inv->effect >= sizeof(effects) / sizeof(effects[0]) || !effects[inv->effect]) {
		inv_fail(inv, "oracle error: no prediction for the effect of %s", inv->d->name);
		return;
	}
	effects[inv->effect](inv);
}

INV_NO_COVERAGE_END
