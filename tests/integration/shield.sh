#!/bin/sh
# shield with real task processes (scenarios/shield-basics, scenarios/shield-msg): printf,
# clock_gettime, nanosleep and timers in virtual time, kill/sigpending/sigwait, SysV
# messages between tasks, getrandom with and without CAP_CRY_KRNG, respawn. Every run has a
# fixed seed, so every line, time included, is exact; each scenario also runs twice and
# must print the same. A task that only uses shield never trips the sandbox filter.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
S="$top_srcdir/scenarios"; B="$top_builddir/scenarios"
RUNS=""

# run NAME DIR [OPTIONS]: run scenarios/DIR/NAME.ini, twice.
run() {
  local name=$1 dir=$2; shift 2
  sim "$name" run "$@" -I "$B/$dir" "$S/$dir/$name.ini"
  sim "$name.again" run "$@" -I "$B/$dir" "$S/$dir/$name.ini"
  RUNS="$RUNS $name $name.again"
}

# line FILE TEXT...: FILE has a line that is exactly TEXT, for each TEXT (shows the file on
# failure).
line() {
  local f=$1 t; shift
  for t in "$@"; do
    grep -qxF -- "$t" "$f" && continue
    echo "# expected line in $(basename "$f"): $t" >&2
    sed 's/^/#   /' "$f" >&2
    return 1
  done
}

# count_is FILE TEXT N: TEXT appears on exactly N lines of FILE.
count_is() {
  local n
  n=$(grep -cF -- "$2" "$1")
  [ "$n" = "$3" ] || { echo "# '$2': $n lines in $(basename "$1"), expected $3" >&2; return 1; }
}

# --- printf: exact output lines, the 128-byte cap, refused conversions --------------------
run hello shield-basics
O="$WORK/hello.out"
check "printf: plain text" line "$O" "hello: hello from shield"
check "printf: d i u o x X and #" line "$O" "hello: ints: -42 7 3000000000 10 ff FF 0xff 010"
check "printf: width, -, 0, +, space, precision, *" \
  line "$O" "hello: widths: [   42] [42   ] [00042] [+42] [ 42] [007] [   9]"
check "printf: %s with precision, width, - and NULL" \
  line "$O" "hello: strings: [text] [te] [   right] [left    ] [(null)]"
check "printf: %c, %%, %p and NULL %p" line "$O" "hello: chars: ok % 0x1234 0x0"
check "printf: l ll h hh z j lengths" \
  line "$O" "hello: lengths: -123456789 -1234567890123 -2 44 77 -5 feed"
check "printf: output cut at 128 bytes, no newline sent" \
  line "$O" "hello: cap $(printf '%0124d' 0)"
check "printf: returns the 128 bytes logged" line "$O" "hello: capped printf returned 128"
check "printf: %f fails with EINVAL" line "$O" "hello: unsupported %f: returned -1, EINVAL"
check "printf: a failing printf logs nothing" lacks "$O" "float"
check "snprintf: truncates, NUL-terminates, returns the full length" \
  line "$O" 'hello: snprintf: "truncat" returned 16'
check "puts adds a newline; putchar logs one byte each" \
  line "$O" "hello: puts adds the newline" "hello: !"
check "exit runs the atexit handler, last" \
  sh -c "grep '^hello: ' '$O' | tail -n 1 | grep -qxF 'hello: atexit handler: bye'"

# --- clock_gettime and sleeps in virtual time (derivation in clock.ini) ---------------------
run clock shield-basics
O="$WORK/clock.out"
check "clock_getres: 1 us" line "$O" "clock: resolution: 1000 ns"
# 2500 us = 3 ticks after rounding up (shield.md 4.6); the kernel wakes a 3-tick sleep on
# the 3rd tick (uapi.md 8), at 3000 us, already past the deadline 2502 us: one pass.
check "nanosleep 2500 us sleeps 3 ticks, exactly 3000 us of virtual time" \
  line "$O" "clock: nanosleep 2500 us: from 1 us to 3001 us, slept 3000 us"
# Started 4 us after a tick, 3 ticks end 4 us short of the deadline: one more 1 ms pass.
check "nanosleep 3 ms from between two ticks takes one extra tick, never less" \
  line "$O" "clock: nanosleep 3 ms: from 3003 us to 7001 us, slept 3998 us"
check "nanosleep 1 ns sleeps to the next tick" \
  line "$O" "clock: nanosleep 1 ns: from 7003 us to 8001 us, slept 998 us"
check "nanosleep 0 reads the clock once and returns" \
  line "$O" "clock: nanosleep 0: from 8003 us to 8005 us, slept 2 us"
check "sleep(1) is a second, not a millisecond" \
  line "$O" "clock: sleep(1): from 8007 us to 1009001 us, slept 1000994 us"
check "usleep(20000)" \
  line "$O" "clock: usleep(20000): from 1009003 us to 1030001 us, slept 20998 us"
check "CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME share one time base" \
  line "$O" "clock: clocks: monotonic 1.030003 s, realtime 1.030004 s, boottime 1.030005 s"
check "CLOCK_REALTIME_ALARM: EINVAL" line "$O" "clock: CLOCK_REALTIME_ALARM: -1, EINVAL"
check "nanosleep validates tv_nsec" line "$O" "clock: nanosleep with tv_nsec = 10^9: -1, EINVAL"

# --- timers: periodic and one-shot expirations at the right virtual times -------------------
run timers shield-basics
O="$WORK/timers.out"
check "periodic timer: callbacks at 10, 20, 30, 40, 50 ms" line "$O" \
  "timers: tick 1 (every 10 ms) at 10 ms" "timers: tick 2 (every 10 ms) at 20 ms" \
  "timers: tick 3 (every 10 ms) at 30 ms" "timers: tick 4 (every 10 ms) at 40 ms" \
  "timers: tick 5 (every 10 ms) at 50 ms"
check "periodic timer: the missed periods give one late callback, at 86 ms" \
  line "$O" "timers: tick 6 (every 10 ms) at 86 ms"
check "periodic timer: no other callback" count_is "$O" "(every 10 ms) at" 6
check "timer_gettime after tick 2: 10 ms left, interval 10 ms" \
  line "$O" "timers: after tick 2: next in 10 ms, interval 10 ms"
check "one-shot SIGEV_SIGNAL timer expires once, at 25 ms" \
  sh -c "grep -qxF 'timers: one-shot SIGEV_SIGNAL timer expired at 25 ms' '$O' &&
         [ \$(grep -c 'timer expired' '$O') = 1 ]"
check "the one-shot timer is disarmed after expiry" \
  line "$O" "timers: one-shot after expiry: 0 ms left, disarmed"
check "missed periods: one expiry with overrun 2" \
  line "$O" "timers: after a 35 ms nanosleep at 86 ms: 1 expiry, overrun 2"
check "timer_delete of a deleted timer: EINVAL" line "$O" "timers: timer_delete twice: -1, EINVAL"
check "timers: no alarm-while-waiting panic" lacks "$WORK/timers.err" "kernel panic"

# --- signals: kill to a peer, sigpending sees it, sigwait consumes it -----------------------
run signals shield-basics
O="$WORK/signals.out"
check "sigpending: empty at start" line "$O" "receiver: pending at start: none"
check "kill: SIGUSR1 to the peer" line "$O" "sender: kill(receiver, 11): 0"
check "kill: EAGAIN while the peer has not read the previous signal" \
  line "$O" "sender: kill(receiver, 9): -1, EAGAIN"
check "kill: signal 0 succeeds" line "$O" "sender: kill(receiver, 0): 0"
check "kill: signal 13 is EINVAL" line "$O" "sender: kill(receiver, 13): -1, EINVAL"
check "kill: a forged handle is ESRCH" line "$O" "sender: kill(forged handle, 11): -1, ESRCH"
check "kill: the task itself is ESRCH" line "$O" "sender: kill(itself, 11): -1, ESRCH"
check "sigpending: sees SIGUSR1 after a deep sleep, and only it" \
  line "$O" "receiver: pending after a 10 ms deep sleep: 11"
check "sigpending: does not consume" line "$O" "receiver: pending again: 11"
check "sigwait: consumes SIGUSR1" line "$O" "receiver: sigwait: signal 11 at 11 ms"
check "sigpending: empty after sigwait" line "$O" "receiver: pending after sigwait: none"
check "kill: accepted again once the peer read the first signal" \
  line "$O" "sender: kill(receiver, 9): 0"
check "sigwait: blocks until SIGTERM arrives at 21 ms" \
  line "$O" "receiver: sigwait: signal 9 at 21 ms"
check "sigpending: empty at the end" line "$O" "receiver: pending at the end: none"

# --- getrandom with and without CAP_CRY_KRNG ------------------------------------------------
run random shield-basics
O="$WORK/random.out"
P="krng: getrandom\(9 bytes at an odd address\): 9"
check "getrandom with CAP_CRY_KRNG: 9 bytes at an odd address, guards intact" \
  grep -qxE "$P, bytes [0-9a-f]{18}, guards intact: yes" "$O"
check "getentropy with CAP_CRY_KRNG fills the key" line "$O" "krng: getentropy(32): 0, key filled"
check "getrandom without CAP_CRY_KRNG: EPERM, buffer untouched" \
  line "$O" "nokrng: getrandom(9 bytes at an odd address): -1, EPERM, buffer untouched: yes"
check "getentropy without CAP_CRY_KRNG: EPERM, no fallback" \
  line "$O" "nokrng: getentropy(32): -1, EPERM, key all zero"
check "getrandom: an unknown flag is EINVAL" count_is "$O" "getrandom with flag 0x4: -1, EINVAL" 2
check "getentropy: more than 256 bytes is EINVAL" count_is "$O" "getentropy(257): -1, EINVAL" 2
check "getrandom of 0 bytes is 0, even without the capability" \
  count_is "$O" "getrandom of 0 bytes: 0" 2
sim random.seed2 run --seed 2 -I "$B/shield-basics" "$S/shield-basics/random.ini"
RUNS="$RUNS random.seed2"
check "getrandom: another seed gives other bytes" \
  sh -c "! cmp -s '$O' '$WORK/random.seed2.out' &&
         grep -q 'guards intact: yes' '$WORK/random.seed2.out'"

# --- respawn: every job starts from a clean shield state ------------------------------------
run respawn shield-basics
O="$WORK/respawn.out"
check "respawn: first job clean" line "$O" "respawn: job at 0 ms (respawned: no): clean"
check "respawn: respawned jobs clean" line "$O" \
  "respawn: job at 11 ms (respawned: yes): clean" \
  "respawn: job at 22 ms (respawned: yes): clean" \
  "respawn: job at 33 ms (respawned: yes): clean"
check "respawn: each job left dirty state behind" \
  count_is "$O" "leaving with SIGALRM pending: yes" 3
check "respawn: the atexit handler ran once per exit" count_is "$O" "respawn: atexit handler" 3
check "respawn: no job inherited state" lacks "$O" "inherited"

# --- SysV messages between two shield tasks, a document longer than one message -----------
run shield-msg shield-msg
O="$WORK/shield-msg.out"
# The largest message text: the 128-byte exchange area minus the 8-byte event header and the
# mtype (shield.md 2): 112 on an LP64 host.
MAXTEXT=$((128 - 8 - $(getconf LONG_BIT) / 8))
LAST=$((300 - 2 * MAXTEXT))
DOC="document of 300 bytes"
for c in A B; do
  check "msg: client $c gets its three sums" \
    line "$O" "client$c: 1 + 100 = 101" "client$c: 2 + 200 = 202" "client$c: 3 + 300 = 303"
  check "msg: client $c: one byte over SHIELD_MSG_MAXTEXT is EINVAL" \
    line "$O" "client$c: msgsnd of $((MAXTEXT + 1)) text bytes: -1, EINVAL"
  check "msg: client $c: E2BIG leaves the message queued" \
    line "$O" "server: client $c: first chunk into 16 bytes: -1, E2BIG"
  check "msg: client $c: full-size messages of $MAXTEXT bytes arrive whole" line "$O" \
    "server: client $c: chunk 1, $MAXTEXT bytes" "server: client $c: chunk 2, $MAXTEXT bytes" \
    "server: client $c: chunk 3, $LAST bytes"
  check "msg: client $c: the 300-byte document arrives intact" \
    line "$O" "server: client $c: $DOC (300 announced) in 3 chunks: intact"
  check "msg: client $c: the server's digest matches" \
    grep -qxE "client$c: $DOC sent in 3 chunks: server digest 0x[0-9a-f]{8}, matches" "$O"
  check "msg: client $c: an empty queue with IPC_NOWAIT is ENOMSG" \
    line "$O" "server: client $c: queue drained: -1, ENOMSG"
done
check "msg: nothing wrong or corrupt" sh -c "! grep -qE 'WRONG|CORRUPT|unexpected' '$O'"
check "msg: the server ends" line "$O" "server: done"

# --- every run: exit 0, no sandbox refusal, no panic or fault, identical twice --------------
for r in $RUNS; do
  check "$r: exits 0" rc_is "$r" 0
  check "$r: no forbidden host system call" lacks "$WORK/$r.err" "forbidden host system call"
  check "$r: no panic, fault or stuck task" \
    sh -c "! grep -qiE 'kernel panic|fault|stuck' '$WORK/$r.err'"
  case $r in
  *.again)
    check "${r%.again}: identical on a second run" cmp "$WORK/${r%.again}.out" "$WORK/$r.out" ;;
  esac
done
done_testing
