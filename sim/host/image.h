/*
 * image.h: a process's writable memory as it was at one moment, and bringing it back later
 * (a restart in place: sim/host/proc.c, taskproc_restart_in_place; uapi/src/wire.h,
 * SENTRY_RESTART_SIGNAL).
 *
 * An image holds the process's mappings (its /proc maps, as text) and, for each private
 * writable mapping, the pages present then (/proc pagemap) with their bytes: a page that was
 * not there reads as zeros in an anonymous mapping, and a file mapping is kept whole. Read
 * and written from outside, with process_vm_readv and process_vm_writev: the process must
 * not run meanwhile (it waits in its runtime's handler, wire.h). Nothing in an image is
 * trusted: the process's own memory, only ever written back into it.
 */
#ifndef SIM_HOST_IMAGE_H
#define SIM_HOST_IMAGE_H

#include <glib.h>
#include <sys/types.h>

typedef struct ProcImage ProcImage;

/* The image of |pid| now, or NULL if it cannot be read or holds more than IMAGE_MAX bytes
 * (image.c): such a process is started anew instead. */
ProcImage *proc_image_take(pid_t pid);

/* Bring |pid|'s memory back to |img|: every page present now or in the image is written
 * (the image's bytes, or zeros). FALSE, before writing anything, if its mappings are no
 * longer the image's (one added, removed or changed: a new process is then needed); FALSE
 * too if a write fails, and the process is then in no state to run on. */
gboolean proc_image_restore(const ProcImage *img, pid_t pid);

void proc_image_free(ProcImage *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProcImage, proc_image_free)

#endif
