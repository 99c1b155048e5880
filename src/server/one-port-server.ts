import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";

/** Any handler that serves both HTTP versions, such as `connectNodeAdapter`'s. */
export type DualHandler = (
  request: http.IncomingMessage | http2.Http2ServerRequest,
  response: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/**
 * Takes an HTTP/2 stream of gRPC (content type application/grpc or application/grpc+proto) before
 * the compatibility layer turns it into a request and response, or hands it back with `toHandler`
 * to be served by the `DualHandler` like every other stream.
 */
export type GrpcStreamRouter = (
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  toHandler: () => void,
) => void;

export interface OnePortServer {
  /** Listens; port 0 picks a free port. Resolves with the bound address. */
  listen(port: number, host: string): Promise<net.AddressInfo>;
  /**
   * Stops accepting connections, lets requests in progress finish, then closes every connection.
   * Connections still open after `graceMs` are destroyed.
   */
  close(graceMs: number): Promise<void>;
}

/** What one client may hold: every bound a client could otherwise hold forever. */
export interface ConnectionLimits {
  /**
   * A new connection must deliver its first request's headers (HTTP/1.1), or the preface and its
   * first stream (HTTP/2), within this long, or it is closed: a connection that says nothing, or
   * says it slowly, holds a socket for free.
   */
  headersTimeoutMs: number;
  /**
   * A connection with no request in progress (HTTP/1.1: no byte either way; HTTP/2: no open
   * stream) is closed after this long. Longer than a load balancer's usual 60 s, so the balancer,
   * not bridgelog, closes a pooled connection first and never sends on one being closed.
   */
  idleTimeoutMs: number;
  /** Open TCP connections at once; more are closed as soon as they are accepted. */
  maxConnections: number;
  /** HTTP/2 streams one connection may have open at once, advertised in SETTINGS and enforced. */
  maxConcurrentStreams: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 65_000,
  maxConnections: 10_000,
  maxConcurrentStreams: 100,
};

/** How long an HTTP/1.1 request body may take to arrive, as Node's default (5 minutes). */
const REQUEST_TIMEOUT_MS = 300_000;

// gRPC's own content types; not gRPC-Web's (application/grpc-web...), nor gRPC with JSON.
const GRPC_CONTENT_TYPE = /^application\/grpc(\+proto)?(;|$)/i;

// Every HTTP/2 connection starts with this preface; no HTTP/1.x request line starts with "PRI".
const HTTP2_PREFACE_START = Buffer.from("PRI");

/**
 * Serves gRPC (HTTP/2 cleartext), gRPC-Web and Connect (HTTP/1.1 and HTTP/2) on one port.
 *
 * Node's cleartext `http2` server cannot fall back to HTTP/1.1 (`allowHTTP1` needs TLS ALPN), so
 * browsers and curl would fail against it. Instead a plain TCP server peeks at the first bytes of
 * each connection and hands it to an `http2` or an `http` server; both call the same handler.
 * Because the `http` server never listens itself, Node's own header and keep-alive timeouts never
 * run for it: the timeouts in `limits` are kept here, per connection, for both versions.
 */
export function createOnePortServer(
  handler: DualHandler,
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
  grpcStreams?: GrpcStreamRouter,
): OnePortServer {
  const h1 = http.createServer(
    {
      // Each later request on a keep-alive connection (the first is timed below, from accept).
      headersTimeout: limits.headersTimeoutMs,
      // A whole request body, so one trickled a byte at a time still ends.
      requestTimeout: Math.max(REQUEST_TIMEOUT_MS, limits.headersTimeoutMs),
      keepAliveTimeout: limits.idleTimeoutMs,
      keepAliveTimeoutBuffer: 0,
      // Node checks the two timeouts above on this interval; its default (30 s) is too coarse.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    handler,
  );
  // No byte either way for this long, during a request or between them: a request whose headers
  // or body stopped coming, or a response the client stopped reading.
  h1.timeout = limits.idleTimeoutMs;
  // Node starts checking headersTimeout and requestTimeout when its server emits "listening";
  // this one never listens (the TCP server below hands it connections), so it is told here.
  h1.emit("listening");
  // A response can be complete before its request is (a body over the limit, a refused token):
  // connect-node then resets the HTTP/2 stream with NO_ERROR once the trailers are out, so a
  // client still sending stops instead of waiting on flow control for good (RFC 9113 section 8.1),
  // and reads and drops the rest of an HTTP/1.1 body (connect-node 2.2+, node-universal-handler).
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: limits.maxConcurrentStreams } });
  // Node's HTTP/2 compatibility layer (request and response objects) runs for every stream of a
  // server with a "request" listener. Streams are routed first (gRPC may go to `grpcStreams`), so
  // the layer lives on a second server that never sees a connection: a stream emitted on it
  // becomes a request to `handler`, as a connection emitted on `h1` does.
  const compat = http2.createServer({}, handler);
  h2.on("stream", (stream, headers, flags, rawHeaders) => {
    const toHandler = () => {
      if (!stream.destroyed) compat.emit("stream", stream, headers, flags, rawHeaders);
    };
    if (grpcStreams !== undefined && GRPC_CONTENT_TYPE.test(headers["content-type"] ?? "")) grpcStreams(stream, headers, toHandler);
    else toHandler();
  });
  const sockets = new Set<net.Socket>();
  // Closes a connection that has not completed its first request (or stream) in time.
  const firstRequestTimers = new Map<net.Socket, NodeJS.Timeout>();
  const firstRequestArrived = (socket: net.Socket) => {
    clearTimeout(firstRequestTimers.get(socket));
    firstRequestTimers.delete(socket);
  };
  // HTTP/1.1 requests in progress per socket, so closing can end idle keep-alive connections at
  // once and busy ones right after their response. (http.Server's own idle tracking only works
  // for a server that called listen() itself.)
  const busy = new Map<net.Socket, number>();
  let closing = false;
  h1.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    const socket = request.socket;
    firstRequestArrived(socket);
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    response.once("close", () => {
      const left = (busy.get(socket) ?? 1) - 1;
      busy.set(socket, left);
      if (closing && left === 0) socket.end();
    });
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  // The socket being handed to the http2 server, which emits "session" for it synchronously.
  let handingOver: net.Socket | undefined;
  h2.on("session", (session) => {
    sessions.add(session);
    // session.socket is a proxy of the socket, not the one the maps are keyed by.
    const socket = handingOver!;
    // An HTTP/2 connection is idle while it has no open stream; it then gets GOAWAY after the
    // idle timeout. The session's own setTimeout counts frames, and PINGs would keep it alive.
    let open = 0;
    let idle: NodeJS.Timeout | undefined;
    const idleFrom = () => {
      clearTimeout(idle);
      idle = setTimeout(() => session.close(), limits.idleTimeoutMs);
    };
    session.on("stream", (stream) => {
      firstRequestArrived(socket);
      open += 1;
      clearTimeout(idle);
      stream.once("close", () => {
        open -= 1;
        if (open === 0 && !session.closed) idleFrom();
      });
    });
    session.once("close", () => {
      clearTimeout(idle);
      sessions.delete(session);
      // After GOAWAY Node leaves the TCP connection to the client, which may never close it
      // (it stayed open 30 s): the session has nothing more to say, so flush the GOAWAY and close.
      socket.destroySoon();
    });
    session.on("error", () => {}); // a peer's protocol error; the session is destroyed with it
  });

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    firstRequestTimers.set(
      socket,
      setTimeout(() => socket.destroy(), limits.headersTimeoutMs),
    );
    socket.once("close", () => {
      sockets.delete(socket);
      busy.delete(socket);
      firstRequestArrived(socket);
    });
    socket.on("error", () => socket.destroy()); // a client that vanished; nothing to answer
    let head = Buffer.alloc(0);
    const route = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (head.length < HTTP2_PREFACE_START.length && head.equals(HTTP2_PREFACE_START.subarray(0, head.length))) return;
      socket.off("data", route);
      socket.pause();
      socket.unshift(head);
      const isHttp2 = head.subarray(0, HTTP2_PREFACE_START.length).equals(HTTP2_PREFACE_START);
      if (isHttp2) {
        // The http2 session hands the unshifted bytes to its native parser and reads the socket
        // itself from then on; resuming the JS stream here would drop them.
        handingOver = socket;
        h2.emit("connection", socket);
        handingOver = undefined;
      } else {
        h1.emit("connection", socket);
        socket.resume();
      }
    };
    socket.on("data", route);
  });
  // Beyond this the server closes new connections at once, before reading a byte of them.
  tcp.maxConnections = limits.maxConnections;

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen(port, host, () => {
          tcp.off("error", reject);
          resolve(tcp.address() as net.AddressInfo);
        });
      });
    },
    async close(graceMs) {
      const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      // HTTP/2: GOAWAY, then the session closes when its streams finish.
      for (const session of sessions) session.close();
      // HTTP/1.1: idle keep-alive connections close now, busy ones after their response.
      closing = true;
      for (const socket of sockets) {
        if (busy.has(socket) && busy.get(socket) === 0) socket.end();
        // Not yet routed, or routed and not yet through its first request: nothing to finish.
        else if (firstRequestTimers.has(socket)) socket.destroy();
      }
      const timer = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, graceMs);
      await closed;
      clearTimeout(timer);
      // Stops Node's timeout checks started by the "listening" above (it was never listening).
      h1.close(() => {});
    },
  };
}
