/** One thing the client wants a human to know about; it never throws these at the bridge. */
export interface RecorderLogEntry {
  /** "error": records were refused for good; "warn": delivery trouble that retries may fix, or drops. */
  level: "warn" | "error";
  message: string;
  /** The interception id, for a refused record. */
  id?: string;
  /** The server's code name for a refused record, e.g. "invalid_argument". */
  code?: string;
  /** How many records the entry is about. */
  records?: number;
}

/** Where the client's log entries go: the bridge's own logger, e.g. `(e) => logger[e.level](e, e.message)`. */
export type RecorderLog = (entry: RecorderLogEntry) => void;

/**
 * Wraps a bridge's log callback so that a logger that throws cannot break delivery, and a missing
 * one costs nothing.
 */
export function safeLog(log: RecorderLog | undefined): RecorderLog {
  if (log === undefined) return () => {};
  return (entry) => {
    try {
      log(entry);
    } catch {
      // The bridge's logger failed; there is nowhere left to report that.
    }
  };
}
