/**
 * `npx tsx bench/console-lists.ts [--rows 2000000] [--days 10] [--samples 100]`
 *
 * What the console's two lists cost: ListTenants and ListKeyStates, each beside a baseline of
 * GetInterception by id, through a real server and gRPC client, and what migration 000010 costs
 * on upgrade (the build of interceptions_tenant_initiator_started_idx over the seeded rows).
 *
 * Seeds interceptions as bench/query.ts does (51 tenants, one heavy with a fifth of the rows, 997
 * initiators, a third BYOK, 12% failures, over `days` days, through the rollups' triggers), then an
 * outbox event for every failed BYOK call the default notify policy names (unauthorized,
 * quota_exhausted here), created when the call ended, each with one "sent" delivery, and one device
 * per initiator. Uses DATABASE_URL (a database of its own on that server) or an embedded PostgreSQL.
 */
import { parseArgs } from "node:util";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import type { Sql } from "postgres";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { startServer } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { daysBetween, ensureInterceptionPartitions } from "../src/retention/interception-partitions.js";
import { drainRollupChanges } from "../src/rollups/rollup-applier.js";
import { openPool } from "../test/support/pool.js";
import { openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "2000000" },
    days: { type: "string", default: "10" },
    samples: { type: "string", default: "100" },
  },
});
const rows = Number(args.rows);
const days = Number(args.days);
const samples = Number(args.samples);
const log = pino({ level: "warn" });
const HEAVY = "tenant-heavy";
const round = (n: number) => Math.round(n * 10) / 10;

const database = await openBenchDatabase("console_lists");
try {
  const sql = openPool(database.url, { max: 2 });
  let started = Date.now();
  await seed(sql);
  console.log(`seeded ${rows.toLocaleString("en-US")} interceptions and their outbox in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Migration 000010's cost: the same statement, timed on the seeded rows.
  await sql`drop index interceptions_tenant_initiator_started_idx`;
  started = Date.now();
  await sql`create index interceptions_tenant_initiator_started_idx on interceptions (tenant_id, initiator_id, started_at desc)`;
  console.log(`migration 000010's index over ${rows.toLocaleString("en-US")} rows: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await sql`analyze`;
  const [counts] = await sql<{ rollups: number; events: number; heavy_events: number; heavy_keys: number }[]>`
    select (select count(*)::int from interception_rollups) as rollups,
           (select count(*)::int from notification_outbox) as events,
           (select count(*)::int from notification_outbox where tenant_id = ${HEAVY}) as heavy_events,
           (select count(*)::int from (select distinct initiator_id, provider from notification_outbox where tenant_id = ${HEAVY}) k) as heavy_keys`;
  console.log(`rollup rows ${counts!.rollups}; outbox events ${counts!.events}, heavy tenant ${counts!.heavy_events} over ${counts!.heavy_keys} keys`);
  const [anyRow] = await sql<{ id: string }[]>`select id from interceptions where tenant_id = ${HEAVY} limit 1`;
  await sql.end();

  const server = await startServer({ ...loadConfig({}), databaseUrl: database.url, port: 0, logLevel: "warn" }, log);
  try {
    const client = (token: string) =>
      createClient(
        QueryService,
        createGrpcTransport({
          baseUrl: server.url,
          interceptors: [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))],
        }),
      );
    const all = client((await server.tokens.create({ tenantId: null, scopes: ["read"] })).token);
    const heavy = client((await server.tokens.create({ tenantId: HEAVY, scopes: ["read"] })).token);
    // A deep page of the heavy tenant's keys, reached by paging.
    let deepToken = "";
    for (let seen = 0; seen < counts!.heavy_keys * 0.9; ) {
      const page = await heavy.listKeyStates({ pageSize: 500, pageToken: deepToken });
      seen += page.keyStates.length;
      deepToken = page.nextPageToken;
      if (deepToken === "") break;
    }
    const queries: Record<string, () => Promise<unknown>> = {
      "GetInterception (baseline)": () => heavy.getInterception({ id: anyRow!.id }),
      "ListTenants, every tenant, last 30 days": () => all.listTenants({}),
      "ListTenants, every tenant, last 24 h": () => all.listTenants({ startTime: ago(24), endTime: ago(0) }),
      "ListTenants, the heavy tenant's token": () => heavy.listTenants({}),
      "ListKeyStates, first page of 50": () => heavy.listKeyStates({}),
      "ListKeyStates, broken_only": () => heavy.listKeyStates({ brokenOnly: true }),
      "ListKeyStates, deep page (90% in)": () => heavy.listKeyStates({ pageToken: deepToken }),
      "ListKeyStates, one initiator": () => heavy.listKeyStates({ initiatorId: "user-5" }),
      "ListKeyStates, page of 500": () => heavy.listKeyStates({ pageSize: 500 }),
    };
    let baselineP95 = NaN;
    for (const [name, run] of Object.entries(queries)) {
      for (let i = 0; i < 10; i++) await run();
      const times: number[] = [];
      const budgetEnds = performance.now() + 30_000;
      for (let i = 0; i < samples && (i < 10 || performance.now() < budgetEnds); i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const q = (p: number) => round(times[Math.min(times.length - 1, Math.floor(p * times.length))]!);
      if (Number.isNaN(baselineP95)) baselineP95 = q(0.95);
      console.log(`${name.padEnd(42)} p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  (p95 ${round(q(0.95) / baselineP95)}x baseline)`);
    }
  } finally {
    await server.stop();
  }
} finally {
  await database.close();
}

function ago(hours: number) {
  const ms = Date.now() - hours * 3_600_000;
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

async function seed(sql: Sql): Promise<void> {
  await ensureInterceptionPartitions(sql, daysBetween(new Date(Date.now() - (days + 1) * 86_400_000), new Date()));
  const chunk = 500_000;
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    await sql`
      insert into interceptions (tenant_id, id, initiator_id, provider, model, feature, key_source, started_at, ended_at, error_type)
      select case when g % 5 = 0 then ${HEAVY} else 'tenant-' || (g % 50) end, gen_random_uuid(), 'user-' || (g % 997),
             (array['openai', 'anthropic', 'gemini', 'bedrock', 'mistral'])[1 + g % 5],
             (array['gpt-4o', 'claude-sonnet-4', 'gemini-2.5-pro', 'llama-3', 'mistral-large'])[1 + (g / 5) % 5],
             (array['chat', 'summarize', 'agent', 'embed'])[1 + g % 4],
             case when g % 3 = 0 then 'byok' else 'platform' end,
             started, started + interval '800 milliseconds', failure
      from (
        select g, now() - (g::double precision / ${rows}) * ${days} * interval '1 day' as started,
               case when g % 100 < 12 then
                 (array['rate_limited', 'overloaded', 'server_error', 'timeout', 'unauthorized', 'quota_exhausted'])[1 + (g / 100) % 6]
               end as failure
        from generate_series(${from}::int, ${to}::int) as g
      ) as s`;
  }
  // As the server's applier would have done while the rows arrived (src/rollups/rollup-applier.ts).
  await drainRollupChanges(sql, 50_000);
  await sql`
    insert into notification_outbox (tenant_id, interception_id, initiator_id, provider, error_type, status, attempts, created_at, finished_at)
    select tenant_id, id, initiator_id, provider, error_type, 'sent', 1, ended_at, ended_at
    from interceptions where key_source = 'byok' and error_type in ('unauthorized', 'permission_denied', 'quota_exhausted')`;
  await sql`
    insert into notification_deliveries (tenant_id, interception_id, attempt, outcome, devices_reached, notifier, recorded_at)
    select tenant_id, interception_id, 1, 'sent', 1, 'bench', created_at from notification_outbox`;
  await sql`
    insert into devices (tenant_id, fcm_token, initiator_id, platform)
    select distinct tenant_id, 'fcm-' || tenant_id || '-' || initiator_id, initiator_id, 'android' from interceptions where key_source = 'byok'`;
  await sql`analyze`;
}
