/*
 * shield/sys/random.h: kernel entropy (shield.md 4.5, 9.9).
 *
 * getrandom() fills the buffer from successive 32-bit words of __sys_get_random() (one
 * system call per 4 bytes, each overwriting the first 4 bytes of the exchange area); any
 * buffer alignment works. It needs the CAP_CRY_KRNG capability and never falls back to a
 * non-cryptographic generator.
 */
#ifndef SHIELD_SYS_RANDOM_H
#define SHIELD_SYS_RANDOM_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <stddef.h>

/* Accepted getrandom flags; they have no effect. */
#define SHIELD_GRND_NONBLOCK 0x01
#define SHIELD_GRND_RANDOM   0x02

#ifndef TEST_MODE
#define GRND_NONBLOCK SHIELD_GRND_NONBLOCK
#define GRND_RANDOM   SHIELD_GRND_RANDOM
#endif

__SHIELD_BEGIN_DECLS

/*
 * Fill |buf| with |buflen| random bytes; returns buflen (0 without a system call when
 * buflen is 0). Errors: EFAULT (NULL buf), EINVAL (unknown flag), EPERM (the task lacks
 * CAP_CRY_KRNG), EIO (entropy source failure). When the kernel refuses after the first
 * word, the call returns the number of bytes already written instead of failing.
 */
shield_ssize_t shield_getrandom(void *buf, size_t buflen, unsigned int flags);
/* getrandom() of |len| <= 256 bytes, all or nothing; 0 on success. Errors: as getrandom. */
int shield_getentropy(void *buf, size_t len);

#ifndef TEST_MODE
ssize_t getrandom(void *buf, size_t buflen, unsigned int flags);
int getentropy(void *buf, size_t len);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_SYS_RANDOM_H */
