#!/usr/bin/env bash
# Builds the Debian package: out/marketstream_<version>_<arch>.deb (install: sudo apt install ./out/*.deb).
# Usage: scripts/package-deb.sh [build-dir] [out-dir]     (defaults: build-deb, out)
# Release build of the app only (no tests/benchmarks), then CPack's DEB generator with
# dpkg-shlibdeps filling Depends (installer/CPackConfig.cmake). Needs scripts/install-deps.sh first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(realpath -m "${1:-$ROOT/build-deb}")"
OUT="$(realpath -m "${2:-$ROOT/out}")"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DMS_BUILD_TESTS=OFF -DMS_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" --target marketstream -- -j"${JOBS:-2}"
mkdir -p "$OUT"
(cd "$BUILD" && cpack -G DEB -B "$OUT" --config "$BUILD/CPackConfig.cmake")
rm -rf "$OUT/_CPack_Packages"
deb="$(ls -t "$OUT"/marketstream_*.deb | head -1)"
echo "package-deb: $deb"
dpkg-deb -f "$deb" Package Version Architecture Depends
