/*
 * inv_board.c: the oracle's model of the board (uapi.md 4.7-4.9, 4.19-4.24, 9): resource
 * lookups by label and handle, mapping windows, event rings, and the board's invariants
 * (see inv_priv.h).
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
/* The board model (uapi.md 4.7-4.9, 4.19-4.24, 9)                                           */

/* The device handle of 3.1: class, low 16 label bits, family 1. */
static uint32_t spec_device_handle(const BoardDevice *d)
{
	return (d->cap & 0xFFFu) | ((d->label & 0xFFFFu) << 13) | (1u << 29);
}

/* Lookups over the kernel device list: devices with an owner, in table order (9.1). */
int inv_dev_by_label(const Inv *inv, uint32_t label)
{
	for (uint32_t i = 0; i < inv->n_dev; i++)
		if (inv->fb.devices[i].has_owner && inv->fb.devices[i].label == label)
			return (int)i;
	return -1;
}

int inv_dev_by_handle(const Inv *inv, uint32_t h)
{
	for (uint32_t i = 0; i < inv->n_dev; i++)
		if (inv->fb.devices[i].has_owner && inv->dev_h[i] == h)
			return (int)i;
	return -1;
}

/* The first listed device that declares |irq| (4.20). */
int inv_irq_dev(const Inv *inv, uint32_t irq)
{
	for (uint32_t i = 0; i < inv->n_dev; i++) {
		const BoardDevice *d = &inv->fb.devices[i];
		for (uint32_t j = 0; d->has_owner && j < d->n_irqs; j++)
			if (d->irqs[j] == irq)
				return (int)i;
	}
	return -1;
}

int inv_irq_line(const Inv *inv, uint32_t irq)
{
	for (uint32_t i = 0; i < inv->n_irq; i++)
		if (inv->fb.irqs[i] == irq)
			return (int)i;
	return -1;
}

int inv_pin_index(const Inv *inv, uint32_t key)
{
	for (uint32_t i = 0; i < inv->n_pin; i++)
		if (inv->fb.pins[i] == key)
			return (int)i;
	return -1;
}

int inv_shm_by_handle(const Inv *inv, uint32_t h)
{
	uint32_t id = h & 0xFFu;
	return id < inv->n_shm && inv->shm_h[id] == h ? (int)id : -1;
}

int inv_shm_by_label(const Inv *inv, uint32_t label)
{
	for (uint32_t i = 0; i < inv->n_shm; i++)
		if (inv->fb.shms[i].label == label)
			return (int)i;
	return -1;
}

int inv_dma_by_handle(const Inv *inv, uint32_t h)
{
	uint32_t id = (h >> 21) & 0xFFu;
	return id < inv->n_dma && inv->dma_h[id] == h ? (int)id : -1;
}

int inv_dma_by_label(const Inv *inv, uint32_t label)
{
	for (uint32_t i = 0; i < inv->n_dma; i++)
		if (inv->fb.dmas[i].label == label)
			return (int)i;
	return -1;
}

/* The accessor slot naming task handle |h| (the owner slot first, 4.8): 0, 1, or -1. */
int inv_shm_accessor(const BoardState *b, uint32_t shm, uint32_t h)
{
	if (b->shm_owner[shm].task == h)
		return 0;
	if (b->shm_user[shm].task == h)
		return 1;
	return -1;
}

KernelShmSlotView *inv_shm_slot(BoardState *b, uint32_t shm, int acc)
{
	return acc == 0 ? &b->shm_owner[shm] : &b->shm_user[shm];
}

void inv_win_region(const Inv *inv, const BWin *w, uint64_t *base, uint64_t *size)
{
	if (w->shm) {
		*base = inv->fb.shms[w->index].base;
		*size = inv->fb.shms[w->index].size;
	} else {
		*base = inv->fb.devices[w->index].base;
		*size = inv->fb.devices[w->index].size;
	}
}

/* 4.7 step 6, 4.8 step 6: a free slot, and no overlap with a mapped region. */
bool inv_win_fits(const Inv *inv, uint32_t task, uint64_t base, uint64_t size)
{
	bool free_slot = false;
	for (uint32_t i = 0; i < INV_WINDOWS; i++) {
		const BWin *w = &inv->pre->b.win[task][i];
		if (!w->used) {
			free_slot = true;
			continue;
		}
		uint64_t wb, ws;
		inv_win_region(inv, w, &wb, &ws);
		if (size && ws && base < wb + ws && wb < base + size)
			return false;
	}
	return free_slot;
}

/* Slots are a set: which slot a region takes is not part of the contract. */
void inv_win_add(BoardState *b, uint32_t task, bool shm, uint32_t index, bool writable)
{
	for (uint32_t i = 0; i < INV_WINDOWS; i++) {
		if (!b->win[task][i].used) {
			b->win[task][i] =
			    (BWin){.used = true, .shm = shm, .index = index, .writable = writable};
			return;
		}
	}
}

void inv_win_remove(BoardState *b, uint32_t task, bool shm, uint32_t index)
{
	for (uint32_t i = 0; i < INV_WINDOWS; i++) {
		BWin *w = &b->win[task][i];
		if (w->used && w->shm == shm && w->index == index) {
			*w = (BWin){0};
			return;
		}
	}
}

static bool windows_equal(const BWin *a, const BWin *b)
{
	bool taken[INV_WINDOWS] = {false};
	uint32_t na = 0, nb = 0;
	for (uint32_t i = 0; i < INV_WINDOWS; i++) {
		na += a[i].used;
		nb += b[i].used;
		if (!a[i].used)
			continue;
		bool found = false;
		for (uint32_t j = 0; j < INV_WINDOWS && !found; j++) {
			if (b[j].used && !taken[j] && b[j].shm == a[i].shm &&
			    b[j].index == a[i].index && b[j].writable == a[i].writable) {
				taken[j] = true;
				found = true;
			}
		}
		if (!found)
			return false;
	}
	return na == nb;
}

/* Push an event into a model ring: false when it already holds 15 (a panic). */
bool inv_ring_push_model(BRing *r, uint32_t a, uint32_t b)
{
	if (r->n >= RING_USABLE)
		return false;
	r->cell[r->n][0] = a;
	r->cell[r->n][1] = b;
	r->n++;
	return true;
}

void inv_ring_pop_model(BRing *r, uint32_t *a, uint32_t *b)
{
	*a = r->cell[0][0];
	*b = r->cell[0][1];
	memmove(r->cell, r->cell + 1, (r->n - 1) * sizeof(r->cell[0]));
	r->n--;
}

/* 4.20's line model: a pending and enabled line is delivered to the owner of the first
 * listed device declaring it (masking the line), which wakes with INTR if it waits. A stale
 * owner handle (the owner respawned) reaches no task. False when the owner's ring is full:
 * the kernel panics. */
bool inv_model_irq_deliver(Inv *inv, uint32_t li)
{
	BoardState *b = &inv->m.b;
	if (!b->irq_pend[li] || !b->irq_en[li])
		return true;
	int d = inv_irq_dev(inv, inv->fb.irqs[li]);
	b->irq_pend[li] = false;
	b->irq_en[li] = false;
	int owner = d >= 0 ? inv_task_of_handle(inv, inv->pre, inv->dev_owner_h[d]) : -1;
	if (owner < 0)
		return true;
	if (!inv_ring_push_model(&b->irq[owner], inv->fb.irqs[li], inv->dev_h[d]))
		return false;
	inv_model_wake_intr(inv, (uint32_t)owner);
	return true;
}

/* Compare the predicted board state with the one the views show; the first difference fails. */
bool inv_board_state_equal(Inv *inv, const BoardState *x, const BoardState *g, const char *what)
{
	for (uint32_t i = 0; i < inv->n_dev; i++)
		if (x->dev_mapped[i] != g->dev_mapped[i])
			return inv_fail(inv, "%s: device %s is %smapped, the spec gives %smapped",
			                what, inv->fb.devices[i].name,
			                g->dev_mapped[i] ? "" : "not ",
			                x->dev_mapped[i] ? "" : "not ");
	for (uint32_t i = 0; i < inv->n_shm; i++) {
		for (int acc = 0; acc < 2; acc++) {
			const KernelShmSlotView *a = acc ? &x->shm_user[i] : &x->shm_owner[i];
			const KernelShmSlotView *c = acc ? &g->shm_user[i] : &g->shm_owner[i];
			if (a->task != c->task || a->mappable != c->mappable || a->rw != c->rw ||
			    a->transferable != c->transferable || a->mapped != c->mapped)
				return inv_fail(inv,
				                "%s: SHM %s %s slot holds task 0x%08" PRIx32
				                " map%d rw%d transfer%d mapped%d, the spec gives "
				                "0x%08" PRIx32 " map%d rw%d transfer%d mapped%d",
				                what, inv->fb.shms[i].name, acc ? "user" : "owner",
				                c->task, c->mappable, c->rw, c->transferable,
				                c->mapped, a->task, a->mappable, a->rw,
				                a->transferable, a->mapped);
		}
		if (x->shm_shared[i] != g->shm_shared[i])
			return inv_fail(inv, "%s: SHM %s shared flag %d, expected %d", what,
			                inv->fb.shms[i].name, g->shm_shared[i], x->shm_shared[i]);
	}
	for (uint32_t i = 0; i < inv->n_dma; i++)
		if (x->dma_state[i] != g->dma_state[i])
			return inv_fail(
			    inv, "%s: DMA stream %s in state %" PRIu32 ", the spec gives %" PRIu32,
			    what, inv->fb.dmas[i].name, g->dma_state[i], x->dma_state[i]);
	for (uint32_t i = 0; i < inv->n_irq; i++)
		if (x->irq_en[i] != g->irq_en[i] || x->irq_pend[i] != g->irq_pend[i])
			return inv_fail(
			    inv, "%s: IRQ line %u enabled %d pending %d, the spec gives %d %d",
			    what, inv->fb.irqs[i], g->irq_en[i], g->irq_pend[i], x->irq_en[i],
			    x->irq_pend[i]);
	for (uint32_t i = 0; i < inv->n_pin; i++)
		if (x->pin_level[i] != g->pin_level[i] || x->pin_driven[i] != g->pin_driven[i] ||
		    (x->pin_driven[i] && x->pin_input[i] != g->pin_input[i]))
			return inv_fail(inv,
			                "%s: GPIO pin %u.%u output %d, driven %d (at %d); the spec "
			                "gives %d, %d (at %d)",
			                what, inv->fb.pins[i] >> 8, inv->fb.pins[i] & 0xFF,
			                g->pin_level[i], g->pin_driven[i], g->pin_input[i],
			                x->pin_level[i], x->pin_driven[i], x->pin_input[i]);
	for (uint32_t t = 0; t < inv->tl; t++) {
		if (!windows_equal(x->win[t], g->win[t]))
			return inv_fail(
			    inv,
			    "%s: task %s maps other regions (or permissions) than the spec gives",
			    what, tname(inv, t));
		for (int dma = 0; dma < 2; dma++) {
			const BRing *a = dma ? &x->dma[t] : &x->irq[t];
			const BRing *c = dma ? &g->dma[t] : &g->irq[t];
			if (a->n != c->n ||
			    memcmp(a->cell, c->cell, a->n * sizeof(a->cell[0])) != 0)
				return inv_fail(inv,
				                "%s: task %s: %s ring holds %" PRIu32
				                " events, the spec gives %" PRIu32 "%s",
				                what, tname(inv, t), dma ? "DMA" : "IRQ", c->n,
				                a->n, a->n == c->n ? " (other events)" : "");
		}
	}
	return true;
}

/* Board facts fixed at boot: the device list, handles and cached owners never change. */
bool inv_check_board_static(Inv *inv, const BoardState *b)
{
	if (!inv->board_booted)
		return true;
	for (uint32_t i = 0; i < inv->n_dev; i++)
		if (b->dev_listed[i] != inv->fb.devices[i].has_owner ||
		    (b->dev_listed[i] &&
		     (b->dev_h[i] != inv->dev_h[i] || b->dev_owner_h[i] != inv->dev_owner_h[i])))
			return inv_fail(inv, "device %s: listing, handle or owner changed",
			                inv->fb.devices[i].name);
	for (uint32_t i = 0; i < inv->n_shm; i++)
		if (b->shm_h[i] != inv->shm_h[i])
			return inv_fail(inv, "SHM %s: handle changed", inv->fb.shms[i].name);
	for (uint32_t i = 0; i < inv->n_dma; i++)
		if (b->dma_h[i] != inv->dma_h[i] || b->dma_owner_h[i] != inv->dma_owner_h[i])
			return inv_fail(inv, "DMA stream %s: handle or owner changed",
			                inv->fb.dmas[i].name);
	for (uint32_t t = 0; t < inv->tl; t++) {
		for (uint32_t w = 0; w < INV_WINDOWS; w++) {
			const BWin *x = &b->win[t][w];
			if (x->used && x->index >= (x->shm ? inv->n_shm : inv->n_dev))
				return inv_fail(inv, "task %s maps a region of no resource",
				                tname(inv, t));
		}
	}
	return true;
}

/* After boot (9, 3.1, 4.8, 4.20, 4.23): handles as the spec encodes them, owners cached as
 * boot handles, every resource in its initial state. */
bool inv_boot_board(Inv *inv, const Snap *s)
{
	const BoardState *b = &s->b;
	for (uint32_t i = 0; i < inv->n_dev; i++) {
		const BoardDevice *d = &inv->fb.devices[i];
		int owner = d->has_owner ? inv_task_by_label(inv, d->owner) : -1;
		uint32_t oh = owner >= 0 ? s->t[owner].v.handle : 0;
		if (b->dev_listed[i] != d->has_owner)
			return inv_fail(inv, "device %s is %sin the kernel device list (9.1)",
			                d->name, b->dev_listed[i] ? "" : "not ");
		if (d->has_owner && b->dev_h[i] != spec_device_handle(d))
			return inv_fail(
			    inv, "device %s has handle 0x%08" PRIx32 ", 3.1 gives 0x%08" PRIx32,
			    d->name, b->dev_h[i], spec_device_handle(d));
		if (d->has_owner && b->dev_owner_h[i] != oh)
			return inv_fail(
			    inv, "device %s: owner handle 0x%08" PRIx32 ", expected 0x%08" PRIx32,
			    d->name, b->dev_owner_h[i], oh);
		if (b->dev_mapped[i])
			return inv_fail(inv, "device %s mapped at boot", d->name);
		inv->dev_h[i] = b->dev_h[i];
		inv->dev_owner_h[i] = b->dev_owner_h[i];
	}
	for (uint32_t i = 0; i < inv->n_shm; i++) {
		const BoardShm *c = &inv->fb.shms[i];
		int owner = inv_task_by_label(inv, c->owner);
		KernelShmSlotView want = {.task = owner >= 0 ? s->t[owner].v.handle : 0};
		if ((b->shm_h[i] & 0xFFu) != i)
			return inv_fail(
			    inv, "SHM %s: handle 0x%08" PRIx32 " lacks its id field %" PRIu32,
			    c->name, b->shm_h[i], i);
		if (memcmp(&b->shm_owner[i], &want, sizeof(want)) != 0 ||
		    memcmp(&b->shm_user[i], &want, sizeof(want)) != 0 || b->shm_shared[i])
			return inv_fail(inv,
			                "SHM %s: at boot both credential slots must name the owner "
			                "without permission (4.8)",
			                c->name);
		inv->shm_h[i] = b->shm_h[i];
	}
	for (uint32_t i = 0; i < inv->n_dma; i++) {
		const BoardDma *c = &inv->fb.dmas[i];
		int owner = inv_task_by_label(inv, c->owner);
		uint32_t oh = owner >= 0 ? s->t[owner].v.handle : 0;
		if (((b->dma_h[i] >> 21) & 0xFFu) != i || (b->dma_h[i] >> 29) != 2)
			return inv_fail(inv, "DMA stream %s: handle 0x%08" PRIx32 " (3.1)", c->name,
			                b->dma_h[i]);
		if (b->dma_owner_h[i] != oh || b->dma_state[i] != DMA_ST_UNSET)
			return inv_fail(inv, "DMA stream %s: owner or initial state (4.23)",
			                c->name);
		inv->dma_h[i] = b->dma_h[i];
		inv->dma_owner_h[i] = b->dma_owner_h[i];
	}
	for (uint32_t i = 0; i < inv->n_irq; i++)
		if (b->irq_en[i] || b->irq_pend[i])
			return inv_fail(inv, "IRQ line %u not masked and idle at boot (4.20)",
			                inv->fb.irqs[i]);
	for (uint32_t i = 0; i < inv->n_pin; i++)
		if (b->pin_level[i] || b->pin_driven[i])
			return inv_fail(inv, "GPIO pin %u.%u not low at boot", inv->fb.pins[i] >> 8,
			                inv->fb.pins[i] & 0xFF);
	for (uint32_t t = 0; t < inv->tl; t++)
		for (uint32_t w = 0; w < INV_WINDOWS; w++)
			if (b->win[t][w].used)
				return inv_fail(inv, "task %s maps a region at boot",
				                tname(inv, t));
	inv->board_booted = true;
	return true;
}

INV_NO_COVERAGE_END
