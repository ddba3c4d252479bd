/**
 * Query parameters, declared once per route with zod and read through one
 * helper: a parameter the route does not take is a 400 DIAG_INVALID_QUERY
 * naming it (and what the route takes) rather than being ignored, so a typo
 * such as `?wokk=ledger` never quietly answers everything. Each parameter is
 * a string (the app's query parser is 'simple'); one given twice is refused.
 *
 *   const SEARCH = queryShape({ org: text((raw) => stringParam('org', raw, SLUG)), … });
 *   const q = readQuery(SEARCH, req.query);   // typed, converted, or a DiagError
 */
import { z } from 'zod';
import { DiagError } from '../errors/diag-error.js';

/** `read`'s value, or its DiagError's message as the parameter's issue (other errors are faults and pass through). */
function converted<R, T>(read: (raw: R) => T, raw: R, ctx: z.RefinementCtx): T {
  try {
    return read(raw);
  } catch (e) {
    if (!(e instanceof DiagError)) throw e;
    ctx.addIssue({ code: 'custom', message: e.message });
    return z.NEVER;
  }
}

/** One parameter: its raw text (absent → undefined) converted by `read`, which throws a DiagError for a bad value. */
export function text<T>(read: (raw: string | undefined) => T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => converted(read, raw, ctx));
}

/** A parameter that may be given several times (`?kind=audit&kind=request`) or as a comma list; always an array. */
export function list<T>(read: (values: string[]) => T) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((raw, ctx) => {
      const values = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).filter((v) => v !== '');
      return converted(read, values, ctx);
    });
}

/** The parameters a route takes; anything else is refused. */
export function queryShape<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape);
}

/** No query parameters at all. */
export const NO_QUERY = queryShape({});

function takes(names: string[]): string {
  return names.length ? `it takes ${names.join(', ')}` : 'it takes none';
}

/** Reads `raw` (req.query) against the route's parameters: typed values, or a DiagError naming the first problem. */
export function readQuery<S extends z.ZodRawShape>(schema: z.ZodObject<S>, raw: unknown): z.output<z.ZodObject<S>> {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const names = Object.keys(schema.shape);
  const unknown = r.error.issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const keys = unknown.keys.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40)));
    throw new DiagError('DIAG_INVALID_QUERY', `unknown query parameter${keys.length > 1 ? 's' : ''} ${keys.join(', ')}; ${takes(names)}`, {
      hint: 'Check the spelling, or drop the parameter: a parameter a route does not take is refused rather than ignored.',
    });
  }
  const issue = r.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  if (issue.code === 'custom') throw new DiagError('DIAG_INVALID_QUERY', issue.message);
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union') throw new DiagError('DIAG_INVALID_QUERY', `${name} is given more than once; give it once`);
  throw new DiagError('DIAG_INVALID_QUERY', `${name} is malformed`);
}
