#!/usr/bin/env bash
# Command 1 of the README: install what is missing (apt), build, and launch MarketStream on its
# embedded default (simulator → embedded Kafka → SQLite). Extra arguments go to the app, e.g.
#   scripts/run.sh --headless --rate 0 --max-ticks 10000   (the default rate is a real feed's 24 ticks/s)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MS_BUILD_DIR:-$here/build-release}"

"$here/scripts/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMS_BUILD_TESTS=OFF -DMS_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target marketstream -j"$(nproc)"
exec "$build/app/marketstream" "$@"
