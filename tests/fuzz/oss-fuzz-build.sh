#!/bin/bash -eu
# oss-fuzz-build.sh: build the kernel-model fuzz target the way OSS-Fuzz and ClusterFuzzLite
# build projects: with their $CC, $CFLAGS and $LIB_FUZZING_ENGINE, into $OUT, with its seed
# corpus and dictionary. Used by .clusterfuzzlite/build.sh; an OSS-Fuzz project's build.sh
# calls it the same way. Run from the top of the source tree.
#
# Only the kernel model and sim/fuzz are compiled into the target (pure C: no glib, no
# seccomp), so configure is run only to generate config.h and uapi/platform.h.
: "${CC:?}" "${CFLAGS:?}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${WORK:-$(mktemp -d)}/sentry-sim-build
mkdir -p "$build"
cd "$src"
[ -x configure ] || autoreconf -fi >/dev/null 2>&1
cd "$build"
"$src/configure" --quiet --disable-shared CFLAGS="" >/dev/null

# the kernel model (sim/kernel: every file is pure), libsimfuzz's sources (sim/fuzz/Makefile.inc)
# and the entry point
sources=("$src"/sim/kernel/*.c)
for f in $(sed -n 's|^\t*\(sim/fuzz/[a-z_-]*\.c\).*|\1|p' "$src/sim/fuzz/Makefile.inc"); do
	sources+=("$src/$f")
done
sources+=("$src"/tests/fuzz/fuzz_kernel.c)
includes=(-I"$build" -I"$src" -I"$src/uapi/include" -I"$src/uapi/include/uapi"
	-I"$build/uapi/include" -I"$build/uapi/include/uapi")
objects=()
for s in "${sources[@]}"; do
	o="$build/$(basename "${s%.c}").o"
	$CC $CFLAGS -std=gnu11 "${includes[@]}" -c "$s" -o "$o"
	objects+=("$o")
done
$CC $CFLAGS "${objects[@]}" $LIB_FUZZING_ENGINE -o "$OUT/fuzz_kernel"

# seed corpus (binary programs; the .txt files are their readable form) and dictionary
(cd "$src/tests/fuzz/corpus" && find . -type f ! -name '*.txt' -print0 |
	xargs -0 zip -q -j "$OUT/fuzz_kernel_seed_corpus.zip")
cp "$src/tests/fuzz/kernel.dict" "$OUT/fuzz_kernel.dict"
