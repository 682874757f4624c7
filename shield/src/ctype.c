/*
 * ctype.c: character classes of the C locale (shield.md 9.6). No table, no locale: the
 * host C library's locale data is not initialised when shield is the process entry.
 * Values outside unsigned char (EOF included) belong to no class.
 */
#include <shield/ctype.h>

#include "shield_priv.h"

SHIELD_API int shield_isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}
SHIELD_ALIAS(isspace, shield_isspace);

SHIELD_API int shield_isdigit(int c)
{
	return c >= '0' && c <= '9';
}
SHIELD_ALIAS(isdigit, shield_isdigit);

SHIELD_API int shield_isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}
SHIELD_ALIAS(isupper, shield_isupper);

SHIELD_API int shield_islower(int c)
{
	return c >= 'a' && c <= 'z';
}
SHIELD_ALIAS(islower, shield_islower);

SHIELD_API int shield_isalpha(int c)
{
	return shield_isupper(c) || shield_islower(c);
}
SHIELD_ALIAS(isalpha, shield_isalpha);

SHIELD_API int shield_isalnum(int c)
{
	return shield_isalpha(c) || shield_isdigit(c);
}
SHIELD_ALIAS(isalnum, shield_isalnum);

SHIELD_API int shield_isxdigit(int c)
{
	return shield_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
SHIELD_ALIAS(isxdigit, shield_isxdigit);

SHIELD_API int shield_isprint(int c)
{
	return c >= 0x20 && c <= 0x7e;
}
SHIELD_ALIAS(isprint, shield_isprint);

SHIELD_API int shield_toupper(int c)
{
	return shield_islower(c) ? c - 'a' + 'A' : c;
}
SHIELD_ALIAS(toupper, shield_toupper);

SHIELD_API int shield_tolower(int c)
{
	return shield_isupper(c) ? c - 'A' + 'a' : c;
}
SHIELD_ALIAS(tolower, shield_tolower);
