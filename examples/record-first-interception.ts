/**
 * Records one interception, stamped with the current time so that it shows up in the dashboard's
 * default window (the last 24 hours). With `npm start` running in another terminal:
 *
 *   npx tsx examples/record-first-interception.ts [URL]
 *
 * URL: the first argument, else BRIDGELOG_URL, else http://127.0.0.1:8080. The token (scope
 * `record`): BRIDGELOG_TOKEN, else the local admin token `npm start` keeps in
 * .bridgelog/local-admin-token (BRIDGELOG_DATA_DIR) on the embedded default.
 *
 * The call it records failed the way OpenAI fails when the account is out of credit: a 429 whose
 * body says `insufficient_quota`. The bridge sends the raw facts; the server classifies them.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ErrorType, KeySource, Outcome } from "../gen/bridgelog/v1/interception_pb.js";
import { RecorderService } from "../gen/bridgelog/v1/recorder_service_pb.js";

const baseUrl = process.argv[2] ?? process.env.BRIDGELOG_URL ?? "http://127.0.0.1:8080";
const tokenFile = join(process.env.BRIDGELOG_DATA_DIR ?? ".bridgelog", "local-admin-token");
const token = process.env.BRIDGELOG_TOKEN ?? (existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").trim() : "");
if (token === "") {
  console.error(`Set BRIDGELOG_TOKEN to a token with the record scope (no ${tokenFile} to read one from).`);
  process.exit(2);
}

const recorder = createClient(RecorderService, createGrpcTransport({ baseUrl }));
const now = Date.now();
const { recorded } = await recorder.recordInterception(
  {
    interception: {
      id: randomUUID(),
      tenantId: "acme",
      initiatorId: "user-42",
      provider: "openai",
      model: "gpt-4o",
      feature: "chat",
      keySource: KeySource.BYOK,
      client: "examples/record-first-interception",
      startedAt: timestampFromMs(now - 1500),
      endedAt: timestampFromMs(now),
      usage: { inputTokens: 1200n },
      errorMessage: "429 You exceeded your current quota, please check your plan and billing details.",
      upstream: {
        httpStatus: 429,
        body: JSON.stringify({
          error: { message: "You exceeded your current quota.", type: "insufficient_quota", param: null, code: "insufficient_quota" },
        }),
      },
    },
  },
  { headers: { authorization: `Bearer ${token}` } },
);

if (recorded === undefined) throw new Error("the server answered without a recorded interception");
console.log(
  `recorded ${recorded.id}: ${Outcome[recorded.outcome].toLowerCase()}, ${ErrorType[recorded.errorType].toLowerCase()}` +
    ` (provider code ${recorded.providerCode || "none"})`,
);
console.log(`See it at ${baseUrl}/ with tenant "acme" and the window "last 24 hours".`);
