#!/bin/sh
# --record writes the syscall stream; replay re-runs it and reports the first divergence.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
S="$top_srcdir/scenarios/ipc-server/ipc-server.ini"; B="$top_builddir/scenarios/ipc-server"
sim r1 run -q --record "$WORK/a.rec" -I "$B" "$S"
sim r2 run -q --record "$WORK/b.rec" -I "$B" "$S"
check "recording does not change the run" rc_is r1 0
check "the record names the scenario and the seed" sh -c "sed -n '2p;3p' '$WORK/a.rec' | grep -q '^seed 1\$'"
check "every syscall is there with its arguments and exchange bytes" has "$WORK/a.rec" " call clientA send_ipc(11) "
check "returns carry the result and the bytes" sh -c "grep -q ' ret server r0=00000000 exch=' '$WORK/a.rec'"
check "the same seed gives an identical record" cmp "$WORK/a.rec" "$WORK/b.rec"
rc=0; "$SENTRY_SIM" replay -I "$B" "$WORK/a.rec" >"$WORK/replay.out" 2>&1 || rc=$?
check "replay of an unchanged system: identical, exit 0" sh -c "test $rc = 0 && grep -q '^replay: identical' '$WORK/replay.out'"
n=$(grep -n ' ret clientB ' "$WORK/a.rec" | head -1 | cut -d: -f1)
sed "${n}s/ r0=00000000 / r0=00000004 /" "$WORK/a.rec" >"$WORK/bad.rec"
rc=0; "$SENTRY_SIM" replay -I "$B" "$WORK/bad.rec" >"$WORK/bad.out" 2>&1 || rc=$?
check "a changed result: exit 1" test "$rc" = 1
check "the first divergence names the record line and both versions" sh -c "grep -q '^replay: diverged from .* at record line $n:' '$WORK/bad.out' && grep -q 'record: .* ret clientB r0=00000004' '$WORK/bad.out' && grep -q 'this run: .* ret clientB r0=00000000' '$WORK/bad.out'"
# bytes 4 and 5 of that line's exchange area changed: only they are shown, by offset
line=$(sed -n "${n}p" "$WORK/a.rec")
orig=$(echo "$line" | sed 's/.* exch=//' | cut -c9-12)
new=a5a5; [ "$orig" = a5a5 ] && new=5a5a
echo "$line" | sed "s/\( exch=........\)..../\1$new/" >"$WORK/line"
sed "${n}r $WORK/line" "$WORK/a.rec" | sed "${n}d" >"$WORK/bytes.rec"
rc=0; "$SENTRY_SIM" replay -I "$B" "$WORK/bytes.rec" >"$WORK/bytes.out" 2>&1 || rc=$?
check "changed exchange bytes: exit 1" test "$rc" = 1
check "the divergence lists the differing bytes by offset" has "$WORK/bytes.out" "exch bytes 4..5: record $new, this run $orig"
check "... not the whole exchange area" sh -c "! grep -qE '[0-9a-f]{64}' '$WORK/bytes.out'"
head -n $((n - 1)) "$WORK/a.rec" >"$WORK/short.rec"
rc=0; "$SENTRY_SIM" replay -I "$B" "$WORK/short.rec" >"$WORK/short.out" 2>&1 || rc=$?
check "a record that ends early is a divergence too" sh -c "test $rc = 1 && grep -q 'the record ended here' '$WORK/short.out'"
rc=0; "$SENTRY_SIM" replay "$DATA/chatter.ini" >"$WORK/notrec.out" 2>&1 || rc=$?
check "a file that is not a record: exit 2 with file:line" sh -c "test $rc = 2 && grep -q 'chatter.ini:1: not a sentry-sim record' '$WORK/notrec.out'"
done_testing
