/*
 * shield/errno.h: the task's errno (shield.md 1.1, 4.11, 9.7).
 *
 * The E* constants are the C library's own (newlib on the target, the host C library in
 * the simulator), taken from its <errno.h>: there is exactly one numbering in a task, every
 * value is a positive, distinct int constant expression. Shield guarantees at least:
 * EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT
 * ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY
 * EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE ENOTSUP, and ENOMSG EDEADLK ENOSYS
 * ETIMEDOUT.
 *
 * errno itself is shield's per-task slot, not the C library's thread-local one: `errno`
 * expands to a modifiable lvalue of type int, (*__shield_errno_location()). It is reset to
 * 0 at task entry and changed only by failing shield functions (or by the task).
 * Under TEST_MODE, `errno` keeps the C library's meaning and shield's slot is `shield_errno`.
 */
#ifndef SHIELD_ERRNO_H
#define SHIELD_ERRNO_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <errno.h>

__SHIELD_BEGIN_DECLS

/* Address of the task's errno slot; never NULL. */
int *__shield_errno_location(void);

__SHIELD_END_DECLS

#define shield_errno (*__shield_errno_location())

#ifndef TEST_MODE
#undef errno
#define errno (*__shield_errno_location())
#endif

#endif /* SHIELD_ERRNO_H */
