#!/bin/sh
# Board resources with real task processes: windows at their board addresses, shared across
# tasks, permissions and unmapping enforced by the host, GPIO, registers, DMA.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
sim board run -I "$TASKS" "$DATA/board.ini"
O="$WORK/board.out"; E="$WORK/board.err"
check "owner sets credentials and maps its SHM; shm_get_infos reports MAP|WRITE" has "$O" "shmWriter: credentials 0 0, map 0; infos: label 0x100 base 0x2000a000 len 4096 perms 5"
check "the reader sees the writer's bytes at the same address" has "$O" "shmReader: map 0, read: 'written by shmWriter'"
check "a read-only SHM cannot be written: SIGSEGV (SEGV_ACCERR)" has "$E" "task 'shmReader': fault: SIGSEGV (SEGV_ACCERR: access not permitted) at address 0x2000a000"
check "the write did not happen" lacks "$O" "wrote to read-only memory"
check "access after unmap faults (SEGV_MAPERR)" has "$E" "task 'shmWriter': fault: SIGSEGV (SEGV_MAPERR: no mapping at that address) at address 0x2000a000"
check "unmap itself succeeded" has "$O" "shmWriter: unmapped (0); touching the SHM again"
check "device mapped at its base, register at its reset value; GPIO set/get/toggle; bad io INVALID" has "$O" "leds: device 0x20020002 map 0 reset register 0xc0ffee00; set 0 level 1, toggled 0, io 2: 1"
check "m2m DMA copies at start, queues the completion (reference path: IDLE), reports its configuration" has "$O" "dma: assign 0 start 0 event 0 (type 8 state 1); dest reads 'copied by DMA'; info type 2 len 32"
check "faults are the only failures: exit 1" rc_is board 1
sim board2 run -I "$TASKS" "$DATA/board.ini"
check "identical on a second run" cmp "$WORK/board.out" "$WORK/board2.out"
done_testing
