import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useTestServer } from "./support/server.js";

/**
 * The dashboard folder is served as files, never more: no symlink out of it, no dotfile, no 500
 * for a malformed path; and with headers that keep the page from being framed or sniffed.
 */
const dashboard = mkdtempSync(join(tmpdir(), "bridgelog-dashboard-"));
const outside = mkdtempSync(join(tmpdir(), "bridgelog-outside-"));
mkdirSync(join(dashboard, "assets"));
writeFileSync(join(dashboard, "index.html"), "<!doctype html><title>bridgelog</title>");
writeFileSync(join(dashboard, "assets", "app-1234.js"), "console.log(1)");
writeFileSync(join(dashboard, ".env"), "SECRET=1");
mkdirSync(join(dashboard, ".git"));
writeFileSync(join(dashboard, ".git", "config"), "[core]");
writeFileSync(join(outside, "secret.txt"), "outside the folder");
symlinkSync(join(outside, "secret.txt"), join(dashboard, "secret.txt"));
symlinkSync(outside, join(dashboard, "linked"));
symlinkSync(join(dashboard, "index.html"), join(dashboard, "home.html")); // stays inside: fine
afterAll(() => {
  rmSync(dashboard, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const env = useTestServer({ dashboardDir: dashboard });

/** A raw HTTP/1.1 GET, so the path reaches the server exactly as written. */
function rawGet(port: number, path: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    socket.on("end", () => {
      const [head = "", body = ""] = received.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body });
    });
    socket.on("error", reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  });
}

describe("the dashboard's files", () => {
  it("serves index.html at / with a Content-Security-Policy, nosniff and no framing", async () => {
    const response = await rawGet(env.server.port, "/");
    expect(response.status).toBe(200);
    expect(response.body).toContain("<title>bridgelog</title>");
    expect(response.headers).toContain("content-security-policy: default-src 'self'; script-src 'self';");
    expect(response.headers).toContain("frame-ancestors 'none'");
    expect(response.headers).toContain("x-content-type-options: nosniff");
    expect(response.headers).toContain("cache-control: no-cache");
  });

  it("caches fingerprinted assets for good", async () => {
    const response = await rawGet(env.server.port, "/assets/app-1234.js");
    expect(response.status).toBe(200);
    expect(response.headers).toContain("cache-control: public, max-age=31536000, immutable");
    expect(response.headers).toMatch(/content-type: (text|application)\/javascript/);
  });

  it.each(["/secret.txt", "/linked/secret.txt"])("when %s is a symlink leading out of the folder, then it is 404", async (path) => {
    const response = await rawGet(env.server.port, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain("outside the folder");
  });

  it("when a symlink stays inside the folder, then it is served", async () => {
    expect((await rawGet(env.server.port, "/home.html")).status).toBe(200);
  });

  it.each(["/.env", "/.git/config", "/%2eenv", "/assets/../.env", "/assets/%2e%2e/.env"])("when %s names a dotfile, then it is 404", async (path) => {
    const response = await rawGet(env.server.port, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain("SECRET");
  });

  it.each(["/%E0%A4%A", "/%zz", "/assets/%"])("when %s has malformed percent-encoding, then it is 400", async (path) => {
    expect((await rawGet(env.server.port, path)).status).toBe(400);
  });
});
