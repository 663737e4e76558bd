#!/usr/bin/env bash
# Where a scoring request's CPU goes: `scoria serve --demo` under wrk with async-profiler (from Maven
# Central, tools.profiler:async-profiler) attached from the start; writes a flame graph
# (bench/out/profile-<stamp>/flame.html) and prints the share of the server's CPU samples by part of
# the request path. Loopback only, bounded in time. itimer sampling: no perf_events permission needed.
# TARGET=limit profiles the bare HTTP limit (`scoria bench-limit`, as bench/run.sh runs it) instead, so the two
# breakdowns can be set side by side; each part is also given in µs of the server's CPU per request (/proc).
# Usage: [TARGET=scoria|limit] bench/profile.sh [seconds, default 15] [connections, default 8] [rows per request, default 1] [jar]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
launcher_opts="$(sed -n 's/^default_java_opts="\(.*\)"$/\1/p' "$root/scoria")"
secs="${1:-15}"; conns="${2:-8}"; rows="${3:-1}"; jar="${4:-$root/scoria-cli/target/scoria.jar}"
version=4.2
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
m2="${M2_REPO:-$HOME/.m2/repository}"
ap_jar="$m2/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
[ -f "$ap_jar" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$version -Dtransitive=false
out="$root/bench/out/profile-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
(cd "$out" && unzip -q -o "$ap_jar" 'linux-x64/*')
python3 - "$root/scripts/diabetes.csv" "$out/body.json" "$rows" <<'PY'
import json, sys
data = [[float(v) for v in line.split(",")[:10]] for line in open(sys.argv[1]).read().splitlines()[1:]]
open(sys.argv[2], "w").write(json.dumps({"data": [data[i % len(data)] for i in range(int(sys.argv[3]))]}))
PY
port=5441
agent="$out/linux-x64/libasyncProfiler.so"
if [ "${TARGET:-scoria}" = limit ]; then
  java -jar "$jar" bench-limit --port $port > "$out/serve.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
  key=""
  url="http://127.0.0.1:$port/"
else
  java ${SCORIA_JAVA_OPTS:-$launcher_opts} -jar "$jar" serve --demo --port $port --data-dir "$out/data" > "$out/serve.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 300); do grep -q "Primary key:" "$out/serve.log" 2>/dev/null && break; sleep 0.2; done
  key=$(awk '/Primary key:/ {print $3}' "$out/serve.log")
  url="http://127.0.0.1:$port/api/v1/service/myservice/score"
fi
# Warm up (JIT) before profiling starts, so the profile is of the steady state.
BODY_FILE="$out/body.json" AUTH=$key wrk -t2 -c"$conns" -d10s -s "$root/bench/lua/post.lua" "$url" > /dev/null
# jcmd reads key=value itself: the agent's options go through quoted.
jcmd $pid JVMTI.agent_load "$agent" "\"start,event=itimer,interval=1ms\"" > /dev/null
ticks_before=$(awk '{print $14 + $15}' /proc/$pid/stat)
result=$(BODY_FILE="$out/body.json" AUTH=$key wrk -t2 -c"$conns" -d"${secs}s" -s "$root/bench/lua/post.lua" "$url" | grep RESULT)
ticks_after=$(awk '{print $14 + $15}' /proc/$pid/stat)
echo "$result"
requests=$(echo "$result" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
us_per_request=$(python3 -c "print(($ticks_after - $ticks_before) * 1e6 / $(getconf CLK_TCK) / max(1, $requests))")
jcmd $pid JVMTI.agent_load "$agent" "\"dump,file=$out/flame.html\"" > /dev/null
jcmd $pid JVMTI.agent_load "$agent" "\"stop,file=$out/profile.collapsed,collapsed\"" > /dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); flame graph: $out/flame.html"
python3 - "$out/profile.collapsed" "$us_per_request" <<'PY'
import sys, collections
parts = [  # name, substrings of a frame that belongs to it
    ("socket write (syscall)", ("SocketDispatcher.write", "FileDispatcherImpl.write", "IOUtil.write")),
    ("socket read / epoll", ("SocketDispatcher.read", "IOUtil.read", "epoll", "EPoll")),
    ("model call (ONNX Runtime)", ("OrtSession.run", "OnnxTensor", "libonnxruntime")),
    ("request body parse", ("DataMatrixReader", "DataRowsScanner", "V2RequestReader")),
    ("answer JSON", ("AzureAnswers.json", "TensorJson", "V2ResponseWriter")),
    ("metrics and access log", ("ServingMetrics", "AccessLog.lambda", "micrometer")),
    ("admission (service, auth, traffic)", ("InferenceEndpoint.admit", "ServiceAuthenticator", "TrafficRouter")),
    ("request ids", ("RequestIds",)),
    ("HTTP codec (Netty/Vert.x encode, decode)", ("HttpObjectDecoder", "HttpObjectEncoder", "HeadersMultiMap", "Http1xServerResponse")),
    ("router and body handler (vertx-web)", ("io/vertx/ext/web",)),
    ("GC", ("GCTaskThread", "ParallelScavenge", "PSScavenge", "G1", "GangWorker", "WorkerThread",
            "VM_GenCollect", "GenCollectedHeap", "SerialHeap", "DefNewGeneration", "TenuredGeneration")),
    ("JIT compiler", ("CompileBroker", "C2Compiler", "Compile::")),
]
total = 0
counts = collections.Counter()
for line in open(sys.argv[1]):
    stack, n = line.rsplit(" ", 1)
    n = int(n)
    total += n
    # Each sample goes to the part nearest its leaf: the code actually running, not a handler far up
    # the stack that everything of the request runs under.
    label = "other"
    for frame in reversed(stack.split(";")):
        hit = next((name for name, keys in parts if any(k in frame for k in keys)), None)
        if hit:
            label = hit
            break
    counts[label] += n
us = float(sys.argv[2])
for name, n in counts.most_common():
    print(f"{100 * n / total:5.1f} %  {us * n / total:5.2f} µs/request  {name}")
print(f"({total} samples; the server's CPU per request while profiled: {us:.2f} µs)")
PY
