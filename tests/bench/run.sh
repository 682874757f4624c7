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
# The one figure that cannot come from outside is the distribution of single null calls
# (median, p99): there the task brackets each call with the host's cycle counter (rdtsc,
# an instruction: wall time, no system call), and the outside mean is shown beside it as
# a cross-check.
#
# Usage: run.sh [--smoke] [--reps N] [--out FILE] [--only LIST]
#   LIST: comma-separated subset of null,ipc,scale,vtime,kernel,idle
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
	"$B/base-pipe" "$B/base-futex"; do
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

# key WORD LINE: the value of key=value word WORD in LINE.
key() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }

# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }

fail() {
	log "FAILED: $*"
	failed=1
}

# sim NAME INI [ARGS...]: run the daemon on INI under bench-time. Sets $res to the
# bench-time line; the daemon's output is in $WORK/NAME.out and .err. Returns 1 (and
# reports) if the run did not end with status 0.
sim() {
	local name=$1 ini=$2
	shift 2
	local rc=0
	timeout "$TMO" "$TIME" -o "$WORK/$name.time" -- "$SENTRY_SIM" run -q --raw "$@" "$ini" \
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
			put getppid_p50 "$(key p50_ns "$res")"
			put getppid_p99 "$(key p99_ns "$res")"
		fi
		base seccomp "$B/base-seccomp" "$((lat / 10 + 1))" && {
			put seccomp_p50 "$(key p50_ns "$res")"
			put seccomp_p99 "$(key p99_ns "$res")"
		}
		base pipe "$B/base-pipe" "$((lat / 10 + 1))" && {
			put pipe_p50 "$(key p50_ns "$res")"
			put pipe_p99 "$(key p99_ns "$res")"
		}
		sim null0 "$(null_ini 0)" || continue
		base0=$(key wall_ns "$res")
		put boot1_ms "$(calc "$base0 / 1e6")"
		sim null "$(null_ini "$n")" &&
			put null_mean "$(calc "($(key wall_ns "$res") - $base0) / $n")"
		sim nulllat "$(null_ini "$lat" lat)" && {
			line=$(grep '^nulllat ' "$WORK/nulllat.out" || true)
			if [ -z "$line" ] || [ -z "${tpn:-}" ]; then
				fail "nulllat: no result line"
			else
				put null_p50 "$(calc "$(key p50_ticks "$line") / $tpn")"
				put null_p99 "$(calc "$(key p99_ticks "$line") / $tpn")"
			fi
		}
		# the same with one CPU-bound process competing for the two cores
		start_hog
		sim nullload "$(null_ini "$((lat / 10 + 1))" lat)" && {
			line=$(grep '^nulllat ' "$WORK/nullload.out" || true)
			if [ -n "$line" ] && [ -n "${tpn:-}" ]; then
				put nullload_p50 "$(calc "$(key p50_ticks "$line") / $tpn")"
				put nullload_p99 "$(calc "$(key p99_ticks "$line") / $tpn")"
				put nullload_mean "$(calc "$(key mean_ticks "$line") / $tpn")"
			fi
		}
		stop_hog
	done
}

# 2. IPC ping-pong between two tasks, beside a bare futex ping-pong.
bench_ipc() {
	local n base0 i
	if [ "$smoke" = 1 ]; then
		n=500
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
		base futex "$B/base-futex" 100000 && put futex_rate "$(key rate "$res")"
		base futexspin "$B/base-futex" -s 2000 100000 &&
			put futexspin_rate "$(key rate "$res")"
		sim ipc0 "$(ipc_ini 0)" || continue
		base0=$(key wall_ns "$res")
		sim ipc "$(ipc_ini "$n")" &&
			put ipc_rate "$(calc "$n * 1e9 / ($(key wall_ns "$res") - $base0)")"
	done
}

# 3. 255 tasks: boot, one IPC exchange each with a hub, exit; then memory.
bench_scale() {
	local i hold=1000
	[ "$smoke" = 1 ] && hold=500
	log "scale: $SCALE_TASKS tasks, $reps runs"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		sim scale "$(scale_ini 0)" && {
			put scale_wall_ms "$(calc "$(key wall_ns "$res") / 1e6")"
			put scale_cpu_ms "$(cpu_ms)"
			put boot_task_ms "$(calc "$(key wall_ns "$res") / 1e6 / $SCALE_TASKS")"
		}
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

# 4. 24 hours of virtual time across 8 tasks.
bench_vtime() {
	local i d=$VT_DURATION
	[ "$smoke" = 1 ] && d=10min
	log "virtual time: $VT_TASKS tasks, $d, $reps runs"
	echo "$d" >"$WORK/vt.duration"
	i=0
	while [ $i -lt $reps ]; do
		i=$((i + 1))
		sim vt "$(vt_ini "$d")" || continue
		put vt_wall_ms "$(calc "$(key wall_ns "$res") / 1e6")"
		put vt_cpu_ms "$(cpu_ms)"
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
	[ "$smoke" = 1 ] && long=1000
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

# ---------------------------------------------------------------------------------------
load_start=$(load1)
date_start=$(date -u '+%Y-%m-%d %H:%M UTC')
want null && bench_null
want ipc && bench_ipc
want scale && bench_scale
want vtime && bench_vtime
want kernel && bench_kernel
want idle && bench_idle
load_end=$(load1)

# ---------------------------------------------------------------------------------------
# Report.

# stat METRIC: "median p10 p90 count" of METRIC's samples ("- - - 0" if none).
stat() {
	if [ ! -s "$WORK/m/$1" ]; then
		echo "- - - 0"
		return
	fi
	sort -g "$WORK/m/$1" | awk '
		function q(p,   h, i, f) {
			h = (NR - 1) * p + 1; i = int(h); f = h - i
			return i >= NR ? v[NR] : v[i] + f * (v[i + 1] - v[i])
		}
		{ v[NR] = $1 }
		END { printf "%.6g %.6g %.6g %d\n", q(0.5), q(0.1), q(0.9), NR }'
}

med() { stat "$1" | cut -d' ' -f1; }

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

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
ncpu=$(nproc 2>/dev/null || echo "?")
kernel=$(uname -sr)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
hyper=$(lscpu 2>/dev/null | sed -n 's/^Hypervisor vendor: *//p' | head -n 1)
rev=$(cd "$top_srcdir" && git rev-parse --short HEAD 2>/dev/null || echo "unknown")
dirty=$(cd "$top_srcdir" && git status --porcelain 2>/dev/null | grep -q . &&
	echo " + uncommitted changes" || true)
cflags=$(sed -n 's/^CFLAGS = //p' "$top_builddir/Makefile" 2>/dev/null | head -n 1)

# vt_count K: events in 24 h of the virtual-time workload, every K sleeps.
vt_count() {
	awk -v s=$VT_SLEEP_MS -v n=$VT_TASKS -v k="$1" \
		'BEGIN { for (i = 1; i <= n; i++) t += int(86400000 / (k * s * i)); print t }'
}

G_P50=$(med null_p50); G_PPID=$(med getppid_p50)
G_SECC=$(med seccomp_p50); G_IPC=$(med ipc_rate); G_FUTEX=$(med futex_rate)

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

## Method

Every figure is wall-clock time measured outside the tasks (tests/bench/bench-time runs the
daemon and reports its wall time, the CPU time of the daemon and of the task processes it
reaped, and, sampled from /proc, the memory of every task process). A per-operation cost is
a run of N operations minus a run of the same system with N = 0, divided by N. The only
figure taken inside a task is the distribution of single null calls (median, p99): the task
brackets each get_random with the host's cycle counter (rdtsc: an instruction, wall time,
not the simulator's virtual time), converted to ns with the ratio the getppid baseline
measures in the same repetition; the outside mean is shown beside it as a cross-check. The
baselines are small C programs (tests/bench/base-*.c) run in every repetition, interleaved
with the simulator runs, so that both see the same machine. The driver pins nothing: the
baselines run where the scheduler puts them; the simulator places its own processes (with
two CPUs or more, the daemon on one and the task processes on the others).

## Goals

| # | Benchmark | Measured | Baseline, same run | Goal | Status |
|---|---|---|---|---|---|
| 1 | Null system call (get_random): median; p99 | $(show null_p50 0.001 2 µs); p99 $(show null_p99 0.001 2 µs) | raw getppid $(show getppid_p50 0.001 2 µs) | ≤ 1 µs | $(judge "$G_P50 <= 1000" null_p50) |
| 1 | | | seccomp user-notif $(show seccomp_p50 0.001 2 µs) | ≥ 5x faster than seccomp-notify | $(judge "$G_SECC >= 5 * $G_P50" null_p50 seccomp_p50) ($(ratio seccomp_p50 null_p50)x) |
| 1 | | | | ≤ 5x a raw host system call | $(judge "$G_P50 <= 5 * $G_PPID" null_p50 getppid_p50) ($(ratio null_p50 getppid_p50)x) |
| 2 | IPC ping-pong, 64 bytes, round trips/s | $(show ipc_rate 0.001 1 k/s) | futex ping-pong $(show futex_rate 0.001 1 k/s) | ≥ 100 k/s | $(judge "$G_IPC >= 100000" ipc_rate) |
| 2 | | | | within 3x of the futex floor | $(judge "$G_IPC * 3 >= $G_FUTEX" ipc_rate futex_rate) ($(ratio futex_rate ipc_rate)x slower) |
| 3 | $SCALE_TASKS tasks boot, exchange one IPC with a hub, exit: wall time | $(show scale_wall_ms 1 0 ms) | | < 1 s | $(judge "$(med scale_wall_ms) < 1000" scale_wall_ms) |
| 3 | resident memory per task process (largest) | $(show mem_task_max_rss_kb 1 0 KiB) | | ≤ 1 MiB | $(judge "$(med mem_task_max_rss_kb) <= 1024" mem_task_max_rss_kb) |
| 4 | $(cat "$WORK/vt.duration" 2>/dev/null || echo 24h) of virtual time, $VT_TASKS tasks: wall time | $(show vt_wall_ms 1 0 ms) | | < 1 s | $(judge "$(med vt_wall_ms) < 1000" vt_wall_ms) |
| 5 | Kernel model alone, get_random | $(show kernel_getrandom 1 2 "M calls/s") | | ≥ 5 M calls/s | $(judge "$(med kernel_getrandom) >= 5" kernel_getrandom) |
| 6 | Idle: CPU while every task is blocked (real time) | $(show idle_blocked_pct 1 2 "% of a CPU") | | about 0 | $(judge "$(med idle_blocked_pct) < 1" idle_blocked_pct) |

## All figures

### 1. Null system call: one task calling get_random

| Figure | Value |
|---|---|
| Simulator, per call, median / p99 (in-task cycle counter, $(cat "$WORK/null.n" 2>/dev/null || echo ?) calls) | $(show null_p50 0.001 2 µs) / $(show null_p99 0.001 2 µs) |
| Simulator, per call, mean from outside ((run of N − run of 0) / N) | $(show null_mean 0.001 2 µs) |
| Simulator with one CPU-bound process competing: median / p99 / mean | $(show nullload_p50 0.001 2 µs) / $(show nullload_p99 0.001 2 µs) / $(show nullload_mean 0.001 2 µs) |
| Boot and exit of a one-task system (run with N = 0) | $(show boot1_ms 1 1 ms) |
| Raw host system call (getppid): median / p99 | $(show getppid_p50 0.001 2 µs) / $(show getppid_p99 0.001 2 µs) |
| seccomp user-notification round trip, two processes: median / p99 | $(show seccomp_p50 0.001 2 µs) / $(show seccomp_p99 0.001 2 µs) |
| Pipe request/response (16 bytes), two processes: median / p99 | $(show pipe_p50 0.001 2 µs) / $(show pipe_p99 0.001 2 µs) |

### 2. IPC ping-pong between two tasks (send_ipc + wait_for_event both ways, 64 bytes)

| Figure | Value |
|---|---|
| Simulator, round trips/s ($(cat "$WORK/ipc.n" 2>/dev/null || echo ?) per run, boot subtracted) | $(show ipc_rate 0.001 1 k/s) |
| Futex ping-pong, two processes, futex wait/wake only (the floor) | $(show futex_rate 0.001 1 k/s) |
| Futex ping-pong, spinning 2000 times before each wait | $(show futexspin_rate 0.001 1 k/s) |

### 3. Scale: $SCALE_TASKS tasks

A hub and $((SCALE_TASKS - 1)) leaves, max_tasks = $SCALE_TASKS (idle is handle id 255). For memory, every
task holds for a while after its exchange (paced to the wall clock) and /proc is sampled.

| Figure | Value |
|---|---|
| Wall time of the whole run (spawn, boot, exchanges, exits) | $(show scale_wall_ms 1 0 ms) |
| CPU time of the whole run (daemon and task processes) | $(show scale_cpu_ms 1 0 ms) |
| Boot cost per task: the wall time above / $SCALE_TASKS (spawn inside the boundary, boot, one exchange, exit) | $(show boot_task_ms 1 2 ms) |
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
