#!/usr/bin/env bash
# Which tables and indexes each SQLite commit writes on the hot path: starts `server start` on a fresh home, runs
# `hotpath` at C=32, and after a 30 s warm-up copies the database and its write-ahead log SNAPSHOTS times, 3 s apart,
# each while the server is stopped (SIGSTOP, then SIGCONT), then reports the pages of every commit in those logs by
# table and index (`OrleansFlow.Bench profile-report DB-wal...`). The copies stay in the printed directory.
# Usage: bench/scripts/hotpath-wal.sh [SNAPSHOTS] [PORT]    (Release builds of src/Cli and bench/OrleansFlow.Bench first)
set -euo pipefail
cd "$(dirname "$0")/../.."
snapshots=${1:-5}; port=${2:-4395}
home=$(mktemp -d); out=$(mktemp -d /tmp/hotpath-wal.XXXXXX)
export ORLEANSFLOW_HOME=$home; unset ORLEANSFLOW_DATABASE_URL
dotnet src/Cli/bin/Release/net10.0/orleansflow.dll server start --port "$port" > "$out/server.log" 2>&1 &
server=$!
# The database copies are large: they go whatever happens; the logs stay.
trap 'kill -CONT $server 2>/dev/null; kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$home"; rm -f "$out"/snapshot*.db' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/health" > /dev/null && break; sleep 0.3; done
dotnet bench/OrleansFlow.Bench/bin/Release/net10.0/OrleansFlow.Bench.dll hotpath --api "http://127.0.0.1:$port/api" \
  --concurrency 32 --duration $((snapshots * 3 + 5)) --warmup 30 --timeout 60 > "$out/bench.txt" 2>&1 &
bench=$!
sleep 32
for i in $(seq 1 "$snapshots"); do
  kill -STOP $server
  cp "$home/orleansflow.db" "$out/snapshot$i.db"
  cp "$home/orleansflow.db-wal" "$out/snapshot$i.db-wal"
  kill -CONT $server
  sleep 3
done
wait $bench
grep -E '^(conc|  [0-9])' "$out/bench.txt"
dotnet bench/OrleansFlow.Bench/bin/Release/net10.0/OrleansFlow.Bench.dll profile-report "$out"/snapshot*.db-wal --top 30
echo "logs: $out"
