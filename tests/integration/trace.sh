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
check "job states: the server waits for events" grep -qx 'slice server state waiting for events' "$WORK/check.out"
check "job states: a client is blocked in send_ipc" grep -qx 'slice clientA state blocked in send_ipc' "$WORK/check.out"
check "job states: a client runs, is ready, finishes" sh -c "grep -qx 'slice clientB state running' '$WORK/check.out' && grep -qx 'slice clientB state ready' '$WORK/check.out' && grep -qx 'slice clientB state finished' '$WORK/check.out'"
check "each task's state is a track of its own" grep -q '"thread_name".*"args":{"name":"server state"}' "$WORK/a.json"
# a scenario with stimuli, IRQs and expectations
G="$top_srcdir/scenarios/gpio-button/gpio-button.ini"; GB="$top_builddir/scenarios/gpio-button"
sim g1 run -q --trace "$WORK/g1.json" -I "$GB" "$G"
sim g2 run -q --trace "$WORK/g2.json" -I "$GB" "$G"
check "gpio-button still passes with --trace" rc_is g1 0
rc=0; "$CHECK" "$WORK/g1.json" >"$WORK/g.out" 2>&1 || rc=$?
check "its trace is valid too" sh -c "test $rc = 0 || { sed 's/^/# /' '$WORK/g.out'; false; }"
check "script stimuli on the board track, as written" grep -q '"name":"stimulus".*"args":{"text":"irq 23"}' "$WORK/g1.json"
check "IRQs on the board track" grep -q '"name":"irq".*"ts":10000.000.*"text":"IRQ 23 for button"' "$WORK/g1.json"
check "expectations as markers at their virtual time" grep -q '"name":"PASS expect.led.on".*"ts":20000.000,"s":"g"' "$WORK/g1.json"
check "one marker per expectation" sh -c "test \$(grep -c '\"cat\":\"expect\"' '$WORK/g1.json') = 6"
check "same seed, same trace (stimuli, IRQs, markers)" cmp "$WORK/g1.json" "$WORK/g2.json"
# alarms and DMA completions
P="$top_srcdir/scenarios/periodic/periodic.ini"; PB="$top_builddir/scenarios/periodic"
sim p run -q --trace "$WORK/p.json" -I "$PB" "$P"
check "alarms on the board track" grep -q '"name":"alarm".*"text":"alarm of ' "$WORK/p.json"
U="$top_srcdir/scenarios/uart-dma/uart-dma.ini"; UB="$top_builddir/scenarios/uart-dma"
sim u run -q --trace "$WORK/u.json" -I "$UB" "$U"
check "DMA completions on the board track" grep -q '"name":"dma".*"text":"stream 0x' "$WORK/u.json"
# a failed expectation is a FAIL marker
sim f run -q --trace "$WORK/f.json" -I "$TASKS" "$DATA/failing.ini"
check "a failed expectation: a FAIL marker at the time it failed" grep -q '"name":"FAIL expect.never".*"ts":6.000,"s":"g".*"verdict":"FAIL".*; observed: ' "$WORK/f.json"
# the failure's report points into the trace, and at what each task last did
E="$WORK/f.err"
check "the diagnosis: the last events of each task, not only their lines" sh -c "grep -q '^last events of each task:' '$E' && grep -q \"^    'chatterTwo' called log at 6us\" '$E'"
check "the diagnosis: the trace file and the timestamp of the failure" has "$E" "trace: $WORK/f.json: look at ts 6.000 us"
# sentry-sim test: a trace per scenario (--trace-dir), failed ones kept (--keep-failed)
SB="$top_builddir/scenarios"
rc=0; "$SENTRY_SIM" test -j 2 --trace-dir "$WORK/td" -I "$SB/hello" -I "$TASKS" \
  "$top_srcdir/scenarios/hello/hello.ini" "$DATA/failing.ini" >"$WORK/td.tap" 2>"$WORK/td.err" || rc=$?
check "--trace-dir: the suite still fails on the failing scenario" test "$rc" = 1
check "--trace-dir: one trace per scenario, passed or not" sh -c "test -s '$WORK/td/hello.json' && test -s '$WORK/td/failing.json'"
rc=0; "$CHECK" "$WORK/td/failing.json" >/dev/null 2>&1 || rc=$?
check "--trace-dir: the traces are valid" test "$rc" = 0
check "--trace-dir: the TAP of a failure names its trace" has "$WORK/td.tap" "trace: $WORK/td/failing.json"
check "--trace-dir: the summary points at the trace and the time" has "$WORK/td.err" "trace: $WORK/td/failing.json, at ts 6.000 us"
rc=0; "$SENTRY_SIM" test -j 2 --keep-failed "$WORK/kf" -I "$SB/hello" -I "$TASKS" \
  "$top_srcdir/scenarios/hello/hello.ini" "$DATA/failing.ini" >"$WORK/kf.tap" 2>"$WORK/kf.err" || rc=$?
check "--keep-failed: the trace of a failed run beside its record" sh -c "test -s '$WORK/kf/failing.json' && test -s '$WORK/kf/failing.rec'"
check "--keep-failed: nothing kept of a passed run" sh -c "test ! -e '$WORK/kf/hello.json' && test ! -e '$WORK/kf/hello.rec'"
: >"$WORK/plainfile"
rc=0; "$SENTRY_SIM" test --trace-dir "$WORK/plainfile/dir" "$top_srcdir/scenarios/hello/hello.ini" >/dev/null 2>"$WORK/tdbad.err" || rc=$?
check "--trace-dir that cannot be made: exit 2, named" sh -c "test $rc = 2 && grep -q 'trace-dir: $WORK/plainfile/dir' '$WORK/tdbad.err'"
rc=0; "$SENTRY_SIM" run -q --trace /nonexistent/dir/t.json -I "$B" "$S" >"$WORK/bad.out" 2>&1 || rc=$?
check "an unwritable trace file: exit 2, named" sh -c "test $rc = 2 && grep -q '/nonexistent/dir/t.json' '$WORK/bad.out'"
rc=0; "$SENTRY_SIM" run -q --trace /dev/full -I "$B" "$S" >"$WORK/full.out" 2>&1 || rc=$?
check "a trace that cannot be written to the end (a full disk): exit 2, named" sh -c "test $rc = 2 && grep -q '/dev/full: write error' '$WORK/full.out'"
done_testing
