import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import postgres from "postgres";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { migrate } from "../db/migrate.js";
import { connectToDatabase } from "../db/open-database.js";
import { createDeviceStore } from "../devices/device-store.js";
import { createUndoStack } from "../lifecycle/undo-stack.js";
import type { DedupLock } from "./dedup-lock.js";
import { createFcmMessaging } from "./fcm-messaging.js";
import { createFcmPushSender } from "./fcm-push-sender.js";
import { createLogPushSender } from "./log-push-sender.js";
import { createNotifier } from "./notifier.js";
import { createNotifierMetrics, serveMetrics } from "../metrics/notifier-metrics.js";
import { createPostgresDedupLock } from "./postgres-dedup-lock.js";
import { createRedisDedupLock } from "./redis-dedup-lock.js";
import type { PushSender } from "./push-sender.js";

export interface RunningNotifier {
  /** This notifier's name in claims and delivery records. */
  id: string;
  /** Finishes the batch in hand, then closes everything it opened. */
  stop(): Promise<void>;
}

/**
 * Builds and starts a notifier from the configuration: the database (DATABASE_URL, or the embedded
 * PostgreSQL, shared with a running `serve`), pending migrations, the dedup lock (Redis when
 * REDIS_URL is set, else PostgreSQL), and the sender (FCM when credentials or an FCM endpoint are
 * configured, else the log sender).
 */
export async function startNotifier(config: Config, log: Logger): Promise<RunningNotifier> {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const undo = createUndoStack();
  try {
    const database = await connectToDatabase(config, log);
    undo.push(() => database.close());
    const sql = postgres(database.url, { max: config.databasePoolSize, onnotice: () => {}, connect_timeout: 10 });
    undo.push(() => sql.end({ timeout: 1 }));
    await migrate(sql, log);

    let lock: DedupLock;
    if (config.redisUrl !== undefined) {
      const redis = connectRedis(config.redisUrl, log);
      undo.push(async () => redis.disconnect());
      lock = createRedisDedupLock({ redis, keyPrefix: config.redisKeyPrefix, windowSeconds: config.dedupWindowSeconds });
    } else {
      lock = createPostgresDedupLock({ sql, windowSeconds: config.dedupWindowSeconds });
    }

    let sender: PushSender;
    if (config.fcmEndpoint !== undefined || config.googleApplicationCredentials !== undefined) {
      const fcm = createFcmMessaging({
        appName: `bridgelog-notifier-${id}`,
        ...(config.fcmProjectId === undefined ? {} : { projectId: config.fcmProjectId }),
        ...(config.fcmEndpoint === undefined ? {} : { endpoint: config.fcmEndpoint }),
      });
      undo.push(() => fcm.close());
      sender = createFcmPushSender(fcm.messaging);
    } else {
      log.warn("GOOGLE_APPLICATION_CREDENTIALS is not set: pushes are logged, not sent");
      sender = createLogPushSender(log);
    }

    const metrics = createNotifierMetrics();
    if (config.notifyMetricsPort !== undefined) {
      const server = await serveMetrics(metrics.registry, config.notifyMetricsPort, config.host);
      undo.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    }
    const notifier = createNotifier({
      sql,
      lock,
      sender,
      devices: createDeviceStore(sql),
      log: log.child({ notifier: id }),
      id,
      batchSize: config.notifyBatchSize,
      leaseSeconds: config.notifyLeaseSeconds,
      pollMs: config.notifyPollMs,
      maxAttempts: config.notifyMaxAttempts,
      retryBaseMs: config.notifyRetryBaseMs,
      retryMaxMs: config.notifyRetryMaxMs,
      lockWaitMaxMs: config.notifyLockWaitMaxMs,
      onOutcome: (outcome) => {
        metrics.outcomes.inc({ outcome });
        if (outcome === "suppressed") metrics.dedupHits.inc();
      },
      onLockWait: () => metrics.lockWaits.inc(),
    });
    await notifier.start();
    log.info(
      { notifier: id, dedup: config.redisUrl === undefined ? "postgres" : "redis", fcmEndpoint: config.fcmEndpoint },
      "notifier started",
    );
    return {
      id,
      async stop() {
        await notifier.stop();
        await undo.run();
      },
    };
  } catch (error) {
    await undo.runQuietly();
    throw error;
  }
}

/**
 * A Redis connection that fails commands at once while disconnected instead of queueing them, so
 * an outage turns into events that wait in the outbox (where waiting is safe) rather than commands
 * piling up in memory. It keeps reconnecting in the background; an outage is logged once.
 */
function connectRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 5000 });
  let healthy = true;
  redis.on("ready", () => {
    if (!healthy) log.info("redis is reachable again");
    healthy = true;
  });
  redis.on("error", (error: Error) => {
    if (healthy) log.warn({ err: error }, "redis is unreachable; notification events wait until it is back");
    healthy = false;
  });
  return redis;
}
