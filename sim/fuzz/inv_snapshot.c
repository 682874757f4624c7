/*
 * inv_snapshot.c: the oracle's snapshots: everything the kernel's read-only views
 * (sim/kernel/views.h) expose, copied before and after each step (see inv_priv.h).
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
/* Snapshots                                                                                 */

int inv_task_of_handle(const Inv *inv, const Snap *s, uint32_t h)
{
	uint32_t id = (h >> 20) & 0xFFu;
	if (id < inv->tl && s->t[id].v.handle == h)
		return (int)id;
	return -1;
}

/* The board as the views show it: devices, SHMs, streams, IRQ lines, pins, windows, rings. */
static void snap_board(const Inv *inv, const Kernel *k, BoardState *b)
{
	if (!inv->cfg.board) {
		/* nothing can map a region or push an IRQ or DMA event without a board; the
		 * views still say so (the rings' counts are in the task views) */
		for (uint32_t t = 0; t < inv->tl; t++) {
			memset(b->win[t], 0, sizeof(b->win[t]));
			b->irq[t].n = b->dma[t].n = 0;
		}
		return;
	}
	for (uint32_t i = 0; i < inv->n_dev; i++) {
		b->dev_listed[i] =
		    kernel_view_device(k, i, &b->dev_h[i], &b->dev_owner_h[i], &b->dev_mapped[i]);
		if (!b->dev_listed[i]) {
			b->dev_h[i] = b->dev_owner_h[i] = 0;
			b->dev_mapped[i] = false;
		}
	}
	for (uint32_t i = 0; i < inv->n_shm; i++)
		kernel_view_shm(k, i, &b->shm_h[i], &b->shm_owner[i], &b->shm_user[i],
		                &b->shm_shared[i]);
	for (uint32_t i = 0; i < inv->n_dma; i++)
		kernel_view_dma(k, i, &b->dma_h[i], &b->dma_owner_h[i], &b->dma_state[i]);
	for (uint32_t i = 0; i < inv->n_irq; i++)
		kernel_view_irq_line(k, inv->fb.irqs[i], &b->irq_en[i], &b->irq_pend[i]);
	for (uint32_t i = 0; i < inv->n_pin; i++)
		kernel_view_pin(k, (uint8_t)(inv->fb.pins[i] >> 8), (uint8_t)inv->fb.pins[i],
		                &b->pin_level[i], &b->pin_driven[i], &b->pin_input[i]);
	for (uint32_t t = 0; t < inv->tl; t++) {
		for (uint32_t w = 0; w < INV_WINDOWS; w++) {
			BWin *x = &b->win[t][w];
			x->used = kernel_view_window(k, t, w, &x->shm, &x->index, &x->writable);
			if (!x->used)
				*x = (BWin){0};
		}
		uint32_t cells[KERNEL_EVENT_RING][2];
		for (int dma = 0; dma < 2; dma++) {
			BRing *r = dma ? &b->dma[t] : &b->irq[t];
			uint32_t n = kernel_view_ring(k, t, dma, cells);
			r->n = n < RING_USABLE ? n : RING_USABLE; /* check_state flags n > 15 */
			memcpy(r->cell, cells, r->n * sizeof(cells[0]));
		}
	}
}

/* Everything the views expose, into |s|. */
void inv_snap(Inv *inv, const Kernel *k, Snap *s)
{
	s->panicked = kernel_panicked(k);
	s->cause = s->panicked ? kernel_view_panic_cause(k) : (PanicCause)0;
	s->current = kernel_current(k);
	s->now = kernel_now_ns(k);
	s->jiffies = kernel_jiffies(k);
	kernel_pm_requests(k, &s->pm[0], &s->pm[1], &s->pm[2], &s->pm[3], &s->pm[4]);
	for (uint32_t i = 0; i < inv->tl; i++) {
		SnapTask *t = &s->t[i];
		kernel_view_task(k, i, &t->v);
		t->generation = t->v.generation;
		t->respawned = t->v.respawned;
		t->hung = t->v.hung;
		t->exit_code = t->v.exit_code;
		t->in_active = t->in_backed = 0;
		t->n_delay = 0;
		t->delay_rem = 0;
		kernel_view_slots(k, i, t->ipc, t->sig);
		/* the views never write; kernel_exchange() only lacks a const variant */
		memcpy(s->exch[i], kernel_exchange((Kernel *)k, i), inv->xlen);
	}
	s->delays_used = 0;
	s->bad_delay = false;
	for (uint32_t q = 0; q < inv->q; q++) {
		SnapCell *a = &s->active[q], *b = &s->backed[q];
		a->used = kernel_view_job_cell(k, true, q, &a->handle, &a->quantum);
		b->used = kernel_view_job_cell(k, false, q, &b->handle, &b->quantum);
		int ia = a->used ? inv_task_of_handle(inv, s, a->handle) : -1;
		int ib = b->used ? inv_task_of_handle(inv, s, b->handle) : -1;
		if (ia >= 0)
			s->t[ia].in_active++;
		if (ib >= 0)
			s->t[ib].in_backed++;
		uint32_t task, rem;
		if (kernel_view_delay(k, q, &task, &rem)) {
			s->delays_used++;
			if (task < inv->tl) {
				s->t[task].n_delay++;
				s->t[task].delay_rem = rem;
			} else {
				s->bad_delay = true;
			}
		}
		SnapAlarm *al = &s->alarm[q];
		al->used =
		    kernel_view_alarm(k, q, &al->handle, &al->delay, &al->remaining, &al->periodic);
		if (!al->used)
			*al = (SnapAlarm){0};
	}
	snap_board(inv, k, &s->b);
}

INV_NO_COVERAGE_END
