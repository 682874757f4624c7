/*
 * memory.c: board memory windows, one memory object per window (see memory.h).
 *
 * The pages some window covers get slots in address order. Windows whose page ranges
 * overlap (MPU granularity is 32 bytes, so two windows may share a host page) form one
 * region; every region is its own memfd, with a read-write and a read-only descriptor.
 * The daemon maps every region at its slots in one reserved area, so that its view of
 * the board stays contiguous (board_memory_at).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/errors.h"
#include "sim/host/fd.h"
#include "sim/host/memory.h"
#include "uapi/src/wire.h"

typedef struct {
	guint first, n; /* slots */
	int fd_rw, fd_ro;
} Region;

struct board_memory {
	uint64_t *pages; /* sorted host page addresses covered by some window */
	guint n_pages;
	Region *regions;
	guint n_regions;
	guint *region_of;  /* [n_pages] */
	gboolean *trapped; /* [n_pages]: a device with a model covers the page */
	uint8_t *view;     /* the daemon's read-write mapping of all slots */
};

typedef struct {
	uint16_t ro, rw; /* how many mapped windows cover the page, by permission */
} PageUse;

struct task_windows {
	BoardMemory *m;
	PageUse *use; /* [n_pages] */
};

static uint64_t page_floor(uint64_t a)
{
	return a & ~(uint64_t)(BOARD_PAGE - 1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

typedef struct {
	uint64_t first, last; /* page addresses */
} Span;

static void add_window(GArray *pages, GArray *spans, uint64_t base, uint64_t size)
{
	if (size == 0)
		return;
	for (uint64_t p = page_floor(base); p < base + size; p += BOARD_PAGE)
		g_array_append_val(pages, p);
	Span sp = {page_floor(base), page_floor(base + size - 1)};
	g_array_append_val(spans, sp);
}

static int cmp_span(const void *a, const void *b)
{
	const Span *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* A memfd of |n| pages and a read-only open file description of it. */
static gboolean new_object(guint n, int *rw, int *ro)
{
	*rw = memfd_create("sentry-board", MFD_CLOEXEC);
	if (*rw < 0 || ftruncate(*rw, (off_t)n * BOARD_PAGE) != 0)
		return FALSE;
	*ro = sim_reopen_read_only(*rw);
	return *ro >= 0;
}

/* Slot index of the page at |addr|, or -1. */
static int slot_of(const BoardMemory *m, uint64_t addr)
{
	uint64_t key = page_floor(addr);
	guint lo = 0, hi = m->n_pages;
	while (lo < hi) {
		guint mid = (lo + hi) / 2;
		if (m->pages[mid] < key)
			lo = mid + 1;
		else if (m->pages[mid] > key)
			hi = mid;
		else
			return (int)mid;
	}
	return -1;
}

BoardMemory *board_memory_new(const Board *board, GError **error)
{
	g_autoptr(GArray) pages = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(Span));
	for (uint32_t i = 0; board && i < board->n_devices; i++)
		add_window(pages, spans, board->devices[i].base, board->devices[i].size);
	for (uint32_t i = 0; board && i < board->n_shms; i++)
		add_window(pages, spans, board->shms[i].base, board->shms[i].size);
	g_array_sort(pages, cmp_u64);
	/* unique */
	guint n = 0;
	for (guint i = 0; i < pages->len; i++)
		if (n == 0 ||
		    g_array_index(pages, uint64_t, n - 1) != g_array_index(pages, uint64_t, i))
			g_array_index(pages, uint64_t, n++) = g_array_index(pages, uint64_t, i);
	g_array_set_size(pages, n);

	BoardMemory *m = g_new0(BoardMemory, 1);
	m->n_pages = n;
	m->pages = (uint64_t *)g_array_free(g_steal_pointer(&pages), FALSE);
	m->region_of = g_new0(guint, n ? n : 1);
	m->trapped = g_new0(gboolean, n ? n : 1);
	for (uint32_t i = 0; board && i < board->n_devices; i++) {
		const BoardDevice *d = &board->devices[i];
		for (uint64_t p = page_floor(d->base); d->model && p < d->base + d->size;
		     p += BOARD_PAGE)
			m->trapped[slot_of(m, p)] = TRUE;
	}
	size_t bytes = (size_t)(n ? n : 1) * BOARD_PAGE;
	m->view = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->view == MAP_FAILED) {
		m->view = NULL;
		goto fail;
	}
	/* regions: the windows' page spans, merged where they share a page */
	g_array_sort(spans, cmp_span);
	m->regions = g_new0(Region, spans->len ? spans->len : 1);
	for (guint i = 0; i < spans->len;) {
		Span r = g_array_index(spans, Span, i++);
		while (i < spans->len && g_array_index(spans, Span, i).first <= r.last) {
			r.last = MAX(r.last, g_array_index(spans, Span, i).last);
			i++;
		}
		Region *g = &m->regions[m->n_regions++];
		g->fd_rw = g->fd_ro = -1;
		g->first = (guint)slot_of(m, r.first);
		g->n = (guint)((r.last - r.first) / BOARD_PAGE + 1);
		if (!new_object(g->n, &g->fd_rw, &g->fd_ro))
			goto fail;
		for (guint k = 0; k < g->n; k++)
			m->region_of[g->first + k] = m->n_regions - 1;
		void *at = mmap(m->view + (size_t)g->first * BOARD_PAGE, (size_t)g->n * BOARD_PAGE,
		                PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, g->fd_rw, 0);
		if (at == MAP_FAILED)
			goto fail;
	}
	/* device registers start at their reset values (issue: board resources) */
	for (uint32_t i = 0; board && i < board->n_devices; i++) {
		const BoardDevice *d = &board->devices[i];
		for (uint32_t r = 0; r < d->n_regs; r++) {
			uint8_t *p = board_memory_at(m, d->base + d->regs[r].offset, 4);
			if (p)
				memcpy(p, &d->regs[r].value, 4);
		}
	}
	return m;
fail:
	g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "cannot create the board memory: %s",
	            g_strerror(errno));
	board_memory_free(m);
	return NULL;
}

void board_memory_free(BoardMemory *m)
{
	if (!m)
		return;
	if (m->view)
		munmap(m->view, (size_t)(m->n_pages ? m->n_pages : 1) * BOARD_PAGE);
	for (guint i = 0; i < m->n_regions; i++) {
		if (m->regions[i].fd_rw >= 0)
			close(m->regions[i].fd_rw);
		if (m->regions[i].fd_ro >= 0)
			close(m->regions[i].fd_ro);
	}
	g_free(m->regions);
	g_free(m->region_of);
	g_free(m->trapped);
	g_free(m->pages);
	g_free(m);
}

uint8_t *board_memory_at(BoardMemory *m, uint64_t addr, uint64_t len)
{
	if (len == 0 || addr + len < addr)
		return NULL;
	int first = slot_of(m, addr);
	if (first < 0)
		return NULL;
	/* every page of the range must be backed, in consecutive slots */
	uint64_t last_page = page_floor(addr + len - 1);
	int last = slot_of(m, last_page);
	if (last < 0 || (uint64_t)(last - first) * BOARD_PAGE != last_page - page_floor(addr))
		return NULL;
	return m->view + (size_t)first * BOARD_PAGE + (addr - page_floor(addr));
}

TaskWindows *board_memory_task_new(BoardMemory *m)
{
	TaskWindows *tw = g_new0(TaskWindows, 1);
	tw->m = m;
	tw->use = g_new0(PageUse, m->n_pages ? m->n_pages : 1);
	return tw;
}

void board_memory_task_free(TaskWindows *tw)
{
	if (!tw)
		return;
	g_free(tw->use);
	g_free(tw);
}

void board_memory_task_reset(TaskWindows *tw)
{
	memset(tw->use, 0, sizeof(PageUse) * (tw->m->n_pages ? tw->m->n_pages : 1));
}

/* A page of a device with a model is reserved without access whatever covers it. */
static uint32_t page_prot(const PageUse *u, gboolean trapped)
{
	if (trapped && (u->rw || u->ro))
		return SENTRY_WINDOW_TRAP;
	return u->rw ? (PROT_READ | PROT_WRITE) : u->ro ? PROT_READ : 0;
}

gboolean board_memory_task_trapped(const TaskWindows *tw, uint64_t addr)
{
	int s = slot_of(tw->m, addr);
	return s >= 0 && tw->m->trapped[s] && (tw->use[s].rw || tw->use[s].ro);
}

void board_memory_change(BoardMemory *m, TaskWindows *tw, uint64_t base, uint64_t size,
                         gboolean writable, gboolean mapped, GArray *ops)
{
	if (size == 0)
		return;
	for (uint64_t p = page_floor(base); p < base + size; p += BOARD_PAGE) {
		int s = slot_of(m, p);
		if (s < 0)
			continue;
		PageUse *u = &tw->use[s];
		uint32_t before = page_prot(u, m->trapped[s]);
		uint16_t *count = writable ? &u->rw : &u->ro;
		if (mapped)
			(*count)++;
		else if (*count)
			(*count)--;
		uint32_t after = page_prot(u, m->trapped[s]);
		if (after == before)
			continue;
		const Region *g = &m->regions[m->region_of[s]];
		WindowOp op = {.addr = p,
		               .len = BOARD_PAGE,
		               .offset = (uint64_t)((guint)s - g->first) * BOARD_PAGE,
		               .prot = after,
		               .fresh = before == 0,
		               .fd = after == 0 || after == SENTRY_WINDOW_TRAP ? -1
		                     : (after & PROT_WRITE)                    ? g->fd_rw
		                                                               : g->fd_ro};
		/* merge with the previous operation when contiguous and alike */
		if (ops->len) {
			WindowOp *last = &g_array_index(ops, WindowOp, ops->len - 1);
			if (last->addr + last->len == op.addr &&
			    last->offset + last->len == op.offset && last->prot == op.prot &&
			    last->fresh == op.fresh && last->fd == op.fd) {
				last->len += BOARD_PAGE;
				continue;
			}
		}
		g_array_append_val(ops, op);
	}
}
