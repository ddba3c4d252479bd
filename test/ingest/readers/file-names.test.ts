/** One list of names for every reader: what is never read as a log, what is a rotated copy. */
import { describe, expect, it } from 'vitest';
import { isAnyDockerLog, isDockerLog, isRotatedDockerLog, isRotatedName, isSkippedFile } from '../../../src/ingest/readers/file-names.js';

describe('file names', () => {
  it('skips compressed, database, image, editor and temporary files, Docker metadata and hidden files; reads the rest', () => {
    for (const n of ['app.log.gz', 'app.log.1.zst', 'x.lz4', 'diag.sqlite', 'diag.sqlite-wal', 'a.db', 'a.PNG', '.app.log.swp', 'app.log.swp', 'app.tmp', 'config.v2.json', 'hostconfig.json', '.hidden']) {
      expect([n, isSkippedFile(n)]).toEqual([n, true]);
    }
    for (const n of ['app.log', 'app.log.1', 'cp-1.log', 'audit.ndjson', 'abc-json.log', 'abc-json.log.3', 'config.json']) {
      expect([n, isSkippedFile(n)]).toEqual([n, false]);
    }
  });

  it('knows logrotate\'s rotated names and Docker\'s, and tells a live Docker log from a rotated one', () => {
    for (const n of ['app.log.1', 'app.log.12', 'app.log-20260101', 'app.log-2026010112', 'app.log.2026-01-01', 'app.log-2026-01-01T10-00']) expect([n, isRotatedName(n)]).toEqual([n, true]);
    for (const n of ['app.log', 'cp-1.log', 'app.log.12345']) expect([n, isRotatedName(n)]).toEqual([n, false]);
    expect([isDockerLog('/d/abc-json.log'), isRotatedDockerLog('/d/abc-json.log'), isAnyDockerLog('/d/abc-json.log')]).toEqual([true, false, true]);
    expect([isDockerLog('/d/abc-json.log.2'), isRotatedDockerLog('/d/abc-json.log.2'), isAnyDockerLog('/d/abc-json.log.2')]).toEqual([false, true, true]);
    expect(isAnyDockerLog('/d/abc.log')).toBe(false);
  });
});
