#!/bin/sh
# Peripheral models (docs/periph.md) with real task processes: the timer, UART and GPIO
# scenarios' output, the same output twice, a plain window instead of the model (the timer
# driver waits for ever, the LED never lights), an unknown model name, DMA streams the USART's
# model paces, and the board view.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
TP="$top_srcdir/scenarios/timer-periodic"; TB="$top_builddir/scenarios/timer-periodic"
UP="$top_srcdir/scenarios/uart-echo"; UB="$top_builddir/scenarios/uart-echo"

sim timer run -I "$TB" "$TP/timer-periodic.ini"
check "timer: exit 0" rc_is timer 0
check "timer: the fifth update, 5000 us after the fourth" \
  grep -Eq '^timer: update 5 at [0-9]+ us \(\+5000 us\): irq 49, sr 0x1' "$WORK/timer.out"
check "timer: no sixth" lacks "$WORK/timer.out" "update 6"

sim echo run -I "$UB" "$UP/uart-echo.ini"
check "uart: exit 0" rc_is echo 0
check "uart: what the USART sends, as its lines" has "$WORK/echo.out" "[usart1] hello"
check "uart: escaped as a task's bytes" has "$WORK/echo.out" '[usart1] echo ready\r'
check "uart: the driver's own log" has "$WORK/echo.out" "echo: line 2: 'world'"
sim echo2 run -I "$UB" "$UP/uart-echo.ini"
check "uart: the same output twice" cmp -s "$WORK/echo.out" "$WORK/echo2.out"

# model = none: the registers are plain memory, nothing counts, the driver waits for ever
sed 's/^compatible = st,stm32-timers.*/&\nmodel = none/' "$TP/timer-periodic.ini" >"$WORK/none.ini"
sim none run -I "$TB" "$WORK/none.ini"
check "model = none: the expectations fail (exit 1)" rc_is none 1
check "model = none: the driver waits for an IRQ that never comes" has "$WORK/none.err" "deadlock"
check "model = none: ARR reads 0, not its reset value" has "$WORK/none.out" "tim6: arr 0 at reset"

sed 's/^compatible = st,stm32-timers.*/&\nmodel = stm32-timer/' "$TP/timer-periodic.ini" >"$WORK/bad.ini"
sim bad run -I "$TB" "$WORK/bad.ini"
check "unknown model: exit 2" rc_is bad 2
check "unknown model: file, line and the known names" has "$WORK/bad.err" \
  "bad.ini:21: unknown model 'stm32-timer' (known: stm32-tim-basic, stm32-usart, stm32-gpio, memory, none)"

GP="$top_srcdir/scenarios/gpio-regs"; GB="$top_builddir/scenarios/gpio-regs"
sim gpio run -I "$GB" "$GP/gpio-regs.ini"
check "gpio: exit 0" rc_is gpio 0
check "gpio: BSRR and gpio_get agree" has "$WORK/gpio.out" "blink: led on 1: odr 1, gpio_get 1"
# without the port's model, BSRR is memory: the pin never goes high
sed 's/^ios = 2:7; 2:13.*/&\nmodel = none/' "$GP/gpio-regs.ini" >"$WORK/gnone.ini"
sim gnone run -I "$GB" "$WORK/gnone.ini"
check "gpio, model = none: the LED expectation fails (exit 1)" rc_is gnone 1
check "gpio, model = none: the pin stayed low" has "$WORK/gnone.err" "expect.on failed"

# DMA streams paced by the USART's model: no `dma` step feeds them
DP="$top_srcdir/scenarios/uart-dma-model"; DB="$top_builddir/scenarios/uart-dma-model"
sim dma run -I "$DB" "$DP/uart-dma-model.ini"
check "dma: exit 0" rc_is dma 0
check "dma: the transmit stream's bytes, as the USART's lines" has "$WORK/dma.out" '[usart1] dma ready\r'
check "dma: the receive stream filled the buffer from the line" has "$WORK/dma.out" \
  "dmadrv: rx done rx at 2389 us: 'hello-dma-world!'"
sim dma2 run -I "$DB" "$DP/uart-dma-model.ini"
check "dma: the same output twice" cmp -s "$WORK/dma.out" "$WORK/dma2.out"
# one byte short: the receive stream never completes, and nothing else can come
sed 's/^at.1ms = uart usart1 "hello-dma-world!"/at.1ms = uart usart1 "hello-dma-world"/' \
  "$DP/uart-dma-model.ini" >"$WORK/short.ini"
sim short run -I "$DB" "$WORK/short.ini"
check "dma, 15 bytes of 16: exit 1" rc_is short 1
check "dma, 15 bytes of 16: the driver waits for ever" has "$WORK/short.err" "deadlock"
check "dma, 15 bytes of 16: no completion" lacks "$WORK/short.out" "rx done"

sim board board "$TP/timer-periodic.ini" -I "$TB"
check "board: the model the compatible string selects" \
  grep -Eq '^tim6 +0x00000060 timer +CAP_DEV_TIMER +0x40001000\+0x400 +49 +- +stm32-tim-basic ' \
  "$WORK/board.out"
done_testing
