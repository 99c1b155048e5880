#!/usr/bin/env node
// `npm start`'s prestart runs this before `npm run build`: a second `npm start` beside a running one
// would otherwise rebuild web/dist (and dist/) under the running server, which serves from them,
// and only then be refused by `serve`. It refuses first, for the two reasons `serve` would:
// - the embedded default's data folder is claimed by a live process: `bridgelog.pid` there, as
//   src/db/embedded-postgres.ts writes it (keep the two in step);
// - something already listens on HOST:PORT.
// Plain JavaScript with no imports from dist/, which may not be built yet. It reads the same
// variables as src/config.ts, with the same defaults; unset and blank are the same, and a value
// serve would reject is left for serve to report.
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const setting = (name, fallback) => {
  const value = process.env[name]?.trim();
  return value === undefined || value === "" ? fallback : value;
};

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Why this start is refused, or undefined when nothing stands in its way. */
async function reasonToRefuse() {
  if (setting("DATABASE_URL", undefined) === undefined) {
    const dataDir = setting("BRIDGELOG_DATA_DIR", ".bridgelog");
    const ownerFile = join(dataDir, "bridgelog.pid");
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, "utf8").trim()) : NaN;
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      return `the data folder ${dataDir} is in use by another bridgelog process (pid ${owner}); stop it, or set BRIDGELOG_DATA_DIR to another folder`;
    }
  }
  const host = setting("HOST", "127.0.0.1");
  const port = Number(setting("PORT", "8080"));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined; // 0: any free port
  const inUse = await new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error) => resolve(error.code === "EADDRINUSE"));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
  if (inUse) return `${host}:${port} is already in use (another bridgelog?); stop it, or set PORT to another port`;
  return undefined;
}

const reason = await reasonToRefuse();
if (reason !== undefined) {
  console.error(`npm start: not starting, nothing was built: ${reason}`);
  process.exit(1);
}
