#!/bin/sh
# Coverage of task code (docs/devtools.md): tasks built with --coverage write their gcov
# data into `--coverage DIR` (bound writable inside the boundary), never into the build
# tree; runs add up; `sentry-sim test --coverage DIR` does the same for a suite. The report
# (plain gcov) names executed and unexecuted lines of the task's source.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
B=$(cd "$top_builddir" && pwd)
D="$B/tests/devtools"
INI="$top_srcdir/tests/devtools/coverage.ini"
SRC="$top_srcdir/tests/devtools/coverage-task.c"
COV="$WORK/cov"
rm -f "$D/coverage-task.gcda"

# report DIR NAME: gcov's annotated source of coverage-task.c from the data under DIR,
# with the notes file (.gcno, from the build) copied next to the data, in $WORK/NAME.gcov
report() {
  local gcda
  gcda=$(find "$1" -name coverage-task.gcda | head -1)
  [ -n "$gcda" ] || { echo "# no coverage-task.gcda under $1" >&2; return 1; }
  cp "$D/coverage-task.gcno" "$(dirname "$gcda")/" &&
    (cd "$B" && gcov --stdout -o "$(dirname "$gcda")" "$gcda") >"$WORK/$2.gcov" 2>"$WORK/$2.gcov.err"
}
# count NAME MARKER: the execution count gcov gives the line marked MARKER
count() { grep -F -- "$2" "$WORK/$1.gcov" | head -1 | cut -d: -f1 | tr -d ' '; }
line_of() { grep -n -- "$1" "$SRC" | cut -d: -f1; }
is() { [ "$1" = "$2" ] || { echo "# got '$1', expected '$2'" >&2; return 1; }; }

sim cov1 run --coverage "$COV" -I "$D" "$INI"
check "a run with --coverage exits 0 (two tasks end, the third is stopped by the time limit)" rc_is cov1 0
check "the data is under DIR, at the object's build path" \
  test -f "$COV$D/coverage-task.gcda"
check "nothing is written into the build tree" test ! -e "$D/coverage-task.gcda"
report "$COV" one
check "gcov reads the data back" has "$WORK/one.gcov" "Source:"
check "an executed line of the task source: counted 9 times (3 in each task), line $(line_of RUNS-THREE-TIMES)" \
  is "$(count one RUNS-THREE-TIMES)" 9
check "an unexecuted line of the task source: ##### at line $(line_of NEVER-RUN)" \
  is "$(count one NEVER-RUN)" "#####"
check "a task that ends with __sys_exit writes its data too (line $(line_of QUITTER-EXIT) ran once)" \
  is "$(count one QUITTER-EXIT)" 1
check "a task still running when the run ends writes its data too (line $(line_of SLEEPER-LOOP) ran)" \
  sh -c "[ \"\$(grep -F SLEEPER-LOOP '$WORK/one.gcov' | cut -d: -f1 | tr -d ' ')\" -gt 0 ] 2>/dev/null"

sim cov2 run --coverage "$COV" -I "$D" "$INI"
check "a second run exits 0" rc_is cov2 0
report "$COV" two
check "runs add up: the line is counted 18 times after two runs" is "$(count two RUNS-THREE-TIMES)" 18
check "the unexecuted line is still unexecuted" is "$(count two NEVER-RUN)" "#####"

sim suite test --coverage "$WORK/suite" -I "$D" "$INI"
check "sentry-sim test --coverage DIR passes" rc_is suite 0
report "$WORK/suite" suite
check "sentry-sim test --coverage DIR writes the scenario's data" is "$(count suite RUNS-THREE-TIMES)" 9

sim plain run -I "$D" "$INI"
check "without --coverage the tasks run as usual (their data has nowhere to go)" rc_is plain 0
check "without --coverage nothing is written into the build tree" test ! -e "$D/coverage-task.gcda"

sim bad run --coverage /dev/null/cov -I "$D" "$INI"
check "a --coverage DIR that cannot be created: exit 2, named" \
  sh -c "[ \"\$(cat '$WORK/bad.rc')\" = 2 ] && grep -q \"cannot create the directory '/dev/null/cov'\" '$WORK/bad.err'"
done_testing
