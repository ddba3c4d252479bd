/**
 * health+json's observedUnit is a unit ("ms", "s", "requests", "%",
 * "bytes", "views"), never a phrase. A reading may still carry a phrase
 * ("of 4 views"): its last word is the unit, the rest is context for the page.
 */

export function jsonUnit(unit: string | undefined): string | undefined {
  if (!unit) return undefined;
  const words = unit.trim().split(/\s+/);
  return words[words.length - 1] || undefined;
}

/** "1 of 4 containers", "12 requests" ("in the last 15 min" is shown under it); "—" when there is no value. */
export function valueText(value: unknown, unit: string | undefined, context: string | undefined): string {
  if (value === null || value === undefined) return '—';
  const of = context?.startsWith('of ') ? context : '';
  const u = unit?.trim() ?? '';
  // "1 request", "1 container": a counted unit reads in the singular for one (without "of N" after it).
  const word = value === 1 && !of && /^[a-z]{3,}s$/.test(u) ? u.slice(0, -1) : u;
  return [String(value), of, word].filter(Boolean).join(' ');
}

/** The context that is not part of the value text ("in the last 15 min"); null without one. */
export function valueNote(value: unknown, context: string | undefined): string | null {
  return value === null || value === undefined || !context || context.startsWith('of ') ? null : context;
}
