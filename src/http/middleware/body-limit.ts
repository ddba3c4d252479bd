/**
 * A cap on every request body, before anything reads it: 413
 * DIAG_BODY_TOO_LARGE in our envelope, an answer the client gets to read.
 *
 * - A Content-Length over the cap is answered at once, without reading the
 *   body; with `Expect: 100-continue` the 413 comes instead of 100 Continue
 *   (when the server defers it to us: createHttpServer in serve.ts).
 * - A body without Content-Length (chunked) is counted as it arrives
 *   (body-meter.ts), whoever reads it; past the cap it is answered at once.
 * - An answer given while such a body is still arriving closes the
 *   connection (its end cannot be found without reading it all), and every
 *   close before a body is complete lingers within a bound
 *   (lingering-close.ts): a client that sends the whole body before reading
 *   still reads the answer.
 *
 * A route that takes large bodies (POST /v1/ingest) gets its own cap here
 * instead of the app's. Routes' parsers may apply smaller limits of their own.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { DiagError } from '../../errors/diag-error.js';
import { meterBody, type BodyMeter } from '../body-meter.js';
import { DEFAULT_DRAIN_BOUND, lingerOnClose, type DrainBound } from '../lingering-close.js';

export interface BodyLimitOptions {
  /** Exact paths with a cap of their own (compared as Express routes them: case-insensitive, one trailing slash ignored). */
  perPath?: Readonly<Record<string, number>>;
  drain?: DrainBound;
  /** Writes an error answer (the app's error handler): for a body that passes its cap while it is being read. */
  answer(err: DiagError, req: Request, res: Response): void;
}

/** "1mb", "512kb", "100b" or a number of bytes. */
export function parseByteSize(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(v);
  if (!m) throw new Error(`${JSON.stringify(v)} is not a size`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('g') ? 1024 ** 3 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('k') ? 1024 : 1;
  return Math.floor(Number(m[1]) * mult);
}

const continueDeferred = new WeakSet<IncomingMessage>();
const answeredEarly = new WeakSet<IncomingMessage>();

/** The server leaves `100 Continue` to us for this request (it answers it itself otherwise). */
export function deferContinue(req: IncomingMessage): void {
  continueDeferred.add(req);
}

export function limitBodies(limit: string | number, opts: BodyLimitOptions) {
  const max = parseByteSize(limit);
  const own = new Map(Object.entries(opts.perPath ?? {}).map(([p, n]) => [routeKey(p), n]));
  const drain = opts.drain ?? DEFAULT_DRAIN_BOUND;
  return (req: Request, res: Response, next: NextFunction): void => {
    const cap = own.get(routeKey(req.path)) ?? max;
    lingerOnClose(req, drain);
    const raw = req.headers['content-length'];
    if (raw !== undefined) {
      const len = Number(raw);
      if (Number.isFinite(len) && len <= cap) return proceed(req, res, next);
      // Not a byte of it will be used: read and drop it (within the drain bound) after answering.
      meterBody(req, cap, () => undefined).discard();
      res.setHeader('Connection', 'close');
      return next(new DiagError('DIAG_BODY_TOO_LARGE', `the request body (${raw.slice(0, 40)} bytes) is over the limit of ${cap} bytes`));
    }
    if (req.headers['transfer-encoding'] !== undefined) {
      const meter = meterBody(req, cap, (bytes) => setImmediate(() => overCap(req, res, cap, bytes, opts)));
      closeIfUnread(req, res, meter);
    }
    proceed(req, res, next);
  };
}

/**
 * An error middleware before the app's error handler: a request answered
 * here mid-body leaves its readers waiting; when they give up (the socket
 * closes) their errors are not answered or logged again.
 */
export function dropAfterEarlyAnswer(err: unknown, req: Request, _res: Response, next: NextFunction): void {
  if (answeredEarly.has(req)) return;
  next(err);
}

function proceed(req: Request, res: Response, next: NextFunction): void {
  if (continueDeferred.has(req)) res.writeContinue();
  next();
}

function overCap(req: Request, res: Response, cap: number, bytes: number, opts: BodyLimitOptions): void {
  answeredEarly.add(req);
  if (res.headersSent) return;
  res.setHeader('Connection', 'close');
  opts.answer(new DiagError('DIAG_BODY_TOO_LARGE', `the request body is over the limit of ${cap} bytes (stopped reading at ${bytes} bytes)`), req, res);
}

/** An answer that starts while a body of unknown length is still arriving closes the connection, and the rest of the body is dropped. */
function closeIfUnread(req: Request, res: Response, meter: BodyMeter): void {
  const writeHead = res.writeHead;
  res.writeHead = function writeHeadClosing(this: Response, ...args: unknown[]) {
    if (!req.complete) {
      if (!this.headersSent) this.setHeader('Connection', 'close');
      meter.discard();
    }
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];
}

function routeKey(p: string): string {
  const lower = p.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}
