#!/bin/sh
# `sentry-sim fuzz`: generated programs run in-process and through real task processes give
# the same system-call stream (docs/fuzzing.md, "Real processes").
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
F="$top_builddir/tests/fuzz/fuzz-task"
sim fuzz fuzz --seed 1 --iterations 30 --task "$F" --save "$WORK/found"
check "30 programs from seed 1: no divergence, invariant or daemon failure" rc_is fuzz 0
check "a summary is printed" has "$WORK/fuzz.err" "fuzz: done: 30 iterations"
# Respawned tasks restart in place by default (their memory brought back to its state at
# boot: every call and result of the run above was compared with the model's); without it,
# each respawn is a new process, with the same streams.
paths() { sed -n 's/.*iterations in .*, \([0-9]*\) distinct.*/\1/p' "$WORK/$1.err"; }
sim noinplace fuzz --seed 1 --iterations 30 --task "$F" --no-restart-in-place
check "--no-restart-in-place: no divergence either" rc_is noinplace 0
check "--no-restart-in-place: the same (nr, Status) paths" test "$(paths noinplace)" = "$(paths fuzz)"
# A task's process is also kept from one program for the next (docs/fuzzing.md): fewer
# processes start than there are programs (each has one task at least), and the next
# program reaches a kept process through its page (with fork and exec too, whose first
# program came in its environment: a process that ran the old program would diverge).
started() { sed -n 's/.*task processes: \([0-9]*\) started, \([0-9]*\) restarted.*/\1 \2/p' "$WORK/$1.err"; }
set -- $(started fuzz)
check "processes kept between programs: fewer started than programs, the rest restarted in place" \
  sh -c "[ -n '${1:-}' ] && [ '${1:-}' -lt 30 ] && [ '${2:-0}' -gt 0 ]"
set -- $(started noinplace)
check "--no-restart-in-place: no process restarted in place" test "${2:-}" = 0
sim keepfe fuzz --seed 1 --iterations 30 --task "$F" --no-fork-server
check "--no-fork-server: kept processes run each new program (no divergence)" rc_is keepfe 0
check "--no-fork-server: the same (nr, Status) paths" test "$(paths keepfe)" = "$(paths fuzz)"
# Regression (found at seed 10 when programs had no board): a wait interrupted (INTR) and
# retried by the library binds its event's source; the in-process driver used to lose that
# binding and diverge from the real library. The seed program wait-retry has that shape.
C="$top_srcdir/tests/fuzz/corpus"
sim retry fuzz --replay "$C/wait-retry" --task "$F"
check "wait-retry (a wait retried after INTR binds its event source): no divergence" rc_is retry 0
# Every seed program through real processes: the board (handles, windows mapped at their
# addresses, credentials, GPIO, IRQ lines, DMA streams), computations and stimuli asked of the
# daemon by the fuzz task, idle's script, hangs, stale handles after a respawn.
for f in "$C"/*; do
	case "$f" in *.txt) continue ;; esac
	s=$(basename "$f")
	sim "seed-$s" fuzz --replay "$f" --task "$F"
	check "seed $s through real processes: no divergence" rc_is "seed-$s" 0
done
# SIGTERM stops a campaign at once, without calling the interrupted run a finding.
# terminated NAME ARGS...: a campaign of sentry-sim fuzz ARGS, sent SIGTERM after 2 s
terminated() {
	local name=$1
	shift
	timeout -k 10 60 "$top_builddir/sentry-sim" fuzz "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
	local pid=$!
	sleep 2
	kill -TERM $pid
	wait $pid
	echo $? >"$WORK/$name.rc"
}
terminated term --seed 1 --iterations 1000000 --task "$F" --save "$WORK/found-term"
check "SIGTERM: the campaign stops with status 130" rc_is term 130
check "SIGTERM: the summary says it was interrupted" has "$WORK/term.err" "fuzz: interrupted:"
check "SIGTERM: nothing saved" sh -c "test ! -e '$WORK/found-term' || test -z \"\$(ls -A '$WORK/found-term')\""
# --jobs: worker processes share the programs out (seed + W, seed + W + N, ...); the
# summary adds them up, the same programs as one process runs.
sim jobs fuzz --seed 1 --iterations 30 --jobs 2 --task "$F"
check "--jobs 2: 30 programs, exit 0" rc_is jobs 0
check "--jobs 2: one summary for the 30" has "$WORK/jobs.err" "fuzz: done: 30 iterations"
check "--jobs 2: the same (nr, Status) paths as one process ($(paths fuzz))" \
	test -n "$(paths fuzz)" -a "$(paths jobs)" = "$(paths fuzz)"
# a task that is not the fuzz task diverges at once: every program is a failure, printed and
# saved by the worker that ran it
sim jobsfail fuzz --seed 1 --iterations 4 --jobs 2 --task "$TASKS/probe" --save "$WORK/jobsfound"
check "--jobs 2, diverging task: exit 1" rc_is jobsfail 1
check "--jobs 2, diverging task: 4 failures in the summary" has "$WORK/jobsfail.err" "paths, 4 failures"
for s in 1 2 3 4; do
	check "--jobs 2: seed $s reported and saved" sh -c "grep -q '^fuzz: seed $s: divergence' '$WORK/jobsfail.err' && test -s '$WORK/jobsfound/procs-000000000000000$s.bin'"
done
sim jobsbad fuzz --iterations 4 --jobs 0 --task "$F"
check "--jobs 0: refused with exit 2" rc_is jobsbad 2
check "--jobs 0: says what it takes" has "$WORK/jobsbad.err" "--jobs 0: give 1 to 64"
# SIGTERM to the campaign stops every worker; a worker that dies is a failure of the campaign
# (named, with how it ended), and the others finish their share
terminated jobsterm --seed 1 --iterations 1000000 --jobs 2 --task "$F" --save "$WORK/jobsterm"
check "--jobs 2, SIGTERM: status 130" rc_is jobsterm 130
check "--jobs 2, SIGTERM: the summary says it was interrupted" has "$WORK/jobsterm.err" "fuzz: interrupted:"
check "--jobs 2, SIGTERM: no worker lost" lacks "$WORK/jobsterm.err" "without its summary"
check "--jobs 2, SIGTERM: nothing saved" sh -c "test ! -e '$WORK/jobsterm' || test -z \"\$(ls -A '$WORK/jobsterm')\""
# (enough programs that a worker is still at work a second in: 200 were done by then once
# processes were kept between programs)
timeout -k 10 60 "$top_builddir/sentry-sim" fuzz --seed 1 --iterations 1000 --jobs 2 --task "$F" \
	>"$WORK/jobskill.out" 2>"$WORK/jobskill.err" &
pid=$!
# children PID: the processes PID started (timeout's child is the campaign, its children the
# workers), once there are two
children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }
workers=
for i in $(seq 100); do
	campaign=$(children $pid)
	workers=$(children ${campaign:-0})
	[ "$(echo $workers | wc -w)" = 2 ] && break
	sleep 0.1
done
sleep 1
kill -KILL ${workers%% *}
wait $pid
echo $? >"$WORK/jobskill.rc"
check "--jobs 2, a worker killed: exit 1" rc_is jobskill 1
check "--jobs 2, a worker killed: named, with how it ended" \
	grep -qE "^fuzz: worker [01] \(seeds [12], [34], \.\.\.\) ended without its summary: killed by signal 9" "$WORK/jobskill.err"
check "--jobs 2, a worker killed: the other finished its 500" has "$WORK/jobskill.err" "fuzz: done:"
# Regression: every OP_SYSCALL goes through libsentry-uapi's __sys_* function, whose prototype
# converts values it cannot carry (uapi.md 1.8, 2), and the in-process driver applies the same
# conversions. The program (prog.h byte format; opcodes from the dictionary): normal build, two
# tasks labelled 0x1000 and 0x1111; t0 makes the calls below and exits, t1 waits for ever.
# 0xff escapes to a raw u32le argument.
op() { sed -n "s/^call_$1=\"\\\\x\([0-9a-f][0-9a-f]\).*/\1/p" "$top_srcdir/tests/fuzz/kernel.dict"; }
PROG="00 01 01000000 00 0504000000 00 0104000000 80"       # config (no board), t0, t1
PROG="$PROG $(op get_process_handle) 01 00"                 # get_process_handle(0x1111) -> $v0
PROG="$PROG $(op send_ipc) 00 ff2c010000 90"                # send_ipc($v0, 300): uint8_t 44
PROG="$PROG $(op wait_for_event) ff01010000 ffffffffff 01"  # wait_for_event(0x101, -1): mask 1
PROG="$PROG $(op sleep) ff14000000 01"                      # sleep(20, deep): tag D20MS
PROG="$PROG $(op gpio_set) 80 ff01010000 ff02000000"        # gpio_set(h, 0x101, 2): io 1, val 1
PROG="$PROG $(op irq_enable) ff05000100"                    # irq_enable(0x10005): irq 5
PROG="$PROG $(op log) ffc8000000 90"                        # log(200): refused, no trap
HEX=$(echo "$PROG" | tr -d ' ')
for b in $(echo "$HEX" | sed 's/../& /g'); do printf "\\$(printf %03o "0x$b")"; done >"$WORK/conv.bin"
sim conv fuzz --replay "$WORK/conv.bin" --task "$F"
check "converted library arguments: the model and the real processes agree" rc_is conv 0
# The same program under `sentry-sim run`, for the real processes' record.
cat >"$WORK/conv.ini" <<END
[task fuzz-0]
binary = $F
label = 0x1000
priority = 5
quantum = 5

[task fuzz-1]
binary = $F
label = 0x1111
priority = 1
quantum = 5
END
export SENTRY_FUZZ_PROG="$HEX"
sim convrun run "$WORK/conv.ini" --duration 1s --record "$WORK/conv.rec"
unset SENTRY_FUZZ_PROG
# rec_has EXTENDED-REGEX: a line of the record matches (shows the record on failure)
rec_has() {
  if grep -qE -- "$1" "$WORK/conv.rec"; then return 0; fi
  echo "# expected in conv.rec: $1" >&2
  cut -c1-100 "$WORK/conv.rec" | sed 's/^/#   /' >&2
  return 1
}
X='[0-9a-f]{8}'
check "send_ipc length 300 reaches the kernel as the uint8_t 44" \
  rec_has "call fuzz-0 send_ipc\(11\) $X 0000002c 00000000 "
check "the receiver gets a 44-byte IPC" rec_has "ret fuzz-1 r0=00000000 exch=012c"
check "wait_for_event mask 0x101 reaches the kernel as the uint8_t 1" \
  rec_has "call fuzz-0 wait_for_event\(13\) 00000001 ffffffff 00000000 "
check "sleep(20 ms) through the D20MS tag reaches the kernel as 20 ms" \
  rec_has "call fuzz-0 sleep\(4\) 00000014 00000001 00000000 "
check "gpio_set io 0x101 and val 2 reach the kernel as 1 and 1" \
  rec_has "call fuzz-0 gpio_set\(21\) $X 00000001 00000001 "
check "irq_enable 0x10005 reaches the kernel as the uint16_t 5" \
  rec_has "call fuzz-0 irq_enable\(26\) 00000005 00000000 00000000 "
check "log(200) is refused by the library without a trap" lacks "$WORK/conv.rec" " call fuzz-0 log("
check "no reproducer saved when nothing failed" sh -c "test ! -e '$WORK/found' || test -z \"\$(ls -A '$WORK/found')\""
done_testing
