import type { Sql } from "postgres";
import { mintToken, type Scope } from "./api-token.js";

export interface TokenRecord {
  id: string;
  secretHash: Buffer;
  /** Null: every tenant. */
  tenantId: string | null;
  scopes: Scope[];
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface NewToken {
  tenantId: string | null;
  scopes: Scope[];
  label?: string;
}

/** API tokens in PostgreSQL (table api_tokens). */
export interface TokenStore {
  /** Creates a token. The returned `token` is the only time the secret exists outside its holder. */
  create(token: NewToken): Promise<{ id: string; token: string }>;
  find(id: string): Promise<TokenRecord | undefined>;
  list(): Promise<TokenRecord[]>;
  /** Revokes a token; false when there is no such token or it was already revoked. */
  revoke(id: string): Promise<boolean>;
}

export function createTokenStore(sql: Sql): TokenStore {
  return {
    async create({ tenantId, scopes, label = "" }) {
      const { id, token, secretHash } = mintToken();
      await sql`
        insert into api_tokens (id, secret_hash, tenant_id, scopes, label)
        values (${id}, ${secretHash}, ${tenantId}, ${scopes}::text[], ${label})`;
      return { id, token };
    },
    async find(id) {
      const [row] = await sql<Row[]>`select * from api_tokens where id = ${id}`;
      return row === undefined ? undefined : toRecord(row);
    },
    async list() {
      const rows = await sql<Row[]>`select * from api_tokens order by created_at, id`;
      return rows.map(toRecord);
    },
    async revoke(id) {
      const rows = await sql`update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning id`;
      return rows.length === 1;
    },
  };
}

interface Row {
  id: string;
  secret_hash: Buffer;
  tenant_id: string | null;
  scopes: Scope[];
  label: string;
  created_at: Date;
  revoked_at: Date | null;
}

function toRecord(row: Row): TokenRecord {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    tenantId: row.tenant_id,
    scopes: row.scopes,
    label: row.label,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
