#!/bin/sh
# The board from a devicetree (docs/devicetree.md): the uart-dma scenario described by
# scenarios/uart-dma/uart-dma.dts on our own SoC .dtsi (found through the include path) runs
# byte for byte as the hand-written board of uart-dma.ini; `sentry-sim board` shows what was
# understood; the INI file overrides and adds; bad devicetrees get dtc's file:line, exit 2.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
SC="$top_srcdir/scenarios/uart-dma"
BIN="$top_builddir/scenarios/uart-dma"
INC="$top_srcdir/scenarios/common/dts"

sim ini run -I "$BIN" "$SC/uart-dma.ini"
sim dt run -I "$BIN" "$SC/uart-dma-dt.ini"
check "hand-written board: runs" rc_is ini 0
check "devicetree board: runs" rc_is dt 0
check "devicetree board: the same output, byte for byte" cmp "$WORK/ini.out" "$WORK/dt.out"
check "devicetree board: the same diagnostics, byte for byte" cmp "$WORK/ini.err" "$WORK/dt.err"

# The same board from the command line: a description without any board, --devicetree and
# --dts-include.
sed -e '/^devicetree/d' "$SC/uart-dma-dt.ini" >"$WORK/noboard.ini"
sim cli run -I "$BIN" --devicetree "$SC/uart-dma.dts" --dts-include "$INC" "$WORK/noboard.ini"
check "--devicetree and --dts-include: the same output" cmp "$WORK/ini.out" "$WORK/cli.out"
sim noboard run -I "$BIN" "$WORK/noboard.ini"
check "without the devicetree the script names no stream: exit 2" rc_is noboard 2

# The board table.
sim table board -I "$BIN" "$SC/uart-dma-dt.ini"
check "board: exit 0" rc_is table 0
check "board: the device, its owner, class, window and IRQ" \
  grep -Eq '^usart1 +0x00000010 driver +CAP_DEV_BUSES +0x40011000\+0x400 +37 ' "$WORK/table.out"
check "board: the SHM" grep -Eq '^rxbuf +0x00000100 driver +0x2000a000\+0x100 +yes +no +.*uart-dma.dts:' "$WORK/table.out"
check "board: the stream (controller/channel/request, ends, length)" \
  grep -Eq '^rx +0x00000200 driver +0/2/4 +usart1 +rxbuf +16 ' "$WORK/table.out"
check "board: the IRQ and who takes it" grep -Eq '^37 +usart1 +driver$' "$WORK/table.out"
check "board: the core frequency from &rcc" has "$WORK/table.out" "core frequency 64MHz"

# -D reaches the preprocessor: the UART changes owner.
sim define board -I "$BIN" -D DRIVER_LABEL=0x21 "$SC/uart-dma-dt.ini"
check "-D: the UART belongs to the task labelled 0x21" grep -Eq '^usart1 +0x00000010 app ' "$WORK/define.out"

# The INI file overrides devicetree values and adds resources.
cat "$SC/uart-dma-dt.ini" | sed -e "s|^devicetree = uart-dma.dts|devicetree = $SC/uart-dma.dts|" \
  -e "s|^devicetree_include = .*|devicetree_include = $INC|" >"$WORK/over.ini"
cat >>"$WORK/over.ini" <<'INI'
[device usart1]
interrupts = 39

[shm extra]
label = 0x101
owner = app
base = 0x2000c000
size = 0x256
INI
sim over board -I "$BIN" "$WORK/over.ini"
check "override: exit 0" rc_is over 0
check "override: the INI's interrupts win" grep -Eq '^usart1 +0x00000010 driver +CAP_DEV_BUSES +0x40011000\+0x400 +39 ' "$WORK/over.out"
check "override: an SHM added by the INI, 0x256 bytes (no 32-byte rule)" \
  grep -Eq '^extra +0x00000101 app +0x2000c000\+0x256 ' "$WORK/over.out"

# Unknown Sentry properties: a warning with the .dts position; 'prio' is not 'priority'.
cp "$SC/uart-dma.dts" "$WORK/warn.dts"
sed -i -e 's|sentry,label = <0x10>;|sentry,label = <0x10>;\n\tsentry,colour = <1>;|' \
  -e 's|length = <16>;|length = <16>;\n\t\t\tprio = <2>;|' "$WORK/warn.dts"
sim warn board -I "$BIN" --devicetree "$WORK/warn.dts" --dts-include "$INC" "$WORK/noboard.ini"
check "unknown sentry property: still loads" rc_is warn 0
line=$(grep -n 'sentry,colour' "$WORK/warn.dts" | cut -d: -f1)
check "unknown sentry property: warned with file:line" \
  has "$WORK/warn.err" "warn.dts:$line: warning: unknown property 'sentry,colour'"
check "'prio': warned, the kernel reads 'priority'" has "$WORK/warn.err" "'prio' is ignored"

# Malformed devicetrees: the tool's own message with file and line, exit 2.
printf '/dts-v1/;\n/ {\n\tfoo = <1 2;\n};\n' >"$WORK/bad.dts"
sim bad board --devicetree "$WORK/bad.dts" "$WORK/noboard.ini"
check "syntax error: exit 2" rc_is bad 2
check "syntax error: dtc's message with file and line" has "$WORK/bad.err" "bad.dts:3."
printf '/dts-v1/;\n#include <nope/soc.dtsi>\n' >"$WORK/noinc.dts"
sim noinc board --devicetree "$WORK/noinc.dts" "$WORK/noboard.ini"
check "missing include: exit 2" rc_is noinc 2
check "missing include: cpp's message with file and line" has "$WORK/noinc.err" "noinc.dts:2:"
sim nodts board --devicetree "$WORK/absent.dts" "$WORK/noboard.ini"
check "missing devicetree: exit 2 and the name" has "$WORK/nodts.err" "absent.dts: cannot read"
done_testing
