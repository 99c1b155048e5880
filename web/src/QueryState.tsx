import type { ConnectError } from "@connectrpc/connect";
import { type ReactNode, useEffect, useState } from "react";
import { describeError, SLOW_MS } from "./api.js";
import { useScope } from "./console-context.js";

/** True once `busy` has lasted SLOW_MS. */
export function useSlow(busy: boolean): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!busy) {
      setSlow(false);
      return;
    }
    const timer = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(timer);
  }, [busy]);
  return slow;
}

interface QueryLike {
  isPending: boolean;
  isFetching: boolean;
  error: ConnectError | null;
}

/**
 * A panel's data, or what stands in its place: loading, the server being slow, or what went wrong,
 * said where the data would be. Data already shown stays while a refresh is under way.
 */
export function QueryState({ query, what, children }: { query: QueryLike; what: string; children: () => ReactNode }) {
  const slow = useSlow(query.isFetching);
  const { signOut } = useScope();
  if (query.error !== null) {
    const problem = describeError(query.error);
    return (
      <div className="problem" role="alert">
        <p>
          Could not load {what}. {problem.message}
        </p>
        {problem.signIn && (
          <button type="button" onClick={signOut}>
            Sign in with another token
          </button>
        )}
      </div>
    );
  }
  if (query.isPending) {
    return (
      <p className="loading" role="status">
        {slow ? `The server is slow to answer (${what})…` : `Loading ${what}…`}
      </p>
    );
  }
  return (
    <>
      {slow && (
        <p className="loading" role="status">
          The server is slow to answer (refreshing {what})…
        </p>
      )}
      {children()}
    </>
  );
}
