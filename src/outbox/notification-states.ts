/**
 * The words the outbox stores for where an event stands and how an attempt ended, listed once.
 * The SQL checks of migrations/000004_notifier.sql and the proto enums NotificationStatus and
 * DeliveryOutcome spell the same values; test/schema-agreement.test.ts ties the three together.
 */

/** `notification_outbox.status`: pending until final; then sent, suppressed (a duplicate) or dead. */
export const NOTIFICATION_STATUSES = ["pending", "sent", "suppressed", "dead"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** `notification_deliveries.outcome`: one per attempt; failed means it will be retried. */
export const DELIVERY_OUTCOMES = ["sent", "suppressed", "failed", "dead"] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];
