#!/usr/bin/env bash
# Installs the built project into a scratch prefix, then configures, builds and
# runs tests/consumer against it with find_package(scoringjobs).
set -euo pipefail
build_dir=$1
source_dir=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --prefix "$scratch/prefix" >/dev/null
cmake -S "$source_dir" -B "$scratch/build" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  ${CONSUMER_CXX_FLAGS:+-DCMAKE_CXX_FLAGS="$CONSUMER_CXX_FLAGS"} ${CONSUMER_LINKER_FLAGS:+-DCMAKE_EXE_LINKER_FLAGS="$CONSUMER_LINKER_FLAGS"} >/dev/null
cmake --build "$scratch/build" >/dev/null
"$scratch/build/consumer" "$scratch/store.db"
