import { existsSync } from "node:fs";

/**
 * The bridgelog package's root folder (where migrations/ and web/dist/ are), whether this runs
 * from the sources (src/, through tsx) or compiled (dist/src/, in production): the compiled file
 * sits one folder deeper, so a path relative to the module alone would point into dist/.
 */
export const PACKAGE_ROOT: URL = existsSync(new URL("../package.json", import.meta.url))
  ? new URL("../", import.meta.url)
  : new URL("../../", import.meta.url);
