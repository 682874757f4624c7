#!/bin/sh
# The command line: option values attached or not (-s7, -j2), --realtime without a value
# before the file name, and the one exit status table in every command's help.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
H="$top_builddir/scenarios/hello"
INI="$top_srcdir/scenarios/hello/hello.ini"
sim s7 run -s7 -q -I "$H" "$INI"
check "run -s7: exit 0" rc_is s7 0
check "run -s7: the seed is 7" has "$WORK/s7.err" "seed 7,"
sim s_7 run -s 7 -q -I "$H" "$INI"
check "run -s 7: the same seed" has "$WORK/s_7.err" "seed 7,"
sim dur run -d300ms -q -I "$H" "$INI"
check "run -d300ms: exit 0" rc_is dur 0
sim rt run --realtime=50 -q -I "$H" "$INI"
check "run --realtime=50 FILE: exit 0" rc_is rt 0
sim rtfile run -q -I "$H" --realtime "$INI"
check "run --realtime FILE: the file is not taken as the ratio (exit 0)" rc_is rtfile 0
check "... and the run happened" has "$WORK/rtfile.out" "greeter: greetings, hello"
sim rtsep run --realtime 2 "$INI"
check "run --realtime 2 FILE: bad input (2)" rc_is rtsep 2
check "... with how to write a ratio" has "$WORK/rtsep.err" "a ratio is written --realtime=RATIO"
sim rtbad run --realtime=fast "$INI"
check "run --realtime=fast: bad input (2)" rc_is rtbad 2
check "... with a message naming the value" has "$WORK/rtbad.err" "'fast' is not a positive ratio"
sim j2 test -j2 -I "$H" "$INI"
check "test -j2 FILE: exit 0" rc_is j2 0
check "... the scenario passed" has "$WORK/j2.out" "ok 1 - "
sim jbad test -j0 "$INI"
check "test -j0: bad input (2)" rc_is jbad 2
sim help help
table() { sed -n '/^Exit status (every command)/,$p' "$WORK/$1.out"; }
table help >"$WORK/table"
check "sentry-sim help prints the exit status table" has "$WORK/table" "  99   hard error"
for c in run test replay fuzz; do
	sim "help-$c" "$c" --help
	table "help-$c" >"$WORK/table-$c"
	check "$c --help prints the same table" diff -uB "$WORK/table" "$WORK/table-$c"
done
done_testing
