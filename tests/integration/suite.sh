#!/bin/sh
# sentry-sim test: many scenarios in parallel, TAP 14 in the given order, JUnit XML.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
S="$top_srcdir/scenarios"; B="$top_builddir/scenarios"
rc=0
"$SENTRY_SIM" test -j 2 --junit "$WORK/j.xml" -I "$B/hello" -I "$B/ipc-server" -I "$TASKS" \
  "$S/hello/hello.ini" "$DATA/faults.ini" "$S/ipc-server" >"$WORK/tap" 2>"$WORK/err" || rc=$?
check "a failing scenario makes the suite exit 1" test "$rc" = 1
check "TAP 14 with a plan" sh -c "head -2 '$WORK/tap' | tr '\n' ' ' | grep -qx 'TAP version 14 1..3 '"
check "results in the order given, whatever finishes first" sh -c "grep -E '^(not )?ok' '$WORK/tap' | cut -d' ' -f1-4 | tr '\n' '|' | grep -q '^ok 1 - .*hello.ini|not ok 2 -|ok 3 - '"
check "a failure carries a YAML block with the run's last lines" sh -c "grep -A3 '^not ok 2' '$WORK/tap' | grep -q '  message: the scenario failed'"
check "the failure's output shows the diagnosis" has "$WORK/tap" "    sentry-sim: [    0.000001] task 'crash': fault: SIGSEGV"
check "JUnit: three test cases, one failure" sh -c "grep -c '<testcase ' '$WORK/j.xml' | grep -qx 3 && grep -q 'failures=\"1\" errors=\"0\"' '$WORK/j.xml'"
check "JUnit: the failure text is escaped XML" sh -c "grep -q '&apos;crash&apos;: fault' '$WORK/j.xml' || grep -q \"'crash': fault\" '$WORK/j.xml'"
if command -v python3 >/dev/null; then
  check "JUnit: well-formed" python3 -c "import xml.dom.minidom as m; m.parse('$WORK/j.xml')"
fi
rc=0; "$SENTRY_SIM" test "$WORK/nothing-here" >"$WORK/tap2" 2>&1 || rc=$?
check "a path that does not exist is bad input (2)" test "$rc" = 2
done_testing
