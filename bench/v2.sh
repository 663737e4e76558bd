#!/usr/bin/env bash
# The Open Inference Protocol (v2) route against the Azure route, in the same run: one
# `scoria serve --demo` (the demo ONNX ridge regression, key auth on), the same rows sent three ways:
#   azure  - POST /api/v1/service/myservice/score     {"data": [[...], ...]}
#   v2json - POST /v2/models/myservice/infer          {"inputs": [{"name": "input", "shape": [N, 10], "datatype": "FP64", "data": [...]}]}
#   v2bin  - POST /v2/models/myservice/infer, binary tensor extension both ways: the JSON header
#            (Inference-Header-Content-Length), the N*10 doubles little-endian after it, and the
#            output asked for as binary ("outputs": [{"name": "output", "parameters": {"binary_data": true}}])
# for 1, 2, 1000 and 10,000 rows (rows from scripts/diabetes.csv; the 2-row request is the
# documentation's). The three forms must give bit-identical predictions for every row count before
# anything is timed. Then wrk (bench/lua/post.lua) at 8 connections for every form x rows, at 64
# for single rows, and at one connection for 10,000 rows (where the Azure route's split across cores
# shows), in rounds; all on 127.0.0.1. Prints a markdown table with requests/s, rows/s,
# p50/p99 and the ratios v2json/azure and v2bin/v2json (and v2bin/azure) per row count.
# About rounds x 18 x seconds, plus ~30 s: 3 x 18 x 10 s, 9.5 minutes, by default.
# Needs: wrk, curl, python3 (Debian); Java and Maven.
# Usage: bench/v2.sh [seconds per measurement, default 10] [rounds, default 3]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-10}"
rounds="${2:-3}"
port="${V2_BENCH_PORT:-5096}"
jar="$root/scoria-cli/target/scoria.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
for tool in wrk curl; do command -v $tool >/dev/null || { echo "missing $tool: apt-get install wrk curl" >&2; exit 2; }; done
py=/usr/bin/python3
out="$root/bench/out/v2-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "port $port is taken (set V2_BENCH_PORT)" >&2; exit 1; fi

# Request bodies: body-<form>-<rows>.<ext>; for v2bin also the JSON header's length, for the header.
$py - "$root/scripts/diabetes.csv" "$root/scoria-server/src/main/resources/demo/diabetes-ridge/request.json" "$out" <<'PY'
import json, struct, sys
csv, documented, out = sys.argv[1:]
rows = [[float(v) for v in line.split(",")[:10]] for line in open(csv).read().splitlines()[1:]]
for n in (1, 2, 1000, 10000):
    data = json.load(open(documented))["data"] if n == 2 else [rows[i % len(rows)] for i in range(n)]
    flat = [v for row in data for v in row]
    open(f"{out}/body-azure-{n}.json", "w").write(json.dumps({"data": data}))
    open(f"{out}/body-v2json-{n}.json", "w").write(json.dumps(
        {"inputs": [{"name": "input", "shape": [n, 10], "datatype": "FP64", "data": flat}]}))
    header = json.dumps({"inputs": [{"name": "input", "shape": [n, 10], "datatype": "FP64",
                                     "parameters": {"binary_data_size": 8 * len(flat)}}],
                         "outputs": [{"name": "output", "parameters": {"binary_data": True}}]}).encode()
    open(f"{out}/body-v2bin-{n}.bin", "wb").write(header + struct.pack(f"<{len(flat)}d", *flat))
    open(f"{out}/body-v2bin-{n}.hlen", "w").write(str(len(header)))
PY

java -jar "$jar" serve --demo --port "$port" --data-dir "$out/data" > "$out/scoria.log" 2> "$out/scoria.err" & pids+=($!)
for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
for _ in $(seq 300); do grep -q "Primary key:" "$out/scoria.log" && break; sleep 0.1; done
key=$(awk '/Primary key:/ {print $3}' "$out/scoria.log")
[ -n "$key" ] || { echo "no primary key in $out/scoria.log" >&2; exit 1; }

declare -A url=([azure]=http://127.0.0.1:$port/api/v1/service/myservice/score
                [v2json]=http://127.0.0.1:$port/v2/models/myservice/infer
                [v2bin]=http://127.0.0.1:$port/v2/models/myservice/infer)
body() { case $1 in v2bin) echo "body-v2bin-$2.bin" ;; *) echo "body-$1-$2.json" ;; esac; }

# The three forms agree, bit for bit, for every row count before anything is timed.
$py - "$out" "$key" "${url[azure]}" "${url[v2json]}" <<'PY' | tee "$out/answers.txt"
import json, struct, sys, urllib.request
out, key, azure, v2 = sys.argv[1:]
def post(url, path, headers):
    body = open(f"{out}/{path}", "rb").read()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Authorization": f"Bearer {key}", **headers})
    with urllib.request.urlopen(request, timeout=30) as r:
        return r.headers, r.read()
for n in (1, 2, 1000, 10000):
    _, a = post(azure, f"body-azure-{n}.json", {"Content-Type": "application/json"})
    a = json.loads(a)
    _, j = post(v2, f"body-v2json-{n}.json", {"Content-Type": "application/json"})
    j = json.loads(j)["outputs"][0]
    assert j["name"] == "output" and j["datatype"] == "FP64" and j["shape"] == [n], j
    hlen = open(f"{out}/body-v2bin-{n}.hlen").read()
    h, b = post(v2, f"body-v2bin-{n}.bin", {"Content-Type": "application/octet-stream", "Inference-Header-Content-Length": hlen})
    split = int(h["Inference-Header-Content-Length"])
    o = json.loads(b[:split])["outputs"][0]
    assert o["shape"] == [n] and o["parameters"]["binary_data_size"] == 8 * n == len(b) - split, o
    bits = list(struct.unpack(f"<{n}d", b[split:]))
    same = a == j["data"] == bits
    print(f"{n} rows: azure {a[:2]}{'...' if n > 2 else ''}; v2 JSON and v2 binary {'identical' if same else 'DIFFERENT'}")
    if not same:
        sys.exit(f"the three routes answer {n} rows differently")
    if n == 2 and a != [217.67978776218715, 224.78937091757172]:
        sys.exit(f"the documented request answers {a}, expected [217.67978776218715, 224.78937091757172]")
PY

measure() { # form rows connections seconds -> RESULT line
  local form=$1 rows=$2 c=$3 d=$4 ctype=application/json headers="" t=2
  [ "$c" -lt 2 ] && t=1
  if [ "$form" = v2bin ]; then
    ctype=application/octet-stream
    headers="Inference-Header-Content-Length: $(cat "$out/body-v2bin-$rows.hlen")"
  fi
  BODY_FILE="$out/$(body "$form" "$rows")" AUTH="$key" CONTENT_TYPE="$ctype" HEADERS="$headers" \
    wrk -t$t -c"$c" -d"${d}s" --timeout 10s -s "$root/bench/lua/post.lua" "${url[$form]}" \
    | grep '^RESULT' | sed "s/^RESULT/RESULT form=$form rows=$rows c=$c/"
}

for rows in 1 1000; do for form in azure v2json v2bin; do measure $form $rows 8 3 >/dev/null; done; done   # warm-up (JIT)
# Every round measures each (form x rows) once, the three forms of a row count back to back, each round
# starting with another form; ratios are taken within a round (neighbours in time), then their median
# across rounds, which is what keeps them readable on a machine whose other work comes and goes.
forms=(azure v2json v2bin)
cut -d' ' -f1-3 /proc/loadavg > "$out/load-before.txt"   # the machine's load around the timed part
for round in $(seq "$rounds"); do
  shift_by=$(((round - 1) % 3))
  order=("${forms[@]:$shift_by}" "${forms[@]:0:$shift_by}")
  for cell in "1 8" "2 8" "1000 8" "10000 8" "1 64" "10000 1"; do
    read -r n c <<< "$cell"
    for form in "${order[@]}"; do measure "$form" "$n" "$c" "$secs" | sed "s/^RESULT/RESULT round=$round/"; done
  done
done | tee "$out/raw.txt"
cut -d' ' -f1-3 /proc/loadavg > "$out/load-after.txt"

$py - "$out" "$secs" "$rounds" <<'PY' | tee "$out/results.md"
import os, re, statistics, sys
from pathlib import Path
out, secs, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rows = [dict(re.findall(r"(\w+)=(\S+)", l)) for l in (out / "raw.txt").read_text().splitlines() if l.startswith("RESULT")]
def cell(f, n, c):
    return [r for r in rows if r["form"] == f and r["rows"] == str(n) and r["c"] == str(c)]
def rps(rs):  # every round's requests over every round's time
    return sum(int(r["requests"]) for r in rs) / sum(float(r["duration_s"]) for r in rs)
def ratio(num, den):  # median of the per-round ratios (lowest-highest)
    by_round = {r["round"]: float(r["rps"]) for r in den}
    each = sorted(float(r["rps"]) / by_round[r["round"]] for r in num if r["round"] in by_round)
    med = statistics.median(each)
    return f"{med:.2f}" if len(each) == 1 else f"{med:.2f} ({each[0]:.2f}–{each[-1]:.2f})"
def lat(rs):
    return f"{statistics.median(float(r['p50_ms']) for r in rs):.2f} / {statistics.median(float(r['p99_ms']) for r in rs):.2f}"
def bad(rs):
    return sum(sum(int(v) for k, v in (x.split(":") for x in r["statuses"].split(",") if x) if k != "200") + int(r["errors"])
               for r in rs)
print(f"### v2 vs Azure route ({out.name}: {rounds} round(s), {secs} s per measurement)\n")
print(f"Load average (1, 5, 15 min) before the timed part: {(out / 'load-before.txt').read_text().strip()};"
      f" after: {(out / 'load-after.txt').read_text().strip()} (nproc {os.cpu_count()}).\n")
print("| rows | conns | azure req/s | v2 JSON req/s | v2 binary req/s | azure rows/s | v2 JSON rows/s | v2 binary rows/s "
      "| v2 JSON / azure | v2 binary / v2 JSON | v2 binary / azure "
      "| p50 / p99 ms: azure | v2 JSON | v2 binary | non-200 |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for n, c in ((1, 8), (1, 64), (2, 8), (1000, 8), (10000, 8), (10000, 1)):
    a, j, b = cell("azure", n, c), cell("v2json", n, c), cell("v2bin", n, c)
    if not (a and j and b):
        continue
    print(f"| {n:,} | {c} | {rps(a):,.0f} | {rps(j):,.0f} | {rps(b):,.0f} "
          f"| {rps(a) * n:,.0f} | {rps(j) * n:,.0f} | {rps(b) * n:,.0f} "
          f"| {ratio(j, a)} | {ratio(b, j)} | {ratio(b, a)} "
          f"| {lat(a)} | {lat(j)} | {lat(b)} | {bad(a)}, {bad(j)}, {bad(b)} |")
if rounds > 1:
    print("\nreq/s and rows/s: all rounds' requests over all rounds' time; ratios: median of the per-round ratios"
          " (lowest–highest); p50 / p99: medians of the per-round figures. non-200: answers other than 200, and socket errors.")
PY
echo "results: $out/results.md"
