import { spawn } from "node:child_process";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ClassifierService } from "../gen/bridgelog/v1/classifier_service_pb.js";
import { ErrorType } from "../gen/bridgelog/v1/interception_pb.js";
import { bridgelogCommand } from "./support/cli.js";
import { transport, type TransportName } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer();

// OpenAI's 429 for an account out of credit (platform.openai.com/docs/guides/error-codes).
const OPENAI_QUOTA = JSON.stringify({
  error: {
    message: "You exceeded your current quota, please check your plan and billing details.",
    type: "insufficient_quota",
    param: null,
    code: "insufficient_quota",
  },
});

describe("ClassifierService/ClassifyError", () => {
  it.each<TransportName>(["grpc", "connect-json"])("when a bridge asks over %s, then it gets the type, code and retryability", async (name) => {
    const client = createClient(ClassifierService, transport(name, env.server.url, env.server.token));
    const quota = await client.classifyError({ provider: "openai", upstream: { httpStatus: 429, body: OPENAI_QUOTA } });
    expect(quota).toMatchObject({ errorType: ErrorType.QUOTA_EXHAUSTED, providerCode: "insufficient_quota", retryable: false });
    const reset = await client.classifyError({ errorMessage: "socket hang up" });
    expect(reset).toMatchObject({ errorType: ErrorType.NETWORK_ERROR, retryable: true });
    expect(reset.retryAfterMs).toBeUndefined();
    const busy = await client.classifyError({ provider: "anthropic", upstream: { httpStatus: 529, responseHeaders: { "retry-after": "4" } } });
    expect(busy).toMatchObject({ errorType: ErrorType.OVERLOADED, retryable: true, retryAfterMs: 4000n });
  });

  it("when nothing is known about the failure, then it is unknown, not an error", async () => {
    const client = createClient(ClassifierService, transport("grpc", env.server.url, env.server.token));
    expect(await client.classifyError({ upstream: { body: "¯\\_(ツ)_/¯" } })).toMatchObject({
      errorType: ErrorType.UNKNOWN,
      providerCode: "",
      retryable: false,
    });
  });

  it("when the request carries nothing to classify or a bad status, then it names the problem", async () => {
    const client = createClient(ClassifierService, transport("grpc", env.server.url, env.server.token));
    const empty = await client.classifyError({}).then(() => undefined, ConnectError.from);
    expect(empty?.code).toBe(Code.InvalidArgument);
    const status = await client.classifyError({ upstream: { httpStatus: 1234 } }).then(() => undefined, ConnectError.from);
    expect(status?.code).toBe(Code.InvalidArgument);
    expect(status?.rawMessage).toContain("upstream.http_status");
  });
});

describe("bridgelog classify", () => {
  async function classify(input: string): Promise<{ lines: unknown[]; code: number | null }> {
    const child = spawn(...bridgelogCommand("classify"), {
      stdio: ["pipe", "pipe", "inherit"],
    });
    child.stdin.end(input);
    let out = "";
    for await (const chunk of child.stdout) out += String(chunk);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    return { lines: out.trim().split("\n").map((line) => JSON.parse(line)), code };
  }

  it("when failures arrive as JSON lines, then each gets one JSON line in the same order", async () => {
    const input = [
      JSON.stringify({ provider: "openai", http_status: 429, body: OPENAI_QUOTA }),
      JSON.stringify({ code: "ECONNREFUSED" }),
      JSON.stringify({ provider: "anthropic", http_status: 529 }),
      "",
      JSON.stringify({}),
    ].join("\n");
    expect(await classify(input)).toEqual({
      code: 0,
      lines: [
        { error_type: "quota_exhausted", provider_code: "insufficient_quota", retryable: false, retry_after_ms: null },
        { error_type: "network_error", provider_code: "ECONNREFUSED", retryable: true, retry_after_ms: null },
        { error_type: "overloaded", provider_code: null, retryable: true, retry_after_ms: null },
        { error_type: "unknown", provider_code: null, retryable: false, retry_after_ms: null },
      ],
    });
  });

  it("when a line is not a failure object, then that line gets an error and the command exits 1", async () => {
    const input = ["not json", "[1,2]", JSON.stringify({ http_status: "429" }), JSON.stringify({ http_status: 502 })].join("\n");
    expect(await classify(input)).toEqual({
      code: 1,
      lines: [
        { error: "line 1: not valid JSON" },
        { error: "line 2: not a JSON object" },
        { error: "line 3: http_status must be a whole number from 0 to 999" },
        { error_type: "server_error", provider_code: null, retryable: true, retry_after_ms: null },
      ],
    });
  });

  it("when a failure states how long to wait, in a header or in words, then the line carries retry_after_ms", async () => {
    const input = [
      JSON.stringify({ provider: "anthropic", http_status: 529, response_headers: { "Retry-After": "30" } }),
      JSON.stringify({ provider: "groq", http_status: 429, message: "Rate limit reached on tokens per minute (TPM). Please try again in 1.5s." }),
      JSON.stringify({ http_status: 429, response_headers: ["retry-after", "3"] }),
      JSON.stringify({ http_status: 429, response_headers: { "retry-after": 3 } }),
    ].join("\n");
    expect(await classify(input)).toEqual({
      code: 1,
      lines: [
        { error_type: "overloaded", provider_code: null, retryable: true, retry_after_ms: 30000 },
        { error_type: "rate_limited", provider_code: null, retryable: true, retry_after_ms: 1500 },
        { error: "line 3: response_headers must be an object of strings" },
        { error: "line 4: response_headers.retry-after must be a string" },
      ],
    });
  });
});
