/*
 * board.c: board resources in the kernel model: the device list, SHM credentials, DMA
 * stream state machines, IRQ lines and GPIO pins, and their gates (uapi.md 4.3, 4.7-4.9,
 * 4.13-4.14, 4.19-4.24, 9).
 *
 * Memory itself is the host's: a mapping gate decides, records the window in the caller's
 * layout and tells the host through KernelHooks.window; a DMA start asks the host to move
 * the bytes through KernelHooks.dma_transfer.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <uapi/dma.h>

#include "sim/kernel/kernel_priv.h"

/* ---------------------------------------------------------------------------------------- */
/* Capability class (9.1)                                                                    */

uint32_t board_device_class(const char *compatible)
{
	static const struct {
		uint32_t cap;
		const char *const words[16];
	} groups[] = {
	    {CAP_DEV_IO, {"gpio", "leds"}},
	    {CAP_DEV_BUSES,
	     {"usart", "lpuart", "ethernet", "i2c", "i2s", "otgfs", "otghs", "ospi", "qspi", "spi",
	      "bxcan", "fdcan", "mipi-dsi", "exti", "ltdc"}},
	    {CAP_DEV_DMA, {"dma", "bdma", "dmamux"}},
	    {CAP_DEV_ANALOG, {"adc", "dac", "pwm"}},
	    {CAP_DEV_TIMER, {"timers", "timer", "lptim", "rtc", "watchdog"}},
	    {CAP_DEV_STORAGE, {"flash", "fmc", "sdmmc"}},
	    {CAP_DEV_CRYPTO, {"aes", "cryp", "rng", "syscfg"}},
	    {CAP_DEV_POWER, {"ucpd", "rcc"}},
	};
	if (!compatible)
		return 0;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (size_t w = 0; w < 16 && groups[g].words[w]; w++)
			if (strstr(compatible, groups[g].words[w]))
				return groups[g].cap;
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Setup                                                                                     */

/* Copy the board into the kernel and index its listed devices and their pins; false (and
 * |err|) when the board cannot be represented. */
bool board_init(Kernel *k, const Board *b, const char **err)
{
	KBoard *kb = &k->board;
	uint32_t nirq = k->cfg.num_irqs ? k->cfg.num_irqs : 1;
	kb->irqs = calloc(nirq, sizeof(IrqLine));
	if (!kb->irqs) {
		*err = "out of memory";
		return false;
	}
	if (!b)
		return true;
	kb->cfg = *b;
	kb->devices = calloc(b->n_devices + 1, sizeof(BoardDevice));
	kb->shms = calloc(b->n_shms + 1, sizeof(BoardShm));
	kb->dmas = calloc(b->n_dmas + 1, sizeof(BoardDma));
	kb->kdev = calloc(b->n_devices + 1, sizeof(KDevice));
	kb->kshm = calloc(b->n_shms + 1, sizeof(KShm));
	kb->kdma = calloc(b->n_dmas + 1, sizeof(KDma));
	kb->pins = calloc((size_t)b->n_devices * BOARD_MAX_IOS + 1, sizeof(Pin));
	if (!kb->devices || !kb->shms || !kb->dmas || !kb->kdev || !kb->kshm || !kb->kdma ||
	    !kb->pins) {
		*err = "out of memory";
		return false;
	}
	if (b->n_shms > 256) {
		*err = "more than 256 SHMs (the handle's id field is 8 bits)";
		return false;
	}
	if (b->n_dmas > 256) {
		*err = "more than 256 DMA streams (the handle's stream id field is 8 bits)";
		return false;
	}
	/* an empty table may come as NULL, which memcpy must not see even for 0 bytes */
	if (b->n_devices)
		memcpy(kb->devices, b->devices, b->n_devices * sizeof(BoardDevice));
	if (b->n_shms)
		memcpy(kb->shms, b->shms, b->n_shms * sizeof(BoardShm));
	if (b->n_dmas)
		memcpy(kb->dmas, b->dmas, b->n_dmas * sizeof(BoardDma));
	kb->cfg.devices = kb->devices;
	kb->cfg.shms = kb->shms;
	kb->cfg.dmas = kb->dmas;
	for (uint32_t i = 0; i < b->n_devices; i++) {
		const BoardDevice *d = &kb->devices[i];
		for (uint32_t j = 0; j < d->n_irqs; j++)
			if (d->irqs[j] >= nirq) {
				*err =
				    "a device declares an IRQ at or above the platform's IRQ count";
				return false;
			}
		if (!d->has_owner)
			continue;
		kb->kdev[kb->n_kdev++].cfg = d;
		for (uint32_t j = 0; j < d->n_ios; j++) {
			uint16_t key = (uint16_t)(d->ios[j].port << 8 | d->ios[j].pin);
			bool known = false;
			for (uint32_t p = 0; p < kb->n_pins; p++)
				known = known || kb->pins[p].key == key;
			if (!known)
				kb->pins[kb->n_pins++].key = key;
		}
	}
	for (uint32_t i = 0; i < b->n_shms; i++)
		kb->kshm[i].cfg = &kb->shms[i];
	for (uint32_t i = 0; i < b->n_dmas; i++)
		kb->kdma[i].cfg = &kb->dmas[i];
	return true;
}

void board_free(Kernel *k)
{
	KBoard *kb = &k->board;
	free(kb->irqs);
	free(kb->devices);
	free(kb->shms);
	free(kb->dmas);
	free(kb->kdev);
	free(kb->kshm);
	free(kb->kdma);
	free(kb->pins);
}

/* Boot-time handle of the task labelled |label| (owner caching, 7.2); 0 if none. */
static uint32_t owner_handle(Kernel *k, uint32_t label)
{
	Task *t = kernel_task_by_label(k, label);
	return t ? t->handle : 0;
}

/* After the tasks exist: forge handles (random parts drawn at boot) and cache owners. */
void board_boot(Kernel *k)
{
	KBoard *kb = &k->board;
	for (uint32_t i = 0; i < kb->n_kdev; i++) {
		KDevice *d = &kb->kdev[i];
		d->handle = board_device_handle(d->cfg);
		d->owner = owner_handle(k, d->cfg->owner);
	}
	for (uint32_t i = 0; i < kb->cfg.n_shms; i++) {
		KShm *s = &kb->kshm[i];
		s->handle = i | ((kernel_rand32(k) & 0xFFFFFFu) << 8);
		uint32_t owner = owner_handle(k, s->cfg->owner);
		s->owner = (ShmSlot){.task = owner};
		s->user = (ShmSlot){.task = owner};
	}
	for (uint32_t i = 0; i < kb->cfg.n_dmas; i++) {
		KDma *d = &kb->kdma[i];
		d->handle = (kernel_rand32(k) & 0x1FFFFFu) | (i << 21) | (2u << 29);
		d->owner = owner_handle(k, d->cfg->owner);
	}
}

/* 7.6: mapped devices and SHMs leave the job's layout; the global flags stay. */
void board_respawn(Kernel *k, Task *t)
{
	memset(t->windows, 0, sizeof(t->windows));
}

/* ---------------------------------------------------------------------------------------- */
/* Lookups and the task layout                                                               */

static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static KDevice *device_by_handle(Kernel *k, uint32_t h)
{
	for (uint32_t i = 0; i < k->board.n_kdev; i++)
		if (k->board.kdev[i].handle == h)
			return &k->board.kdev[i];
	return NULL;
}

static KDevice *device_by_label(Kernel *k, uint32_t label)
{
	for (uint32_t i = 0; i < k->board.n_kdev; i++)
		if (k->board.kdev[i].cfg->label == label)
			return &k->board.kdev[i];
	return NULL;
}

static KShm *shm_by_handle(Kernel *k, uint32_t h)
{
	uint32_t id = h & 0xFFu;
	if (id >= k->board.cfg.n_shms || k->board.kshm[id].handle != h)
		return NULL;
	return &k->board.kshm[id];
}

static KDma *dma_by_handle(Kernel *k, uint32_t h)
{
	uint32_t id = (h >> 21) & 0xFFu;
	if (id >= k->board.cfg.n_dmas || k->board.kdma[id].handle != h)
		return NULL;
	return &k->board.kdma[id];
}

/* The accessor slot of |t| (the owner slot is checked first), or NULL (4.8). */
static ShmSlot *shm_accessor(KShm *s, const Task *t)
{
	if (s->owner.task == t->handle)
		return &s->owner;
	if (s->user.task == t->handle)
		return &s->user;
	return NULL;
}

/* Index of the device in the board table (for window bookkeeping). */
static uint32_t device_index(Kernel *k, const KDevice *d)
{
	return (uint32_t)(d->cfg - k->board.devices);
}

/* A free slot that does not overlap an existing region, or -1 (BUSY). */
static int layout_slot(const Task *t, uint64_t base, uint64_t size)
{
	int free_slot = -1;
	for (int i = 0; i < TASK_MAX_WINDOWS; i++) {
		const Window *w = &t->windows[i];
		if (!w->used) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (size && w->size && base < w->base + w->size && w->base < base + size)
			return -1;
	}
	return free_slot;
}

static void layout_add(Kernel *k, Task *t, int slot, WindowKind kind, uint32_t index, uint64_t base,
                       uint64_t size, bool writable)
{
	t->windows[slot] = (Window){.used = true,
	                            .kind = kind,
	                            .index = index,
	                            .base = base,
	                            .size = size,
	                            .writable = writable};
	if (k->hooks.window && size)
		k->hooks.window(k->hook_data, t->id, base, size, writable, true);
}

static bool layout_remove(Kernel *k, Task *t, WindowKind kind, uint32_t index)
{
	for (int i = 0; i < TASK_MAX_WINDOWS; i++) {
		Window *w = &t->windows[i];
		if (w->used && w->kind == kind && w->index == index) {
			if (k->hooks.window && w->size)
				k->hooks.window(k->hook_data, t->id, w->base, w->size, w->writable,
				                false);
			w->used = false;
			return true;
		}
	}
	return false;
}

/* ---------------------------------------------------------------------------------------- */
/* Devices (4.3, 4.7)                                                                        */

void gate_get_device_handle(Kernel *k, Task *t, uint32_t label, uint32_t a1, uint32_t a2)
{
	KDevice *d = device_by_label(k, label);
	GATE_CHECK(t, !d || d->owner != t->handle, STATUS_INVALID);
	put_u32(t->exch, d->handle);
	kernel_set_result(t, STATUS_OK);
}

/* Checks shared by map_dev and unmap_dev, steps 1 to 3. */
static KDevice *dev_checks(Kernel *k, Task *t, uint32_t h, const char *gate)
{
	KDevice *d = device_by_handle(k, h);
	if (!d) {
		kernel_set_result(t, STATUS_INVALID);
		return NULL;
	}
	if (d->owner != t->handle) {
		kernel_set_result(t, STATUS_DENIED);
		return NULL;
	}
	if (d->cfg->cap == 0) {
		kernel_panic(k, PANIC_KERNEL_INVALID_MANAGER_RESPONSE,
		             "%s of device '%s', whose compatible strings give no capability class "
		             "(uapi.md 4.7, 9.1)",
		             gate, d->cfg->name);
		return NULL;
	}
	if (!kernel_holds(k, t, d->cfg->cap)) {
		kernel_set_result(t, STATUS_DENIED);
		return NULL;
	}
	return d;
}

void gate_map_dev(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	KDevice *d = dev_checks(k, t, h, "map_dev");
	if (!d)
		return;
	GATE_CHECK(t, d->mapped, STATUS_INVALID);
	d->configured = true; /* first map: clock and pins configured, nothing visible */
	int slot = layout_slot(t, d->cfg->base, d->cfg->size);
	GATE_CHECK(t, slot < 0, STATUS_BUSY);
	if (d->cfg->size == 0)
		kernel_reportf(k, KREPORT_UNCHARACTERIZED, t->id,
		               "map_dev of device '%s', which has no register window: not "
		               "characterized; a mapping slot is used and nothing becomes visible",
		               d->cfg->name);
	layout_add(k, t, slot, WINDOW_DEVICE, device_index(k, d), d->cfg->base, d->cfg->size, true);
	d->mapped = true;
	kernel_set_result(t, STATUS_OK);
}

void gate_unmap_dev(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	KDevice *d = dev_checks(k, t, h, "unmap_dev");
	if (!d)
		return;
	GATE_CHECK(t, !d->mapped, STATUS_INVALID);
	layout_remove(k, t, WINDOW_DEVICE, device_index(k, d));
	d->mapped = false;
	kernel_set_result(t, STATUS_OK);
}

/* ---------------------------------------------------------------------------------------- */
/* Shared memories (4.8, 4.9, 4.21, 4.24)                                                    */

void gate_map_shm(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, !kernel_holds(k, t, CAP_MEM_SHM_USE), STATUS_DENIED);
	KShm *s = shm_by_handle(k, h);
	ShmSlot *acc = s ? shm_accessor(s, t) : NULL;
	GATE_CHECK(t, !acc, STATUS_INVALID);
	GATE_CHECK(t, s->cfg->no_map || !acc->mappable, STATUS_DENIED);
	GATE_CHECK(t, acc->mapped, STATUS_ALREADY_MAPPED);
	int slot = layout_slot(t, s->cfg->base, s->cfg->size);
	GATE_CHECK(t, slot < 0, STATUS_BUSY);
	layout_add(k, t, slot, WINDOW_SHM, h & 0xFFu, s->cfg->base, s->cfg->size, acc->rw);
	acc->mapped = true;
	kernel_set_result(t, STATUS_OK);
}

void gate_unmap_shm(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	KShm *s = shm_by_handle(k, h);
	ShmSlot *acc = s ? shm_accessor(s, t) : NULL;
	GATE_CHECK(t, !acc || !acc->mapped, STATUS_INVALID);
	layout_remove(k, t, WINDOW_SHM, h & 0xFFu);
	acc->mapped = false;
	kernel_set_result(t, STATUS_OK);
}

void gate_shm_set_credential(Kernel *k, Task *t, uint32_t h, uint32_t target_h, uint32_t perms)
{
	GATE_CHECK(t, !kernel_holds(k, t, CAP_MEM_SHM_OWN), STATUS_DENIED);
	KShm *s = shm_by_handle(k, h);
	GATE_CHECK(t, !s || !kernel_task_by_handle(k, target_h), STATUS_INVALID);
	ShmSlot *acc = shm_accessor(s, t);
	GATE_CHECK(t, !acc, STATUS_INVALID);
	GATE_CHECK(t, acc != &s->owner, STATUS_DENIED);
	GATE_CHECK(t, s->owner.mapped, STATUS_BUSY);
	ShmSlot cred = {.task = target_h,
	                .mappable = (perms & SHM_PERMISSION_MAP) != 0,
	                .rw = (perms & SHM_PERMISSION_WRITE) != 0,
	                .transferable = (perms & SHM_PERMISSION_TRANSFER) != 0};
	if (target_h == t->handle) {
		cred.mapped = s->owner.mapped;
		s->owner = cred;
	} else {
		/* the target becomes THE user, replacing any previous one, even a mapped one:
		 * a previous user keeps what it mapped (4.9). The mapped flag is the
		 * accessor's, not part of the credential: a user given a new credential
		 * still has the SHM mapped and can unmap it (4.8) */
		if (s->user.task == target_h)
			cred.mapped = s->user.mapped;
		s->user = cred;
		s->shared = true;
	}
	kernel_set_result(t, STATUS_OK);
}

void gate_get_shm_handle(Kernel *k, Task *t, uint32_t label, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, !kernel_holds(k, t, CAP_MEM_SHM_OWN), STATUS_DENIED);
	KShm *s = NULL;
	for (uint32_t i = 0; i < k->board.cfg.n_shms && !s; i++)
		if (k->board.kshm[i].cfg->label == label)
			s = &k->board.kshm[i];
	GATE_CHECK(t, !s || !shm_accessor(s, t), STATUS_INVALID);
	put_u32(t->exch, s->handle);
	kernel_set_result(t, STATUS_OK);
}

void gate_shm_get_infos(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, !kernel_holds(k, t, CAP_MEM_SHM_OWN | CAP_MEM_SHM_USE), STATUS_DENIED);
	KShm *s = shm_by_handle(k, h);
	ShmSlot *acc = s ? shm_accessor(s, t) : NULL;
	GATE_CHECK(t, !acc, STATUS_INVALID);
	/* written in the task's ABI; tasks are built natively, as the daemon is (1.5). Field
	 * by field over zeros: a compound literal leaves the padding undefined, and the
	 * bytes written must not depend on the compiler */
	shm_infos_t info;
	memset(&info, 0, sizeof(info));
	info.handle = s->handle;
	info.label = s->cfg->label;
	info.base = (size_t)s->cfg->base;
	info.len = (size_t)s->cfg->size;
	info.perms = ((!s->cfg->no_map && acc->mappable) ? SHM_PERMISSION_MAP : 0u) |
	             (acc->rw ? SHM_PERMISSION_WRITE : 0u);
	memcpy(t->exch, &info, sizeof(info));
	kernel_set_result(t, STATUS_OK);
}

/* ---------------------------------------------------------------------------------------- */
/* GPIO (4.19)                                                                               */

Pin *board_pin_find(KBoard *kb, uint8_t port, uint8_t pin)
{
	uint16_t key = (uint16_t)(port << 8 | pin);
	for (uint32_t i = 0; i < kb->n_pins; i++)
		if (kb->pins[i].key == key)
			return &kb->pins[i];
	return NULL;
}

static Pin *gpio_checks(Kernel *k, Task *t, uint32_t h, uint32_t io)
{
	KDevice *d = device_by_handle(k, h);
	if (!d) {
		kernel_set_result(t, STATUS_INVALID);
		return NULL;
	}
	if (d->owner != t->handle) {
		kernel_set_result(t, STATUS_DENIED);
		return NULL;
	}
	if (!kernel_holds(k, t, CAP_DEV_IO | CAP_DEV_BUSES)) {
		kernel_set_result(t, STATUS_DENIED);
		return NULL;
	}
	io &= 0xFFu;
	if (io >= d->cfg->n_ios) {
		kernel_set_result(t, STATUS_INVALID);
		return NULL;
	}
	if (k->board.gpio_failures) {
		k->board.gpio_failures--;
		kernel_set_result(t, STATUS_INVALID);
		return NULL;
	}
	const BoardIo *cfg = &d->cfg->ios[io];
	return board_pin_find(&k->board, cfg->port, cfg->pin);
}

static bool pin_read(const Pin *p)
{
	return p->driven ? p->input : p->level;
}

void gate_gpio_get(Kernel *k, Task *t, uint32_t h, uint32_t io, uint32_t a2)
{
	Pin *p = gpio_checks(k, t, h, io);
	if (!p)
		return;
	t->exch[0] = pin_read(p) ? 1 : 0;
	kernel_set_result(t, STATUS_OK);
}

void gate_gpio_set(Kernel *k, Task *t, uint32_t h, uint32_t io, uint32_t val)
{
	Pin *p = gpio_checks(k, t, h, io);
	if (!p)
		return;
	p->level = val != 0;
	kernel_set_result(t, STATUS_OK);
}

void gate_gpio_reset(Kernel *k, Task *t, uint32_t h, uint32_t io, uint32_t a2)
{
	Pin *p = gpio_checks(k, t, h, io);
	if (!p)
		return;
	p->level = false;
	kernel_set_result(t, STATUS_OK);
}

void gate_gpio_toggle(Kernel *k, Task *t, uint32_t h, uint32_t io, uint32_t a2)
{
	Pin *p = gpio_checks(k, t, h, io);
	if (!p)
		return;
	p->level = !pin_read(p);
	kernel_set_result(t, STATUS_OK);
}

void gate_gpio_configure(Kernel *k, Task *t, uint32_t h, uint32_t io, uint32_t a2)
{
	Pin *p = gpio_checks(k, t, h, io);
	if (!p)
		return;
	p->configured = true;
	kernel_set_result(t, STATUS_OK);
}

void kernel_gpio_drive(Kernel *k, uint8_t port, uint8_t pin, bool level)
{
	Pin *p = board_pin_find(&k->board, port, pin);
	if (p) {
		p->driven = true;
		p->input = level;
	}
}

void kernel_gpio_release(Kernel *k, uint8_t port, uint8_t pin)
{
	Pin *p = board_pin_find(&k->board, port, pin);
	if (p)
		p->driven = false;
}

bool kernel_gpio_level(const Kernel *k, uint8_t port, uint8_t pin, bool *level)
{
	Pin *p = board_pin_find((KBoard *)&k->board, port, pin);
	if (!p)
		return false;
	*level = pin_read(p);
	return true;
}

bool kernel_gpio_set_output(Kernel *k, uint8_t port, uint8_t pin, bool level)
{
	Pin *p = board_pin_find(&k->board, port, pin);
	if (!p)
		return false;
	p->level = level;
	return true;
}

bool kernel_gpio_output(const Kernel *k, uint8_t port, uint8_t pin, bool *level)
{
	Pin *p = board_pin_find((KBoard *)&k->board, port, pin);
	if (!p)
		return false;
	*level = p->level;
	return true;
}

void kernel_set_gpio_failure(Kernel *k, uint32_t count)
{
	k->board.gpio_failures = count;
}

/* ---------------------------------------------------------------------------------------- */
/* IRQ lines (4.20)                                                                          */

/* The first listed device that declares |irq|. */
static KDevice *irq_device(Kernel *k, uint32_t irq)
{
	for (uint32_t i = 0; i < k->board.n_kdev; i++) {
		const BoardDevice *d = k->board.kdev[i].cfg;
		for (uint32_t j = 0; j < d->n_irqs; j++)
			if (d->irqs[j] == irq)
				return &k->board.kdev[i];
	}
	return NULL;
}

/* Deliver to the owner when pending and enabled: mask, push, wake. */
static void irq_deliver(Kernel *k, uint32_t irq)
{
	IrqLine *l = &k->board.irqs[irq];
	if (!l->pending || !l->enabled)
		return;
	KDevice *d = irq_device(k, irq);
	l->pending = false;
	l->enabled = false;
	Task *owner = d ? kernel_task_by_handle(k, d->owner) : NULL;
	if (!owner) {
		kernel_reportf(k, KREPORT_UNCHARACTERIZED, KERNEL_NO_TASK,
		               "IRQ %" PRIu32 " of device '%s': its owner respawned since boot "
		               "and the cached owner handle is stale; the event is dropped",
		               irq, d ? d->cfg->name : "?");
		return;
	}
	if (!ring_push(&owner->irq, irq, d->handle)) {
		kernel_panic(k, PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG,
		             "IRQ %" PRIu32 " for task '%s': its IRQ ring already holds 15 events "
		             "(uapi.md 4.20)",
		             irq, owner->cfg.name);
		return;
	}
	kernel_wake_intr(k, owner);
}

bool kernel_inject_irq(Kernel *k, uint32_t irq)
{
	if (k->panicked || irq >= k->cfg.num_irqs || !irq_device(k, irq))
		return false;
	k->board.irqs[irq].pending = true;
	irq_deliver(k, irq);
	return true;
}

static KDevice *irq_checks(Kernel *k, Task *t, uint32_t irq)
{
	if (!kernel_holds(k, t, CAP_DEV_MASK)) {
		kernel_set_result(t, STATUS_DENIED);
		return NULL;
	}
	KDevice *d = irq_device(k, irq & 0xFFFFu);
	if (!d) {
		kernel_set_result(t, STATUS_INVALID);
		return NULL;
	}
	if (d->owner != t->handle) {
		kernel_set_result(t, STATUS_DENIED);
		return NULL;
	}
	return d;
}

void gate_irq_acknowledge(Kernel *k, Task *t, uint32_t irq, uint32_t a1, uint32_t a2)
{
	if (!irq_checks(k, t, irq))
		return;
	k->board.irqs[irq & 0xFFFFu].pending = false;
	kernel_set_result(t, STATUS_OK);
}

void gate_irq_enable(Kernel *k, Task *t, uint32_t irq, uint32_t a1, uint32_t a2)
{
	if (!irq_checks(k, t, irq))
		return;
	irq &= 0xFFFFu;
	k->board.irqs[irq].enabled = true;
	kernel_set_result(t, STATUS_OK);
	irq_deliver(k, irq); /* a source that asserted while masked fires now */
}

void gate_irq_disable(Kernel *k, Task *t, uint32_t irq, uint32_t a1, uint32_t a2)
{
	if (!irq_checks(k, t, irq))
		return;
	k->board.irqs[irq & 0xFFFFu].enabled = false;
	kernel_set_result(t, STATUS_OK);
}

/* ---------------------------------------------------------------------------------------- */
/* DMA streams (4.22, 4.23)                                                                  */

void gate_get_dma_stream_handle(Kernel *k, Task *t, uint32_t label, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, !k->cfg.gpdma, STATUS_NO_ENTITY);
	KDma *d = NULL;
	for (uint32_t i = 0; i < k->board.cfg.n_dmas && !d; i++)
		if (k->board.kdma[i].cfg->label == label)
			d = &k->board.kdma[i];
	GATE_CHECK(t, !d, STATUS_INVALID);
	GATE_CHECK(t, !kernel_holds(k, t, CAP_DEV_DMA), STATUS_DENIED);
	GATE_CHECK(t, d->owner != t->handle, STATUS_INVALID);
	put_u32(t->exch, d->handle);
	kernel_set_result(t, STATUS_OK);
}

static KDma *dma_checks(Kernel *k, Task *t, uint32_t h)
{
	if (!k->cfg.gpdma) {
		kernel_set_result(t, STATUS_NO_ENTITY);
		return NULL;
	}
	KDma *d = dma_by_handle(k, h);
	if (!d) {
		kernel_set_result(t, STATUS_INVALID);
		return NULL;
	}
	if (d->owner != t->handle) {
		kernel_set_result(t, STATUS_DENIED);
		return NULL;
	}
	if (!kernel_holds(k, t, CAP_DEV_DMA)) {
		kernel_set_result(t, STATUS_DENIED);
		return NULL;
	}
	return d;
}

/* Move between states |from| (a mask of 1 << DmaState) and |to|, or INVALID. */
static KDma *dma_transition(Kernel *k, Task *t, uint32_t h, unsigned from, DmaState to)
{
	KDma *d = dma_checks(k, t, h);
	if (!d)
		return NULL;
	if (!(from & (1u << d->state))) {
		kernel_set_result(t, STATUS_INVALID);
		return NULL;
	}
	d->state = to;
	kernel_set_result(t, STATUS_OK);
	return d;
}

/* The channel's completion interrupt (4.23): the reference driver reads the wrong status
 * register, so completion is never seen: the stream stays STARTED and the event carries
 * IDLE. The intended path returns the stream to ASSIGNED (same event value). */
static void dma_complete(Kernel *k, KDma *d)
{
	if (k->cfg.dma_intended_path)
		d->state = DMA_ASSIGNED;
	Task *owner = kernel_task_by_handle(k, d->owner);
	if (!owner)
		return;
	if (!ring_push(&owner->dma, d->handle, GPDMA_STATE_IDLE)) {
		kernel_panic(k, PANIC_KERNEL_SHORTER_KBUFFERS_CONFIG,
		             "DMA event of stream '%s' for task '%s': its DMA ring already holds "
		             "15 events (uapi.md 4.23)",
		             d->cfg->name, owner->cfg.name);
		return;
	}
	kernel_wake_intr(k, owner);
}

void gate_dma_start(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	KDma *d = dma_transition(k, t, h, 1u << DMA_ASSIGNED | 1u << DMA_SUSPENDED, DMA_STARTED);
	if (!d)
		return;
	bool paced = k->hooks.dma_paced && k->hooks.dma_paced(k->hook_data, d->cfg, &k->board.cfg);
	bool ok =
	    !k->hooks.dma_transfer || k->hooks.dma_transfer(k->hook_data, d->cfg, &k->board.cfg);
	if (!ok) {
		/* the state is set even if the driver's enable fails (4.23) */
		kernel_set_result(t, STATUS_INVALID);
		return;
	}
	if (!paced)
		dma_complete(k, d); /* the completion is queued before the syscall returns */
}

void gate_dma_suspend(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	dma_transition(k, t, h, 1u << DMA_STARTED, DMA_SUSPENDED);
}

void gate_dma_resume(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	dma_transition(k, t, h, 1u << DMA_SUSPENDED, DMA_STARTED);
}

void gate_dma_assign(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	dma_transition(k, t, h, 1u << DMA_UNSET, DMA_ASSIGNED);
}

void gate_dma_unassign(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	dma_transition(k, t, h, 1u << DMA_ASSIGNED | 1u << DMA_SUSPENDED, DMA_UNSET);
}

static size_t dma_end_address(Kernel *k, const BoardEnd *e)
{
	if (e->kind == BOARD_END_SHM && e->index < k->board.cfg.n_shms)
		return (size_t)k->board.shms[e->index].base;
	return 0;
}

void gate_dma_get_stream_info(Kernel *k, Task *t, uint32_t h, uint32_t a1, uint32_t a2)
{
	KDma *d = dma_checks(k, t, h);
	if (!d)
		return;
	const BoardDma *c = d->cfg;
	bool src_dev = c->source.kind == BOARD_END_DEVICE,
	     dst_dev = c->dest.kind == BOARD_END_DEVICE;
	/* field by field over zeros, as in shm_get_infos: the padding is written as zeros
	 * whatever the compiler; is_triggered, trigger, transfer_mode and both beat lengths
	 * are fixed at 0 (9.3) */
	gpdma_stream_cfg_t cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.channel = c->channel;
	cfg.stream = c->stream;
	cfg.controller = c->controller;
	cfg.transfer_type = src_dev && dst_dev ? GPDMA_TRANSFER_DEVICE_TO_DEVICE
	                    : src_dev          ? GPDMA_TRANSFER_DEVICE_TO_MEMORY
	                    : dst_dev          ? GPDMA_TRANSFER_MEMORY_TO_DEVICE
	                                       : GPDMA_TRANSFER_MEMORY_TO_MEMORY;
	cfg.source = dma_end_address(k, &c->source);
	cfg.dest = dma_end_address(k, &c->dest);
	cfg.transfer_len = c->length;
	cfg.circular_source = c->circular_source;
	cfg.circular_dest = c->circular_dest;
	cfg.interrupts = GPDMA_INT_TC | GPDMA_INT_ERROR;
	cfg.priority = c->priority;
	memcpy(t->exch, &cfg, sizeof(cfg));
	kernel_set_result(t, STATUS_OK);
}

/* ---------------------------------------------------------------------------------------- */
/* Power (4.13, 4.14): checks and results; the request is recorded                          */

void gate_pm_manage(Kernel *k, Task *t, uint32_t cmd, uint32_t a1, uint32_t a2)
{
	GATE_CHECK(t, !kernel_holds(k, t, CAP_SYS_POWER), STATUS_DENIED);
	GATE_CHECK(t, cmd > CPU_SLEEP_ALLOW_SLEEP, STATUS_INVALID);
	GATE_CHECK(t, cmd <= CPU_SLEEP_WAIT_FOR_EVENT && t->id != kernel_idle_id(k), STATUS_DENIED);
	k->board.pm_last_cmd = cmd;
	k->board.pm_requests++;
	kernel_set_result(t, STATUS_OK);
}

void gate_pm_set_clock(Kernel *k, Task *t, uint32_t reg, uint32_t mask, uint32_t val)
{
	GATE_CHECK(t, !kernel_holds(k, t, CAP_SYS_POWER), STATUS_DENIED);
	GATE_CHECK(t, reg % 4 != 0, STATUS_INVALID);
	k->board.pm_clock_reg = reg;
	k->board.pm_clock_mask = mask;
	k->board.pm_clock_val = val;
	k->board.pm_requests++;
	kernel_set_result(t, STATUS_OK);
}

void kernel_pm_requests(const Kernel *k, uint32_t *count, uint32_t *last_cmd, uint32_t *reg,
                        uint32_t *mask, uint32_t *val)
{
	*count = k->board.pm_requests;
	*last_cmd = k->board.pm_last_cmd;
	*reg = k->board.pm_clock_reg;
	*mask = k->board.pm_clock_mask;
	*val = k->board.pm_clock_val;
}

uint32_t kernel_shm_handle(const Kernel *k, uint32_t index)
{
	return index < k->board.cfg.n_shms ? k->board.kshm[index].handle : 0;
}

uint32_t kernel_dma_handle(const Kernel *k, uint32_t index)
{
	return index < k->board.cfg.n_dmas ? k->board.kdma[index].handle : 0;
}

bool kernel_dma_complete(Kernel *k, uint32_t index)
{
	if (kernel_panicked(k) || index >= k->board.cfg.n_dmas ||
	    k->board.kdma[index].state != DMA_STARTED)
		return false;
	dma_complete(k, &k->board.kdma[index]);
	return true;
}
