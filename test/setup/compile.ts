/**
 * Global setup of the integration project: compiles what runs as compiled JavaScript outside the
 * tests, from the sources as they are now rather than from a stale build:
 * - the server (tsconfig.build.json, into dist/), which `bin/bridgelog.js` runs in the tests that
 *   start it as a process, as in production;
 * - packages/client (`@bridgelog/client`), which the SDK tests and the examples import by its
 *   package name, as a bridge would.
 * Both compilations are incremental or small: a second run costs a few seconds.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";

export default async function setup() {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const project = (path: string) => new URL(`../../${path}`, import.meta.url).pathname;
  await Promise.all(
    ["tsconfig.build.json", "packages/client/tsconfig.json"].map((config) =>
      promisify(execFile)(process.execPath, [tsc, "-p", project(config)]),
    ),
  );
}
