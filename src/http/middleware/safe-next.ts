/** Where sign-in sends the browser back to: a path on this site only (no `//host`, no scheme), at most NEXT_MAX characters. */

export const NEXT_MAX = 2000;

export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > NEXT_MAX || !/^\/(?![/\\])[^\s\\]*$/.test(raw)) return '/';
  return raw;
}
