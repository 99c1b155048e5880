-- One name for one thing.
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
