/**
 * The `bridgelog` command line: the one place that reads the environment, opens connections,
 * listens and installs signal handlers. Each subcommand is a thin entry over library code.
 */
import { join } from "node:path";
import postgres from "postgres";
import { type Logger, pino } from "pino";
import { startServer } from "./app.js";
import { consoleSignIn, LOCAL_ADMIN_TOKEN, LOCAL_CONSOLE_TOKEN, localToken } from "./auth/local-tokens.js";
import { runTokenCommand } from "./auth/token-command.js";
import { createTokenStore } from "./auth/token-store.js";
import { classifyFailure } from "./classify/classify-failure.js";
import { runClassifyCommand } from "./classify/classify-command.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { migrate } from "./db/migrate.js";
import { connectToDatabase } from "./db/open-database.js";
import { startNotifier } from "./notifier/start-notifier.js";
import { prune } from "./retention/prune.js";
import { runPruneCommand } from "./retention/prune-command.js";

const USAGE = `usage: bridgelog <command>

commands:
  serve     run the recorder, query API and dashboard on one port (PORT, default 8080)
  migrate   apply pending database migrations and exit
  token     create, list or revoke API tokens (bridgelog token help)
  notify    push BYOK key failures to users' devices through FCM; run as many as you like
  prune     drop interceptions older than a period, whole days at a time (bridgelog prune --help)
  classify  read failures as JSON lines on stdin, write their error types as JSON lines
  help      show this text

Configuration comes from environment variables; see docs/operations.md. Without DATABASE_URL
an embedded PostgreSQL runs in BRIDGELOG_DATA_DIR (default ./.bridgelog); while \`serve\` runs,
the other commands use the same one.`;

type Command = (args: string[], config: Config, log: Logger) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: (_args, config, log) => serve(config, log),
  migrate: (_args, config, log) =>
    withDatabase(config, log, async (sql) => {
      const applied = await migrate(sql, log);
      log.info({ applied }, applied.length === 0 ? "database is up to date" : "migrations applied");
      return 0;
    }),
  token: (args, config, log) =>
    withDatabase(config, log, async (sql) => {
      await migrate(sql, log);
      return runTokenCommand(args, createTokenStore(sql), console.log, console.error);
    }),
  notify: (_args, config, log) => notify(config, log),
  // The database is opened only once the arguments are good: help and mistakes answer at once.
  prune: (args, config, log) =>
    runPruneCommand(
      args,
      config.retention,
      (options) =>
        withDatabase(config, log, async (sql) => {
          await migrate(sql, log);
          return prune(sql, options);
        }),
      console.log,
      console.error,
    ),
};

async function main(argv: string[]): Promise<number> {
  const [command = "help", ...args] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  // Needs no configuration and no database: a pure filter.
  if (command === "classify") return runClassifyCommand(process.stdin, process.stdout, classifyFailure);
  const run = COMMANDS[command];
  if (run === undefined) {
    console.error(`bridgelog: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const log = pino({ level: config.logLevel, base: { service: "bridgelog" } });
  return run(args, config, log);
}

async function withDatabase<T>(config: Config, log: Logger, use: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const database = await connectToDatabase(config, log);
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  try {
    return await use(sql);
  } finally {
    await sql.end();
    await database.close();
  }
}

/** Runs a notifier until SIGTERM or SIGINT, then lets its batch in hand finish and record outcomes. */
async function notify(config: Config, log: Logger): Promise<number> {
  const notifier = await startNotifier(config, log);
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  log.info({ signal }, "stopping: finishing the events in hand");
  await notifier.stop();
  log.info("stopped");
  return 0;
}

async function serve(config: Config, log: Logger): Promise<number> {
  const server = await startServer(config, log);
  log.info({ url: server.url }, `bridgelog is listening on ${server.url}`);
  if (config.databaseUrl === undefined) {
    // Kept for scripts on this machine (examples/record-first-interception.ts reads it); never printed.
    await localToken(server.tokens, config.dataDir, LOCAL_ADMIN_TOKEN);
    const token = await localToken(server.tokens, config.dataDir, LOCAL_CONSOLE_TOKEN);
    const tokenFile = join(config.dataDir, LOCAL_CONSOLE_TOKEN.file);
    // For the person who started it, on stderr: stdout carries the JSON logs, and tokens never go into logs.
    process.stderr.write(consoleSignIn({ url: server.url, token, tokenFile, terminal: process.stderr.isTTY === true }));
  }
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      // The same signal often comes twice: `npm start` forwards it to serve, and a terminal's Ctrl-C
      // or a process manager (systemd signals the whole group) sends it to serve too. With no
      // handler the second would kill serve mid-drain and leave the embedded PostgreSQL running.
      if (stopping) {
        log.info({ signal }, "already stopping");
        return;
      }
      stopping = true;
      log.info({ signal }, "stopping: draining queued records");
      server.stop().then(resolve, (error: unknown) => {
        log.error({ err: error }, "error while stopping");
        resolve();
      });
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
    // A closed terminal: without a handler serve would die at once and leave PostgreSQL running.
    process.on("SIGHUP", () => stop("SIGHUP"));
  });
  log.info("stopped");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`bridgelog: ${error.message}`);
    else console.error("bridgelog: failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
