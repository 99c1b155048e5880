import type { UsageExtractor } from "./call-usage.js";

/** Whose API key paid for a call: the platform's own, or the user's ("bring your own key"). */
export type KeySource = "platform" | "byok";

/**
 * Who makes an LLM call, for whom, and to what. Every recorded attempt carries one, so that an
 * operator can answer "which tenant's BYOK key is failing for which model" from bridgelog alone.
 */
export interface CallScope {
  /** The tenant (organisation, workspace) the call is made for. */
  tenantId: string;
  /** The user (or job) that caused the call. */
  initiatorId: string;
  /** The product feature that made the call, e.g. "chat" or "summarize". */
  feature: string;
  /** The provider, e.g. "openai" or "anthropic". */
  provider: string;
  /** The model as the bridge asked for it, e.g. "gpt-4o". */
  model: string;
  keySource: KeySource;
  /** The bridge's client or user agent, e.g. "my-bridge/1.4". */
  client?: string;
  /** The first interception of the conversation or agent run (a UUID). */
  threadRootId?: string;
  /** The interception that directly led to this one (a UUID). */
  threadParentId?: string;
  /** Whether the response is streamed. */
  streaming?: boolean;
  /** Free-form labels; merged with the context's, these keys winning. */
  metadata?: Readonly<Record<string, string>>;
  /** Reads token usage and cost from the call's result; overrides the recorder's `usage` option. */
  usage?: UsageExtractor;
}

/** Part of a scope: what `withScope` sets around a request, or what `track` adds to it. */
export type PartialScope = Partial<CallScope>;

const REQUIRED = ["tenantId", "initiatorId", "feature", "provider", "model", "keySource"] as const;

/**
 * Combines the context's scope with a more specific one: fields the specific scope defines win,
 * `undefined` ones do not erase the context's, and metadata maps merge key by key.
 */
export function mergeScopes(outer: PartialScope | undefined, inner: PartialScope | undefined): PartialScope {
  // `== null`: plain JavaScript callers may pass null for "no scope".
  if (inner == null) return outer ?? {};
  if (outer === undefined) return inner;
  const merged: Record<string, unknown> = { ...outer };
  for (const key of Object.keys(inner) as (keyof PartialScope)[]) {
    if (inner[key] !== undefined) merged[key] = inner[key];
  }
  if (outer.metadata !== undefined && inner.metadata !== undefined) {
    merged.metadata = { ...outer.metadata, ...inner.metadata };
  }
  return merged as PartialScope;
}

/**
 * The complete scope of one call, or a TypeError naming every missing or malformed field. A call
 * without a scope is a bug in the bridge, so it fails at once, where the developer will see it,
 * instead of producing records nobody can attribute.
 */
export function resolveScope(context: PartialScope | undefined, explicit: PartialScope | undefined): CallScope {
  const scope = mergeScopes(context, explicit);
  let missing: string[] | undefined;
  for (const field of REQUIRED) {
    const value = scope[field];
    if (typeof value !== "string" || value.trim() === "") (missing ??= []).push(field);
  }
  const keySource = scope.keySource;
  const badKeySource = keySource !== undefined && keySource !== "platform" && keySource !== "byok" && missing?.includes("keySource") !== true;
  if (missing !== undefined || badKeySource) {
    const problems: string[] = [];
    if (missing !== undefined) problems.push(`the call's scope is missing ${missing.join(", ")}`);
    if (badKeySource) problems.push(`keySource must be "platform" or "byok", got ${JSON.stringify(keySource)}`);
    throw new TypeError(
      `bridgelog track(): ${problems.join("; ")}. Pass them in track(scope, fn) or around the call with recorder.withScope(scope, fn).`,
    );
  }
  return scope as CallScope;
}
