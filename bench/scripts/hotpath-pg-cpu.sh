#!/usr/bin/env bash
# CPU per transition on PostgreSQL, the server's and PostgreSQL's own: creates a fresh database, starts `server start`
# on it, runs `hotpath` at C=32 (WARMUP s, then 20 s measured) and reads the CPU time of the server and of every
# `postgres` process from /proc over the measured 20 s. PostgreSQL must run on this machine (its processes are counted).
# Usage: bench/scripts/hotpath-pg-cpu.sh ADMIN_URL [WARMUP] [PORT]    e.g. postgresql://postgres@127.0.0.1:5432/postgres
# (Release builds of src/Cli and bench/OrleansFlow.Bench first; psql on the PATH.)
set -euo pipefail
cd "$(dirname "$0")/../.."
admin=$1; warmup=${2:-30}; port=${3:-4394}
name=hotpath_cpu_$$_$RANDOM
psql "$admin" -qc "CREATE DATABASE $name"
home=$(mktemp -d); out=$(mktemp -d)
export ORLEANSFLOW_HOME=$home ORLEANSFLOW_DATABASE_URL="${admin%/*}/$name"
dotnet src/Cli/bin/Release/net10.0/orleansflow.dll server start --port "$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$home"; psql "$admin" -qc "DROP DATABASE IF EXISTS $name" || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/health" > /dev/null && break; sleep 0.3; done
ticks() { local total=0; for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo $total; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/OrleansFlow.Bench/bin/Release/net10.0/OrleansFlow.Bench.dll hotpath --api "http://127.0.0.1:$port/api" \
  --concurrency 32 --duration 20 --warmup "$warmup" --server-pid "$server" --json "$out/run.jsonl" > "$out/bench.txt" 2>&1 &
bench=$!
sleep "$warmup"
pg0=$(ticks $(pgrep -u postgres -x postgres)); server0=$(ticks $server)
sleep 20
pg1=$(ticks $(pgrep -u postgres -x postgres)); server1=$(ticks $server)
wait $bench
grep -E "^ +32 " "$out/bench.txt" || tail -3 "$out/bench.txt"
rate=$(grep -o '"transitions_per_s":[0-9.]*' "$out/run.jsonl" | cut -d: -f2)
hz=$(getconf CLK_TCK)
python3 - "$rate" "$((pg1 - pg0))" "$((server1 - server0))" "$hz" <<'PY'
import sys
rate, pg, server, hz = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
per = lambda ticks: ticks / hz / 20 / rate * 1e6
print(f"{rate:.0f} transitions/s; CPU per transition: PostgreSQL {per(pg):.0f} us, server {per(server):.0f} us "
      f"(PostgreSQL {pg / hz / 20 * 100:.0f}%, server {server / hz / 20 * 100:.0f}% of a core)")
PY
