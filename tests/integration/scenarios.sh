#!/bin/sh
# The example scenarios under scenarios/ run as documented, and identically twice.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
S="$top_srcdir/scenarios"; B="$top_builddir/scenarios"
run() { sim "$1" run -I "$B/$2" "$S/$2/$1.ini"; sim "$1.again" run -I "$B/$2" "$S/$2/$1.ini"; }

run ipc-server ipc-server
O="$WORK/ipc-server.out"
check "ipc-server: ends normally" rc_is ipc-server 0
check "ipc-server: every answer is right" lacks "$O" "WRONG"
check "ipc-server: six requests served" has "$O" "server: served six requests, exiting"
check "ipc-server: clients get their sums" has "$O" "clientB: 1000 + 3 = 1003 (send 0, wait 0)"
check "ipc-server: identical on a second run" cmp "$O" "$WORK/ipc-server.again.out"

run supervisor supervisor
O="$WORK/supervisor.out"
check "supervisor: ends at its time limit without failure" rc_is supervisor 0
check "supervisor: SIGTERM after 50 ms without heartbeat" has "$O" "supervisor: no heartbeat for 50 ms at 110 ms: SIGTERM sent (status 0)"
check "supervisor: the worker exits(0) and is respawned" has "$O" "worker: SIGTERM at 280 ms: exit(0), the kernel respawns me"
check "supervisor: has_respawned is true in the new job" has "$O" "worker: respawned job starts at 280 ms"
check "supervisor: the new job has a new handle" has "$O" "the worker was respawned (restart 2)"
check "supervisor: a forged handle is INVALID" has "$O" "a forged handle is refused (status 1)"
check "supervisor: summary marks the respawn" sh -c "grep -qE '^worker .* \\(respawned\\)\$' '$O'"
check "supervisor: identical on a second run" cmp "$O" "$WORK/supervisor.again.out"

run periodic periodic
O="$WORK/periodic.out"
check "periodic: ends normally" rc_is periodic 0
check "periodic: the 30 ms alarm fires at 30, 60, ... ms" has "$O" "fast: period 5 at 150 ms"
check "periodic: the 100 ms alarm fires at 500 ms" has "$O" "slow: period 5 at 500 ms"
check "periodic: stop finds the alarm" has "$O" "slow: alarm stopped (status 0)"
check "periodic: identical on a second run" cmp "$O" "$WORK/periodic.again.out"

run pitfall periodic
E="$WORK/pitfall.err"
check "pitfall: its script expects the panic, so the scenario passes" rc_is pitfall 0
sed '/^\[script\]/,$d' "$S/periodic/pitfall.ini" >"$WORK/nopitfall.ini"
sim nopitfall run -I "$B/periodic" "$WORK/nopitfall.ini"
check "pitfall without its script: a kernel panic exits 3" rc_is nopitfall 3
check "pitfall: the panic names the cause, task, alarm and wait" has "$E" "kernel panic: resumed with NON_SENSE result; running task 'blocking' (label 0x40); an alarm of 20 ms expired while the task waited for events (mask 0x2, timeout 100)"
check "pitfall: panics at the alarm's time" has "$E" "[    0.020000] task 'blocking': kernel panic"
check "pitfall: the task never resumes" lacks "$WORK/pitfall.out" "never printed"
done_testing
