/*
 * rawsys.h: system calls as instructions, for the security-relevant steps of the task
 * runtime's boot (loading the fidelity filter, installing the fault handlers, closing
 * descriptors, turning dumping off). A task may define any symbol it likes (syscall,
 * sigaction, close, seccomp_load, ...) and the dynamic linker would bind the runtime's
 * calls to it; an instruction cannot be interposed.
 */
#ifndef SENTRY_UAPI_RAWSYS_H
#define SENTRY_UAPI_RAWSYS_H

static inline long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
#if defined(__x86_64__)
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc 0"
	                 : "+r"(x0)
	                 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
	                 : "memory");
	return x0;
#else
#error "rawsys.h: add this architecture's system call instruction"
#endif
}

#define raw_syscall(...) raw_syscall_n(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define raw_syscall_n(nr, a, b, c, d, e, f, ...)                                                   \
	raw_syscall6((long)(nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#endif
