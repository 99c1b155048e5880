#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the package needs no build step.
import { tsImport } from "tsx/esm/api";

await tsImport("../src/main.ts", import.meta.url);
