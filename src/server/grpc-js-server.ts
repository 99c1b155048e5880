import { fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  Code,
  type ContextValues,
  ConnectError,
  createContextValues,
  createServiceImplSpec,
  type HandlerContext,
  type Interceptor,
  type MethodImplSpec,
} from "@connectrpc/connect";
import { invokeUnaryImplementation, transformInvokeImplementation } from "@connectrpc/connect/protocol";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import * as grpc from "@grpc/grpc-js";
import type * as http2 from "node:http2";
import { headerPrincipalKey, serviceOf } from "../auth/authenticate-before-body.js";
import type { Authenticator, Principal } from "../auth/authenticator.js";
import type { ServiceAccess } from "../auth/require-token.js";
import type { ServiceRegistration } from "../rpc/service-registration.js";
import type { GrpcStreamRouter } from "./one-port-server.js";

/**
 * Serves the same services, through the same Connect interceptors, on @grpc/grpc-js.
 *
 * connect-node serves gRPC through its universal handler: async iterables, AbortSignals and
 * Headers objects for every request, which cost most of the CPU of a unary call (issue 16's
 * profile). @grpc/grpc-js decodes frames and messages with far less, so gRPC calls from callers
 * that proved their token are handed to it (src/server/one-port-server.ts decides per stream).
 * Each method runs through connect's own `invokeUnaryImplementation` and
 * `transformInvokeImplementation`, the functions connect-node's handlers call: the interceptors
 * (auth, logs, metrics, error mapping) are written once, as Connect interceptors, and a service
 * cannot behave differently depending on the stack that served it.
 */
export interface GrpcJsServer {
  /**
   * Serves one HTTP/2 stream whose content type is gRPC's, from a caller whose headers proved
   * `principal` (handed to `requireToken`, which then checks the scope without hashing the token
   * again).
   */
  handleStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, principal: Principal): void;
}

export interface GrpcJsServerOptions {
  services: readonly ServiceRegistration[];
  interceptors: Interceptor[];
  /** Largest request message, after decompression; larger ones get RESOURCE_EXHAUSTED. */
  maxRequestBytes: number;
}

/** The principal the router found for each call, by the call's metadata. */
const principals = new WeakMap<grpc.Metadata, Principal>();

/**
 * grpc-js builds a call's Metadata from its headers; a server interceptor is its public way to
 * see that object, which the handler's call then carries as `call.metadata`. This one only notes
 * the principal beside it and passes everything through (grpc-js's own ServerInterceptingCall
 * would add its message buffering to every call).
 */
class RememberPrincipal implements grpc.ServerInterceptingCallInterface {
  constructor(
    private readonly next: grpc.ServerInterceptingCallInterface,
    private readonly principal: Principal,
  ) {}

  start(listener: Parameters<grpc.ServerInterceptingCallInterface["start"]>[0]): void {
    const principal = this.principal;
    this.next.start({
      onReceiveMetadata(metadata: grpc.Metadata) {
        principals.set(metadata, principal);
        listener.onReceiveMetadata(metadata);
      },
      onReceiveMessage: (message: unknown) => listener.onReceiveMessage(message),
      onReceiveHalfClose: () => listener.onReceiveHalfClose(),
      onCancel: () => listener.onCancel(),
    });
  }
  sendMetadata(metadata: grpc.Metadata) {
    this.next.sendMetadata(metadata);
  }
  sendMessage(message: unknown, callback: () => void) {
    this.next.sendMessage(message, callback);
  }
  sendStatus(status: Parameters<grpc.ServerInterceptingCallInterface["sendStatus"]>[0]) {
    this.next.sendStatus(status);
  }
  startRead() {
    this.next.startRead();
  }
  getPeer() {
    return this.next.getPeer();
  }
  getDeadline() {
    return this.next.getDeadline();
  }
  getHost() {
    return this.next.getHost();
  }
  getAuthContext() {
    return this.next.getAuthContext();
  }
  getConnectionInfo() {
    return this.next.getConnectionInfo();
  }
  getMetricsRecorder() {
    return this.next.getMetricsRecorder();
  }
}

export function createGrpcJsServer(options: GrpcJsServerOptions): GrpcJsServer {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": options.maxRequestBytes,
    // Channelz keeps per-call statistics nobody reads; without it grpc-js takes its plain path.
    "grpc.enable_channelz": 0,
  });
  for (const { service, impl } of options.services) {
    const spec = createServiceImplSpec(service, impl);
    for (const method of Object.values(spec.methods)) {
      server.register(
        `/${service.typeName}/${method.method.name}`,
        handlerFor(method, options.interceptors),
        (message: unknown) => Buffer.from(toBinary(method.method.output, message as never)),
        (bytes: Buffer) => fromBinary(method.method.input, bytes),
        handlerType(method.kind),
      );
    }
  }
  // grpc-js has no public entry point for one stream: its servers take whole connections, and the
  // one-port server must see each stream's content type first, so that Connect and gRPC-Web over
  // cleartext HTTP/2 (browsers behind a proxy that speaks h2c) keep working on the same
  // connection. `_streamHandler` is the method its own http2 servers call for each stream.
  // grpc-js is pinned to an exact version; test/server.grpc-streams.test.ts serves every protocol.
  const streamHandler = (server as unknown as PrivateServer)._streamHandler;
  if (typeof streamHandler !== "function") {
    throw new Error("this @grpc/grpc-js has no Server._streamHandler: pin the version in package.json");
  }
  return {
    handleStream(stream, headers, principal) {
      const remember = (_: unknown, call: grpc.ServerInterceptingCallInterface) => new RememberPrincipal(call, principal);
      streamHandler.call(server, [remember], stream, headers);
    },
  };
}

/**
 * Routes each gRPC stream by the token in its headers, before a byte of its body is read. A
 * stream whose token is cached and valid goes to grpc-js; any other goes back to connect-node,
 * which serves the same services: it answers a refused token UNAUTHENTICATED in gRPC after reading
 * at most the small body limit (src/auth/authenticate-before-body.ts), serves the open health
 * service, and reads a new token's row, so that token's next calls take grpc-js. The choice is
 * made at once, never after a wait: a stream whose body has ended emits "end" straight away, and
 * grpc-js, attached later, would wait for it forever.
 */
export function routeGrpcStreams(server: GrpcJsServer, authenticator: Authenticator, access: ServiceAccess): GrpcStreamRouter {
  return (stream, headers, toHandler) => {
    const required = access[serviceOf(headers[":path"]) ?? ""];
    const principal = required !== undefined && required !== "open" ? authenticator.cached(headers.authorization) : undefined;
    if (principal !== undefined) server.handleStream(stream, headers, principal);
    else toHandler();
  };
}

interface PrivateServer {
  _streamHandler(extraInterceptors: unknown[], stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void;
}

function handlerType(kind: MethodImplSpec["kind"]): "unary" | "clientStream" | "serverStream" | "bidi" {
  switch (kind) {
    case "unary":
      return "unary";
    case "client_streaming":
      return "clientStream";
    case "server_streaming":
      return "serverStream";
    case "bidi_streaming":
      return "bidi";
  }
}

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;

/** A handler context whose signal `finish` aborts once the call is over. */
type CallContext = HandlerContext & { finish(): void };

// The reason a finished call's signal carries. Aborting without one makes a DOMException, whose
// stack capture was a visible share of a unary call's CPU.
const CALL_FINISHED = new ConnectError("the call has finished", Code.Canceled);

/**
 * The handler context connect-node would build for this call, with the least it needs: one
 * AbortController, aborted when the client cancels, when the deadline passes, or when the call is
 * over, and a timer only when the caller set a deadline.
 */
function contextOf(method: MethodImplSpec, call: AnyCall): CallContext {
  const controller = new AbortController();
  const abort = (reason: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onCancelled = () => abort(new ConnectError("the client cancelled the call", Code.Canceled));
  (call as NodeJS.EventEmitter).once("cancelled", onCancelled);
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  const timer = Number.isFinite(deadlineMs)
    ? setTimeout(() => abort(new ConnectError("the operation timed out", Code.DeadlineExceeded)), Math.max(0, deadlineMs - Date.now()))
    : undefined;
  return {
    service: method.method.parent,
    method: method.method,
    protocolName: "grpc",
    requestMethod: "POST",
    url: call.getPath(),
    signal: controller.signal,
    timeoutMs: () => (Number.isFinite(deadlineMs) ? deadlineMs - Date.now() : undefined),
    requestHeader: headersOf(call.metadata),
    responseHeader: new Headers(),
    responseTrailer: new Headers(),
    values: valuesOf(call.metadata),
    finish() {
      clearTimeout(timer);
      (call as NodeJS.EventEmitter).off("cancelled", onCancelled);
      abort(CALL_FINISHED);
    },
  };
}

function valuesOf(metadata: grpc.Metadata): ContextValues {
  const values = createContextValues();
  const principal = principals.get(metadata);
  if (principal !== undefined) values.set(headerPrincipalKey, principal);
  return values;
}

function handlerFor(method: MethodImplSpec, interceptors: Interceptor[]): grpc.UntypedHandleCall {
  switch (method.kind) {
    case "unary":
      return (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const context = contextOf(method, call);
        invokeUnaryImplementation(method, context, call.request as never, interceptors).then(
          (response) => {
            sendHeaders(call, context);
            callback(null, response, trailersOf(context));
            context.finish();
          },
          (error: unknown) => {
            callback(statusOf(error, context.responseTrailer));
            context.finish();
          },
        );
      };
    case "client_streaming":
      return ((call: grpc.ServerReadableStream<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const context = contextOf(method, call);
        const output = transformInvokeImplementation(method, context, interceptors)(requestsOf(call) as AsyncIterable<never>);
        void respond(output, undefined, callback, context);
      }) as grpc.UntypedHandleCall;
    case "server_streaming":
    case "bidi_streaming":
      return ((call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>) => {
        const context = contextOf(method, call);
        // Server streaming has its one request message already read; bidi reads the stream.
        const input = "read" in call ? (requestsOf(call) as AsyncIterable<never>) : single(call.request as never);
        const output = transformInvokeImplementation(method, context, interceptors)(input);
        void respond(output, call, undefined, context);
      }) as grpc.UntypedHandleCall;
  }
}

/** Sends a streaming method's output: one message and a status (client streaming), or a stream. */
async function respond(
  output: AsyncIterable<unknown>,
  call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown> | undefined,
  callback: grpc.sendUnaryData<unknown> | undefined,
  context: CallContext,
): Promise<void> {
  let sentHeaders = false;
  try {
    if (call === undefined) {
      let response: unknown;
      for await (const message of output) response = message;
      callback!(null, response, trailersOf(context));
      return;
    }
    for await (const message of output) {
      if (!sentHeaders) sendHeaders(call, context);
      sentHeaders = true;
      if (!call.write(message)) await new Promise((resolve) => call.once("drain", resolve));
    }
    if (!sentHeaders) sendHeaders(call, context);
    call.end(trailersOf(context));
  } catch (error) {
    const status = statusOf(error, context.responseTrailer);
    if (call === undefined) callback!(status);
    else call.emit("error", status);
  } finally {
    context.finish();
  }
}

/** The handler's response headers, if it set any (grpc-js sends its own either way). */
function sendHeaders(call: { sendMetadata(metadata: grpc.Metadata): void }, context: CallContext): void {
  if (!isEmpty(context.responseHeader)) call.sendMetadata(metadataOf(context.responseHeader));
}

function trailersOf(context: CallContext): grpc.Metadata | undefined {
  return isEmpty(context.responseTrailer) ? undefined : metadataOf(context.responseTrailer);
}

function isEmpty(headers: Headers): boolean {
  for (const _ of headers.keys()) return false;
  return true;
}

/**
 * A streaming call's request messages, read with "data" events as grpc-js's own handlers do.
 * (Iterating the call as a Readable lost a bidi stream's message on Node.js 22: reflection's
 * second stream hung.) Up to `READ_AHEAD` messages wait for the handler; past that the call is
 * paused, so HTTP/2 flow control holds the rest back. Pausing for every message, as a
 * WritableIterable's write() does, cost a few promises and a pause and resume per record. A call
 * that ends, is cancelled or fails ends the messages; what arrived before is handled. Once the
 * handler stops reading, later messages are dropped.
 */
function requestsOf(call: grpc.ServerReadableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>): AsyncIterable<unknown> {
  const waiting: unknown[] = [];
  let ended = false;
  let stopped = false;
  let paused = false;
  let reader: ((item: IteratorResult<unknown>) => void) | undefined;
  const hand = (item: IteratorResult<unknown>) => {
    const read = reader!;
    reader = undefined;
    read(item);
  };
  call.on("data", (message: unknown) => {
    if (stopped) return;
    if (reader !== undefined) return hand({ done: false, value: message });
    waiting.push(message);
    if (waiting.length >= READ_AHEAD && !paused) {
      paused = true;
      call.pause();
    }
  });
  const end = () => {
    ended = true;
    if (reader !== undefined) hand({ done: true, value: undefined });
  };
  call.once("end", end);
  call.once("cancelled", end);
  call.once("error", end);
  const iterator: AsyncIterator<unknown> = {
    next() {
      if (waiting.length > 0) {
        const value = waiting.shift();
        if (paused && waiting.length <= READ_AHEAD / 2) {
          paused = false;
          call.resume();
        }
        return Promise.resolve({ done: false, value });
      }
      if (ended || stopped) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => {
        reader = resolve;
      });
    },
    return() {
      stopped = true;
      waiting.length = 0;
      if (reader !== undefined) hand({ done: true, value: undefined });
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

/** Request messages a streaming call reads ahead of its handler before it is paused. */
const READ_AHEAD = 32;

async function* single<T>(message: T): AsyncIterable<T> {
  yield message;
}

function headersOf(metadata: grpc.Metadata): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(metadata.getMap())) {
    headers.append(key, typeof values === "string" ? values : values.toString("base64"));
  }
  return headers;
}

function metadataOf(headers: Headers): grpc.Metadata {
  const metadata = new grpc.Metadata();
  headers.forEach((value, key) => {
    if (key.endsWith("-bin")) metadata.add(key, Buffer.from(value, "base64"));
    else metadata.add(key, value);
  });
  return metadata;
}

/**
 * The status connect-node would send for this error: its code, message and details (as
 * grpc-status-details-bin, encoded by connect's own setTrailerStatus), and its metadata.
 */
function statusOf(error: unknown, trailer: Headers): grpc.ServerErrorResponse {
  const failure = ConnectError.from(error);
  const headers = new Headers(trailer);
  failure.metadata.forEach((value, key) => headers.set(key, value));
  setTrailerStatus(headers, failure);
  headers.delete("grpc-status");
  headers.delete("grpc-message");
  return Object.assign(new Error(failure.rawMessage), {
    code: failure.code as number as grpc.status,
    details: failure.rawMessage,
    metadata: metadataOf(headers),
  });
}
