/**
 * A check's recent history as bars of an SVG strip (x and width in a
 * 0–1000 viewBox, colour by class): no inline style, so it passes a strict
 * Content-Security-Policy.
 */
import type { Segment } from '../../diag/history.js';
import { iso } from './event-view.js';

export interface StripBar {
  x: number;
  width: number;
  status: string;
  title: string;
}

export function stripBars(segs: readonly Segment[], from: number, to: number, withOutput: boolean): StripBar[] {
  const span = Math.max(1, to - from);
  const hm = (t: number) => iso(t).slice(11, 16);
  return segs.map((s) => {
    const x = Math.round(((s.from - from) / span) * 10000) / 10;
    // A short outage stays visible at any zoom: non-pass bars are at least 0.4 % wide.
    const width = Math.max(s.status === 'pass' || s.status === 'unknown' ? 1 : 4, Math.round(((s.to - s.from) / span) * 10000) / 10);
    const what = s.status === 'unknown' ? 'no reading' : s.status;
    return { x, width, status: s.status, title: `${hm(s.from)}–${hm(s.to)} ${what}${withOutput && s.output ? `: ${s.output}` : ''}` };
  });
}
