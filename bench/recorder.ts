/**
 * `npm run bench [-- --seconds 10 --concurrency 64 --streams 8 --stream-records 1000 --json]`
 * `--only grpc-noop,bridgelog,stream-bridgelog` runs only the named parts (while iterating on one
 * lever; the table in bench/README.md comes from full runs): grpc-noop, noop, bridgelog, no-rollups,
 * batch1, half (open loop at half of bridgelog's maximum, which needs bridgelog), stream-grpc-noop,
 * stream-bridgelog. `--against <checkout>` also runs each bridgelog part (not the no-ops) with that
 * checkout's server, right before this one's, as `<part>@against`: a lever's before and after in
 * one run.
 *
 * Drives RecordInterception with @grpc/grpc-js clients at a fixed concurrency for a fixed time,
 * in one run, against five servers, each in its own process on the same machine:
 *   1. grpc-noop   a plain @grpc/grpc-js server for the service, answering at once (the ceiling);
 *   2. noop        the one-port server and connect-node with a handler that answers at once;
 *   3. bridgelog   the recorder as configured: durable group commit to PostgreSQL;
 *   4. no-rollups  the same with the hourly rollups' triggers disabled: what maintaining them costs;
 *   5. batch1      the recorder with BRIDGELOG_BATCH_MAX_SIZE=1: a commit per call.
 * Then bridgelog again, open loop at half its maximum (the p99 a gateway would see), grpc-noop at
 * the same rate (the load generator's and transport's own tail), and
 * RecordInterceptions streams against grpc-noop and bridgelog, checking that every acknowledged
 * record was stored once. Prints requests (or records) per second, latency percentiles, the server's
 * and PostgreSQL's CPU microseconds per record (user+sys from /proc: steadier than rates on a
 * shared machine), the server's peak RSS, and the ratios. Uses DATABASE_URL, or an embedded PostgreSQL.
 *
 * `npm run bench -- --soak 10` instead measures bridgelog's maximum, holds 70% of it for 10
 * minutes and reports throughput, p99 and RSS over time (`--soak-load`, `--soak-sample`).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { create, toBinary, fromBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { KeySource } from "../gen/bridgelog/v1/interception_pb.js";
import {
  RecordInterceptionRequestSchema,
  RecordInterceptionResponseSchema,
  type RecordInterceptionRequest,
  RecordInterceptionsRequestSchema,
  type RecordInterceptionsResponse,
  RecordInterceptionsResponseSchema,
} from "../gen/bridgelog/v1/recorder_service_pb.js";
import { openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    concurrency: { type: "string", default: "64" },
    channels: { type: "string", default: "4" },
    // RecordInterceptions: streams open at once, and the records each carries.
    streams: { type: "string", default: "8" },
    "stream-records": { type: "string", default: "1000" },
    json: { type: "boolean", default: false },
    only: { type: "string" },
    against: { type: "string" },
    // Node.js options for the server processes only (e.g. --server-node-options="--cpu-prof").
    "server-node-options": { type: "string" },
    // Soak mode: minutes at `soak-load` of the measured maximum, sampled every `soak-sample` seconds.
    soak: { type: "string" },
    "soak-load": { type: "string", default: "0.7" },
    "soak-sample": { type: "string", default: "30" },
  },
});
const PARTS = ["grpc-noop", "noop", "bridgelog", "no-rollups", "batch1", "half", "stream-grpc-noop", "stream-bridgelog"];

const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const concurrency = Number(args.concurrency);
const channels = Number(args.channels);
const startedAt = timestampFromDate(new Date());
// /proc/<pid>/stat counts utime and stime in clock ticks (USER_HZ: 100 a second on Linux).
const TICK_MICROS = 10_000;
const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);

interface Result {
  mode: string;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  peakRssMiB: number;
  /** The server process's user+sys CPU over the measured window, per acknowledged record. */
  serverCpuMicrosPerRecord: number;
  /** PostgreSQL's (every postgres process on the machine) over the same window, per record. */
  postgresCpuMicrosPerRecord: number;
}

// Every server runs bridgelog's compiled build (bench/recorder-server.ts), so build it first, and the
// --against checkout's too (tsc is incremental: a few seconds when little changed).
buildServer(fileURLToPath(new URL("..", import.meta.url)));
if (args.against !== undefined) buildServer(args.against);

const database = await openBenchDatabase("recorder");
try {
  if (args.soak !== undefined) await soak(Number(args.soak), Number(args["soak-load"]), Number(args["soak-sample"]));
  else await compare();
} finally {
  await database.close();
}

/** The servers side by side: the ceilings, bridgelog with and without rollups, a commit per call. */
async function compare(): Promise<void> {
  const only = args.only?.split(",") ?? PARTS;
  const unknown = only.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0) throw new Error(`--only: unknown ${unknown.join(", ")}; known: ${PARTS.join(", ")}`);
  if (only.includes("half") && !only.includes("bridgelog")) throw new Error("--only: half needs bridgelog (half of its maximum)");
  const empty = () => database.sql`truncate interceptions, interception_rollups, interception_initiator_rollups, interception_rollup_changes, interception_dimension_rollups, interception_initiator_daily_rollups`;
  const rollups = (on: boolean) =>
    database.sql.unsafe(
      `alter table interceptions ${on ? "enable" : "disable"} trigger interception_rollups_insert, ${on ? "enable" : "disable"} trigger interception_rollups_update`,
    );
  const results: Record<string, Result> = {};
  for (const mode of withAgainst(["grpc-noop", "noop", "bridgelog", "no-rollups", "batch1"].filter((part) => only.includes(part)))) {
    await empty();
    await rollups(!mode.startsWith("no-rollups"));
    const result = await measure(mode.replace(/^no-rollups/, "bridgelog"), database.url);
    results[mode] = { ...result, mode };
    say(format(results[mode]));
  }
  await rollups(true);
  const { "grpc-noop": grpcNoop, noop, bridgelog, "no-rollups": noRollups, batch1 } = results;

  // Latency where a gateway would run it: at half of bridgelog's maximum, open loop.
  let half:
    | { rate: number; requests: number; errors: number; p50Ms: number; p99Ms: number; grpcNoop?: { p50Ms: number; p99Ms: number } }
    | undefined;
  if (only.includes("half") && bridgelog !== undefined) {
    await empty();
    const rate = Math.round(bridgelog.requestsPerSecond / 2);
    half = { rate, ...(await measureAtRate("bridgelog", database.url, rate)) };
    say(`bridgelog at ${rate} req/s (half its maximum), open loop: p50 ${half.p50Ms} ms  p99 ${half.p99Ms} ms  errors ${half.errors}`);
    // The same rate against the no-op: the part of the tail that is the load generator's and the
    // transport's, not the recorder's.
    const floor = await measureAtRate("grpc-noop", database.url, rate);
    half.grpcNoop = { p50Ms: floor.p50Ms, p99Ms: floor.p99Ms };
    say(`grpc-noop at ${rate} req/s, open loop: p50 ${floor.p50Ms} ms  p99 ${floor.p99Ms} ms  errors ${floor.errors}`);
  }

  const streams: Record<string, StreamResult> = {};
  for (const mode of withAgainst(["grpc-noop", "bridgelog"].filter((m) => only.includes(`stream-${m}`)))) {
    await empty();
    streams[mode] = await measureStreams(mode, database.url);
    say(formatStream(streams[mode]));
  }
  const { "grpc-noop": grpcNoopStream, bridgelog: bridgelogStream } = streams;

  const ratio = (a: { requestsPerSecond: number } | undefined, b: { requestsPerSecond: number } | undefined) =>
    a === undefined || b === undefined ? undefined : round(a.requestsPerSecond / b.requestsPerSecond, 2);
  const ratios = {
    bridgelogOverGrpcNoop: ratio(bridgelog, grpcNoop),
    bridgelogOverNoop: ratio(bridgelog, noop),
    bridgelogOverNoRollups: ratio(bridgelog, noRollups),
    bridgelogOverBatch1: ratio(bridgelog, batch1),
    streamOverGrpcNoopStream:
      bridgelogStream === undefined || grpcNoopStream === undefined
        ? undefined
        : round(bridgelogStream.recordsPerSecond / grpcNoopStream.recordsPerSecond, 2),
  };
  say(
    `ratios: bridgelog/grpc-noop ${ratios.bridgelogOverGrpcNoop ?? "-"} (target >= 0.6), bridgelog/noop ${ratios.bridgelogOverNoop ?? "-"}, ` +
      `bridgelog/no-rollups ${ratios.bridgelogOverNoRollups ?? "-"}, bridgelog/batch1 ${ratios.bridgelogOverBatch1 ?? "-"}; ` +
      `streaming bridgelog/grpc-noop ${ratios.streamOverGrpcNoopStream ?? "-"} (${bridgelogStream?.recordsPerSecond ?? "-"} records/s, target >= 50,000)`,
  );
  if (args.against !== undefined) {
    const against = Object.values(results)
      .filter((r) => r.mode.endsWith("@against"))
      .map((r) => `${r.mode.replace("@against", "")} ${ratio(results[r.mode.replace("@against", "")], r)}`);
    const streamAgainst = streams["bridgelog@against"];
    if (streamAgainst !== undefined && bridgelogStream !== undefined) {
      against.push(`stream-bridgelog ${round(bridgelogStream.recordsPerSecond / streamAgainst.recordsPerSecond, 2)}`);
    }
    say(`this checkout / ${args.against}: ${against.join(", ")}`);
    for (const stream of Object.values(streams)) {
      if (stream.stored !== undefined && stream.stored.acknowledged !== stream.stored.rows) say(`${stream.mode} stream: stored MISMATCH`);
    }
  }
  const stored = bridgelogStream?.stored;
  if (stored !== undefined) {
    say(`streaming: ${stored.acknowledged} records acknowledged, ${stored.rows} rows stored${stored.acknowledged === stored.rows ? " (each exactly once)" : " (MISMATCH)"}`);
  }
  if (args.json) {
    console.log(
      JSON.stringify({ seconds, warmup, concurrency, channels, results: Object.values(results), half, streams: Object.values(streams), ratios }),
    );
  }
}

/** The modes, each bridgelog one preceded by the --against checkout's (`<mode>@against`). */
function withAgainst(modes: string[]): string[] {
  if (args.against === undefined) return modes;
  return modes.flatMap((mode) => (mode.includes("noop") ? [mode] : [`${mode}@against`, mode]));
}

/** bridgelog held at `rate` requests/s, open loop, for the measured window. */
async function measureAtRate(mode: string, databaseUrl: string, rate: number) {
  const child = spawnRecorderServer(mode, databaseUrl);
  try {
    const { port, token } = await portOf(child);
    const clients = Array.from({ length: channels }, () => makeClient(`127.0.0.1:${port}`, token));
    await openLoop(clients, rate, warmup * 1000);
    const { latencies, errors } = await openLoop(clients, rate, seconds * 1000);
    for (const client of clients) client.close();
    const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN, 2);
    return { requests: latencies.length, errors, p50Ms: at(0.5), p99Ms: at(0.99) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
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
    while (performance.now() < end) {
      const windowMs = Math.min(end - performance.now(), sampleSeconds * 1000);
      const { latencies, errors } = await openLoop(clients, rate, windowMs);
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
    const cpu = await startCpu(child.pid!);
    const run = await drive(clients, seconds * 1000);
    const used = await cpu.stop();
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
      serverCpuMicrosPerRecord: round(used.serverMicros / run.latencies.length, 1),
      postgresCpuMicrosPerRecord: round(used.postgresMicros / run.latencies.length, 1),
    };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

interface StreamResult {
  mode: string;
  /** Records acknowledged as recorded in the measured window. */
  records: number;
  recordsPerSecond: number;
  /** Records answered with a rejection, and streams that failed. */
  rejected: number;
  failedStreams: number;
  serverCpuMicrosPerRecord: number;
  postgresCpuMicrosPerRecord: number;
  peakRssMiB: number;
  /** bridgelog only: rows stored, against every record acknowledged (warm-up included). */
  stored?: { acknowledged: number; rows: number };
}

/**
 * RecordInterceptions: `streams` streams at once, each carrying `stream-records` records, one
 * after the other, for the measured window. A record counts once its stream's answer says it was
 * recorded, which bridgelog sends only after the record is committed.
 */
async function measureStreams(mode: string, databaseUrl: string): Promise<StreamResult> {
  const child = spawnRecorderServer(mode, databaseUrl);
  try {
    const { port, token } = await portOf(child);
    const clients = Array.from({ length: channels }, () => makeStreamClient(`127.0.0.1:${port}`, token));
    const perStream = Number(args["stream-records"]);
    const totals = { acknowledged: 0 };
    const run = async (ms: number) => {
      let records = 0;
      let rejected = 0;
      let failedStreams = 0;
      const deadline = performance.now() + ms;
      const worker = async (w: number) => {
        const client = clients[w % clients.length]!;
        while (performance.now() < deadline) {
          try {
            const results = await client.send(perStream);
            const recorded = results.filter((r) => r.result.case === "recorded").length;
            records += recorded;
            totals.acknowledged += recorded;
            rejected += results.length - recorded;
          } catch {
            failedStreams++;
          }
        }
      };
      await Promise.all(Array.from({ length: Number(args.streams) }, (_, w) => worker(w)));
      return { records, rejected, failedStreams };
    };
    await run(warmup * 1000);
    const cpu = await startCpu(child.pid!);
    const started = performance.now();
    const measured = await run(seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    const used = await cpu.stop();
    for (const client of clients) client.close();
    const result: StreamResult = {
      mode,
      ...measured,
      recordsPerSecond: Math.round(measured.records / elapsed),
      serverCpuMicrosPerRecord: round(used.serverMicros / measured.records, 1),
      postgresCpuMicrosPerRecord: round(used.postgresMicros / measured.records, 1),
      peakRssMiB: await peakRss(child.pid!),
    };
    if (mode !== "grpc-noop") {
      const [row] = await database.sql<{ n: number }[]>`select count(*)::int as n from interceptions`;
      result.stored = { acknowledged: totals.acknowledged, rows: row!.n };
    }
    return result;
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

/**
 * A RecordInterceptions client whose records are one encoded template with a new id written into
 * it: encoding 50,000 messages a second in JavaScript would load the two shared cores with the
 * client's work, not the server's.
 */
function makeStreamClient(address: string, token: string) {
  const { interception } = request();
  const template = Buffer.from(toBinary(RecordInterceptionsRequestSchema, create(RecordInterceptionsRequestSchema, { interception })));
  const placeholder = interception!.id;
  const offset = template.indexOf(placeholder, 0, "latin1");
  if (offset < 0) throw new Error("the template has no id to replace");
  const Client = grpc.makeGenericClientConstructor(
    {
      recordInterceptions: {
        path: "/bridgelog.v1.RecorderService/RecordInterceptions",
        requestStream: true,
        responseStream: false,
        requestSerialize: (id: string) => {
          const bytes = Buffer.from(template);
          bytes.write(id, offset, "latin1");
          return bytes;
        },
        requestDeserialize: () => undefined,
        responseSerialize: () => Buffer.alloc(0),
        responseDeserialize: (bytes: Buffer) => fromBinary(RecordInterceptionsResponseSchema, bytes),
      },
    },
    "RecorderService",
  );
  const client = new Client(address, grpc.credentials.createInsecure(), { "grpc.bench_channel": randomUUID() }) as unknown as grpc.Client & {
    recordInterceptions(
      metadata: grpc.Metadata,
      callback: (error: grpc.ServiceError | null, response?: RecordInterceptionsResponse) => void,
    ): grpc.ClientWritableStream<string>;
  };
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return {
    /** Sends `count` new records on one stream; resolves with their results. */
    async send(count: number): Promise<RecordInterceptionsResponse["results"]> {
      let stream!: grpc.ClientWritableStream<string>;
      const answered = new Promise<RecordInterceptionsResponse>((resolve, reject) => {
        stream = client.recordInterceptions(metadata, (error, response) => (error ? reject(error) : resolve(response!)));
      });
      for (let i = 0; i < count; i++) {
        if (!stream.write(randomUUID())) await new Promise((resolve) => stream.once("drain", resolve));
      }
      stream.end();
      return (await answered).results;
    },
    close: () => client.close(),
  };
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

/**
 * Open loop: requests start on schedule at `rate` per second for `ms`, whatever the answers do,
 * so a slowdown shows as latency, not as a quietly lower rate. In-flight requests are capped to
 * bound the client; a request over the cap counts as an error. Latencies come back sorted.
 */
async function openLoop(clients: ReturnType<typeof makeClient>[], rate: number, ms: number) {
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  let client = 0;
  // Calls are counted, not kept: a promise per call held to the end made this process's own
  // garbage collection (and so the tail it measures) grow with the window.
  let drained: (() => void) | undefined;
  const end = performance.now() + ms;
  for (let next = performance.now(); next < end; next += 1000 / rate) {
    const wait = next - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= 1024) {
      errors++;
      continue;
    }
    inFlight++;
    const started = performance.now();
    clients[client++ % clients.length]!.recordInterception(request(), (error) => {
      inFlight--;
      if (error) errors++;
      else latencies.push(performance.now() - started);
      if (inFlight === 0) drained?.();
    });
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
  return { latencies: latencies.sort((a, b) => a - b), errors };
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

/**
 * recorder-server.ts in its own process, on the Node running this bench with tsx's loader (for that
 * file alone: bridgelog itself comes from the compiled build), with the Node.js options `npm start`
 * gives the server (so every server here runs as operators run it), then --server-node-options.
 */
function spawnRecorderServer(mode: string, databaseUrl: string): ChildProcess {
  const [plain, against] = mode.split("@");
  const script = against === undefined ? new URL("./recorder-server.ts", import.meta.url).pathname : `${args.against}/bench/recorder-server.ts`;
  const nodeOptions = [...serveNodeOptions(), ...(args["server-node-options"]?.split(" ").filter((option) => option !== "") ?? [])];
  return spawn(process.execPath, [...nodeOptions, "--import", "tsx", script, plain!, databaseUrl], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, BRIDGELOG_LOG_LEVEL: "warn" },
  });
}

/** `npm run build:server` in a checkout; a failed build stops the bench with tsc's output. */
function buildServer(checkout: string): void {
  say(`building the server in ${checkout}`);
  // Its output to stderr, so --json keeps stdout for the JSON alone.
  execFileSync("npm", ["run", "--silent", "build:server"], { cwd: checkout, stdio: ["ignore", 2, 2] });
}

/** The options between `node` and `bin/bridgelog.js` in package.json's start script. */
function serveNodeOptions(): string[] {
  const { scripts } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: { start: string } };
  const options = /^exec node (.*?) ?bin\/bridgelog\.js serve$/.exec(scripts.start);
  if (options === null) throw new Error(`package.json's start script is not \`exec node [options] bin/bridgelog.js serve\`: ${scripts.start}`);
  return options[1]!.split(" ").filter((option) => option !== "");
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

/** User+sys CPU of one process, in microseconds, from /proc. */
async function cpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command (which may hold spaces) start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
}

/** Every running PostgreSQL process (the server and its backends), by command name. */
async function postgresPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, "utf8").catch(() => "");
    if (comm.trim() === "postgres") pids.push(Number(entry));
  }
  return pids;
}

/** Starts counting the CPU of the server process and of PostgreSQL. */
async function startCpu(serverPid: number) {
  const pids = await postgresPids();
  const sum = async () => (await Promise.all(pids.map((pid) => cpuMicros(pid).catch(() => 0)))).reduce((a, b) => a + b, 0);
  const server = await cpuMicros(serverPid);
  const postgres = await sum();
  return {
    async stop() {
      // Backends that started during the window are missed; the pool opens its connections in
      // the warm-up, before counting starts.
      return { serverMicros: (await cpuMicros(serverPid)) - server, postgresMicros: (await sum()) - postgres };
    },
  };
}

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return round(kb / 1024, 1);
}


function format(r: Result): string {
  return (
    `${r.mode.padEnd(10)} ${String(r.requestsPerSecond).padStart(7)} req/s  p50 ${r.latencyMs.p50} ms  p95 ${r.latencyMs.p95} ms  p99 ${r.latencyMs.p99} ms  ` +
    `server CPU ${r.serverCpuMicrosPerRecord} us/record  PostgreSQL CPU ${r.postgresCpuMicrosPerRecord} us/record  peak RSS ${r.peakRssMiB} MiB  errors ${r.errors}`
  );
}

function formatStream(r: StreamResult): string {
  return (
    `${(r.mode + " stream").padEnd(17)} ${String(r.recordsPerSecond).padStart(7)} records/s  ` +
    `server CPU ${r.serverCpuMicrosPerRecord} us/record  PostgreSQL CPU ${r.postgresCpuMicrosPerRecord} us/record  ` +
    `peak RSS ${r.peakRssMiB} MiB  rejected ${r.rejected}  failed streams ${r.failedStreams}`
  );
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
