#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan + UBSan, build dir build-fuzz) and runs each
# one: first over its committed seed corpus (fuzz/corpus/<name>/, every file once), then for
# SECONDS more of new inputs. New inputs go to <build>/corpus/<target>/, crashes to
# <build>/artifacts/<target>/; the committed seeds are never modified.
#   scripts/fuzz.sh            60 s per target
#   scripts/fuzz.sh 600        10 minutes per target
#   scripts/fuzz.sh 5 fuzz_tick_decoder fuzz_replay_line   some targets only
# Exit status: 0 when no target found a crash. The test suite runs `scripts/fuzz.sh 3` (ctest fuzz_smoke).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
build="${MS_FUZZ_BUILD_DIR:-$here/build-fuzz}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_tick_decoder fuzz_cryptocompare_rest fuzz_cryptocompare_ws fuzz_finnhub_rest fuzz_finnhub_ws
           fuzz_replay_line fuzz_database_url)
fi

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
mkdir -p "$build"
if ! { cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DMS_FUZZ=ON &&
       cmake --build "$build" -j"${MS_FUZZ_JOBS:-2}" --target "${targets[@]}"; } >"$build/build.log" 2>&1; then
  echo "fuzz.sh: building the fuzz targets failed:" >&2
  grep -m 20 -E "error|Error" "$build/build.log" >&2 || tail -n 30 "$build/build.log" >&2
  exit 1
fi

failed=0
for t in "${targets[@]}"; do
  seeds="$here/fuzz/corpus/${t#fuzz_}"
  work="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  # MS_FUZZ_FRESH=1 (the test suite) starts from the seeds alone, so its run time stays the same.
  if [ "${MS_FUZZ_FRESH:-0}" = 1 ]; then rm -rf "$work"; fi
  mkdir -p "$work" "$artifacts"
  log="$build/$t.log"
  # Every committed seed once (the regression inputs of crashes found earlier live here too).
  if ! timeout -k 5 120 "$build/fuzz/$t" -runs=0 "$seeds" >"$log" 2>&1; then
    echo "fuzz.sh: $t FAILED on its seed corpus (see $log)" >&2
    tail -n 30 "$log" >&2
    failed=1
    continue
  fi
  # Then new inputs for a bounded time.
  if ! timeout -k 5 $((seconds + 120)) "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1; then
    echo "fuzz.sh: $t FOUND A CRASH (input in $artifacts, log $log)" >&2
    tail -n 40 "$log" >&2
    failed=1
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
  printf 'fuzz.sh: %-24s ok  %10s runs in %ss  (%s exec/s)  seeds %s\n' "$t" "${runs:-?}" "$seconds" "${rate:-?}" \
         "$(find "$seeds" -type f | wc -l)"
done
exit $failed
