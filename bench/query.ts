/**
 * `npx tsx bench/query.ts [--rows 10000000] [--days 10] [--samples 100] [--keep] [--json]`
 *
 * Seeds interceptions across tenants (one heavy tenant with a fifth of the rows, spread over the
 * last `days` days, 12% failures, latencies from 0.2 to 30 s), through the hourly rollups'
 * triggers as the recorder writes them, then measures in one run, each beside its baseline:
 *   - baseline: GetInterception by primary key (the transport plus one index lookup);
 *   - ListInterceptions, first page (50 rows) and a deep cursor (90% into the tenant's rows);
 *   - ListInterceptions of failures of one type;
 *   - SummarizeErrors over 24 hours and 7 days in hourly buckets, on the hour (read from the
 *     rollups) and the same window one second later (every hour cut by a bucket boundary, so
 *     counted from the raw rows: the same RPC without the rollups);
 *   - GetOverview, what the console's overview asks for, over 24 hours, 7 days and 30 days (with
 *     the console's buckets): on the hour (the rollups) and one second later (the raw rows), and
 *     with a provider, a model, an error type and an initiator filter, and with two filters at once
 *     (where one adds nothing to the other, and where they are independent); ListTenants, the console's
 *     first call;
 *   - the console itself in chromium: from navigation to the overview's figures on screen, each
 *     time in a new browser context (an empty cache).
 * Prints p50/p95/p99 per query and each p95 as a ratio of the baseline's, then the disk the
 * rollups take beside the raw table. Targets: list p95 under 20 ms, summaries and overviews p95
 * under 100 ms over 24 hours and 200 ms over 7 days, every query of the console's overview under
 * 150 ms, the console usable within 1.5 s. Uses DATABASE_URL (a database of its own on
 * that server) or an embedded PostgreSQL.
 *
 * `--keep` (DATABASE_URL only) leaves the seeded database in place and, on the next run, measures
 * it again without seeding when it holds `--rows` rows: the seed takes most of a run at 10M rows.
 * The kept rows end when they were seeded, so their last hours fall out of the windows as the
 * seed ages; quote figures from a fresh seed.
 */
import { parseArgs } from "node:util";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import type { Sql } from "postgres";
import { ErrorType } from "../gen/bridgelog/v1/interception_pb.js";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { startServer } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { daysBetween, ensureInterceptionPartitions } from "../src/retention/interception-partitions.js";
import { drainRollupChanges } from "../src/rollups/rollup-applier.js";
import { openPool } from "../test/support/pool.js";
import { openBenchDatabase } from "./support/bench-database.js";
import { buildConsole, measureConsoleLoad } from "./support/console-load.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "10000000" },
    days: { type: "string", default: "10" },
    samples: { type: "string", default: "100" },
    keep: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const rows = Number(args.rows);
const days = Number(args.days);
const samples = Number(args.samples);
const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
const log = pino({ level: "warn" });
const HEAVY = "tenant-heavy";
const HOUR = 3_600_000;

const database = await openBenchDatabase("query", { keep: args.keep });
try {
  const sql = openPool(database.url, { max: 2 });
  const [kept] = database.existed ? await sql<{ n: string; last: Date | null }[]>`select count(*)::text as n, max(started_at) as last from interceptions` : [];
  if (kept !== undefined && Number(kept.n) === rows) {
    say(`reusing the ${rows.toLocaleString("en-US")} interceptions kept from a run whose seed ended ${kept.last?.toISOString()}`);
  } else {
    const seeded = Date.now();
    await seed(sql);
    say(`seeded ${rows.toLocaleString("en-US")} interceptions in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  }
  const [{ n: heavyRows }] = (await sql`select count(*)::int as n from interceptions where tenant_id = ${HEAVY}`) as unknown as [{ n: number }];
  const [deep] = await sql<{ id: string }[]>`
    select id from interceptions where tenant_id = ${HEAVY} order by started_at desc, id desc offset ${Math.floor(heavyRows * 0.9)} limit 1`;
  const [anyRow] = await sql<{ id: string }[]>`select id from interceptions where tenant_id = ${HEAVY} limit 1`;
  await sql.end();

  const server = await startServer({ ...loadConfig({}), databaseUrl: database.url, port: 0, logLevel: "warn" }, log);
  try {
    const { token } = await server.tokens.create({ tenantId: HEAVY, scopes: ["read"] });
    const client = createClient(
      QueryService,
      createGrpcTransport({
        baseUrl: server.url,
        interceptors: [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))],
      }),
    );
    // A deep cursor, reached the way a client reaches it: by paging (large pages to get there fast).
    let deepToken = "";
    for (let seen = 0; seen < heavyRows * 0.9; ) {
      const page = await client.listInterceptions({ pageSize: 500, pageToken: deepToken });
      seen += page.interceptions.length;
      deepToken = page.nextPageToken;
      if (page.interceptions.some((i) => i.id === deep!.id) || deepToken === "") break;
    }
    // Windows that end on the next hour, as a dashboard asks for them; and the same one second on.
    const end = Math.ceil(Date.now() / HOUR) * HOUR;
    const summary = (hours: number, shiftMs: number) => () =>
      client.summarizeErrors({
        startTime: timestampFromDate(new Date(end - hours * HOUR + shiftMs)),
        endTime: timestampFromDate(new Date(end + shiftMs)),
        bucketSeconds: 3600,
      });
    // The console's buckets (web/src/time-window.ts): hourly for a day, 3 h for a week, 12 h for 30 days.
    const overview = (hours: number, shiftMs: number, filter: { provider?: string; model?: string; feature?: string; initiatorId?: string; errorTypes?: ErrorType[] }) => () =>
      client.getOverview({
        startTime: timestampFromDate(new Date(end - hours * HOUR + shiftMs)),
        endTime: timestampFromDate(new Date(end + shiftMs)),
        bucketSeconds: hours > 168 ? 12 * 3600 : hours > 24 ? 3 * 3600 : 3600,
        filter,
      });
    const diskSql = openPool(database.url, { max: 1 });
    const queries: Record<string, () => Promise<unknown>> = {
      "GetInterception (baseline)": () => client.getInterception({ id: anyRow!.id }),
      "ListInterceptions first page": () => client.listInterceptions({ pageSize: 50 }),
      "ListInterceptions deep cursor": () => client.listInterceptions({ pageSize: 50, pageToken: deepToken }),
      "ListInterceptions quota_exhausted": () => client.listInterceptions({ pageSize: 50, errorTypes: [ErrorType.QUOTA_EXHAUSTED] }),
      "SummarizeErrors 24 h, rollups": summary(24, 0),
      "SummarizeErrors 24 h, raw rows": summary(24, 1000),
      "SummarizeErrors 7 d, rollups": summary(168, 0),
      "SummarizeErrors 7 d, raw rows": summary(168, 1000),
      "GetOverview 24 h, rollups": overview(24, 0, {}),
      "GetOverview 24 h, raw rows": overview(24, 1000, {}),
      "GetOverview 7 d, rollups": overview(168, 0, {}),
      "GetOverview 7 d, raw rows": overview(168, 1000, {}),
      "GetOverview 30 d, rollups": overview(720, 0, {}),
      "GetOverview 24 h, one provider": overview(24, 0, { provider: "openai" }),
      "GetOverview 7 d, one provider": overview(168, 0, { provider: "openai" }),
      "GetOverview 7 d, one model": overview(168, 0, { model: "gpt-4o" }),
      "GetOverview 7 d, one error type": overview(168, 0, { errorTypes: [ErrorType.RATE_LIMITED] }),
      "GetOverview 30 d, one error type": overview(720, 0, { errorTypes: [ErrorType.RATE_LIMITED] }),
      "GetOverview 7 d, one initiator": overview(168, 0, { initiatorId: "user-42" }),
      // Two filters: the heavy tenant's calls are all openai's, so the provider adds nothing to the
      // model (the top initiators read the model's maps); a model and a feature are independent,
      // and a model with an error type too (the top initiators count raw rows).
      "GetOverview 7 d, provider and model": overview(168, 0, { provider: "openai", model: "gpt-4o" }),
      "GetOverview 30 d, provider and model": overview(720, 0, { provider: "openai", model: "gpt-4o" }),
      "GetOverview 7 d, provider and error type": overview(168, 0, { provider: "openai", errorTypes: [ErrorType.RATE_LIMITED] }),
      "GetOverview 7 d, model and feature": overview(168, 0, { model: "gpt-4o", feature: "chat" }),
      "GetOverview 7 d, model and error type": overview(168, 0, { model: "gpt-4o", errorTypes: [ErrorType.RATE_LIMITED] }),
      "ListTenants 30 d": () => client.listTenants({}),
    };
    const results: Record<string, { p50: number; p95: number; p99: number; ratioToBaseline: number }> = {};
    let baselineP95 = NaN;
    for (const [name, run] of Object.entries(queries)) {
      for (let i = 0; i < 10; i++) await run(); // warm-up
      // `samples` runs, or as many as fit in 30 s (at least 10), so the raw-row baselines finish.
      const times: number[] = [];
      const budgetEnds = performance.now() + 30_000;
      for (let i = 0; i < samples && (i < 10 || performance.now() < budgetEnds); i++) {
        const started = performance.now();
        await run();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const q = (p: number) => round(times[Math.min(times.length - 1, Math.floor(p * times.length))]!);
      if (Number.isNaN(baselineP95)) baselineP95 = q(0.95);
      results[name] = { p50: q(0.5), p95: q(0.95), p99: q(0.99), ratioToBaseline: round(q(0.95) / baselineP95) };
      say(`${name.padEnd(36)} p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  p99 ${q(0.99)} ms  (p95 ${results[name]!.ratioToBaseline}x baseline)`);
    }
    const [disk] = await diskSql<{ raw: string; rollups: string; initiator_rollups: string; dimension_rollups: string; initiator_daily_rollups: string; rollup_rows: string }[]>`
      select (select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'interceptions'::regclass)::text as raw,
             pg_total_relation_size('interception_rollups')::text as rollups,
             pg_total_relation_size('interception_initiator_rollups')::text as initiator_rollups,
             pg_total_relation_size('interception_dimension_rollups')::text as dimension_rollups,
             pg_total_relation_size('interception_initiator_daily_rollups')::text as initiator_daily_rollups,
             (select count(*) from interception_rollups)::text as rollup_rows`;
    const mib = (bytes: string) => round(Number(bytes) / 2 ** 20);
    say(
      `disk: interceptions ${mib(disk!.raw)} MiB, rollups ${mib(disk!.rollups)} MiB (${disk!.rollup_rows} rows), ${round(Number(disk!.rollups) / Number(disk!.raw))}x; ` +
        `initiator rollups ${mib(disk!.initiator_rollups)} MiB, by dimension value ${mib(disk!.dimension_rollups)} MiB, initiators by day ${mib(disk!.initiator_daily_rollups)} MiB`,
    );
    await diskSql.end();
    await buildConsole();
    const load = await measureConsoleLoad(server.url, token, "", ".kpi strong", 10);
    const at = (p: number) => round(load.times[Math.min(load.times.length - 1, Math.floor(p * load.times.length))]!);
    say(`console usable (overview, empty cache, ${load.times.length} loads): p50 ${at(0.5)} ms  p95 ${at(0.95)} ms`);
    if (args.json) {
      console.log(JSON.stringify({ rows, days, heavyTenantRows: heavyRows, samples, results, consoleLoadMs: { p50: at(0.5), p95: at(0.95) }, disk: { rawMiB: mib(disk!.raw), rollupsMiB: mib(disk!.rollups) } }));
    }
  } finally {
    await server.stop();
  }
} finally {
  await database.close();
}

/**
 * INSERT ... SELECT over generate_series, in chunks of half a million rows so the rollups'
 * statement trigger sees batches of a realistic order (the recorder's are 500): a fifth of the rows
 * for the heavy tenant, the rest over 50 others, spread over `days` days; 12% failures across the
 * taxonomy; latencies skewed from 0.2 s to 30 s.
 */
async function seed(sql: Sql): Promise<void> {
  await sql`truncate interceptions, interception_rollups, interception_initiator_rollups, interception_rollup_changes, interception_dimension_rollups, interception_initiator_daily_rollups`;
  // The seeded days' partitions (the server makes only yesterday onwards).
  await ensureInterceptionPartitions(sql, daysBetween(new Date(Date.now() - (days + 1) * 86_400_000), new Date()));
  const chunk = 500_000;
  for (let from = 1; from <= rows; from += chunk) {
    await seedChunk(sql, from, Math.min(rows, from + chunk - 1));
  }
  // As the server's applier would have done while the rows arrived (src/rollups/rollup-applier.ts).
  await drainRollupChanges(sql, 50_000);
  await sql`analyze interceptions`;
  await sql`analyze interception_rollups`;
  await sql`analyze interception_dimension_rollups`;
  await sql`analyze interception_initiator_rollups`;
  await sql`analyze interception_initiator_daily_rollups`;
}

async function seedChunk(sql: Sql, from: number, to: number): Promise<void> {
  await sql`
    insert into interceptions (tenant_id, id, initiator_id, provider, model, feature, key_source, started_at, ended_at,
                               input_tokens, output_tokens, cost_micros, error_type, error_message, provider_code)
    select case when g % 5 = 0 then ${HEAVY} else 'tenant-' || (g % 50) end,
           gen_random_uuid(),
           'user-' || (g % 997),
           (array['openai', 'anthropic', 'gemini', 'bedrock', 'mistral'])[1 + g % 5],
           (array['gpt-4o', 'claude-sonnet-4', 'gemini-2.5-pro', 'llama-3', 'mistral-large'])[1 + (g / 5) % 5],
           (array['chat', 'summarize', 'agent', 'embed'])[1 + g % 4],
           case when g % 3 = 0 then 'byok' else 'platform' end,
           started, started + (200 + 29800 * power((g::bigint * 7919 % 1000) / 1000.0, 4)) * interval '1 millisecond',
           1000 + g % 500, 200 + g % 300, 1500 + g % 900,
           failure,
           case when failure is null then null else 'upstream said no (' || failure || ')' end,
           case when failure = 'quota_exhausted' then 'insufficient_quota' end
    from (
      select g,
             now() - (g::double precision / ${rows}) * ${days} * interval '1 day' as started,
             case when g % 100 < 12 then
               (array['rate_limited', 'overloaded', 'server_error', 'timeout', 'unauthorized', 'quota_exhausted'])[1 + (g / 100) % 6]
             end as failure
      from generate_series(${from}::int, ${to}::int) as g
    ) as s`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
