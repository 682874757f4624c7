#!/bin/sh
# Every scenario under scenarios/ passes: `sentry-sim test` prints the TAP itself.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SENTRY_SIM:=$top_builddir/sentry-sim}"
# In a VPATH build the task binaries live under the build tree: point at each scenario's.
set --
for d in "$top_builddir"/scenarios/*/; do set -- "$@" -I "$d"; done
exec "$SENTRY_SIM" test -j 2 --timeout 120 "$@" "$top_srcdir/scenarios"
