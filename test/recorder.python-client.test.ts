import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { useTestServer } from "./support/server.js";

const run = promisify(execFile);
const ROOT = new URL("..", import.meta.url).pathname;

const env = useTestServer();
let stubs: string;
beforeAll(async () => {
  // Stubs generated from the contract the way any Python bridge would, with Debian's protoc and
  // grpc plugin (see docs/recording.md).
  stubs = await mkdtemp(join(tmpdir(), "bridgelog-python-"));
  await run("protoc", [
    "-Iproto",
    `--python_out=${stubs}`,
    `--grpc_out=${stubs}`,
    "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin",
    "proto/bridgelog/v1/interception.proto",
    "proto/bridgelog/v1/recorder_service.proto",
    "proto/google/rpc/error_details.proto",
  ], { cwd: ROOT });
});
afterAll(async () => {
  if (stubs) await rm(stubs, { recursive: true, force: true });
});

it("when a Python bridge records through stubs generated from proto/, then the row reads back normalised", async () => {
  const id = randomUUID();
  // Debian's python3 sees python3-grpcio; a python3 earlier on PATH may not.
  const { stdout } = await run("/usr/bin/python3", [join(ROOT, "test/python/record_interception.py"), new URL(env.server.url).host, id, env.server.token], {
    env: { ...process.env, PYTHONPATH: stubs },
  });
  expect(JSON.parse(stdout)).toEqual({ id, created: true, outcome: "OUTCOME_FAILED", error_type: "ERROR_TYPE_QUOTA_EXHAUSTED" });
  const [row] = await env.db.sql`
    select tenant_id, provider, key_source, started_at, input_tokens, metadata, error_type, error_message
    from interceptions where id = ${id}`;
  expect(row).toEqual({
    tenant_id: "tenant-python",
    provider: "anthropic",
    key_source: "byok",
    started_at: new Date("2026-11-22T04:00:00.250Z"),
    input_tokens: "1200",
    metadata: { lang: "python", emoji: "🐍" },
    error_type: "quota_exhausted",
    error_message: "Your credit balance is too low to access the Anthropic API. ✗",
  });
});
