/**
 * Every thread redacts with the patterns it was started with: a bulk ingest
 * on its own thread hands the configured DIAG_REDACT_PATTERNS on to its
 * parser threads, and the secret never reaches the store.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkIngestOnThread } from '../../src/ingest/bulk/run-ingest-thread.js';
import { setExtraPatterns } from '../../src/redact/redact.js';
import { compileExtraPatterns } from '../../src/redact/secret-patterns.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../fixtures/temp-dir.js';

const T0 = Date.UTC(2026, 10, 24, 20, 0, 0);
const CID = 'feed00000000abcd';

/** A cp log line of request CID with `msg`, as pino writes it. */
function cpLine(n: number, msg: string): string {
  return JSON.stringify({ level: 30, time: T0 + n, pid: 1, hostname: 'cp-1', correlation_id: CID, msg });
}

afterEach(() => setExtraPatterns([]));

describe('redaction on threads', () => {
  it('a bulk ingest on its thread, and its parser threads, redact with the configured patterns', async () => {
    const dir = tempDir('thread-redaction-');
    try {
      const lines = Array.from({ length: 400 }, (_, i) => cpLine(i, i === 123 ? 'issued ACME-654321 to the tenant' : `step ${i}`));
      writeFileSync(dir.file('cp.log'), lines.join('\n') + '\n');
      setExtraPatterns(compileExtraPatterns(['ACME-[0-9]{6}']));
      const file = dir.file('diag.sqlite');
      // Small ranges: the file is cut into several tasks, read on two parser threads.
      const r = await bulkIngestOnThread(file, [dir.file('cp.log')], { workers: 2, rangeBytes: 4096 });
      expect(r.stored).toBe(400);
      const store = new SqliteStore(file);
      try {
        const events = await store.eventsByCid(CID);
        expect(events.map((e) => e.message)).toContain('issued [REDACTED] to the tenant');
      } finally {
        await store.close();
      }
      const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
      expect(bytes.includes(Buffer.from('ACME-654321'))).toBe(false);
    } finally {
      dir.remove();
    }
  });
});
