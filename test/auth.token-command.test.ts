import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { QueryService } from "../gen/bridgelog/v1/query_service_pb.js";
import { runBridgelog } from "./support/cli.js";
import { transport } from "./support/clients.js";
import { useTestServer } from "./support/server.js";

const env = useTestServer({ tokenCacheMs: 0 });

/** Runs `bridgelog token ...` against this file's database, as an operator would. */
const bridgelog = (...args: string[]) => runBridgelog(env.db.url, ["token", ...args]);

describe("bridgelog token", () => {
  it("when an operator creates a read token, then it works once printed, shows in the list, and stops when revoked", async () => {
    const created = await bridgelog("create", "--tenant", "cli-tenant", "--scope", "read", "--label", "dashboards");
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^blg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);

    const client = createClient(QueryService, transport("connect-json", env.server.url, token));
    expect((await client.listInterceptions({})).interceptions).toEqual([]);

    const listed = await bridgelog("list");
    const id = token.slice(4, 20);
    expect(listed.stdout).toContain(`${id}\tcli-tenant\tread\t`);
    expect(listed.stdout).not.toContain(token); // only the hash is kept

    expect((await bridgelog("revoke", id)).code).toBe(0);
    const refused = await client.listInterceptions({}).catch(ConnectError.from);
    expect((refused as ConnectError).code).toBe(Code.Unauthenticated);
    expect(await bridgelog("revoke", id)).toMatchObject({ code: 1, stderr: expect.stringContaining("no active token") });
  });

  it("when the arguments are wrong, then it says what is missing and exits 2", async () => {
    expect(await bridgelog("create", "--scope", "read")).toMatchObject({ code: 2, stderr: expect.stringContaining("--tenant") });
    expect(await bridgelog("create", "--tenant", "t", "--scope", "write")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("record, read or admin"),
    });
    expect(await bridgelog("create", "--tenant", "t", "--scope", "read", "--bogus")).toMatchObject({ code: 2 });
    expect(await bridgelog("frobnicate")).toMatchObject({ code: 2, stderr: expect.stringContaining("usage") });
  });
});
