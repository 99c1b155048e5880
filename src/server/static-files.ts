import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

export interface StaticFile {
  status: number;
  contentType: string;
  body: Buffer | string;
  /** Vite fingerprints asset names, so those can be cached for good; index.html never. */
  cacheControl: string;
}

/**
 * Serves the built dashboard (web/dist) at `/`. Paths are resolved inside the folder only; `/`
 * is index.html. When the dashboard has not been built, says how to build it.
 */
export function createStaticFiles(root: string): (path: string) => Promise<StaticFile | undefined> {
  const base = normalize(root + sep);
  return async (path) => {
    const relative = path === "/" ? "index.html" : decodeURIComponent(path).replace(/^\/+/, "");
    const file = normalize(join(base, relative));
    if (!file.startsWith(base)) return undefined;
    try {
      const body = await readFile(file);
      const immutable = relative.startsWith("assets/");
      return {
        status: 200,
        contentType: CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
        body,
        cacheControl: immutable ? "public, max-age=31536000, immutable" : "no-cache",
      };
    } catch {
      if (path !== "/") return undefined;
      return {
        status: 503,
        contentType: "text/plain; charset=utf-8",
        body: "The dashboard is not built. Run `npm run build:web` (npm start does it for you).\n",
        cacheControl: "no-cache",
      };
    }
  };
}
