import { describe, expect, it } from "vitest";
import { decodeKeysetToken, decodePageToken, encodeKeysetToken, encodePageToken } from "../../src/query/page-token.js";

const filters = { tenantId: "acme", provider: null, brokenOnly: false };

describe("keyset page tokens", () => {
  it("when a token goes back with the same filters, then it gives back the same key", () => {
    const key = ["1796215162301091", "user-9", "gemini"];
    expect(decodeKeysetToken(encodeKeysetToken(key, filters), filters, 3)).toEqual(key);
  });

  it("when a token goes back with other filters, another key length, or is not a token, then it is refused", () => {
    const token = encodeKeysetToken(["1", "user", "openai"], filters);
    expect(decodeKeysetToken(token, { ...filters, brokenOnly: true }, 3)).toBeUndefined();
    expect(decodeKeysetToken(token, filters, 4)).toBeUndefined();
    expect(decodeKeysetToken("not a token", filters, 3)).toBeUndefined();
    expect(decodeKeysetToken(Buffer.from(JSON.stringify({ k: [1, 2, 3], f: "x" })).toString("base64url"), filters, 3)).toBeUndefined();
  });

  it("when a ListInterceptions token is shown as a keyset token, or the other way round, then it is refused", () => {
    const pageToken = encodePageToken({ startedAt: "2026-11-22T10:00:00.123456Z", id: "0b7c6f3e-0000-4000-8000-000000000000" }, filters);
    expect(decodeKeysetToken(pageToken, filters, 2)).toBeUndefined();
    expect(decodePageToken(encodeKeysetToken(["a", "b"], filters), filters)).toBeUndefined();
  });
});
