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
--
-- With them come the console overview's rollups (docs/query-api.md, "The overview"), kept the same
-- way: per dimension value, initiators by day, and each initiator's counts per value.
--
-- Writes wait until this migration commits: it rebuilds the initiator rollups from the raw rows,
-- and a write in between would be counted twice. On a large install this is a pass over the raw
-- rows, like 000008: run it in a quiet hour (docs/operations.md).
lock table interceptions in share mode;

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

-- interception_dimension_rollups: per tenant, hour and error type, the ended interceptions of each
-- value of each dimension on its own ('provider' = 'openai', 'model' = 'gpt-4o', ...), and of the
-- whole tenant (dimension and value ''). interception_rollups keeps every combination of the four
-- dimensions, so an hour of a busy tenant can hold a thousand rows and a week's overview reads
-- (and unnests the latency histograms of) hundreds of thousands; here an hour holds one row per
-- value per error type, which is what an overview with no filter, or a filter on one dimension,
-- needs for its totals, series, latencies and unfiltered breakdowns. tenant_id, dimension and value
-- lead the key, so one value's hours are read as one range.
create table interception_dimension_rollups (
  tenant_id          text        not null,
  -- 'provider', 'model', 'feature', 'key_source', or '' for the whole tenant.
  dimension          text        not null,
  value              text        not null,
  hour               timestamptz not null,
  error_type         text        not null,
  calls              bigint      not null default 0,
  input_tokens       bigint      not null default 0,
  output_tokens      bigint      not null default 0,
  cache_read_tokens  bigint      not null default 0,
  cache_write_tokens bigint      not null default 0,
  cost_micros        bigint      not null default 0,
  latency_counts     bigint[]    not null default '{}',
  primary key (tenant_id, dimension, value, hour, error_type),
  check (dimension in ('', 'provider', 'model', 'feature', 'key_source'))
);

-- What `bridgelog prune` deletes with a day's partition (see the BRIN indexes below).
create index interception_dimension_rollups_hour_idx on interception_dimension_rollups using brin (hour) with (autosummarize = on);

-- The initiator rollups learn each value of each dimension: `by_value` maps "provider=openai",
-- "model=gpt-4o", "feature=chat", "key_source=byok" and, for failures, "error_type=rate_limited" to
-- [calls, failed, cost_micros] of that initiator's calls with that value, so the top initiators under
-- a filter on one dimension, or on error types, read the same rows as without one. Keys whose counts
-- all net to zero are dropped. A map in the row rather than a row per value: users outnumber every
-- other dimension, and most make few calls an hour, so a row per (initiator, value) would store up
-- to four rows per call.
alter table interception_initiator_rollups add column by_value jsonb not null default '{}';
-- As for the daily rollups below; the rebuild further down writes every page anew with it.
alter table interception_initiator_rollups set (fillfactor = 70);

-- interception_initiator_rollups by UTC day instead of hour: the top initiators of a week read
-- seven rows per user (and the hours of the partial days at the window's edges), not 168.
create table interception_initiator_daily_rollups (
  tenant_id    text        not null,
  -- The UTC midnight the day starts at.
  day          timestamptz not null,
  initiator_id text        not null,
  calls        bigint      not null default 0,
  failed       bigint      not null default 0,
  cost_micros  bigint      not null default 0,
  by_value     jsonb       not null default '{}',
  primary key (tenant_id, day, initiator_id)
)
-- Every fold updates the day's rows of each active user again: room on the page lets PostgreSQL
-- write the new version beside the old (a HOT update, no index entry) instead of growing the table.
with (fillfactor = 70);

create index interception_initiator_daily_rollups_day_idx on interception_initiator_daily_rollups using brin (day) with (autosummarize = on);

-- The latency histograms' two helpers of 000008, which the applier calls for every rollup row it
-- writes, as PL/pgSQL loops: as SQL functions with subqueries they were planned again on every
-- call (about 0.1 ms each). The same arrays (compared over 20,000 random inputs, nulls, negative
-- counts and empty arrays among them, on the throughput branch of issue 16).
-- The dense latency_counts of sparse (bucket, count) pairs: counts[k] calls in buckets[k]
-- (negative and null buckets count nowhere, as in 000008).
create or replace function latency_counts_of(buckets integer[], counts bigint[]) returns bigint[]
  language plpgsql immutable parallel safe as $$
declare
  top integer;
  result bigint[];
begin
  select max(b) into top from unnest(buckets) as b where b >= 0;
  if top is null then
    return '{}';
  end if;
  result := array_fill(0::bigint, array[top + 1]);
  for k in 1 .. coalesce(array_length(buckets, 1), 0) loop
    if buckets[k] >= 0 then
      result[buckets[k] + 1] := result[buckets[k] + 1] + coalesce(counts[k], 0);
    end if;
  end loop;
  return result;
end
$$;

-- Element-wise a + b, the shorter array read as zeros beyond its end.
create or replace function add_latency_counts(a bigint[], b bigint[]) returns bigint[]
  language plpgsql immutable parallel safe as $$
declare
  n integer := greatest(coalesce(array_length(a, 1), 0), coalesce(array_length(b, 1), 0));
  result bigint[];
begin
  if n = 0 then
    return '{}';
  end if;
  result := array_fill(0::bigint, array[n]);
  for i in 1 .. n loop
    result[i] := coalesce(a[i], 0) + coalesce(b[i], 0);
  end loop;
  return result;
end
$$;

-- Two by_value maps added key by key, keys that net to zero dropped (neither map holds one). A loop
-- over the second map's few keys: the applier calls this for every initiator row it updates.
create function add_value_counts(a jsonb, b jsonb) returns jsonb
  language plpgsql immutable parallel safe as $$
declare
  result jsonb := a;
  k text;
  v jsonb;
  old jsonb;
  calls bigint;
  failed bigint;
  cost_micros bigint;
begin
  for k, v in select * from jsonb_each(b) loop
    old := result -> k;
    if old is null then
      result := result || jsonb_build_object(k, v);
    else
      calls := (old->>0)::bigint + (v->>0)::bigint;
      failed := (old->>1)::bigint + (v->>1)::bigint;
      cost_micros := (old->>2)::bigint + (v->>2)::bigint;
      if calls = 0 and failed = 0 and cost_micros = 0 then
        result := result - k;
      else
        result := jsonb_set(result, array[k], jsonb_build_array(calls, failed, cost_micros));
      end if;
    end if;
  end loop;
  return result;
end
$$;

-- The rollups' indexes on hour alone, which only prune needs, become BRIN. As B-trees they misled
-- the planner: rows arrive in hour order, so the hour index looked cheaper than the key for one
-- tenant's hours, and a day of one tenant's top initiators read every tenant's rows of that day
-- (62 ms against 6.5 ms through the key, 10,000,000 interceptions, bench/query.ts). A BRIN index
-- is never the better path to a few rows, still finds a prune's old hours, and costs writes less.
drop index interception_rollups_hour_idx;
create index interception_rollups_hour_idx on interception_rollups using brin (hour) with (autosummarize = on);
drop index interception_initiator_rollups_hour_idx;
create index interception_initiator_rollups_hour_idx on interception_initiator_rollups using brin (hour) with (autosummarize = on);

-- The new rollups from what the old triggers kept, and the initiator rollups again from the raw
-- rows, now with their maps.
with expanded as (
  select r.tenant_id, d.dimension, d.value, r.hour, r.error_type, r.calls, r.input_tokens, r.output_tokens,
         r.cache_read_tokens, r.cache_write_tokens, r.cost_micros, r.latency_counts
  from interception_rollups r
  cross join lateral (values ('', ''), ('provider', r.provider), ('model', r.model), ('feature', r.feature),
                             ('key_source', r.key_source)) as d(dimension, value)
),
totals as (
  select tenant_id, dimension, value, hour, error_type, sum(calls) as calls, sum(input_tokens) as input_tokens,
         sum(output_tokens) as output_tokens, sum(cache_read_tokens) as cache_read_tokens,
         sum(cache_write_tokens) as cache_write_tokens, sum(cost_micros) as cost_micros
  from expanded
  group by tenant_id, dimension, value, hour, error_type
),
buckets as (
  select tenant_id, dimension, value, hour, error_type, (u.i - 1)::integer as bucket, sum(u.n)::bigint as n
  from expanded, unnest(latency_counts) with ordinality as u(n, i)
  where u.n <> 0
  group by tenant_id, dimension, value, hour, error_type, u.i
),
latencies as (
  select tenant_id, dimension, value, hour, error_type, latency_counts_of(array_agg(bucket), array_agg(n)) as latency_counts
  from buckets
  group by tenant_id, dimension, value, hour, error_type
)
insert into interception_dimension_rollups
  (tenant_id, dimension, value, hour, error_type, calls, input_tokens, output_tokens, cache_read_tokens,
   cache_write_tokens, cost_micros, latency_counts)
select t.tenant_id, t.dimension, t.value, t.hour, t.error_type, t.calls, t.input_tokens, t.output_tokens,
       t.cache_read_tokens, t.cache_write_tokens, t.cost_micros, coalesce(l.latency_counts, '{}')
from totals t
left join latencies l using (tenant_id, dimension, value, hour, error_type);

truncate interception_initiator_rollups;
with ended as (
  select tenant_id, date_trunc('hour', started_at, 'UTC') as hour, initiator_id, provider, model, feature, key_source,
         coalesce(error_type, '') as error_type, cost_micros
  from interceptions
  where ended_at is not null or error_type is not null
),
by_key as (
  select e.tenant_id, e.hour, e.initiator_id, k.key, count(*) as calls, count(*) filter (where e.error_type <> '') as failed,
         sum(e.cost_micros) as cost_micros
  from ended e
  cross join lateral (values ('provider=' || e.provider), ('model=' || e.model), ('feature=' || e.feature),
                             ('key_source=' || e.key_source), (case when e.error_type <> '' then 'error_type=' || e.error_type end)) as k(key)
  where k.key is not null
  group by 1, 2, 3, 4
),
maps as (
  select tenant_id, hour, initiator_id, jsonb_object_agg(key, jsonb_build_array(calls, failed, cost_micros)) as by_value
  from by_key group by 1, 2, 3
),
totals as (
  select tenant_id, hour, initiator_id, count(*) as calls, count(*) filter (where error_type <> '') as failed, sum(cost_micros) as cost_micros
  from ended group by 1, 2, 3
)
insert into interception_initiator_rollups (tenant_id, hour, initiator_id, calls, failed, cost_micros, by_value)
select t.tenant_id, t.hour, t.initiator_id, t.calls, t.failed, t.cost_micros, m.by_value
from totals t join maps m using (tenant_id, hour, initiator_id);

with by_key as (
  select r.tenant_id, date_trunc('day', r.hour, 'UTC') as day, r.initiator_id, e.key,
         sum((e.v->>0)::bigint) as calls, sum((e.v->>1)::bigint) as failed, sum((e.v->>2)::bigint) as cost_micros
  from interception_initiator_rollups r, jsonb_each(r.by_value) as e(key, v)
  group by 1, 2, 3, 4
),
maps as (
  select tenant_id, day, initiator_id, jsonb_object_agg(key, jsonb_build_array(calls, failed, cost_micros)) as by_value
  from by_key group by 1, 2, 3
),
totals as (
  select tenant_id, date_trunc('day', hour, 'UTC') as day, initiator_id, sum(calls) as calls, sum(failed) as failed,
         sum(cost_micros) as cost_micros
  from interception_initiator_rollups group by 1, 2, 3
)
insert into interception_initiator_daily_rollups (tenant_id, day, initiator_id, calls, failed, cost_micros, by_value)
select t.tenant_id, t.day, t.initiator_id, t.calls, t.failed, t.cost_micros, coalesce(m.by_value, '{}')
from totals t left join maps m using (tenant_id, day, initiator_id);

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
  -- Each change once per dimension, under its value there, and once for the whole tenant.
  taken_by_dimension as (
    select t.tenant_id, d.dimension, d.value, t.hour, t.error_type, t.sign, t.input_tokens, t.output_tokens,
           t.cache_read_tokens, t.cache_write_tokens, t.cost_micros, t.latency_bucket
    from taken t
    cross join lateral (values ('', ''), ('provider', t.provider), ('model', t.model), ('feature', t.feature),
                               ('key_source', t.key_source)) as d(dimension, value)
  ),
  dimension_totals as (
    select tenant_id, dimension, value, hour, error_type,
           sum(sign) as calls, sum(sign * input_tokens) as input_tokens, sum(sign * output_tokens) as output_tokens,
           sum(sign * cache_read_tokens) as cache_read_tokens, sum(sign * cache_write_tokens) as cache_write_tokens,
           sum(sign * cost_micros) as cost_micros
    from taken_by_dimension
    group by tenant_id, dimension, value, hour, error_type
  ),
  dimension_buckets as (
    select tenant_id, dimension, value, hour, error_type, latency_bucket, sum(sign) as n
    from taken_by_dimension where latency_bucket is not null
    group by tenant_id, dimension, value, hour, error_type, latency_bucket
  ),
  dimension_latencies as (
    select tenant_id, dimension, value, hour, error_type, latency_counts_of(array_agg(latency_bucket), array_agg(n)) as latency_counts
    from dimension_buckets
    group by tenant_id, dimension, value, hour, error_type
  ),
  one_dimension as (
    insert into interception_dimension_rollups as r
      (tenant_id, dimension, value, hour, error_type, calls, input_tokens, output_tokens, cache_read_tokens,
       cache_write_tokens, cost_micros, latency_counts)
    select t.tenant_id, t.dimension, t.value, t.hour, t.error_type, t.calls, t.input_tokens, t.output_tokens,
           t.cache_read_tokens, t.cache_write_tokens, t.cost_micros, coalesce(l.latency_counts, '{}')
    from dimension_totals t
    left join dimension_latencies l using (tenant_id, dimension, value, hour, error_type)
    order by t.tenant_id, t.dimension, t.value, t.hour, t.error_type
    on conflict (tenant_id, dimension, value, hour, error_type) do update set
      calls = r.calls + excluded.calls,
      input_tokens = r.input_tokens + excluded.input_tokens,
      output_tokens = r.output_tokens + excluded.output_tokens,
      cache_read_tokens = r.cache_read_tokens + excluded.cache_read_tokens,
      cache_write_tokens = r.cache_write_tokens + excluded.cache_write_tokens,
      cost_micros = r.cost_micros + excluded.cost_micros,
      latency_counts = add_latency_counts(r.latency_counts, excluded.latency_counts)
  ),
  -- The initiators' maps: each change under each of its values.
  initiator_values as (
    select t.tenant_id, t.hour, t.initiator_id, k.key, sum(t.sign) as calls,
           coalesce(sum(t.sign) filter (where t.error_type <> ''), 0) as failed, sum(t.sign * t.cost_micros) as cost_micros
    from taken t
    cross join lateral (values ('provider=' || t.provider), ('model=' || t.model), ('feature=' || t.feature),
                               ('key_source=' || t.key_source), (case when t.error_type <> '' then 'error_type=' || t.error_type end)) as k(key)
    where k.key is not null
    group by 1, 2, 3, 4
  ),
  initiator_totals as (
    select tenant_id, hour, initiator_id, sum(sign) as calls, coalesce(sum(sign) filter (where error_type <> ''), 0) as failed,
           sum(sign * cost_micros) as cost_micros
    from taken
    group by 1, 2, 3
  ),
  initiator_maps as (
    select tenant_id, hour, initiator_id,
           coalesce(jsonb_object_agg(key, jsonb_build_array(calls, failed, cost_micros)) filter (where calls <> 0 or failed <> 0 or cost_micros <> 0), '{}') as by_value
    from initiator_values
    group by 1, 2, 3
  ),
  by_initiator as (
    insert into interception_initiator_rollups as r (tenant_id, hour, initiator_id, calls, failed, cost_micros, by_value)
    select t.tenant_id, t.hour, t.initiator_id, t.calls, t.failed, t.cost_micros, m.by_value
    from initiator_totals t join initiator_maps m using (tenant_id, hour, initiator_id)
    order by 1, 2, 3
    on conflict (tenant_id, hour, initiator_id) do update set
      calls = r.calls + excluded.calls,
      failed = r.failed + excluded.failed,
      cost_micros = r.cost_micros + excluded.cost_micros,
      by_value = add_value_counts(r.by_value, excluded.by_value)
  ),
  initiator_day_values as (
    select tenant_id, date_trunc('day', hour, 'UTC') as day, initiator_id, key, sum(calls) as calls, sum(failed) as failed,
           sum(cost_micros) as cost_micros
    from initiator_values
    group by 1, 2, 3, 4
  ),
  initiator_day_totals as (
    select tenant_id, date_trunc('day', hour, 'UTC') as day, initiator_id, sum(calls) as calls, sum(failed) as failed,
           sum(cost_micros) as cost_micros
    from initiator_totals
    group by 1, 2, 3
  ),
  initiator_day_maps as (
    select tenant_id, day, initiator_id,
           coalesce(jsonb_object_agg(key, jsonb_build_array(calls, failed, cost_micros)) filter (where calls <> 0 or failed <> 0 or cost_micros <> 0), '{}') as by_value
    from initiator_day_values
    group by 1, 2, 3
  ),
  by_initiator_day as (
    insert into interception_initiator_daily_rollups as r (tenant_id, day, initiator_id, calls, failed, cost_micros, by_value)
    select t.tenant_id, t.day, t.initiator_id, t.calls, t.failed, t.cost_micros, m.by_value
    from initiator_day_totals t join initiator_day_maps m using (tenant_id, day, initiator_id)
    order by 1, 2, 3
    on conflict (tenant_id, day, initiator_id) do update set
      calls = r.calls + excluded.calls,
      failed = r.failed + excluded.failed,
      cost_micros = r.cost_micros + excluded.cost_micros,
      by_value = add_value_counts(r.by_value, excluded.by_value)
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
  deleted := deleted + n;
  delete from interception_dimension_rollups where hour < first_kept_hour;
  get diagnostics n = row_count;
  deleted := deleted + n;
  delete from interception_initiator_daily_rollups where day < first_kept_hour;
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

create view interception_dimension_rollups_live as
  select tenant_id, dimension, value, hour, error_type, calls, input_tokens, output_tokens, cache_read_tokens,
         cache_write_tokens, cost_micros, latency_counts
  from interception_dimension_rollups
  union all
  select c.tenant_id, d.dimension, d.value, c.hour, c.error_type, c.sign::bigint, c.sign * c.input_tokens,
         c.sign * c.output_tokens, c.sign * c.cache_read_tokens, c.sign * c.cache_write_tokens, c.sign * c.cost_micros,
         case when c.latency_bucket is null then '{}'::bigint[]
              else array_fill(0::bigint, array[c.latency_bucket]) || c.sign::bigint end
  from interception_rollup_changes c
  cross join lateral (values ('', ''), ('provider', c.provider), ('model', c.model), ('feature', c.feature),
                             ('key_source', c.key_source)) as d(dimension, value);

-- A pending change's map: its own values, each with the change's counts.
create function interception_rollup_change_values(c interception_rollup_changes) returns jsonb
  language sql immutable parallel safe
  return (
    select jsonb_build_object('provider=' || c.provider, a, 'model=' || c.model, a, 'feature=' || c.feature, a,
                              'key_source=' || c.key_source, a)
           || case when c.error_type <> '' then jsonb_build_object('error_type=' || c.error_type, a) else '{}'::jsonb end
    from (select jsonb_build_array(c.sign, case when c.error_type <> '' then c.sign else 0 end, c.sign * c.cost_micros) as a) as counts);

create view interception_initiator_rollups_live as
  select tenant_id, hour, initiator_id, calls, failed, cost_micros, by_value
  from interception_initiator_rollups
  union all
  select tenant_id, hour, initiator_id, sign::bigint, case when error_type <> '' then sign::bigint else 0 end, sign * cost_micros,
         interception_rollup_change_values(c)
  from interception_rollup_changes c;

create view interception_initiator_daily_rollups_live as
  select tenant_id, day, initiator_id, calls, failed, cost_micros, by_value
  from interception_initiator_daily_rollups
  union all
  select tenant_id, date_trunc('day', hour, 'UTC'), initiator_id, sign::bigint,
         case when error_type <> '' then sign::bigint else 0 end, sign * cost_micros, interception_rollup_change_values(c)
  from interception_rollup_changes c;
