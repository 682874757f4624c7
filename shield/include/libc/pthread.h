/* <pthread.h> in a shield task (pkg-config --cflags shield): shield's <shield/pthread.h>. */
#ifndef SHIELD_LIBC_PTHREAD_H
#define SHIELD_LIBC_PTHREAD_H
#include <shield/pthread.h>
#endif
