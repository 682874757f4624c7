#!/bin/sh
# Bad descriptions: exit 2 with FILE:LINE and a clear message; nothing runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
cat >"$WORK/badcap.ini" <<'INI'
[task a]
binary = probe
label = 1
capabilities = CAP_FOO
INI
sim badcap run -I "$TASKS" "$WORK/badcap.ini"
check "unknown capability: exit 2" rc_is badcap 2
check "unknown capability: file:line" has "$WORK/badcap.err" "badcap.ini:4:"
cat >"$WORK/noentry.ini" <<'INI'
[task a]
binary = probe
label = 1

[task b]
binary = probe
label = 2
entry = no_such_function
INI
sim noentry run -I "$TASKS" "$WORK/noentry.ini"
check "missing entry symbol: exit 2" rc_is noentry 2
check "missing entry symbol: file:line and the name" has "$WORK/noentry.err" "noentry.ini:5: task 'b': entry: no symbol 'no_such_function' in"
sim nofile run "$WORK/absent.ini"
check "missing file: exit 2" rc_is nofile 2
sim usage run
check "no file given: exit 2" rc_is usage 2
printf '[task a]\nbinary = /bin/true\nlabel = 1\n' >"$WORK/notask.ini"
sim notask run "$WORK/notask.ini"
check "a binary without the runtime is its task's fault: exit 1" rc_is notask 1
check "... with a hint" has "$WORK/notask.err" "task 'a': fault: the process did not start: the task process exited with status 0 without calling __sys_exit (a host exit or _exit) (it ended before the task runtime booted: is libsentry-uapi linked in?"
done_testing
