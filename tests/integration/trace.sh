#!/bin/sh
# --trace writes a Chrome JSON timeline: valid, balanced, flows paired, deterministic.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
S="$top_srcdir/scenarios/ipc-server/ipc-server.ini"; B="$top_builddir/scenarios/ipc-server"
CHECK="$top_builddir/tests/integration/trace-check"
sim t1 run -q --trace "$WORK/a.json" -I "$B" "$S"
sim t2 run -q --trace "$WORK/b.json" -I "$B" "$S"
sim plain run -q -I "$B" "$S"
check "tracing does not change the run" sh -c "test \"\$(cat '$WORK/t1.rc')\" = \"\$(cat '$WORK/plain.rc')\" && cmp -s '$WORK/t1.out' '$WORK/plain.out'"
rc=0; "$CHECK" "$WORK/a.json" >"$WORK/check.out" 2>&1 || rc=$?
check "the trace is valid JSON: fields, balanced slices, paired flows" sh -c "test $rc = 0 || { sed 's/^/# /' '$WORK/check.out'; false; }"
check "every system call is a slice" grep -q '^events [0-9]* slices [1-9]' "$WORK/check.out"
check "an IPC request is a flow from a client to the server" grep -q '^flow ipc clientA server$' "$WORK/check.out"
check "its answer is a flow from the server back to the client" grep -q '^flow ipc server clientA$' "$WORK/check.out"
check "tasks are named tracks" grep -q '"thread_name".*"args":{"name":"server"}' "$WORK/a.json"
check "the same seed gives an identical trace" cmp "$WORK/a.json" "$WORK/b.json"
rc=0; "$SENTRY_SIM" run -q --trace /nonexistent/dir/t.json -I "$B" "$S" >"$WORK/bad.out" 2>&1 || rc=$?
check "an unwritable trace file: exit 2, named" sh -c "test $rc = 2 && grep -q '/nonexistent/dir/t.json' '$WORK/bad.out'"
done_testing
