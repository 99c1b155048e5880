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

// Runs the compiled server, dist/src/main.js: `npm run build` makes it (`npm start` and `npm pack`
// run it first). tsx is for development only: `npm run dev -- serve` runs the sources.
const { existsSync } = await import("node:fs");
const compiled = new URL("../dist/src/main.js", import.meta.url);
if (!existsSync(compiled)) {
  console.error(
    `bridgelog is not built (no ${compiled.pathname}): run \`npm run build\` in ${new URL("..", import.meta.url).pathname} ` +
      "(npm start does it), or `npm run dev -- serve` to run the sources through tsx.",
  );
  process.exit(1);
}
await import(compiled.href);
