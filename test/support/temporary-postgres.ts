import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { type RunningPostgres, startEmbeddedPostgres } from "../../src/db/embedded-postgres.js";
import { freePort } from "./free-port.js";

/**
 * An embedded PostgreSQL in a new temporary folder on a free port, for a run that has no
 * DATABASE_URL. Stopping it removes the folder.
 */
export async function startTemporaryPostgres(label: string, log: Logger): Promise<RunningPostgres> {
  const dataDir = await mkdtemp(join(tmpdir(), `bridgelog-${label}-`));
  // As root, PostgreSQL runs as a separate user, which must be able to enter the folder.
  await chmod(dataDir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
  return {
    url: embedded.url,
    async stop() {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
