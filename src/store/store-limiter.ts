/**
 * The Limiter of model/access.ts over rate-limiter-flexible: both stores
 * hand it a limiter on their own database (RateLimiterSQLite on the
 * better-sqlite3 handle, RateLimiterPostgres on the pool, each on the
 * `rate_limits` table their migrations create). The library is loaded at a
 * limiter's first use: most runs (an ingest, a command) never count a hit
 * and start without it.
 */
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limiter, LimiterSpec } from '../model/access.js';

/** Expired rows are cleared every this many hits, so keys an attacker invents do not pile up. */
const CLEAR_EVERY = 1000;

type Library = typeof import('rate-limiter-flexible');
/** `clearExpired` exists on both backends at run time; the library's types do not declare it. */
type Backend = RateLimiterAbstract & { clearExpired?: (expire: number) => Promise<unknown> };

let library: Promise<Library> | null = null;

/** `make` builds the backend once the library is loaded, at the first call. */
function storeLimiter(make: (lib: Library) => Backend, ready: () => Promise<void> = async () => {}): Limiter {
  let hits = 0;
  let backend: Promise<{ rl: Backend; lib: Library }> | null = null;
  const use = async () => {
    await ready();
    return (backend ??= (library ??= import('rate-limiter-flexible')).then((lib) => ({ rl: make(lib), lib })));
  };
  return {
    async get(key) {
      const { rl } = await use();
      const r = await rl.get(key);
      return r ? { count: r.consumedPoints, msBeforeNext: r.msBeforeNext } : null;
    },
    async hit(key) {
      const { rl, lib } = await use();
      let r: RateLimiterRes;
      try {
        r = await rl.consume(key);
      } catch (e) {
        // consume() rejects with a RateLimiterRes once the points are used up: the hit is counted all the same.
        if (!(e instanceof lib.RateLimiterRes)) throw e;
        r = e;
      }
      if (++hits % CLEAR_EVERY === 0) await rl.clearExpired?.(Date.now());
      return { count: r.consumedPoints, msBeforeNext: r.msBeforeNext };
    },
    async reward(key) {
      const { rl } = await use();
      // Only a key counted in its current window is taken back: a reward never starts a window of its own.
      if (await rl.get(key)) await rl.reward(key, 1);
    },
    async set(key, count) {
      const { rl } = await use();
      // The limiter's own window (0 would be "never expires").
      await rl.set(key, count, rl.duration);
    },
    async reset(key) {
      const { rl } = await use();
      await rl.delete(key);
    },
  };
}

/** Counts in the SQLite store's `rate_limits` table (migration 3), on its own connection. */
export function sqliteLimiter(db: Database, spec: LimiterSpec): Limiter {
  return storeLimiter((lib) => new lib.RateLimiterSQLite({ storeClient: db, storeType: 'better-sqlite3', tableName: 'rate_limits', tableCreated: true, keyPrefix: spec.name, points: spec.points, duration: spec.windowSeconds }));
}

/** Counts in the PostgreSQL store's `rate_limits` table in its schema (migration 3); `ready` waits for the migrations. */
export function postgresLimiter(pool: pg.Pool, schema: string, spec: LimiterSpec, ready: () => Promise<void>): Limiter {
  const make = (lib: Library) => new lib.RateLimiterPostgres({ storeClient: pool, storeType: 'pool', schemaName: schema, tableName: 'rate_limits', tableCreated: true, keyPrefix: spec.name, points: spec.points, duration: spec.windowSeconds });
  return storeLimiter(make, ready);
}
