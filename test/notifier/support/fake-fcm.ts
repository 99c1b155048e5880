import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the fake answers one request. */
export type FcmAnswer = "ok" | "internal-error" | "unregistered" | "invalid-argument" | "hold";

/** One message FCM accepted (answered 200). */
export interface AcceptedMessage {
  project: string;
  token: string;
  notification: { title?: string; body?: string };
  data: Record<string, string>;
}

export interface FakeFcm {
  /** For BRIDGELOG_FCM_ENDPOINT. */
  url: string;
  /** Decides each answer from the token and how many requests that token has had (1 for the first). */
  answer: (token: string, request: number) => FcmAnswer;
  /** Pushes answered 200 for the token: what a device would have received. */
  pushes(token: string): number;
  /** Requests received for the token, whatever the answer. */
  requests(token: string): number;
  /** Every accepted message, in order. */
  accepted: AcceptedMessage[];
  /** Requests waiting unanswered (answer "hold"). */
  held(): number;
  /** Answers every held request that is still open with 200, counting the pushes. */
  release(): void;
  close(): Promise<void>;
}

/**
 * FCM's HTTP v1 send endpoint on loopback, for firebase-admin's real code path (through the
 * notifier's loopback agent): `POST /v1/projects/{project}/messages:send` with a bearer token.
 * Answers 200 with a message name, 500 INTERNAL, 404 UNREGISTERED, 400 INVALID_ARGUMENT in FCM's own error shape, or
 * holds the request unanswered (a push in flight when its sender dies is never counted).
 */
export async function startFakeFcm(): Promise<FakeFcm> {
  const pushes = new Map<string, number>();
  const requests = new Map<string, number>();
  const accepted: AcceptedMessage[] = [];
  const held = new Map<ServerResponse, () => void>();
  let sequence = 0;

  const fake: FakeFcm = {
    url: "",
    answer: () => "ok",
    pushes: (token) => pushes.get(token) ?? 0,
    requests: (token) => requests.get(token) ?? 0,
    accepted,
    held: () => held.size,
    release() {
      for (const [response, accept] of held) {
        held.delete(response);
        accept();
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const response of held.keys()) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = createServer((request, response) => {
    readBody(request).then((body) => handle(request, body, response), () => response.destroy());
  });

  function handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.url ?? "");
    if (request.method !== "POST" || match === null) return json(response, 404, { error: { code: 404, status: "NOT_FOUND" } });
    if (!/^Bearer \S+$/.test(request.headers.authorization ?? "")) {
      return json(response, 401, { error: { code: 401, message: "missing credentials", status: "UNAUTHENTICATED" } });
    }
    const message = (JSON.parse(body) as { message: Omit<AcceptedMessage, "project"> }).message;
    const count = (requests.get(message.token) ?? 0) + 1;
    requests.set(message.token, count);
    const accept = () => {
      pushes.set(message.token, (pushes.get(message.token) ?? 0) + 1);
      accepted.push({ project: match[1]!, token: message.token, notification: message.notification, data: message.data });
      json(response, 200, { name: `projects/${match[1]}/messages/${++sequence}` });
    };
    switch (fake.answer(message.token, count)) {
      case "ok":
        return accept();
      case "internal-error":
        return json(response, 500, { error: { code: 500, message: "Internal error encountered.", status: "INTERNAL" } });
      case "unregistered":
        return json(response, 404, {
          error: {
            code: 404,
            message: "Requested entity was not found.",
            status: "NOT_FOUND",
            details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" }],
          },
        });
      case "invalid-argument":
        // What FCM answers for a message it refuses to build; a malformed token is answered so too.
        return json(response, 400, {
          error: {
            code: 400,
            message: "Request contains an invalid argument.",
            status: "INVALID_ARGUMENT",
            details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "INVALID_ARGUMENT" }],
          },
        });
      case "hold":
        held.set(response, accept);
        response.once("close", () => held.delete(response));
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  response.end(JSON.stringify(body));
}
