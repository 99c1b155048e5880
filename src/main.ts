/**
 * The `bridgelog` command line: the one place that reads the environment, opens connections,
 * listens and installs signal handlers. Each subcommand is a thin entry over library code.
 */
import postgres from "postgres";
import { pino } from "pino";
import { startServer } from "./app.js";
import { classifyFailure } from "./classify/classify-failure.js";
import { runClassifyCommand } from "./classify/classify-command.js";
import { ConfigError, loadConfig } from "./config.js";
import { startEmbeddedPostgres } from "./db/embedded-postgres.js";
import { migrate } from "./db/migrate.js";

const USAGE = `usage: bridgelog <command>

commands:
  serve     run the recorder: gRPC, gRPC-Web and Connect on one port (PORT, default 8080)
  migrate   apply pending database migrations and exit
  classify  read failures as JSON lines on stdin, write their error types as JSON lines
  help      show this text

Configuration comes from environment variables; see README.md. Without DATABASE_URL an embedded
PostgreSQL is started in BRIDGELOG_DATA_DIR (default ./.bridgelog).`;

async function main(argv: string[]): Promise<number> {
  const [command = "help"] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  if (command === "classify") {
    return runClassifyCommand(process.stdin, process.stdout, classifyFailure);
  }
  if (command !== "serve" && command !== "migrate") {
    console.error(`bridgelog: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const log = pino({ level: config.logLevel, base: { service: "bridgelog" } });

  if (command === "migrate") {
    const embedded = config.databaseUrl === undefined
      ? await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log })
      : undefined;
    const sql = postgres(config.databaseUrl ?? embedded!.url, { max: 1, onnotice: () => {} });
    try {
      const applied = await migrate(sql, log);
      log.info({ applied }, applied.length === 0 ? "database is up to date" : "migrations applied");
    } finally {
      await sql.end();
      await embedded?.stop();
    }
    return 0;
  }

  const server = await startServer(config, log);
  log.info({ url: server.url }, `bridgelog is listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "stopping: draining queued records");
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      server.stop().then(resolve, (error: unknown) => {
        log.error({ err: error }, "error while stopping");
        resolve();
      });
    };
    const onTerm = () => stop("SIGTERM");
    const onInt = () => stop("SIGINT");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
  });
  log.info("stopped");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`bridgelog: ${error.message}`);
    else console.error("bridgelog: failed to start:", error);
    process.exit(1);
  },
);
