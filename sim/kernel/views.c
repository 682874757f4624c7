/*
 * views.c: the read-only views of the kernel model (see views.h): tasks, slots, queues and
 * job sets, then the board's resources.
 *
 * The fuzz targets call these at every step: clang's coverage instrumentation stays out of
 * them (it is meant for the model's own paths).
 */
#include "config.h"

#include <string.h>

#include "sim/kernel/kernel_priv.h"
#include "sim/kernel/views.h"

#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), apply_to = function)
#endif

void kernel_view_task(const Kernel *k, uint32_t id, KernelTaskView *v)
{
	const Task *t = &k->tasks[id];
	*v = (KernelTaskView){
	    .state = t->state,
	    .handle = t->handle,
	    .caps = t->cfg.capabilities | (is_autotest(k) ? k->global_caps : 0),
	    .assigned = t->assigned,
	    .pending = t->pending,
	    .r0 = t->r0,
	    .ipc_target = t->state == JOB_IPC_SEND_BLOCKED ? t->ipc_target : KERNEL_NO_TASK,
	    .ipc_len = t->ipc_len,
	    .aborted_by = t->aborted_by,
	    .irq_count = ring_count(&t->irq),
	    .dma_count = ring_count(&t->dma),
	    .generation = t->generation,
	    .respawned = t->respawned,
	    .hung = t->hung,
	    .exit_code = t->exit_code,
	};
}

void kernel_view_task_words(const Kernel *k, uint64_t *words)
{
	for (uint32_t id = 0; id < k->table_len; id++) {
		const Task *t = &k->tasks[id];
		words[id] = (uint64_t)(uint8_t)t->state | (uint64_t)t->irq.head << 8 |
		            (uint64_t)t->irq.tail << 16 | (uint64_t)t->dma.head << 24 |
		            (uint64_t)t->dma.tail << 32 | (uint64_t)t->sig_pending[id] << 40;
	}
}

uint16_t kernel_view_ipc_pending(const Kernel *k, uint32_t id, uint32_t sender)
{
	return k->tasks[id].ipc_pending[sender];
}

uint8_t kernel_view_sig_pending(const Kernel *k, uint32_t id, uint32_t sender)
{
	return k->tasks[id].sig_pending[sender];
}

uint32_t kernel_view_queue_len(const Kernel *k)
{
	return k->cfg.max_tasks;
}

bool kernel_view_job_cell(const Kernel *k, bool active, uint32_t i, uint32_t *handle,
                          uint32_t *quantum)
{
	const JobCell *c = &k->sets[active ? k->active : !k->active][i];
	*handle = c->handle;
	*quantum = c->quantum;
	return c->used;
}

bool kernel_view_delay(const Kernel *k, uint32_t i, uint32_t *task, uint32_t *remaining)
{
	const DelayEntry *d = &k->delays[i];
	*task = d->task;
	*remaining = d->remaining;
	return d->used;
}

bool kernel_view_alarm(const Kernel *k, uint32_t i, uint32_t *handle, uint32_t *delay,
                       uint32_t *remaining, bool *periodic)
{
	const AlarmEntry *a = &k->alarms[i];
	*handle = a->handle;
	*delay = a->delay;
	*remaining = a->remaining;
	*periodic = a->periodic;
	return a->used;
}

PanicCause kernel_view_panic_cause(const Kernel *k)
{
	return k->panic_cause;
}

void kernel_view_slots(const Kernel *k, uint32_t id, uint16_t *ipc, uint8_t *sig)
{
	const Task *t = &k->tasks[id];
	memcpy(ipc, t->ipc_pending, k->table_len * sizeof(*ipc));
	memcpy(sig, t->sig_pending, k->table_len * sizeof(*sig));
}

/* ---- the board (board.c) ----------------------------------------------------------------- */

bool kernel_view_device(const Kernel *k, uint32_t i, uint32_t *handle, uint32_t *owner,
                        bool *mapped)
{
	for (uint32_t j = 0; j < k->board.n_kdev; j++) {
		const KDevice *d = &k->board.kdev[j];
		if (d->cfg != &k->board.devices[i])
			continue;
		*handle = d->handle;
		*owner = d->owner;
		*mapped = d->mapped;
		return true;
	}
	return false;
}

static KernelShmSlotView shm_slot_view(const ShmSlot *s)
{
	return (KernelShmSlotView){.task = s->task,
	                           .mappable = s->mappable,
	                           .rw = s->rw,
	                           .transferable = s->transferable,
	                           .mapped = s->mapped};
}

bool kernel_view_shm(const Kernel *k, uint32_t i, uint32_t *handle, KernelShmSlotView *owner,
                     KernelShmSlotView *user, bool *shared)
{
	if (i >= k->board.cfg.n_shms)
		return false;
	const KShm *s = &k->board.kshm[i];
	*handle = s->handle;
	*owner = shm_slot_view(&s->owner);
	*user = shm_slot_view(&s->user);
	*shared = s->shared;
	return true;
}

bool kernel_view_dma(const Kernel *k, uint32_t i, uint32_t *handle, uint32_t *owner,
                     uint32_t *state)
{
	if (i >= k->board.cfg.n_dmas)
		return false;
	const KDma *d = &k->board.kdma[i];
	*handle = d->handle;
	*owner = d->owner;
	*state = d->state;
	return true;
}

bool kernel_view_window(const Kernel *k, uint32_t id, uint32_t slot, bool *shm, uint32_t *index,
                        bool *writable)
{
	const Window *w = &k->tasks[id].windows[slot];
	*shm = w->kind == WINDOW_SHM;
	*index = w->index;
	*writable = w->writable;
	return w->used;
}

bool kernel_view_irq_line(const Kernel *k, uint32_t irq, bool *enabled, bool *pending)
{
	if (irq >= (k->cfg.num_irqs ? k->cfg.num_irqs : 1))
		return false;
	*enabled = k->board.irqs[irq].enabled;
	*pending = k->board.irqs[irq].pending;
	return true;
}

bool kernel_view_pin(const Kernel *k, uint8_t port, uint8_t pin, bool *level, bool *driven,
                     bool *input)
{
	const Pin *p = board_pin_find((KBoard *)&k->board, port, pin);
	if (!p)
		return false;
	*level = p->level;
	*driven = p->driven;
	*input = p->input;
	return true;
}

uint32_t kernel_view_ring(const Kernel *k, uint32_t id, bool dma, uint32_t cells[][2])
{
	const EventRing *r = dma ? &k->tasks[id].dma : &k->tasks[id].irq;
	uint32_t n = 0;
	for (uint8_t i = r->head; i != r->tail; i = (uint8_t)((i + 1) % KERNEL_EVENT_RING)) {
		cells[n][0] = r->cell[i][0];
		cells[n][1] = r->cell[i][1];
		n++;
	}
	return n;
}

#if defined(__clang__) && __clang_major__ >= 13
#pragma clang attribute pop
#endif
