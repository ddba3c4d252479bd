/**
 * lnav beside the bench: its formats (bench/lnav/) claim each file of the
 * corpus, and, where lnav is installed, lnav reads every line of a real
 * corpus with them (not as plain text) and indexes all of it.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.js';
import { benchFormats, findLnav, lnavFormatCounts, lnavOpen } from '../../bench/lnav-peer.js';
import { tempDir } from '../fixtures/temp-dir.js';

const tmp = tempDir('lnav-peer-');
afterAll(() => tmp.remove());

const FORMAT_OF: [RegExp, string][] = [
  [/\/cp\/cp-\d\.log$/, 'cp_pino_log'],
  [/\/audit\/audit\.log$/, 'tellwang_audit_log'],
  [/-json\.log$/, 'docker_json_file_log'],
];
const expectedFormat = (file: string) => FORMAT_OF.find(([re]) => re.test(file))![1];

const corpus = writeCorpus(tmp.file('corpus'), 3000, 11, 10);

describe('lnav formats for the bench corpus', () => {
  it('are JSON log formats named as their files, and exactly one claims each file of the corpus', () => {
    const formats = benchFormats().map((f) => ({ name: f.name, def: (JSON.parse(readFileSync(f.file, 'utf8')) as Record<string, Record<string, unknown>>)[f.name]! }));
    expect(formats.map((f) => f.name)).toEqual(['cp_pino_log', 'docker_json_file_log', 'tellwang_audit_log']);
    for (const f of formats) {
      expect(f.def.json).toBe(true);
      expect(f.def['timestamp-field']).toBe('time');
    }
    const pino = formats.find((f) => f.name === 'cp_pino_log')!.def;
    expect(pino['timestamp-divisor']).toBe(1000);
    expect(pino.level).toMatchObject({ error: 50, warning: 40, info: 30 });
    expect(pino['opid-field']).toBe('correlation_id');
    for (const file of corpus.files) {
      const claiming = formats.filter((f) => new RegExp(f.def['file-pattern'] as string).test(file)).map((f) => f.name);
      expect(claiming).toEqual([expectedFormat(file)]);
    }
  });
});

describe('findLnav', () => {
  it('finds an executable lnav on PATH and nothing where there is none', () => {
    const empty = tmp.file('empty');
    const bin = tmp.file('bin');
    mkdirSync(empty);
    mkdirSync(bin);
    const exe = path.join(bin, 'lnav');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    expect(findLnav(empty)).toBeNull();
    expect(findLnav(['', empty, bin].join(path.delimiter))).toBe(exe);
    chmodSync(exe, 0o644);
    expect(findLnav(bin)).toBeNull();
  });
});

const lnav = findLnav();

describe.skipIf(lnav === null)('lnav on the bench corpus', () => {
  it('indexes every line of every file, each file with our format for it, and parses every line', async () => {
    const r = await lnavOpen(corpus.files, lnav!);
    expect(r.version).toMatch(/^lnav \d/);
    expect(r.recognised).toBe(corpus.lines);
    expect(r.files.map((f) => f.path).sort()).toEqual([...corpus.files].sort());
    for (const f of r.files) expect(f.format).toBe(expectedFormat(f.path));
    // Every message is indexed: at least one index row per line of each file.
    for (const f of r.files) expect(f.indexRows).toBeGreaterThanOrEqual(readFileSync(f.path, 'utf8').split('\n').length - 1);
    expect(r.wallSeconds).toBeGreaterThan(0);
    expect(r.peakRssBytes).toBeGreaterThan(0);
  }, 60_000);

  it('parses each line into its format table: as many log messages as lines', () => {
    const lines = (name: string) =>
      corpus.files.filter((f) => expectedFormat(f) === name).reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length - 1, 0);
    const counts = lnavFormatCounts(corpus.files, lnav!);
    for (const name of ['cp_pino_log', 'tellwang_audit_log', 'docker_json_file_log']) {
      expect(lines(name)).toBeGreaterThan(0);
      expect(counts[name]).toBe(lines(name));
    }
  }, 60_000);
});
