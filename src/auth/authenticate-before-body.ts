import { createContextKey, createContextValues, type ContextValues } from "@connectrpc/connect";
import type * as http from "node:http";
import type * as http2 from "node:http2";
import type { DualHandler } from "../server/one-port-server.js";
import type { Authenticator, Principal } from "./authenticator.js";
import type { ServiceAccess } from "./require-token.js";

/**
 * The principal the request's headers proved before its body was read, for `requireToken`, which
 * still checks the scope and so never reads the token twice.
 */
export const headerPrincipalKey = createContextKey<Principal | undefined>(undefined, { description: "bridgelog principal from headers" });

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;

export interface AuthenticateBeforeBodyOptions {
  authenticator: Authenticator;
  access: ServiceAccess;
  /**
   * Builds the RPC handler for one body limit; `contextValues` is handed to connectNodeAdapter.
   * Called twice: for authenticated callers, and (with the small limit) for everyone else.
   */
  createHandler: (readMaxBytes: number, contextValues: (request: NodeRequest) => ContextValues) => DualHandler;
  maxRequestBytes: number;
  unauthenticatedMaxRequestBytes: number;
}

/**
 * Checks the token in a request's headers before a byte of its body is read. Connect runs
 * interceptors only after it has read and parsed a unary request, so a 4 MiB JSON body of 387,000
 * keys cost 0.75 s of event loop before its 401. Here a request to a service that needs a token,
 * without a valid one, goes to a handler that reads at most `unauthenticatedMaxRequestBytes`
 * (larger: RESOURCE_EXHAUSTED, unread); `requireToken` then answers UNAUTHENTICATED in the
 * caller's protocol. Open services (health) and plain HTTP get the small limit too: they need no
 * large body. Only a caller with a valid token gets `maxRequestBytes`.
 */
export function authenticateBeforeBody(options: AuthenticateBeforeBodyOptions): DualHandler {
  const { authenticator, access } = options;
  const principals = new WeakMap<NodeRequest, Principal>();
  const contextValues = (request: NodeRequest) => {
    const values = createContextValues();
    const principal = principals.get(request);
    if (principal !== undefined) values.set(headerPrincipalKey, principal);
    return values;
  };
  const authenticated = options.createHandler(options.maxRequestBytes, contextValues);
  const unauthenticated = options.createHandler(options.unauthenticatedMaxRequestBytes, contextValues);
  return (request, response) => {
    const service = serviceOf(request.url);
    const required = service === undefined ? undefined : access[service];
    const authorization = request.headers.authorization;
    if (required === undefined || required === "open" || typeof authorization !== "string") {
      unauthenticated(request, response);
      return;
    }
    // The body waits in the socket (flow control holds the rest back) while the token is looked up.
    authenticator.authenticate(authorization).then(
      (principal) => {
        principals.set(request, principal);
        authenticated(request, response);
      },
      () => unauthenticated(request, response),
    );
  };
}

/** The service an RPC's path (/package.Service/Method) names; undefined for plain HTTP. */
export function serviceOf(path: string | undefined): string | undefined {
  return /^\/([^/?]+)\/[^/?]+/.exec(path ?? "")?.[1];
}
