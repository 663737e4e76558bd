#!/usr/bin/env bash
# A/B of two builds of Scoria on the same requests: `scoria serve --demo` from jar A and from jar B, side
# by side, rounds alternating which goes first; the ratio B/A is read within a round, so load from other
# work on the machine cancels out better than between two runs; each side's CPU time per request (from
# /proc) is reported too. Loopback only, bounded in time.
# A_JAVA_OPTS / B_JAVA_OPTS give one side other JVM options (default: SCORIA_JAVA_OPTS, else the launcher's), so
# the same jar can be A/B'd against itself under two heap or GC settings.
# AB_PORT_A / AB_PORT_B move the two servers off ports 5421 and 5422.
# Usage: bench/jar-ab.sh JAR_A JAR_B [rounds, default 3] [seconds, default 8] [connections, default "8 64"] [rows, default 1]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher_opts="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$root/scoria")"
jar_a="$1"; jar_b="$2"; rounds="${3:-3}"; secs="${4:-8}"; conns="${5:-8 64}"; rows="${6:-1}"
out="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$out"' EXIT
python3 - "$root/scripts/diabetes.csv" "$out/body.json" "$rows" <<'PY'
import json, sys
rows = [[float(v) for v in line.split(",")[:10]] for line in open(sys.argv[1]).read().splitlines()[1:]]
n = int(sys.argv[3])
open(sys.argv[2], "w").write(json.dumps({"data": [rows[i % len(rows)] for i in range(n)]}))
PY
declare -A port=([a]=${AB_PORT_A:-5421} [b]=${AB_PORT_B:-5422}) key=()
for s in a b; do
  jar=$jar_a; opts=${A_JAVA_OPTS:-${SCORIA_JAVA_OPTS:-$launcher_opts}}
  [ $s = b ] && { jar=$jar_b; opts=${B_JAVA_OPTS:-${SCORIA_JAVA_OPTS:-$launcher_opts}}; }
  java $opts -jar "$jar" serve --demo --port ${port[$s]} --data-dir "$out/data-$s" > "$out/$s.log" 2>&1 &
  pids+=($!)
done
for s in a b; do
  for _ in $(seq 300); do grep -q "Primary key:" "$out/$s.log" 2>/dev/null && break; sleep 0.2; done
  key[$s]=$(awk '/Primary key:/ {print $3}' "$out/$s.log")
done
declare -A pid=([a]=${pids[0]} [b]=${pids[1]})
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
w() { # side connections seconds -> "rps p50 p99 cpu_us_per_request"
  local t=2 before line; [ "$2" -lt 2 ] && t=1
  before=$(ticks ${pid[$1]})
  line=$(BODY_FILE="$out/body.json" AUTH=${key[$1]} wrk -t$t -c$2 -d"$3"s --timeout 10s -s "$root/bench/lua/post.lua" \
    "http://127.0.0.1:${port[$1]}/api/v1/service/myservice/score" | grep RESULT)
  python3 -c "import re,sys; f=dict(re.findall(r'(\w+)=(\S+)', sys.argv[1])); \
print(f['rps'], f['p50_ms'], f['p99_ms'], round((int(sys.argv[3]) - int(sys.argv[2])) * 1e6 / $(getconf CLK_TCK) / max(int(f['requests']), 1), 1))" \
    "$line" "$before" "$(ticks ${pid[$1]})"
}
for c in $conns; do w a "$c" 3 >/dev/null; w b "$c" 3 >/dev/null; done
echo "rows=$rows; A=$jar_a ${A_JAVA_OPTS:-}; B=$jar_b ${B_JAVA_OPTS:-}; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "conns round A_rps A_p50 A_p99 A_cpu_us/req B_rps B_p50 B_p99 B_cpu_us/req B/A_rps B/A_cpu"
for c in $conns; do
  for r in $(seq "$rounds"); do
    if [ $((r % 2)) -eq 1 ]; then read -r a ap5 ap ac < <(w a "$c" "$secs"); read -r b bp5 bp bc < <(w b "$c" "$secs")
    else read -r b bp5 bp bc < <(w b "$c" "$secs"); read -r a ap5 ap ac < <(w a "$c" "$secs"); fi
    echo "$c $r $a $ap5 $ap $ac $b $bp5 $bp $bc $(python3 -c "print(round($b / $a, 3), round($bc / $ac, 3))")"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
