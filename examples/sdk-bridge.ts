// A bridge that records every LLM call with the TypeScript SDK, `@bridgelog/client`.
// Run: BRIDGELOG_TOKEN=blg_... OPENAI_API_KEY=sk-... npx tsx examples/sdk-bridge.ts
// (the openai package reads OPENAI_BASE_URL too, which is how the tests point it at a fake OpenAI).
import { createRecorder, readProviderUsage } from "@bridgelog/client";
import OpenAI from "openai";

const recorder = createRecorder({
  baseUrl: process.env.BRIDGELOG_URL ?? "http://127.0.0.1:8080",
  token: process.env.BRIDGELOG_TOKEN ?? "", // a token with the `record` scope
  // Optional: price the tokens (micro-dollars); the tokens themselves are read for you.
  usage: (result) => {
    const u = readProviderUsage(result);
    return { costMicros: (u?.inputTokens ?? 0) * 2.5 + (u?.outputTokens ?? 0) * 10 };
  },
  log: (entry) => console.error(`bridgelog ${entry.level}: ${entry.message}`),
});
const openai = new OpenAI();

interface ChatRequest {
  tenant: string;
  user: string;
  byok: boolean;
  prompt: string;
}

// Where a request enters the bridge: withScope sets the fields every call made for it shares,
// track wraps each call and returns (or throws) exactly what the call did.
function handleChat(request: ChatRequest) {
  return recorder.withScope({ tenantId: request.tenant, initiatorId: request.user, keySource: request.byok ? "byok" : "platform" }, () =>
    recorder.track({ feature: "chat", provider: "openai", model: "gpt-4o" }, () =>
      openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: request.prompt }] }),
    ),
  );
}

const completion = await handleChat({ tenant: "acme", user: "user-42", byok: false, prompt: "Say hello." });
console.log(completion.choices[0]?.message.content);

// On shutdown (SIGTERM in a real bridge): deliver what is buffered, for at most closeTimeoutMs.
await recorder.close();
console.log(recorder.counters()); // { sent: 1, dropped: 0, rejected: 0, retried: 0, pending: 0 }
