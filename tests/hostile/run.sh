#!/bin/sh
# The hostile suite: every attack is a task next to a peer. For each: nothing happened
# outside (no marker on the host, nothing reported as escaped), the daemon lived (exit 0 or
# 1, never a crash, a hang or exit 2), the peer finished, and the diagnosis names the cause.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/tap.sh"
H="$top_builddir/tests/hostile/hostile"
PROBE="$top_builddir/tests/integration/tasks/probe"
MARKER=/tmp/sentry-sim-hostile-marker
ESC=$(printf '\033')

# system NAME BINARY: a peer (probe's survivor) and the attack NAME, run from BINARY.
system() {
  printf '[task survivor]\nbinary = %s\nlabel = 1\npriority = 1\n\n[task %s]\nbinary = %s\nlabel = 2\npriority = 5\n' \
    "$PROBE" "$1" "$2" >"$WORK/$1.ini"
}

daemon_lived() { case "$(cat "$WORK/$1.rc")" in 0|1) return 0 ;; esac; echo "# $1: exit $(cat "$WORK/$1.rc")" >&2; sed 's/^/#   /' "$WORK/$1.err" >&2; return 1; }
peer_finished() { has "$WORK/$1.out" "$2: still running, round 3" && grep -qE "^$2 +0x[0-9a-f]+ 0x[0-9a-f]+ FINISHED +0\$" "$WORK/$1.out"; }
no_effect() { [ ! -e "$MARKER" ] && lacks "$WORK/$1.out" "ESCAPED" && lacks "$WORK/$1.err" "ESCAPED"; }
# no task words posing as the daemon's: no raw escape byte, no forged daemon line
words_kept() {
  ! grep -q "$ESC" "$WORK/$1.out" "$WORK/$1.err" &&
    ! grep -q "^sentry-sim: task 'survivor': fault" "$WORK/$1.err"
}

# attack NAME EXPECTED [BINARY [PEER]]: run it and make the four checks (the fourth: the
# diagnosis, in the daemon's stderr or in the task's own held report, names the cause).
attack() {
  local name=$1 expect=$2 bin=${3:-$H} peer=${4:-survivor}
  rm -f "$MARKER"
  [ "$bin" = board ] || system "$name" "$bin"
  sim "$name" run --watchdog 2000 "$WORK/$name.ini"
  if daemon_lived "$name" && peer_finished "$name" "$peer" && no_effect "$name" && words_kept "$name" &&
     { grep -qF -- "$expect" "$WORK/$name.err" || grep -qF -- "$expect" "$WORK/$name.out"; }; then
    ok "$name: held, the daemon lived, the peer finished, the cause is named"
  else
    not_ok "$name: expected '$expect'"
    sed 's/^/#   /' "$WORK/$name.err" "$WORK/$name.out" >&2
  fi
}

refused() { attack "$1" "task '$1': fault: the process did not start: the boundary refused host system call '$2'"; }

# Before the runtime (.preinit_array): the boundary refuses and names the call.
refused pre_exec_sh execve
refused pre_execveat execveat
refused pre_exec_self execve
refused pre_fork clone
refused pre_clone3 clone3
refused pre_tgkill tgkill
refused pre_kill_all kill
refused pre_kill_peer kill
refused pre_tkill tkill
refused pre_prlimit prlimit64
refused pre_sigqueue rt_sigqueueinfo
refused pre_tgsigqueue rt_tgsigqueueinfo
refused pre_ptrace ptrace
refused pre_vm_read process_vm_readv
refused pre_vm_write process_vm_writev
refused pre_pidfd pidfd_open
refused pre_socket socket
refused pre_unshare unshare
refused pre_mount mount
refused pre_remount mount
refused pre_chroot chroot
refused pre_personality personality
refused pre_bpf bpf
refused pre_io_uring io_uring_setup
refused pre_keyctl keyctl
refused pre_setns setns
refused pre_renice_peer setpriority
refused pre_renice_user setpriority
refused pre_pin_peer sched_setaffinity
# the tasks of one binary share an IPC namespace: no System V or POSIX IPC at all
refused pre_sysv_shm shmget
refused pre_mq_open mq_open

# Before the runtime: the empty read-only root has nothing to reach.
# (ENOENT when the task's root has no /tmp; EROFS when it has one because the binary
# lives under /tmp: the tree the root is built from follows the binary's path)
attack pre_create_file "pre_create_file: held: create $MARKER: "
attack pre_write_etc "pre_write_etc: held: open /etc/passwd for writing: No such file or directory"
attack pre_read_etc "pre_read_etc: held: open /etc/passwd: No such file or directory"
attack pre_proc_maps "pre_proc_maps: held: open /proc/self/maps: No such file or directory"
attack pre_proc_cmdline "pre_proc_cmdline: held: open /proc/1/cmdline: No such file or directory"
attack pre_proc_mem "pre_proc_mem: held: open /proc/1/mem: No such file or directory"
attack pre_dev_mem "pre_dev_mem: held: open /dev/mem: No such file or directory"
attack pre_mkdir "pre_mkdir: held: mkdir /x: Read-only file system"
# (read-only file system as root, permission denied otherwise: either way, held)
attack pre_write_lib "pre_write_lib: held: open the C library for writing: "
attack pre_caps "pre_caps: held: capabilities 0 0 0, no_new_privs 1"
attack pre_ppid "pre_ppid: held: parent pid 0 (the daemon is not visible)"
attack pre_list_root "pre_list_root: held: the root holds:"
# the confinement helper's descriptors (programs, namespaces) are gone at the first instruction
attack pre_helper_fds "pre_helper_fds: held: no descriptor above 5"
only_libraries() {
  local line
  line=$(grep 'the root holds' "$WORK/pre_list_root.out") || return 1
  line=${line#*holds:}
  # the first directory of the binary's own path is there (its bind mount needs it)
  top=$(readlink -f "$H"); top=${top#/}; top=${top%%/*}
  for d in proc dev tmp home root bin sbin var run sys usr; do
    [ "$d" = "$top" ] && continue
    case "$line " in *" $d "*) echo "# the root holds /$d" >&2; return 1 ;; esac
  done
}
check "pre_list_root: nothing but the binary, the loader, the libraries and their cache" only_libraries

# Failures before booting are the task's fault; the run goes on; its words stay its own.
attack pre_crash "task 'pre_crash': fault: the process did not start: killed by SIGSEGV"
attack pre_exit "task 'pre_exit': fault: the process did not start: the task process exited with status 5"
attack pre_forge127 "task 'pre_forge127': fault: the process did not start: the process exited with status 127; its page said: \"ok\\nsentry-sim: task 'survivor': fault: forged by hostile\\033[2J\""
attack pre_stderr "its stderr said: \"\\033[2J\\nsentry-sim: task 'survivor': fault: forged on stderr\""
attack nolib "task 'nolib': fault: the process did not start: the process did not reach the sentry-sim runtime" "$top_builddir/tests/hostile/nolib"
# A script given as binary: refused with the description (nothing runs); the boundary would
# refuse it too (confine.c), and holds no shell.
printf '#!/bin/sh\ntouch %s\n' "$MARKER" >"$WORK/script.sh"; chmod +x "$WORK/script.sh"
rm -f "$MARKER"; system script "$WORK/script.sh"; sim script run "$WORK/script.ini"
check "script: refused before anything runs (exit 2), named, nothing written" sh -c "[ \"\$(cat '$WORK/script.rc')\" = 2 ] && grep -q 'is a script' '$WORK/script.err' && [ ! -e '$MARKER' ]"

# After the runtime: interposed symbols do not help, the fidelity check traps.
attack pre_sigsys "task 'pre_sigsys': fault: forbidden host system call 'write'"
attack main_write "task 'main_write': fault: forbidden host system call 'write'"

# Words: a log line cannot pose as the daemon, escape bytes never reach the terminal, and a
# line without an end is cut, not buffered for ever.
attack words_log "words_log: sentry-sim: task 'survivor': fault: forged in a log\\033[2J"
attack words_long "words_long: xxxxxxxxxxxxxxxxxxxxxxxxx"
check "words_long: a line without a newline is cut at 4096 bytes" \
  sh -c "awk '/^words_long: x/ { if (length(\$0) > 4096 + 12) bad = 1; if (length(\$0) == 4096 + 12) n++ } END { exit bad || n < 40 }' '$WORK/words_long.out'"

# Board memory by least privilege (the owner lends its SHM read-only to the attacker).
board() {
  cat >"$WORK/$1.ini" <<INI
[task owner]
binary = $H
label = 1
priority = 5
capabilities = CAP_MEM_SHM_OWN; CAP_MEM_SHM_USE

[task $1]
binary = $H
label = 2
priority = 4
capabilities = CAP_MEM_SHM_OWN; CAP_MEM_SHM_USE

[shm buf]
label = 0x100
owner = owner
base = 0x2000a000
size = 0x1000
INI
}
board mem_keep; attack mem_keep "task 'mem_keep': fault: kept a board memory descriptor (fd" board owner
board mem_rw; attack mem_rw "mem_rw: held: 1 descriptor(s), writable map: Permission denied; it reads 'the owner's words'" board owner
board mem_nodrain; attack mem_nodrain "task 'mem_nodrain': fault: kept board memory descriptors unreceived on its window socket" board owner
check "mem_rw: the owner's SHM is unchanged" has "$WORK/mem_rw.out" "owner: still running, round 3, SHM reads 'the owner's words'"

# A task that blocks its job and spins instead of sleeping meets the watchdog under
# --realtime too (the daemon then sleeps, waiting for the wall clock).
# the restart handshake forged (the task writes ASKED into its page and signals itself): the
# runtime's handler waits for a GO that never comes; only the task stops, and the watchdog
# on a process asleep outside its gate ends it
attack mem_forge_restart "task 'mem_forge_restart': fault: watchdog: blocked 2000 ms in a host system call while its job ran"
# restart in place with the daemon's page mapped (from a descriptor kept from before the
# boot) over a page of data the image keeps: the daemon writes the image back into its own
# page, as the task could have, finds the mappings changed and starts a new process: every
# job in a new process, its data as the binary's, no fault, the peer finishes
system mem_remap_restart "$H"
printf 'exit_mode = restart\n' >>"$WORK/mem_remap_restart.ini"
sim mem_remap_restart run --restart-in-place --duration 60ms "$WORK/mem_remap_restart.ini"
R="$WORK/mem_remap_restart.out"
check "mem_remap_restart: the run ends normally (the daemon lived, no fault)" rc_is mem_remap_restart 0
check "mem_remap_restart: the peer finished" peer_finished mem_remap_restart survivor
check "mem_remap_restart: the page was mapped over the data" has "$R" "page mapped over its data: yes"
check "mem_remap_restart: every job in a new process, its data as the binary's" sh -c \
  "n=\$(grep -c ': pid [0-9]*, data 0\$' '$R'); [ \$n -ge 3 ] && [ \$n = \$(grep -c ': pid ' '$R') ] &&
   [ \$n = \$(grep ': pid ' '$R' | sed 's/.* pid \\([0-9]*\\),.*/\\1/' | sort -u | wc -l) ]"
system mem_spin "$H"
sim mem_spin run --realtime=0.005 --watchdog 100 "$WORK/mem_spin.ini"
check "mem_spin: a parked task spinning is stopped by the watchdog" has "$WORK/mem_spin.err" "task 'mem_spin': fault: watchdog: ran 100 ms of host CPU time while its job was blocked"
check "mem_spin: the daemon lived" daemon_lived mem_spin
check "mem_spin: the peer finished" peer_finished mem_spin survivor

# Determinism: the time stamp counter, the vDSO clock and addresses give the same bytes.
# Some hosts (virtual machines) accept PR_SET_TSC and ignore it: there rdtsc cannot be made
# to read virtual cycles, and the daemon must say so instead (tsc-probe asks the host,
# outside the simulator).
UNTRAPPED="sentry-sim: warning: this host does not make rdtsc trap"
if [ "$("$top_builddir/tests/hostile/tsc-probe")" = "rdtsc does not trap" ]; then
  tsc_traps=false
  echo "# this host does not make rdtsc trap: the rdtsc checks expect the daemon's warning"
else
  tsc_traps=true
fi
for d in det_tsc det_addr det_clock; do
  system $d "$H"
  sim $d.1 run --seed 7 "$WORK/$d.ini"; sim $d.2 run --seed 7 "$WORK/$d.ini"
  if [ $d = det_tsc ] && ! $tsc_traps; then
    check "det_tsc: rdtsc does not trap on this host, and the daemon says so" has "$WORK/$d.1.err" "$UNTRAPPED"
  else
    check "$d: the same seed gives the same bytes" sh -c "cmp -s '$WORK/$d.1.out' '$WORK/$d.2.out' && cmp -s '$WORK/$d.1.err' '$WORK/$d.2.err'"
  fi
  check "$d: the peer finished" peer_finished $d.1 survivor
done
if $tsc_traps; then
  check "det_tsc: rdtsc reads virtual cycles (1 per virtual ns)" has "$WORK/det_tsc.1.out" "det_tsc: tsc "
  check "det_tsc: and advance with virtual time only (a 5 ms nap: 5000000 cycles)" has "$WORK/det_tsc.1.out" "det_tsc: tsc 0 then 5000000"
  check "det_tsc: no warning where rdtsc traps" lacks "$WORK/det_tsc.1.err" "$UNTRAPPED"
else
  check "det_tsc: the warning is said once" sh -c "[ \$(grep -c '$UNTRAPPED' '$WORK/det_tsc.1.err') = 1 ]"
  check "det_tsc: the task read the host's counter (no virtual cycles pretended)" lacks "$WORK/det_tsc.1.out" "det_tsc: tsc 0 then 5000000"
  check "det_tsc: the second run warns too" has "$WORK/det_tsc.2.err" "$UNTRAPPED"
fi
sim det_tsc.host run --seed 7 --host-tsc "$WORK/det_tsc.ini"
check "det_tsc: with --host-tsc, rdtsc reads the host's counter" sh -c "grep -q 'det_tsc: tsc [1-9]' '$WORK/det_tsc.host.out' && ! grep -q 'det_tsc: tsc 0 then 5000000' '$WORK/det_tsc.host.out'"
check "det_tsc: with --host-tsc, no warning (rdtsc is not asked to trap)" lacks "$WORK/det_tsc.host.err" "$UNTRAPPED"
check "det_clock: a vDSO clock read is a diagnosed fault" has "$WORK/det_clock.1.err" "task 'det_clock': fault: SIGSEGV"
check "det_clock: no host time leaked" lacks "$WORK/det_clock.1.out" "ESCAPED"
# The host CPU number (determinism): no rseq area, no getcpu, before the runtime (the
# boundary makes both fail as absent) or after it (the fidelity check traps getcpu; the vDSO
# that sched_getcpu would fall back on is gone); rdtscp reads TSC_AUX 0.
attack pre_rseq "pre_rseq: held: rseq: Function not implemented"
attack pre_getcpu "pre_getcpu: held: getcpu: Function not implemented"
attack cpu_rseq "cpu_rseq: held: the C library has no rseq area (size 0)"
attack cpu_sched "task 'cpu_sched': fault: SIGSEGV"
attack cpu_getcpu "task 'cpu_getcpu': fault: forbidden host system call 'getcpu'"
if $tsc_traps; then
  attack cpu_rdtscp "cpu_rdtscp: held: rdtscp TSC_AUX 0"
else
  attack cpu_rdtscp "$UNTRAPPED"
fi
# What no trap stops (rdpid, lsl) reads one CPU, the same in every run.
system det_cpu "$H"
sim det_cpu.1 run --seed 7 "$WORK/det_cpu.ini"; sim det_cpu.2 run --seed 7 "$WORK/det_cpu.ini"
check "det_cpu: rdpid and lsl give the same bytes in two runs" sh -c "grep -q 'det_cpu: rdpid' '$WORK/det_cpu.1.out' && cmp -s '$WORK/det_cpu.1.out' '$WORK/det_cpu.2.out'"
check "det_cpu: the peer finished" peer_finished det_cpu.1 survivor
rm -f "$MARKER"
done_testing
