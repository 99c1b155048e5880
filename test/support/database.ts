import { randomBytes } from "node:crypto";
import type { Sql } from "postgres";
import { inject } from "vitest";
import { openPool, withDatabase } from "./pool.js";

export interface TestDatabase {
  url: string;
  /** A small pool on the test database, for arranging and checking rows. */
  sql: Sql;
  drop(): Promise<void>;
}

/**
 * A fresh database cloned from the migrated template: this test file's alone. With `empty`, a
 * database with no schema at all, for tests of migrating itself.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject("adminDatabaseUrl");
  if (adminUrl === undefined) {
    throw new Error("no test PostgreSQL in this vitest project: a test that needs a database belongs in the integration project (vitest.config.ts)");
  }
  // The creation time in the name lets a later run tell an abandoned database from a live one.
  const name = `bridgelog_test_${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString("hex")}`;
  const admin = openPool(adminUrl);
  try {
    if (options.empty === true) {
      await admin.unsafe(`create database "${name}"`);
    } else {
      // Cloning needs the template to have no other sessions; files start at once, so retry briefly.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.unsafe(`create database "${name}" template "${inject("templateDatabase")}"`);
          break;
        } catch (error) {
          if (attempt >= 50 || (error as { code?: string }).code !== "55006") throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const sql = openPool(url, { max: 4 });
  return {
    url,
    sql,
    async drop() {
      await sql.end();
      const dropper = openPool(adminUrl);
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}
