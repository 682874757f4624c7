/*
 * observe.c: the periph observer (see observe.h): the host side of the peripheral models in
 * a run of the daemon's loop.
 *
 * IRQs a model raises are queued and injected at the top of the next loop turn (check) or
 * when only idle runs (idle): a trapped access happens while a task is stopped in the middle
 * of its code, where the kernel must not switch tasks, and an IRQ from a script's stimulus
 * comes from another observer's check. Timers fire in check() when virtual time has reached
 * them, earliest first, then in board order: the same run gives the same order.
 */
#include "config.h"

#include <uapi/types.h>

#include "sim/periph/observe.h"

#define DEFAULT_CLOCK_HZ 64000000u /* as kernel_config_init() */

typedef struct {
	PeriphRun *run;
	uint32_t device; /* board index */
	const BoardDevice *dev;
	PeriphModel *m;
	uint64_t due[PERIPH_MAX_TIMERS]; /* UINT64_MAX: disarmed */
	bool wakes[PERIPH_MAX_TIMERS];
	bool line[BOARD_MAX_IRQS]; /* the levels of its IRQ outputs */
} Slot;

struct periph_run {
	PeriphRunConfig cfg;
	Kernel *k;   /* from setup() */
	Slot *slots; /* one per device; |m| NULL for a device without a model class */
	uint32_t n;
	guint n_models;
	GArray *pending;   /* of uint32_t: IRQs to inject at the next turn */
	uint32_t last_irq; /* argument of the last irq_enable call */
};

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
		                   .pin_set = host_pin_set};
		PeriphInfo info = {.name = dv->name,
		                   .size = dv->size,
		                   .clock_hz = p->cfg.clock_hz,
		                   .port = port_of(b, i, cls)};
		s->m = periph_model_new(cls, &host, &info);
		if (s->m == NULL)
			g_error("out of memory");
		p->n_models++;
	}
	return p;
}

void periph_run_free(PeriphRun *p)
{
	if (p == NULL)
		return;
	for (uint32_t i = 0; i < p->n; i++)
		periph_model_free(p->slots[i].m);
	g_free(p->slots);
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
	return TRUE;
}

const char *periph_run_rx(PeriphRun *p, uint32_t device, const uint8_t *bytes, size_t len)
{
	PeriphModel *m = periph_run_model(p, device);
	if (m == NULL)
		return "the device has no model";
	if (!periph_model_rx(m, bytes, len))
		return "its model takes no bytes from outside";
	return NULL;
}

/* Inject the queued IRQs, in the order they were raised. Returns TRUE if there were any. */
static gboolean flush_irqs(PeriphRun *p, Kernel *k)
{
	if (p->pending->len == 0)
		return FALSE;
	g_autoptr(GArray) now = p->pending;
	p->pending = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	for (guint i = 0; i < now->len; i++)
		(void)kernel_inject_irq(k, g_array_index(now, uint32_t, i));
	return TRUE;
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
	}
	flush_irqs(p, k);
	return RUN_END_NONE;
}

static gboolean periph_idle(void *data, Kernel *k)
{
	return flush_irqs(data, k);
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
	return TRUE;
}

static void periph_before_syscall(void *data, Kernel *k, uint32_t task, uint32_t nr,
                                  const uint32_t args[3])
{
	PeriphRun *p = data;
	if (nr == SYSCALL_IRQ_ENABLE)
		p->last_irq = args[0] & 0xffffu;
}

/* A level-triggered line: re-enabled while the device still asserts it, it fires again. */
static void periph_after_syscall(void *data, Kernel *k, uint32_t task, uint32_t nr)
{
	PeriphRun *p = data;
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
	if (p->pending->len > 0)
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
	uint64_t next = p->pending->len > 0 ? kernel_now_ns(k) : UINT64_MAX;
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
	                     .mmio = periph_mmio,
	                     .before_syscall = periph_before_syscall,
	                     .after_syscall = periph_after_syscall,
	                     .next_deadline = periph_deadline,
	                     .next_stimulus = periph_stimulus};
}
