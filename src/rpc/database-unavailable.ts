import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { isTransientDatabaseError } from "../db/database-error.js";

/**
 * Answers Unavailable, which clients retry, when an RPC failed because the database could not be
 * reached (connection refused or lost, server starting or stopping), instead of Internal, which
 * they do not. Wraps the token check too: a token read from the database during an outage is the
 * database's failure, not the caller's. The recorder's own write path says the same for its
 * batches; this covers every other query.
 */
export function databaseUnavailable(): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      if (error instanceof ConnectError || !isTransientDatabaseError(error)) throw error;
      throw new ConnectError("the database is unavailable; retry with backoff", Code.Unavailable, undefined, undefined, error);
    }
  };
}
