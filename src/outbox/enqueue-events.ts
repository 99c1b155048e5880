import type { Fragment, Sql } from "postgres";
import type { NotifyPolicy } from "./notify-policy.js";

/**
 * The insert that turns actionable failures into outbox events, as a fragment for the recorder's
 * write statement (src/recorder/write-interceptions.ts): one statement is one transaction, so an
 * interception and its event commit together or not at all.
 *
 * `source` names a relation of that statement (a CTE) with the columns tenant_id, id,
 * initiator_id, provider, key_source and error_type, holding each interception as the statement
 * leaves it. A row the policy matches, with a known initiator, gets one event.
 *
 * The outbox is keyed by the interception and the insert skips an existing event, so an event is
 * created by the statement that first makes the interception actionable (a new failed row, an
 * in-progress row ended with a failure, or a failed row whose BYOK key source or initiator arrives
 * in a later record) and by no later one: a retried failure finds its event and adds nothing. That
 * stays exact when two batches write the same interception at once, where comparing with the row
 * as this statement's snapshot saw it would not (the snapshot can predate a concurrent commit).
 */
export function enqueueEvents(sql: Sql, source: string, policy: NotifyPolicy): Fragment {
  return sql`
    insert into notification_outbox (tenant_id, interception_id, initiator_id, provider, error_type)
    select tenant_id, id, initiator_id, provider, error_type
    from ${sql(source)}
    where key_source = any(${[...policy.keySources]}::text[])
      and error_type = any(${[...policy.errorTypes]}::text[])
      and initiator_id <> ''
    on conflict (tenant_id, interception_id) do nothing`;
}
