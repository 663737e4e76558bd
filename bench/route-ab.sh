#!/usr/bin/env bash
# A quick A/B of the two scoring routes on one `scoria serve --demo`: the Azure route and the Open
# Inference Protocol route with the same single row, 8 connections, rounds alternating between them
# (the ratio is read within a round). Loopback only. For the full comparison, use bench/v2.sh.
# Usage: bench/route-ab.sh [rounds, default 3] [seconds, default 8] [jar, default the built CLI jar]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher_opts="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$root/scoria")"
rounds="${1:-3}"; secs="${2:-8}"; jar="${3:-$root/scoria-cli/target/scoria.jar}"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
out="$(mktemp -d)"
trap 'kill $pid 2>/dev/null || true; rm -rf "$out"' EXIT
python3 - "$out" <<'PY'
import json, sys
row = [0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635, -0.0359677812752396,
       -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597, 0.0403433716478807]
open(sys.argv[1] + "/azure.json", "w").write(json.dumps({"data": [row]}))
open(sys.argv[1] + "/v2.json", "w").write(json.dumps(
    {"inputs": [{"name": "input", "shape": [1, 10], "datatype": "FP64", "data": row}]}))
PY
port=5411
java ${SCORIA_JAVA_OPTS:-$launcher_opts} -jar "$jar" serve --demo --port $port --data-dir "$out/data" > "$out/serve.log" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q "Primary key:" "$out/serve.log" 2>/dev/null && break; sleep 0.2; done
key=$(awk '/Primary key:/ {print $3}' "$out/serve.log")
w() { BODY_FILE="$out/$1.json" AUTH=$key wrk -t2 -c8 -d"$3"s -s "$root/bench/lua/post.lua" "http://127.0.0.1:$port$2" \
  | grep RESULT | sed 's/.*rps=\([0-9.]*\).*p99_ms=\([0-9.]*\).*/\1 \2/'; }
w azure /api/v1/service/myservice/score 5 >/dev/null; w v2 /v2/models/myservice/infer 5 >/dev/null
echo "round azure_rps azure_p99_ms v2_rps v2_p99_ms v2/azure (load $(cut -d' ' -f1 /proc/loadavg))"
for r in $(seq "$rounds"); do
  read -r a ap < <(w azure /api/v1/service/myservice/score "$secs")
  read -r v vp < <(w v2 /v2/models/myservice/infer "$secs")
  echo "$r $a $ap $v $vp $(python3 -c "print(round($v / $a, 3))")"
done
