import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";

/** Any handler that serves both HTTP versions, such as `connectNodeAdapter`'s. */
export type DualHandler = (
  request: http.IncomingMessage | http2.Http2ServerRequest,
  response: http.ServerResponse | http2.Http2ServerResponse,
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

export interface OnePortServerOptions {
  /**
   * After an HTTP/2 response that came before the end of its request (see finishUnreadRequests),
   * how much of the rest of the request is read and discarded, and for how long, before the client
   * is told to stop sending. Defaults: 4 MiB, 10 s.
   */
  drainMaxBytes?: number;
  drainMaxMs?: number;
}

// Every HTTP/2 connection starts with this preface; no HTTP/1.x request line starts with "PRI".
const HTTP2_PREFACE_START = Buffer.from("PRI");

/**
 * Serves gRPC (HTTP/2 cleartext), gRPC-Web and Connect (HTTP/1.1 and HTTP/2) on one port.
 *
 * Node's cleartext `http2` server cannot fall back to HTTP/1.1 (`allowHTTP1` needs TLS ALPN), so
 * browsers and curl would fail against it. Instead a plain TCP server peeks at the first bytes of
 * each connection and hands it to an `http2` or an `http` server; both call the same handler.
 */
export function createOnePortServer(handler: DualHandler, options: OnePortServerOptions = {}): OnePortServer {
  const { drainMaxBytes = 4 << 20, drainMaxMs = 10_000 } = options;
  const h1 = http.createServer(handler);
  const h2 = http2.createServer({}, (request, response) => {
    finishUnreadRequests(response, drainMaxBytes, drainMaxMs);
    handler(request, response);
  });
  const sockets = new Set<net.Socket>();
  // HTTP/1.1 requests in progress per socket, so closing can end idle keep-alive connections at
  // once and busy ones right after their response. (http.Server's own idle tracking only works
  // for a server that called listen() itself.)
  const busy = new Map<net.Socket, number>();
  let closing = false;
  h1.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    const socket = request.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    response.once("close", () => {
      const left = (busy.get(socket) ?? 1) - 1;
      busy.set(socket, left);
      if (closing && left === 0) socket.end();
    });
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      busy.delete(socket);
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
        h2.emit("connection", socket);
      } else {
        h1.emit("connection", socket);
        socket.resume();
      }
    };
    socket.on("data", route);
  });

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
      }
      const timer = setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/**
 * A response can be complete before its request is: a body over the size limit, a refused token, a
 * bad first frame. The client may still be sending, and once the stream's flow-control window is
 * full it can neither finish nor learn that it should stop, so the stream would stay open on both
 * sides for good (a raw HTTP/2 client waiting for the stream to close never sees it close).
 *
 * So, once the response is out, the rest of the request is read and discarded, which lets an
 * honest client finish and the stream close normally, as HTTP/1.1's server does. A client that
 * sends more than `maxBytes` more, or takes longer than `maxMs`, is asked to stop with RST_STREAM
 * NO_ERROR (RFC 9113 section 8.1). Resetting at once would be simpler, but DATA frames already in
 * flight then arrive on a closed stream, and node ends a session that receives many such frames
 * (ENHANCE_YOUR_CALM), which would punish a busy client for the server's early answer.
 *
 * The response is out when its trailers are: node's compatibility layer sends them from its own
 * `wantTrailers` listener, so this waits a turn after that event.
 */
function finishUnreadRequests(
  response: http2.Http2ServerResponse,
  maxBytes: number,
  maxMs: number,
): void {
  const stream = response.stream;
  stream.once("wantTrailers", () =>
    setImmediate(() => {
      if (stream.readableEnded || stream.closed) return;
      const stop = () => {
        clearTimeout(timer);
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_NO_ERROR);
      };
      const timer = setTimeout(stop, maxMs);
      stream.once("close", () => clearTimeout(timer));
      // From the stream itself: connect has stopped reading the request and destroyed it, which
      // leaves the stream paused, and the compatibility layer would pause it again on any resume().
      let drained = 0;
      const drain = () => {
        for (let chunk: Buffer | null; (chunk = stream.read() as Buffer | null) !== null; ) {
          drained += chunk.length;
          if (drained > maxBytes) return stop();
        }
      };
      stream.on("readable", drain);
      drain();
    }),
  );
}
