#!/usr/bin/env bash
# Runs every HTTP benchmark in one go, on loopback, each run bounded in time, and writes
# bench/out/<stamp>/results.md. Targets, measured in the same run on the same machine:
#   limit  - the same HTTP stack (Vert.x) answering a fixed 40-byte JSON body: `scoria bench-limit`
#   scoria - `scoria serve --demo`: the demo ONNX model, key auth on, with the launcher's default JVM options
#            (the default_java_opts line of ./scoria) unless SCORIA_JAVA_OPTS gives others
#   peer   - the same model the way Azure ML serves it: Flask + gunicorn + scikit-learn (bench/peer)
# Needs: wrk, python3-flask, gunicorn, python3-sklearn, python3-joblib (Debian); Java and Maven.
# Usage: [WARMUP=seconds, default 20] [EVENT_LOOPS=N] bench/run.sh [seconds per measurement, default 10] [overload seconds, default 60]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher_opts="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$root/scoria")"
secs="${1:-10}"
overload_secs="${2:-60}"
jar="$root/scoria-cli/target/scoria.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
for tool in wrk gunicorn; do command -v $tool >/dev/null || { echo "missing $tool: apt-get install wrk gunicorn python3-flask python3-sklearn python3-joblib" >&2; exit 2; }; done
py=/usr/bin/python3
out="$root/bench/out/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Request bodies from the demo data set: 1, 2 (the documentation's), 1000 and 10000 rows.
$py - "$root/scripts/diabetes.csv" "$out" <<'PY'
import json, sys
rows = [[float(v) for v in line.split(",")[:10]] for line in open(sys.argv[1]).read().splitlines()[1:]]
def body(n):
    return json.dumps({"data": [rows[i % len(rows)] for i in range(n)]})
for n in (1, 1000, 10000):
    open(f"{sys.argv[2]}/body-{n}.json", "w").write(body(n))
PY
cp "$root/scoria-server/src/main/resources/demo/diabetes-ridge/request.json" "$out/body-2.json"

wait_http() { for _ in $(seq 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

# EVENT_LOOPS=N serves the port from N event loops in both (default: serve's, half the cores).
loops=(--event-loops "${EVENT_LOOPS:-0}")
java -jar "$jar" bench-limit "${loops[@]}" --port 5090 > "$out/limit.log" 2>&1 & pids+=($!)
java ${SCORIA_JAVA_OPTS:-$launcher_opts} -jar "$jar" serve --demo "${loops[@]}" --port 5091 --data-dir "$out/data" > "$out/scoria.log" 2> "$out/scoria.err" & pids+=($!)
scoria_pid=$!
$py "$root/bench/peer/train.py" "$out/peer-model"
# gunicorn: 4 sync workers (2 per core) measured best on this 2-core machine against 2 sync and gthread 2x4.
AZUREML_MODEL_DIR="$out/peer-model" gunicorn --workers "${PEER_WORKERS:-4}" --bind 127.0.0.1:5092 \
  --chdir "$root/bench/peer" --log-level warning score:app > "$out/peer.log" 2>&1 & pids+=($!)
wait_http http://127.0.0.1:5090/; wait_http http://127.0.0.1:5091/; wait_http http://127.0.0.1:5092/
for _ in $(seq 300); do grep -q "Primary key:" "$out/scoria.log" && break; sleep 0.1; done
key=$(awk '/Primary key:/ {print $3}' "$out/scoria.log")

declare -A url=([limit]=http://127.0.0.1:5090/ [scoria]=http://127.0.0.1:5091/api/v1/service/myservice/score [peer]=http://127.0.0.1:5092/score)
declare -A auth=([limit]="" [scoria]="$key" [peer]="")

declare -A pid_of=([limit]=${pids[0]} [scoria]=$scoria_pid [peer]=${pids[2]})
# CPU time (clock ticks) of a target: the process and its children (gunicorn's workers).
cpu_ticks() { local t=0 p; for p in $1 $(pgrep -P "$1" || true); do t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; }
measure() { # target connections body seconds -> RESULT line, with the target's CPU time per request
  local target=$1 c=$2 body=$3 d=$4 t=2 before line
  [ "$c" -lt 2 ] && t=1
  before=$(cpu_ticks "${pid_of[$target]}")
  line=$(BODY_FILE="$out/$body" AUTH="${auth[$target]}" wrk -t$t -c$c -d${d}s --timeout 10s -s "$root/bench/lua/post.lua" \
    "${url[$target]}" | grep '^RESULT' | sed "s/^RESULT/RESULT target=$target c=$c body=$body/")
  echo "$line cpu_us_per_request=$(python3 -c "import re,sys; n=int(re.search(r'requests=(\d+)', sys.argv[1]).group(1)); print(round((int(sys.argv[3]) - int(sys.argv[2])) * 1e6 / $(getconf CLK_TCK) / max(n, 1), 1))" "$line" "$before" "$(cpu_ticks "${pid_of[$target]}")")"
}

# The answers agree before anything is timed.
s_ans=$(curl -s "${url[scoria]}" -H "Authorization: Bearer $key" -H "Content-Type: application/json" -d @"$out/body-2.json")
p_ans=$(curl -s "${url[peer]}" -H "Content-Type: application/json" -d @"$out/body-2.json")
echo "scoria answers $s_ans; peer answers $p_ans" | tee "$out/answers.txt"

# Warm-up: the steady state is measured, not the JIT compiler. Under load, Scoria's compiler threads are busy for
# some 15 s after start (4.7 s of CPU in the first 15 s, then under 0.05 s per 5 s: session 6); with a 3 s warm-up,
# as before session 6, they took CPU from the 1- and 8-connection measurements. WARMUP=seconds per target.
for target in limit scoria peer; do measure $target 8 body-1.json "${WARMUP:-20}" >/dev/null; done
{
  for c in 1 8 64 256; do
    for target in limit scoria peer; do measure $target $c body-1.json "$secs"; done
  done
  for rows in 1000 10000; do
    for target in scoria peer; do measure $target 8 body-$rows.json "$secs"; done
  done
} | tee "$out/raw.txt"

# Overload: far more connections than the service can serve at once, for overload_secs; every answer
# must be 200 or 503 + Retry-After; RSS sampled each second; then latency at 8 connections again.
( for _ in $(seq "$overload_secs"); do awk '/VmRSS/ {print $2}' /proc/$scoria_pid/status; sleep 1; done ) > "$out/overload-rss-kib.txt" &
rss_pid=$!
measure scoria 1024 body-1.json "$overload_secs" | tee "$out/overload.txt"
wait $rss_pid || true
measure scoria 8 body-1.json 5 | tee "$out/after-overload.txt"

$py "$root/bench/report.py" "$out" | tee "$out/results.md"
echo "results: $out/results.md"
