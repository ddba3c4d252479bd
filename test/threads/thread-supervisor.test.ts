/**
 * The server's follow thread under its supervisor (thread-supervisor.ts), as
 * a real worker thread on a real SQLite file: a thread that stops on an error
 * waiting cannot fix (the file is not a store) is started again, and once the
 * cause is gone it ingests; one that keeps stopping makes the supervisor give
 * up, loudly, and its state says the thread is not running.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestWrites } from '../../src/diag/checks/ingest-writes.js';
import { startFollowWorker } from '../../src/ingest/follow/start-follow-worker.js';
import { createLogger } from '../../src/logging/logger.js';
import { DEFAULT_REDACTOR } from '../../src/redact/redactor.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';
import { waitFor } from '../fixtures/wait-for.js';
import { lineText } from '../follow/follow-model.js';

let dir: TempDir;
beforeEach(() => {
  dir = tempDir('thread-supervisor-');
  mkdirSync(dir.file('logs'));
  writeFileSync(dir.file('logs', 'cp.log'), [0, 1, 2].map(lineText).join('\n') + '\n');
});
afterEach(() => dir.remove());

/** A pino logger writing into `lines`, so the test reads what the server would log. */
function capture(lines: string[]) {
  return createLogger({ level: 'info', pretty: false, destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
}

/** A follow thread on a store file that is not SQLite: its thread stops as soon as it opens it. */
function followOnCorruptStore() {
  const db = dir.file('diag.sqlite');
  writeFileSync(db, 'this is not a SQLite file, and not empty either: opening it fails as corrupt');
  const log: string[] = [];
  const gaveUp: string[] = [];
  const f = startFollowWorker({ db, roots: [dir.file('logs')], statusEveryMs: 50, follow: { pollMs: 50 } }, DEFAULT_REDACTOR, capture(log), (r) => gaveUp.push(r));
  return { db, log, gaveUp, f };
}

describe('the follow thread under its supervisor', () => {
  it('is started again after it stopped on an error; once the cause is gone it ingests', async () => {
    const { db, log, gaveUp, f } = followOnCorruptStore();
    try {
      await waitFor('the first thread to stop', async () => (log.some((l) => /stopped unexpectedly/.test(l)) ? true : null));
      // The cause goes away before the restart (1 s later): the new thread makes a store and reads the file.
      rmSync(db);
      await waitFor('the restarted thread to ingest', async () => ((f.state.totals?.stored ?? 0) >= 3 ? true : null), 20_000);
      expect(f.state.restarts).toBe(1);
      expect(f.state.running).toBe(true);
      expect(f.status()).toMatchObject({ state: 'writing', restarts: 1 });
      expect(gaveUp).toEqual([]);
      expect(log.join('')).toMatch(/follow thread stopped unexpectedly \(it stopped on its own\): starting it again/);
    } finally {
      await f.stop();
    }
  }, 30_000);

  it('gives up when it keeps stopping: told once, the thread is not running, and the ingest check fails', async () => {
    const { log, gaveUp, f } = followOnCorruptStore();
    try {
      await waitFor('the supervisor to give up', async () => (gaveUp.length ? true : null), 30_000);
      expect(gaveUp).toHaveLength(1);
      expect(gaveUp[0]).toMatch(/^follow thread stopped 4 times in 60 s/);
      expect(f.state.restarts).toBe(3);
      expect(f.state.running).toBe(false);
      expect(log.join('')).toMatch(/"level":60.*follow thread keeps stopping/);
      const [writes] = ingestWrites(f.status(), Date.now());
      expect(writes).toMatchObject({ measurement: 'writes', status: 'fail', observedValue: 'stopped' });
      // Nothing more happens after giving up.
      await new Promise((r) => setTimeout(r, 1500));
      expect(gaveUp).toHaveLength(1);
      expect(f.state.restarts).toBe(3);
    } finally {
      await f.stop();
    }
  }, 45_000);
});
