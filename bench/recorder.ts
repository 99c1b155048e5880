/**
 * `npm run bench [-- --seconds 10 --concurrency 64 --json]`
 *
 * Drives RecordInterception with @grpc/grpc-js clients at a fixed concurrency for a fixed time,
 * in one run, against three servers, each in its own process on the same machine:
 *   1. noop      the same transport stack with a handler that answers at once (the ceiling);
 *   2. bridgelog the recorder as configured: durable group commit to PostgreSQL;
 *   3. batch1    the recorder with BRIDGELOG_BATCH_MAX_SIZE=1: a commit per call.
 * Prints requests/s, latency percentiles and the server's peak RSS for each, and the ratios
 * bridgelog/noop and bridgelog/batch1. Uses DATABASE_URL, or an embedded PostgreSQL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { pino } from "pino";
import postgres from "postgres";
import { KeySource } from "../gen/bridgelog/v1/interception_pb.js";
import {
  RecordInterceptionRequestSchema,
  RecordInterceptionResponseSchema,
  type RecordInterceptionRequest,
} from "../gen/bridgelog/v1/recorder_service_pb.js";
import { startEmbeddedPostgres } from "../src/db/embedded-postgres.js";
import { migrate } from "../src/db/migrate.js";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    concurrency: { type: "string", default: "64" },
    channels: { type: "string", default: "4" },
    json: { type: "boolean", default: false },
  },
});
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const concurrency = Number(args.concurrency);
const channels = Number(args.channels);
const startedAt = timestampFromDate(new Date());
const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);

interface Result {
  mode: string;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  peakRssMiB: number;
}

const database = await openDatabase();
try {
  const results: Result[] = [];
  for (const mode of ["noop", "bridgelog", "batch1"]) {
    await database.sql`truncate interceptions`;
    results.push(await measure(mode, database.url));
    say(format(results.at(-1)!));
  }
  const [noop, bridgelog, batch1] = results as [Result, Result, Result];
  const ratios = {
    bridgelogOverNoop: round(bridgelog.requestsPerSecond / noop.requestsPerSecond, 2),
    bridgelogOverBatch1: round(bridgelog.requestsPerSecond / batch1.requestsPerSecond, 2),
  };
  say(`ratios: bridgelog/noop ${ratios.bridgelogOverNoop} (target >= 0.6), bridgelog/batch1 ${ratios.bridgelogOverBatch1} (target >= 5)`);
  if (args.json) {
    console.log(JSON.stringify({ seconds, warmup, concurrency, channels, results, ratios }));
  }
} finally {
  await database.close();
}

async function measure(mode: string, databaseUrl: string): Promise<Result> {
  const child = spawn(process.execPath, ["--import", "tsx", new URL("./recorder-server.ts", import.meta.url).pathname, mode, databaseUrl], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, BRIDGELOG_LOG_LEVEL: "warn" },
  });
  try {
    const port = await portOf(child);
    const clients = Array.from({ length: channels }, () => makeClient(`127.0.0.1:${port}`));
    await drive(clients, warmup * 1000);
    const run = await drive(clients, seconds * 1000);
    for (const client of clients) client.close();
    const peakRssMiB = await peakRss(child.pid!);
    run.latencies.sort();
    const at = (q: number) => round(run.latencies[Math.min(run.latencies.length - 1, Math.floor(q * run.latencies.length))] ?? NaN, 2);
    return {
      mode,
      requests: run.latencies.length,
      errors: run.errors,
      requestsPerSecond: Math.round(run.latencies.length / seconds),
      latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99) },
      peakRssMiB,
    };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

type Unary = (request: RecordInterceptionRequest, callback: (error: grpc.ServiceError | null) => void) => void;

function makeClient(address: string) {
  const Client = grpc.makeGenericClientConstructor(
    {
      recordInterception: {
        path: "/bridgelog.v1.RecorderService/RecordInterception",
        requestStream: false,
        responseStream: false,
        requestSerialize: (value: RecordInterceptionRequest) => Buffer.from(toBinary(RecordInterceptionRequestSchema, value)),
        requestDeserialize: (bytes: Buffer) => fromBinary(RecordInterceptionRequestSchema, bytes),
        responseSerialize: () => Buffer.alloc(0),
        responseDeserialize: (bytes: Buffer) => fromBinary(RecordInterceptionResponseSchema, bytes),
      },
    },
    "RecorderService",
  );
  // A distinct option per client gives each its own channel (grpc-js shares equal channels).
  return new Client(address, grpc.credentials.createInsecure(), { "grpc.bench_channel": randomUUID() }) as unknown as grpc.Client & {
    recordInterception: Unary;
  };
}

/** Keeps `concurrency` calls in flight for `ms`, spread over the clients. */
async function drive(clients: ReturnType<typeof makeClient>[], ms: number) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + ms;
  const worker = async (w: number) => {
    const client = clients[w % clients.length]!;
    while (performance.now() < deadline) {
      const started = performance.now();
      const error = await new Promise<grpc.ServiceError | null>((resolve) => client.recordInterception(request(), resolve));
      if (error) errors++;
      else latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return { latencies: Float64Array.from(latencies), errors };
}

/** A realistic failed call: what a bridge records when a provider rate-limits it. */
function request(): RecordInterceptionRequest {
  return create(RecordInterceptionRequestSchema, {
    interception: {
      id: randomUUID(),
      tenantId: "bench-tenant",
      initiatorId: "user-42",
      provider: "openai",
      model: "gpt-4o",
      feature: "chat",
      keySource: KeySource.BYOK,
      client: "bench/1.0",
      startedAt,
      endedAt: startedAt,
      usage: { inputTokens: 1200n, outputTokens: 300n },
      costMicros: 4500n,
      metadata: { route: "/v1/chat/completions" },
      errorType: "rate_limited",
      errorMessage: "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29800.",
    },
  });
}

async function portOf(child: ChildProcess): Promise<number> {
  let buffered = "";
  for await (const chunk of child.stdout!) {
    buffered += String(chunk);
    const match = /PORT (\d+)/.exec(buffered);
    if (match) return Number(match[1]);
  }
  throw new Error("the bench server exited before listening");
}

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return round(kb / 1024, 1);
}

async function openDatabase(): Promise<{ url: string; sql: postgres.Sql; close(): Promise<void> }> {
  const log = pino({ level: "warn" });
  let url = process.env.DATABASE_URL;
  let cleanup = async () => {};
  if (url !== undefined && url !== "") {
    // A database of its own on the given server, so the bench never touches real data.
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe("drop database if exists bridgelog_bench with (force)");
    await admin.unsafe("create database bridgelog_bench");
    await admin.end();
    const parsed = new URL(url);
    parsed.pathname = "/bridgelog_bench";
    url = parsed.toString();
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), "bridgelog-bench-pg-"));
    await chmod(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir, port: 54400 + Math.floor(Math.random() * 500), log });
    url = embedded.url;
    cleanup = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  await migrate(sql, log);
  return {
    url,
    sql,
    async close() {
      await sql.end();
      await cleanup();
    },
  };
}

function format(r: Result): string {
  return `${r.mode.padEnd(9)} ${String(r.requestsPerSecond).padStart(7)} req/s  p50 ${r.latencyMs.p50} ms  p95 ${r.latencyMs.p95} ms  p99 ${r.latencyMs.p99} ms  peak RSS ${r.peakRssMiB} MiB  errors ${r.errors}`;
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
