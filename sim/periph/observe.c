/*
 * observe.c: the periph observer (see observe.h): the host side of the peripheral models in
 * a run of the daemon's loop.
 *
 * IRQs a model raises are queued and injected at the top of the next loop turn (check) or
 * when only idle runs (idle): a trapped access happens while a task is stopped in the middle
 * of its code, where the kernel must not switch tasks, and an IRQ from a script's stimulus
 * comes from another observer's check. Timers fire in check() when virtual time has reached
 * them, earliest first, then in board order: the same run gives the same order.
 *
 * DMA: a model raises a request level (PeriphHost.dma); after each entry into the models
 * (an access, a timer, bytes from outside, a stream started) the observer serves the high
 * requests of the devices whose started streams wait for them, one byte per beat, in stream
 * order, until none is left. A stream's completion is queued like an IRQ and reaches the
 * kernel (kernel_dma_complete) at the top of the next turn.
 */
#include "config.h"

#include <uapi/types.h>

#include "sim/kernel/views.h"
#include "sim/periph/observe.h"

#define DEFAULT_CLOCK_HZ 64000000u /* as kernel_config_init() */
#define DMA_STARTED      2u        /* kernel_view_dma()'s state of a started stream */
#define DMA_SUSPENDED    3u

typedef struct {
	PeriphRun *run;
	uint32_t device; /* board index */
	const BoardDevice *dev;
	PeriphModel *m;
	uint64_t due[PERIPH_MAX_TIMERS]; /* UINT64_MAX: disarmed */
	bool wakes[PERIPH_MAX_TIMERS];
	bool line[BOARD_MAX_IRQS]; /* the levels of its IRQ outputs */
	bool req[PERIPH_DMA_REQS]; /* the levels of its DMA requests */
} Slot;

/* A DMA stream between a device with a model and an SHM. */
typedef struct {
	Slot *dev;     /* NULL: not paced by a model */
	unsigned req;  /* PERIPH_DMA_RX (device to memory) or PERIPH_DMA_TX */
	uint64_t mem;  /* the SHM end's base */
	bool circular; /* a circular memory end of a device-to-memory stream: wraps */
	bool active;   /* started, bytes left to move */
	uint32_t pos;  /* bytes moved */
} Stream;

struct periph_run {
	PeriphRunConfig cfg;
	Kernel *k;   /* from setup() */
	Slot *slots; /* one per device; |m| NULL for a device without a model class */
	uint32_t n;
	guint n_models;
	GArray *pending;   /* of uint32_t: IRQs to inject at the next turn */
	uint32_t last_irq; /* argument of the last irq_enable call */
	Stream *streams;   /* one per DMA stream of the board */
	uint32_t n_streams;
	GArray *done;      /* of uint32_t: streams whose completion is for the next turn */
	uint32_t last_dma; /* argument of the last DMA start or resume call */
};

static void pump_dma(PeriphRun *p);

/* ---- the host of each model ---------------------------------------------------------- */

static uint64_t host_now(void *data)
{
	Slot *s = data;
	return s->run->k ? kernel_now_ns(s->run->k) : 0;
}

static void queue_irq(PeriphRun *p, uint32_t irq)
{
	for (guint i = 0; i < p->pending->len; i++)
		if (g_array_index(p->pending, uint32_t, i) == irq)
			return;
	g_array_append_val(p->pending, irq);
}

static void host_irq(void *data, unsigned line, bool level)
{
	Slot *s = data;
	if (line >= s->dev->n_irqs)
		return; /* the board gives this output no line */
	s->line[line] = level;
	if (level)
		queue_irq(s->run, s->dev->irqs[line]);
}

static void host_arm(void *data, unsigned timer, uint64_t at_ns, bool wakes)
{
	Slot *s = data;
	if (timer >= PERIPH_MAX_TIMERS)
		return;
	s->due[timer] = at_ns;
	s->wakes[timer] = wakes;
}

static void host_tx(void *data, const uint8_t *bytes, size_t len)
{
	Slot *s = data;
	PeriphRun *p = s->run;
	if (p->cfg.tx)
		p->cfg.tx(p->cfg.data, s->device, bytes, len, host_now(s));
}

static void host_dma(void *data, unsigned req, bool level)
{
	Slot *s = data;
	if (req < PERIPH_DMA_REQS)
		s->req[req] = level; /* served by pump_dma() once the model's call returned */
}

static bool stream_waits(PeriphRun *p, uint32_t i);

/* Whether a started stream waits for |s|'s request |req|. */
static bool host_dma_waits(void *data, unsigned req)
{
	Slot *s = data;
	PeriphRun *p = s->run;
	for (uint32_t i = 0; i < p->n_streams; i++)
		if (p->streams[i].dev == s && p->streams[i].req == req && stream_waits(p, i))
			return true;
	return false;
}

static bool host_pin_get(void *data, uint8_t pin, bool *input, bool *output)
{
	Slot *s = data;
	Kernel *k = s->run->k;
	uint8_t port = s->m->info.port;
	return k != NULL && kernel_gpio_level(k, port, pin, input) &&
	       kernel_gpio_output(k, port, pin, output);
}

static void host_pin_set(void *data, uint8_t pin, bool level)
{
	Slot *s = data;
	if (s->run->k != NULL)
		(void)kernel_gpio_set_output(s->run->k, s->m->info.port, pin, level);
}

/* ---- the run ------------------------------------------------------------------------- */

/* A GPIO port's number: its rank among the board's devices with the same model class, as
 * the devicetree numbers ports (uapi.md 9.1). */
static uint8_t port_of(const Board *b, uint32_t device, const PeriphClass *cls)
{
	uint8_t n = 0;
	for (uint32_t i = 0; i < device; i++)
		if (b->devices[i].model != NULL && periph_class_by_name(b->devices[i].model) == cls)
			n++;
	return n;
}

/* A stream with one end a device whose model raises DMA requests and the other an SHM is
 * paced by the model: |st| says how. Others (memory to memory, device to device, a device
 * without such a model) are left to the run's DMA hook. */
static void pace_stream(PeriphRun *p, const BoardDma *d, Stream *st)
{
	const Board *b = p->cfg.board;
	const BoardEnd *dev = NULL, *mem = NULL;
	if (d->source.kind == BOARD_END_DEVICE && d->dest.kind == BOARD_END_SHM) {
		dev = &d->source, mem = &d->dest;
		st->req = PERIPH_DMA_RX;
		st->circular = d->circular_dest;
	} else if (d->source.kind == BOARD_END_SHM && d->dest.kind == BOARD_END_DEVICE) {
		dev = &d->dest, mem = &d->source;
		st->req = PERIPH_DMA_TX;
	}
	if (dev == NULL || dev->index >= p->n || mem->index >= b->n_shms)
		return;
	Slot *s = &p->slots[dev->index];
	if (s->m == NULL || !s->m->cls->dma)
		return;
	st->dev = s;
	st->mem = b->shms[mem->index].base;
}

PeriphRun *periph_run_new(const PeriphRunConfig *cfg)
{
	PeriphRun *p = g_new0(PeriphRun, 1);
	const Board *b = cfg->board;

	p->cfg = *cfg;
	if (p->cfg.clock_hz == 0)
		p->cfg.clock_hz = DEFAULT_CLOCK_HZ;
	p->pending = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	p->n = b ? b->n_devices : 0;
	p->slots = g_new0(Slot, p->n);
	for (uint32_t i = 0; i < p->n; i++) {
		Slot *s = &p->slots[i];
		const BoardDevice *dv = &b->devices[i];
		const PeriphClass *cls = dv->model ? periph_class_by_name(dv->model) : NULL;
		s->run = p;
		s->device = i;
		s->dev = dv;
		for (guint t = 0; t < PERIPH_MAX_TIMERS; t++)
			s->due[t] = UINT64_MAX;
		if (cls == NULL || dv->size == 0)
			continue;
		PeriphHost host = {.data = s,
		                   .now = host_now,
		                   .irq = host_irq,
		                   .arm = host_arm,
		                   .tx = host_tx,
		                   .pin_get = host_pin_get,
		                   .pin_set = host_pin_set,
		                   .dma = host_dma,
		                   .dma_waits = host_dma_waits};
		PeriphInfo info = {.name = dv->name,
		                   .size = dv->size,
		                   .clock_hz = p->cfg.clock_hz,
		                   .port = port_of(b, i, cls)};
		s->m = periph_model_new(cls, &host, &info);
		if (s->m == NULL)
			g_error("out of memory");
		p->n_models++;
	}
	p->done = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	p->n_streams = b ? b->n_dmas : 0;
	p->streams = g_new0(Stream, p->n_streams + 1);
	for (uint32_t i = 0; i < p->n_streams; i++)
		pace_stream(p, &b->dmas[i], &p->streams[i]);
	return p;
}

void periph_run_free(PeriphRun *p)
{
	if (p == NULL)
		return;
	for (uint32_t i = 0; i < p->n; i++)
		periph_model_free(p->slots[i].m);
	g_free(p->slots);
	g_free(p->streams);
	g_array_unref(p->done);
	g_array_unref(p->pending);
	g_free(p);
}

gboolean periph_run_empty(const PeriphRun *p)
{
	return p->n_models == 0;
}

PeriphModel *periph_run_model(PeriphRun *p, uint32_t device)
{
	return device < p->n ? p->slots[device].m : NULL;
}

static Slot *slot_at(PeriphRun *p, uint64_t addr)
{
	for (uint32_t i = 0; i < p->n; i++) {
		Slot *s = &p->slots[i];
		if (s->m && addr >= s->dev->base && addr - s->dev->base < s->dev->size)
			return s;
	}
	return NULL;
}

gboolean periph_run_register(PeriphRun *p, uint64_t addr, gboolean write, uint32_t *value)
{
	Slot *s = slot_at(p, addr);
	if (s == NULL)
		return FALSE;
	uint32_t off = (uint32_t)(addr - s->dev->base);
	if (write)
		periph_poke(s->m, off, *value);
	else
		*value = periph_peek(s->m, off);
	pump_dma(p);
	return TRUE;
}

void periph_run_unpace(PeriphRun *p, uint32_t stream)
{
	if (stream < p->n_streams)
		p->streams[stream].dev = NULL;
}

const char *periph_run_rx(PeriphRun *p, uint32_t device, const uint8_t *bytes, size_t len)
{
	PeriphModel *m = periph_run_model(p, device);
	if (m == NULL)
		return "the device has no model";
	if (!periph_model_rx(m, bytes, len))
		return "its model takes no bytes from outside";
	pump_dma(p);
	return NULL;
}

/* ---- DMA ----------------------------------------------------------------------------- */

/* Whether stream |i| is started, in the kernel and here, with bytes left to move. */
static bool stream_waits(PeriphRun *p, uint32_t i)
{
	Stream *st = &p->streams[i];
	uint32_t handle, owner, state;
	if (!st->active || p->cfg.memory == NULL || p->k == NULL ||
	    !kernel_view_dma(p->k, i, &handle, &owner, &state))
		return false;
	if (state != DMA_STARTED)
		st->active = state == DMA_SUSPENDED; /* unassigned or completed: it ends */
	return state == DMA_STARTED;
}

/* One beat of stream |i| if its device requests one and the kernel has it started. */
static gboolean beat(PeriphRun *p, uint32_t i)
{
	Stream *st = &p->streams[i];
	if (!st->dev->req[st->req] || !stream_waits(p, i))
		return FALSE;
	const BoardDma *d = &p->cfg.board->dmas[i];
	uint8_t *mem = p->cfg.memory(p->cfg.data, st->mem + st->pos, 1);
	if (mem == NULL)
		return FALSE;
	uint8_t byte = *mem;
	periph_dma_beat(st->dev->m, st->req, &byte);
	if (st->req == PERIPH_DMA_RX)
		*mem = byte;
	if (++st->pos == d->length) {
		st->pos = 0;
		st->active = st->circular;
		g_array_append_val(p->done, i);
	}
	return TRUE;
}

/* Serve every DMA request a started stream waits for, in stream order, until none is left.
 * Each stream moves at most its length per call (a circular one cannot spin). */
static void pump_dma(PeriphRun *p)
{
	for (uint32_t i = 0; i < p->n_streams; i++) {
		if (p->streams[i].dev == NULL)
			continue;
		uint32_t len = p->cfg.board->dmas[i].length;
		for (uint32_t n = 0; n < len && beat(p, i); n++)
			;
	}
}

/* The paced stream of DMA handle |handle| and its kernel state, or -1. */
static int stream_of(PeriphRun *p, uint32_t handle, uint32_t *state)
{
	for (uint32_t i = 0; p->k != NULL && i < p->n_streams; i++) {
		uint32_t h, owner;
		if (p->streams[i].dev != NULL && kernel_view_dma(p->k, i, &h, &owner, state) &&
		    h == handle)
			return (int)i;
	}
	return -1;
}

/* Task |task|'s start or resume call on |handle| returned: a paced stream it started (the
 * driver's enable did not fail) moves on from where it stands, or from its first byte when it
 * had ended. */
static void stream_started(PeriphRun *p, uint32_t task, uint32_t handle)
{
	uint32_t state;
	KernelTaskView v;
	int i = stream_of(p, handle, &state);
	kernel_view_task(p->k, task, &v);
	if (i >= 0 && state == DMA_STARTED && (v.assigned ? v.pending : v.r0) == STATUS_OK &&
	    !p->streams[i].active) {
		p->streams[i].active = TRUE;
		p->streams[i].pos = 0;
	}
	pump_dma(p);
}

/* Apply the queued |*queue| (IRQs to inject, streams to complete) in the order they came,
 * with a fresh queue for what that raises. Returns TRUE if there were any. */
static gboolean flush(GArray **queue, Kernel *k, bool (*apply)(Kernel *k, uint32_t what))
{
	if ((*queue)->len == 0)
		return FALSE;
	g_autoptr(GArray) now = *queue;
	*queue = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	for (guint i = 0; i < now->len; i++)
		(void)apply(k, g_array_index(now, uint32_t, i));
	return TRUE;
}

/* The queued IRQs, then the completed DMA streams. Returns TRUE if there were any. */
static gboolean flush_all(PeriphRun *p, Kernel *k)
{
	gboolean irqs = flush(&p->pending, k, kernel_inject_irq);
	return flush(&p->done, k, kernel_dma_complete) || irqs;
}

/* The earliest armed timer (|wakes_only|: that may raise an IRQ) at or before |limit|, or
 * NULL. */
static Slot *earliest(PeriphRun *p, uint64_t limit, gboolean wakes_only, guint *timer)
{
	Slot *best = NULL;
	uint64_t best_t = UINT64_MAX;
	for (uint32_t i = 0; i < p->n; i++) {
		Slot *s = &p->slots[i];
		for (guint t = 0; s->m && t < PERIPH_MAX_TIMERS; t++) {
			if (s->due[t] > limit || s->due[t] >= best_t ||
			    (wakes_only && !s->wakes[t]))
				continue;
			best = s;
			best_t = s->due[t];
			*timer = t;
		}
	}
	return best;
}

/* ---- the observer -------------------------------------------------------------------- */

/* Every model at reset, then the register values the description declares. */
static void periph_setup(void *data, Run *run, Kernel *k)
{
	PeriphRun *p = data;
	p->k = k;
	for (uint32_t i = 0; i < p->n; i++) {
		Slot *s = &p->slots[i];
		if (s->m == NULL)
			continue;
		periph_model_reset(s->m);
		for (uint8_t r = 0; r < s->dev->n_regs; r++)
			periph_poke(s->m, s->dev->regs[r].offset, s->dev->regs[r].value);
	}
}

static RunEnd periph_check(void *data, Kernel *k, const char **why)
{
	PeriphRun *p = data;
	uint64_t now = kernel_now_ns(k);
	guint timer = 0;
	p->k = k;
	for (Slot *s; (s = earliest(p, now, FALSE, &timer)) != NULL;) {
		s->due[timer] = UINT64_MAX;
		periph_model_fire(s->m, timer);
		pump_dma(p);
	}
	flush_all(p, k);
	return RUN_END_NONE;
}

static gboolean periph_idle(void *data, Kernel *k)
{
	return flush_all(data, k);
}

static gboolean periph_mmio(void *data, Kernel *k, uint32_t task, uint32_t device, uint32_t offset,
                            unsigned width, gboolean write, uint64_t *value)
{
	PeriphRun *p = data;
	PeriphModel *m = periph_run_model(p, device);
	if (m == NULL)
		return FALSE;
	p->k = k;
	if (write)
		periph_write(m, offset, width, *value);
	else
		*value = periph_read(m, offset, width);
	pump_dma(p);
	return TRUE;
}

/* Whether a model paces stream |stream| (pure: the kernel is in the middle of the start). */
static gboolean periph_dma_paced(void *data, uint32_t stream)
{
	PeriphRun *p = data;
	return stream < p->n_streams && p->streams[stream].dev != NULL;
}

static void periph_before_syscall(void *data, Kernel *k, uint32_t task, uint32_t nr,
                                  const uint32_t args[3])
{
	PeriphRun *p = data;
	if (nr == SYSCALL_IRQ_ENABLE)
		p->last_irq = args[0] & 0xffffu;
	if (nr == SYSCALL_DMA_START_STREAM || nr == SYSCALL_DMA_RESUME_STREAM)
		p->last_dma = args[0];
}

/* A level-triggered line: re-enabled while the device still asserts it, it fires again. */
static void periph_after_syscall(void *data, Kernel *k, uint32_t task, uint32_t nr)
{
	PeriphRun *p = data;
	p->k = k;
	if (nr == SYSCALL_DMA_START_STREAM || nr == SYSCALL_DMA_RESUME_STREAM)
		stream_started(p, task, p->last_dma);
	if (nr != SYSCALL_IRQ_ENABLE)
		return;
	for (uint32_t i = 0; i < p->n; i++) {
		const Slot *s = &p->slots[i];
		for (uint8_t j = 0; s->m && j < s->dev->n_irqs; j++)
			if (s->dev->irqs[j] == p->last_irq && s->line[j])
				queue_irq(p, p->last_irq);
	}
}

static uint64_t periph_deadline(void *data, Kernel *k)
{
	PeriphRun *p = data;
	guint timer = 0;
	if (p->pending->len > 0 || p->done->len > 0)
		return kernel_now_ns(k);
	Slot *s = earliest(p, UINT64_MAX - 1, FALSE, &timer);
	return s ? s->due[timer] : UINT64_MAX;
}

/* Whether an IRQ of |s|'s device can wake its owner: it waits for events or sleeps
 * (uapi.md 4.20; a task blocked sending an IPC, or ended, is not woken by one). */
static gboolean owner_wakeable(const Slot *s, Kernel *k)
{
	if (!s->dev->has_owner)
		return FALSE;
	for (uint32_t t = 0; t < kernel_task_count(k); t++) {
		if (kernel_task_label(k, t) != s->dev->owner)
			continue;
		JobState st = kernel_task_state(k, t);
		return st == JOB_WAITFOREVENT || st == JOB_SLEEPING;
	}
	return FALSE;
}

/* The next timer that may wake a task: an IRQ for an owner it can wake. */
static uint64_t periph_stimulus(void *data, Kernel *k)
{
	PeriphRun *p = data;
	uint64_t next = p->pending->len > 0 || p->done->len > 0 ? kernel_now_ns(k) : UINT64_MAX;
	for (uint32_t i = 0; i < p->n; i++) {
		const Slot *s = &p->slots[i];
		for (guint t = 0; s->m && t < PERIPH_MAX_TIMERS; t++)
			if (s->wakes[t] && s->due[t] < next && owner_wakeable(s, k))
				next = s->due[t];
	}
	return next;
}

RunObserver periph_observer(PeriphRun *p)
{
	return (RunObserver){.name = "periph",
	                     .data = p,
	                     .setup = periph_setup,
	                     .check = periph_check,
	                     .idle = periph_idle,
	                     .dma_paced = periph_dma_paced,
	                     .mmio = periph_mmio,
	                     .before_syscall = periph_before_syscall,
	                     .after_syscall = periph_after_syscall,
	                     .next_deadline = periph_deadline,
	                     .next_stimulus = periph_stimulus};
}
