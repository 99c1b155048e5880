-- Hourly rollups of ended interceptions, so a summary's cost follows the hours of its window, not
-- its rows: a gateway at 100 calls/s records 8.6 million a day, and a summary that scans the window
-- grows with it.
--
-- One row per tenant, UTC hour of started_at, and the dimensions summaries filter and group by.
-- An interception counts once, by its final outcome: it is added when it ends (an end time or a
-- failure) and never before, and an ended interception whose provider-independent dimensions fill
-- in later (model, feature, key source arrive in a late record) moves from its old row to its new
-- one. Maintained in the same transaction as the write, by statement triggers that read what each
-- statement changed (its transition tables): a batch of 500 records is one upsert here, of only the
-- rows it touched, never a rescan. tenant_id leads the key, as everywhere (Citus).
create table interception_rollups (
  tenant_id          text        not null,
  -- The UTC hour the interceptions started in.
  hour               timestamptz not null,
  provider           text        not null,
  model              text        not null,
  feature            text        not null,
  key_source         text        not null,
  -- The interceptions' error type, or '' for those that succeeded: a key column cannot be NULL.
  error_type         text        not null,
  -- Ended interceptions.
  calls              bigint      not null default 0,
  input_tokens       bigint      not null default 0,
  output_tokens      bigint      not null default 0,
  cache_read_tokens  bigint      not null default 0,
  cache_write_tokens bigint      not null default 0,
  cost_micros        bigint      not null default 0,
  -- Durations of the calls that have an end time: latency_counts[i] counts those in bucket i - 1
  -- of interception_latency_bucket (array indexes start at 1), trailing empty buckets left out.
  latency_counts     bigint[]    not null default '{}',
  primary key (tenant_id, hour, provider, model, feature, key_source, error_type)
);

-- What `bridgelog prune` deletes with a day's partition.
create index interception_rollups_hour_idx on interception_rollups (hour);

-- The latency bucket of a duration in milliseconds: four buckets per doubling, so a percentile read
-- from the buckets is within 19% of the true one; bucket 95 holds everything from 2^24 ms (4.6 h).
-- src/rollups/latency-histogram.ts reads the buckets back with the same formula.
create function interception_latency_bucket(ms double precision) returns integer
  language sql immutable parallel safe
  return least(95, floor(4 * ln(1 + greatest(ms, 0)) / ln(2)))::integer;

-- The dense latency_counts of sparse (bucket, count) pairs: counts[k] calls in buckets[k].
create function latency_counts_of(buckets integer[], counts bigint[]) returns bigint[]
  language sql immutable parallel safe
  return array(
    select coalesce(sum(u.n), 0)
    from generate_series(0, (select max(b) from unnest(buckets) as b)) as i
    left join unnest(buckets, counts) as u(bucket, n) on u.bucket = i
    group by i
    order by i);

-- Element-wise a + b, the shorter array read as zeros beyond its end.
create function add_latency_counts(a bigint[], b bigint[]) returns bigint[]
  language sql immutable parallel safe
  return array(
    select coalesce(a[i], 0) + coalesce(b[i], 0)
    from generate_series(1, greatest(coalesce(array_length(a, 1), 0), coalesce(array_length(b, 1), 0))) as i
    order by i);

-- Applies changes to interceptions to the rollups: every ended row in `added` is added, every
-- ended row in `removed` (the rows as they were before an update) is taken away, grouped to one
-- upsert per rollup row in key order (so concurrent batches lock rollup rows in the same order).
-- One function with static SQL, so its plan is cached, for both triggers below.
create function interception_rollups_apply(added interceptions[], removed interceptions[]) returns void
  language plpgsql as $$
begin
    with changes as (
      select tenant_id, date_trunc('hour', started_at, 'UTC') as hour, provider, model, feature, key_source,
             coalesce(error_type, '') as error_type, sign,
             input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros,
             case when ended_at is not null
                  then interception_latency_bucket(extract(epoch from ended_at - started_at) * 1000) end as bucket
      from (
        select *, 1 as sign from unnest(added)
        union all
        select *, -1 as sign from unnest(removed)
      ) as changed
      where ended_at is not null or error_type is not null
    ),
    totals as (
      select tenant_id, hour, provider, model, feature, key_source, error_type,
             sum(sign) as calls, sum(sign * input_tokens) as input_tokens, sum(sign * output_tokens) as output_tokens,
             sum(sign * cache_read_tokens) as cache_read_tokens, sum(sign * cache_write_tokens) as cache_write_tokens,
             sum(sign * cost_micros) as cost_micros
      from changes
      group by tenant_id, hour, provider, model, feature, key_source, error_type
    ),
    buckets as (
      select tenant_id, hour, provider, model, feature, key_source, error_type, bucket, sum(sign) as n
      from changes where bucket is not null
      group by tenant_id, hour, provider, model, feature, key_source, error_type, bucket
    ),
    latencies as (
      select tenant_id, hour, provider, model, feature, key_source, error_type,
             latency_counts_of(array_agg(bucket), array_agg(n)) as latency_counts
      from buckets
      group by tenant_id, hour, provider, model, feature, key_source, error_type
    )
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
      latency_counts = add_latency_counts(r.latency_counts, excluded.latency_counts);
end
$$;

-- The statement triggers hand over what each statement changed (its transition tables). An INSERT
-- has no old rows; an UPDATE (the upsert's conflict path) has both.
create function interception_rollups_after_insert() returns trigger language plpgsql as $$
begin
  perform interception_rollups_apply(array(select n::interceptions from new_rows n), '{}');
  return null;
end
$$;

create function interception_rollups_after_update() returns trigger language plpgsql as $$
begin
  perform interception_rollups_apply(array(select n::interceptions from new_rows n), array(select o::interceptions from old_rows o));
  return null;
end
$$;

create trigger interception_rollups_insert after insert on interceptions
  referencing new table as new_rows for each statement execute function interception_rollups_after_insert();
create trigger interception_rollups_update after update on interceptions
  referencing old table as old_rows new table as new_rows for each statement execute function interception_rollups_after_update();

-- Interceptions recorded before this migration, in the same shape.
insert into interception_rollups
  (tenant_id, hour, provider, model, feature, key_source, error_type, calls, input_tokens,
   output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, latency_counts)
select tenant_id, hour, provider, model, feature, key_source, error_type, sum(calls), sum(input_tokens),
       sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_micros),
       coalesce(latency_counts_of(array_agg(bucket) filter (where bucket is not null),
                                  array_agg(calls) filter (where bucket is not null)), '{}')
from (
  select tenant_id, date_trunc('hour', started_at, 'UTC') as hour, provider, model, feature, key_source,
         coalesce(error_type, '') as error_type,
         case when ended_at is not null
              then interception_latency_bucket(extract(epoch from ended_at - started_at) * 1000) end as bucket,
         count(*) as calls, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
         sum(cache_read_tokens) as cache_read_tokens, sum(cache_write_tokens) as cache_write_tokens,
         sum(cost_micros) as cost_micros
  from interceptions
  where ended_at is not null or error_type is not null
  group by 1, 2, 3, 4, 5, 6, 7, 8
) as by_bucket
group by tenant_id, hour, provider, model, feature, key_source, error_type;
