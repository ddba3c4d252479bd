/**
 * A failure crosses a thread boundary as data keyed by its DIAG_ code and is
 * answered on the other side by that code, as if it had been thrown there.
 */
import { describe, expect, it } from 'vitest';
import { codeOf, exitCodeOf } from '../../src/errors/coded-error.js';
import { EX_SOFTWARE } from '../../src/errors/diag-codes.js';
import { toDiagError } from '../../src/http/middleware/error-handler.js';
import { InputError } from '../../src/ingest/readers/discover.js';
import { IdempotencyConflict, StoreError } from '../../src/store/store.js';
import { fromThreadError, toThreadError, type ThreadError } from '../../src/threads/thread-error.js';

/** As a thread would post it: structured-cloned, so nothing but data survives. */
function across(e: unknown, context?: string): Error {
  return fromThreadError(structuredClone(toThreadError(e)) as ThreadError, context);
}

describe('errors across threads', () => {
  it('a coded error comes back with its code, name, message and fields', () => {
    const e = across(new StoreError('/data/diag.sqlite: database or disk is full', 'full'));
    expect(e).toMatchObject({ name: 'StoreError', code: 'DIAG_STORE_UNAVAILABLE', message: '/data/diag.sqlite: database or disk is full', reason: 'full' });
    expect(exitCodeOf(e)).toBe(1);
    expect(toDiagError(e)).toMatchObject({ code: 'DIAG_STORE_UNAVAILABLE', http: 503, message: 'the store failed: full' });
  });

  it('the HTTP answer and the exit code are those of the code, whatever the class', () => {
    const conflict = across(new IdempotencyConflict('batch-7'));
    expect(conflict).toMatchObject({ name: 'IdempotencyConflict', key: 'batch-7' });
    expect(toDiagError(conflict)).toMatchObject({ code: 'DIAG_IDEMPOTENCY_CONFLICT', http: 409 });
    const input = across(new InputError('/nope: no such file or directory'), 'parsing failed');
    expect(input).toMatchObject({ name: 'InputError', message: '/nope: no such file or directory' });
    expect(exitCodeOf(input)).toBe(1);
  });

  it('an error not raised on purpose stays a fault: a plain Error, its message after the context when one is given', () => {
    const bug = new TypeError('x is undefined');
    const plain = across(bug);
    expect(codeOf(plain)).toBeNull();
    expect(plain).toMatchObject({ name: 'TypeError', message: 'x is undefined' });
    expect(plain.stack).toBe(bug.stack);
    expect(exitCodeOf(plain)).toBe(EX_SOFTWARE);
    expect(across(bug, 'push ingest failed').message).toBe('push ingest failed: x is undefined');
    expect(across('thrown text').message).toBe('thrown text');
  });
});
