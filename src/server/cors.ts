import { cors } from "@connectrpc/connect";
import type { DualHandler } from "./one-port-server.js";

/**
 * Lets browsers on the configured origins call the RPCs (Connect and gRPC-Web from another
 * origin than the server's). Preflights from those origins are answered here; everything else
 * passes through untouched, so other origins get no CORS headers and the browser refuses them.
 * "*" allows any origin. The dashboard served by this server needs none of it: same origin.
 */
export function withCors(handler: DualHandler, origins: readonly string[]): DualHandler {
  if (origins.length === 0) return handler;
  const anyOrigin = origins.includes("*");
  const allowedHeaders = [...cors.allowedHeaders, "Authorization"].join(", ");
  return (request, response) => {
    const origin = request.headers.origin;
    if (typeof origin === "string" && (anyOrigin || origins.includes(origin))) {
      response.setHeader("access-control-allow-origin", origin);
      response.setHeader("vary", "Origin");
      response.setHeader("access-control-expose-headers", cors.exposedHeaders.join(", "));
      if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
        response.setHeader("access-control-allow-methods", cors.allowedMethods.join(", "));
        response.setHeader("access-control-allow-headers", allowedHeaders);
        response.setHeader("access-control-max-age", "7200");
        response.statusCode = 204;
        response.end();
        return;
      }
    }
    handler(request, response);
  };
}
