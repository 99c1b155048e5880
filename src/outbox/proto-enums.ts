import {
  DeliveryOutcome as ProtoDeliveryOutcome,
  NotificationStatus as ProtoNotificationStatus,
} from "../../gen/bridgelog/v1/query_service_pb.js";
import type { DeliveryOutcome, NotificationStatus } from "./notification-states.js";

// The same rule as src/interception/proto-enums.ts: each proto value is the stored word in upper
// case (NOTIFICATION_STATUS_SUPPRESSED is "suppressed"), so the mapping is the name itself.

/** "suppressed" is NOTIFICATION_STATUS_SUPPRESSED. */
export function toProtoNotificationStatus(status: NotificationStatus): ProtoNotificationStatus {
  return ProtoNotificationStatus[status.toUpperCase() as keyof typeof ProtoNotificationStatus];
}

/** "failed" is DELIVERY_OUTCOME_FAILED. */
export function toProtoDeliveryOutcome(outcome: DeliveryOutcome): ProtoDeliveryOutcome {
  return ProtoDeliveryOutcome[outcome.toUpperCase() as keyof typeof ProtoDeliveryOutcome];
}
