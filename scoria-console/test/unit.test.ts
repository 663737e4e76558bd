// Unit tests of the console's pure parts (metrics parsing, client code generation), run by
// `npm test` (node's test runner) in the module's Maven test phase.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatSeconds, parseMetrics, quantile, rates } from "../src/metrics";
import { pretty, snippet } from "../src/snippets";

const SCRAPE = `# HELP scoria_score_requests_total Scoring requests by service and HTTP status
# TYPE scoria_score_requests_total counter
scoria_score_requests_total{service="a",status="200"} 90.0
scoria_score_requests_total{service="a",status="400"} 10.0
scoria_score_requests_total{service="b",status="200"} 4.0
# TYPE scoria_score_duration_seconds histogram
scoria_score_duration_seconds_bucket{service="a",le="0.001"} 50
scoria_score_duration_seconds_bucket{service="a",le="0.002"} 98
scoria_score_duration_seconds_bucket{service="a",le="0.004"} 100
scoria_score_duration_seconds_bucket{service="a",le="+Inf"} 100
scoria_score_duration_seconds_count{service="a"} 100
scoria_score_duration_seconds_bucket{service="b",le="0.001"} 0
scoria_score_duration_seconds_bucket{service="b",le="+Inf"} 4
jvm_threads_live_threads 31.0
`;

test("metrics: requests summed over statuses, buckets sorted, other series ignored", () => {
  const stats = parseMetrics(SCRAPE);
  assert.deepEqual([...stats.keys()].sort(), ["a", "b"]);
  assert.equal(stats.get("a")!.requests, 100);
  assert.deepEqual(stats.get("a")!.buckets.map((b) => b.le), [0.001, 0.002, 0.004, Infinity]);
});

test("metrics: p99 interpolates within its bucket like histogram_quantile", () => {
  const a = parseMetrics(SCRAPE).get("a")!;
  // rank 99 of 100 falls in (0.002, 0.004] holding 2 observations: halfway.
  assert.ok(Math.abs(quantile(0.99, a.buckets)! - 0.003) < 1e-12);
  assert.ok(Math.abs(quantile(0.5, a.buckets)! - 0.001) < 1e-12);
  // Past the last finite bound, the bound is the honest answer.
  assert.equal(quantile(0.99, parseMetrics(SCRAPE).get("b")!.buckets), 0.001);
  assert.equal(quantile(0.99, []), null);
  assert.equal(quantile(0.99, [{ le: 0.001, count: 0 }, { le: Infinity, count: 0 }]), null);
});

test("metrics: the protocols' histograms of one service add up bound by bound", () => {
  const scrape = `scoria_score_requests_total{protocol="azure",service="c",status="200"} 3.0
scoria_score_requests_total{protocol="v2",service="c",status="200"} 1.0
scoria_score_duration_seconds_bucket{protocol="azure",service="c",le="0.001"} 3
scoria_score_duration_seconds_bucket{protocol="azure",service="c",le="+Inf"} 3
scoria_score_duration_seconds_bucket{protocol="v2",service="c",le="0.001"} 0
scoria_score_duration_seconds_bucket{protocol="v2",service="c",le="+Inf"} 1
`;
  const c = parseMetrics(scrape).get("c")!;
  assert.equal(c.requests, 4);
  assert.deepEqual(c.buckets, [{ le: 0.001, count: 3 }, { le: Infinity, count: 4 }]);
});

test("metrics: rates between scrapes, a restart counts from zero", () => {
  const before = parseMetrics(SCRAPE);
  const after = parseMetrics(SCRAPE.replace("} 90.0", "} 140.0").replace('service="b",status="200"} 4.0', 'service="b",status="200"} 1.0'));
  const r = rates(before, after, 10);
  assert.equal(r.get("a"), 5);
  assert.equal(r.get("b"), 0.1);
  assert.equal(formatSeconds(0.0031), "3.10 ms");
  assert.equal(formatSeconds(null), "—");
});

const EXAMPLE = { data: [[0.5, -1], [2, 3e-7]] };

test("pretty: a row of numbers stays on one line", () => {
  assert.equal(pretty(EXAMPLE), '{\n  "data": [\n    [0.5, -1],\n    [2, 3e-7]\n  ]\n}');
});

test("snippets: the URI is filled in and the credential is a placeholder", () => {
  const uri = "http://127.0.0.1:5001/api/v1/service/s/score";
  for (const lang of ["python", "csharp", "go", "java", "javascript", "curl"] as const) {
    const key = snippet(lang, { scoringUri: uri, authMode: "key", example: EXAMPLE });
    assert.ok(key.includes(uri), lang);
    assert.ok(key.includes("<your-key>"), lang);
    assert.ok(snippet(lang, { scoringUri: uri, authMode: "token", example: EXAMPLE }).includes("<your-token>"), lang);
    const open = snippet(lang, { scoringUri: uri, authMode: "none", example: EXAMPLE });
    assert.ok(!open.includes("Bearer") && !open.includes("<your-"), `${lang} without auth`);
    const raw = snippet(lang, { scoringUri: uri, authMode: "key", example: null, rawContentType: "image/png" });
    assert.ok(raw.includes("input.bin") && raw.includes("image/png"), `${lang} raw`);
  }
});

test("snippets: values are written in each language's syntax, special characters escaped", () => {
  const tricky = { text: "it's a \"quote\" \\ `tick`", flag: true, none: null };
  const python = snippet("python", { scoringUri: "u", authMode: "key", example: tricky });
  assert.ok(python.includes('"flag": True') && python.includes('"none": None'));
  const curl = snippet("curl", { scoringUri: "u", authMode: "key", example: tricky });
  assert.ok(curl.includes(`it'\\''s`));
  const go = snippet("go", { scoringUri: "u", authMode: "key", example: tricky });
  assert.ok(go.includes('` + "`" + `tick` + "`" + `'));
  const java = snippet("java", { scoringUri: "u", authMode: "key", example: tricky });
  assert.ok(java.includes('\\\\\\\\ '), "a JSON backslash doubles again inside a text block");
  const csharp = snippet("csharp", { scoringUri: "u", authMode: "key", example: tricky });
  assert.ok(csharp.includes('""text""'));
});
