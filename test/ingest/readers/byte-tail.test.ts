/**
 * ByteTail against the bytes themselves: whatever the chunking, the digest
 * at a marked offset (or at the end) is the digest of the TAIL_BYTES bytes
 * before it, as tailDigest reads them from a file; offsets it did not keep
 * answer null, never a wrong digest.
 */
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteTail } from '../../../src/ingest/readers/byte-tail.js';
import { tailDigest, TAIL_BYTES } from '../../../src/ingest/readers/file-identity.js';
import { tempDir } from '../../fixtures/temp-dir.js';

const tmp = tempDir('byte-tail-');
afterAll(() => tmp.remove());

const data = Buffer.from(Array.from({ length: 12 }, (_, i) => `{"n":${i},"msg":"${'x'.repeat(i * 7)}"}\n`).join(''));
const file = tmp.file('data.log');
writeFileSync(file, data);

describe('ByteTail', () => {
  it('agrees with the file at every mark, for every cut of the data into two chunks, from any start', () => {
    const fd = openSync(file, 'r');
    try {
      for (const start of [0, 5, TAIL_BYTES + 3]) {
        for (let cut = start; cut <= data.length; cut++) {
          for (const mark of [cut, data.length]) {
            const t = new ByteTail(start);
            t.push(data.subarray(start, cut), cut);
            t.push(data.subarray(cut), mark);
            const want = mark - start >= Math.min(TAIL_BYTES, mark) ? tailDigest(fd, mark) : null;
            expect([start, cut, mark, t.digestAt(mark)]).toEqual([start, cut, mark, want]);
          }
        }
      }
    } finally {
      closeSync(fd);
    }
  });

  it("keeps copies: the chunk's buffer reused for other data afterwards changes nothing", () => {
    const buf = Buffer.from(data);
    const t = new ByteTail(0);
    t.push(buf, 100);
    buf.fill(0x21);
    const fd = openSync(file, 'r');
    try {
      expect(t.digestAt(100)).toBe(tailDigest(fd, 100));
      expect(t.digestAt(data.length)).toBe(tailDigest(fd, data.length));
    } finally {
      closeSync(fd);
    }
    // An offset it was not asked to keep.
    expect(t.digestAt(50)).toBeNull();
  });
});
