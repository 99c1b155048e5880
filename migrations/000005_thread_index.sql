-- GetThread reads a root's descendants: every interception whose thread_root_id is the root.
-- Partial: most interceptions belong to no thread.
create index interceptions_tenant_thread_idx on interceptions (tenant_id, thread_root_id, started_at)
  where thread_root_id is not null;
