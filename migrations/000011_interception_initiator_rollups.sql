-- Hourly rollups by initiator, for the console's "top initiators" breakdown. interception_rollups
-- cannot hold the initiator: users outnumber every other dimension, and adding them to its key would
-- multiply its rows by the active users of each hour. A table of its own keyed by (tenant, hour,
-- initiator) alone holds at most one row per active user per hour, so the top initiators of a
-- window read at most (users x hours) rows, never its interceptions.
--
-- The same rules as interception_rollups (migrations/000008): an interception counts once, when it
-- has ended, by its final values; a late record that changes its initiator moves it from one row to
-- the other. Maintained by the same statement triggers, in the same transaction as the write.
create table interception_initiator_rollups (
  tenant_id    text        not null,
  hour         timestamptz not null,
  initiator_id text        not null,
  calls        bigint      not null default 0,
  failed       bigint      not null default 0,
  cost_micros  bigint      not null default 0,
  primary key (tenant_id, hour, initiator_id)
);

-- What `bridgelog prune` deletes with a day's partition.
create index interception_initiator_rollups_hour_idx on interception_initiator_rollups (hour);

create function interception_initiator_rollups_apply(added interceptions[], removed interceptions[]) returns void
  language plpgsql as $$
begin
  insert into interception_initiator_rollups as r (tenant_id, hour, initiator_id, calls, failed, cost_micros)
  select tenant_id, date_trunc('hour', started_at, 'UTC'), initiator_id,
         sum(sign), coalesce(sum(sign) filter (where error_type is not null), 0), sum(sign * cost_micros)
  from (
    select *, 1 as sign from unnest(added)
    union all
    select *, -1 as sign from unnest(removed)
  ) as changed
  where ended_at is not null or error_type is not null
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (tenant_id, hour, initiator_id) do update set
    calls = r.calls + excluded.calls,
    failed = r.failed + excluded.failed,
    cost_micros = r.cost_micros + excluded.cost_micros;
end
$$;

-- The triggers of 000008 now apply each statement's changes to both rollups.
create or replace function interception_rollups_after_insert() returns trigger language plpgsql as $$
declare
  added interceptions[] := array(select n::interceptions from new_rows n);
begin
  perform interception_rollups_apply(added, '{}');
  perform interception_initiator_rollups_apply(added, '{}');
  return null;
end
$$;

create or replace function interception_rollups_after_update() returns trigger language plpgsql as $$
declare
  added interceptions[] := array(select n::interceptions from new_rows n);
  removed interceptions[] := array(select o::interceptions from old_rows o);
begin
  perform interception_rollups_apply(added, removed);
  perform interception_initiator_rollups_apply(added, removed);
  return null;
end
$$;

-- Interceptions recorded before this migration.
insert into interception_initiator_rollups (tenant_id, hour, initiator_id, calls, failed, cost_micros)
select tenant_id, date_trunc('hour', started_at, 'UTC'), initiator_id,
       count(*), count(*) filter (where error_type is not null), sum(cost_micros)
from interceptions
where ended_at is not null or error_type is not null
group by 1, 2, 3;
