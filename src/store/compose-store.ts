/**
 * How a backend assembles its Store from the objects that do the work: each
 * part lends the methods named for it, bound to it and made async (SQLite's
 * parts answer synchronously; the Store's callers always get a promise, and a
 * failure is always a rejection, never a throw at the call). A backend spreads
 * the lent methods and its own few into one object checked `satisfies Store`,
 * so a method missing or of the wrong type is a compile error, and no method
 * is written out only to forward to another.
 */

type AnyFn = (...args: never[]) => unknown;

/** The named methods of `T`, each returning a promise of what it returned. */
export type Lent<T, K extends keyof T> = {
  [P in K]: T[P] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** The methods `keys` of `part`, bound to it and async. */
export function lend<T extends object, K extends keyof T>(part: T, keys: readonly K[]): Lent<T, K> {
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) {
    const fn = part[k];
    if (typeof fn !== 'function') throw new TypeError(`${String(k)} is not a method of the part lending it`);
    const bound = (fn as AnyFn).bind(part) as (...args: unknown[]) => unknown;
    out[k] = async (...args: unknown[]) => bound(...args);
  }
  return out as Lent<T, K>;
}
