import { createServer, type Server } from "node:http";
import { collectDefaultMetrics, Counter, Registry } from "prom-client";

/** The notifier's Prometheus metrics: outcomes of delivery attempts, dedup hits and waits for the lock. */
export interface NotifierMetrics {
  registry: Registry;
  outcomes: Counter<"outcome">;
  dedupHits: Counter;
  lockWaits: Counter;
}

export function createNotifierMetrics(): NotifierMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "bridgelog_notifier_" });
  const registers = [registry];
  return {
    registry,
    outcomes: new Counter({
      name: "bridgelog_notifier_outcomes_total",
      help: "Notification attempts by outcome: sent, suppressed, failed (will retry), dead",
      labelNames: ["outcome"],
      registers,
    }),
    dedupHits: new Counter({
      name: "bridgelog_notifier_dedup_hits_total",
      help: "Events suppressed because the user was already told within the dedup window",
      registers,
    }),
    lockWaits: new Counter({
      name: "bridgelog_notifier_lock_waits_total",
      help: "Times an event was put back to wait because the dedup lock's store (Redis) was unreachable",
      registers,
    }),
  };
}

/** A bare HTTP server for GET /metrics, since the notifier serves nothing else. */
export function serveMetrics(registry: Registry, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404).end("not found\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      () => response.writeHead(500).end("metrics unavailable\n"),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
