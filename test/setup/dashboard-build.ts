/**
 * Global setup of the browser project: builds the dashboard (web/dist), which the servers under
 * test serve at `/`. Only the browser test opens it, so the other projects skip the build.
 */
import { build } from "vite";

export default async function setup() {
  await build({ configFile: new URL("../../web/vite.config.ts", import.meta.url).pathname, logLevel: "error" });
}
