import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Authenticator } from "../auth/authenticator.js";
import { principalKey } from "../auth/principal.js";

export interface StreamGuardOptions {
  authenticator: Authenticator;
  /** How often a stream's token is read again (the token cache interval). */
  recheckMs: number;
  /** The longest a stream may stay open, with a token or without (health Watch). */
  maxLifetimeMs: number;
}

/**
 * Bounds what a stream can outlive. The token is checked once when a stream opens; a revoked
 * token kept working on a stream opened before the revoke (records were stored 24 s after it).
 * Now a stream reads its token's row again when a message arrives and the last read is
 * `recheckMs` old, and ends with UNAUTHENTICATED once the token is revoked, so a revoke reaches
 * open streams within the same interval as new calls. And no stream lives longer than
 * `maxLifetimeMs`: it ends with DEADLINE_EXCEEDED (records already sent are kept; a recorder
 * sends the rest on a new stream; a health watcher watches again).
 */
export function guardStreams(options: StreamGuardOptions): Interceptor {
  const { authenticator, recheckMs, maxLifetimeMs } = options;
  return (next) => async (request) => {
    if (!request.stream) return next(request);
    const opened = Date.now();
    const lifetimeOver = () =>
      new ConnectError(`a stream may stay open at most ${maxLifetimeMs} ms; open a new one`, Code.DeadlineExceeded);
    const principal = request.contextValues.get(principalKey);
    const authorization = request.header.get("authorization");
    let checked = opened;
    // Asked per message, so it costs no promise until a re-read is due.
    const recheckDue = () => principal !== undefined && Date.now() - checked >= recheckMs;
    const recheck = async () => {
      checked = Date.now();
      const now = await authenticator.authenticate(authorization, { fresh: true });
      if (now.tokenId !== principal!.tokenId) throw new ConnectError("the token changed on an open stream", Code.Unauthenticated);
    };
    // One timer for the stream's lifetime, which fails the reads waiting when it fires (at most
    // two: requests and responses). Racing every read against one lifetime promise instead left a
    // reaction on that promise per message until the stream ended: a 10,000-record stream held
    // 10,000 of them.
    let over: ConnectError | undefined;
    const waiting = new Set<(error: ConnectError) => void>();
    const timer = setTimeout(
      () => {
        over = lifetimeOver();
        for (const fail of waiting) fail(over);
      },
      Math.max(0, maxLifetimeMs - (Date.now() - opened)),
    );
    const nextBeforeExpiry = <T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> => {
      if (over !== undefined) return Promise.reject(over);
      return new Promise((resolve, reject) => {
        waiting.add(reject);
        iterator.next().then(
          (item) => {
            waiting.delete(reject);
            resolve(item);
          },
          (error: unknown) => {
            waiting.delete(reject);
            reject(error);
          },
        );
      });
    };
    const incoming = request.message;
    async function* guardedRequests() {
      const iterator = incoming[Symbol.asyncIterator]();
      try {
        for (;;) {
          const item = await nextBeforeExpiry(iterator);
          if (item.done === true) return;
          if (recheckDue()) await recheck();
          yield item.value;
        }
      } finally {
        // Not awaited: with a next() still pending (the lifetime ran out), return() would wait for it.
        void iterator.return?.();
      }
    }
    try {
      const response = await next({ ...request, message: guardedRequests() } as typeof request);
      if (!response.stream) {
        clearTimeout(timer);
        return response;
      }
      const outgoing = response.message;
      async function* guardedResponses() {
        const iterator = outgoing[Symbol.asyncIterator]();
        try {
          for (;;) {
            const item = await nextBeforeExpiry(iterator);
            if (item.done === true) return;
            yield item.value;
          }
        } finally {
          clearTimeout(timer);
          void iterator.return?.();
        }
      }
      return { ...response, message: guardedResponses() } as typeof response;
    } catch (error) {
      clearTimeout(timer);
      throw error;
    }
  };
}
