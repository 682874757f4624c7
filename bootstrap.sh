#!/usr/bin/env bash
# bootstrap.sh: set up sentry-sim on a Debian machine.
#   1. install the Debian packages the build needs (as root, or through sudo);
#   2. configure and build;
#   3. unless --no-run is given, run the default scenario (scenarios/hello).
# Without root or sudo it prints the exact apt-get line and fails.
set -euo pipefail
cd "$(dirname "$0")"

# valgrind: make check runs the daemon under memcheck (tests/integration/valgrind.sh).
# clang: make check symbolizes a clang-built task (tests/devtools/symbol-offsets.sh).
# perl (prove), libxml2-utils (xmllint) and python3-junitparser: make check reads the
# output of `sentry-sim test` with the consumers CI uses (tests/integration/runner.sh).
packages=(build-essential autoconf automake libtool pkg-config
          libglib2.0-dev libseccomp-dev check libbsd-dev groff-base
          libjson-glib-dev gtkwave libelf-dev
          libfdt-dev device-tree-compiler cpp
          libcapstone-dev
          perl libxml2-utils python3-junitparser
          libdw-dev gdb valgrind clang)

# Rust tasks (docs/rust.md) need cargo; Debian's when none is on PATH (rustup's will do).
command -v cargo >/dev/null 2>&1 || packages+=(cargo)

run_scenario=1
for arg in "$@"; do
  case "$arg" in
    --no-run) run_scenario=0 ;;
    *) echo "bootstrap.sh: unknown option '$arg' (use --no-run)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
  else
    echo "bootstrap.sh: missing packages; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "bootstrap.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi
[ -f Makefile ] && [ Makefile -nt configure ] || ./configure --quiet
make -j"$(nproc)" --no-print-directory

if [ "$run_scenario" -eq 1 ]; then
  echo
  echo "bootstrap.sh: running the default scenario (scenarios/hello)"
  ./sentry-sim run scenarios/hello/hello.ini
fi
