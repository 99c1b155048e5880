import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

/** The problems loadConfig reports for `env`, or [] when it accepts it. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("BRIDGELOG_READ_DATABASE_URL", () => {
  const primary = "postgres://bridgelog@db-primary:5432/bridgelog";
  const replica = "postgresql://bridgelog@db-replica:5432/bridgelog";

  it("when unset, then queries have no database of their own", () => {
    expect(loadConfig({ DATABASE_URL: primary }).readDatabaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: primary, BRIDGELOG_READ_DATABASE_URL: "  " }).readDatabaseUrl).toBeUndefined();
  });

  it("when set beside DATABASE_URL, then it is the queries' database", () => {
    expect(loadConfig({ DATABASE_URL: primary, BRIDGELOG_READ_DATABASE_URL: ` ${replica} ` }).readDatabaseUrl).toBe(replica);
  });

  it("when it is not a PostgreSQL URL, then the problem names it", () => {
    expect(problemsOf({ DATABASE_URL: primary, BRIDGELOG_READ_DATABASE_URL: "db-replica:5432" })).toEqual([
      "BRIDGELOG_READ_DATABASE_URL must be a postgres:// or postgresql:// URL",
    ]);
  });

  it("when DATABASE_URL is unset, then it is refused: the embedded PostgreSQL has no replica", () => {
    const problems = problemsOf({ BRIDGELOG_READ_DATABASE_URL: replica });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^BRIDGELOG_READ_DATABASE_URL needs DATABASE_URL/);
  });
});
