import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import { prune } from "../../src/retention/prune.js";
import { runBridgelog } from "../support/cli.js";
import { interception, recorderClient } from "../support/clients.js";
import { useTestServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { openPool } from "../support/pool.js";

// No retention on this server: records of any past day are accepted, and pruning is by hand.
const env = useTestServer();
const DAY = 86_400_000;
const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * DAY);
const dayName = (date: Date) => `interceptions_p${date.toISOString().slice(0, 10).replaceAll("-", "")}`;

/** Runs `bridgelog prune ...` against this file's database, with no retention configured. */
const bridgelog = (...args: string[]) => runBridgelog(env.db.url, ["prune", ...args], { BRIDGELOG_RETENTION: "" });

/** Records one interception per age (in days) for `tenantId` through the real recorder. */
async function recordAged(tenantId: string, ages: number[]): Promise<void> {
  const client = recorderClient("grpc", env.server.url, env.server.token);
  for (const age of ages) {
    const startedAt = daysAgo(age);
    await client.recordInterception({
      interception: interception({
        tenantId,
        startedAt: timestampFromDate(startedAt),
        endedAt: timestampFromDate(new Date(startedAt.getTime() + 1000)),
        metadata: { age: String(age) },
      }),
    });
  }
}

/** The ages (in days) of the hours the tenant's rollups hold as queries read them (with changes not yet applied), oldest first. */
async function agesRolledUp(tenantId: string): Promise<number[]> {
  const rows = await env.db.sql<{ hour: Date }[]>`
    select hour from interception_rollups_live where tenant_id = ${tenantId} group by hour having sum(calls) > 0 order by hour`;
  return rows.map((r) => Math.floor((now - r.hour.getTime()) / DAY));
}

async function agesStored(tenantId: string): Promise<number[]> {
  const rows = await env.db.sql<{ age: string }[]>`
    select metadata->>'age' as age from interceptions where tenant_id = ${tenantId} order by started_at`;
  return rows.map((r) => Number(r.age)).sort((a, b) => b - a);
}

async function tableExists(name: string): Promise<boolean> {
  const [row] = await env.db.sql`select to_regclass(${name}) is not null as exists`;
  return row?.exists === true;
}

describe("bridgelog prune", () => {
  const tenant = "t-prune-cli";
  beforeAll(async () => {
    // Days 40 and 31 back have no partition until these records arrive: the write path makes them.
    await recordAged(tenant, [40, 31, 29, 0]);
    // Notification history: finished and pending events, and deliveries, old and new.
    await env.db.sql`
      insert into notification_outbox (tenant_id, interception_id, initiator_id, provider, error_type, status, created_at)
      values
        (${tenant}, gen_random_uuid(), 'u', 'openai', 'unauthorized', 'sent', ${daysAgo(40)}),
        (${tenant}, gen_random_uuid(), 'u', 'openai', 'unauthorized', 'dead', ${daysAgo(35)}),
        (${tenant}, gen_random_uuid(), 'u', 'openai', 'unauthorized', 'pending', ${daysAgo(35)}),
        (${tenant}, gen_random_uuid(), 'u', 'openai', 'unauthorized', 'sent', ${daysAgo(1)})`;
    await env.db.sql`
      insert into notification_deliveries (tenant_id, interception_id, attempt, outcome, notifier, recorded_at)
      values (${tenant}, gen_random_uuid(), 1, 'sent', 'n', ${daysAgo(40)}), (${tenant}, gen_random_uuid(), 1, 'sent', 'n', ${daysAgo(1)})`;
  });

  it("when records arrive for days that have no partition, then the write path creates those days", async () => {
    expect(await agesStored(tenant)).toEqual([40, 31, 29, 0]);
    expect(await tableExists(dayName(daysAgo(40)))).toBe(true);
  });

  it("when run with --dry-run, then it lists the days past the period and removes nothing", async () => {
    const result = await bridgelog("--older-than", "30d", "--dry-run");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(`would drop interceptions of ${daysAgo(40).toISOString().slice(0, 10)}`);
    expect(result.stdout).toContain(`would drop interceptions of ${daysAgo(31).toISOString().slice(0, 10)}`);
    expect(result.stdout).not.toContain(daysAgo(29).toISOString().slice(0, 10));
    expect(result.stdout).toContain("would delete 2 finished notification events and 1 delivery records");
    expect(result.stdout).toMatch(/would delete [1-9][0-9]* hourly rollup rows of those days/);
    expect(await agesStored(tenant)).toEqual([40, 31, 29, 0]);
    expect(await agesRolledUp(tenant)).toEqual([40, 31, 29, 0]);
  });

  it("when run, then whole days older than the period are dropped and everything younger stays", async () => {
    const result = await bridgelog("--older-than", "30d");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(`dropped interceptions of ${daysAgo(40).toISOString().slice(0, 10)}`);
    expect(result.stdout).toContain("deleted 2 finished notification events and 1 delivery records");
    expect(await agesStored(tenant)).toEqual([29, 0]);
    // The rollups of the dropped days go with them.
    expect(await agesRolledUp(tenant)).toEqual([29, 0]);
    expect(await tableExists(dayName(daysAgo(40)))).toBe(false);
    expect(await tableExists(dayName(daysAgo(31)))).toBe(false);
    expect(await tableExists(dayName(daysAgo(29)))).toBe(true);
    // A pending event is never deleted, however old: it has not been handled yet.
    const events = await env.db.sql`select status from notification_outbox where tenant_id = ${tenant} order by created_at`;
    expect(events.map((e) => e.status)).toEqual(["pending", "sent"]);
    const deliveries = await env.db.sql`select 1 from notification_deliveries where tenant_id = ${tenant}`;
    expect(deliveries).toHaveLength(1);
  });

  it("when run again, then there is nothing to do and it says so", async () => {
    const result = await bridgelog("--older-than", "30d");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("no day of interceptions is wholly older than the cutoff");
  });

  it("when the period is missing or malformed, then it names the option and exits 2", async () => {
    expect(await bridgelog()).toMatchObject({ code: 2, stderr: expect.stringContaining("--older-than") });
    for (const bad of ["30", "0d", "1.5d", "30h", "-3d"]) {
      expect(await bridgelog(`--older-than=${bad}`)).toMatchObject({ code: 2, stderr: expect.stringContaining("--older-than must be a whole number of days") });
    }
    expect(await bridgelog("--older-then", "30d")).toMatchObject({ code: 2, stderr: expect.stringContaining("older-then") });
    expect(await bridgelog("--help")).toMatchObject({ code: 0, stdout: expect.stringContaining("usage: bridgelog prune [--older-than 30d] [--dry-run]") });
  });
});

describe("prune against a busy database", () => {
  const tenant = "t-prune-busy";
  beforeAll(async () => {
    await recordAged(tenant, [60, 59, 58, 1]);
  });

  it("when a prune was interrupted after detaching a day, then the next prune drops that table", async () => {
    const leftover = dayName(daysAgo(60));
    await env.db.sql.unsafe(`alter table interceptions detach partition "${leftover}"`);
    expect(await agesStored(tenant)).toEqual([59, 58, 1]);
    const result = await prune(env.db.sql, { cutoff: daysAgo(59) });
    expect(result.days).toEqual([daysAgo(60).toISOString().slice(0, 10)]);
    expect(await tableExists(leftover)).toBe(false);
  });

  it("when a prune was cut off while detaching a day, then the next prune finishes the detach and drops the day", async () => {
    const day = dayName(daysAgo(59));
    const reader = openPool(env.db.url);
    const detacher = openPool(env.db.url);
    try {
      // A concurrent detach waits for running queries; cancelling it then leaves it pending.
      const report = await reader.reserve();
      await report`begin`;
      await report`select count(*) from interceptions`;
      const detaching = detacher.unsafe(`alter table interceptions detach partition "${day}" concurrently`).catch((e: unknown) => e);
      await waitFor("the detach to wait", async () => {
        const [row] = await env.db.sql`
          select pid from pg_stat_activity
          where datname = current_database() and query like 'alter table interceptions detach%' and wait_event_type = 'Lock'`;
        return row === undefined ? undefined : (row.pid as number);
      }).then((pid) => env.db.sql`select pg_cancel_backend(${pid})`);
      expect(await detaching).toMatchObject({ code: "57014" });
      await report`commit`;
      report.release();
      const [pending] = await env.db.sql`select inhdetachpending from pg_inherits where inhrelid = ${day}::regclass`;
      expect(pending?.inhdetachpending).toBe(true);

      const result = await prune(env.db.sql, { cutoff: daysAgo(58) });
      expect(result.days).toEqual([daysAgo(59).toISOString().slice(0, 10)]);
      expect(await tableExists(day)).toBe(false);
    } finally {
      await reader.end();
      await detacher.end();
    }
  });

  it("when another process is pruning, then this one does nothing and says it was skipped", async () => {
    const holder = openPool(env.db.url);
    try {
      const held = await holder.reserve();
      await held`select pg_advisory_lock(7346281004)`;
      const result = await prune(env.db.sql, { cutoff: daysAgo(30) });
      expect(result).toMatchObject({ skipped: true, days: [] });
      expect(await agesStored(tenant)).toEqual([58, 1]);
      await held`select pg_advisory_unlock(7346281004)`;
      held.release();
    } finally {
      await holder.end();
    }
  });

  it("when a day is detached while a long query holds the table, then recording goes on and the prune finishes after the query", async () => {
    const reader = openPool(env.db.url);
    try {
      // A long report: a transaction that has read interceptions and holds its locks.
      const report = await reader.reserve();
      await report`begin`;
      await report`select count(*) from interceptions`;
      let pruned = false;
      const pruning = prune(env.db.sql, { cutoff: daysAgo(30) }).then((result) => {
        pruned = true;
        return result;
      });
      // Wait until the detach is waiting on the report, then record while it waits.
      await waitFor("the detach to wait for the report", async () => {
        const [row] = await env.db.sql`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and query like 'alter table interceptions detach%' and wait_event_type = 'Lock'`;
        return (row?.n ?? 0) > 0;
      });
      // Days that have partitions: creating one would wait for the detach (see prune.ts).
      await recordAged(tenant, [1, 0]);
      expect(pruned).toBe(false);
      await report`commit`;
      report.release();
      expect((await pruning).days).toEqual([daysAgo(58).toISOString().slice(0, 10)]);
      expect(await agesStored(tenant)).toEqual([1, 1, 0]);
    } finally {
      await reader.end();
    }
  });
});
