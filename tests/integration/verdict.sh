#!/bin/sh
# A fault fails a scripted run unless the script expects it; the summary says FAULT in the
# exit column, not 0.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
sim un run -I "$TASKS" "$DATA/crash-unexpected.ini"
check "a crash while the one expectation holds: exit 1" rc_is un 1
check "the result is a failure" has "$WORK/un.out" "result: fail"
check "the diagnosis says how to expect it" has "$WORK/un.err" "'crash' faulted, and no expectation of the script expects it (to expect it: expect.NAME = fault(crash))"
check "the summary's exit column says FAULT" sh -c "grep -qE '^crash +0x00000002 0x[0-9a-f]+ FAULT +FAULT\$' '$WORK/un.out'"
check "a task that ended normally keeps its exit status" sh -c "grep -qE '^survivor .* FINISHED +0\$' '$WORK/un.out'"
sim ex run -I "$TASKS" "$DATA/crash-expected.ini"
check "the same crash, expected with fault(crash): exit 0" rc_is ex 0
check "... result: pass" has "$WORK/ex.out" "result: pass"
sed 's/^expect.crashes = fault(crash)$/expect.crashed = state crash FAULT/' "$DATA/crash-expected.ini" >"$WORK/state.ini"
sim st run -I "$TASKS" "$WORK/state.ini"
check "expecting state FAULT expects the fault too: exit 0" rc_is st 0
sed 's/^expect.crashes = fault(crash)$/expect.crashes = never fault(crash)/' "$DATA/crash-expected.ini" >"$WORK/never.ini"
sim nv run -I "$TASKS" "$WORK/never.ini"
check "never fault(crash) does not: exit 1" rc_is nv 1
grep -v '^\[script\]\|^expect' "$DATA/crash-unexpected.ini" >"$WORK/noscript.ini"
sim ns run -I "$TASKS" "$WORK/noscript.ini"
check "without a script the crash fails the run too: exit 1" rc_is ns 1
check "... and the exit column says FAULT" sh -c "grep -qE '^crash .* FAULT +FAULT\$' '$WORK/ns.out'"
done_testing
