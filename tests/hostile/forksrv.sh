#!/bin/sh
# Fork servers (sim/host/forksrv.c, docs/architecture.md "Fork servers"): the hostile suite
# (run.sh) again with every task process a clone of its binary's fork server (run
# --fork-server), where every attack must still fail the same way; then what is particular
# to a server: the code that runs in it before the fork point (an attacker's own server
# loop keeping a pipe or a shared mapping in its instance, or forking or signalling after
# its hello), abort() in an instance, and every instance starting from the binary's data.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
H="$top_builddir/tests/hostile/hostile"
PROBE="$top_builddir/tests/integration/tasks/probe"
REAL_SIM=$SENTRY_SIM
printf '#!/bin/sh\nif [ "$1" = run ]; then shift; exec "%s" run --fork-server "$@"; fi\nexec "%s" "$@"\n' \
  "$REAL_SIM" "$REAL_SIM" >"$WORK/fs-sim"
chmod +x "$WORK/fs-sim"
rc=0
SENTRY_SIM="$WORK/fs-sim" sh "$top_srcdir/tests/hostile/run.sh" >"$WORK/suite.tap" 2>&1 || rc=$?
plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$WORK/suite.tap")
[ "$rc" -eq 0 ] || grep -A12 '^not ok' "$WORK/suite.tap" | sed 's/^/# /'
check "the hostile suite passes with its tasks started from fork servers" [ "$rc" -eq 0 ]
check "every one of its checks ran and passed ($plan)" \
  sh -c "[ -n '$plan' ] && [ \$(grep -c '^ok' '$WORK/suite.tap') -eq '$plan' ]"

# system NAME: the peer (probe's survivor) and the attack NAME
system() {
  printf '[task survivor]\nbinary = %s\nlabel = 1\npriority = 1\n\n[task %s]\nbinary = %s\nlabel = 2\npriority = 5\n' \
    "$PROBE" "$1" "$H" >"$WORK/$1.ini"
}
peer_finished() { has "$WORK/$1.out" "survivor: still running, round 3" && grep -qE "^survivor +0x[0-9a-f]+ 0x[0-9a-f]+ FINISHED +0\$" "$WORK/$1.out"; }
lived() { case "$(cat "$WORK/$1.rc")" in 0|1) return 0 ;; esac; sed 's/^/#   /' "$WORK/$1.err" >&2; return 1; }
lived_and_finished() { lived "$1" && peer_finished "$1"; }
NOT_USED="is not used: an instance was refused:"
# respawning FILE TASK: TASK alone, respawned whenever it exits, for 60 us of virtual time
respawning() {
  printf '[system]\nseed = 3\nduration = 60us\n\n[task %s]\nbinary = %s\nlabel = 0x5000\nexit_mode = restart\n' \
    "$2" "$H" >"$WORK/$1.ini"
}

# An instance that keeps a descriptor or a shared mapping from before the fork point is
# refused before it is given anything; the server is not used again, and the task, started
# with fork and exec, runs (its own loop then finds no server).
for a in "pre_srv_pipe:it holds descriptor 6 (pipe:" "pre_srv_shared:it holds a shared mapping from before the fork point"; do
  n=${a%%:*} why=${a#*:}
  system "$n"
  sim "$n" run --fork-server --watchdog 2000 "$WORK/$n.ini"
  check "$n: the instance is refused, named ($why)" has "$WORK/$n.err" "$NOT_USED $why"
  check "$n: nothing escaped; the task ran, started with fork and exec" \
    sh -c "! grep -q ESCAPED '$WORK/$n.out' && grep -q '$n: held: started with fork and exec' '$WORK/$n.out'"
  check "$n: the daemon lived, the peer finished" lived_and_finished "$n"
done

# An instance that passed the checks, then (before the runtime's boot: no fidelity check
# yet) forks or signals the server: its server's boundary refuses, the daemon names it.
for a in pre_srv_fork:clone pre_srv_kill:kill; do
  n=${a%%:*} call=${a#*:}
  system "$n"
  sim "$n" run --fork-server --watchdog 2000 "$WORK/$n.ini"
  check "$n: refused and named" has "$WORK/$n.err" "task '$n': fault: the process did not start: the boundary refused host system call '$call'"
  check "$n: it was an instance (the server is still in use)" lacks "$WORK/$n.err" "is not used"
  check "$n: nothing escaped" lacks "$WORK/$n.out" ESCAPED
  check "$n: the daemon lived, the peer finished" lived_and_finished "$n"
done

# Each server forks its next instance ahead of time and checks it while the daemon waits
# (a spare): a server whose first instance is clean and whose later ones keep a pipe has
# the first one used, the next one refused before it is given anything, and is not used
# again; the task's later jobs start with fork and exec.
respawning later pre_srv_later
sim later run --fork-server "$WORK/later.ini"
check "pre_srv_later: the first job ran in the server's instance" \
  sh -c "head -n 3 '$WORK/later.out' | grep -q 'pre_srv_later: an instance of the server loop'"
check "pre_srv_later: the next instance is refused, named" \
  has "$WORK/later.err" "$NOT_USED it holds descriptor 6 (pipe:"
check "pre_srv_later: only the first job was an instance; at least 3 more, with fork and exec" \
  sh -c "[ \$(grep -c 'an instance of the server loop' '$WORK/later.out') -eq 1 ] &&
         [ \$(grep -c 'not an instance; held: started with fork and exec' '$WORK/later.out') -ge 3 ]"
check "pre_srv_later: nothing escaped, the run passed" \
  sh -c "! grep -q ESCAPED '$WORK/later.out' && [ \$(cat '$WORK/later.rc') -eq 0 ]"

# abort() in an instance (its signal to itself goes through the daemon) is diagnosed as in
# a process started with fork and exec.
system main_abort
sim abort.fs run --fork-server "$WORK/main_abort.ini"
sim abort.fe run "$WORK/main_abort.ini"
check "main_abort: diagnosed as abort() in an instance" has "$WORK/abort.fs.err" "task 'main_abort': fault: abort() (SIGABRT)"
check "main_abort: the same output as with fork and exec" \
  sh -c "cmp -s '$WORK/abort.fs.out' '$WORK/abort.fe.out' && cmp -s '$WORK/abort.fs.err' '$WORK/abort.fe.err'"

# Every respawned job of a task is a new instance that starts from the binary's data: a
# global it increments reads 1 in each.
respawning fresh fresh
sim fresh.fs run --fork-server "$WORK/fresh.ini"
sim fresh.fe run "$WORK/fresh.ini"
check "fresh: at least 3 jobs, each a fork server's instance" \
  sh -c "[ \$(grep -c 'fresh: run 1 of this process, a fork server.s instance' '$WORK/fresh.fs.out') -ge 3 ]"
check "fresh: no job sees an earlier job's write to a global" lacks "$WORK/fresh.fs.out" "fresh: run 2"
check "fresh: without --fork-server, processes started with fork and exec" \
  has "$WORK/fresh.fe.out" "fresh: run 1 of this process, started with fork and exec"
same_but_instance() {
  sed 's/a fork server.s instance/started with fork and exec/' "$WORK/$1.out" >"$WORK/$1.as-fe"
  diff "$WORK/$1.as-fe" "$WORK/$2.out" >"$WORK/$1.diff" && return 0
  sed 's/^/#   /' "$WORK/$1.diff" "$WORK/$1.err" >&2
  return 1
}
check "fresh: otherwise the same output" same_but_instance fresh.fs fresh.fe
done_testing
