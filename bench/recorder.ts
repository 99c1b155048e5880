/**
 * `npm run bench [-- --seconds 10 --concurrency 64 --json]`
 *
 * Drives RecordInterception with @grpc/grpc-js clients at a fixed concurrency for a fixed time,
 * in one run, against four servers, each in its own process on the same machine:
 *   1. noop        the same transport stack with a handler that answers at once (the ceiling);
 *   2. bridgelog   the recorder as configured: durable group commit to PostgreSQL;
 *   3. no-rollups  the same with the hourly rollups' triggers disabled: what maintaining them costs;
 *   4. batch1      the recorder with BRIDGELOG_BATCH_MAX_SIZE=1: a commit per call.
 * Prints requests/s, latency percentiles and the server's peak RSS for each, and the ratios
 * bridgelog/noop, bridgelog/no-rollups and bridgelog/batch1. Uses DATABASE_URL, or an embedded PostgreSQL.
 *
 * `npm run bench -- --soak 10` instead measures bridgelog's maximum, holds 70% of it for 10
 * minutes and reports throughput, p99 and RSS over time (`--soak-load`, `--soak-sample`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { KeySource } from "../gen/bridgelog/v1/interception_pb.js";
import {
  RecordInterceptionRequestSchema,
  RecordInterceptionResponseSchema,
  type RecordInterceptionRequest,
} from "../gen/bridgelog/v1/recorder_service_pb.js";
import { openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    concurrency: { type: "string", default: "64" },
    channels: { type: "string", default: "4" },
    json: { type: "boolean", default: false },
    // Soak mode: minutes at `soak-load` of the measured maximum, sampled every `soak-sample` seconds.
    soak: { type: "string" },
    "soak-load": { type: "string", default: "0.7" },
    "soak-sample": { type: "string", default: "30" },
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

const database = await openBenchDatabase("recorder");
try {
  if (args.soak !== undefined) await soak(Number(args.soak), Number(args["soak-load"]), Number(args["soak-sample"]));
  else await compare();
} finally {
  await database.close();
}

/** The servers side by side: the ceiling, bridgelog with and without rollups, a commit per call. */
async function compare(): Promise<void> {
  const results: Result[] = [];
  for (const mode of ["noop", "bridgelog", "no-rollups", "batch1"]) {
    await database.sql`truncate interceptions, interception_rollups`;
    const rollups = mode === "no-rollups" ? "disable" : "enable";
    await database.sql.unsafe(
      `alter table interceptions ${rollups} trigger interception_rollups_insert, ${rollups} trigger interception_rollups_update`,
    );
    const result = await measure(mode === "no-rollups" ? "bridgelog" : mode, database.url);
    results.push({ ...result, mode });
    say(format(results.at(-1)!));
  }
  await database.sql`alter table interceptions enable trigger interception_rollups_insert, enable trigger interception_rollups_update`;
  const [noop, bridgelog, noRollups, batch1] = results as [Result, Result, Result, Result];
  const ratios = {
    bridgelogOverNoop: round(bridgelog.requestsPerSecond / noop.requestsPerSecond, 2),
    bridgelogOverNoRollups: round(bridgelog.requestsPerSecond / noRollups.requestsPerSecond, 2),
    bridgelogOverBatch1: round(bridgelog.requestsPerSecond / batch1.requestsPerSecond, 2),
  };
  say(
    `ratios: bridgelog/noop ${ratios.bridgelogOverNoop} (target >= 0.6), bridgelog/no-rollups ${ratios.bridgelogOverNoRollups}, ` +
      `bridgelog/batch1 ${ratios.bridgelogOverBatch1} (target >= 5)`,
  );
  if (args.json) {
    console.log(JSON.stringify({ seconds, warmup, concurrency, channels, results, ratios }));
  }
}

/**
 * Soak: measure bridgelog's maximum for `seconds`, then hold `load` of it for `minutes`, printing
 * throughput, p99 and the server's RSS for each sample window, and the RSS growth from the first
 * to the last window (it should be near zero: nothing accumulates).
 */
async function soak(minutes: number, load: number, sampleSeconds: number): Promise<void> {
  const child = spawnRecorderServer("bridgelog", database.url);
  try {
    const { port, token } = await portOf(child);
    const clients = Array.from({ length: channels }, () => makeClient(`127.0.0.1:${port}`, token));
    await drive(clients, warmup * 1000);
    const max = (await drive(clients, seconds * 1000)).latencies.length / seconds;
    if (max === 0) throw new Error("no call succeeded while measuring the maximum; is the server healthy?");
    const rate = Math.round(max * load);
    say(`maximum ${Math.round(max)} req/s; soaking at ${rate} req/s (${load * 100}%) for ${minutes} min`);
    const samples: { minute: number; requestsPerSecond: number; p99Ms: number; errors: number; rssMiB: number }[] = [];
    const end = performance.now() + minutes * 60_000;
    const interval = 1000 / rate;
    let client = 0;
    while (performance.now() < end) {
      // Open loop: requests start on schedule whatever the answers do, so a slowdown shows as
      // latency, not as a quietly lower rate. In-flight requests are capped to bound the client.
      const windowEnd = Math.min(end, performance.now() + sampleSeconds * 1000);
      const latencies: number[] = [];
      let errors = 0;
      let inFlight = 0;
      const pending: Promise<void>[] = [];
      for (let next = performance.now(); next < windowEnd; next += interval) {
        const wait = next - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        if (inFlight >= 1024) {
          errors++;
          continue;
        }
        inFlight++;
        const started = performance.now();
        pending.push(
          new Promise<void>((resolve) =>
            clients[client++ % clients.length]!.recordInterception(request(), (error) => {
              inFlight--;
              if (error) errors++;
              else latencies.push(performance.now() - started);
              resolve();
            }),
          ),
        );
      }
      await Promise.all(pending);
      latencies.sort((a, b) => a - b);
      const status = await readFile(`/proc/${child.pid}/status`, "utf8");
      const rssMiB = round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024, 1);
      const sample = {
        minute: round((minutes * 60_000 - (end - performance.now())) / 60_000, 1),
        requestsPerSecond: Math.round(latencies.length / sampleSeconds),
        p99Ms: round(latencies[Math.floor(latencies.length * 0.99)] ?? NaN, 1),
        errors,
        rssMiB,
      };
      samples.push(sample);
      say(`t+${sample.minute} min  ${sample.requestsPerSecond} req/s  p99 ${sample.p99Ms} ms  errors ${errors}  RSS ${rssMiB} MiB`);
    }
    for (const c of clients) c.close();
    const third = Math.max(1, Math.floor(samples.length / 3));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const growth = round(mean(samples.slice(-third).map((x) => x.rssMiB)) - mean(samples.slice(0, third).map((x) => x.rssMiB)), 1);
    say(`RSS growth, last third vs first third of the soak: ${growth} MiB`);
    if (args.json) console.log(JSON.stringify({ maxRequestsPerSecond: Math.round(max), rate, minutes, samples, rssGrowthMiB: growth }));
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

async function measure(mode: string, databaseUrl: string): Promise<Result> {
  const child = spawnRecorderServer(mode, databaseUrl);
  try {
    const { port, token } = await portOf(child);
    const clients = Array.from({ length: channels }, () => makeClient(`127.0.0.1:${port}`, token));
    await drive(clients, warmup * 1000);
    const run = await drive(clients, seconds * 1000);
    if (run.errors > 0 && run.latencies.length === 0) throw new Error(`every call to ${mode} failed`);
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

function makeClient(address: string, token: string) {
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
  const client = new Client(address, grpc.credentials.createInsecure(), { "grpc.bench_channel": randomUUID() }) as unknown as grpc.Client & {
    recordInterception(request: RecordInterceptionRequest, metadata: grpc.Metadata, callback: (error: grpc.ServiceError | null) => void): void;
  };
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return {
    recordInterception: ((request, callback) => client.recordInterception(request, metadata, callback)) as Unary,
    close: () => client.close(),
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

/** recorder-server.ts in its own process, on the Node running this bench with tsx's loader. */
function spawnRecorderServer(mode: string, databaseUrl: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", new URL("./recorder-server.ts", import.meta.url).pathname, mode, databaseUrl], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, BRIDGELOG_LOG_LEVEL: "warn" },
  });
}

async function portOf(child: ChildProcess): Promise<{ port: number; token: string }> {
  let buffered = "";
  for await (const chunk of child.stdout!) {
    buffered += String(chunk);
    const match = /PORT (\d+) TOKEN (\S+)/.exec(buffered);
    if (match) return { port: Number(match[1]), token: match[2]! };
  }
  throw new Error("the bench server exited before listening");
}

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return round(kb / 1024, 1);
}


function format(r: Result): string {
  return `${r.mode.padEnd(9)} ${String(r.requestsPerSecond).padStart(7)} req/s  p50 ${r.latencyMs.p50} ms  p95 ${r.latencyMs.p95} ms  p99 ${r.latencyMs.p99} ms  peak RSS ${r.peakRssMiB} MiB  errors ${r.errors}`;
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
