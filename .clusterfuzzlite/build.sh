#!/bin/bash -eu
# ClusterFuzzLite entry point: the project's OSS-Fuzz-style build (docs/fuzzing.md).
"$SRC/sentry-sim/tests/fuzz/oss-fuzz-build.sh"
