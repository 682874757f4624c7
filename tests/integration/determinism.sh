#!/bin/sh
# Same seed, same run: byte-identical output; another seed changes the random parts.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
sim a run --seed 7 -I "$TASKS" "$DATA/chatter.ini"
sim b run --seed 7 -I "$TASKS" "$DATA/chatter.ini"
sim c run --seed 8 -I "$TASKS" "$DATA/chatter.ini"
check "chatter runs cleanly" rc_is a 0
check "same seed: identical task output" cmp "$WORK/a.out" "$WORK/b.out"
check "same seed: identical reports" cmp "$WORK/a.err" "$WORK/b.err"
check "another seed: different random values" sh -c "! cmp -s '$WORK/a.out' '$WORK/c.out'"
check "interleaving follows the scheduler (round robin between equal priorities)" sh -c "grep -E '^chatter(One|Two): ' '$WORK/a.out' | head -4 | cut -d: -f1 | tr '\n' ' ' | grep -qx 'chatterOne chatterTwo chatterOne chatterTwo '"
H="$top_builddir/scenarios/hello"
sim h1 run -I "$H" "$top_srcdir/scenarios/hello/hello.ini"
sim h2 run -I "$H" "$top_srcdir/scenarios/hello/hello.ini"
check "hello twice: identical" cmp "$WORK/h1.out" "$WORK/h2.out"
done_testing
