#!/bin/sh
# make check's pass of the kernel fuzz target (docs/fuzzing.md): replay the seed corpus and
# the regressions, then run 3000 programs generated from a fixed seed, in a few seconds.
# The driver prints TAP itself.
top_srcdir=${top_srcdir:-$(dirname "$0")/../..}
top_builddir=${top_builddir:-$top_srcdir}
exec "$top_builddir/tests/fuzz/fuzz-kernel" --tap -n 3000 -s 1 \
	"$top_srcdir/tests/fuzz/corpus" "$top_srcdir/tests/fuzz/regressions"
