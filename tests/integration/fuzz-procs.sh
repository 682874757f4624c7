#!/bin/sh
# `sentry-sim fuzz`: generated programs run in-process and through real task processes give
# the same system-call stream (docs/fuzzing.md, "Real processes").
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
F="$top_builddir/tests/fuzz/fuzz-task"
sim fuzz fuzz --seed 1 --iterations 30 --task "$F" --save "$WORK/found"
check "30 programs from seed 1: no divergence, invariant or daemon failure" rc_is fuzz 0
check "a summary is printed" has "$WORK/fuzz.err" "fuzz: done: 30 iterations"
done_testing
