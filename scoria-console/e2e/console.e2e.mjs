// End-to-end test of the console in a real browser (Debian's Chromium driven by playwright-core)
// against a running Scoria server with the demo service.
//
// Usage: node e2e/console.e2e.mjs BASE_URL ADMIN_TOKEN SCREENSHOT_DIR
// Exit code 0 when every step passed; the failing step and its reason otherwise.
import { chromium } from "playwright-core";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [baseUrl, adminToken, shots] = process.argv.slice(2);
if (!baseUrl || !adminToken || !shots) {
  console.error("usage: node e2e/console.e2e.mjs BASE_URL ADMIN_TOKEN SCREENSHOT_DIR");
  process.exit(2);
}
const EXPECTED = "[217.67978776218715,224.78937091757172]";
const CHROMIUM = process.env.SCORIA_CHROMIUM ?? "/usr/bin/chromium";
// A hung browser must not hang the build.
const watchdog = setTimeout(() => {
  console.error("FAIL: the scenario did not finish within 240 s");
  process.exit(3);
}, 240_000);

mkdirSync(shots, { recursive: true });
// Only this run's screenshots: a stale failure.png from an earlier run would mislead.
for (const old of readdirSync(shots).filter((f) => f.endsWith(".png"))) {
  rmSync(join(shots, old));
}
const profile = mkdtempSync(join(tmpdir(), "scoria-console-e2e-"));
const problems = [];
let step = "start";

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function admin(method, path, body) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  check(response.ok, `${method} ${path} answered ${response.status}`);
  return response.json();
}

/** A python3 that has requests: the pyenv one on PATH, or Debian's with python3-requests. */
function pythonWithRequests() {
  for (const candidate of ["python3", "/usr/bin/python3", "python"]) {
    const probe = spawnSync(candidate, ["-c", "import requests"], { timeout: 20_000 });
    if (probe.status === 0) {
      return candidate;
    }
  }
  return null;
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 860 },
  timeout: 60_000,
});
context.setDefaultTimeout(30_000);
const origin = new URL(baseUrl).origin;
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
const page = context.pages()[0] ?? (await context.newPage());
page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
page.on("console", (m) => {
  // A refused sign-in is logged by the browser as a failed resource load: expected, not a problem.
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
    problems.push(`console error: ${m.text()}`);
  }
});
let shotNumber = 0;
async function shot(name) {
  shotNumber += 1;
  await page.screenshot({ path: join(shots, `${String(shotNumber).padStart(2, "0")}-${name}.png`), fullPage: true });
}

try {
  step = "a browser opening / is sent to the console";
  await page.goto(baseUrl + "/");
  check(page.url() === `${origin}/console/`, `landed on ${page.url()}`);
  await page.getByLabel("Admin token").waitFor();
  await shot("sign-in");

  step = "a wrong token is refused";
  await page.getByLabel("Admin token").fill("not-the-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("That token was refused").waitFor();

  step = "sign in";
  await page.getByLabel("Admin token").fill(adminToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "myservice" }).waitFor();
  check(!page.url().includes(adminToken), "the token is in the URL");
  check(await page.evaluate(() => sessionStorage.getItem("scoria.adminToken")) === adminToken, "the token is not in session storage");
  check(await page.evaluate(() => localStorage.length) === 0, "something was written to local storage");
  const row = page.locator("tr", { has: page.getByRole("link", { name: "myservice" }) });
  check((await row.textContent()).includes("Healthy"), "myservice is not shown Healthy");
  check((await row.textContent()).includes("diabetes:1"), "the model is not shown");
  check((await row.textContent()).includes("key"), "the auth mode is not shown");
  // A request, then two scrapes: the rate and p99 columns fill in from GET /metrics.
  await page.waitForFunction(() => /\d/.test(document.querySelector("tbody tr td:nth-child(6)")?.textContent ?? "")
    && /\d/.test(document.querySelector("tbody tr td:nth-child(5)")?.textContent ?? ""), null, { timeout: 15_000 });
  await shot("services");

  step = "filter the services";
  await page.getByLabel("Name").fill("no-such-service");
  await page.getByText("No service matches these filters.").waitFor();
  await page.getByLabel("Name").fill("");
  await page.getByLabel("Tag").fill("demo=true");
  await page.getByRole("link", { name: "myservice" }).waitFor();
  await page.getByLabel("Tag").fill("");
  await page.getByLabel("Model").fill("diabetes:1");
  await page.getByRole("link", { name: "myservice" }).waitFor();

  step = "models";
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
  await page.getByRole("cell", { name: "diabetes", exact: true }).first().waitFor();
  await shot("models");

  step = "open the demo service";
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Services" }).click();
  await page.getByRole("link", { name: "myservice" }).click();
  await page.getByRole("heading", { name: "myservice", level: 1 }).waitFor();
  await page.getByText(`${origin}/api/v1/service/myservice/score`).waitFor();
  await page.getByText(`${origin}/api/v1/service/myservice/swagger.json`).waitFor();
  const before = await admin("POST", "/api/v1/services/myservice/listkeys");
  check(!(await page.locator("#key-primary").textContent()).includes(before.primaryKey), "the primary key is shown before Reveal");
  await shot("service-overview");

  step = "reveal the primary key";
  await page.getByRole("button", { name: "Reveal the primary key" }).click();
  await page.locator("#key-primary", { hasText: before.primaryKey }).waitFor();
  check(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")) === "Hide the primary key",
    "the keyboard focus did not stay on the Reveal/Hide button");
  await page.getByRole("button", { name: "Copy the scoring uri" }).click();
  check(await page.evaluate(() => navigator.clipboard.readText()) === `${origin}/api/v1/service/myservice/score`, "the copied scoring URI differs");

  step = "regenerate the secondary key";
  await page.getByRole("button", { name: "Regenerate the secondary key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await shot("regenerate-confirmation");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  check((await admin("POST", "/api/v1/services/myservice/listkeys")).secondaryKey === before.secondaryKey, "Cancel regenerated the key");
  await page.getByRole("button", { name: "Regenerate the secondary key" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Regenerate" }).click();
  await page.getByText("The secondary key was regenerated.").waitFor();
  const after = await admin("POST", "/api/v1/services/myservice/listkeys");
  check(after.secondaryKey !== before.secondaryKey, "the secondary key did not change");
  check(after.primaryKey === before.primaryKey, "the primary key changed");
  await page.locator("#key-secondary", { hasText: after.secondaryKey }).waitFor();
  await shot("keys");

  step = "Test tab";
  await page.getByRole("link", { name: "Test" }).click();
  const editor = page.getByLabel("Request body (JSON)");
  await editor.waitFor();
  check((await editor.inputValue()).includes("0.0199132141783263"), "the editor is not pre-filled with the swagger example");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator("#test-status", { hasText: "200" }).waitFor();
  const answer = await page.locator("#test-response").getAttribute("data-raw");
  check(answer === EXPECTED, `the Test tab got ${answer}`);
  check(/\d+(\.\d+)? ms/.test(await page.locator("#test-latency").textContent()), "no latency shown");
  await page.getByRole("rowheader", { name: "x-ms-request-id" }).waitFor();
  check(await page.locator("#test-answered-by").textContent() === "default", "the Test tab does not say default answered");
  await shot("test");

  step = "Deployments tab: a simple service has one deployment, default, with all the traffic";
  const tab = (name) => page.getByRole("navigation", { name: "Service sections" }).getByRole("link", { name, exact: true });
  await tab("Deployments").click();
  const deploymentRow = (name) => page.locator(`#deployments tr[data-deployment="${name}"]`);
  const cells = async (name) => (await deploymentRow(name).locator("td").allTextContents()).map((t) => t.trim());
  await deploymentRow("default").waitFor();
  check(await page.locator("#deployments tbody tr").count() === 1, "more than one deployment shown");
  let row1 = await cells("default");
  check(row1[0] === "default primary" && row1[1] === "Healthy" && row1[2] === "100 %" && row1[3] === "—" && row1[4] === "diabetes:1" && row1[5] === "onnx",
    `the default deployment reads ${JSON.stringify(row1)}`);
  await page.getByText("takes all live traffic").waitFor();

  step = "a second deployment, green, created through the API";
  const created = await fetch(`${baseUrl}/api/v1/services/myservice/deployments`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "green", models: ["diabetes:1"] }),
  });
  check(created.status === 202, `creating the deployment answered ${created.status}: ${await created.text()}`);
  const operation = created.headers.get("Operation-Location");
  let op = await admin("GET", operation);
  for (let i = 0; i < 240 && op.state === "Running"; i++) {
    await page.waitForTimeout(250);
    op = await admin("GET", operation);
  }
  check(op.state === "Succeeded", `the deployment's operation ended ${op.state}: ${op.error?.message}`);
  // The tab refreshes every 5 s; opening it again shows green at once.
  await tab("Overview").click();
  await tab("Deployments").click();
  await deploymentRow("green").waitFor();
  const row2 = await cells("green");
  check(row2[0] === "green" && row2[1] === "Healthy" && row2[2] === "0 %", `the green deployment reads ${JSON.stringify(row2)}`);
  check((await cells("default"))[2] === "100 %", "default no longer shows 100 %");
  await shot("deployments");

  step = "a split that does not sum to 100 is refused before anything is sent";
  await page.getByLabel("Traffic to default (%)").fill("80");
  await page.getByLabel("Traffic to green (%)").fill("10");
  await page.locator("#split-total", { hasText: "Total: 90 %" }).waitFor();
  await page.getByRole("button", { name: "Apply split" }).click();
  await page.locator("#split-message [role=alert]", { hasText: "The shares sum to 90 %" }).waitFor();
  check(await page.getByRole("dialog").count() === 0, "a wrong split asked for confirmation");

  step = "change the split with the confirmation";
  await page.getByLabel("Traffic to default (%)").fill("90");
  await page.getByRole("button", { name: "Apply split" }).click();
  let confirm = page.getByRole("dialog");
  await confirm.getByRole("heading", { name: "Send 90 % to default and 10 % to green?" }).waitFor();
  await shot("split-confirmation");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  check(JSON.stringify((await admin("GET", "/api/v1/services/myservice")).traffic) === '{"default":100}', "Cancel changed the split");
  await page.getByRole("button", { name: "Apply split" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Send" }).click();
  await page.locator("#deployments-status", { hasText: "Traffic split set: default 90 %, green 10 %." }).waitFor();
  check(JSON.stringify((await admin("GET", "/api/v1/services/myservice")).traffic) === '{"default":90,"green":10}', "the split was not sent");
  check((await cells("default"))[2] === "90 %" && (await cells("green"))[2] === "10 %", "the table did not refresh after the split");

  step = "a mirror the server refuses shows its reason";
  await page.getByLabel("Mirror to").selectOption("green");
  await page.getByLabel("Mirror share (%)").fill("20");
  await page.getByRole("button", { name: "Apply mirror" }).click();
  await page.getByRole("dialog").getByRole("heading", { name: "Mirror 20 % of live requests to green?" }).waitFor();
  await page.getByRole("dialog").getByRole("button", { name: "Mirror" }).click();
  const refused = page.locator("#mirror-message [role=alert]");
  await refused.waitFor();
  check((await refused.textContent()).includes("takes 10% of live traffic"), `the mirror refusal reads: ${await refused.textContent()}`);

  step = "all live traffic back to default, and 20 % mirrored to green";
  await page.getByLabel("Traffic to default (%)").fill("100");
  await page.getByLabel("Traffic to green (%)").fill("0");
  await page.getByRole("button", { name: "Apply split" }).click();
  await page.getByRole("dialog").getByRole("heading", { name: "Send 100 % to default?" }).waitFor();
  await page.getByRole("dialog").getByRole("button", { name: "Send" }).click();
  await page.locator("#deployments-status", { hasText: "Traffic split set: default 100 %." }).waitFor();
  await page.getByLabel("Mirror to").selectOption("green");
  await page.getByLabel("Mirror share (%)").fill("20");
  await page.getByRole("button", { name: "Apply mirror" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Mirror" }).click();
  await page.locator("#deployments-status", { hasText: "Mirroring 20 % of live requests to green." }).waitFor();
  const mirrored = await admin("GET", "/api/v1/services/myservice");
  check(JSON.stringify(mirrored.traffic) === '{"default":100}' && JSON.stringify(mirrored.mirrorTraffic) === '{"green":20}',
    `the service has traffic ${JSON.stringify(mirrored.traffic)} and mirror ${JSON.stringify(mirrored.mirrorTraffic)}`);
  check((await cells("green"))[2] === "0 %" && (await cells("green"))[3] === "20 %", "the table does not show the mirror");
  await shot("deployments-mirror");

  step = "Test tab pinned to green: green answers, though it takes no live traffic";
  await tab("Test").click();
  await page.getByLabel("Request body (JSON)").waitFor();
  await page.getByLabel("Deployment", { exact: true }).selectOption("green");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator("#test-answered-by", { hasText: "green" }).waitFor();
  check(await page.locator("#test-response").getAttribute("data-raw") === EXPECTED, "green answered something else");
  await page.getByRole("rowheader", { name: "azureml-model-deployment" }).waitFor();
  console.log(`pinned test answered by ${await page.locator("#test-answered-by").textContent()}`);
  await shot("test-pinned");
  await page.getByLabel("Deployment", { exact: true }).selectOption("");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator("#test-answered-by", { hasText: "default" }).waitFor();

  step = "Consume tab: copy the Python snippet and run it";
  await page.getByRole("link", { name: "Consume" }).click();
  for (const language of ["C# (HttpClient)", "Go (net/http)", "Java (java.net.http)", "JavaScript (fetch)", "curl"]) {
    await page.getByRole("heading", { name: language }).waitFor();
  }
  await page.getByRole("button", { name: "Copy the Python (requests) code" }).click();
  const python = await page.evaluate(() => navigator.clipboard.readText());
  check(python.includes(`${origin}/api/v1/service/myservice/score`), "the snippet lacks the scoring URI");
  check(python.includes("<your-key>") && !python.includes(after.primaryKey), "the snippet must hold a placeholder, not the key");
  const interpreter = pythonWithRequests();
  check(interpreter !== null, "no python3 with requests (apt-get install python3-requests)");
  const script = join(profile, "consume.py");
  writeFileSync(script, python.replace("<your-key>", after.primaryKey));
  const run = spawnSync(interpreter, [script], { encoding: "utf8", timeout: 30_000 });
  check(run.status === 0, `the Python snippet failed (${run.status}): ${run.stderr}`);
  check(run.stdout.trim() === EXPECTED, `the Python snippet printed ${run.stdout}`);
  console.log(`python snippet (${interpreter}) printed ${run.stdout.trim()}`);
  await shot("consume");

  step = "Consume tab: the other snippets run too (those whose toolchain is on this machine)";
  const runs = [
    { id: "javascript", file: "consume.mjs", command: ["node", "consume.mjs"] },
    { id: "curl", file: "consume.sh", command: ["bash", "consume.sh"] },
    { id: "java", file: "Consume.java", command: ["java", "Consume.java"] },
    { id: "go", file: "consume.go", command: ["go", "run", "consume.go"] },
  ];
  for (const r of runs) {
    const code = await page.locator(`#snippet-${r.id}`).textContent();
    check(code.includes(`${origin}/api/v1/service/myservice/score`), `the ${r.id} snippet lacks the scoring URI`);
    if (spawnSync(r.command[0], ["--version"], { timeout: 20_000 }).error && spawnSync(r.command[0], ["version"], { timeout: 20_000 }).error) {
      console.log(`${r.id} snippet: ${r.command[0]} is not installed, not run`);
      continue;
    }
    writeFileSync(join(profile, r.file), code.replace("<your-key>", after.primaryKey));
    const ran = spawnSync(r.command[0], r.command.slice(1), { cwd: profile, encoding: "utf8", timeout: 120_000 });
    check(ran.status === 0, `the ${r.id} snippet failed (${ran.status}): ${ran.stderr}${ran.stdout}`);
    check(ran.stdout.trim() === EXPECTED, `the ${r.id} snippet printed ${ran.stdout}`);
    console.log(`${r.id} snippet printed ${ran.stdout.trim()}`);
  }

  step = "API docs";
  await page.getByRole("link", { name: "API docs" }).click();
  await page.locator(".swagger-ui .opblock-summary-path", { hasText: "/api/v1/service/myservice/score" }).waitFor();
  await shot("api-docs");

  step = "logs";
  await page.getByRole("link", { name: "Logs" }).click();
  await page.locator("#logs").waitFor();
  await page.waitForFunction(() => !document.querySelector("#logs")?.textContent?.startsWith("Loading"));
  await shot("logs");

  step = "deploy a new service from the form";
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deploy" }).click();
  await page.getByLabel("Service name").fill("console-e2e");
  await page.getByLabel("Model").selectOption("diabetes:1");
  await page.getByLabel("Authentication").selectOption("token");
  await page.getByLabel("Tags").fill("made-by=console");
  await page.getByLabel("Concurrent requests").fill("2");
  await page.getByRole("button", { name: "Deploy" }).click();
  await page.locator("#deploy-state", { hasText: "Healthy" }).waitFor({ timeout: 60_000 });
  const deployed = await admin("GET", "/api/v1/services/console-e2e");
  check(deployed.state === "Healthy" && deployed.authMode === "token", `deployed as ${deployed.state}/${deployed.authMode}`);
  check(deployed.kvTags["made-by"] === "console" && deployed.maxConcurrentRequestsPerContainer === 2, "tags or limits were not sent");
  await shot("deployed");

  step = "a refused deploy shows the server's reason";
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deploy" }).click();
  await page.getByLabel("Service name").fill("myservice");
  await page.getByRole("button", { name: "Deploy" }).click();
  const refusal = page.locator("#deploy-progress [role=alert]");
  await refusal.waitFor();
  check((await refusal.textContent()).includes("myservice"), `the refusal reads: ${await refusal.textContent()}`);

  step = "get a token for the token-auth service";
  await page.goto(`${origin}/console/#/services/console-e2e`);
  await page.getByRole("button", { name: "Get a token" }).click();
  await page.locator("#access-token").waitFor();
  check((await page.locator("#refresh-after").textContent()) !== "—", "no refresh-after time");
  check((await page.locator("#expiry-on").textContent()) !== "—", "no expiry time");
  await shot("token");
  await page.getByRole("link", { name: "Test" }).click();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator("#test-status", { hasText: "200" }).waitFor();

  step = "a raw scorer is fed a file from the Test tab";
  const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples", "image-scorer");
  const jar = join(examples, "target", "image-scorer.jar");
  if (!existsSync(jar)) {
    console.log(`raw upload: ${jar} is not built, step not run`);
  } else {
    const form = new FormData();
    form.append("file", new Blob([readFileSync(jar)]), "image-scorer.jar");
    const uploaded = await fetch(`${baseUrl}/api/v1/code`, { method: "POST", headers: { Authorization: `Bearer ${adminToken}` }, body: form });
    check(uploaded.status === 201, `code upload answered ${uploaded.status}`);
    const code = await uploaded.json();
    await admin("POST", "/api/v1/services", { name: "images", models: ["diabetes:1"], runtime: "java",
      code: { sha256: code.sha256, fileName: code.fileName }, entry: "dev.scoria.examples.image.ImageStatsScorer" });
    await page.goto(`${origin}/console/#/services/images/test`);
    for (let i = 0; i < 240 && (await admin("GET", "/api/v1/services/images")).state === "Transitioning"; i++) {
      await page.waitForTimeout(250);
    }
    await page.getByLabel("File (raw scorers)").check();
    await page.getByLabel("File to send (raw bytes)").setInputFiles(join(examples, "src", "test", "resources", "gradient-64x48.png"));
    check(await page.getByLabel("Content-Type").inputValue() === "image/png", "the file's type was not taken as Content-Type");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.locator("#test-status", { hasText: "200" }).waitFor();
    const stats = JSON.parse(await page.locator("#test-response").getAttribute("data-raw"));
    check(stats.format === "png" && stats.width === 64 && stats.height === 48, `the raw scorer answered ${JSON.stringify(stats)}`);
    await shot("raw-upload");
  }

  step = "keyboard: the main navigation is reachable with Tab";
  await page.locator("body").focus();
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.closest("nav[aria-label=Main]") !== null);
  }
  check(reached, "Tab does not reach the main navigation");
  await page.goto(`${origin}/console/#/services`);
  await page.getByRole("link", { name: "myservice" }).focus();
  await page.waitForTimeout(5_500);
  check(await page.evaluate(() => document.activeElement?.textContent) === "myservice", "the 5 s refresh lost the keyboard focus");

  step = "every form control has a label";
  for (const hash of ["#/services", "#/deploy", "#/services/myservice/test", "#/services/myservice/deployments"]) {
    await page.goto(`${origin}/console/${hash}`);
    await page.locator("main h1").waitFor();
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll("main input, main select, main textarea, main button")]
      .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.textContent?.trim()))
      .map((e) => e.outerHTML.slice(0, 80)));
    check(unlabelled.length === 0, `unlabelled controls on ${hash}: ${unlabelled.join(" | ")}`);
  }

  step = "phone width";
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [hash, name] of [["#/services", "phone-services"], ["#/services/myservice/overview", "phone-service"],
    ["#/services/myservice/deployments", "phone-deployments"]]) {
    await page.goto(`${origin}/console/${hash}`);
    await page.locator("main h1").waitFor();
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `${hash} scrolls sideways by ${overflow}px on a phone`);
    await shot(name);
  }

  step = "sign out";
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Admin token").waitFor();
  check(await page.evaluate(() => sessionStorage.getItem("scoria.adminToken")) === null, "the token outlived sign-out");

  step = "a reader access token signs in, browses, and is told why the keys are not shown";
  const reader = await admin("POST", "/api/v1/access/tokens", { role: "reader", expiresIn: "1h", description: "console e2e" });
  await page.getByLabel("Admin token").fill(reader.token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "myservice" }).click();
  await page.getByText("this token's role 'reader' cannot read the keys of service 'myservice' (needs role keys or admin)").waitFor();
  await shot("reader-overview");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Admin token").waitFor();

  check(problems.length === 0, `the page reported: ${problems.join("; ")}`);
  console.log(`console e2e: every step passed; screenshots in ${shots}`);
} catch (e) {
  console.error(`FAIL at step "${step}": ${e.message}`);
  if (problems.length) {
    console.error(`page problems: ${problems.join("; ")}`);
  }
  await shot("failure").catch(() => {});
  process.exitCode = 1;
} finally {
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  clearTimeout(watchdog);
}
