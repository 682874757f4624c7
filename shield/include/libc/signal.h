/* <signal.h> in a shield task (pkg-config --cflags shield): shield's <shield/signal.h>. */
#ifndef SHIELD_LIBC_SIGNAL_H
#define SHIELD_LIBC_SIGNAL_H
#include <shield/signal.h>
#endif
