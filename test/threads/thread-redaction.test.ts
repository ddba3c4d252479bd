/**
 * Every thread redacts with the redactor it was started with, built there
 * from the starting side's configuration: a bulk ingest on its own thread
 * hands it on to its parser threads, and the follow and push threads write
 * through it. A configured pattern's match never reaches the store, in an
 * event or in an unparsed line's head.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bulkIngestOnThread } from '../../src/ingest/bulk/run-ingest-thread.js';
import { startFollowWorker } from '../../src/ingest/follow/start-follow-worker.js';
import { startPushWorker } from '../../src/ingest/push/start-push-worker.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createRedactor } from '../../src/redact/redactor.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { waitFor } from '../fixtures/wait-for.js';

const T0 = Date.UTC(2026, 10, 24, 20, 0, 0);
const CID = 'feed00000000abcd';
/** Configured, as DIAG_REDACT_PATTERNS would be: none of the built-in rules knows these. */
const ACME = createRedactor({ patterns: ['ACME-[0-9]{6}'] });

/** A cp log line of request CID with `msg`, as pino writes it. */
function cpLine(n: number, msg: string): string {
  return JSON.stringify({ level: 30, time: T0 + n, pid: 1, hostname: 'cp-1', correlation_id: CID, msg });
}

/** `n` cp lines, one of which names a configured secret, and a line in no known format naming another. */
function logText(n: number): string {
  const lines = Array.from({ length: n }, (_, i) => cpLine(i, i === Math.floor(n / 3) ? 'issued ACME-654321 to the tenant' : `step ${i}`));
  lines.splice(Math.floor(n / 2), 0, '{"shipper":"x","note":"rotated ACME-111111"}');
  return lines.join('\n') + '\n';
}

let dir: TempDir;
beforeEach(() => {
  dir = tempDir('thread-redaction-');
});
afterEach(() => dir.remove());

/** What the store file holds, read back: the redacted message, the unparsed heads, and whether either secret is in its bytes. */
async function stored(file: string): Promise<{ messages: string[]; heads: string[]; leaked: boolean }> {
  const store = new SqliteStore(file);
  let messages: string[];
  let heads: string[];
  try {
    messages = (await store.eventsByCid(CID)).map((e) => e.message);
    heads = (await store.unparsed()).items.map((u) => u.head);
  } finally {
    await store.close();
  }
  const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  return { messages, heads, leaked: bytes.includes(Buffer.from('ACME-654321')) || bytes.includes(Buffer.from('ACME-111111')) };
}

function expectRedacted(s: { messages: string[]; heads: string[]; leaked: boolean }): void {
  expect(s.messages).toContain('issued [REDACTED] to the tenant');
  expect(s.heads).toEqual([expect.stringContaining('rotated [REDACTED]')]);
  expect(s.leaked).toBe(false);
}

describe('redaction on threads', () => {
  it('a bulk ingest on its thread, and its parser threads, redact with the configured patterns', async () => {
    writeFileSync(dir.file('cp.log'), logText(400));
    const file = dir.file('diag.sqlite');
    // Small ranges: the file is cut into several tasks, read on two parser threads.
    const r = await bulkIngestOnThread(file, [dir.file('cp.log')], ACME, { workers: 2, rangeBytes: 4096 });
    expect(r.stored).toBe(400);
    expectRedacted(await stored(file));
  });

  it('the follow thread writes through the configured patterns', async () => {
    mkdirSync(dir.file('logs'));
    writeFileSync(dir.file('logs', 'cp.log'), logText(20));
    const file = dir.file('diag.sqlite');
    const follower = startFollowWorker({ db: file, roots: [dir.file('logs')], statusEveryMs: 50, follow: { pollMs: 50 } }, ACME, silentLogger(), () => undefined);
    try {
      await follower.ready;
      await waitFor('the follow thread to commit every line', async () => ((follower.state.totals?.stored ?? 0) >= 20 && (follower.state.totals?.unparsed ?? 0) >= 1 ? true : null));
    } finally {
      await follower.stop();
    }
    expectRedacted(await stored(file));
  });

  it('the push thread writes through the configured patterns', async () => {
    const file = dir.file('diag.sqlite');
    const pusher = await startPushWorker({ db: file }, ACME, silentLogger());
    try {
      const info = { key: 'push:shipper', kind: 'push' as const, path: null, container: null, source: null };
      const r = await pusher.ingest({ info, body: Buffer.from(logText(20)), kind: 'auto', now: Date.now() });
      expect(r.result).toMatchObject({ events: 20, unparsed: 1 });
    } finally {
      await pusher.stop();
    }
    expectRedacted(await stored(file));
  });
});
