/**
 * POST /v1/ingest: log lines pushed over HTTP. The body is NDJSON or any of
 * the line formats we read (pino, audit, Docker json-file records, journald
 * JSON, PostgreSQL text or jsonlog), optionally gzip-compressed
 * (Content-Encoding: gzip). Lines are detected one by one; `?kind=cp|container|audit`
 * keeps only that source (other lines are counted as unparsed, with why).
 *
 * The answer comes after the batch is committed — one transaction — with the
 * counts. An `Idempotency-Key` makes a repeat of the same batch a no-op that
 * answers the first one's counts (also when the repeats race: the store
 * serialises them); the same key with another body is 409. Without a key, the
 * body's digest names the batch, so a blind retry of the same bytes stores
 * nothing twice either.
 *
 * Caps: `ingestMaxBytes` (default 8 MiB), instead of the app's smaller body
 * limit, on the body as sent — by Content-Length before reading, and as it
 * arrives for bodies without one (both in body-limit.ts, which answers before
 * this route reads past the cap; readCapped checks again) — and again on the
 * decompressed body (a small gzip that inflates past it — a zip bomb — stops
 * there): 413 DIAG_BODY_TOO_LARGE. Authorised by an ingest token or an
 * operator (requireIngest).
 */
import { createHash } from 'node:crypto';
import { gunzip } from 'node:zlib';
import { Router, type Request } from 'express';
import type { Principal } from '../../access/principal.js';
import { hasCode } from '../../errors/coded-error.js';
import { DiagError } from '../../errors/diag-error.js';
import { inlinePush } from '../../ingest/push/push-ingest.js';
import { namedStreamKey } from '../../ingest/readers/file-identity.js';
import type { Source } from '../../model/event.js';
import type { StreamInfo } from '../../model/stream.js';
import type { AppDeps } from '../app-deps.js';
import { methodNotAllowed } from '../middleware/error-handler.js';
import { requireIngest } from '../middleware/guards.js';
import { queryShape, readQuery, text } from '../query.js';

export const DEFAULT_INGEST_MAX_BYTES = 8 * 1024 * 1024;
const KINDS = new Set(['auto', 'cp', 'container', 'audit']);
const TYPES = /^(?:application\/(?:x-ndjson|ndjson|jsonl|x-jsonlines|json)|text\/plain)$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const INGEST_QUERY = queryShape({
  kind: text((raw) => {
    const kind = raw === undefined || raw === '' ? 'auto' : raw;
    if (!KINDS.has(kind)) throw new DiagError('DIAG_INVALID_QUERY', `kind must be one of ${[...KINDS].join(', ')}`);
    return kind;
  }),
});

export function ingestRoutes(deps: AppDeps): Router {
  const r = Router();
  const max = deps.config.ingestMaxBytes ?? DEFAULT_INGEST_MAX_BYTES;
  // Parsing and writing a batch: on the server's push thread when it has one (push-worker.ts), else here.
  const push = deps.push ?? inlinePush(deps.store);

  r.route('/v1/ingest')
    .post(requireIngest, async (req, res) => {
      const { kind } = readQuery(INGEST_QUERY, req.query);
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== '' && !TYPES.test(type)) {
        throw new DiagError('DIAG_UNSUPPORTED_MEDIA_TYPE', `send NDJSON (application/x-ndjson) or text/plain, not ${JSON.stringify(type.slice(0, 80))}`);
      }
      const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
        throw new DiagError('DIAG_UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} is not supported; send gzip or nothing`);
      }
      const rawKey = req.headers['idempotency-key'];
      if (rawKey !== undefined && (typeof rawKey !== 'string' || !IDEMPOTENCY_KEY.test(rawKey))) {
        throw new DiagError('DIAG_BAD_REQUEST', 'Idempotency-Key must be 1–200 printable ASCII characters without spaces');
      }
      const wire = await readCapped(req, max);
      const body = encoding === 'identity' ? capPlain(wire, max) : await inflate(wire, max);
      const caller = callerOf(req.principal);
      const digest = createHash('sha256').update(kind).update('\0').update(body).digest('hex');
      const name = rawKey ? `key\0${caller}\0${rawKey}` : `body\0${caller}\0${digest}`;
      const info: StreamInfo = { key: namedStreamKey('push', name), kind: 'push', path: null, container: null, source: null };
      let pushed;
      try {
        pushed = await push({ info, body, kind: kind as Source | 'auto', now: deps.clock.now(), ...(rawKey ? { idempotency: { key: `push:${caller}:${rawKey}`, digest } } : {}) });
      } catch (e) {
        if (hasCode(e, 'DIAG_IDEMPOTENCY_CONFLICT')) {
          throw new DiagError('DIAG_IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was used before with a different body (or kind)');
        }
        throw e;
      }
      const { result } = pushed;
      res.status(200).json({
        accepted: result.events,
        unparsed: result.unparsed,
        lines: pushed.lines,
        already_stored: pushed.skipped,
        duplicate: result.duplicate,
        invalid_utf8: pushed.invalidUtf8,
        truncated: pushed.truncated,
      });
    })
    .all(methodNotAllowed(['POST']));

  return r;
}

function callerOf(p: Principal): string {
  if (p.kind === 'ingest') return `token:${p.token.name}`;
  if (p.kind === 'operator') return `operator:${p.operator.email}`;
  return p.kind;
}

function tooLarge(what: string, max: number): DiagError {
  return new DiagError('DIAG_BODY_TOO_LARGE', `the ${what} is over the limit of ${max} bytes`, {
    headers: { Connection: 'close' },
    hint: 'Split the batch into smaller requests (each one is a transaction).',
  });
}

/** Reads the body as sent, stopping as soon as it passes the cap (limitBodies has answered by then; this holds without it too). */
async function readCapped(req: Request, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) {
      req.unpipe();
      throw tooLarge('request body', max);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks, n);
}

function capPlain(b: Buffer, max: number): Buffer {
  if (b.length > max) throw tooLarge('request body', max);
  return b;
}

/** gunzip with an output cap: a bomb stops at `max` bytes of output (in the thread pool, off the event loop). */
function inflate(b: Buffer, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(b, { maxOutputLength: max }, (err, out) => {
      if (!err) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return reject(tooLarge('decompressed body', max));
      reject(new DiagError('DIAG_BAD_REQUEST', `the body is not valid gzip (${err.message})`));
    });
  });
}
