// Records one interception with @grpc/grpc-js, the way a bridge that already uses grpc-js would.
// protoc-gen-es makes no grpc-js stubs: a plain grpc.Client calls the method by its path, with the
// generated schemas as serializers.
// Run: BRIDGELOG_TOKEN=blg_... npx tsx examples/record-with-grpc-js.ts [host:port]
import { randomUUID } from "node:crypto";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { ErrorType, Outcome } from "../gen/bridgelog/v1/interception_pb.js";
import {
  type RecordInterceptionRequest,
  RecordInterceptionRequestSchema,
  RecordInterceptionResponseSchema,
} from "../gen/bridgelog/v1/recorder_service_pb.js";

const client = new grpc.Client(process.argv[2] ?? "127.0.0.1:8080", grpc.credentials.createInsecure());
const metadata = new grpc.Metadata();
metadata.set("authorization", `Bearer ${process.env.BRIDGELOG_TOKEN}`);

// An Anthropic call that failed with its 529 "overloaded": only the raw facts; the server classifies.
const request = create(RecordInterceptionRequestSchema, {
  interception: {
    id: randomUUID(),
    tenantId: "acme",
    provider: "anthropic",
    model: "claude-sonnet-4",
    startedAt: timestampNow(),
    upstream: { httpStatus: 529, body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' },
  },
});

client.makeUnaryRequest(
  "/bridgelog.v1.RecorderService/RecordInterception",
  (message: RecordInterceptionRequest) => Buffer.from(toBinary(RecordInterceptionRequestSchema, message)),
  (bytes: Buffer) => fromBinary(RecordInterceptionResponseSchema, bytes),
  request,
  metadata,
  (error, response) => {
    client.close();
    if (error || response?.recorded === undefined) {
      console.error("not recorded:", error?.message ?? "empty response");
      process.exitCode = 1;
    } else {
      // Enums arrive as numbers; the generated enum objects name them (Outcome.FAILED is "FAILED").
      const { id, outcome, errorType, providerCode } = response.recorded;
      console.log(`recorded ${id}: ${Outcome[outcome].toLowerCase()}, ${ErrorType[errorType].toLowerCase()} (provider code ${providerCode || "none"})`);
    }
  },
);
