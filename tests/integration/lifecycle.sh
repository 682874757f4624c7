#!/bin/sh
# Unsupported numbers (abort, cancelled abort, library hang), entries, exit codes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
sim uns run -I "$TASKS" "$DATA/unsupported.ini"
check "unsupported call: the first argument comes back as the Status" has "$WORK/uns.out" "unsupported: unsupported call returned 4"
check "the abort is reported at the call" has "$WORK/uns.err" "task 'unsupported': task aborted by unsupported system call 32"
check "a later yield cancels the abort, reported" has "$WORK/uns.err" "task 'unsupported': abort by unsupported system call 32 cancelled"
check "the task carries on after the cancelled abort" has "$WORK/uns.out" "unsupported: still alive after yield"
check "the library hang is reported with the raw value" has "$WORK/uns.err" "task 'hang': system call 32 (dma_get_stream_status) returned raw value 4660"
check "the hung task never returns from the call" lacks "$WORK/uns.out" "returned: wrong"
check "the run ends as stuck, naming the hung task" has "$WORK/uns.err" "'hang' (ABORTING): spinning for ever in the UAPI library after system call 32"
check "a stuck run exits 1" rc_is uns 1
sim entry run -I "$TASKS" "$DATA/entry.ini"
check "a configured entry runs instead of main, with r0 = 0 and a seed" has "$WORK/entry.out" "entry: custom entry: r0=0 seed-nonzero=1"
check "entry run exits 0" rc_is entry 0
sim auto run -I "$TASKS" "$DATA/autotest.ini"
check "autotest: self-IPC, self-signal, NO_ENTITY, global capabilities" has "$WORK/auto.out" "autotest: self-ipc 0 wfe 0 self-signal 0 unsupported 3 random 0 clear 0 random 2 set(3) 1"
check "autotest: exit(0) respawns the test task, global set kept" has "$WORK/auto.out" "autotest: second job after exit(0): capability set kept: get_random 2"
check "autotest: run ends at its time limit" rc_is auto 0
done_testing
