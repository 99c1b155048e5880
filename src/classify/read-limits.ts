/**
 * How much of a failure the classifier reads. Bodies can be megabytes (an HTML page, a runaway
 * stream), but every provider puts its error details first, so a bounded head is enough and keeps
 * one classification in the microseconds whatever arrives.
 */
export const READ_LIMITS = {
  /** Text rules look at this much of a body and of a message. */
  textChars: 64 * 1024,
  /** JSON larger than this is not parsed; its head is searched as text instead. */
  jsonChars: 256 * 1024,
  /** Each provider message kept for the text rules is cut to this length. */
  messageChars: 8 * 1024,
} as const;
