#!/bin/sh
# Restart in place (docs/architecture.md, "Restart in place"): a task respawned by its exit
# keeps its process, whose memory is brought back to its state at boot; the task cannot
# tell (its static data, .bss, errno are as at its first start, its record is the same
# byte for byte), and a process whose mappings changed is replaced by a new one.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
cat >"$WORK/restart.ini" <<END
[task incarnation]
binary = probe
label = 0x1001
exit_mode = restart

[task incarnationPid]
binary = probe
label = 0x1002
exit_mode = restart

[task incarnationUnmap]
binary = probe
label = 0x1003
exit_mode = restart

[task selfRestartSignal]
binary = probe
label = 0x1004

[task incarnationUnmapKept]
binary = probe
label = 0x1006
exit_mode = restart
END
# lines TASK RUN: the incarnation lines of TASK in RUN's output
lines() { grep "^$1: incarnation " "$WORK/$2.out"; }
# pids TASK RUN: how many processes TASK's starts ran in
pids() { lines "$1" "$2" | sed 's/.* pid //' | sort -u | wc -l; }
# fresh TASK RUN: at least 3 starts, each one as the first (the memory of the starts
# before it forgotten)
fresh() {
	local n
	n=$(lines "$1" "$2" | wc -l)
	[ "$n" -ge 3 ] && [ "$(lines "$1" "$2" | grep -vc ': incarnation 1 scribble 0 errno 0')" = 0 ] ||
		{ echo "# $1 in $2: $n starts" >&2; lines "$1" "$2" | sed 's/^/#   /' >&2; return 1; }
}
for mode in exec fork-server; do
	extra=
	[ $mode = fork-server ] && extra=--fork-server
	sim "inplace-$mode" run --restart-in-place $extra --duration 40ms -I "$TASKS" "$WORK/restart.ini"
	check "$mode: the run ends normally" rc_is "inplace-$mode" 0
	check "$mode: every start of a task restarted in place is as its first" fresh incarnation "inplace-$mode"
	check "$mode: ... and with its pid: as its first" fresh incarnationPid "inplace-$mode"
	check "$mode: ... all in one process" test "$(pids incarnationPid "inplace-$mode")" = 1
	check "$mode: a task that unmapped a page it never touched: every start as its first" fresh incarnationUnmap "inplace-$mode"
	check "$mode: ... each in a new process" test "$(pids incarnationUnmap "inplace-$mode")" -ge 3
	check "$mode: a task that unmapped a page of its image (writing it back fails): every start as its first" fresh incarnationUnmapKept "inplace-$mode"
	check "$mode: ... each in a new process" test "$(pids incarnationUnmapKept "inplace-$mode")" -ge 3
	check "$mode: the restart signal the daemon did not ask for does nothing" \
		has "$WORK/inplace-$mode.out" "selfRestartSignal: still here after the restart signal"
done
# anew TASK BINARY DURATION WHAT: a process of TASK that cannot be restarted in place (WHAT)
# is replaced by a new one at each start, and the run goes on
anew() {
	printf '[task %s]\nbinary = %s\nlabel = 0x1005\nexit_mode = restart\n' "$1" "$2" >"$WORK/$1.ini"
	sim "$1" run --restart-in-place --duration "$3" -I "$TASKS" "$WORK/$1.ini"
	check "$4: the run ends normally" rc_is "$1" 0
	check "$4: every start as its first" fresh "$1" "$1"
	check "$4: each in a new process" test "$(pids "$1" "$1")" -ge 3
}
# a process that blocks the restart signal does not answer: after a second, a new process
anew incarnationMask probe 12ms "a process that does not answer"
# a process with more writable memory than the daemon keeps an image of (a gigabyte mapped
# before its boot, by a constructor of the statically linked probe, whose constructors run
# before the runtime's)
anew incarnationBig probe-static 20ms "a process too big to keep"
sim fresh run --duration 40ms -I "$TASKS" "$WORK/restart.ini"
check "without --restart-in-place: every start as its first" fresh incarnationPid fresh
check "without --restart-in-place: a new process each time" test "$(pids incarnationPid fresh)" -ge 3
# the record (calls, results, exchange-area bytes, log text) is the same either way
head -n 4 "$WORK/restart.ini" >"$WORK/one.ini"
sim rec-inplace run --restart-in-place --duration 30ms --record "$WORK/inplace.rec" -I "$TASKS" "$WORK/one.ini"
sim rec-fresh run --duration 30ms --record "$WORK/fresh.rec" -I "$TASKS" "$WORK/one.ini"
check "the record of restarts in place is the record of new processes" cmp "$WORK/inplace.rec" "$WORK/fresh.rec"
check "... and holds several starts" test "$(grep -c ' start incarnation ' "$WORK/inplace.rec")" -ge 3
done_testing
