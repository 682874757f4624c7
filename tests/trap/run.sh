#!/bin/sh
# Trapped register access with real task processes (tests/trap/data/trap.ini): every access
# form on a device with a model performs as memory; an unsupported instruction is a fault
# that names it while the others go on; forged trap requests for a device the task has not
# mapped are faults and write nothing; an access can be preempted.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
TRAP="$top_builddir/tests/trap"
sim trap run -I "$TRAP" --watchdog 5000 "$top_srcdir/tests/trap/data/trap.ini"
O="$WORK/trap.out"; E="$WORK/trap.err"
check "every access form on a trapped device performs (loads, stores, extensions, RMW, flags, strings)" has "$O" "widths: 58 checks, 0 failed"
check "no check failed" lacks "$O" "FAIL"
check "widths finished normally" grep -qE "^widths +0x[0-9a-f]+ 0x[0-9a-f]+ FINISHED +0\$" "$O"
check "an SSE load from a register is a fault naming the instruction and the device" has "$E" "task 'sse': fault: unsupported instruction 'movdqu xmm0, xmmword ptr [rax]' on a register of device 'vec'"
check "the SSE load did not go through" lacks "$O" "the load went through"
check "a forged trap request for a device the task has not mapped is a fault" has "$E" "task 'forge': fault: protocol violation: a trapped access of 4 bytes at 0x40001100 outside the device windows with a model that the task has mapped"
check "a forged trap request for the task's own plain SHM is a fault" has "$E" "task 'forgeshm': fault: protocol violation: a trapped access of 4 bytes at 0x2000a000 outside the device windows with a model that the task has mapped"
check "forged instruction bytes on its own trapped device are a fault" has "$E" "task 'forgejunk': fault: undecodable instruction (bytes ff ff ff ff ...)"
check "the daemon never answered a forged request" lacks "$O" "ESCAPED"
check "faults are the only failures: exit 1" rc_is trap 1
sim trap2 run -I "$TRAP" --watchdog 5000 "$top_srcdir/tests/trap/data/trap.ini"
check "identical on a second run" cmp "$WORK/trap.out" "$WORK/trap2.out"

# Each access costs virtual time: a quantum can end in the middle of one, another task runs,
# and the interrupted access is answered when its task runs again.
sim preempt run -I "$TRAP" --watchdog 5000 "$top_srcdir/tests/trap/data/preempt.ini"
O="$WORK/preempt.out"
check "the poller's loads were all answered, after a preemption" has "$O" "poller: 30000 loads done, 0 wrong"
check "the sleeper ran in the middle of the poller's loads" sh -c "grep -n 'sleeper: woke' '$O' | cut -d: -f1 | { read s; [ \"\$s\" -lt \"\$(grep -n 'loads done' '$O' | cut -d: -f1)\" ]; }"
check "3 ms of virtual time for 30000 loads (100 ns each)" has "$O" "summary at [    0.003007]"
check "both finished: exit 0" rc_is preempt 0
done_testing
