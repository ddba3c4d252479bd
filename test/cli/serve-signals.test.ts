/**
 * `tellwang-diag serve` stopped by a signal the moment its banner is out (as
 * a supervisor or a test does): it exits 0 having closed the store — SQLite
 * removes the WAL file when its last connection closes cleanly, so a left-over
 * `-wal` means the process died with the store open.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, startServe } from '../fixtures/built-cli.js';
import { tempDir, type TempDir } from '../fixtures/temp-dir.js';

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = tempDir('tellwang-serve-signal-');
});
afterAll(() => tmp.remove());

describe('serve and signals', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} right after the banner: exit 0, the store closed`, async () => {
      const db = tmp.file(`${signal}.sqlite`);
      // A few times over: the gap was one await wide.
      for (let i = 0; i < 3; i++) {
        const s = await startServe(['--db', db]);
        expect(s.output()).toContain(`(store ${db})`);
        expect(await s.stop(signal)).toEqual({ code: 0, signal: null });
        expect(existsSync(`${db}-wal`)).toBe(false);
      }
    });
  }
});
