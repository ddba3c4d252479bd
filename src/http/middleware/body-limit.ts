/**
 * A cap on every request body, checked on Content-Length before a byte is
 * read: 413 DIAG_BODY_TOO_LARGE in our envelope. Routes' own parsers apply
 * their (smaller) limits to bodies sent without a length.
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

export function limitBodies(limit: string | number) {
  const max = parseByteSize(limit);
  return (req: Request, res: Response, next: NextFunction): void => {
    const raw = req.headers['content-length'];
    const len = raw === undefined ? 0 : Number(raw);
    if (Number.isFinite(len) && len <= max) return next();
    // The body will not be read: close the connection after answering rather than drain it.
    res.setHeader('Connection', 'close');
    next(new DiagError('DIAG_BODY_TOO_LARGE', `the request body (${raw} bytes) is over the limit of ${max} bytes`));
  };
}
