#!/bin/sh
# The hostile suite (run.sh) again, with the daemon under valgrind's memcheck: every attack
# still fails the same way, and no run of the daemon has an invalid access, a use of an
# uninitialised value or a definite leak (issue: a valgrind-clean daemon over the hostile
# suite). memcheck writes to its own log per daemon (--log-file), so the daemon's messages,
# which run.sh checks, are unchanged. Tasks are not followed (see
# tests/integration/valgrind.sh for why the daemon can run under valgrind at all).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
if ! command -v valgrind >/dev/null 2>&1; then
  not_ok "valgrind is installed (bootstrap.sh installs it)"
  done_testing
fi
VG="valgrind --trace-children=no --child-silent-after-fork=yes --leak-check=full \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite --log-file=$WORK/vg.%p.log"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$VG" "$SENTRY_SIM" >"$WORK/vg-sim"
chmod +x "$WORK/vg-sim"
rc=0
SENTRY_SIM="$WORK/vg-sim" sh "$top_srcdir/tests/hostile/run.sh" >"$WORK/suite.tap" 2>&1 || rc=$?
plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$WORK/suite.tap")
check "the hostile suite passes with the daemon under memcheck" [ "$rc" -eq 0 ]
check "every one of its checks ran and passed ($plan)" \
  sh -c "[ -n '$plan' ] && [ \$(grep -c '^ok' '$WORK/suite.tap') -eq '$plan' ]"
logs=$(ls "$WORK"/vg.*.log 2>/dev/null | wc -l)
check "memcheck ran the daemon of each attack ($logs runs)" [ "$logs" -ge 50 ]
check "every run's memcheck summary was written" \
  [ "$(cat "$WORK"/vg.*.log | grep -c 'ERROR SUMMARY:')" -eq "$logs" ]
bad=$(grep -l 'ERROR SUMMARY: [1-9]' "$WORK"/vg.*.log 2>/dev/null | head -3)
[ -z "$bad" ] || sed -n '1,60p' $bad | sed 's/^/# /'
check "no run of the daemon had a memcheck error (invalid access, uninitialised value, definite leak)" \
  [ -z "$bad" ]
done_testing
