/*
 * shield/assert.h: assert() over shield's failure hook (shield.md 3.4, 9.8).
 *
 * A failed assertion prints one line through printf (one __sys_log):
 *   assertion "<cond>" failed: file "<file>", line <line>, function: <func>
 * then executes a trap instruction, which puts the task in the kernel's FAULT state.
 * A failure while asserting traps at once. NDEBUG is respected. This header may be
 * included several times, as <assert.h>.
 */
#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>

#ifndef SHIELD_ASSERT_DECLARED
#define SHIELD_ASSERT_DECLARED
__SHIELD_BEGIN_DECLS
__SHIELD_NORETURN void shield_assert_func(const char *file, int line, const char *func,
                                          const char *cond);
__SHIELD_NORETURN void shield_assert_fail(const char *cond, const char *file, unsigned int line,
                                          const char *func);
#ifndef TEST_MODE
/* newlib's hook and the host C library's hook; both behave as shield_assert_func. */
__SHIELD_NORETURN void __assert_func(const char *file, int line, const char *func,
                                     const char *cond);
__SHIELD_NORETURN void __assert_fail(const char *cond, const char *file, unsigned int line,
                                     const char *func);
#endif
__SHIELD_END_DECLS
#endif

#undef shield_assert
#ifdef NDEBUG
#define shield_assert(e) ((void)0)
#else
#define shield_assert(e) ((e) ? (void)0 : shield_assert_func(__FILE__, __LINE__, __func__, #e))
#endif

#ifndef TEST_MODE
#undef assert
#define assert(e) shield_assert(e)
#endif
