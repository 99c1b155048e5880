/**
 * Values that the proto contract, the TypeScript code and the SQL schema each spell out: this file
 * fails when one of them changes without the others.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorType as ProtoErrorType, KeySource as ProtoKeySource, Outcome as ProtoOutcome } from "../gen/bridgelog/v1/interception_pb.js";
import { DeliveryOutcome as ProtoDeliveryOutcome, NotificationStatus as ProtoNotificationStatus } from "../gen/bridgelog/v1/query_service_pb.js";
import { ERROR_TYPES, isRetryable } from "../src/interception/error-type.js";
import { RETRY_AFTER_MAX_MS } from "../src/classify/retry-hint.js";
import {
  FIELD_MAX_BYTES,
  METADATA_KEY_MAX_BYTES,
  METADATA_MAX_ENTRIES,
  METADATA_VALUE_MAX_BYTES,
  RESPONSE_HEADER_NAME_MAX_BYTES,
  RESPONSE_HEADER_VALUE_MAX_BYTES,
  RESPONSE_HEADERS_MAX_ENTRIES,
} from "../src/interception/normalize-interception.js";
import { INTERCEPTION_COLUMNS } from "../src/interception/interception-columns.js";
import { DELIVERY_OUTCOMES, NOTIFICATION_STATUSES } from "../src/outbox/notification-states.js";
import { OUTBOX_CHANNEL } from "../src/outbox/outbox-channel.js";
import { toProtoDeliveryOutcome, toProtoNotificationStatus } from "../src/outbox/proto-enums.js";
import { latencyBucketOf } from "../src/rollups/latency-histogram.js";
import { createTestDatabase, type TestDatabase } from "./support/database.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

/** The names of a protoc-gen-es enum's values, without UNSPECIFIED, lower case, in number order. */
function protoNames(enumObject: Record<string, string | number>): string[] {
  return Object.entries(enumObject)
    .filter(([name, value]) => typeof value === "number" && value !== 0 && name !== "UNSPECIFIED")
    .sort(([, a], [, b]) => Number(a) - Number(b))
    .map(([name]) => name.toLowerCase());
}

/** The quoted values of a `check (column in ('a', 'b'))` constraint, as PostgreSQL prints it. */
async function checkValues(constraint: string, table = "interceptions"): Promise<string[]> {
  const [row] = await db.sql<{ definition: string }[]>`
    select pg_get_constraintdef(oid) as definition from pg_constraint
    where conname = ${constraint} and conrelid = ${table}::regclass`;
  if (row === undefined) throw new Error(`no constraint ${constraint} on ${table}`);
  return [...row.definition.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
}

const proto = (name: string) => readFile(new URL(`../proto/bridgelog/v1/${name}`, import.meta.url), "utf8");

/** The comment lines right above `<type> <field> = N;` inside `message <message> { ... }`. */
function fieldComment(source: string, message: string, field: string): string {
  const body = new RegExp(`message ${message} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? "";
  const lines = body.split("\n");
  const at = lines.findIndex((line) => new RegExp(`\\s${field} = \\d+`).test(line));
  if (at < 0) throw new Error(`no field ${message}.${field} in the proto`);
  const comment: string[] = [];
  for (let i = at - 1; i >= 0 && lines[i]!.trim().startsWith("//"); i--) comment.unshift(lines[i]!.trim().slice(2).trim());
  return comment.join(" ");
}

describe("error types", () => {
  it("when the taxonomy is listed in TypeScript, then the proto enum and the SQL check list the same names in the same order", async () => {
    expect(protoNames(ProtoErrorType)).toEqual([...ERROR_TYPES]);
    expect(await checkValues("interceptions_error_type_check")).toEqual([...ERROR_TYPES]);
  });

  it("when the proto documents which types are retryable, then it agrees with isRetryable", async () => {
    const source = (await proto("interception.proto")).replaceAll(/\n\s*\/\/ /g, " ");
    const documented = /Retryable \(the same request[^)]*\): ([A-Z_, ]+)\./.exec(source)?.[1]?.split(", ").map((n) => n.toLowerCase());
    expect(documented).toEqual(ERROR_TYPES.filter(isRetryable));
  });
});

describe("key sources and outcomes", () => {
  it("when the domain names key sources, then the proto enum and the SQL check name the same ones", async () => {
    expect(["unspecified", ...protoNames(ProtoKeySource)]).toEqual(await checkValues("interceptions_key_source_check"));
    expect(protoNames(ProtoOutcome)).toEqual(["in_progress", "succeeded", "failed"]);
  });
});

describe("field limits", () => {
  it("when the recorder enforces a byte limit, then the proto comment of that field states the same number", async () => {
    const source = await proto("interception.proto");
    for (const [path, bytes] of Object.entries(FIELD_MAX_BYTES)) {
      const [message, field] = path.startsWith("upstream.") ? ["UpstreamFailure", path.slice(9)] : ["Interception", path];
      expect(fieldComment(source, message, field!).toLowerCase(), path).toContain(`at most ${bytes} bytes`);
    }
    expect(fieldComment(source, "Interception", "metadata")).toBe(
      `Free-form labels. At most ${METADATA_MAX_ENTRIES} entries; keys at most ${METADATA_KEY_MAX_BYTES} bytes, values at most ${METADATA_VALUE_MAX_BYTES} bytes.`,
    );
    expect(fieldComment(source, "UpstreamFailure", "response_headers")).toContain(
      `At most ${RESPONSE_HEADERS_MAX_ENTRIES} entries; names at most ${RESPONSE_HEADER_NAME_MAX_BYTES} bytes, values at most ${RESPONSE_HEADER_VALUE_MAX_BYTES} bytes.`,
    );
  });

  it("when the classifier caps the retry hint, then every proto field carrying it states the same cap", async () => {
    const classifier = await proto("classifier_service.proto");
    const query = await proto("query_service.proto");
    expect(fieldComment(classifier, "ClassifyErrorResponse", "retry_after_ms")).toContain(`At most ${RETRY_AFTER_MAX_MS} (24 hours`);
    expect(fieldComment(query, "InterceptionError", "retry_after_ms")).toContain(`at most ${RETRY_AFTER_MAX_MS}.`);
  });
});

describe("the interceptions table", () => {
  it("when the column list is written in TypeScript, then every column exists with that type, and every other column is one the database sets", async () => {
    const rows = await db.sql<{ column_name: string; type: string }[]>`
      select column_name, format_type(atttypid, atttypmod) as type
      from information_schema.columns c
      join pg_attribute a on a.attrelid = 'interceptions'::regclass and a.attname = c.column_name
      where table_name = 'interceptions' and table_schema = current_schema()`;
    const actual = new Map(rows.map((r) => [r.column_name, r.type]));
    const written = INTERCEPTION_COLUMNS.map((c) => [c.name, c.type === "timestamptz" ? "timestamp with time zone" : c.type]);
    for (const [name, type] of written) expect(actual.get(name!), name).toBe(type);
    const setByDatabase = [...actual.keys()].filter((name) => !INTERCEPTION_COLUMNS.some((c) => c.name === name)).sort();
    expect(setByDatabase).toEqual(["recorded_at", "updated_at"]);
  });
});

describe("notification statuses and delivery outcomes", () => {
  it("when the outbox stores where an event stands, then the SQL check, the TypeScript list and the proto enum name the same values", async () => {
    expect(await checkValues("notification_outbox_status_check", "notification_outbox")).toEqual([...NOTIFICATION_STATUSES]);
    expect(protoNames(ProtoNotificationStatus)).toEqual([...NOTIFICATION_STATUSES]);
    expect(NOTIFICATION_STATUSES.map(toProtoNotificationStatus)).toEqual(NOTIFICATION_STATUSES.map((_, i) => i + 1));
  });

  it("when a delivery attempt is recorded, then the SQL check, the TypeScript list and the proto enum name the same outcomes", async () => {
    expect(await checkValues("notification_deliveries_outcome_check", "notification_deliveries")).toEqual([...DELIVERY_OUTCOMES]);
    expect(protoNames(ProtoDeliveryOutcome)).toEqual([...DELIVERY_OUTCOMES]);
    expect(DELIVERY_OUTCOMES.map(toProtoDeliveryOutcome)).toEqual(DELIVERY_OUTCOMES.map((_, i) => i + 1));
  });
});

describe("the outbox channel", () => {
  it("when the outbox's insert trigger nudges notifiers, then it notifies the channel the notifier listens on", async () => {
    const [row] = await db.sql<{ source: string }[]>`select prosrc as source from pg_proc where proname = 'notification_outbox_nudge'`;
    const channels = [...(row?.source ?? "").matchAll(/pg_notify\('([^']+)'/g)].map((m) => m[1]);
    expect(channels).toEqual([OUTBOX_CHANNEL]);
  });
});

describe("the rollups' latency buckets", () => {
  it("when SQL buckets a duration for the rollups, then TypeScript reads it back with the same bucket", async () => {
    const durations = [0, 0.5, 1, 2.2, 15, 100, 999.9, 1500, 60_000, 600_000, 16_777_215, 16_777_217, 1e10];
    const rows = await db.sql<{ ms: number; bucket: number }[]>`
      select ms, interception_latency_bucket(ms) as bucket from unnest(${durations}::float8[]) as ms`;
    expect(rows.map((r) => r.bucket)).toEqual(durations.map(latencyBucketOf));
  });
});

describe("keys for a distributed PostgreSQL", () => {
  it("when a table holds a tenant's data, then its primary key and every unique index lead with tenant_id", async () => {
    const keys = await db.sql<{ table: string; index: string; first: string }[]>`
      select t.relname as table, i.relname as index, a.attname as first
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
      where x.indisunique and t.relnamespace = 'public'::regnamespace and t.relkind in ('r', 'p')
        and t.relname !~ '^interceptions_p[0-9]{8}$'
        -- A reference table (docs/operations.md): a token for every tenant has no tenant.
        and t.relname <> 'api_tokens'
        and exists (select 1 from pg_attribute c where c.attrelid = t.oid and c.attname = 'tenant_id' and not c.attisdropped)`;
    expect(keys.map((k) => k.table)).toEqual(
      expect.arrayContaining(["interceptions", "interception_rollups", "notification_outbox", "notification_deliveries", "devices", "notification_locks"]),
    );
    expect(keys.filter((k) => k.first !== "tenant_id")).toEqual([]);
  });
});
