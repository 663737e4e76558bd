// Scoria's console: one page, hash routes (#/services, #/services/NAME/test, …) so that the server
// serves a single index.html and nothing secret ever travels in a URL.
import { adminToken, api, ApiError, DEPLOYMENT_HEADER, sameOrigin, setAdminToken, whenUnauthorized } from "./api";
import type { Deployment, Model, Service } from "./api";
import { checkMirror, checkSplit, MAX_MIRROR_PERCENT, mirrorQuestion, percent, splitDetail, splitQuestion, trafficSummary } from "./deployments";
import { copyButton, h, replace, uid, when } from "./dom";
import type { Child } from "./dom";
import { formatSeconds, parseMetrics, quantile, rates } from "./metrics";
import type { ServiceStats } from "./metrics";
import { LANGUAGES, placeholder, pretty, snippet } from "./snippets";

const app = document.getElementById("app") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;
/** Stops the current page's polling when the user navigates away. */
let pageTimers: number[] = [];

function every(ms: number, fn: () => void): void {
  pageTimers.push(window.setInterval(fn, ms));
}

function go(hash: string): void {
  if (location.hash === hash) {
    void route();
  } else {
    location.hash = hash;
  }
}

function errorBox(e: unknown): HTMLElement {
  const message = e instanceof Error ? e.message : String(e);
  return h("p", { class: "error", role: "alert" }, message);
}

function title(text: string, ...extra: Child[]): HTMLElement {
  document.title = `${text} · Scoria`;
  return h("div", { class: "page-title" }, h("h1", { tabindex: "-1" }, text), ...extra);
}

function stateBadge(s: { state: string }): HTMLElement {
  return h("span", { class: `badge state-${s.state.toLowerCase()}` }, s.state);
}

// ---- sign-in ----

function signIn(): void {
  nav.hidden = true;
  const input = h("input", { id: "token", type: "password", autocomplete: "off", required: true, spellcheck: "false" });
  const message = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card narrow", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in to Scoria"),
    h("p", null, "Paste the workspace's admin token: the file ", h("code", null, "admin-token"),
      " in the server's data directory (", h("code", null, "scoria-data/admin-token"), " by default); or an access token from ",
      h("code", null, "scoria access create"), " (a reader token browses; pages that need another role say so). It is kept in this tab's session storage only."),
    h("label", { for: "token" }, "Admin token, or an access token"),
    input,
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Sign in")),
    message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(message);
    try {
      await api.verify(input.value.trim());
      setAdminToken(input.value.trim());
      go(location.hash && location.hash !== "#/signin" ? location.hash : "#/services");
    } catch (e) {
      replace(message, errorBox(e instanceof ApiError && e.status === 401 ? new Error("That token was refused: check it and try again.") : e));
    }
  });
  document.title = "Sign in · Scoria";
  replace(app, form);
  input.focus();
}

// ---- services ----

/** The previous scrape, kept across pages so that the rate shows at once when coming back. */
let lastScrape: { at: number; stats: Map<string, ServiceStats> } | null = null;
let lastRates = new Map<string, number>();
let metricsAvailable = true;

async function scrape(): Promise<Map<string, ServiceStats>> {
  const text = metricsAvailable ? await api.metrics() : null;
  if (text === null) {
    metricsAvailable = false;
    return new Map();
  }
  const now = Date.now();
  const stats = parseMetrics(text);
  if (lastScrape && now - lastScrape.at > 500) {
    lastRates = rates(lastScrape.stats, stats, (now - lastScrape.at) / 1000);
  }
  if (!lastScrape || now - lastScrape.at > 500) {
    lastScrape = { at: now, stats };
  }
  return stats;
}

function matchesTag(tags: Record<string, string>, filter: string): boolean {
  const [k, v] = filter.split("=", 2).map((s) => s.trim());
  return Object.entries(tags).some(([key, value]) => key.toLowerCase().includes(k.toLowerCase())
    && (v === undefined || value.toLowerCase() === v.toLowerCase()));
}

async function servicesPage(): Promise<void> {
  const nameFilter = h("input", { id: uid("f"), type: "search", placeholder: "part of a name" });
  const modelFilter = h("input", { id: uid("f"), type: "search", placeholder: "e.g. diabetes:1" });
  const tagFilter = h("input", { id: uid("f"), type: "search", placeholder: "key or key=value" });
  const field = (label: string, input: HTMLInputElement) => h("div", { class: "field" }, h("label", { for: input.id }, label), input);
  // Not a live region: a table re-read aloud every 5 s would drown a screen reader.
  const body = h("div", null, h("p", null, "Loading…"));
  replace(app,
    title("Services", h("a", { class: "button", href: "#/deploy" }, "Deploy a model")),
    h("form", { class: "filters", role: "search", "aria-label": "Filter services", onsubmit: (e: Event) => e.preventDefault() },
      field("Name", nameFilter), field("Model", modelFilter), field("Tag", tagFilter)),
    body);
  let services: Service[] = [];
  let stats = new Map<string, ServiceStats>();
  const render = () => {
    const n = nameFilter.value.trim().toLowerCase();
    const m = modelFilter.value.trim().toLowerCase();
    const t = tagFilter.value.trim();
    const shown = services.filter((s) => s.name.toLowerCase().includes(n)
      && (!m || s.models.some((model) => model.id.toLowerCase().includes(m)))
      && (!t || matchesTag(s.kvTags, t)));
    if (services.length === 0) {
      replace(body, h("p", null, "No services yet. ", h("a", { href: "#/deploy" }, "Deploy a model"), "."));
      return;
    }
    // The refresh rebuilds the table: a keyboard user's focus on a link in it is put back.
    const focused = body.contains(document.activeElement) ? document.activeElement?.getAttribute("href") : null;
    replace(body, h("table", { class: "responsive" },
      h("caption", { class: "visually-hidden" }, "Services"),
      h("thead", null, h("tr", null, ...["Name", "State", "Models", "Auth", "Requests/s", "p99 latency"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, shown.map((s) => {
        const stat = stats.get(s.name);
        const rate = lastRates.get(s.name);
        return h("tr", null,
          h("td", { "data-label": "Name" }, h("a", { href: `#/services/${encodeURIComponent(s.name)}` }, s.name)),
          h("td", { "data-label": "State" }, stateBadge(s), s.state === "Failed" && s.error ? h("div", { class: "error small" }, s.error.message) : null),
          h("td", { "data-label": "Models" }, s.models.map((model) => model.id).join(", ")),
          h("td", { "data-label": "Auth" }, s.authMode),
          h("td", { "data-label": "Requests/s", class: "num" }, !metricsAvailable ? "n/a" : rate === undefined ? "—" : rate.toFixed(rate < 10 ? 2 : 0)),
          h("td", { "data-label": "p99 latency", class: "num" }, !metricsAvailable ? "n/a" : formatSeconds(stat ? quantile(0.99, stat.buckets) : null)));
      }))),
    shown.length === 0 ? h("p", null, "No service matches these filters.") : null,
    h("p", { class: "hint" }, metricsAvailable
      ? "Requests/s: between the last two refreshes (every 5 s). p99: since the server started."
      : "Metrics are served on a separate port (--metrics-port), so rates are not shown here."));
    if (focused) {
      [...body.querySelectorAll("a")].find((a) => a.getAttribute("href") === focused)?.focus();
    }
  };
  const load = async () => {
    try {
      [services, stats] = await Promise.all([api.services(), scrape().catch(() => new Map<string, ServiceStats>())]);
      render();
    } catch (e) {
      replace(body, errorBox(e));
    }
  };
  for (const input of [nameFilter, modelFilter, tagFilter]) {
    input.addEventListener("input", render);
  }
  await load();
  if (lastRates.size === 0) {
    // A rate needs two scrapes: the second comes after 1.5 s on a first visit, not after 5 s.
    pageTimers.push(window.setTimeout(load, 1500));
  }
  every(5000, load);
}

// ---- models ----

async function modelsPage(): Promise<void> {
  replace(app, title("Models"), h("p", null, "Loading…"));
  const models = await api.models();
  const rows = [...models].sort((a, b) => a.name.localeCompare(b.name) || b.version - a.version);
  replace(app, title("Models"),
    h("p", { class: "hint" }, "Register models with ", h("code", null, "scoria model register NAME FILE"), " or the SDK; deploy one from ", h("a", { href: "#/deploy" }, "Deploy"), "."),
    rows.length === 0 ? h("p", null, "No models registered yet.") : h("table", { class: "responsive" },
      h("caption", { class: "visually-hidden" }, "Models"),
      h("thead", null, h("tr", null, ...["Model", "Version", "Framework", "Tags", "Size", "Created", "Description"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, rows.map((m: Model) => h("tr", null,
        h("td", { "data-label": "Model" }, m.name),
        h("td", { "data-label": "Version", class: "num" }, m.version),
        h("td", { "data-label": "Framework" }, m.framework),
        h("td", { "data-label": "Tags" }, Object.entries(m.kvTags).map(([k, v]) => h("span", { class: "tag" }, `${k}=${v}`))),
        h("td", { "data-label": "Size", class: "num" }, bytes(m.size)),
        h("td", { "data-label": "Created" }, when(m.createdTime)),
        h("td", { "data-label": "Description" }, m.description))))));
}

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

// ---- one service ----

const TABS = [
  { id: "overview", label: "Overview" },
  { id: "deployments", label: "Deployments" },
  { id: "consume", label: "Consume" },
  { id: "test", label: "Test" },
  { id: "api", label: "API docs" },
  { id: "logs", label: "Logs" },
] as const;

async function servicePage(name: string, tab: string): Promise<void> {
  const service = await api.service(name);
  const base = `#/services/${encodeURIComponent(name)}`;
  const panel = h("section", { class: "panel", "aria-label": TABS.find((t) => t.id === tab)?.label ?? "Overview" });
  replace(app,
    title(service.name, stateBadge(service)),
    service.description ? h("p", { class: "hint" }, service.description) : null,
    h("nav", { class: "tabs", "aria-label": "Service sections" }, TABS.map((t) =>
      h("a", { href: `${base}/${t.id}`, "aria-current": t.id === tab ? "page" : false }, t.label))),
    panel);
  const render = { overview, deployments, consume, test, api: apiDocs, logs }[tab as (typeof TABS)[number]["id"]] ?? overview;
  await render(service, panel);
}

function uriRow(label: string, uri: string): HTMLElement {
  return h("div", { class: "kv" }, h("dt", null, label), h("dd", null, h("code", { class: "uri" }, uri), copyButton(`Copy the ${label.toLowerCase()}`, () => uri)));
}

async function overview(s: Service, panel: HTMLElement): Promise<void> {
  replace(panel,
    s.state === "Failed" && s.error ? h("p", { class: "error", role: "alert" }, s.error.message) : null,
    h("dl", { class: "details" },
      uriRow("Scoring URI", s.scoringUri),
      uriRow("Swagger URI", s.swaggerUri),
      (s.deployments?.length ?? 0) > 1 ? h("div", { class: "kv" }, h("dt", null, "Traffic"), h("dd", null,
        trafficSummary(s.traffic ?? {}, s.mirrorTraffic ?? {}), " ", h("a", { href: `#/services/${encodeURIComponent(s.name)}/deployments` }, "Deployments"))) : null,
      h("div", { class: "kv" }, h("dt", null, "Models"), h("dd", null, s.models.map((m) => m.id).join(", "))),
      h("div", { class: "kv" }, h("dt", null, "Runtime"), h("dd", null, s.runtime)),
      h("div", { class: "kv" }, h("dt", null, "Authentication"), h("dd", null, s.authMode)),
      h("div", { class: "kv" }, h("dt", null, "Limits"), h("dd", null,
        `timeout ${s.scoringTimeoutMs} ms · ${s.maxConcurrentRequestsPerContainer} concurrent · queue wait ${s.maxQueueWaitMs} ms`)),
      h("div", { class: "kv" }, h("dt", null, "Tags"), h("dd", null, Object.keys(s.kvTags).length
        ? Object.entries(s.kvTags).map(([k, v]) => h("span", { class: "tag" }, `${k}=${v}`)) : "—")),
      h("div", { class: "kv" }, h("dt", null, "Updated"), h("dd", null, when(s.updatedTime)))),
    s.authMode === "key" ? keysSection(s) : s.authMode === "token" ? tokenSection(s) : h("p", { class: "hint" },
      "This service has no authentication: anyone who reaches it can score."));
}

// ---- one service: its deployments, traffic split and mirror ----

function deploymentsTable(s: Service): HTMLElement {
  return h("table", { class: "responsive", id: "deployments" },
    h("caption", { class: "visually-hidden" }, `Deployments of ${s.name}`),
    h("thead", null, h("tr", null, ...["Deployment", "State", "Traffic", "Mirror", "Models", "Runtime"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, (s.deployments ?? []).map((d: Deployment) => h("tr", { "data-deployment": d.name },
      h("td", { "data-label": "Deployment" }, h("strong", null, d.name),
        d.primary ? [" ", h("span", { class: "badge primary", title: "The deployment with the most live traffic: the service shows its models and swagger document" }, "primary")] : null),
      h("td", { "data-label": "State" }, stateBadge(d), d.state === "Failed" && d.error ? h("div", { class: "error small" }, d.error.message) : null),
      h("td", { "data-label": "Traffic", class: "num" }, percent(d.trafficPercent)),
      h("td", { "data-label": "Mirror", class: "num" }, d.mirrorTrafficPercent > 0 ? percent(d.mirrorTrafficPercent) : "—"),
      h("td", { "data-label": "Models" }, d.models.map((m) => m.id).join(", ")),
      h("td", { "data-label": "Runtime" }, d.runtime)))));
}

async function deployments(s: Service, panel: HTMLElement): Promise<void> {
  const table = h("div");
  const status = h("p", { id: "deployments-status", class: "hint", "aria-live": "polite" });
  const forms = h("div");
  // The forms are rebuilt when the deployments, split or mirror change, not on every refresh: a
  // user may be typing in them.
  let shape = "";
  // Bumped by each change the user makes: a refresh that was under way before it is stale.
  let changes = 0;
  const show = (svc: Service, rebuild = false) => {
    replace(table, deploymentsTable(svc));
    const now = JSON.stringify([(svc.deployments ?? []).map((d) => d.name), svc.traffic, svc.mirrorTraffic]);
    if (rebuild || now !== shape) {
      shape = now;
      replace(forms, splitForm(svc, done), mirrorForm(svc, done));
    }
  };
  const done = (fresh: Service, message: string, button: string) => {
    changes += 1;
    show(fresh, true);
    status.textContent = message;
    forms.querySelector<HTMLButtonElement>(`#${button}`)?.focus();
  };
  replace(panel,
    h("h2", { id: "deployments-title" }, "Deployments"),
    h("p", { class: "hint" }, "Each deployment loads its own models with its own runtime and limits, behind the same scoring URI and keys. ",
      "Live requests are shared by the traffic split; a request with the ", h("code", null, `${DEPLOYMENT_HEADER}: NAME`),
      " header goes to that deployment, even one without traffic (the Test tab can send it)."),
    table, status, forms);
  show(s);
  every(5000, async () => {
    const seen = changes;
    try {
      const fresh = await api.service(s.name);
      if (seen === changes) {
        show(fresh);
      }
    } catch (e) {
      replace(status, errorBox(e));
    }
  });
}

type Done = (fresh: Service, message: string, button: string) => void;

function splitForm(s: Service, done: Done): HTMLElement {
  const ds = s.deployments ?? [];
  const section = h("section", { class: "card", "aria-labelledby": "split-title" }, h("h2", { id: "split-title" }, "Traffic split"));
  if (ds.length < 2) {
    section.append(h("p", { class: "hint" }, `${ds[0]?.name ?? "The only deployment"} takes all live traffic. To roll out a new version beside it, create a second deployment (`,
      h("code", null, `POST /api/v1/services/${s.name}/deployments`), "); its share of the traffic is then set here."));
    return section;
  }
  const inputs = ds.map((d) => h("input", { id: `split-${d.name}`, type: "number", min: "0", max: "100", step: "1", inputmode: "numeric",
    value: String(d.trafficPercent), "aria-describedby": "split-total" }));
  const total = h("p", { id: "split-total", class: "hint", "aria-live": "polite" });
  const message = h("div", { id: "split-message" });
  const sync = () => {
    const sum = inputs.reduce((a, i) => a + (Number(i.value) || 0), 0);
    total.textContent = sum === 100 ? "Total: 100 %" : `Total: ${percent(sum)} (the shares must sum to 100 %)`;
  };
  inputs.forEach((i) => i.addEventListener("input", sync));
  sync();
  const apply = h("button", { type: "submit", id: "split-apply" }, "Apply split");
  // novalidate: the console's own check explains a wrong split in words, not a browser bubble.
  const form = h("form", { novalidate: true },
    h("p", { class: "hint" }, "Whole percentages summing to 100. A deployment at 0 % takes no live traffic but still answers requests pinned to it."),
    h("div", { class: "field-row" }, ds.map((d, i) => h("div", { class: "field narrow-field" }, h("label", { for: inputs[i].id }, `Traffic to ${d.name} (%)`), inputs[i]))),
    total,
    h("div", { class: "actions" }, apply),
    message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(message);
    const checked = checkSplit(ds.map((d, i) => ({ name: d.name, value: inputs[i].value })));
    if (!checked.ok) {
      replace(message, errorBox(new Error(checked.message)));
      return;
    }
    const before = Object.fromEntries(Object.entries(s.traffic ?? {}).filter(([, n]) => n > 0));
    if (JSON.stringify(Object.entries(before).sort()) === JSON.stringify(Object.entries(checked.value).sort())) {
      replace(message, h("p", { class: "hint" }, "That is the current split: nothing to send."));
      return;
    }
    if (!(await confirmDialog(splitQuestion(checked.value), splitDetail(checked.value, ds.map((d) => d.name), s.mirrorTraffic ?? {}), "Send"))) {
      return;
    }
    apply.disabled = true;
    try {
      const fresh = await api.setTraffic(s.name, checked.value);
      done(fresh, `Traffic split set: ${trafficSummary(fresh.traffic ?? {}, fresh.mirrorTraffic ?? {})}.`, "split-apply");
    } catch (e) {
      // The server's reason (a 400 or 409 names what is wrong) is the message.
      replace(message, errorBox(e));
    } finally {
      apply.disabled = false;
    }
  });
  section.append(form);
  return section;
}

function mirrorForm(s: Service, done: Done): HTMLElement | null {
  const ds = s.deployments ?? [];
  if (ds.length < 2) {
    return null;
  }
  const [current, currentPercent] = Object.entries(s.mirrorTraffic ?? {}).find(([, n]) => n > 0) ?? ["", 0];
  const choice = h("select", { id: "mirror-deployment" }, h("option", { value: "" }, "Off"),
    ds.map((d) => h("option", { value: d.name, selected: d.name === current },
      d.trafficPercent > 0 ? `${d.name} (takes ${percent(d.trafficPercent)} of live traffic)` : d.name)));
  const share = h("input", { id: "mirror-percent", type: "number", min: "1", max: String(MAX_MIRROR_PERCENT), step: "1", inputmode: "numeric",
    value: String(currentPercent || 10) });
  const syncShare = () => {
    share.disabled = choice.value === "";
  };
  choice.addEventListener("change", syncShare);
  syncShare();
  const message = h("div", { id: "mirror-message" });
  const apply = h("button", { type: "submit", id: "mirror-apply" }, "Apply mirror");
  const form = h("form", { novalidate: true },
    h("p", { class: "hint" }, `A mirrored deployment scores a copy of a share of live requests after the live answer, for comparison; its answers are dropped. `,
      `It must take no live traffic, and gets at most ${percent(MAX_MIRROR_PERCENT)}.`),
    h("div", { class: "field-row" },
      h("div", { class: "field medium-field" }, h("label", { for: choice.id }, "Mirror to"), choice),
      h("div", { class: "field narrow-field" }, h("label", { for: share.id }, "Mirror share (%)"), share)),
    h("div", { class: "actions" }, apply),
    message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(message);
    const checked = checkMirror(choice.value, share.value);
    if (!checked.ok) {
      replace(message, errorBox(new Error(checked.message)));
      return;
    }
    const confirmation = mirrorQuestion(checked.value, s.mirrorTraffic ?? {});
    if (!confirmation) {
      replace(message, h("p", { class: "hint" }, current ? "That is the current mirror: nothing to send." : "Nothing is mirrored: nothing to stop."));
      return;
    }
    if (!(await confirmDialog(confirmation.question, confirmation.detail, choice.value ? "Mirror" : "Stop mirroring"))) {
      return;
    }
    apply.disabled = true;
    try {
      const fresh = await api.setMirror(s.name, checked.value);
      const [m, n] = Object.entries(fresh.mirrorTraffic ?? {})[0] ?? [];
      done(fresh, m ? `Mirroring ${percent(n)} of live requests to ${m}.` : "Mirroring stopped.", "mirror-apply");
    } catch (e) {
      replace(message, errorBox(e));
    } finally {
      apply.disabled = false;
    }
  });
  return h("section", { class: "card", "aria-labelledby": "mirror-title" }, h("h2", { id: "mirror-title" }, "Mirror traffic"), form);
}

function keysSection(s: Service): HTMLElement {
  const section = h("section", { class: "card", "aria-labelledby": "keys-title" }, h("h2", { id: "keys-title" }, "Keys"));
  const list = h("div", null, h("p", null, "Loading…"));
  const status = h("p", { "aria-live": "polite", class: "hint" });
  section.append(h("p", { class: "hint" }, "Either key opens this service. Regenerating one leaves the other working, so clients can move over without a failed request."), list, status);
  const revealed = new Set<string>();
  const render = (keys: { primaryKey: string; secondaryKey: string }) => {
    replace(list, (["Primary", "Secondary"] as const).map((type) => {
      const value = type === "Primary" ? keys.primaryKey : keys.secondaryKey;
      const shown = revealed.has(type);
      const id = `key-${type.toLowerCase()}`;
      return h("div", { class: "key-row" },
        h("span", { class: "key-label", id: `${id}-label` }, `${type} key`),
        h("code", { class: "key", id, "aria-labelledby": `${id}-label`, "data-revealed": String(shown) }, shown ? value : "•".repeat(24)),
        h("span", { class: "buttons" },
          h("button", { type: "button", class: "secondary small", "aria-pressed": String(shown), "aria-label": `${shown ? "Hide" : "Reveal"} the ${type.toLowerCase()} key`,
            onclick: () => {
              shown ? revealed.delete(type) : revealed.add(type);
              render(keys);
              refocus(list, `${shown ? "Reveal" : "Hide"} the ${type.toLowerCase()} key`);
            } }, shown ? "Hide" : "Reveal"),
          copyButton(`Copy the ${type.toLowerCase()} key`, () => value),
          h("button", { type: "button", class: "danger small", "aria-label": `Regenerate the ${type.toLowerCase()} key`,
            onclick: async () => {
              const ok = await confirmDialog(`Regenerate the ${type.toLowerCase()} key of ${s.name}?`,
                `Clients using the current ${type.toLowerCase()} key get 401 from now on; the ${type === "Primary" ? "secondary" : "primary"} key keeps working.`,
                "Regenerate");
              if (!ok) {
                return;
              }
              try {
                const fresh = await api.regenerate(s.name, type);
                revealed.add(type);
                render(fresh);
                refocus(list, `Regenerate the ${type.toLowerCase()} key`);
                status.textContent = `The ${type.toLowerCase()} key was regenerated.`;
              } catch (e) {
                replace(status, errorBox(e));
              }
            } }, "Regenerate")));
    }));
  };
  api.keys(s.name).then(render, (e) => replace(list, errorBox(e)));
  return section;
}

/** After a re-render, puts keyboard focus back on the button (by its accessible name) the user pressed. */
function refocus(container: HTMLElement, label: string): void {
  [...container.querySelectorAll<HTMLButtonElement>("button")].find((b) => b.getAttribute("aria-label") === label)?.focus();
}

function tokenSection(s: Service): HTMLElement {
  const out = h("div", { "aria-live": "polite" });
  return h("section", { class: "card", "aria-labelledby": "token-title" },
    h("h2", { id: "token-title" }, "Access token"),
    h("p", { class: "hint" }, "A token opens this service only, until it expires. Clients ask for a new one after the refresh time."),
    h("button", { type: "button", onclick: async () => {
      try {
        const t = await api.token(s.name);
        replace(out, h("dl", { class: "details" },
          h("div", { class: "kv" }, h("dt", null, "Token"), h("dd", null, h("code", { class: "key token", id: "access-token" }, t.accessToken), copyButton("Copy the token", () => t.accessToken))),
          h("div", { class: "kv" }, h("dt", null, "Refresh after"), h("dd", { id: "refresh-after" }, when(t.refreshAfter))),
          h("div", { class: "kv" }, h("dt", null, "Expires"), h("dd", { id: "expiry-on" }, when(t.expiryOn)))));
      } catch (e) {
        replace(out, errorBox(e));
      }
    } }, "Get a token"),
    out);
}

/** A modal confirmation (native <dialog>: focus is trapped and Escape cancels, for free). */
function confirmDialog(question: string, detail: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h("dialog", { "aria-labelledby": "confirm-title", class: "confirm" },
      h("form", { method: "dialog" },
        h("h2", { id: "confirm-title" }, question),
        h("p", null, detail),
        h("div", { class: "actions" },
          h("button", { value: "cancel", class: "secondary", autofocus: true }, "Cancel"),
          h("button", { value: "confirm", class: "danger" }, action))));
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

interface Swagger {
  definitions?: { ServiceInput?: { example?: unknown; type?: string; format?: string } };
}

async function swaggerOf(s: Service): Promise<Swagger> {
  const response = await fetch(sameOrigin(s.swaggerUri));
  if (!response.ok) {
    throw new ApiError(response.status, `the swagger document answered ${response.status}`);
  }
  return response.json() as Promise<Swagger>;
}

/** A raw scorer declares its input as bytes; it is fed a file instead of JSON. */
function isRaw(doc: Swagger): boolean {
  const input = doc.definitions?.ServiceInput;
  return !!input && input.type === "string" && (input.format === "binary" || input.format === "byte");
}

async function consume(s: Service, panel: HTMLElement): Promise<void> {
  const doc = await swaggerOf(s).catch(() => ({} as Swagger));
  const raw = isRaw(doc);
  const example = raw ? null : doc.definitions?.ServiceInput?.example ?? { data: [] };
  const secret = placeholder(s.authMode);
  replace(panel,
    h("p", null, "Programs that call ", h("code", null, s.name), " as Azure ML's web-service clients do",
      secret ? [": replace ", h("code", null, secret), s.authMode === "key" ? " with the service's primary or secondary key (Overview tab)." : " with a token from the Overview tab."] : "."),
    LANGUAGES.map((lang) => {
      const code = snippet(lang.id, { scoringUri: s.scoringUri, authMode: s.authMode, example });
      const id = `snippet-${lang.id}`;
      return h("section", { class: "snippet", "aria-labelledby": `${id}-title` },
        h("div", { class: "snippet-head" }, h("h2", { id: `${id}-title` }, lang.label), copyButton(`Copy the ${lang.label} code`, () => code)),
        h("pre", { id, tabindex: "0" }, h("code", null, code)));
    }));
}

async function credentialFor(s: Service): Promise<string | null> {
  if (s.authMode === "key") {
    return (await api.keys(s.name)).primaryKey;
  }
  if (s.authMode === "token") {
    return (await api.token(s.name)).accessToken;
  }
  return null;
}

async function test(s: Service, panel: HTMLElement): Promise<void> {
  const doc = await swaggerOf(s).catch(() => ({} as Swagger));
  const raw = isRaw(doc);
  const example = doc.definitions?.ServiceInput?.example;
  const editor = h("textarea", { id: "test-body", rows: "12", spellcheck: "false", wrap: "off", class: "code" },
    example === undefined ? '{"data": []}' : pretty(example));
  const deployment = h("select", { id: "test-deployment", "aria-describedby": "test-deployment-hint" },
    h("option", { value: "" }, "By traffic split"),
    (s.deployments ?? []).map((d) => h("option", { value: d.name }, `${d.name} (${percent(d.trafficPercent)} of traffic)`)));
  // The body stays when another deployment is chosen: the same input, answered by each, compares them.
  const file = h("input", { id: "test-file", type: "file" });
  const contentType = h("input", { id: "test-content-type", type: "text", value: "application/octet-stream" });
  const jsonMode = h("input", { type: "radio", name: "mode", id: "mode-json", value: "json", checked: !raw });
  const fileMode = h("input", { type: "radio", name: "mode", id: "mode-file", value: "file", checked: raw });
  const jsonFields = h("div", { class: "field" }, h("label", { for: "test-body" }, "Request body (JSON)"), editor);
  const fileFields = h("div", { class: "field-row" },
    h("div", { class: "field" }, h("label", { for: "test-file" }, "File to send (raw bytes)"), file),
    h("div", { class: "field" }, h("label", { for: "test-content-type" }, "Content-Type"), contentType));
  const syncMode = () => {
    jsonFields.hidden = !jsonMode.checked;
    fileFields.hidden = jsonMode.checked;
  };
  jsonMode.addEventListener("change", syncMode);
  fileMode.addEventListener("change", syncMode);
  file.addEventListener("change", () => {
    if (file.files?.[0]?.type) {
      contentType.value = file.files[0].type;
    }
  });
  syncMode();
  const result = h("div", { id: "test-result", "aria-live": "polite" });
  const send = h("button", { type: "submit", id: "test-send" }, "Send");
  const form = h("form", { class: "card" },
    h("fieldset", { class: "inline" }, h("legend", null, "Body"),
      h("label", { for: "mode-json", class: "radio" }, jsonMode, " JSON"),
      h("label", { for: "mode-file", class: "radio" }, fileMode, " File (raw scorers)")),
    jsonFields, fileFields,
    h("div", { class: "field" }, h("label", { for: "test-deployment" }, "Deployment"), h("div", { class: "medium-field" }, deployment),
      h("small", { id: "test-deployment-hint", class: "hint" }, "A chosen deployment is called with the ", h("code", null, `${DEPLOYMENT_HEADER}`),
        " header, even one without traffic; by default the traffic split picks one.")),
    h("div", { class: "actions" }, send,
      h("span", { class: "hint" }, s.authMode === "key" ? "Sent with the primary key." : s.authMode === "token" ? "Sent with a fresh access token." : "Sent without credentials.")),
    result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    send.disabled = true;
    replace(result, h("p", null, "Sending…"));
    try {
      let body: BodyInit;
      const headers: Record<string, string> = {};
      if (jsonMode.checked) {
        try {
          JSON.parse(editor.value);
        } catch (e) {
          throw new Error(`The body is not valid JSON: ${(e as Error).message}`);
        }
        body = editor.value;
        headers["Content-Type"] = "application/json";
      } else {
        const chosen = file.files?.[0];
        if (!chosen) {
          throw new Error("Choose a file to send.");
        }
        body = chosen;
        headers["Content-Type"] = contentType.value || "application/octet-stream";
      }
      const credential = await credentialFor(s);
      if (credential) {
        headers.Authorization = `Bearer ${credential}`;
      }
      if (deployment.value) {
        headers[DEPLOYMENT_HEADER] = deployment.value;
      }
      const started = performance.now();
      const response = await fetch(sameOrigin(s.scoringUri), { method: "POST", headers, body });
      const text = await response.text();
      const latency = performance.now() - started;
      let shown = text;
      try {
        shown = pretty(JSON.parse(text));
      } catch {
        // Not JSON: shown as it came.
      }
      replace(result,
        h("div", { class: "result-head" },
          h("span", { class: `badge ${response.ok ? "state-healthy" : "state-failed"}`, id: "test-status" }, `${response.status} ${response.statusText}`),
          h("span", { id: "test-latency" }, `${latency.toFixed(1)} ms`),
          response.headers.get(DEPLOYMENT_HEADER)
            ? h("span", null, "answered by ", h("strong", { id: "test-answered-by" }, response.headers.get(DEPLOYMENT_HEADER))) : null),
        h("h3", null, "Body"),
        h("pre", { id: "test-response", tabindex: "0", "data-raw": text }, h("code", null, shown)),
        h("h3", null, "Headers"),
        h("table", { class: "headers" }, h("tbody", null, [...response.headers.entries()].map(([k, v]) => h("tr", null, h("th", { scope: "row" }, k), h("td", null, v))))));
    } catch (e) {
      replace(result, errorBox(e));
    } finally {
      send.disabled = false;
    }
  });
  replace(panel, form);
}

let swaggerLoaded: Promise<void> | null = null;

/** Swagger UI is 1.7 MB: loaded only when a user opens the API docs, from the server itself. */
function loadSwaggerUi(): Promise<void> {
  if (!swaggerLoaded) {
    swaggerLoaded = new Promise((resolve, reject) => {
      document.head.appendChild(h("link", { rel: "stylesheet", href: "vendor/swagger-ui.css" }));
      const script = h("script", { src: "vendor/swagger-ui-bundle.js" });
      script.addEventListener("load", () => resolve());
      script.addEventListener("error", () => {
        swaggerLoaded = null;
        reject(new Error("Swagger UI could not be loaded"));
      });
      document.head.appendChild(script);
    });
  }
  return swaggerLoaded;
}

async function apiDocs(s: Service, panel: HTMLElement): Promise<void> {
  const target = h("div", { id: "swagger-ui", class: "swagger" });
  replace(panel, h("p", { class: "hint" }, "The service's OpenAPI document (", h("a", { href: sameOrigin(s.swaggerUri) + "?version=3" }, "OpenAPI 3"), ", ",
    h("a", { href: sameOrigin(s.swaggerUri) }, "Swagger 2.0"), "), for client generators. \"Authorize\" takes ",
    h("code", null, "Bearer <key>"), "."), target);
  await loadSwaggerUi();
  const ui = (window as unknown as { SwaggerUIBundle: (config: Record<string, unknown>) => unknown }).SwaggerUIBundle;
  ui({ url: sameOrigin(s.swaggerUri) + "?version=3", domNode: target, deepLinking: false });
}

async function logs(s: Service, panel: HTMLElement): Promise<void> {
  const out = h("pre", { id: "logs", class: "logs", tabindex: "0" }, "Loading…");
  const load = async () => {
    try {
      const text = await api.logs(s.name, 200);
      out.textContent = text || "(no log lines yet)";
      out.scrollTop = out.scrollHeight;
    } catch (e) {
      replace(out, errorBox(e));
    }
  };
  replace(panel, h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", onclick: load }, "Refresh"),
    h("span", { class: "hint" }, "The last 200 lines.")), out);
  await load();
}

// ---- deploy ----

async function deployPage(): Promise<void> {
  const models = await api.models();
  const field = (label: string, input: HTMLElement, hint?: string) => h("div", { class: "field" },
    h("label", { for: input.id }, label), input, hint ? h("small", { id: `${input.id}-hint`, class: "hint" }, hint) : null);
  const name = h("input", { id: "deploy-name", name: "name", required: true, pattern: "[a-z]([\\-a-z0-9]*[a-z0-9])?", minlength: "3", maxlength: "32", autocomplete: "off", "aria-describedby": "deploy-name-hint" });
  const model = h("select", { id: "deploy-model", name: "model", required: true },
    [...models].sort((a, b) => a.name.localeCompare(b.name) || b.version - a.version).map((m) => h("option", { value: m.id }, `${m.id}${m.description ? ` — ${m.description.slice(0, 60)}` : ""}`)));
  const auth = h("select", { id: "deploy-auth", name: "authMode" },
    h("option", { value: "key" }, "Key (primary and secondary keys)"), h("option", { value: "token" }, "Token (expiring access tokens)"),
    h("option", { value: "none" }, "None (open to anyone who reaches it)"));
  const description = h("input", { id: "deploy-description", name: "description" });
  const tags = h("input", { id: "deploy-tags", name: "tags", placeholder: "team=risk, stage=dev", "aria-describedby": "deploy-tags-hint" });
  const number = (id: string, value: number) => h("input", { id, type: "number", min: "1", value: String(value), inputmode: "numeric" });
  const timeout = number("deploy-timeout", 60000);
  const concurrency = number("deploy-concurrency", 1);
  const queueWait = number("deploy-queue", 500);
  const progress = h("div", { id: "deploy-progress", "aria-live": "polite" });
  const submit = h("button", { type: "submit" }, "Deploy");
  const form = h("form", { class: "card" },
    field("Service name", name, "3 to 32 lowercase letters, digits and dashes, starting with a letter; it becomes part of the scoring URI."),
    models.length ? field("Model", model) : h("p", { class: "error" }, "No models are registered: register one with scoria model register first."),
    field("Authentication", auth),
    field("Description", description),
    field("Tags", tags, "Comma-separated key=value pairs."),
    h("fieldset", null, h("legend", null, "Limits"),
      h("div", { class: "field-row" },
        field("Scoring timeout (ms)", timeout), field("Concurrent requests", concurrency), field("Max queue wait (ms)", queueWait))),
    h("div", { class: "actions" }, submit),
    progress);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    const kvTags: Record<string, string> = {};
    for (const pair of tags.value.split(",").map((p) => p.trim()).filter(Boolean)) {
      const [k, ...v] = pair.split("=");
      kvTags[k.trim()] = v.join("=").trim();
    }
    try {
      const { service } = await api.deploy({
        name: name.value.trim(), models: [model.value], runtime: "onnx", authMode: auth.value,
        description: description.value, kvTags,
        scoringTimeoutMs: Number(timeout.value), maxConcurrentRequestsPerContainer: Number(concurrency.value), maxQueueWaitMs: Number(queueWait.value),
      });
      await watch(service.name, progress);
    } catch (e) {
      replace(progress, errorBox(e));
    } finally {
      submit.disabled = false;
    }
  });
  replace(app, title("Deploy a model"), form);
}

/** Follows the service until it settles; the state is what the user waits for, not the operation. */
async function watch(name: string, progress: HTMLElement): Promise<void> {
  const started = Date.now();
  for (;;) {
    const s = await api.service(name);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    replace(progress, h("p", { class: "deploy-state" }, `${name}: `, h("span", { id: "deploy-state" }, stateBadge(s)), ` after ${seconds} s`),
      s.state === "Failed" && s.error ? h("p", { class: "error", role: "alert" }, s.error.message) : null,
      s.state !== "Transitioning" ? h("p", null, h("a", { href: `#/services/${encodeURIComponent(name)}` }, `Open ${name}`)) : null);
    if (s.state !== "Transitioning" || !location.hash.startsWith("#/deploy")) {
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---- routing ----

async function route(): Promise<void> {
  for (const t of pageTimers) {
    // One timer list in browsers: clearTimeout stops intervals and timeouts alike.
    clearTimeout(t);
  }
  pageTimers = [];
  if (!adminToken()) {
    signIn();
    return;
  }
  nav.hidden = false;
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  for (const link of nav.querySelectorAll("a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === `#/${parts[0] || "services"}`);
    if (link.hasAttribute("aria-current")) {
      link.setAttribute("aria-current", "page");
    }
  }
  try {
    if (parts[0] === "models") {
      await modelsPage();
    } else if (parts[0] === "deploy") {
      await deployPage();
    } else if (parts[0] === "services" && parts[1]) {
      await servicePage(parts[1], parts[2] || "overview");
    } else {
      await servicesPage();
    }
    // Moves focus to the new page's heading so keyboard and screen-reader users land on it.
    if (!(document.activeElement instanceof HTMLInputElement)) {
      app.querySelector<HTMLElement>("h1")?.focus({ preventScroll: true });
    }
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      replace(app, errorBox(e));
    }
  }
}

whenUnauthorized(() => {
  setAdminToken(null);
  signIn();
});
document.getElementById("signout")?.addEventListener("click", () => {
  setAdminToken(null);
  go("#/services");
});
window.addEventListener("hashchange", () => void route());
void route();
