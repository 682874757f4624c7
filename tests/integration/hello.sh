#!/bin/sh
# The default scenario runs, prints what its tasks logged, and ends normally.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
H="$top_builddir/scenarios/hello"
sim hello run -I "$H" "$top_srcdir/scenarios/hello/hello.ini"
check "hello scenario exits 0" rc_is hello 0
check "task output matches the golden file" diff -u "$DATA/hello.out" "$WORK/hello.out"
check "the seed is reported at start-up" has "$WORK/hello.err" "seed 42"
check "reports stay off the task output stream" lacks "$WORK/hello.out" "sentry-sim:"
check "idle's boot lines come first" sh -c "head -1 '$WORK/hello.out' | grep -qx 'idle: hello this is idle!'"
sim raw run --raw -q -I "$H" "$top_srcdir/scenarios/hello/hello.ini"
check "--raw writes task bytes exactly" has "$WORK/raw.out" "hello this is idle!
yielding for scheduler...
hello from a Sentry task running on the host"
done_testing
