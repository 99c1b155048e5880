import { randomUUID } from "node:crypto";
import { type CallScope, type PartialScope, resolveScope } from "./call-scope.js";
import type { CallUsage, UsageExtractor } from "./call-usage.js";
import { readProviderUsage } from "./read-provider-usage.js";
import type { ScopeContext } from "./scope-context.js";
import type { TrackedCall } from "./tracked-call.js";

/**
 * Wraps one LLM call: runs `fn`, records the attempt, and returns or throws exactly what `fn` did.
 * Throws a TypeError at once, without calling `fn`, when the scope (`scope` over the context's)
 * lacks a required field.
 */
export type Track = <T>(scope: PartialScope | undefined, fn: () => T | PromiseLike<T>) => Promise<Awaited<T>>;

export interface TrackDependencies {
  context: ScopeContext;
  /** Takes the finished call; must be cheap and must not throw (the send buffer's `add`). */
  enqueue: (call: TrackedCall) => void;
  /** The recorder-wide usage extractor; a scope's own wins. */
  usage: UsageExtractor | undefined;
}

/**
 * Creates `track`. On the caller's path it only reads two clocks, makes a UUID, reads usage off
 * the result and enqueues a plain object: no I/O, no serialising, and nothing that can throw into
 * the call. The error object is kept as thrown; reading its facts happens in the background.
 */
export function createTrack(dependencies: TrackDependencies): Track {
  const { context, enqueue } = dependencies;

  function record(scope: CallScope, startedAtMs: number, durationMs: number, usage: CallUsage | undefined, failed: boolean, error: unknown) {
    try {
      enqueue({ id: randomUUID(), scope, startedAtMs, durationMs, usage, failed, error });
    } catch {
      // Recording must never break the call it records.
    }
  }

  function readUsage(scope: CallScope, result: unknown): CallUsage | undefined {
    try {
      const builtIn = readProviderUsage(result);
      const custom = (scope.usage ?? dependencies.usage)?.(result);
      if (custom === undefined || custom === null) return builtIn;
      // The extractor's fields win; those it leaves out keep the provider's reading.
      const merged: CallUsage = { ...builtIn };
      for (const key of Object.keys(custom) as (keyof CallUsage)[]) {
        if (custom[key] !== undefined) (merged as Record<string, unknown>)[key] = custom[key];
      }
      return merged;
    } catch {
      return undefined; // a usage extractor that throws costs the usage, not the call
    }
  }

  async function run<T>(scope: CallScope, fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    const startedAtMs = Date.now();
    const start = performance.now();
    let result: Awaited<T>;
    try {
      result = await fn();
    } catch (error) {
      record(scope, startedAtMs, performance.now() - start, undefined, true, error);
      throw error; // the very same object: callers branch on its class and fields
    }
    const durationMs = performance.now() - start;
    record(scope, startedAtMs, durationMs, readUsage(scope, result), false, undefined);
    return result;
  }

  return function track<T>(scope: PartialScope | undefined, fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    const resolved = resolveScope(context.current(), scope);
    if (typeof fn !== "function") {
      throw new TypeError("bridgelog track(scope, fn): fn must be a function that makes the LLM call");
    }
    return run(resolved, fn);
  };
}
