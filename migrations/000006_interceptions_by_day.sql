-- Interceptions partitioned by day of started_at (UTC), so retention drops whole partitions
-- instead of deleting rows from the hot table (`bridgelog prune`, src/retention/).
--
-- A partitioned table's unique keys must contain its partition key, so started_at joins the
-- idempotency key: (tenant_id, id, started_at). Every record of one interception must carry the
-- same started_at (the contract says so in proto/bridgelog/v1/interception.proto). The other
-- choice was requiring time-ordered UUIDv7 ids and partitioning by id range: it keeps the old key,
-- but refuses every bridge that generates random (v4) ids, which is most of them.
--
-- Upgrading copies the existing rows into the new table inside this migration's transaction,
-- which holds the table for the length of the copy: 15 s for a million rows spread over 40 days
-- on the 2-core development machine. Constraints are named explicitly so that they keep the names
-- of the table this replaces (generated names would dodge the old table's and end in "1").

alter table interceptions rename to interceptions_unpartitioned;
alter index interceptions_pkey rename to interceptions_unpartitioned_pkey;
alter index interceptions_tenant_started_idx rename to interceptions_unpartitioned_tenant_started_idx;
alter index interceptions_tenant_error_started_idx rename to interceptions_unpartitioned_tenant_error_started_idx;
alter index interceptions_tenant_thread_idx rename to interceptions_unpartitioned_tenant_thread_idx;

create table interceptions (
  tenant_id               text        not null,
  id                      uuid        not null,
  initiator_id            text        not null default '',
  provider                text        not null,
  model                   text        not null default '',
  feature                 text        not null default '',
  key_source              text        not null default 'unspecified'
                          constraint interceptions_key_source_check check (key_source in ('unspecified', 'platform', 'byok')),
  client                  text        not null default '',
  thread_root_id          uuid,
  thread_parent_id        uuid,
  started_at              timestamptz not null,
  ended_at                timestamptz,
  streaming               boolean     not null default false,
  input_tokens            bigint      not null default 0 constraint interceptions_input_tokens_check check (input_tokens >= 0),
  output_tokens           bigint      not null default 0 constraint interceptions_output_tokens_check check (output_tokens >= 0),
  cache_read_tokens       bigint      not null default 0 constraint interceptions_cache_read_tokens_check check (cache_read_tokens >= 0),
  cache_write_tokens      bigint      not null default 0 constraint interceptions_cache_write_tokens_check check (cache_write_tokens >= 0),
  cost_micros             bigint      not null default 0 constraint interceptions_cost_micros_check check (cost_micros >= 0),
  metadata                jsonb       not null default '{}',
  -- NULL exactly when the interception has not failed (succeeded, or still in progress).
  error_type              text
                          constraint interceptions_error_type_check check (error_type in ('bad_request', 'unauthorized', 'permission_denied',
                            'not_found', 'rate_limited', 'quota_exhausted', 'overloaded',
                            'server_error', 'timeout', 'network_error', 'canceled', 'unknown')),
  error_message           text,
  -- Whether error_message was cut to the byte limit, and its byte length as received.
  error_message_truncated boolean     not null default false,
  error_message_bytes     integer     not null default 0,
  -- The provider's own machine-readable error code; NULL when the failure carried none.
  provider_code           text,
  -- Raw upstream facts a bridge sent instead of (or as well as) a type.
  upstream_http_status    integer,
  upstream_body           text,
  upstream_error_name     text,
  upstream_code           text,
  recorded_at             timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  -- tenant_id leads, so the table can still be distributed by tenant (Citus).
  primary key (tenant_id, id, started_at),
  -- A message or a provider code is never stored without a type.
  constraint interceptions_message_has_type check (error_message is null or error_type is not null),
  constraint interceptions_code_has_type check (provider_code is null or error_type is not null),
  constraint interceptions_ends_after_start check (ended_at is null or ended_at >= started_at)
) partition by range (started_at);

-- The same three indexes as before, now one per partition.
create index interceptions_tenant_started_idx on interceptions (tenant_id, started_at desc, id desc);
create index interceptions_tenant_error_started_idx on interceptions (tenant_id, error_type, started_at desc)
  where error_type is not null;
create index interceptions_tenant_thread_idx on interceptions (tenant_id, thread_root_id, started_at)
  where thread_root_id is not null;

-- Makes sure the partition for one UTC day exists; returns whether it created it. Named
-- interceptions_pYYYYMMDD, which `bridgelog prune` reads back.
--
-- The partition is created on its own and then attached: CREATE TABLE ... PARTITION OF would
-- take an ACCESS EXCLUSIVE lock on interceptions and stall every write behind it, while ATTACH
-- takes SHARE UPDATE EXCLUSIVE, which writes and reads do not wait for (and checking an empty
-- table against the bounds is instant). Creators are serialised by that same lock, so replicas
-- that start at once, or batches that race to create a missing day, do not collide.
--
-- A table of that name that is not attached is one an interrupted `bridgelog prune` detached but
-- had not dropped yet: it is left alone (its rows are past retention), and the next prune drops it.
create function ensure_interception_partition(day date) returns boolean language plpgsql as $$
declare
  name text := 'interceptions_p' || to_char(day, 'YYYYMMDD');
begin
  -- The common case, every day already there, takes no lock.
  if to_regclass(name) is not null then
    return false;
  end if;
  -- The lock ATTACH takes anyway, taken first so creators queue here. Taking a table lock also
  -- reads the catalog changes other sessions committed meanwhile (an advisory lock would not), so
  -- the second look sees a partition that was created while this one waited.
  lock table interceptions in share update exclusive mode;
  if to_regclass(name) is not null then
    return false;
  end if;
  execute format('create table %I (like interceptions including defaults including constraints)', name);
  execute format('alter table interceptions attach partition %I for values from (%L) to (%L)',
    name, day::timestamp at time zone 'UTC', (day + 1)::timestamp at time zone 'UTC');
  return true;
end
$$;

-- What `bridgelog prune` deletes from the notification history, found without reading the rest.
create index notification_outbox_finished_created_idx on notification_outbox (created_at) where status <> 'pending';
create index notification_deliveries_recorded_idx on notification_deliveries (recorded_at);

select ensure_interception_partition(day)
from (select distinct (started_at at time zone 'UTC')::date as day from interceptions_unpartitioned) as days;

insert into interceptions (
  tenant_id, id, initiator_id, provider, model, feature, key_source, client,
  thread_root_id, thread_parent_id, started_at, ended_at, streaming,
  input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, metadata,
  error_type, error_message, error_message_truncated, error_message_bytes, provider_code,
  upstream_http_status, upstream_body, upstream_error_name, upstream_code, recorded_at, updated_at
)
select
  tenant_id, id, initiator_id, provider, model, feature, key_source, client,
  thread_root_id, thread_parent_id, started_at, ended_at, streaming,
  input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, metadata,
  error_type, error_message, error_message_truncated, error_message_bytes, provider_code,
  upstream_http_status, upstream_body, upstream_error_name, upstream_code, recorded_at, updated_at
from interceptions_unpartitioned;

drop table interceptions_unpartitioned;
