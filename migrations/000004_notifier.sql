-- The notifier: the outbox the recorder writes, the devices pushes go to, a record of every
-- delivery attempt, and the dedup locks used when no Redis is configured.

-- One event per interception that became a failure its user can fix (policy: BYOK key, error type
-- unauthorized, permission_denied or quota_exhausted by default; see src/notifier/notify-policy.ts).
-- The recorder inserts it in the same statement as the interception, so neither commits without
-- the other.
--
-- Keyed by the interception itself. An interception's failure is frozen once recorded, so it is
-- notifiable at most once: a retried record, or the same failure recorded by two batches at once,
-- finds the event already there (`on conflict do nothing`) and the outbox does not grow. Finished
-- events are kept, as the history of what was notified; a retention job that deletes them must keep
-- them longer than bridges retry, or a late retry would create the event again.
--
-- No foreign key to interceptions: that table is meant to be partitioned by time, and the event
-- carries everything the notifier needs.
create table notification_outbox (
  tenant_id       text        not null,
  interception_id uuid        not null,
  -- The interception's initiator_id: whose devices are told.
  user_id         text        not null,
  provider        text        not null,
  -- The error type that made it actionable.
  reason          text        not null,
  -- pending until an outcome is final: sent, suppressed (a duplicate within the dedup window), or
  -- dead (given up after the configured attempts; last_error says why).
  status          text        not null default 'pending'
                  check (status in ('pending', 'sent', 'suppressed', 'dead')),
  -- Attempts started. Counted when an event is claimed, so an event that crashes its notifier
  -- every time still ends dead instead of looping.
  attempts        integer     not null default 0 check (attempts >= 0),
  -- When the event may next be claimed. Unclaimed: now, or the end of a retry's backoff. Claimed:
  -- the end of the claim's lease. So a crashed notifier's claims become claimable again by
  -- themselves, and a claim needs one condition and one index.
  available_at    timestamptz not null default now(),
  -- The notifier holding the current claim; outcomes are written only by the holder of the claim
  -- (same notifier, same attempt), so a notifier whose lease ran out cannot overwrite a newer one.
  claimed_by      text,
  last_error      text,
  created_at      timestamptz not null default now(),
  finished_at     timestamptz,
  primary key (tenant_id, interception_id)
);

-- What a claim reads: due pending events, oldest first. Partial: finished events, nearly all rows
-- over time, are not in it.
create index notification_outbox_due_idx on notification_outbox (available_at) where status = 'pending';

-- A nudge for notifiers waiting in LISTEN. Only a nudge: they also poll, so a lost notification
-- delays an event by at most one poll interval. PostgreSQL folds identical notifications in one
-- transaction into one, so a batch of 500 events wakes listeners once.
create function notification_outbox_nudge() returns trigger language plpgsql as $$
begin
  perform pg_notify('bridgelog_notification_outbox', '');
  return null;
end
$$;

create trigger notification_outbox_nudge after insert on notification_outbox
  for each row execute function notification_outbox_nudge();

-- One row per attempt and its outcome: sent, suppressed, failed (will be retried) or dead.
create table notification_deliveries (
  tenant_id       text        not null,
  interception_id uuid        not null,
  id              bigint      generated always as identity,
  attempt         integer     not null,
  outcome         text        not null check (outcome in ('sent', 'suppressed', 'failed', 'dead')),
  error           text,
  -- Devices the push reached, and device tokens FCM reported gone (deleted).
  devices_reached integer     not null default 0,
  devices_removed integer     not null default 0,
  notifier        text        not null,
  recorded_at     timestamptz not null default now(),
  primary key (tenant_id, interception_id, id)
);

-- Devices that receive a user's pushes. An FCM token is one app installation, so it is the key:
-- registering a token again (after a reinstall, or another user signing in on the device) moves it.
create table devices (
  tenant_id  text        not null,
  fcm_token  text        not null,
  user_id    text        not null,
  platform   text        not null default 'unspecified'
             check (platform in ('unspecified', 'android', 'ios', 'web')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, fcm_token)
);

create index devices_tenant_user_idx on devices (tenant_id, user_id);

-- Dedup locks when REDIS_URL is not set: the same "set if absent, with expiry" as Redis SET NX EX.
-- `holder` is the interception whose event took the lock. Expired rows are replaced by the next
-- acquire of the same key, so the table holds at most one row per (tenant, user, provider, reason).
create table notification_locks (
  tenant_id  text        not null,
  user_id    text        not null,
  provider   text        not null,
  reason     text        not null,
  holder     text        not null,
  expires_at timestamptz not null,
  primary key (tenant_id, user_id, provider, reason)
);
