import type { Sql } from "postgres";
import type { DedupKey, DedupLock } from "./dedup-lock.js";

/**
 * The dedup lock in PostgreSQL (table `notification_locks`), for deployments without Redis, such
 * as the embedded default: the same semantics as Redis SET NX EX, in one statement each way. An
 * expired row counts as free and is taken over in place; an unexpired row held by the same event
 * counts as taken (its expiry is left alone, as Redis leaves its TTL).
 */
export function createPostgresDedupLock(options: { sql: Sql; windowSeconds: number }): DedupLock {
  const { sql, windowSeconds } = options;
  return {
    async acquire(key: DedupKey, holder: string) {
      const rows = await sql`
        insert into notification_locks as l (tenant_id, initiator_id, provider, error_type, holder, expires_at)
        values (${key.tenantId}, ${key.initiatorId}, ${key.provider}, ${key.errorType}, ${holder},
                now() + ${windowSeconds}::integer * interval '1 second')
        on conflict (tenant_id, initiator_id, provider, error_type) do update
          set holder = excluded.holder,
              expires_at = case when l.expires_at <= now() then excluded.expires_at else l.expires_at end
          where l.expires_at <= now() or l.holder = excluded.holder
        returning 1`;
      return rows.length === 1;
    },
    async release(key: DedupKey, holder: string) {
      await sql`
        delete from notification_locks
        where tenant_id = ${key.tenantId} and initiator_id = ${key.initiatorId} and provider = ${key.provider}
          and error_type = ${key.errorType} and holder = ${holder}`;
    },
  };
}
