#!/bin/sh
# Crashing and hostile tasks become diagnosed faults while the others go on.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
sim faults run -I "$TASKS" "$DATA/faults.ini"
E="$WORK/faults.err"; O="$WORK/faults.out"
check "a run with faults exits 1" rc_is faults 1
check "segfault diagnosed with signal and address" has "$E" "task 'crash': fault: SIGSEGV (SEGV_MAPERR: no mapping at that address) at address 0x0, ip 0x"
check "forbidden host syscall diagnosed by name" has "$E" "task 'forbidden': fault: forbidden host system call 'openat'"
check "the forbidden call did not go through" lacks "$O" "the sandbox let it through"
check "host write diagnosed with a hint" has "$E" "task 'hostwrite': fault: forbidden host system call 'write' (1) at ip 0x"
check "a futex requeue is refused (the doorbell page is shared)" has "$E" "task 'futexop': fault: forbidden host system call 'futex'"
check "the requeue did not go through" lacks "$O" "futex requeue returned"
check "abort diagnosed" has "$E" "task 'abort': fault: abort() (SIGABRT)"
check "stack overflow diagnosed" has "$E" "(stack overflow)"
check "a host _exit diagnosed" has "$E" "task 'hostexit': fault: the task process exited with status 3 without calling __sys_exit"
check "the survivor keeps running" has "$O" "survivor: still running, round 3"
check "summary: survivor finished normally" sh -c "grep -qE '^survivor +0x00000001 0x[0-9a-f]+ FINISHED +0\$' '$O'"
check "summary: crash in FAULT" sh -c "grep -qE '^crash +0x00000002 0x[0-9a-f]+ FAULT ' '$O'"
check "summary: exit(7) is ABORTING with code 7" sh -c "grep -qE '^fail +0x00000008 0x[0-9a-f]+ ABORTING +7\$' '$O'"
check "the same faults with a statically linked task" sh -c "sed 's/= probe\$/= probe-static/' '$DATA/faults.ini' > '$WORK/static.ini'"
sim static run -I "$TASKS" "$WORK/static.ini"
check "static: segfault diagnosed" has "$WORK/static.err" "task 'crash': fault: SIGSEGV"
check "static: forbidden syscall diagnosed" has "$WORK/static.err" "task 'forbidden': fault: forbidden host system call 'openat'"
check "static: survivor finished" has "$WORK/static.out" "survivor: still running, round 3"
sim spin run --watchdog 300 -I "$TASKS" "$DATA/spin.ini"
check "a task spinning without syscalls is stopped by the watchdog" has "$WORK/spin.err" "task 'spin': fault: watchdog: ran 300 ms of host CPU time without a system call"
check "the others go on after the watchdog" has "$WORK/spin.out" "survivor: still running, round 3"
# A task blocked for ever in a host call it may make (a futex wait of its own) uses no CPU
# time: the watchdog on sleeping outside the gate stops it (the daemon used to wait for it
# for ever, deaf to SIGTERM).
sed 's/^\[task spin\]/[task selfBlock]/' "$DATA/spin.ini" >"$WORK/block.ini"
sim block run --watchdog 300 -I "$TASKS" "$WORK/block.ini"
check "a task blocked in a futex of its own is stopped by the watchdog" has "$WORK/block.err" "task 'selfBlock': fault: watchdog: blocked 300 ms in a host system call while its job ran"
check "the others go on after it" has "$WORK/block.out" "survivor: still running, round 3"
timeout -k 10 60 "$SENTRY_SIM" run -I "$TASKS" "$WORK/block.ini" >"$WORK/blockterm.out" 2>"$WORK/blockterm.err" &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
echo $? >"$WORK/blockterm.rc"
check "SIGTERM while a task blocks: the run stops at once (status 130)" rc_is blockterm 130
# A task that loops on a library call which reports without trapping gets the same watchdog
# (the daemon used to answer its reports for ever, deaf to SIGINT).
sed 's/^\[task spin\]/[task reportLoop]/' "$DATA/spin.ini" >"$WORK/reportloop.ini"
sim reportloop run --watchdog 300 -I "$TASKS" "$WORK/reportloop.ini"
check "a task looping on reporting library calls is stopped by the watchdog" has "$WORK/reportloop.err" "task 'reportLoop': fault: watchdog: ran 300 ms of host CPU time without a system call, looping on library calls"
check "the others go on after it" has "$WORK/reportloop.out" "survivor: still running, round 3"
# The fuzz control request exists for `sentry-sim fuzz` only: elsewhere it faults the task.
sed 's/^\[task spin\]/[task fuzzControl]/' "$DATA/spin.ini" >"$WORK/fuzzctl.ini"
sim fuzzctl run -I "$TASKS" "$WORK/fuzzctl.ini"
check "a fuzz control request under sentry-sim run is a protocol fault" has "$WORK/fuzzctl.err" "task 'fuzzControl': fault: protocol violation: a fuzz control request outside sentry-sim fuzz"
check "the faulted task never gets an answer" lacks "$WORK/fuzzctl.out" "still running after the control request"
check "the others go on" has "$WORK/fuzzctl.out" "survivor: still running, round 3"
done_testing
