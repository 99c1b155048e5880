import type { PartialScope } from "./call-scope.js";
import type { UsageExtractor } from "./call-usage.js";
import { createSendBuffer, type SendBufferCounters } from "./send-buffer.js";
import { type RecorderLog, safeLog } from "./recorder-log.js";
import { createScopeContext } from "./scope-context.js";
import { createStreamSender } from "./stream-sender.js";
import { createTrack, type Track } from "./track.js";

export interface RecorderOptions {
  /** bridgelog's base URL, e.g. "http://127.0.0.1:8080" (gRPC over HTTP/2 cleartext). */
  baseUrl: string;
  /** An API token with the `record` scope; sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Most records sent on one `RecordInterceptions` stream. Default 500; at most 10,000 (the server's limit). */
  maxBatchSize?: number;
  /** How long a partial batch waits before it is sent, in ms. Default 1000. */
  flushIntervalMs?: number;
  /** Most records held while bridgelog is slow or away; past it the oldest are dropped. Default 10,000. */
  maxBufferedRecords?: number;
  /** Deadline of one send, in ms. Default 10,000. */
  sendTimeoutMs?: number;
  /** How long `close()` may take to deliver what is buffered, in ms. Default 5000. */
  closeTimeoutMs?: number;
  /** Backoff between retries: the first delay's ceiling and the longest delay, in ms. Defaults 100 and 30,000. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Reads usage and cost from every call's result (a scope's own `usage` wins). */
  usage?: UsageExtractor;
  /** Where refused records, delivery trouble and drops are reported. */
  log?: RecorderLog;
}

/** Counters since the recorder was created; see SendBufferCounters for what each means. */
export type RecorderCounters = SendBufferCounters;

/** Records every LLM call attempt of a bridge in bridgelog, without ever slowing or breaking the call. */
export interface Recorder {
  /**
   * Wraps one LLM call: `await recorder.track(scope, () => openai.chat.completions.create(...))`.
   * Returns what the call returned and throws what it threw, the same object. Throws a TypeError at
   * once when the scope (this one over `withScope`'s) lacks tenantId, initiatorId, feature,
   * provider, model or keySource.
   */
  track: Track;
  /**
   * Runs `fn` with scope fields that every `track` inside it (across awaits) inherits; `track`'s
   * own fields win, and nested `withScope` calls add to the outer one. Returns what `fn` returns.
   */
  withScope<R>(scope: PartialScope, fn: () => R): R;
  counters(): RecorderCounters;
  /**
   * Delivers what is buffered, for at most `timeoutMs` (default `closeTimeoutMs`), then drops what
   * is left and closes the connection. Never rejects. Calls tracked afterwards are still made but
   * no longer recorded (they count as dropped).
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Creates a recorder. Throws a TypeError at once for invalid options (a configuration bug);
 * after that nothing it does throws into the bridge.
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const settings = validate(options);
  const log = safeLog(options.log);
  const sender = createStreamSender({ baseUrl: options.baseUrl, token: options.token, timeoutMs: settings.sendTimeoutMs });
  const buffer = createSendBuffer({
    deliver: sender.deliver,
    capacity: settings.maxBufferedRecords,
    batchSize: settings.maxBatchSize,
    flushIntervalMs: settings.flushIntervalMs,
    retry: { initialDelayMs: settings.initialDelayMs, maxDelayMs: settings.maxDelayMs },
    log,
    idOf: (call) => call.id,
  });
  const context = createScopeContext();
  let closed: Promise<void> | undefined;
  return {
    track: createTrack({ context, enqueue: buffer.add, usage: options.usage }),
    withScope: (scope, fn) => context.run(scope, fn),
    counters: buffer.counters,
    close(closeOptions) {
      closed ??= buffer.close(closeOptions?.timeoutMs ?? settings.closeTimeoutMs).finally(() => sender.close());
      return closed;
    },
  };
}

function validate(options: RecorderOptions) {
  const problems: string[] = [];
  const whole = (name: string, value: number | undefined, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  if (typeof options?.baseUrl !== "string" || !/^https?:\/\/[^/]/.test(options.baseUrl)) {
    problems.push('baseUrl must be an http:// or https:// URL, e.g. "http://127.0.0.1:8080"');
  }
  if (typeof options?.token !== "string" || options.token.trim() === "") problems.push("token must be a bridgelog API token");
  const settings = {
    maxBatchSize: whole("maxBatchSize", options?.maxBatchSize, 500, 1, 10_000),
    flushIntervalMs: whole("flushIntervalMs", options?.flushIntervalMs, 1000, 0, 3_600_000),
    maxBufferedRecords: whole("maxBufferedRecords", options?.maxBufferedRecords, 10_000, 1, 100_000_000),
    sendTimeoutMs: whole("sendTimeoutMs", options?.sendTimeoutMs, 10_000, 1, 3_600_000),
    closeTimeoutMs: whole("closeTimeoutMs", options?.closeTimeoutMs, 5000, 0, 3_600_000),
    initialDelayMs: whole("retry.initialDelayMs", options?.retry?.initialDelayMs, 100, 1, 3_600_000),
    maxDelayMs: whole("retry.maxDelayMs", options?.retry?.maxDelayMs, 30_000, 1, 3_600_000),
  };
  if (problems.length > 0) throw new TypeError(`bridgelog createRecorder(): ${problems.join("; ")}`);
  return settings;
}
