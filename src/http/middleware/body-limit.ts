/**
 * A cap on every request body, checked on Content-Length before a byte is
 * read: 413 DIAG_BODY_TOO_LARGE in our envelope. Routes' own parsers apply
 * their (smaller) limits to bodies sent without a length. A route that takes
 * large bodies (POST /v1/ingest) gets its own cap here instead of the app's,
 * and enforces it again while reading (bodies without Content-Length).
 */
import type { NextFunction, Request, Response } from 'express';
import { DiagError } from '../../errors/diag-error.js';

/** "1mb", "512kb", "100b" or a number of bytes. */
export function parseByteSize(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(v);
  if (!m) throw new Error(`${JSON.stringify(v)} is not a size`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('g') ? 1024 ** 3 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('k') ? 1024 : 1;
  return Math.floor(Number(m[1]) * mult);
}

/**
 * `limit` for every path but those in `perPath` (exact paths, compared as
 * Express routes them: case-insensitive, one trailing slash ignored).
 */
export function limitBodies(limit: string | number, perPath: Readonly<Record<string, number>> = {}) {
  const max = parseByteSize(limit);
  const own = new Map(Object.entries(perPath).map(([p, n]) => [routeKey(p), n]));
  return (req: Request, res: Response, next: NextFunction): void => {
    const cap = own.size ? (own.get(routeKey(req.path)) ?? max) : max;
    const raw = req.headers['content-length'];
    const len = raw === undefined ? 0 : Number(raw);
    if (Number.isFinite(len) && len <= cap) return next();
    // The body will not be read: close the connection after answering rather than drain it.
    res.setHeader('Connection', 'close');
    next(new DiagError('DIAG_BODY_TOO_LARGE', `the request body (${raw} bytes) is over the limit of ${cap} bytes`));
  };
}

function routeKey(p: string): string {
  const lower = p.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}
