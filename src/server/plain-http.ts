import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import * as http2 from "node:http2";
import type { Registry } from "prom-client";
import type { HealthProbe } from "../health/health-service.js";
import type { Dashboard } from "./static-files.js";

type Fallback = NonNullable<ConnectNodeAdapterOptions["fallback"]>;

export interface PlainHttpOptions {
  probe: HealthProbe;
  dashboard: Dashboard;
  /** Unset: /metrics is served on a listener of its own (BRIDGELOG_METRICS_LISTEN), not here. */
  metrics: Registry | undefined;
}

/**
 * Plain HTTP beside the RPCs, for what does not speak gRPC: `GET /healthz` for probes,
 * `GET /metrics` for Prometheus, and the dashboard at `/`. Everything else is a 404.
 */
export function createPlainHttp(options: PlainHttpOptions): Fallback {
  const { probe, dashboard, metrics } = options;
  const serve: (...args: Parameters<Fallback>) => Promise<void> = async (request, response) => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    const reading = request.method === "GET" || request.method === "HEAD";
    const send = (status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      response.statusCode = status;
      response.setHeader("content-type", contentType);
      for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
      response.end(request.method === "HEAD" ? "" : body);
      // A response complete before its request (a POST to /healthz that never ends its body)
      // would leave the HTTP/2 stream half-open for as long as the client likes, and its
      // connection never idle: end it as RFC 9113 section 8.1 allows. (Connect does the same for
      // RPCs, after their trailers.)
      if (response instanceof http2.Http2ServerResponse) {
        const stream = response.stream;
        response.once("finish", () => {
          if (!stream.closed) stream.close(http2.constants.NGHTTP2_NO_ERROR);
        });
      }
    };
    if (path === "/healthz" && reading) {
      const serving = await probe();
      send(serving ? 200 : 503, "application/json", JSON.stringify({ status: serving ? "SERVING" : "NOT_SERVING" }));
      return;
    }
    if (path === "/metrics" && reading && metrics !== undefined) {
      // Open like /healthz, for scrapers: no label carries a tenant, token or message.
      send(200, metrics.contentType, await metrics.metrics());
      return;
    }
    const notFound = () => send(404, "text/plain", "not found\n", { "x-content-type-options": "nosniff" });
    if (reading) dashboard(request, response as Parameters<Dashboard>[1], notFound);
    else notFound();
  };
  return (request, response) =>
    void serve(request, response).catch(() => {
      // Nothing here is expected to throw; if it does, the client still gets an answer.
      if (!response.headersSent) response.statusCode = 500;
      response.end();
    });
}
