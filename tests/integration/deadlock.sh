#!/bin/sh
# Tasks that can never make progress are reported, never left hanging silently.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
sim dead run -I "$TASKS" "$DATA/deadsend.ini"
check "a sender to a finished task is reported when that becomes known" has "$WORK/dead.err" "task 'sender': blocked for ever in send_ipc to 'quitter' (4 bytes): the target has finished"
check "the run ends with a deadlock report naming who waits on whom" has "$WORK/dead.err" "'sender' (IPC_SEND_BLOCKED): blocked in send_ipc to 'quitter' (FINISHED, 4 bytes)"
check "a stuck run exits 1" rc_is dead 1
sim wait run -I "$TASKS" "$DATA/waitforever.ini"
check "waiting for ever with nothing to wake it: deadlock report" has "$WORK/wait.err" "deadlock: no task can run and nothing can wake one"
check "the waiter and its mask are named" has "$WORK/wait.err" "'waiter' (WAITFOREVENT): waiting for events (mask 0x1) with no timeout"
check "exit 1" rc_is wait 1
sim ping run -I "$TASKS" "$DATA/pingpong.ini"
check "a send that would close a cycle gets DEADLK" has "$WORK/ping.out" "pingB: send_ipc to label 1 returned 10"
check "both stay stuck: deadlock reported" has "$WORK/ping.err" "'pingA' (IPC_SEND_BLOCKED): blocked in send_ipc to 'pingB'"
done_testing
