import * as http2 from "node:http2";
import * as net from "node:net";
import { describe, expect, it } from "vitest";
import { useTestServer } from "./support/server.js";
import { connectRawHttp2, ERROR, FLAG, FRAME, frame, headerBlock, SETTING, settingsOf } from "./support/raw-http2.js";

/**
 * Connections a client opens and then neglects are closed, and no connection holds more streams
 * than advertised. Each test would hang (and time out) against a server without the limit. The
 * limits are short here so the tests are quick; the defaults are in docs/operations.md.
 */
const env = useTestServer({ headersTimeoutMs: 400, idleTimeoutMs: 700, maxConcurrentStreams: 5, maxConnections: 30 });

function rawSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => {});
    socket.once("connect", () => resolve(socket)).once("error", reject);
  });
}
const closedBy = (socket: net.Socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once("close", () => resolve())));

describe("HTTP/1.1 connections", () => {
  it("when a connection sends nothing, then it is closed after the headers timeout", async () => {
    const socket = await rawSocket(env.server.port);
    await closedBy(socket);
  });

  it("when a request's headers stop half way, then the connection is closed", async () => {
    const socket = await rawSocket(env.server.port);
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    await closedBy(socket);
  });

  it("when a keep-alive connection sits idle after a response, then it is closed", async () => {
    const socket = await rawSocket(env.server.port);
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await closedBy(socket);
    expect(received).toMatch(/^HTTP\/1\.1 200/);
  });

  it("when a second request's headers stop half way on a kept-alive connection, then it is closed", async () => {
    const socket = await rawSocket(env.server.port);
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
      // Keep bytes flowing so only the headers timeout, not the idle one, can close it.
      if (received.includes("SERVING")) {
        const trickle = setInterval(() => (socket.destroyed ? clearInterval(trickle) : socket.write("X")), 100);
        socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      }
    });
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await closedBy(socket);
  });
});

describe("HTTP/2 connections", () => {
  it("when a connection sends only the preface and SETTINGS, then it is closed", async () => {
    const raw = await connectRawHttp2(env.server.port);
    await raw.closed;
  });

  it("when a connection has no open stream for the idle timeout, then it gets GOAWAY and its socket is closed", async () => {
    const raw = await connectRawHttp2(env.server.port);
    raw.send(
      frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, headerBlock({ ":method": "GET", ":scheme": "http", ":path": "/healthz", ":authority": "x" })),
    );
    await raw.next((f) => f.type === FRAME.DATA && f.streamId === 1);
    const goaway = await raw.next((f) => f.type === FRAME.GOAWAY);
    expect(goaway.payload.readUInt32BE(4)).toBe(ERROR.NO_ERROR);
    // The client never closes its side; the server must not wait for it.
    await raw.closed;
  });

  it("when a response is complete but the client never ends its request, then the stream is closed and the connection goes idle", async () => {
    const raw = await connectRawHttp2(env.server.port);
    raw.send(frame(FRAME.HEADERS, FLAG.END_HEADERS, 1, headerBlock({ ":method": "POST", ":scheme": "http", ":path": "/no-such-page", ":authority": "x" })));
    const reset = await raw.next((f) => f.type === FRAME.RST_STREAM && f.streamId === 1);
    expect(reset.payload.readUInt32BE(0)).toBe(ERROR.NO_ERROR);
    await raw.next((f) => f.type === FRAME.GOAWAY);
    await raw.closed;
  });

  it("when a well-behaved client is idle, then its session closes", async () => {
    const session = http2.connect(`http://127.0.0.1:${env.server.port}`);
    session.on("error", () => {});
    const response = await new Promise<number>((resolve, reject) => {
      const request = session.request({ ":path": "/healthz" });
      request.on("response", (headers) => resolve(headers[":status"] as number)).on("error", reject);
      request.resume();
    });
    expect(response).toBe(200);
    await new Promise<void>((resolve) => session.once("close", () => resolve()));
  });

  it("advertises the stream limit in SETTINGS", async () => {
    const raw = await connectRawHttp2(env.server.port);
    const settings = await raw.next((f) => f.type === FRAME.SETTINGS && (f.flags & FLAG.ACK) === 0);
    expect(settingsOf(settings.payload).get(SETTING.MAX_CONCURRENT_STREAMS)).toBe(5);
    raw.socket.destroy();
  });

  it("when a connection opens more streams than allowed, then the extra ones are refused", async () => {
    const raw = await connectRawHttp2(env.server.port);
    await raw.next((f) => f.type === FRAME.SETTINGS && (f.flags & FLAG.ACK) !== 0);
    // Health/Watch waits for its request message, so these streams stay open.
    const watch = (id: number) =>
      frame(
        FRAME.HEADERS,
        FLAG.END_HEADERS,
        id,
        headerBlock({ ":method": "POST", ":scheme": "http", ":path": "/grpc.health.v1.Health/Watch", ":authority": "x", "content-type": "application/grpc", te: "trailers" }),
      );
    const ids = [1, 3, 5, 7, 9, 11, 13];
    raw.send(...ids.map(watch));
    const refusal = await raw.next((f) => (f.type === FRAME.RST_STREAM && f.streamId > 9) || f.type === FRAME.GOAWAY);
    if (refusal.type === FRAME.RST_STREAM) expect(refusal.payload.readUInt32BE(0)).toBe(ERROR.REFUSED_STREAM);
    else expect(refusal.payload.readUInt32BE(4)).toBe(ERROR.PROTOCOL_ERROR);
    // The five within the limit were not reset.
    expect(raw.frames.filter((f) => f.type === FRAME.RST_STREAM && f.streamId <= 9)).toEqual([]);
    raw.socket.destroy();
  });
});

describe("open connections", () => {
  it("when the cap is reached, then further connections are closed on accept and earlier ones still work", async () => {
    const held = await Promise.all(Array.from({ length: 30 }, () => rawSocket(env.server.port)));
    try {
      const extra = await rawSocket(env.server.port);
      await closedBy(extra);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});
