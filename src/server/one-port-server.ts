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

// Every HTTP/2 connection starts with this preface; no HTTP/1.x request line starts with "PRI".
const HTTP2_PREFACE_START = Buffer.from("PRI");

/**
 * Serves gRPC (HTTP/2 cleartext), gRPC-Web and Connect (HTTP/1.1 and HTTP/2) on one port.
 *
 * Node's cleartext `http2` server cannot fall back to HTTP/1.1 (`allowHTTP1` needs TLS ALPN), so
 * browsers and curl would fail against it. Instead a plain TCP server peeks at the first bytes of
 * each connection and hands it to an `http2` or an `http` server; both call the same handler.
 */
export function createOnePortServer(handler: DualHandler): OnePortServer {
  const h1 = http.createServer(handler);
  // A response can be complete before its request is (a body over the limit, a refused token):
  // connect-node then resets the HTTP/2 stream with NO_ERROR once the trailers are out, so a
  // client still sending stops instead of waiting on flow control for good (RFC 9113 section 8.1),
  // and reads and drops the rest of an HTTP/1.1 body (connect-node 2.2+, node-universal-handler).
  const h2 = http2.createServer({}, handler);
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
