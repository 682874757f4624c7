#!/bin/sh
# Wake-up preemption between task processes (docs/architecture.md, "Task switches"): a
# task whose wake-up is handed to a task that sleeps on a timer runs SCHED_BATCH (it waits
# for that task's sleep instead of taking the CPU from it); the tasks of an IPC exchange
# stay SCHED_OTHER. The policies are read from /proc while the runs go on.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
T=$(realpath "$top_builddir/tests/bench/bench-task")

# run NAME INI: the daemon on INI; meanwhile, every 20 ms, the policy (field 41 of
# /proc/PID/stat: 0 SCHED_OTHER, 3 SCHED_BATCH) of each process of bench-task, one per line
# in $WORK/NAME.pol.
run() {
  "$SENTRY_SIM" run -q --raw "$2" >"$WORK/$1.out" 2>"$WORK/$1.err" &
  local d=$! p
  : >"$WORK/$1.pol"
  while kill -0 $d 2>/dev/null; do
    for p in /proc/[0-9]*; do
      [ "$(readlink "$p/exe" 2>/dev/null)" = "$T" ] &&
        awk '{ print $41 }' "$p/stat" 2>/dev/null >>"$WORK/$1.pol"
    done
    sleep 0.02
  done
  wait $d
  echo $? >"$WORK/$1.rc"
}

task() { printf '[task %s]\nbinary = %s\nlabel = %s\n\n' "$1" "$T" "$2"; }

# four tasks that sleep 10, 20, 30 and 40 s of virtual time, for 100 h: about 75000
# wake-ups, each handed by the task that just went to sleep
{
  printf '[system]\nseed = 1\nduration = 100h\n\n'
  for i in 1 2 3 4; do task "vt-$i-0-$((10000 * i))" $((0x3000 + i)); done
} >"$WORK/vt.ini"
run vt "$WORK/vt.ini"
check "sleepers: the run ends at its time limit" sh -c "[ \$(cat '$WORK/vt.rc') = 0 ]"
check "sleepers: their processes were seen" test -s "$WORK/vt.pol"
check "sleepers: a task woken by a sleeping one runs SCHED_BATCH" grep -qx 3 "$WORK/vt.pol"

# an IPC ping-pong: each task's calls answer the other
{
  printf '[system]\nseed = 1\n\n'
  task ping-100000 0x2000
  task pong-100000 0x2001
} >"$WORK/ipc.ini"
run ipc "$WORK/ipc.ini"
check "IPC: the exchange ends" sh -c "[ \$(cat '$WORK/ipc.rc') = 0 ]"
check "IPC: their processes were seen" test -s "$WORK/ipc.pol"
check "IPC: both stay SCHED_OTHER" sh -c "! grep -qvx 0 '$WORK/ipc.pol'"
done_testing
