import { fromBinary, fromJson, type JsonValue, toBinary, toJson } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from "../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js";
import type { Authenticator } from "../auth/authenticator.js";
import type { ExportTraces } from "./export-traces.js";

type Fallback = NonNullable<ConnectNodeAdapterOptions["fallback"]>;
type Request = Parameters<Fallback>[0];
type Response = Parameters<Fallback>[1];

/** The OTLP/HTTP path for traces (OTLP specification, "OTLP/HTTP Request"). */
export const OTLP_TRACES_PATH = "/v1/traces";

/**
 * What a 503 asks the exporter to wait, in seconds. The write queue drains within a few batch
 * commits, so a second is long enough for it to have room and short enough not to pile up spans
 * in the exporter's own buffer.
 */
export const RETRY_AFTER_SECONDS = 1;

export interface OtlpHttpOptions {
  exportTraces: ExportTraces;
  authenticator: Authenticator;
  /** The same request limit as the RPCs (BRIDGELOG_MAX_REQUEST_BYTES), before and after gunzip. */
  maxRequestBytes: number;
  log: Logger;
}

const gunzipAsync = promisify(gunzip);

type Encoding = "protobuf" | "json";

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: Code,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * OTLP/HTTP `POST /v1/traces`, binary protobuf or JSON, gzip or not, answered in the request's
 * encoding. The token is checked before the body is read. Every other request goes to `next`.
 */
export function withOtlpHttp(options: OtlpHttpOptions, next: Fallback): Fallback {
  const { exportTraces, authenticator, maxRequestBytes, log } = options;

  async function serve(request: Request, response: Response): Promise<void> {
    let encoding: Encoding = "protobuf";
    try {
      if (request.method !== "POST") {
        throw new HttpFailure(405, Code.Unimplemented, `${OTLP_TRACES_PATH} takes POST`, { allow: "POST" });
      }
      encoding = encodingOf(request.headers["content-type"]);
      const principal = await authenticator.authenticate(request.headers.authorization ?? null).catch((error: unknown) => {
        throw new HttpFailure(401, Code.Unauthenticated, ConnectError.from(error).rawMessage);
      });
      if (!principal.scopes.has("record")) throw new HttpFailure(403, Code.PermissionDenied, 'this token lacks the "record" scope');
      const body = await readBody(request, maxRequestBytes);
      const exported = await exportTraces(decode(body, encoding), principal).catch((error: unknown) => {
        const failure = ConnectError.from(error);
        if (failure.code === Code.Unavailable) {
          throw new HttpFailure(503, Code.Unavailable, failure.rawMessage, { "retry-after": String(RETRY_AFTER_SECONDS) });
        }
        throw error;
      });
      send(
        response,
        200,
        encoding,
        encoding === "json"
          ? Buffer.from(JSON.stringify(toJson(ExportTraceServiceResponseSchema, exported)))
          : Buffer.from(toBinary(ExportTraceServiceResponseSchema, exported)),
      );
    } catch (error) {
      if (error instanceof HttpFailure) {
        send(response, error.status, encoding, statusBody(error.code, error.message, encoding), error.headers);
        return;
      }
      log.error({ err: error }, "OTLP/HTTP export failed");
      send(response, 500, encoding, statusBody(Code.Internal, "the export could not be recorded", encoding));
    }
  }

  return (request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (path !== OTLP_TRACES_PATH) {
      next(request, response);
      return;
    }
    void serve(request, response);
  };
}

function encodingOf(contentType: string | undefined): Encoding {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-protobuf") return "protobuf";
  if (type === "application/json") return "json";
  throw new HttpFailure(
    415,
    Code.InvalidArgument,
    `content-type ${JSON.stringify(type)} is not supported: send application/x-protobuf or application/json`,
  );
}

async function readBody(request: Request, maxBytes: number): Promise<Buffer> {
  const contentEncoding = String(request.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (contentEncoding !== "gzip" && contentEncoding !== "identity") {
    throw new HttpFailure(415, Code.InvalidArgument, `content-encoding ${JSON.stringify(contentEncoding)} is not supported: send gzip or none`);
  }
  const tooLarge = () =>
    new HttpFailure(413, Code.ResourceExhausted, `the request is larger than ${maxBytes} bytes (BRIDGELOG_MAX_REQUEST_BYTES)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  if (contentEncoding === "identity") return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
    throw new HttpFailure(400, Code.InvalidArgument, "the body is not valid gzip");
  }
}

function decode(body: Buffer, encoding: Encoding): ExportTraceServiceRequest {
  try {
    if (encoding === "protobuf") return fromBinary(ExportTraceServiceRequestSchema, body);
    const json = JSON.parse(body.toString("utf8")) as JsonValue;
    // OTLP/JSON asks receivers to ignore fields they do not know (newer senders).
    return fromJson(ExportTraceServiceRequestSchema, hexIdsToBase64(json), { ignoreUnknownFields: true });
  } catch (error) {
    if (error instanceof HttpFailure) throw error;
    throw new HttpFailure(400, Code.InvalidArgument, `the body is not an OTLP ExportTraceServiceRequest: ${(error as Error).message}`);
  }
}

/**
 * OTLP/JSON spells trace and span ids in hex, where the protobuf JSON mapping expects base64 for
 * bytes; this rewrites them in place so the generated decoder reads them.
 */
export function hexIdsToBase64(json: JsonValue): JsonValue {
  const fix = (holder: Record<string, JsonValue>, key: string, path: string) => {
    const value = holder[key];
    if (value === undefined || value === null) return;
    if (typeof value !== "string" || !/^(?:[0-9a-fA-F]{2})*$/.test(value)) {
      throw new HttpFailure(400, Code.InvalidArgument, `${path}.${key}: must be a hex string (OTLP/JSON)`);
    }
    holder[key] = Buffer.from(value, "hex").toString("base64");
  };
  const list = (value: JsonValue | undefined): Record<string, JsonValue>[] =>
    Array.isArray(value) ? (value.filter((v) => typeof v === "object" && v !== null && !Array.isArray(v)) as Record<string, JsonValue>[]) : [];
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json;
  list(json.resourceSpans).forEach((resourceSpans, r) =>
    list(resourceSpans.scopeSpans).forEach((scopeSpans, s) =>
      list(scopeSpans.spans).forEach((span, i) => {
        const path = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        for (const key of ["traceId", "spanId", "parentSpanId"]) fix(span, key, path);
        list(span.links).forEach((link, l) => {
          for (const key of ["traceId", "spanId"]) fix(link, key, `${path}.links[${l}]`);
        });
      }),
    ),
  );
  return json;
}

/** A google.rpc.Status (code and message), the body OTLP/HTTP answers a failure with. */
function statusBody(code: Code, message: string, encoding: Encoding): Buffer {
  if (encoding === "json") return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(new BinaryWriter().tag(1, WireType.Varint).int32(code).tag(2, WireType.LengthDelimited).string(message).finish());
}

function send(response: Response, status: number, encoding: Encoding, body: Buffer, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.statusCode = status;
  response.setHeader("content-type", encoding === "json" ? "application/json" : "application/x-protobuf");
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(body);
}
