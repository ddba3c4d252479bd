/** How a prune's dropped days read in a line of text (the `prune` command, `ingest --follow`'s retention). */
import type { DroppedDay } from './store-types.js';

/** "; dropped 3 days whole (2026-11-20 … 2026-11-22: 40,000 events, ~95,000 other rows)", or "" when none. */
export function droppedText(days: readonly DroppedDay[]): string {
  if (!days.length) return '';
  const events = days.reduce((n, d) => n + d.events, 0);
  const other = days.reduce((n, d) => n + d.otherRowsEstimate, 0);
  const span = days.length === 1 ? days[0]!.day : `${days[0]!.day} … ${days[days.length - 1]!.day}`;
  const word = days.length === 1 ? 'day' : 'days';
  return `; dropped ${days.length} ${word} whole (${span}: ${events.toLocaleString('en-US')} events, ~${other.toLocaleString('en-US')} other rows)`;
}
