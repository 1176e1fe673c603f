#!/usr/bin/env bash
# What the SQLite server writes per transition: starts `server start` on a fresh home, runs `hotpath` at C=32 for
# DURATION seconds with no warm-up, counts the server's write and network system calls for 10 s in the middle
# (perf stat), and prints the bytes it wrote (/proc/<pid>/io) and the database's size at the end.
# Usage: bench/scripts/hotpath-io.sh [DURATION] [PORT]    (Release builds of src/Cli and bench/OrleansFlow.Bench first)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-40}; port=${2:-4393}
home=$(mktemp -d); out=$(mktemp -d)
export ORLEANSFLOW_HOME=$home; unset ORLEANSFLOW_DATABASE_URL
dotnet src/Cli/bin/Release/net10.0/orleansflow.dll server start --port "$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$home"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/health" > /dev/null && break; sleep 0.3; done
before=$(awk '/^wchar/{print $2}' /proc/$server/io)
dotnet bench/OrleansFlow.Bench/bin/Release/net10.0/OrleansFlow.Bench.dll hotpath --api "http://127.0.0.1:$port/api" \
  --concurrency 32 --duration "$duration" --warmup 0 --server-pid "$server" > "$out/bench.txt" 2>&1 &
bench=$!
sleep $((duration / 2 - 5))
perf stat -e 'syscalls:sys_enter_pwrite64,syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom' \
  -p "$server" -- sleep 10 2>&1 | grep syscalls
wait $bench
after=$(awk '/^wchar/{print $2}' /proc/$server/io)
tail -2 "$out/bench.txt" | head -1
transitions=$(grep -o '"transitions":[0-9]*' "$out/bench.txt" | cut -d: -f2)
echo "written: $((after - before)) bytes, $(((after - before) / transitions)) per transition ($transitions transitions)"
ls -l "$home"/*.db* | awk '{print $5, $9}'
