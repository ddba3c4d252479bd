/**
 * The base of every error we raise on purpose. Each class names its DIAG_…
 * code (diag-codes.ts); what a failure means to an HTTP caller or to the
 * command line is read from the code through the table, never from the class,
 * so an error rebuilt from its code on another thread is answered the same.
 */
import { exitCodeFor, isDiagCode, type DiagCode } from './diag-codes.js';

export abstract class CodedError extends Error {
  /** A DIAG_… code of the table (a DiagError of the platform's carries a CP_… code instead). */
  abstract readonly code: string;

  /** What an HTTP caller may read of the failure; classes whose message names hosts or files say less. */
  get callerMessage(): string {
    return this.message;
  }
}

/** The DIAG_… code of anything thrown, or null for an error we did not raise on purpose. */
export function codeOf(e: unknown): DiagCode | null {
  return e instanceof CodedError && isDiagCode(e.code) ? e.code : null;
}

export function hasCode(e: unknown, code: DiagCode): e is CodedError {
  return codeOf(e) === code;
}

/** The exit code a command ends with when `e` stops it. */
export function exitCodeOf(e: unknown): number {
  return exitCodeFor(codeOf(e));
}
