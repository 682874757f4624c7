#!/bin/sh
# Hints for the usual first mistakes (sim/host/hints.c, sim/scenario/script.c): a DENIED
# for want of a capability (named, once per task and call), an IRQ pending behind a masked
# line, a line logged without its newline that an expectation waits for.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
sim h run -q -I "$TASKS" "$DATA/hints.ini"
check "the scenario fails (its expectation waits for a line never completed)" rc_is h 1
check "DENIED: the hint names the missing capability" has "$WORK/h.err" "task 'chatterNoCap': hint: get_random returned DENIED: the task does not hold CAP_CRY_KRNG"
check "... once, for five refused calls" sh -c "[ \$(grep -c 'hint: get_random returned DENIED' '$WORK/h.err') = 1 ] && grep -q '4: random .* (2)' '$WORK/h.out'"
check "a masked IRQ line with an interrupt pending" has "$WORK/h.err" "hint: IRQ 23 is pending but masked: the kernel masks a line when it delivers an interrupt, and its driver did not call __sys_irq_enable(23) again after the last one"
check "a line without its newline" has "$WORK/h.err" "hint: 'noNewline' logged \"ready\" without a final \\n, and a line is matched only once its newline is logged"
sed 's/^capabilities = CAP_DEV_IO$/capabilities = CAP_DEV_IO\n[task chatterCap]\nbinary = probe\nlabel = 4\ncapabilities = CAP_CRY_KRNG/' "$DATA/hints.ini" >"$WORK/cap.ini"
sim c run -q -I "$TASKS" "$WORK/cap.ini"
check "a task that holds the capability gets no hint" lacks "$WORK/c.err" "'chatterCap': hint"
# the device now belongs to a task that never enables its line (irqOnce's enable is DENIED)
sed 's/^owner = irqOnce$/owner = noNewline/' "$DATA/hints.ini" >"$WORK/oneirq.ini"
sim o run -q -I "$TASKS" "$WORK/oneirq.ini"
check "a line never enabled: that hint instead" has "$WORK/o.err" "hint: IRQ 23 is pending but masked: every line starts masked"
sim at run -q -I "$TASKS" "$DATA/autotest.ini"
check "autotest build: the hint points at the global set" has "$WORK/at.err" "task 'autotest': hint: get_random returned DENIED: the task does not hold CAP_CRY_KRNG (the autotest build's test task holds the global set"
done_testing
