#!/bin/sh
# The seccomp policies (the boundary and the fidelity check, and their variants), exported
# as text, match the reviewed golden files (x86_64).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
if [ "$(uname -m)" != x86_64 ]; then echo "1..0 # SKIP golden files are for x86_64"; exit 0; fi
X="$top_builddir/tests/integration/policy-export"
# devtools: the fidelity check of a task built with a sanitizer or --coverage (docs/devtools.md);
# boundary-lsan and lsan: the boundary and the fidelity check of a task with LeakSanitizer;
# server: the boundary of a fork server and its instances (sim/host/forksrv.c)
for level in boundary fidelity devtools boundary-lsan lsan server; do
  "$X" $level >"$WORK/$level.pfc" 2>&1
  check "$level filter matches tests/integration/data/seccomp-$level.pfc" diff -u "$DATA/seccomp-$level.pfc" "$WORK/$level.pfc"
done
check "fidelity check traps by default" has "$WORK/fidelity.pfc" "action TRAP;"
check "fidelity check lets tgkill reach only the process itself" has "$WORK/fidelity.pfc" "if (\$a0.lo32 == 4242)"
check "the boundary allows by default" sh -c "tail -8 '$WORK/boundary.pfc' | grep -q 'action ALLOW;'"
# 0x7fc00000 is SECCOMP_RET_USER_NOTIF (libseccomp prints it as a number)
check "the boundary refuses by notifying the daemon" has "$WORK/boundary.pfc" "action 0x7fc00000;"
check "the boundary refuses signals to any other process" sh -c "grep -A3 'syscall \"kill\"' '$WORK/boundary.pfc' | grep -q '4242'"
check "the boundary refuses execve" sh -c "grep -A2 'syscall \"execve\"' '$WORK/boundary.pfc' | grep -q 0x7fc00000"
"$X" prebuilt >"$WORK/prebuilt.txt" 2>&1
check "the programs built once, patched for a pid, are the filters built for that pid" \
  sh -c "grep -c 'identical to the filter built for the pid' '$WORK/prebuilt.txt' | grep -qx 6"
# LeakSanitizer's boundary: its tracer's clone flags exactly, ptrace of the process only
check "boundary-lsan: clone only with CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_UNTRACED (0x800700)" \
  sh -c "grep -A4 'syscall \"clone\"' '$WORK/boundary-lsan.pfc' | grep -q 'a0.lo32 == 8390400'"
check "boundary-lsan: ptrace only of the process itself" \
  sh -c "grep -A4 'syscall \"ptrace\"' '$WORK/boundary-lsan.pfc' | grep -q 'a1.lo32 == 4242'"
check "boundary-lsan: fork, vfork and clone3 still refused" \
  sh -c "for c in fork vfork clone3; do grep -A2 \"syscall \\\"\$c\\\"\" '$WORK/boundary-lsan.pfc' | grep -q 0x7fc00000 || exit 1; done"
check "the boundary makes rseq fail as absent (no host CPU number)" sh -c "grep -A2 'syscall \"rseq\"' '$WORK/boundary.pfc' | grep -q 'ERRNO(38)'"
check "the boundary makes getcpu fail as absent" sh -c "grep -A2 'syscall \"getcpu\"' '$WORK/boundary.pfc' | grep -q 'ERRNO(38)'"
# The server's boundary differs from the boundary only in the five signal rows, which name
# no pid there: the daemon answers each such call (a process may signal only itself).
diff "$WORK/boundary.pfc" "$WORK/server.pfc" | sed -n 's/^[<>] *# filter for syscall "\([a-z_]*\)".*/\1/p' | sort -u >"$WORK/server.diff"
check "the server's boundary differs only in kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo" \
  sh -c "printf 'kill\nrt_sigqueueinfo\nrt_tgsigqueueinfo\ntgkill\ntkill\n' | cmp -s - '$WORK/server.diff'"
check "the server's boundary hands every signal to the daemon (no pid in it)" lacks "$WORK/server.pfc" "4242"
check "the server's boundary hands clone to the daemon" sh -c "grep -A2 'syscall \"clone\"' '$WORK/server.pfc' | grep -q 0x7fc00000"
done_testing
