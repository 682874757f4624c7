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
 * trusted: the process's own memory, only ever written back into it, and only where it
 * may write itself (process_vm_writev keeps its mappings' protections). Bringing it back
 * is two steps: the writes, then (while the process goes back to its BOOT request) the
 * comparison of its mappings, which says whether it is now as a new process.
 */
#ifndef SIM_HOST_IMAGE_H
#define SIM_HOST_IMAGE_H

#include <glib.h>
#include <sys/types.h>

typedef struct ProcImage ProcImage;

/* The image of |pid| now, or NULL if it cannot be read or holds more than IMAGE_MAX bytes
 * (image.c): such a process is started anew instead. */
ProcImage *proc_image_take(pid_t pid);

/* Bring |pid|'s memory back to |img|: every page of the image's private writable mappings
 * that is present now or in the image is written (the image's bytes, or zeros). FALSE if a
 * write fails (a mapping removed or made read-only): the process is then in no state to
 * run on. The writes are the process's own: only where it may write itself. */
gboolean proc_image_write(const ProcImage *img, pid_t pid);

/* Whether |pid|'s mappings are still the image's: none added, removed or changed. If not,
 * the memory written back is not a new process's (a new process is then needed). */
gboolean proc_image_same_mappings(const ProcImage *img, pid_t pid);

void proc_image_free(ProcImage *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProcImage, proc_image_free)

#endif
