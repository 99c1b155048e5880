/**
 * Global setup of the integration project: compiles packages/client (`@bridgelog/client`), so the
 * SDK tests and the examples, which import it by its package name, run the compiled package as a
 * bridge would, built from the source as it is now rather than from a stale build.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";

export default async function setup() {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const project = new URL("../../packages/client/tsconfig.json", import.meta.url).pathname;
  await promisify(execFile)(process.execPath, [tsc, "-p", project]);
}
