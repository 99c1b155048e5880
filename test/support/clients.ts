import type { DescMessage, DescService, MessageShape } from "@bufbuild/protobuf";
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";
import {
  type Interception,
  InterceptionSchema,
  KeySource,
  type TokenUsageSchema,
  type UpstreamFailureSchema,
} from "../../gen/bridgelog/v1/interception_pb.js";
import { RecorderService } from "../../gen/bridgelog/v1/recorder_service_pb.js";

export type TransportName = "grpc" | "grpc-web" | "connect-json";

/**
 * connect-node transports: gRPC over HTTP/2, gRPC-Web and Connect JSON over HTTP/1.1. With a
 * token, every call carries `Authorization: Bearer <token>`.
 */
export function transport(name: TransportName, baseUrl: string, token?: string): Transport {
  const interceptors: Interceptor[] =
    token === undefined ? [] : [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))];
  switch (name) {
    case "grpc":
      return createGrpcTransport({ baseUrl, interceptors });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors });
    case "connect-json":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false, interceptors });
  }
}

export function recorderClient(name: TransportName, baseUrl: string, token?: string): Client<typeof RecorderService> {
  return createClient(RecorderService, transport(name, baseUrl, token));
}

/**
 * A `@grpc/grpc-js` client built from the service descriptor (protoc-gen-es makes no grpc-js
 * stubs), the way a bridge using grpc-js directly would. Unary methods only, promisified.
 */
export function grpcJsClient(service: DescService, baseUrl: string, token?: string) {
  const definition: Record<string, grpc.MethodDefinition<MessageShape<DescMessage>, MessageShape<DescMessage>>> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      requestSerialize: (value: MessageShape<DescMessage>) => Buffer.from(toBinary(method.input, value)),
      requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
      responseSerialize: (value: MessageShape<DescMessage>) => Buffer.from(toBinary(method.output, value)),
      responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    };
  }
  const Constructor = grpc.makeGenericClientConstructor(definition, service.typeName);
  const client = new Constructor(new URL(baseUrl).host, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (token !== undefined) metadata.set("authorization", `Bearer ${token}`);
  return {
    raw: client,
    metadata,
    unary<I extends DescMessage, O extends DescMessage>(
      methodName: string,
      input: I,
      _output: O,
      request: MessageInitShape<I>,
    ): Promise<MessageShape<O>> {
      return new Promise((resolve, reject) => {
        const call = (client as unknown as Record<string, Function>)[methodName]!.bind(client);
        call(create(input, request), metadata, (error: grpc.ServiceError | null, response: MessageShape<O>) =>
          error ? reject(error) : resolve(response),
        );
      });
    },
    close: () => client.close(),
  };
}

export type InterceptionFields = Partial<
  Omit<Interception, "$typeName" | "$unknown" | "usage" | "upstream" | "startedAt" | "endedAt">
> & {
  $typeName?: string;
  $unknown?: unknown;
  usage?: MessageInitShape<typeof TokenUsageSchema>;
  upstream?: MessageInitShape<typeof UpstreamFailureSchema>;
  startedAt?: Timestamp | undefined;
  endedAt?: Timestamp | undefined;
};

/**
 * A valid interception with a unique id; override any field. `overrides` may be another
 * interception spread with changes: its `$typeName` is dropped so nested plain objects are built.
 */
export function interception(overrides: InterceptionFields = {}): Interception {
  const { $typeName: _, $unknown: __, ...fields } = overrides;
  return create(InterceptionSchema, {
    id: randomUUID(),
    tenantId: "tenant-a",
    initiatorId: "user-1",
    provider: "openai",
    model: "gpt-4o",
    feature: "chat",
    keySource: KeySource.PLATFORM,
    client: "test-bridge/1.0",
    startedAt: timestampFromDate(new Date("2026-11-22T10:00:00.123456Z")),
    endedAt: timestampFromDate(new Date("2026-11-22T10:00:01.5Z")),
    ...fields,
  } as MessageInitShape<typeof InterceptionSchema>);
}
