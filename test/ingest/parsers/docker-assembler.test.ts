import { describe, expect, it } from 'vitest';
import { DockerAssembler, type AssembledLine } from '../../../src/ingest/parsers/docker-assembler.js';
import { parseDockerRecord } from '../../../src/ingest/parsers/docker-json.js';
import { DOCKER_SPLIT, dockerRecords } from '../../../scripts/formats/docker-json-file.js';

const T = Date.UTC(2026, 10, 24, 20, 22, 24, 843);

interface Fed {
  line: string;
  offset: number;
  no: number;
}

/** Records as they sit in the file: each with its byte offset and line number. */
function layout(lines: string[]): Fed[] {
  let offset = 0;
  return lines.map((line, i) => {
    const f = { line, offset, no: i + 1 };
    offset += Buffer.byteLength(line);
    return f;
  });
}

function feed(a: DockerAssembler, fed: Fed[]): AssembledLine[] {
  const out: AssembledLine[] = [];
  for (const f of fed) {
    const r = parseDockerRecord(JSON.parse(f.line) as Record<string, unknown>)!;
    const done = a.push(r, f.offset, f.no);
    if (done) out.push(done);
  }
  return out;
}

describe('joining Docker partial records', () => {
  const long = JSON.stringify({ level: 30, time: T, correlation_id: '0123456789abcdef', msg: 'big', blob: 'é'.repeat(9000) + 'x'.repeat(20000) });

  it('splits a long line exactly as Docker does (16 KiB parts, no newline but on the last)', () => {
    const recs = dockerRecords({ text: long, stream: 'stdout', time: T });
    const bytes = Buffer.byteLength(long);
    expect(recs.length).toBe(Math.ceil(bytes / DOCKER_SPLIT));
    const parts = recs.map((l) => parseDockerRecord(JSON.parse(l) as Record<string, unknown>)!);
    expect(parts.map((p) => p.final)).toEqual(parts.map((_, i) => i === parts.length - 1));
    for (const p of parts.slice(0, -1)) expect(Buffer.byteLength(p.log)).toBeLessThanOrEqual(DOCKER_SPLIT);
    expect(parts.map((p) => p.log).join('')).toBe(long);
  });

  it('gives back the whole line once its last part arrives, at the offset and line number of its first part', () => {
    const recs = [
      ...dockerRecords({ text: 'before', stream: 'stdout', time: T - 1 }),
      ...dockerRecords({ text: long, stream: 'stdout', time: T }),
      ...dockerRecords({ text: 'after', stream: 'stdout', time: T + 1 }),
    ];
    const fed = layout(recs);
    const a = new DockerAssembler(1024 * 1024);
    const out = feed(a, fed);
    expect(out.map((o) => o.record.log)).toEqual(['before', long, 'after']);
    expect(out[1]).toMatchObject({ offset: fed[1]!.offset, line: 2, parts: recs.length - 2, truncated: false });
    expect(out[1]!.record.final).toBe(true);
    expect(out[2]).toMatchObject({ offset: fed[fed.length - 1]!.offset, parts: 1 });
    expect(a.pendingStart()).toBeNull();
  });

  it('keeps stdout and stderr apart when their records interleave', () => {
    const out1 = dockerRecords({ text: 'o'.repeat(40000), stream: 'stdout', time: T });
    const err1 = dockerRecords({ text: 'e'.repeat(20000), stream: 'stderr', time: T + 1 });
    expect(out1.length).toBe(3);
    expect(err1.length).toBe(2);
    const short = dockerRecords({ text: 'short stderr', stream: 'stderr', time: T + 2 });
    // o1 e1 o2 S? no: a short stderr line cannot come while stderr's own line is open; it comes after.
    const recs = [out1[0]!, err1[0]!, out1[1]!, err1[1]!, short[0]!, out1[2]!];
    const fed = layout(recs);
    const a = new DockerAssembler(1024 * 1024);
    const seen: (number | null)[] = [];
    const out: AssembledLine[] = [];
    for (const f of fed) {
      const r = a.push(parseDockerRecord(JSON.parse(f.line) as Record<string, unknown>)!, f.offset, f.no);
      if (r) out.push(r);
      seen.push(a.pendingStart()?.offset ?? null);
    }
    expect(out.map((o) => [o.record.stream, o.record.log.length, o.line])).toEqual([
      ['stderr', 20000, 2],
      ['stderr', 'short stderr'.length, 5],
      ['stdout', 40000, 1],
    ]);
    // The oldest open line holds the checkpoint back until it completes.
    expect(seen).toEqual([0, 0, 0, 0, 0, null]);
  });

  it('pendingStart names the oldest open line of either stream', () => {
    const a = new DockerAssembler(1024 * 1024);
    const err = dockerRecords({ text: 'e'.repeat(20000), stream: 'stderr', time: T });
    const out = dockerRecords({ text: 'o'.repeat(20000), stream: 'stdout', time: T });
    const fed = layout([err[0]!, out[0]!, err[1]!, out[1]!]);
    feed(a, fed.slice(0, 2));
    expect(a.pendingStart()).toEqual({ offset: 0, line: 1 });
    feed(a, fed.slice(2, 3));
    expect(a.pendingStart()).toEqual({ offset: fed[1]!.offset, line: 2 });
    feed(a, fed.slice(3));
    expect(a.pendingStart()).toBeNull();
  });

  it('caps a joined line at maxLine and marks it truncated', () => {
    const a = new DockerAssembler(20000);
    const out = feed(a, layout(dockerRecords({ text: 'z'.repeat(50000), stream: 'stdout', time: T })));
    expect(out.length).toBe(1);
    expect(out[0]!.record.log.length).toBe(20000);
    expect(out[0]!.truncated).toBe(true);
    expect(out[0]!.parts).toBe(4);
  });

  it('flush gives up open lines whole, oldest first, and forgets them', () => {
    const a = new DockerAssembler(1024 * 1024);
    const o = dockerRecords({ text: 'o'.repeat(20000), stream: 'stdout', time: T });
    const e = dockerRecords({ text: 'e'.repeat(20000), stream: 'stderr', time: T });
    const fed = layout([e[0]!, o[0]!]);
    expect(feed(a, fed)).toEqual([]);
    const flushed = a.flush();
    expect(flushed.map((f) => [f.record.stream, f.offset, f.record.log.length, f.record.final])).toEqual([
      ['stderr', 0, DOCKER_SPLIT],
      ['stdout', fed[1]!.offset, DOCKER_SPLIT],
    ].map((x) => [...x, false]));
    expect(a.pendingStart()).toBeNull();
    expect(a.flush()).toEqual([]);
  });
});
