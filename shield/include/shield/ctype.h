/*
 * shield/ctype.h: character classes of the C locale (shield.md 9.6). No locale tables, no
 * system call. Arguments are an unsigned char value or EOF, as in C.
 */
#ifndef SHIELD_CTYPE_H
#define SHIELD_CTYPE_H

#include <shield/sys/cdefs.h>
#include <shield/sys/types.h>

__SHIELD_BEGIN_DECLS

int shield_isspace(int c);
int shield_isdigit(int c);
int shield_isxdigit(int c);
int shield_isalpha(int c);
int shield_isalnum(int c);
int shield_isupper(int c);
int shield_islower(int c);
int shield_isprint(int c);
int shield_toupper(int c);
int shield_tolower(int c);

#ifndef TEST_MODE
int isspace(int c);
int isdigit(int c);
int isxdigit(int c);
int isalpha(int c);
int isalnum(int c);
int isupper(int c);
int islower(int c);
int isprint(int c);
int toupper(int c);
int tolower(int c);
#endif

__SHIELD_END_DECLS

#endif /* SHIELD_CTYPE_H */
