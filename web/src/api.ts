import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";

/** Past this, a panel says the server is slow; past the deadline, the call is abandoned. */
export const SLOW_MS = 2000;
export const DEADLINE_MS = 15000;

/** A Connect-web transport to the server that served this page, sending the bearer token. */
export function createTransport(token: string): Transport {
  return createConnectTransport({
    baseUrl: location.origin,
    defaultTimeoutMs: DEADLINE_MS,
    interceptors: [
      (next) => (request) => {
        request.header.set("authorization", `Bearer ${token}`);
        return next(request);
      },
    ],
  });
}

export interface Problem {
  message: string;
  /** The token is the problem: offer to sign in again. */
  signIn: boolean;
}

/** What went wrong, in words for the page, and whether the token is the problem. */
export function describeError(error: unknown): Problem {
  const failure = ConnectError.from(error);
  switch (failure.code) {
    case Code.Unauthenticated:
      return { message: "The server refused this token: it is invalid, revoked or expired. Sign in with a new one.", signIn: true };
    case Code.PermissionDenied:
      return { message: `This token may not read that: ${failure.rawMessage}`, signIn: false };
    case Code.InvalidArgument:
      return { message: failure.rawMessage, signIn: false };
    case Code.DeadlineExceeded:
    case Code.Canceled:
      return { message: "The server did not answer in time. It will be asked again at the next refresh.", signIn: false };
    case Code.Unavailable:
      return { message: "The server cannot be reached right now. It will be asked again at the next refresh.", signIn: false };
    default:
      // fetch() rejects with a TypeError when nothing answers at all: connect-web reports it as Unknown.
      if (failure.cause instanceof TypeError || /failed to fetch|network/i.test(failure.rawMessage)) {
        return { message: "The server cannot be reached right now. It will be asked again at the next refresh.", signIn: false };
      }
      return { message: `The server failed to answer (${Code[failure.code]}): ${failure.rawMessage}`, signIn: false };
  }
}
