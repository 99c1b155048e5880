import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { dayOf, daysBetween, ensureInterceptionPartitions } from "../../src/retention/interception-partitions.js";
import { startPartitionMaintenance } from "../../src/retention/partition-maintenance.js";
import { parseRetentionPeriod } from "../../src/retention/retention-period.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { waitFor } from "../support/wait-for.js";
import { openPool } from "../support/pool.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("day partitions", () => {
  it("when ten processes make the same missing days at once, then each day is made once and none fails", async () => {
    const pools = Array.from({ length: 10 }, () => openPool(db.url));
    try {
      const days = ["2031-03-01", "2031-03-02", "2031-03-03"];
      const created = await Promise.all(pools.map((sql) => ensureInterceptionPartitions(sql, days)));
      expect(created.reduce((a, b) => a + b, 0)).toBe(3);
      const attached = await db.sql`
        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'interceptions'::regclass and c.relname like 'interceptions_p203103%' order by 1`;
      expect(attached.map((r) => r.relname)).toEqual(["interceptions_p20310301", "interceptions_p20310302", "interceptions_p20310303"]);
    } finally {
      await Promise.all(pools.map((sql) => sql.end()));
    }
  });

  it("when a day's partition exists, then it holds exactly that UTC day, start included and end excluded", async () => {
    await ensureInterceptionPartitions(db.sql, ["2031-04-10"]);
    const into = (startedAt: string) =>
      db.sql`insert into interceptions_p20310410 (tenant_id, id, provider, started_at) values ('t', gen_random_uuid(), 'openai', ${startedAt}::timestamptz)`;
    await into("2031-04-10T00:00:00Z");
    await into("2031-04-10T23:59:59.999999Z");
    await expect(into("2031-04-11T00:00:00Z")).rejects.toMatchObject({ code: "23514" });
    await expect(into("2031-04-09T23:59:59.999999Z")).rejects.toMatchObject({ code: "23514" });
  });

  it("when days are listed between two instants, then every UTC day touched is there once, across month and year ends", () => {
    expect(daysBetween(new Date("2026-12-30T23:00:00Z"), new Date("2027-01-02T00:00:00Z"))).toEqual([
      "2026-12-30",
      "2026-12-31",
      "2027-01-01",
      "2027-01-02",
    ]);
    expect(daysBetween(new Date("2026-12-01T10:00:00Z"), new Date("2026-12-01T11:00:00Z"))).toEqual(["2026-12-01"]);
    expect(dayOf(new Date("2026-12-01T23:59:59.999Z"))).toBe("2026-12-01");
  });
});

describe("the server's partition maintenance", () => {
  it("when it runs on a schedule, then each run prunes what has expired since the last", async () => {
    const old = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const exists = async (day: string) => {
      const [row] = await db.sql`select to_regclass(${`interceptions_p${day.replaceAll("-", "")}`}) is not null as exists`;
      return row?.exists === true;
    };
    await ensureInterceptionPartitions(db.sql, [old(40)]);
    let prunedDays = 0;
    const maintenance = await startPartitionMaintenance({
      sql: db.sql,
      log: pino({ level: "silent" }),
      retention: { days: 30 },
      intervalMs: 50,
      onPruned: (days) => (prunedDays += days),
    });
    try {
      await waitFor("the first run to prune", () => prunedDays === 1);
      expect(await exists(old(40))).toBe(false);
      // Made after the first run finished: only a later, scheduled run can drop it.
      await ensureInterceptionPartitions(db.sql, [old(35)]);
      await waitFor("a scheduled run to prune", () => prunedDays === 2);
      expect(await exists(old(35))).toBe(false);
      expect(await exists(old(0))).toBe(true);
    } finally {
      await maintenance.stop();
    }
  });
});

describe("retention periods", () => {
  it("when written as whole days, then they parse; anything else says what is expected", () => {
    expect(parseRetentionPeriod("30d")).toEqual({ days: 30 });
    expect(parseRetentionPeriod(" 7D ")).toEqual({ days: 7 });
    for (const bad of ["", "30", "0d", "-1d", "1.5d", "2w", "36501d", "d"]) {
      expect(parseRetentionPeriod(bad), bad).toEqual({ error: expect.stringContaining("whole number of days") });
    }
  });
});
