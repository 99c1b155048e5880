import { mkdir } from "node:fs/promises";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeySource } from "../gen/bridgelog/v1/interception_pb.js";
import { interception, recorderClient } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer();
const ARTIFACTS = new URL("../test-artifacts/", import.meta.url).pathname;
let browser: Browser;

beforeAll(async () => {
  // Debian's chromium (the CI script installs it); Playwright cannot download browsers here.
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  await mkdir(ARTIFACTS, { recursive: true });
  // Failures recorded the way a bridge records them: over gRPC, a few minutes ago.
  const now = Date.now();
  const recorder = recorderClient("grpc", env.server.url, env.server.token);
  const failures = [
    { provider: "openai", errorType: "rate_limited", errorMessage: "Rate limit reached for gpt-4o" },
    { provider: "openai", upstream: { httpStatus: 429, body: '{"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"You exceeded your current quota"}}' } },
    { provider: "anthropic", upstream: { httpStatus: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' } },
    { provider: "anthropic", errorType: "unauthorized", errorMessage: "invalid x-api-key" },
  ];
  for (const [i, failure] of failures.entries()) {
    const startedAt = timestampFromDate(new Date(now - (i + 1) * 60_000));
    await recorder.recordInterception({
      interception: interception({ tenantId: "browser", keySource: KeySource.BYOK, startedAt, endedAt: startedAt, ...failure }),
    });
  }
  const ok = timestampFromDate(new Date(now - 30_000));
  await recorder.recordInterception({ interception: interception({ tenantId: "browser", provider: "openai", startedAt: ok, endedAt: ok }) });
});

afterAll(async () => {
  await browser?.close();
});

async function openDashboard(token: string, tenant: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${env.server.url}/#token=${token}`);
  await page.fill("#scope input[name=tenant]", tenant);
  await page.click("#scope button[type=submit]");
  return page;
}

describe("the dashboard in a real browser", () => {
  it("when failures were recorded, then the table and the chart show them, and a filter narrows the table", async () => {
    const page = await openDashboard(env.server.token, "browser");
    const rows = page.locator("#interceptions tbody tr");
    await expect.poll(() => rows.count()).toBe(5);
    await expect.poll(() => page.locator("#interceptions tbody td.failed").allTextContents()).toEqual([
      "rate_limited: Rate limit reached for gpt-4o",
      "quota_exhausted (insufficient_quota)",
      "overloaded (overloaded_error)",
      "unauthorized: invalid x-api-key",
    ]);
    const bars = await page.locator("#chart rect").evaluateAll((rects) => rects.map((r) => r.getAttribute("data-error-type")).sort());
    expect(bars).toEqual(["overloaded", "quota_exhausted", "rate_limited", "unauthorized"]);
    expect(await page.locator("#summary").textContent()).toContain("80.0%");
    await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });

    await page.fill("#filters input[name=provider]", "anthropic");
    await page.click("#filters button[type=submit]");
    await expect.poll(() => rows.count()).toBe(2);
    await page.selectOption("#filters select[name=outcome]", "failed");
    await page.selectOption("#filters select[name=errorType]", "OVERLOADED");
    await page.click("#filters button[type=submit]");
    await expect.poll(() => rows.count()).toBe(1);

    await rows.first().click();
    await expect.poll(() => page.locator("#thread-error").textContent()).toBe("Thread failed: overloaded (overloaded_error)");
    await page.screenshot({ path: `${ARTIFACTS}dashboard-filtered.png`, fullPage: true });
    await page.close();
  });

  it("when the tenant has recorded nothing, then the page says so instead of an empty table", async () => {
    const page = await openDashboard(env.server.token, "nobody-here");
    await expect.poll(() => page.locator("#empty").isVisible()).toBe(true);
    expect(await page.locator("#empty").textContent()).toContain("No interceptions match");
    await page.close();
  });

  it("when the server is slow, then the page says so, and shows the data once it answers", async () => {
    // An exclusive lock on the table holds every query until it is released.
    const reserved = await env.db.sql.reserve();
    await reserved`begin`;
    await reserved`lock table interceptions in access exclusive mode`;
    let page: Page | undefined;
    try {
      page = await openDashboard(env.server.token, "browser");
      await expect.poll(() => page!.locator("#status").textContent(), { timeout: 10_000 }).toContain("slow to answer");
    } finally {
      await reserved`commit`;
      reserved.release();
    }
    await expect.poll(() => page!.locator("#interceptions tbody tr").count()).toBe(5);
    await page.close();
  });

  it("when the token is revoked, then the page asks for a new one", async () => {
    const issued = await env.server.tokens.create({ tenantId: "browser", scopes: ["read"] });
    await env.server.tokens.revoke(issued.id);
    const page = await browser.newPage();
    await page.goto(`${env.server.url}/#token=${issued.token}`);
    await expect.poll(() => page.locator("#signin").isVisible()).toBe(true);
    expect(await page.locator("#status").textContent()).toContain("invalid, revoked or expired");
    // The token is not left in the address bar.
    expect(page.url()).not.toContain("token=");
    await page.close();
  });
});
