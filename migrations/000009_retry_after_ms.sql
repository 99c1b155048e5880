-- The provider's retry hint: how long it said to wait before retrying, in milliseconds, from a
-- `retry-after` / `retry-after-ms` response header, google.rpc.RetryInfo in the body, or wording
-- such as "Please try again in 1.5s" (src/classify/retry-hint.ts). At most 86400000 (24 hours).
-- NULL when the provider said nothing, and always NULL for a success.
--
-- Nullable and without a default, so adding it to the partitioned table only changes the catalog:
-- no partition is rewritten or scanned, however many rows it holds. For the same reason the bounds
-- are not a CHECK constraint here (adding one would scan every partition); the recorder writes only
-- values it computed and capped itself.
alter table interceptions add column retry_after_ms bigint;
