# tap.sh: a few helpers for integration tests that print TAP 14 (sourced).
# Environment (set by the Makefile): SENTRY_SIM, top_srcdir, top_builddir.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SENTRY_SIM:=$top_builddir/sentry-sim}"
DATA="$top_srcdir/tests/integration/data"
TASKS="$top_builddir/tests/integration/tasks"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
tap_n=0
tap_failed=0
echo "TAP version 14"

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $* # SKIP"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=1; echo "not ok $tap_n - $*"; }

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
  local desc=$1; shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# has FILE TEXT: FILE contains TEXT literally (shows the file on failure).
has() {
  if grep -qF -- "$2" "$1"; then return 0; fi
  echo "# expected in $(basename "$1"): $2" >&2
  sed 's/^/#   /' "$1" >&2
  return 1
}

# lacks FILE TEXT
lacks() { ! grep -qF -- "$2" "$1"; }

# sim NAME ARGS...: run sentry-sim, stdout to $WORK/NAME.out, stderr to $WORK/NAME.err,
# exit status to $WORK/NAME.rc. A run that hangs is killed after 60 s.
sim() {
  local name=$1; shift
  local rc=0
  timeout -k 10 60 "$SENTRY_SIM" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
  echo "$rc" >"$WORK/$name.rc"
}

rc_is() { [ "$(cat "$WORK/$1.rc")" = "$2" ] || { echo "# $1: exit status $(cat "$WORK/$1.rc"), expected $2" >&2; sed 's/^/#   /' "$WORK/$1.err" >&2; return 1; }; }

done_testing() { echo "1..$tap_n"; exit $tap_failed; }
