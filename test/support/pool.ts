import postgres, { type Sql } from "postgres";

/**
 * A postgres.js pool for tests and benches: one connection unless told otherwise, and quiet.
 * PostgreSQL's NOTICEs (`drop ... if exists` on nothing, migrations) would otherwise be printed
 * through every test run. Whoever opens it ends it.
 */
export function openPool(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, { max: options.max ?? 1, onnotice: () => {} });
}

/** The same server URL, pointing at another database on it. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
