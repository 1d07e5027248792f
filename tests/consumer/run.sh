#!/usr/bin/env bash
# Installs the built project into a scratch prefix, then configures, builds and
# runs tests/consumer against it with find_package(scoringjobs):
# - without libcurl's CMake package (the library loads libcurl at run time, so
#   its installed package must not ask for it);
# - with the compiler's default C++ standard (the target carries C++20);
# - compiling every ```cpp block of README.md with -Wall -Wextra -Wpedantic -Werror.
set -euo pipefail
build_dir=$1
source_dir=$(cd "$(dirname "$0")" && pwd)
readme="$source_dir/../../README.md"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --prefix "$scratch/prefix" >/dev/null

mkdir "$scratch/snippets"
awk -v dir="$scratch/snippets" '
  /^```cpp[[:space:]]*$/ { n++; file = sprintf("%s/readme_%02d.cpp", dir, n); inside = 1; next }
  /^```/ { inside = 0; next }
  inside { print > file }
' "$readme"

cmake -S "$source_dir" -B "$scratch/build" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  --no-warn-unused-cli -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON -DREADME_SNIPPETS_DIR="$scratch/snippets" \
  ${CONSUMER_CXX_FLAGS:+-DCMAKE_CXX_FLAGS="$CONSUMER_CXX_FLAGS"} ${CONSUMER_LINKER_FLAGS:+-DCMAKE_EXE_LINKER_FLAGS="$CONSUMER_LINKER_FLAGS"} >/dev/null
if ! cmake --build "$scratch/build" >"$scratch/build.log" 2>&1; then
  cat "$scratch/build.log" >&2
  exit 1
fi
"$scratch/build/consumer" "$scratch/store.db"
