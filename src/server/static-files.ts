import { realpathSync } from "node:fs";
import type * as http from "node:http";
import type * as http2 from "node:http2";
import { join, resolve, sep } from "node:path";
import sirv from "sirv";

/**
 * Headers on every dashboard response. The dashboard is a Vite-built React app with no inline
 * scripts, so scripts come from this origin only; inline styles stay allowed (React's `style`
 * props); it calls only this origin; no other site may frame it (clickjacking).
 */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

type Request = http.IncomingMessage | http2.Http2ServerRequest;
type Response = http.ServerResponse | http2.Http2ServerResponse;

/** Serves a GET or HEAD for the dashboard, or calls `notFound` when there is no such file. */
export type Dashboard = (request: Request, response: Response, notFound: () => void) => void;

/**
 * Serves the built dashboard (web/dist) at `/` with sirv, which reads the folder on each request,
 * so a rebuilt dashboard is served without a restart. On top of sirv: `/` is index.html; a path
 * with malformed percent-encoding is 400; dotfiles are never served; a file reached through a
 * symlink that leads outside the folder is not served (sirv follows symlinks); Vite fingerprints
 * asset names, so assets/ is cached for good, everything else revalidated. When the dashboard
 * has not been built, `/` says how to build it.
 */
export function createDashboard(root: string): Dashboard {
  const base = resolve(root);
  const serve = sirv(base, {
    dev: true,
    etag: true,
    extensions: [],
    setHeaders(response, pathname) {
      // Throwing here stops sirv before it opens the file; the caller answers 404.
      if (!insideRoot(base, pathname)) throw new OutsideRoot();
      for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) response.setHeader(name, value);
      response.setHeader("cache-control", pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  return (request, response, notFound) => {
    const path = (request.url ?? "/").split("?")[0]!;
    let segments: string[];
    try {
      segments = path.split("/").map((segment) => decodeURIComponent(segment));
    } catch {
      response.statusCode = 400;
      response.setHeader("content-type", "text/plain; charset=utf-8");
      response.end("malformed percent-encoding in the path\n");
      return;
    }
    // Dotfiles (.env, .git) are never part of a build; "." and ".." segments are refused with them.
    if (segments.some((segment) => segment.startsWith(".") || segment.includes("\\") || segment.includes("\0"))) {
      notFound();
      return;
    }
    if (path === "/") request.url = "/index.html";
    const missing = () => {
      if (path !== "/") return notFound();
      response.statusCode = 503;
      response.setHeader("content-type", "text/plain; charset=utf-8");
      response.setHeader("cache-control", "no-cache");
      response.end("The dashboard is not built. Run `npm run build:web` (npm start does it for you).\n");
    };
    try {
      serve(request as http.IncomingMessage, response as http.ServerResponse, missing);
    } catch (error) {
      if (!(error instanceof OutsideRoot)) throw error;
      notFound();
    }
  };
}

class OutsideRoot extends Error {}

/** True when the file at `pathname` below `base`, symlinks resolved, is still inside `base`. */
function insideRoot(base: string, pathname: string): boolean {
  try {
    const real = realpathSync(join(base, pathname));
    const realBase = realpathSync(base);
    return real.startsWith(realBase + sep);
  } catch {
    return false;
  }
}
