/**
 * The error an HTTP answer is made of, in the platform's envelope shape: a
 * stable DIAG_… code of the table in diag-codes.ts (or, for customers, a
 * CP_… code of the seed catalogue), a message, a hint and the request's
 * correlation id.
 */

import { catalog } from '../catalog/catalog.js';
import { CodedError } from './coded-error.js';
import { DIAG_CODES, type HttpCode } from './diag-codes.js';

export interface DiagErrorOptions {
  hint?: string;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class DiagError extends CodedError {
  override name = 'DiagError';
  readonly http: number;
  readonly hint: string;
  /** Extra response headers (Retry-After, Allow…). */
  readonly headers: Record<string, string>;
  readonly code: string;

  constructor(code: HttpCode, message: string, opts: DiagErrorOptions = {}) {
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
