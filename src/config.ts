import { ERROR_TYPES, type ErrorType, isErrorType } from "./interception/error-type.js";
import { DEFAULT_NOTIFY_ERROR_TYPES } from "./outbox/notify-policy.js";
import { parseRetentionPeriod, type RetentionPeriod } from "./retention/retention-period.js";
import { PACKAGE_ROOT } from "./package-root.js";

/** Everything the `serve` command can be told, read once from the environment by main.ts. */
export interface Config {
  /** Unset: start the embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  /**
   * A streaming replica of `databaseUrl` that QueryService (and so the dashboard) reads, to take
   * the read load off the primary; everything that writes stays on `databaseUrl`. Unset: queries
   * read `databaseUrl` too.
   */
  readDatabaseUrl: string | undefined;
  host: string;
  port: number;
  dataDir: string;
  embeddedPostgresPort: number;
  databasePoolSize: number;
  errorMessageMaxBytes: number;
  maxRequestBytes: number;
  /** Largest request read from a caller without a valid token (checked from the headers first). */
  unauthenticatedMaxRequestBytes: number;
  maxStreamRecords: number;
  batchMaxSize: number;
  batchMaxWaitMs: number;
  batchMaxInFlight: number;
  queueMax: number;
  shutdownGraceMs: number;
  /** A new connection's first request headers (or HTTP/2 preface and first stream), and each later HTTP/1.1 request's headers, within this. */
  headersTimeoutMs: number;
  /** A connection with no request in progress (HTTP/1.1: no byte either way) is closed after this. */
  idleTimeoutMs: number;
  /** Open connections at once; more are closed on accept. */
  maxConnections: number;
  /** HTTP/2 streams open at once on one connection (advertised in SETTINGS). */
  maxConcurrentStreams: number;
  tokenCacheMs: number;
  /** The longest any stream stays open. */
  maxStreamLifetimeMs: number;
  /** grpc.health.v1 Watch streams open at once (they need no token). */
  maxHealthWatchers: number;
  writeRetries: number;
  /** Where `serve` serves GET /metrics instead of on its service port; unset: on the service port. */
  metricsListen: { host: string; port: number } | undefined;
  /** Where `notify` serves GET /metrics; unset: not served. */
  notifyMetricsPort: number | undefined;
  writeRetryBaseMs: number;
  /**
   * How long interceptions are kept. Set: `serve` prunes older days every hour and refuses records
   * that are already older. Unset: kept for good (prune by hand with `bridgelog prune`).
   */
  retention: RetentionPeriod | undefined;
  /** Browser origins allowed to call the RPCs cross-origin; "*" for any. */
  corsOrigins: string[];
  /** The built dashboard, served at `/`. */
  dashboardDir: string;
  logLevel: string;
  /** Error types of BYOK failures that become notification events; applied by `serve`, which writes the outbox. */
  notifyErrorTypes: ErrorType[];
  /** The notifier's dedup locks. Unset: the same locks in PostgreSQL. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key bridgelog writes, so several deployments (or test files) can share one Redis. */
  redisKeyPrefix: string;
  /** At most one push per (tenant, initiator, provider, error type) per window. */
  dedupWindowSeconds: number;
  /** Events one notifier claims at once. */
  notifyBatchSize: number;
  /** How long a claim lasts: a crashed notifier's events are retried by another after this. */
  notifyLeaseSeconds: number;
  /** How often the notifier looks for events when no LISTEN nudge arrives. */
  notifyPollMs: number;
  /** Attempts before an event is given up as dead. */
  notifyMaxAttempts: number;
  /** Backoff after a failed attempt: base doubled per attempt, capped, with jitter. */
  notifyRetryBaseMs: number;
  notifyRetryMaxMs: number;
  /** Longest backoff of an event waiting for an unreachable Redis: bounds how late it goes out once Redis is back. */
  notifyLockWaitMaxMs: number;
  /** Service account file for FCM. Unset (and no FCM endpoint): pushes are logged, not sent. */
  googleApplicationCredentials: string | undefined;
  /** Testing and emulators only: a loopback http:// URL that receives FCM's requests instead of Google. */
  fcmEndpoint: string | undefined;
  /** The Firebase project; read from the credentials when unset ("bridgelog-local" with an FCM endpoint). */
  fcmProjectId: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * Reads and validates the configuration. Every problem is reported at once, each naming its
 * variable, so a misconfigured deployment fails at start with one clear message.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  };
  const text = (name: string, fallback: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === "" ? fallback : raw;
  };

  const list = (name: string) =>
    (env[name] ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");

  const hostPort = (name: string): { host: string; port: number } | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") return undefined;
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/.exec(raw);
    const port = Number(match?.[2]);
    if (match === null || port > 65535) {
      problems.push(`${name} must be host:port, like 127.0.0.1:9464 or [::1]:9464, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return { host: match[1]!.replace(/^\[(.*)\]$/, "$1"), port };
  };

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  const readDatabaseUrl = env.BRIDGELOG_READ_DATABASE_URL?.trim() || undefined;
  if (readDatabaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(readDatabaseUrl)) {
    problems.push("BRIDGELOG_READ_DATABASE_URL must be a postgres:// or postgresql:// URL");
  } else if (readDatabaseUrl !== undefined && databaseUrl === undefined) {
    problems.push("BRIDGELOG_READ_DATABASE_URL needs DATABASE_URL: it names a replica of that database, and the embedded PostgreSQL has none");
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) problems.push("REDIS_URL must be a redis:// or rediss:// URL");
  const notifyErrorTypes = list("BRIDGELOG_NOTIFY_ERROR_TYPES").map((type) => type.toLowerCase());
  const unknownTypes = notifyErrorTypes.filter((type) => !isErrorType(type));
  if (unknownTypes.length > 0) {
    problems.push(
      `BRIDGELOG_NOTIFY_ERROR_TYPES must list error types separated by commas (${ERROR_TYPES.join(", ")}); unknown: ${unknownTypes.join(", ")}`,
    );
  }
  const fcmEndpoint = env.BRIDGELOG_FCM_ENDPOINT?.trim() || undefined;
  if (fcmEndpoint !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(fcmEndpoint)) {
    problems.push("BRIDGELOG_FCM_ENDPOINT must be a loopback URL like http://127.0.0.1:9099 (it is for tests and emulators)");
  }
  let retention: RetentionPeriod | undefined;
  const retentionText = env.BRIDGELOG_RETENTION?.trim() ?? "";
  if (retentionText !== "") {
    const parsed = parseRetentionPeriod(retentionText);
    if ("error" in parsed) problems.push(`BRIDGELOG_RETENTION ${parsed.error}`);
    else retention = parsed;
  }
  const logLevel = text("BRIDGELOG_LOG_LEVEL", "info");
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`BRIDGELOG_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);

  const config: Config = {
    databaseUrl,
    readDatabaseUrl,
    host: text("HOST", "127.0.0.1"),
    port: int("PORT", 8080, 0, 65535),
    dataDir: text("BRIDGELOG_DATA_DIR", ".bridgelog"),
    embeddedPostgresPort: int("BRIDGELOG_EMBEDDED_POSTGRES_PORT", 54329, 1, 65535),
    databasePoolSize: int("BRIDGELOG_DATABASE_POOL_SIZE", 10, 2, 1000),
    errorMessageMaxBytes: int("BRIDGELOG_ERROR_MESSAGE_MAX_BYTES", 4096, 64, 1 << 20),
    maxRequestBytes: int("BRIDGELOG_MAX_REQUEST_BYTES", 4 << 20, 1024, 64 << 20),
    unauthenticatedMaxRequestBytes: int("BRIDGELOG_UNAUTHENTICATED_MAX_REQUEST_BYTES", 64 << 10, 1024, 64 << 20),
    maxStreamRecords: int("BRIDGELOG_MAX_STREAM_RECORDS", 10_000, 1, 1_000_000),
    batchMaxSize: int("BRIDGELOG_BATCH_MAX_SIZE", 500, 1, 10_000),
    batchMaxWaitMs: int("BRIDGELOG_BATCH_MAX_WAIT_MS", 2, 0, 1000),
    batchMaxInFlight: int("BRIDGELOG_BATCH_MAX_IN_FLIGHT", 2, 1, 100),
    queueMax: int("BRIDGELOG_QUEUE_MAX", 20_000, 1, 10_000_000),
    shutdownGraceMs: int("BRIDGELOG_SHUTDOWN_GRACE_MS", 10_000, 0, 600_000),
    headersTimeoutMs: int("BRIDGELOG_HEADERS_TIMEOUT_MS", 10_000, 100, 600_000),
    idleTimeoutMs: int("BRIDGELOG_IDLE_TIMEOUT_MS", 65_000, 100, 3_600_000),
    maxConnections: int("BRIDGELOG_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
    maxConcurrentStreams: int("BRIDGELOG_MAX_CONCURRENT_STREAMS", 100, 1, 10_000),
    maxHealthWatchers: int("BRIDGELOG_MAX_HEALTH_WATCHERS", 1000, 0, 1_000_000),
    maxStreamLifetimeMs: int("BRIDGELOG_MAX_STREAM_LIFETIME_MS", 3_600_000, 100, 86_400_000),
    tokenCacheMs: int("BRIDGELOG_TOKEN_CACHE_MS", 10_000, 0, 3_600_000),
    writeRetries: int("BRIDGELOG_WRITE_RETRIES", 3, 0, 10),
    metricsListen: hostPort("BRIDGELOG_METRICS_LISTEN"),
    notifyMetricsPort: env.BRIDGELOG_NOTIFY_METRICS_PORT?.trim() ? int("BRIDGELOG_NOTIFY_METRICS_PORT", 0, 0, 65535) : undefined,
    writeRetryBaseMs: int("BRIDGELOG_WRITE_RETRY_BASE_MS", 100, 1, 10_000),
    retention,
    corsOrigins: list("BRIDGELOG_CORS_ORIGINS"),
    dashboardDir: text("BRIDGELOG_DASHBOARD_DIR", new URL("web/dist/", PACKAGE_ROOT).pathname),
    logLevel,
    notifyErrorTypes: notifyErrorTypes.length > 0 && unknownTypes.length === 0 ? (notifyErrorTypes as ErrorType[]) : [...DEFAULT_NOTIFY_ERROR_TYPES],
    redisUrl,
    redisKeyPrefix: text("BRIDGELOG_REDIS_KEY_PREFIX", "bridgelog:"),
    dedupWindowSeconds: int("BRIDGELOG_DEDUP_WINDOW_SECONDS", 86_400, 1, 30 * 86_400),
    notifyBatchSize: int("BRIDGELOG_NOTIFY_BATCH_SIZE", 50, 1, 500),
    notifyLeaseSeconds: int("BRIDGELOG_NOTIFY_LEASE_SECONDS", 300, 1, 86_400),
    notifyPollMs: int("BRIDGELOG_NOTIFY_POLL_MS", 2000, 10, 600_000),
    notifyMaxAttempts: int("BRIDGELOG_NOTIFY_MAX_ATTEMPTS", 8, 1, 100),
    notifyRetryBaseMs: int("BRIDGELOG_NOTIFY_RETRY_BASE_MS", 5000, 1, 3_600_000),
    notifyRetryMaxMs: int("BRIDGELOG_NOTIFY_RETRY_MAX_MS", 3_600_000, 1, 86_400_000),
    notifyLockWaitMaxMs: int("BRIDGELOG_NOTIFY_LOCK_WAIT_MAX_MS", 60_000, 1, 86_400_000),
    googleApplicationCredentials: env.GOOGLE_APPLICATION_CREDENTIALS?.trim() || undefined,
    fcmEndpoint,
    fcmProjectId: env.BRIDGELOG_FCM_PROJECT_ID?.trim() || undefined,
  };
  if (config.notifyRetryMaxMs < config.notifyRetryBaseMs) {
    problems.push("BRIDGELOG_NOTIFY_RETRY_MAX_MS must not be less than BRIDGELOG_NOTIFY_RETRY_BASE_MS");
  }
  if (config.notifyLockWaitMaxMs < config.notifyRetryBaseMs) {
    problems.push("BRIDGELOG_NOTIFY_LOCK_WAIT_MAX_MS must not be less than BRIDGELOG_NOTIFY_RETRY_BASE_MS");
  }
  for (const origin of config.corsOrigins) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`BRIDGELOG_CORS_ORIGINS entries must be "*" or an origin like https://app.example.com, got ${JSON.stringify(origin)}`);
    }
  }
  if (config.batchMaxInFlight >= config.databasePoolSize) {
    problems.push(
      "BRIDGELOG_BATCH_MAX_IN_FLIGHT must be less than BRIDGELOG_DATABASE_POOL_SIZE, so health checks and migrations still get a connection",
    );
  }
  if (config.unauthenticatedMaxRequestBytes > config.maxRequestBytes) {
    problems.push("BRIDGELOG_UNAUTHENTICATED_MAX_REQUEST_BYTES must not be more than BRIDGELOG_MAX_REQUEST_BYTES");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
