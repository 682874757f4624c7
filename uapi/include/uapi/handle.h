/*
 * handle.h: the opaque 32-bit resource handles of the Sentry UAPI (uapi.md 1.4, 3.1).
 *
 * A handle is a plain uint32_t on both ABIs; the kernel forges and validates it on all
 * 32 bits. Tasks never build one: they obtain it from a __sys_get_*_handle call.
 */
#ifndef __SENTRY_UAPI_HANDLE_H
#define __SENTRY_UAPI_HANDLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Device handle: cap & 0xFFF | (label & 0xFFFF) << 13 | 1 << 29. */
typedef uint32_t devh_t;
/* Task (job) handle: rerun | id << 20; changes at every respawn. */
typedef uint32_t taskh_t;
/* Shared-memory handle: id | rng24 << 8. */
typedef uint32_t shmh_t;
/* DMA stream handle: rnd21 | streamid << 21 | 2 << 29. */
typedef uint32_t dmah_t;

#ifdef __cplusplus
}
#endif

#endif /* __SENTRY_UAPI_HANDLE_H */
