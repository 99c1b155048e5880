/**
 * `npx tsx bench/rollup-writes.ts [--against <checkout>] [--batch 30] [--records 12000] [--json]`
 *
 * What the rollups cost PostgreSQL per record written, at the recorder's statement sizes (about 30
 * rows a unary batch, up to 500 streaming). The recorder's own statement (writeInterceptions) writes
 * the same records, a batch at a time, into databases side by side, alternating between them
 * statement by statement so all see the same machine:
 *   - `this`: this checkout's migrations (the triggers append to interception_rollup_changes);
 *   - `no-rollups`: the same with the rollups' triggers disabled, the floor;
 *   - `against`, with `--against <checkout>`: that checkout's migrations (its triggers).
 * Half the statements insert ended records; the other half insert starts and then end them, the
 * update path. Reports the PostgreSQL backend's CPU (user+sys from /proc, so PostgreSQL must run on
 * this machine, as DATABASE_URL's server does here) and the statement's wall time, per record, and
 * then what folding `this`'s changes into the rollups costs per record (apply_interception_rollup_changes,
 * paid later, off the write path, by the server's applier).
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Sql } from "postgres";
import type { NormalizedInterception } from "../src/interception/interception.js";
import { createNotifyPolicy } from "../src/outbox/notify-policy.js";
import { writeInterceptions } from "../src/recorder/write-interceptions.js";
import { drainRollupChanges } from "../src/rollups/rollup-applier.js";
import { openPool } from "../test/support/pool.js";
import { type BenchDatabase, openBenchDatabase } from "./support/bench-database.js";

const { values: args } = parseArgs({
  options: {
    against: { type: "string" },
    batch: { type: "string", default: "30" },
    records: { type: "string", default: "12000" },
    json: { type: "boolean", default: false },
  },
});
const batch = Number(args.batch);
const statements = Math.ceil(Number(args.records) / batch);
const say = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
// /proc/<pid>/stat counts utime and stime in clock ticks (USER_HZ: 100 a second on Linux).
const TICK_MICROS = 10_000;
const policy = createNotifyPolicy();

interface Mode {
  name: string;
  database: BenchDatabase;
  /** One connection, so one backend process does all of this mode's work. */
  sql: Sql;
  backendPid: number;
  cpuMicros: number;
  wallMs: number;
}

async function openMode(name: string, migrationsDir?: string): Promise<Mode> {
  const database = await openBenchDatabase(`rollup_writes_${name.replace(/\W/g, "_")}`, { migrationsDir });
  const sql = openPool(database.url, { max: 1 });
  if (name === "no-rollups") await sql`alter table interceptions disable trigger interception_rollups_insert, disable trigger interception_rollups_update`;
  const [{ pid }] = (await sql`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
  return { name, database, sql, backendPid: pid, cpuMicros: 0, wallMs: 0 };
}

async function cpuMicrosOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
  return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
}

let next = 0;
const started = Date.now();
function record(ended: boolean): NormalizedInterception {
  const i = next++;
  return {
    tenantId: `tenant-${i % 5}`,
    id: randomUUID(),
    initiatorId: `user-${i % 97}`,
    provider: ["openai", "anthropic", "gemini"][i % 3]!,
    model: ["m-a", "m-b", "m-c", "m-d"][i % 4]!,
    feature: ["chat", "agent"][i % 2]!,
    keySource: i % 3 === 0 ? "byok" : "platform",
    client: "bench",
    threadRootId: null,
    threadParentId: null,
    startedAt: new Date(started - (i % 7200) * 1000).toISOString(),
    endedAt: ended ? new Date(started + 1000).toISOString() : null,
    streaming: false,
    inputTokens: 100n,
    outputTokens: 50n,
    cacheReadTokens: 0n,
    cacheWriteTokens: 0n,
    costMicros: 1234n,
    metadata: {},
    errorType: i % 10 === 0 ? "rate_limited" : null,
    errorMessage: i % 10 === 0 ? "slow down" : null,
    errorMessageTruncated: false,
    errorMessageBytes: i % 10 === 0 ? 9 : 0,
    providerCode: null,
    retryAfterMs: null,
    upstream: null,
  } as unknown as NormalizedInterception;
}

const modes = [await openMode("this"), await openMode("no-rollups")];
if (args.against !== undefined) modes.push(await openMode("against", join(resolve(args.against), "migrations")));
try {
  for (let round = 0; round < statements; round++) {
    const rows = Array.from({ length: batch }, () => record(round % 2 === 0));
    const ends = rows.map((r) => ({ ...r, endedAt: new Date(started + 2000).toISOString() }));
    for (const mode of modes) {
      const cpu = await cpuMicrosOf(mode.backendPid);
      const wall = performance.now();
      await writeInterceptions(mode.sql, rows, policy);
      if (round % 2 === 1) await writeInterceptions(mode.sql, ends, policy);
      mode.wallMs += performance.now() - wall;
      mode.cpuMicros += (await cpuMicrosOf(mode.backendPid)) - cpu;
    }
  }
  const records = statements * batch;
  const perRecord = (micros: number) => Math.round((micros / records) * 10) / 10;
  const results: Record<string, { cpuMicrosPerRecord: number; wallMicrosPerRecord: number }> = {};
  for (const mode of modes) {
    results[mode.name] = { cpuMicrosPerRecord: perRecord(mode.cpuMicros), wallMicrosPerRecord: perRecord(mode.wallMs * 1000) };
    say(`${mode.name.padEnd(11)} PostgreSQL CPU ${perRecord(mode.cpuMicros)} us per record, statement wall ${perRecord(mode.wallMs * 1000)} us (${batch}-row statements, ${records.toLocaleString("en-US")} records)`);
  }
  const [self, floor, against] = modes;
  if (against !== undefined) say(`this / against, PostgreSQL CPU: ${Math.round((against.cpuMicros / self!.cpuMicros) * 100) / 100}x less`);
  say(`rollups' share of this: ${perRecord(self!.cpuMicros - floor!.cpuMicros)} us per record over no-rollups`);
  // The applier's part, paid later by the server: fold in everything the writes left pending.
  const cpu = await cpuMicrosOf(self!.backendPid);
  const wall = performance.now();
  await drainRollupChanges(self!.sql, 20_000);
  const foldCpu = (await cpuMicrosOf(self!.backendPid)) - cpu;
  say(`folding this's changes into the rollups: PostgreSQL CPU ${perRecord(foldCpu)} us per record, ${Math.round(performance.now() - wall)} ms in all`);
  if (args.json) console.log(JSON.stringify({ batch, records, results, foldCpuMicrosPerRecord: perRecord(foldCpu) }));
} finally {
  for (const mode of modes) {
    await mode.sql.end();
    await mode.database.close();
  }
}
