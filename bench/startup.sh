#!/usr/bin/env bash
# Startup and idle footprint of `scoria serve --demo`, on loopback, bounded in time.
# Measures, in one run: (baseline) JVM + CLI start (`scoria --version`), then time from launching
# `serve --demo` on an empty data dir to the first answered scoring request (cold: registers and
# deploys the demo), the same on the existing data dir (warm restart), and the server's RSS when idle.
# Usage: bench/startup.sh [runs]   (default 5 runs each)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/scoria-cli/target/scoria.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
runs="${1:-5}"
port=5191
work="$(mktemp -d)"
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
body="$(cat "$root/scoria-server/src/main/resources/demo/diabetes-ridge/request.json")"
now_ms() { date +%s%3N; }

baseline=()
for _ in $(seq "$runs"); do
  t0=$(now_ms); java -jar "$jar" --version >/dev/null; baseline+=($(( $(now_ms) - t0 )))
done

first_answer() { # data-dir -> ms from launch to first 200 on /score
  local dir="$1" t0 key
  t0=$(now_ms)
  java -jar "$jar" serve --demo --port "$port" --data-dir "$dir" >"$work/out" 2>"$work/err" &
  echo $! > "$work/pid"
  for _ in $(seq 600); do
    if grep -q "Primary key:" "$work/out" 2>/dev/null; then
      key=$(grep "Primary key:" "$work/out" | awk '{print $3}')
      if curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/service/myservice/score" \
          -H "Authorization: Bearer $key" -H "Content-Type: application/json" -d "$body"; then
        echo $(( $(now_ms) - t0 )); return
      fi
    fi
    sleep 0.02
  done
  echo "server did not answer within 12 s" >&2; cat "$work/err" >&2; exit 1
}

cold=(); warm=(); rss=()
for i in $(seq "$runs"); do
  rm -rf "$work/data"
  cold+=($(first_answer "$work/data")); pid=$(cat "$work/pid"); kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.05; done
  warm+=($(first_answer "$work/data")); pid=$(cat "$work/pid")
  sleep 5
  rss+=($(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status))
  kill $pid; while kill -0 $pid 2>/dev/null; do sleep 0.05; done; pid=
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
b=$(median "${baseline[@]}"); c=$(median "${cold[@]}"); w=$(median "${warm[@]}"); r=$(median "${rss[@]}")
echo "runs: $runs (medians)"
echo "baseline: java -jar scoria.jar --version      ${b} ms"
echo "cold: serve --demo, empty data dir -> first 200  ${c} ms  ($(awk -v a="$c" -v b="$b" 'BEGIN{printf "%.2f", a/b}') x baseline)"
echo "warm: serve --demo, restart -> first 200         ${w} ms  ($(awk -v a="$w" -v b="$b" 'BEGIN{printf "%.2f", a/b}') x baseline)"
echo "idle RSS after 5 s (demo service loaded)         ${r} MiB"
