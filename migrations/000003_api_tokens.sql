-- API tokens. The secret part of a token is never stored: only its SHA-256 (the secret is 32
-- random bytes, so a plain hash cannot be brute-forced). `id` is the token's public part, used to
-- find the row; tenant_id NULL means every tenant.
create table api_tokens (
  id          text        primary key,
  secret_hash bytea       not null,
  tenant_id   text,
  scopes      text[]      not null check (scopes <@ array['record', 'read', 'admin'] and cardinality(scopes) > 0),
  label       text        not null default '',
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);
