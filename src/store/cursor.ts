/** Opaque keyset cursors for paged results: (time, id) of the last item, base64url. */
import { CodedError } from '../errors/coded-error.js';
import type { DiagCode } from '../errors/diag-codes.js';

export interface CursorPosition {
  time: number;
  id: number;
}

export function encodeCursor(p: CursorPosition): string {
  return Buffer.from(`${p.time}.${p.id}`).toString('base64url');
}

/** The position in a cursor, or null for none; a malformed cursor throws a CursorError. */
export function decodeCursor(cursor: string | null | undefined): CursorPosition | null {
  if (!cursor) return null;
  const m = /^(-?\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(cursor.slice(0, 64), 'base64url').toString());
  if (!m) throw new CursorError();
  return { time: Number(m[1]), id: Number(m[2]) };
}

export class CursorError extends CodedError {
  override name = 'CursorError';
  readonly code = 'DIAG_INVALID_CURSOR' satisfies DiagCode;
  constructor() {
    super('the cursor is not one this server handed out');
  }
}
