import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { Sql } from "postgres";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";

/** Whether the process can do its work now (it is not shutting down and its database answers). */
export type HealthProbe = () => Promise<boolean>;

/** Healthy while `stopping()` is false and the database answers a `select 1`. */
export function createDatabaseProbe(sql: Sql, stopping: () => boolean): HealthProbe {
  return async () => {
    if (stopping()) return false;
    try {
      await sql`select 1`.execute();
      return true;
    } catch {
      return false;
    }
  };
}

export interface HealthServiceOptions {
  /** The whole server's probe, answered for the empty service name and every name in `services`. */
  probe: HealthProbe;
  /** Every service name this server answers for (the gRPC health protocol: NOT_FOUND for others). */
  services: readonly string[];
  /** Services with a probe of their own (QueryService, which may read a replica). */
  probes?: Record<string, HealthProbe>;
  /** `Watch` streams open at once, over all clients; more get RESOURCE_EXHAUSTED. */
  maxWatchers: number;
  /** How often watched services are probed; one probe per service per interval, however many watch. */
  watchIntervalMs?: number;
}

/**
 * The standard `grpc.health.v1.Health` service, so load balancers and Kubernetes probes work
 * without knowing bridgelog. The empty service name means the whole server; a service with a
 * probe of its own answers with that one, so a replica that is down shows without taking the
 * recorder out of rotation. A name the server does not serve is NOT_FOUND, as the protocol says.
 *
 * Watch needs no token, so it must not cost per watcher: every watcher of a service shares one
 * probe loop (1,000 watchers each running `select 1` every second made 330 commits/s), and the
 * number of watchers is capped.
 */
export function createHealthService(options: HealthServiceOptions): ServiceImpl<typeof Health> {
  const { probe, probes = {}, maxWatchers, watchIntervalMs = 1000 } = options;
  const known = new Set(["", ...options.services]);
  const probeOf = (service: string): HealthProbe => {
    if (!known.has(service)) throw new ConnectError(`unknown service ${JSON.stringify(service)}`, Code.NotFound);
    return probes[service] ?? probe;
  };
  const feeds = new Map<HealthProbe, StatusFeed>();
  const feedOf = (service: string) => {
    const serviceProbe = probeOf(service);
    let feed = feeds.get(serviceProbe);
    if (feed === undefined) feeds.set(serviceProbe, (feed = createStatusFeed(serviceProbe, watchIntervalMs)));
    return feed;
  };
  let watchers = 0;
  return {
    async check(request) {
      return { status: (await probeOf(request.service)()) ? Status.SERVING : Status.NOT_SERVING };
    },
    async *watch(request, context) {
      const feed = feedOf(request.service);
      if (watchers >= maxWatchers) {
        throw new ConnectError(`too many health watchers (at most ${maxWatchers}); use Check, or watch from fewer clients`, Code.ResourceExhausted);
      }
      watchers += 1;
      // Statuses not yet sent; only the newest matters, so this holds at most one.
      let pending: Status | undefined;
      let wake: (() => void) | undefined;
      const unsubscribe = feed.subscribe((status) => {
        pending = status;
        wake?.();
      });
      const aborted = () => wake?.();
      context.signal.addEventListener("abort", aborted);
      try {
        // Report now, then on every change, until the client goes away.
        let last: Status | undefined;
        while (!context.signal.aborted) {
          if (pending === undefined) await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          const now = pending;
          pending = undefined;
          if (now !== undefined && now !== last) {
            last = now;
            yield { status: now };
          }
        }
      } finally {
        context.signal.removeEventListener("abort", aborted);
        unsubscribe();
        watchers -= 1;
      }
    },
  };
}

interface StatusFeed {
  /** Calls `listener` with each probe's result (at once with the last one, if fresh); returns the unsubscribe. */
  subscribe(listener: (status: Status) => void): () => void;
}

/** One probe loop for any number of listeners, running only while someone listens. */
function createStatusFeed(probe: HealthProbe, intervalMs: number): StatusFeed {
  const listeners = new Set<(status: Status) => void>();
  let last: Status | undefined;
  let running = false;
  const loop = async () => {
    running = true;
    while (listeners.size > 0) {
      const status = (await probe()) ? Status.SERVING : Status.NOT_SERVING;
      last = status;
      for (const listener of listeners) listener(status);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    running = false;
    last = undefined; // stale by the time anyone subscribes again
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (last !== undefined) listener(last);
      if (!running) void loop();
      return () => listeners.delete(listener);
    },
  };
}
