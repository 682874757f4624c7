/*
 * periph_models.h: the model classes (one file each), for the registry in periph.c and the
 * unit tests. Everything else finds them through periph.h.
 */
#ifndef SIM_PERIPH_PERIPH_MODELS_H
#define SIM_PERIPH_PERIPH_MODELS_H

#include "sim/periph/periph.h"

extern const PeriphClass periph_stm32_tim_basic; /* stm32_tim.c: TIM6/TIM7 */
extern const PeriphClass periph_stm32_usart;     /* stm32_usart.c */
extern const PeriphClass periph_stm32_gpio;      /* stm32_gpio.c */

/* Registers a model does not model are stored as written (reset 0), one word each, up to this
 * many bytes of the window; beyond, they read 0 and ignore writes. */
#define PERIPH_PLAIN_BYTES 0x400u

#endif
