import { AsyncLocalStorage } from "node:async_hooks";
import { mergeScopes, type PartialScope } from "./call-scope.js";

/** The scope fields in effect for the current async context (a request being served, say). */
export interface ScopeContext {
  current(): PartialScope | undefined;
  /** Runs `fn` with `scope` merged over the current one; nested calls add to the outer scope. */
  run<R>(scope: PartialScope, fn: () => R): R;
}

/**
 * Creates a scope context on AsyncLocalStorage, so request-scoped fields (tenant, initiator) set
 * once where a request enters the bridge reach every `track` below it without being passed by hand.
 * One per recorder: two recorders in a process never see each other's scopes.
 */
export function createScopeContext(): ScopeContext {
  const storage = new AsyncLocalStorage<PartialScope>();
  return {
    current: () => storage.getStore(),
    run: (scope, fn) => storage.run(mergeScopes(storage.getStore(), scope), fn),
  };
}
