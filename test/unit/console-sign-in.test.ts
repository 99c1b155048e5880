import { describe, expect, it } from "vitest";
import { SERVICE_ACCESS } from "../../src/auth/service-access.js";
import { consoleSignIn, LOCAL_CONSOLE_TOKEN } from "../../src/auth/local-tokens.js";
import { QueryService } from "../../gen/bridgelog/v1/query_service_pb.js";

const options = { url: "http://127.0.0.1:8080", token: "blg_0123456789abcdef_secret", tokenFile: ".bridgelog/console-token" };

describe("what npm start tells the person who ran it about the console", () => {
  it("when stderr is a terminal, then it gives the link that signs in, and where its token is kept", () => {
    const text = consoleSignIn({ ...options, terminal: true });
    expect(text).toContain("Console: http://127.0.0.1:8080/#token=blg_0123456789abcdef_secret\n");
    expect(text).toContain(".bridgelog/console-token");
  });

  it("when stderr is not a terminal (a process manager's log), then it names the token's file and never the token", () => {
    const text = consoleSignIn({ ...options, terminal: false });
    expect(text).toBe("Console: http://127.0.0.1:8080/ (sign in with the read-only token kept in .bridgelog/console-token)\n");
    expect(text).not.toContain("blg_");
  });

  it("the console's token has the scope QueryService requires, for every tenant, and nothing more", () => {
    expect(LOCAL_CONSOLE_TOKEN.scopes).toEqual([SERVICE_ACCESS[QueryService.typeName]]);
    expect(LOCAL_CONSOLE_TOKEN.tenantId).toBeNull();
  });
});
