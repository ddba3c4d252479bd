/**
 * A store assembled from its parts answers like the classes of forwarding
 * methods it replaced: every method returns a promise, and a part that
 * throws at once (better-sqlite3 is synchronous) fails that promise instead
 * of throwing at the call — callers that chain `.catch` or collect calls in
 * Promise.all depend on it.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lend } from '../../src/store/compose-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../fixtures/temp-dir.js';

describe('a store composed of parts', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('a part that throws at once gives a rejected promise, on a real SQLite store', async () => {
    const { dir, remove } = tempDir('diag-compose-');
    cleanups.push(remove);
    const store = new SqliteStore(path.join(dir, 'diag.sqlite'));
    expect(await store.eventsByCid('0123456789abcdef')).toEqual([]);
    store.db.close();
    let thrown: unknown = null;
    let answer: Promise<unknown> | null = null;
    try {
      answer = store.eventsByCid('0123456789abcdef');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeNull();
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).rejects.toThrow(/not open/);
  });

  it('lends only methods, bound to their part', async () => {
    class Counter {
      n = 0;
      bump(by: number): number {
        this.n += by;
        return this.n;
      }
    }
    const part = new Counter();
    const lent = lend(part, ['bump']);
    const bump = lent.bump;
    expect(await bump(2)).toBe(2);
    expect(await lent.bump(3)).toBe(5);
    expect(() => lend(part, ['n'])).toThrow(/n is not a method/);
  });
});
