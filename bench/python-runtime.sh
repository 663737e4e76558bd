#!/usr/bin/env bash
# The python runtime against the peer: the same Azure-style score.py and the same scikit-learn model
# (bench/peer/train.py) behind
#   scoria-py - `scoria serve`, service deployed with --runtime python (N workers, auth none)
#   peer      - Flask + gunicorn with N sync workers (bench/peer), what Azure ML's container runs
# both with Debian's /usr/bin/python3, on loopback, measured with wrk at 8 and 64 connections
# (bench/lua/post.lua, the documentation's two-row request). Prints RESULT lines and a markdown row,
# with each side's CPU time per request (from /proc): the server process (Scoria's JVM, gunicorn's
# master) and its worker processes (the python workers and whatever they started; gunicorn's workers).
# SCORIA_JAR=path measures another build of Scoria than scoria-cli/target/scoria.jar; SERVE_ARGS adds options
# to its `serve` (e.g. "--poll-micros 0"); WARMUP=seconds
# (default 3) warms each target up at 8 connections first: Scoria's JIT compiler is still busy for
# some 20-30 s after start, and its CPU time counts in the first measurement.
# Needs: wrk, gunicorn, python3-flask, python3-sklearn, python3-joblib (Debian); Java and Maven.
# Usage: bench/python-runtime.sh [seconds per measurement, default 10] [workers, default 4]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-10}"
workers="${2:-4}"
jar="${SCORIA_JAR:-$root/scoria-cli/target/scoria.jar}"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
for tool in wrk gunicorn; do command -v $tool >/dev/null || { echo "missing $tool: apt-get install wrk gunicorn python3-flask python3-sklearn python3-joblib" >&2; exit 2; }; done
py=/usr/bin/python3
out="$root/bench/out/python-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_http() { for _ in $(seq 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

cp "$root/scoria-server/src/main/resources/demo/diabetes-ridge/request.json" "$out/body-2.json"
$py "$root/bench/peer/train.py" "$out/model"

# Scoria: a fresh data dir, the model registered and the score.py deployed with the CLI, as a user would.
java -jar "$jar" serve --port 5094 --data-dir "$out/data" ${SERVE_ARGS:-} > "$out/scoria.log" 2> "$out/scoria.err" & pids+=($!)
wait_http http://127.0.0.1:5094/
export SCORIA_URL=http://127.0.0.1:5094 SCORIA_TOKEN="$(cat "$out/data/admin-token")"
java -jar "$jar" model register diabetes-sklearn "$out/model/model.pkl" > "$out/register.log"
java -jar "$jar" service deploy sklearn-py --model diabetes-sklearn:1 --code "$root/scoria-it/src/test/resources/python/score.py" \
  --python "$py" --workers "$workers" --max-concurrent-requests "$workers" --max-queue-wait-ms 10000 --auth none --wait > "$out/deploy.log"

AZUREML_MODEL_DIR="$out/model" gunicorn --workers "$workers" --bind 127.0.0.1:5095 \
  --chdir "$root/bench/peer" --log-level warning score:app > "$out/peer.log" 2>&1 & pids+=($!)
wait_http http://127.0.0.1:5095/

declare -A url=([scoria-py]=http://127.0.0.1:5094/api/v1/service/sklearn-py/score [peer]=http://127.0.0.1:5095/score)
s_ans=$(curl -s "${url[scoria-py]}" -H "Content-Type: application/json" -d @"$out/body-2.json")
p_ans=$(curl -s "${url[peer]}" -H "Content-Type: application/json" -d @"$out/body-2.json")
echo "scoria-py answers $s_ans; peer answers $p_ans" | tee "$out/answers.txt"
[ "$s_ans" = "$p_ans" ] || { echo "the answers differ" >&2; exit 1; }

declare -A server=([scoria-py]=${pids[0]} [peer]=${pids[1]})
descendants() { local p; for p in $(pgrep -P "$1"); do echo "$p"; descendants "$p"; done; }
ticks() { local sum=0 p t; for p in "$@"; do t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null) && sum=$((sum + t)); done; echo $sum; }
measure() { # target connections seconds -> RESULT line, with server_us and workers_us: CPU µs per request
  local kids s0 w0 line
  kids=$(descendants "${server[$1]}")
  s0=$(ticks "${server[$1]}"); w0=$(ticks $kids)
  line=$(BODY_FILE="$out/body-2.json" AUTH="" wrk -t2 -c$2 -d${3}s --timeout 10s -s "$root/bench/lua/post.lua" "${url[$1]}" \
    | grep '^RESULT' | sed "s/^RESULT/RESULT target=$1 c=$2/")
  $py -c "import re,sys; f=dict(re.findall(r'(\w+)=(\S+)', sys.argv[1])); n=max(int(f['requests']), 1); k=1e6/$(getconf CLK_TCK)/n; \
print(sys.argv[1], 'server_us=%.1f workers_us=%.1f' % ((int(sys.argv[3]) - int(sys.argv[2])) * k, (int(sys.argv[5]) - int(sys.argv[4])) * k))" \
    "$line" "$s0" "$(ticks "${server[$1]}")" "$w0" "$(ticks $kids)"
}
for target in scoria-py peer; do measure $target 8 "${WARMUP:-3}" >/dev/null; done   # warm-up
for c in 8 64; do for target in scoria-py peer; do measure $target $c "$secs"; done; done | tee "$out/raw.txt"

$py - "$out/raw.txt" "$workers" <<'PY' | tee "$out/results.md"
import re, sys
rows = [dict(re.findall(r"(\w+)=(\S+)", l)) for l in open(sys.argv[1]) if l.startswith("RESULT")]
get = lambda t, c: next(r for r in rows if r["target"] == t and r["c"] == str(c))
print(f"| connections | scoria python runtime req/s | Flask+gunicorn req/s | ratio | scoria p50 / p99 ms | peer p50 / p99 ms | non-200 (scoria, peer) | CPU µs/request scoria JVM · workers | peer master · workers |")
print("|---|---|---|---|---|---|---|---|---|")
for c in (8, 64):
    s, p = get("scoria-py", c), get("peer", c)
    bad = lambda r: sum(int(v) for k, v in (x.split(":") for x in r["statuses"].split(",") if x) if k != "200") + int(r["errors"])
    print(f"| {c} | {float(s['rps']):,.0f} | {float(p['rps']):,.0f} | {float(s['rps']) / float(p['rps']):.2f} "
          f"| {float(s['p50_ms']):.2f} / {float(s['p99_ms']):.2f} | {float(p['p50_ms']):.2f} / {float(p['p99_ms']):.2f} "
          f"| {bad(s)}, {bad(p)} | {s['server_us']} · {s['workers_us']} | {p['server_us']} · {p['workers_us']} |")
PY
echo "results: $out/results.md"
