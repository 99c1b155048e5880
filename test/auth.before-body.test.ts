import { Code, ConnectError, createClient } from "@connectrpc/connect";
import * as net from "node:net";
import { describe, expect, it } from "vitest";
import { ClassifierService } from "../gen/bridgelog/v1/classifier_service_pb.js";
import { transport, type TransportName } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

/**
 * The token is checked from the headers before the body is read: a caller without a valid one
 * gets only a small body read, and a large declared body is refused without waiting for it.
 */
const env = useTestServer();

/**
 * Sends the headers of a Connect JSON call declaring a `length`-byte body, then only `sent`
 * bytes of it; resolves with the status line. (Over HTTP/1.1 connect-node reads and drops up to
 * 256 KiB of an unread body before answering, so the caller sends a little more than that.)
 */
function partOfBody(port: number, authorization: string | undefined, length: number, sent: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
      if (received.includes("\r\n")) {
        resolve(received.split("\r\n")[0]!);
        socket.destroy();
      }
    });
    socket.on("error", reject);
    socket.write(
      `POST /bridgelog.v1.ClassifierService/ClassifyError HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        (authorization === undefined ? "" : `Authorization: ${authorization}\r\n`) +
        `Content-Length: ${length}\r\n\r\n`,
    );
    socket.write(Buffer.alloc(sent, "{"));
  });
}

const bigBody = (bytes: number) => ({ upstream: { httpStatus: 500, body: "x".repeat(bytes) } });
const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (error: unknown) => Code[ConnectError.from(error).code]);

describe("a caller without a valid token", () => {
  it.each([undefined, "Bearer blg_nope", "Bearer blg_00000000000000000000000000.abcdefabcdefabcdefabcdef"])(
    "when it declares a 4 MiB body (authorization %s), then it is answered RESOURCE_EXHAUSTED with most of it unsent",
    async (authorization) => {
      const status = await partOfBody(env.server.port, authorization, 4 << 20, 300 << 10);
      expect(status).toBe("HTTP/1.1 429 Too Many Requests");
    },
  );

  it.each<TransportName>(["grpc", "grpc-web", "connect-json"])("over %s, a small body is still answered UNAUTHENTICATED", async (name) => {
    const client = createClient(ClassifierService, transport(name, env.server.url, "blg_not-a-token"));
    expect(await codeOf(client.classifyError({ errorMessage: "socket hang up" }))).toBe("Unauthenticated");
  });

  it.each<TransportName>(["grpc", "connect-json"])("over %s, a body over 64 KiB is RESOURCE_EXHAUSTED", async (name) => {
    const client = createClient(ClassifierService, transport(name, env.server.url));
    expect(await codeOf(client.classifyError(bigBody(200_000)))).toBe("ResourceExhausted");
  });
});

describe("a caller with a valid token", () => {
  it.each<TransportName>(["grpc", "grpc-web", "connect-json"])("over %s, may send up to BRIDGELOG_MAX_REQUEST_BYTES", async (name) => {
    const client = createClient(ClassifierService, transport(name, env.server.url, env.server.token));
    expect(await codeOf(client.classifyError(bigBody(1_000_000)))).toBe("OK");
  });
});
