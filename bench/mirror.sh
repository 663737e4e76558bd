#!/usr/bin/env bash
# Mirror traffic (issue 12): p99 latency of the live deployment with 0 % and 50 % mirroring, same run.
# One `scoria serve --demo` on loopback; a second deployment `green` of the demo model is created through
# the management API (it takes no live traffic). Then, each at 8 and 64 connections (wrk -t2, one row per
# request, key auth, no pin header), three phases in this order:
#   off     - no mirror: every request scored once, by `default`;
#   mirror  - PUT …/mirror {"green": 50}: half the requests are also scored by green after the answer;
#   off     - the mirror removed again ({}), to show the server is back where it started.
# Prints req/s, p50/p99/p99.9 of what clients saw (always answered by `default`), from /metrics the
# mirrored copies made in each measurement (by status) and their mean scoring time, the server's CPU time
# per request (user + system from /proc: what mirroring costs, less sensitive than latency to other load
# on the machine) and the 1-minute load average when each measurement started (how busy the machine was).
# Writes bench/out/mirror-<stamp>/results.md. Bounded: under 2 minutes at 10 s per measurement; a
# watchdog stops it at 5.
# Needs: wrk, curl, python3 (Debian); Java and Maven.
# Usage: bench/mirror.sh [seconds per measurement, default 10] [mirror percent, default 50]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-10}"
percent="${2:-50}"
src_jar="$root/scoria-cli/target/scoria.jar"
[ -f "$src_jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
for tool in wrk curl python3; do command -v $tool >/dev/null || { echo "missing $tool: apt-get install wrk curl python3" >&2; exit 2; }; done
port=5196
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use" >&2; exit 2; fi

out="$root/bench/out/mirror-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
# Scratch (removed at the end): the data dir, and a copy of the jar (a rebuild of the original while the
# server runs would pull classes from under it).
work="$(mktemp -d /tmp/scoria-bench-mirror-XXXXXX)"
cp "$src_jar" "$work/scoria.jar"
pid=; watchdog=
cleanup() {
  [ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null || true
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
( trap 'kill $sleeper 2>/dev/null; exit 0' TERM; sleep 300 & sleeper=$!; wait $sleeper
  echo "bench/mirror.sh: over 5 minutes, stopping" >&2; kill -TERM $$ ) &
watchdog=$!

url="http://127.0.0.1:$port"
java -jar "$work/scoria.jar" serve --demo --port $port --data-dir "$work/data" > "$out/scoria.log" 2> "$out/scoria.err" &
pid=$!
for _ in $(seq 600); do grep -q "Primary key:" "$out/scoria.log" 2>/dev/null && break; sleep 0.1; done
key=$(awk '/Primary key:/ {print $3}' "$out/scoria.log")
[ -n "$key" ] || { echo "the demo service did not start: see $out/scoria.err" >&2; exit 1; }
admin=$(cat "$work/data/admin-token")
api() { # method path [json]
  curl -sf -X "$1" "$url$2" -H "Authorization: Bearer $admin" ${3:+-H "Content-Type: application/json" -d "$3"}
}

# green: a second deployment of the demo model (same model, same default limits as default).
op=$(curl -sf -D - -o /dev/null -H "Authorization: Bearer $admin" -H "Content-Type: application/json" \
  -d '{"name": "green", "models": ["diabetes:1"]}' "$url/api/v1/services/myservice/deployments" \
  | tr -d '\r' | awk -F': ' 'tolower($1) == "operation-location" {print $2}')
for _ in $(seq 600); do
  state=$(api GET "$op" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  [ "$state" != Running ] && break; sleep 0.1
done
[ "$state" = Succeeded ] || { echo "deployment green: $state" >&2; exit 1; }

body="$root/scoria-server/src/main/resources/demo/diabetes-ridge/request.json"
python3 -c 'import json; print(json.dumps({"data": [json.load(open("'"$body"'"))["data"][0]]}))' > "$out/body-1.json"
for d in default green; do
  curl -sf -o /dev/null -D - "$url/api/v1/service/myservice/score" -H "Authorization: Bearer $key" \
    -H "Content-Type: application/json" -H "azureml-model-deployment: $d" -d @"$out/body-1.json" \
    | tr -d '\r' | grep -qi "^azureml-model-deployment: $d$" || { echo "deployment $d does not answer" >&2; exit 1; }
done

metrics() { # label -> one METRICS line: mirror copies by status, their duration sum, requests by deployment,
  # the server's CPU time so far (user + system, from /proc) and the machine's 1-minute load average
  local cpu_ticks load
  cpu_ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  load=$(cut -d' ' -f1 /proc/loadavg)
  api GET /metrics | CPU_TICKS=$cpu_ticks LOAD=$load python3 -c '
import os
import re, sys
label = sys.argv[1]
copies, mirror_sum, scored = {}, 0.0, {}
for line in sys.stdin:
    m = re.match(r"scoria_mirror_requests_total\{deployment=\"green\".*status=\"(\d+)\"\} (\S+)", line)
    if m: copies[m.group(1)] = copies.get(m.group(1), 0) + float(m.group(2))
    m = re.match(r"scoria_mirror_duration_seconds_sum\{deployment=\"green\".*\} (\S+)", line)
    if m: mirror_sum += float(m.group(1))
    m = re.match(r"scoria_score_requests_total\{deployment=\"(\w+)\".*status=\"200\"\} (\S+)", line)
    if m: scored[m.group(1)] = scored.get(m.group(1), 0) + float(m.group(2))
print("METRICS label=%s copies=%s mirror_seconds=%.6f scored=%s cpu_ticks=%s load=%s" % (label,
      ",".join("%s:%d" % kv for kv in sorted(copies.items())) or "-", mirror_sum,
      ",".join("%s:%d" % kv for kv in sorted(scored.items())), os.environ["CPU_TICKS"], os.environ["LOAD"]))
' "$1"
}
measure() { # phase connections seconds -> RESULT line
  local t=2
  BODY_FILE="$out/body-1.json" AUTH="$key" wrk -t$t -c"$2" -d"$3"s --timeout 10s -s "$root/bench/lua/post.lua" \
    "$url/api/v1/service/myservice/score" | grep '^RESULT' | sed "s/^RESULT/RESULT phase=$1 c=$2/"
}

# Warm-up, both deployments (the mirror makes green score too), then the mirror off again.
api PUT /api/v1/services/myservice/mirror "{\"green\": $percent}" >/dev/null
measure warmup 8 10 >/dev/null
measure warmup 64 5 >/dev/null
api PUT /api/v1/services/myservice/mirror '{}' >/dev/null
{
  phase_no=0
  for mirror in 0 "$percent" 0; do
    phase_no=$((phase_no + 1))
    if [ "$mirror" = 0 ]; then
      api PUT /api/v1/services/myservice/mirror '{}' >/dev/null; phase="$phase_no-off"
    else
      api PUT /api/v1/services/myservice/mirror "{\"green\": $mirror}" >/dev/null; phase="$phase_no-mirror$mirror"
    fi
    for c in 8 64; do
      metrics "before-$phase-c$c"
      measure "$phase" "$c" "$secs"
      sleep 1   # copies still queued at the end of the measurement are counted
      metrics "after-$phase-c$c"
    done
  done
} | tee "$out/raw.txt"
api GET /api/v1/services/myservice | python3 -c 'import json,sys; s=json.load(sys.stdin); print("service:", s["state"], "traffic", s["traffic"], "mirror", s["mirrorTraffic"])' \
  | tee "$out/service.txt"

python3 - "$out" "$secs" "$percent" "$(getconf CLK_TCK)" <<'PY' | tee "$out/results.md"
import re, sys
out, secs, percent = sys.argv[1], sys.argv[2], sys.argv[3]
def fields(line): return dict(re.findall(r"(\w+)=(\S+)", line))
def counts(text): return {k: float(v) for k, v in (kv.split(":") for kv in text.split(",") if kv and kv != "-")}
lines = open(f"{out}/raw.txt").read().splitlines()
metrics = {fields(l)["label"]: fields(l) for l in lines if l.startswith("METRICS")}
print(f"Live deployment `default` with no mirror and with {percent} % mirrored to `green` (wrk -t2 -d{secs}s, one row per request):\n")
print("| phase | connections | req/s | p50 ms | p99 ms | p99.9 ms | non-200 / socket errors | mirrored copies (by status) | copies / requests | mean copy ms | server CPU µs / request | load avg |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
tick_us = 1e6 / int(sys.argv[4])
for line in lines:
    if not line.startswith("RESULT"):
        continue
    f = fields(line)
    before, after = metrics[f"before-{f['phase']}-c{f['c']}"], metrics[f"after-{f['phase']}-c{f['c']}"]
    cb, ca = counts(before["copies"]), counts(after["copies"])
    delta = {k: ca.get(k, 0) - cb.get(k, 0) for k in ca}
    delta = {k: v for k, v in delta.items() if v}
    n = sum(delta.values())
    secs_copy = float(after["mirror_seconds"]) - float(before["mirror_seconds"])
    statuses = dict(kv.split(":") for kv in f["statuses"].split(",") if kv)
    bad = sum(int(v) for k, v in statuses.items() if k != "200")
    by_status = ", ".join(f"{k}: {int(v):,}" for k, v in sorted(delta.items())) or "0"
    print(f"| {f['phase']} | {f['c']} | {float(f['rps']):,.0f} | {f['p50_ms']} | {f['p99_ms']} | {f['p999_ms']} | {bad} / {f['errors']} "
          f"| {by_status} | {n / int(f['requests']):.2f} | {(secs_copy / n * 1000) if n else 0:.3f} "
          f"| {(int(after['cpu_ticks']) - int(before['cpu_ticks'])) * tick_us / int(f['requests']):.1f} | {before['load']} |")
PY
echo "results: $out/results.md"
