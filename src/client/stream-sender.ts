import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
// "permission_denied" for Code.PermissionDenied, as the server names codes in rejections.
import { codeToString } from "@connectrpc/connect/protocol-connect";
import {
  RecorderService,
  type RecordInterceptionsRequestSchema,
  type RecordResult,
} from "../../gen/bridgelog/v1/recorder_service_pb.js";
import type { DeliverBatch, DeliveryResult } from "./send-buffer.js";
import { toInterception, type TrackedCall } from "./tracked-call.js";

export interface StreamSenderOptions {
  /** bridgelog's base URL, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` on every call. */
  token: string;
  /** Deadline of one call; past it the call fails with DeadlineExceeded and its batch is retried. */
  timeoutMs: number;
}

export interface StreamSender {
  deliver: DeliverBatch<TrackedCall>;
  /** Closes the HTTP/2 connection. */
  close(): void;
}

// Codes a later attempt can succeed on: the server is down, saturated or restarting, the call ran
// out of time, or the connection was lost (connect-node reports ECONNRESET as Aborted).
const TRANSIENT = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.Aborted, Code.Canceled]);
const TRANSIENT_NAMES = new Set(["unavailable", "deadline_exceeded", "aborted", "canceled"]);
// Node and undici error codes: a broken connection under the call, not a status the server sent.
const SYSTEM_CODE = /^(E[A-Z]+|ERR_[A-Z0-9_]+|UND_ERR_[A-Z_]+)$/;

/**
 * Creates the sender that delivers batches on one `RecordInterceptions` client stream each, over
 * connect-node's gRPC transport (HTTP/2, one connection, re-opened after a failure). Records are
 * turned into protobuf messages here, in the background, not on the caller's path.
 */
export function createStreamSender(options: StreamSenderOptions): StreamSender {
  const sessions = new Http2SessionManager(options.baseUrl);
  const authorization = `Bearer ${options.token}`;
  const client = createClient(
    RecorderService,
    createGrpcTransport({
      baseUrl: options.baseUrl,
      sessionManager: sessions,
      interceptors: [
        (next) => (request) => {
          request.header.set("authorization", authorization);
          return next(request);
        },
      ],
    }),
  );

  async function deliver(batch: readonly TrackedCall[], signal: AbortSignal): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = new Array(batch.length);
    const requests: MessageInitShape<typeof RecordInterceptionsRequestSchema>[] = [];
    const sentIndexes: number[] = [];
    batch.forEach((call, i) => {
      try {
        requests.push({ interception: toInterception(call) });
        sentIndexes.push(i);
      } catch (error) {
        results[i] = { status: "rejected", code: "internal", message: `the record could not be built: ${String(error)}` };
      }
    });
    if (requests.length === 0) return results;
    try {
      const response = await client.recordInterceptions(stream(requests), { signal, timeoutMs: options.timeoutMs });
      sentIndexes.forEach((index, k) => {
        results[index] = fromRecordResult(response.results[k]);
      });
    } catch (error) {
      const failure = ConnectError.from(error);
      const result: DeliveryResult = isTransient(failure)
        ? { status: "retry", reason: failure.message }
        : { status: "rejected", code: codeToString(failure.code), message: failure.rawMessage };
      for (const index of sentIndexes) results[index] = result;
    }
    return results;
  }

  return { deliver, close: () => sessions.abort() };
}

async function* stream<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

function fromRecordResult(result: RecordResult | undefined): DeliveryResult {
  switch (result?.result.case) {
    case "recorded":
      return { status: "stored" };
    case "rejected": {
      const { code, message, fieldViolations } = result.result.value;
      if (TRANSIENT_NAMES.has(code)) return { status: "retry", reason: `${code}: ${message}` };
      const fields = fieldViolations.map((v) => `${v.field}: ${v.description}`).join("; ");
      return { status: "rejected", code, message: fields === "" ? message : `${message} (${fields})` };
    }
    default:
      return { status: "retry", reason: "the server sent no result for this record" };
  }
}

function isTransient(error: ConnectError): boolean {
  if (TRANSIENT.has(error.code)) return true;
  // connect-node reports some connection losses (EPIPE, HTTP/2 session errors) as Internal, with
  // the Node error as the cause; a server's own Internal status has no such cause.
  return (error.code === Code.Internal || error.code === Code.Unknown) && hasSystemCode(error.cause);
}

function hasSystemCode(cause: unknown): boolean {
  for (let link = cause, depth = 0; typeof link === "object" && link !== null && depth < 5; depth++) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === "string" && SYSTEM_CODE.test(code)) return true;
    link = (link as { cause?: unknown }).cause;
  }
  return false;
}
