import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";
import { createHealthService } from "../../src/health/health-service.js";

/** A probe whose answers the test gives by hand, counting how often it was asked. */
function manualProbe() {
  const pending: ((serving: boolean) => void)[] = [];
  return {
    probe: () => new Promise<boolean>((resolve) => pending.push(resolve)),
    pending,
    answer(serving: boolean) {
      for (const resolve of pending.splice(0)) resolve(serving);
    },
  };
}

function healthClient(options: Parameters<typeof createHealthService>[0]) {
  return createClient(Health, createRouterTransport((router) => router.service(Health, createHealthService(options))));
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (error: unknown) => Code[ConnectError.from(error).code]);
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("grpc.health.v1.Health", () => {
  it("when asked about a service it does not serve, then Check and Watch answer NOT_FOUND", async () => {
    const client = healthClient({ probe: async () => true, services: ["bridgelog.v1.RecorderService"], maxWatchers: 10 });
    expect(await codeOf(client.check({ service: "no.such.Service" }))).toBe("NotFound");
    const watch = async () => {
      for await (const _ of client.watch({ service: "no.such.Service" })) return;
    };
    expect(await codeOf(watch())).toBe("NotFound");
    expect((await client.check({ service: "bridgelog.v1.RecorderService" })).status).toBe(Status.SERVING);
    expect((await client.check({})).status).toBe(Status.SERVING);
  });

  it("when many clients watch, then they share one probe, and each hears every change", async () => {
    const manual = manualProbe();
    const client = healthClient({ probe: manual.probe, services: [], maxWatchers: 100, watchIntervalMs: 1 });
    const abort = new AbortController();
    const heard: Status[][] = Array.from({ length: 20 }, () => []);
    const watching = heard.map(async (statuses) => {
      try {
        for await (const response of client.watch({}, { signal: abort.signal })) statuses.push(response.status);
      } catch {
        // aborted at the end
      }
    });
    await tick();
    expect(manual.pending).toHaveLength(1);
    manual.answer(true);
    await tick();
    expect(manual.pending).toHaveLength(1);
    manual.answer(false);
    await tick();
    expect(heard.every((statuses) => statuses.join() === [Status.SERVING, Status.NOT_SERVING].join())).toBe(true);
    abort.abort();
    manual.answer(false);
    await Promise.all(watching);
  });

  it("when the watcher cap is reached, then the next Watch is RESOURCE_EXHAUSTED, and a freed place is reusable", async () => {
    const client = healthClient({ probe: async () => true, services: [], maxWatchers: 2, watchIntervalMs: 1 });
    const open = async (signal: AbortSignal) => {
      for await (const _ of client.watch({}, { signal })) return "OK";
      return "ended";
    };
    const holders = [new AbortController(), new AbortController()];
    const held = holders.map(async (holder) => {
      try {
        for await (const _ of client.watch({}, { signal: holder.signal })) {
          // hold the stream open until aborted
        }
      } catch {
        // aborted
      }
    });
    await tick();
    expect(await codeOf(open(new AbortController().signal))).toBe("ResourceExhausted");
    holders[0]!.abort();
    await held[0];
    await tick();
    expect(await codeOf(open(new AbortController().signal))).toBe("OK");
    holders[1]!.abort();
    await held[1];
  });
});
