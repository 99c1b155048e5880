import { Code, ConnectError, createClient, type ConnectRouter, type Interceptor, type Transport } from "@connectrpc/connect";
import { connectNodeAdapter, createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClassifierService, ClassifyErrorRequestSchema, ClassifyErrorResponseSchema } from "../gen/bridgelog/v1/classifier_service_pb.js";
import { Health, HealthCheckResponse_ServingStatus } from "../gen/grpc/health/v1/health_pb.js";
import { BadRequestSchema } from "../gen/google/rpc/error_details_pb.js";
import { requireToken } from "../src/auth/require-token.js";
import { SERVICE_ACCESS } from "../src/auth/service-access.js";
import { createClassifierService } from "../src/classify/classifier-service.js";
import { classifyFailure } from "../src/classify/classify-failure.js";
import { createHealthService } from "../src/health/health-service.js";
import { serviceRegistration } from "../src/rpc/service-registration.js";
import { createGrpcJsServer, routeGrpcStreams } from "../src/server/grpc-js-server.js";
import { createOnePortServer, DEFAULT_CONNECTION_LIMITS, type OnePortServer } from "../src/server/one-port-server.js";
import { grpcJsClient } from "./support/clients.js";
import { fixedAuthenticator } from "./unit/support/fixed-authenticator.js";

/**
 * The one-port server with both stacks, as src/app.ts builds it, over services that need no
 * database: which stack serves a stream is decided by its content type and its token, and a
 * caller gets the same answers, errors and details from either.
 */
const fixed = fixedAuthenticator({ bridge: { tenantId: "t1", scopes: ["record"] } });
// How often a token was checked: with the real authenticator each check hashes the secret.
let checks = { cached: 0, authenticate: 0 };
const authenticator: typeof fixed = {
  cached: (authorization) => (checks.cached++, fixed.cached(authorization)),
  authenticate: (authorization, options) => (checks.authenticate++, fixed.authenticate(authorization, options)),
};
const services = [
  serviceRegistration(ClassifierService, createClassifierService(classifyFailure)),
  serviceRegistration(Health, createHealthService({ probe: async () => true, services: [ClassifierService.typeName], maxWatchers: 10 })),
];
const interceptors = [requireToken(authenticator, SERVICE_ACCESS)];
let served = { grpcJs: 0, connect: 0 };
let server: OnePortServer;
let baseUrl: string;

beforeAll(async () => {
  const routes = (router: ConnectRouter) => {
    for (const { service, impl } of services) router.service(service, impl);
  };
  const connect = connectNodeAdapter({ routes, interceptors });
  const grpcJs = createGrpcJsServer({ services, interceptors, maxRequestBytes: 64 * 1024 });
  server = createOnePortServer(
    (request, response) => {
      served.connect++;
      connect(request, response);
    },
    DEFAULT_CONNECTION_LIMITS,
    routeGrpcStreams(
      {
        handleStream(stream, headers, principal) {
          served.grpcJs++;
          grpcJs.handleStream(stream, headers, principal);
        },
      },
      authenticator,
      SERVICE_ACCESS,
    ),
  );
  const address = await server.listen(0, "127.0.0.1");
  baseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(() => server.close(1000));

const withToken = (token: string): Interceptor[] => [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))];

async function classifyWith(transport: Transport) {
  served = { grpcJs: 0, connect: 0 };
  const answer = await createClient(ClassifierService, transport).classifyError({ errorMessage: "Rate limit reached for gpt-4o", upstream: { httpStatus: 429 } });
  return { errorType: answer.errorType, served };
}

describe("one port, two stacks", () => {
  it("when a bridge with a valid token calls over gRPC, then @grpc/grpc-js serves it", async () => {
    const grpcJsAnswer = await classifyWith(createGrpcTransport({ baseUrl, interceptors: withToken("bridge") }));
    expect(grpcJsAnswer.served).toEqual({ grpcJs: 1, connect: 0 });
    // The same question over Connect, which connect-node serves: the same answer.
    const connectAnswer = await classifyWith(createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: withToken("bridge") }));
    expect(connectAnswer.served).toEqual({ grpcJs: 0, connect: 1 });
    expect(grpcJsAnswer.errorType).toBe(connectAnswer.errorType);
    expect(grpcJsAnswer.errorType).not.toBe("");
  });

  it("when grpc-js serves a call, then its token is checked once, by the router, and requireToken uses that principal", async () => {
    checks = { cached: 0, authenticate: 0 };
    const answer = await classifyWith(createGrpcTransport({ baseUrl, interceptors: withToken("bridge") }));
    expect(answer.served).toEqual({ grpcJs: 1, connect: 0 });
    expect(checks).toEqual({ cached: 1, authenticate: 0 });
  });

  it.each([
    ["Connect over cleartext HTTP/2", () => createConnectTransport({ baseUrl, httpVersion: "2", interceptors: withToken("bridge") })],
    ["gRPC-Web over cleartext HTTP/2", () => createGrpcWebTransport({ baseUrl, httpVersion: "2", interceptors: withToken("bridge") })],
    ["Connect over HTTP/1.1", () => createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: withToken("bridge") })],
  ])("when a client speaks %s, then connect-node serves it on the same port", async (_, transport) => {
    const answer = await classifyWith(transport());
    expect(answer.served).toEqual({ grpcJs: 0, connect: 1 });
    expect(answer.errorType).not.toBe("");
  });

  it("when a gRPC caller has no valid token, then connect-node refuses it UNAUTHENTICATED", async () => {
    for (const interceptors of [[], withToken("stranger")]) {
      served = { grpcJs: 0, connect: 0 };
      const error = await createClient(ClassifierService, createGrpcTransport({ baseUrl, interceptors }))
        .classifyError({ errorMessage: "x" })
        .then(() => undefined, ConnectError.from);
      expect(error?.code).toBe(Code.Unauthenticated);
      expect(served).toEqual({ grpcJs: 0, connect: 1 });
    }
  });

  it("when a load balancer checks health over gRPC (an open service), then connect-node answers SERVING", async () => {
    served = { grpcJs: 0, connect: 0 };
    const answer = await createClient(Health, createGrpcTransport({ baseUrl })).check({ service: "" });
    expect(answer.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    expect(served).toEqual({ grpcJs: 0, connect: 1 });
  });

  it("when a call served by grpc-js fails, then the client reads the code, message and details connect-node would send", async () => {
    const invalid = { upstream: { httpStatus: 1000 } };
    const viaGrpcJs = await createClient(ClassifierService, createGrpcTransport({ baseUrl, interceptors: withToken("bridge") }))
      .classifyError(invalid)
      .then(() => undefined, ConnectError.from);
    const viaConnect = await createClient(ClassifierService, createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: withToken("bridge") }))
      .classifyError(invalid)
      .then(() => undefined, ConnectError.from);
    expect(viaGrpcJs?.code).toBe(Code.InvalidArgument);
    expect(viaGrpcJs?.rawMessage).toBe(viaConnect?.rawMessage);
    const violations = (error: ConnectError | undefined) => error?.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field));
    expect(violations(viaGrpcJs)).toEqual(violations(viaConnect));
    expect(violations(viaGrpcJs)).toContain("upstream.http_status");
  });

  it("when a @grpc/grpc-js bridge sends an empty body, then it is answered, not left waiting", async () => {
    // A stream whose body has ended emits "end" at once; grpc-js must be attached by then.
    const client = grpcJsClient(ClassifierService, baseUrl, "bridge");
    try {
      const classify = client.unary("classifyError", ClassifyErrorRequestSchema, ClassifyErrorResponseSchema, {});
      const error = await classify.then(() => undefined, (e: grpc.ServiceError) => e);
      expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    } finally {
      client.close();
    }
  });
});
