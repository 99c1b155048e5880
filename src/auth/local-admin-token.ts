import { existsSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TokenStore } from "./token-store.js";

/**
 * The token `npm start` prints on the embedded default (a laptop), so a new user sees the
 * dashboard at once: the first run creates an admin token for every tenant and keeps it in the data
 * folder (mode 0600, beside the database it unlocks); later runs reuse it, and a revoked one is
 * replaced. Never used with DATABASE_URL: production tokens are made with `bridgelog token`.
 */
export async function localAdminToken(tokens: TokenStore, dataDir: string): Promise<string> {
  const file = join(dataDir, "local-admin-token");
  // writeFile's mode applies only when it creates the file: enforce it on every start.
  if (existsSync(file)) await chmod(file, 0o600);
  const kept = existsSync(file) ? (await readFile(file, "utf8")).trim() : "";
  const id = /^blg_([0-9a-f]{16})_/.exec(kept)?.[1];
  const record = id === undefined ? undefined : await tokens.find(id);
  if (record !== undefined && record.revokedAt === null) return kept;
  const { token } = await tokens.create({ tenantId: null, scopes: ["record", "read", "admin"], label: "local admin (npm start)" });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}
