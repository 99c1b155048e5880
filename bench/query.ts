/**
 * `npx tsx bench/query.ts [--rows 1000000] [--samples 200] [--json]`
 *
 * Seeds interceptions across tenants (one heavy tenant with a fifth of the rows, spread over the
 * last 7 days, 12% failures), then measures the query API through a real server and a real
 * Connect gRPC client, in one run:
 *   - baseline: GetInterception by primary key (the transport plus one index lookup);
 *   - ListInterceptions, first page (50 rows) and a deep cursor (90% into the tenant's rows);
 *   - ListInterceptions of failures of one type;
 *   - SummarizeErrors over the last 24 hours in hourly buckets.
 * Prints p50/p95/p99 per query and each p95 as a ratio of the baseline's. Targets: list p95 under
 * 20 ms, summary p95 under 200 ms. Uses DATABASE_URL (a database of its own on that server) or an
 * embedded PostgreSQL.
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
import { openPool } from "../test/support/pool.js";
import { openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    samples: { type: "string", default: "200" },
    json: { type: "boolean", default: false },
  },
});
const rows = Number(args.rows);
const samples = Number(args.samples);
const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
const log = pino({ level: "warn" });
const HEAVY = "tenant-heavy";

const database = await openBenchDatabase("query");
try {
  const sql = openPool(database.url, { max: 2 });
  const seeded = Date.now();
  await seed(sql);
  say(`seeded ${rows.toLocaleString("en-US")} interceptions in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
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
    const now = new Date();
    const dayAgo = new Date(now.getTime() - 86_400_000);
    const queries: Record<string, () => Promise<unknown>> = {
      "GetInterception (baseline)": () => client.getInterception({ id: anyRow!.id }),
      "ListInterceptions first page": () => client.listInterceptions({ pageSize: 50 }),
      "ListInterceptions deep cursor": () => client.listInterceptions({ pageSize: 50, pageToken: deepToken }),
      "ListInterceptions quota_exhausted": () => client.listInterceptions({ pageSize: 50, errorTypes: [ErrorType.QUOTA_EXHAUSTED] }),
      "SummarizeErrors 24 h": () =>
        client.summarizeErrors({ startTime: timestampFromDate(dayAgo), endTime: timestampFromDate(now), bucketSeconds: 3600 }),
    };
    const results: Record<string, { p50: number; p95: number; p99: number; ratioToBaseline: number }> = {};
    let baselineP95 = NaN;
    for (const [name, run] of Object.entries(queries)) {
      for (let i = 0; i < 10; i++) await run(); // warm-up
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
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
    if (args.json) console.log(JSON.stringify({ rows, heavyTenantRows: heavyRows, samples, results }));
  } finally {
    await server.stop();
  }
} finally {
  await database.close();
}

/**
 * One INSERT ... SELECT over generate_series: a fifth of the rows for the heavy tenant, the rest
 * over 50 others, spread over 7 days; 12% failures across the taxonomy.
 */
async function seed(sql: Sql): Promise<void> {
  await sql`truncate interceptions`;
  // The seeded week's day partitions (the server makes only yesterday onwards).
  await ensureInterceptionPartitions(sql, daysBetween(new Date(Date.now() - 8 * 86_400_000), new Date()));
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
           started, started + interval '800 milliseconds',
           1000 + g % 500, 200 + g % 300, 1500 + g % 900,
           failure,
           case when failure is null then null else 'upstream said no (' || failure || ')' end,
           case when failure = 'quota_exhausted' then 'insufficient_quota' end
    from (
      select g,
             now() - (g::double precision / ${rows}) * interval '7 days' as started,
             case when g % 100 < 12 then
               (array['rate_limited', 'overloaded', 'server_error', 'timeout', 'unauthorized', 'quota_exhausted'])[1 + (g / 100) % 6]
             end as failure
      from generate_series(1, ${rows}) as g
    ) as s`;
  await sql`analyze interceptions`;
}


function round(value: number): number {
  return Math.round(value * 100) / 100;
}
