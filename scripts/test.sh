#!/usr/bin/env bash
# Command 2 of the README (and what CI runs): install what is missing (apt), build everything, and
# run the whole test suite — unit, integration (real embedded Kafka broker, real PostgreSQL servers
# the tests start themselves), GUI (offscreen) and packaging tests.
#   scripts/test.sh                 all tests
#   scripts/test.sh -L unit         only a label (unit, integration, gui, packaging)
#   scripts/test.sh -R tst_codec    only matching tests
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MS_BUILD_DIR:-$here/build-test}"

"$here/scripts/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMS_BUILD_TESTS=ON -DMS_BUILD_BENCH=ON \
      -DMS_ONLY_TESTS= -DMS_ONLY_BENCH= >/dev/null
cmake --build "$build" -j"$(nproc)"

# PostgreSQL refuses to run as root: the tests start their servers as the postgres user, which must
# be able to reach the temp directory.
export TMPDIR="${TMPDIR:-/tmp}"
export QT_QPA_PLATFORM=offscreen
cd "$build"
exec ctest --output-on-failure --timeout 600 -j"${MS_TEST_JOBS:-2}" "$@"
