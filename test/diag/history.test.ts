import { describe, expect, it } from 'vitest';
import { changes, episodeSpan, episodes, episodesAt, segments } from '../../src/diag/history.js';
import type { CheckRecord, CheckStatus } from '../../src/model/health.js';

const T = Date.parse('2026-11-24T14:00:00Z');
const S = 30_000;

/** One record every 30 s from 14:00, one status letter per reading (p/w/f). */
function readings(check: string, pattern: string, start = T): CheckRecord[] {
  const st: Record<string, CheckStatus> = { p: 'pass', w: 'warn', f: 'fail' };
  return [...pattern].map((c, i) => ({ check, status: st[c]!, time: start + i * S, output: c === 'p' ? null : `${check} ${st[c]} #${i}` }));
}

describe('health history', () => {
  // cp_db: pass 14:00–14:02, fail 14:02–14:05 (six readings), pass after.
  const cp = readings('cp_db', 'ppppffffffpppp');
  const llm = readings('llm_upstream', 'pwwp');

  it('episodes: a run of non-pass results, ended by the first result in another state', () => {
    const eps = episodes([...cp, ...llm], { maxGapMs: 90_000 });
    expect(eps.map((e) => [e.check, e.status, episodeSpan(e), e.output])).toEqual([
      ['llm_upstream', 'warn', '14:00–14:01', 'llm_upstream warn #1'],
      ['cp_db', 'fail', '14:02–14:05', 'cp_db fail #4'],
    ]);
  });

  it('a "not configured" warning after a finding of the same status is an episode of its own (a ticket then quotes neither as the other)', () => {
    const rs: CheckRecord[] = [
      { check: 'cp_db', status: 'warn', time: T, output: '5 requests failed with CP_DB_UNAVAILABLE in 15 min' },
      { check: 'cp_db', status: 'warn', time: T + S, output: '5 requests failed with CP_DB_UNAVAILABLE in 15 min' },
      { check: 'cp_db', status: 'warn', time: T + 2 * S, output: 'not configured: the cp database (DIAG_CP_DATABASE_URL)' },
      { check: 'cp_db', status: 'warn', time: T + 3 * S, output: 'not configured: the cp database (DIAG_CP_DATABASE_URL)' },
    ];
    expect(episodes(rs, { maxGapMs: 90_000 }).map((e) => [e.from - T, e.to === null ? null : e.to - T, e.output])).toEqual([
      [0, 2 * S, '5 requests failed with CP_DB_UNAVAILABLE in 15 min'],
      [2 * S, null, 'not configured: the cp database (DIAG_CP_DATABASE_URL)'],
    ]);
  });

  it('a gap in the readings ends an episode with an unknown end', () => {
    const gappy = [...readings('cp_db', 'ff'), ...readings('cp_db', 'ff', T + 10 * 60_000)];
    const eps = episodes(gappy, { maxGapMs: 90_000 });
    expect(eps).toHaveLength(2);
    expect(eps[0]).toMatchObject({ from: T, lastSeen: T + S, to: null });
  });

  it('episodesAt: what was failing at the moment of a request', () => {
    const at = episodesAt([...cp, ...llm], T + 3 * 60_000, { maxGapMs: 90_000 });
    expect(at.map((e) => e.check)).toEqual(['cp_db']);
    expect(episodesAt([...cp, ...llm], T + 6 * 60_000, { maxGapMs: 90_000 })).toEqual([]);
  });

  it('changes: every change of state, oldest first', () => {
    expect(changes([...cp, ...llm]).map((c) => [c.check, c.from, c.to, new Date(c.time).toISOString().slice(11, 19)])).toEqual([
      ['cp_db', null, 'pass', '14:00:00'],
      ['llm_upstream', null, 'pass', '14:00:00'],
      ['llm_upstream', 'pass', 'warn', '14:00:30'],
      ['llm_upstream', 'warn', 'pass', '14:01:30'],
      ['cp_db', 'pass', 'fail', '14:02:00'],
      ['cp_db', 'fail', 'pass', '14:05:00'],
    ]);
  });

  it('segments cover the span: readings hold until the next one or the gap limit, the rest is unknown', () => {
    const segs = segments(cp, T - 60_000, T + 10 * 60_000, { maxGapMs: 60_000 });
    expect(segs.map((s) => [s.status, (s.from - T) / 1000, (s.to - T) / 1000])).toEqual([
      ['unknown', -60, 0],
      ['pass', 0, 120],
      ['fail', 120, 300],
      ['pass', 300, 450],
      ['unknown', 450, 600],
    ]);
  });

  it('segments: a warning that is now only "not configured" is not one segment with the failure warnings before it; a segment says what its newest reading said', () => {
    const rs: CheckRecord[] = [
      { check: 'cp_db', status: 'warn', time: T, output: '4 requests failed with CP_DB_QUERY_FAILED in the last 15 min' },
      { check: 'cp_db', status: 'warn', time: T + S, output: '2 requests failed with CP_DB_QUERY_FAILED in the last 15 min' },
      { check: 'cp_db', status: 'warn', time: T + 2 * S, output: 'not configured: set DIAG_CP_DATABASE_URL' },
      { check: 'cp_db', status: 'warn', time: T + 3 * S, output: 'not configured: set DIAG_CP_DATABASE_URL' },
    ];
    const segs = segments(rs, T, T + 4 * S, { maxGapMs: 90_000 });
    expect(segs.map((x) => [x.status, (x.from - T) / S, (x.to - T) / S, x.output])).toEqual([
      ['warn', 0, 2, '2 requests failed with CP_DB_QUERY_FAILED in the last 15 min'],
      ['warn', 2, 4, 'not configured: set DIAG_CP_DATABASE_URL'],
    ]);
  });
});
