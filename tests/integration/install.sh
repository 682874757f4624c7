#!/bin/sh
# A new user's first hour, against an installed copy only: `make install` into a DESTDIR
# under the test's directory, build a two-task system with the documented pkg-config line
# (README "Writing a task"), run it with the installed sentry-sim; then the link corner
# cases (a task with no UAPI call under --as-needed, an entry without main), shield's
# C-library header names, the build tree's -uninstalled.pc files, the loader's message for
# a task linked with the shared runtime, and the installed `sentry-sim fuzz`.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
: "${MAKE:=make}" "${CC:=cc}"
D="$top_srcdir/tests/integration/data/install"
DEST="$WORK/dest"
if ! $MAKE -s -C "$top_builddir" install DESTDIR="$DEST" >"$WORK/install.log" 2>&1; then
	not_ok "make install DESTDIR=... succeeds"; sed 's/^/#   /' "$WORK/install.log" >&2
	done_testing
fi
ok "make install DESTDIR=... succeeds"
pcdir=$(dirname "$(find "$DEST" -name sentry-uapi.pc | head -1)")
SIM=$(find "$DEST" -path '*/bin/sentry-sim' | head -1)
# The installed .pc names the configured prefix: the sysroot maps it into DESTDIR.
PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$DEST
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
B="$WORK/build"
mkdir -p "$B"
cp "$D"/*.ini "$B"/
# build NAME PKG [EXTRA...]: the README's line, cc task.c $(pkg-config --cflags --libs PKG)
build() {
	local name=$1 pkg=$2; shift 2
	# shellcheck disable=SC2046
	$CC "$@" "$D/$name.c" $(pkg-config --cflags --libs "$pkg") -o "$B/$name" 2>"$WORK/cc-$name.err" ||
		{ sed 's/^/#   /' "$WORK/cc-$name.err" >&2; return 1; }
}
check "ping builds with \$(pkg-config --cflags --libs sentry-uapi)" build ping sentry-uapi
check "pong builds with \$(pkg-config --cflags --libs shield)" build pong shield
check "the tasks need no library path (no libsentry-uapi.so)" sh -c "! ldd '$B/ping' '$B/pong' | grep -q 'libsentry-uapi\|libshield'"
# sim runs $SENTRY_SIM: point it at the installed daemon, and at the installed confinement
# helper (it looks in the configured prefix, not in DESTDIR)
SENTRY_SIM=$SIM
SENTRY_SIM_CONFINE=$(find "$DEST" -path '*/libexec/*/sentry-sim-confine' | head -1)
export SENTRY_SIM_CONFINE
check "the confinement helper is installed in libexec" test -x "$SENTRY_SIM_CONFINE"
sim two run "$B/system.ini"
check "the two-task system runs under the installed sentry-sim: exit 0" rc_is two 0
check "pong received ping's IPC" has "$WORK/two.out" "pong: pong got 6 bytes: ping! (status 0)"
check "<signal.h> in a shield task is shield's: SIGUSR1 is Sentry's 11" has "$WORK/two.out" "SIGUSR1 is 11"
check "a printf without arguments is logged (shield's printf)" has "$WORK/two.out" "pong: pong done"
check "ping's send returned OK" has "$WORK/two.out" "ping: sent"
# -fno-builtin from the .pc: printf("...\n") stays a call to printf, never puts
$CC -c "$D/pong.c" $(pkg-config --cflags shield) -o "$WORK/pong.o"
check "a printf of a line ending in a newline stays printf (never puts)" sh -c "nm -u '$WORK/pong.o' | grep -qw printf && ! nm -u '$WORK/pong.o' | grep -qw puts"
check "a task without UAPI calls builds with -Wl,--as-needed first" build noop sentry-uapi -Wl,--as-needed
check "a task with an entry and no main links" build entry sentry-uapi
sim extra run "$B/extra.ini"
check "the --as-needed task reached the runtime (its exit status 3 is reported)" sh -c "grep -E '^noop +.* 3\$' '$WORK/extra.out'"
check "the entry function ran" has "$WORK/extra.out" "entry: entered without main"
# the shared runtime without a library path: the loader's own message is the cause
# (pkgconf applies the sysroot to variables too)
inc=$(pkg-config --cflags sentry-uapi) libdir=$(pkg-config --variable=libdir sentry-uapi)
# shellcheck disable=SC2086
$CC "$D/ping.c" $inc -L"$libdir" -lsentry-uapi -o "$B/shared"
sim shared run "$B/shared.ini"
check "a task that cannot load libsentry-uapi.so: its fault, exit 1" rc_is shared 1
check "the loader's message is shown" has "$WORK/shared.err" "error while loading shared libraries: libsentry-uapi.so.0"
check "the hint names the loader, not the link" sh -c "grep -q 'dynamic loader' '$WORK/shared.err' && ! grep -q 'is it linked' '$WORK/shared.err'"
# the build tree's -uninstalled.pc files
unset PKG_CONFIG_SYSROOT_DIR
check "PKG_CONFIG_PATH=BUILDDIR builds a task (sentry-uapi-uninstalled.pc)" env PKG_CONFIG_PATH="$top_builddir" sh -c "$CC '$D/ping.c' \$(pkg-config --cflags --libs sentry-uapi) -o '$B/ping'"
check "and a shield task (shield-uninstalled.pc)" env PKG_CONFIG_PATH="$top_builddir" sh -c "$CC '$D/pong.c' \$(pkg-config --cflags --libs shield) -o '$B/pong'"
sim tree run "$B/system.ini"
check "the build tree's tasks run" has "$WORK/tree.out" "pong: pong got 6 bytes: ping!"
# the installed fuzz task is found; a missing one is one clear error
(cd "$WORK" && timeout -k 10 120 "$SIM" fuzz --seed 1 --iterations 2 >"$WORK/fuzz.out" 2>"$WORK/fuzz.err"; echo $? >"$WORK/fuzz.rc")
check "installed sentry-sim fuzz finds its task: exit 0" rc_is fuzz 0
sim nofuzz fuzz --iterations 5 --task "$WORK/no-such-task"
check "a missing fuzz task: exit 2" rc_is nofuzz 2
check "with one error line" sh -c "[ \$(wc -l <'$WORK/nofuzz.err') = 1 ] && grep -q 'not an executable file' '$WORK/nofuzz.err'"
done_testing
