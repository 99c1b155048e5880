/** One push to one device. */
export interface PushMessage {
  /** The device's FCM registration token. */
  token: string;
  title: string;
  body: string;
  /** Delivered to the app with the notification; FCM allows string values only. */
  data: Record<string, string>;
}

/** What became of one message. */
export type PushResult =
  | { token: string; status: "delivered" }
  /** The token is unregistered or invalid: it will never work again, so it is deleted. */
  | { token: string; status: "token-gone"; error: string }
  /** Anything else (FCM unavailable, quota, network): worth retrying later. */
  | { token: string; status: "failed"; error: string };

/**
 * Sends pushes. Two implementations, passed in by whoever starts the notifier: FCM through
 * firebase-admin, and a log sender for deployments without Firebase credentials, so the pipeline
 * can still be watched end to end.
 */
export interface PushSender {
  /** One result per message, in order. Rejects only when nothing could be attempted. */
  send(messages: readonly PushMessage[]): Promise<PushResult[]>;
}
