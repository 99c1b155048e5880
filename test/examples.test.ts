import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { type FakeProvider, startFakeProvider } from "./client/support/fake-provider.js";
import { transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

/**
 * Every example the docs show, run as a reader would run it (`node --import tsx <file>`, or bash),
 * against a real server, with the record it writes looked up afterwards.
 */
const env = useTestServer();
const root = new URL("../", import.meta.url).pathname;
const read = (path: string) => readFileSync(new URL(path, new URL("../", import.meta.url)), "utf8");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      // A `node` a shell example calls is the Node running the tests, not whichever PATH finds first.
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
      BRIDGELOG_URL: env.server.url,
      BRIDGELOG_TOKEN: env.server.token,
      ...extraEnv,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

const runTs = (file: string, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, ["--import", "tsx", file, ...args], extraEnv);

const recordedId = (output: string) => /recorded ([0-9a-f-]{36})/.exec(output)?.[1];

interface Row {
  error_type: string | null;
  provider_code: string | null;
  started_at: Date;
}

async function storedRow(id: string): Promise<Row | undefined> {
  const [row] = await env.db.sql<Row[]>`
    select error_type, provider_code, started_at from interceptions where tenant_id = 'acme' and id = ${id}::uuid`;
  return row;
}

/** Whether the dashboard's default view (tenant acme, the last 24 hours) lists the interception. */
async function inDashboardWindow(id: string): Promise<boolean> {
  const query = createClient(QueryService, transport("connect-json", env.server.url, env.server.token));
  const now = Date.now();
  const page = await query.listInterceptions({
    tenantId: "acme",
    startTime: timestampFromMs(now - 86_400_000),
    endTime: timestampFromMs(now + 1000),
    pageSize: 500,
  });
  return page.interceptions.some((i) => i.id === id);
}

describe("the README's first interception (examples/record-first-interception.ts)", () => {
  it("when run with a URL and a token, then it is stored now, classified, and in the dashboard's default window", async () => {
    const result = await runTs("examples/record-first-interception.ts", [env.server.url], { BRIDGELOG_URL: "" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/: failed, quota_exhausted \(provider code insufficient_quota\)/);
    const id = recordedId(result.stdout)!;
    const row = await storedRow(id);
    expect(row).toMatchObject({ error_type: "quota_exhausted", provider_code: "insufficient_quota" });
    expect(Math.abs(row!.started_at.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await inDashboardWindow(id)).toBe(true);
    // A BYOK key out of credit, with an initiator: the notifier's event was written with it.
    const [event] = await env.db.sql`select 1 from notification_outbox where tenant_id = 'acme' and interception_id = ${id}::uuid`;
    expect(event).toBeDefined();
  });

  it("when no token is given and there is no local token file, then it says what to set and exits 2", async () => {
    const result = await runTs("examples/record-first-interception.ts", [], { BRIDGELOG_TOKEN: undefined, BRIDGELOG_DATA_DIR: "/nonexistent" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/BRIDGELOG_TOKEN/);
  });

  it("is what the README tells a new user to run", () => {
    expect(read("README.md")).toContain("npx tsx examples/record-first-interception.ts");
  });
});

describe("examples/record-with-grpc-js.ts", () => {
  it("when run against the server, then the raw Anthropic 529 is stored as overloaded", async () => {
    const result = await runTs("examples/record-with-grpc-js.ts", [new URL(env.server.url).host]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^recorded [0-9a-f-]{36}: failed, overloaded \(provider code overloaded_error\)\n$/);
    const row = await storedRow(recordedId(result.stdout)!);
    expect(row).toMatchObject({ error_type: "overloaded", provider_code: "overloaded_error" });
  });

  it("is shown whole in docs/recording.md", () => {
    expect(read("docs/recording.md")).toContain(read("examples/record-with-grpc-js.ts").trim());
  });
});

describe("examples/record-with-curl.sh", () => {
  it("when run against the server, then the record is stored with its type normalised and the current time", async () => {
    const result = await run("bash", ["examples/record-with-curl.sh"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const response = JSON.parse(result.stdout) as { recorded: { id: string; errorType: string } };
    expect(response.recorded.errorType).toBe("ERROR_TYPE_RATE_LIMITED");
    const row = await storedRow(response.recorded.id);
    expect(row?.error_type).toBe("rate_limited");
    expect(await inDashboardWindow(response.recorded.id)).toBe(true);
  });

  it("is shown whole in docs/recording.md", () => {
    expect(read("docs/recording.md")).toContain(read("examples/record-with-curl.sh").trim());
  });
});

describe("examples/sdk-bridge.ts", () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake?.close());

  it("when the bridge makes a call through the SDK, then it is delivered with its usage and cost before close() returns", async () => {
    const result = await runTs("examples/sdk-bridge.ts", [], { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: "sk-test-not-a-real-key" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("answer 0");
    expect(result.stdout).toContain("{ sent: 1, dropped: 0, rejected: 0, retried: 0, pending: 0 }");
    // The fake's first completion uses 20 prompt and 5 completion tokens: 20 * 2.5 + 5 * 10.
    const rows = await env.db.sql`
      select key_source, input_tokens::int, output_tokens::int, cost_micros::int from interceptions
      where tenant_id = 'acme' and initiator_id = 'user-42' and provider = 'openai' and error_type is null`;
    expect(rows).toEqual([{ key_source: "platform", input_tokens: 20, output_tokens: 5, cost_micros: 100 }]);
  });

  it("is shown whole in docs/client.md", () => {
    expect(read("docs/client.md")).toContain(read("examples/sdk-bridge.ts").trim());
  });
});

describe("examples/record-with-python.py, with stubs from examples/generate-python-stubs.sh", () => {
  let stubs: string;
  beforeAll(() => {
    stubs = mkdtempSync(join(tmpdir(), "bridgelog-example-python-"));
  });
  afterAll(() => rmSync(stubs, { recursive: true, force: true }));

  it("when the stubs are generated and the script run, then the raw credit failure is stored as quota_exhausted, printed by name", async () => {
    const generated = await run("bash", ["examples/generate-python-stubs.sh", stubs]);
    expect(generated.stderr).toBe("");
    expect(generated.code).toBe(0);
    // Debian's python3 sees python3-grpcio; a python3 earlier on PATH may not.
    const result = await run("/usr/bin/python3", ["examples/record-with-python.py", new URL(env.server.url).host], { PYTHONPATH: stubs });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^recorded [0-9a-f-]{36}: failed, quota_exhausted \(provider code invalid_request_error\)\n$/);
    const row = await storedRow(recordedId(result.stdout)!);
    expect(row?.error_type).toBe("quota_exhausted");
  });

  it("is shown whole in docs/recording.md", () => {
    expect(read("docs/recording.md")).toContain(read("examples/generate-python-stubs.sh").trim());
    expect(read("docs/recording.md")).toContain(read("examples/record-with-python.py").trim());
  });
});

describe("examples/export-genai-spans.ts", () => {
  it("when run against the server, then the agent run is three interceptions in one thread, the failure classified", async () => {
    const result = await runTs("examples/export-genai-spans.ts");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const traceId = /^exported trace ([0-9a-f]{32}): 3 GenAI spans\n$/.exec(result.stdout)?.[1];
    expect(traceId).toBeDefined();
    const rows = await env.db.sql<{ id: string; feature: string; error_type: string | null; thread_root_id: string | null }[]>`
      select id::text, feature, error_type, thread_root_id::text from interceptions
      where tenant_id = 'acme' and metadata->>'otel.trace_id' = ${traceId!} order by feature desc, error_type nulls first`;
    const root = rows.find((r) => r.feature === "invoke_agent");
    expect(rows).toEqual([
      { id: root?.id, feature: "invoke_agent", error_type: null, thread_root_id: null },
      { id: expect.any(String), feature: "chat", error_type: null, thread_root_id: root?.id },
      { id: expect.any(String), feature: "chat", error_type: "rate_limited", thread_root_id: root?.id },
    ]);
  });

  it("is shown whole in docs/otlp.md", () => {
    expect(read("docs/otlp.md")).toContain(read("examples/export-genai-spans.ts").trim());
  });
});

describe("examples/", () => {
  const files = readdirSync(new URL("../examples/", import.meta.url));
  const thisFile = read("test/examples.test.ts");

  it.each(files)("%s is run by a test in this file", (file) => {
    expect(thisFile).toContain(`"examples/${file}"`);
  });
});

describe("the SQL the docs show", () => {
  const pages = ["README.md", ...readdirSync(new URL("../docs/", import.meta.url)).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];
  const blocks = pages.flatMap((page) => [...read(page).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => ({ page, sql: m[1]! })));

  it("has examples to run", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks)("$page: runs against a migrated database", async ({ sql }) => {
    await expect(env.db.sql.unsafe(sql)).resolves.toBeDefined();
  });
});
