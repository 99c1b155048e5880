import { describe, expect, it } from "vitest";
import { truncateUtf8 } from "../../src/interception/truncate-utf8.js";

describe("truncateUtf8", () => {
  it("when the text fits, then it is unchanged and not marked as cut", () => {
    expect(truncateUtf8("héllo", 6)).toEqual({ text: "héllo", truncated: false, bytes: 6 });
    expect(truncateUtf8("", 0)).toEqual({ text: "", truncated: false, bytes: 0 });
  });

  // Each case puts one multi-byte character across the limit: its first byte fits, the rest do not.
  it.each([
    { name: "2-byte é", char: "é", size: 2 },
    { name: "3-byte €", char: "€", size: 3 },
    { name: "4-byte 😀 (a surrogate pair in JS)", char: "😀", size: 4 },
  ])("when the limit falls inside a $name, then the cut is before that character", ({ char, size }) => {
    const prefix = "abcd";
    const value = `${prefix}${char}tail`;
    for (let inside = 1; inside < size; inside++) {
      const cut = truncateUtf8(value, prefix.length + inside);
      expect(cut.text).toBe(prefix);
      expect(cut.truncated).toBe(true);
      expect(cut.bytes).toBe(Buffer.byteLength(value));
    }
    // Exactly at the end of the character: the character is kept whole.
    expect(truncateUtf8(value, prefix.length + size).text).toBe(`${prefix}${char}`);
  });

  it("when the text is all multi-byte characters, then the result is always valid UTF-8 within the limit", () => {
    const value = "é€😀".repeat(100);
    for (let limit = 0; limit < 60; limit++) {
      const { text } = truncateUtf8(value, limit);
      const encoded = Buffer.from(text, "utf8");
      expect(encoded.length).toBeLessThanOrEqual(limit);
      expect(encoded.toString("utf8")).toBe(text);
      expect(text.isWellFormed()).toBe(true);
      // Nothing was dropped that would have fit: the next character would go over the limit.
      const next = value.slice(text.length).codePointAt(0)!;
      expect(encoded.length + Buffer.byteLength(String.fromCodePoint(next))).toBeGreaterThan(limit);
    }
  });

  it("when the text is a megabyte, then only the kept prefix is returned and the full length is reported", () => {
    const value = "ü".repeat(1 << 19); // 1 MiB of 2-byte characters
    const cut = truncateUtf8(value, 4096);
    expect(cut).toEqual({ text: "ü".repeat(2048), truncated: true, bytes: 1 << 20 });
  });
});
