#!/bin/sh
# sentry-sim run --core-dir DIR: the core of a faulting task is written to DIR/TASK.PID while
# the task is held at its fault; gdb reads the fault's frames from it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
if ! command -v gcore >/dev/null 2>&1; then
  echo "1..0 # SKIP gcore (gdb) is not installed (bootstrap.sh installs it)"
  exit 0
fi
DEV="$top_srcdir/tests/devtools"
BIN="$top_builddir/tests/devtools"
CRASH=$(grep -n '/\* crash here \*/' "$DEV/debug-task.c" | cut -d: -f1)
sim core run --core-dir "$WORK/cores" -I "$BIN" "$DEV/debug-crash.ini"
E="$WORK/core.err"
check "a run with a crashing task exits 1" rc_is core 1
check "the report says where the core went" has "$E" "; core dumped to $WORK/cores/crasher."
core=$(sed -n "s|.*; core dumped to \($WORK/cores/crasher\.[0-9]*\).*|\1|p" "$E")
check "the core file is there" test -s "${core:-/nonexistent}"
check "it is an ELF core file" sh -c "readelf -h '${core:-/nonexistent}' | grep -q 'CORE (Core file)'"
check "each faulting task left its core, the peer none" sh -c "[ \"\$(ls '$WORK/cores' | sed 's/\\.[0-9]*\$//' | sort | tr '\\n' ' ')\" = 'crasher inliner ' ]"
gdb -batch -nx -ex bt "$BIN/debug-task" "${core:-/nonexistent}" >"$WORK/bt.log" 2>&1
check "gdb finds the faulting frame in the core" has "$WORK/bt.log" "crash_now (where=where@entry=0x0) at tests/devtools/debug-task.c:$CRASH"
check "the peer finishes" has "$WORK/core.out" "peer: round 3"
# sentry-sim test passes --core-dir on to each scenario's run
sim suite test --core-dir "$WORK/suite-cores" -I "$BIN" "$DEV/debug-crash.ini"
check "test: the faulting scenario fails" rc_is suite 1
check "test --core-dir: the scenario's faulting task left its core" sh -c "ls '$WORK/suite-cores' | grep -qE '^crasher\.[0-9]+\$'"
sim badcore run --core-dir /proc/nonexistent/cores -I "$BIN" "$DEV/debug-crash.ini"
check "an unusable --core-dir is bad input (exit 2)" rc_is badcore 2
check "with a clear message" has "$WORK/badcore.err" "sentry-sim: --core-dir: cannot use '/proc/nonexistent/cores' as a directory for core dumps"
done_testing
