/** Folding a container's repeats in the wok timeline, and choosing kinds. */
import { describe, expect, it } from 'vitest';
import { collapseRepeats, filterTimeline, type TimelineItem } from '../../src/diag/timeline.js';

const T = Date.parse('2026-12-04T14:00:00.000Z');

function life(t: number, state: 'start' | 'crash' | 'stopping' | 'ready', container = 'fn'): TimelineItem {
  return { kind: 'lifecycle', time: T + t, container: `wok-inbox-${container}`, containerId: container, role: 'functions', state, message: `${state} line` };
}
const audit = (t: number, action: string): TimelineItem => ({ kind: 'audit', time: T + t, cid: null, actor: 'li', action, outcome: 'success' });

/** Newest first, as the timeline is. */
const newestFirst = (items: TimelineItem[]) => [...items].sort((a, b) => b.time - a.time);

describe('collapseRepeats', () => {
  it('folds a crash loop into one row where its newest line was, keeping the rows between in order below it', () => {
    const loop: TimelineItem[] = [];
    for (let i = 0; i < 10; i++) loop.push(life(60_000 * i + 1000, 'start'), life(60_000 * i + 1100, 'crash'));
    const items = newestFirst([audit(0, 'wok.env.delete'), life(500, 'stopping'), ...loop, audit(300_500, 'wok.sql.exec')]);
    const rows = collapseRepeats(items);
    expect(rows.map((r) => r.kind)).toEqual(['repeat', 'audit', 'lifecycle', 'audit']);
    const run = rows[0]!;
    if (run.kind !== 'repeat') throw new Error('not a run');
    expect(run.states).toEqual(['crash', 'start']);
    expect(run.count).toBe(10);
    expect(run.members).toHaveLength(20);
    expect([run.from, run.to]).toEqual([T + 1000, T + 9 * 60_000 + 1100]);
    expect(rows.slice(1).map((r) => (r.kind === 'audit' ? r.action : r.kind))).toEqual(['wok.sql.exec', 'lifecycle', 'wok.env.delete']);
  });

  it('leaves a single restart, and another container\'s lines, as they are', () => {
    const items = newestFirst([life(0, 'stopping'), life(1000, 'start'), life(2000, 'ready'), life(3000, 'start', 'db'), life(4000, 'ready', 'db')]);
    expect(collapseRepeats(items)).toEqual(items);
  });
});

describe('filterTimeline', () => {
  it('keeps the kinds asked for (all when none), in order, up to the limit', () => {
    const items = newestFirst([audit(0, 'a'), life(1, 'start'), audit(2, 'b'), audit(3, 'c')]);
    expect(filterTimeline(items, ['audit'], 2).map((t) => t.time)).toEqual([T + 3, T + 2]);
    expect(filterTimeline(items, [], 10)).toEqual(items);
  });
});
