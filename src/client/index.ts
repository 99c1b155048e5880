/**
 * `@bridgelog/client`: the TypeScript bridge SDK. A bridge wraps each LLM call in
 * `recorder.track(scope, fn)`; every attempt, successful or not, reaches bridgelog in the
 * background, with its duration, usage, cost and, on failure, the raw upstream facts the server
 * classifies. A slow or absent bridgelog never slows down or breaks the call.
 */
export { createRecorder, type Recorder, type RecorderCounters, type RecorderOptions } from "./create-recorder.js";
export type { CallScope, KeySource, PartialScope } from "./call-scope.js";
export type { CallUsage, UsageExtractor } from "./call-usage.js";
export type { Track } from "./track.js";
export type { RecorderLog, RecorderLogEntry } from "./recorder-log.js";
export { extractUpstreamFailure, type UpstreamFailure } from "./extract-upstream-failure.js";
export { readProviderUsage } from "./read-provider-usage.js";
