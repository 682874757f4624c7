/* <sys/msg.h> in a shield task (pkg-config --cflags shield): shield's <shield/sys/msg.h>. */
#ifndef SHIELD_LIBC_SYS_MSG_H
#define SHIELD_LIBC_SYS_MSG_H
#include <shield/sys/msg.h>
#endif
