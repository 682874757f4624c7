#!/bin/sh
# A task binary run by hand, outside the daemon, says how to run it and exits 2.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
rc=0; "$TASKS/probe" >"$WORK/o" 2>"$WORK/e" || rc=$?
check "exit status 2" test "$rc" = 2
check "one line saying how to run it" sh -c "test \$(wc -l < '$WORK/e') = 1 && grep -q 'this is a Sentry task; run it under the simulator: sentry-sim run' '$WORK/e'"
check "nothing on stdout" test ! -s "$WORK/o"
rc=0; "$top_builddir/scenarios/hello/hello" >"$WORK/o" 2>"$WORK/e" || rc=$?
check "the hello task too" test "$rc" = 2
done_testing
