/*
 * simsoc-pinctrl.h: pin configuration constants of simsoc.dtsi boards, in the style of the
 * STM32 bindings Sentry boards include. A pin node reads
 *   pinmux = <&gpioX PIN MODE>;  with MODE = SIMSOC_PIN_MODE_*, alternate function in bits 8-15
 *   pincfg = <OTYPE SPEED PULL>;
 * which sentry-sim maps to io_info_t {port, pin, mode, af, ppull, speed, pupdr}
 * (docs/devicetree.md).
 */
#ifndef SIMSOC_PINCTRL_H
#define SIMSOC_PINCTRL_H

#define SIMSOC_PIN_MODE_INPUT       0
#define SIMSOC_PIN_MODE_OUTPUT      1
#define SIMSOC_PIN_MODE_ALTFUNC(af) (2 | ((af) << 8))
#define SIMSOC_PIN_MODE_ANALOG      3

#define SIMSOC_OTYPE_PUSH_PULL  0
#define SIMSOC_OTYPE_OPEN_DRAIN 1

#define SIMSOC_SPEED_LOW       0
#define SIMSOC_SPEED_MEDIUM    1
#define SIMSOC_SPEED_HIGH      2
#define SIMSOC_SPEED_VERY_HIGH 3

#define SIMSOC_PULL_NONE 0
#define SIMSOC_PULL_UP   1
#define SIMSOC_PULL_DOWN 2

#define SIMSOC_DMA_PRIORITY_LOW       0
#define SIMSOC_DMA_PRIORITY_MEDIUM    1
#define SIMSOC_DMA_PRIORITY_HIGH      2
#define SIMSOC_DMA_PRIORITY_VERY_HIGH 3

#endif
