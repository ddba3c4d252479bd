/**
 * A check's recent history as bars of an SVG strip (x and width in a
 * 0–1000 viewBox, colour by class): no inline style, so it passes a strict
 * Content-Security-Policy. A short outage (a restart of a few seconds in a
 * six-hour strip) is drawn wider than it lasted, and the worst states are
 * drawn last: a bar after it never paints over it.
 */
import type { Segment } from '../../diag/history.js';
import { iso } from './event-view.js';

export interface StripBar {
  x: number;
  width: number;
  status: string;
  title: string;
}

/** Paint order: later is on top. */
const LAYER: Record<string, number> = { unknown: 0, pass: 1, warn: 2, fail: 3 };
/** Non-pass bars are at least this wide (0.6 % of the strip). */
const MIN_BAD_WIDTH = 6;

export function stripBars(segs: readonly Segment[], from: number, to: number, withOutput: boolean): StripBar[] {
  const span = Math.max(1, to - from);
  const hm = (t: number) => iso(t).slice(11, 16);
  const bars = segs.map((s) => {
    const bad = s.status === 'warn' || s.status === 'fail';
    const x = Math.round(((s.from - from) / span) * 10000) / 10;
    const width = Math.max(bad ? MIN_BAD_WIDTH : 1, Math.round(((s.to - s.from) / span) * 10000) / 10);
    const what = s.status === 'unknown' ? 'no reading' : s.status;
    // Kept inside the strip: a failure in its last seconds is drawn ending at the right edge.
    return { x: Math.max(0, Math.min(x, 1000 - width)), width, status: s.status, title: `${hm(s.from)}–${hm(s.to)} ${what}${withOutput && s.output ? `: ${s.output}` : ''}` };
  });
  return bars.map((b, i) => ({ b, i })).sort((p, q) => (LAYER[p.b.status] ?? 0) - (LAYER[q.b.status] ?? 0) || p.i - q.i).map(({ b }) => b);
}
