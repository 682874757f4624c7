/*
 * image.c: a process's writable memory, kept and brought back (image.h).
 *
 * What is kept: the private writable mappings of /proc/PID/maps. For an anonymous one (the
 * heap, the stack, the C library's and the loader's anonymous data, the thread's TLS), only
 * the pages /proc/PID/pagemap shows present: the others were never touched and read as
 * zeros. A file-backed one (a binary's .data) is kept whole, since an untouched page of it
 * holds the file's bytes, not zeros; those are a few pages.
 *
 * Bringing it back writes, in one process_vm_writev per IOV_MAX pages, every page that is
 * present now or was kept: the kept bytes, or zeros. A page touched since is thus restored,
 * one never touched is left alone, and one touched only since reads zeros again (it stays
 * allocated: the process's memory use, not what it reads, differs from a new process's).
 * Writing every such page costs less than reading them to find those that changed
 * (measured: reading 25 pages through process_vm_readv took 90 us, writing them 28 us).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sim/host/image.h"

#define PAGE      4096u
#define IMAGE_MAX (16u << 20) /* bytes of pages an image keeps, at most */
/* bytes of writable mappings an image covers, at most: the daemon reads a pagemap entry and
 * plans a write for each of their pages */
#define IMAGE_SPAN (256u << 20)
#define BATCH      1024u /* iovecs per process_vm_readv / writev (IOV_MAX) */

typedef struct {
	uint64_t addr, len; /* a private writable mapping */
	gboolean file;      /* file-backed: kept whole */
} Region;

struct ProcImage {
	char *maps;      /* /proc/PID/maps when taken */
	GArray *regions; /* of Region, in address order */
	GArray *pages;   /* of uint64_t: the address of each kept page, ascending */
	char *data;      /* their bytes, PAGE each, in the same order */
};

void proc_image_free(ProcImage *img)
{
	if (!img)
		return;
	g_free(img->maps);
	if (img->regions)
		g_array_free(img->regions, TRUE);
	if (img->pages)
		g_array_free(img->pages, TRUE);
	g_free(img->data);
	g_free(img);
}

static char *read_maps(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	char *text = NULL;
	return g_file_get_contents(path, &text, NULL, NULL) ? text : NULL;
}

/* The private writable mappings of a maps text. */
static GArray *private_writable(const char *maps)
{
	GArray *regions = g_array_new(FALSE, FALSE, sizeof(Region));
	for (const char *line = maps; line && *line;) {
		unsigned long lo, hi, inode;
		char perms[5];
		if (sscanf(line, "%lx-%lx %4s %*x %*s %lu", &lo, &hi, perms, &inode) == 4 &&
		    perms[1] == 'w' && perms[3] == 'p' && hi > lo) {
			Region r = {.addr = lo, .len = hi - lo, .file = inode != 0};
			g_array_append_val(regions, r);
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return regions;
}

/* Which pages of |r| are present in |pagemap| (bit 63 of each entry): |out|, a byte each. */
static gboolean present_pages(int pagemap, const Region *r, uint8_t *out)
{
	size_t n = r->len / PAGE;
	g_autofree uint64_t *e = g_new(uint64_t, n);
	if (pread(pagemap, e, n * sizeof(*e), (off_t)(r->addr / PAGE * sizeof(*e))) !=
	    (ssize_t)(n * sizeof(*e)))
		return FALSE;
	for (size_t i = 0; i < n; i++)
		out[i] = r->file || (e[i] >> 63) & 1;
	return TRUE;
}

/* Call |fn| for every page of |regions| in order, with whether it is present (pagemap). */
static gboolean each_page(int pagemap, const GArray *regions,
                          void (*fn)(uint64_t addr, gboolean present, void *data), void *data)
{
	for (guint i = 0; i < regions->len; i++) {
		const Region *r = &g_array_index(regions, Region, i);
		g_autofree uint8_t *present = g_malloc(r->len / PAGE);
		if (!present_pages(pagemap, r, present))
			return FALSE;
		for (size_t k = 0; k < r->len / PAGE; k++)
			fn(r->addr + k * PAGE, present[k], data);
	}
	return TRUE;
}

static int open_pagemap(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* One process_vm_readv or writev of |n| single pages per side, IOV_MAX at a time. */
static gboolean move_pages(pid_t pid, struct iovec *local, struct iovec *remote, size_t n,
                           gboolean write)
{
	for (size_t at = 0; at < n; at += BATCH) {
		size_t k = MIN(BATCH, n - at);
		ssize_t done = write ? process_vm_writev(pid, local + at, k, remote + at, k, 0)
		                     : process_vm_readv(pid, local + at, k, remote + at, k, 0);
		if (done != (ssize_t)(k * PAGE))
			return FALSE;
	}
	return TRUE;
}

static void keep_present(uint64_t addr, gboolean present, void *pages)
{
	if (present)
		g_array_append_val((GArray *)pages, addr);
}

ProcImage *proc_image_take(pid_t pid)
{
	g_autoptr(ProcImage) img = g_new0(ProcImage, 1);
	img->maps = read_maps(pid);
	int pagemap = img->maps ? open_pagemap(pid) : -1;
	if (pagemap < 0)
		return NULL;
	img->regions = private_writable(img->maps);
	img->pages = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	uint64_t span = 0;
	for (guint i = 0; i < img->regions->len; i++)
		span += g_array_index(img->regions, Region, i).len;
	if (span > IMAGE_SPAN) { /* a task that mapped that much before its boot starts anew */
		close(pagemap);
		return NULL;
	}
	gboolean ok = each_page(pagemap, img->regions, keep_present, img->pages) &&
	              (uint64_t)img->pages->len * PAGE <= IMAGE_MAX;
	close(pagemap);
	if (!ok)
		return NULL;
	size_t n = img->pages->len;
	img->data = g_malloc(n * PAGE);
	g_autofree struct iovec *local = g_new(struct iovec, n);
	g_autofree struct iovec *remote = g_new(struct iovec, n);
	for (size_t k = 0; k < n; k++) {
		local[k] = (struct iovec){img->data + k * PAGE, PAGE};
		remote[k] =
		    (struct iovec){(void *)(uintptr_t)g_array_index(img->pages, uint64_t, k), PAGE};
	}
	return move_pages(pid, local, remote, n, FALSE) ? g_steal_pointer(&img) : NULL;
}

/* The writes that bring an image back: a page kept or present now gets its kept bytes, or
 * zeros (|kept|: the next kept page; the image's pages are in the regions' order). */
typedef struct {
	const ProcImage *img;
	GArray *local, *remote; /* of struct iovec */
	guint kept;
} Writes;

static void plan_write(uint64_t addr, gboolean present, void *data)
{
	static const char zeros[PAGE];
	Writes *w = data;
	const ProcImage *img = w->img;
	gboolean was =
	    w->kept < img->pages->len && g_array_index(img->pages, uint64_t, w->kept) == addr;
	if (was || present) {
		struct iovec l = {(void *)(was ? img->data + (size_t)w->kept * PAGE : zeros), PAGE};
		struct iovec r = {(void *)(uintptr_t)addr, PAGE};
		g_array_append_val(w->local, l);
		g_array_append_val(w->remote, r);
	}
	w->kept += was;
}

gboolean proc_image_same_mappings(const ProcImage *img, pid_t pid)
{
	g_autofree char *maps = read_maps(pid);
	return maps && strcmp(maps, img->maps) == 0;
}

gboolean proc_image_write(const ProcImage *img, pid_t pid)
{
	int pagemap = open_pagemap(pid);
	if (pagemap < 0)
		return FALSE;
	Writes w = {.img = img,
	            .local = g_array_new(FALSE, FALSE, sizeof(struct iovec)),
	            .remote = g_array_new(FALSE, FALSE, sizeof(struct iovec))};
	gboolean ok = each_page(pagemap, img->regions, plan_write, &w);
	close(pagemap);
	ok = ok && move_pages(pid, (struct iovec *)w.local->data, (struct iovec *)w.remote->data,
	                      w.local->len, TRUE);
	g_array_free(w.local, TRUE);
	g_array_free(w.remote, TRUE);
	return ok;
}
