/* <arpa/inet.h> in a shield task (pkg-config --cflags shield): shield's <shield/arpa/inet.h>. */
#ifndef SHIELD_LIBC_ARPA_INET_H
#define SHIELD_LIBC_ARPA_INET_H
#include <shield/arpa/inet.h>
#endif
