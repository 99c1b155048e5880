import { configDefaults, defineConfig } from "vitest/config";

/**
 * Three projects, all run by `vitest run` (`npm test`); one alone with `--project <name>`.
 * - unit: pure functions and handlers over an in-memory transport. No database, no Redis, no
 *   servers, no build: seconds.
 * - integration: real PostgreSQL, Redis, servers and child processes.
 * - browser: the console in chromium, against a real server serving the built console.
 * Files are chosen by path, so a test moves between projects by where it lives (or by a line here).
 */
const UNIT = ["test/unit/**/*.test.ts", "test/classify/**/*.test.ts", "test/notifier/settings.test.ts"];
const BROWSER = ["test/**/*.browser.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel: each integration file gets its own database cloned from a migrated template.
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: UNIT } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...UNIT, ...BROWSER],
          globalSetup: ["test/setup/database-template.ts", "test/setup/compile.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: BROWSER,
          // The console test starts `bridgelog notify` as a process, which runs the compiled server.
          globalSetup: ["test/setup/database-template.ts", "test/setup/compile.ts", "test/setup/dashboard-build.ts"],
        },
      },
    ],
  },
});
