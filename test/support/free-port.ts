import { createServer } from "node:net";

/**
 * A loopback port nothing listens on right now: bound on port 0 to learn a free one, then
 * released. For what must be told its port before it starts (a child process, an embedded
 * PostgreSQL, a redis-server) or a port that must refuse connections; a server in this process
 * listens on port 0 instead.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
