import { pino } from "pino";
import { startServer, type RunningServer } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";

/** A real bridgelog server on port 0 against the given database. */
export async function startTestServer(databaseUrl: string, overrides: Partial<Config> = {}): Promise<RunningServer> {
  const config = { ...loadConfig({}), databaseUrl, port: 0, host: "127.0.0.1", shutdownGraceMs: 2000, ...overrides };
  return startServer(config, pino({ level: process.env.BRIDGELOG_TEST_LOG_LEVEL ?? "silent" }));
}
