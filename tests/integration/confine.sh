#!/bin/sh
# The confinement helper cannot be skipped (sim/host/confine-helper.c): with a helper that
# does not enter the boundary (/bin/true) or none at all, no task runs: each is faulted
# before it boots, with a diagnosis, and the daemon ends normally (what a task does from
# its first instruction inside the boundary is tests/hostile/run.sh's).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
PROBE="$top_builddir/tests/integration/tasks/probe"
printf '[task survivor]\nbinary = %s\nlabel = 1\npriority = 1\n\n[task b]\nbinary = %s\nlabel = 2\npriority = 5\n' \
  "$PROBE" "$PROBE" >"$WORK/two.ini"

SENTRY_SIM_CONFINE=/bin/true sim fake run "$WORK/two.ini"
check "a helper that enters no boundary: exit 1, the tasks faulted" rc_is fake 1
check "a helper that enters no boundary: no task booted" lacks "$WORK/fake.out" "still running"
check "a helper that enters no boundary: the start failure is named" \
  has "$WORK/fake.err" "task 'b': fault: the process did not start"

SENTRY_SIM_CONFINE=/nonexistent sim none run "$WORK/two.ini"
check "no helper: exit 1, the tasks faulted" rc_is none 1
check "no helper: the missing helper is named" \
  has "$WORK/none.err" "cannot start /nonexistent: No such file or directory"

# A daemon whose helper is neither given, nor beside it, nor installed: nothing runs, and it
# says why at once, as bad input (exit 2), for a run and for the fuzzer alike.
mkdir -p "$WORK/alone"
cp "$SENTRY_SIM" "$WORK/alone/sentry-sim"
alone() { # NAME ARGS...: the copy, with no helper given
  local name=$1 rc=0; shift
  env -u SENTRY_SIM_CONFINE timeout -k 10 60 "$WORK/alone/sentry-sim" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  echo "$rc" >"$WORK/$name.rc"
}
alone alone run "$WORK/two.ini"
alone alonef fuzz -n 2 --task "$top_builddir/tests/fuzz/fuzz-task"
if ! grep -q 'cannot find the confinement helper' "$WORK/alone.err" && rc_is alone 0 2>/dev/null; then
  skip "a daemon without its helper: one is installed on this machine"
  skip "the fuzzer without its helper: one is installed on this machine"
else
  check "a daemon without its helper: exit 2, the helper named" \
    sh -c "[ \$(cat '$WORK/alone.rc') -eq 2 ] &&
           grep -q '^sentry-sim: cannot find the confinement helper sentry-sim-confine' '$WORK/alone.err'"
  check "the fuzzer without its helper: exit 2 before any program, the helper named" \
    sh -c "[ \$(cat '$WORK/alonef.rc') -eq 2 ] &&
           grep -q 'fuzz: cannot find the confinement helper' '$WORK/alonef.err' &&
           ! grep -q seed '$WORK/alonef.err'"
fi

sim real run "$WORK/two.ini"
check "with the helper: the survivor ran in its root" has "$WORK/real.out" "survivor: still running, round 3"
check "with the helper: the survivor finished" \
  grep -qE '^survivor +0x[0-9a-f]+ 0x[0-9a-f]+ FINISHED +0$' "$WORK/real.out"
done_testing
