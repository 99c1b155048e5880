import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { daysBetween, ensureInterceptionPartitions } from "../../src/retention/interception-partitions.js";
import { interception, recorderClient } from "../support/clients.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";

const DAY = 86_400_000;
const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * DAY);
const dayName = (date: Date) => `interceptions_p${date.toISOString().slice(0, 10).replaceAll("-", "")}`;

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  // A database that has been running for a while: days well past a 30-day retention, with rows.
  await ensureInterceptionPartitions(db.sql, [daysAgo(45), daysAgo(31), daysAgo(20)].map((d) => d.toISOString().slice(0, 10)));
  await db.sql`
    insert into interceptions (tenant_id, id, provider, started_at)
    select 't-retention', gen_random_uuid(), 'openai', started_at
    from unnest(${[daysAgo(45), daysAgo(31), daysAgo(20)].map((d) => d.toISOString())}::text[]::timestamptz[]) as started_at`;
  server = await startTestServer(db.url, { retention: { days: 30 } });
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

async function tableExists(name: string): Promise<boolean> {
  const [row] = await db.sql`select to_regclass(${name}) is not null as exists`;
  return row?.exists === true;
}

describe("a server with BRIDGELOG_RETENTION", () => {
  it("when it starts, then days past the period are dropped by themselves and younger ones kept", async () => {
    await waitFor("the expired days to be dropped", async () => !(await tableExists(dayName(daysAgo(45)))) && !(await tableExists(dayName(daysAgo(31)))));
    const rows = await db.sql`select started_at from interceptions where tenant_id = 't-retention'`;
    expect(rows).toEqual([{ started_at: daysAgo(20) }]);
    // Counted once the whole prune is done, which is after the tables go (rollups and outbox next).
    const metrics = () => fetch(`${server.url}/metrics`).then((response) => response.text());
    await waitFor("the drops to be counted", async () => /^bridgelog_partitions_dropped_total [1-9]/m.test(await metrics()));
    expect(await metrics()).toMatch(/^bridgelog_partitions_dropped_total 2$/m);
  });

  it("when it starts, then yesterday's partition and a week ahead exist, so writes wait for no DDL", async () => {
    for (const day of daysBetween(daysAgo(1), new Date(now + 7 * DAY))) {
      expect(await tableExists(`interceptions_p${day.replaceAll("-", "")}`), day).toBe(true);
    }
  });

  it("when a record is older than the period, then it is refused with InvalidArgument naming started_at", async () => {
    const client = recorderClient("grpc", server.url, server.token);
    const old = interception({ tenantId: "t-retention", startedAt: timestampFromDate(daysAgo(31)), endedAt: undefined });
    const error = await client.recordInterception({ interception: old }).catch(ConnectError.from);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    expect((error as ConnectError).rawMessage).toContain("interception.started_at");
    expect((error as ConnectError).rawMessage).toContain("30 days");
    expect(await db.sql`select 1 from interceptions where id = ${old.id}`).toEqual([]);
  });

  it("when a record starts more than a day ahead of the server's clock, then it is refused; an hour ahead is fine", async () => {
    const client = recorderClient("grpc", server.url, server.token);
    const ahead = interception({ tenantId: "t-retention", startedAt: timestampFromDate(new Date(now + 2 * DAY)), endedAt: undefined });
    const error = await client.recordInterception({ interception: ahead }).catch(ConnectError.from);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    expect((error as ConnectError).rawMessage).toContain("interception.started_at: must not be more than a day ahead");

    const skewed = interception({ tenantId: "t-retention", startedAt: timestampFromDate(new Date(Date.now() + 3_600_000)), endedAt: undefined });
    expect((await client.recordInterception({ interception: skewed })).recorded?.created).toBe(true);
  });
});

describe("BRIDGELOG_RETENTION", () => {
  it("when set to a number of days, then the server keeps that many", () => {
    expect(loadConfig({ BRIDGELOG_RETENTION: "30d" }).retention).toEqual({ days: 30 });
    expect(loadConfig({}).retention).toBeUndefined();
  });

  it("when malformed, then the server refuses to start and names the variable", () => {
    expect(() => loadConfig({ BRIDGELOG_RETENTION: "30 days" })).toThrow(/BRIDGELOG_RETENTION must be a whole number of days/);
    expect(() => loadConfig({ BRIDGELOG_RETENTION: "0d" })).toThrow(/BRIDGELOG_RETENTION/);
  });
});
