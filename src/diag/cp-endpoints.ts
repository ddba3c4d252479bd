/**
 * The cp's routes as URI templates (RFC 6570), from the paths its requests
 * were logged with: what health+json's `affectedEndpoints` lists for a
 * finding read from failed requests. "/v1/woks/inbox/functions/send-digest/invoke"
 * is "/v1/woks/{id}/functions/{name}/invoke".
 */
import type { RequestReads } from '../store/store.js';

/** Path segments after which the next segment is a name, not a route word. */
const NAMED: Record<string, string> = { woks: '{id}', env: '{name}', functions: '{name}', triggers: '{name}' };

export function cpRouteTemplate(path: string): string {
  const parts = path.split(/[?#]/)[0]!.split('/');
  // Left to right over the rewritten path: the segment after a name ("invoke") stays a route word.
  for (let i = 1; i < parts.length; i++) {
    const name = NAMED[parts[i - 1]!];
    if (name && parts[i]) parts[i] = name;
  }
  return parts.join('/') || '/';
}

/** The templates of the routes whose requests answered one of `codes` in [from, to], most frequent first. */
export async function affectedEndpoints(store: RequestReads, codes: readonly string[], from: number, to: number, limit = 200): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const code of codes) {
    const page = await store.search({ from, to, code, limit });
    for (const r of page.items) {
      if (!r.path) continue;
      const t = cpRouteTemplate(r.path);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
}
