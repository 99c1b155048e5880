import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { QueryService } from "../../gen/bridgelog/v1/query_service_pb.js";

export type QueryClient = Client<typeof QueryService>;

/** A Connect-web client for the server that served this page, sending the bearer token. */
export function createQueryClient(token: string): QueryClient {
  return createClient(
    QueryService,
    createConnectTransport({
      baseUrl: location.origin,
      interceptors: [
        (next) => (request) => {
          request.header.set("authorization", `Bearer ${token}`);
          return next(request);
        },
      ],
    }),
  );
}

/** What went wrong, in words for the page, and whether the token is the problem. */
export function describeError(error: unknown): { message: string; signIn: boolean } {
  const failure = ConnectError.from(error);
  switch (failure.code) {
    case Code.Unauthenticated:
      return { message: "Your token is invalid, revoked or expired. Paste a new one.", signIn: true };
    case Code.PermissionDenied:
      return { message: `This token may not read that: ${failure.rawMessage}`, signIn: false };
    case Code.InvalidArgument:
      return { message: failure.rawMessage, signIn: false };
    case Code.DeadlineExceeded:
    case Code.Canceled:
      return { message: "The server did not answer in time. Try again in a moment.", signIn: false };
    case Code.Unavailable:
      return { message: "The server cannot be reached right now. Try again in a moment.", signIn: false };
    default:
      return { message: `The server failed to answer (${Code[failure.code]}).`, signIn: false };
  }
}
