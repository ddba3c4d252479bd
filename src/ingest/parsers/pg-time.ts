/**
 * The times PostgreSQL prints in a log line's prefix and in jsonlog:
 *   %m  2026-11-24 20:22:24.843 UTC   (log_timezone's abbreviation, or +03 / -0930)
 *   %t  2026-11-24 20:22:24 UTC
 *   %n  1732479744.843                (seconds since the epoch, milliseconds)
 * → epoch ms, or null when the zone is ambiguous or unknown.
 */

const DATE_TIME = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?';
const ZONE = '[A-Za-z]{1,6}|[+-]\\d\\d(?::?\\d\\d)?';

/** A %m, %t or %s stamp: the date and time, then the zone when one was printed (no capturing groups). */
export const STAMP_PATTERN = `${DATE_TIME}(?: (?:${ZONE}))?`;

const WHOLE_STAMP = new RegExp(`^(${DATE_TIME})(?: (${ZONE}))?$`);

/**
 * Zone abbreviations `%m` prints (log_timezone) that mean one offset only, in
 * minutes east of UTC. Ambiguous ones (IST, CST, BST…) are left out: such a
 * line still parses, with no time of its own (a container line keeps Docker's).
 */
const ZONES: ReadonlyMap<string, number> = new Map([
  ['UTC', 0], ['UCT', 0], ['GMT', 0], ['Z', 0], ['WET', 0], ['WEST', 60],
  ['CET', 60], ['CEST', 120], ['MET', 60], ['MEST', 120], ['EET', 120], ['EEST', 180], ['MSK', 180],
  ['EST', -300], ['EDT', -240], ['MST', -420], ['MDT', -360], ['PST', -480], ['PDT', -420],
  ['AKST', -540], ['AKDT', -480], ['HST', -600], ['NST', -210], ['NDT', -150],
  ['JST', 540], ['KST', 540], ['HKT', 480], ['SGT', 480], ['AWST', 480], ['ACST', 570], ['ACDT', 630],
  ['AEST', 600], ['AEDT', 660], ['NZST', 720], ['NZDT', 780], ['SAST', 120], ['WIB', 420], ['PKT', 300],
]);

/** A stamp's date and time in `zone` (undefined when none was printed) → epoch ms, or null. */
export function zoneTime(stamp: string, zone: string | undefined): number | null {
  const utc = Date.parse(stamp.replace(' ', 'T') + 'Z');
  if (!Number.isFinite(utc)) return null;
  if (zone === undefined) return utc;
  const named = ZONES.get(zone);
  if (named !== undefined) return utc - named * 60_000;
  const off = /^([+-])(\d\d):?(\d\d)?$/.exec(zone);
  if (!off) return null;
  return utc - (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3] ?? 0)) * 60_000;
}

/** `%m`-style time ("2026-11-24 20:22:24.843 UTC") → epoch ms, or null. */
export function pgStampTime(stamp: string): number | null {
  if (stamp.length > 64) return null;
  const m = WHOLE_STAMP.exec(stamp);
  return m ? zoneTime(m[1]!, m[2]) : null;
}

/** `%n` ("1732479744.843") → epoch ms. */
export function epochStampTime(stamp: string): number {
  const dot = stamp.indexOf('.');
  return Number(stamp.slice(0, dot)) * 1000 + Number(stamp.slice(dot + 1));
}
