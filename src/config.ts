/** Everything the `serve` command can be told, read once from the environment by main.ts. */
export interface Config {
  /** Unset: start the embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  dataDir: string;
  embeddedPostgresPort: number;
  databasePoolSize: number;
  errorMessageMaxBytes: number;
  maxRequestBytes: number;
  maxStreamRecords: number;
  batchMaxSize: number;
  batchMaxWaitMs: number;
  batchMaxInFlight: number;
  queueMax: number;
  shutdownGraceMs: number;
  tokenCacheMs: number;
  /** Browser origins allowed to call the RPCs cross-origin; "*" for any. */
  corsOrigins: string[];
  /** The built dashboard, served at `/`. */
  dashboardDir: string;
  logLevel: string;
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

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  const logLevel = text("BRIDGELOG_LOG_LEVEL", "info");
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`BRIDGELOG_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);

  const config: Config = {
    databaseUrl,
    host: text("HOST", "127.0.0.1"),
    port: int("PORT", 8080, 0, 65535),
    dataDir: text("BRIDGELOG_DATA_DIR", ".bridgelog"),
    embeddedPostgresPort: int("BRIDGELOG_EMBEDDED_POSTGRES_PORT", 54329, 1, 65535),
    databasePoolSize: int("BRIDGELOG_DATABASE_POOL_SIZE", 10, 2, 1000),
    errorMessageMaxBytes: int("BRIDGELOG_ERROR_MESSAGE_MAX_BYTES", 4096, 64, 1 << 20),
    maxRequestBytes: int("BRIDGELOG_MAX_REQUEST_BYTES", 4 << 20, 1024, 64 << 20),
    maxStreamRecords: int("BRIDGELOG_MAX_STREAM_RECORDS", 10_000, 1, 1_000_000),
    batchMaxSize: int("BRIDGELOG_BATCH_MAX_SIZE", 500, 1, 10_000),
    batchMaxWaitMs: int("BRIDGELOG_BATCH_MAX_WAIT_MS", 2, 0, 1000),
    batchMaxInFlight: int("BRIDGELOG_BATCH_MAX_IN_FLIGHT", 2, 1, 100),
    queueMax: int("BRIDGELOG_QUEUE_MAX", 20_000, 1, 10_000_000),
    shutdownGraceMs: int("BRIDGELOG_SHUTDOWN_GRACE_MS", 10_000, 0, 600_000),
    tokenCacheMs: int("BRIDGELOG_TOKEN_CACHE_MS", 10_000, 0, 3_600_000),
    corsOrigins: list("BRIDGELOG_CORS_ORIGINS"),
    dashboardDir: text("BRIDGELOG_DASHBOARD_DIR", new URL("../web/dist/", import.meta.url).pathname),
    logLevel,
  };
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
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
