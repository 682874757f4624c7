#!/bin/sh
# A fault report names the function and file:line of the fault, with a short backtrace,
# when the task has debug information; without it, the function and the offset.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
DEV="$top_srcdir/tests/devtools"
BIN="$top_builddir/tests/devtools"
line_of() { grep -n "$1" "$DEV/debug-task.c" | cut -d: -f1; }
CRASH=$(line_of '/\* crash here \*/')
CALL=$(line_of '^	crash_now(where);')
sim crash run -I "$BIN" "$DEV/debug-crash.ini"
E="$WORK/crash.err"
check "a run with a crashing task exits 1" rc_is crash 1
check "the fault names its signal" has "$E" "task 'crasher': fault: SIGSEGV (SEGV_MAPERR: no mapping at that address) at address 0x0, ip 0x"
check "the fault names the function and file:line" has "$E" " in crash_now at tests/devtools/debug-task.c:$CRASH (backtrace: "
check "the backtrace goes up through the callers" has "$E" "(backtrace: crash_now (debug-task.c:$CRASH) < deeper (debug-task.c:$CALL) < crasher (debug-task.c:"
check "the backtrace stops before the C library's start-up frames" sh -c "grep -F \"task 'crasher': fault:\" '$E' | grep -v __libc_start | grep -q ':[0-9]*))\$'"
INLINED=$(line_of '/\* inlined crash here \*/')
POKE=$(line_of '^	poke((volatile')
check "a fault in inlined code names the inlined function and its line" has "$E" "task 'inliner': fault: SIGSEGV (SEGV_MAPERR: no mapping at that address) at address 0x0, ip 0x"
check "and the function it was inlined into, at the call" has "$E" " in poke at tests/devtools/debug-task.c:$INLINED (backtrace: poke (debug-task.c:$INLINED) < inliner (debug-task.c:$POKE) < "
check "the peer finishes" has "$WORK/crash.out" "peer: round 3"

# The same binary without its debug information: the symbol table still names the function.
if command -v objcopy >/dev/null 2>&1; then
  mkdir "$WORK/bin"
  objcopy --strip-debug "$BIN/debug-task" "$WORK/bin/debug-task"
  cp "$DEV/debug-crash.ini" "$WORK/bin/"
  sim nodebug run "$WORK/bin/debug-crash.ini"
  check "without -g: the function and its offset in the binary" sh -c "grep -F \"task 'crasher': fault:\" '$WORK/nodebug.err' | grep -qE ' in crash_now \\(/[^ ]*/debug-task\\+0x[0-9a-f]+\\)'"
  check "without -g: the backtrace by function names" sh -c "grep -F \"task 'crasher': fault:\" '$WORK/nodebug.err' | grep -qE 'crash_now \\(debug-task\\+0x[0-9a-f]+\\) < deeper \\(debug-task\\+0x[0-9a-f]+\\)'"
  # garbage in its DWARF sections: the daemon's symbolizer must not crash or hang the run
  mkdir "$WORK/bad"
  yes 'not DWARF at all 0123456789 \377\001' | head -c 65536 >"$WORK/junk"
  objcopy --update-section .debug_info="$WORK/junk" --update-section .debug_line="$WORK/junk" \
    --update-section .debug_abbrev="$WORK/junk" "$BIN/debug-task" "$WORK/bad/debug-task"
  cp "$DEV/debug-crash.ini" "$WORK/bad/"
  sim bad run "$WORK/bad/debug-crash.ini"
  check "garbage DWARF: the run still ends with the fault (exit 1)" rc_is bad 1
  check "garbage DWARF: the report falls back to the symbol table" sh -c "grep -F \"task 'crasher': fault: SIGSEGV\" '$WORK/bad.err' | grep -qE ' in crash_now \\(/[^ ]*/debug-task\\+0x[0-9a-f]+\\)'"
  check "garbage DWARF: the peer finishes" has "$WORK/bad.out" "peer: round 3"
else
  ok "# SKIP objcopy is not installed"
fi
done_testing
