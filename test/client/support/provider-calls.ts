import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, expect } from "vitest";
import { type FakeProvider, type Provider, type Scenario, startFakeProvider } from "./fake-provider.js";

export interface ProviderClients {
  openai: OpenAI;
  anthropic: Anthropic;
}

/** The official SDK clients, pointed at the fake provider, with their own retries off. */
export function providerClients(fakeUrl: string, timeoutMs?: number): ProviderClients {
  return {
    openai: new OpenAI({ apiKey: "sk-test-not-a-real-key", baseURL: `${fakeUrl}/v1`, maxRetries: 0, timeout: timeoutMs }),
    anthropic: new Anthropic({ apiKey: "sk-ant-test-not-a-real-key", baseURL: fakeUrl, maxRetries: 0, timeout: timeoutMs }),
  };
}

/**
 * Registers hooks that start a fake provider for the calling test file, with SDK clients pointed
 * at it, and close it afterwards. Read the fields inside tests and hooks.
 */
export function useFakeProvider(): { fake: FakeProvider; clients: ProviderClients } {
  const provider = {} as { fake: FakeProvider; clients: ProviderClients };
  beforeAll(async () => {
    provider.fake = await startFakeProvider();
    provider.clients = providerClients(provider.fake.url);
  });
  afterAll(() => provider.fake?.close());
  return provider;
}

export const MODELS: Record<Provider, string> = { openai: "gpt-4o", anthropic: "claude-sonnet-4-20250514" };

/** One real SDK call; `call` makes the fake's answer deterministic. */
export function callProvider(
  clients: ProviderClients,
  provider: Provider,
  scenario: Scenario,
  call: number,
  signal?: AbortSignal,
): Promise<unknown> {
  const options = { headers: { "x-scenario": scenario, "x-call": String(call) }, signal };
  const messages = [{ role: "user" as const, content: `call ${call}` }];
  return provider === "openai"
    ? clients.openai.chat.completions.create({ model: MODELS.openai, messages }, options)
    : clients.anthropic.messages.create({ model: MODELS.anthropic, max_tokens: 64, messages }, options);
}

export interface PlannedCall {
  call: number;
  provider: Provider;
  scenario: Scenario;
}

const FAILING: Record<Provider, Scenario[]> = {
  openai: ["quota", "invalid_key", "rate_limited", "server_error", "drop"],
  anthropic: ["credit", "overloaded", "invalid_key", "drop"],
};

/** `count` calls alternating between the providers; every fifth fails, cycling through each provider's failures. */
export function planCalls(count: number, first = 0): PlannedCall[] {
  return Array.from({ length: count }, (_, k) => {
    const call = first + k;
    const provider: Provider = call % 2 === 0 ? "openai" : "anthropic";
    const failures = FAILING[provider];
    const scenario = call % 5 === 4 ? failures[Math.floor(call / 10) % failures.length]! : "ok";
    return { call, provider, scenario };
  });
}

export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export async function settle(promise: Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The same call made with and without tracking ended the same way: same value, or same kind of error with the same facts. */
export function expectSameOutcome(tracked: Settled, untracked: Settled): void {
  expect(tracked.ok).toBe(untracked.ok);
  if (tracked.ok && untracked.ok) {
    expect(tracked.value).toEqual(untracked.value);
    return;
  }
  if (!tracked.ok && !untracked.ok) {
    const a = tracked.error as Record<string, unknown>;
    const b = untracked.error as Record<string, unknown>;
    expect(a.constructor).toBe(b.constructor);
    expect(a.message).toBe(b.message);
    expect(a.status).toBe(b.status);
    expect(a.error).toEqual(b.error);
  }
}
