import { randomBytes } from "node:crypto";
import postgres, { type Sql } from "postgres";
import { inject } from "vitest";
import { withDatabase } from "../global-setup.js";

export interface TestDatabase {
  url: string;
  /** A small pool on the test database, for arranging and checking rows. */
  sql: Sql;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: this test file's alone. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("adminDatabaseUrl");
  // The creation time in the name lets a later run tell an abandoned database from a live one.
  const name = `bridgelog_test_${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
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
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  return {
    url,
    sql,
    async drop() {
      await sql.end();
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}
