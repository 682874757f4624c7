#!/bin/sh
# symbolize_offsets(): (ELF file, offset) pairs, as a sanitizer prints its frames, name the
# same function and line as binutils' addr2line (an independent reader of the same DWARF).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
BIN="$top_builddir/tests/devtools"
LOOKUP="$BIN/symbol-lookup"
TASK="$BIN/debug-task"
if ! command -v addr2line >/dev/null 2>&1 || ! command -v nm >/dev/null 2>&1; then
  echo "1..0 # SKIP binutils (addr2line, nm) is not installed"
  exit 0
fi
# a PIE's offsets are its link-time addresses
for fn in crash_now deeper step; do
  addr=$(nm "$TASK" | sed -n "s/^\([0-9a-f]*\) T $fn\$/\1/p")
  off=$(printf '0x%x' $((0x$addr + 4)))
  "$LOOKUP" "$TASK" "$off" >"$WORK/$fn.out" 2>"$WORK/$fn.err"
  addr2line -f -e "$TASK" "$off" >"$WORK/$fn.ref"
  want="$(sed -n 1p "$WORK/$fn.ref") $(sed -n 2p "$WORK/$fn.ref" | sed 's|.*/||; s| (discriminator [0-9]*)||')"
  got=$(sed 's| [^ ]*/| |' "$WORK/$fn.out")
  check "$fn+4 ($off): as addr2line says ($want)" [ "$got" = "$want" ]
done
# a clang-built task: its unit has no .debug_aranges while the runtime's (gcc) do, so the
# address lookup must not trust the table alone (it named uapi/src/runtime.c for every frame)
CL="$WORK/clang-task"
if ! command -v clang >/dev/null 2>&1; then
  check "clang is installed (bootstrap.sh installs it)" false
elif ! PKG_CONFIG_PATH="$top_builddir" clang -g -O1 "$top_srcdir/tests/devtools/debug-task.c" \
    $(PKG_CONFIG_PATH="$top_builddir" pkg-config --cflags --libs sentry-uapi) -o "$CL" 2>"$WORK/clang.err"; then
  check "the task builds with clang" false
else
  for fn in crash_now deeper step; do
    addr=$(nm "$CL" | sed -n "s/^\([0-9a-f]*\) [Tt] $fn\$/\1/p")
    off=$(printf '0x%x' $((0x$addr + 4)))
    "$LOOKUP" "$CL" "$off" >"$WORK/cl-$fn.out" 2>&1
    want="$(addr2line -f -e "$CL" "$off" | sed -n 2p | sed 's|.*/||; s| (discriminator [0-9]*)||')"
    check "clang: $fn+4 is at $want, as addr2line says" grep -q "^$fn .*/$want\$" "$WORK/cl-$fn.out"
  done
fi
# an offset in inlined code: the inlined function, then the one it was inlined into (as
# addr2line -i says)
off=$(printf '0x%x' $((0x$(nm "$TASK" | sed -n 's/^\([0-9a-f]*\) t inliner$/\1/p'))))
i=0
while [ $i -lt 64 ] && [ "$(addr2line -i -e "$TASK" "$off" | wc -l)" -lt 2 ]; do
  off=$(printf '0x%x' $((off + 1))); i=$((i + 1))
done
addr2line -f -i -e "$TASK" "$off" | paste - - | sed 's|\t.*/| |; s| (discriminator [0-9]*)||' >"$WORK/inl.ref"
"$LOOKUP" "$TASK" "$off" | sed 's| [^ ]*/| |' >"$WORK/inl.out"
check "inlined code at $off: poke, then inliner, as addr2line -i says" sh -c "grep -q '^poke ' '$WORK/inl.ref' && cmp '$WORK/inl.ref' '$WORK/inl.out'"
"$LOOKUP" "$TASK" 0x0 0x1 >"$WORK/many.out" 2>&1
check "one frame per offset" [ "$(wc -l <"$WORK/many.out")" -eq 2 ]
rc=0; "$LOOKUP" "$WORK/none" 0x10 >"$WORK/none.out" 2>"$WORK/none.err" || rc=$?
check "a missing file is an error" [ "$rc" -eq 2 ]
check "with a message" has "$WORK/none.err" "symbol-lookup: symbolizer:"
printf 'not an ELF file\n' >"$WORK/junk"
rc=0; "$LOOKUP" "$WORK/junk" 0x10 >"$WORK/junk.out" 2>"$WORK/junk.err" || rc=$?
check "a file that is not ELF is an error, not a crash" [ "$rc" -eq 2 ]
done_testing
