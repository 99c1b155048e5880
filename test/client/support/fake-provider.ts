import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the fake provider does with a request, chosen by its `x-scenario` header:
 * - "ok": a 200 with a real-shaped body and usage;
 * - a failure: the status, body and headers the real provider sends for it;
 * - "drop": the connection is destroyed without an answer;
 * - "hang": no answer until the client gives up.
 */
export type Scenario = "ok" | "quota" | "rate_limited" | "invalid_key" | "server_error" | "credit" | "overloaded" | "drop" | "hang";

export type Provider = "openai" | "anthropic";

interface Failure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

// Real error bodies, as each provider sends them. The headers include some an SDK must not store
// (cookies, organisation ids) beside the request id it should keep.
const FAILURES: Record<Provider, Partial<Record<Scenario, Failure>>> = {
  openai: {
    quota: {
      status: 429,
      body: {
        error: {
          message: "You exceeded your current quota, please check your plan and billing details.",
          type: "insufficient_quota",
          param: null,
          code: "insufficient_quota",
        },
      },
    },
    rate_limited: {
      status: 429,
      headers: { "retry-after": "3" },
      body: {
        error: {
          message:
            "Rate limit reached for gpt-4o in organization org-VDAWofJASuLH0vVz8o9tiQZr on tokens per min (TPM): Limit 30000, Used 29943, Requested 1200. Please try again in 2.286s. Visit https://platform.openai.com/account/rate-limits to learn more.",
          type: "tokens",
          param: null,
          code: "rate_limit_exceeded",
        },
      },
    },
    invalid_key: {
      status: 401,
      body: {
        error: {
          message:
            "Incorrect API key provided: sk-proj-******************************************SJh4. You can find your API key at https://platform.openai.com/account/api-keys.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      },
    },
    server_error: {
      status: 500,
      body: {
        error: {
          message: "The server had an error while processing your request. Sorry about that!",
          type: "server_error",
          param: null,
          code: null,
        },
      },
    },
  },
  anthropic: {
    credit: {
      status: 400,
      body: {
        type: "error",
        error: {
          type: "invalid_request_error",
          message: "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
        },
      },
    },
    overloaded: {
      status: 529,
      headers: { "x-should-retry": "true" },
      body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
    },
    invalid_key: {
      status: 401,
      body: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } },
    },
  },
};

export interface FakeProvider {
  /** e.g. http://127.0.0.1:40123; OpenAI's API is under /v1/chat/completions, Anthropic's at /v1/messages. */
  url: string;
  close(): Promise<void>;
}

/**
 * A stand-in for the OpenAI and Anthropic APIs on loopback, port 0, so the official SDKs run
 * their real HTTP and error paths. Answers are deterministic for a given `x-call` number, so the
 * same call made twice gets the same answer.
 */
export async function startFakeProvider(): Promise<FakeProvider> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => answer(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(request: IncomingMessage, response: ServerResponse): void {
  const provider: Provider | undefined =
    request.url === "/v1/chat/completions" ? "openai" : request.url === "/v1/messages" ? "anthropic" : undefined;
  if (request.method !== "POST" || provider === undefined) {
    response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
    return;
  }
  const scenario = String(request.headers["x-scenario"] ?? "ok") as Scenario;
  const call = Number(request.headers["x-call"] ?? 0);
  if (scenario === "drop") {
    request.socket.destroy();
    return;
  }
  if (scenario === "hang") return; // the client's timeout or abort ends it
  if (scenario === "ok") {
    json(response, 200, provider === "openai" ? openAiCompletion(call) : anthropicMessage(call), {});
    return;
  }
  const failure = FAILURES[provider][scenario];
  if (failure === undefined) {
    json(response, 500, { error: { message: `the fake ${provider} has no scenario ${scenario}` } }, {});
    return;
  }
  const identity: Record<string, string> =
    provider === "openai"
      ? { "x-request-id": `req_${call}`, "openai-organization": "org-secret-name", "set-cookie": "__cf_bm=secret-cookie; path=/" }
      : { "request-id": `req_${call}`, "anthropic-organization-id": "secret-org-id", "set-cookie": "_cfuvid=secret-cookie; path=/" };
  json(response, failure.status, failure.body, { ...identity, ...failure.headers });
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function openAiCompletion(call: number) {
  const prompt = 20 + (call % 97);
  const completion = 5 + (call % 13);
  return {
    id: `chatcmpl-${call}`,
    object: "chat.completion",
    created: 1_764_000_000,
    model: "gpt-4o-2024-08-06",
    choices: [{ index: 0, message: { role: "assistant", content: `answer ${call}`, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: call % 16, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    system_fingerprint: "fp_fake",
  };
}

function anthropicMessage(call: number) {
  return {
    id: `msg_${call}`,
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-20250514",
    content: [{ type: "text", text: `answer ${call}` }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: 30 + (call % 89),
      output_tokens: 7 + (call % 11),
      cache_creation_input_tokens: call % 3 === 0 ? 1024 : 0,
      cache_read_input_tokens: call % 3 === 1 ? 2048 : 0,
    },
  };
}
