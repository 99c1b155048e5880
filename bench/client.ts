/**
 * `npx tsx bench/client.ts [--json] [--calls 100000] [--records 20000] [--concurrency 64]`
 *
 * Measures the bridge SDK (`@bridgelog/client`) in one run, each figure beside its baseline:
 *   1. overhead: the time per call of `await recorder.track(scope, fn)` against `await fn()`, with
 *      `fn` a no-op async function, in alternating blocks so both see the same JIT, GC and CPU
 *      state. Median and p99 per call, the difference in microseconds and the ratio. The event
 *      loop is yielded between blocks, never inside a timed call, so the recorder's background
 *      sending runs between blocks: this is the cost on the caller's path.
 *   2. delivery: records/s the SDK delivers to a real bridgelog server (started in this process,
 *      on DATABASE_URL or an embedded PostgreSQL) from `track` to committed rows, against unary
 *      `RecordInterception` calls, `--concurrency` in flight over the same connect-node gRPC
 *      transport to the same server (what a bridge without the SDK would do).
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { KeySource } from "../gen/bridgelog/v1/interception_pb.js";
import { RecorderService } from "../gen/bridgelog/v1/recorder_service_pb.js";
import { startServer } from "../src/app.js";
import { createRecorder, type CallScope } from "../src/client/index.js";
import { loadConfig } from "../src/config.js";
import { openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    calls: { type: "string", default: "100000" },
    records: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "64" },
    json: { type: "boolean", default: false },
  },
});
const calls = Number(args.calls);
const records = Number(args.records);
const concurrency = Number(args.concurrency);
const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
const log = pino({ level: "warn" });

const SCOPE: CallScope = {
  tenantId: "bench-tenant",
  initiatorId: "user-42",
  feature: "chat",
  provider: "openai",
  model: "gpt-4o",
  keySource: "byok",
};

const database = await openBenchDatabase("client");
const server = await startServer({ ...loadConfig({}), databaseUrl: database.url, host: "127.0.0.1", port: 0 }, log);
try {
  const { token } = await server.tokens.create({ tenantId: null, scopes: ["record"], label: "bench" });
  const overhead = await measureOverhead(server.url, token);
  say(
    `overhead per call: median ${overhead.overheadUs.median} µs (${overhead.ratio.median}x of ${overhead.baseline.medianUs} µs), ` +
      `p99 ${overhead.overheadUs.p99} µs (${overhead.ratio.p99}x of ${overhead.baseline.p99Us} µs)  target: median < 5 µs`,
  );
  const sdk = await measureSdkDelivery(server.url, token);
  say(`delivery: SDK ${sdk.recordsPerSecond} records/s (${sdk.records} records, batches of ${sdk.batchSize})`);
  const unary = await measureUnary(server.url, token);
  say(`delivery: unary RecordInterception ${unary.recordsPerSecond} records/s (${unary.records} records, ${unary.concurrency} in flight)`);
  const deliveryRatio = round(sdk.recordsPerSecond / unary.recordsPerSecond, 2);
  say(`SDK/unary = ${deliveryRatio}`);
  if (args.json) console.log(JSON.stringify({ overhead, delivery: { sdk, unary, sdkOverUnary: deliveryRatio } }));
} finally {
  await server.stop();
  await database.close();
}

async function measureOverhead(baseUrl: string, token: string) {
  const recorder = createRecorder({ baseUrl, token });
  const fn = async () => undefined;
  const blockSize = 1000;
  const blocks = Math.max(1, Math.round(calls / blockSize));
  const baseline = new Float64Array(blocks * blockSize);
  const tracked = new Float64Array(blocks * blockSize);
  const scope = { ...SCOPE, tenantId: `bench-overhead-${randomUUID()}` };
  const block = async (into: Float64Array | undefined, offset: number, track: boolean) => {
    for (let i = 0; i < blockSize; i++) {
      const start = performance.now();
      if (track) await recorder.track(scope, fn);
      else await fn();
      const elapsed = performance.now() - start;
      if (into !== undefined) into[offset + i] = elapsed;
    }
    await new Promise((resolve) => setImmediate(resolve)); // the recorder's background work runs here
  };
  for (let b = 0; b < 50; b++) {
    await block(undefined, 0, false);
    await block(undefined, 0, true);
  }
  for (let b = 0; b < blocks; b++) {
    // Alternate which goes first, so neither always follows the other's garbage.
    const first = b % 2 === 0;
    await block(first ? baseline : tracked, b * blockSize, !first);
    await block(first ? tracked : baseline, b * blockSize, first);
  }
  await recorder.close();
  baseline.sort();
  tracked.sort();
  const q = (values: Float64Array, p: number) => values[Math.min(values.length - 1, Math.floor(p * values.length))]! * 1000;
  const base = { medianUs: round(q(baseline, 0.5), 3), p99Us: round(q(baseline, 0.99), 3) };
  const withTrack = { medianUs: round(q(tracked, 0.5), 3), p99Us: round(q(tracked, 0.99), 3) };
  return {
    callsEach: baseline.length,
    baseline: base,
    tracked: withTrack,
    overheadUs: { median: round(q(tracked, 0.5) - q(baseline, 0.5), 3), p99: round(q(tracked, 0.99) - q(baseline, 0.99), 3) },
    ratio: { median: round(q(tracked, 0.5) / q(baseline, 0.5), 2), p99: round(q(tracked, 0.99) / q(baseline, 0.99), 2) },
    recorderCounters: recorder.counters(),
  };
}

/** Tracks `records` no-op calls, then times until close() has every one committed. */
async function measureSdkDelivery(baseUrl: string, token: string) {
  const batchSize = 500;
  const recorder = createRecorder({ baseUrl, token, maxBatchSize: batchSize, maxBufferedRecords: records, closeTimeoutMs: 60_000 });
  const scope = { ...SCOPE, tenantId: `bench-sdk-${randomUUID()}` };
  const fn = async () => ({ usage: { prompt_tokens: 1200, completion_tokens: 300 } });
  const started = performance.now();
  for (let i = 0; i < records; i++) {
    await recorder.track(scope, fn);
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve)); // let delivery start meanwhile
  }
  await recorder.close();
  const seconds = (performance.now() - started) / 1000;
  const counters = recorder.counters();
  const stored = await countRows(scope.tenantId);
  if (stored !== records || counters.sent !== records) throw new Error(`the SDK stored ${stored} of ${records} records: ${JSON.stringify(counters)}`);
  return { records, batchSize, seconds: round(seconds, 2), recordsPerSecond: Math.round(records / seconds) };
}

/** The same records, one unary call each, `concurrency` in flight. */
async function measureUnary(baseUrl: string, token: string) {
  const client = createClient(
    RecorderService,
    createGrpcTransport({
      baseUrl,
      interceptors: [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))],
    }),
  );
  const tenantId = `bench-unary-${randomUUID()}`;
  let next = 0;
  const worker = async () => {
    while (next++ < records) {
      const now = timestampNow();
      await client.recordInterception({
        interception: {
          id: randomUUID(),
          tenantId,
          initiatorId: SCOPE.initiatorId,
          provider: SCOPE.provider,
          model: SCOPE.model,
          feature: SCOPE.feature,
          keySource: KeySource.BYOK,
          startedAt: now,
          endedAt: now,
          usage: { inputTokens: 1200n, outputTokens: 300n },
        },
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const stored = await countRows(tenantId);
  if (stored !== records) throw new Error(`unary calls stored ${stored} of ${records} records`);
  return { records, concurrency, seconds: round(seconds, 2), recordsPerSecond: Math.round(records / seconds) };
}

async function countRows(tenantId: string): Promise<number> {
  const [row] = await database.sql<{ count: number }[]>`select count(*)::int as count from interceptions where tenant_id = ${tenantId}`;
  return row?.count ?? 0;
}


function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
