import { createRegistry, type DescFile, type DescService, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ServiceImpl } from "@connectrpc/connect";
import {
  ServerReflection,
  type ServerReflectionRequest,
  type ServerReflectionResponseSchema,
} from "../../gen/grpc/reflection/v1/reflection_pb.js";

/**
 * The standard `grpc.reflection.v1.ServerReflection`, so that generic tools (grpcurl, Postman,
 * grpcui) can list the services and call them without the .proto files. Answers list_services,
 * file_by_filename and file_containing_symbol with each file and its transitive dependencies;
 * extension queries are UNIMPLEMENTED (bridgelog's contract has no extensions).
 */
export function createReflectionService(services: readonly DescService[]): ServiceImpl<typeof ServerReflection> {
  const files = new Map<string, DescFile>();
  const collect = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    file.dependencies.forEach(collect);
  };
  services.forEach((s) => collect(s.file));
  const registry = createRegistry(...files.values());
  const names = services.map((s) => s.typeName).sort();

  /** A file and everything it imports, each once, dependencies first. */
  function withDependencies(file: DescFile): Uint8Array[] {
    const ordered: DescFile[] = [];
    const visit = (f: DescFile) => {
      if (ordered.includes(f)) return;
      f.dependencies.forEach(visit);
      ordered.push(f);
    };
    visit(file);
    return ordered.map((f) => toBinary(FileDescriptorProtoSchema, f.proto));
  }

  function fileContainingSymbol(symbol: string): DescFile | undefined {
    const found = registry.get(symbol);
    if (found !== undefined) return found.file;
    // A method: <package>.<service>.<method>.
    const service = registry.getService(symbol.slice(0, symbol.lastIndexOf(".")));
    return service?.methods.some((m) => `${service.typeName}.${m.name}` === symbol) ? service.file : undefined;
  }

  function answer(request: ServerReflectionRequest): MessageInitShape<typeof ServerReflectionResponseSchema>["messageResponse"] {
    const asked = request.messageRequest;
    const notFound = (what: string) =>
      ({ case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: `${what} not found` } }) as const;
    switch (asked?.case) {
      case "listServices":
        return { case: "listServicesResponse", value: { service: names.map((name) => ({ name })) } };
      case "fileByFilename": {
        const file = files.get(asked.value);
        return file === undefined
          ? notFound(`file ${asked.value}`)
          : { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file) } };
      }
      case "fileContainingSymbol": {
        const file = fileContainingSymbol(asked.value);
        return file === undefined
          ? notFound(`symbol ${asked.value}`)
          : { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file) } };
      }
      default:
        return { case: "errorResponse", value: { errorCode: Code.Unimplemented, errorMessage: "not supported" } };
    }
  }

  return {
    async *serverReflectionInfo(requests) {
      for await (const request of requests) {
        yield { validHost: request.host, originalRequest: request, messageResponse: answer(request) };
      }
    },
  };
}
