#!/bin/sh
# Sanitizers in task code (docs/devtools.md): tasks built with -fsanitize=address,undefined
# run under a plain `sentry-sim run`. A memory error or undefined behaviour ends that task
# as a fault naming the sanitizer and the source line, the report follows attributed to the
# task, a peer finishes, the run exits 1; the same tasks without the bug run clean. A leak
# is reported by LeakSanitizer (the task is pid 1 of a PID namespace of its own, so that its
# tracer dies with it). The relaxed fidelity check does not relax the boundary, which lets
# through LeakSanitizer's clone and ptrace of the task itself, and nothing more.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
D="$top_builddir/tests/devtools"
SRC="$top_srcdir/tests/devtools"
ESC=$(printf '\033')

# system NAME TASK BINARY: a peer (sanitize-clean's "peer") and TASK run from BINARY.
system() {
  printf '[task peer]\nbinary = %s\nlabel = 1\npriority = 1\n\n[task %s]\nbinary = %s\nlabel = 2\npriority = 5\n' \
    "$D/sanitize-clean" "$2" "$3" >"$WORK/$1.ini"
}
peer_finished() {
  has "$WORK/$1.out" "peer: peer round 3" && grep -qE "^peer +0x[0-9a-f]+ 0x[0-9a-f]+ FINISHED +0\$" "$WORK/$1.out"
}
line_of() { grep -n "BUG-LINE-$1" "$2" | cut -d: -f1; }

# bug TASK SANITIZER KIND: the task of sanitize-bugs, reported as KIND by SANITIZER
bug() {
  local t=$1 san=$2 kind=$3 line
  line=$(line_of "$t" "$SRC/sanitize-task.c")
  system "$t" "$t" "$D/sanitize-bugs"
  sim "$t" run "$WORK/$t.ini"
  check "$t: the run exits 1" rc_is "$t" 1
  check "$t: the fault names the sanitizer, the task and the line" \
    has "$WORK/$t.err" "task '$t': fault: $san: $kind"
  check "$t: the fault's source line is the bug's (sanitize-task.c:$line)" \
    sh -c "grep \"task '$t': fault: \" '$WORK/$t.err' | grep -q 'sanitize-task.c:$line'"
  check "$t: the sanitizer's report follows, attributed to the task" \
    sh -c "grep -c \"^sentry-sim: .* task '$t':   \" '$WORK/$t.err' | awk '{exit !(\$1 >= 3)}'"
  check "$t: the report's stack names the function at its line" \
    sh -c "grep \"task '$t':   \" '$WORK/$t.err' | grep -q ' in [a-z_]* .*sanitize-task.c:$line'"
  check "$t: the peer finished" peer_finished "$t"
  check "$t: the task's summary row says FAULT" grep -qE "^$t +0x[0-9a-f]+ 0x[0-9a-f]+ FAULT" "$WORK/$t.out"
  system "$t-clean" "$t" "$D/sanitize-clean"
  sim "$t-clean" run "$WORK/$t-clean.ini"
  check "$t without the bug: runs clean under the sanitizer (exit 0)" rc_is "$t-clean" 0
  check "$t without the bug: the task ends normally" has "$WORK/$t-clean.out" "$t: clean end"
  check "$t without the bug: no sanitizer report" lacks "$WORK/$t-clean.err" "Sanitizer"
}
bug heap AddressSanitizer heap-buffer-overflow
bug uaf AddressSanitizer heap-use-after-free
bug overflow UndefinedBehaviorSanitizer "signed integer overflow"

bug leak LeakSanitizer "detected memory leaks: 33 byte(s) leaked in 1 allocation(s), the first allocated at"
# LeakSanitizer alone (-fsanitize=leak, liblsan): detected too, the same report
line=$(line_of leak "$SRC/sanitize-task.c")
system lsan-only leak "$D/lsan-bugs"
sim lsan-only run "$WORK/lsan-only.ini"
check "-fsanitize=leak: the run exits 1" rc_is lsan-only 1
check "-fsanitize=leak: the leak is reported at its allocation" \
  sh -c "grep \"task 'leak': fault: LeakSanitizer: detected memory leaks: 33 byte(s) leaked in 1 allocation(s), the first allocated at \" '$WORK/lsan-only.err' | grep -q 'sanitize-task.c:$line in leak\$'"
check "-fsanitize=leak: the peer finished" peer_finished lsan-only
system lsan-only-clean leak "$D/lsan-clean"
sim lsan-only-clean run "$WORK/lsan-only-clean.ini"
check "-fsanitize=leak without the leak: exit 0" rc_is lsan-only-clean 0
check "-fsanitize=leak without the leak: no report" lacks "$WORK/lsan-only-clean.err" "Sanitizer"
# the daemon under valgrind (which supports no clone but a fork's, a vfork's and a thread's)
# starts it: the PID namespace is made by the task's helper, the daemon only posix_spawns
if command -v valgrind >/dev/null 2>&1; then
  timeout -k 10 120 valgrind -q --trace-children=no --child-silent-after-fork=yes --error-exitcode=99 \
    "$SENTRY_SIM" run "$WORK/leak.ini" >"$WORK/vg-leak.out" 2>"$WORK/vg-leak.err"
  echo $? >"$WORK/vg-leak.rc"
  check "the daemon under valgrind: the leak is reported (exit 1, no memcheck error)" rc_is vg-leak 1
  check "the daemon under valgrind: ... by LeakSanitizer" has "$WORK/vg-leak.err" "task 'leak': fault: LeakSanitizer: detected memory leaks"
else
  not_ok "valgrind is installed (bootstrap.sh installs it)"
fi
# the user's options win over ours
export ASAN_OPTIONS=detect_leaks=0
sim leak-off run "$WORK/leak.ini"
unset ASAN_OPTIONS
check "leak check turned off by the user: the task ends normally (exit 0)" rc_is leak-off 0
check "leak check turned off by the user: no LeakSanitizer report" lacks "$WORK/leak-off.err" "LeakSanitizer"

# a report whose frames the sanitizer did not name (Clang's without llvm-symbolizer, here
# GCC's with the user's symbolize=0): the daemon names them from the task's debug info
line=$(line_of uaf "$SRC/sanitize-task.c")
export ASAN_OPTIONS=symbolize=0
sim nosym run "$WORK/uaf.ini"
unset ASAN_OPTIONS
check "unnamed frames: the run exits 1" rc_is nosym 1
check "unnamed frames: the daemon names each, keeping its (module+offset)" \
  sh -c "grep \"task 'uaf':   \" '$WORK/nosym.err' | grep -q '#0 0x[0-9a-f]* in [a-z_]* .*sanitize-task.c:$line (.*sanitize-bugs+0x'"
check "unnamed frames: the fault names the sanitizer" \
  has "$WORK/nosym.err" "task 'uaf': fault: AddressSanitizer: heap-use-after-free"
check "unnamed frames: ... at sanitize-task.c:$line" \
  sh -c "grep \"task 'uaf': fault: \" '$WORK/nosym.err' | grep -q 'sanitize-task.c:$line in '"

# the same for a leak's first allocation (the summary names it as GCC's sanitizers do)
line=$(line_of leak "$SRC/sanitize-task.c")
export ASAN_OPTIONS=symbolize=0
sim nosym-leak run "$WORK/leak.ini"
unset ASAN_OPTIONS
check "unnamed frames: a leak's first allocation ... at sanitize-task.c:$line in leak" \
  sh -c "grep \"task 'leak': fault: LeakSanitizer: detected memory leaks: 33 byte(s) leaked in 1 allocation(s), the first allocated at \" '$WORK/nosym-leak.err' | grep -q 'sanitize-task.c:$line in leak\$'"

# a shield task (shield's libc-like runtime over the UAPI)
line=$(line_of shield "$SRC/sanitize-shield.c")
system shield shield "$D/sanitize-shield-bug"
sim shield run "$WORK/shield.ini"
check "shield task: the run exits 1" rc_is shield 1
check "shield task: booted and logged before the bug" has "$WORK/shield.out" "shield: shield task starting"
# the first sanitizer to see the overflow reports it: ASan's global redzone, or UBSan's
# object-size check when the compiler knows the array's size at the access
check "shield task: the fault names a sanitizer" \
  sh -c "grep -qE \"task 'shield': fault: (AddressSanitizer|UndefinedBehaviorSanitizer): \" '$WORK/shield.err'"
check "shield task: at its line" sh -c "grep \"task 'shield': fault\" '$WORK/shield.err' | grep -q 'sanitize-shield.c:$line'"
check "shield task: the peer finished" peer_finished shield
system shield-clean shield "$D/sanitize-shield-clean"
sim shield-clean run "$WORK/shield-clean.ini"
check "shield task without the bug: exit 0" rc_is shield-clean 0
check "shield task without the bug: ends normally" has "$WORK/shield-clean.out" "shield: shield task clean end (x)"

check "no raw escape byte from a report reaches the terminal" \
  sh -c "! cat '$WORK'/*.err '$WORK'/*.out | grep -q '$ESC'"

# the boundary holds for a sanitized task: only the fidelity check is relaxed
hostile() {
  local t=$1 expect=$2
  system "h-$t" "$t" "$D/sanitize-hostile"
  sim "h-$t" run --watchdog 2000 "$WORK/h-$t.ini"
  if case "$(cat "$WORK/h-$t.rc")" in 0|1) true ;; *) false ;; esac &&
     peer_finished "h-$t" && lacks "$WORK/h-$t.out" ESCAPED && lacks "$WORK/h-$t.err" ESCAPED &&
     { grep -qF -- "$expect" "$WORK/h-$t.out" || grep -qF -- "$expect" "$WORK/h-$t.err"; }; then
    ok "sanitized $t: held ($expect), the daemon lived, the peer finished"
  else
    not_ok "sanitized $t: expected '$expect'"
    sed 's/^/#   /' "$WORK/h-$t.err" "$WORK/h-$t.out" >&2
  fi
}
hostile open_host "held: no host file"
hostile write_root "held: the root is read-only"
# refused by the fidelity check, which traps first (SIGSYS wins over the boundary's
# notification), so the cause is named as a forbidden call: what matters is that it failed
# (exec is refused by the boundary too; kill(1) not: pid 1 is the task itself, a task with
# ASan being the first process of its own PID namespace)
hostile kill_init "task 'kill_init': fault: forbidden host system call 'kill'"
hostile exec "task 'exec': fault: forbidden host system call 'execve'"
# LeakSanitizer's boundary, before the runtime's boot (the boundary alone): its tracer's
# clone and ptrace of the task itself, nothing else
refused() { hostile "$1" "task '$1': fault: the process did not start: the boundary refused host system call '$2'"; }
refused clone_kill kill        # a process with the tracer's flags signals everything
refused ptrace_clone ptrace    # the task traces that process: only pid 1 may be traced
refused traceme ptrace
refused fork fork
refused thread clone
# processes of the hostile binary (tasks, and their clones whatever their names)
of_hostile() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/exe" 2>/dev/null)" = "$(readlink -f "$D/sanitize-hostile")" ] && echo "${p#/proc/}"
  done
  return 0
}
refused core_lower prlimit64  # its core limit (1) stays
# A task with LeakSanitizer may make itself dumpable (its tracer must trace it); a crash
# then writes no core: its limit is 1, the one value with which the kernel writes no file
# and pipes nothing to the host's handler (0 still pipes); --core-dir is the daemon's gcore
hostile core_limit "core_limit: core limit 1 1, dumpable 1"
hostile dumpable_crash "task 'dumpable_crash': fault: SIGSEGV (SEGV_MAPERR: no mapping at that address) at address 0x8"
# pid 1 ignores the signals it raises itself: a refused call still ends it (exec, kill
# above: the runtime's handler makes the call again, which traps with the default action);
# abort() dies of its last resort, and the report says so
hostile aborts "task 'aborts': fault: abort() (SIGABRT, which the first process of a PID namespace ignores"
# Its PID namespace holds at most 300 processes (pid_max, per PID namespace since Linux
# 6.14: the helper sets the least value the kernel takes; an older kernel has one value for
# the whole host, which the helper cannot and must not change: no bound there)
kernel=$(uname -r)
major=${kernel%%.*} minor=${kernel#*.} minor=${minor%%[!0-9]*}
if [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 14 ]; }; then
  hostile clone_many "held: made 299 processes"
else
  ok "# SKIP clone_many: Linux $kernel has no pid_max per PID namespace (6.14 or later)"
fi
check "no process of the hostile tasks is left" test -z "$(of_hostile)"

# A process with the tracer's flags that does not die with the task (no PR_SET_PDEATHSIG)
# is killed with it: the task is its PID namespace's first process. It is named after the
# task; the peer, named too, naps 3 s of virtual time, paced to the wall clock: the clone
# must be seen gone while the peer still naps, and so the run goes on.
out="outlive$$" peer="sleeper$$"
printf '[task %s]\nbinary = %s\nlabel = 1\npriority = 1\n\n[task %s]\nbinary = %s\nlabel = 2\npriority = 5\n' \
  "$peer" "$D/sanitize-hostile" "$out" "$D/sanitize-hostile" >"$WORK/outlive.ini"
timeout -k 10 60 "$SENTRY_SIM" run --realtime=1 "$WORK/outlive.ini" >"$WORK/outlive.out" 2>"$WORK/outlive.err" &
run=$!
seen=no gone=no
for i in $(seq 600); do
  kill -0 $run 2>/dev/null || break
  alive=$(pgrep -x "$out" | wc -l) napping=$(pgrep -x "$peer" | wc -l)
  [ "$alive" -gt 0 ] && seen=yes
  if [ $seen = yes ] && [ "$alive" -eq 0 ] && [ "$napping" -gt 0 ]; then gone=yes; break; fi
  sleep 0.05
done
wait $run || true
check "outlive: the tracer-like process ran (named $out)" test $seen = yes
check "outlive: it is gone once the task ended, while the peer still runs" test $gone = yes
check "outlive: the task ended normally" has "$WORK/outlive.out" "$out: task ends"
check "outlive: the peer finished" has "$WORK/outlive.out" "$peer: done"
check "outlive: nothing is left after the run" test -z "$(of_hostile)"
done_testing
