-- Per-device delivery state and lock waits, on the event itself (issue 15, the notifier).
--
-- reached_fcm_tokens: the device tokens this event's pushes have reached so far, appended by the
-- statement that records each attempt (src/outbox/record-outcome.ts). When some of a user's
-- devices are reached and others fail transiently, the event stays pending and its retry sends only
-- to the tokens not in this list, so a device already told is never told again by that event. On
-- the event rather than a table of its own: it is written in the same single-row update as the
-- attempt's outcome, read by the claim that returns the event, and goes when the event is pruned;
-- its size is one user's device count.
--
-- lock_waits: how many times in a row the event found the dedup lock's store (Redis) unreachable.
-- A wait is not an attempt and writes no notification_deliveries row: it is recorded here, with
-- last_error and the next available_at, and sets the next wait's backoff, which doubles per wait up
-- to BRIDGELOG_NOTIFY_LOCK_WAIT_MAX_MS. Reset to 0 by the next attempt that reaches the lock.
--
-- Both columns have constant defaults, so adding them rewrites no rows. No check constraint on
-- lock_waits: adding one would scan the whole outbox under an exclusive lock, and only the
-- notifier's own statements write it.
alter table notification_outbox
  add column reached_fcm_tokens text[] not null default '{}',
  add column lock_waits integer not null default 0;
