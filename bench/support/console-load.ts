/**
 * How long the console takes to be usable: from navigation to the overview's figures on screen,
 * in Debian's chromium driven by playwright-core, each sample in a new browser context (an empty
 * cache, as on a first visit). Builds web/dist first, as `npm start` does.
 */
import { build } from "vite";
import { chromium } from "playwright-core";

export interface LoadTimes {
  /** Milliseconds, sorted ascending. */
  times: number[];
}

export async function buildConsole(): Promise<void> {
  await build({ configFile: new URL("../../web/vite.config.ts", import.meta.url).pathname, logLevel: "error" });
}

/** Opens `${baseUrl}/${path}` `samples` times and waits each time until `ready` (a CSS selector) has text. */
export async function measureConsoleLoad(baseUrl: string, token: string, path: string, ready: string, samples: number): Promise<LoadTimes> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${baseUrl}/${path}#token=${token}`);
      await page.locator(ready).first().filter({ hasText: /\S/ }).waitFor({ timeout: 30_000 });
      times.push(performance.now() - started);
      await context.close();
    }
    return { times: times.sort((a, b) => a - b) };
  } finally {
    await browser.close();
  }
}
