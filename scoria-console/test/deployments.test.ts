// Unit tests of the deployments tab's pure parts: reading a split and a mirror, and what the
// confirmations say. Run by `npm test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkMirror, checkSplit, listOf, mirrorQuestion, splitDetail, splitQuestion, trafficSummary } from "../src/deployments";

const inputs = (values: Record<string, string>) => Object.entries(values).map(([name, value]) => ({ name, value }));

test("split: shares summing to 100 become the PUT body, without the deployments at 0 %", () => {
  assert.deepEqual(checkSplit(inputs({ blue: "90", green: "10" })), { ok: true, value: { blue: 90, green: 10 } });
  assert.deepEqual(checkSplit(inputs({ blue: "100", green: "0" })), { ok: true, value: { blue: 100 } });
  assert.deepEqual(checkSplit(inputs({ blue: " 100 ", green: "" })), { ok: true, value: { blue: 100 } }, "an empty input is 0 %");
  // The order of the table is kept: it is how the server stores and shows the split.
  assert.deepEqual(Object.keys((checkSplit(inputs({ green: "30", blue: "70" })) as { value: object }).value), ["green", "blue"]);
});

test("split: a sum other than 100 is refused before anything is sent, with the sum", () => {
  assert.deepEqual(checkSplit(inputs({ blue: "80", green: "10" })), { ok: false, message: "The shares sum to 90 %: they must sum to 100 %." });
  assert.deepEqual(checkSplit(inputs({ blue: "60", green: "60" })), { ok: false, message: "The shares sum to 120 %: they must sum to 100 %." });
  assert.deepEqual(checkSplit(inputs({ blue: "0", green: "" })), { ok: false, message: "The shares sum to 0 %: they must sum to 100 %." });
});

test("split: only whole percentages from 0 to 100", () => {
  for (const bad of ["-10", "10.5", "1e2", "abc", "101", "0x10"]) {
    const r = checkSplit(inputs({ blue: bad, green: "50" }));
    assert.equal(r.ok, false, bad);
    assert.match((r as { message: string }).message, /The share of blue must be a whole percentage from 0 to 100/, bad);
  }
});

test("split: the confirmation names each share", () => {
  assert.equal(splitQuestion({ blue: 90, green: 10 }), "Send 90 % to blue and 10 % to green?");
  assert.equal(splitQuestion({ default: 100 }), "Send 100 % to default?");
  assert.equal(splitQuestion({ a: 50, b: 30, c: 20 }), "Send 50 % to a, 30 % to b and 20 % to c?");
  assert.equal(listOf([]), "");
});

test("split: the detail names the deployments left without traffic and a mirror that stops", () => {
  const plain = splitDetail({ blue: 100 }, ["blue", "green"], {});
  assert.match(plain, /green takes no live traffic, but still answers requests pinned/);
  const both = splitDetail({ blue: 100 }, ["blue", "green", "red"], {});
  assert.match(both, /green and red take no live traffic, but still answer/);
  const mirrored = splitDetail({ blue: 90, green: 10 }, ["blue", "green"], { green: 20 });
  assert.match(mirrored, /green is mirrored now: taking live traffic, it stops being mirrored/);
  assert.doesNotMatch(splitDetail({ blue: 100 }, ["blue", "green"], { green: 20 }), /stops being mirrored/);
});

test("mirror: one deployment at 1 to 50 %, or off", () => {
  assert.deepEqual(checkMirror("green", "10"), { ok: true, value: { green: 10 } });
  assert.deepEqual(checkMirror("green", "50"), { ok: true, value: { green: 50 } });
  assert.deepEqual(checkMirror("", "whatever"), { ok: true, value: {} });
  for (const bad of ["0", "51", "100", "", "5.5", "-1"]) {
    assert.equal(checkMirror("green", bad).ok, false, bad);
  }
});

test("mirror: the confirmation says what changes, and nothing is asked when nothing would", () => {
  assert.equal(mirrorQuestion({ green: 10 }, {})?.question, "Mirror 10 % of live requests to green?");
  assert.match(mirrorQuestion({ green: 10 }, { red: 5 })!.detail, /red stops being mirrored/);
  assert.equal(mirrorQuestion({ green: 20 }, { green: 10 })?.question, "Mirror 20 % of live requests to green?");
  assert.equal(mirrorQuestion({}, { green: 10 })?.question, "Stop mirroring to green?");
  assert.equal(mirrorQuestion({ green: 10 }, { green: 10 }), null);
  assert.equal(mirrorQuestion({}, {}), null);
});

test("summary: live shares, then the mirror", () => {
  assert.equal(trafficSummary({ default: 90, green: 10 }, {}), "default 90 %, green 10 %");
  assert.equal(trafficSummary({ default: 100, green: 0 }, { green: 20 }), "default 100 % · mirror: green 20 %");
});
