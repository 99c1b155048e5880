import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { Redis } from "ioredis";
import { pino } from "pino";
import type { Sql } from "postgres";
import { afterAll, beforeAll } from "vitest";
import { DevicePlatform, DeviceService } from "../../../gen/bridgelog/v1/device_service_pb.js";
import { type Interception, KeySource } from "../../../gen/bridgelog/v1/interception_pb.js";
import { type Config, loadConfig } from "../../../src/config.js";
import { type RunningNotifier, startNotifier } from "../../../src/notifier/start-notifier.js";
import { interception, recorderClient, transport } from "../../support/clients.js";
import { bridgelogCommand } from "../../support/cli.js";
import { type TestEnvironment, type TestServer, useTestServer } from "../../support/server.js";
import { type FakeFcm, startFakeFcm } from "./fake-fcm.js";

export const REDIS_URL = "redis://127.0.0.1:6379";

/** A unique name, for tenants, users, tokens and Redis key prefixes. */
export const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

/** What a notifier test file works with: useTestServer's server and database, and more. */
export interface NotifierTestEnvironment extends TestEnvironment {
  /** The file's own Redis key prefix, so its locks never meet another file's. */
  prefix: string;
  fcm: FakeFcm;
  /** A connection to the shared Redis, for reading what the notifier left there. */
  redis: Redis;
}

/**
 * Registers hooks that give the calling test file a server and database (useTestServer), a fake
 * FCM, a Redis connection and a key prefix of its own, and afterwards closes them and deletes
 * every Redis key under the prefix. Read the fields inside tests and hooks.
 */
export function useNotifierEnvironment(): NotifierTestEnvironment {
  const environment = Object.assign(useTestServer(), { prefix: `${unique("bridgelog-test")}:` }) as NotifierTestEnvironment;
  beforeAll(async () => {
    environment.fcm = await startFakeFcm();
    environment.redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    environment.redis?.disconnect();
    await environment.fcm?.close();
    await deleteRedisKeys(REDIS_URL, environment.prefix);
  });
  return environment;
}

/** A BYOK call whose key OpenAI rejected, as a bridge reports it: raw upstream facts, classified by the recorder. */
export function rejectedKey(tenantId: string, initiatorId: string, fields: Partial<Interception> = {}): Interception {
  return interception({
    tenantId,
    initiatorId,
    provider: "openai",
    keySource: KeySource.BYOK,
    upstream: {
      httpStatus: 401,
      body: '{"error":{"message":"Incorrect API key provided: sk-abc***xyz.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    },
    ...fields,
  });
}

/** Records interceptions through the real server over gRPC. */
export async function record(server: TestServer, ...interceptions: Interception[]): Promise<void> {
  const client = recorderClient("grpc", server.url, server.token);
  await Promise.all(interceptions.map((sent) => client.recordInterception({ interception: sent })));
}

/** Registers a device through DeviceService, as an app would. */
export async function registerDevice(server: TestServer, tenantId: string, initiatorId: string, fcmToken: string): Promise<void> {
  const client = createClient(DeviceService, transport("grpc", server.url, server.token));
  await client.registerDevice({ tenantId, initiatorId, fcmToken, platform: DevicePlatform.ANDROID });
}

/** Event status per interception id, for one tenant. */
export async function eventStatuses(sql: Sql, tenantId: string): Promise<Map<string, string>> {
  const rows = await sql<{ interception_id: string; status: string }[]>`
    select interception_id, status from notification_outbox where tenant_id = ${tenantId}`;
  return new Map(rows.map((r) => [r.interception_id, r.status]));
}

/** Delivery outcomes of one tenant's events, oldest first. */
export async function deliveries(sql: Sql, tenantId: string) {
  return sql<{ interception_id: string; attempt: number; outcome: string; error: string | null; devices_reached: number; devices_removed: number; notifier: string }[]>`
    select interception_id, attempt, outcome, error, devices_reached, devices_removed, notifier
    from notification_deliveries where tenant_id = ${tenantId} order by id`;
}

/** True once every event of the tenant has a final status; and there are `count` of them. */
export async function allFinished(sql: Sql, tenantId: string, count: number): Promise<boolean> {
  const statuses = [...(await eventStatuses(sql, tenantId)).values()];
  return statuses.length === count && statuses.every((s) => s !== "pending");
}

/** Configuration for a notifier in this process: fast polling and retries, FCM on the fake. */
export function notifierConfig(databaseUrl: string, overrides: Partial<Config>): Config {
  return {
    ...loadConfig({}),
    databaseUrl,
    notifyPollMs: 50,
    notifyRetryBaseMs: 50,
    notifyRetryMaxMs: 1000,
    notifyLockWaitMaxMs: 1000,
    dedupWindowSeconds: 3600,
    ...overrides,
  };
}

/** A notifier in this process, through the same wiring as `bridgelog notify`. */
export function startTestNotifier(config: Config): Promise<RunningNotifier> {
  return startNotifier(config, pino({ level: process.env.BRIDGELOG_TEST_LOG_LEVEL ?? "silent" }));
}

/** A `bridgelog notify` child process. */
export interface NotifierProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything it logged, for failure messages. */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `bin/bridgelog.js notify` with the given environment and waits until it has started. */
export async function spawnNotifier(env: Record<string, string>): Promise<NotifierProcess> {
  const child = spawn(...bridgelogCommand("notify"), {
    env: { ...process.env, BRIDGELOG_LOG_LEVEL: "info", ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += String(chunk)));
  child.stderr.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`notifier did not start:\n${output}`)), 30_000);
    const onData = () => {
      if (output.includes('"msg":"notifier started"')) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`notifier exited before it started:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Deletes every Redis key under the prefix (a test file's own keys). */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

