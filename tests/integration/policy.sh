#!/bin/sh
# The seccomp policy, exported as text, matches the reviewed golden files (x86_64).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
if [ "$(uname -m)" != x86_64 ]; then echo "1..0 # SKIP golden files are for x86_64"; exit 0; fi
X="$top_builddir/tests/integration/policy-export"
for level in baseline strict; do
  "$X" $level >"$WORK/$level.pfc" 2>&1
  check "$level filter matches tests/integration/data/seccomp-$level.pfc" diff -u "$DATA/seccomp-$level.pfc" "$WORK/$level.pfc"
done
check "strict filter traps by default" has "$WORK/strict.pfc" "action TRAP;"
check "strict filter lets tgkill reach only the process itself" has "$WORK/strict.pfc" "if (\$a0.lo32 == 4242)"
done_testing
