"""Turns bench/run.sh's RESULT lines into the markdown tables of bench/RESULTS.md, with ratios."""
import re
import sys
from pathlib import Path

out = Path(sys.argv[1])
rows = []
for line in (out / "raw.txt").read_text().splitlines():
    if line.startswith("RESULT"):
        rows.append(dict(re.findall(r"(\w+)=(\S+)", line)))


def get(target, c, body):
    for r in rows:
        if r["target"] == target and r["c"] == str(c) and r["body"] == body:
            return r
    return None


print(f"### Single-row requests ({out.name})\n")
print("| connections | limit req/s | scoria req/s | peer req/s | scoria/limit | scoria/peer | scoria p50 / p99 / p99.9 ms | peer p50 / p99 / p99.9 ms | non-200 (scoria, peer) |")
print("|---|---|---|---|---|---|---|---|---|")
for c in (1, 8, 64, 256):
    lim, sco, peer = get("limit", c, "body-1.json"), get("scoria", c, "body-1.json"), get("peer", c, "body-1.json")
    if not (lim and sco and peer):
        continue
    def bad(r):
        return sum(int(v) for k, v in (p.split(":") for p in r["statuses"].split(",") if p) if k != "200") + int(r["errors"])
    print(f"| {c} | {float(lim['rps']):,.0f} | {float(sco['rps']):,.0f} | {float(peer['rps']):,.0f} "
          f"| {float(sco['rps']) / float(lim['rps']):.2f} | {float(sco['rps']) / float(peer['rps']):.1f}x "
          f"| {float(sco['p50_ms']):.2f} / {float(sco['p99_ms']):.2f} / {float(sco['p999_ms']):.2f} "
          f"| {float(peer['p50_ms']):.2f} / {float(peer['p99_ms']):.2f} / {float(peer['p999_ms']):.2f} | {bad(sco)}, {bad(peer)} |")

print("\nServer CPU time per request (µs; the target process and its children, from /proc; less depends on the"
      " machine's other load than req/s):\n")
print("| connections | limit | scoria | peer | scoria/limit |")
print("|---|---|---|---|---|")
for c in (1, 8, 64, 256):
    lim, sco, peer = get("limit", c, "body-1.json"), get("scoria", c, "body-1.json"), get("peer", c, "body-1.json")
    if lim and sco and peer and "cpu_us_per_request" in sco:
        print(f"| {c} | {float(lim['cpu_us_per_request']):.1f} | {float(sco['cpu_us_per_request']):.1f} "
              f"| {float(peer['cpu_us_per_request']):.1f} | {float(sco['cpu_us_per_request']) / float(lim['cpu_us_per_request']):.2f} |")

print("\n### Large requests (8 connections)\n")
print("| rows per request | scoria rows/s | peer rows/s | scoria/peer | scoria p99 ms | peer p99 ms |")
print("|---|---|---|---|---|---|")
for n in (1000, 10000):
    sco, peer = get("scoria", 8, f"body-{n}.json"), get("peer", 8, f"body-{n}.json")
    if sco and peer:
        print(f"| {n:,} | {float(sco['rps']) * n:,.0f} | {float(peer['rps']) * n:,.0f} | {float(sco['rps']) / float(peer['rps']):.1f}x "
              f"| {float(sco['p99_ms']):.1f} | {float(peer['p99_ms']):.1f} |")

over = (out / "overload.txt")
if over.exists() and over.read_text().strip():
    o = dict(re.findall(r"(\w+)=(\S+)", over.read_text()))
    a = dict(re.findall(r"(\w+)=(\S+)", (out / "after-overload.txt").read_text()))
    rss = [int(x) for x in (out / "overload-rss-kib.txt").read_text().split()]
    print("\n### Overload (scoria, 1024 connections)\n")
    print(f"- {o['requests']} requests in {float(o['duration_s']):.0f} s ({float(o['rps']):,.0f} req/s); statuses {o['statuses']};"
          f" socket errors {o['errors']}; 503 without Retry-After: {o.get('no_retry_after', '?')}")
    print(f"- latency under overload p50 {float(o['p50_ms']):.1f} ms, p99 {float(o['p99_ms']):.1f} ms")
    if rss:
        print(f"- server RSS during the run: min {min(rss) // 1024} MiB, max {max(rss) // 1024} MiB (sampled each second)")
    print(f"- right after, at 8 connections: {float(a['rps']):,.0f} req/s, p50 {float(a['p50_ms']):.2f} ms, p99 {float(a['p99_ms']):.2f} ms")
