#!/bin/sh
# sentry-sim run --gdb TASK: the task is held before its entry, the daemon prints the gdb
# command; gdb in batch mode attaches, stops at a breakpoint in the task, prints a variable,
# steps over a system call, continues, detaches; the run's output is byte-identical to the
# run without gdb (virtual time waited for the debugger).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
DEV="$top_srcdir/tests/devtools"
BIN="$top_builddir/tests/devtools"
sim nosuch run --gdb nosuch -I "$BIN" "$DEV/debug-gdb.ini"
check "--gdb of a task the description lacks is bad input (exit 2)" rc_is nosuch 2
check "with a clear message" has "$WORK/nosuch.err" "--gdb: no task named 'nosuch'"
sim realtime run --gdb counter --realtime -I "$BIN" "$DEV/debug-gdb.ini"
check "--gdb with --realtime is bad input (exit 2)" rc_is realtime 2
check "it says why" has "$WORK/realtime.err" "--gdb 'counter': a task held under a debugger needs virtual time (drop --realtime)"
# held NAME: start a --gdb run of counter in the background ($sim_pid), wait for the line
# that names the held process ($pid)
held() {
  "$SENTRY_SIM" run --gdb counter -I "$BIN" "$DEV/debug-gdb.ini" >"$WORK/$1.out" 2>"$WORK/$1.err" &
  sim_pid=$!
  i=0
  while [ $i -lt 600 ] && ! grep -q '^sentry-sim:   gdb .*-p [0-9]*$' "$WORK/$1.err"; do
    sleep 0.1; i=$((i + 1))
  done
  pid=$(sed -n "s/^sentry-sim:   gdb -iex 'set sysroot \/' -p \([0-9]*\)\$/\1/p" "$WORK/$1.err")
}
# end NAME: wait for the background run (killed if still there after 60 s), its status in
# $WORK/NAME.rc
end() {
  # (the guard's sleep must not hold the test's output open: the harness would wait for it)
  ( sleep 60; kill "$sim_pid" 2>/dev/null ) >/dev/null 2>&1 </dev/null &
  guard=$!
  rc=0
  wait "$sim_pid" || rc=$?
  kill "$guard" 2>/dev/null
  echo "$rc" >"$WORK/$1.rc"
}
# a held task that dies before any debugger comes: the daemon stops waiting
held killed
kill -KILL "${pid:-0}"
end killed
check "a held task killed before a debugger attached: the run ends (exit 1)" rc_is killed 1
check "as that task's fault" has "$WORK/killed.err" "task 'counter': fault: killed by SIGKILL"
if ! command -v gdb >/dev/null 2>&1; then
  ok "# SKIP gdb is not installed (bootstrap.sh installs it)"
  done_testing
fi
LINE=$(grep -n '/\* count here \*/' "$DEV/debug-task.c" | cut -d: -f1)

sim plain run -I "$BIN" "$DEV/debug-gdb.ini"
check "the run without gdb succeeds" rc_is plain 0

held held
check "the daemon prints the gdb command for the held task" test -n "$pid"
check "it names the task and says it is held before its entry" has "$WORK/held.err" "task 'counter' is held before its entry (process $pid)"
check "the held task has not run its entry yet" lacks "$WORK/held.out" "counter: count is"
# the command the daemon printed, in batch mode
timeout 120 gdb -batch -nx -iex 'set sysroot /' -p "${pid:-0}" \
  -ex "break debug-task.c:$LINE" -ex continue -ex 'print count' \
  -ex continue -ex 'print count' -ex next -ex next -ex 'print count' \
  -ex delete -ex detach >"$WORK/gdb.log" 2>&1
if grep -q 'ptrace: Operation not permitted' "$WORK/gdb.log"; then
  kill "$sim_pid" 2>/dev/null
  echo "# this host does not let the user ptrace its own processes (Yama ptrace_scope 2 or 3?)" >&2
  sed 's/^/#   /' "$WORK/gdb.log" >&2
  ok "# SKIP ptrace is not permitted here"
  done_testing
fi
# the run ends by itself once gdb has detached
end held
check "gdb stopped at the breakpoint in the task" has "$WORK/gdb.log" "Breakpoint 1, step () at tests/devtools/debug-task.c:$LINE"
check "gdb printed the variable at the first stop" has "$WORK/gdb.log" '$1 = 0'
check "and at the second, after continue" has "$WORK/gdb.log" '$2 = 1'
check "and after stepping over the line and the system call of the next" has "$WORK/gdb.log" '$3 = 2'
check "gdb detached" has "$WORK/gdb.log" "detached]"
check "the run under gdb succeeds" rc_is held 0
check "its output is byte-identical to the run without gdb" cmp "$WORK/plain.out" "$WORK/held.out"
done_testing
