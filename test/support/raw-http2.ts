import * as net from "node:net";

/** HTTP/2 frame types and flags used by the raw-frame tests (RFC 9113 section 6). */
export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8 } as const;
export const FLAG = { END_STREAM: 1, ACK: 1, END_HEADERS: 4 } as const;
export const SETTING = { MAX_CONCURRENT_STREAMS: 3 } as const;
export const ERROR = { NO_ERROR: 0, PROTOCOL_ERROR: 1, REFUSED_STREAM: 7 } as const;

export interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK header block of literal fields without indexing and without Huffman coding. */
export function headerBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const literal = (text: string) => {
    const bytes = Buffer.from(text);
    if (bytes.length >= 127) throw new Error("keep test headers under 127 bytes");
    return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  };
  for (const [name, value] of Object.entries(headers)) parts.push(Buffer.from([0]), literal(name), literal(value));
  return Buffer.concat(parts);
}

/**
 * A client that speaks HTTP/2 frame by frame over a plain socket, so tests can do what no
 * well-behaved client library does: stop after the preface, open more streams than allowed,
 * never close after GOAWAY.
 */
export interface RawHttp2 {
  socket: net.Socket;
  frames: Frame[];
  /** Resolves with the first frame received (now or later) that matches. */
  next(match: (frame: Frame) => boolean): Promise<Frame>;
  send(...frames: Buffer[]): void;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
}

/** Connects, sends the preface and an empty SETTINGS, and ACKs the server's SETTINGS. */
export async function connectRawHttp2(port: number): Promise<RawHttp2> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const frames: Frame[] = [];
  const waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  let buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 9) {
      const length = buffer.readUIntBE(0, 3);
      if (buffer.length < 9 + length) break;
      const received: Frame = {
        type: buffer[3]!,
        flags: buffer[4]!,
        streamId: buffer.readUInt32BE(5) & 0x7fffffff,
        payload: buffer.subarray(9, 9 + length),
      };
      buffer = buffer.subarray(9 + length);
      frames.push(received);
      if (received.type === FRAME.SETTINGS && (received.flags & FLAG.ACK) === 0) socket.write(frame(FRAME.SETTINGS, FLAG.ACK, 0));
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(received)) waiter.resolve(received);
        else waiters.push(waiter);
      }
    }
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.write(Buffer.concat([PREFACE, frame(FRAME.SETTINGS, 0, 0)]));
  return {
    socket,
    frames,
    closed,
    send: (...out) => socket.write(Buffer.concat(out)),
    next: (match) => {
      const seen = frames.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

/** The SETTINGS values in a SETTINGS frame's payload, by identifier. */
export function settingsOf(payload: Buffer): Map<number, number> {
  const values = new Map<number, number>();
  for (let at = 0; at + 6 <= payload.length; at += 6) values.set(payload.readUInt16BE(at), payload.readUInt32BE(at + 2));
  return values;
}
