import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The console is built into web/dist, which the bridgelog server serves at `/`. Vite's own JSX
// transform (automatic runtime) compiles the React components; no plugin is needed for a build.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  logLevel: "warn",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // ECharts is most of the bundle and changes least: its own file stays cached across releases.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: "echarts", test: /node_modules[\\/](echarts|zrender)[\\/]/ }] },
      },
      // TanStack Query marks its modules "use client" for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
});
