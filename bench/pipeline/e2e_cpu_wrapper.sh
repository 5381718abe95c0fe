#!/bin/bash
# CPU time of one bench_e2e run, split into the app and its PostgreSQL server. Used as the app:
#   REAL_APP=build-test/app/marketstream CPU_LOG=/tmp/cpu.log \
#     MS_BENCH_APP=bench/pipeline/e2e_cpu_wrapper.sh build-test/bench/pipeline/bench_e2e 1000000 0 2000 0
# appends "marketstream app_cpu_s=… pg_cpu_s=…" to $CPU_LOG. PostgreSQL: the postmaster found by the
# port in --db, its own and its exited children's counters (backends are reaped by it) plus its
# live children's, before and after the run.
set -u
port=$(printf '%s\n' "$@" | grep -o ':[0-9]\{4,5\}/' | grep -o '[0-9]*' | head -1)
pm=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
pgTicks() {
    local s t
    s=($(sed 's/.*) //' /proc/$pm/stat))
    t=$((s[11] + s[12] + s[13] + s[14]))
    for c in $(pgrep -P "$pm"); do
        s=($(sed 's/.*) //' /proc/$c/stat 2>/dev/null))
        [ ${#s[@]} -gt 12 ] && t=$((t + s[11] + s[12]))
    done
    echo $t
}
before=$(pgTicks)
TIMEFORMAT='%U %S'
{ time "$REAL_APP" "$@" 2>/dev/null; } 2>"$CPU_LOG.time"
rc=$?
sleep 0.7  # the backends exit (and are reaped) just after the app disconnects
after=$(pgTicks)
read -r user sys <"$CPU_LOG.time"
hz=$(getconf CLK_TCK)
echo "$(basename "$REAL_APP") app_cpu_s=$(echo "$user + $sys" | bc) pg_cpu_s=$(echo "scale=2; ($after - $before) / $hz" | bc)" >>"$CPU_LOG"
exit $rc
