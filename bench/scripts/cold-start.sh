#!/usr/bin/env bash
# Cold start of `orleansflow server start`: the time from launching the process to its first answered request
# (GET /api/health -> 200), on a fresh SQLite database each run (migrations included).
#
#   bench/scripts/cold-start.sh [RUNS] [CLI]
#
# RUNS defaults to 3; CLI is the built CLI (default: a Release build of src/Cli made by this script). Prints one line per
# run and the median, with the load average before each run.
set -euo pipefail
runs=${1:-3}
cli=${2:-}
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -z "$cli" ]; then
  dotnet build "$root/src/Cli" -c Release -o "$root/bench/results/cli" -v q -nologo >/dev/null
  cli="$root/bench/results/cli/orleansflow"
fi
port=${PORT:-4391}
times=()
for i in $(seq "$runs"); do
  home=$(mktemp -d)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  start=$(date +%s%N)
  ORLEANSFLOW_HOME="$home" "$cli" server start --port "$port" >"$home/server.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "server exited:"; cat "$home/server.log"; exit 1; fi
    sleep 0.01
  done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms (load average $load)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$home"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median: ${median} ms over $runs runs"
