/*
 * shield/string.h: strings and memory (shield.md 4.2, 9.1). No function here makes a
 * system call or modifies errno.
 *
 * Differences from plain C, kept on purpose:
 * - strlen and strnlen of NULL return 0; strcmp treats NULL as sorting before any string
 *   (two NULLs are equal). These tolerances come from the upstream library.
 * - memcpy and strcpy copy correctly even when the buffers overlap, as memmove does.
 */
#ifndef SHIELD_STRING_H
#define SHIELD_STRING_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>
#include <stddef.h>

__SHIELD_BEGIN_DECLS

size_t shield_strlen(const char *s);
size_t shield_strnlen(const char *s, size_t maxlen);
char *shield_strcpy(char *dest, const char *src);
char *shield_strcat(char *dest, const char *src);
int shield_strcmp(const char *a, const char *b);
void *shield_memcpy(void *dest, const void *src, size_t n);
void *shield_memset(void *s, int c, size_t n);
void *shield_memmove(void *dest, const void *src, size_t n);
int shield_memcmp(const void *a, const void *b, size_t n);
void *shield_memchr(const void *s, int c, size_t n);
/* Pads with NULs up to |n|; no terminator when |src| has |n| bytes or more. */
char *shield_strncpy(char *dest, const char *src, size_t n);
int shield_strncmp(const char *a, const char *b, size_t n);
char *shield_strncat(char *dest, const char *src, size_t n);
/* A |c| of 0 finds the terminating NUL. */
char *shield_strchr(const char *s, int c);
char *shield_strrchr(const char *s, int c);
char *shield_strstr(const char *hay, const char *needle);
size_t shield_strspn(const char *s, const char *accept);
size_t shield_strcspn(const char *s, const char *reject);
/* Constant description of |errnum|, "Unknown error" when shield has none. */
char *shield_strerror(int errnum);

#ifndef TEST_MODE
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
char *strcpy(char *dest, const char *src);
char *strcat(char *dest, const char *src);
int strcmp(const char *a, const char *b);
void *memcpy(void *dest, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
void *memmove(void *dest, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
char *strncpy(char *dest, const char *src, size_t n);
int strncmp(const char *a, const char *b, size_t n);
char *strncat(char *dest, const char *src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strerror(int errnum);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_STRING_H */
