import { createClient } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { interception, recorderClient, transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer();

describe("ListInterceptions pages and microseconds", () => {
  it("when interceptions start within one millisecond, then paging one at a time still returns each of them once", async () => {
    // Starts 1 µs apart inside one millisecond: a cursor rounded to the millisecond skips or repeats them.
    const starts = [123_456_000, 123_457_000, 123_458_000, 123_999_000];
    const records = starts.map((nanos) => interception({ tenantId: "micros", startedAt: { $typeName: "google.protobuf.Timestamp", seconds: 1_795_000_000n, nanos }, endedAt: undefined }));
    const recorder = recorderClient("grpc", env.server.url, env.server.token);
    for (const r of records) await recorder.recordInterception({ interception: r });
    const query = createClient(QueryService, transport("grpc", env.server.url, env.server.token));
    const seen: string[] = [];
    let pageToken = "";
    for (let pages = 0; pages < 10; pages++) {
      const page = await query.listInterceptions({ tenantId: "micros", pageSize: 1, pageToken });
      seen.push(...page.interceptions.map((i) => i.id));
      pageToken = page.nextPageToken;
      if (pageToken === "") break;
    }
    expect(seen).toEqual([...records].reverse().map((r) => r.id));
  });
});
