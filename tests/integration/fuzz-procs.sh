#!/bin/sh
# `sentry-sim fuzz`: generated programs run in-process and through real task processes give
# the same system-call stream (docs/fuzzing.md, "Real processes").
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
F="$top_builddir/tests/fuzz/fuzz-task"
sim fuzz fuzz --seed 1 --iterations 30 --task "$F" --save "$WORK/found"
check "30 programs from seed 1: no divergence, invariant or daemon failure" rc_is fuzz 0
check "a summary is printed" has "$WORK/fuzz.err" "fuzz: done: 30 iterations"
# Regression: seed 10 has a wait interrupted (INTR) and retried by the library; the in-process
# driver used to lose the retried wait's variable binding and diverge from the real library.
sim seed10 fuzz --seed 10 --iterations 1 --task "$F" --save "$WORK/found10"
check "seed 10 (a wait retried after INTR binds its event source): no divergence" rc_is seed10 0
check "no reproducer saved when nothing failed" sh -c "test ! -e '$WORK/found' || test -z \"\$(ls -A '$WORK/found')\""
done_testing
