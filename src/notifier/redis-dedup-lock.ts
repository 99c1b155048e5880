import type { Redis } from "ioredis";
import type { DedupKey, DedupLock } from "./dedup-lock.js";

// Compare-and-delete in one atomic step: GET then DEL from the client could delete a lock that
// expired and was taken by another event in between.
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

export interface RedisDedupLockOptions {
  redis: Redis;
  /** Prefix of every key, so deployments (and test files) can share one Redis. */
  keyPrefix: string;
  windowSeconds: number;
}

/**
 * The dedup lock in Redis: one `SET key holder EX window NX GET` per event. NX takes the lock only
 * if nobody holds it; GET answers, in the same command, who held it when it was not taken, which is
 * how an event recognises a lock its own earlier attempt took. (NX together with GET needs Redis
 * 7.0 or newer.) One key per lock, so it works on Redis Cluster too.
 */
export function createRedisDedupLock(options: RedisDedupLockOptions): DedupLock {
  const { redis, keyPrefix, windowSeconds } = options;
  // JSON keeps the parts apart whatever characters tenants and users contain.
  const keyOf = (key: DedupKey) =>
    `${keyPrefix}notify-dedup:${JSON.stringify([key.tenantId, key.initiatorId, key.provider, key.errorType])}`;
  return {
    async acquire(key, holder) {
      const previous = await redis.set(keyOf(key), holder, "EX", windowSeconds, "NX", "GET");
      return previous === null || previous === holder;
    },
    async release(key, holder) {
      await redis.eval(RELEASE, 1, keyOf(key), holder);
    },
  };
}
