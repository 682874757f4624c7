#!/bin/sh
# --vcd writes GPIO lines, IRQ lines and each task's running state as a Value Change Dump:
# read back by GTKWave's own converters (vcd2fst, fst2vcd), deterministic.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
S="$top_srcdir/scenarios/gpio-button/gpio-button.ini"; B="$top_builddir/scenarios/gpio-button"
command -v vcd2fst >/dev/null && command -v fst2vcd >/dev/null || {
  echo "1..0 # SKIP vcd2fst/fst2vcd (Debian package gtkwave) not installed"; exit 0; }
sim v1 run -q --vcd "$WORK/a.vcd" -I "$B" "$S"
sim v2 run -q --vcd "$WORK/b.vcd" -I "$B" "$S"
check "the scenario still passes with --vcd" rc_is v1 0
check "the same seed gives an identical VCD" cmp "$WORK/a.vcd" "$WORK/b.vcd"
rc=0; vcd2fst "$WORK/a.vcd" "$WORK/a.fst" >"$WORK/conv.out" 2>&1 || rc=$?
check "GTKWave's vcd2fst reads it" sh -c "test $rc = 0 && test -s '$WORK/a.fst' || { sed 's/^/# /' '$WORK/conv.out'; false; }"
rc=0; fst2vcd "$WORK/a.fst" >"$WORK/back.vcd" 2>"$WORK/back.err" || rc=$?
check "and its fst2vcd gives it back" test "$rc" = 0
# changes SIGNAL: the values of SIGNAL (a $var name) in order, from the round-tripped file
changes() {
  awk -v name="$1" '
    $1 == "$var" && $5 == name { id = $4 }
    /^#/ { t = substr($0, 2) }
    id != "" && length($0) == 1 + length(id) && substr($0, 2) == id { printf "%s@%s ", substr($0, 1, 1), t }
  ' "$WORK/back.vcd"
}
button=$(changes gpioa_P0_0); led=$(changes gpioa_P0_5); task=$(changes button)
echo "# button: $button"; echo "# led: $led"
check "the button line: pressed at 10 ms, released at 12 ms" sh -c "echo '$button' | grep -q '1@10000000 0@12000000 '"
check "the LED line toggles on each press (on, off, on)" sh -c "echo '$led' | grep -Eq '^(0@[0-9]+ )?1@[0-9]+ 0@[0-9]+ 1@[0-9]+ $'"
check "the IRQ line is declared" grep -q 'irq23_pending' "$WORK/back.vcd"
check "the task's running state changes" sh -c "test \$(echo '$task' | wc -w) -ge 2"
rc=0; "$SENTRY_SIM" run -q --vcd /dev/full -I "$B" "$S" >"$WORK/full.out" 2>&1 || rc=$?
check "a VCD that cannot be written to the end (a full disk): exit 2, named" sh -c "test $rc = 2 && grep -q '/dev/full: write error' '$WORK/full.out'"
done_testing
