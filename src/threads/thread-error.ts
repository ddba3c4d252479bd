/**
 * Errors across a thread boundary. A class does not cross (the other thread
 * has its own copy of every module), so a failure travels as plain data
 * keyed by its DIAG_… code and is rebuilt on the other side as a coded error
 * with that code: the HTTP error handler and the command line answer it by
 * the code (diag-codes.ts) exactly as if it had been thrown on their thread.
 */
import { CodedError, codeOf } from '../errors/coded-error.js';
import { isDiagCode, type DiagCode } from '../errors/diag-codes.js';

export type ThreadErrorField = string | number | boolean | null;

export interface ThreadError {
  /** The DIAG_… code, or null for an error not raised on purpose (a fault). */
  code: DiagCode | null;
  name: string;
  message: string;
  /** What an HTTP caller may read of it (CodedError.callerMessage). */
  callerMessage: string;
  stack: string | null;
  /** The error's own plain fields: a StoreError's reason, an IdempotencyConflict's key. */
  fields: Record<string, ThreadErrorField>;
}

/** Anything thrown, as data a thread can post. */
export function toThreadError(e: unknown): ThreadError {
  if (!(e instanceof Error)) return { code: null, name: 'Error', message: String(e), callerMessage: String(e), stack: null, fields: {} };
  const fields: Record<string, ThreadErrorField> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'name' || k === 'code' || k === 'message') continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
  }
  const code = codeOf(e);
  return { code, name: e.name, message: e.message, callerMessage: e instanceof CodedError ? e.callerMessage : e.message, stack: e.stack ?? null, fields };
}

/** A coded error rebuilt from its data on this thread: same code, name, message, fields and stack. */
export class RebuiltError extends CodedError {
  readonly code: DiagCode;
  readonly #callerMessage: string;

  constructor(t: ThreadError & { code: DiagCode }) {
    super(t.message);
    Object.assign(this, t.fields);
    this.name = t.name;
    this.code = t.code;
    this.#callerMessage = t.callerMessage;
    if (t.stack !== null) this.stack = t.stack;
  }

  override get callerMessage(): string {
    return this.#callerMessage;
  }
}

/**
 * The error a thread reported. A coded one comes back with its code; any
 * other is a plain Error with its message (after `context`, when given, as
 * in "parsing failed: …") and, without a context, its name.
 */
export function fromThreadError(t: ThreadError, context?: string): Error {
  if (t.code !== null && isDiagCode(t.code)) return new RebuiltError({ ...t, code: t.code });
  if (context !== undefined) return new Error(`${context}: ${t.message}`);
  const e = new Error(t.message);
  e.name = t.name;
  if (t.stack !== null) e.stack = t.stack;
  return e;
}
