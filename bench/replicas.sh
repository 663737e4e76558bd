#!/usr/bin/env bash
# Three `scoria serve` replicas sharing one PostgreSQL, behind haproxy, all on loopback, bounded in time
# (about 2 minutes; a watchdog stops it at 5). Measures:
#   (a) key-regeneration propagation: N tries (default 100), each regenerating the primary key on one
#       replica (in turn) and polling every replica with the old key until it answers 401; p50/p99/max
#       in ms from the moment the regenerate call returned: for the slowest of the three (every replica
#       refuses it), the replica that regenerated (it applies the key before answering: this row is the
#       measurement's own floor) and the two others (reached through PostgreSQL's LISTEN/NOTIFY);
#   (b) scoring throughput through haproxy with 1, 2 and 3 replicas in the backend (wrk -t2 -c32, one
#       row per request, key auth), and one replica directly (no haproxy) as the reference.
# Writes bench/out/replicas-<stamp>/results.md.
# Needs: wrk, haproxy, postgresql (Debian), python3; Java and Maven. Run as root (PostgreSQL then runs as
# the postgres user) or as a user who may run initdb.
# Usage: bench/replicas.sh [seconds per throughput measurement, default 10] [key tries, default 100]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-10}"
tries="${2:-100}"
src_jar="$root/scoria-cli/target/scoria.jar"
[ -f "$src_jar" ] || (cd "$root" && mvn -B -q -DskipTests -pl scoria-cli -am package)
for tool in wrk haproxy python3 curl; do
  command -v $tool >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "missing $tool: apt-get install wrk haproxy postgresql" >&2; exit 2; }
done
haproxy_bin="$(command -v haproxy || echo /usr/sbin/haproxy)"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$pg_bin/initdb" ] || { echo "missing PostgreSQL server binaries: apt-get install postgresql" >&2; exit 2; }

out="$root/bench/out/replicas-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
# Fixed loopback ports, like bench/run.sh: haproxy, its stats page, PostgreSQL, three replicas.
lb_port=5180; stats_port=5189; pg_port=5188; ports=(5181 5182 5183)
for p in $lb_port $stats_port $pg_port "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use" >&2; exit 2; fi
done

# Scratch (removed at the end): PostgreSQL's cluster, the replicas' data dirs, and a copy of the jar (a
# rebuild of the original while the replicas run would pull classes from under them).
work="$(mktemp -d /tmp/scoria-bench-replicas-XXXXXX)"
pg_dir="$work/pg"
mkdir "$pg_dir"
cp "$src_jar" "$work/scoria.jar"
jar="$work/scoria.jar"
admin="bench-admin-$RANDOM$RANDOM$RANDOM"
pg_pw="bench-pw-$RANDOM$RANDOM"
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
pids=(); haproxy_pid=; watchdog=
cleanup() {
  [ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null || true
  [ -n "$haproxy_pid" ] && kill "$haproxy_pid" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in $haproxy_pid "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
# Watchdog: the whole run stays under 5 minutes whatever happens.
( trap 'kill $sleeper 2>/dev/null; exit 0' TERM; sleep 300 & sleeper=$!; wait $sleeper
  echo "bench/replicas.sh: over 5 minutes, stopping" >&2; kill -TERM $$ ) &
watchdog=$!

echo "PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port"
chmod 755 "$work" "$pg_dir"
echo "$pg_pw" > "$pg_dir/pwfile"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$pg_dir"
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U scoria --pwfile="$pg_dir/pwfile" --auth=scram-sha-256 -E UTF8 --no-sync >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
PGPASSWORD="$pg_pw" "$pg_bin/psql" -q -h 127.0.0.1 -p $pg_port -U scoria -d postgres -c "CREATE DATABASE scoria" >/dev/null

wait_http() { for _ in $(seq 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
for i in 0 1 2; do
  SCORIA_DATABASE_URL="postgresql://scoria:$pg_pw@127.0.0.1:$pg_port/scoria" SCORIA_ADMIN_TOKEN="$admin" \
    java -jar "$jar" serve --port "${ports[$i]}" --data-dir "$work/data-r$((i + 1))" --replica-id "r$((i + 1))" \
    --shutdown-delay-seconds 1 > "$out/r$((i + 1)).log" 2> "$out/r$((i + 1)).err" &
  pids+=($!)
done
for p in "${ports[@]}"; do wait_http "http://127.0.0.1:$p/ready"; done
echo "replicas r1 r2 r3 on ${ports[*]}"

# Register the demo model and deploy it (key auth) on r1; wait until every replica serves it.
r1="http://127.0.0.1:${ports[0]}"
curl -sf -o /dev/null -H "Authorization: Bearer $admin" -F name=diabetes \
  -F "file=@$root/scoria-server/src/main/resources/demo/diabetes-ridge/model.onnx" "$r1/api/v1/models"
op=$(curl -sf -D - -o /dev/null -H "Authorization: Bearer $admin" -H "Content-Type: application/json" \
  -d '{"name": "bench", "models": ["diabetes:1"], "authMode": "key"}' "$r1/api/v1/services" \
  | tr -d '\r' | awk -F': ' 'tolower($1) == "operation-location" {print $2}')
for _ in $(seq 600); do
  state=$(curl -sf -H "Authorization: Bearer $admin" "$r1$op" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  [ "$state" != Running ] && break; sleep 0.1
done
[ "$state" = Succeeded ] || { echo "deployment: $state" >&2; exit 1; }
body="$root/scoria-server/src/main/resources/demo/diabetes-ridge/request.json"
cp "$body" "$out/body-2.json"
python3 -c 'import json; print(json.dumps({"data": [json.load(open("'"$body"'"))["data"][0]]}))' > "$out/body-1.json"

# (a) Key propagation.
echo "key propagation: $tries tries"
python3 - "$admin" "$tries" "$out/keyprop.txt" "${ports[@]}" <<'PY'
import http.client, json, math, sys, threading, time
admin, tries, out, ports = sys.argv[1], int(sys.argv[2]), sys.argv[3], [int(p) for p in sys.argv[4:]]
body = json.dumps({"data": [[0.0199, 0.0507, 0.1048, 0.0701, -0.0360, -0.0267, -0.0250, -0.0026, 0.0037, 0.0403]]})

def call(conn, method, path, token, payload=None):
    conn.request(method, path, body=payload, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, r.read()

admin_conns = [http.client.HTTPConnection("127.0.0.1", p, timeout=10) for p in ports]
poll_conns = [http.client.HTTPConnection("127.0.0.1", p, timeout=10) for p in ports]
status, keys = call(admin_conns[0], "POST", "/api/v1/services/bench/listkeys", admin)
key = json.loads(keys)["primaryKey"]
every, own, others = [], [], []
for t in range(tries):
    old, on = key, t % len(ports)
    status, answer = call(admin_conns[on], "POST", "/api/v1/services/bench/regenerateKeys", admin, '{"keyType": "Primary"}')
    acked = time.perf_counter()
    assert status == 200, answer
    key = json.loads(answer)["primaryKey"]
    refused = [None] * len(ports)
    def poll(i):
        deadline = acked + 10
        while time.perf_counter() < deadline:
            s, _ = call(poll_conns[i], "POST", "/api/v1/service/bench/score", old, body)
            if s == 401:
                refused[i] = (time.perf_counter() - acked) * 1000
                return
            time.sleep(0.001)
    threads = [threading.Thread(target=poll, args=(i,)) for i in range(len(ports))]
    for th in threads: th.start()
    for th in threads: th.join()
    assert None not in refused, f"try {t}: old key still accepted 10 s later: {refused}"
    own.append(refused[on])
    others.extend(ms for i, ms in enumerate(refused) if i != on)
    every.append(max(refused))

def pct(values, p):
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]  # nearest rank
def row(what, values):
    return f"RESULT what={what} samples={len(values)} p50_ms={pct(values, 50):.1f} p99_ms={pct(values, 99):.1f} max_ms={max(values):.1f}"
lines = [row("every-replica", every), row("the-replica-that-regenerated", own), row("each-other-replica", others)]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
open(out.replace("keyprop.txt", "key"), "w").write(key)
PY
key=$(cat "$out/key")

# (b) Throughput through haproxy with 1, 2, 3 replicas in the backend (haproxy restarted with each set).
start_haproxy() { # number of replicas
  {
    cat <<EOF
global
    maxconn 4096
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 10s
    retries 3
    option redispatch
    retry-on conn-failure empty-response
    option http-buffer-request
frontend scoria
    bind 127.0.0.1:$lb_port
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /ready
    http-check expect status 200
    default-server inter 200 fall 1 rise 2
EOF
    for i in $(seq "$1"); do echo "    server r$i 127.0.0.1:${ports[$((i - 1))]} check"; done
    printf 'listen stats\n    bind 127.0.0.1:%s\n    stats enable\n    stats uri /stats\n' $stats_port
  } > "$out/haproxy-$1.cfg"
  "$haproxy_bin" -c -q -f "$out/haproxy-$1.cfg"
  "$haproxy_bin" -db -f "$out/haproxy-$1.cfg" > "$out/haproxy-$1.log" 2>&1 &
  haproxy_pid=$!
  for _ in $(seq 100); do
    [ "$(curl -sf "http://127.0.0.1:$stats_port/stats;csv" | awk -F, '$1 == "replicas" && $2 ~ /^r/ && $18 == "UP"' | wc -l)" = "$1" ] && return 0
    sleep 0.1
  done
  echo "haproxy: not every server UP" >&2; exit 1
}
stop_haproxy() { kill "$haproxy_pid"; wait "$haproxy_pid" 2>/dev/null || true; haproxy_pid=; }
measure() { # label url seconds
  BODY_FILE="$out/body-1.json" AUTH="$key" wrk -t2 -c32 -d"$3"s --timeout 10s -s "$root/bench/lua/post.lua" "$2" \
    | grep '^RESULT' | sed "s/^RESULT/RESULT target=$1/"
}
answer=$(curl -s "http://127.0.0.1:${ports[0]}/api/v1/service/bench/score" -H "Authorization: Bearer $key" \
  -H "Content-Type: application/json" -d @"$out/body-2.json")
echo "answer: $answer" | tee "$out/answer.txt"
lb="http://127.0.0.1:$lb_port/api/v1/service/bench/score"
start_haproxy 3
measure warmup "$lb" 5 >/dev/null
stop_haproxy
{
  measure direct-r1 "http://127.0.0.1:${ports[0]}/api/v1/service/bench/score" "$secs"
  for n in 1 2 3; do
    start_haproxy $n
    measure "haproxy-$n-replicas" "$lb" "$secs"
    stop_haproxy
  done
} | tee "$out/throughput.txt"
python3 - "$out" "$tries" "$secs" <<'PY' | tee "$out/results.md"
import re, sys
out, tries, secs = sys.argv[1], sys.argv[2], sys.argv[3]
def fields(line): return dict(re.findall(r"(\w+)=(\S+)", line))
print(f"Key-regeneration propagation ({tries} tries; ms from the regenerate call's answer until the old key gets 401):\n")
print("| old key refused by | samples | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|")
for line in open(f"{out}/keyprop.txt"):
    f = fields(line)
    label = {"every-replica": "every replica (the slowest of the three, per try)",
             "the-replica-that-regenerated": "the replica that regenerated the key",
             "each-other-replica": "each of the two others"}[f["what"]]
    print(f"| {label} | {f['samples']} | {f['p50_ms']} | {f['p99_ms']} | {f['max_ms']} |")
print(f"\nScoring throughput (wrk -t2 -c32 -d{secs}s, one row per request, key auth):\n")
print("| target | req/s | p50 ms | p99 ms | non-200 / socket errors |\n|---|---|---|---|---|")
for line in open(f"{out}/throughput.txt"):
    f = fields(line)
    statuses = dict(kv.split(":") for kv in f["statuses"].split(",") if kv)
    bad = sum(int(v) for k, v in statuses.items() if k != "200")
    print(f"| {f['target']} | {float(f['rps']):,.0f} | {f['p50_ms']} | {f['p99_ms']} | {bad} / {f['errors']} |")
PY
echo "results: $out/results.md"
