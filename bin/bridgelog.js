#!/usr/bin/env node
// Checked before anything is imported, so an old Node.js says what it needs instead of failing on
// syntax or APIs it lacks. Keep this file plain JavaScript that any Node.js can parse.
const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  console.error(
    `bridgelog needs Node.js 22 or newer (24 LTS recommended); this is Node.js ${process.version}.\n` +
      "Install a current LTS from https://nodejs.org, or with a version manager that reads .nvmrc (nvm install).",
  );
  process.exit(1);
}

// Runs the TypeScript sources through tsx, so the package needs no build step.
const { tsImport } = await import("tsx/esm/api");
await tsImport("../src/main.ts", import.meta.url);
