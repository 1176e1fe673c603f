#!/usr/bin/env bash
# Scale-out of the silo cluster behind the gateway tier, on PostgreSQL: for each number of silos, a fresh database, that
# many `orleansflow server start` silos (each with a client gateway port), one `orleansflow gateway start`, and the
# hotpath scenario sent to the gateway. Then the cost of the gateway-to-silo hop: the same scenario at concurrency 1,
# once straight to a silo's own HTTP API (the grain call stays in the process) and once through the gateway (one hop).
#
#   bench/scripts/scale-out.sh ADMIN_POSTGRES_URL [SILO_COUNTS] [DURATION] [WARMUP]
#
# ADMIN_POSTGRES_URL names a database the script may create databases from (e.g. postgresql://postgres@127.0.0.1:5432/postgres);
# SILO_COUNTS defaults to "1 2 3", DURATION to 20 s, WARMUP to 10 s. Release builds of the CLI and the bench tool are made
# into bench/results/. Prints, per silo count: the bench tool's table (throughput, p50/p99), and the CPU seconds each
# process used over the bench (warm-up included), with the load average before and after.
#
# Environment: PORT_BASE (default 4500) puts silo i's HTTP port at PORT_BASE+i, its silo port at PORT_BASE+10+i, its
# client gateway port at PORT_BASE+20+i and the gateway's HTTP port at PORT_BASE+30, so that two people on one machine
# can each take a range of 40; DB_PREFIX (default scaleout) names the databases; HOP=0 leaves out the hop measurement;
# BUILD=0 uses the builds already in bench/results/; SERVER_ENV (e.g. "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1") is
# passed to the silos and the gateway, not to the bench tool.
set -euo pipefail
admin=${1:?usage: scale-out.sh ADMIN_POSTGRES_URL [SILO_COUNTS] [DURATION] [WARMUP]}
counts=${2:-1 2 3}
duration=${3:-20}
warmup=${4:-10}
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/results"
mkdir -p "$out"
if [ "${BUILD:-1}" != 0 ]; then
  dotnet build "$root/src/Cli" -c Release -o "$out/cli" -v q -nologo >/dev/null
  dotnet build "$root/bench/OrleansFlow.Bench" -c Release -o "$out/bench" -v q -nologo >/dev/null
fi
cli="$out/cli/orleansflow"
bench="$out/bench/OrleansFlow.Bench"
pids=()
port_base=${PORT_BASE:-4500}
db_prefix=${DB_PREFIX:-scaleout}

cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() { # URL PID
  until curl -sf "$1" >/dev/null 2>&1; do
    if ! kill -0 "$2" 2>/dev/null; then echo "process $2 exited"; exit 1; fi
    sleep 0.2
  done
}

cpu_seconds() { # PID -> utime+stime in seconds
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

start_cluster() { # COUNT DB_URL CLUSTER -> sets silo_pids, silo_ports, gateway_pid, gateway_port
  silo_pids=(); silo_ports=()
  for i in $(seq "$1"); do
    port=$((port_base + i)); home=$(mktemp -d)
    ORLEANSFLOW_HOME="$home" ORLEANSFLOW_DATABASE_URL="$2" ORLEANSFLOW_CLUSTER_ID="$3" \
      ORLEANSFLOW_SILO_PORT=$((port_base + 10 + i)) ORLEANSFLOW_SILO_GATEWAY_PORT=$((port_base + 20 + i)) \
      env ${SERVER_ENV:-} "$cli" server start --port "$port" --no-dashboard >"$home/silo.log" 2>&1 &
    silo_pids+=($!); silo_ports+=("$port"); pids+=($!)
  done
  for i in "${!silo_pids[@]}"; do wait_for "http://127.0.0.1:${silo_ports[$i]}/api/ready" "${silo_pids[$i]}"; done
  gateway_port=$((port_base + 30)); home=$(mktemp -d)
  ORLEANSFLOW_HOME="$home" ORLEANSFLOW_DATABASE_URL="$2" ORLEANSFLOW_CLUSTER_ID="$3" \
    env ${SERVER_ENV:-} "$cli" gateway start --port "$gateway_port" >"$home/gateway.log" 2>&1 &
  gateway_pid=$!; pids+=($!)
  wait_for "http://127.0.0.1:$gateway_port/api/ready" "$gateway_pid"
}

stop_cluster() {
  kill "$gateway_pid" "${silo_pids[@]}" 2>/dev/null || true
  wait "$gateway_pid" "${silo_pids[@]}" 2>/dev/null || true
}

fresh_database() { # NAME -> URL
  psql "$admin" -qAtc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  echo "${admin%/*}/$1"
}

for n in $counts; do
  url=$(fresh_database "${db_prefix}_$n")
  start_cluster "$n" "$url" "${db_prefix}-$n"
  procs=("$gateway_pid" "${silo_pids[@]}")
  before=(); for p in "${procs[@]}"; do before+=("$(cpu_seconds "$p")"); done
  echo "== $n silo(s) behind one gateway; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$bench" hotpath --api "http://127.0.0.1:$gateway_port/api" --concurrency 32 --duration "$duration" --warmup "$warmup" \
    --server-pid "$(IFS=,; echo "${procs[*]}")" --json "$out/scale-out-$n.jsonl" --label "silos=$n"
  line="CPU seconds over the bench (warm-up included): gateway"
  for i in "${!procs[@]}"; do
    [ "$i" -gt 0 ] && line="$line, silo $i"
    line="$line $(awk -v a="$(cpu_seconds "${procs[$i]}")" -v b="${before[$i]}" 'BEGIN { printf "%.1f", a - b }')"
  done
  echo "$line; load average after $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_cluster
done

[ "${HOP:-1}" = 0 ] && exit 0

# The hop: one silo that serves HTTP too, and a gateway in front of it; concurrency 1, so latency is not queueing.
url=$(fresh_database "${db_prefix}_hop")
start_cluster 1 "$url" "${db_prefix}-hop"
echo "== hop cost, concurrency 1: straight to the silo (no hop), then through the gateway (one hop)"
"$bench" hotpath --api "http://127.0.0.1:${silo_ports[0]}/api" --concurrency 1 --duration "$duration" --warmup "$warmup" --json "$out/hop-direct.jsonl" --label direct
"$bench" hotpath --api "http://127.0.0.1:$gateway_port/api" --concurrency 1 --duration "$duration" --warmup "$warmup" --json "$out/hop-gateway.jsonl" --label gateway
stop_cluster
