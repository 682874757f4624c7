#!/bin/sh
# run.sh: the benchmarks of sentry-sim, with their baselines measured in the same run.
#
#   make bench        every benchmark, repeated (--reps, default 7); rewrites RESULTS.md
#                     above its notes marker (the notes below it are kept as they are)
#   make bench-smoke  every benchmark once with tiny sizes (CI): exits 1 only if a benchmark
#                     cannot run; timings are never judged
#
# How things are timed: wall-clock from outside the tasks. A task's own clock is the
# simulator's virtual time, which says nothing about the host. bench-time runs the daemon
# and reports its wall time, its CPU time (task processes included) and, for the scale
# benchmark, the memory of every task process. A per-operation cost is a run of N
# operations minus a run of the same system with N = 0 (boot and exit), divided by N.
# The figures that cannot come from outside are the distributions of single calls (null
# call, call after a compute gap, IPC round trip: median, mean, p99): there the task
# brackets each call with the host's cycle counter (rdtsc, an instruction: wall time, no
# system call). Goals with a same-run baseline are judged as ratios to it at the median,
# the mean and the p99.
#
# Usage: run.sh [--smoke] [--reps N] [--out FILE] [--only LIST]
#   LIST: comma-separated subset of null,gap,ipc,start,fuzz,scale,vtime,kernel,idle,trace,mmio
# Environment: top_builddir, top_srcdir, SENTRY_SIM (set by make).
set -eu

smoke=0
reps=7
out=
only=
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--reps) reps=$2; shift ;;
	--out) out=$2; shift ;;
	--only) only=$2; shift ;;
	*) echo "usage: run.sh [--smoke] [--reps N] [--out FILE] [--only LIST]" >&2; exit 2 ;;
	esac
	shift
done
here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SENTRY_SIM:=$top_builddir/sentry-sim}"
B="$top_builddir/tests/bench"
TASK="$B/bench-task"
TIME="$B/bench-time"
TMO=600 # seconds a single run may take before it counts as hung
[ "$smoke" = 1 ] && reps=1 && TMO=60
for p in "$SENTRY_SIM" "$TASK" "$TIME" "$B/bench-kernel" "$B/base-getppid" "$B/base-seccomp" \
	"$B/base-pipe" "$B/base-futex" "$B/base-spin" "$B/base-spawn" "$B/base-ring"; do
	[ -x "$p" ] || { echo "run.sh: $p is missing: build first (make)" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sentry-bench.XXXXXX")
HOG=
cleanup() {
	[ -n "$HOG" ] && kill "$HOG" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$WORK/m"
failed=0

log() { echo "bench: $*" >&2; }

# want NAME: is benchmark NAME selected?
want() {
	[ -z "$only" ] && return 0
	case ",$only," in *",$1,"*) return 0 ;; esac
	return 1
}

# put METRIC VALUE: one more sample of METRIC.
put() { echo "$2" >>"$WORK/m/$1"; }

# putb PREFIX: PREFIX_p50, PREFIX_mean and PREFIX_p99 (ns) from the baseline line in $res
# (the mean of the samples, smean_ns: what the samples bracket, not the whole loop).
putb() {
	put "$1_p50" "$(key p50_ns "$res")"
	put "$1_mean" "$(key smean_ns "$res")"
	put "$1_p99" "$(key p99_ns "$res")"
}

# putt PREFIX LINE TPN: the same (ns) from a task's summary line in counter ticks.
putt() {
	put "$1_p50" "$(calc "$(key p50_ticks "$2") / $3")"
	put "$1_mean" "$(calc "$(key mean_ticks "$2") / $3")"
	put "$1_p99" "$(calc "$(key p99_ticks "$2") / $3")"
}

# putl RUN TAG PREFIX TPN: putt PREFIX from the "TAG n=..." line that the task of the sim
# run RUN logged (fails the benchmark, showing the run's output, if there is none or no TPN).
putl() {
	local line
	line=$(grep -o "$2 n=.*" "$WORK/$1.out" | tail -n 1 || true)
	if [ -z "$line" ] || [ -z "$4" ]; then
		fail "$1: no result line"
		tail -n 5 "$WORK/$1.out" "$WORK/$1.err" | sed 's/^/    /' >&2
		return 1
	fi
	putt "$3" "$line" "$4"
}

# ncpu: online CPUs; the two-CPU baselines need two.
NCPU=$(nproc 2>/dev/null || echo 1)

# key WORD LINE: the value of key=value word WORD in LINE.
key() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }

# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }

fail() {
	log "FAILED: $*"
	failed=1
}

# sim NAME INI [ARGS...]: run the daemon on INI under bench-time, with --host-tsc (the
# tasks time themselves with the host's cycle counter, which a run otherwise virtualises
# for determinism). Sets $res to the
# bench-time line; the daemon's output is in $WORK/NAME.out and .err. Returns 1 (and
# reports) if the run did not end with status 0.
sim() {
	local name=$1 ini=$2
	shift 2
	local rc=0
	timeout "$TMO" "$TIME" -o "$WORK/$name.time" -- "$SENTRY_SIM" run -q --raw --host-tsc "$@" "$ini" \
		>"$WORK/$name.out" 2>"$WORK/$name.err" || rc=$?
	res=$(cat "$WORK/$name.time" 2>/dev/null || true)
	if [ "$rc" != 0 ]; then
		fail "$name: sentry-sim exited with status $rc"
		sed 's/^/    /' "$WORK/$name.err" | tail -n 20 >&2
		return 1
	fi
	return 0
}

# base NAME PROGRAM ARGS...: run a baseline program; sets $res to its result line.
base() {
	local name=$1
	shift
	if ! res=$(timeout "$TMO" "$@" 2>"$WORK/$name.err"); then
		fail "$name: $* failed"
		sed 's/^/    /' "$WORK/$name.err" | tail -n 20 >&2
		res=
		return 1
	fi
	return 0
}

# task NAME LABEL [CAPS]: a [task] group running bench-task (NAME picks its behaviour).
task() {
	printf '[task %s]\nbinary = %s\nlabel = %s\n' "$1" "$TASK" "$2"
	[ -n "${3:-}" ] && printf 'capabilities = %s\n' "$3"
	return 0
}

# cpu_ms: the CPU time (user + system) of the last run in $res, in ms.
cpu_ms() { calc "($(key user_ns "$res") + $(key sys_ns "$res")) / 1e6"; }

# pick PILOT_NS BOOT_NS PILOT_N TARGET_NS MIN MAX: N so that N operations take about
# TARGET_NS, from a pilot run of PILOT_N operations.
pick() {
	awk -v p="$1" -v b="$2" -v n="$3" -v t="$4" -v lo="$5" -v hi="$6" 'BEGIN {
		c = (p - b) / n; if (c <= 0) c = 1;
		x = int(t / c); if (x < lo) x = lo; if (x > hi) x = hi; print x }'
}

start_hog() {
	sh -c 'while :; do :; done' &
	HOG=$!
}

stop_hog() {
	[ -n "$HOG" ] && kill "$HOG" 2>/dev/null
	wait "$HOG" 2>/dev/null || true
	HOG=
}

load1() { cut -d' ' -f1 /proc/loadavg; }
# cpu_ticks: "STEAL TOTAL" of /proc/stat's cpu line: on a virtual machine, the time its
# CPUs wanted to run but the host ran something else (steal), of all the CPU time
cpu_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print $9, t; exit }' /proc/stat; }

# ---------------------------------------------------------------------------------------
# The systems.

null_ini() { # N [latency]
	{
		printf '[system]\nseed = 1\n\n'
		task "null${2:+lat}-$1" 0x1000 CAP_CRY_KRNG
	} >"$WORK/null${2:-}-$1.ini"
	echo "$WORK/null${2:-}-$1.ini"
}

ipc_ini() { # N
	{
		printf '[system]\nseed = 1\n\n'
		task "ping-$1" 0x2000
		echo
		task "pong-$1" 0x2001
	} >"$WORK/ipc-$1.ini"
	echo "$WORK/ipc-$1.ini"
}

SCALE_TASKS=255
scale_ini() { # HOLD_MS (0: exit after the exchange)
	local f="$WORK/scale-$1.ini" i=1
	{
		printf '[system]\nseed = 1\nmax_tasks = %d\n\n' "$SCALE_TASKS"
		task "hub-$((SCALE_TASKS - 1))-$1" 0x100
		while [ $i -lt $SCALE_TASKS ]; do
			echo
			task "leaf-$i-$1" $((0x1000 + i))
			i=$((i + 1))
		done
	} >"$f"
	echo "$f"
}

# Virtual time: task i (1..8) sleeps 10*i s and holds a periodic alarm of 20*i s, which it
# collects after each sleep; the run stops at 24 h of virtual time.
VT_TASKS=8
VT_SLEEP_MS=10000
VT_DURATION=24h
VT_DURATION_MS=86400000

# vt_count K [MS]: events in MS ms (default 24 h) of the virtual-time workload, every K sleeps.
vt_count() {
	awk -v s=$VT_SLEEP_MS -v n=$VT_TASKS -v k="$1" -v d="${2:-$VT_DURATION_MS}" \
		'BEGIN { for (i = 1; i <= n; i++) t += int(d / (k * s * i)); print t }'
}

vt_ini() { # DURATION [SLEEP_MS]
	local f="$WORK/vt-$1.ini" i=1 s=${2:-$VT_SLEEP_MS}
	{
		printf '[system]\nseed = 1\nmax_tasks = %d\nduration = %s\n\n' "$VT_TASKS" "$1"
		while [ $i -le $VT_TASKS ]; do
			task "vt-$i-$((2 * s * i))-$((s * i))" $((0x3000 + i))
			echo
			i=$((i + 1))
		done
	} >"$f"
	echo "$f"
}

# ---------------------------------------------------------------------------------------
# 1. Null system call, with its baselines.
bench_null() {
	local n lat base0 pilot i tpn line
	if [ "$smoke" = 1 ]; then
		n=2000
	else
		sim null-pilot0 "$(null_ini 0)" || return 0
		base0=$(key wall_ns "$res")
		sim null-pilot "$(null_ini 20000)" || return 0
		n=$(pick "$(key wall_ns "$res")" "$base0" 20000 500000000 100000 1000000)
	fi
	lat=$n
	[ "$lat" -gt 1000000 ] && lat=1000000
	echo "$n" >"$WORK/null.n"
	log "null system call: $reps x $n calls"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		base getppid "$B/base-getppid" "$lat" || true
		if [ -n "$res" ]; then
			tpn=$(key ticks_per_ns "$res")
			putb getppid
		fi
		base seccomp "$B/base-seccomp" "$((lat / 10 + 1))" && putb seccomp
		base pipe "$B/base-pipe" "$((lat / 10 + 1))" && putb pipe
		if [ "$NCPU" -ge 2 ]; then
			base spin "$B/base-spin" -c 0,1 "$((lat / 10 + 1))" && putb spin
		fi
		sim null0 "$(null_ini 0)" || continue
		base0=$(key wall_ns "$res")
		put boot1_ms "$(calc "$base0 / 1e6")"
		sim null "$(null_ini "$n")" &&
			put null_omean "$(calc "($(key wall_ns "$res") - $base0) / $n")"
		sim nulllat "$(null_ini "$lat" lat)" && putl nulllat nulllat null "${tpn:-}"
		# the same with one CPU-bound process competing for the two cores
		start_hog
		sim nullload "$(null_ini "$((lat / 10 + 1))" lat)" && {
			line=$(grep '^nulllat ' "$WORK/nullload.out" || true)
			if [ -n "$line" ] && [ -n "${tpn:-}" ]; then
				putt nullload "$line" "$tpn"
			fi
		}
		stop_hog
	done
}

# 1b. The cliff: a null call after the task computed for GAP µs (a busy loop, not a
# sleep), beside a seccomp user-notification round trip after the same gap. Only the call
# is timed. Each gap gets at most GAP_N calls and about GAP_BUDGET_US of computing.
GAPS="0 10 50 100 300 1000"
bench_gap() {
	local n=20000 budget=500000 tpus i g ng
	[ "$smoke" = 1 ] && n=50 budget=2000
	base gapcal "$B/base-getppid" 1000 || return 0
	tpus=$(awk -v t="$(key ticks_per_ns "$res")" 'BEGIN { printf "%d", t * 1000 + 0.5 }')
	echo "$n $budget" >"$WORK/gap.n"
	log "compute gap: $reps x gaps of $GAPS µs (at most $n calls, ${budget} µs of gaps each)"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		for g in $GAPS; do
			ng=$n
			[ "$g" -gt 0 ] && [ $((budget / g)) -lt "$ng" ] && ng=$((budget / g))
			base "sgap$g" "$B/base-seccomp" -g "$g" -t "$tpus" "$ng" && putb "sgap$g"
			{
				printf '[system]\nseed = 1\n\n'
				task "gap-$g-$ng-$tpus" 0x1000 CAP_CRY_KRNG
			} >"$WORK/gap-$g.ini"
			sim "gap$g" "$WORK/gap-$g.ini" &&
				putl "gap$g" gap "gap$g" "$(calc "$tpus / 1000")" || true
		done
	done
}

# 2. IPC ping-pong between two tasks, beside a bare futex ping-pong pinned to one CPU (the
# floor: two futex calls and two switches) and to two CPUs (every wake-up crosses CPUs).
bench_ipc() {
	local n base0 i fn=100000 tpn=
	if [ "$smoke" = 1 ]; then
		n=500 fn=2000
	else
		sim ipc-pilot0 "$(ipc_ini 0)" || return 0
		base0=$(key wall_ns "$res")
		sim ipc-pilot "$(ipc_ini 2000)" || return 0
		n=$(pick "$(key wall_ns "$res")" "$base0" 2000 1000000000 2000 500000)
	fi
	echo "$n" >"$WORK/ipc.n"
	log "IPC ping-pong: $reps x $n round trips"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		base futex1 "$B/base-futex" -c 0,0 "$fn" && {
			tpn=$(key ticks_per_ns "$res")
			putb futex1
			put futex1_rate "$(key rate "$res")"
		}
		if [ "$NCPU" -ge 2 ]; then
			base futex2 "$B/base-futex" -c 0,1 "$((fn / 5))" && {
				putb futex2
				put futex2_rate "$(key rate "$res")"
			}
		fi
		sim ipc0 "$(ipc_ini 0)" || continue
		base0=$(key wall_ns "$res")
		sim ipc "$(ipc_ini "$n")" || continue
		put ipc_rate "$(calc "$n * 1e9 / ($(key wall_ns "$res") - $base0)")"
		putl ipc ipclat ipc "$tpn" || true
	done
}

# 2b. Task start: a system of START_TASKS tasks that exit at once, minus a one-task system,
# per extra task (a mean from outside: spawn, boot handshake, exit, reaping), beside a
# plain fork + exec of the same binary outside the simulator (base-spawn): one process
# after another, and START_TASKS processes started at once minus one process, per extra
# process (the shape of the simulator's figure: a system's tasks start together).
START_TASKS=16
start_ini() { # K
	local f="$WORK/start-$1.ini" i=1
	{
		printf '[system]\nseed = 1\nmax_tasks = %d\n\n' "$1"
		while [ $i -le "$1" ]; do
			task "null-0-$i" $((0x4000 + i))
			echo
			i=$((i + 1))
		done
	} >"$f"
	echo "$f"
}

# A one-task system whose task returns at once and is restarted (exit_mode = restart): one
# job per microsecond of virtual time, so --duration N us makes N processes of one task.
respawn_ini() {
	local f="$WORK/respawn.ini"
	{
		printf '[system]\nseed = 1\n\n'
		task null-0-1 0x4001
		printf 'exit_mode = restart\n'
	} >"$f"
	echo "$f"
}

bench_start() {
	local i k=$START_TASKS sn=50 rn=100 w1 b1
	[ "$smoke" = 1 ] && k=4 sn=4 rn=10
	echo "$k" >"$WORK/start.k"
	echo "$rn" >"$WORK/respawn.n"
	log "task start: $reps x ($k-task system - 1-task system; $sn fork+exec; $rn respawns with and without a fork server)"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		base spawn "$B/base-spawn" "$sn" "$TASK" null-0 && putb spawn
		base spawnp1 "$B/base-spawn" -p 1 "$TASK" null-0 && b1=$(key wall_ns "$res") &&
			base spawnpk "$B/base-spawn" -p "$k" "$TASK" null-0 &&
			put spawnp_mean "$(calc "($(key wall_ns "$res") - $b1) / ($k - 1)")"
		sim start1 "$(start_ini 1)" || continue
		w1=$(key wall_ns "$res")
		sim startk "$(start_ini "$k")" &&
			put start_mean "$(calc "($(key wall_ns "$res") - $w1) / ($k - 1)")"
		# the same task's processes, one after another: fork + exec each, or clones of
		# its fork server (started once: part of the figure)
		sim respawn_fe "$(respawn_ini)" --duration "${rn}us" &&
			put respawn_fe_mean "$(calc "($(key wall_ns "$res") - $w1) / ($rn - 1)")"
		sim respawn_fs "$(respawn_ini)" --duration "${rn}us" --fork-server &&
			put respawn_fs_mean "$(calc "($(key wall_ns "$res") - $w1) / ($rn - 1)")"
	done
}

# 2c. `sentry-sim fuzz`: programs/s through real task processes (each program a fresh
# system: its tasks start, run their scripts, end), beside the in-process driver alone
# (tests/fuzz/fuzz-kernel: the same generator and kernel model, no processes).
FUZZ_TASK="$top_builddir/tests/fuzz/fuzz-task"
FUZZ_KERNEL="$top_builddir/tests/fuzz/fuzz-kernel"
bench_fuzz() {
	local i n=200 kn=3000 t0 t1
	[ "$smoke" = 1 ] && n=3 kn=100
	if [ ! -x "$FUZZ_TASK" ] || [ ! -x "$FUZZ_KERNEL" ]; then
		fail "fuzz: $FUZZ_TASK or $FUZZ_KERNEL is missing (make tests/fuzz/fuzz-kernel)"
		return
	fi
	echo "$n" >"$WORK/fuzz.n"
	echo "$kn" >"$WORK/fuzzk.n"
	log "fuzz: $reps x (sentry-sim fuzz -n $n, also --no-fork-server, --no-restart-in-place and --jobs 2; fuzz-kernel -n $kn in-process)"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		t0=$(date +%s%N)
		if ! timeout "$TMO" "$SENTRY_SIM" fuzz -s 1 -n "$n" --task "$FUZZ_TASK" \
			>"$WORK/fuzz.out" 2>&1; then
			fail "fuzz: sentry-sim fuzz failed"
			tail -n 20 "$WORK/fuzz.out" | sed 's/^/    /' >&2
			continue
		fi
		t1=$(date +%s%N)
		put fuzz_rate "$(calc "$n * 1e9 / ($t1 - $t0)")"
		t0=$(date +%s%N)
		if ! timeout "$TMO" "$SENTRY_SIM" fuzz -s 1 -n "$n" --task "$FUZZ_TASK" \
			--no-fork-server >"$WORK/fuzz.out" 2>&1; then
			fail "fuzz: sentry-sim fuzz --no-fork-server failed"
			continue
		fi
		t1=$(date +%s%N)
		put fuzz_fe_rate "$(calc "$n * 1e9 / ($t1 - $t0)")"
		t0=$(date +%s%N)
		if ! timeout "$TMO" "$SENTRY_SIM" fuzz -s 1 -n "$n" --task "$FUZZ_TASK" \
			--no-restart-in-place >"$WORK/fuzz.out" 2>&1; then
			fail "fuzz: sentry-sim fuzz --no-restart-in-place failed"
			continue
		fi
		t1=$(date +%s%N)
		put fuzz_nrip_rate "$(calc "$n * 1e9 / ($t1 - $t0)")"
		t0=$(date +%s%N)
		if ! timeout "$TMO" "$SENTRY_SIM" fuzz -s 1 -n "$n" --task "$FUZZ_TASK" --jobs 2 \
			>"$WORK/fuzz.out" 2>&1; then
			fail "fuzz: sentry-sim fuzz --jobs 2 failed"
			continue
		fi
		t1=$(date +%s%N)
		put fuzz_j2_rate "$(calc "$n * 1e9 / ($t1 - $t0)")"
		t0=$(date +%s%N)
		timeout "$TMO" "$FUZZ_KERNEL" -s 1 -n "$kn" >"$WORK/fuzzk.out" 2>&1 ||
			{ fail "fuzz: fuzz-kernel failed"; continue; }
		t1=$(date +%s%N)
		put fuzzk_rate "$(calc "$kn * 1e9 / ($t1 - $t0)")"
	done
}

# 3. 255 tasks: boot, one IPC exchange each with a hub, exit; beside as many processes of
# the same binary started at once outside the simulator (base-spawn -p); then memory.
bench_scale() {
	local i hold=1000
	# smoke: a smaller system, so that make check stays short
	[ "$smoke" = 1 ] && hold=200 SCALE_TASKS=32
	log "scale: $SCALE_TASKS tasks, $reps runs"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		sim scale "$(scale_ini 0)" && {
			put scale_wall_ms "$(calc "$(key wall_ns "$res") / 1e6")"
			put scale_cpu_ms "$(cpu_ms)"
			put boot_task_ms "$(calc "$(key wall_ns "$res") / 1e6 / $SCALE_TASKS")"
		}
		base scalebase "$B/base-spawn" -p "$SCALE_TASKS" "$TASK" null-0 &&
			put scale_base_ms "$(calc "$(key wall_ns "$res") / 1e6")"
	done
	# Memory: leaves hold for $hold ms (paced to the wall clock) after their exchange, so
	# that every process is alive while bench-time samples them.
	i=0
	while [ $i -lt $(((reps + 1) / 2)) ]; do
		i=$((i + 1))
		local ini
		ini=$(scale_ini $hold)
		local rc=0
		timeout "$TMO" "$TIME" -m 50 -o "$WORK/mem.time" -- \
			"$SENTRY_SIM" run -q --realtime=1 "$ini" >"$WORK/mem.out" 2>"$WORK/mem.err" ||
			rc=$?
		res=$(cat "$WORK/mem.time" 2>/dev/null || true)
		if [ "$rc" != 0 ]; then
			fail "scale memory run: status $rc"
			tail -n 20 "$WORK/mem.err" >&2
			continue
		fi
		local procs
		procs=$(key mem_procs "$res")
		if [ "$procs" != "$SCALE_TASKS" ]; then
			# a timing matter (the sampler missed the window), not a failure
			log "scale memory run: no sample caught all $SCALE_TASKS task processes" \
				"(best: $procs); sample dropped"
			continue
		fi
		put mem_total_rss_mb \
			"$(calc "($(key mem_rss_kb "$res") + $(key mem_daemon_rss_kb "$res")) / 1024")"
		put mem_total_pss_mb "$(calc "$(key mem_pss_kb "$res") / 1024")"
		put mem_task_rss_kb "$(calc "$(key mem_rss_kb "$res") / $procs")"
		put mem_task_max_rss_kb "$(key mem_max_rss_kb "$res")"
		put mem_task_pss_kb "$(calc "$(key mem_pss_kb "$res") / $procs")"
		put mem_task_uss_kb "$(calc "$(key mem_uss_kb "$res") / $procs")"
		put mem_daemon_rss_kb "$(key mem_daemon_rss_kb "$res")"
	done
}

# 4. 24 hours of virtual time across 8 tasks; and, per wake-up (the same system run for
# 1 ms of virtual time, its boot and exit, subtracted), beside a handoff in a ring of as
# many processes pinned to one CPU (base-ring), as a task's wake-up is a switch between
# task processes on the tasks' CPU; and beside a handoff of the two-process futex
# ping-pong (half its round trip).
bench_vtime() {
	local i d=$VT_DURATION ms=$VT_DURATION_MS fn=20000 rn=3000 w0
	[ "$smoke" = 1 ] && d=10min ms=600000 fn=2000 rn=300
	log "virtual time: $VT_TASKS tasks, $d, $reps runs (and 1 ms of it; $fn futex round trips; $rn laps of a $VT_TASKS-process ring)"
	echo "$d" >"$WORK/vt.duration"
	echo "$ms" >"$WORK/vt.ms"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		base vtfutex "$B/base-futex" -c 0,0 "$fn" &&
			put vt_handoff_us "$(calc "$(key smean_ns "$res") / 2 / 1e3")"
		base vtring "$B/base-ring" "$VT_TASKS" "$rn" &&
			put vt_ring_us "$(calc "$(key smean_ns "$res") / $VT_TASKS / 1e3")"
		sim vt0 "$(vt_ini 1ms)" || continue
		w0=$(key wall_ns "$res")
		sim vt "$(vt_ini "$d")" || continue
		put vt_wall_ms "$(calc "$(key wall_ns "$res") / 1e6")"
		put vt_cpu_ms "$(cpu_ms)"
		put vt_wake_us "$(calc "($(key wall_ns "$res") - $w0) / $(vt_count 1 "$ms") / 1e3")"
	done
}

# 5. The kernel model alone.
bench_kernel() {
	local i n=5000000 mix line
	[ "$smoke" = 1 ] && n=100000
	log "kernel model: $reps x $n calls per mix"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		base kernel "$B/bench-kernel" "$n" || continue
		for mix in getrandom getcycle ipc; do
			line=$(printf '%s\n' "$res" | grep "mix=$mix " || true)
			[ -n "$line" ] && put "kernel_$mix" "$(calc "$(key rate "$line") / 1e6")"
		done
	done
}

# 6. Idle cost: every task blocked, paced to the wall clock. The CPU time of a long and a
# short run differ by what the blocked system costs per second. In the blocked system the
# first wake-up comes 50 ms after the time limit: the daemon paces to the next timed event
# (not to the limit), so a longer sleep would make the run that much longer.
bench_idle() {
	local i short=500 long=2500 c1 c2 w1 w2 kind ms d
	[ "$smoke" = 1 ] && short=200 long=400
	log "idle: $reps x (${short} ms, ${long} ms) real-time runs"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		for kind in blocked wakeups; do
			for d in $short $long; do
				ms=100
				[ $kind = blocked ] && ms=$((d + 50))
				sim "idle-$d" "$(vt_ini "${d}ms" "$ms")" --realtime=1 || continue 2
				if [ "$d" = "$short" ]; then
					c1=$(calc "$(key user_ns "$res") + $(key sys_ns "$res")")
					w1=$(key wall_ns "$res")
				else
					c2=$(calc "$(key user_ns "$res") + $(key sys_ns "$res")")
					w2=$(key wall_ns "$res")
				fi
			done
			put "idle_${kind}_pct" "$(calc "100 * ($c2 - $c1) / ($w2 - $w1)")"
		done
	done
}

TRACE_N=20000  # round trips of the storm (about 0.3 s on a quiet 2-CPU machine)
TRACE_GAP=10   # µs each task computes before each send in the computing workload
TRACE_GAP_N=10000

# trace_ini N [US TPUS]: the IPC ping-pong of N round trips, each task computing US µs
# before each send (none without).
trace_ini() {
	local suffix=${2:+-$2-$3}
	{
		printf '[system]\nseed = 1\n\n'
		task "ping-$1$suffix" 0x2000
		echo
		task "pong-$1$suffix" 0x2001
	} >"$WORK/trace-$1$suffix.ini"
	echo "$WORK/trace-$1$suffix.ini"
}

# trace_run WORKLOAD MODE INI TPN: one run of INI without a writer (MODE off), with --trace
# or with --vcd; its wall time as trace_WORKLOAD_MODE_ns, its round trips (in-task) as
# trace_WORKLOAD_MODE_{p50,mean,p99}, and the file's size.
trace_run() {
	local w=$1 mode=$2 ini=$3 tpn=$4 file=
	case $mode in
	trace) file="$WORK/trace.json" ;;
	vcd) file="$WORK/trace.vcd" ;;
	esac
	sim "trace-$w-$mode" "$ini" ${file:+--$mode="$file"} || return 1
	if [ -n "$file" ] && [ ! -s "$file" ]; then
		fail "trace: --$mode wrote no file"
		return 1
	fi
	echo "$(key wall_ns "$res")" >"$WORK/trace-$w-$mode.wall"
	putl "trace-$w-$mode" ipclat "trace_${w}_$mode" "$tpn" || return 1
	[ -n "$file" ] && put "trace_${w}_${mode}_mb" "$(calc "$(wc -c <"$file") / 1048576")"
	rm -f "$WORK/trace.json" "$WORK/trace.vcd"
	return 0
}

# 7. The cost of a trace and of a VCD: the same IPC ping-pong without a writer, with --trace
# and with --vcd, run back to back in each repetition (in the opposite order every other
# repetition, so that a drift of the machine's load favours neither); per repetition, the
# ratio of the wall times to the run without. Two workloads: the storm (system calls and
# nothing else, the worst case) and tasks that compute between calls, as real tasks do. The
# round trips are also timed inside the task (the ratios of their p50, mean and p99), and
# the writers alone, in-process, by bench-kernel (ns per system call, beside the bare model).
bench_trace() {
	local i n=$TRACE_N gn=$TRACE_GAP_N tpn tpus w ini mode order off line
	[ "$smoke" = 1 ] && n=500 gn=200
	base tracecal "$B/base-getppid" 1000 || return 0
	tpn=$(key ticks_per_ns "$res")
	tpus=$(awk -v t="$tpn" 'BEGIN { printf "%d", t * 1000 + 0.5 }')
	echo "$n $gn $TRACE_GAP" >"$WORK/trace.n"
	log "trace: $reps x ($n round trips, $gn round trips computing $TRACE_GAP µs), without a writer, with --trace, with --vcd"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		order="off trace vcd"
		[ $((i % 2)) = 0 ] && order="vcd trace off"
		for w in storm gap; do
			if [ $w = storm ]; then ini=$(trace_ini "$n"); else ini=$(trace_ini "$gn" "$TRACE_GAP" "$tpus"); fi
			for mode in $order; do
				trace_run $w $mode "$ini" "$tpn" || continue 3
			done
			off=$(cat "$WORK/trace-$w-off.wall")
			for mode in trace vcd; do
				put "trace_${w}_${mode}_ms" "$(calc "$(cat "$WORK/trace-$w-$mode.wall") / 1e6")"
				put "trace_${w}_${mode}_ratio" "$(calc "$(cat "$WORK/trace-$w-$mode.wall") / $off")"
			done
			put "trace_${w}_off_ms" "$(calc "$off / 1e6")"
		done
		# the writers alone, in-process
		for mode in ipc ipc-trace ipc-vcd; do
			base "kernel-$mode" "$B/bench-kernel" -m "$mode" -d "$WORK" "$((n * 5))" || continue 2
			line=$(printf '%s\n' "$res" | grep "mix=$mode " || true)
			[ -n "$line" ] && put "trace_kernel_${mode#ipc-}_ns" "$(key ns_per_call "$line")"
		done
		rm -f "$WORK/bench.json" "$WORK/bench.vcd"
	done
}

# 8. A trapped register access: 32-bit loads from a device with a model (`model = memory`:
# no observer answers it, the daemon performs the load on the window's memory), beside
# loads of the same kind from plain memory and null calls, in the same task and run.
mmio_ini() { # N
	{
		printf '[system]\nseed = 1\n\n'
		task "mmio-$1" 0x1000 "CAP_DEV_TIMER; CAP_CRY_KRNG"
		printf '\n[device regs]\nlabel = 0x30\nowner = mmio-%s\ncompatible = sim,scratch-timer\n' "$1"
		printf 'base = 0x40001000\nsize = 0x400\nmodel = memory\n'
	} >"$WORK/mmio-$1.ini"
	echo "$WORK/mmio-$1.ini"
}

bench_mmio() {
	local n=200000 i tpn
	[ "$smoke" = 1 ] && n=2000
	echo "$n" >"$WORK/mmio.n"
	log "trapped register access: $reps x $n loads (and as many plain loads and null calls)"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		base mmiocal "$B/base-getppid" 1000 || continue
		tpn=$(key ticks_per_ns "$res")
		sim mmio "$(mmio_ini "$n")" || continue
		putl mmio mmio mmio "$tpn" || true
		putl mmio mmioplain mmioplain "$tpn" || true
		putl mmio mmionull mmionull "$tpn" || true
	done
}

# ---------------------------------------------------------------------------------------
load_start=$(load1)
ticks_start=$(cpu_ticks)
date_start=$(date -u '+%Y-%m-%d %H:%M UTC')
want null && bench_null
want gap && bench_gap
want ipc && bench_ipc
want start && bench_start
want fuzz && bench_fuzz
want scale && bench_scale
want vtime && bench_vtime
want kernel && bench_kernel
want idle && bench_idle
want trace && bench_trace
want mmio && bench_mmio
load_end=$(load1)
ticks_end=$(cpu_ticks)
steal=$(echo "$ticks_start $ticks_end" |
	awk '{ t = $4 - $2; printf "%.1f", (t > 0 ? 100 * ($3 - $1) / t : 0) }')

# ---------------------------------------------------------------------------------------
# Report.

# The statistics of every metric, computed once (one awk for all: the report asks for them
# hundreds of times, and a process start costs milliseconds on a loaded machine): for each
# metric M, the shell variable ST_M = "median p10 p90 count".
if [ -n "$(ls "$WORK/m")" ]; then
	eval "$(cd "$WORK/m" && awk '
		function q(p,   h, i, f) {
			h = (k - 1) * p + 1; i = int(h); f = h - i
			return i >= k ? v[k] : v[i] + f * (v[i + 1] - v[i])
		}
		function flush(   i, j, t) {
			if (name == "") return
			for (i = 2; i <= k; i++)
				for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			printf "ST_%s=\"%.6g %.6g %.6g %d\"\n", name, q(0.5), q(0.1), q(0.9), k
		}
		FILENAME != name { flush(); name = FILENAME; k = 0 }
		{ v[++k] = $1 + 0 }
		END { flush() }' *)"
fi

# stat METRIC: "median p10 p90 count" of METRIC's samples ("- - - 0" if none).
stat() { eval "echo \"\${ST_$1:-- - - 0}\""; }

med() { eval "set -- \${ST_$1:--}"; echo "$1"; }

# show METRIC SCALE DIGITS UNIT: "median (p10–p90) UNIT", values multiplied by SCALE.
show() {
	stat "$1" | awk -v s="$2" -v d="$3" -v u="$4" '{
		if ($4 == 0) { print "not measured"; exit }
		f = "%." d "f"
		m = sprintf(f, $1 * s); lo = sprintf(f, $2 * s); hi = sprintf(f, $3 * s)
		if ($4 == 1) printf "%s %s\n", m, u
		else printf "%s %s (%s–%s)\n", m, u, lo, hi }'
}

# have METRIC...: were all these measured?
have() {
	for m in "$@"; do [ -s "$WORK/m/$m" ] || return 1; done
	return 0
}

# judge CONDITION METRIC...: "met" if the awk CONDITION (written on the medians) holds,
# "**missed**" if not, "not measured" if a metric is missing.
judge() {
	local cond=$1
	shift
	have "$@" || { echo "not measured"; return; }
	awk "BEGIN { if ($cond) print \"met\"; else print \"**missed**\" }"
}

# ratio A B: median of A / median of B, two decimals ("?" if either is missing).
ratio() {
	have "$1" "$2" || { echo "?"; return; }
	awk -v a="$(med "$1")" -v b="$(med "$2")" 'BEGIN { printf "%.2f", b ? a / b : 0 }'
}

# mean METRIC: the mean of METRIC's samples, two decimals ("?" if none).
mean() {
	have "$1" || { echo "?"; return; }
	awk '{ s += $1; n++ } END { printf "%.2f", s / n }' "$WORK/m/$1"
}

# trace_n K: the Kth figure of the trace benchmark's sizes (round trips of the storm, of the
# computing workload, µs computed per send).
trace_n() { cut -d' ' -f"$1" "$WORK/trace.n" 2>/dev/null || echo "?"; }

# trace_ratios W MODE: the wall-time ratio of MODE (trace, vcd) to no writer, workload W:
# "median (p10–p90), mean M"; then the ratios of the round trips' p50 / mean / p99.
trace_ratios() {
	have "trace_$1_$2_ratio" || { echo "not measured"; return; }
	printf '%s, mean %s x; round trips: %s' "$(show "trace_$1_$2_ratio" 1 2 x)" \
		"$(mean "trace_$1_$2_ratio")" "$(r3 "trace_$1_$2" "trace_$1_off")"
}

# trace_judge W MODE LIMIT: "met" if MODE's wall-time ratio is below LIMIT at the median and
# the mean over the runs, and so are the ratios of the round trips' p50, mean and p99.
trace_judge() {
	have "trace_$1_$2_ratio" || { echo "not measured"; return; }
	local bad= st
	awk -v r="$(med "trace_$1_$2_ratio")" "BEGIN { exit !(r < $3) }" || bad="wall median"
	awk -v r="$(mean "trace_$1_$2_ratio")" "BEGIN { exit !(r < $3) }" ||
		bad="$bad${bad:+, }wall mean"
	for st in p50 mean p99; do
		awk -v r="$(ratio "trace_$1_$2_$st" "trace_$1_off_$st")" "BEGIN { exit !(r < $3) }" ||
			bad="$bad${bad:+, }round trip $st"
	done
	[ -z "$bad" ] && echo "met" || echo "**missed** ($bad)"
}

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
ncpu=$(nproc 2>/dev/null || echo "?")
kernel=$(uname -sr)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
hyper=$(lscpu 2>/dev/null | sed -n 's/^Hypervisor vendor: *//p' | head -n 1)
rev=$(cd "$top_srcdir" && git rev-parse --short HEAD 2>/dev/null || echo "unknown")
dirty=$(cd "$top_srcdir" && git status --porcelain 2>/dev/null | grep -q . &&
	echo " + uncommitted changes" || true)
cflags=$(sed -n 's/^CFLAGS = //p' "$top_builddir/Makefile" 2>/dev/null | head -n 1)

# tri PREFIX [DIV UNIT]: "p50 / mean / p99 UNIT" of PREFIX_p50, PREFIX_mean, PREFIX_p99
# (medians over the runs, in ns divided by DIV; default µs).
tri() {
	have "$1_p50" "$1_mean" "$1_p99" || { echo "not measured"; return; }
	awk -v a="$(med "$1_p50")" -v b="$(med "$1_mean")" -v c="$(med "$1_p99")" \
		-v d="${2:-1e3}" -v u="${3:-µs}" \
		'BEGIN { printf "%.2f / %.2f / %.2f %s", a / d, b / d, c / d, u }'
}

# r3 A B: the ratios A/B of the medians of p50, mean and p99: "x / y / z".
r3() {
	have "$1_p50" "$1_mean" "$1_p99" "$2_p50" "$2_mean" "$2_p99" || { echo "?"; return; }
	local st out=
	for st in p50 mean p99; do
		out="$out${out:+ / }$(ratio "$1_$st" "$2_$st")"
	done
	echo "$out"
}

# j3 A B OP K: "met" if the ratio A/B satisfies OP K (awk: <=, >=) at the median, the mean
# and the p99; otherwise "**missed**" with the statistics that missed.
j3() {
	have "$1_p50" "$1_mean" "$1_p99" "$2_p50" "$2_mean" "$2_p99" ||
		{ echo "not measured"; return; }
	local st bad=
	for st in p50 mean p99; do
		awk -v r="$(ratio "$1_$st" "$2_$st")" "BEGIN { exit !(r $3 $4) }" ||
			bad="$bad${bad:+, }$st"
	done
	[ -z "$bad" ] && echo "met" || echo "**missed** ($bad)"
}

# jabs PREFIX LIMIT_NS: "met" if p50, mean and p99 are all <= LIMIT_NS.
jabs() {
	have "$1_p50" "$1_mean" "$1_p99" || { echo "not measured"; return; }
	local st bad=
	for st in p50 mean p99; do
		awk -v v="$(med "$1_$st")" "BEGIN { exit !(v <= $2) }" || bad="$bad${bad:+, }$st"
	done
	[ -z "$bad" ] && echo "met" || echo "**missed** ($bad)"
}

# gap_goal_rows: one goal row per compute gap.
gap_goal_rows() {
	local g
	for g in $GAPS; do
		printf '| 1c | Call after %s µs of computing ≤ 5 µs, and ≤ 2x a seccomp-notify round trip after the same gap | %s | seccomp-notify after %s µs: %s | %s | ≤ 5 µs: %s; ≤ 2x: %s |\n' \
			"$g" "$(tri "gap$g")" "$g" "$(tri "sgap$g")" "$(r3 "gap$g" "sgap$g")" \
			"$(jabs "gap$g" 5000)" "$(j3 "gap$g" "sgap$g" "<=" 2)"
	done
}

# gap_rows: the compute-gap figures, one row per gap.
gap_rows() {
	local g
	for g in $GAPS; do
		printf '| %s µs | %s | %s | %s |\n' "$g" "$(tri "gap$g")" "$(tri "sgap$g")" \
			"$(r3 "gap$g" "sgap$g")"
	done
}

# mean_vs_p50 PREFIX: the ratio of PREFIX's mean to its own p50.
mean_vs_p50() { ratio "$1_mean" "$1_p50"; }

report() {
	cat <<EOF
# Benchmarks: results

Written by \`make bench\` (tests/bench/run.sh) on $date_start; everything above the notes
marker is rewritten by each run, the notes below it are kept. Figures are the **median
(p10–p90) over $reps runs** unless a single run is shown; baselines come from the same
run, interleaved with the simulator's runs.

## Machine

| | |
|---|---|
| CPU | ${cpu:-unknown}, $ncpu online CPUs${hyper:+ (virtual machine: $hyper)} |
| Kernel | $kernel |
| Build | $rev$dirty, CFLAGS \`$cflags\` |
| Memory | $mem |
| Load average (1 min) | $load_start at the start, $load_end at the end (other work on the machine) |
| Steal time | $steal % of the CPU time while it ran (the host running something else on these virtual CPUs: a figure of its noise) |

## Method

Every figure is wall-clock time measured outside the tasks (tests/bench/bench-time runs the
daemon and reports its wall time, the CPU time of the daemon and of the task processes it
reaped, and, sampled from /proc, the memory of every task process). A per-operation cost is
a run of N operations minus a run of the same system with N = 0, divided by N. The
distributions of single calls (null call, call after a compute gap, IPC round trip) are
taken inside the task: it brackets each call with the host's cycle counter (rdtsc: an
instruction, wall time, not the simulator's virtual time), converted to ns with the ratio a
baseline measures in the same repetition; for the null call the outside mean is shown
beside it as a cross-check. The baselines are small C programs (tests/bench/base-*.c) run
in every repetition, interleaved with the simulator runs, so that both see the same
machine. The futex baselines are pinned (both processes on CPU 0, or one on CPU 0 and one
on CPU 1), and so is the cross-core spin floor (CPUs 0 and 1); the other baselines run
where the scheduler puts them; the simulator places its own processes (with two CPUs or
more, the daemon on one and the task processes on the others).

Each goal with a same-run baseline is judged as a ratio to it, **at the median, the mean and
the p99** (each the median over the runs), and is met only if all three are; the column
"Ratio" gives them in that order. Goals without a baseline are absolute and say so.

## Goals

| # | Goal | Simulator: p50 / mean / p99 | Baseline, same run: p50 / mean / p99 | Ratio: p50 / mean / p99 | Status |
|---|---|---|---|---|---|
| 1a | Null call (get_random) ≤ 1.5x the cross-core spin floor | $(tri null) | cache line between two CPUs: $(tri spin) | $(r3 null spin) | $(j3 null spin "<=" 1.5) |
| 1a | Null call: mean ≤ 2x its own p50 | $(tri null) | | mean / p50: $(mean_vs_p50 null) | $(judge "$(med null_mean) <= 2 * $(med null_p50)" null_mean null_p50) |
| 1a | Null call ≤ 5x a raw host system call | $(tri null) | getppid: $(tri getppid) | $(r3 null getppid) | $(j3 null getppid "<=" 5) |
| 1a | Null call ≥ 5x faster than a seccomp user-notification round trip | $(tri null) | seccomp-notify: $(tri seccomp) | $(r3 seccomp null) faster | $(j3 seccomp null ">=" 5) |
| 1a | Null call ≤ 1 µs (absolute) | $(tri null) | | | $(jabs null 1000) |
$(gap_goal_rows)
| 2 | IPC round trip (64 bytes) ≤ 2x the futex ping-pong pinned to one CPU | $(tri ipc) | futex, one CPU: $(tri futex1) | $(r3 ipc futex1) | $(j3 ipc futex1 "<=" 2) |
| 2 | IPC ≥ 100 k round trips/s (absolute, a mean) | $(show ipc_rate 0.001 1 k/s) | futex, one CPU: $(show futex1_rate 0.001 1 k/s) | | $(judge "$(med ipc_rate) >= 100000" ipc_rate) |
| 2b | Task start ≤ 1.5x fork+exec of the same binary (means only: the simulator's figure is a difference of two runs) | mean $(show start_mean 0.000001 2 ms) | fork+exec: $(tri spawn 1e6 ms) | mean $(ratio start_mean spawn_mean) | $(judge "$(med start_mean) <= 1.5 * $(med spawn_mean)" start_mean spawn_mean) |
| 2b | Task start ≤ 1.5x fork+exec of the same binary, $(cat "$WORK/start.k" 2>/dev/null || echo ?) processes started at once as the simulator starts a system's tasks (means only: both figures per extra process, a difference of two runs) | mean $(show start_mean 0.000001 2 ms) | fork+exec at once: mean $(show spawnp_mean 0.000001 2 ms) | mean $(ratio start_mean spawnp_mean) | $(judge "$(med start_mean) <= 1.5 * $(med spawnp_mean)" start_mean spawnp_mean) |
| 2b | Task start from a fork server (a respawn) ≤ 1.5x fork+exec of the same binary (means only) | mean $(show respawn_fs_mean 0.000001 2 ms) | fork+exec: $(tri spawn 1e6 ms) | mean $(ratio respawn_fs_mean spawn_mean) | $(judge "$(med respawn_fs_mean) <= 1.5 * $(med spawn_mean)" respawn_fs_mean spawn_mean) |
| 2c | \`sentry-sim fuzz\` ≥ 100 programs/s (absolute; the in-process driver's rate beside it) | $(show fuzz_rate 1 1 programs/s) | in-process: $(show fuzzk_rate 1 0 programs/s) | in-process / real: $(ratio fuzzk_rate fuzz_rate) | $(judge "$(med fuzz_rate) >= 100" fuzz_rate) |
| 3 | $SCALE_TASKS tasks boot, exchange one IPC with a hub, exit: wall time ≤ 1.5x $SCALE_TASKS processes of the same binary started at once (fork+exec, all waited for) | $(show scale_wall_ms 1 0 ms) | fork+exec at once: $(show scale_base_ms 1 0 ms) | $(ratio scale_wall_ms scale_base_ms) | $(judge "$(med scale_wall_ms) <= 1.5 * $(med scale_base_ms)" scale_wall_ms scale_base_ms) |
| 3 | The same: wall time < 1 s (absolute) | $(show scale_wall_ms 1 0 ms) | | | $(judge "$(med scale_wall_ms) < 1000" scale_wall_ms) |
| 3 | Resident memory per task process (largest) ≤ 1 MiB (absolute) | $(show mem_task_max_rss_kb 1 0 KiB) | | | $(judge "$(med mem_task_max_rss_kb) <= 1024" mem_task_max_rss_kb) |
| 4 | Virtual time: a task's wake-up (a switch between task processes and two system calls) ≤ 2x a handoff in a ring of $VT_TASKS processes pinned to one CPU (one futex wake-up and one switch) (means only) | mean $(show vt_wake_us 1 2 µs) | ring handoff: mean $(show vt_ring_us 1 2 µs) | mean $(ratio vt_wake_us vt_ring_us) | $(judge "$(med vt_wake_us) <= 2 * $(med vt_ring_us)" vt_wake_us vt_ring_us) |
| 4 | $(cat "$WORK/vt.duration" 2>/dev/null || echo 24h) of virtual time, $VT_TASKS tasks: wall time < 1 s (absolute) | $(show vt_wall_ms 1 0 ms) | | | $(judge "$(med vt_wall_ms) < 1000" vt_wall_ms) |
| 5 | Kernel model alone, get_random ≥ 5 M calls/s (absolute) | $(show kernel_getrandom 1 2 "M calls/s") | | | $(judge "$(med kernel_getrandom) >= 5" kernel_getrandom) |
| 6 | Idle: CPU while every task is blocked (real time) about 0 (absolute) | $(show idle_blocked_pct 1 2 "% of a CPU") | | | $(judge "$(med idle_blocked_pct) < 1" idle_blocked_pct) |
| 7 | Writing a trace (\`--trace\`) costs < 2x the same run's wall time without it: IPC storm (system calls and nothing else), $(trace_n 1) round trips, trace of $(show trace_storm_trace_mb 1 1 MiB) | with: $(show trace_storm_trace_ms 1 1 ms) | without: $(show trace_storm_off_ms 1 1 ms) | $(trace_ratios storm trace) | $(trace_judge storm trace 2) |
| 7 | The same, each task computing $(trace_n 3) µs before each send, $(trace_n 2) round trips | with: $(show trace_gap_trace_ms 1 1 ms) | without: $(show trace_gap_off_ms 1 1 ms) | $(trace_ratios gap trace) | $(trace_judge gap trace 2) |
| 8 | Trapped register access (a 32-bit load from a device with a model): measured, no goal set; the ratio is to the null call | $(tri mmio) | null call: $(tri mmionull) | $(r3 mmio mmionull) | measured (no goal) |


## All figures

### 1. Null system call: one task calling get_random

| Figure | Value |
|---|---|
| Simulator, per call, p50 / mean / p99 (in-task cycle counter, $(cat "$WORK/null.n" 2>/dev/null || echo ?) calls) | $(tri null) |
| Simulator, per call, mean from outside ((run of N − run of 0) / N) | $(show null_omean 0.001 2 µs) |
| Simulator with one CPU-bound process competing: p50 / mean / p99 | $(tri nullload) |
| Boot and exit of a one-task system (run with N = 0) | $(show boot1_ms 1 1 ms) |
| Raw host system call (getppid): p50 / mean / p99 | $(tri getppid) |
| seccomp user-notification round trip, two processes: p50 / mean / p99 | $(tri seccomp) |
| Pipe request/response (16 bytes), two processes: p50 / mean / p99 | $(tri pipe) |
| Cross-core spin floor: one cache line handed back and forth by two processes pinned to CPUs 0 and 1, round trip p50 / mean / p99 | $(tri spin) |

### 1c. The cliff: a null call after a compute gap

One task computes for the gap (a busy loop on the cycle counter, not a sleep), then makes
one get_random; only the call is timed. The baseline process does the same before each
seccomp user-notification round trip (tests/bench/base-seccomp.c, \`-g\`). At most
$(cut -d' ' -f1 "$WORK/gap.n" 2>/dev/null || echo ?) calls per gap and about $(cut -d' ' -f2 "$WORK/gap.n" 2>/dev/null || echo ?) µs of gaps in all per gap and run.

| Gap | Simulator: p50 / mean / p99 | seccomp-notify: p50 / mean / p99 | Ratio: p50 / mean / p99 |
|---|---|---|---|
$(gap_rows)

### 2. IPC ping-pong between two tasks (send_ipc + wait_for_event both ways, 64 bytes)

| Figure | Value |
|---|---|
| Simulator, round trips/s ($(cat "$WORK/ipc.n" 2>/dev/null || echo ?) per run, boot subtracted) | $(show ipc_rate 0.001 1 k/s) |
| Simulator, round trip p50 / mean / p99 (in-task cycle counter) | $(tri ipc) |
| Futex ping-pong, both processes pinned to CPU 0 (the floor: two futex calls, two switches): round trips/s; p50 / mean / p99 | $(show futex1_rate 0.001 1 k/s); $(tri futex1) |
| Futex ping-pong, pinned to CPUs 0 and 1 (every wake-up crosses CPUs): round trips/s; p50 / mean / p99 | $(show futex2_rate 0.001 1 k/s); $(tri futex2) |

### 2b. Task start

A system of $(cat "$WORK/start.k" 2>/dev/null || echo ?) tasks that return from main at once, minus a
one-task system, per extra task: spawn from the daemon, the task's runtime start (filters,
exchange, boot handshake), exit and reaping, as a mean from outside. Beside it, fork + exec
of the same binary by a small process, waited for (tests/bench/base-spawn.c): outside the
simulator the binary's runtime finds no daemon, says so and exits, so this is fork, exec,
ld.so, libc start and exit.

| Figure | Value |
|---|---|
| Simulator, per extra task (mean) | $(show start_mean 0.000001 2 ms) |
| Simulator, per respawn of one task, fork and exec (mean of $(cat "$WORK/respawn.n" 2>/dev/null || echo ?), \`exit_mode = restart\`) | $(show respawn_fe_mean 0.000001 2 ms) |
| Simulator, per respawn of one task, a clone of its fork server (\`run --fork-server\`) | $(show respawn_fs_mean 0.000001 2 ms) |
| Respawn: fork and exec / fork server (same runs) | $(ratio respawn_fe_mean respawn_fs_mean) |
| fork + exec + wait of bench-task: p50 / mean / p99 | $(tri spawn 1e6 ms) |
| fork + exec of bench-task, $(cat "$WORK/start.k" 2>/dev/null || echo ?) at once (then all waited for) minus one, per extra process (mean) | $(show spawnp_mean 0.000001 2 ms) |

### 2c. \`sentry-sim fuzz\`

\`sentry-sim fuzz -s 1 -n $(cat "$WORK/fuzz.n" 2>/dev/null || echo ?)\` with the build's fuzz task: each program runs in-process and
through real task processes (a fresh system each, whose tasks restart in place the last
program's processes where they can, else start new ones, and restart them when the program
respawns one), and the two streams are compared. A campaign runs thousands
of programs; $(cat "$WORK/fuzz.n" 2>/dev/null || echo ?) keep the one-time start of its fork servers (one per task name) a
small part of the figure. Beside it, the in-process
driver alone (\`tests/fuzz/fuzz-kernel -s 1 -n $(cat "$WORK/fuzzk.n" 2>/dev/null || echo ?)\`): the same generator and kernel
model without processes. Rates from the wall time of the whole command.

| Figure | Value |
|---|---|
| \`sentry-sim fuzz\` (task processes cloned from fork servers, kept from one program for the next and restarted in place, as respawned tasks are: the defaults) | $(show fuzz_rate 1 1 programs/s) |
| \`sentry-sim fuzz --no-restart-in-place\` (a new process for every task of every program and every respawn) | $(show fuzz_nrip_rate 1 1 programs/s) |
| Restarts in place / new processes (same runs) | $(ratio fuzz_rate fuzz_nrip_rate) |
| \`sentry-sim fuzz --no-fork-server\` (fork and exec) | $(show fuzz_fe_rate 1 1 programs/s) |
| Fork servers / fork and exec (same runs) | $(ratio fuzz_rate fuzz_fe_rate) |
| \`sentry-sim fuzz --jobs 2\` (two worker processes sharing the programs) | $(show fuzz_j2_rate 1 1 programs/s) |
| Two workers / one process (same runs) | $(ratio fuzz_j2_rate fuzz_rate) |
| In-process driver alone | $(show fuzzk_rate 1 0 programs/s) |

### 3. Scale: $SCALE_TASKS tasks

A hub and $((SCALE_TASKS - 1)) leaves, max_tasks = $SCALE_TASKS (idle is handle id 255). For memory, every
task holds for a while after its exchange (paced to the wall clock) and /proc is sampled.

| Figure | Value |
|---|---|
| Wall time of the whole run (spawn, boot, exchanges, exits) | $(show scale_wall_ms 1 0 ms) |
| CPU time of the whole run (daemon and task processes) | $(show scale_cpu_ms 1 0 ms) |
| Boot cost per task: the wall time above / $SCALE_TASKS (spawn inside the boundary, boot, one exchange, exit) | $(show boot_task_ms 1 2 ms) |
| Baseline: $SCALE_TASKS processes of bench-task forked and exec'd at once, all waited for (outside the simulator: each finds no daemon and exits) | $(show scale_base_ms 1 0 ms) |
| Peak memory, sum of RSS (daemon + every task process) | $(show mem_total_rss_mb 1 1 MiB) |
| Peak memory, sum of PSS of the task processes (shared pages split) | $(show mem_total_pss_mb 1 1 MiB) |
| Per task process: RSS mean / largest | $(show mem_task_rss_kb 1 0 KiB) / $(show mem_task_max_rss_kb 1 0 KiB) |
| Per task process: PSS / USS (private pages only) | $(show mem_task_pss_kb 1 0 KiB) / $(show mem_task_uss_kb 1 0 KiB) |
| Daemon RSS | $(show mem_daemon_rss_kb 1 0 KiB) |

### 4. Virtual time

$VT_TASKS tasks; task i (1..$VT_TASKS) sleeps $((VT_SLEEP_MS / 1000))·i s, holds a periodic alarm of
$((2 * VT_SLEEP_MS / 1000))·i s and collects it after each sleep (wait_for_event(SIGNAL, no wait)); the run
stops at the time limit. Over 24 h that is $(vt_count 1) wake-ups, about twice as many system
calls, and $(vt_count 2) alarm expiries.

| Figure | Value |
|---|---|
| Wall time | $(show vt_wall_ms 1 0 ms) |
| CPU time (daemon and task processes) | $(show vt_cpu_ms 1 0 ms) |
| Per wake-up: (wall time − the same system run for 1 ms of virtual time) / $(vt_count 1 "$(cat "$WORK/vt.ms" 2>/dev/null || echo $VT_DURATION_MS)") wake-ups (mean) | $(show vt_wake_us 1 2 µs) |
| Baseline: a handoff in a ring of $VT_TASKS processes pinned to one CPU, SCHED_BATCH (a lap / $VT_TASKS, mean; tests/bench/base-ring.c) | $(show vt_ring_us 1 2 µs) |
| A handoff of the two-process futex ping-pong pinned to one CPU (its round trip / 2, mean); the wake-up / it | $(show vt_handoff_us 1 2 µs); $(ratio vt_wake_us vt_handoff_us) |

### 5. Kernel model alone (in-process, bench-kernel)

| Mix | Calls/s |
|---|---|
| get_random, one task | $(show kernel_getrandom 1 2 M/s) |
| get_cycle(MICROSECONDS), one task | $(show kernel_getcycle 1 2 M/s) |
| send_ipc / wait_for_event ping-pong, two tasks (elections included) | $(show kernel_ipc 1 2 M/s) |

### 6. Idle cost

$VT_TASKS tasks, --realtime: the CPU time of a long run minus that of a short one, over the
difference of their wall times.

| System | CPU used |
|---|---|
| Every task sleeps past the end of the run (all blocked) | $(show idle_blocked_pct 1 2 "% of a CPU") |
| Task i wakes every 0.1·i s ($(awk -v n=$VT_TASKS 'BEGIN { for (i = 1; i <= n; i++) t += 10 / i; printf "%.0f", t }') wake-ups/s in all) | $(show idle_wakeups_pct 1 2 "% of a CPU") |

### 7. The trace and VCD writers

The IPC ping-pong of goal 2, run without a writer, with \`--trace\` and with \`--vcd\`, back
to back in every repetition (in the opposite order every other one). Ratios are per
repetition, to the run without a writer: wall time (median (p10–p90) over the runs, then
their mean), and the round trips timed inside the task (p50 / mean / p99). The storm makes
system calls and nothing else ($(trace_n 1) round trips); in the computing workload each
task computes $(trace_n 3) µs (a busy loop) before each send ($(trace_n 2) round trips).

| Workload | Writer | Wall time | File | Ratio to no writer |
|---|---|---|---|---|
| Storm | none | $(show trace_storm_off_ms 1 1 ms) | | |
| Storm | \`--trace\` | $(show trace_storm_trace_ms 1 1 ms) | $(show trace_storm_trace_mb 1 1 MiB) | $(trace_ratios storm trace) |
| Storm | \`--vcd\` | $(show trace_storm_vcd_ms 1 1 ms) | $(show trace_storm_vcd_mb 1 2 MiB) | $(trace_ratios storm vcd) |
| Computing | none | $(show trace_gap_off_ms 1 1 ms) | | |
| Computing | \`--trace\` | $(show trace_gap_trace_ms 1 1 ms) | $(show trace_gap_trace_mb 1 1 MiB) | $(trace_ratios gap trace) |
| Computing | \`--vcd\` | $(show trace_gap_vcd_ms 1 1 ms) | $(show trace_gap_vcd_mb 1 2 MiB) | $(trace_ratios gap vcd) |

The writers alone, in-process: bench-kernel's ipc mix (the kernel model's ping-pong, no
processes) takes $(show trace_kernel_ipc_ns 1 0 ns) per system call; watched by the trace
writer (writing its file), $(show trace_kernel_trace_ns 1 0 ns); by the VCD writer, $(show trace_kernel_vcd_ns 1 0 ns).
### 8. Trapped register access

One task maps a device with \`model = memory\` (no observer answers it: the daemon decodes
each load and performs it on the window's memory) and makes $(cat "$WORK/mmio.n" 2>/dev/null || echo ?) 32-bit loads of one of its
registers, then as many loads of the same kind from its own memory, then as many null
calls; each is timed with the host's cycle counter.

| Figure | p50 / mean / p99 | Ratio to the null call: p50 / mean / p99 |
|---|---|---|
| Trapped load (SIGSEGV, request, decode, access, reply, return) | $(tri mmio) | $(r3 mmio mmionull) |
| Plain load of the same kind (with the timer's own cost) | $(tri mmioplain 1 ns) | |
| Null call (get_random), same task and run | $(tri mmionull) | |
EOF
}

if [ -n "$out" ]; then
	marker='<!-- notes: everything below this line is kept by run.sh -->'
	{
		report
		echo
		echo "$marker"
		if [ -f "$out" ] && grep -qF -- "$marker" "$out"; then
			sed -n "/^$marker\$/,\$p" "$out" | sed 1d
		else
			printf '\n## Notes\n\n(none yet)\n'
		fi
	} >"$WORK/results.md"
	cp "$WORK/results.md" "$out"
	log "wrote $out"
else
	report
fi
[ "$failed" = 0 ] || log "some benchmarks could not run (see above)"
exit "$failed"
