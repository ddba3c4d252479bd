/**
 * Our own error catalogue, in the platform's envelope shape: every non-2xx
 * answer carries one of these stable DIAG_… codes, a message, a hint and the
 * request's correlation id. One table, one class; nothing else invents codes.
 */

import { catalog } from '../catalog/catalog.js';

export const DIAG_CODES = {
  DIAG_BAD_REQUEST: { http: 400, hint: 'Check the request against the API section of the README.' },
  DIAG_INVALID_CORRELATION_ID: { http: 400, hint: 'A correlation id is 16 hexadecimal characters, as in the error envelope\'s "correlation_id".' },
  DIAG_INVALID_CURSOR: { http: 400, hint: 'Pass back the "next" value of the previous page unchanged, or drop the cursor to start over.' },
  DIAG_INVALID_QUERY: { http: 400, hint: 'One of the query parameters is malformed; the message names it.' },
  DIAG_UNAUTHENTICATED: { http: 401, hint: 'Sign in at /login, or send Authorization: Bearer <sdo_… token>.' },
  DIAG_FORBIDDEN: { http: 403, hint: 'This credential may not do that; an operator can.' },
  DIAG_CSRF_REJECTED: { http: 403, hint: 'Reload the form and submit it again; forms expire with the sign-in session.' },
  DIAG_TICKET_NOT_FOUND: { http: 404, hint: 'Nothing with this correlation id has been ingested (yet). Check the id, and /diag for ingest lag.' },
  DIAG_NOT_FOUND: { http: 404, hint: 'No such resource.' },
  DIAG_ROUTE_NOT_FOUND: { http: 404, hint: 'No route at that method and path; see the API section of the README.' },
  DIAG_METHOD_NOT_ALLOWED: { http: 405, hint: 'The path exists but not with this method.' },
  DIAG_IDEMPOTENCY_CONFLICT: { http: 409, hint: 'An Idempotency-Key names one body; use a new key for a different batch.' },
  DIAG_BODY_TOO_LARGE: { http: 413, hint: 'Send smaller bodies (split the batch).' },
  DIAG_UNSUPPORTED_MEDIA_TYPE: { http: 415, hint: 'Send the content type this route takes; the message names it.' },
  DIAG_RATE_LIMITED: { http: 429, hint: 'Wait for the time in Retry-After, then try again.' },
  DIAG_INTERNAL: { http: 500, hint: 'A fault in the console itself; quote the correlation_id to its operators.' },
  DIAG_CP_CONTRACT_MISSING: {
    http: 500,
    hint: 'The cp database lacks a view the console reads: apply sql/cp-contract.sql to it (psql -v cp_schema=public -v diag_schema=tellwang_diag -f sql/cp-contract.sql) and set DIAG_CP_SCHEMA to the schema holding the views.',
  },
  DIAG_STORE_UNAVAILABLE: { http: 503, hint: 'The console\'s store cannot be read or written right now; see /diag.' },
  DIAG_TIMEOUT: { http: 503, hint: 'A dependency did not answer in time; try again shortly.' },
} as const satisfies Record<string, { http: number; hint: string }>;

export type DiagCode = keyof typeof DIAG_CODES;

export interface DiagErrorOptions {
  hint?: string;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class DiagError extends Error {
  override name = 'DiagError';
  readonly http: number;
  readonly hint: string;
  /** Extra response headers (Retry-After, Allow…). */
  readonly headers: Record<string, string>;
  readonly code: string;

  constructor(code: DiagCode, message: string, opts: DiagErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.code = code;
    this.http = DIAG_CODES[code].http;
    this.hint = opts.hint ?? DIAG_CODES[code].hint;
    this.headers = opts.headers ?? {};
  }

  /** Overrides what the constructor took from our own table: used only by platform(). */
  private withPlatformCode(code: string, http: number): this {
    (this as { code: string }).code = code;
    (this as { http: number }).http = http;
    return this;
  }

  /**
   * An error a customer sees in the platform's own terms (CP_… code, HTTP
   * status and remediation from the seed catalogue), so a key that fails here
   * fails exactly as it would on the cp.
   */
  static platform(code: string, message: string, opts: DiagErrorOptions = {}): DiagError {
    const entry = catalog.get(code);
    if (!entry) throw new Error(`${code} is not in the catalogue`);
    return new DiagError('DIAG_BAD_REQUEST', message, { ...opts, hint: opts.hint ?? entry.remediation }).withPlatformCode(code, entry.http);
  }
}

export interface Envelope {
  error: { code: string; message: string; hint: string; correlation_id: string };
}

export function envelope(code: string, message: string, hint: string, cid: string): Envelope {
  return { error: { code, message, hint, correlation_id: cid } };
}
