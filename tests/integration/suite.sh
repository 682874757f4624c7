#!/bin/sh
# sentry-sim test: many scenarios in parallel, TAP as they end, JUnit XML in the given order
# (tests/integration/runner.sh checks the CI side: consumers, schema, shards).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
S="$top_srcdir/scenarios"; B="$top_builddir/scenarios"
rc=0
"$SENTRY_SIM" test -j 2 --junit "$WORK/j.xml" -I "$B/hello" -I "$B/ipc-server" -I "$TASKS" \
  "$S/hello/hello.ini" "$DATA/faults.ini" "$S/ipc-server" >"$WORK/tap" 2>"$WORK/err" || rc=$?
check "a failing scenario makes the suite exit 1" test "$rc" = 1
check "TAP 13 with a plan" sh -c "head -2 '$WORK/tap' | tr '\n' ' ' | grep -qx 'TAP version 13 1..3 '"
check "three points, one failed: the scenario with faults" sh -c "grep -E '^(not )?ok [123] - ' '$WORK/tap' | sort | tr '\n' '|' | grep -q '^not ok [123] - .*faults.ini|ok [123] - .*hello.ini|ok [123] - .*ipc-server.ini|\$'"
check "a failure carries a YAML block that names the fault" sh -c "grep -A3 '^    not ok 1 - run' '$WORK/tap' | grep -q '  message: \"run failed: \[    0.000001\] task '\"'\"'crash'\"'\"': fault: SIGSEGV'"
check "the failure's output shows the diagnosis" has "$WORK/tap" "task 'crash': fault: SIGSEGV"
check "JUnit: three scenarios in the order given, one failure" sh -c "grep -o '<testsuite name=\"[^\"]*\"' '$WORK/j.xml' | tr '\n' '|' | grep -q 'hello.ini\"|.*faults.ini\"|.*ipc-server.ini\"|' && grep -q '<testsuites name=\"sentry-sim\" tests=\"3\" failures=\"1\" errors=\"0\"' '$WORK/j.xml'"
check "JUnit: the failure text is escaped XML" sh -c "grep -q '&apos;crash&apos;: fault' '$WORK/j.xml' || grep -q \"'crash': fault\" '$WORK/j.xml'"
if command -v python3 >/dev/null; then
  check "JUnit: well-formed" python3 -c "import xml.dom.minidom as m; m.parse('$WORK/j.xml')"
fi
rc=0; "$SENTRY_SIM" test "$WORK/nothing-here" >"$WORK/tap2" 2>&1 || rc=$?
check "a path that does not exist is bad input (2)" test "$rc" = 2
done_testing
