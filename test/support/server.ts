import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createTestDatabase, type TestDatabase } from "./database.js";

/** A running test server and a token for it with every scope for every tenant. */
export type TestServer = RunningServer & { token: string };

/** A real bridgelog server on port 0 against the given database. */
export async function startTestServer(databaseUrl: string, overrides: Partial<Config> = {}): Promise<TestServer> {
  const config = { ...loadConfig({}), databaseUrl, port: 0, host: "127.0.0.1", shutdownGraceMs: 2000, ...overrides };
  const server = await startServer(config, pino({ level: process.env.BRIDGELOG_TEST_LOG_LEVEL ?? "silent" }));
  const { token } = await server.tokens.create({ tenantId: null, scopes: ["record", "read", "admin"], label: "test" });
  return Object.assign(server, { token });
}

/** This file's database and server, started before its tests and stopped after them. */
export interface TestEnvironment {
  db: TestDatabase;
  server: TestServer;
}

/**
 * Registers hooks that give the calling test file its own database (cloned from the template) and
 * a server on it, and tears both down afterwards. Read the fields inside tests and hooks.
 */
export function useTestServer(overrides: Partial<Config> = {}): TestEnvironment {
  const environment = {} as TestEnvironment;
  beforeAll(async () => {
    environment.db = await createTestDatabase();
    environment.server = await startTestServer(environment.db.url, overrides);
  });
  afterAll(async () => {
    await environment.server?.stop();
    await environment.db?.drop();
  });
  return environment;
}
