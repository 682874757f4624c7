#!/bin/sh
# The daemon under valgrind's memcheck (issue: a valgrind-clean daemon): the default
# scenario (scenarios/hello) and one refused attack (the boundary's diagnosis path), with
# no invalid read or write, no use of uninitialised memory and no definite leak in the
# daemon. Task processes are not followed (--trace-children=no): each starts as the
# confinement helper, exec'd at once by posix_spawn, so the daemon's own image never runs
# the boundary's set-up (valgrind does not support seccomp(2)). The forked holder of a
# binary's root is silent (--child-silent-after-fork): it exits without freeing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
if ! command -v valgrind >/dev/null 2>&1; then
  not_ok "valgrind is installed (bootstrap.sh installs it)"
  done_testing
fi
VG="valgrind --trace-children=no --child-silent-after-fork=yes --error-exitcode=99 \
  --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
REAL_SIM=$SENTRY_SIM
SENTRY_SIM="$WORK/vg-sim"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$VG" "$REAL_SIM" >"$SENTRY_SIM"
chmod +x "$SENTRY_SIM"

clean() { # NAME: valgrind found nothing in the daemon
  ! grep -qE 'Invalid (read|write)|uninitialised|definitely lost in|ERROR SUMMARY: [1-9]' "$WORK/$1.err"
}

sim hello run -q "$top_srcdir/scenarios/hello/hello.ini"
check "hello under memcheck: exit 0 (99 would be a memcheck error)" rc_is hello 0
check "hello under memcheck: the tasks ran" has "$WORK/hello.out" "hello: goodbye at 300 ms"
check "hello under memcheck: no invalid access, no definite leak" clean hello

printf '[task survivor]\nbinary = %s\nlabel = 1\npriority = 1\n\n[task pre_exec_sh]\nbinary = %s\nlabel = 2\npriority = 5\n' \
  "$top_builddir/tests/integration/tasks/probe" "$top_builddir/tests/hostile/hostile" >"$WORK/attack.ini"
sim attack run "$WORK/attack.ini"
check "an attack under memcheck: exit 1 (the attacker faulted), not 99" rc_is attack 1
check "an attack under memcheck: the boundary's refusal is named" \
  has "$WORK/attack.err" "the boundary refused host system call 'execve'"
check "an attack under memcheck: no invalid access, no definite leak" clean attack
done_testing
