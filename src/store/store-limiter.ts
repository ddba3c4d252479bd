/**
 * The Limiter of model/access.ts over rate-limiter-flexible: both stores
 * hand it a limiter on their own database (RateLimiterSQLite on the
 * better-sqlite3 handle, RateLimiterPostgres on the pool, each on the
 * `rate_limits` table their migrations create).
 */
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Limiter, LimiterSpec } from '../model/access.js';

/** Expired rows are cleared every this many hits, so keys an attacker invents do not pile up. */
const CLEAR_EVERY = 1000;

/** `clearExpired` exists on both backends at run time; the library's types do not declare it. */
function storeLimiter(rl: RateLimiterAbstract & { clearExpired?: (expire: number) => Promise<unknown> }, ready: () => Promise<void> = async () => {}): Limiter {
  let hits = 0;
  return {
    async get(key) {
      await ready();
      const r = await rl.get(key);
      return r ? { count: r.consumedPoints, msBeforeNext: r.msBeforeNext } : null;
    },
    async hit(key) {
      await ready();
      let r: RateLimiterRes;
      try {
        r = await rl.consume(key);
      } catch (e) {
        // consume() rejects with a RateLimiterRes once the points are used up: the hit is counted all the same.
        if (!(e instanceof RateLimiterRes)) throw e;
        r = e;
      }
      if (++hits % CLEAR_EVERY === 0) await rl.clearExpired?.(Date.now());
      return { count: r.consumedPoints, msBeforeNext: r.msBeforeNext };
    },
    async reward(key) {
      await ready();
      // Only a key counted in its current window is taken back: a reward never starts a window of its own.
      if (await rl.get(key)) await rl.reward(key, 1);
    },
    async set(key, count) {
      await ready();
      // The limiter's own window (0 would be "never expires").
      await rl.set(key, count, rl.duration);
    },
    async reset(key) {
      await ready();
      await rl.delete(key);
    },
  };
}

/** Counts in the SQLite store's `rate_limits` table (migration 3), on its own connection. */
export function sqliteLimiter(db: Database, spec: LimiterSpec): Limiter {
  return storeLimiter(new RateLimiterSQLite({ storeClient: db, storeType: 'better-sqlite3', tableName: 'rate_limits', tableCreated: true, keyPrefix: spec.name, points: spec.points, duration: spec.windowSeconds }));
}

/** Counts in the PostgreSQL store's `rate_limits` table in its schema (migration 3); `ready` waits for the migrations. */
export function postgresLimiter(pool: pg.Pool, schema: string, spec: LimiterSpec, ready: () => Promise<void>): Limiter {
  const rl = new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', schemaName: schema, tableName: 'rate_limits', tableCreated: true, keyPrefix: spec.name, points: spec.points, duration: spec.windowSeconds });
  return storeLimiter(rl, ready);
}
