/**
 * A parser thread's task encodes each event as soon as it is parsed and puts
 * it in its block at once (BlockBuilder). Its pieces must hold exactly the blocks the
 * stores make of the same lines' events (prepareBlocks, the path of every
 * other write): byte for byte, on the bench's realistic corpus, on Docker
 * lines joined out of order, and on lines carrying secrets of every class,
 * none of which may reach a block.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus, type Corpus } from '../../../bench/corpus.js';
import { PIECE_BYTES, runTask } from '../../../src/ingest/bulk/parse-task.js';
import type { ParseTask, Piece } from '../../../src/ingest/bulk/tasks.js';
import { DEFAULT_PG_LOG_LINE_PREFIX } from '../../../src/ingest/parsers/pg-prefix.js';
import { StreamReader } from '../../../src/ingest/stream-reader.js';
import type { StreamInfo } from '../../../src/model/stream.js';
import { DEFAULT_REDACTOR } from '../../../src/redact/redactor.js';
import { storedLines } from '../../../src/store/block-codec.js';
import { prepareBlocks, type PreparedBlock } from '../../../src/store/prepared-batch.js';
import { dockerRecords } from '../../../scripts/formats/docker-json-file.js';
import { auditLine } from '../../../scripts/formats/audit-log.js';
import { pgLine } from '../../../scripts/formats/postgres-log.js';
import { dockerCorpus, fn } from '../../fixtures/reader-corpora.js';
import { secretClass } from '../../fixtures/secret-classes.js';
import { tempDir, type TempDir } from '../../fixtures/temp-dir.js';

const MAX_LINE = 1 << 20;

function taskOf(id: number, file: string, stream: StreamInfo, batchLines: number): ParseTask {
  return { id, kind: 'stream', stream, path: file, start: 0, end: statSync(file).size, atLineStart: true, final: true, maxLine: MAX_LINE, batchLines, pgLogLinePrefix: DEFAULT_PG_LOG_LINE_PREFIX };
}

function streamOf(file: string, key: string): StreamInfo {
  const docker = file.endsWith('-json.log');
  return { key, kind: docker ? 'docker' : 'file', path: file, container: docker ? fn : null, source: null };
}

/** The task's pieces, and the blocks prepareBlocks makes of the events of the same lines, cut into the same pieces. */
function bothPaths(file: string, key: string, batchLines = 4000): { pieces: Piece[]; want: PreparedBlock[][] } {
  const stream = streamOf(file, key);
  const pieces: Piece[] = [];
  runTask(taskOf(1, file, stream, batchLines), (p) => pieces.push(p), DEFAULT_REDACTOR);
  const bytes = readFileSync(file);
  const reader = new StreamReader(stream, { maxLine: MAX_LINE, redactor: DEFAULT_REDACTOR });
  // The task reads 1 MiB at a time and hands a piece over after a read once batchLines lines wait.
  const want: PreparedBlock[][] = [];
  for (let at = 0; at < bytes.length; at += 1 << 20) {
    reader.push(bytes.subarray(at, Math.min(bytes.length, at + (1 << 20))));
    const { lines, lineBytes } = reader.untaken;
    if (lines >= batchLines || lineBytes >= PIECE_BYTES) want.push(prepareBlocks(reader.take().events, DEFAULT_REDACTOR));
  }
  reader.end();
  want.push(prepareBlocks(reader.take().events, DEFAULT_REDACTOR));
  return { pieces, want };
}

function expectSame(file: string, key: string, batchLines?: number): Piece[] {
  const { pieces, want } = bothPaths(file, key, batchLines);
  expect(pieces.map((p) => p.blocks)).toEqual(want);
  for (const p of pieces) {
    for (const b of p.blocks) {
      // Offset order within each block, whatever order the parser completed the lines in.
      for (let i = 1; i < b.offsets.length; i++) expect(b.offsets[i]).toBeGreaterThan(b.offsets[i - 1]!);
    }
  }
  return pieces;
}

describe('parse task', () => {
  let dir: TempDir;
  let corpus: Corpus;

  beforeAll(() => {
    dir = tempDir('parse-task-');
    corpus = writeCorpus(dir.file('corpus'), 12_000, 11, 50);
  });

  afterAll(() => dir?.remove());

  it('makes the blocks prepareBlocks makes, byte for byte, for every file of the bench corpus', () => {
    let blocks = 0;
    corpus.files.forEach((f, i) => {
      // Small pieces in the big files: many cut points, each closing a block.
      blocks += expectSame(f, `k${i}`, statSync(f).size > 1 << 20 ? 700 : 4000).reduce((n, p) => n + p.blocks.length, 0);
    });
    expect(blocks).toBeGreaterThan(20);
  });

  it('keeps Docker lines completed out of order in offset order', () => {
    const file = dir.file('joined-json.log');
    writeFileSync(file, dockerCorpus());
    const pieces = expectSame(file, 'joined');
    expect(pieces.flatMap((p) => p.blocks.flatMap((b) => b.offsets)).length).toBe(3);
    // A file of cp lines with Docker records in the middle: lines before the first record go into blocks at once, the rest wait to be sorted.
    const cp = readFileSync(corpus.files.find((f) => f.endsWith('cp-1.log'))!, 'utf8').split('\n').slice(0, 900);
    const mixed = dir.file('mixed.log');
    writeFileSync(mixed, cp.slice(0, 600).join('\n') + '\n' + dockerCorpus().toString() + cp.slice(600).join('\n') + '\n');
    const sources = expectSame(mixed, 'mixed', 200).flatMap((p) => p.blocks.map((b) => `${b.source}:${b.offsets.length}`));
    expect(sources.filter((x) => x.startsWith('container'))).toEqual(['container:3']);
  });

  it('redacts every class of secret on its way into a block, as prepareBlocks does', () => {
    const planted = fc.sample(secretClass, { seed: 20261205, numRuns: 120 });
    const cp: string[] = [];
    const audit: string[] = [];
    const docker: string[] = [];
    planted.forEach((s, i) => {
      const time = Date.UTC(2026, 11, 5, 12, 0, i);
      const cid = (i + 1).toString(16).padStart(16, '0');
      const headers = { 'user-agent': 'tellwang-cli/2.3.1', authorization: `Bearer ${s.text}`, cookie: `sid=${s.body}` };
      cp.push(JSON.stringify({ level: 30, time, pid: 7, hostname: 'cp-1', correlation_id: cid, msg: `calling upstream with ${s.text}` }));
      cp.push(JSON.stringify({ level: 30, time: time + 1, pid: 7, hostname: 'cp-1', detail: { note: s.text, argv: ['node', 'x.js', '--password', s.body] }, msg: 'plain' }));
      cp.push(JSON.stringify({ level: 50, time: time + 2, req: { id: cid, method: 'POST', url: `/v1/woks/w1/sql?token=${s.body}`, headers }, res: { statusCode: 500 }, err: { type: 'Error', message: s.text, stack: `Error: ${s.text}\n    at x (/app/y.js:1:1)` }, responseTime: 9, msg: 'request errored' }));
      audit.push(auditLine({ time, actor: `dana ${s.text}`, org: 'acme', action: i % 7 === 0 ? 'wok.restart' : 'wok.env.update', outcome: 'success', correlationId: cid, ip: '203.0.113.9' }));
      docker.push(...dockerRecords({ text: JSON.stringify({ level: 40, time, pid: 1, hostname: 'fn', correlation_id: cid, msg: s.text }), stream: 'stdout', time }));
      docker.push(...dockerRecords({ text: pgLine({ time, pid: 61, severity: 'LOG', message: `connection string ${s.text}` }), stream: 'stderr', time }));
    });
    const files: [string, string][] = [
      [dir.file('hostile-cp.log'), cp.join('\n') + '\n'],
      [dir.file('hostile-audit.log'), audit.join('\n') + '\n'],
      [dir.file('hostile-json.log'), docker.join('')],
    ];
    let lines = 0;
    for (const [i, [file, text]] of files.entries()) {
      writeFileSync(file, text);
      const pieces = expectSame(file, `hostile-${i}`, 50);
      const stored = pieces.flatMap((p) => p.blocks.flatMap((b) => storedLines(b.packed))).join('\n');
      lines += pieces.reduce((n, p) => n + p.blocks.reduce((m, b) => m + b.offsets.length, 0), 0);
      expect(pieces.flatMap((p) => p.unparsed)).toEqual([]);
      for (const s of planted) expect(stored, `${s.kind} in ${file}`).not.toContain(s.body);
    }
    expect(lines).toBe(planted.length * 6);
  });
});
