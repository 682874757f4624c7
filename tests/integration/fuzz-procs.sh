#!/bin/sh
# `sentry-sim fuzz`: generated programs run in-process and through real task processes give
# the same system-call stream (docs/fuzzing.md, "Real processes").
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
F="$top_builddir/tests/fuzz/fuzz-task"
sim fuzz fuzz --seed 1 --iterations 30 --task "$F" --save "$WORK/found"
check "30 programs from seed 1: no divergence, invariant or daemon failure" rc_is fuzz 0
check "a summary is printed" has "$WORK/fuzz.err" "fuzz: done: 30 iterations"
# Regression (found at seed 10 when programs had no board): a wait interrupted (INTR) and
# retried by the library binds its event's source; the in-process driver used to lose that
# binding and diverge from the real library. The seed program wait-retry has that shape.
C="$top_srcdir/tests/fuzz/corpus"
sim retry fuzz --replay "$C/wait-retry" --task "$F"
check "wait-retry (a wait retried after INTR binds its event source): no divergence" rc_is retry 0
# The board seeds through real processes: handles, windows mapped at their board addresses,
# credentials, GPIO, IRQ lines and DMA streams give the model's results and exchange bytes.
for s in board-devices board-shm board-irq board-dma board-corners; do
	sim "$s" fuzz --replay "$C/$s" --task "$F"
	check "seed $s through real processes: no divergence" rc_is "$s" 0
done
check "no reproducer saved when nothing failed" sh -c "test ! -e '$WORK/found' || test -z \"\$(ls -A '$WORK/found')\""
done_testing
