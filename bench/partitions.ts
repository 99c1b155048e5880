/**
 * `npx tsx bench/partitions.ts [--rows 300000] [--days 30] [--rounds 40] [--json]`
 *
 * What partitioning `interceptions` by day costs, against the same table unpartitioned (same
 * columns, same key, same indexes), in one run. Both databases are seeded with `--rows` spread
 * over `--days` days (one partition each on the partitioned side), then, alternating between the
 * two so that machine noise falls on both:
 *   - new records: the recorder's batch statement with 500 new interceptions of today;
 *   - merges: the same statement again with those records ended (every row hits ON CONFLICT);
 *   - lookups by id: GetInterception's query, which cannot name a day and so probes every
 *     partition's key index.
 * Prints each side's rate and the partitioned/plain ratio. Uses DATABASE_URL (two databases of
 * its own there) or two embedded PostgreSQL servers.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import type postgres from "postgres";
import type { NormalizedInterception } from "../src/interception/interception.js";
import { createNotifyPolicy } from "../src/outbox/notify-policy.js";
import { getInterception } from "../src/query/get-interceptions.js";
import { writeInterceptions } from "../src/recorder/write-interceptions.js";
import { daysBetween, ensureInterceptionPartitions } from "../src/retention/interception-partitions.js";
import { openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "300000" },
    days: { type: "string", default: "30" },
    rounds: { type: "string", default: "40" },
    json: { type: "boolean", default: false },
  },
});
const rows = Number(args.rows);
const days = Number(args.days);
const rounds = Number(args.rounds);
const BATCH = 500;
const LOOKUPS_PER_ROUND = 50;
const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
const policy = createNotifyPolicy(["unauthorized", "permission_denied", "quota_exhausted"]);

const partitioned = await openBenchDatabase("partitioned");
const plain = await openBenchDatabase("plain");
try {
  // The baseline: the migrated table, rebuilt as one ordinary table with the same definition.
  await plain.sql.unsafe(`
    alter table interceptions rename to interceptions_by_day;
    create table interceptions (like interceptions_by_day including all);
    drop table interceptions_by_day;`);
  const now = Date.now();
  await ensureInterceptionPartitions(partitioned.sql, daysBetween(new Date(now - days * 86_400_000), new Date(now)));
  for (const side of [partitioned, plain]) await seed(side.sql, now);
  say(`seeded ${rows.toLocaleString("en-US")} interceptions over ${days} days on each side`);
  const ids = await plain.sql<{ tenant_id: string; id: string }[]>`
    select tenant_id, id from interceptions order by random() limit ${LOOKUPS_PER_ROUND * rounds}`;

  const totals = {
    partitioned: { insertMs: 0, mergeMs: 0, lookupMs: 0 },
    plain: { insertMs: 0, mergeMs: 0, lookupMs: 0 },
  };
  for (let round = 0; round < rounds; round++) {
    const batch = Array.from({ length: BATCH }, () => record(new Date()));
    const ended = batch.map((r) => ({ ...r, endedAt: new Date(Date.parse(r.startedAt) + 900).toISOString(), inputTokens: 10n }));
    const lookups = ids.slice(round * LOOKUPS_PER_ROUND, (round + 1) * LOOKUPS_PER_ROUND);
    // Alternate which side goes first, so neither always runs on a warmer machine.
    const order = round % 2 === 0 ? (["partitioned", "plain"] as const) : (["plain", "partitioned"] as const);
    for (const name of order) {
      const sql = name === "partitioned" ? partitioned.sql : plain.sql;
      const total = totals[name];
      total.insertMs += await timed(() => writeInterceptions(sql, batch, policy));
      total.mergeMs += await timed(() => writeInterceptions(sql, ended, policy));
      total.lookupMs += await timed(async () => {
        for (const key of lookups) await getInterception(sql, key.tenant_id, key.id);
      });
    }
  }

  const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
  const results = Object.fromEntries(
    (["partitioned", "plain"] as const).map((name) => [
      name,
      {
        insertsPerSecond: rate(BATCH * rounds, totals[name].insertMs),
        mergesPerSecond: rate(BATCH * rounds, totals[name].mergeMs),
        lookupsPerSecond: rate(LOOKUPS_PER_ROUND * rounds, totals[name].lookupMs),
      },
    ]),
  ) as Record<"partitioned" | "plain", { insertsPerSecond: number; mergesPerSecond: number; lookupsPerSecond: number }>;
  for (const name of ["partitioned", "plain"] as const) {
    const r = results[name];
    say(`${name.padEnd(12)} inserts ${r.insertsPerSecond}/s  merges ${r.mergesPerSecond}/s  lookups by id ${r.lookupsPerSecond}/s`);
  }
  const ratio = (key: keyof (typeof results)["plain"]) => Math.round((results.partitioned[key] / results.plain[key]) * 100) / 100;
  const ratios = { inserts: ratio("insertsPerSecond"), merges: ratio("mergesPerSecond"), lookups: ratio("lookupsPerSecond") };
  say(`partitioned/plain: inserts ${ratios.inserts}, merges ${ratios.merges}, lookups by id ${ratios.lookups} (${days} partitions)`);
  if (args.json) console.log(JSON.stringify({ rows, days, rounds, batch: BATCH, results, ratios }));
} finally {
  await partitioned.close();
  await plain.close();
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** The same rows on both sides: 50 tenants, evenly over the days, 12% failures. */
async function seed(sql: postgres.Sql, now: number): Promise<void> {
  await sql`
    insert into interceptions (tenant_id, id, initiator_id, provider, model, key_source, started_at, ended_at, error_type)
    select 'tenant-' || (g % 50), gen_random_uuid(), 'user-' || (g % 997), 'openai', 'gpt-4o', 'platform',
           to_timestamp(${now / 1000}) - (g::double precision / ${rows}) * ${days} * interval '1 day',
           to_timestamp(${now / 1000}) - (g::double precision / ${rows}) * ${days} * interval '1 day' + interval '1 second',
           case when g % 100 < 12 then 'rate_limited' end
    from generate_series(1, ${rows}) as g`;
  await sql`analyze interceptions`;
}

function record(startedAt: Date): NormalizedInterception {
  return {
    tenantId: `tenant-${Math.floor(Math.random() * 50)}`,
    id: randomUUID(),
    initiatorId: "user-1",
    provider: "openai",
    model: "gpt-4o",
    feature: "chat",
    keySource: "platform",
    client: "bench",
    threadRootId: null,
    threadParentId: null,
    startedAt: startedAt.toISOString(),
    endedAt: null,
    streaming: false,
    inputTokens: 0n,
    outputTokens: 0n,
    cacheReadTokens: 0n,
    cacheWriteTokens: 0n,
    costMicros: 0n,
    metadata: {},
    errorType: null,
    errorMessage: null,
    errorMessageTruncated: false,
    errorMessageBytes: 0,
    providerCode: null,
    retryAfterMs: null,
    upstream: null,
  };
}
