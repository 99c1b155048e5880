/**
 * `tsx bench/write-path.ts [--batch 500] [--batches 200]`: the recorder's write statement alone,
 * without gRPC: batches of new records written one after another by `writeInterceptions`, with
 * the client's (this process's) and PostgreSQL's backend CPU per record from /proc, with the
 * rollups' triggers on and off. What a change to the statement or the triggers costs, measured
 * where it is paid. `--candidate file.sql` applies that SQL afterwards (a migration being tried) and
 * measures again, in the same run. Uses DATABASE_URL (its own database, dropped after), or an embedded PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { NormalizedInterception } from "../src/interception/interception.js";
import { createNotifyPolicy } from "../src/outbox/notify-policy.js";
import { writeInterceptions } from "../src/recorder/write-interceptions.js";
import { openPool } from "../test/support/pool.js";
import { openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    batch: { type: "string", default: "500" },
    batches: { type: "string", default: "200" },
    // An SQL file applied after the first runs, then measured as "candidate" (a migration to try).
    candidate: { type: "string" },
  },
});
const batchSize = Number(args.batch);
const batches = Number(args.batches);
const TICK_MICROS = 10_000;
const policy = createNotifyPolicy();

const database = await openBenchDatabase("write_path");
const sql = openPool(database.url, { max: 1 });
try {
  const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const pid = row!.pid;
  // ISO 8601 with microseconds, as normalisation makes it.
  const startedAt = new Date().toISOString().replace("Z", "000Z");
  const record = (): NormalizedInterception => ({
    tenantId: "bench-tenant",
    id: randomUUID(),
    initiatorId: "user-42",
    provider: "openai",
    model: "gpt-4o",
    feature: "chat",
    keySource: "byok",
    client: "bench/1.0",
    threadRootId: null,
    threadParentId: null,
    startedAt,
    endedAt: startedAt,
    streaming: false,
    inputTokens: 1200n,
    outputTokens: 300n,
    cacheReadTokens: 0n,
    cacheWriteTokens: 0n,
    costMicros: 4500n,
    metadata: { route: "/v1/chat/completions" },
    errorType: "rate_limited",
    errorMessage: "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29800.",
    errorMessageTruncated: false,
    errorMessageBytes: 104,
    providerCode: null,
    retryAfterMs: null,
    upstream: null,
  });
  const cpu = async (p: number) => {
    const stat = await readFile(`/proc/${p}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
  };
  const run = async (label: string) => {
    await sql`truncate interceptions, interception_rollups, interception_initiator_rollups, interception_rollup_changes, interception_dimension_rollups, interception_initiator_daily_rollups, notification_outbox`;
    for (let i = 0; i < 10; i++) await writeInterceptions(sql, Array.from({ length: batchSize }, record), policy);
    const work = Array.from({ length: batches }, () => Array.from({ length: batchSize }, record));
    const client0 = process.cpuUsage();
    const backend0 = await cpu(pid);
    const started = performance.now();
    for (const batch of work) await writeInterceptions(sql, batch, policy);
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(client0);
    const backend = (await cpu(pid)) - backend0;
    const n = batches * batchSize;
    console.log(
      `${label.padEnd(12)} ${Math.round(n / seconds)} records/s (one connection)  client CPU ${((client.user + client.system) / n).toFixed(1)} us/record  ` +
        `PostgreSQL backend CPU ${(backend / n).toFixed(1)} us/record`,
    );
  };
  const triggers = (on: boolean) =>
    sql.unsafe(
      `alter table interceptions ${on ? "enable" : "disable"} trigger interception_rollups_insert, ${on ? "enable" : "disable"} trigger interception_rollups_update`,
    );
  await run("rollups");
  await triggers(false);
  await run("no-rollups");
  await triggers(true);
  await run("rollups");
  if (args.candidate !== undefined) {
    await sql.unsafe(await readFile(args.candidate, "utf8"));
    await run("candidate");
  }
} finally {
  await sql.end();
  await database.close();
}
