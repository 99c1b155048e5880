/**
 * The console in Debian's chromium, driven by playwright-core, against a real server whose data
 * was recorded over gRPC and whose notifications were sent by a real `bridgelog notify` to the FCM
 * fake. Each view is looked at for what it says, not only that it rendered, checked with axe, and
 * saved as a screenshot in test-artifacts/.
 */
import { mkdir } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { type NotifierProcess, REDIS_URL, registerDevice, spawnNotifier, useNotifierEnvironment } from "../notifier/support/notifier.js";
import { type ConsoleData, recordConsoleData, recordManyCalls, recordRecovery } from "./support/console-data.js";

const env = useNotifierEnvironment();
const ARTIFACTS = new URL("../../test-artifacts/", import.meta.url).pathname;
const ZONE = "Europe/Berlin";
let browser: Browser;
let notifier: NotifierProcess;
let data: ConsoleData;
let small: ConsoleData;
const PAGED = Number(process.env.CONSOLE_PAGED ?? 10_000);

beforeAll(async () => {
  // Debian's chromium (the CI script installs it); Playwright cannot download browsers here.
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  await mkdir(ARTIFACTS, { recursive: true });
  notifier = await spawnNotifier({
    DATABASE_URL: env.db.url,
    REDIS_URL,
    BRIDGELOG_REDIS_KEY_PREFIX: env.prefix,
    BRIDGELOG_FCM_ENDPOINT: env.fcm.url,
    BRIDGELOG_NOTIFY_POLL_MS: "100",
  });
  await registerDevice(env.server, "acme", "alice", "fcm-alice-phone");
  await registerDevice(env.server, "acme", "bob", "fcm-bob-phone");
  await registerDevice(env.server, "acme", "bob", "fcm-bob-tablet");
  data = await recordConsoleData(env.server, "acme");
  small = await recordConsoleData(env.server, "beta-corp");
  await recordManyCalls(env.server, "paged", PAGED);
  // Both key failures told to their users' phones.
  await waitFor("both key failures to be pushed", () => env.fcm.pushes("fcm-alice-phone") === 1 && env.fcm.pushes("fcm-bob-phone") === 1, 20_000);
  // Told, alice replaces her key, and her next call works.
  await recordRecovery(env.server, data);
}, 120_000);

afterAll(async () => {
  await notifier?.kill("SIGTERM");
  await browser?.close();
});

async function open(path: string, options: { token?: string; width?: number; height?: number; context?: BrowserContext } = {}): Promise<Page> {
  const context = options.context ?? (await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, timezoneId: ZONE }));
  const page = await context.newPage();
  await page.goto(`${env.server.url}/${path}#token=${options.token ?? env.server.token}`);
  return page;
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });
}

/** Serious and critical axe findings on the page as it is now, as readable lines. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} elements, such as ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
}

/** Fails with axe's own words when it finds a serious or critical problem. */
async function expectAccessible(page: Page): Promise<void> {
  const problems = await axeProblems(page);
  expect(problems, problems.join("\n")).toEqual([]);
}

const kpi = (page: Page, label: string) => page.locator(".kpi", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("strong");
const count = (n: number) => n.toLocaleString("en-US");

describe("the console in a real browser", () => {
  it("when opened from the printed link with an all-tenants token, then it lands on the busiest tenant's overview", async () => {
    const page = await open("");
    await expect.poll(() => kpi(page, "Calls").textContent(), { timeout: 15_000 }).toBe(count(PAGED));
    // The busiest tenant is the 10,000-call one; the first run opens it, and the picker offers every tenant.
    expect(await page.locator("header select").first().inputValue()).toBe("paged");
    expect(await page.locator("header select").first().locator("option").allTextContents()).toEqual([
      `paged (${count(PAGED)} calls)`,
      `acme (${count(data.calls)} calls)`,
      `beta-corp (${count(small.calls)} calls)`,
    ].sort((a, b) => (a.startsWith("paged") ? -1 : b.startsWith("paged") ? 1 : a.localeCompare(b))));
    await page.selectOption("header select >> nth=0", "acme");
    await expect.poll(() => page.url()).toContain("tenant=acme");
    await expect.poll(() => kpi(page, "Failures").textContent()).toBe(count(data.failed));
    expect(await kpi(page, "Failure rate").textContent()).toBe(`${((data.failed / data.calls) * 100).toFixed(1).replace(/\.0$/, "")}%`);
    // Each figure beside the previous window's (nothing was recorded before this day).
    expect(await page.locator(".kpi .previous").first().textContent()).toBe("previous window: 0");
    // The charts have labelled axes, in the viewer's zone, which the page names.
    await expect.poll(() => page.locator("#content svg text", { hasText: "calls" }).count()).toBeGreaterThan(0);
    expect(await page.locator("#content svg text", { hasText: `Time (${ZONE}` }).count()).toBe(3);
    expect(await page.locator("#content svg text", { hasText: "latency (ms)" }).count()).toBe(1);
    expect(await page.locator("header .zone").textContent()).toBe(`Times in ${ZONE} (UTC+01:00)`);
    // The legend names every failure type of the window with its count.
    const legend = await page.locator(".legend button").allTextContents();
    expect(legend.sort()).toEqual([...data.byType].map(([type, n]) => `${type} ${count(n)}`).sort());
    // Breakdowns: providers by calls, with their share.
    const providers = page.locator(".breakdown", { hasText: "By provider" }).locator("tbody tr");
    const expected = [...data.byProvider].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    expect(await providers.locator("th").allTextContents()).toEqual(expected.map(([p]) => p));
    expect(await providers.first().locator("td").first().textContent()).toBe(count(expected[0]![1]));
    await shot(page, "console-overview", true);
    await expectAccessible(page);
    await page.context().close();
  });

  it("when a breakdown row is chosen from the keyboard, then every view follows the filter, the URL carries it and Back undoes it", async () => {
    const page = await open("?tenant=acme");
    await expect.poll(() => kpi(page, "Calls").textContent(), { timeout: 15_000 }).toBe(count(data.calls));
    const anthropic = page.getByRole("button", { name: "Filter by provider anthropic" });
    await anthropic.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => kpi(page, "Calls").textContent()).toBe(count(data.byProvider.get("anthropic")!));
    expect(page.url()).toContain("provider=anthropic");
    expect(await page.locator(".chips").textContent()).toContain("Provider: anthropic");
    // The list follows the same filter.
    await page.getByRole("link", { name: "Interceptions" }).click();
    await expect.poll(() => page.locator("table.rows tbody tr").count()).toBe(data.byProvider.get("anthropic"));
    expect(new Set(await page.locator("table.rows tbody td:nth-child(2)").allTextContents())).toEqual(new Set(["anthropic"]));
    // Shared as a link: a new tab opens on the same view and filter.
    const shared = await open(new URL(page.url()).search);
    await expect.poll(() => shared.locator("table.rows tbody tr").count()).toBe(data.byProvider.get("anthropic"));
    await shared.context().close();
    // Back twice: the overview, then without the filter.
    await page.goBack();
    await expect.poll(() => page.locator(".overview").count()).toBe(1);
    await page.goBack();
    await expect.poll(() => kpi(page, "Calls").textContent()).toBe(count(data.calls));
    expect(page.url()).not.toContain("provider=");
    await page.context().close();
  });

  it("when a legend entry or a bar is clicked, then the console filters by that error type and the bar lists its calls", async () => {
    const page = await open("?tenant=acme");
    await page.getByRole("button", { name: /^Filter by rate_limited/ }).click();
    await expect.poll(() => kpi(page, "Failures").textContent()).toBe(count(data.byType.get("rate_limited")!));
    expect(await kpi(page, "Calls").textContent()).toBe(count(data.byType.get("rate_limited")!));
    // A bar of the stacked chart: its rate_limited segment drills into that bucket's rate-limited calls.
    const segments = page.locator('#content .chart path[fill="#e65100"]');
    await expect.poll(() => segments.count()).toBeGreaterThan(0);
    await segments.first().click();
    await expect.poll(() => page.url()).toContain("view=interceptions");
    expect(page.url()).toContain("range=custom");
    const outcomes = await page.locator("table.rows tbody td:nth-child(7) strong").allTextContents();
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(["rate_limited"]));
    await shot(page, "console-drilled-from-bar");
    await page.context().close();
  });

  it("when paging through 10,000 interceptions, then every page keeps the window it started with, to the last row", async () => {
    const page = await open("?tenant=paged&view=interceptions");
    const rows = page.locator("table.rows tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(500);
    const more = page.getByRole("button", { name: /^Load 500 more$/ });
    for (let loaded = 500; loaded < PAGED; loaded += 500) {
      await more.click();
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(Math.min(PAGED, loaded + 500));
    }
    await expect.poll(() => page.locator(".paging").textContent()).toBe(`${count(PAGED)} shown, the end of this window.`);
    expect(await more.count()).toBe(0);
    expect(await page.locator("[role=alert]").count()).toBe(0);
    await page.context().close();
  }, 240_000);

  it("when a row is opened, then the detail panel shows every stored field, and its thread opens as a tree", async () => {
    const page = await open(`?tenant=acme&view=interceptions&id=${data.truncated.id}`);
    const panel = page.locator("aside.detail");
    await expect.poll(() => panel.locator("dt", { hasText: "Error type" }).count(), { timeout: 15_000 }).toBe(1);
    const field = (name: string) => panel.locator("dl.fields > div", { has: page.locator(`dt:text-is("${name}")`) }).locator("dd");
    expect(await field("Error type").textContent()).toBe("bad_request");
    expect(await field("Message").textContent()).toContain(`Cut to 4,096 bytes from ${count(data.truncated.bytes)}.`);
    expect(await field("Provider").textContent()).toBe("openai");
    expect(await field("Initiator").textContent()).toBe("user-3");
    expect(await field("Started").textContent()).toMatch(/\d{4}/);
    await shot(page, "console-detail");
    await expectAccessible(page);

    // A thread from its failing root: the root's error on top, the tool call under it, the retrieval under that.
    await page.goto(`${env.server.url}/?tenant=acme&view=interceptions&id=${data.thread.grandchildId}`);
    await panel.getByRole("link", { name: "Open the thread it belongs to" }).click();
    await expect.poll(() => page.locator("#thread-error").textContent()).toBe("Thread failed: overloaded (overloaded_error)");
    const grandchild = page.locator(`ul.tree > li[data-id="${data.thread.rootId}"] > ul > li[data-id="${data.thread.childId}"] > ul > li[data-id="${data.thread.grandchildId}"]`);
    expect(await grandchild.count()).toBe(1);
    expect(await grandchild.locator(".node").textContent()).toContain("retrieval timed out");
    expect(await page.locator("ul.tree li.selected").getAttribute("data-id")).toBe(data.thread.grandchildId);
    await shot(page, "console-thread");
    await expectAccessible(page);
    await page.getByRole("link", { name: /Back to/ }).click();
    await expect.poll(() => panel.locator("code", { hasText: data.thread.grandchildId }).count()).toBe(1);
    await page.context().close();
  });

  it("when a user's own key broke and was notified, then the keys view shows who was told, and which key recovered", async () => {
    const page = await open("?tenant=acme&view=keys");
    const rows = page.locator("table.key-states tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const bob = rows.filter({ hasText: "bob" });
    const alice = rows.filter({ hasText: "alice" });
    expect(await bob.locator(".badge").first().textContent()).toBe("broken");
    expect(await bob.locator("td").nth(3).textContent()).toContain("quota_exhausted");
    expect(await bob.locator("td").nth(5).textContent()).toBe("2");
    expect(await alice.locator(".badge").first().textContent()).toBe("recovered");
    expect(await alice.locator("td").nth(3).textContent()).toContain("unauthorized");
    await alice.locator("summary").click();
    expect(await alice.locator("ol.events").textContent()).toMatch(/sent unauthorized at .*1 attempt.*attempt 1: sent, 1 device reached/s);
    await bob.locator("summary").click();
    expect(await bob.locator("ol.events").textContent()).toContain("attempt 1: sent, 2 devices reached");
    await shot(page, "console-keys");
    await expectAccessible(page);
    await page.getByLabel("Broken keys only").check();
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator("td").first().textContent()).toBe("bob");
    await page.context().close();
  });

  it("when the token is bound to one tenant, then the console opens that tenant without asking", async () => {
    const issued = await env.server.tokens.create({ tenantId: "beta-corp", scopes: ["read"] });
    const page = await open("", { token: issued.token });
    await expect.poll(() => kpi(page, "Calls").textContent(), { timeout: 15_000 }).toBe(count(small.calls));
    expect(await page.locator("header .tenant").textContent()).toBe("Tenant: beta-corp");
    await page.context().close();
  });

  it("when refreshing is paused or resumed, then the page says so, and a refresh keeps the scroll position", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: ZONE });
    const page = await context.newPage();
    await page.clock.install({ time: new Date() });
    await page.goto(`${env.server.url}/?tenant=acme&view=interceptions#token=${env.server.token}`);
    await expect.poll(() => page.locator("table.rows tbody tr").count(), { timeout: 15_000 }).toBe(Math.min(500, data.calls));
    await expect.poll(() => page.locator("#updated").textContent()).toMatch(/^Refreshes every 30 s\. Updated /);
    await page.mouse.wheel(0, 1500);
    await expect.poll(() => page.evaluate("scrollY")).toBeGreaterThan(1000);
    const scrolled = await page.evaluate("scrollY");
    const before = await page.locator("#updated").textContent();
    await page.clock.fastForward("00:31");
    await expect.poll(() => page.locator("#updated").textContent()).not.toBe(before);
    expect(await page.evaluate("scrollY")).toBe(scrolled);
    await page.getByRole("button", { name: "Pause refresh" }).click();
    expect(await page.locator("#updated").textContent()).toMatch(/^Paused\. Updated /);
    const paused = await page.locator("#updated").textContent();
    await page.clock.fastForward("01:01");
    expect(await page.locator("#updated").textContent()).toBe(paused);
    await page.getByRole("button", { name: "Resume refresh" }).click();
    expect(await page.locator("#updated").textContent()).toMatch(/^Refreshes every 30 s\./);
    await context.close();
  });

  it("when the server is slow, unreachable, or the token is revoked, or the window is empty, then each says so where the data would be", async () => {
    // Empty: a tenant with no calls.
    const empty = await open("?tenant=nobody-here");
    await expect.poll(() => empty.locator(".overview .empty").textContent(), { timeout: 15_000 }).toMatch(/^No calls ended between .* and .*\. Choose a longer window/);
    await empty.context().close();

    // Slow: an exclusive lock on the table holds every query until it is released.
    const reserved = await env.db.sql.reserve();
    await reserved`begin`;
    await reserved`lock table interceptions in access exclusive mode`;
    let slow: Page | undefined;
    try {
      slow = await open("?tenant=acme&view=interceptions");
      await expect.poll(() => slow!.locator(".list .loading").textContent(), { timeout: 10_000 }).toBe("The server is slow to answer (interceptions)…");
      await shot(slow, "console-slow");
    } finally {
      await reserved`commit`;
      reserved.release();
    }
    await expect.poll(() => slow!.locator("table.rows tbody tr").count()).toBe(Math.min(500, data.calls));
    await slow.context().close();

    // Unreachable: the browser's requests to the API fail at the network level.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: ZONE });
    await context.route("**/bridgelog.v1.QueryService/GetOverview", (route) => route.abort("connectionrefused"));
    const unreachable = await open("?tenant=acme", { context });
    await expect.poll(() => unreachable.locator(".overview [role=alert]").textContent(), { timeout: 15_000 }).toBe(
      "Could not load the overview. The server cannot be reached right now. It will be asked again at the next refresh.",
    );
    await shot(unreachable, "console-unreachable");
    await context.close();

    // Revoked: the place of the data says why, and offers to sign in again.
    const issued = await env.server.tokens.create({ tenantId: "acme", scopes: ["read"] });
    await env.server.tokens.revoke(issued.id);
    const revoked = await open("", { token: issued.token });
    await expect.poll(() => revoked.locator("[role=alert]").first().textContent(), { timeout: 15_000 }).toContain("refused this token");
    expect(revoked.url()).not.toContain("token=");
    await revoked.getByRole("button", { name: "Sign in with another token" }).click();
    await expect.poll(() => revoked.getByLabel("Token").count()).toBe(1);
    await shot(revoked, "console-signin");
    await expectAccessible(revoked);
    await revoked.context().close();
  });

  it("when opened on a 390-pixel phone, then every view fits the screen and passes axe", async () => {
    for (const [view, name] of [["", "overview"], ["&view=interceptions", "interceptions"], ["&view=keys", "keys"]] as const) {
      const page = await open(`?tenant=acme${view}`, { width: 390, height: 844 });
      await expect.poll(() => page.locator("main table, main .kpis").count(), { timeout: 15_000 }).toBeGreaterThan(0);
      // Nothing wider than the screen: the page itself never scrolls sideways.
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      await shot(page, `console-phone-${name}`, true);
      await expectAccessible(page);
      await page.context().close();
    }
  });
});
