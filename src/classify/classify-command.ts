import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { classifyFailure, UpstreamFailure } from "./classify-failure.js";
import { readUpstreamHttpStatus } from "./http-status.js";

/**
 * `bridgelog classify`: JSON lines in, JSON lines out, one output line per input line, in order.
 *
 * Input:  {"provider", "http_status", "body", "error_name", "code", "message", "response_headers"},
 *         all optional; `response_headers` is an object of header names to string values.
 * Output: {"error_type", "provider_code", "retryable", "retry_after_ms"}; `provider_code` and
 *         `retry_after_ms` (the provider's retry hint in milliseconds) are null when there is none.
 * A line that is not a JSON object, or has a field of the wrong type, gets {"error": "..."} and
 * the command exits 1 after the last line. Blank lines are skipped. This format is stable.
 *
 * Resolves with the exit code.
 */
export async function runClassifyCommand(
  input: Readable,
  output: Writable,
  classify: typeof classifyFailure,
): Promise<number> {
  let failed = false;
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === "") continue;
    const failure = parseFailure(line);
    if (typeof failure === "string") {
      failed = true;
      output.write(`${JSON.stringify({ error: `line ${lineNumber}: ${failure}` })}\n`);
      continue;
    }
    const { errorType, providerCode, retryable, retryAfterMs } = classify(failure);
    output.write(
      `${JSON.stringify({ error_type: errorType, provider_code: providerCode ?? null, retryable, retry_after_ms: retryAfterMs ?? null })}\n`,
    );
  }
  return failed ? 1 : 0;
}

const TEXT_FIELDS = { provider: "provider", body: "body", error_name: "errorName", code: "code", message: "message" } as const;

/** The failure on one line, or what is wrong with it. */
function parseFailure(line: string): UpstreamFailure | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const record = value as Record<string, unknown>;
  const failure: UpstreamFailure = {};
  for (const [field, key] of Object.entries(TEXT_FIELDS)) {
    const text = record[field];
    if (text === undefined || text === null) continue;
    if (typeof text !== "string") return `${field} must be a string`;
    failure[key] = text;
  }
  const headers = record.response_headers;
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== "object" || Array.isArray(headers)) return "response_headers must be an object of strings";
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value !== "string") return `response_headers.${name} must be a string`;
      responseHeaders[name] = value;
    }
    failure.responseHeaders = responseHeaders;
  }
  if (record.http_status !== undefined && record.http_status !== null) {
    const { valid, status } = readUpstreamHttpStatus(record.http_status);
    if (!valid) return "http_status must be a whole number from 0 to 999";
    if (status !== undefined) failure.httpStatus = status;
  }
  return failure;
}
