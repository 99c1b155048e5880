/**
 * The LISTEN/NOTIFY channel the outbox's insert trigger nudges (`notification_outbox_nudge` in
 * migrations/000004_notifier.sql). Only a nudge: notifiers also poll. test/schema-agreement.test.ts
 * checks that the trigger in the database notifies this channel.
 */
export const OUTBOX_CHANNEL = "bridgelog_notification_outbox";
