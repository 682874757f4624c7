#!/bin/sh
# Every scenario under scenarios/ passes: `sentry-sim test` prints the TAP itself.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SENTRY_SIM:=$top_builddir/sentry-sim}"
# In a VPATH build the task binaries live under the build tree: point at each scenario's.
set --
for d in "$top_builddir"/scenarios/*/; do set -- "$@" -I "$d"; done
# The Rust task of scenarios/rust-ipc is built only when configure found cargo: without
# it, every other scenario directory is given (tests/integration/rust.sh reports the skip).
if [ -x "$top_builddir/scenarios/rust-ipc/pinger" ]; then
  set -- "$@" "$top_srcdir/scenarios"
else
  for d in "$top_srcdir"/scenarios/*/; do
    case "$d" in */rust-ipc/) ;; *) set -- "$@" "$d" ;; esac
  done
fi
exec "$SENTRY_SIM" test -j 2 --timeout 120 "$@"
