import type { Logger } from "pino";
import type { Config } from "../config.js";
import { runningEmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres.js";

/**
 * The database for a command that is not the server (`token`, `migrate`, `notify`):
 * DATABASE_URL when set; else the embedded PostgreSQL a running `bridgelog serve` owns (used, not
 * stopped); else an embedded PostgreSQL started here and stopped by `close()`.
 */
export async function connectToDatabase(
  config: Pick<Config, "databaseUrl" | "dataDir" | "embeddedPostgresPort">,
  log: Logger,
): Promise<{ url: string; close(): Promise<void> }> {
  if (config.databaseUrl !== undefined) return { url: config.databaseUrl, close: async () => {} };
  const running = await runningEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort);
  if (running !== undefined) return { url: running, close: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log });
  return { url: embedded.url, close: () => embedded.stop() };
}
