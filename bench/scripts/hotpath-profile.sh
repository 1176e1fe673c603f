#!/usr/bin/env bash
# A profile of the server on the hot path, with dotnet-trace and dotnet-counters (`dotnet tool restore` installs both,
# pinned in .config/dotnet-tools.json). Starts `server start` on a fresh home (SQLite, or the database of
# ORLEANSFLOW_DATABASE_URL when set), runs `hotpath` at C=32 with a 30 s warm-up, and inside the measured window records
# the runtime's counters for 15 s (dotnet-counters), then a trace for TRACE_SECONDS:
#   cpu    dotnet-trace collect-linux --profile cpu-sampling: perf samples of the CPU with kernel, native (SQLite, libc,
#          the CLR) and managed frames (needs root, for perf_events)
#   alloc  dotnet-trace collect --profile gc-verbose: the allocation samples (about one per 100 KB) with their stacks
# Prints the bench's table and `OrleansFlow.Bench profile-report` of both files, which stay in the printed directory.
# Usage: bench/scripts/hotpath-profile.sh [cpu|alloc] [TRACE_SECONDS] [PORT]
#        (Release builds of src/Cli and bench/OrleansFlow.Bench first; tracing slows the server, so the window's
#        throughput is lower than an untraced run's)
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-cpu}; trace_seconds=${2:-10}; port=${3:-4396}
case "$mode" in
  cpu) trace=(collect-linux --profile cpu-sampling) ;;
  alloc) trace=(collect --profile gc-verbose) ;;
  *) echo "error: MODE must be cpu or alloc, not '$mode'" >&2; exit 2 ;;
esac
dotnet tool restore > /dev/null
home=$(mktemp -d); out=$(mktemp -d /tmp/hotpath-profile.XXXXXX)
export ORLEANSFLOW_HOME=$home
dotnet src/Cli/bin/Release/net10.0/orleansflow.dll server start --port "$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$home"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/health" > /dev/null && break; sleep 0.3; done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/OrleansFlow.Bench/bin/Release/net10.0/OrleansFlow.Bench.dll hotpath --api "http://127.0.0.1:$port/api" \
  --concurrency 32 --duration $((15 + trace_seconds + 10)) --warmup 30 --server-pid "$server" > "$out/bench.txt" 2>&1 &
bench=$!
sleep 32
dotnet tool run dotnet-counters collect -p "$server" --format csv -o "$out/counters.csv" --duration 00:00:00:15 \
  --counters System.Runtime,Microsoft.AspNetCore.Hosting,OrleansFlow > /dev/null
dotnet tool run dotnet-trace "${trace[@]}" -p "$server" --duration "00:00:00:$trace_seconds" -o "$out/$mode.nettrace" > "$out/trace.log" 2>&1
wait $bench
grep -E '^(conc|  [0-9])' "$out/bench.txt"
report="dotnet bench/OrleansFlow.Bench/bin/Release/net10.0/OrleansFlow.Bench.dll profile-report"
$report "$out/counters.csv"
$report "$out/$mode.nettrace" --top 25
echo "files: $out"
