#!/bin/sh
# A scenario that fails on purpose: the diagnosis says what was expected, what happened,
# and shows the last lines of each task.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
sim fail run -I "$TASKS" "$DATA/failing.ini"
E="$WORK/fail.err"
check "a failed expectation: exit 1" rc_is fail 1
check "the first expectation held (error injection reached chatterTwo only)" lacks "$E" "expect.first failed"
check "the failure names the file, line and step" has "$E" "scenario failed: $DATA/failing.ini:18: expect.never failed"
check "what was expected" has "$E" "  expected: never log(chatterTwo, /random 0x[0-9a-f]+ \(6\)/)"
check "what happened instead, when" has "$E" "  observed: 'chatterTwo' logged \"0: random 0x00000000 (6) at 5 us\" at 6us"
check "how the run ended" has "$E" "  run: stopped at 7us by this failure"
check "the last lines of each task" sh -c "grep -q '^last lines of each task:' '$E' && grep -q '^  chatterTwo (' '$E'"
check "the injected CRITICAL (6) reached the task, and only once" sh -c "grep -c '(6)' '$WORK/fail.out' | grep -qx 1"
check "the summary says fail" has "$WORK/fail.out" "result: fail (an expectation of the script did not hold)"
done_testing
