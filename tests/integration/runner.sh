#!/bin/sh
# sentry-sim test as a CI runner: TAP read by prove (TAP::Parser) and by automake's TAP driver,
# JUnit checked against the Jenkins/Surefire schema and read by python3-junitparser, one point
# per expectation, errors apart from failures, timeouts, selection, shards and their merge,
# kept records, the summary and the progress line.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
XSD="$DATA/junit.xsd"
# A suite with a passing, a failing, an erroring (does not load) and an odd-path scenario: the
# path holds '#' and TODO, which a TAP consumer must not read as a directive.
cp -R "$DATA/suite" "$WORK/suite"
mv "$WORK/suite/sub/odd.ini" "$WORK/suite/sub/odd # TODO.ini"
SUITE="$WORK/suite"

rc=0
"$SENTRY_SIM" test -j 2 -I "$TASKS" --junit "$WORK/all.xml" --keep-failed "$WORK/kept" \
  "$SUITE" >"$WORK/tap" 2>"$WORK/err" || rc=$?
check "an error in the suite makes it exit 99" test "$rc" = 99
check "TAP 13 by default, with a plan" sh -c "head -2 '$WORK/tap' | tr '\n' ' ' | grep -qx 'TAP version 13 1..4 '"
check "the '#' of a path is escaped" has "$WORK/tap" 'sub/odd \# TODO.ini'
check "a subtest per scenario, a point per expectation" sh -c "grep -A4 '^    # Subtest: .*/pass.ini' '$WORK/tap' | grep -c '^    ok [123] - expect\.' | grep -qx 3"
check "a failed expectation names what was expected and observed, and when" sh -c "grep -A9 '^    not ok 2 - expect.never' '$WORK/tap' | grep -q 'at: \"6us\"' && grep -A9 '^    not ok 2 - expect.never' '$WORK/tap' | grep -q 'observed: \"'\"'\"'chatterTwo'\"'\"' logged'"
check "an expectation the run never reached is a SKIP, with the reason" has "$WORK/tap" "    ok 3 - expect.ends # SKIP not evaluated: the run stopped at 7us by this failure"
check "a load error is an error of the run, with its message" sh -c "grep -A3 '^    not ok 1 - run' '$WORK/tap' | grep -q 'message: \"load error: .*broken.ini:6: binary '\"'\"'no-such-binary'\"'\"' not found'"

# prove (TAP::Parser) reads it with the right counts, and the '#' path is no TODO.
cat >"$WORK/count.pl" <<'EOF'
use TAP::Parser;
local $/; my $tap = <STDIN>;
my $p = TAP::Parser->new({ tap => $tap });
while (my $r = $p->next) { }
printf "version=%d tests=%d passed=%d failed=%d todo=%d skipped=%d errors=%d\n",
  $p->version, $p->tests_run, scalar($p->passed), scalar($p->failed), scalar($p->todo),
  scalar($p->skipped), scalar($p->parse_errors);
print "error: $_\n" for $p->parse_errors;
EOF
if command -v prove >/dev/null && perl -MTAP::Parser -e1 2>/dev/null; then
  perl "$WORK/count.pl" <"$WORK/tap" >"$WORK/counts"
  check "TAP::Parser: 4 tests, 1 passed, 3 failed, no TODO, no parse error" has "$WORK/counts" "version=13 tests=4 passed=1 failed=3 todo=0 skipped=0 errors=0"
  rc=0; prove --exec cat "$WORK/tap" >"$WORK/prove" 2>&1 || rc=$?
  check "prove reads the stream and fails the suite" sh -c "test $rc != 0 && grep -q 'Tests: 4 Failed: 3' '$WORK/prove' && ! grep -qi 'parse error' '$WORK/prove'"
else
  not_ok "prove (Debian perl) is missing: bootstrap.sh installs it"
fi

# automake's TAP driver reads it with the same counts.
rc=0
env AM_TAP_AWK="${AWK:-awk}" sh "$top_srcdir/build-aux/tap-driver.sh" --test-name suite \
  --log-file "$WORK/drv.log" --trs-file "$WORK/drv.trs" --color-tests no \
  --expect-failure no --enable-hard-errors yes -- cat "$WORK/tap" >"$WORK/drv.out" 2>&1 || rc=$?
check "tap-driver.sh: 1 PASS, 3 FAIL, no XFAIL or SKIP" sh -c "test \$(grep -c '^:test-result: PASS' '$WORK/drv.trs') = 1 && test \$(grep -c '^:test-result: FAIL' '$WORK/drv.trs') = 3 && ! grep -q '^:test-result: \(XFAIL\|XPASS\|SKIP\|ERROR\)' '$WORK/drv.trs'"
check "tap-driver.sh: the suite fails" has "$WORK/drv.trs" ":global-test-result: FAIL"
check "tap-driver.sh: the odd path is a FAIL, not a TODO" sh -c "grep -q '^FAIL: suite [0-9] - .*sub/odd \\\\# TODO.ini' '$WORK/drv.out'"

"$SENTRY_SIM" test --tap-version 14 -I "$TASKS" "$SUITE/pass.ini" >"$WORK/tap14" 2>/dev/null
check "--tap-version 14" sh -c "head -1 '$WORK/tap14' | grep -qx 'TAP version 14'"
rc=0; "$SENTRY_SIM" test --tap-version 12 "$SUITE" >/dev/null 2>&1 || rc=$?
check "--tap-version 12 is refused (bad input, 2)" test "$rc" = 2

# JUnit: valid against the schema, a test case per expectation, failures and errors apart.
if command -v xmllint >/dev/null; then
  check "JUnit validates against the Jenkins/Surefire schema" xmllint --noout --schema "$XSD" "$WORK/all.xml" 2>/dev/null
  printf '<testsuites><testsuite name="x" tests="1" failures="0" errors="0"><testcase classname="c"/></testsuite></testsuites>\n' >"$WORK/bad.xml"
  check "the schema refuses a test case without a name" sh -c "! xmllint --noout --schema '$XSD' '$WORK/bad.xml' 2>/dev/null"
else
  not_ok "xmllint (libxml2-utils) is missing: bootstrap.sh installs it"
fi
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
cat >"$WORK/junit.py" <<'EOF'
import sys
from junitparser import JUnitXml, Failure, Error, Skipped
for suite in JUnitXml.fromfile(sys.argv[1]):
    for case in suite:
        kinds = [r for r in case.result]
        what = ",".join("%s:%s" % (type(r).__name__, r.type or "") for r in kinds) or "ok"
        print("%s|%s|%s|%s" % (suite.name.split("/")[-1], case.name, what,
                               " ".join((r.message or "") for r in kinds)))
EOF
if "$PY" -c 'import junitparser' 2>/dev/null; then
  "$PY" "$WORK/junit.py" "$WORK/all.xml" >"$WORK/cases"
  check "junitparser: a test case per expectation of pass.ini" sh -c "grep -c '^pass.ini|expect\.[a-z]*|ok|' '$WORK/cases' | grep -qx 3"
  check "junitparser: the failed expectation is named, with expected, observed and the time" has "$WORK/cases" "fail.ini|expect.never|Failure:expectation|expect.never failed at 6us: expected never log(chatterTwo, /random 0x[0-9a-f]+ \\(6\\)/); observed 'chatterTwo' logged \"0: random 0x00000000 (6) at 5 us\" at 6us"
  check "junitparser: the odd path's expectation is a failure" sh -c "grep -q '^odd # TODO.ini|expect.nothing|Failure:expectation|expect.nothing failed at' '$WORK/cases'"
  check "junitparser: the load error is an <error>, not a failure" sh -c "grep -q '^broken.ini|run|Error:load-error|load error: ' '$WORK/cases'"
  check "junitparser: not evaluated is <skipped>" sh -c "grep -q '^fail.ini|expect.ends|Skipped:|not evaluated' '$WORK/cases'"
else
  skip_reason="python3-junitparser is not installed"
  tap_n=$((tap_n + 1)); echo "ok $tap_n - junitparser checks # SKIP $skip_reason"
fi

# The summary for people names each failed expectation and the kept record.
check "summary: the failed expectation, where and when" has "$WORK/err" "fail.ini:19: expect.never failed at 6us"
check "summary: the record of the failed run" has "$WORK/err" "record: $WORK/kept/fail.rec"
check "summary: the totals" has "$WORK/err" "sentry-sim test: 4 scenarios: 1 passed, 2 failed, 1 errors, 0 skipped"
check "--keep-failed keeps the record of failures only" sh -c "test -s '$WORK/kept/fail.rec' && test -s '$WORK/kept/sub__odd # TODO.rec' && ! test -e '$WORK/kept/pass.rec'"
check "a kept record replays identically" sh -c "'$SENTRY_SIM' replay -I '$TASKS' '$WORK/kept/fail.rec' | grep -q '^replay: identical'"
check "no progress line when stderr is no terminal" sh -c "! grep -q \"\$(printf '\\r')\" '$WORK/err'"
if script -qec true /dev/null >/dev/null 2>&1; then
  script -qec "'$SENTRY_SIM' test -I '$TASKS' '$SUITE/pass.ini' '$SUITE/fail.ini' >'$WORK/tty.tap'" "$WORK/tty" >/dev/null 2>&1 </dev/null
  check "a progress line on a terminal: count, failures, elapsed" sh -c "grep -q '\[2/2\] 1 failed, [0-9.]* s' '$WORK/tty'"
  check "the progress line never reaches the TAP" sh -c "! grep -q 'failed, [0-9.]* s' '$WORK/tty.tap'"
fi

# A timeout says so, and a slow case holds back no other: TAP lines come as runs end.
rc=0
"$SENTRY_SIM" test -j 2 --timeout 2 -I "$TASKS" --junit "$WORK/slow.xml" "$DATA/spin.ini" \
  "$SUITE/pass.ini" >"$WORK/slow" 2>"$WORK/slow.err" || rc=$?
check "a timeout is an error (99)" test "$rc" = 99
check "the quick case is reported first, although given second" sh -c "grep -E '^(not )?ok' '$WORK/slow' | head -1 | grep -q '^ok 1 - .*pass.ini'"
check "the timeout says timeout" has "$WORK/slow" 'message: "timeout: the run took longer than 2 s (wall clock) and was killed"'
check "JUnit keeps the suite order and the timeout is an <error type=timeout>" sh -c "grep -o '<testsuite name=\"[^\"]*\"' '$WORK/slow.xml' | head -1 | grep -q spin.ini && grep -q '<error type=\"timeout\" message=\"timeout: ' '$WORK/slow.xml'"
check "no 'exit status -1'" lacks "$WORK/slow.xml" "exit status -1"

# Selection: --filter, --tag, --list.
"$SENTRY_SIM" test --list --filter '*pass*' "$SUITE" >"$WORK/l1"
check "--filter GLOB" sh -c "test \"\$(cat '$WORK/l1')\" = '$SUITE/pass.ini'"
"$SENTRY_SIM" test --list --tag chatter "$SUITE" >"$WORK/l2"
check "--tag TAG: the scenarios that declare it" sh -c "test \"\$(cat '$WORK/l2' | tr '\n' ' ')\" = '$SUITE/fail.ini $SUITE/pass.ini '"
"$SENTRY_SIM" test --list --tag smoke --tag none "$SUITE" >"$WORK/l3"
check "--tag twice: either" sh -c "test \"\$(cat '$WORK/l3')\" = '$SUITE/pass.ini'"
rc=0
printf '[system]\ntags = smoke/slow\n[task chatterOne]\nbinary = probe\nlabel = 1\n' >"$WORK/badtag.ini"
"$SENTRY_SIM" run -I "$TASKS" "$WORK/badtag.ini" >/dev/null 2>"$WORK/badtag.err" || rc=$?
check "a bad tag is refused where it is written" sh -c "test $rc = 2 && grep -q 'badtag.ini:2: tags: ' '$WORK/badtag.err'"

# Shards: 1/3, 2/3 and 3/3 partition the suite; the same shares every time.
ALL="$SUITE $top_srcdir/scenarios"
"$SENTRY_SIM" test --list $ALL | sort >"$WORK/whole"
: >"$WORK/shards"
for i in 1 2 3; do
  "$SENTRY_SIM" test --list --shard $i/3 $ALL >"$WORK/shard$i"
  cat "$WORK/shard$i" >>"$WORK/shards"
done
check "shards 1/3, 2/3, 3/3: disjoint, and together the whole suite" sh -c "sort '$WORK/shards' | cmp -s - '$WORK/whole' && test \$(sort -u '$WORK/shards' | wc -l) = \$(wc -l <'$WORK/shards')"
check "shards: every share holds something here" sh -c "test -s '$WORK/shard1' && test -s '$WORK/shard2' && test -s '$WORK/shard3'"
"$SENTRY_SIM" test --list --shard 2/3 $ALL >"$WORK/shard2again"
check "shards are stable" cmp -s "$WORK/shard2" "$WORK/shard2again"
rc=0; "$SENTRY_SIM" test --shard 4/3 "$SUITE" >/dev/null 2>&1 || rc=$?
check "--shard 4/3 is refused (bad input, 2)" test "$rc" = 2

# Merge: the shards' JUnit files recombine into the suite's.
for i in 1 2 3; do
  "$SENTRY_SIM" test --shard $i/3 -I "$TASKS" --junit "$WORK/s$i.xml" "$SUITE" >/dev/null 2>&1 || true
done
"$SENTRY_SIM" test --merge "$WORK/merged.xml" "$WORK/s3.xml" "$WORK/s1.xml" "$WORK/s2.xml"
if command -v xmllint >/dev/null; then
  check "merged JUnit validates" xmllint --noout --schema "$XSD" "$WORK/merged.xml" 2>/dev/null
fi
check "merged: the suite's scenarios, in suite order" sh -c "test \"\$(grep -o '<testsuite name=\"[^\"]*\"' '$WORK/merged.xml')\" = \"\$(grep -o '<testsuite name=\"[^\"]*\"' '$WORK/all.xml')\""
check "merged: the suite's totals" sh -c "test \"\$(grep -o '<testsuites [^>]*tests=\"[0-9]*\" failures=\"[0-9]*\" errors=\"[0-9]*\"' '$WORK/merged.xml')\" = \"\$(grep -o '<testsuites [^>]*tests=\"[0-9]*\" failures=\"[0-9]*\" errors=\"[0-9]*\"' '$WORK/all.xml')\""
check "merged: the failure text survives" sh -c "grep -q 'expect.never failed at 6us' '$WORK/merged.xml'"
rc=0; "$SENTRY_SIM" test --merge "$WORK/m2.xml" "$WORK/tap" >/dev/null 2>"$WORK/merr" || rc=$?
check "--merge of a file that is no XML is bad input (2), named" sh -c "test $rc = 2 && grep -q '$WORK/tap' '$WORK/merr'"

"$SENTRY_SIM" test --help >"$WORK/help"
check "--help shows the new options" sh -c "for o in --filter --tag --list --shard --merge --keep-failed --tap-version; do grep -q -- \"\$o\" '$WORK/help' || exit 1; done"
done_testing
