import { existsSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Scope } from "./api-token.js";
import type { TokenStore } from "./token-store.js";

/**
 * The tokens `npm start` makes on the embedded default (a laptop), each kept in a file of its own in
 * the data folder, mode 0600 (beside the database it unlocks) on every start: the first run creates
 * it, later runs reuse it, and a revoked one (or one that lost its scopes) is replaced. Never used
 * with DATABASE_URL: production tokens are made with `bridgelog token`.
 */
interface LocalToken {
  file: string;
  tenantId: null;
  scopes: Scope[];
  label: string;
}

/** Every tenant, every scope: for the examples and scripts run on the same machine. Never printed. */
export const LOCAL_ADMIN_TOKEN: LocalToken = {
  file: "local-admin-token",
  tenantId: null,
  scopes: ["record", "read", "admin"],
  label: "local admin (npm start)",
};

/**
 * What the console's link carries: `read` for every tenant, which is all the console calls need
 * (QueryService, ListTenants included). A link is shown, pasted and kept in browser history, so it
 * must not be able to record, mint tokens or register devices.
 */
export const LOCAL_CONSOLE_TOKEN: LocalToken = {
  file: "console-token",
  tenantId: null,
  scopes: ["read"],
  label: "console (npm start)",
};

/** The token kept in `dataDir` for `kind`, created (or replaced) when it does not work as `kind` says. */
export async function localToken(tokens: TokenStore, dataDir: string, kind: LocalToken): Promise<string> {
  const file = join(dataDir, kind.file);
  // writeFile's mode applies only when it creates the file: enforce it on every start.
  if (existsSync(file)) await chmod(file, 0o600);
  const kept = existsSync(file) ? (await readFile(file, "utf8")).trim() : "";
  const id = /^blg_([0-9a-f]{16})_/.exec(kept)?.[1];
  const record = id === undefined ? undefined : await tokens.find(id);
  const asIntended =
    record !== undefined &&
    record.revokedAt === null &&
    record.tenantId === kind.tenantId &&
    record.scopes.length === kind.scopes.length &&
    kind.scopes.every((scope) => record.scopes.includes(scope));
  if (asIntended) return kept;
  const { token } = await tokens.create({ tenantId: kind.tenantId, scopes: kind.scopes, label: kind.label });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}

/**
 * What `serve` tells the person who ran it about the console, written to stderr, apart from the JSON
 * logs on stdout. The sign-in link (which carries the console token) only when stderr is a
 * terminal: under a process manager stderr goes to a log file or the journal, where a token must
 * not land, so then it names the file the token is kept in instead.
 */
export function consoleSignIn(options: { url: string; token: string; tokenFile: string; terminal: boolean }): string {
  const { url, token, tokenFile, terminal } = options;
  return terminal
    ? `\nConsole: ${url}/#token=${token}\n(the link signs in with a read-only token for every tenant, kept in ${tokenFile})\n\n`
    : `Console: ${url}/ (sign in with the read-only token kept in ${tokenFile})\n`;
}
