/**
 * Opening a store while the database is away (how the server's threads start
 * again during an outage): on a PostgreSQL of the test's own that is down,
 * the open waits, reporting each refusal, and succeeds once the server is up;
 * a database that does not exist is an error at once (waiting cannot fix
 * it); a stop while waiting ends the wait with no store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { openStoreWaiting } from '../../src/store/open-store-waiting.js';
import { StoreError } from '../../src/store/store.js';
import { startPrivatePostgres, type PrivatePostgres } from '../fixtures/private-postgres.js';

let db: PrivatePostgres;
beforeAll(async () => {
  db = await startPrivatePostgres();
}, 120_000);
afterAll(async () => {
  await db?.stop();
}, 120_000);

describe('opening a store while the database is away', () => {
  it('waits through refusals and opens once the server is back', async () => {
    await db.down();
    const waits: { reason: string; retryInMs: number }[] = [];
    const opening = openStoreWaiting(`${db.url}?schema=waiting`, { redactor: DEFAULT_REDACTOR }, {
      signal: new AbortController().signal,
      maxBackoffMs: 2000,
      onWait: (e, retryInMs) => waits.push({ reason: e.reason, retryInMs }),
    });
    // Two refusals (after 1 s and 2 s of waiting), then the server comes back.
    try {
      for (let i = 0; i < 200 && waits.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await db.up();
    }
    const store = await opening;
    try {
      expect(store).not.toBeNull();
      expect(await store!.ingestNotes()).toEqual([]);
    } finally {
      await store?.close();
    }
    expect(waits.slice(0, 2)).toEqual([
      { reason: 'unavailable', retryInMs: 1000 },
      { reason: 'unavailable', retryInMs: 2000 },
    ]);
  }, 60_000);

  it('a database that does not exist is an error at once', async () => {
    const waits: string[] = [];
    const err = await openStoreWaiting(db.url.replace(/\/postgres$/, '/no_such_database'), { redactor: DEFAULT_REDACTOR }, {
      signal: new AbortController().signal,
      onWait: (e) => waits.push(e.message),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).reason).toBe('other');
    expect(waits).toEqual([]);
  });

  it('a stop while waiting ends the wait with no store', async () => {
    await db.down();
    try {
      const ac = new AbortController();
      const opening = openStoreWaiting(`${db.url}?schema=waiting`, { redactor: DEFAULT_REDACTOR }, { signal: ac.signal, onWait: () => ac.abort() });
      expect(await opening).toBeNull();
    } finally {
      await db.up();
    }
  }, 60_000);
});
