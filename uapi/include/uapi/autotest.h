/*
 * autotest.h: the self-test request codes of the Sentry UAPI (uapi.md 1.3).
 *
 * Vestigial: no system call takes an autotest_request_t. The header exists so that code
 * written against the upstream tree still compiles.
 */
#ifndef UAPI_AUTOTEST_H
#define UAPI_AUTOTEST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum autotest_request {
	SENTRY_AUTOTEST_ENTER = 1,
	SENTRY_AUTOTEST_LEAVE = 2,
	SENTRY_AUTOTEST_MGR_CLOCK = 3,
	SENTRY_AUTOTEST_MGR_DEBUG = 4,
	SENTRY_AUTOTEST_MGR_DEVICE = 5,
	SENTRY_AUTOTEST_MGR_INTERRUPT = 6,
	SENTRY_AUTOTEST_MGR_IO = 7,
	SENTRY_AUTOTEST_MGR_MEMORY = 8,
	SENTRY_AUTOTEST_MGR_SECURITY = 9,
	SENTRY_AUTOTEST_MGR_TASK = 10,
	SENTRY_AUTOTEST_SCHED = 11,
} autotest_request_t;

#ifdef __cplusplus
}
#endif

#endif /* UAPI_AUTOTEST_H */
