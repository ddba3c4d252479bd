/**
 * A check's recent history as bars of an SVG strip (x and width in a
 * 0–1000 viewBox, colour by class): no inline style, so it passes a strict
 * Content-Security-Policy. A short outage (a restart of a few seconds in a
 * six-hour strip) is drawn wider than it lasted, and the worst states are
 * drawn last: a bar after it never paints over it.
 *
 * Colour is never the only sign: warnings are hatched, failures solid, a
 * period without a reading is a thin line rather than a bar, and every
 * period is also listed as text with its dates (views/partials/strip.ejs),
 * which a keyboard or a touch opens as well as a pointer.
 */
import type { Segment } from '../../diag/history.js';
import { iso } from './event-view.js';

export interface StripBar {
  x: number;
  width: number;
  /** A bar's vertical extent in the 14-unit-high strip: full for a reading, a thin line for none. */
  y: number;
  height: number;
  status: string;
  /** The period and what it said, dates included: "2026-12-04 13:39–13:45 UTC fail: …". */
  title: string;
  /** The period's start and end, RFC 3339, and the start (epoch ms) that orders the text list. */
  from: string;
  to: string;
  start: number;
}

/** Paint order: later is on top. */
const LAYER: Record<string, number> = { unknown: 0, pass: 1, warn: 2, fail: 3 };
/** Non-pass bars are at least this wide (0.6 % of the strip). */
const MIN_BAD_WIDTH = 6;

/** "2026-12-04 13:39–13:45 UTC", the end's date repeated only when it differs. */
export function period(from: number, to: number): string {
  const a = iso(from);
  const b = iso(to);
  const end = a.slice(0, 10) === b.slice(0, 10) ? b.slice(11, 16) : `${b.slice(0, 10)} ${b.slice(11, 16)}`;
  return `${a.slice(0, 10)} ${a.slice(11, 16)}–${end} UTC`;
}

export function stripBars(segs: readonly Segment[], from: number, to: number, withOutput: boolean): StripBar[] {
  const span = Math.max(1, to - from);
  const bars = segs.map((s): StripBar => {
    const bad = s.status === 'warn' || s.status === 'fail';
    const x = Math.round(((s.from - from) / span) * 10000) / 10;
    const width = Math.max(bad ? MIN_BAD_WIDTH : 1, Math.round(((s.to - s.from) / span) * 10000) / 10);
    const what = s.status === 'unknown' ? 'no reading' : s.status;
    const none = s.status === 'unknown';
    return {
      // Kept inside the strip: a failure in its last seconds is drawn ending at the right edge.
      x: Math.max(0, Math.min(x, 1000 - width)),
      width,
      y: none ? 6 : 0,
      height: none ? 2 : 14,
      status: s.status,
      title: `${period(s.from, s.to)} ${what}${withOutput && s.output ? `: ${s.output}` : ''}`,
      from: new Date(s.from).toISOString(),
      to: new Date(s.to).toISOString(),
      start: s.from,
    };
  });
  return bars.map((b, i) => ({ b, i })).sort((p, q) => (LAYER[p.b.status] ?? 0) - (LAYER[q.b.status] ?? 0) || p.i - q.i).map(({ b }) => b);
}
