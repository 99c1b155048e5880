-- One row per interception: one attempt by a bridge to call an LLM provider.
--
-- tenant_id leads the primary key and every index so that the table can be distributed by tenant
-- (Citus) without changing queries. (tenant_id, id) is the idempotency key: a bridge's start and
-- end records merge into this one row.
create table interceptions (
  tenant_id               text        not null,
  id                      uuid        not null,
  initiator_id            text        not null default '',
  provider                text        not null,
  model                   text        not null default '',
  feature                 text        not null default '',
  key_source              text        not null default 'unspecified'
                          check (key_source in ('unspecified', 'platform', 'byok')),
  client                  text        not null default '',
  thread_root_id          uuid,
  thread_parent_id        uuid,
  started_at              timestamptz not null,
  ended_at                timestamptz,
  streaming               boolean     not null default false,
  input_tokens            bigint      not null default 0 check (input_tokens >= 0),
  output_tokens           bigint      not null default 0 check (output_tokens >= 0),
  cache_read_tokens       bigint      not null default 0 check (cache_read_tokens >= 0),
  cache_write_tokens      bigint      not null default 0 check (cache_write_tokens >= 0),
  cost_micros             bigint      not null default 0 check (cost_micros >= 0),
  metadata                jsonb       not null default '{}',
  -- NULL exactly when the interception has not failed (succeeded, or still in progress).
  error_type              text
                          check (error_type in ('bad_request', 'unauthorized', 'permission_denied',
                            'not_found', 'rate_limited', 'quota_exhausted', 'overloaded',
                            'server_error', 'timeout', 'network_error', 'canceled', 'unknown')),
  error_message           text,
  -- Whether error_message was cut to the byte limit, and its byte length as received.
  error_message_truncated boolean     not null default false,
  error_message_bytes     integer     not null default 0,
  -- Raw upstream facts a bridge sent instead of (or as well as) a type.
  upstream_http_status    integer,
  upstream_body           text,
  upstream_error_name     text,
  upstream_code           text,
  recorded_at             timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  primary key (tenant_id, id),
  -- A message is never stored without a type.
  constraint interceptions_message_has_type check (error_message is null or error_type is not null),
  constraint interceptions_ends_after_start check (ended_at is null or ended_at >= started_at)
);

-- Listing a tenant's interceptions newest first (id breaks ties for stable cursors).
create index interceptions_tenant_started_idx on interceptions (tenant_id, started_at desc, id desc);

-- Listing and counting a tenant's failures by type over time. Partial: successes, the vast
-- majority of rows, are not in it.
create index interceptions_tenant_error_started_idx on interceptions (tenant_id, error_type, started_at desc)
  where error_type is not null;
