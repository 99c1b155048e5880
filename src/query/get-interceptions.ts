import type { Sql } from "postgres";
import { STORED_COLUMNS } from "../interception/interception-columns.js";
import type { StoredRow } from "./stored-interception.js";

/** Most descendants one GetThread returns. */
export const THREAD_MAX_DESCENDANTS = 1000;

/**
 * One interception by id. A bridge that broke the contract and sent two `started_at`s for one id
 * has two rows (the key includes `started_at`); the one written last is returned.
 */
export async function getInterception(sql: Sql, tenantId: string, id: string): Promise<StoredRow | undefined> {
  const [row] = await sql<StoredRow[]>`
    select ${sql.unsafe(STORED_COLUMNS)} from interceptions where tenant_id = ${tenantId} and id = ${id}::uuid
    order by updated_at desc
    limit 1`;
  return row;
}

/** A root's descendants, oldest first (index `interceptions_tenant_thread_idx`). */
export async function getThreadDescendants(sql: Sql, tenantId: string, rootId: string): Promise<StoredRow[]> {
  return sql<StoredRow[]>`
    select ${sql.unsafe(STORED_COLUMNS)} from interceptions
    where tenant_id = ${tenantId} and thread_root_id = ${rootId}::uuid and id <> ${rootId}::uuid
    order by started_at, id
    limit ${THREAD_MAX_DESCENDANTS}`;
}
