import { create, createFileRegistry, fromBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, timestampNow } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ServerReflection, type ServerReflectionRequestSchema } from "../gen/grpc/reflection/v1/reflection_pb.js";
import { transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer();

/** Sends reflection requests on one stream, as grpcurl does, and collects the answers. */
async function reflect(requests: MessageInitShape<typeof ServerReflectionRequestSchema>[], token: string | null = env.server.token) {
  const client = createClient(ServerReflection, transport("grpc", env.server.url, token ?? undefined));
  const answers = [];
  for await (const answer of client.serverReflectionInfo(
    (async function* () {
      for (const request of requests) yield request;
    })(),
  )) {
    answers.push(answer);
  }
  return answers;
}

describe("gRPC server reflection", () => {
  it("when a generic tool lists services, then every served service is there", async () => {
    const [answer] = await reflect([{ messageRequest: { case: "listServices", value: "" } }]);
    const names = answer?.messageResponse.case === "listServicesResponse" ? answer.messageResponse.value.service.map((s) => s.name) : [];
    expect(names).toEqual(
      expect.arrayContaining([
        "bridgelog.v1.RecorderService",
        "bridgelog.v1.ClassifierService",
        "bridgelog.v1.QueryService",
        "grpc.health.v1.Health",
        "opentelemetry.proto.collector.trace.v1.TraceService",
        "grpc.reflection.v1.ServerReflection",
      ]),
    );
  });

  it("when a tool asks for a service's file, then the descriptors are enough to call it", async () => {
    const [answer] = await reflect([{ messageRequest: { case: "fileContainingSymbol", value: "bridgelog.v1.RecorderService.RecordInterception" } }]);
    expect(answer?.messageResponse.case).toBe("fileDescriptorResponse");
    const files = answer!.messageResponse.case === "fileDescriptorResponse" ? answer!.messageResponse.value.fileDescriptorProto : [];
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: files.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes)) }));
    // A client built only from what reflection returned, like grpcurl's.
    const service = registry.getService("bridgelog.v1.RecorderService")!;
    const client = createClient(service, transport("grpc", env.server.url, env.server.token)) as unknown as {
      recordInterception(request: unknown): Promise<{ recorded?: { id: string } }>;
    };
    const id = randomUUID();
    const request = create(registry.getMessage("bridgelog.v1.RecordInterceptionRequest")!, {
      interception: { id, tenantId: "reflected", provider: "openai", startedAt: timestampNow() },
    } as never);
    const response = await client.recordInterception(request);
    expect(response.recorded?.id).toBe(id);
  });

  it("when a tool asks for an unknown symbol or file, then it gets NOT_FOUND in the stream", async () => {
    const answers = await reflect([
      { messageRequest: { case: "fileContainingSymbol", value: "nope.v1.Missing" } },
      { messageRequest: { case: "fileByFilename", value: "bridgelog/v1/query_service.proto" } },
      { messageRequest: { case: "fileByFilename", value: "missing.proto" } },
    ]);
    expect(answers.map((a) => (a.messageResponse.case === "errorResponse" ? a.messageResponse.value.errorCode : a.messageResponse.case))).toEqual([
      Code.NotFound,
      "fileDescriptorResponse",
      Code.NotFound,
    ]);
  });

  it("when the caller has no token, then reflection is refused too", async () => {
    const error = await reflect([{ messageRequest: { case: "listServices", value: "" } }], null).catch(ConnectError.from);
    expect((error as ConnectError).code).toBe(Code.Unauthenticated);
  });
});
