import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createNotifierMetrics } from "../../src/metrics/notifier-metrics.js";
import { createServerMetrics } from "../../src/metrics/server-metrics.js";
import { ERROR_TYPES, isRetryable } from "../../src/interception/error-type.js";
import {
  FIELD_MAX_BYTES,
  METADATA_KEY_MAX_BYTES,
  METADATA_MAX_ENTRIES,
  METADATA_VALUE_MAX_BYTES,
  RESPONSE_HEADER_NAME_MAX_BYTES,
  RESPONSE_HEADER_VALUE_MAX_BYTES,
  RESPONSE_HEADERS_MAX_ENTRIES,
  STARTED_AT_MAX_AHEAD_SECONDS,
} from "../../src/interception/normalize-interception.js";

/**
 * The docs copy a few lists from the code by hand: the environment variables, the metrics, the
 * error types and the field limits. These tests fail when a copy and its code part ways. Pure: no database.
 */
const page = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** The cells of each row of the first table after `heading`, header and separator rows left out. */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`no heading ${JSON.stringify(heading)}`);
  const lines = markdown.slice(start).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith("|")) break;
    rows.push(line.slice(1, line.endsWith("|") ? -1 : undefined).split("|").map((cell) => cell.trim()));
  }
  return rows.slice(2);
}

/** Every `name` in backticks in a cell. */
const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/**
 * The environment variables loadConfig reads, observed rather than declared: it is given an
 * environment that records every name looked up. loadConfig reads each variable unconditionally
 * (a validation may depend on another's value, a read never does), so one call sees them all.
 */
function variablesConfigReads(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, name) {
      if (typeof name === "string") read.add(name);
      return undefined;
    },
  });
  loadConfig(env);
  return [...read].sort();
}

describe("docs/operations.md's configuration table", () => {
  const rows = tableAfter(page("docs/operations.md"), "## Configuration");

  it("lists exactly the environment variables src/config.ts reads", () => {
    const documented = rows.map((cells) => codeSpans(cells[0] ?? "")[0] ?? `(no name in ${cells[0]})`);
    expect([...documented].sort()).toEqual(variablesConfigReads());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it("gives each variable a default and a meaning", () => {
    for (const cells of rows) {
      expect(cells, cells[0]).toHaveLength(3);
      expect(cells[1], cells[0]).not.toBe("");
      expect(cells[2], cells[0]).not.toBe("");
    }
  });

  // A default written as a literal (`8080`) must be the real one: setting it explicitly changes nothing.
  it("states literal defaults that are the ones config.ts applies", () => {
    const defaults = loadConfig({});
    const literal = rows.flatMap(([name, fallback]) => (fallback?.startsWith("`") ? [[codeSpans(name!)[0]!, codeSpans(fallback)[0]!]] : []));
    expect(literal.length).toBeGreaterThan(20);
    for (const [name, value] of literal) expect(loadConfig({ [name!]: value }), `${name}=${value}`).toEqual(defaults);
  });
});

describe("numeric defaults written in prose", () => {
  // "`BRIDGELOG_QUEUE_MAX` (default 20000)" anywhere in the docs must be config.ts's default.
  const pages = ["README.md", ...readdirSync(new URL("../../docs/", import.meta.url)).filter((file) => file.endsWith(".md")).map((file) => `docs/${file}`)];
  const claims = pages.flatMap((path) =>
    [...page(path).matchAll(/`([A-Z][A-Z0-9_]+)`,? \(?default ([0-9][0-9,]*)/g)].map((m) => ({ path, name: m[1]!, value: m[2]!.replaceAll(",", "") })),
  );

  it.each(claims)("$path: $name defaults to $value", ({ name, value }) => {
    expect(loadConfig({ [name]: value })).toEqual(loadConfig({}));
  });
});

describe("docs/error-types.md", () => {
  const rows = tableAfter(page("docs/error-types.md"), "## The taxonomy");

  it("lists every error type of src/interception/error-type.ts, in its order, and no other", () => {
    expect(rows.map((cells) => codeSpans(cells[0] ?? "")[0])).toEqual([...ERROR_TYPES]);
  });

  it("says which types are retryable exactly as isRetryable does", () => {
    for (const type of ERROR_TYPES) {
      const cells = rows.find((row) => codeSpans(row[0] ?? "")[0] === type)!;
      expect(cells.at(-1)?.startsWith("yes"), type).toBe(isRetryable(type));
    }
  });
});

describe("docs/recording.md's limits", () => {
  const rows = tableAfter(page("docs/recording.md"), "## Limits");
  const rowNaming = (field: string) => {
    const matches = rows.filter((cells) => codeSpans(cells[0] ?? "").includes(field));
    expect(matches, field).toHaveLength(1);
    return matches[0]!;
  };

  it.each(Object.entries(FIELD_MAX_BYTES))("gives %s its limit of %i bytes", (field, max) => {
    expect(rowNaming(field)[1]).toBe(`${max} bytes`);
  });

  it("gives the metadata limits of normalize-interception.ts", () => {
    expect(rowNaming("metadata")[1]).toBe(
      `${METADATA_MAX_ENTRIES} entries; keys ${METADATA_KEY_MAX_BYTES} bytes, values ${METADATA_VALUE_MAX_BYTES} bytes`,
    );
  });

  it("gives the response-header limits of normalize-interception.ts", () => {
    expect(rowNaming("upstream.response_headers")[1]).toBe(
      `${RESPONSE_HEADERS_MAX_ENTRIES} entries; names ${RESPONSE_HEADER_NAME_MAX_BYTES} bytes, values ${RESPONSE_HEADER_VALUE_MAX_BYTES} bytes`,
    );
  });

  it("gives how far ahead of the server's clock started_at may be", () => {
    expect(STARTED_AT_MAX_AHEAD_SECONDS % 86_400).toBe(0);
    expect(rowNaming("started_at")[1]).toMatch(new RegExp(`^at most ${STARTED_AT_MAX_AHEAD_SECONDS / 86_400} days? ahead`));
  });
});

describe("docs/operations.md's metrics table", () => {
  // Process and runtime metrics come from prom-client's defaults and are documented as a family.
  const own = async (registry: { getMetricsAsJSON(): Promise<{ name: string }[]> }) =>
    (await registry.getMetricsAsJSON()).map((m) => m.name).filter((name) => !/^bridgelog_(notifier_)?(process|nodejs)_/.test(name));

  it("lists exactly the metrics the server and the notifier register", async () => {
    const registered = [...(await own(createServerMetrics(() => 0).registry)), ...(await own(createNotifierMetrics().registry))];
    const documented = tableAfter(page("docs/operations.md"), "## Metrics")
      .flatMap(([metric]) => codeSpans(metric ?? ""))
      .filter((name) => !name.includes("*"))
      .map((name) => name.replace(/\{.*\}$/, ""));
    expect(documented.sort()).toEqual(registered.sort());
  });
});

describe("the Node.js options serve runs with", () => {
  // npm start bounds V8's young generation (docs/operations.md, Memory); the docs' other ways of
  // running serve must give it the same options, and bench/recorder.ts reads them from here.
  const start = (JSON.parse(page("package.json")) as { scripts: { start: string } }).scripts.start;
  const options = /^exec node (.+) bin\/bridgelog\.js serve$/.exec(start)?.[1];

  it("are in package.json's start script", () => {
    expect(options).toBe("--max-semi-space-size=16");
  });

  it("are those of every command docs/operations.md gives for serve", () => {
    const operations = page("docs/operations.md");
    const commands = [...operations.matchAll(/(?:node|NODE_OPTIONS=)\S*[^`\n]*?bridgelog(?:\.js)? serve/g)].map((m) => m[0]);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) expect(command, command).toContain(options!);
  });
});
