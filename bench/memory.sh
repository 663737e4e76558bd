#!/usr/bin/env bash
# Resident memory of one `scoria serve --demo` under the 1,024-connection overload run, for several JVM
# settings measured one after the other in the same run: RSS idle after start, peak RSS (sampled every
# second) from the start of the large requests to the end of the overload: 10,000-row requests at 8
# connections for LARGE_SECS (default 10; 0 skips them), as bench/run.sh sends before its overload run,
# then wrk -c1024; the overload throughput, then 8 connections after it. Loopback only.
# Usage: bench/memory.sh [overload seconds, default 20] ["label=java options" ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-20}"
shift || true
jar="$root/scoria-cli/target/scoria.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
command -v wrk >/dev/null || { echo "missing wrk: apt-get install wrk" >&2; exit 2; }
configs=("$@")
if [ ${#configs[@]} -eq 0 ]; then
  configs=("jvm-default=" "launcher-default=$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$root/scoria")" "parallel=-Xmx192m -XX:+UseParallelGC"
           "serial=-Xmx160m -XX:+UseSerialGC")
fi
out="$root/bench/out/memory-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
body="$root/scoria-server/src/main/resources/demo/diabetes-ridge/request.json"
large_secs="${LARGE_SECS:-10}"
python3 - "$root/scripts/diabetes.csv" "$out/body-10000.json" <<'PY'
import json, sys
rows = [[float(v) for v in line.split(",")[:10]] for line in open(sys.argv[1]).read().splitlines()[1:]]
open(sys.argv[2], "w").write(json.dumps({"data": [rows[i % len(rows)] for i in range(10000)]}))
PY
port=5310
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/results.txt"
for config in "${configs[@]}"; do
  label="${config%%=*}"; opts="${config#*=}"; port=$((port + 1))
  # shellcheck disable=SC2086
  java $opts -jar "$jar" serve --demo --port "$port" --data-dir "$out/data-$label" > "$out/serve-$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do grep -q "Primary key:" "$out/serve-$label.log" 2>/dev/null && break; sleep 0.2; done
  key=$(awk '/Primary key:/ {print $3}' "$out/serve-$label.log")
  idle=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  ( for _ in $(seq $((secs + large_secs))); do awk '/VmRSS/ {print $2}' "/proc/$pid/status"; sleep 1; done ) > "$out/rss-$label.txt" &
  sampler=$!
  if [ "$large_secs" -gt 0 ]; then
    BODY_FILE="$out/body-10000.json" AUTH="$key" wrk -t2 -c8 -d"${large_secs}s" --timeout 10s -s "$root/bench/lua/post.lua" \
      "http://127.0.0.1:$port/api/v1/service/myservice/score" > "$out/large-$label.txt" 2>&1
  fi
  large_peak=$(sort -n "$out/rss-$label.txt" | tail -1)
  BODY_FILE="$body" AUTH="$key" wrk -t2 -c1024 -d"${secs}s" --timeout 10s -s "$root/bench/lua/post.lua" \
    "http://127.0.0.1:$port/api/v1/service/myservice/score" > "$out/overload-$label.txt" 2>&1
  wait "$sampler" || true
  peak=$(sort -n "$out/rss-$label.txt" | tail -1)
  BODY_FILE="$body" AUTH="$key" wrk -t2 -c8 -d8s -s "$root/bench/lua/post.lua" \
    "http://127.0.0.1:$port/api/v1/service/myservice/score" > "$out/c8-$label.txt" 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$label [$opts] idle_rss_mib=$((idle / 1024)) after_large_rss_mib=$((large_peak / 1024)) peak_rss_mib=$((peak / 1024))" \
    "overload:$(grep RESULT "$out/overload-$label.txt" | sed 's/^RESULT//')" \
    "| c8:$(grep RESULT "$out/c8-$label.txt" | sed 's/^RESULT//' | cut -d' ' -f1-6)" | tee -a "$out/results.txt"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/results.txt"
