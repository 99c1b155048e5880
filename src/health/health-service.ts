import type { ServiceImpl } from "@connectrpc/connect";
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

/**
 * The standard `grpc.health.v1.Health` service, so load balancers and Kubernetes probes work
 * without knowing bridgelog. The empty service name means the whole server; a service with a
 * probe of its own in `services` (QueryService, which may read a replica) answers with that one,
 * so a replica that is down shows without taking the recorder out of rotation. Any other name
 * answers for the whole server.
 */
export function createHealthService(probe: HealthProbe, services: Record<string, HealthProbe> = {}): ServiceImpl<typeof Health> {
  const status = async (service: string) => ((await (services[service] ?? probe)()) ? Status.SERVING : Status.NOT_SERVING);
  return {
    async check(request) {
      return { status: await status(request.service) };
    },
    async *watch(request, context) {
      // Report now, then on every change, until the client goes away.
      let last: Status | undefined;
      while (!context.signal.aborted) {
        const now = await status(request.service);
        if (now !== last) yield { status: now };
        last = now;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    },
  };
}
