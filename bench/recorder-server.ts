/**
 * The server side of `npm run bench`, run as a child process so that its CPU and memory are its
 * own: `tsx bench/recorder-server.ts grpc-noop|noop|bridgelog|batch1 DATABASE_URL`. Prints
 * `PORT <n> TOKEN <record token>` when listening (the noop server checks no token) and stops gracefully on SIGTERM.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { pino } from "pino";
import { Outcome } from "../gen/bridgelog/v1/interception_pb.js";
import {
  type RecordInterceptionRequest,
  RecordInterceptionResponseSchema,
  type RecordInterceptionsRequest,
  RecordInterceptionsResponseSchema,
  RecorderService,
} from "../gen/bridgelog/v1/recorder_service_pb.js";

// bridgelog as operators run it: the compiled build (dist/, which bench/recorder.ts makes before it
// starts a server), not these sources through tsx, whose transform gives every named function it
// creates a __name() call: 0.7% of a busy server's CPU in one profile, and more where it hid.
const compiled = <T>(path: string) => import(new URL(`../dist/${path}`, import.meta.url).href) as Promise<T>;
const { startServer } = await compiled<typeof import("../src/app.js")>("src/app.js");
const { loadConfig } = await compiled<typeof import("../src/config.js")>("src/config.js");
const { createOnePortServer } = await compiled<typeof import("../src/server/one-port-server.js")>("src/server/one-port-server.js");

const [mode, databaseUrl] = process.argv.slice(2);
const log = pino({ level: "warn" });

let stop: () => Promise<void>;
let port: number;
let token = "none";
if (mode === "noop") {
  // The same transport stack (one-port server, Connect router, protobuf decode and encode) with a
  // handler that answers at once: the ceiling the recorder is measured against.
  const server = createOnePortServer(
    connectNodeAdapter({
      routes: (router) =>
        router.service(RecorderService, {
          recordInterception: (request) => ({
            recorded: { id: request.interception?.id ?? "", created: true, outcome: Outcome.SUCCEEDED },
          }),
          recordInterceptions: async () => ({ results: [] }),
        }),
    }),
  );
  port = (await server.listen(0, "127.0.0.1")).port;
  stop = () => server.close(1000);
} else if (mode === "grpc-noop") {
  // A plain @grpc/grpc-js server for the same service on its own port, answering at once: what
  // the transport alone costs, and the ceiling bridgelog's gRPC path is measured against.
  const server = new grpc.Server();
  const method = (name: string) => RecorderService.method[name as keyof typeof RecorderService.method];
  server.addService(
    {
      recordInterception: {
        path: `/${RecorderService.typeName}/RecordInterception`,
        requestStream: false,
        responseStream: false,
        requestDeserialize: (bytes: Buffer) => fromBinary(method("recordInterception").input, bytes),
        responseSerialize: (message: never) => Buffer.from(toBinary(method("recordInterception").output, message)),
      },
      recordInterceptions: {
        path: `/${RecorderService.typeName}/RecordInterceptions`,
        requestStream: true,
        responseStream: false,
        requestDeserialize: (bytes: Buffer) => fromBinary(method("recordInterceptions").input, bytes),
        responseSerialize: (message: never) => Buffer.from(toBinary(method("recordInterceptions").output, message)),
      },
    } as unknown as grpc.ServiceDefinition,
    {
      recordInterception: (call: grpc.ServerUnaryCall<RecordInterceptionRequest, unknown>, callback: grpc.sendUnaryData<unknown>) =>
        callback(null, create(RecordInterceptionResponseSchema, { recorded: { id: call.request.interception?.id ?? "", created: true, outcome: Outcome.SUCCEEDED } })),
      recordInterceptions: (call: grpc.ServerReadableStream<RecordInterceptionsRequest, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const results: { result: { case: "recorded"; value: { id: string; created: boolean; outcome: Outcome } } }[] = [];
        call.on("data", (request: RecordInterceptionsRequest) =>
          results.push({ result: { case: "recorded", value: { id: request.interception?.id ?? "", created: true, outcome: Outcome.SUCCEEDED } } }),
        );
        call.on("end", () => callback(null, create(RecordInterceptionsResponseSchema, { results })));
      },
    },
  );
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  stop = () => new Promise((resolve) => server.tryShutdown(() => resolve()));
} else if (mode === "bridgelog" || mode === "batch1") {
  const config = { ...loadConfig(process.env), databaseUrl, port: 0, host: "127.0.0.1" };
  if (mode === "batch1") config.batchMaxSize = 1;
  const server = await startServer(config, log);
  port = server.port;
  token = (await server.tokens.create({ tenantId: null, scopes: ["record"], label: "bench" })).token;
  stop = () => server.stop();
} else {
  throw new Error(`unknown mode ${mode}`);
}
console.log(`PORT ${port} TOKEN ${token}`);
process.once("SIGTERM", () => void stop().then(() => process.exit(0)));
