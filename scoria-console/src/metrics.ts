// Reads the two scoring series of GET /metrics (Prometheus text format 0.0.4).

export interface ServiceStats {
  /** scoria_score_requests_total summed over statuses. */
  requests: number;
  /** Cumulative latency buckets, upper bound in seconds (Infinity last). */
  buckets: { le: number; count: number }[];
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Map<string, ServiceStats> {
  const stats = new Map<string, ServiceStats>();
  const of = (service: string) => {
    let s = stats.get(service);
    if (!s) {
      s = { requests: 0, buckets: [] };
      stats.set(service, s);
    }
    return s;
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) {
      continue;
    }
    const m = LINE.exec(line);
    if (!m) {
      continue;
    }
    const [, name, labelText, valueText] = m;
    if (name !== "scoria_score_requests_total" && name !== "scoria_score_duration_seconds_bucket") {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const l of (labelText ?? "").matchAll(LABEL)) {
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    const value = Number(valueText);
    if (labels.service === undefined || Number.isNaN(value)) {
      continue;
    }
    const s = of(labels.service);
    if (name === "scoria_score_requests_total") {
      s.requests += value;
    } else {
      // One histogram per protocol (azure, v2): buckets of the same bound add up.
      const le = labels.le === "+Inf" ? Infinity : Number(labels.le);
      const same = s.buckets.find((b) => b.le === le);
      if (same) {
        same.count += value;
      } else {
        s.buckets.push({ le, count: value });
      }
    }
  }
  for (const s of stats.values()) {
    s.buckets.sort((a, b) => a.le - b.le);
  }
  return stats;
}

/**
 * A quantile from cumulative buckets, interpolated within its bucket as Prometheus'
 * histogram_quantile does; null with no observations. Seconds.
 */
export function quantile(q: number, buckets: { le: number; count: number }[]): number | null {
  if (buckets.length === 0) {
    return null;
  }
  const total = buckets[buckets.length - 1].count;
  if (total <= 0) {
    return null;
  }
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) {
        // Past the last finite bound: the best honest answer is that bound.
        return lower;
      }
      const inBucket = b.count - below;
      return inBucket <= 0 ? b.le : lower + (b.le - lower) * ((rank - below) / inBucket);
    }
    lower = b.le;
    below = b.count;
  }
  return lower;
}

/** Request rates between two scrapes, per second; services new in the second scrape count from 0. */
export function rates(before: Map<string, ServiceStats>, after: Map<string, ServiceStats>, seconds: number): Map<string, number> {
  const out = new Map<string, number>();
  if (seconds <= 0) {
    return out;
  }
  for (const [service, s] of after) {
    const previous = before.get(service)?.requests ?? 0;
    // A restart resets counters: a negative difference means "since the restart".
    const delta = s.requests >= previous ? s.requests - previous : s.requests;
    out.set(service, delta / seconds);
  }
  return out;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) {
    return "—";
  }
  if (seconds < 0.001) {
    return `${(seconds * 1e6).toFixed(0)} µs`;
  }
  if (seconds < 1) {
    return `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
  }
  return `${seconds.toFixed(2)} s`;
}
