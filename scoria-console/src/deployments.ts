// The deployments of a service: reading the traffic split and mirror a user typed, and the words of
// their confirmations. Pure functions, so that the unit tests cover them without a browser.

/** What the server checks too (TrafficSplit): whole percentages, live shares summing to 100, a mirror of at most 50. */
export const MAX_MIRROR_PERCENT = 50;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** "50 %": the console's way of writing a share. */
export function percent(n: number): string {
  return `${n} %`;
}

/** "a", "a and b", "a, b and c". */
export function listOf(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function wholePercent(text: string, max: number): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) {
    return null;
  }
  const n = Number(t);
  return n <= max ? n : null;
}

/**
 * The live split from one input per deployment (in the table's order; an empty input is 0 %):
 * whole percentages from 0 to 100 summing to 100. The body for PUT …/traffic names only the
 * deployments that get a share, in that order.
 */
export function checkSplit(inputs: { name: string; value: string }[]): Checked<Record<string, number>> {
  const split: Record<string, number> = {};
  let sum = 0;
  for (const { name, value } of inputs) {
    const n = value.trim() === "" ? 0 : wholePercent(value, 100);
    if (n === null) {
      return { ok: false, message: `The share of ${name} must be a whole percentage from 0 to 100, not "${value.trim()}".` };
    }
    sum += n;
    if (n > 0) {
      split[name] = n;
    }
  }
  if (sum !== 100) {
    return { ok: false, message: `The shares sum to ${percent(sum)}: they must sum to 100 %.` };
  }
  return { ok: true, value: split };
}

/** "Send 90 % to blue and 10 % to green?" */
export function splitQuestion(split: Record<string, number>): string {
  return `Send ${listOf(Object.entries(split).map(([name, n]) => `${percent(n)} to ${name}`))}?`;
}

/**
 * What else a new split means: the deployments left without live traffic, and a mirrored
 * deployment given live traffic, which the server stops mirroring.
 */
export function splitDetail(split: Record<string, number>, deployments: string[], mirror: Record<string, number>): string {
  const sentences = ["Live requests are shared this way as soon as you confirm; every replica follows within a second."];
  const idle = deployments.filter((d) => !(d in split));
  if (idle.length > 0) {
    sentences.push(`${listOf(idle)} ${idle.length === 1 ? "takes" : "take"} no live traffic, but still ${idle.length === 1 ? "answers" : "answer"} requests pinned with the azureml-model-deployment header.`);
  }
  const mirrored = Object.keys(mirror).find((d) => mirror[d] > 0 && d in split);
  if (mirrored) {
    sentences.push(`${mirrored} is mirrored now: taking live traffic, it stops being mirrored.`);
  }
  return sentences.join(" ");
}

/**
 * The body for PUT …/mirror from the chosen deployment ("" for none) and its share: {} stops
 * mirroring; otherwise a whole percentage from 1 to 50. That the deployment takes no live traffic is
 * the server's check (it answers 400 with the reason, which the console shows).
 */
export function checkMirror(deployment: string, value: string): Checked<Record<string, number>> {
  if (deployment === "") {
    return { ok: true, value: {} };
  }
  const n = wholePercent(value, MAX_MIRROR_PERCENT);
  if (n === null || n === 0) {
    return { ok: false, message: `The mirror share must be a whole percentage from 1 to ${MAX_MIRROR_PERCENT}; choose "Off" to stop mirroring.` };
  }
  return { ok: true, value: { [deployment]: n } };
}

/** The confirmation of a mirror change, or null when nothing would change. */
export function mirrorQuestion(next: Record<string, number>, current: Record<string, number>): { question: string; detail: string } | null {
  const [now] = Object.entries(current).filter(([, n]) => n > 0);
  const [wanted] = Object.entries(next);
  if (!wanted) {
    return now ? { question: `Stop mirroring to ${now[0]}?`, detail: `${now[0]} gets no more copies of live requests.` } : null;
  }
  if (now && now[0] === wanted[0] && now[1] === wanted[1]) {
    return null;
  }
  return {
    question: `Mirror ${percent(wanted[1])} of live requests to ${wanted[0]}?`,
    detail: `${wanted[0]} scores a copy of that share of live requests after the live answer; its answers are dropped, so clients see no change.`
      + (now && now[0] !== wanted[0] ? ` ${now[0]} stops being mirrored.` : ""),
  };
}

/** "default 90 %, green 10 %", with the mirror after it: the Overview's one-line summary. */
export function trafficSummary(traffic: Record<string, number>, mirror: Record<string, number>): string {
  const live = Object.entries(traffic).filter(([, n]) => n > 0).map(([d, n]) => `${d} ${percent(n)}`).join(", ");
  const [m] = Object.entries(mirror).filter(([, n]) => n > 0);
  return m ? `${live} · mirror: ${m[0]} ${percent(m[1])}` : live;
}
