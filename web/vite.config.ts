import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The dashboard is built into web/dist, which the bridgelog server serves at `/`.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
});
