-- The rollups leave the commit path. Until now each write statement's triggers grouped its rows and
-- upserted them into interception_rollups and interception_initiator_rollups (migrations 000008
-- and 000011) before the batch could commit: at the recorder's unary batch sizes (about 30 rows)
-- that work took about as long as storing the rows themselves. Now the triggers only append what
-- each statement changed to interception_rollup_changes, in the same transaction, and
-- apply_interception_rollup_changes() folds those changes into the rollups later, thousands at a
-- time, where grouping shrinks them to a few rows per tenant-hour.
--
-- Nothing is approximate or late for a reader: a query reads a rollup through its _live view, which
-- adds the changes not yet applied, and the applier moves changes from the table into the rollups
-- in one transaction, so every snapshot counts each change exactly once.

-- One row per ended interception a statement added (sign 1) or took away (sign -1: the row as it
-- was before an update moved it), in the rollups' terms: its UTC hour, its dimensions, its error
-- type ('' when it succeeded), and its latency bucket (null without an end time).
create table interception_rollup_changes (
  seq                bigint      generated always as identity,
  tenant_id          text        not null,
  hour               timestamptz not null,
  provider           text        not null,
  model              text        not null,
  feature            text        not null,
  key_source         text        not null,
  initiator_id       text        not null,
  error_type         text        not null,
  sign               smallint    not null,
  input_tokens       bigint      not null,
  output_tokens      bigint      not null,
  cache_read_tokens  bigint      not null,
  cache_write_tokens bigint      not null,
  cost_micros        bigint      not null,
  latency_bucket     integer,
  -- tenant_id leads, as in every key (Citus).
  primary key (tenant_id, seq)
)
-- Rows live for a fraction of a second; vacuum often, so readers scan live rows, not dead ones.
with (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0);

create or replace function interception_rollups_after_insert() returns trigger language plpgsql as $$
begin
  insert into interception_rollup_changes (tenant_id, hour, provider, model, feature, key_source, initiator_id, error_type,
    sign, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, latency_bucket)
  select tenant_id, date_trunc('hour', started_at, 'UTC'), provider, model, feature, key_source, initiator_id,
         coalesce(error_type, ''), 1, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros,
         case when ended_at is not null then interception_latency_bucket(extract(epoch from ended_at - started_at) * 1000) end
  from new_rows
  where ended_at is not null or error_type is not null;
  return null;
end
$$;

-- An update (the upsert's conflict path) takes the old row away and adds the new one. A record sent
-- again changes nothing, and its pair of changes cancels when it is applied.
create or replace function interception_rollups_after_update() returns trigger language plpgsql as $$
begin
  -- Every upsert statement fires this, also when no row took the conflict path.
  if not exists (select 1 from old_rows) then
    return null;
  end if;
  insert into interception_rollup_changes (tenant_id, hour, provider, model, feature, key_source, initiator_id, error_type,
    sign, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, latency_bucket)
  select tenant_id, date_trunc('hour', started_at, 'UTC'), provider, model, feature, key_source, initiator_id,
         coalesce(error_type, ''), sign, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros,
         case when ended_at is not null then interception_latency_bucket(extract(epoch from ended_at - started_at) * 1000) end
  from (
    select n.*, 1::smallint as sign from new_rows n
    union all
    select o.*, -1::smallint from old_rows o
  ) as changed
  where ended_at is not null or error_type is not null;
  return null;
end
$$;

-- The functions the old triggers called, now unused.
drop function interception_rollups_apply(interceptions[], interceptions[]);
drop function interception_initiator_rollups_apply(interceptions[], interceptions[]);

-- Every process that applies changes or prunes rollups takes this lock first, so one applier runs
-- at a time across replicas and a prune never races an applier adding to the hours it deletes.
create function interception_rollups_lock_key() returns bigint language sql immutable return 7346281002;

-- Folds up to max_changes pending changes into the rollups in one statement (one transaction): the
-- changes it deletes are exactly the ones it adds. In no particular order: sums do not depend on it,
-- and whenever fewer than max_changes are pending, it takes them all. Returns how many it applied,
-- or -1 when another process holds the applier's lock (it is applying already).
create function apply_interception_rollup_changes(max_changes integer) returns integer
  language plpgsql as $$
declare
  applied integer;
begin
  if not pg_try_advisory_xact_lock(interception_rollups_lock_key()) then
    return -1;
  end if;
  with taken as (
    delete from interception_rollup_changes
    where (tenant_id, seq) in (select tenant_id, seq from interception_rollup_changes limit max_changes)
    returning *
  ),
  totals as (
    select tenant_id, hour, provider, model, feature, key_source, error_type,
           sum(sign) as calls, sum(sign * input_tokens) as input_tokens, sum(sign * output_tokens) as output_tokens,
           sum(sign * cache_read_tokens) as cache_read_tokens, sum(sign * cache_write_tokens) as cache_write_tokens,
           sum(sign * cost_micros) as cost_micros
    from taken
    group by tenant_id, hour, provider, model, feature, key_source, error_type
  ),
  buckets as (
    select tenant_id, hour, provider, model, feature, key_source, error_type, latency_bucket, sum(sign) as n
    from taken where latency_bucket is not null
    group by tenant_id, hour, provider, model, feature, key_source, error_type, latency_bucket
  ),
  latencies as (
    select tenant_id, hour, provider, model, feature, key_source, error_type,
           latency_counts_of(array_agg(latency_bucket), array_agg(n)) as latency_counts
    from buckets
    group by tenant_id, hour, provider, model, feature, key_source, error_type
  ),
  -- In key order, as every writer of the rollups does, so concurrent writers lock rows in one order.
  by_dimensions as (
    insert into interception_rollups as r
      (tenant_id, hour, provider, model, feature, key_source, error_type, calls, input_tokens,
       output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, latency_counts)
    select t.tenant_id, t.hour, t.provider, t.model, t.feature, t.key_source, t.error_type, t.calls,
           t.input_tokens, t.output_tokens, t.cache_read_tokens, t.cache_write_tokens, t.cost_micros,
           coalesce(l.latency_counts, '{}')
    from totals t
    left join latencies l using (tenant_id, hour, provider, model, feature, key_source, error_type)
    order by t.tenant_id, t.hour, t.provider, t.model, t.feature, t.key_source, t.error_type
    on conflict (tenant_id, hour, provider, model, feature, key_source, error_type) do update set
      calls = r.calls + excluded.calls,
      input_tokens = r.input_tokens + excluded.input_tokens,
      output_tokens = r.output_tokens + excluded.output_tokens,
      cache_read_tokens = r.cache_read_tokens + excluded.cache_read_tokens,
      cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
      cost_micros = r.cost_micros + excluded.cost_micros,
      latency_counts = add_latency_counts(r.latency_counts, excluded.latency_counts)
  ),
  by_initiator as (
    insert into interception_initiator_rollups as r (tenant_id, hour, initiator_id, calls, failed, cost_micros)
    select tenant_id, hour, initiator_id, sum(sign), coalesce(sum(sign) filter (where error_type <> ''), 0), sum(sign * cost_micros)
    from taken
    group by 1, 2, 3
    order by 1, 2, 3
    on conflict (tenant_id, hour, initiator_id) do update set
      calls = r.calls + excluded.calls,
      failed = r.failed + excluded.failed,
      cost_micros = r.cost_micros + excluded.cost_micros
  )
  select count(*) into applied from taken;
  return applied;
end
$$;

-- Deletes the rollups, and the changes not yet applied, of every hour before first_kept_hour,
-- under the applier's lock (waiting for a running applier), so no applier adds them back after.
-- Returns the rollup rows and changes deleted.
create function prune_interception_rollups(first_kept_hour timestamptz) returns bigint
  language plpgsql as $$
declare
  deleted bigint := 0;
  n bigint;
begin
  perform pg_advisory_xact_lock(interception_rollups_lock_key());
  delete from interception_rollup_changes where hour < first_kept_hour;
  get diagnostics n = row_count;
  deleted := deleted + n;
  delete from interception_rollups where hour < first_kept_hour;
  get diagnostics n = row_count;
  deleted := deleted + n;
  delete from interception_initiator_rollups where hour < first_kept_hour;
  get diagnostics n = row_count;
  return deleted + n;
end
$$;

-- What a query reads: each rollup table with the changes not yet applied, in the table's shape
-- (a change's latency as a histogram of one call). A reader's conditions on tenant_id, hour and
-- the dimensions reach both arms.
create view interception_rollups_live as
  select tenant_id, hour, provider, model, feature, key_source, error_type, calls, input_tokens, output_tokens,
         cache_read_tokens, cache_write_tokens, cost_micros, latency_counts
  from interception_rollups
  union all
  select tenant_id, hour, provider, model, feature, key_source, error_type, sign::bigint, sign * input_tokens,
         sign * output_tokens, sign * cache_read_tokens, sign * cache_write_tokens, sign * cost_micros,
         case when latency_bucket is null then '{}'::bigint[]
              else array_fill(0::bigint, array[latency_bucket]) || sign::bigint end
  from interception_rollup_changes;

create view interception_initiator_rollups_live as
  select tenant_id, hour, initiator_id, calls, failed, cost_micros
  from interception_initiator_rollups
  union all
  select tenant_id, hour, initiator_id, sign::bigint, case when error_type <> '' then sign::bigint else 0 end, sign * cost_micros
  from interception_rollup_changes;
