#!/usr/bin/env bash
# 100 deployed ONNX services: server RSS, and the time from `serve` start to all of them Healthy
# (a restart reloads every stored service), on loopback. Baseline in the same run: the same server
# with only the demo service. Usage: bench/many-services.sh [count, default 100]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-100}"
jar="$root/scoria-cli/target/scoria.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
work="$(mktemp -d)"
port=5193
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
now_ms() { date +%s%3N; }

start() { # -> ms from launch until /ready answers 200
  local t0; t0=$(now_ms)
  java -jar "$jar" serve --demo --port $port --data-dir "$work/data" > "$work/out" 2> "$work/err" &
  echo $! > "$work/pid"
  for _ in $(seq 1200); do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/ready"; then echo $(( $(now_ms) - t0 )); return; fi
    sleep 0.05
  done
  echo "not ready within 60 s" >&2; exit 1
}
rss_mib() { pid=$(cat "$work/pid"); sleep 5; awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status; }
stop() { pid=$(cat "$work/pid"); kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.05; done; pid=; }

base_ms=$(start); base_rss=$(rss_mib)
token=$(cat "$work/data/admin-token")
for i in $(seq -w 1 "$count"); do
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/services" -H "Authorization: Bearer $token" \
    -H "Content-Type: application/json" -d "{\"name\": \"svc-$i\", \"models\": [\"diabetes:1\"]}"
done
for _ in $(seq 1200); do curl -sf -o /dev/null "http://127.0.0.1:$port/ready" && break; sleep 0.05; done
healthy=$(curl -s "http://127.0.0.1:$port/api/v1/services" -H "Authorization: Bearer $token" | grep -o '"state":"Healthy"' | wc -l)
stop
many_ms=$(start); many_rss=$(rss_mib)
after=$(curl -s "http://127.0.0.1:$port/api/v1/services" -H "Authorization: Bearer $token" | grep -o '"state":"Healthy"' | wc -l)
key=$(curl -s -X POST "http://127.0.0.1:$port/api/v1/services/svc-$(printf %0${#count}d "$count")/listkeys" -H "Authorization: Bearer $token" | sed 's/.*"primaryKey":"\([^"]*\)".*/\1/')
answer=$(curl -s "http://127.0.0.1:$port/api/v1/service/svc-$(printf %0${#count}d "$count")/score" -H "Authorization: Bearer $key" \
  -H "Content-Type: application/json" -d @"$root/scoria-server/src/main/resources/demo/diabetes-ridge/request.json")
stop
echo "services Healthy after deploying $count (+ demo): $healthy; after restart: $after"
echo "baseline (demo service only): start to ready ${base_ms} ms, RSS ${base_rss} MiB"
echo "$count + 1 services:          start to all Healthy ${many_ms} ms, RSS ${many_rss} MiB ($(awk -v a="$many_rss" -v b="$base_rss" 'BEGIN{printf "%.2f", a/b}') x baseline)"
echo "last service answers: $answer"
