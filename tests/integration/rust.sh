#!/bin/sh
# Rust tasks (docs/rust.md): the sentry-uapi crate's unit tests (systypes against the C
# headers included), scenarios/rust-ipc (a Rust task and a C task over IPC, both sides
# checked, same seed same bytes), and the sandbox on Rust tasks: std's start runs, while
# opening a file or writing to stdout is still a fault that names the call. Skipped only
# when configure found no cargo (bootstrap.sh installs Debian's).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
: "${CARGO:=$(command -v cargo || true)}"
if [ -z "$CARGO" ]; then echo "1..0 # SKIP cargo not found (bootstrap.sh installs it)"; exit 0; fi
CONFIG="$top_builddir/rust/config-build.toml"
TARGET="$top_builddir/rust/target"
S="$top_srcdir/scenarios/rust-ipc"; B="$top_builddir/scenarios/rust-ipc"

# --- the crate's unit tests, in a copy (cargo writes Cargo.lock beside Cargo.toml) -------
cp -R "$top_srcdir/rust/sentry-uapi" "$WORK/uapi-crate" && chmod -R u+w "$WORK/uapi-crate"
SENTRY_UAPI_CFLAGS="-I$top_srcdir/uapi/include -I$top_builddir/uapi/include" \
  SENTRY_UAPI_LIBS="-L$top_builddir/uapi/.libs" "$CARGO" test --offline --manifest-path "$WORK/uapi-crate/Cargo.toml" \
  --target-dir "$TARGET" >"$WORK/cargo-test.out" 2>&1
check "cargo test: the crate's unit tests pass" has "$WORK/cargo-test.out" "test result: ok."
check "cargo test: systypes values and record layouts equal the C headers'" \
  has "$WORK/cargo-test.out" "test systypes::tests::systypes_match_c_headers ... ok"
check "cargo test: a status beyond the ABI is refused" \
  has "$WORK/cargo-test.out" "a_status_beyond_the_abi_is_a_broken_invariant - should panic ... ok"

# --- scenarios/rust-ipc: both sides, and determinism ---------------------------------------
check "the Rust task was built by make (patch recipe, cargo --offline)" test -x "$B/pinger"
sim ipc run -I "$B" "$S/rust-ipc.ini"
sim ipc2 run -I "$B" "$S/rust-ipc.ini"
sim ipc7 run --seed 7 -I "$B" "$S/rust-ipc.ini"
check "rust-ipc: the script's expectations hold (exit 0)" rc_is ipc 0
check "rust-ipc: the Rust side checked five checksums" has "$WORK/ipc.out" "pinger: 5 of 5 checksums match"
check "rust-ipc: the C side answered five messages, then bye" \
  has "$WORK/ipc.out" "summer: bye after 5 messages"
n=$(grep -c '^summer: message [1-5]: ' "$WORK/ipc.out")
check "rust-ipc: summer logged five messages ($n)" test "$n" = 5
check "rust-ipc: each side's checksum of message 3 is the other's" sh -c "
  c=\$(sed -n 's/^summer: message 3: .*checksum \([0-9a-f]*\) .*/\1/p' '$WORK/ipc.out')
  test -n \"\$c\" && grep -q \"^pinger: message 3: .*checksum \$c from summer, \$c here: match\" '$WORK/ipc.out'"
check "rust-ipc: same seed, same bytes (task output)" cmp "$WORK/ipc.out" "$WORK/ipc2.out"
check "rust-ipc: same seed, same reports" cmp "$WORK/ipc.err" "$WORK/ipc2.err"
check "rust-ipc: another seed, other bytes" sh -c "! cmp -s '$WORK/ipc.out' '$WORK/ipc7.out'"
check "rust-ipc: another seed still passes its script" rc_is ipc7 0

# --- the sandbox on Rust tasks --------------------------------------------------------------
cp -R "$top_srcdir/tests/integration/rust-tasks/intruder" "$WORK/intruder" &&
  chmod -R u+w "$WORK/intruder"
"$CARGO" build --offline --quiet --config "$CONFIG" --target-dir "$TARGET" \
  --manifest-path "$WORK/intruder/Cargo.toml" >"$WORK/intruder-build.out" 2>&1
check "the intruder tasks build with the patch recipe" test -x "$TARGET/debug/open-file"
# task NAME BINARY: a one-task description for BINARY.
task() {
  printf '[system]\nseed = 1\n\n[task %s]\nbinary = %s\nlabel = 0x10\n' "$1" "$2" >"$WORK/$1.ini"
  sim "$1" run -I "$TARGET/debug" "$WORK/$1.ini"
}
task opener open-file
check "a Rust task opening a file is faulted, the call named" \
  has "$WORK/opener.err" "task 'opener': fault: forbidden host system call 'openat'"
check "... and runs no further" lacks "$WORK/opener.out" "still running"
task writer stdout
check "a Rust task writing to stdout is faulted, the call named" \
  has "$WORK/writer.err" "task 'writer': fault: forbidden host system call 'write'"
check "... its shield::println! before it was logged" has "$WORK/writer.out" "writer: stdout: about to print"
check "... and the host's stdout got nothing from it" lacks "$WORK/writer.out" "must not appear"
task panicker panics
check "a Rust panic is a fault too: std's message to stderr is refused, the call named" \
  has "$WORK/panicker.err" "task 'panicker': fault: forbidden host system call 'write'"
check "... after the task's last logged line" has "$WORK/panicker.out" "panicker: panics: about to index 4"
task quiet no-call
check "a Rust task making no Sentry call still boots through libsentry-uapi and ends" \
  sh -c "grep -Eq '^quiet +0x00000010 +0x[0-9a-f]+ +FINISHED +0' '$WORK/quiet.out'"
check "... with no fault" lacks "$WORK/quiet.err" "fault"
done_testing
