-- One name for one thing, and "ended" stated once.
--
-- The person who made a call is `initiator_id` on interceptions; the outbox, the dedup locks and
-- the devices table called the same person `user_id`. The error type that made an event
-- actionable was called `reason`. Both now use the interceptions' names. Renames are catalog-only
-- (no rewrite, no data change); indexes and constraints follow their columns.
--
-- Upgrading: a process of an earlier version reads the old names, so stop every bridgelog process
-- before the first process of this version starts (its start applies this migration).

alter table notification_outbox rename column user_id to initiator_id;
alter table notification_outbox rename column reason to error_type;

alter table notification_locks rename column user_id to initiator_id;
alter table notification_locks rename column reason to error_type;

alter table devices rename column user_id to initiator_id;
alter index devices_tenant_user_idx rename to devices_tenant_initiator_idx;

-- An interception has ended once it has an end time or a failure. The write path freezes an ended
-- interception's outcome columns, summaries count only ended interceptions, and the query API
-- derives the outcome from it: one generated column instead of the same expression in each.
-- Adding a stored generated column rewrites every partition once: about as long as the copy in
-- 000006 (seconds per million rows).
alter table interceptions
  add column ended boolean generated always as (ended_at is not null or error_type is not null) stored;

-- Day partitions are made with LIKE interceptions: they must now copy the generation expression
-- too, or ATTACH refuses a plain `ended` column. Otherwise as in 000006.
create or replace function ensure_interception_partition(day date) returns boolean language plpgsql as $$
declare
  name text := 'interceptions_p' || to_char(day, 'YYYYMMDD');
begin
  if to_regclass(name) is not null then
    return false;
  end if;
  lock table interceptions in share update exclusive mode;
  if to_regclass(name) is not null then
    return false;
  end if;
  execute format('create table %I (like interceptions including defaults including constraints including generated)', name);
  execute format('alter table interceptions attach partition %I for values from (%L) to (%L)',
    name, day::timestamp at time zone 'UTC', (day + 1)::timestamp at time zone 'UTC');
  return true;
end
$$;
